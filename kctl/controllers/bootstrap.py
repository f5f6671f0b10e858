"""Objects a fresh control plane makes for itself (CLI-CONTRACT.md "Bootstrap objects").

- the `kubernetes` Service in default (ClusterIP 10.96.0.1, https 443→6443, no selector) and
  its Endpoints / EndpointSlice, as the API server's endpoint reconciler writes them, pointing
  at a simulated API server address (APISERVER_IP: what kind's control-plane container gets);
- the default StorageClass `standard` (kind's: rancher.io/local-path, reclaimPolicy Delete,
  volumeBindingMode WaitForFirstConsumer);
- the system PriorityClasses system-cluster-critical and system-node-critical.

The `default` ServiceAccount and `kube-root-ca.crt` ConfigMap of every namespace come from
the ServiceAccountController (kctl.controllers.serviceaccount) during converge.
`bootstrap_control_plane(ctx)` is idempotent: it creates only what is missing.
"""

from __future__ import annotations

from kctl.controllers.allocators import KUBERNETES_SERVICE_IP

APISERVER_IP = "172.18.0.2"
APISERVER_PORT = 6443
DEFAULT_STORAGE_CLASS = "standard"
DEFAULT_PROVISIONER = "rancher.io/local-path"

SYSTEM_PRIORITY_CLASSES = (
    # scheduling.SystemCriticalPriority = 2e9; node-critical is 1000 above it
    ("system-node-critical", 2000001000, "Used for system critical pods that must not be moved from their current node."),
    ("system-cluster-critical", 2000000000, "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary."),
)


def kubernetes_service() -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": "kubernetes",
            "namespace": "default",
            "labels": {"component": "apiserver", "provider": "kubernetes"},
        },
        "spec": {
            "clusterIP": KUBERNETES_SERVICE_IP,
            "clusterIPs": [KUBERNETES_SERVICE_IP],
            "internalTrafficPolicy": "Cluster",
            "ipFamilies": ["IPv4"],
            "ipFamilyPolicy": "SingleStack",
            "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": APISERVER_PORT}],
            "sessionAffinity": "None",
            "type": "ClusterIP",
        },
        "status": {"loadBalancer": {}},
    }


def kubernetes_endpoints() -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": {
            "name": "kubernetes",
            "namespace": "default",
            "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"},
        },
        "subsets": [{
            "addresses": [{"ip": APISERVER_IP}],
            "ports": [{"name": "https", "port": APISERVER_PORT, "protocol": "TCP"}],
        }],
    }


def kubernetes_endpointslice() -> dict:
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {
            "name": "kubernetes",
            "namespace": "default",
            "labels": {"kubernetes.io/service-name": "kubernetes"},
        },
        "addressType": "IPv4",
        "endpoints": [{"addresses": [APISERVER_IP], "conditions": {"ready": True}}],
        "ports": [{"name": "https", "port": APISERVER_PORT, "protocol": "TCP"}],
    }


def standard_storage_class() -> dict:
    return {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": {
            "name": DEFAULT_STORAGE_CLASS,
            "annotations": {"storageclass.kubernetes.io/is-default-class": "true"},
        },
        "provisioner": DEFAULT_PROVISIONER,
        "reclaimPolicy": "Delete",
        "volumeBindingMode": "WaitForFirstConsumer",
    }


def system_priority_class(name: str, value: int, description: str) -> dict:
    return {
        "apiVersion": "scheduling.k8s.io/v1",
        "kind": "PriorityClass",
        "metadata": {"name": name},
        "value": value,
        "globalDefault": False,
        "description": description,
        "preemptionPolicy": "PreemptLowerPriority",
    }


def bootstrap_control_plane(ctx) -> None:
    """Create whichever bootstrap objects are missing (never touches existing ones)."""
    def ensure(resource: str, obj: dict) -> None:
        meta = obj["metadata"]
        if ctx.get(resource, meta.get("namespace", ""), meta["name"]) is None:
            ctx.create(resource, obj)

    if ctx.get("namespaces", "", "default") is not None:
        ensure("services", kubernetes_service())
        ensure("endpoints", kubernetes_endpoints())
        ensure("endpointslices.discovery.k8s.io", kubernetes_endpointslice())
    ensure("storageclasses.storage.k8s.io", standard_storage_class())
    for name, value, desc in SYSTEM_PRIORITY_CLASSES:
        ensure("priorityclasses.scheduling.k8s.io", system_priority_class(name, value, desc))
