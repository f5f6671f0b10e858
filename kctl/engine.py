"""The "API server": admit manifests, write them in one transaction, converge.

Admission mirrors kube-apiserver's request path: resolve the kind, decode strictly
(schema), default, validate, merge with the live object (client-side apply), and write with
a resourceVersion check. Every error of a batch is collected first; any error means
nothing is written (CLI-CONTRACT.md "Atomic apply").
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Iterable

from kctl.api import kinds as kinds_mod
from kctl.api import strategy
from kctl.api.kinds import Kind
from kctl.errors import (
    KctlError,
    Invalid,
    ManifestError,
    NotFound,
    StatusError,
)

BOOTSTRAP_NAMESPACES = ("default", "kube-node-lease", "kube-public", "kube-system")
INVENTORY_KIND = ("kctl.io", "NodeInventory")
CRD_GK = ("apiextensions.k8s.io", "CustomResourceDefinition")
_REFUSED = object()  # Engine._target: the request was refused (its error is recorded)


def record_update(kind, old, new, manager, now):
    """kctl.api.managedfields.record_update, imported on first write (read commands import
    this module for cluster time only)."""
    from kctl.api.managedfields import record_update as _record

    _record(kind, old, new, manager, now)


# ---------------------------------------------------------------- time and identity
def wall_now() -> datetime:
    """The machine's clock (tests replace this to freeze time)."""
    return datetime.now(timezone.utc)


def cluster_now(store) -> datetime:
    """Cluster time: wall time plus the stored offset (CLI-CONTRACT.md), whole seconds."""
    offset = float(store.get_meta("clock-offset") or 0)
    now = wall_now() + timedelta(seconds=offset)
    return now.replace(microsecond=0)


def rfc3339(t: datetime) -> str:
    return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def next_uid(store) -> str:
    from kctl.controllers.context import next_uid as _next_uid

    return _next_uid(store)


# ---------------------------------------------------------------- errors of a batch
class AdmissionFailed(KctlError):
    """Several errors; the CLI prints each, then `error: no objects were changed`."""

    def __init__(self, errors: list[KctlError]):
        super().__init__("no objects were changed")
        self.errors = errors

    def render(self) -> str:
        lines = [e.render() for e in self.errors]
        lines.append("error: no objects were changed")
        return "\n".join(lines)


class BadRequest(StatusError):
    reason = "BadRequest"


@dataclass
class ApplyOptions:
    namespace: str | None = None  # -n given explicitly
    dry_run: str = "none"  # none | client | server
    validate: str = "strict"  # strict | warn | ignore
    #: CRDs of `--schema-location` directories: their custom resources resolve and decode
    #: without the CRD being applied (kctl.api.crd.registry.load_from_dir)
    crds: tuple = ()
    #: Kubernetes minor whose schema files decide decoding and which group/version/kinds
    #: exist (`kctl validate --kubernetes-version`); defaulting and validation stay 1.37's
    k8s_version: str = "1.37"
    #: metadata.managedFields manager of client-side apply (`--field-manager`)
    field_manager: str = "kubectl-client-side-apply"


@dataclass
class Admitted:
    kind: Kind
    obj: dict  # the manifest object after intake (namespace set, unknown fields handled)
    source: str  # "file:line"
    file: str
    manifest: object | None = None  # kctl.manifests.Manifest, for field positions
    from_inventory: bool = False
    #: schema violations that are validation errors upstream (e.g. a required field):
    #: reported together with the semantic validation of the same object
    schema_errors: list = field(default_factory=list)


@dataclass
class ApplyResult:
    kind: Kind
    obj: dict
    action: str  # created | configured | unchanged
    warnings: list[str] = field(default_factory=list)
    order: int = 0  # position in the input: results print in input order, as kubectl's


# ---------------------------------------------------------------- intake
def resolve_kind(obj: dict, source_file: str, where: str, k8s: str = "1.37") -> Kind:
    k = kinds_mod.for_object_in(obj.get("apiVersion") or "", obj.get("kind") or "", k8s)
    if k is None:
        raise unmapped_error(obj, source_file, where)
    return k


def unmapped_error(obj: dict, source_file: str, where: str) -> KctlError:
    """kubectl's RESTMapper error: the server serves no such group/version/kind."""
    meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    name = meta.get("name") or ""
    ns = meta.get("namespace") or ""
    return KctlError(
        f'resource mapping not found for name: "{name}" namespace: "{ns}" from "{source_file}": '
        f'no matches for kind "{obj.get("kind") or ""}" in version "{obj.get("apiVersion") or ""}"\n'
        "ensure CRDs are installed first",
        where,
    )


