"""`kctl describe` text: golden files per kind plus targeted layout rules.

Goldens live in tests/golden/describe/<case>.txt. Regenerate them after an intended change with
`KCTL_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/printers/test_describe.py` and review the
diff: the goldens were checked by eye against kubectl 1.37 output (kubernetes.io examples).
"""

from __future__ import annotations

import base64
import copy
import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

from kctl.api.kinds import Kind
from kctl.printers.describe import _smart_label, describe
from kctl.printers.describe_common import _format_selector
from kctl.printers.describe_fmt import human_duration, rfc1123z, tabwrite

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "describe"
UPDATE = os.environ.get("KCTL_UPDATE_GOLDEN") == "1"
NOW = datetime(2026, 11, 25, 12, 0, 0, tzinfo=timezone.utc)

K = {
    "Pod": Kind("", "v1", "Pod", "pods", "pod", ("po",)),
    "Service": Kind("", "v1", "Service", "services", "service", ("svc",)),
    "Endpoints": Kind("", "v1", "Endpoints", "endpoints", "endpoints", ("ep",)),
    "ConfigMap": Kind("", "v1", "ConfigMap", "configmaps", "configmap", ("cm",)),
    "Secret": Kind("", "v1", "Secret", "secrets", "secret"),
    "ServiceAccount": Kind("", "v1", "ServiceAccount", "serviceaccounts", "serviceaccount", ("sa",)),
    "Namespace": Kind("", "v1", "Namespace", "namespaces", "namespace", ("ns",), namespaced=False),
    "Node": Kind("", "v1", "Node", "nodes", "node", ("no",), namespaced=False),
    "PersistentVolumeClaim": Kind("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims",
                                  "persistentvolumeclaim", ("pvc",)),
    "Deployment": Kind("apps", "v1", "Deployment", "deployments", "deployment", ("deploy",)),
    "ReplicaSet": Kind("apps", "v1", "ReplicaSet", "replicasets", "replicaset", ("rs",)),
    "StatefulSet": Kind("apps", "v1", "StatefulSet", "statefulsets", "statefulset", ("sts",)),
    "DaemonSet": Kind("apps", "v1", "DaemonSet", "daemonsets", "daemonset", ("ds",)),
    "Job": Kind("batch", "v1", "Job", "jobs", "job"),
    "PriorityClass": Kind("scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", "priorityclass",
                          ("pc",), namespaced=False),
    "Lease": Kind("coordination.k8s.io", "v1", "Lease", "leases", "lease"),
    "CronJob": Kind("batch", "v1", "CronJob", "cronjobs", "cronjob", ("cj",)),
    "PersistentVolume": Kind("", "v1", "PersistentVolume", "persistentvolumes", "persistentvolume", ("pv",),
                             namespaced=False),
    "StorageClass": Kind("storage.k8s.io", "v1", "StorageClass", "storageclasses", "storageclass", ("sc",),
                         namespaced=False),
    "ResourceQuota": Kind("", "v1", "ResourceQuota", "resourcequotas", "resourcequota", ("quota",)),
    "LimitRange": Kind("", "v1", "LimitRange", "limitranges", "limitrange", ("limits",)),
    "PodDisruptionBudget": Kind("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets",
                                "poddisruptionbudget", ("pdb",)),
    "ReplicationController": Kind("", "v1", "ReplicationController", "replicationcontrollers",
                                  "replicationcontroller", ("rc",)),
    "EndpointSlice": Kind("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", "endpointslice"),
    "Ingress": Kind("networking.k8s.io", "v1", "Ingress", "ingresses", "ingress", ("ing",)),
    "NetworkPolicy": Kind("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", "networkpolicy",
                          ("netpol",)),
    "IngressClass": Kind("networking.k8s.io", "v1", "IngressClass", "ingressclasses", "ingressclass",
                         namespaced=False),
    "HorizontalPodAutoscaler": Kind("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers",
                                    "horizontalpodautoscaler", ("hpa",)),
    "Role": Kind("rbac.authorization.k8s.io", "v1", "Role", "roles", "role"),
    "ClusterRole": Kind("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", "clusterrole",
                        namespaced=False),
    "RoleBinding": Kind("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", "rolebinding"),
    "ClusterRoleBinding": Kind("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings",
                               "clusterrolebinding", namespaced=False),
}


class Reader:
    """Stand-in for the store: `list(resource, namespace)` over a fixed set of objects."""

    def __init__(self, objs_by_resource: dict[str, list[dict]]):
        self.objs = objs_by_resource

    def list(self, resource, namespace):
        out = self.objs.get(resource, [])
        if namespace is not None:
            out = [o for o in out if o["metadata"].get("namespace", "") == namespace]
        return sorted(out, key=lambda o: (o["metadata"].get("namespace", ""), o["metadata"]["name"]))


# ------------------------------------------------------------------------------------------
# fixtures: objects as a 1.37 API server returns them (defaulted, status filled by controllers)

TS = "2026-11-25T11:50:00Z"
TOLERATIONS = [
    {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300},
    {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300},
]


def container(name="web", image="nginx:1.27", **extra):
    c = {
        "name": name,
        "image": image,
        "imagePullPolicy": "IfNotPresent",
        "ports": [{"containerPort": 80, "name": "http", "protocol": "TCP"}],
        "resources": {"limits": {"cpu": "500m", "memory": "128Mi"}, "requests": {"cpu": "250m", "memory": "64Mi"}},
        "terminationMessagePath": "/dev/termination-log",
        "terminationMessagePolicy": "File",
    }
    c.update(extra)
    return c


def pod_template(labels):
    return {
        "metadata": {"labels": dict(labels)},
        "spec": {
            "containers": [container(
                readinessProbe={"httpGet": {"path": "/healthz", "port": 80, "scheme": "HTTP"},
                                "failureThreshold": 3, "periodSeconds": 10, "successThreshold": 1,
                                "timeoutSeconds": 1},
                env=[{"name": "MODE", "value": "prod"},
                     {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"key": "password", "name": "db"}}}],
            )],
            "dnsPolicy": "ClusterFirst",
            "restartPolicy": "Always",
            "schedulerName": "default-scheduler",
            "securityContext": {},
            "terminationGracePeriodSeconds": 30,
        },
    }


def make_deployment():
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {
            "name": "web", "namespace": "shop", "uid": "d1", "generation": 1, "resourceVersion": "120",
            "creationTimestamp": "2026-11-25T11:00:00Z", "labels": {"app": "web"},
            "annotations": {"deployment.kubernetes.io/revision": "2",
                            "kubectl.kubernetes.io/last-applied-configuration": '{"apiVersion":"apps/v1"}\n'},
        },
        "spec": {
            "progressDeadlineSeconds": 600, "replicas": 3, "revisionHistoryLimit": 10,
            "selector": {"matchLabels": {"app": "web"}},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
            "template": pod_template({"app": "web"}),
        },
        "status": {
            "availableReplicas": 3, "observedGeneration": 1, "readyReplicas": 3, "replicas": 3,
            "updatedReplicas": 3,
            "conditions": [
                {"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable",
                 "message": "Deployment has minimum availability.", "lastTransitionTime": TS, "lastUpdateTime": TS},
                {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable",
                 "message": 'ReplicaSet "web-7d4b9c" has successfully progressed.', "lastTransitionTime": TS,
                 "lastUpdateTime": TS},
            ],
        },
    }


