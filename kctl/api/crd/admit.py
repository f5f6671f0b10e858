"""Admission of CustomResourceDefinitions and of the custom resources they define.

The pure steps the apiextensions-apiserver runs around a write (the engine sequences them):

- a CRD: v1 defaulting, validation (kctl.api.crd.crd_validation), and the status its
  controllers set (naming controller: NamesAccepted; establishing controller: Established;
  the strategy: storedVersions; the customresourcecleanup finalizer);
- a custom resource: decoding with pruning (unknown fields are strict-decoding errors or
  warnings), structural defaulting, schema validation, and the customresource strategy
  (generation, the status subresource).

Schema work is kctl.api.crd.openapi's (prune/default/validate/version_schema); this module
only decides what to call when.
"""

from __future__ import annotations

import copy

from kctl.api.crd import registry

CLEANUP_FINALIZER = "customresourcecleanup.apiextensions.k8s.io"


# ---------------------------------------------------------------- CRDs
def crd_defaults(crd: dict) -> None:
    """apiextensions/v1 SetDefaults_CustomResourceDefinitionSpec, in place."""
    spec = crd.get("spec")
    if not isinstance(spec, dict):
        return
    names = spec.get("names")
    if isinstance(names, dict) and names.get("kind"):
        if not names.get("singular"):
            names["singular"] = str(names["kind"]).lower()
        if not names.get("listKind"):
            names["listKind"] = f"{names['kind']}List"
    if not isinstance(spec.get("conversion"), dict):
        spec["conversion"] = {"strategy": "None"}
    webhook = (spec["conversion"].get("webhook") or {}).get("clientConfig") or {}
    svc = webhook.get("service")
    if isinstance(svc, dict) and "port" not in svc:
        svc["port"] = 443


def crd_errors(crd: dict, old: dict | None = None) -> list:
    """Field errors of a CRD create (old None) or update."""
    import inspect

    from kctl.api.crd import crd_validation

    fn = crd_validation.validate_crd
    # the server's own cleanup finalizer is no user input (and valid: apimachinery's rule)
    crd = copy.deepcopy(crd)
    meta = crd.get("metadata") if isinstance(crd.get("metadata"), dict) else {}
    if CLEANUP_FINALIZER in (meta.get("finalizers") or []):
        meta["finalizers"] = [f for f in meta["finalizers"] if f != CLEANUP_FINALIZER] or None
        if meta["finalizers"] is None:
            del meta["finalizers"]
    if old is not None and len(inspect.signature(fn).parameters) > 1:
        return list(fn(crd, old))  # update rules (e.g. storedVersions) when it knows them
    return list(fn(crd))


def accepted_names(crd: dict) -> dict:
    names = copy.deepcopy((crd.get("spec") or {}).get("names") or {})
    return names


def _claimed(group_crds) -> tuple[set, set]:
    """The resource names (plural, singular, short names) and kinds (kind, listKind) the
    accepted names of `group_crds` hold (the naming controller's getAcceptedNamesForGroup)."""
    resources: set = set()
    kinds: set = set()
    for c in group_crds:
        names = ((c or {}).get("status") or {}).get("acceptedNames") or {}
        resources.update([names.get("plural") or "", names.get("singular") or "", *(names.get("shortNames") or [])])
        kinds.update([names.get("kind") or "", names.get("listKind") or ""])
    return resources, kinds


def _fresh(requested, accepted, used: set) -> str | None:
    """equalToAcceptedOrFresh: the conflict message, or None."""
    if requested == accepted or requested not in used:
        return None
    return f'"{requested}" is already in use'


def names_and_condition(crd: dict, old_status: dict | None, group_crds=()) -> tuple[dict, tuple[str, str] | None]:
    """The naming controller: the names the CRD may serve under (spec.names where no other
    CRD of its group holds them, else what it had) and, on a conflict, (reason, message) of
    NamesAccepted False (the last conflict found wins, as upstream)."""
    requested = (crd.get("spec") or {}).get("names") or {}
    accepted = (old_status or {}).get("acceptedNames") or {}
    resources, kinds = _claimed([*group_crds, {"status": {"acceptedNames": accepted}}])
    new = copy.deepcopy(accepted)
    conflict = None
    for key, used, reason in (("plural", resources, "PluralConflict"), ("singular", resources, "SingularConflict")):
        msg = _fresh(requested.get(key) or "", accepted.get(key) or "", used)
        if msg:
            conflict = (reason, msg)
        elif requested.get(key) or key == "plural":
            new[key] = requested.get(key) or ""
    short = list(requested.get("shortNames") or [])
    if short != list(accepted.get("shortNames") or []):
        mine = set(accepted.get("shortNames") or [])
        own = {accepted.get("plural"), accepted.get("singular")}
        msgs = [m for n in short if n not in mine and n not in own
                for m in [_fresh(n, "", resources)] if m]
        if msgs:
            # utilerrors.NewAggregate: one error as is, several as [a, b]
            conflict = ("ShortNamesConflict", msgs[0] if len(msgs) == 1 else "[" + ", ".join(msgs) + "]")
        elif short:
            new["shortNames"] = short
        else:
            new.pop("shortNames", None)
    for key, reason in (("kind", "KindConflict"), ("listKind", "ListKindConflict")):
        msg = _fresh(requested.get(key) or "", accepted.get(key) or "", kinds)
        if msg:
            conflict = (reason, msg)
        elif requested.get(key) or key == "kind":
            new[key] = requested.get(key) or ""
    if requested.get("categories"):
        new["categories"] = list(requested["categories"])
    else:
        new.pop("categories", None)
    new.setdefault("plural", "")
    new.setdefault("kind", "")  # plural and kind have no omitempty
    return new, conflict