def intake(manifests: Iterable, opts: ApplyOptions, warn) -> tuple[list[Admitted], list[KctlError]]:
    """Kind resolution, namespace, schema decoding, inventory expansion: no store needed.

    Returns the objects that decoded and every error found. An object the API server could
    not decode (unknown field, wrong type) is not admitted further, as upstream."""
    from kctl.controllers.context import tree_copy

    errors: list[KctlError] = []
    out: list[Admitted] = []
    manifests = list(manifests)
    register_crds([m.obj for m in manifests], opts.crds)
    warned: set[str] = set()  # kubectl prints each distinct server warning once
    for m in manifests:
        obj = m.obj
        where = f"{m.source}:{m.line}"
        try:
            kind = resolve_kind(obj, m.source, where, opts.k8s_version)
            require_in_version(kind, obj, m.source, where, opts.k8s_version)
        except KctlError as e:
            errors.append(e)
            continue
        if (kind.group, kind.kind) == INVENTORY_KIND:
            from kctl.scheduler import inventory

            name = (obj.get("metadata") or {}).get("name", "")
            unknown = inventory.unknown_fields(obj) if opts.validate == "strict" else []
            errs = inventory.validate_inventory(obj)
            for text in unknown:
                path = text.split('"')[1]
                errors.append(BadRequest(
                    f'Error from server (BadRequest): error when creating "{m.source}": {kind.kind} in '
                    f'version "{kind.version}" cannot be handled as a {kind.kind}: strict decoding error: {text}',
                    m.where(path),
                ))
            errors.extend(Invalid(kind.kind, name, [e], m.where(e.field)) for e in errs)
            if unknown or errs:
                continue
            node_kind = kinds_mod.by_group_kind("", "Node")
            for node in inventory.expand(obj):
                out.append(Admitted(node_kind, node, where, m.source, m, from_inventory=True))
            continue
        obj = tree_copy(obj)  # a JSON tree: ~4x faster than copy.deepcopy (validate's hot path)
        try:
            _set_namespace(kind, obj, opts.namespace)
        except KctlError as e:
            e.source = where
            errors.append(e)
            continue
        if (kind.group, kind.kind) == ("", "Node"):
            from kctl.scheduler import inventory

            obj = inventory.normalize_node(obj)
        if is_custom(kind):
            cr_version_warnings(kind, admit_version(obj), warn, warned)
            decode_errors, field_errors = _cr_decode_errors(kind, obj, m, opts, warn), []
        else:
            decode_errors, field_errors = _schema_errors(kind, obj, m, opts, warn)
        if decode_errors:
            errors.extend(decode_errors)
            continue
        out.append(Admitted(kind, obj, where, m.source, m, from_inventory=kind.kind == "Node",
                            schema_errors=field_errors))
    return out, errors


def require_in_version(kind: Kind, obj: dict, source_file: str, where: str, k8s: str) -> None:
    """resolve_kind's error when Kubernetes `k8s` does not have the object's group/version/kind
    (kctl's kind registry is 1.37's; that version's schema files say what exists there)."""
    from kctl.api import schema

    group, version = kinds_mod.split_api_version(obj.get("apiVersion") or "")
    if not schema.served(group, version, kind.kind, k8s):
        raise unmapped_error(obj, source_file, where)


def register_crds(objs: list, extra_crds=()) -> None:
    """Intake resolves every kind before anything is written: the CRDs of the batch (and of
    --schema-location, unless the store has that kind already) serve their kinds now."""
    batch = [o for o in objs if isinstance(o, dict) and o.get("kind") == "CustomResourceDefinition"]
    if not batch and not extra_crds:
        return
    from kctl.api.crd import admit, registry

    for crd in extra_crds:
        k = registry.kind_from_crd(crd)
        if k.kind and registry.crd_of((k.group, k.kind)) is None:
            registry.register(crd)
    for crd in batch:
        if not registry.is_crd(crd) or not isinstance(crd.get("spec"), dict):
            continue
        crd = copy.deepcopy(crd)
        admit.crd_defaults(crd)
        k = registry.kind_from_crd(crd)
        if k.kind and k.plural and k.versions:
            registry.register(crd)


def schema_location_crds(dirs) -> list[dict]:
    """The CRDs of `--schema-location` directories, for a command that opens no store
    (`kctl validate`): only these (and the inputs' CRDs, registered as they are read) serve."""
    reg = kinds_mod.crd_registry()
    if reg is not None:
        reg.clear()  # an earlier command's store, in this process
    if not dirs:
        return []
    from kctl.api.crd import registry

    out: list[dict] = []
    for d in dirs:
        out.extend(registry.load_from_dir(d))
    register_crds([], out)
    return out


def admit_version(obj: dict) -> str:
    return kinds_mod.split_api_version(obj.get("apiVersion") or "")[1]


def cr_version_warnings(kind: Kind, version: str, warn, seen: set | None = None, reading: bool = False) -> None:
    """The server's warnings for a request to a custom resource's `version`: deprecation
    (kctl.api.crd.admit.version_warnings) and kctl's note that no conversion webhook runs."""
    from kctl.api.crd import admit, registry

    crd = registry.crd_of(kind)
    if crd is None:
        return
    texts = [f"Warning: {w}" for w in admit.version_warnings(crd, version)]
    stored = registry.storage_version(crd) or version
    texts.append(admit.conversion_warning(crd, *((stored, version) if reading else (version, stored))))
    for text in texts:
        if text and (seen is None or text not in seen):
            if seen is not None:
                seen.add(text)
            warn(text)