def make_replicaset(name, hash_, replicas, template_labels, image="nginx:1.27", created="2026-11-25T11:40:00Z"):
    tmpl = pod_template({**template_labels, "pod-template-hash": hash_})
    tmpl["spec"]["containers"][0]["image"] = image
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": name, "namespace": "shop", "uid": f"rs-{hash_}", "creationTimestamp": created,
            "labels": {"app": "web", "pod-template-hash": hash_},
            "annotations": {"deployment.kubernetes.io/desired-replicas": "3",
                            "deployment.kubernetes.io/max-replicas": "4",
                            "deployment.kubernetes.io/revision": "2" if replicas else "1"},
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "web", "uid": "d1",
                                 "controller": True, "blockOwnerDeletion": True}],
        },
        "spec": {"replicas": replicas,
                 "selector": {"matchLabels": {"app": "web", "pod-template-hash": hash_}},
                 "template": tmpl},
        "status": {"replicas": replicas, "availableReplicas": replicas, "readyReplicas": replicas,
                   "fullyLabeledReplicas": replicas, "observedGeneration": 1},
    }


def make_pod(name="web-7d4b9c-x2x4q", node="node-1", ip="10.244.1.5", phase="Running", owner_uid="rs-7d4b9c",
             owner="web-7d4b9c", **spec_extra):
    spec = copy.deepcopy(pod_template({})["spec"])
    spec["containers"][0]["volumeMounts"] = [
        {"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": "kube-api-access-abcde",
         "readOnly": True},
        {"mountPath": "/etc/web", "name": "config"},
    ]
    spec.update({
        "enableServiceLinks": True, "nodeName": node, "preemptionPolicy": "PreemptLowerPriority",
        "priority": 0, "serviceAccount": "default", "serviceAccountName": "default", "tolerations": TOLERATIONS,
        "volumes": [
            {"name": "config", "configMap": {"name": "web-config", "defaultMode": 420}},
            {"name": "kube-api-access-abcde", "projected": {"defaultMode": 420, "sources": [
                {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
                {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"},
                                            "path": "namespace"}]}},
            ]}},
        ],
    })
    spec.update(spec_extra)
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": name, "namespace": "shop", "uid": f"uid-{name}", "creationTimestamp": TS,
            "labels": {"app": "web", "pod-template-hash": "7d4b9c"},
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": owner, "uid": owner_uid,
                                 "controller": True, "blockOwnerDeletion": True}],
        },
        "spec": spec,
        "status": {
            "phase": phase, "hostIP": "172.18.0.2", "hostIPs": [{"ip": "172.18.0.2"}], "podIP": ip,
            "podIPs": [{"ip": ip}], "qosClass": "Burstable", "startTime": TS,
            "conditions": [
                {"type": "PodReadyToStartContainers", "status": "True", "lastTransitionTime": TS},
                {"type": "Initialized", "status": "True", "lastTransitionTime": TS},
                {"type": "Ready", "status": "True", "lastTransitionTime": TS},
                {"type": "ContainersReady", "status": "True", "lastTransitionTime": TS},
                {"type": "PodScheduled", "status": "True", "lastTransitionTime": TS},
            ],
            "containerStatuses": [{
                "name": "web", "image": "docker.io/library/nginx:1.27",
                "imageID": "docker.io/library/nginx@sha256:6784fb0834aa",
                "containerID": "containerd://1b2c3d4e5f", "ready": True, "restartCount": 1, "started": True,
                "state": {"running": {"startedAt": "2026-11-25T11:52:00Z"}},
                "lastState": {"terminated": {"exitCode": 137, "reason": "OOMKilled",
                                             "startedAt": "2026-11-25T11:50:30Z",
                                             "finishedAt": "2026-11-25T11:51:58Z",
                                             "containerID": "containerd://0a0a"}},
            }],
        },
    }


def event(reason, message, *, type_="Normal", component="default-scheduler", first=TS, last=None, count=1,
          kind="Pod", name="web-7d4b9c-x2x4q", field_path=None):
    inv = {"kind": kind, "name": name, "namespace": "shop"}
    if field_path:
        inv["fieldPath"] = field_path
    return {
        "apiVersion": "v1", "kind": "Event",
        "metadata": {"name": f"{name}.{reason}", "namespace": "shop"},
        "involvedObject": inv, "reason": reason, "message": message, "type": type_,
        "source": {"component": component}, "firstTimestamp": first, "lastTimestamp": last or first,
        "count": count,
    }


def make_node(name="node-1", ip="172.18.0.2", cidr="10.244.1.0/24", labels=None, taints=None):
    return {
        "apiVersion": "v1", "kind": "Node",
        "metadata": {
            "name": name, "uid": f"uid-{name}", "creationTimestamp": "2026-11-25T10:00:00Z",
            "labels": labels or {"kubernetes.io/arch": "amd64", "kubernetes.io/hostname": name,
                                 "kubernetes.io/os": "linux", "topology.kubernetes.io/zone": "eu-1a"},
            "annotations": {"node.alpha.kubernetes.io/ttl": "0",
                            "volumes.kubernetes.io/controller-managed-attach-detach": "true"},
        },
        "spec": {"podCIDR": cidr, "podCIDRs": [cidr], "taints": taints or []},
        "status": {
            "addresses": [{"type": "InternalIP", "address": ip}, {"type": "Hostname", "address": name}],
            "capacity": {"cpu": "8", "ephemeral-storage": "100Gi", "hugepages-2Mi": "0", "memory": "32Gi",
                         "pods": "110"},
            "allocatable": {"cpu": "7800m", "ephemeral-storage": "100Gi", "hugepages-2Mi": "0",
                            "memory": "30Gi", "pods": "110"},
            "conditions": [
                {"type": "MemoryPressure", "status": "False", "reason": "KubeletHasSufficientMemory",
                 "message": "kubelet has sufficient memory available", "lastHeartbeatTime": "2026-11-25T11:59:00Z",
                 "lastTransitionTime": "2026-11-25T10:00:00Z"},
                {"type": "DiskPressure", "status": "False", "reason": "KubeletHasNoDiskPressure",
                 "message": "kubelet has no disk pressure", "lastHeartbeatTime": "2026-11-25T11:59:00Z",
                 "lastTransitionTime": "2026-11-25T10:00:00Z"},
                {"type": "PIDPressure", "status": "False", "reason": "KubeletHasSufficientPID",
                 "message": "kubelet has sufficient PID available", "lastHeartbeatTime": "2026-11-25T11:59:00Z",
                 "lastTransitionTime": "2026-11-25T10:00:00Z"},
                {"type": "Ready", "status": "True", "reason": "KubeletReady",
                 "message": "kubelet is posting ready status", "lastHeartbeatTime": "2026-11-25T11:59:00Z",
                 "lastTransitionTime": "2026-11-25T10:00:10Z"},
            ],
            "nodeInfo": {"architecture": "amd64", "bootID": "5e6f7a8b", "containerRuntimeVersion": "containerd://2.1.0",
                         "kernelVersion": "6.8.0-45-generic", "kubeProxyVersion": "", "kubeletVersion": "v1.37.0",
                         "machineID": "0123abcd", "operatingSystem": "linux",
                         "osImage": "Debian GNU/Linux 12 (bookworm)", "systemUUID": "a1b2c3d4"},
        },
    }


