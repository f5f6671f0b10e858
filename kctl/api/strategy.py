"""Per-kind rules the API server's registry strategies apply around a write.

What `PrepareForCreate` / `PrepareForUpdate` do upstream: reset status on create, keep the
live status on update (status is a subresource), bump `metadata.generation` only when the
spec changes, and keep server-owned metadata.
"""

from __future__ import annotations

import copy
from typing import Any

from kctl.api.kinds import Kind

# Kinds whose registry strategy tracks metadata.generation (upstream sets generation=1 on
# create and bumps it when anything but metadata/status changes).
_GENERATION_KINDS = {
    ("apps", "Deployment"), ("apps", "ReplicaSet"), ("apps", "StatefulSet"), ("apps", "DaemonSet"),
    ("batch", "Job"), ("batch", "CronJob"), ("", "Pod"), ("", "ReplicationController"),
    ("policy", "PodDisruptionBudget"), ("autoscaling", "HorizontalPodAutoscaler"),
    ("networking.k8s.io", "Ingress"), ("networking.k8s.io", "NetworkPolicy"),
    ("apiextensions.k8s.io", "CustomResourceDefinition"), ("scheduling.k8s.io", "PriorityClass"),
    ("discovery.k8s.io", "EndpointSlice"),
}

# Kinds whose status is a subresource: a create starts from an empty status and an
# update through the main resource never changes it.
_STATUS_SUBRESOURCE = {
    ("apps", "Deployment"), ("apps", "ReplicaSet"), ("apps", "StatefulSet"), ("apps", "DaemonSet"),
    ("batch", "Job"), ("batch", "CronJob"), ("", "Pod"), ("", "ReplicationController"),
    ("", "Service"), ("", "Namespace"), ("", "PersistentVolumeClaim"), ("", "PersistentVolume"),
    ("policy", "PodDisruptionBudget"), ("autoscaling", "HorizontalPodAutoscaler"),
    ("networking.k8s.io", "Ingress"), ("apiextensions.k8s.io", "CustomResourceDefinition"),
    ("", "ResourceQuota"),
}

# metadata fields the server owns: a client cannot set them by apply.
SERVER_METADATA = ("uid", "creationTimestamp", "resourceVersion", "generation", "selfLink",
                   "managedFields", "deletionTimestamp", "deletionGracePeriodSeconds")


def tracks_generation(kind: Kind) -> bool:
    return (kind.group, kind.kind) in _GENERATION_KINDS


def has_status_subresource(kind: Kind) -> bool:
    return (kind.group, kind.kind) in _STATUS_SUBRESOURCE


def initial_status(kind: Kind, obj: dict) -> dict | None:
    """The status a freshly created object starts with (None = no status field)."""
    gk = (kind.group, kind.kind)
    if gk == ("", "Pod"):
        return {"phase": "Pending", "qosClass": qos_class(obj.get("spec") or {})}
    if gk == ("", "Namespace"):
        return {"phase": "Active"}
    if gk == ("", "PersistentVolumeClaim"):
        return {"phase": "Pending"}
    if gk == ("", "PersistentVolume"):
        return {"phase": "Pending"}
    if gk == ("", "Service"):
        return {"loadBalancer": {}}
    return {}


def prepare_for_create(kind: Kind, obj: dict, *, uid: str, now: str, keep_status: bool = False) -> None:
    """Fill server-owned metadata and the initial status, in place."""
    meta = obj.setdefault("metadata", {})
    for f in SERVER_METADATA:
        meta.pop(f, None)
    meta["uid"] = uid
    meta["creationTimestamp"] = now
    if tracks_generation(kind):
        meta["generation"] = 1
    if has_status_subresource(kind) and not keep_status:
        status = initial_status(kind, obj)
        if status is None:
            obj.pop("status", None)
        else:
            obj["status"] = status


def prepare_for_update(kind: Kind, new: dict, old: dict, *, keep_status: bool = False) -> None:
    """Keep server-owned metadata and the live status; bump generation on a spec change."""
    meta = new.setdefault("metadata", {})
    old_meta = old.get("metadata") or {}
    for f in SERVER_METADATA:
        if f in old_meta:
            meta[f] = copy.deepcopy(old_meta[f])
        else:
            meta.pop(f, None)
    if has_status_subresource(kind) and not keep_status:
        if "status" in old:
            new["status"] = copy.deepcopy(old["status"])
        else:
            new.pop("status", None)
    if tracks_generation(kind) and spec_changed(new, old):
        meta["generation"] = int(old_meta.get("generation") or 0) + 1


def spec_changed(new: dict, old: dict) -> bool:
    """Anything but metadata and status differs (what upstream's strategies compare)."""
    def body(o: dict) -> dict[str, Any]:
        return {k: v for k, v in o.items() if k not in ("metadata", "status", "apiVersion", "kind")}

    return body(new) != body(old)


def qos_class(spec: dict) -> str:
    """Pod QoS class (pkg/apis/core/helper/qos): Guaranteed when every container sets equal
    cpu and memory requests and limits, BestEffort when none sets any, else Burstable."""
    containers = list(spec.get("containers") or []) + list(spec.get("initContainers") or [])
    requests: dict[str, list] = {}
    limits: dict[str, list] = {}
    any_set = False
    guaranteed = True
    for c in containers:
        res = c.get("resources") or {}
        req = {k: v for k, v in (res.get("requests") or {}).items() if k in ("cpu", "memory")}
        lim = {k: v for k, v in (res.get("limits") or {}).items() if k in ("cpu", "memory")}
        if req or lim:
            any_set = True
        for r in ("cpu", "memory"):
            if r not in lim:
                guaranteed = False
            elif r in req and _q(req[r]) != _q(lim[r]):
                guaranteed = False
        requests.update(req)
        limits.update(lim)
    if not any_set:
        return "BestEffort"
    return "Guaranteed" if guaranteed else "Burstable"


def _q(v):
    try:
        from kctl.api.quantity import parse_quantity

        return parse_quantity(v)
    except Exception:  # invalid quantities are reported by validation, not here
        return str(v)