def is_custom(kind: Kind) -> bool:
    """A kind served through a CustomResourceDefinition."""
    return not kinds_mod.is_builtin(kind.group, kind.kind)


def _cr_decode_errors(kind: Kind, obj: dict, m, opts: ApplyOptions, warn) -> list[KctlError]:
    """Decoding a custom resource: fields its schema does not know are pruned; under
    --validate=strict each is a strict decoding error, under warn a warning (as built-ins)."""
    from kctl.api.crd import admit, registry

    crd = registry.crd_of(kind)
    if crd is None:
        return []
    unknown = admit.unknown_fields(crd, obj)
    if opts.validate != "strict":
        if opts.validate == "warn":
            for path in unknown:
                warn(f'Warning: unknown field "{path}"')
        return []
    version = admit.version_of(obj)
    return [BadRequest(
        f'Error from server (BadRequest): error when creating "{m.source}": {kind.kind} in version '
        f'"{version}" cannot be handled as a {kind.kind}: strict decoding error: unknown field "{path}"',
        m.where(path),
    ) for path in unknown]


def _set_namespace(kind: Kind, obj: dict, flag_ns: str | None) -> None:
    meta = obj.setdefault("metadata", {})
    if not isinstance(meta, dict):
        return  # the schema check reports it
    if not kind.namespaced:
        meta.pop("namespace", None)
        return
    obj_ns = meta.get("namespace")
    if flag_ns and obj_ns and obj_ns != flag_ns:
        raise KctlError(
            f'the namespace from the provided object "{obj_ns}" does not match the namespace '
            f'"{flag_ns}". You must pass \'--namespace={obj_ns}\' to perform this operation.'
        )
    meta["namespace"] = obj_ns or flag_ns or "default"


def _schema_errors(kind: Kind, obj: dict, m, opts: ApplyOptions, warn) -> tuple[list[KctlError], list]:
    from kctl.api import schema

    issues, field_errors = schema.check(obj, kind, opts.k8s_version)
    errors: list[KctlError] = []
    name = (obj.get("metadata") or {}).get("name", "") if isinstance(obj.get("metadata"), dict) else ""
    decode = []
    for issue in issues:
        if issue.unknown_field:
            if opts.validate == "strict":
                decode.append(issue)
            else:
                if opts.validate == "warn":
                    warn(f"Warning: {issue.message}")
                drop_path(obj, issue.field)
        else:
            decode.append(issue)
    version = kinds_mod.split_api_version(obj.get("apiVersion") or "")[1]
    # The server stops at the first decoding error; kctl reports each one, every line in
    # the text the server gives for that error alone (schema.decode_message).
    for issue in decode:
        errors.append(BadRequest(
            f'Error from server (BadRequest): error when creating "{m.source}": '
            f"{schema.decode_message([issue], kind, version)}",
            m.where(issue.field),
        ))
    return errors, list(field_errors)


def drop_path(obj: dict, path: str) -> None:
    """Remove the field at an apimachinery-notation path (used for unknown fields)."""
    parts = _split_path(path)
    cur = obj
    for p in parts[:-1]:
        try:
            cur = cur[p]
        except (KeyError, IndexError, TypeError):
            return
    if isinstance(cur, dict):
        cur.pop(parts[-1], None)


def _split_path(path: str) -> list:
    parts: list = []
    buf = ""
    i = 0
    while i < len(path):
        ch = path[i]
        if ch == ".":
            if buf:
                parts.append(buf)
            buf = ""
        elif ch == "[":
            if buf:
                parts.append(buf)
            buf = ""
            j = path.index("]", i)
            inner = path[i + 1:j]
            parts.append(int(inner) if inner.isdigit() else inner)
            i = j
        else:
            buf += ch
        i += 1
    if buf:
        parts.append(buf)
    return parts