def case_pod():
    pod = make_pod()
    events = [
        event("Scheduled", "Successfully assigned shop/web-7d4b9c-x2x4q to node-1", first=TS),
        event("Pulled", 'Container image "nginx:1.27" already present on machine', component="kubelet",
              first="2026-11-25T11:50:30Z", last="2026-11-25T11:52:00Z", count=2,
              field_path="spec.containers{web}"),
        event("BackOff", "Back-off restarting failed container web in pod web-7d4b9c-x2x4q", type_="Warning",
              component="kubelet", first="2026-11-25T11:51:58Z", field_path="spec.containers{web}"),
    ]
    return K["Pod"], pod, events, Reader({})


def case_pod_pending():
    pod = make_pod(name="big-0", node="", ip="", phase="Pending", owner="big", owner_uid="sts-big")
    pod["metadata"]["labels"] = {"app": "big"}
    pod["metadata"]["ownerReferences"][0]["kind"] = "StatefulSet"
    pod["spec"].pop("nodeName")
    pod["spec"]["nodeSelector"] = {"disk": "ssd"}
    pod["spec"]["containers"][0]["resources"] = {"requests": {"cpu": "16", "memory": "1Gi"}}
    pod["spec"]["containers"][0]["ports"] = [{"containerPort": 80, "protocol": "TCP"},
                                             {"containerPort": 443, "name": "https", "protocol": "TCP"}]
    pod["spec"]["containers"][0]["command"] = ["sh", "-c"]
    pod["spec"]["containers"][0]["args"] = ["echo start\nexec nginx"]
    pod["spec"]["containers"][0]["env"] = [{"name": "NODE", "valueFrom": {"fieldRef": {
        "apiVersion": "v1", "fieldPath": "spec.nodeName"}}}]
    pod["spec"]["volumes"].append({"name": "scratch", "emptyDir": {}})
    pod["status"] = {
        "phase": "Pending", "qosClass": "Burstable",
        "conditions": [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
                        "message": "0/3 nodes are available: 3 Insufficient cpu.", "lastTransitionTime": TS}],
    }
    events = [event("FailedScheduling",
                    "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: "
                    "3 No preemption victims found for incoming pod.",
                    type_="Warning", first="2026-11-25T11:50:00Z", last="2026-11-25T11:58:00Z", count=3,
                    name="big-0")]
    return K["Pod"], pod, events, Reader({})


def case_deployment():
    d = make_deployment()
    new = make_replicaset("web-7d4b9c", "7d4b9c", 3, {"app": "web"})
    old = make_replicaset("web-5f6a7b", "5f6a7b", 0, {"app": "web"}, image="nginx:1.26",
                          created="2026-11-25T11:00:00Z")
    events = [
        event("ScalingReplicaSet", "Scaled up replica set web-5f6a7b from 0 to 3", component="deployment-controller",
              first="2026-11-25T11:00:00Z", kind="Deployment", name="web"),
        event("ScalingReplicaSet", "Scaled up replica set web-7d4b9c from 0 to 1", component="deployment-controller",
              first="2026-11-25T11:40:00Z", kind="Deployment", name="web"),
        event("ScalingReplicaSet", "Scaled down replica set web-5f6a7b from 3 to 0",
              component="deployment-controller", first="2026-11-25T11:41:00Z", kind="Deployment", name="web"),
    ]
    return K["Deployment"], d, events, Reader({"replicasets.apps": [old, new]})


def case_replicaset():
    rs = make_replicaset("web-7d4b9c", "7d4b9c", 3, {"app": "web"})
    pods = [make_pod(name=f"web-7d4b9c-{s}") for s in ("x2x4q", "b8kzt")]
    pods.append(make_pod(name="web-7d4b9c-pend", phase="Pending"))
    stranger = make_pod(name="web-other", owner_uid="someone-else")
    events = [event("SuccessfulCreate", "Created pod: web-7d4b9c-x2x4q", component="replicaset-controller",
                    kind="ReplicaSet", name="web-7d4b9c")]
    return K["ReplicaSet"], rs, events, Reader({"pods": pods + [stranger]})


def case_statefulset():
    tmpl = pod_template({"app": "db"})
    tmpl["spec"]["containers"][0].update(name="db", image="postgres:17", ports=[
        {"containerPort": 5432, "name": "pg", "protocol": "TCP"}])
    tmpl["spec"]["containers"][0]["volumeMounts"] = [{"mountPath": "/var/lib/postgresql/data", "name": "data"}]
    ss = {
        "apiVersion": "apps/v1", "kind": "StatefulSet",
        "metadata": {"name": "db", "namespace": "shop", "uid": "sts-db", "creationTimestamp": "2026-11-25T11:00:00Z",
                     "labels": {"app": "db"}},
        "spec": {
            "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain", "whenScaled": "Retain"},
            "podManagementPolicy": "OrderedReady", "replicas": 2, "revisionHistoryLimit": 10,
            "selector": {"matchLabels": {"app": "db"}}, "serviceName": "db",
            "template": tmpl,
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}},
            "volumeClaimTemplates": [{
                "apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data"},
                "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "10Gi"}},
                         "volumeMode": "Filesystem"},
                "status": {"phase": "Pending"},
            }],
        },
        "status": {"availableReplicas": 2, "currentReplicas": 2, "readyReplicas": 2, "replicas": 2,
                   "updatedReplicas": 2},
    }
    pods = [make_pod(name=f"db-{i}", owner="db", owner_uid="sts-db") for i in range(2)]
    for p in pods:
        p["metadata"]["labels"] = {"app": "db"}
    events = [event("SuccessfulCreate", "create Pod db-0 in StatefulSet db successful",
                    component="statefulset-controller", kind="StatefulSet", name="db")]
    return K["StatefulSet"], ss, events, Reader({"pods": pods})


def case_daemonset():
    tmpl = pod_template({"app": "agent"})
    tmpl["spec"]["containers"][0].update(name="agent", image="fluent/fluent-bit:3.1", ports=[])
    tmpl["spec"]["nodeSelector"] = {"kubernetes.io/os": "linux"}
    tmpl["spec"]["tolerations"] = [{"operator": "Exists"}]
    ds = {
        "apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"name": "agent", "namespace": "shop", "uid": "ds-agent",
                     "creationTimestamp": "2026-11-25T11:00:00Z", "labels": {"app": "agent"},
                     "annotations": {"deprecated.daemonset.template.generation": "1"}},
        "spec": {"revisionHistoryLimit": 10, "selector": {"matchLabels": {"app": "agent"}}, "template": tmpl,
                 "updateStrategy": {"type": "RollingUpdate",
                                    "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1}}},
        "status": {"currentNumberScheduled": 2, "desiredNumberScheduled": 2, "numberAvailable": 2,
                   "numberMisscheduled": 0, "numberReady": 2, "observedGeneration": 1,
                   "updatedNumberScheduled": 2},
    }
    pods = [make_pod(name=f"agent-{s}", owner="agent", owner_uid="ds-agent") for s in ("abcde", "fghij")]
    for p in pods:
        p["metadata"]["labels"] = {"app": "agent"}
    return K["DaemonSet"], ds, [], Reader({"pods": pods})


def case_service():
    svc = {
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "web", "namespace": "shop", "uid": "svc-web", "creationTimestamp": TS,
                     "labels": {"app": "web"}},
        "spec": {
            "clusterIP": "10.96.120.15", "clusterIPs": ["10.96.120.15"], "internalTrafficPolicy": "Cluster",
            "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
            "ports": [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": "http"},
                      {"name": "metrics", "port": 9090, "protocol": "TCP", "targetPort": 9090}],
            "selector": {"app": "web"}, "sessionAffinity": "None", "type": "ClusterIP",
        },
        "status": {"loadBalancer": {}},
    }
    ips = ["10.244.1.5", "10.244.2.7", "10.244.3.2", "10.244.1.9"]
    eps = {
        "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "addressType": "IPv4",
        "metadata": {"name": "web-abc12", "namespace": "shop",
                     "labels": {"kubernetes.io/service-name": "web"}},
        "endpoints": [{"addresses": [ip], "conditions": {"ready": True, "serving": True, "terminating": False}}
                      for ip in ips],
        "ports": [{"name": "http", "port": 80, "protocol": "TCP"},
                  {"name": "metrics", "port": 9090, "protocol": "TCP"}],
    }
    eps["endpoints"][2]["conditions"]["ready"] = False
    return K["Service"], svc, [], Reader({"endpointslices.discovery.k8s.io": [eps]})


