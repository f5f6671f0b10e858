"""`kctl diff -f FILE [-R] [--show-secrets] [--show-managed-fields] [--server-side
[--field-manager NAME] [--force-conflicts]]`: live vs as-if-applied.

The apply runs for real (same admission as `kctl apply --dry-run=server`) inside a
transaction that is rolled back, without converging. The output has the shape kubectl's
gives with its default `diff -u -N LIVE-dir MERGED-dir`: per changed object a
`diff -u -N <live file> <merged file>` line, `---`/`+++` headers with a timestamp, and
unified hunks. The directory names are fixed (`$TMPDIR/LIVE-0`, `$TMPDIR/MERGED-0`, $TMPDIR
defaulting to /tmp; nothing is written there) so output is reproducible; the timestamp is the
cluster time. Files are named as kubectl names them:
`<group.>version.Kind.namespace.name`. A new object diffs against an empty file.
With `--server-side` the merged object is one server-side apply request (manager `kubectl`
unless `--field-manager`), as kubectl's dry-run PATCH of type apply: none of the follow-up
requests `kubectl apply --server-side` makes, and a conflict is the server's 409 as is.
Exit codes (CLI-CONTRACT.md): 0 no differences, 1 differences, 2 any error.
"""

from __future__ import annotations

from typing import NamedTuple

import click

from kctl.cli.common import warn
from kctl.cli.options import filename_options, global_flags, merge_globals
from kctl.errors import KctlError

MASK = "***"
MASK_BEFORE = "*** (before)"
MASK_AFTER = "*** (after)"


class DiffError(KctlError):
    """Any error of `kctl diff` exits 2 (CLI-CONTRACT.md)."""

    exit_code = 2

    def __init__(self, inner: KctlError):
        super().__init__(inner.message, inner.source)
        self.inner = inner

    def render(self) -> str:
        errors = getattr(self.inner, "errors", None)
        if errors is not None:  # a batch's errors; diff changes nothing, so no closing line
            return "\n".join(e.render() for e in errors)
        return self.inner.render()


def file_name(kind, obj: dict) -> str:
    """kubectl's per-object file name: `apps.v1.Deployment.default.web`."""
    meta = obj.get("metadata") or {}
    group = f"{kind.group}." if kind.group else ""
    return f"{group}{kind.version}.{kind.kind}.{meta.get('namespace') or ''}.{meta.get('name') or ''}"


def mask_secret(live: dict | None, merged: dict | None) -> tuple[dict | None, dict | None]:
    """kubectl's Masker: Secret `data` values become `***`; a key in both whose value
    changed becomes `*** (before)` / `*** (after)` so the change still shows."""
    import copy

    live, merged = copy.deepcopy(live), copy.deepcopy(merged)
    frm = (live or {}).get("data") if isinstance((live or {}).get("data"), dict) else None
    to = (merged or {}).get("data") if isinstance((merged or {}).get("data"), dict) else None
    frm_keys = set(frm or {})
    to_keys = set(to or {})
    for k in frm_keys:
        if k in to_keys:
            if frm[k] != to[k]:
                frm[k], to[k] = MASK_BEFORE, MASK_AFTER
                continue
            to[k] = MASK
        frm[k] = MASK
    for k in to_keys - frm_keys:
        to[k] = MASK
    return live, merged


class SSA(NamedTuple):
    """`--server-side`'s request parameters."""

    field_manager: str
    force_conflicts: bool


def conflict_as_status(err: KctlError) -> KctlError:
    """The engine words an apply conflict as `kubectl apply` does (its guidance appended);
    kubectl diff prints the server's 409 unchanged: `Error from server (Conflict): Apply failed...`."""
    from kctl.api.managedfields import CONFLICT_GUIDANCE
    from kctl.errors import StatusError

    tail = "\n" + CONFLICT_GUIDANCE
    if type(err) is KctlError and err.message.endswith(tail):
        return StatusError(f"Error from server (Conflict): {err.message[:-len(tail)]}", err.source)
    return err


def _server_side(engine, admitted, opts, ssa: SSA) -> list:
    from kctl.engine import AdmissionFailed

    # kubectl diff sends only the apply PATCH, not kubectl apply's follow-up requests (saving the
    # last-applied annotation, migrating client-side-apply managers)
    try:
        return engine.server_side_apply(admitted, opts, warn, field_manager=ssa.field_manager,
                                        force_conflicts=ssa.force_conflicts, kubectl_followups=False)
    except AdmissionFailed as e:
        e.errors = [conflict_as_status(x) for x in e.errors]
        raise


def _dry_run_version(merged: dict, live: dict | None) -> dict:
    """A server dry run does not write, so the object it returns keeps the live
    resourceVersion (none for a new object); only real content changes show."""
    merged = dict(merged)
    meta = dict(merged.get("metadata") or {})
    rv = ((live or {}).get("metadata") or {}).get("resourceVersion")
    if rv is None:
        meta.pop("resourceVersion", None)
    else:
        meta["resourceVersion"] = rv
    merged["metadata"] = meta
    return merged


def _render(obj: dict | None, show_managed_fields: bool) -> str:
    if obj is None:
        return ""
    from kctl.printers.yaml_json import to_yaml

    if not show_managed_fields and "managedFields" in (obj.get("metadata") or {}):
        obj = dict(obj)
        obj["metadata"] = {k: v for k, v in obj["metadata"].items() if k != "managedFields"}
    return to_yaml(obj, show_managed_fields=True)


