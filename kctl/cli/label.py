"""`kctl label` and `kctl annotate`: kubectl 1.37's flags, checks and texts.

Both change metadata only (a merge patch upstream): metadata.generation does not move, the
rest of the object is untouched. The store write is followed by a converge (a label change
can make a ReplicaSet adopt or release pods, a Service select other endpoints).
"""

from __future__ import annotations

import copy

import click

from kctl.cli.common import parse_resource_args, ref, report, select_objects
from kctl.cli.options import filename_options, global_flags, merge_globals
from kctl.errors import Conflict, Invalid, KctlError, NotFound, UsageError

_DRY_RUN = ("none", "client", "server")


# ---------------------------------------------------------------------------- argument parsing
def split_resources_and_pairs(args: tuple[str, ...], pair_type: str) -> tuple[list[str], list[str]]:
    """cmdutil.GetResourcesAndPairs: resource args first, then `k=v` / `k-` changes."""
    resources: list[str] = []
    pairs: list[str] = []
    found = False
    for s in args:
        non_resource = ("=" in s and not s.startswith("=")) or (s.endswith("-") and s != "-")
        if non_resource:
            found = True
            pairs.append(s)
        elif found:
            raise UsageError(f"all resources must be specified before {pair_type} changes: {s}")
        else:
            resources.append(s)
    return resources, pairs


def parse_label_pairs(specs: list[str]) -> tuple[dict[str, str], list[str]]:
    """label.go parseLabels: `k=v` sets (value checked client-side), `k-` removes."""
    from kctl.api.validation import names

    labels: dict[str, str] = {}
    remove: list[str] = []
    for spec in specs:
        if "=" in spec:
            parts = spec.split("=")
            if len(parts) != 2:
                raise KctlError(f"invalid label spec: {spec}")
            errs = names.label_value(parts[1])
            if errs:
                raise KctlError(f'invalid label value: "{spec}": {";".join(errs)}')
            labels[parts[0]] = parts[1]
        elif spec.endswith("-"):
            remove.append(spec[:-1])
        else:
            raise KctlError(f"unknown label spec: {spec}")
    if any(r in labels for r in remove):
        raise KctlError("can not both modify and remove a label in the same command")
    return labels, remove


def parse_annotation_pairs(specs: list[str]) -> tuple[dict[str, str], list[str]]:
    """cmdutil.ParsePairs(..., "annotation", true) plus annotate's modify-and-remove check."""
    new: dict[str, str] = {}
    remove: list[str] = []
    invalid: list[str] = []
    for spec in specs:
        if "=" in spec and not spec.startswith("="):
            k, _, v = spec.partition("=")
            new[k] = v
        elif spec.endswith("-") and spec != "-":
            remove.append(spec[:-1])
        else:
            invalid.append(spec)
    if invalid:
        raise KctlError(f"invalid annotation format: {', '.join(invalid)}")
    both = [r for r in remove if r in new]
    if both:
        raise KctlError("can not both modify and remove the following annotation(s) in the same command: "
                        + ", ".join(both))
    return new, remove


# ---------------------------------------------------------------------------- pure updates
def apply_labels(meta: dict, new: dict[str, str], remove: list[str], overwrite: bool) -> tuple[set, set]:
    """label.go labelFunc on `meta` in place: returns (added-or-changed keys, removed keys)."""
    current = dict(meta.get("labels") or {})
    if not overwrite:
        errs = [f"'{k}' already has a value ({current[k]}), and --overwrite is false"
                for k in sorted(new) if k in current and current[k] != new[k]]
        if len(errs) == 1:
            raise KctlError(errs[0])
        if errs:
            raise KctlError("[" + ", ".join(errs) + "]")  # utilerrors aggregate form
    added, removed = set(), set()
    for k, v in new.items():
        if current.get(k) != v:
            current[k] = v
            added.add(k)
    for k in remove:
        if k in current:
            del current[k]
            removed.add(k)
    meta["labels"] = current
    if not current:
        meta.pop("labels")
    return added, removed


def label_message(added: set, removed: set) -> str:
    """updateDataChangeMsg."""
    if added and removed:
        return "modified"
    if added:
        return "labeled"
    if removed:
        return "unlabeled"
    return "not labeled"


def apply_annotations(meta: dict, new: dict[str, str], remove: list[str], overwrite: bool) -> None:
    """annotate.go updateAnnotations on `meta` in place."""
    current = dict(meta.get("annotations") or {})
    if not overwrite:
        found = [f"'{k}' already has a value ({current[k]})" for k in sorted(new)
                 if k != "kubernetes.io/change-cause" and k in current and current[k] != new[k]]
        if found:
            raise KctlError("--overwrite is false but found the following declared annotation(s): "
                            + "; ".join(found))
    current.update(new)
    for k in remove:
        current.pop(k, None)
    meta["annotations"] = current
    if not current:
        meta.pop("annotations")