# ---------------------------------------------------------------- the engine
class Engine:
    def __init__(self, store, now: datetime | None = None):
        self.store = store
        self._now = now

    @property
    def now(self) -> datetime:
        if self._now is None:
            self._now = cluster_now(self.store)
        return self._now

    # -- bootstrap -----------------------------------------------------------
    def bootstrap(self) -> None:
        """Create the bootstrap namespaces on first use (CLI-CONTRACT.md)."""
        if self.store.get_meta("bootstrapped"):
            return
        ns_kind = kinds_mod.by_group_kind("", "Namespace")
        from kctl.api.defaults import apply_defaults

        for name in BOOTSTRAP_NAMESPACES:
            if self.store.get(ns_kind.resource, "", name) is not None:
                continue
            obj = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}
            apply_defaults(ns_kind, obj)
            strategy.prepare_for_create(ns_kind, obj, uid=next_uid(self.store), now=rfc3339(self.now))
            self.store.create(ns_kind.resource, obj)
        from kctl.controllers.bootstrap import bootstrap_control_plane
        from kctl.controllers.context import Context

        bootstrap_control_plane(Context(self.store, self.now))
        self.store.set_meta("bootstrapped", "1")

    # -- apply ---------------------------------------------------------------
    def apply(self, admitted: list[Admitted], opts: ApplyOptions, warn,
              prior_errors: list[KctlError] = ()) -> list[ApplyResult]:
        """Write the batch (already inside the caller's transaction). Raises AdmissionFailed
        with `prior_errors` (from intake) and every admission error, in file order."""
        from kctl.api import merge
        from kctl.api.defaults import apply_defaults
        from kctl.api.validation import validate_create, validate_update

        errors: list[KctlError] = list(prior_errors)
        results: list[ApplyResult] = []
        # Written in kind rank (Namespace first) so later documents may rely on earlier kinds;
        # reported in input order like kubectl.
        position = {id(a): i for i, a in enumerate(admitted)}
        ordered = sorted(admitted, key=lambda a: a.kind.apply_rank)  # stable: file order within a rank
        full = opts.dry_run != "client"
        self._schema_crds = tuple(opts.crds)  # --dry-run=client: custom resources of --schema-location
        for a in ordered:
            kind, obj = a.kind, a.obj
            file_status = None
            if a.from_inventory:
                # An inventory's node status comes from the file, not through apply's merge
                # (and not into the last-applied annotation).
                obj = {k: v for k, v in obj.items() if k != "status"}
                file_status = copy.deepcopy(a.obj.get("status") or {})
            meta = obj.get("metadata") or {}
            name = meta.get("name") or ""
            ns = meta.get("namespace", "") if kind.namespaced else ""

            live = self._target(kind, ns, name, a, errors,
                                f'error when creating "{a.file}": namespaces "{ns}" not found')
            if live is _REFUSED:
                continue
            if live is None:
                new = merge.for_create(obj, namespace=ns or None, namespaced=kind.namespaced)
                if file_status is not None:
                    new["status"] = stamp_conditions(file_status, None, rfc3339(self.now))
                apply_defaults(kind, new)
                uid = next_uid(self.store)
                registry_create(kind, new, uid)
                custom_errs = self._custom_admission(kind, new, None, a, full, errors)
                if custom_errs is None:
                    continue
                if full:
                    adm = self._admit(kind, new, None, a, "creating")
                    if adm is not None:
                        errors.extend(adm)
                        continue
                errs = dedup_errors(a.schema_errors + (validate_create(kind, new) if full else []) + custom_errs)
                if errs:
                    errors.extend(self._invalid(kind, name, errs, a))
                    continue
                strategy.prepare_for_create(kind, new, uid=uid, now=rfc3339(self.now),
                                            keep_status=a.from_inventory)
                self._custom_prepare(kind, new, None)
                record_update(kind, None, new, opts.field_manager, rfc3339(self.now))
                written = self.store.create(kind.resource, new)
                results.append(ApplyResult(kind, written, "created", order=position[id(a)]))
                continue

            warnings = []
            if merge.original_configuration(live) is None:
                warnings.append(
                    f"Warning: resource {kind.plural}/{name} is missing the {merge.LAST_APPLIED} annotation "
                    "which is required by kctl apply. kctl apply should only be used on resources "
                    "created declaratively by either kctl create --save-config or kctl apply. The "
                    "missing annotation will be patched automatically."
                )
            stored_live, live = live, self.in_version_of(kind, live, obj)  # CRs: read in the request's version
            try:
                patch, new = merge.apply_to_live(obj, live, merge.merge_keys_for(kind),
                                                 namespace=ns or None, namespaced=kind.namespaced)
            except merge.MergeError as e:
                errors.append(KctlError(str(e), a.source))
                continue
            status_changed = False
            if file_status is not None:
                # inventories replace a node's capacity and conditions (CLI-CONTRACT.md)
                new["status"] = stamp_conditions(file_status, live.get("status"), rfc3339(self.now))
                status_changed = new["status"] != live.get("status")
            if not patch and not status_changed:
                results.append(ApplyResult(kind, stored_live, "unchanged", warnings, order=position[id(a)]))
                continue
            apply_defaults(kind, new)
            registry_update(kind, new, live)
            strategy.prepare_for_update(kind, new, live, keep_status=a.from_inventory)
            self._custom_prepare(kind, new, live)
            custom_errs = self._custom_admission(kind, new, live, a, full, errors)
            if custom_errs is None:
                continue
            if full:
                adm = self._admit(kind, new, live, a, "applying patch to")
                if adm is not None:
                    errors.extend(adm)
                    continue
                errs = dedup_errors(a.schema_errors + validate_create(kind, new) + validate_update(kind, new, live)
                                    + custom_errs)
                if errs:
                    errors.extend(self._invalid(kind, name, errs, a))
                    continue
            self.to_storage_version(kind, new)
            live = stored_live
            if new == live:
                results.append(ApplyResult(kind, live, "unchanged", warnings, order=position[id(a)]))
                continue
            record_update(kind, live, new, opts.field_manager, rfc3339(self.now))
            written = self.store.update(kind.resource, new, expected_rv=(live.get("metadata") or {}).get("resourceVersion"))
            results.append(ApplyResult(kind, written, "configured", warnings, order=position[id(a)]))
        if errors:
            raise AdmissionFailed(in_file_order(errors, [a.file for a in admitted]))
        return sorted(results, key=lambda r: r.order)

    # -- CustomResourceDefinitions and custom resources (kctl.api.crd) -------------
    def _custom_admission(self, kind: Kind, obj: dict, old: dict | None, a: Admitted, full: bool,
                          errors: list[KctlError]) -> list | None:
        """Defaulting and validation of a CRD or a custom resource (in place): their field
        errors ([] for other kinds), or None after adding a request error to `errors`."""
        if (kind.group, kind.kind) == CRD_GK:
            from kctl.api.crd import admit

            admit.crd_defaults(obj)
            return admit.crd_errors(obj, old) if full else []
        if not is_custom(kind):
            return []
        from kctl.api.crd import admit

        crd = self._crd_for(kind, obj, a, full, old is None, errors)
        if crd is None:
            return None
        # the strategy (status subresource, generation) runs before validation, as upstream;
        # generation is decided again once defaults are in
        prepare = admit.prepare_cr_create if old is None else (lambda c, o: admit.prepare_cr_update(c, o, old))
        prepare(crd, obj)
        errs = admit.default_and_validate(crd, obj, old) if full else []
        prepare(crd, obj)
        return errs

    def _crd_for(self, kind: Kind, obj: dict, a: Admitted, full: bool, creating: bool,
                 errors: list[KctlError]) -> dict | None:
        """The CRD serving a custom resource: the stored one (applied earlier in this batch or
        before); under --dry-run=client also one of --schema-location."""
        from kctl.api.crd import registry

        crd = self._serving_crd(kind, full)
        if crd is None or not registry.serving(crd) or \
                kinds_mod.split_api_version(obj.get("apiVersion") or "")[1] not in registry.served_versions(crd):
            errors.append(unmapped_error(obj, a.file, a.source))
            return None
        if creating and (crd.get("metadata") or {}).get("deletionTimestamp"):
            # apiextensions-apiserver's crdHandler refuses creates while the CRD terminates
            errors.append(StatusError(
                f'Error from server (MethodNotAllowed): error when creating "{a.file}": '
                "create not allowed while custom resource definition is terminating", a.source))
            return None
        return crd

    def _custom_prepare(self, kind: Kind, obj: dict, old: dict | None) -> None:
        """The CRD and customresource strategies after the generic one (strategy.py)."""
        if (kind.group, kind.kind) == CRD_GK:
            from kctl.api.crd import admit

            group_crds = self._group_crds(obj)  # the naming controller's view of the group
            if old is None:
                admit.prepare_crd_create(obj, rfc3339(self.now), group_crds)
            else:
                admit.prepare_crd_update(obj, old, rfc3339(self.now), group_crds)
            from kctl.api.crd import registry

            if registry.served_versions(obj):
                registry.register(obj)  # later documents of the batch see what is written
        elif is_custom(kind) and old is None:
            from kctl.api.crd import admit

            # strategy.prepare_for_create reset server metadata: generation 1 again
            admit.prepare_cr_create(self._serving_crd(kind, full=False) or {}, obj)
            self.to_storage_version(kind, obj)

    def _group_crds(self, crd: dict) -> list[dict]:
        """The stored CRDs of `crd`'s group but itself."""
        from kctl.api.crd import registry

        group = (crd.get("spec") or {}).get("group")
        name = (crd.get("metadata") or {}).get("name")
        return [c for c in self.store.list(registry.CRD_RESOURCE)
                if (c.get("spec") or {}).get("group") == group and (c.get("metadata") or {}).get("name") != name]

    def in_version_of(self, kind: Kind, live: dict, obj: dict) -> dict:
        """A stored custom resource in `obj`'s version (conversion None), as the server reads
        it for a request in that version; other objects unchanged."""
        if not is_custom(kind) or live.get("apiVersion") == obj.get("apiVersion"):
            return live
        crd = self._serving_crd(kind, full=False)
        if crd is None:
            return live
        from kctl.api.crd import admit

        return admit.read_in_version(crd, live, admit_version(obj))

    def to_storage_version(self, kind: Kind, obj: dict) -> None:
        """A custom resource, validated in the version it was sent in, is stored in its CRD's
        storage version (conversion None: apiVersion only; in place)."""
        if not is_custom(kind):
            return
        crd = self._serving_crd(kind, full=False)
        if crd is not None:
            from kctl.api.crd import admit

            admit.to_storage(crd, obj)

    def install_crds(self, crds) -> None:
        """Store these CRDs as applied (defaulted, Established) unless their name exists:
        `kctl validate --schema-location` admits custom resources into a fresh cluster."""
        from kctl.api.crd import admit, registry

        for crd in crds:
            name = (crd.get("metadata") or {}).get("name") or ""
            if not name or self.store.get(registry.CRD_RESOURCE, "", name) is not None:
                continue
            obj = copy.deepcopy(crd)
            kind = kinds_mod.by_group_kind(*CRD_GK)
            strategy.prepare_for_create(kind, obj, uid=next_uid(self.store), now=rfc3339(self.now))
            admit.prepare_crd_create(obj, rfc3339(self.now))
            self.store.create(registry.CRD_RESOURCE, obj)

    def custom_update(self, kind: Kind, new: dict, live: dict) -> list:
        """For an update outside apply (patch, replace), after strategy.prepare_for_update:
        the CRD or customresource strategy, defaulting and validation; the field errors."""
        if (kind.group, kind.kind) == CRD_GK:
            from kctl.api.crd import admit

            self._custom_prepare(kind, new, live)
            return admit.crd_errors(new, live)
        crd = self._stored_crd(kind) if is_custom(kind) else None
        if crd is None:
            return []
        from kctl.api.crd import admit

        admit.prepare_cr_update(crd, new, live)
        errs = admit.default_and_validate(crd, new, live)
        admit.prepare_cr_update(crd, new, live)
        admit.to_storage(crd, new)  # validated in the request's version, stored in the storage one
        return errs

    def _serving_crd(self, kind: Kind, full: bool) -> dict | None:
        """The stored CRD of a custom resource's kind; without the server (--dry-run=client),
        else the --schema-location one."""
        crd = self._stored_crd(kind)
        if crd is None and not full:
            from kctl.api.crd import registry

            crd = next((c for c in getattr(self, "_schema_crds", ())
                        if registry.kind_from_crd(c).group_kind.lower() == kind.group_kind.lower()), None)
        return crd

    def _stored_crd(self, kind: Kind) -> dict | None:
        from kctl.api.crd import registry

        return self.store.get(registry.CRD_RESOURCE, "", f"{kind.plural}.{kind.group}")

    def _target(self, kind: Kind, ns: str, name: str, a: Admitted, errors: list[KctlError],
                ns_missing: str):
        """The live object an apply writes over (None: it creates), or _REFUSED after adding
        the request's error: its namespace does not exist (`ns_missing` is the NotFound text) or
        a create is forbidden there (a terminating namespace)."""
        if kind.namespaced and self.store.get("namespaces", "", ns) is None:
            errors.append(StatusError(f"Error from server (NotFound): {ns_missing}", a.source))
            return _REFUSED
        live = self.store.get(kind.resource, ns, name) if name else None
        if live is None:
            from kctl.controllers.gc import create_forbidden

            forbidden = create_forbidden(self.store, kind, ns, name, a.file)
            if forbidden is not None:
                forbidden.source = a.source
                errors.append(forbidden)
                return _REFUSED
        return live

    def _admit(self, kind: Kind, obj: dict, old: dict | None, a: Admitted, verb: str) -> list[KctlError] | None:
        """Admission plugins (ServiceAccount, Priority, DefaultTolerationSeconds,
        DefaultStorageClass) and the Service IP/port allocators. None when admitted."""
        from kctl.controllers import admission
        from kctl.controllers.context import Context

        name = (obj.get("metadata") or {}).get("name", "")
        try:
            errs = admission.admit(Context(self.store, self.now), kind, obj, old)
        except StatusError as e:
            return [StatusError(f'Error from server ({e.reason}): error when {verb} "{a.file}": {e.message}', a.source)]
        return self._invalid(kind, name, errs, a) if errs else None

    @staticmethod
    def _invalid(kind: Kind, name: str, errs, a: Admitted) -> list[KctlError]:
        def where(path: str) -> str:
            return a.manifest.where(path) if a.manifest is not None else a.source

        return [Invalid(kind.kind, name, [e], where(e.field)) for e in errs]

    # -- server-side apply (kctl.api.managedfields) -----------------------------
    def server_side_apply(self, admitted: list[Admitted], opts: ApplyOptions, warn,
                          prior_errors: list[KctlError] = (), *, field_manager: str = "kubectl",
                          force_conflicts: bool = False, kubectl_followups: bool = True) -> list[ApplyResult]:
        """`apply --server-side`: each configuration merged into its live object by
        structured-merge-diff's rules and owned by `field_manager` (operation Apply); changing
        a field another manager owns is a conflict unless forced. Then, with `kubectl_followups`,
        what kubectl apply does after the request (kubectl diff does not): keep the
        last-applied annotation under `kubectl-last-applied` and fold client-side-apply managers
        into the applier (csaupgrade), applying again. Same batch rules as `apply`: any error
        and nothing is written."""
        from kctl.api import managedfields as mf
        from kctl.api.defaults import apply_defaults
        from kctl.api.validation import validate_create, validate_update

        errors: list[KctlError] = list(prior_errors)
        results: list[ApplyResult] = []
        position = {id(a): i for i, a in enumerate(admitted)}
        now = rfc3339(self.now)
        for a in sorted(admitted, key=lambda a: a.kind.apply_rank):
            kind, config = a.kind, copy.deepcopy(a.obj)
            meta = config.get("metadata") or {}
            name = meta.get("name") or ""
            ns = meta.get("namespace", "") if kind.namespaced else ""
            if meta.get("managedFields") is not None:  # the typed patch's nil check: null passes
                errors.append(BadRequest("Error from server (BadRequest): metadata.managedFields must be nil",
                                         a.source))
                continue
            live = self._target(kind, ns, name, a, errors, f'namespaces "{ns}" not found')
            if live is _REFUSED:
                continue
            entries = mf.decode(((live or {}).get("metadata") or {}).get("managedFields"))
            stored_live, live = live, live and self.in_version_of(kind, live, config)  # CRs: the request's version
            try:
                new, entries = self._ssa_step(kind, live, entries, config, field_manager, force_conflicts, now)
                if kubectl_followups:
                    new, entries = self._ssa_migrate(kind, new, entries, config, field_manager,
                                                     force_conflicts, now)
            except mf.ApplyConflict as c:
                errors.append(KctlError(f"{c}\n{mf.CONFLICT_GUIDANCE}", a.source))
                continue
            if live is None:
                uid = next_uid(self.store)
                registry_create(kind, new, uid)
            else:
                registry_update(kind, new, live)
                strategy.prepare_for_update(kind, new, live, keep_status=a.from_inventory)
                self._custom_prepare(kind, new, live)
            custom_errs = self._custom_admission(kind, new, live, a, True, errors)
            if custom_errs is None:
                continue
            adm = self._admit(kind, new, live, a, "creating" if live is None else "applying patch to")
            if adm is not None:
                errors.extend(adm)
                continue
            errs = a.schema_errors + validate_create(kind, new) + custom_errs
            if live is not None:
                errs += validate_update(kind, new, live)
            errs = dedup_errors(errs)
            if errs:
                errors.extend(self._invalid(kind, name, errs, a))
                continue
            if live is None:
                strategy.prepare_for_create(kind, new, uid=uid, now=now, keep_status=a.from_inventory)
                self._custom_prepare(kind, new, None)
            self.to_storage_version(kind, new)
            live = stored_live
            new.setdefault("metadata", {})["managedFields"] = mf.encode(entries)
            if not entries:
                new["metadata"].pop("managedFields")
            if live is None:
                written = self.store.create(kind.resource, new)
            elif new == live or mf.only_times_differ(new, live):
                written = live
            else:
                written = self.store.update(kind.resource, new,
                                            expected_rv=(live.get("metadata") or {}).get("resourceVersion"))
            results.append(ApplyResult(kind, written, "serverside-applied", order=position[id(a)]))
        if errors:
            raise AdmissionFailed(in_file_order(errors, [a.file for a in admitted]))
        return sorted(results, key=lambda r: r.order)

    def _ssa_step(self, kind: Kind, live: dict | None, entries: list, config: dict, manager: str,
                  force: bool, now: str) -> tuple[dict, list]:
        """One apply request: merge, ownership, then the server's defaulting."""
        from kctl.api import fieldpath, managedfields as mf
        from kctl.api.defaults import apply_defaults

        version = str(config.get("apiVersion") or "").rpartition("/")[2]
        if is_custom(kind) and version != kind.version and kind.serves(version):
            # a CR is typed and its managedFields entry recorded in the request's version
            import dataclasses

            kind = dataclasses.replace(kind, version=version)
        merged, entries = mf.apply(entries, live, config, manager, kind.api_version, now, fieldpath.type_for(kind),
                                   force=force, status_subresource=mf.status_subresource(kind))
        apply_defaults(kind, merged)
        return merged, entries

    def _ssa_migrate(self, kind: Kind, obj: dict, entries: list, config: dict, manager: str, force: bool,
                     now: str) -> tuple[dict, list]:
        """kubectl apply --server-side's follow-up requests (saveLastApplyAnnotationIfNecessary,
        migrateToSSAIfNecessary)."""
        from kctl.api import managedfields as mf

        annotations = (obj.get("metadata") or {}).get("annotations") or {}
        if manager == "kubectl" and annotations.get(mf.LAST_APPLIED) \
                and not mf.owners_of(entries, mf.APPLY, mf.LAST_APPLIED_PATH):
            meta = {"name": obj["metadata"].get("name", ""),
                    "annotations": {mf.LAST_APPLIED: annotations[mf.LAST_APPLIED]}}
            if obj["metadata"].get("namespace"):
                meta["namespace"] = obj["metadata"]["namespace"]
            just = {"apiVersion": obj.get("apiVersion"), "kind": obj.get("kind"), "metadata": meta}
            try:
                obj, entries = self._ssa_step(kind, obj, entries, just, mf.LAST_APPLIED_MANAGER, False, now)
            except mf.ApplyConflict:
                pass  # kubectl warns and goes on
        csa = []
        for e in mf.owners_of(entries, mf.UPDATE, mf.LAST_APPLIED_PATH):
            if e.manager not in csa:
                csa.append(e.manager)
        upgraded = mf.upgrade_csa_managers(entries, csa, manager)
        if mf.encode(upgraded) == mf.encode(entries):
            return obj, entries
        return self._ssa_step(kind, obj, upgraded, config, manager, force, now)

    # -- delete --------------------------------------------------------------
    def delete(self, kind: Kind, namespace: str, name: str, *, cascade: str = "background",
               grace_period: int | None = None) -> dict:
        """The API server's DELETE (kctl.controllers.gc): pods terminate gracefully,
        propagation background/foreground/orphan as upstream; the caller converges."""
        from kctl.controllers.gc import delete_request

        return delete_request(self.store, self.now, kind, namespace, name, cascade=cascade,
                              grace_period=grace_period)

    # -- converge ------------------------------------------------------------
    def converge(self) -> None:
        """Run the control loops until quiescent at the current cluster time."""
        from kctl.controllers.runner import converge

        converge(self.store, self.now)


