"""`kctl describe`: kubectl 1.37's describe layout for each kind. Read-only."""

from __future__ import annotations

import click

from kctl.cli.common import parse_resource_args
from kctl.cli.options import global_flags, merge_globals
from kctl.errors import KctlError, NotFound, UsageError


class _Reader:
    """What describers may read: related objects, by resource and namespace."""

    def __init__(self, store):
        self._store = store

    def list(self, resource: str, namespace: str | None = None) -> list[dict]:
        return self._store.list(resource, namespace)

    def get(self, resource: str, namespace: str, name: str) -> dict | None:
        return self._store.get(resource, namespace, name)


@click.command("describe", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("args", nargs=-1)
@global_flags(output=False)
@click.option("-l", "--selector", "selector", help="Selector (label query) to filter on.")
@click.option("--show-events/--no-show-events", default=True, help="If true, display events related to the described object.")
@click.pass_context
def describe_cmd(ctx, args, store, namespace, all_namespaces, selector, show_events):
    """Show details of a specific resource or group of resources."""
    g = merge_globals(ctx, store=store, namespace=namespace, all_namespaces=all_namespaces)
    if not args:
        raise UsageError("You must specify the type of resource to describe. Use \"kctl api-resources\" for a complete list of supported resources.")
    requests = parse_resource_args(args)

    from kctl.cli.common import read_store
    from kctl.engine import cluster_now
    from kctl.printers.describe import describe, events_for

    store_ = read_store(g.store)
    chunks: list[str] = []
    errors: list[KctlError] = []
    try:
        now = cluster_now(store_)
        reader = _Reader(store_)
        found_any = False
        for kinds_, names in requests:
            for kind in kinds_:
                ns = g.effective_namespace if kind.namespaced else ""
                scope = None if (g.all_namespaces or not kind.namespaced) else ns
                targets = []
                if names:
                    for n in names:
                        o = store_.get(kind.resource, ns, n)
                        if o is not None:
                            targets.append(o)
                            continue
                        # kubectl describe falls back to a name-prefix match
                        prefixed = [x for x in store_.list(kind.resource, scope)
                                    if x["metadata"]["name"].startswith(n)]
                        if not prefixed:
                            errors.append(NotFound(kind.resource, n))
                        targets.extend(prefixed)
                else:
                    targets = store_.list(kind.resource, scope)
                if selector:
                    from kctl.api.selectors import parse_label_selector

                    try:
                        sel = parse_label_selector(selector)
                    except ValueError as e:
                        raise KctlError(f'the provided selector "{selector}" is not valid: {e}') from None
                    targets = [o for o in targets if sel.matches((o.get("metadata") or {}).get("labels") or {})]
                for o in targets:
                    found_any = True
                    events = None
                    if show_events:
                        ns_ev = (o.get("metadata") or {}).get("namespace") or None
                        events = events_for(kind, o, store_.list("events", ns_ev))
                    chunks.append(describe(kind, o, now=now, events=events, reader=reader))
    finally:
        store_.close()
    if chunks:
        # kubectl writes each describer's text (ending in a newline) then "\n\n" before the next
        click.echo(chunks[0] + "".join("\n\n" + c for c in chunks[1:]), nl=False)
    elif not errors and not found_any:
        namespaced = any(k.namespaced for ks, _ in requests for k in ks)
        if g.all_namespaces or not namespaced:
            click.echo("No resources found", err=True)
        else:
            click.echo(f"No resources found in {g.effective_namespace} namespace.", err=True)
    if errors:
        for e in errors[:-1]:
            click.echo(e.render(), err=True)
        raise errors[-1]
