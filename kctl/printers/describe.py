"""`kctl describe`: kubectl 1.37's describers (k8s.io/kubectl/pkg/describe) over plain dicts.

Entry point: `describe(kind, obj, now=..., events=..., reader=...)`. Each describer writes
lines through a PrefixWriter (two spaces per level, cells separated by tabs) and the text
is aligned by a Go-tabwriter clone, so widths come out as kubectl's.
Timestamps print in `now`'s time zone (kubectl prints local time: pass an aware local `now`).
"""

from __future__ import annotations

from datetime import datetime, timezone

from kctl.printers.describe_common import (
    _Ctx,
    _describe_events,
    _gostr,
    _meta,
    _print_annotations_multiline,
    _print_labels_multiline,
)
from kctl.printers.describe_fmt import (
    LEVEL_0,
    PrefixWriter,
)
from kctl.printers.describe_pod import (
    _describe_pod,
)
from kctl.printers.describe_rbac import (
    _describe_binding,
    _describe_role,
)
from kctl.printers.describe_resources import (
    _describe_configmap,
    _describe_endpoint_slice,
    _describe_endpoints,
    _describe_ingress,
    _describe_ingress_class,
    _describe_limit_range,
    _describe_namespace,
    _describe_network_policy,
    _describe_node,
    _describe_pdb,
    _describe_priority_class,
    _describe_pv,
    _describe_pvc,
    _describe_resource_quota,
    _describe_secret,
    _describe_service,
    _describe_service_account,
    _describe_storage_class,
)
from kctl.printers.describe_workloads import (
    _describe_cronjob,
    _describe_daemonset,
    _describe_deployment,
    _describe_hpa,
    _describe_job,
    _describe_replicaset,
    _describe_replication_controller,
    _describe_statefulset,
)


def describe(kind, obj: dict, *, now: datetime, events: list[dict] | None, reader=None) -> str:
    """Render `kubectl describe` text for `obj` (a defaulted API object as a dict).

    kind: the object's `kctl.api.kinds.Kind`. now: aware datetime (ages, and the time zone
    timestamps are shown in). events: the Events about this object (None = --show-events=false,
    no Events section). reader: has `list(resource, namespace|None) -> list[dict]`, used to
    find related objects (ReplicaSets, Pods, EndpointSlices, Leases, quotas...).
    """
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    ctx = _Ctx(now, reader)
    fn = _DESCRIBERS.get((kind.group, kind.kind), _describe_generic)
    w = PrefixWriter()
    fn(ctx, w, obj, events)
    return w.getvalue()


def events_for(kind, obj: dict, events: list[dict]) -> list[dict]:
    """The Events kubectl's describe shows for `obj`: involvedObject name, namespace, kind and
    uid must match (its field-selector search). For a Node, kubectl searches twice, with the
    node's uid and with its name as uid (kubelet events), and concatenates the results."""
    meta = _meta(obj)
    name, ns, uid = meta.get("name", ""), meta.get("namespace", "") or "", meta.get("uid", "")

    def search(want_uid: str) -> list[dict]:
        out = []
        for e in events:
            inv = e.get("involvedObject") or {}
            if inv.get("name", "") != name or (inv.get("namespace", "") or "") != ns:
                continue
            if inv.get("kind", "") != kind.kind:
                continue
            if want_uid and inv.get("uid", "") != want_uid:
                continue
            out.append(e)
        return out

    if kind.group == "" and kind.kind == "Node":
        return search(uid) + search(name)
    return search(uid)


def _camel_split(src: str) -> list[str]:
    """fatih/camelcase.Split: runs of lower / upper / digit / other; an upper run followed by
    a lower run gives its last letter to the lower run ("PDFLoader" -> PDF, Loader)."""
    runs: list[list[str]] = []
    last = 0
    for r in src:
        if r.islower():
            cls = 1
        elif r.isupper():
            cls = 2
        elif r.isdigit():
            cls = 3
        else:
            cls = 4
        if cls == last and runs:
            runs[-1].append(r)
        else:
            runs.append([r])
        last = cls
    for i in range(len(runs) - 1):
        if runs[i] and runs[i][0].isupper() and runs[i + 1] and runs[i + 1][0].islower():
            runs[i + 1].insert(0, runs[i].pop())
    return ["".join(r) for r in runs if r]