# ---------------------------------------------------------------------------- command body
def _options(verb: str):
    what = "labels" if verb == "label" else "annotations"

    def deco(f):
        f = click.argument("args", nargs=-1)(f)
        f = filename_options(f)
        f = global_flags()(f)
        f = click.option("--overwrite", is_flag=True,
                         help=f"If true, allow {what} to be overwritten, otherwise reject {what[:-1]} updates that overwrite existing {what}.")(f)
        f = click.option("--list", "list_", is_flag=True, help=f"If true, display the {what} for a given resource.")(f)
        f = click.option("--all", "all_", is_flag=True, help="Select all resources, in the namespace of the specified resource types.")(f)
        f = click.option("-l", "--selector", "selector", default="", help="Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.")(f)
        f = click.option("--field-selector", "field_selector", default="", help="Selector (field query) to filter on, supports '=', '==', and '!='.")(f)
        f = click.option("--resource-version", "resource_version", default="",
                         help=f"If non-empty, the {what} update will only succeed if this is the current resource-version for the object. Only valid when specifying a single resource.")(f)
        f = click.option("--dry-run", "dry_run", default="none", metavar="STRATEGY",
                         help='Must be "none", "server", or "client".')(f)
        return f

    return deco


@click.command("label", context_settings={"help_option_names": ["-h", "--help"]})
@_options("label")
@click.pass_context
def label_cmd(ctx, args, filenames, recursive, store, namespace, all_namespaces, output, overwrite, list_, all_,
              selector, field_selector, resource_version, dry_run):
    """Update the labels on a resource.

    \b
    kctl label TYPE NAME KEY_1=VAL_1 ... KEY_N=VAL_N   (KEY- removes a label)
    kctl label pods -l app=web tier=front --overwrite
    """
    _run("label", ctx, args, filenames, recursive, store, namespace, all_namespaces, output, overwrite, list_,
         all_, selector, field_selector, resource_version, dry_run)


@click.command("annotate", context_settings={"help_option_names": ["-h", "--help"]})
@_options("annotate")
@click.pass_context
def annotate_cmd(ctx, args, filenames, recursive, store, namespace, all_namespaces, output, overwrite, list_, all_,
                 selector, field_selector, resource_version, dry_run):
    """Update the annotations on a resource.

    \b
    kctl annotate TYPE NAME KEY_1=VAL_1 ... KEY_N=VAL_N   (KEY- removes an annotation)
    """
    _run("annotate", ctx, args, filenames, recursive, store, namespace, all_namespaces, output, overwrite, list_,
         all_, selector, field_selector, resource_version, dry_run)


def _run(verb, ctx, args, filenames, recursive, store, namespace, all_namespaces, output, overwrite, list_,
         all_, selector, field_selector, resource_version, dry_run):
    g = merge_globals(ctx, store=store, namespace=namespace, all_namespaces=all_namespaces, output=output)
    pair_type = "label" if verb == "label" else "annotation"
    if dry_run not in _DRY_RUN:
        raise UsageError(f'Invalid dry-run value ({dry_run}). Must be "none", "server", or "client".')
    resources, pairs = split_resources_and_pairs(args, pair_type)
    if verb == "label":
        new, remove = parse_label_pairs(pairs)
    else:
        new, remove = parse_annotation_pairs(pairs)
    if list_ and g.output:
        raise UsageError("--list and --output may not be specified together")
    if g.output and g.output not in ("name", "yaml", "json"):
        raise UsageError(f'unable to match a printer suitable for the output format "{g.output}", '
                         "allowed formats are: json,name,yaml")
    if all_ and selector:
        raise UsageError("cannot set --all and --selector at the same time")
    if all_ and field_selector:
        raise UsageError("cannot set --all and --field-selector at the same time")
    if not resources and not filenames:
        raise UsageError("one or more resources must be specified as <resource> <name> or <resource>/<name>")
    if not new and not remove and not list_:
        raise UsageError(f"at least one {pair_type} update is required")

    from kctl.cli.common import writable_engine

    store_, engine = writable_engine(g.store)
    lines: list[str] = []
    errors: list[KctlError] = []
    try:
        with store_.transaction(dry_run=dry_run != "none"):
            targets, one = _targets(store_, g, resources, filenames, recursive, selector, field_selector, all_)
            if not one and resource_version:
                raise KctlError("--resource-version may only be used with a single resource")
            for kind, ns, name in targets:
                try:
                    lines.extend(_one(verb, store_, kind, ns, name, new, remove, overwrite, list_, one,
                                      resource_version, dry_run, g.output))
                except KctlError as e:
                    errors.append(e)
            if dry_run == "none" and not list_:
                engine.converge()
    finally:
        store_.close()
    report(lines, errors)


