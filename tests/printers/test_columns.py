"""Per-kind columns (printers.go of Kubernetes 1.37) and HumanDuration."""

from datetime import datetime, timezone

import pytest

from kctl.api.kinds import Kind
from kctl.printers.columns import (
    columns_for,
    format_label_selector,
    format_labels,
    human_duration,
    node_status,
    pod_ready_status_restarts,
    selector_string,
    service_external_ip,
    service_ports,
    since,
)

NOW = datetime(2026, 11, 25, 17, 0, 0, tzinfo=timezone.utc)
TS = "2026-11-25T16:00:00Z"  # one hour before NOW

M, H, D = 60, 3600, 86400


@pytest.mark.parametrize(
    "seconds,expected",
    [
        (-3, "<invalid>"), (-1.5, "0s"), (0, "0s"), (45, "45s"), (119, "119s"), (120, "2m"), (310, "5m10s"),
        (9 * M + 59, "9m59s"), (10 * M, "10m"), (179 * M + 59, "179m"), (3 * H, "3h"), (3 * H + 4 * M, "3h4m"),
        (7 * H + 59 * M, "7h59m"), (8 * H, "8h"), (47 * H, "47h"), (48 * H, "2d"), (2 * D + 3 * H, "2d3h"),
        (7 * D + 23 * H, "7d23h"), (8 * D, "8d"), (729 * D, "729d"), (730 * D, "2y"), (733 * D, "2y3d"),
        (8 * 365 * D - D, "7y364d"), (8 * 365 * D, "8y"), (20 * 365 * D, "20y"),
    ],
    ids=lambda v: str(v),
)
def test_human_duration(seconds, expected):
    assert human_duration(seconds) == expected


def test_since():
    assert since(TS, NOW) == "60m"
    assert since(None, NOW) == "<unknown>"
    assert since("2026-11-25T16:59:59.123456Z", NOW) == "0s"


def pod(status=None, spec=None, **meta):
    return {
        "metadata": {"name": "p", "creationTimestamp": TS, **meta},
        "spec": spec or {"containers": [{"name": "a"}]},
        "status": status if status is not None else {"phase": "Pending"},
    }


def running(name="a", ready=True, restarts=0, last_finished=None):
    cs = {"name": name, "ready": ready, "restartCount": restarts, "state": {"running": {"startedAt": TS}}}
    if last_finished:
        cs["lastState"] = {"terminated": {"exitCode": 1, "finishedAt": last_finished}}
    return cs


