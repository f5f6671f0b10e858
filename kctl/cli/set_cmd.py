"""`kctl set image TYPE NAME CONTAINER=IMAGE...` (kubectl 1.37's texts)."""

from __future__ import annotations

import copy

import click

from kctl.cli.common import parse_resource_args, ref, report
from kctl.cli.options import filename_options, global_flags, merge_globals
from kctl.errors import KctlError, UsageError

_CTX = {"help_option_names": ["-h", "--help"]}


@click.group("set", context_settings=_CTX)
def set_group():
    """Configure application resources."""


def pod_spec_of(obj: dict) -> dict | None:
    """The pod spec inside a workload (or a Pod itself); None for other kinds."""
    kind = obj.get("kind")
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return None
    if kind == "Pod":
        return spec
    if kind == "CronJob":
        return (((spec.get("jobTemplate") or {}).get("spec") or {}).get("template") or {}).get("spec")
    if kind in ("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "ReplicationController"):
        return (spec.get("template") or {}).get("spec")
    return None


def set_images(spec: dict, images: dict[str, str]) -> list[str]:
    """Set container images in place; returns the names not found (kubectl's setImage:
    "*" means every container and init container)."""
    missing = []
    for name, image in images.items():
        found = False
        for group in ("initContainers", "containers"):
            for c in spec.get(group) or []:
                if name == "*" or c.get("name") == name:
                    c["image"] = image
                    found = True
        if not found:
            missing.append(name)
    return missing


@set_group.command("image", context_settings=_CTX)
@click.argument("args", nargs=-1)
@filename_options
@global_flags(all_namespaces=False)
@click.option("-l", "--selector", "selector", default=None, help="Selector (label query) to filter on.")
@click.option("--all", "all_", is_flag=True, help="Select all resources in the namespace of the specified resource types")
@click.pass_context
def image_cmd(ctx, args, filenames, recursive, store, namespace, output, selector, all_):
    """Update existing container image(s) of resources."""
    g = merge_globals(ctx, store=store, namespace=namespace, output=output)
    res_args = [a for a in args if "=" not in a]
    pairs = [a for a in args if "=" in a]
    errs = []
    if not res_args and not filenames:
        errs.append("one or more resources must be specified as <resource> <name> or <resource>/<name>")
    if not pairs:
        errs.append("at least one image update is required")
    images: dict[str, str] = {}
    for p in pairs:
        k, _, v = p.partition("=")
        images[k] = v
    if "*" in images and len(images) > 1:
        errs.append("all containers are already specified by *, but saw more than one container_name=container_image pairs")
    if errs:
        raise KctlError(errs[0] if len(errs) == 1 else "[" + ", ".join(errs) + "]")

    from kctl.cli.common import writable_engine
    from kctl.cli.rollout import get_live, write_update

    store_, engine = writable_engine(g.store)
    lines: list[str] = []
    errors: list[KctlError] = []
    try:
        with store_.transaction():
            tgts = []
            if filenames:
                from kctl.cli.rollout import file_targets

                tgts = file_targets(filenames, recursive, g.effective_namespace)
            for kinds_, names in parse_resource_args(tuple(res_args)):
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
            for kind, ns, name in tgts:
                live = get_live(store_, kind, ns, name)
                new = copy.deepcopy(live)
                spec = pod_spec_of(new)
                if spec is None:
                    errors.append(KctlError(f"{ref(kind, name)} the object is not a pod or does not have a pod template: {kind.kind}"))
                    continue
                for n in set_images(spec, images):
                    errors.append(KctlError(f'unable to find container named "{n}"'))
                if new == live:
                    continue  # no changes: kubectl prints nothing
                write_update(store_, kind, live, new, field_manager="kubectl-set")
                lines.append(f"{ref(kind, name)} image updated")
            engine.converge()
    finally:
        store_.close()
    report(lines, errors)