def pending_pods(store, roots: list[dict]) -> list[tuple[dict, str]]:
    """Pods that are Pending among `roots` or owned by them (directly, or through a
    ReplicaSet, Job or any other owner chain), with their scheduling message
    (CLI-CONTRACT.md `apply --fail-on-pending`)."""
    wanted = {(r.get("metadata") or {}).get("uid") for r in roots}
    wanted.discard(None)
    # owners: ReplicaSets and Jobs sit between a workload and its pods
    for resource in ("replicasets.apps", "jobs.batch", "controllerrevisions.apps"):
        for o in store.list(resource):
            refs = (o.get("metadata") or {}).get("ownerReferences") or []
            if any(r.get("uid") in wanted for r in refs):
                wanted.add(o["metadata"]["uid"])
    out = []
    for pod in store.list("pods"):
        meta = pod.get("metadata") or {}
        refs = meta.get("ownerReferences") or []
        if meta.get("uid") not in wanted and not any(r.get("uid") in wanted for r in refs):
            continue
        status = pod.get("status") or {}
        if status.get("phase", "Pending") != "Pending":
            continue
        message = ""
        for c in status.get("conditions") or []:
            if c.get("type") == "PodScheduled" and c.get("status") == "False":
                message = c.get("message") or c.get("reason") or ""
        if not message and (pod.get("spec") or {}).get("nodeName"):
            message = "scheduled to " + pod["spec"]["nodeName"] + ", containers not started"
        out.append((pod, message))
    return out