@pytest.mark.parametrize(
    "obj,expected",
    [
        (pod(), ("0/1", "Pending", "0")),
        (pod(status={}), ("0/1", "", "0")),
        (pod({"phase": "Running", "containerStatuses": [running()]}), ("1/1", "Running", "0")),
        (pod({"phase": "Running", "containerStatuses": [running(restarts=3, last_finished="2026-11-25T16:58:00Z")]}),
         ("1/1", "Running", "3 (2m ago)")),
        (pod({"phase": "Pending", "containerStatuses": [
            {"name": "a", "ready": False, "restartCount": 0, "state": {"waiting": {"reason": "ContainerCreating"}}}]}),
         ("0/1", "ContainerCreating", "0")),
        (pod({"phase": "Running", "containerStatuses": [
            {"name": "a", "ready": False, "restartCount": 5, "state": {"waiting": {"reason": "CrashLoopBackOff"}},
             "lastState": {"terminated": {"exitCode": 1, "finishedAt": "2026-11-25T16:30:00Z"}}}]}),
         ("0/1", "CrashLoopBackOff", "5 (30m ago)")),
        (pod({"phase": "Succeeded", "containerStatuses": [
            {"name": "a", "ready": False, "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}]}),
         ("0/1", "Completed", "0")),
        (pod({"phase": "Failed", "containerStatuses": [
            {"name": "a", "ready": False, "state": {"terminated": {"exitCode": 2}}}]}),
         ("0/1", "ExitCode:2", "0")),
        (pod({"phase": "Running", "containerStatuses": [
            {"name": "a", "ready": False, "state": {"terminated": {"exitCode": 0, "signal": 9}}}]}),
         ("0/1", "Signal:9", "0")),
        # init containers
        (pod({"phase": "Pending", "initContainerStatuses": [
            {"name": "i", "ready": False, "restartCount": 0, "state": {"waiting": {"reason": "PodInitializing"}}}]},
            spec={"initContainers": [{"name": "i"}], "containers": [{"name": "a"}]}),
         ("0/1", "Init:0/1", "0")),
        (pod({"phase": "Pending", "initContainerStatuses": [
            {"name": "i", "ready": False, "restartCount": 2, "state": {"waiting": {"reason": "CrashLoopBackOff"}}}]},
            spec={"initContainers": [{"name": "i"}], "containers": [{"name": "a"}]}),
         ("0/1", "Init:CrashLoopBackOff", "2")),
        (pod({"phase": "Pending", "initContainerStatuses": [
            {"name": "i", "ready": False, "state": {"terminated": {"exitCode": 3}}}]},
            spec={"initContainers": [{"name": "i"}], "containers": [{"name": "a"}]}),
         ("0/1", "Init:ExitCode:3", "0")),
        # a started sidecar (restartable init container) counts as a container
        (pod({"phase": "Running", "conditions": [{"type": "Initialized", "status": "True"}],
              "initContainerStatuses": [{"name": "s", "ready": True, "started": True, "restartCount": 1,
                                         "state": {"running": {}}}],
              "containerStatuses": [running()]},
             spec={"initContainers": [{"name": "s", "restartPolicy": "Always"}], "containers": [{"name": "a"}]}),
         ("2/2", "Running", "1")),
        # Terminating and NodeLost
        (pod({"phase": "Running", "containerStatuses": [running()]}, deletionTimestamp=TS),
         ("1/1", "Terminating", "0")),
        (pod({"phase": "Running", "reason": "NodeLost", "containerStatuses": [running()]}, deletionTimestamp=TS),
         ("1/1", "Unknown", "0")),
        (pod({"phase": "Succeeded"}, deletionTimestamp=TS), ("0/1", "Succeeded", "0")),
        # status.reason wins over phase; SchedulingGated from the PodScheduled condition
        (pod({"phase": "Failed", "reason": "Evicted"}), ("0/1", "Evicted", "0")),
        (pod({"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False",
                                                   "reason": "SchedulingGated"}]}),
         ("0/1", "SchedulingGated", "0")),
        # a Completed container next to a running one: Running when the pod is Ready
        (pod({"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}], "containerStatuses": [
            running("a"), {"name": "b", "ready": False, "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}]},
             spec={"containers": [{"name": "a"}, {"name": "b"}]}),
         ("1/2", "Running", "0")),
    ],
    ids=["pending", "no-status", "running", "restarts-ago", "creating", "crashloop", "completed", "exitcode",
         "signal", "init-0-of-1", "init-crashloop", "init-exitcode", "sidecar", "terminating", "nodelost",
         "succeeded-deleting", "evicted", "gated", "completed-and-running"],
)
def test_pod_status(obj, expected):
    assert pod_ready_status_restarts(obj, NOW) == expected


def kind(group, k, namespaced=True):
    return Kind(group, "v1", k, k.lower() + "s", k.lower(), (), namespaced)


def row(group, k, obj, wide=False):
    headers, fn = columns_for(kind(group, k), wide)
    cells = fn(obj, NOW)
    assert len(cells) == len(headers)
    return dict(zip(headers, cells))


def test_pod_wide():
    obj = pod({"phase": "Running", "podIPs": [{"ip": "10.244.0.5"}], "containerStatuses": [running()]},
              spec={"containers": [{"name": "a"}], "nodeName": "n1", "readinessGates": [{"conditionType": "x/y"}]})
    assert row("", "Pod", obj, wide=True) == {
        "NAME": "p", "READY": "1/1", "STATUS": "Running", "RESTARTS": "0", "AGE": "60m", "IP": "10.244.0.5",
        "NODE": "n1", "NOMINATED NODE": "<none>", "READINESS GATES": "0/1",
    }


@pytest.mark.parametrize(
    "conditions,unschedulable,expected",
    [
        ([{"type": "Ready", "status": "True"}], False, "Ready"),
        ([{"type": "Ready", "status": "True"}], True, "Ready,SchedulingDisabled"),
        ([{"type": "Ready", "status": "False"}], False, "NotReady"),
        ([{"type": "Ready", "status": "Unknown"}], False, "NotReady"),
        ([], False, "Unknown"),
        ([], True, "Unknown,SchedulingDisabled"),
    ],
)
def test_node_status(conditions, unschedulable, expected):
    assert node_status({"spec": {"unschedulable": unschedulable}, "status": {"conditions": conditions}}) == expected


def test_node_row():
    obj = {"metadata": {"name": "n1", "creationTimestamp": TS, "labels": {
        "node-role.kubernetes.io/worker": "", "node-role.kubernetes.io/control-plane": "", "kubernetes.io/role": "x"}},
        "status": {"conditions": [{"type": "Ready", "status": "True"}], "nodeInfo": {"kubeletVersion": "v1.37.0"},
                   "addresses": [{"type": "InternalIP", "address": "10.0.0.1"}]}}
    assert row("", "Node", obj, wide=True) == {
        "NAME": "n1", "STATUS": "Ready", "ROLES": "control-plane,worker,x", "AGE": "60m", "VERSION": "v1.37.0",
        "INTERNAL-IP": "10.0.0.1", "EXTERNAL-IP": "<none>", "OS-IMAGE": "<unknown>", "KERNEL-VERSION": "<unknown>",
        "CONTAINER-RUNTIME": "<unknown>",
    }


@pytest.mark.parametrize(
    "spec,status,wide,expected",
    [
        ({"type": "ClusterIP"}, {}, False, "<none>"),
        ({"type": "ClusterIP", "externalIPs": ["1.2.3.4"]}, {}, False, "1.2.3.4"),
        ({"type": "LoadBalancer"}, {}, False, "<pending>"),
        ({"type": "LoadBalancer"}, {"loadBalancer": {"ingress": [{"ip": "5.6.7.8"}]}}, False, "5.6.7.8"),
        ({"type": "LoadBalancer"}, {"loadBalancer": {"ingress": [{"hostname": "a-very-long-hostname.example"}]}},
         False, "a-very-long-h..."),
        ({"type": "LoadBalancer"}, {"loadBalancer": {"ingress": [{"hostname": "a-very-long-hostname.example"}]}},
         True, "a-very-long-hostname.example"),
        ({"type": "ExternalName", "externalName": "db.example.com"}, {}, False, "db.example.com"),
    ],
)
def test_service_external_ip(spec, status, wide, expected):
    assert service_external_ip({"spec": spec, "status": status}, wide) == expected


def test_service_ports_and_row():
    ports = [{"port": 80, "protocol": "TCP"}, {"port": 443, "nodePort": 30443, "protocol": "TCP"},
             {"port": 53, "protocol": "UDP"}]
    assert service_ports(ports) == "80/TCP,443:30443/TCP,53/UDP"
    obj = {"metadata": {"name": "s", "creationTimestamp": TS},
           "spec": {"type": "ClusterIP", "clusterIP": "None", "selector": {"b": "2", "a": "1"}}}
    assert row("", "Service", obj, wide=True) == {
        "NAME": "s", "TYPE": "ClusterIP", "CLUSTER-IP": "None", "EXTERNAL-IP": "<none>", "PORT(S)": "<none>",
        "AGE": "60m", "SELECTOR": "a=1,b=2",
    }


def test_labels_and_selectors():
    assert format_labels({}) == "<none>"
    # sorted as "k=v" strings, as labels.Set.String() does
    assert format_labels({"app": "x", "app.kubernetes.io/name": "y"}) == "app.kubernetes.io/name=y,app=x"
    sel = {"matchLabels": {"app": "web"}, "matchExpressions": [
        {"key": "tier", "operator": "In", "values": ["fe", "be"]}, {"key": "canary", "operator": "DoesNotExist"},
        {"key": "env", "operator": "NotIn", "values": ["prod"]}, {"key": "zone", "operator": "Exists"}]}
    # requirements sorted by key, as labels.Selector.String() does
    assert selector_string(sel) == "app=web,!canary,env notin (prod),tier in (be,fe),zone"
    assert format_label_selector({}) == "<none>"


def job(conditions=(), **status):
    return {"metadata": {"name": "j", "creationTimestamp": TS}, "spec": {"completions": 3},
            "status": {"conditions": list(conditions), **status}}


@pytest.mark.parametrize(
    "obj,expected",
    [
        (job(), {"STATUS": "Running", "COMPLETIONS": "0/3", "DURATION": ""}),
        (job(startTime=TS, succeeded=1), {"STATUS": "Running", "COMPLETIONS": "1/3", "DURATION": "60m"}),
        (job([{"type": "Complete", "status": "True"}], startTime=TS, completionTime="2026-11-25T16:00:45Z",
             succeeded=3), {"STATUS": "Complete", "COMPLETIONS": "3/3", "DURATION": "45s"}),
        (job([{"type": "Failed", "status": "True"}]), {"STATUS": "Failed"}),
        (job([{"type": "Suspended", "status": "True"}]), {"STATUS": "Suspended"}),
        (job([{"type": "FailureTarget", "status": "True"}]), {"STATUS": "FailureTarget"}),
    ],
    ids=["new", "running", "complete", "failed", "suspended", "failure-target"],
)
def test_job(obj, expected):
    r = row("batch", "Job", obj)
    assert {k: r[k] for k in expected} == expected


def test_job_completions_without_spec_completions():
    obj = {"metadata": {"name": "j", "creationTimestamp": TS}, "spec": {"parallelism": 4}, "status": {"succeeded": 2}}
    assert row("batch", "Job", obj)["COMPLETIONS"] == "2/1 of 4"


def test_deployment_and_replicaset_wide():
    dep = {"metadata": {"name": "web", "creationTimestamp": TS},
           "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
                    "template": {"spec": {"containers": [{"name": "n", "image": "nginx"}, {"name": "s", "image": "b"}]}}},
           "status": {"readyReplicas": 2, "updatedReplicas": 3, "availableReplicas": 2}}
    assert list(row("apps", "Deployment", dep, wide=True).values()) == [
        "web", "2/3", "3", "2", "60m", "n,s", "nginx,b", "app=web"]
    assert list(row("apps", "ReplicaSet", dep, wide=True).values()) == [
        "web", "3", "0", "2", "60m", "n,s", "nginx,b", "app=web"]
    assert list(row("apps", "StatefulSet", dep).values()) == ["web", "2/3", "60m"]


def test_pvc_pv_storageclass():
    pvc = {"metadata": {"name": "data", "creationTimestamp": TS},
           "spec": {"volumeName": "pv-1", "storageClassName": "standard"},
           "status": {"phase": "Bound", "accessModes": ["ReadWriteOnce"], "capacity": {"storage": "1Gi"}}}
    assert list(row("", "PersistentVolumeClaim", pvc, wide=True).values()) == [
        "data", "Bound", "pv-1", "1Gi", "RWO", "standard", "<unset>", "60m", "<unset>"]
    pv = {"metadata": {"name": "pv-1", "creationTimestamp": TS},
          "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteMany", "ReadWriteOnce"],
                   "persistentVolumeReclaimPolicy": "Delete", "claimRef": {"namespace": "ns", "name": "data"},
                   "storageClassName": "standard"}, "status": {"phase": "Bound"}}
    assert list(row("", "PersistentVolume", pv).values()) == [
        "pv-1", "1Gi", "RWO,RWX", "Delete", "Bound", "ns/data", "standard", "<unset>", "", "60m"]
    sc = {"metadata": {"name": "standard", "creationTimestamp": TS,
                       "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
          "provisioner": "kctl.io/local"}
    assert list(row("storage.k8s.io", "StorageClass", sc).values()) == [
        "standard (default)", "kctl.io/local", "Delete", "Immediate", "false", "60m"]


def test_event_rows():
    ev = {"metadata": {"name": "e1", "creationTimestamp": TS}, "type": "Warning", "reason": "FailedScheduling",
          "involvedObject": {"kind": "Pod", "name": "web-1"}, "message": "0/3 nodes are available. ",
          "firstTimestamp": TS, "lastTimestamp": "2026-11-25T16:59:00Z", "count": 3,
          "source": {"component": "default-scheduler"}}
    assert columns_for(kind("", "Event"), False)[0] == ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
    assert row("", "Event", ev) == {"LAST SEEN": "60s", "TYPE": "Warning", "REASON": "FailedScheduling",
                                    "OBJECT": "pod/web-1", "MESSAGE": "0/3 nodes are available."}
    wide = row("", "Event", ev, wide=True)
    assert (wide["SOURCE"], wide["FIRST SEEN"], wide["COUNT"], wide["NAME"]) == ("default-scheduler", "60m", "3", "e1")


@pytest.mark.parametrize(
    "group,k,headers",
    [
        ("", "Namespace", ["NAME", "STATUS", "AGE"]),
        ("", "ConfigMap", ["NAME", "DATA", "AGE"]),
        ("", "Secret", ["NAME", "TYPE", "DATA", "AGE"]),
        ("", "ServiceAccount", ["NAME", "SECRETS", "AGE"]),
        ("", "Endpoints", ["NAME", "ENDPOINTS", "AGE"]),
        ("apps", "DaemonSet", ["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR",
                               "AGE"]),
        ("batch", "CronJob", ["NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE"]),
        ("networking.k8s.io", "Ingress", ["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"]),
        ("networking.k8s.io", "NetworkPolicy", ["NAME", "POD-SELECTOR", "AGE"]),
        ("rbac.authorization.k8s.io", "Role", ["NAME", "CREATED AT"]),
        ("rbac.authorization.k8s.io", "RoleBinding", ["NAME", "ROLE", "AGE"]),
        ("autoscaling", "HorizontalPodAutoscaler", ["NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS",
                                                    "AGE"]),
        ("policy", "PodDisruptionBudget", ["NAME", "MIN AVAILABLE", "MAX UNAVAILABLE", "ALLOWED DISRUPTIONS", "AGE"]),
        ("scheduling.k8s.io", "PriorityClass", ["NAME", "VALUE", "GLOBAL-DEFAULT", "AGE", "PREEMPTIONPOLICY"]),
        ("coordination.k8s.io", "Lease", ["NAME", "HOLDER", "AGE"]),
        ("", "ResourceQuota", ["NAME", "AGE", "REQUEST", "LIMIT"]),
        ("", "LimitRange", ["NAME", "CREATED AT"]),
        ("apiextensions.k8s.io", "CustomResourceDefinition", ["NAME", "SCOPE", "VERSIONS", "CREATED AT"]),  # 1.37
        ("kctl.io", "NodeInventory", ["NAME", "AGE"]),  # custom resources: NAME, AGE
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_headers(group, k, headers):
    assert columns_for(kind(group, k), False)[0] == headers


def test_misc_rows():
    base = {"name": "x", "creationTimestamp": TS}
    assert row("", "ConfigMap", {"metadata": base, "data": {"a": "1"}, "binaryData": {"b": ""}})["DATA"] == "2"
    assert row("", "Secret", {"metadata": base, "type": "Opaque", "data": {"a": "", "b": ""}})["DATA"] == "2"
    assert row("rbac.authorization.k8s.io", "Role", {"metadata": base})["CREATED AT"] == TS
    assert row("rbac.authorization.k8s.io", "RoleBinding", {
        "metadata": base, "roleRef": {"kind": "ClusterRole", "name": "view"},
        "subjects": [{"kind": "ServiceAccount", "name": "d", "namespace": "ns"}, {"kind": "User", "name": "u"}]},
        wide=True) == {"NAME": "x", "ROLE": "ClusterRole/view", "AGE": "60m", "USERS": "u", "GROUPS": "",
                       "SERVICEACCOUNTS": "ns/d"}
    assert row("", "Endpoints", {"metadata": base, "subsets": [
        {"addresses": [{"ip": f"10.0.0.{i}"} for i in range(1, 6)], "ports": [{"port": 80}]}]})["ENDPOINTS"] == (
        "10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 2 more...")
    assert row("", "Endpoints", {"metadata": base})["ENDPOINTS"] == "<none>"
    assert row("autoscaling", "HorizontalPodAutoscaler", {
        "metadata": base, "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "web"}, "maxReplicas": 5,
                                   "metrics": [{"type": "Resource", "resource": {
                                       "name": "cpu", "target": {"type": "Utilization", "averageUtilization": 50}}}]},
        "status": {"currentReplicas": 2}})["TARGETS"] == "cpu: <unknown>/50%"
    assert row("policy", "PodDisruptionBudget", {"metadata": base, "spec": {"minAvailable": "50%"}})[
        "MAX UNAVAILABLE"] == "N/A"
    assert row("networking.k8s.io", "Ingress", {"metadata": base, "spec": {"rules": [{"host": "a.example"}],
                                                                           "tls": [{}]}}) == {
        "NAME": "x", "CLASS": "<none>", "HOSTS": "a.example", "ADDRESS": "", "PORTS": "80, 443", "AGE": "60m"}
    assert row("", "ResourceQuota", {"metadata": base, "status": {
        "hard": {"limits.cpu": "2", "requests.cpu": "1", "pods": "10"}, "used": {"requests.cpu": "500m"}}}) == {
        "NAME": "x", "AGE": "60m", "REQUEST": "pods: 0/10, requests.cpu: 500m/1", "LIMIT": "limits.cpu: 0/2"}


def test_created_at_is_utc_rfc3339():
    obj = {"metadata": {"name": "r", "creationTimestamp": "2026-11-25T18:00:00.5+02:00"}}
    assert row("rbac.authorization.k8s.io", "ClusterRole", obj)["CREATED AT"] == "2026-11-25T16:00:00Z"
