"""`kctl apply --prune`: kubectl 1.37's allowlist-based pruning (pkg/cmd/apply/prune.go,
pkg/util/prune/prune.go; flag checks in ApplyOptions.Validate, `-l` filtering of the file's
objects in cli-runtime's builder).

After a successful apply, every object of an allowlisted kind that carries the
last-applied-configuration annotation, matches `-l` (if given) and was not among the applied
objects is deleted through the API server's delete path (propagation Background, kubectl
apply's default cascade), so what it owns is garbage-collected by converge. Namespaced kinds
are looked for in the namespaces the apply visited (plus `-n`); cluster-scoped kinds
everywhere. Printed as `configmap/old pruned` (`(dry run)` / `(server dry run)` suffixes).

How to wire into kctl/cli/apply.py (the lead owns it; the same as a diff in
/work/notes/prune-apply.diff):

    from kctl.cli.prune import prune_options                  # with the module's imports

    @prune_options                                            # just above @click.pass_context
    @click.pass_context
    def apply_cmd(ctx, ..., show_managed_fields=False,
                  selector=None, prune=False, prune_allowlist=(), all_=False):   # new parameters

    # right after `if not filenames: raise UsageError("must specify one of -f and -k")`:
    from kctl.cli.prune import check_prune_flags, select_admitted

    allowlist = check_prune_flags(prune=prune, selector=selector, all_=all_, allowlist=prune_allowlist,
                                  server_side=server_side)

    # right after `admitted, intake_errors = intake(manifests, opts, warn)` (kubectl's builder
    # drops the file's objects -l does not match, with or without --prune):
    admitted = select_admitted(admitted, selector)
    if not admitted and not intake_errors:
        raise UsageError("no objects passed to apply")

    # inside the transaction, after `results = engine.apply(...)` / `server_side_apply(...)`,
    # before `engine.converge()` (which then garbage-collects what the pruned objects owned):
    pruned = []
    if prune:
        from kctl.cli.prune import run_prune

        pruned = run_prune(store, engine, results, selector=selector, allowlist=allowlist, all_=all_,
                           namespace_flag=g.namespace, dry_run=dry_run, output=g.output,
                           file_text=file_text)

    # after the created/configured lines (or the -o document), before `if pending:`:
    for line in pruned:
        click.echo(line)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import click

from kctl.errors import KctlError, UsageError

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"

# pkg/util/prune: defaultNamespacedPruneResources + defaultNonNamespacedPruneResources, in order
DEFAULT_ALLOWLIST = (
    ("", "v1", "ConfigMap"), ("", "v1", "Endpoints"), ("", "v1", "PersistentVolumeClaim"),
    ("", "v1", "Pod"), ("", "v1", "ReplicationController"), ("", "v1", "Secret"), ("", "v1", "Service"),
    ("batch", "v1", "Job"), ("batch", "v1", "CronJob"), ("networking.k8s.io", "v1", "Ingress"),
    ("apps", "v1", "DaemonSet"), ("apps", "v1", "Deployment"), ("apps", "v1", "ReplicaSet"),
    ("apps", "v1", "StatefulSet"),
    ("", "v1", "Namespace"), ("", "v1", "PersistentVolume"),
)

# kubectl's messages (ApplyOptions.Validate, prune.ParseResources)
ALL_AND_SELECTOR = "cannot set --all and --selector at the same time"
NEEDS_ALL_OR_SELECTOR = ("all resources selected for prune without explicitly passing --all. To prune all "
                         "resources, pass the --all flag. If you did not mean to prune all resources, "
                         "specify a label selector")
NOT_SERVER_SIDE = "--prune is in alpha and doesn't currently work on objects created by server-side apply"
# prune.GetRESTMappings logs this (klog.Warning, on stderr) whenever the default allowlist is
# used: kubectl's namespace is never empty (it defaults to "default"), so that is every time
DEPRECATED_DEFAULT = ("Deprecated: kubectl apply will no longer prune non-namespaced resources by default when "
                      "used with the --namespace flag in a future release. To preserve the current behaviour, "
                      "list the resources you want to target explicitly in the --prune-allowlist flag.")

_SUFFIX = {"none": "", "client": " (dry run)", "server": " (server dry run)"}


def prune_options(f):
    """apply's `-l/--selector`, `--prune`, `--prune-allowlist` (repeatable) and `--all`."""
    f = click.option("--all", "all_", is_flag=True, default=False,
                     help="Select all resources in the namespace of the specified resource types.")(f)
    f = click.option("--prune-allowlist", "prune_allowlist", multiple=True, metavar="GVK",
                     help="Overwrite the default allowlist with <group/version/kind> for --prune")(f)
    f = click.option("--prune", "prune", is_flag=True, default=False,
                     help="Automatically delete resource objects, that do not appear in the configs and are "
                          "created by either apply or create --save-config. Should be used with either -l or --all.")(f)
    f = click.option("-l", "--selector", "selector", default=None, metavar="SELECTOR",
                     help="Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l "
                          "key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the "
                          "specified label constraints.")(f)
    return f


