"""`kctl validate -f PATH... [-R]`: check manifests offline with apply's own admission.

Nothing is read from or written to a store: the batch is admitted, in a rolled-back
transaction, into a fresh in-memory cluster (bootstrap objects only), exactly as `kctl apply`
would admit it into a fresh store; then cross-document checks run (kctl.validate.references).
"""

from __future__ import annotations

import re

import click

from kctl.cli.options import filename_options, global_flags, merge_globals
from kctl.errors import KctlError, UsageError

K8S_DEFAULT = "1.37"


class ValidateUsageError(UsageError):
    """Usage or I/O error of `kctl validate`: nothing validated (CLI-CONTRACT.md: exit 2)."""

    exit_code = 2

    def __init__(self, message: str, source: str | None = None, see_help: bool = False):
        super().__init__(message, source)
        self.see_help = see_help

    def render(self) -> str:
        text = super().render()
        return text + "\nSee 'kctl validate --help' for usage." if self.see_help else text


class _Command(click.Command):
    """Flag errors exit 2 here (the contract's code for validate), in kubectl's wording."""

    def parse_args(self, ctx, args):
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as e:
            from kctl.cli.main import _kubectl_usage_text

            raise ValidateUsageError(_kubectl_usage_text(e), see_help=True) from None


def _split_list(values) -> list[str]:
    return [p.strip() for v in values for p in v.split(",") if p.strip()]


@click.command("validate", cls=_Command, context_settings={"help_option_names": ["-h", "--help"]})
@filename_options
@global_flags(all_namespaces=False)
@click.option("--summary", is_flag=True,
              help="Text output: end with `N documents: V valid, I invalid, S skipped; E errors, W warnings`.")
@click.option("--strict-references", is_flag=True,
              help="Cross-document findings (Service selector matching nothing, missing ConfigMap/"
                   "Secret/PVC/ServiceAccount, duplicate objects) are errors instead of warnings.")
@click.option("--skip", "skip", multiple=True, metavar="KIND,...",
              help="Kinds not to validate (e.g. Secret,deploy); counted as skipped.")
@click.option("--ignore-missing-schemas", is_flag=True,
              help="Skip documents of kinds kctl does not know, or that --kubernetes-version "
                   "has no schema for, instead of reporting them.")
@click.option("--kubernetes-version", "k8s_version", default=K8S_DEFAULT, metavar="VERSION",
              help="Kubernetes version (1.35, 1.36 or 1.37; `v` and a patch part are accepted) "
                   "whose schemas decide which kinds and fields exist and their types. "
                   "Defaulting and semantic validation are 1.37's whatever the version.")
@click.option("--assume-namespace", "assume_ns", multiple=True, metavar="NS,...",
              help="Namespaces to treat as existing although the inputs do not create them "
                   "(apply into a fresh store would fail with `namespaces \"x\" not found`).")
@click.option("--schema-location", "schema_locations", multiple=True, metavar="PATH",
              help="Directory (or file) of CustomResourceDefinition manifests (or CRDs-catalog JSON schemas, "
                   "<group>/<kind>_<version>.json) that define custom resources (repeatable).")
@click.pass_context
def validate_cmd(ctx, filenames, recursive, store, namespace, output, summary, strict_references,
                 skip, ignore_missing_schemas, k8s_version, assume_ns, schema_locations=()):
    """Validate manifests offline, as the API server would admit them.

    Every document goes through the same decoding, defaulting, validation and admission as
    `kctl apply` into a fresh store (earlier documents of the batch are visible to later ones:
    a Namespace and its objects validate together); no store is opened, nothing is written.
    Passing means `kctl apply` of the same inputs into a fresh store is admitted.

    \b
    Output (-o): text (default), json, junit, tap, sarif (SARIF 2.1.0).
    text: one line per finding, `FILE:LINE: MESSAGE` (the text `kctl apply` prints);
    nothing when all is valid, unless --summary adds its count line.
    \b
    Exit codes: 0 all documents valid (warnings allowed); 1 some document invalid;
    2 usage or I/O error (nothing validated).
    """
    from kctl.validate.reports import FORMATS, render

    try:
        g = merge_globals(ctx, store=store, namespace=namespace, output=output)
    except UsageError as e:
        raise ValidateUsageError(e.message) from None
    fmt = g.output or "text"
    if fmt not in FORMATS:
        raise ValidateUsageError(
            f'unable to match a printer suitable for the output format "{fmt}", '
            f"allowed formats are: {','.join(FORMATS)}")
    k8s_version = _check_version(k8s_version)
    if not filenames:
        raise ValidateUsageError("must specify -f")
    docs = run(list(filenames), recursive=recursive, namespace=g.namespace, skip=_split_list(skip),
               ignore_missing_schemas=ignore_missing_schemas, strict_references=strict_references,
               assume_namespaces=_split_list(assume_ns), k8s_version=k8s_version,
               schema_locations=schema_locations)
    from kctl.validate.findings import exit_code

    version = ""
    if fmt == "sarif":
        try:
            from importlib.metadata import version as _v

            version = _v("kctl")
        except Exception:  # not installed as a distribution: leave it out
            version = ""
    click.echo(render(docs, fmt, with_summary=summary, version=version), nl=False)
    code = exit_code(docs)
    if code:
        import sys

        sys.exit(code)  # click's Exit is swallowed by the root's standalone_mode=False


