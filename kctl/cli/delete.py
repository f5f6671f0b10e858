"""`kctl delete`: by name, -f, -l, --all; kubectl 1.37's texts."""

from __future__ import annotations

import click

from kctl.cli.common import delete_ref, parse_resource_args, report
from kctl.cli.options import filename_options, global_flags, merge_globals
from kctl.errors import KctlError, NotFound, UsageError

_CASCADE = {"background": "background", "true": "background", "foreground": "foreground",
            "orphan": "orphan", "false": "orphan"}
_NO_ARGS = ("You must provide one or more resources by argument or filename.\n"
            "Example resource specifications include:\n"
            "   '-f rsrc.yaml'\n"
            "   '--filename=rsrc.json'\n"
            "   '<resource> <name>'\n"
            "   '<resource>'")


@click.command("delete", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("args", nargs=-1)
@filename_options
@global_flags()
@click.option("-l", "--selector", "selector", help="Selector (label query) to filter on.")
@click.option("--all", "all_", is_flag=True, help="Delete all resources, in the namespace of the specified resource types.")
@click.option("--ignore-not-found", is_flag=True, help='Treat "resource not found" as a successful delete.')
@click.option("--cascade", default="background", metavar="MODE",
              help='Must be "background", "orphan", or "foreground".')
@click.option("--wait/--no-wait", default=True, help="Accepted for kubectl compatibility; deletes here are immediate.")
@click.option("--now", is_flag=True, help="If true, resources are signaled for immediate shutdown (same as --grace-period=1).")
@click.option("--force", is_flag=True, help="If true, immediately remove resources from the store, bypassing graceful deletion.")
@click.option("--grace-period", type=int, default=-1, help="Period of time in seconds given to the resource to terminate gracefully. -1 uses the object's default.")
@click.pass_context
def delete_cmd(ctx, args, filenames, recursive, store, namespace, all_namespaces, output, selector, all_,
               ignore_not_found, cascade, wait, now, force, grace_period):
    """Delete resources by file names, stdin, resources and names, or by resources and label selector."""
    g = merge_globals(ctx, store=store, namespace=namespace, all_namespaces=all_namespaces, output=output)
    if cascade.lower() not in _CASCADE:
        raise UsageError(f'invalid cascade value ({cascade}). Must be "background", "foreground", or "orphan"')
    if cascade.lower() in ("true", "false"):
        click.echo(f"warning: --cascade={cascade.lower()} is deprecated (boolean value) and can be replaced "
                   f"with --cascade={_CASCADE[cascade.lower()]}.", err=True)
    cascade = _CASCADE[cascade.lower()]
    if g.output not in (None, "name"):
        raise UsageError(f"unexpected -o output mode: {g.output}. We only support '-o name'")
    if filenames and args:
        raise UsageError("when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well")
    if not filenames and not args:
        raise UsageError(_NO_ARGS)

    from kctl.cli.common import writable_engine
    from kctl.controllers.gc import FORCE_WARNING, kubectl_grace_period

    try:
        gp = kubectl_grace_period(grace_period, now, force)
    except ValueError as e:
        raise UsageError(str(e)) from None

    targets = []  # (kind, namespace, name)
    store_, engine = writable_engine(g.store)
    errors: list[KctlError] = []
    printed: list[str] = []
    try:
        with store_.transaction():
            if filenames:
                from kctl.cli.common import load_manifests
                from kctl.engine import intake, ApplyOptions

                from kctl.engine import AdmissionFailed

                admitted, bad = intake(load_manifests(filenames, recursive),
                                       ApplyOptions(namespace=g.namespace, validate="ignore"), lambda _w: None)
                if bad:
                    raise AdmissionFailed(bad)
                for a in sorted(admitted, key=lambda a: -a.kind.apply_rank):
                    meta = a.obj.get("metadata") or {}
                    targets.append((a.kind, meta.get("namespace", "") if a.kind.namespaced else "", meta.get("name", "")))
            else:
                for kinds_, names in parse_resource_args(args):
                    for kind in kinds_:
                        ns = g.effective_namespace if kind.namespaced else ""
                        if names:
                            if g.all_namespaces and kind.namespaced:
                                raise UsageError("a resource cannot be retrieved by name across all namespaces")
                            if selector or all_:
                                raise UsageError("name cannot be provided when a selector is specified" if selector else "name cannot be provided when --all is specified")
                            targets.extend((kind, ns, n) for n in names)
                            continue
                        if not selector and not all_:
                            raise UsageError("resource(s) were provided, but no name was specified")
                        scope = None if (g.all_namespaces or not kind.namespaced) else ns
                        objs = store_.list(kind.resource, scope)
                        if selector:
                            from kctl.api.selectors import parse_label_selector

                            try:
                                sel = parse_label_selector(selector)
                            except ValueError as e:
                                raise KctlError(f'the provided selector "{selector}" is not valid: {e}') from None
                            objs = [o for o in objs if sel.matches((o.get("metadata") or {}).get("labels") or {})]
                        targets.extend((kind, (o["metadata"].get("namespace") or ""), o["metadata"]["name"]) for o in objs)
            for kind, ns, name in targets:
                try:
                    engine.delete(kind, ns, name, cascade=cascade, grace_period=gp)
                except NotFound as e:
                    if not ignore_not_found:
                        errors.append(e)
                    continue
                where = f" from {ns} namespace" if kind.namespaced else ""
                verb = "force deleted" if gp == 0 else "deleted"
                if g.output == "name":
                    printed.append(f"{delete_ref(kind)}/{name}")
                else:
                    printed.append(f'{delete_ref(kind)} "{name}" {verb}{where}')
            engine.converge()
    finally:
        store_.close()
    if gp == 0 and printed:
        click.echo(FORCE_WARNING, err=True)
    for line in printed:
        click.echo(line)
    if not targets and not filenames and (selector or all_):
        click.echo("No resources found")  # kubectl prints this one on stdout
    report([], errors)