# ---------------------------------------------------------------- pure decisions
def parse_allowlist(entries: Iterable[str]):
    """`--prune-allowlist` values (`core/v1/ConfigMap`, `apps/v1/Deployment`) -> Kinds, as
    prune.ParseResources: exactly three parts, `core` means the core group, the kind must be
    served at that version (case-sensitive, as the RESTMapper). Raises UsageError."""
    from kctl.api import kinds

    out = []
    for entry in entries:
        parts = entry.split("/")
        if len(parts) != 3:
            raise UsageError(f"invalid GroupVersionKind format: {entry}, please follow <group/version/kind>")
        group, version, kind_name = parts
        if group == "core":
            group = ""
        k = kinds.by_group_kind(group, kind_name)
        if k is None or (version and not k.serves(version)):
            gv = f"{group}/{version}" if group else version
            raise UsageError(f'no matches for kind "{kind_name}" in version "{gv}"')
        out.append(k)
    return out


def default_allowlist():
    from kctl.api import kinds

    return [kinds.by_group_kind(g, k) for g, _v, k in DEFAULT_ALLOWLIST]


def check_prune_flags(*, prune: bool, selector: str | None, all_: bool, allowlist: Iterable[str] = (),
                      server_side: bool = False):
    """kubectl's checks, in its order: the allowlist is parsed (only with --prune) before
    Validate's `--all`/`-l` rules, then server-side apply is refused. Returns the allowlist's
    Kinds (empty: the default one). `--prune-allowlist` and `--all` without `--prune` are
    accepted and ignored, as kubectl does."""
    kinds_ = parse_allowlist(allowlist) if prune else []
    if all_ and selector:
        raise UsageError(ALL_AND_SELECTOR)
    if prune and not all_ and not selector:
        raise UsageError(NEEDS_ALL_OR_SELECTOR)
    if prune and server_side:
        raise UsageError(NOT_SERVER_SIDE)
    return kinds_


def parse_selector(selector: str | None):
    """`-l` as the builder parses it; None when not given."""
    if not selector:
        return None
    from kctl.api.selectors import SelectorError, invalid_selector_message, parse_label_selector

    try:
        return parse_label_selector(selector)
    except SelectorError as e:
        raise KctlError(invalid_selector_message(selector, e)) from None


def select_admitted(admitted: list, selector: str | None) -> list:
    """The file's objects `-l` keeps (cli-runtime's FilterByLabelSelector): the others are
    neither applied nor count as visited for pruning."""
    sel = parse_selector(selector)
    if sel is None:
        return admitted
    return [a for a in admitted if sel.matches(_meta(a.obj).get("labels"))]


def visited_namespaces(applied: Iterable[tuple[bool, str]], namespace_flag: str | None) -> list[str]:
    """Namespaces to prune namespaced kinds in: those of the applied namespaced objects
    (MarkNamespaceVisited), plus `-n` when given (EnforceNamespace). `applied` holds
    (namespaced, namespace) pairs. Sorted (kubectl walks a Go set, in no fixed order)."""
    out = {ns for namespaced, ns in applied if namespaced}
    if namespace_flag:
        out.add(namespace_flag)
    return sorted(out)


def prune_candidates(live: Iterable[dict], visited_uids: set[str], selector=None) -> list[dict]:
    """Of the listed objects, those kubectl prunes: matching `-l` (the list request's label
    selector), carrying the last-applied annotation (made by apply or create --save-config),
    and not applied just now (uid among the visited ones). Listing order kept."""
    out = []
    for obj in live:
        meta = _meta(obj)
        if selector is not None and not selector.matches(meta.get("labels")):
            continue
        if LAST_APPLIED not in (meta.get("annotations") or {}):
            continue
        if meta.get("uid") in visited_uids:
            continue
        out.append(obj)
    return out


def split_scopes(kinds_) -> tuple[list, list]:
    """(namespaced, cluster-scoped) in allowlist order; kubectl prunes the first group
    namespace by namespace, then the second."""
    return [k for k in kinds_ if k.namespaced], [k for k in kinds_ if not k.namespaced]


def klog_line(severity: str, now, pid: int, where: str, message: str) -> str:
    """klog's text header: `W1125 18:30:00.123456   12345 prune.go:71] message`."""
    return f"{severity}{now:%m%d %H:%M:%S}.{now.microsecond:06d} {pid:7d} {where}] {message}"


