"""Converge: feed changed keys to the controllers until a pass changes nothing.

The store's change log says what changed since the last pass (kine-style revisions); each
controller maps a change to the keys it reconciles. Timers (readiness delays, back-offs,
deadlines) wait in the store until cluster time reaches them. The loop is bounded: a cluster
that never settles is an error, not a hang.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Iterable, Protocol

from kctl.controllers.context import Context, Key, parse_time, rfc3339
from kctl.errors import ConvergeError
from kctl.store.base import Change, gc_paused

MAX_PASSES = 500
_REV_KEY = "converge-rev"
_TIMERS_KEY = "timers"


class Controller(Protocol):
    name: str
    #: resources whose changes wake this controller (e.g. ("replicasets.apps", "pods"))
    resources: tuple[str, ...]

    def keys_for(self, ctx: Context, change: Change) -> Iterable[Key]:
        """Keys to reconcile because of `change` (the object may already be gone)."""

    def reconcile(self, ctx: Context, key: Key) -> None:
        """Move the object at `key` one step toward its desired state."""


def load_timers(store) -> dict[tuple[str, tuple], datetime]:
    raw = store.get_meta(_TIMERS_KEY)
    out: dict[tuple[str, tuple], datetime] = {}
    for t in json.loads(raw) if raw else []:
        out[(t["controller"], tuple(t["key"]))] = parse_time(t["due"])
    return out


def save_timers(store, timers: dict[tuple[str, tuple], datetime]) -> None:
    rows = [{"controller": c, "key": list(k), "due": rfc3339(d)}
            for (c, k), d in sorted(timers.items(), key=lambda kv: (kv[1], kv[0][0], kv[0][1]))]
    text = json.dumps(rows, separators=(",", ":"))
    if (store.get_meta(_TIMERS_KEY) or "[]") != text:
        store.set_meta(_TIMERS_KEY, text)


def next_timer(store) -> datetime | None:
    timers = load_timers(store)
    return min(timers.values()) if timers else None


def converge(store, now: datetime, controllers: list | None = None, *, max_passes: int = MAX_PASSES) -> int:
    """Run every controller on the keys changed since the last converge (and the timers due
    at `now`) until nothing changes. Returns the number of passes."""
    if controllers is None:
        from kctl.controllers import load_controllers

        controllers = load_controllers()
    # The cyclic collector would re-walk every live object again and again while a converge
    # holds 150k decoded pods (indexes, the scheduler's snapshot): measured as half the CPU
    # of a rollout at 10k pods. Controllers build JSON trees, which hold no cycles.
    with gc_paused():
        return _converge(store, now, controllers, max_passes)


def _converge(store, now: datetime, controllers: list, max_passes: int) -> int:
    by_name = {c.name: c for c in controllers}
    ctx = Context(store, now)
    timers = load_timers(store)
    dirty: dict[str, set] = {c.name: set() for c in controllers}
    for (cname, key), due in list(timers.items()):
        if due <= ctx.now and cname in by_name:
            dirty[cname].add(key)
            del timers[(cname, key)]
    last = int(store.get_meta(_REV_KEY) or 0)
    passes = 0
    while True:
        head = store.revision()
        if head > last:
            # keys_for only reads: the ten controllers that watch pods share one read of
            # each changed object (see Context.get)
            ctx.memo_reads(True)
            try:
                for change in store.changes_since(last):
                    for c in controllers:
                        if change.resource in c.resources:
                            dirty[c.name].update(tuple(k) for k in c.keys_for(ctx, change))
            finally:
                ctx.memo_reads(False)
            last = head
        if not any(dirty.values()):
            break
        passes += 1
        if passes > max_passes:
            stuck = sorted(f"{n}: {', '.join('/'.join(map(str, k)) for k in sorted(ks)[:5])}"
                           for n, ks in dirty.items() if ks)
            raise ConvergeError(
                f"the cluster did not settle after {max_passes} reconcile passes; still changing: "
                + "; ".join(stuck)
            )
        for c in controllers:
            keys, dirty[c.name] = sorted(dirty[c.name], key=_sort_key), set()
            for key in keys:
                c.reconcile(ctx, key)
    for k, due in ctx.timers.items():
        if k not in timers or due < timers[k]:
            timers[k] = due
    save_timers(store, timers)
    if (store.get_meta(_REV_KEY) or "0") != str(last):
        store.set_meta(_REV_KEY, str(last))
    return passes


def _sort_key(key):
    return tuple(str(p) for p in key)


def advance(store, start: datetime, duration_seconds: float, controllers: list | None = None,
            until=None) -> datetime:
    """Move cluster time forward by up to `duration_seconds` from `start`, firing every timer
    in time order (converging at each due time), then converge at the target. Cluster time
    is wall time plus the stored `clock-offset`; this moves the offset.

    `until(now) -> bool` stops early once it holds (kctl wait, rollout status). Returns the
    cluster time reached."""
    base = float(store.get_meta("clock-offset") or 0)
    target = start + timedelta(seconds=duration_seconds)

    def move_to(t: datetime) -> None:
        store.set_meta("clock-offset", str(base + (t - start).total_seconds()))
        converge(store, t, controllers)

    now = start
    converge(store, now, controllers)
    if until is not None and until(now):
        return now
    while True:
        due = next_timer(store)
        if due is None or due > target:
            break
        now = max(now, due)
        move_to(now)
        if until is not None and until(now):
            return now
    if now < target:
        move_to(target)
    return target
