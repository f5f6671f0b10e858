"""`kctl reconcile [--advance DURATION]`: converge now, or move cluster time forward.

Also home of the Go duration helpers the simulation verbs share (`--timeout`, `--advance`):
`parse_go_duration` (time.ParseDuration, with its error texts) and `format_go_duration`
(time.Duration.String).
"""

from __future__ import annotations

import click

from kctl.cli.options import merge_globals
from kctl.errors import KctlError

_UNITS = {"ns": 1, "us": 1_000, "µs": 1_000, "μs": 1_000, "ms": 1_000_000, "s": 1_000_000_000,
          "m": 60_000_000_000, "h": 3_600_000_000_000}


def _go_quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def parse_go_duration(text: str) -> float:
    """Seconds in `text` as Go's time.ParseDuration reads it ("30s", "5m", "1h30m", "1.5h",
    "-2m", "0"). Raises ValueError with Go's message, e.g. `time: invalid duration "x"`."""
    orig = text
    s = text
    neg = False
    if s and s[0] in "+-":
        neg = s[0] == "-"
        s = s[1:]
    if s == "0":
        return 0.0
    if not s:
        raise ValueError(f"time: invalid duration {_go_quote(orig)}")
    total = 0  # nanoseconds, exact
    from fractions import Fraction

    while s:
        if not (s[0].isdigit() or s[0] == "."):
            raise ValueError(f"time: invalid duration {_go_quote(orig)}")
        i = 0
        while i < len(s) and s[i].isdigit():
            i += 1
        whole = s[:i]
        frac = ""
        if i < len(s) and s[i] == ".":
            j = i + 1
            while j < len(s) and s[j].isdigit():
                j += 1
            frac = s[i + 1:j]
            i = j
        if not whole and not frac:
            raise ValueError(f"time: invalid duration {_go_quote(orig)}")
        j = i
        while j < len(s) and not (s[j].isdigit() or s[j] == "."):
            j += 1
        unit = s[i:j]
        if not unit:
            raise ValueError(f"time: missing unit in duration {_go_quote(orig)}")
        if unit not in _UNITS:
            raise ValueError(f"time: unknown unit {_go_quote(unit)} in duration {_go_quote(orig)}")
        value = Fraction(int(whole or "0")) + (Fraction(int(frac), 10 ** len(frac)) if frac else 0)
        total += value * _UNITS[unit]
        if total > (1 << 63) - 1:
            raise ValueError(f"time: invalid duration {_go_quote(orig)}")
        s = s[j:]
    ns = int(total)
    return (-ns if neg else ns) / 1e9


def format_go_duration(seconds: float) -> str:
    """time.Duration(seconds).String(): "5m0s", "1h30m0s", "1.5s", "500ms", "0s"."""
    ns = round(seconds * 1e9)
    if ns == 0:
        return "0s"
    sign = "-" if ns < 0 else ""
    ns = abs(ns)
    if ns < 1_000_000_000:
        for unit, size in (("ms", 1_000_000), ("µs", 1_000), ("ns", 1)):
            if ns >= size or unit == "ns":
                return sign + _frac(ns, size) + unit
    h, rem = divmod(ns, 3_600_000_000_000)
    m, rem = divmod(rem, 60_000_000_000)
    out = sign
    if h:
        out += f"{h}h"
    if h or m:
        out += f"{m}m"
    return out + _frac(rem, 1_000_000_000) + "s"


def _frac(value: int, unit: int) -> str:
    whole, rest = divmod(value, unit)
    if not rest:
        return str(whole)
    digits = str(rest).rjust(len(str(unit)) - 1, "0").rstrip("0")
    return f"{whole}.{digits}"


def changed_objects(store, since_revision: int) -> int:
    """Distinct objects written since `since_revision` (Events not counted)."""
    keys = {(c.resource, c.namespace, c.name) for c in store.changes_since(since_revision)
            if c.resource not in ("events", "events.events.k8s.io")}
    return len(keys)


def summary(now, advanced: float | None, changed: int, next_due) -> str:
    """The one line `kctl reconcile` prints."""
    from kctl.controllers.context import rfc3339

    head = f"cluster time {rfc3339(now)}"
    if advanced is not None:
        head += f" (+{format_go_duration(advanced)})"
    noun = "object" if changed == 1 else "objects"
    tail = f"next timer at {rfc3339(next_due)}" if next_due is not None else "no timers pending"
    return f"{head}; {changed} {noun} changed; {tail}"


@click.command("reconcile", context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--advance", "advance", metavar="DURATION",
              help="Move cluster time forward by DURATION (Go syntax: 30s, 5m, 1h30m), firing every "
                   "timer that falls due on the way, in time order.")
@click.option("--store", "store", metavar="VALUE", help="Store location (see `kctl --help`).")
@click.pass_context
def reconcile_cmd(ctx, advance, store):
    """Converge the cluster now, or move cluster time forward.

    Without --advance: run the controllers, scheduler and kubelet until nothing changes at
    the current cluster time (timers that are due fire). With --advance DURATION: move
    cluster time forward by DURATION, stopping at each pending timer (readiness delays,
    back-offs, toleration seconds, progress deadlines) to converge there, then converge at
    the end.

    Prints one line: the cluster time reached (and how far it moved), how many objects
    changed (Events not counted), and when the next pending timer is due, e.g.

    \b
    cluster time 2026-11-25T12:05:00Z (+5m0s); 12 objects changed; next timer at 2026-11-25T12:06:40Z
    cluster time 2026-11-25T12:00:00Z; 0 objects changed; no timers pending
    """
    g = merge_globals(ctx, store=store)
    seconds = None
    if advance is not None:
        try:
            seconds = parse_go_duration(advance)
        except ValueError as e:
            raise click.UsageError(f'invalid argument "{advance}" for "--advance" flag: {e}', ctx=ctx) from None
        if seconds < 0:
            raise KctlError(f"--advance must not be negative, got {advance}")

    from kctl.cli.common import writable_engine
    from kctl.controllers import runner

    store_, engine = writable_engine(g.store)
    try:
        with store_.transaction():
            start = engine.now
            rev = store_.revision()
            if seconds is None:
                engine.converge()
                now = start
            else:
                now = runner.advance(store_, start, seconds)
            changed = changed_objects(store_, rev)
            next_due = runner.next_timer(store_)
    finally:
        store_.close()
    click.echo(summary(now, seconds, changed, next_due))