def case_service_nodeport():
    svc = {
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "front", "namespace": "shop", "uid": "svc-front", "creationTimestamp": TS},
        "spec": {
            "clusterIP": "10.96.7.7", "clusterIPs": ["10.96.7.7"], "externalTrafficPolicy": "Cluster",
            "internalTrafficPolicy": "Cluster", "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
            "ports": [{"port": 8080, "protocol": "TCP", "targetPort": 8080, "nodePort": 30080}],
            "selector": {"app": "front"}, "sessionAffinity": "None", "type": "NodePort",
        },
        "status": {"loadBalancer": {}},
    }
    # no EndpointSlices in the store: derived from the Endpoints object
    ep = {"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "front", "namespace": "shop"},
          "subsets": [{"addresses": [{"ip": "10.244.1.8"}], "ports": [{"port": 8080, "protocol": "TCP"}]}]}
    return K["Service"], svc, [], Reader({"endpoints": [ep]})


def case_endpoints():
    ep = {
        "apiVersion": "v1", "kind": "Endpoints",
        "metadata": {"name": "web", "namespace": "shop", "labels": {"app": "web"},
                     "annotations": {"endpoints.kubernetes.io/last-change-trigger-time": "2026-11-25T11:52:00Z"}},
        "subsets": [{
            "addresses": [{"ip": "10.244.1.5"}, {"ip": "10.244.2.7"}],
            "notReadyAddresses": [{"ip": "10.244.3.2"}],
            "ports": [{"name": "http", "port": 80, "protocol": "TCP"},
                      {"name": "metrics", "port": 9090, "protocol": "TCP"}],
        }],
    }
    return K["Endpoints"], ep, [], Reader({})


def case_configmap():
    cm = {
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "web-config", "namespace": "shop", "labels": {"app": "web"}},
        "data": {"LOG_LEVEL": "info", "nginx.conf": "server {\n  listen 80;\n}\n"},
        "binaryData": {"logo.png": base64.b64encode(b"\x89PNG\r\n\x1a\n0123").decode()},
    }
    return K["ConfigMap"], cm, [], Reader({})


def case_secret():
    s = {
        "apiVersion": "v1", "kind": "Secret", "type": "Opaque",
        "metadata": {"name": "db", "namespace": "shop"},
        "data": {"password": base64.b64encode(b"s3cr3t-Pa55").decode(),
                 "username": base64.b64encode(b"admin").decode()},
    }
    return K["Secret"], s, None, Reader({})


def case_serviceaccount():
    sa = {
        "apiVersion": "v1", "kind": "ServiceAccount",
        "metadata": {"name": "builder", "namespace": "shop"},
        "imagePullSecrets": [{"name": "registry-a"}, {"name": "registry-b"}],
    }
    return K["ServiceAccount"], sa, [], Reader({})


def case_namespace():
    ns = {
        "apiVersion": "v1", "kind": "Namespace",
        "metadata": {"name": "shop", "labels": {"kubernetes.io/metadata.name": "shop", "team": "shop"}},
        "spec": {"finalizers": ["kubernetes"]},
        "status": {"phase": "Active"},
    }
    return K["Namespace"], ns, None, Reader({})


def case_namespace_quota():
    kind, ns, _, _ = case_namespace()
    quota = {"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "compute", "namespace": "shop"},
             "spec": {"hard": {"pods": "20", "requests.cpu": "4", "requests.memory": "8Gi"}},
             "status": {"hard": {"pods": "20", "requests.cpu": "4", "requests.memory": "8Gi"},
                        "used": {"pods": "5", "requests.cpu": "1250m", "requests.memory": "320Mi"}}}
    lr = {"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "defaults", "namespace": "shop"},
          "spec": {"limits": [{"type": "Container", "default": {"cpu": "500m", "memory": "256Mi"},
                               "defaultRequest": {"cpu": "100m", "memory": "128Mi"}, "max": {"cpu": "2"}}]}}
    return kind, ns, None, Reader({"resourcequotas": [quota], "limitranges": [lr]})


def case_node():
    node = make_node(labels={"kubernetes.io/arch": "amd64", "kubernetes.io/hostname": "node-1",
                             "kubernetes.io/os": "linux", "node-role.kubernetes.io/worker": ""},
                     taints=[{"key": "dedicated", "value": "web", "effect": "NoSchedule"}])
    pods = [make_pod(name="web-7d4b9c-x2x4q"), make_pod(name="web-7d4b9c-b8kzt")]
    pods.append(make_pod(name="done-job", phase="Succeeded"))
    pods.append(make_pod(name="elsewhere", node="node-2"))
    be = make_pod(name="tiny", owner="x", owner_uid="x")
    be["metadata"]["namespace"] = "default"
    be["spec"]["containers"][0]["resources"] = {}
    pods.append(be)
    lease = {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
             "metadata": {"name": "node-1", "namespace": "kube-node-lease"},
             "spec": {"holderIdentity": "node-1", "leaseDurationSeconds": 40,
                      "renewTime": "2026-11-25T11:59:50.123456Z"}}
    events = [event("Starting", "Starting kubelet.", component="kubelet", first="2026-11-25T10:00:00Z",
                    kind="Node", name="node-1"),
              event("RegisteredNode", "Node node-1 event: Registered Node node-1 in Controller",
                    component="node-controller", first="2026-11-25T10:00:05Z", kind="Node", name="node-1")]
    return K["Node"], node, events, Reader({"pods": pods, "leases.coordination.k8s.io": [lease]})


def case_node_no_lease():
    node = make_node(name="node-2", ip="172.18.0.3", cidr="10.244.2.0/24")
    node["status"]["allocatable"]["nvidia.com/gpu"] = "2"
    node["status"]["capacity"]["nvidia.com/gpu"] = "2"
    return K["Node"], node, [], Reader({})


def case_pvc():
    pvc = {
        "apiVersion": "v1", "kind": "PersistentVolumeClaim",
        "metadata": {"name": "data-db-0", "namespace": "shop", "labels": {"app": "db"},
                     "annotations": {"pv.kubernetes.io/bind-completed": "yes",
                                     "volume.kubernetes.io/storage-provisioner": "rancher.io/local-path"},
                     "finalizers": ["kubernetes.io/pvc-protection"]},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "10Gi"}},
                 "storageClassName": "standard", "volumeMode": "Filesystem",
                 "volumeName": "pvc-0d1e2f3a"},
        "status": {"accessModes": ["ReadWriteOnce"], "capacity": {"storage": "10Gi"}, "phase": "Bound"},
    }
    pod = make_pod(name="db-0", owner="db", owner_uid="sts-db")
    pod["spec"]["volumes"].append({"name": "data", "persistentVolumeClaim": {"claimName": "data-db-0"}})
    events = [event("ProvisioningSucceeded", "Successfully provisioned volume pvc-0d1e2f3a",
                    component="rancher.io/local-path_local-path-provisioner-7c8d",
                    kind="PersistentVolumeClaim", name="data-db-0")]
    return K["PersistentVolumeClaim"], pvc, events, Reader({"pods": [pod, make_pod()]})