_K8S_VERSION = re.compile(r"^v?(\d+\.\d+)(?:\.\d+)?$")


def _check_version(value: str) -> str:
    """The minor ("1.36") of a --kubernetes-version value (`1.36`, `v1.36`, `1.36.2`) that
    has a schema folder; a usage error naming the available ones otherwise."""
    from kctl.api.schema import versions

    available = versions()
    m = _K8S_VERSION.match(value)
    if m is None or m.group(1) not in available:
        raise ValidateUsageError(
            f'Kubernetes version "{value}" is not available; available versions: {", ".join(available)}')
    return m.group(1)


# ------------------------------------------------------------------------------ the run
_SOURCE = re.compile(r"^(.*?):(\d+)(?::(\d+))?$")
_UNKNOWN_FIELD = re.compile(r'unknown field "([^"]+)"')
_GO_FIELD = re.compile(r"Go struct field [A-Za-z0-9_]+\.([^ ]+) of type")


def run(filenames: list[str], *, recursive: bool = False, namespace: str | None = None,
        skip: list[str] = (), ignore_missing_schemas: bool = False, strict_references: bool = False,
        assume_namespaces: list[str] = (), k8s_version: str = K8S_DEFAULT, schema_locations=()):
    """Validate the inputs; returns kctl.validate.findings.Documents in input order.
    Raises ValidateUsageError for a missing path or when there is nothing to validate."""
    from kctl import manifests as mf
    from kctl.api import kinds as kinds_mod
    from kctl.errors import ManifestError
    from kctl.validate.findings import Document

    from kctl.engine import register_crds, schema_location_crds

    try:
        files = mf.iter_files(filenames, recursive)
        crds = schema_location_crds(schema_locations)  # CRDs of the inputs count too (below)
    except KctlError as e:
        raise ValidateUsageError(e.message) from None
    docs: list[Document] = []
    manifests = []  # (Manifest, Document)
    for f in files:
        try:
            if f == "-":
                import sys

                items = mf.load_text(sys.stdin.read(), mf.STDIN)
            else:
                items = mf.load([f])
        except ManifestError as e:
            if e.source is None:
                raise ValidateUsageError(e.message) from None
            for err in getattr(e, "errors", [e]):
                fi, line, col = _parse_source(err.source, f)
                d = Document(fi, line)
                d.findings.append(_finding(err, fi, line, col, "", "yaml"))
                docs.append(d)
            continue
        for m in items:
            obj = m.obj
            meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
            d = Document(m.source, m.line, str(obj.get("kind") or ""), str(meta.get("name") or ""),
                         str(meta.get("namespace") or ""))
            register_crds([obj])
            kind = kinds_mod.for_object_in(obj.get("apiVersion") or "", obj.get("kind") or "", k8s_version)
            if _skipped(obj, kind, skip) or (ignore_missing_schemas and _no_schema(obj, kind, k8s_version)):
                d.skipped = True
            elif kind is not None and kind.namespaced and not d.namespace:
                d.namespace = namespace or "default"
            docs.append(d)
            manifests.append((m, d))
    if not docs:
        raise ValidateUsageError("no objects passed to validate")

    checked = [(m, d) for m, d in manifests if not d.skipped]
    if checked:
        _admit(checked, namespace, assume_namespaces, k8s_version, crds)
    _references(manifests, namespace, strict_references, k8s_version)
    return docs


def _skipped(obj: dict, kind, skip: list[str]) -> bool:
    if not skip:
        return False
    from kctl.api import kinds as kinds_mod

    name = str(obj.get("kind") or "").lower()
    for s in skip:
        if s.lower() == name:
            return True
        k = kinds_mod.resolve(s)
        if k is not None and kind is not None and k.group_kind == kind.group_kind:
            return True
    return False


def _parse_source(source: str | None, default_file: str) -> tuple[str, int, int]:
    m = _SOURCE.match(source or "")
    if not m:
        return default_file, 1, 1
    return m.group(1), int(m.group(2)), int(m.group(3) or 0)


def _no_schema(obj: dict, kind, k8s_version: str) -> bool:
    """No schema for the object's kind: kctl does not know it, or `k8s_version` lacks it."""
    from kctl.api import kinds as kinds_mod
    from kctl.api.schema import served

    if kind is None:
        return True
    group, version = kinds_mod.split_api_version(obj.get("apiVersion") or "")
    return not served(group, version, kind.kind, k8s_version)


def _admit(checked, namespace, assume_namespaces, k8s_version: str = K8S_DEFAULT, crds=()) -> None:
    """apply's intake and admission into a fresh in-memory cluster, rolled back."""
    import gc

    # The parsed batch makes no reference cycles: out of the collector's sight, admission runs
    # ~15% faster (bench/bench_validate.py)
    gc.freeze()
    try:
        errors = _admission_errors(checked, namespace, assume_namespaces, k8s_version, crds)
    finally:
        gc.unfreeze()
    for err in errors:
        _attach(err, checked)


