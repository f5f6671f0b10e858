"""`kctl get`: list or show objects the way kubectl 1.37 prints them. Read-only."""

from __future__ import annotations

import click

from kctl.cli.common import parse_resource_args
from kctl.cli.options import global_flags, merge_globals
from kctl.errors import KctlError, NotFound, StatusError, UsageError



def _output_file_text(output: str | None) -> str | None:
    """Check -o before touching the store; read the file of the *-file formats."""
    from kctl.printers.get import PrinterError, parse_output

    try:
        fmt, arg = parse_output(output)
    except PrinterError as e:
        raise UsageError(str(e)) from None
    if fmt.endswith("-file"):
        try:
            with open(arg, encoding="utf-8") as fh:
                return fh.read()
        except OSError as e:
            raise KctlError(f"error reading template {arg}, {e.strerror.lower() if e.strerror else e}") from None
    return None

_NO_TYPE = ("Required resource not specified.\n"
            'Use "kctl explain <resource>" for a detailed description of that resource (e.g. kctl explain pods).\n'
            "See 'kctl get -h' for help and examples")


@click.command("get", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("args", nargs=-1)
@global_flags()
@click.option("-l", "--selector", "selector", help="Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.")
@click.option("--field-selector", "field_selector", help="Selector (field query) to filter on, supports '=', '==', and '!='.")
@click.option("--sort-by", "sort_by", help="If non-empty, sort list types using this field specification (JSONPath).")
@click.option("--show-labels", is_flag=True, help="When printing, show all labels as the last column.")
@click.option("-L", "--label-columns", "label_columns", multiple=True, help="Accepts a comma separated list of labels that are going to be presented as columns.")
@click.option("--no-headers", is_flag=True, help="When using the default or custom-column output format, don't print headers.")
@click.option("--ignore-not-found", is_flag=True, help="If set to true, suppresses NotFound error for specific objects that do not exist.")
@click.option("--show-kind", is_flag=True, help="If present, list the resource type for the requested object(s).")
@click.pass_context
def get_cmd(ctx, args, store, namespace, all_namespaces, output, selector, field_selector, sort_by,
            show_labels, label_columns, no_headers, ignore_not_found, show_kind):
    """Display one or many resources."""
    g = merge_globals(ctx, store=store, namespace=namespace, all_namespaces=all_namespaces, output=output)
    file_text = _output_file_text(g.output)
    if not args:
        raise UsageError(_NO_TYPE)
    requests = parse_resource_args(args)
    label_cols = [c for spec in label_columns for c in spec.split(",") if c]

    from kctl.cli.common import read_store

    label_sel = field_sel = None
    from kctl.api.selectors import SelectorError, parse_field_selector, parse_label_selector, unable_to_find_message

    def bad_selector(kind, err) -> StatusError:
        # the API server rejects the list request: kubectl relays its BadRequest
        return StatusError("Error from server (BadRequest): " + unable_to_find_message(
            kind.group, kind.version, kind.plural, selector or "", field_selector or "", err))

    if selector:
        try:
            label_sel = parse_label_selector(selector)
        except SelectorError as e:
            raise bad_selector(requests[0][0][0], e) from None
    if any(k.resource == "endpoints" for ks, _ in requests for k in ks):
        # the API server's deprecation warning since 1.33, which kubectl relays
        click.echo("Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice", err=True)
    store_ = read_store(g.store)
    groups = []  # (kind, objs)
    errors: list[KctlError] = []
    any_named = False
    try:
        for kinds_, names in requests:
            for kind in kinds_:
                ns = g.effective_namespace if kind.namespaced else ""
                if field_selector:
                    try:
                        field_sel = parse_field_selector(field_selector, kind.kind)
                    except SelectorError as e:
                        raise bad_selector(kind, e) from None
                if names:
                    any_named = True
                    objs = []
                    for n in names:
                        o = store_.get(kind.resource, ns, n)
                        if o is None:
                            if not ignore_not_found:
                                errors.append(NotFound(kind.resource, n))
                            continue
                        objs.append(o)
                else:
                    scope = None if (g.all_namespaces or not kind.namespaced) else ns
                    objs = store_.list(kind.resource, scope)
                if label_sel is not None:
                    objs = [o for o in objs if label_sel.matches((o.get("metadata") or {}).get("labels") or {})]
                if field_sel is not None:
                    objs = [o for o in objs if field_sel.matches(o)]
                groups.append((kind, objs))
        from kctl.engine import cluster_now

        now = cluster_now(store_)
    finally:
        store_.close()

    from kctl.printers.get import PrinterError, no_resources_message, render_get

    kinds_requested = {k.resource for k, _ in groups}
    single = len(requests) == 1 and len(requests[0][1]) == 1 and len(kinds_requested) == 1
    try:
        text = render_get(
            groups,
            output=g.output,
            now=now,
            no_headers=no_headers,
            show_labels=show_labels,
            label_columns=label_cols,
            all_namespaces=g.all_namespaces,
            show_kind=show_kind or len(kinds_requested) > 1,
            sort_by=sort_by,
            single_item=single,
            file_text=file_text,
        )
    except PrinterError as e:
        raise KctlError(str(e)) from None
    if text:
        click.echo(text, nl=False)
    elif not any_named and not errors:
        all_namespaced = all(k.namespaced for k, _ in groups) and not g.all_namespaces
        click.echo(no_resources_message(g.effective_namespace, all_namespaced=all_namespaced), err=True)
    if errors:
        for e in errors[:-1]:
            click.echo(e.render(), err=True)
        raise errors[-1]
