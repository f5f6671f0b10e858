"""`kctl get`: list or show objects the way kubectl 1.37 prints them. Read-only."""

from __future__ import annotations

import click

from kctl.cli.common import parse_resource_args, report
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

def _file_requests(filenames, recursive, g):
    """`get -f`: one named request per object of the files, in file order, with its namespace."""
    from kctl.api import kinds
    from kctl.cli.common import load_manifests

    out, mismatches = [], []
    for m in load_manifests(filenames, recursive):
        obj = m.obj
        kind = kinds.for_object(obj.get("apiVersion", ""), obj.get("kind", ""))
        meta = obj.get("metadata") or {}
        if kind is None:
            raise KctlError(f'resource mapping not found for name: "{meta.get("name", "")}" namespace: '
                            f'"{meta.get("namespace", "")}" from "{m.source}": no matches for kind '
                            f'"{obj.get("kind", "")}" in version "{obj.get("apiVersion", "")}"\n'
                            "ensure CRDs are installed first")
        if not kinds.is_builtin(kind.group, kind.kind):
            # a custom resource is read in the file's version (the mapping kubectl makes of it)
            from dataclasses import replace

            kind = replace(kind, version=kinds.split_api_version(obj.get("apiVersion") or "")[1])
        if kind.kind == "NodeInventory":
            # kctl's inventory is stored as the Nodes it expands to
            from kctl.scheduler.inventory import expand

            node_kind = kinds.by_group_kind("", "Node")
            out.extend(([node_kind], [n["metadata"]["name"]], None) for n in expand(obj))
            continue
        ns = meta.get("namespace") or None
        if kind.namespaced and ns and g.namespace and ns != g.namespace:
            mismatches.append(f'the namespace from the provided object "{ns}" does not match the namespace '
                              f'"{g.namespace}". You must pass \'--namespace={ns}\' to perform this operation.')
            continue
        out.append(([kind], [meta.get("name", "")], ns))
    if mismatches:
        raise StatusError("\n".join(mismatches))
    return out


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
@click.option("--show-managed-fields", "show_managed_fields", is_flag=True,
              help="If true, keep the managedFields when printing objects in JSON or YAML format.")
@click.option("-f", "--filename", "filenames", multiple=True, metavar="PATH",
              help="Filename, directory, or URL to files identifying the resource to get from a server.")
@click.option("-R", "--recursive", is_flag=True, default=False,
              help="Process the directory used in -f, --filename recursively.")
