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


def crd_status(crd: dict, old_status: dict | None, now: str) -> dict:
    """The status the CRD controllers converge to: NamesAccepted and Established True (the
    naming and establishing controllers' reasons), acceptedNames = spec.names, and
    storedVersions holding the storage version (kept from before, as the strategy does)."""
    old_status = old_status or {}
    old_conds = {c.get("type"): c for c in old_status.get("conditions") or [] if isinstance(c, dict)}

    def cond(ctype: str, reason: str, message: str) -> dict:
        prev = old_conds.get(ctype)
        when = prev.get("lastTransitionTime") if prev and prev.get("status") == "True" else now
        return {"lastTransitionTime": when, "message": message, "reason": reason, "status": "True", "type": ctype}

    conditions = [
        cond("NamesAccepted", "NoConflicts", "no conflicts found"),
        cond("Established", "InitialNamesAccepted", "the initial names have been accepted"),
    ]
    stored = list(old_status.get("storedVersions") or [])
    sv = registry.storage_version(crd)
    if sv and sv not in stored:
        stored.append(sv)
    return {"acceptedNames": accepted_names(crd), "conditions": conditions, "storedVersions": stored}


def prepare_crd_create(crd: dict, now: str) -> None:
    """After strategy.prepare_for_create: the cleanup finalizer and the converged status."""
    crd_defaults(crd)
    meta = crd.setdefault("metadata", {})
    fins = list(meta.get("finalizers") or [])
    if CLEANUP_FINALIZER not in fins:
        fins.append(CLEANUP_FINALIZER)
    meta["finalizers"] = fins
    crd["status"] = crd_status(crd, None, now)


def prepare_crd_update(new: dict, old: dict, now: str) -> None:
    """After strategy.prepare_for_update (which kept the live status): names and stored
    versions follow the new spec."""
    crd_defaults(new)
    meta = new.setdefault("metadata", {})
    fins = list(meta.get("finalizers") or [])
    if CLEANUP_FINALIZER not in fins and not meta.get("deletionTimestamp"):
        fins.append(CLEANUP_FINALIZER)
        meta["finalizers"] = fins
    new["status"] = crd_status(new, old.get("status"), now)


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