def _admission_errors(checked, namespace, assume_namespaces, k8s_version, crds) -> list:
    from kctl.engine import AdmissionFailed, ApplyOptions, Engine, in_file_order, intake
    from kctl.validate.store import ValidateStore

    opts = ApplyOptions(namespace=namespace, dry_run="server", validate="strict", k8s_version=k8s_version,
                        crds=tuple(crds))
    notes: list[str] = []
    admitted, errors = intake([m for m, _ in checked], opts, notes.append)
    if admitted:
        store = ValidateStore()
        engine = Engine(store)
        # what `kctl apply` does first on a fresh store (cli.common.writable_engine)
        with store.transaction():
            engine.bootstrap()
            engine.converge()
            for ns in assume_namespaces:
                _make_namespace(engine, ns)
            engine.install_crds(crds)  # --schema-location: as if applied before
        try:
            with store.transaction(dry_run=True):
                store.shared_lists = True  # admission only reads what it lists
                engine.apply(admitted, opts, notes.append, errors)
            errors = []
        except AdmissionFailed as e:
            errors = list(e.errors)
        finally:
            store.close()
    return in_file_order(errors, [m.source for m, _ in checked])


def _make_namespace(engine, name: str) -> None:
    from kctl.api import kinds as kinds_mod
    from kctl.api import strategy
    from kctl.api.defaults import apply_defaults
    from kctl.engine import next_uid, rfc3339

    ns_kind = kinds_mod.by_group_kind("", "Namespace")
    if engine.store.get(ns_kind.resource, "", name) is not None:
        return
    obj = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}
    apply_defaults(ns_kind, obj)
    strategy.prepare_for_create(ns_kind, obj, uid=next_uid(engine.store), now=rfc3339(engine.now))
    engine.store.create(ns_kind.resource, obj)


def _owner(file: str, line: int, checked):
    """The (Manifest, Document) an error at file:line belongs to: the last one starting at
    or before that line in that file."""
    best = None
    for m, d in checked:
        if m.source == file and m.line <= line and (best is None or m.line >= best[0].line):
            best = (m, d)
    if best is None:
        best = next(((m, d) for m, d in checked if m.source == file), None)
    return best


def _attach(err: KctlError, checked) -> None:
    from kctl.errors import Invalid

    file, line, col = _parse_source(err.source, checked[0][0].source)
    owner = _owner(file, line, checked)
    field, rule = "", "admission"
    text = err.message
    if isinstance(err, Invalid) and err.errors:
        fe = err.errors[0]
        field = getattr(fe, "field", "") or ""
        rule = getattr(fe, "rule", "") or _slug(getattr(fe, "type", "") or "invalid")
    elif text.startswith("resource mapping not found"):
        rule = "unknown-kind"
    elif "Error from server (BadRequest)" in text:
        m = _UNKNOWN_FIELD.search(text)
        if m:
            field, rule = m.group(1), "unknown-field"
        else:
            m = _GO_FIELD.search(text)
            field, rule = (m.group(1) if m else ""), "schema"
    elif re.search(r'namespaces "[^"]*" not found', text):
        rule = "namespace-not-found"
    elif text.startswith("the namespace from the provided object"):
        rule = "namespace-mismatch"
    if owner is None:
        return  # cannot happen: every error comes from a checked manifest
    m, d = owner
    if not col:
        col = _column(m, field, line)
    d.findings.append(_finding(err, file, line, col, field, rule, d))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _column(m, field: str, line: int) -> int:
    """Column of `field` (or its nearest positioned ancestor) when it is on `line`, else 1."""
    if not field:
        return 1
    at_line, col = _position(m, field)
    return col if at_line == line else 1


def _position(m, field: str) -> tuple[int, int]:
    return m.position(field)


def _finding(err: KctlError, file: str, line: int, col: int, field: str, rule: str, doc=None):
    from kctl.validate.findings import Finding

    obj = f"{doc.kind}/{doc.name}" if doc is not None and doc.kind else ""
    return Finding(file, line, col or 1, field, rule, f"{err.prefix}{err.message}", "error", obj)


def _references(manifests, namespace, strict: bool, k8s_version: str = K8S_DEFAULT) -> None:
    from kctl.api import kinds as kinds_mod
    from kctl.validate import references

    refdocs, owners = [], []
    for m, d in manifests:
        obj = m.obj
        kind = kinds_mod.for_object_in(obj.get("apiVersion") or "", obj.get("kind") or "", k8s_version)
        meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
        if kind is None or not isinstance(meta.get("name"), str):
            continue
        ns = (meta.get("namespace") or namespace or "default") if kind.namespaced else ""
        refdocs.append(references.RefDoc(kind.group, kind.kind, ns, meta["name"], obj, m.source, m.line,
                                         checked=not d.skipped))
        owners.append((m, d))
    for i, f in references.check(refdocs, strict=strict):
        m, d = owners[i]
        line, col = _position(m, f.field) if f.field else (m.line, 1)
        d.findings.append(references.relocate(f, line, col))
