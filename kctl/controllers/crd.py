"""The CRD finalizer controller (apiextensions-apiserver's customresourcecleanup).

A CustomResourceDefinition carries the `customresourcecleanup.apiextensions.k8s.io`
finalizer from its creation (kctl.api.crd.admit). Once it is being deleted, this controller
marks it Terminating, deletes every custom resource it serves (in every namespace, as a
background DELETE: their own finalizers and dependents are the garbage collector's), and
when none is left drops the finalizer, which removes the CRD; its kind stops being served.
"""

from __future__ import annotations

import copy
from typing import Iterable

from kctl.controllers.context import Context
from kctl.controllers.gc import delete_object, remove_finalizer

CRD_RESOURCE = "customresourcedefinitions.apiextensions.k8s.io"
CRD_GK = ("apiextensions.k8s.io", "CustomResourceDefinition")
FINALIZER = "customresourcecleanup.apiextensions.k8s.io"


class _Resources:
    """The CRD resource and every custom resource served now (the set changes as CRDs come
    and go within one converge)."""

    def __contains__(self, resource: str) -> bool:
        if resource == CRD_RESOURCE:
            return True
        from kctl.api.kinds import crd_registry

        reg = crd_registry()  # not imported: no CRD is served
        return reg is not None and reg.serves_resource(resource)


def _crd_name(resource: str) -> str:
    # a custom resource's store key is `plural.group`, which is its CRD's name
    return resource


class CRDFinalizer:
    name = "crdfinalizer"

    def __init__(self):
        self.resources = _Resources()

    def keys_for(self, ctx: Context, change) -> Iterable[tuple]:
        if change.resource == CRD_RESOURCE:
            return [(CRD_RESOURCE, "", change.name)]
        if change.op != "DELETED":
            return []
        # a custom resource went: its CRD may be waiting for the last one
        return [(CRD_RESOURCE, "", _crd_name(change.resource))]

    def reconcile(self, ctx: Context, key: tuple) -> None:
        from kctl.api.crd import registry

        name = key[2]
        crd = ctx.store.get(CRD_RESOURCE, "", name)
        if crd is None:
            _unserve(name)
        # the naming controller: a CRD gone, or one whose accepted names changed, may have
        # freed names the other CRDs of its group asked for
        _recheck_names(ctx, name)
        if crd is None:
            return
        meta = crd.get("metadata") or {}
        if not meta.get("deletionTimestamp") or FINALIZER not in (meta.get("finalizers") or []):
            return
        kind = registry.kind_from_crd(crd)
        left = 0
        for obj in ctx.store.list(kind.resource):
            ometa = obj.get("metadata") or {}
            if not ometa.get("deletionTimestamp"):
                gone = delete_object(ctx, kind, ometa.get("namespace", ""), ometa["name"])
                if gone is None or ctx.store.get(kind.resource, ometa.get("namespace", ""), ometa["name"]) is None:
                    continue
            left += 1
        if left:
            _set_terminating(ctx, crd, "InstanceDeletionInProgress", "CustomResource deletion is in progress")
            return
        crd = _set_terminating(ctx, crd, "InstanceDeletionCompleted", "removed all instances")
        if remove_finalizer(ctx, CRD_GK, crd, FINALIZER) is None:
            _unserve(name)


def _recheck_names(ctx: Context, name: str) -> None:
    """The naming controller's requeueAllOtherGroupCRDs: every other CRD of `name`'s group
    whose spec names are not all accepted gets its names and NamesAccepted computed again
    (one after the other, each seeing what the previous took); one whose names are now free
    becomes NamesAccepted and Established, and is served."""
    from kctl.api.crd import admit, registry

    group = name.partition(".")[2]

    def of_group() -> list[dict]:
        return [c for c in ctx.store.list(CRD_RESOURCE) if (c.get("spec") or {}).get("group") == group]

    for crd in of_group():
        other = (crd.get("metadata") or {}).get("name")
        status = crd.get("status") or {}
        if other == name or (crd.get("spec") or {}).get("names") == status.get("acceptedNames"):
            continue  # upstream skips a CRD whose names are all accepted
        crd = ctx.store.get(CRD_RESOURCE, "", other)
        if crd is None:
            continue
        status = crd.get("status") or {}
        peers = [c for c in of_group() if (c.get("metadata") or {}).get("name") != other]
        computed = admit.crd_status(crd, status, ctx.now_str, peers)
        new = copy.deepcopy(crd)
        new_status = new.setdefault("status", {})
        new_status["acceptedNames"] = computed["acceptedNames"]
        new_status["conditions"] = _set_conditions(status.get("conditions") or [], computed["conditions"])
        if new == crd:
            continue
        written = ctx.write(CRD_GK, new)
        if registry.served_versions(written):
            registry.register(written)


def _set_conditions(old: list, updates: list) -> list:
    """SetCRDCondition for each of `updates`: replaced in place by type, else appended (the
    other conditions, e.g. Terminating, kept)."""
    out = list(old)
    for cond in updates:
        at = next((i for i, c in enumerate(out) if isinstance(c, dict) and c.get("type") == cond["type"]), None)
        if at is None:
            out.append(cond)
        else:
            out[at] = cond
    return out


def _set_terminating(ctx: Context, crd: dict, reason: str, message: str) -> dict:
    """status.conditions Terminating=True with `reason` (the finalizer controller's)."""
    new = copy.deepcopy(crd)
    conds = [c for c in (new.setdefault("status", {}).get("conditions") or []) if c.get("type") != "Terminating"]
    prev = next((c for c in (crd.get("status") or {}).get("conditions") or [] if c.get("type") == "Terminating"), None)
    when = prev.get("lastTransitionTime") if prev and prev.get("status") == "True" else ctx.now_str
    conds.append({"lastTransitionTime": when, "message": message, "reason": reason, "status": "True",
                  "type": "Terminating"})
    new["status"]["conditions"] = conds
    if new == crd:
        return crd
    return ctx.write(CRD_GK, new)


def _unserve(name: str) -> None:
    from kctl.api.kinds import crd_registry

    reg = crd_registry()
    if reg is None:
        return
    for k in reg.registered():
        if k.resource == name:
            reg.unregister(k.group, k.kind)