def case_job():
    tmpl = pod_template({"batch.kubernetes.io/job-name": "migrate", "job-name": "migrate",
                         "batch.kubernetes.io/controller-uid": "job-1", "controller-uid": "job-1"})
    tmpl["spec"]["restartPolicy"] = "Never"
    tmpl["spec"]["containers"][0].update(name="migrate", image="shop/migrate:2", ports=[])
    tmpl["spec"]["containers"][0].pop("readinessProbe")
    job = {
        "apiVersion": "batch/v1", "kind": "Job",
        "metadata": {"name": "migrate", "namespace": "shop", "uid": "job-1",
                     "labels": {"batch.kubernetes.io/job-name": "migrate", "job-name": "migrate"}},
        "spec": {"backoffLimit": 6, "completionMode": "NonIndexed", "completions": 1,
                 "manualSelector": False, "parallelism": 1, "podReplacementPolicy": "TerminatingOrFailed",
                 "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": "job-1"}},
                 "suspend": False, "template": tmpl},
        "status": {"completionTime": "2026-11-25T11:53:10Z", "ready": 0, "startTime": "2026-11-25T11:50:00Z",
                   "succeeded": 1, "terminating": 0},
    }
    events = [event("SuccessfulCreate", "Created pod: migrate-7xk2p", component="job-controller", kind="Job",
                    name="migrate"),
              event("Completed", "Job completed", component="job-controller", kind="Job", name="migrate",
                    first="2026-11-25T11:53:10Z")]
    return K["Job"], job, events, Reader({})


def case_generic():
    pc = {
        "apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
        "metadata": {"name": "high", "uid": "0f9e8d7c", "resourceVersion": "42", "generation": 1,
                     "creationTimestamp": "2026-11-25T11:00:00Z",
                     "managedFields": [{"manager": "kubectl"}]},
        "value": 100000, "globalDefault": False, "preemptionPolicy": "PreemptLowerPriority",
        "description": "Critical shop services",
    }
    lease = {
        "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
        "metadata": {"name": "node-1", "namespace": "kube-node-lease", "uid": "ab12",
                     "ownerReferences": [{"apiVersion": "v1", "kind": "Node", "name": "node-1", "uid": "uid-node-1"}]},
        "spec": {"holderIdentity": "node-1", "leaseDurationSeconds": 40, "renewTime": "2026-11-25T11:59:50.123456Z"},
    }
    return K["Lease"], lease, [], Reader({}), pc


def case_cronjob():
    _, job, _, _ = case_job()
    tmpl = job["spec"]["template"]
    tmpl["metadata"] = {}
    cj = {
        "apiVersion": "batch/v1", "kind": "CronJob",
        "metadata": {"name": "report", "namespace": "shop", "uid": "cj-1"},
        "spec": {"concurrencyPolicy": "Forbid", "failedJobsHistoryLimit": 1, "schedule": "*/15 * * * *",
                 "successfulJobsHistoryLimit": 3, "suspend": False,
                 "jobTemplate": {"metadata": {}, "spec": {"backoffLimit": 2, "template": tmpl}}},
        "status": {"lastScheduleTime": "2026-11-25T11:45:00Z", "active": [
            {"apiVersion": "batch/v1", "kind": "Job", "name": "report-29400705", "namespace": "shop"}]},
    }
    return K["CronJob"], cj, [], Reader({})


def case_pv():
    pv = {
        "apiVersion": "v1", "kind": "PersistentVolume",
        "metadata": {"name": "pvc-0d1e2f3a", "annotations": {"pv.kubernetes.io/provisioned-by": "rancher.io/local-path"},
                     "finalizers": ["kubernetes.io/pv-protection"]},
        "spec": {"accessModes": ["ReadWriteOnce"], "capacity": {"storage": "10Gi"},
                 "claimRef": {"kind": "PersistentVolumeClaim", "name": "data-db-0", "namespace": "shop"},
                 "hostPath": {"path": "/var/local-path-provisioner/pvc-0d1e2f3a_shop_data-db-0",
                              "type": "DirectoryOrCreate"},
                 "nodeAffinity": {"required": {"nodeSelectorTerms": [{"matchExpressions": [
                     {"key": "kubernetes.io/hostname", "operator": "In", "values": ["node-1"]}]}]}},
                 "persistentVolumeReclaimPolicy": "Delete", "storageClassName": "standard",
                 "volumeMode": "Filesystem"},
        "status": {"phase": "Bound"},
    }
    return K["PersistentVolume"], pv, [], Reader({})