@click.option("-w", "--watch", "watch", is_flag=True, help="Not supported: kctl's cluster only changes when a kctl command runs.")
@click.option("--watch-only", "watch_only", is_flag=True, help="Not supported (see --watch).")
@click.pass_context
def get_cmd(ctx, args, store, namespace, all_namespaces, output, selector, field_selector, sort_by,
            show_labels, label_columns, no_headers, ignore_not_found, show_kind, show_managed_fields, filenames,
            recursive, watch, watch_only):
    """Display one or many resources."""
    g = merge_globals(ctx, store=store, namespace=namespace, all_namespaces=all_namespaces, output=output)
    if watch or watch_only:
        raise KctlError(f"{'--watch' if watch else '--watch-only'} is not supported by kctl: the cluster only "
                        "changes when a kctl command runs; run `kctl get` again after it")
    if not args and not filenames:
        click.echo('You must specify the type of resource to get. Use "kctl api-resources" for a complete '
                   "list of supported resources.\n", err=True)
        raise UsageError(_NO_TYPE)
    # kubectl's Validate(): printer flag combinations
    out_fmt = g.output or ""
    if show_labels and out_fmt not in ("", "wide"):
        raise KctlError(f"--show-labels option cannot be used with {out_fmt} printer")
    if label_columns and out_fmt.startswith("custom-columns"):
        raise KctlError(f"--label-columns option cannot be used with {out_fmt} printer")
    file_text = _output_file_text(g.output)
    if filenames and args:
        raise UsageError("when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well")
    requests = [(ks, names, None) for ks, names in parse_resource_args(args)]
    from kctl.cli.common import check_names_with_selector

    check_names_with_selector(args, bool(selector or field_selector))
    if filenames:
        requests = _file_requests(filenames, recursive, g)
    if g.all_namespaces and not filenames and any(names and any(k.namespaced for k in ks) for ks, names, _ in requests):
        raise KctlError("a resource cannot be retrieved by name across all namespaces")
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
    if any(k.resource == "endpoints" for ks, _, _ in requests for k in ks):
        # the API server's deprecation warning since 1.33, which kubectl relays
        click.echo("Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice", err=True)
    store_ = read_store(g.store)
    groups = []  # (kind, objs)
    errors: list[KctlError] = []
    any_named = False
    info_kinds: set[str] = set()  # kinds kubectl's builder returned something for
    table_infos = 0  # kubectl's builder: one result per kind listed, one per object fetched by name
    try:
        for kinds_, names, file_ns in requests:
            for kind in kinds_:
                ns = (file_ns or g.effective_namespace) if kind.namespaced else ""
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
                    # the store checks labels from their own column before parsing any body
                    objs = store_.list(kind.resource, scope, label_filter=label_sel)
                if label_sel is not None and names:
                    objs = [o for o in objs if label_sel.matches((o.get("metadata") or {}).get("labels") or {})]
                if field_sel is not None:
                    objs = [o for o in objs if field_sel.matches(o)]
                objs = _custom_in_version(kind, objs)
                table_infos += len(objs) if names else 1
                if names and not objs:
                    continue  # nothing found: kubectl's builder has no result for it (no kind prefix)
                if groups and filenames and groups[-1][0] == kind:
                    groups[-1][1].extend(objs)  # kubectl prints consecutive objects of a kind in one table
                else:
                    groups.append((kind, objs))
                if objs or not names:
                    info_kinds.add(kind.resource)
        from kctl.engine import cluster_now

        now = cluster_now(store_)
    finally:
        store_.close()

    from kctl.printers.get import PrinterError, no_resources_message, render_get

    kinds_requested = {k.resource for k, _ in groups}
    if filenames:
        single = len(requests) == 1
    else:
        single = len(requests) == 1 and len(requests[0][1]) == 1 and len(requests[0][0]) == 1
    try:
        text = render_get(
            groups,
            output=g.output,
            now=now,
            no_headers=no_headers,
            show_labels=show_labels,
            label_columns=label_cols,
            all_namespaces=g.all_namespaces,
            show_kind=show_kind or len(info_kinds) > 1,
            sort_by=sort_by,
            single_item=single,
            file_text=file_text,
            table_infos=table_infos,
            show_managed_fields=show_managed_fields,
        )
    except PrinterError as e:
        raise KctlError(str(e)) from None
    if text:
        click.echo(text, nl=False)
    elif (g.output or "") in ("", "wide") and not ignore_not_found and not errors:
        # kubectl says so only for tables (its other printers always write or stay silent)
        all_namespaced = all(k.namespaced for k, _ in groups) and not g.all_namespaces
        click.echo(no_resources_message(g.effective_namespace, all_namespaced=all_namespaced), err=True)
    report([], errors)


def _custom_in_version(kind, objs: list) -> list:
    """Custom resources as the server returns them: in the version requested (the preferred
    one unless `resource.version.group` named another), with its warnings."""
    from kctl.api import kinds

    reg = kinds.crd_registry()
    crd = reg.crd_of(kind) if reg is not None and not kinds.is_builtin(kind.group, kind.kind) else None
    if crd is None:
        return objs
    from kctl.api.crd import admit
    from kctl.engine import cr_version_warnings

    cr_version_warnings(kind, kind.version, lambda text: click.echo(text, err=True), reading=True)
    return [admit.read_in_version(crd, o, kind.version) for o in objs]