def _smart_label(field: str) -> str:
    """kubectl's smartLabelFor: `creationTimestamp` -> `Creation Timestamp`, `uid` -> `UID`."""
    if any(not (ch.isalpha() or ch == "-") for ch in field):
        return field
    parts = _camel_split(field)
    merged: list[str] = []
    i = 0
    while i < len(parts):
        part = parts[i]
        if i < len(parts) - 1:
            nxt = parts[i + 1]
            all_upper = all(not ch.isalpha() or ch.isupper() for ch in part)
            if len(part) >= 2 and all_upper and nxt and nxt[0].isupper():
                merged.append(part + nxt)
                i += 2
                continue
        merged.append(part)
        i += 1
    result = []
    for part in merged:
        if part == "_":
            continue
        if part.upper() in ("API", "URL", "UID", "GUID"):
            part = part.upper()
        elif part.lower() == part:
            part = part[:1].upper() + part[1:]
        result.append(part)
    return " ".join(result)


def _print_unstructured(w, level: int, content: dict, skip_prefix: str, skip: set[str]):
    for field in sorted(content):
        value = content[field]
        expr = f"{skip_prefix}.{field}"
        if expr in skip:
            continue
        if isinstance(value, dict):
            w.write(level, f"{_smart_label(field)}:\n")
            _print_unstructured(w, level + 1, value, expr, skip)
        elif isinstance(value, list):
            w.write(level, f"{_smart_label(field)}:\n")
            for child in value:
                if isinstance(child, dict):
                    _print_unstructured(w, level + 1, child, expr, skip)
                else:
                    w.write(level + 1, f"{_unstructured_value(child)}\n")
        else:
            w.write(level, f"{_smart_label(field)}:\t{_unstructured_value(value)}\n")


def _unstructured_value(v) -> str:
    """Go's %v of a value kubectl decoded from JSON: integral numbers arrive as int64, other
    floats print as Go does (1.2345675e+06); lists and maps as Go's [a b] / map[k:v]."""
    if isinstance(v, float):
        from kctl.printers.crd_columns import wire_number

        return wire_number(v)
    if isinstance(v, list):
        return "[" + " ".join(_unstructured_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "map[" + " ".join(f"{k}:{_unstructured_value(v[k])}" for k in sorted(v)) + "]"
    return _gostr(v)


def _describe_generic(ctx, w, obj, events):
    meta = _meta(obj)
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    skip = {".metadata.managedFields", ".metadata.name", ".metadata.namespace", ".metadata.labels",
            ".metadata.annotations"}
    _print_unstructured(w, LEVEL_0, obj, "", skip)
    _describe_events(ctx, w, events)


_DESCRIBERS = {
    ("", "Pod"): _describe_pod,
    ("", "Service"): _describe_service,
    ("", "Endpoints"): _describe_endpoints,
    ("", "ConfigMap"): _describe_configmap,
    ("", "Secret"): _describe_secret,
    ("", "ServiceAccount"): _describe_service_account,
    ("", "Namespace"): _describe_namespace,
    ("", "Node"): _describe_node,
    ("", "PersistentVolumeClaim"): _describe_pvc,
    ("apps", "Deployment"): _describe_deployment,
    ("apps", "ReplicaSet"): _describe_replicaset,
    ("apps", "StatefulSet"): _describe_statefulset,
    ("apps", "DaemonSet"): _describe_daemonset,
    ("batch", "Job"): _describe_job,
    ("batch", "CronJob"): _describe_cronjob,
    ("", "ReplicationController"): _describe_replication_controller,
    ("", "ResourceQuota"): _describe_resource_quota,
    ("", "LimitRange"): _describe_limit_range,
    ("", "PersistentVolume"): _describe_pv,
    ("storage.k8s.io", "StorageClass"): _describe_storage_class,
    ("scheduling.k8s.io", "PriorityClass"): _describe_priority_class,
    ("policy", "PodDisruptionBudget"): _describe_pdb,
    ("discovery.k8s.io", "EndpointSlice"): _describe_endpoint_slice,
    ("networking.k8s.io", "Ingress"): _describe_ingress,
    ("networking.k8s.io", "IngressClass"): _describe_ingress_class,
    ("networking.k8s.io", "NetworkPolicy"): _describe_network_policy,
    ("autoscaling", "HorizontalPodAutoscaler"): _describe_hpa,
    ("rbac.authorization.k8s.io", "Role"): _describe_role,
    ("rbac.authorization.k8s.io", "ClusterRole"): _describe_role,
    ("rbac.authorization.k8s.io", "RoleBinding"): _describe_binding,
    ("rbac.authorization.k8s.io", "ClusterRoleBinding"): _describe_binding,
}


def has_dedicated_describer(kind) -> bool:
    """True when kctl has a kind-specific describer (else the generic one is used)."""
    return (kind.group, kind.kind) in _DESCRIBERS
