"""`kctl reconcile [--advance DURATION]`: converge now, or move cluster time forward."""

from __future__ import annotations

import click

from kctl.api.duration import format_go_duration, parse_go_duration
from kctl.cli.options import merge_globals
from kctl.errors import KctlError

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