def crd_status(crd: dict, old_status: dict | None, now: str, group_crds=()) -> dict:
    """The status the CRD controllers converge to: the naming controller's acceptedNames and
    NamesAccepted (NoConflicts, or False with the conflict `group_crds`, the other CRDs of the
    group, cause), Established (True once names were accepted; a CRD never established stays
    False, NotAccepted), and storedVersions holding the storage version (kept from before, as
    the strategy does)."""
    old_status = old_status or {}
    old_conds = {c.get("type"): c for c in old_status.get("conditions") or [] if isinstance(c, dict)}

    def cond(ctype: str, reason: str, message: str, status: str = "True") -> dict:
        prev = old_conds.get(ctype)
        when = prev.get("lastTransitionTime") if prev and prev.get("status") == status else now
        return {"lastTransitionTime": when, "message": message, "reason": reason, "status": status, "type": ctype}

    names, conflict = names_and_condition(crd, old_status, group_crds)
    if conflict is None:
        conditions = [
            cond("NamesAccepted", "NoConflicts", "no conflicts found"),
            cond("Established", "InitialNamesAccepted", "the initial names have been accepted"),
        ]
    else:
        established = old_conds.get("Established")
        if not established or established.get("status") != "True":
            established = cond("Established", "NotAccepted", "not all names are accepted", "False")
        conditions = [cond("NamesAccepted", conflict[0], conflict[1], "False"), established]
    stored = list(old_status.get("storedVersions") or [])
    sv = registry.storage_version(crd)
    if sv and sv not in stored:
        stored.append(sv)
    return {"acceptedNames": names, "conditions": conditions, "storedVersions": stored}


def prepare_crd_create(crd: dict, now: str, group_crds=()) -> None:
    """After strategy.prepare_for_create: the cleanup finalizer and the converged status."""
    crd_defaults(crd)
    meta = crd.setdefault("metadata", {})
    fins = list(meta.get("finalizers") or [])
    if CLEANUP_FINALIZER not in fins:
        fins.append(CLEANUP_FINALIZER)
    meta["finalizers"] = fins
    crd["status"] = crd_status(crd, None, now, group_crds)


def prepare_crd_update(new: dict, old: dict, now: str, group_crds=()) -> None:
    """After strategy.prepare_for_update (which kept the live status): names and stored
    versions follow the new spec."""
    crd_defaults(new)
    meta = new.setdefault("metadata", {})
    fins = list(meta.get("finalizers") or [])
    if CLEANUP_FINALIZER not in fins and not meta.get("deletionTimestamp"):
        fins.append(CLEANUP_FINALIZER)
        meta["finalizers"] = fins
    new["status"] = crd_status(new, old.get("status"), now, group_crds)


# ---------------------------------------------------------------- custom resources
def version_of(obj: dict) -> str:
    api_version = str(obj.get("apiVersion") or "")
    return api_version.rpartition("/")[2]


def schema_for(crd: dict, version: str) -> dict | None:
    from kctl.api.crd import openapi

    return openapi.version_schema(crd, version)


def unknown_fields(crd: dict, obj: dict) -> list[str]:
    """Prune `obj` in place against its version's schema; the paths pruned (apimachinery
    notation, e.g. `spec.foo`), as the API server's strict decoding reports them."""
    from kctl.api.crd import openapi

    schema = schema_for(crd, version_of(obj))
    if schema is None:
        return []
    return list(openapi.prune(obj, schema) or [])


def default_and_validate(crd: dict, obj: dict, old: dict | None) -> list:
    """Structural defaulting (in place) then schema validation (with CEL rules, transition
    rules seeing `old`): the field errors."""
    from kctl.api.crd import openapi

    schema = schema_for(crd, version_of(obj))
    if schema is None:
        return []
    openapi.default(obj, schema)
    # defaults may bring in fields the schema prunes (upstream prunes again after defaulting)
    openapi.prune(obj, schema)
    return list(openapi.validate(obj, schema, old) or [])


def prepare_cr_create(crd: dict, obj: dict) -> None:
    """customresource strategy PrepareForCreate (after strategy.prepare_for_create): status
    dropped when the status subresource is on; generation 1."""
    if registry.has_status_subresource(crd, version_of(obj)):
        obj.pop("status", None)
    obj.setdefault("metadata", {})["generation"] = 1


