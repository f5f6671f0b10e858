"""The namespace controller: empties a Terminating namespace, then lets it go.

As kube-controller-manager's namespace deleter (pkg/controller/namespace/deletion): every
namespaced object in it is deleted (background propagation; pods gracefully, so pods on an
unreachable node stay Terminating and so does the namespace), the deletion conditions are
kept on status.conditions, and once nothing is left the `kubernetes` finalizer is removed and
the namespace with it.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Iterable

from kctl.controllers.context import Context
from kctl.controllers.gc import NAMESPACE_FINALIZER, delete_object, should_remove

# pkg/controller/namespace/deletion/status_condition_utils.go: condition order, and the
# reason/message of each while it is fine.
CONDITION_TYPES = (
    "NamespaceDeletionDiscoveryFailure",
    "NamespaceDeletionGroupVersionParsingFailure",
    "NamespaceDeletionContentFailure",
    "NamespaceContentRemaining",
    "NamespaceFinalizersRemaining",
)
OK = {
    "NamespaceDeletionDiscoveryFailure": ("ResourcesDiscovered", "All resources successfully discovered"),
    "NamespaceDeletionGroupVersionParsingFailure": ("ParsedGroupVersions", "All legacy kube types successfully parsed"),
    "NamespaceDeletionContentFailure": ("ContentDeleted", "All content successfully deleted, may be waiting on finalization"),
    "NamespaceContentRemaining": ("ContentRemoved", "All content successfully removed"),
    "NamespaceFinalizersRemaining": ("ContentHasNoFinalizers", "All content-preserving finalizers finished"),
}


@lru_cache(maxsize=1)
def _builtin_namespaced_resources() -> tuple[str, ...]:
    from kctl.api.resources import KINDS

    return tuple(sorted(k.resource for k in KINDS if k.namespaced and "list" in k.verbs and "delete" in k.verbs))


def _namespaced_resources() -> tuple[str, ...]:
    from kctl.api.kinds import crd_registry

    crds = crd_registry()  # custom resources come and go: not cached
    if crds is None or not crds.registered():
        return _builtin_namespaced_resources()
    return tuple(sorted(_builtin_namespaced_resources()
                        + tuple(k.resource for k in crds.registered() if k.namespaced)))


def remaining_conditions(remaining: dict[str, int], finalizers: dict[str, int]) -> dict[str, tuple]:
    """(status, reason, message) per condition type from what is left in the namespace:
    resource -> count of objects, finalizer -> count of objects holding it."""
    out = {t: ("False",) + OK[t] for t in CONDITION_TYPES}
    if remaining:
        parts = ", ".join(f"{_group_resource(r)} has {n} resource instances" for r, n in sorted(remaining.items()))
        out["NamespaceContentRemaining"] = ("True", "SomeResourcesRemain", f"Some resources are remaining: {parts}")
    if finalizers:
        parts = ", ".join(f"{f} in {n} resource instances" for f, n in sorted(finalizers.items()))
        out["NamespaceFinalizersRemaining"] = (
            "True", "SomeFinalizersRemain", f"Some content in the namespace has finalizers remaining: {parts}")
    return out


def _group_resource(resource: str) -> str:
    # upstream prints schema.GroupResource: "pods." for the core group, "deployments.apps"
    plural, _, group = resource.partition(".")
    return f"{plural}.{group}"


def merge_conditions(old: list[dict], want: dict[str, tuple], now: str) -> list[dict]:
    """Conditions in upstream order; lastTransitionTime kept unless the status changed."""
    by_type = {c.get("type"): c for c in old or []}
    out = []
    for t in CONDITION_TYPES:
        status, reason, message = want[t]
        prev = by_type.get(t)
        ltt = prev.get("lastTransitionTime") if prev and prev.get("status") == status else now
        out.append({"lastTransitionTime": ltt, "message": message, "reason": reason, "status": status, "type": t})
    return out


class NamespaceController:
    name = "namespace"

    def __init__(self):
        self.resources = ("namespaces", *_namespaced_resources())

    def keys_for(self, ctx: Context, change) -> Iterable[tuple]:
        if change.resource == "namespaces":
            cache = getattr(ctx, "_ns_terminating", None)
            if cache is not None:
                cache.pop(change.name, None)
            return [("namespaces", "", change.name)]
        if change.op == "MODIFIED":
            return []
        # an object leaving (or a pod becoming Terminating) may let its namespace go
        terminating = getattr(ctx, "_ns_terminating", None)
        if terminating is None:
            terminating = ctx._ns_terminating = {}
        ns = change.namespace
        if ns not in terminating:
            obj = ctx.store.get("namespaces", "", ns)
            terminating[ns] = bool(obj and (obj.get("metadata") or {}).get("deletionTimestamp"))
        return [("namespaces", "", ns)] if terminating[ns] else []

    def reconcile(self, ctx: Context, key: tuple) -> None:
        _, _, name = key
        ns = ctx.store.get("namespaces", "", name)
        if ns is None:
            return
        meta = ns.get("metadata") or {}
        if not meta.get("deletionTimestamp"):
            return
        cache = getattr(ctx, "_ns_terminating", None)
        if cache is not None:
            cache[name] = True
        remaining: dict[str, int] = {}
        finalizers: dict[str, int] = {}
        for resource in _namespaced_resources():
            for obj in ctx.store.list(resource, name):
                ometa = obj.get("metadata") or {}
                if not ometa.get("deletionTimestamp"):
                    left = delete_object(ctx, resource, name, ometa["name"], propagation="background")
                    if left is None or ctx.store.get(resource, name, ometa["name"]) is None:
                        continue
                    ometa = left.get("metadata") or {}
                remaining[resource] = remaining.get(resource, 0) + 1
                for f in ometa.get("finalizers") or []:
                    finalizers[f] = finalizers.get(f, 0) + 1
        ns = ctx.store.get("namespaces", "", name)
        new = copy.deepcopy(ns)
        status = new.setdefault("status", {})
        status["phase"] = "Terminating"
        status["conditions"] = merge_conditions(status.get("conditions") or [],
                                                remaining_conditions(remaining, finalizers), ctx.now_str)
        if not remaining:
            fins = [f for f in (new.get("spec") or {}).get("finalizers") or [] if f != NAMESPACE_FINALIZER]
            if fins:
                new["spec"]["finalizers"] = fins
            else:
                new.setdefault("spec", {}).pop("finalizers", None)
                if not new["spec"]:
                    new.pop("spec")
            if should_remove(new):
                ctx.store.delete("namespaces", "", name)
                if cache is not None:
                    cache.pop(name, None)
                return
        ctx.write("namespaces", new)
