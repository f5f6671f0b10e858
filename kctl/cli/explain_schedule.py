"""`kctl explain-schedule pod/NAME [-n NS]`: why the scheduler places a pod where it does."""

from __future__ import annotations

import click

from kctl.cli.options import global_flags, merge_globals
from kctl.errors import UsageError


@click.command("explain-schedule", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("target", required=False)
@global_flags(all_namespaces=False, output=False)
@click.pass_context
def explain_schedule_cmd(ctx, target, store, namespace):
    """Explain the scheduler's decision for a pod. Read-only: nothing is written.

    \b
    Prints, for pod/NAME (or NAME):
      PREFILTER  plugins that rejected the pod outright or narrowed the nodes
      FILTER     one row per node and filter plugin: NODE, PLUGIN, VERDICT
                 (Success | Unschedulable | UnschedulableAndUnresolvable) and
                 REASON (fuller than the event: the taint key=value:effect,
                 requested/used/allocatable numbers, the clashing host port)
      SCORE      one row per feasible node: each score plugin's normalized
                 score (0-100) with its weight in the header, and TOTAL
      Result     the chosen node (ties: lowest name), or the FailedScheduling
                 message the scheduler records, and any preemption it would do.
    Plugins and weights are kube-scheduler 1.37's default profile (ImageLocality
    is left out: simulated nodes cache no images). A pod already bound is
    evaluated as if it were pending, without counting itself.

    \b
    Examples:
      kctl explain-schedule pod/web-7d4b9c8f5-abcde
      kctl explain-schedule big -n batch
    """
    g = merge_globals(ctx, store=store, namespace=namespace)
    if not target:
        raise UsageError("You must specify a pod: kctl explain-schedule pod/NAME [-n NS]")
    kind, sep, name = target.partition("/")
    if not sep:
        kind, name = "pod", target
    if kind not in ("pod", "pods", "po") or not name:
        raise UsageError(f'explain-schedule explains pods only, not "{target}"')
    from kctl.cli.common import read_store
    from kctl.printers.table import render_table
    from kctl.scheduler.explain import explain

    store_ = read_store(g.store)
    try:
        text = explain(store_, g.effective_namespace, name, render_table)
    finally:
        store_.close()
    click.echo(text, nl=False)