def in_file_order(errors: list[KctlError], files: list[str]) -> list[KctlError]:
    """Errors sorted by where they come from (file in input order, then line), so a batch's
    report reads top to bottom whatever order admission ran in."""
    order: dict[str, int] = {}
    for f in files:
        order.setdefault(f, len(order))

    def key(e: KctlError):
        src = e.source or ""
        parts = src.split(":")
        nums = []
        while parts and parts[-1].isdigit():
            nums.insert(0, int(parts.pop()))
        path = ":".join(parts)
        return (order.get(path, -1 if not src else len(order)), nums)

    return sorted(errors, key=key)


def stamp_conditions(status: dict, live_status: dict | None, now: str) -> dict:
    """Give node conditions from an inventory their timestamps: kept from the live node when
    the condition's status did not change, else `now` (a kubelet's heartbeat/transition)."""
    live = {c.get("type"): c for c in ((live_status or {}).get("conditions") or [])}
    for c in status.get("conditions") or []:
        old = live.get(c.get("type"))
        same = old is not None and old.get("status") == c.get("status")
        for f in ("lastHeartbeatTime", "lastTransitionTime"):
            if not c.get(f):
                c[f] = old.get(f) if same and old.get(f) else now
    return status


def registry_create(kind: Kind, obj: dict, uid: str) -> None:
    """Registry steps the server runs on create after defaulting (not defaulting proper)."""
    from kctl.api.defaults import apps as apps_defaults, core as core_defaults

    gk = (kind.group, kind.kind)
    if gk == ("batch", "Job"):
        apps_defaults.generate_job_selector(obj, uid)
    elif gk == ("", "Service"):
        core_defaults.normalize_cluster_ips(obj)


def registry_update(kind: Kind, new: dict, old: dict) -> None:
    if (kind.group, kind.kind) == ("", "Service"):
        from kctl.api.defaults import core as core_defaults

        core_defaults.prepare_service_update(new, old)


def dedup_errors(errs: list) -> list:
    seen = set()
    out = []
    for e in errs:
        s = str(e)
        if s not in seen:
            seen.add(s)
            out.append(e)
    return out
