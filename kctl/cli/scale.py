"""`kctl scale --replicas N [--current-replicas M] TYPE NAME` (kubectl 1.37's texts)."""

from __future__ import annotations

import copy

import click

from kctl.cli.common import parse_resource_args, ref
from kctl.cli.options import filename_options, global_flags, merge_globals
from kctl.errors import KctlError, StatusError, UsageError

_SCALABLE = {("apps", "Deployment"), ("apps", "ReplicaSet"), ("apps", "StatefulSet"),
             ("", "ReplicationController")}


@click.command("scale", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("args", nargs=-1)
@filename_options
@global_flags(all_namespaces=False)
@click.option("--replicas", type=int, default=None, help="The new desired number of replicas. Required.")
@click.option("--current-replicas", "current", type=int, default=-1,
              help="Precondition for current size. Requires that the current size of the resource match this value in order to scale. -1 (default) for no condition.")
@click.option("--resource-version", "resource_version", default="",
              help="Precondition for resource version. Requires that the current resource version match this value in order to scale.")
@click.option("-l", "--selector", "selector", default=None, help="Selector (label query) to filter on.")
@click.option("--all", "all_", is_flag=True, help="Select all resources in the namespace of the specified resource types")
@click.pass_context
def scale_cmd(ctx, args, filenames, recursive, store, namespace, output, replicas, current, resource_version, selector, all_):
    """Set a new size for a deployment, replica set, replication controller, or stateful set."""
    g = merge_globals(ctx, store=store, namespace=namespace, output=output)
    if replicas is None:
        raise KctlError('required flag(s) "replicas" not set')
    if replicas < 0:
        raise KctlError("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0")
    if current < -1:
        raise KctlError("The --current-replicas must specify an integer of -1 or greater")
    if not args and not filenames:
        raise UsageError("You must provide one or more resources by argument or filename.\n"
                         "Example resource specifications include:\n"
                         "   '-f rsrc.yaml'\n"
                         "   '--filename=rsrc.json'\n"
                         "   '<resource> <name>'\n"
                         "   '<resource>'")
    from kctl.cli.common import writable_engine
    from kctl.cli.rollout import get_live, write_update

    store_, engine = writable_engine(g.store)
    lines = []
    try:
        with store_.transaction():
            tgts = []
            if filenames:
                from kctl.cli.rollout import file_targets

                if args:
                    raise UsageError("when paths, URLs, or stdin is provided as input, you may not "
                                     "specify resource arguments as well")
                tgts = file_targets(filenames, recursive, g.effective_namespace)
            for kinds_, names in parse_resource_args(args):
                for kind in kinds_:
                    ns = g.effective_namespace if kind.namespaced else ""
                    if names:
                        tgts.extend((kind, ns, n) for n in names)
                        continue
                    if not selector and not all_:
                        raise UsageError("resource(s) were provided, but no name was specified")
                    objs = store_.list(kind.resource, ns)
                    if selector:
                        from kctl.api.selectors import parse_label_selector

                        sel = parse_label_selector(selector)
                        objs = [o for o in objs if sel.matches(o["metadata"].get("labels") or {})]
                    tgts.extend((kind, ns, o["metadata"]["name"]) for o in objs)
            if not tgts:
                raise KctlError("no objects passed to scale")
            if resource_version and len(tgts) > 1:
                raise KctlError("cannot use --resource-version with multiple resources")
            for kind, ns, name in tgts:
                if (kind.group, kind.kind) not in _SCALABLE:
                    raise StatusError('Error from server (NotFound): the server could not find the requested resource')
                live = get_live(store_, kind, ns, name)
                size = int((live.get("spec") or {}).get("replicas", 1) or 0)
                if current > -1 and current != size:
                    raise KctlError(f"Expected replicas to be {current}, was {size}")
                rv = (live.get("metadata") or {}).get("resourceVersion")
                if resource_version and resource_version != rv:
                    raise KctlError(f"Expected resource version to be {resource_version}, was {rv}")
                new = copy.deepcopy(live)
                new["spec"]["replicas"] = replicas
                write_update(store_, kind, live, new, field_manager="kubectl", subresource="scale")
                lines.append(f"{ref(kind, name)} scaled")
            engine.converge()
    finally:
        store_.close()
    for line in lines:
        click.echo(line)