def _meta(obj: dict) -> dict:
    m = obj.get("metadata")
    return m if isinstance(m, dict) else {}


def _gvk(kind) -> str:
    """schema.GroupVersionKind's String(): `apps/v1, Kind=Deployment`, `/v1, Kind=ConfigMap`."""
    return f"{kind.group}/{kind.version}, Kind={kind.kind}"


# ---------------------------------------------------------------- the I/O edge
@dataclass
class Pruned:
    kind: object
    obj: dict


def run_prune(store, engine, results, *, selector: str | None, allowlist, all_: bool,
              namespace_flag: str | None, dry_run: str, output: str | None = None,
              file_text: str | None = None) -> list[str]:
    """Prune inside apply's transaction, after `engine.apply` and before `engine.converge()`
    (which then garbage-collects what the pruned objects owned). Returns the lines to print.

    `allowlist`: Kinds from check_prune_flags (empty: kubectl's default). `dry_run`
    none|client|server: client deletes nothing; server deletes inside the rolled-back
    transaction, as the API server's dry run goes through the whole delete path."""
    del all_  # --all only lifts the "needs -l or --all" check; the list itself is unfiltered
    sel = parse_selector(selector)
    kinds_ = list(allowlist)
    if not kinds_:
        import os
        from datetime import datetime

        from kctl.cli.common import warn

        warn(klog_line("W", datetime.now(), os.getpid(), "prune.go:71", DEPRECATED_DEFAULT))
        kinds_ = default_allowlist()
    namespaced, cluster = split_scopes(kinds_)
    visited_uids = {_meta(r.obj).get("uid") for r in results}
    namespaces = visited_namespaces(
        ((r.kind.namespaced, _meta(r.obj).get("namespace") or "") for r in results), namespace_flag)

    if namespaces and any(k.resource == "endpoints" for k in namespaced):
        # the API server's deprecation warning on every v1 Endpoints request since 1.33, which
        # kubectl relays once (its warning writer deduplicates)
        from kctl.cli.common import warn
        from kctl.controllers.endpoints import ENDPOINTS_DEPRECATION_WARNING

        warn(ENDPOINTS_DEPRECATION_WARNING)
    pruned: list[Pruned] = []
    for ns in namespaces:
        for kind in namespaced:
            pruned.extend(_prune(store, engine, kind, ns, sel, visited_uids, dry_run, "namespaced"))
    for kind in cluster:
        pruned.extend(_prune(store, engine, kind, "", sel, visited_uids, dry_run, "nonNamespaced"))
    return render_pruned(pruned, output=output, dry_run=dry_run, file_text=file_text)


def _prune(store, engine, kind, ns: str, sel, visited_uids, dry_run: str, scope: str) -> list[Pruned]:
    live = store.list(kind.resource, ns or None, label_filter=sel)
    out = []
    for obj in prune_candidates(live, visited_uids, sel):
        if dry_run != "client":
            try:
                engine.delete(kind, ns, _meta(obj)["name"], cascade="background")
            except KctlError as e:
                # kubectl: fmt.Errorf("error pruning %s object %v: %v", ...) around the API error
                text = e.message.split("): ", 1)[1] if e.message.startswith("Error from server (") else e.message
                raise KctlError(f"error pruning {scope} object {_gvk(kind)}: {text}") from None
        out.append(Pruned(kind, obj))
    return out


def render_pruned(pruned: list[Pruned], *, output: str | None, dry_run: str,
                  file_text: str | None = None) -> list[str]:
    """kubectl's printer for the "pruned" operation: `configmap/old pruned[ (dry run)]`,
    `configmap/old` with -o name, else the object itself in the -o format (one document
    per object, as kubectl builds a new printer for each)."""
    from kctl.cli.common import ref

    lines = []
    for p in pruned:
        name = _meta(p.obj).get("name", "")
        if not output:
            lines.append(f"{ref(p.kind, name)} pruned{_SUFFIX[dry_run]}")
        elif output == "name":
            lines.append(ref(p.kind, name))
        elif output in ("yaml", "json"):
            from kctl.printers.yaml_json import to_json, to_yaml

            lines.append((to_yaml if output == "yaml" else to_json)(p.obj).rstrip("\n"))
        else:
            from kctl.printers.get import PrinterError, render_get

            try:
                text = render_get([(p.kind, [p.obj])], output=output, now=None, single_item=True,
                                  file_text=file_text)
            except PrinterError as e:
                raise KctlError(str(e)) from None
            lines.append(text[:-1] if text.endswith("\n") else text)
    return lines
