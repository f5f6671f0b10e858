"""`kctl describe`: kubectl 1.37's describe layout for each kind. Read-only."""

from __future__ import annotations

import click

from kctl.cli.common import parse_resource_args, report
from kctl.cli.options import global_flags, merge_globals
from kctl.errors import KctlError, NotFound, UsageError


def _candidate_events(store, obj: dict) -> list[dict]:
    """Events that may be about `obj`. kctl's recorder names events `<object>.<hex>` (as
    client-go does), so on the SQL stores a name-prefix lookup avoids reading every event of
    a large cluster; events_for() then applies kubectl's involvedObject match."""
    meta = obj.get("metadata") or {}
    ns = meta.get("namespace") or None
    if not hasattr(store, "list_prefix"):
        return store.list("events", ns)
    spaces = [ns] if ns else [name for _, name in store.keys("namespaces")]
    return [e for space in spaces for e in store.list_prefix("events", space, meta.get("name", "") + ".")]


class _Reader:
    """What describers may read: related objects, by resource and namespace."""

    def __init__(self, store):
        self._store = store

    def list(self, resource: str, namespace: str | None = None, **filters) -> list[dict]:
        return self._store.list(resource, namespace, **filters)

    def get(self, resource: str, namespace: str, name: str) -> dict | None:
        return self._store.get(resource, namespace, name)


@click.command("describe", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("args", nargs=-1)
@global_flags(output=False)
@click.option("-l", "--selector", "selector", help="Selector (label query) to filter on.")
@click.option("--show-events", "show_events", is_flag=False, flag_value="true", default=None, metavar="BOOL",
              help="If true, display events related to the described object (default: only when one object is described).")
@click.option("-f", "--filename", "filenames", multiple=True, metavar="PATH",
              help="Filename, directory, or URL to files containing the resource to describe.")
@click.option("-R", "--recursive", is_flag=True, default=False,
              help="Process the directory used in -f, --filename recursively.")
@click.pass_context
def describe_cmd(ctx, args, store, namespace, all_namespaces, selector, show_events, filenames, recursive):
    """Show details of a specific resource or group of resources."""
    g = merge_globals(ctx, store=store, namespace=namespace, all_namespaces=all_namespaces)
    if not args and not filenames:
        raise UsageError("You must specify the type of resource to describe. Use \"kctl api-resources\" for a complete list of supported resources.")
    if show_events is not None:
        if show_events.lower() not in ("true", "false", "1", "0", "t", "f"):
            raise click.UsageError(f'invalid argument "{show_events}" for "--show-events" flag: strconv.ParseBool: '
                                   f'parsing "{show_events}": invalid syntax', ctx=ctx)
        show_events = show_events.lower() in ("true", "1", "t")
    requests = [(ks, names, None) for ks, names in parse_resource_args(args)]
    from kctl.cli.common import check_names_with_selector

    check_names_with_selector(args, bool(selector))
    if filenames:
        from kctl.cli.get import _file_requests

        requests = _file_requests(filenames, recursive, g)
    elif g.all_namespaces and any(names and any(k.namespaced for k in ks) for ks, names, _ in requests):
        raise KctlError("a resource cannot be retrieved by name across all namespaces")
    if any(k.resource == "endpoints" for ks, _, _ in requests for k in ks):
        # the API server's deprecation warning, which kubectl relays
        click.echo("Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice", err=True)
    # kubectl falls back to a name-prefix match only for `describe TYPE NAME` (two arguments)
    prefix_ok = len(args) == 2 and "/" not in args[0] and "/" not in args[1]

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
        found: list = []
        prefix_used = False
        for kinds_, names, file_ns in requests:
            for kind in kinds_:
                ns = (file_ns or g.effective_namespace) if kind.namespaced else ""
                scope = None if (g.all_namespaces or not kind.namespaced) else ns
                targets = []
                if names:
                    for n in names:
                        o = store_.get(kind.resource, ns, n)
                        if o is not None:
                            targets.append(o)
                            continue
                        # kubectl describe falls back to a name-prefix match
                        # (kubectl searches the request namespace here, even with -A)
                        prefixed = [x for x in store_.list(kind.resource, ns if kind.namespaced else None)
                                    if x["metadata"]["name"].startswith(n)] if prefix_ok else []
                        if not prefixed:
                            errors.append(NotFound(kind.resource, n))
                        else:
                            prefix_used = True
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
                from kctl.cli.get import _custom_in_version  # custom resources as a GET returns them

                found.extend((kind, o) for o in _custom_in_version(kind, targets))
        # kubectl hides events when several objects (or an error, a prefix match) are described,
        # unless --show-events was given
        if show_events is None:
            show_events = not errors and not prefix_used and len(found) <= 1
        for kind, o in found:
            found_any = True
            events = None
            if show_events:
                events = events_for(kind, o, _candidate_events(store_, o))
            chunks.append(describe(kind, o, now=now, events=events, reader=reader))
    finally:
        store_.close()
    if chunks and prefix_used:
        # kubectl's DescribeMatchingResources prints each text followed by one newline
        click.echo("".join(c + "\n" for c in chunks), nl=False)
    elif chunks:
        # kubectl writes each describer's text (ending in a newline) then "\n\n" before the next
        click.echo(chunks[0] + "".join("\n\n" + c for c in chunks[1:]), nl=False)
    elif not errors and not found_any:
        # kubectl names the request namespace even for cluster-scoped kinds
        if g.all_namespaces:
            click.echo("No resources found", err=True)
        else:
            click.echo(f"No resources found in {g.effective_namespace} namespace.", err=True)
    report([], errors)