def prepare_cr_update(crd: dict, new: dict, old: dict) -> None:
    """customresource strategy PrepareForUpdate: with the status subresource the live status
    stays and generation bumps on a change of anything but metadata and status; without
    it, on a change of anything but metadata."""
    meta = new.setdefault("metadata", {})
    old_meta = old.get("metadata") or {}
    gen = int(old_meta.get("generation") or 1)
    if registry.has_status_subresource(crd, version_of(new)):
        if "status" in old:
            new["status"] = copy.deepcopy(old["status"])
        else:
            new.pop("status", None)
        ignored = ("metadata", "status")
    else:
        ignored = ("metadata",)

    def body(o: dict) -> dict:
        return {k: v for k, v in o.items() if k not in ignored}

    meta["generation"] = gen + 1 if body(new) != body(old) else gen


# ---------------------------------------------------------------- versions and conversion
# Conversion strategy None (the only one kctl runs): a custom resource converts between the
# CRD's versions by its apiVersion alone, fields unchanged. The request is defaulted and
# validated in the version it was sent in (default_and_validate, by the object's apiVersion),
# then stored in the storage version; reads answer in the version asked for.
def with_version(crd: dict, obj: dict, version: str) -> dict:
    """`obj` in `version` of its CRD's group (a shallow copy when the version changes)."""
    api_version = f"{(crd.get('spec') or {}).get('group') or ''}/{version}"
    if obj.get("apiVersion") == api_version:
        return obj
    return {"apiVersion": api_version, **{k: v for k, v in obj.items() if k != "apiVersion"}}


def to_storage(crd: dict, obj: dict) -> None:
    """Convert `obj`, in place, to the CRD's storage version: the apiVersion, then pruning
    against that version's schema (the storage codec's schemaCoercingConverter: fields only
    the request's version knows are not stored)."""
    sv = registry.storage_version(crd)
    if not sv or with_version(crd, obj, sv) is obj:
        return
    obj["apiVersion"] = with_version(crd, obj, sv)["apiVersion"]
    schema = schema_for(crd, sv)
    if schema is not None:
        from kctl.api.crd import openapi

        openapi.prune(obj, schema)


def version_warnings(crd: dict, version: str) -> list[str]:
    """What the apiextensions-apiserver says on every request to `version`: its deprecation
    warning (the CRD's deprecationWarning, or the default text naming the highest-priority
    served, non-deprecated version above it). kctl prints each as `Warning: ...`."""
    entry = registry.version_entry(crd, version) or {}
    if not entry.get("deprecated"):
        return []
    custom = entry.get("deprecationWarning")
    if custom is not None:
        return [custom] if custom else []
    spec = crd.get("spec") or {}
    group, kind = spec.get("group") or "", (spec.get("names") or {}).get("kind") or ""
    msg = f"{group}/{version} {kind} is deprecated"
    key = registry.version_priority_key(version)
    better = sorted((v["name"] for v in registry.version_entries(crd)
                     if isinstance(v, dict) and v.get("served") and not v.get("deprecated") and v.get("name")
                     and registry.version_priority_key(v["name"]) < key), key=registry.version_priority_key)
    return [f"{msg}; use {group}/{better[0]} {kind}" if better else msg]


def conversion_warning(crd: dict, from_version: str, to_version: str) -> str | None:
    """kctl calls no conversion webhook: a CRD with strategy Webhook converts as None does
    (apiVersion only), said once per request that needs a conversion."""
    conv = (crd.get("spec") or {}).get("conversion") or {}
    if conv.get("strategy") != "Webhook" or from_version == to_version:
        return None
    spec = crd.get("spec") or {}
    group, kind = spec.get("group") or "", (spec.get("names") or {}).get("kind") or ""
    return (f"Warning: kctl calls no conversion webhook: {kind} converted from {group}/{from_version} to "
            f"{group}/{to_version} as with conversion strategy None (apiVersion only, fields unchanged)")


def read_in_version(crd: dict, obj: dict, version: str) -> dict:
    """A stored custom resource as a read in `version` returns it (a copy when anything
    changes): defaulted against its stored version's schema, converted (apiVersion), pruned
    against `version`'s schema, as the server's storage codec does."""
    if (with_version(crd, obj, version) is obj and len(registry.version_entries(crd)) < 2
            and ("status" in obj or not registry.has_status_subresource(crd, version))):
        # written with this very schema: nothing to prune or default (but create drops a
        # defaulted status, which the storage decoder defaults again: Gateway API's "Pending")
        return obj
    from kctl.api.crd import openapi

    out = copy.deepcopy(obj)
    stored = schema_for(crd, version_of(obj))
    if stored is not None:
        openapi.default(out, stored)  # the storage decoder defaults in the stored version
    if out.get("apiVersion") != with_version(crd, out, version)["apiVersion"]:
        out = with_version(crd, out, version)
        schema = schema_for(crd, version)
        if schema is not None:
            openapi.prune(out, schema)  # then converts, pruning in the version read
    return out