def case_storageclass():
    sc = {
        "apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
        "metadata": {"name": "standard", "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
        "provisioner": "rancher.io/local-path", "reclaimPolicy": "Delete",
        "volumeBindingMode": "WaitForFirstConsumer",
    }
    return K["StorageClass"], sc, [], Reader({})


def case_priorityclass():
    return K["PriorityClass"], case_generic()[4], [], Reader({})


def case_resourcequota():
    kind, ns, _, reader = case_namespace_quota()
    q = reader.objs["resourcequotas"][0]
    q["spec"]["scopes"] = ["NotBestEffort"]
    return K["ResourceQuota"], q, None, Reader({})


def case_limitrange():
    _, _, _, reader = case_namespace_quota()
    return K["LimitRange"], reader.objs["limitranges"][0], None, Reader({})


def case_pdb():
    pdb = {
        "apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
        "metadata": {"name": "web", "namespace": "shop"},
        "spec": {"minAvailable": 2, "selector": {"matchLabels": {"app": "web"}}},
        "status": {"currentHealthy": 3, "desiredHealthy": 2, "disruptionsAllowed": 1, "expectedPods": 3},
    }
    return K["PodDisruptionBudget"], pdb, [], Reader({})


def case_network_policy():
    # checked byte for byte against kubectl 1.37 describe (fake API server serving this object)
    np = {
        "apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
        "metadata": {"name": "np1", "namespace": "shop", "creationTimestamp": TS},
        "spec": {
            "podSelector": {}, "policyTypes": ["Ingress", "Egress"],
            "ingress": [
                {"from": [{"namespaceSelector": {"matchLabels": {"team": "a"}},
                           "podSelector": {"matchExpressions": [
                               {"key": "tier", "operator": "In", "values": ["web", "api"]}]}},
                          {"ipBlock": {"cidr": "10.0.0.0/8", "except": ["10.1.0.0/16", "10.2.0.0/16"]}}],
                 "ports": [{"port": 8000, "endPort": 8080, "protocol": "TCP"}, {"port": "http", "protocol": "UDP"}]},
                {},
            ],
            "egress": [],
        },
    }
    return K["NetworkPolicy"], np, [], Reader({})


CASES = {
    "network_policy": case_network_policy,
    "cronjob": case_cronjob,
    "pv": case_pv,
    "storageclass": case_storageclass,
    "priorityclass": case_priorityclass,
    "resourcequota": case_resourcequota,
    "limitrange": case_limitrange,
    "pdb": case_pdb,
    "pod": case_pod,
    "pod_pending": case_pod_pending,
    "deployment": case_deployment,
    "replicaset": case_replicaset,
    "statefulset": case_statefulset,
    "daemonset": case_daemonset,
    "service": case_service,
    "service_nodeport": case_service_nodeport,
    "endpoints": case_endpoints,
    "configmap": case_configmap,
    "secret": case_secret,
    "serviceaccount": case_serviceaccount,
    "namespace": case_namespace,
    "namespace_quota": case_namespace_quota,
    "node": case_node,
    "node_no_lease": case_node_no_lease,
    "pvc": case_pvc,
    "job": case_job,
    "generic_lease": lambda: case_generic()[:4],
}


@pytest.mark.parametrize("case", sorted(CASES), ids=sorted(CASES))
def test_golden(case):
    kind, obj, events, reader = CASES[case]()
    got = describe(kind, obj, now=NOW, events=events, reader=reader)
    path = GOLDEN / f"{case}.txt"
    if UPDATE or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(got)
        if not UPDATE:
            pytest.fail(f"golden {path.name} was missing and has been written; review it")
    assert got == path.read_text()


def test_generic_describer_for_custom_resource():
    kind = Kind("example.com", "v1", "Widget", "widgets", "widget", namespaced=False)
    obj = case_generic()[4]
    obj["apiVersion"], obj["kind"] = "example.com/v1", "Widget"
    obj["spec"] = {"sizes": ["s", "m"], "enabled": True, "ratio": 0.5}
    got = describe(kind, obj, now=NOW, events=[], reader=Reader({}))
    lines = got.splitlines()
    assert lines[0] == "Name:            high"
    assert "Namespace:       " in lines  # cluster scoped: empty value, padding kept like kubectl
    assert "API Version:     example.com/v1" in lines
    assert "Global Default:  false" in lines
    assert "  Creation Timestamp:  2026-11-25T11:00:00Z" in lines
    assert "Managed Fields" not in got and "manager" not in got
    assert lines[lines.index("  Sizes:") + 1] == "    s"
    assert "  Enabled:  true" in lines and "  Ratio:    0.5" in lines
    assert lines[-1].startswith("Events:") and lines[-1].endswith("<none>")


# ------------------------------------------------------------------------------------------
# targeted rules


def test_secret_values_never_printed():
    kind, obj, events, reader = case_secret()
    obj["stringData"] = {"api-key": "plain-text-key"}
    got = describe(kind, obj, now=NOW, events=events, reader=reader)
    for secret in ("s3cr3t-Pa55", "admin", "plain-text-key"):
        assert secret not in got
    for b64 in obj["data"].values():
        assert b64 not in got
    assert "password:  11 bytes" in got
    assert "username:  5 bytes" in got
    assert "Events" not in got  # kubectl's Secret describer has no events


def test_no_events_section_when_events_is_none():
    kind, obj, _, reader = case_configmap()
    assert "Events" not in describe(kind, obj, now=NOW, events=None, reader=reader)
    assert describe(kind, obj, now=NOW, events=[], reader=reader).endswith("Events:  <none>\n")


def test_events_age_and_series():
    kind, obj, _, reader = case_pod()
    ev = event("Pulling", "Pulling image", first="2026-11-25T11:55:00Z", last="2026-11-25T11:58:00Z", count=3)
    ev2 = {"type": "Normal", "reason": "Created", "message": " Created container ",
           "eventTime": "2026-11-25T11:54:00.000000Z", "reportingController": "kubelet",
           "series": {"count": 4, "lastObservedTime": "2026-11-25T11:59:30.000000Z"}, "involvedObject": {}}
    got = describe(kind, obj, now=NOW, events=[ev, ev2], reader=reader)
    tail = got.split("Events:\n", 1)[1].splitlines()
    assert tail[0].split() == ["Type", "Reason", "Age", "From", "Message"]
    # sorted by lastTimestamp: the eventTime-only event (no lastTimestamp) first
    assert tail[2].split() == ["Normal", "Created", "30s", "(x4", "over", "6m)", "kubelet", "Created", "container"]
    assert tail[3].split()[:6] == ["Normal", "Pulling", "2m", "(x3", "over", "5m)"]


@pytest.mark.parametrize(
    "text,want",
    [
        ("a:\tb\nlong-key:\tc\n", "a:         b\nlong-key:  c\n"),
        ("x\ta:\tb\ny\n", "x  a:  b\ny\n"),
        ("k:\tv\nno tab\nkk:\tv\n", "k:  v\nno tab\nkk:  v\n"),
        ("  Type\tStatus\n  Ready \tTrue \n", "  Type    Status\n  Ready   True \n"),
        ("\tcont\nkey:\tv\n", "      cont\nkey:  v\n"),
    ],
    ids=["widest-key", "nested-columns", "block-broken-by-plain-line", "trailing-space-kept", "empty-first-cell"],
)
def test_tabwriter(text, want):
    assert tabwrite(text) == want


@pytest.mark.parametrize(
    "seconds,want",
    [(0, "0s"), (-1, "0s"), (-5, "<invalid>"), (119, "119s"), (125, "2m5s"), (600, "10m"), (3 * 3600, "3h"),
     (3 * 3600 + 600, "3h10m"), (9 * 3600, "9h"), (50 * 3600, "2d2h"), (10 * 86400, "10d"),
     (3 * 365 * 86400 + 5 * 86400, "3y5d"), (9 * 365 * 86400, "9y")],
)
def test_human_duration(seconds, want):
    assert human_duration(seconds) == want


@pytest.mark.parametrize(
    "field,want",
    [("creationTimestamp", "Creation Timestamp"), ("uid", "UID"), ("apiVersion", "API Version"),
     ("podCIDRs", "Pod CIDRs"), ("holderIdentity", "Holder Identity"), ("IPv6", "IPv6"),
     ("leaseDurationSeconds", "Lease Duration Seconds"), ("ownerReferences", "Owner References")],
)
def test_smart_label(field, want):
    assert _smart_label(field) == want


def test_rfc1123z_in_now_timezone():
    from datetime import timedelta

    tz = timezone(timedelta(hours=-5))
    assert rfc1123z("2022-02-17T21:51:01Z", tz) == "Thu, 17 Feb 2022 16:51:01 -0500"


def test_pod_layout_matches_kubectl_shape():
    """Spot checks against kubectl's documented pod output (kubernetes.io debug-application)."""
    kind, obj, events, reader = case_pod()
    got = describe(kind, obj, now=NOW, events=events, reader=reader)
    lines = got.splitlines()
    assert lines[0] == "Name:             web-7d4b9c-x2x4q"
    assert "Labels:           app=web" in lines
    assert "                  pod-template-hash=7d4b9c" in lines
    assert "IPs:" in lines and "  IP:           10.244.1.5" in lines
    assert "Controlled By:  ReplicaSet/web-7d4b9c" in lines
    assert "  Ready                       True " in lines
    assert "Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s" in lines


@pytest.mark.parametrize(
    "sel,want",
    [
        (None, "<none>"),
        ({}, "<none>"),
        ({"matchLabels": {"b": "2", "a": "1"}}, "a=1,b=2"),
        ({"matchLabels": {"app": "web"},
          "matchExpressions": [{"key": "tier", "operator": "In", "values": ["z", "a"]},
                               {"key": "canary", "operator": "DoesNotExist"},
                               {"key": "env", "operator": "NotIn", "values": ["dev"]},
                               {"key": "zone", "operator": "Exists"}]},
         "app=web,!canary,env notin (dev),tier in (a,z),zone"),
    ],
    ids=["nil", "empty", "labels-sorted", "expressions"],
)
def test_format_label_selector(sel, want):
    assert _format_selector(sel) == want


# ------------------------------------------------------------------------------------------
# parity with the exact outputs kubectl's own describer tests expect (describe_test.go)


def test_parity_pod_with_image_volume():
    pod = {"metadata": {"name": "bar", "namespace": "foo"},
           "spec": {"volumes": [{"name": "image",
                                 "image": {"reference": "image", "pullPolicy": "IfNotPresent"}}]},
           "status": {}}
    want = (
        "Name:         bar\n"
        "Namespace:    foo\n"
        "Node:         <none>\n"
        "Labels:       <none>\n"
        "Annotations:  <none>\n"
        "Status:       \n"
        "IP:           \n"
        "IPs:          <none>\n"
        "Containers: <none>\n"
        "Volumes:\n"
        "  image:\n"
        "    Type:        Image (a container image or OCI artifact)\n"
        "    Reference:   image\n"
        "    PullPolicy:  IfNotPresent\n"
        "QoS Class:       BestEffort\n"
        "Node-Selectors:  <none>\n"
        "Tolerations:     <none>\n"
        "Events:          <none>\n"
    )
    assert describe(K["Pod"], pod, now=NOW, events=[], reader=Reader({})) == want


def test_parity_configmap():
    cm = {"metadata": {"name": "mycm", "namespace": "foo"},
          "data": {"key1": "value1", "key2": "value2"},
          "binaryData": {"binarykey1": base64.b64encode(bytes([0xFF, 0xFE, 0xFD, 0xFC, 0xFB])).decode(),
                         "binarykey2": base64.b64encode(bytes([0xFF, 0xFE, 0xFD, 0xFC, 0xFB, 0xFA])).decode()}}
    want = (
        "Name:         mycm\nNamespace:    foo\nLabels:       <none>\nAnnotations:  <none>\n\n"
        "Data\n====\nkey1:\n----\nvalue1\n\nkey2:\n----\nvalue2\n\n\n"
        "BinaryData\n====\nbinarykey1: 5 bytes\nbinarykey2: 6 bytes\n\nEvents:  <none>\n"
    )
    assert describe(K["ConfigMap"], cm, now=NOW, events=[], reader=Reader({})) == want


def test_parity_load_balancer_service_endpoints_more():
    svc = {"metadata": {"name": "bar", "namespace": "foo"},
           "spec": {"type": "LoadBalancer",
                    "ports": [{"name": "port-tcp", "port": 8080, "protocol": "TCP", "targetPort": "targetPort",
                               "nodePort": 31111}],
                    "selector": {"blah": "heh"}, "clusterIP": "1.2.3.4", "ipFamilies": ["IPv4"],
                    "loadBalancerIP": "5.6.7.8", "sessionAffinity": "None", "externalTrafficPolicy": "Local",
                    "internalTrafficPolicy": "Local", "healthCheckNodePort": 32222},
           "status": {"loadBalancer": {"ingress": [{"ip": "5.6.7.8"}]}}}

    def ep(ip, ready=True):
        return {"addresses": [ip], "conditions": {"ready": ready}}

    port = [{"name": "port-tcp", "port": 9527, "protocol": "UDP"}]
    slices = [
        {"metadata": {"name": "bar-12345", "namespace": "foo", "labels": {"kubernetes.io/service-name": "bar"}},
         "endpoints": [ep("10.244.0.1"), ep("10.244.0.2")], "ports": port},
        {"metadata": {"name": "bar-54321", "namespace": "foo", "labels": {"kubernetes.io/service-name": "bar"}},
         "endpoints": [ep("10.244.0.3", False), ep("10.244.0.4"), ep("10.244.0.5")], "ports": port},
    ]
    want = (
        "Name:                     bar\n"
        "Namespace:                foo\n"
        "Labels:                   <none>\n"
        "Annotations:              <none>\n"
        "Selector:                 blah=heh\n"
        "Type:                     LoadBalancer\n"
        "IP Families:              IPv4\n"
        "IP:                       1.2.3.4\n"
        "IPs:                      <none>\n"
        "Desired LoadBalancer IP:  5.6.7.8\n"
        "LoadBalancer Ingress:     5.6.7.8\n"
        "Port:                     port-tcp  8080/TCP\n"
        "TargetPort:               targetPort/TCP\n"
        "NodePort:                 port-tcp  31111/TCP\n"
        "Endpoints:                10.244.0.1:9527,10.244.0.2:9527,10.244.0.4:9527 + 1 more...\n"
        "Session Affinity:         None\n"
        "External Traffic Policy:  Local\n"
        "Internal Traffic Policy:  Local\n"
        "HealthCheck NodePort:     32222\n"
        "Events:                   <none>\n"
    )
    got = describe(K["Service"], svc, now=NOW, events=[],
                   reader=Reader({"endpointslices.discovery.k8s.io": slices}))
    assert got == want


def test_parity_service_account():
    sa = {"metadata": {"name": "bar", "namespace": "foo"}, "secrets": [{"name": "test-objectref"}],
          "imagePullSecrets": [{"name": "test-local-ref"}]}
    want = ("Name:                bar\nNamespace:           foo\nLabels:              <none>\n"
            "Annotations:         <none>\nImage pull secrets:  test-local-ref\nEvents:              <none>\n")
    assert describe(K["ServiceAccount"], sa, now=NOW, events=[], reader=Reader({})) == want


def test_parity_resource_quota_used_takes_hard_format():
    q = {"metadata": {"name": "bar", "namespace": "foo"},
         "status": {"hard": {"cpu": "1", "limits.cpu": "2", "limits.memory": "2G", "memory": "1G",
                             "requests.cpu": "1", "requests.memory": "1G"},
                    "used": {"cpu": "0", "limits.cpu": "0", "limits.memory": "0G", "memory": "0G",
                             "requests.cpu": "0", "requests.memory": "1000Ki"}}}
    got = describe(K["ResourceQuota"], q, now=NOW, events=None, reader=Reader({}))
    assert "requests.memory  1024k  1G\n" in got
    assert "limits.memory    0      2G\n" in got


def test_parity_endpoint_slice():
    kind = Kind("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", "endpointslice")
    eps = {"metadata": {"name": "foo.123", "namespace": "bar"}, "addressType": "IPv4",
           "endpoints": [
               {"addresses": ["1.2.3.4", "1.2.3.5"], "conditions": {"ready": True},
                "targetRef": {"kind": "Pod", "name": "test-123"}, "zone": "us-central1-a", "nodeName": "node-1"},
               {"addresses": ["1.2.3.6", "1.2.3.7"], "conditions": {"ready": True},
                "targetRef": {"kind": "Pod", "name": "test-124"}, "nodeName": "node-2"}],
           "ports": [{"protocol": "TCP", "port": 80}]}
    want = (
        "Name:         foo.123\nNamespace:    bar\nLabels:       <none>\nAnnotations:  <none>\n"
        "AddressType:  IPv4\nPorts:\n  Name     Port  Protocol\n  ----     ----  --------\n"
        "  <unset>  80    TCP\nEndpoints:\n"
        "  - Addresses:  1.2.3.4, 1.2.3.5\n    Conditions:\n      Ready:    true\n    Hostname:   <unset>\n"
        "    TargetRef:  Pod/test-123\n    NodeName:   node-1\n    Zone:       us-central1-a\n"
        "  - Addresses:  1.2.3.6, 1.2.3.7\n    Conditions:\n      Ready:    true\n    Hostname:   <unset>\n"
        "    TargetRef:  Pod/test-124\n    NodeName:   node-2\n    Zone:       <unset>\n"
        "Events:         <none>\n"
    )
    assert describe(kind, eps, now=NOW, events=[], reader=Reader({})) == want


@pytest.mark.parametrize("kind_name", sorted(K), ids=sorted(K))
def test_minimal_object_does_not_crash(kind_name):
    """Objects missing optional fields (no spec/status) still describe, ending with a newline."""
    got = describe(K[kind_name], {"metadata": {"name": "x", "namespace": "ns"}}, now=NOW, events=[],
                   reader=Reader({}))
    assert got.startswith("Name:") and got.endswith("\n")


def test_events_for_matches_involved_object():
    from kctl.printers.describe import events_for

    pod = make_pod()
    mine = event("Scheduled", "x")
    mine["involvedObject"]["uid"] = pod["metadata"]["uid"]
    old_incarnation = event("Scheduled", "y")
    old_incarnation["involvedObject"]["uid"] = "another-uid"
    other_kind = event("Scheduled", "z", kind="ReplicaSet")
    other_ns = event("Scheduled", "w")
    other_ns["involvedObject"]["namespace"] = "default"
    got = events_for(K["Pod"], pod, [mine, old_incarnation, other_kind, other_ns])
    assert got == [mine]

    node = make_node()
    by_uid = {"involvedObject": {"kind": "Node", "name": "node-1", "uid": "uid-node-1"}}
    by_name = {"involvedObject": {"kind": "Node", "name": "node-1", "uid": "node-1"}}
    assert events_for(K["Node"], node, [by_name, by_uid]) == [by_uid, by_name]


def test_parity_ingress_backend_service_missing():
    kind = Kind("networking.k8s.io", "v1", "Ingress", "ingresses", "ingress", ("ing",))
    ing = {"metadata": {"name": "bar", "namespace": "foo"},
           "spec": {"ingressClassName": "test",
                    "rules": [{"host": "foo.bar.com", "http": {"paths": [
                        {"path": "/foo", "backend": {"service": {"name": "default-backend",
                                                                 "port": {"number": 80}}}}]}}]}}
    want = (
        "Name:             bar\n"
        "Labels:           <none>\n"
        "Namespace:        foo\n"
        "Address:          \n"
        "Ingress Class:    test\n"
        "Default backend:  <default>\n"
        "Rules:\n"
        "  Host         Path  Backends\n"
        "  ----         ----  --------\n"
        "  foo.bar.com  \n"
        "               /foo   default-backend:80 (<error: services \"default-backend\" not found>)\n"
        "Annotations:   <none>\n"
        "Events:        <none>\n"
    )
    assert describe(kind, ing, now=NOW, events=[], reader=Reader({})) == want


def test_ingress_backend_with_endpoints():
    kind = Kind("networking.k8s.io", "v1", "Ingress", "ingresses", "ingress", ("ing",))
    _, svc, _, reader = case_service()
    reader.objs["services"] = [svc]
    ing = {"metadata": {"name": "web", "namespace": "shop"},
           "spec": {"rules": [{"http": {"paths": [
               {"path": "/", "pathType": "Prefix",
                "backend": {"service": {"name": "web", "port": {"name": "http"}}}}]}}]},
           "status": {"loadBalancer": {"ingress": [{"ip": "172.18.0.10"}]}}}
    got = describe(kind, ing, now=NOW, events=[], reader=reader)
    assert "Address:          172.18.0.10\n" in got
    assert "Ingress Class:    <none>\n" in got
    assert "/   web:http (10.244.1.5:80,10.244.2.7:80,10.244.1.9:80)\n" in got
    assert "  *           \n" in got  # host cell padded to the block width (set by "Annotations:")


def test_role_rules_compacted_and_sorted():
    kind = Kind("rbac.authorization.k8s.io", "v1", "Role", "roles", "role")
    role = {"metadata": {"name": "pod-reader", "namespace": "shop"},
            "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "watch", "list"]},
                      {"apiGroups": ["apps"], "resources": ["deployments", "deployments/scale"],
                       "verbs": ["get"], "resourceNames": ["web"]},
                      {"nonResourceURLs": ["/healthz"], "verbs": ["get"]}]}
    want = (
        "Name:         pod-reader\n"
        "Labels:       <none>\n"
        "Annotations:  <none>\n"
        "PolicyRule:\n"
        "  Resources               Non-Resource URLs  Resource Names  Verbs\n"
        "  ---------               -----------------  --------------  -----\n"
        "  pods                    []                 []              [get watch list]\n"
        "                          [/healthz]         []              [get]\n"
        "  deployments.apps/scale  []                 [web]           [get]\n"
        "  deployments.apps        []                 [web]           [get]\n"
    )  # sorted by PolicyRule.String(): "Verbs:[get watch list]" < "Verbs:[get]", "[]" < "[apps]"
    assert describe(kind, role, now=NOW, events=[], reader=Reader({})) == want


