"""The converge runner: dirty keys from the change log, timers, bounds, advancing time."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from kctl.controllers.context import Context
from kctl.controllers.runner import advance, converge, load_timers, next_timer
from kctl.errors import ConvergeError
from kctl.store.memory import MemoryStore

T0 = datetime(2026, 11, 25, 12, 0, 0, tzinfo=timezone.utc)


class Mirror:
    """Toy controller: keeps a ConfigMap `<name>-copy` equal to each ConfigMap `<name>`'s data;
    annotation `delay` asks to be woken again later (a timer)."""

    name = "mirror"
    resources = ("configmaps",)

    def __init__(self):
        self.calls = []

    def keys_for(self, ctx, change):
        if not change.name.endswith("-copy"):
            yield ("configmaps", change.namespace, change.name)

    def reconcile(self, ctx, key):
        self.calls.append((ctx.now, key))
        _, ns, name = key
        src = ctx.get("configmaps", ns, name)
        if src is None:
            ctx.delete("configmaps", ns, name + "-copy")
            return
        want = {"apiVersion": "v1", "kind": "ConfigMap",
                "metadata": {"name": name + "-copy", "namespace": ns}, "data": dict(src.get("data") or {})}
        want["data"]["seen-at"] = ctx.now_str if (src.get("metadata", {}).get("annotations") or {}).get("stamp") else ""
        if ctx.get("configmaps", ns, name + "-copy") is None:
            ctx.create("configmaps", want)
        else:
            live = ctx.get("configmaps", ns, name + "-copy")
            live["data"] = want["data"]
            ctx.update("configmaps", live)
        delay = (src.get("metadata", {}).get("annotations") or {}).get("delay")
        if delay and ctx.now < T0 + timedelta(seconds=int(delay)):
            ctx.requeue_after(self.name, key, int(delay))


class Flapper:
    """A broken controller that changes its object on every pass."""

    name = "flapper"
    resources = ("configmaps",)

    def keys_for(self, ctx, change):
        yield ("configmaps", change.namespace, change.name)

    def reconcile(self, ctx, key):
        obj = ctx.get(*key)
        if obj is not None:
            obj.setdefault("data", {})["n"] = str(int(obj.get("data", {}).get("n", "0")) + 1)
            ctx.update("configmaps", obj)


def cm(name, **annotations):
    return {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": name, "namespace": "default", "annotations": annotations}, "data": {"a": "1"}}


def test_converge_reconciles_changed_keys_until_quiet():
    store = MemoryStore()
    Context(store, T0).create("configmaps", cm("x"))
    ctl = Mirror()
    passes = converge(store, T0, [ctl])
    assert passes == 1
    assert store.get("configmaps", "default", "x-copy")["data"] == {"a": "1", "seen-at": ""}
    # nothing changed since: no pass, no call
    assert converge(store, T0, [ctl]) == 0
    assert len(ctl.calls) == 1


def test_deleted_object_is_cleaned_up():
    store = MemoryStore()
    Context(store, T0).create("configmaps", cm("x"))
    converge(store, T0, [Mirror()])
    store.delete("configmaps", "default", "x")
    converge(store, T0, [Mirror()])
    assert store.get("configmaps", "default", "x-copy") is None


def test_timers_fire_only_when_cluster_time_reaches_them():
    store = MemoryStore()
    Context(store, T0).create("configmaps", cm("x", delay="30", stamp="yes"))
    ctl = Mirror()
    converge(store, T0, [ctl])
    assert next_timer(store) == T0 + timedelta(seconds=30)
    converge(store, T0 + timedelta(seconds=10), [ctl])
    assert len(ctl.calls) == 1  # not due yet
    end = advance(store, T0, 60, [ctl])
    assert end == T0 + timedelta(seconds=60)
    assert [c[0] for c in ctl.calls] == [T0, T0 + timedelta(seconds=30)]
    assert store.get("configmaps", "default", "x-copy")["data"]["seen-at"] == "2026-11-25T12:00:30Z"
    assert load_timers(store) == {}
    assert float(store.get_meta("clock-offset")) == 60.0


def test_advance_stops_when_condition_holds():
    store = MemoryStore()
    Context(store, T0).create("configmaps", cm("x", delay="30", stamp="yes"))
    ctl = Mirror()
    converge(store, T0, [ctl])

    def done(now):
        return store.get("configmaps", "default", "x-copy")["data"]["seen-at"] == "2026-11-25T12:00:30Z"

    assert advance(store, T0, 3600, [ctl], until=done) == T0 + timedelta(seconds=30)


def test_a_loop_that_never_settles_is_an_error():
    store = MemoryStore()
    Context(store, T0).create("configmaps", cm("x"))
    with pytest.raises(ConvergeError) as e:
        converge(store, T0, [Flapper()], max_passes=20)
    assert "did not settle after 20 reconcile passes" in str(e.value)
    assert "flapper: configmaps/default/x" in str(e.value)


def test_names_and_uids_are_deterministic():
    def run():
        store = MemoryStore()
        ctx = Context(store, T0)
        return ctx.suffix(5), ctx.suffix(5), ctx.uid()

    first, second = run(), run()
    assert first == second
    assert first[0] != first[1]
    assert all(ch in "bcdfghjklmnpqrstvwxz2456789" for ch in first[0])


def test_events_aggregate_repeats():
    store = MemoryStore()
    ctx = Context(store, T0)
    obj = ctx.create("configmaps", cm("x"))
    ctx.event(obj, "Normal", "Synced", "synced", component="test")
    later = Context(store, T0 + timedelta(seconds=5))
    ev = later.event(obj, "Normal", "Synced", "synced", component="test")
    events = store.list("events", "default")
    assert len(events) == 1
    assert (ev["count"], ev["firstTimestamp"], ev["lastTimestamp"]) == (2, "2026-11-25T12:00:00Z", "2026-11-25T12:00:05Z")
    assert ev["involvedObject"]["name"] == "x" and ev["source"] == {"component": "test"}