def _targets(store, g, resources, filenames, recursive, selector, field_selector, all_):
    """(kind, namespace, name) triples in kubectl's visiting order, and whether the request
    names a single object (IntoSingleItemImplied)."""
    out = []
    if filenames:
        from kctl.api import kinds as kinds_mod
        from kctl.cli.common import load_manifests

        for m in load_manifests(filenames, recursive):
            k = kinds_mod.for_object(m.obj.get("apiVersion") or "", m.obj.get("kind") or "")
            if k is None:
                raise KctlError(f'resource mapping not found for name: "{(m.obj.get("metadata") or {}).get("name", "")}" '
                                f'namespace: "" from "{m.source}": no matches for kind "{m.obj.get("kind")}" in version '
                                f'"{m.obj.get("apiVersion")}"\nensure CRDs are installed first')
            meta = m.obj.get("metadata") or {}
            ns = (meta.get("namespace") or g.effective_namespace) if k.namespaced else ""
            out.append((k, ns, meta.get("name") or ""))
        return out, len(out) == 1
    requests = parse_resource_args(tuple(resources))
    one = len(requests) == 1 and len(requests[0][0]) == 1 and len(requests[0][1]) == 1 and not (selector or all_)
    for kinds_, names in requests:
        for kind in kinds_:
            ns = g.effective_namespace if kind.namespaced else ""
            if names:
                out.extend((kind, ns, n) for n in names)
                continue
            if not (selector or all_ or field_selector):
                raise UsageError("resource(s) were provided, but no name was specified")
            scope = None if (g.all_namespaces or not kind.namespaced) else ns
            objs = select_objects(store, kind, scope, selector=selector, field_selector=field_selector)
            out.extend((kind, o["metadata"].get("namespace", "") if kind.namespaced else "", o["metadata"]["name"])
                       for o in objs)
    return out, one


def _one(verb, store, kind, ns, name, new, remove, overwrite, list_, one, resource_version, dry_run, output) -> list[str]:
    from kctl.api import strategy

    live = store.get(kind.resource, ns, name)
    if live is None:
        raise NotFound(kind.resource, name)
    obj = copy.deepcopy(live)
    meta = obj.setdefault("metadata", {})
    lines: list[str] = []
    if verb == "label":
        if not list_ and dry_run != "client":
            lines.extend(f'label "{k}" not found.' for k in remove if k not in (meta.get("labels") or {}))
        added, removed = apply_labels(meta, new, remove, overwrite)
        message = label_message(added, removed)
        changed = bool(added or removed)
    else:
        apply_annotations(meta, new, remove, overwrite)
        message = "annotated"
        changed = meta.get("annotations") != (live.get("metadata") or {}).get("annotations")

    if list_:
        field = "labels" if verb == "label" else "annotations"
        items = sorted((meta.get(field) or {}).items())
        if one:
            return [f"{k}={v}" for k, v in items]
        return [f"Listing {field} for {kind.kind}.{kind.group}/{name}:"] + [f" {k}={v}" for k, v in items]

    written = obj
    if resource_version and resource_version != (live.get("metadata") or {}).get("resourceVersion"):
        raise Conflict(kind.resource, name)
    if changed and dry_run != "client":
        errs = _validate_meta(verb, meta)
        if errs:
            raise Invalid(kind.kind, name, errs)
        strategy.prepare_for_update(kind, obj, live)
        from kctl.api.managedfields import record_update
        from kctl.engine import cluster_now, rfc3339

        record_update(kind, live, obj, f"kubectl-{verb}", rfc3339(cluster_now(store)))
        written = store.update(kind.resource, obj, expected_rv=(live.get("metadata") or {}).get("resourceVersion"))
    elif not changed:
        written = live
    if output in ("yaml", "json"):
        from kctl.printers import yaml_json

        text = yaml_json.to_yaml(written) if output == "yaml" else yaml_json.to_json(written)
        lines.append(text.rstrip("\n"))
        return lines
    suffix = {"none": "", "client": " (dry run)", "server": " (server dry run)"}[dry_run]
    lines.append(f"{ref(kind, name)} {message}{suffix}")
    return lines


def _validate_meta(verb: str, meta: dict) -> list:
    from kctl.api.validation import meta as vmeta

    if verb == "label":
        return vmeta.validate_labels(meta.get("labels") or {}, "metadata.labels")
    return vmeta.validate_annotations(meta.get("annotations") or {}, "metadata.annotations")