def test_role_binding():
    kind = Kind("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", "rolebinding")
    rb = {"metadata": {"name": "read-pods", "namespace": "shop"},
          "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "pod-reader"},
          "subjects": [{"kind": "ServiceAccount", "name": "builder", "namespace": "shop"},
                       {"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "jane"}]}
    want = (
        "Name:         read-pods\n"
        "Labels:       <none>\n"
        "Annotations:  <none>\n"
        "Role:\n"
        "  Kind:  Role\n"
        "  Name:  pod-reader\n"
        "Subjects:\n"
        "  Kind            Name     Namespace\n"
        "  ----            ----     ---------\n"
        "  ServiceAccount  builder  shop\n"
        "  User            jane     \n"
    )
    assert describe(kind, rb, now=NOW, events=[], reader=Reader({})) == want


def test_hpa_resource_utilization_layout():
    """The well-known shape from the HPA walkthrough: the metric label sets the column width."""
    kind = Kind("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers",
                "horizontalpodautoscaler", ("hpa",))
    hpa = {"metadata": {"name": "php-apache", "namespace": "default", "creationTimestamp": TS},
           "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "php-apache"},
                    "minReplicas": 1, "maxReplicas": 10,
                    "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {
                        "type": "Utilization", "averageUtilization": 50}}}]},
           "status": {"currentReplicas": 1, "desiredReplicas": 1,
                      "currentMetrics": [{"type": "Resource", "resource": {"name": "cpu", "current": {
                          "averageUtilization": 0, "averageValue": "1m"}}}],
                      "conditions": [{"type": "AbleToScale", "status": "True", "reason": "ScaleDownStabilized",
                                      "message": "recent recommendations were higher than current one"}]}}
    got = describe(kind, hpa, now=NOW, events=[], reader=Reader({}))
    pad = " " * 41
    assert f"Name:{pad}         php-apache\n" in got
    assert "Reference:                                             Deployment/php-apache\n" in got
    assert "Metrics:                                               ( current / target )\n" in got
    assert "  resource cpu on pods  (as a percentage of request):  0% (1m) / 50%\n" in got
    assert "Deployment pods:                                       1 current / 1 desired\n" in got
    assert "  AbleToScale  True    ScaleDownStabilized  recent recommendations were higher than current one\n" in got