def unified(name: str, before: str, after: str, live_dir: str, merged_dir: str, stamp: str) -> str:
    """One file's part of `diff -u -N LIVE MERGED` (empty when equal)."""
    import difflib

    if before == after:
        return ""
    a, b = f"{live_dir}/{name}", f"{merged_dir}/{name}"
    lines = list(difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                      fromfile=a, tofile=b, fromfiledate=stamp, tofiledate=stamp, n=3))
    out = [f"diff -u -N {a} {b}\n"]
    for line in lines:
        if line.startswith(("---", "+++")):
            out.append(line.rstrip("\n").replace(" " + stamp, "\t" + stamp) + "\n")
        elif not line.endswith("\n"):
            out.append(line + "\n\\ No newline at end of file\n")
        else:
            out.append(line)
    return "".join(out)


@click.command("diff", context_settings={"help_option_names": ["-h", "--help"]})
@filename_options
@global_flags(all_namespaces=False, output=False)
@click.option("--show-secrets", is_flag=True, default=False,
              help="If true, include Secret data values in the diff (masked by default).")
@click.option("--show-managed-fields", is_flag=True, default=False,
              help="If true, include managed fields in the diff.")
@click.option("--schema-location", "schema_locations", multiple=True, metavar="PATH",
              help="Directory (or file) of CustomResourceDefinition manifests whose custom resources may be "
                   "diffed without the CRD being applied (repeatable).")
@click.option("--server-side", "server_side", is_flag=True,
              help="If true, apply runs in the server instead of the client.")
@click.option("--force-conflicts", "force_conflicts", is_flag=True,
              help="If true, server-side apply will force the changes against conflicts.")
@click.option("--field-manager", "field_manager", default=None, metavar="NAME",
              help="Name of the manager used to track field ownership. "
                   "(default kubectl-client-side-apply; kubectl with --server-side)")
@click.pass_context
def diff_cmd(ctx, filenames, recursive, store, namespace, show_secrets, show_managed_fields, schema_locations=(),
             server_side=False, force_conflicts=False, field_manager=None):
    """Diff the live objects against what `kctl apply -f` would make of them.

    Exit status: 0 no differences, 1 differences, 2 error."""
    try:
        if force_conflicts and not server_side:  # DiffOptions.Complete
            raise KctlError("--force-conflicts only works with --server-side")
        ssa = SSA(field_manager or "kubectl", force_conflicts) if server_side else None
        text = _run(ctx, filenames, recursive, store, namespace, show_secrets, show_managed_fields,
                    schema_locations, ssa=ssa, field_manager=field_manager)
    except DiffError:
        raise
    except KctlError as e:
        raise DiffError(e) from None
    if text:
        click.echo(text, nl=False)
        # not ctx.exit: the root runs click with standalone_mode=False, which swallows Exit codes
        import sys

        sys.exit(1)


def _run(ctx, filenames, recursive, store, namespace, show_secrets, show_managed_fields,
         schema_locations=(), ssa: "SSA | None" = None, field_manager: str | None = None) -> str:
    import os

    g = merge_globals(ctx, store=store, namespace=namespace)
    if not filenames:
        raise KctlError("must specify one of -f and -k")
    from kctl.cli.common import load_manifests, writable_engine
    from kctl.engine import AdmissionFailed, ApplyOptions, in_file_order, intake
    from kctl.errors import ManifestError

    try:
        manifests = load_manifests(filenames, recursive)
    except ManifestError as e:
        if e.source is None:
            raise
        raise AdmissionFailed(list(getattr(e, "errors", [e]))) from None
    if not manifests:
        raise KctlError("no objects passed to diff")
    opts = ApplyOptions(namespace=g.namespace, dry_run="server")
    from kctl.cli.common import prepare_crds

    opts.crds = tuple(prepare_crds(g.store, schema_locations))  # the store's CRDs serve intake too
    opts.field_manager = field_manager or opts.field_manager  # client-side diff's Update manager
    admitted, intake_errors = intake(manifests, opts, warn)
    if intake_errors:
        raise AdmissionFailed(in_file_order(intake_errors, [m.source for m in manifests]))

    store_, engine = writable_engine(g.store)
    pairs = []
    try:
        before = []
        for a in admitted:
            meta = a.obj.get("metadata") or {}
            ns = meta.get("namespace", "") if a.kind.namespaced else ""
            name = meta.get("name") or ""
            before.append(store_.get(a.kind.resource, ns, name) if name else None)
        with store_.transaction(dry_run=True):
            results = engine.apply(admitted, opts, warn) if ssa is None else _server_side(engine, admitted, opts, ssa)
        # engine.apply returns results in input order, one per admitted object
        for a, live, r in zip(admitted, before, results):
            pairs.append((r.kind, live, _dry_run_version(r.obj, live)))
        now = engine.now
    finally:
        store_.close()

    tmp = os.environ.get("TMPDIR") or "/tmp"
    tmp = tmp.rstrip("/") or "/"
    live_dir, merged_dir = f"{tmp}/LIVE-0", f"{tmp}/MERGED-0"
    stamp = now.strftime("%Y-%m-%d %H:%M:%S.000000000 +0000")
    parts = []
    for kind, live, merged in sorted(pairs, key=lambda p: file_name(p[0], p[2])):
        if (kind.group, kind.version, kind.kind) == ("", "v1", "Secret") and not show_secrets:
            live, merged = mask_secret(live, merged)
        parts.append(unified(file_name(kind, merged), _render(live, show_managed_fields),
                             _render(merged, show_managed_fields), live_dir, merged_dir, stamp))
    return "".join(parts)
