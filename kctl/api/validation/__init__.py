"""Semantic validation dispatcher: `validate_create(kind, obj)` / `validate_update(kind, new, old)`.

Every kind gets ObjectMeta validation with its upstream name rule and scope; the kinds kctl
simulates get their deep rules (apps.py, service.py, config.py, cluster.py, core.py). Objects
are already defaulted. The returned errors are in upstream's order: metadata first, then spec.
"""

from __future__ import annotations

from typing import Any, Callable

from kctl.api.field import FieldError

RBAC = "rbac.authorization.k8s.io"


def path_segment_name(name: str, prefix: bool = False) -> list[str]:
    """path.IsValidPathSegmentName / ValidatePathSegmentName (RBAC kinds, PV, PVC names)."""
    msgs: list[str] = []
    if not prefix and name in (".", ".."):
        return [f"may not be '{name}'"]
    if "/" in name:
        msgs.append("may not contain '/'")
    if "%" in name:
        msgs.append("may not contain '%'")
    return msgs


def _name_fn(group: str, kind: str) -> Callable[..., list[str]]:
    """The kind's ValidateXName function."""
    from kctl.api.validation import names

    if group == "" and kind == "Namespace":
        return names.name_is_dns_label
    if group == "" and kind == "Service":
        return names.name_is_dns1035_label
    if group == "apps" and kind == "StatefulSet":
        return names.name_is_dns_label  # 1.37 ValidateStatefulSetName: NameIsDNSLabel
    if group == RBAC and kind in ("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"):
        return path_segment_name
    if group == "" and kind in ("PersistentVolume", "PersistentVolumeClaim"):
        return path_segment_name
    if group == "flowcontrol.apiserver.k8s.io":
        return path_segment_name
    return names.name_is_dns_subdomain


def _deep_create(group: str, kind: str) -> Callable[[dict], list[FieldError]] | None:
    if (group, kind) == ("", "ReplicationController"):
        from kctl.api.validation import apps

        return apps.validate_replication_controller
    if group == "apps":
        from kctl.api.validation import apps

        return {
            "Deployment": apps.validate_deployment,
            "ReplicaSet": apps.validate_replica_set,
            "DaemonSet": apps.validate_daemon_set,
            "StatefulSet": apps.validate_stateful_set,
        }.get(kind)
    if group == "batch":
        from kctl.api.validation import apps

        return {"Job": apps.validate_job, "CronJob": apps.validate_cron_job}.get(kind)
    if (group, kind) == ("autoscaling", "HorizontalPodAutoscaler"):
        from kctl.api.validation.policy import validate_hpa

        return validate_hpa
    if (group, kind) == ("networking.k8s.io", "Ingress"):
        from kctl.api.validation.networking import validate_ingress

        return validate_ingress
    if (group, kind) == ("scheduling.k8s.io", "PriorityClass"):
        from kctl.api.validation.policy import validate_priority_class

        return validate_priority_class
    if group != "":
        return None
    if kind == "Service":
        from kctl.api.validation.service import validate_service

        return validate_service
    if kind == "ConfigMap":
        from kctl.api.validation.config import validate_config_map

        return validate_config_map
    if kind == "Secret":
        from kctl.api.validation.config import validate_secret

        return validate_secret
    if kind == "Namespace":
        from kctl.api.validation.cluster import validate_namespace

        return validate_namespace
    if kind == "Node":
        from kctl.api.validation.cluster import validate_node

        return validate_node
    if kind == "PersistentVolumeClaim":
        from kctl.api.validation.cluster import validate_pvc

        return validate_pvc
    return None


def _deep_update(group: str, kind: str) -> Callable[[dict, dict], list[FieldError]] | None:
    if (group, kind) == ("", "ReplicationController"):
        from kctl.api.validation import apps

        return apps.validate_replication_controller_update
    if group == "apps":
        from kctl.api.validation import apps

        return {
            "Deployment": apps.validate_deployment_update,
            "ReplicaSet": apps.validate_replica_set_update,
            "DaemonSet": apps.validate_daemon_set_update,
            "StatefulSet": apps.validate_stateful_set_update,
        }.get(kind)
    if group == "batch":
        from kctl.api.validation import apps

        return {"Job": apps.validate_job_update, "CronJob": apps.validate_cron_job_update}.get(kind)
    if group != "":
        return None
    if kind == "Service":
        from kctl.api.validation.service import validate_service_update

        return validate_service_update
    if kind == "ConfigMap":
        from kctl.api.validation.config import validate_config_map_update

        return validate_config_map_update
    if kind == "Secret":
        from kctl.api.validation.config import validate_secret_update

        return validate_secret_update
    if kind == "Namespace":
        from kctl.api.validation.cluster import validate_namespace_update

        return validate_namespace_update
    if kind == "Node":
        from kctl.api.validation.cluster import validate_node_update

        return validate_node_update
    if kind == "PersistentVolumeClaim":
        from kctl.api.validation.cluster import validate_pvc_update

        return validate_pvc_update
    return None


def _meta(obj: Any) -> dict:
    m = obj.get("metadata") if isinstance(obj, dict) else None
    return m if isinstance(m, dict) else {}


def validate_create(kind, obj: dict) -> list[FieldError]:
    """All semantic errors for creating `obj` (a defaulted dict) of `kind` (a Kind)."""
    from kctl.api.validation.meta import validate_object_meta

    group, name = getattr(kind, "group", ""), getattr(kind, "kind", "")
    if group == "" and name == "Pod":
        from kctl.api.validation.core import validate_pod

        return validate_pod(obj)
    if group == "" and name == "Secret":
        # a data value that is not base64 fails the request while decoding, before validation
        from kctl.api.validation.config import secret_decoding_errors

        dec = secret_decoding_errors(obj)
        if dec:
            return dec
    errs = validate_object_meta(_meta(obj), "metadata", namespaced=bool(getattr(kind, "namespaced", True)),
                                name_fn=_name_fn(group, name), kube_finalizers=not _generic_meta(group, name))
    deep = _deep_create(group, name)
    if deep is not None:
        errs.extend(deep(obj))
    return errs


def _generic_meta(group: str, kind: str) -> bool:
    """CRDs and custom resources get apimachinery's generic ObjectMeta validation (no core
    finalizer-name rule): every kind the built-in table does not have, and the CRD itself."""
    from kctl.api.kinds import is_builtin

    return (group, kind) == ("apiextensions.k8s.io", "CustomResourceDefinition") or not is_builtin(group, kind)


def validate_update(kind, new: dict, old: dict) -> list[FieldError]:
    """All semantic errors for replacing `old` with `new` (both defaulted) of `kind`."""
    from kctl.api.validation.meta import validate_object_meta_update

    group, name = getattr(kind, "group", ""), getattr(kind, "kind", "")
    if group == "" and name == "Pod":
        from kctl.api.validation.core import validate_pod_update

        return validate_pod_update(new, old)
    if group == "" and name == "Secret":
        from kctl.api.validation.config import secret_decoding_errors

        dec = secret_decoding_errors(new)
        if dec:
            return dec
    errs = validate_object_meta_update(_meta(new), _meta(old), "metadata",
                                       kube_finalizers=not _generic_meta(group, name))
    deep = _deep_update(group, name)
    if deep is not None:
        errs.extend(deep(new, old))
    return errs


__all__ = ["validate_create", "validate_update", "path_segment_name"]
