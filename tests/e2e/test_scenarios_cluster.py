"""End-to-end scenarios of issue 4 from the CLI: scheduling, node failure, kubelet failures,
namespaces, services and determinism. Fresh SQLite store per test, wall clock frozen."""

from __future__ import annotations

import os
import re

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MANIFESTS = os.path.join(REPO, "manifests")
NODES = os.path.join(MANIFESTS, "10-nodes.yaml")


def ok(r) -> str:
    assert (r.code, r.err) == (0, ""), r.err
    return r.out


BIG = """\
apiVersion: v1
kind: Pod
metadata: {name: big, namespace: shop}
spec:
  containers:
  - name: c
    image: busybox
    resources: {requests: {cpu: "16"}}
"""
BIG_MSG = ("0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. preemption: 0/3 nodes "
           "are available: 3 Preemption is not helpful for scheduling.")


def test_oversized_pod_stays_pending_and_fail_on_pending(kctl, frozen_now, write, store_path):
    ok(kctl("apply", "-f", os.path.join(MANIFESTS, "00-namespace.yaml"), "-f", NODES))
    f = write("big.yaml", BIG)
    before = ok(kctl("store", "info"))
    r = kctl("apply", "-f", f, "--dry-run=server", "--fail-on-pending")
    assert (r.code, r.out) == (3, "pod/big created (server dry run)\n")
    assert r.err == f"pod/big in namespace shop is Pending: {BIG_MSG}\nerror: 1 pod(s) Pending after converging\n"
    assert ok(kctl("store", "info")) == before
    r = kctl("get", "pods", "-n", "shop")
    assert (r.code, r.out, r.err) == (0, "", "No resources found in shop namespace.\n")

    r = kctl("apply", "-f", f, "--fail-on-pending")
    assert (r.code, r.out) == (3, "pod/big created\n")
    assert ok(kctl("get", "pods", "-n", "shop")) == (
        "NAME   READY   STATUS    RESTARTS   AGE\nbig    0/1     Pending   0          0s\n")
    assert ok(kctl("describe", "pod", "big", "-n", "shop")).endswith(
        "Events:\n  Type     Reason            Age   From               Message\n"
        "  ----     ------            ----  ----               -------\n"
        f"  Warning  FailedScheduling  0s    default-scheduler  {BIG_MSG}\n")
    assert ok(kctl("get", "events", "-n", "shop")) == (
        "LAST SEEN   TYPE      REASON             OBJECT    MESSAGE\n"
        f"0s          Warning   FailedScheduling   pod/big   {BIG_MSG}\n")
    assert ok(kctl("get", "pod", "big", "-n", "shop", "-o",
                   "jsonpath={.status.conditions[0].type} {.status.conditions[0].status} "
                   "{.status.conditions[0].reason}")) == "PodScheduled False Unschedulable"
    # a second converge does not repeat the event
    ok(kctl("reconcile", "--advance", "1m"))
    assert ok(kctl("get", "events", "-n", "shop", "-o", "jsonpath={.items[*].count}")) == "1"


PLACED = """\
apiVersion: v1
kind: Pod
metadata: {name: tol}
spec:
  tolerations: [{key: dedicated, operator: Equal, value: batch, effect: NoSchedule}]
  nodeSelector: {workload: batch}
  containers: [{name: c, image: busybox}]
---
apiVersion: v1
kind: Pod
metadata: {name: aff}
spec:
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
        - matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [general-1]}]
  containers: [{name: c, image: busybox}]
---
apiVersion: v1
kind: Pod
metadata: {name: nosel}
spec:
  nodeSelector: {workload: batch}
  containers: [{name: c, image: busybox}]
"""
PRIO = """\
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: high}
value: 1000
---
apiVersion: v1
kind: Pod
metadata: {name: low1}
spec:
  nodeSelector: {kubernetes.io/hostname: general-0}
  containers: [{name: c, image: busybox, resources: {requests: {cpu: "3"}}}]
---
apiVersion: v1
kind: Pod
metadata: {name: low2}
spec:
  nodeSelector: {kubernetes.io/hostname: general-1}
  containers: [{name: c, image: busybox, resources: {requests: {cpu: "3"}}}]
"""
HIGH = """\
apiVersion: v1
kind: Pod
metadata: {name: high}
spec:
  priorityClassName: high
  containers: [{name: c, image: busybox, resources: {requests: {cpu: "2"}}}]
"""


def test_selectors_affinity_tolerations_explain_and_preemption(kctl, frozen_now, write):
    ok(kctl("apply", "-f", NODES))
    ok(kctl("apply", "-f", write("p.yaml", PLACED)))
    assert ok(kctl("get", "pods", "-o", "wide")) == """\
NAME    READY   STATUS    RESTARTS   AGE   IP           NODE        NOMINATED NODE   READINESS GATES
aff     1/1     Running   0          0s    10.244.1.2   general-1   <none>           <none>
nosel   0/1     Pending   0          0s    <none>       <none>      <none>           <none>
tol     1/1     Running   0          0s    10.244.2.2   batch-0     <none>           <none>
"""
    msg = ("0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 node(s) didn't match Pod's node "
           "affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.")
    assert f"  Warning  FailedScheduling  0s    default-scheduler  {msg}\n" in ok(kctl("describe", "pod", "nosel"))
    explain = ok(kctl("explain-schedule", "pod/nosel"))
    assert ("batch-0     TaintToleration     UnschedulableAndUnresolvable   node(s) had untolerated taint(s): "
            "dedicated=batch:NoSchedule\n") in explain
    assert ("general-0   NodeAffinity        UnschedulableAndUnresolvable   node(s) didn't match Pod's node "
            "affinity/selector\n") in explain
    assert explain.endswith(f"Feasible:  0/3\nResult:    unschedulable: {msg}\n")

    ok(kctl("apply", "-f", write("prio.yaml", PRIO)))
    assert ok(kctl("apply", "-f", write("high.yaml", HIGH))) == "pod/high created\n"
    # both general nodes are full (3 of 3.8 cpu): the high-priority pod preempts low1
    assert ok(kctl("get", "pods", "-o", "wide")) == """\
NAME    READY   STATUS    RESTARTS   AGE   IP           NODE        NOMINATED NODE   READINESS GATES
aff     1/1     Running   0          0s    10.244.1.2   general-1   <none>           <none>
high    1/1     Running   0          0s    10.244.0.2   general-0   <none>           <none>
low2    1/1     Running   0          0s    10.244.1.3   general-1   <none>           <none>
nosel   0/1     Pending   0          0s    <none>       <none>      <none>           <none>
tol     1/1     Running   0          0s    10.244.2.2   batch-0     <none>           <none>
"""
    uid = ok(kctl("get", "pod", "high", "-o", "jsonpath={.metadata.uid}"))
    events = ok(kctl("get", "events", "--field-selector", "involvedObject.name=low1"))
    assert f"0s          Normal   Preempted   pod/low1   Preempted by pod {uid} on node general-0\n" in events
    assert ok(kctl("get", "events", "--field-selector", "involvedObject.name=high,reason=FailedScheduling",
                   "-o", "jsonpath={.items[0].message}")) == (
        "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu.")


def test_node_failure_replaces_deployment_pods_statefulset_waits(kctl, frozen_now):
    ok(kctl("apply", "-f", MANIFESTS))
    ok(kctl("rollout", "status", "deploy/web", "-n", "shop"))
    assert ok(kctl("node", "fail", "general-1")) == "node/general-1 failed\n"
    assert ok(kctl("get", "nodes")) == """\
NAME        STATUS     ROLES    AGE   VERSION
batch-0     Ready      <none>   5s    v1.37.0
general-0   Ready      <none>   5s    v1.37.0
general-1   NotReady   <none>   5s    v1.37.0
"""
    assert sorted(ok(kctl("get", "node", "general-1", "-o",
                          "jsonpath={range .spec.taints[*]}{.key}:{.effect} {end}")).split()) == [
        "node.kubernetes.io/unreachable:NoExecute", "node.kubernetes.io/unreachable:NoSchedule"]
    # before tolerationSeconds (300s) nothing is evicted
    ok(kctl("reconcile", "--advance", "4m"))
    assert ok(kctl("get", "pods", "-n", "shop", "-o", "name")) == (
        "pod/db-0\npod/db-1\npod/web-689dfc84b6-htxbl\npod/web-689dfc84b6-vl8nq\npod/web-689dfc84b6-wchfj\n")
    ok(kctl("reconcile", "--advance", "1m"))
    out = ok(kctl("get", "pods", "-n", "shop", "-o", "wide"))
    rows = {line.split()[0]: (line.split()[2], line.split()[6]) for line in out.splitlines()[1:]}
    assert rows == {
        "db-0": ("Running", "general-0"),
        "db-1": ("Terminating", "general-1"),
        "web-689dfc84b6-htxbl": ("Terminating", "general-1"),
        "web-689dfc84b6-wchfj": ("Terminating", "general-1"),
        "web-689dfc84b6-vl8nq": ("Running", "general-0"),
        "web-689dfc84b6-tcjxw": ("Running", "general-0"),
        "web-689dfc84b6-bdtqd": ("Running", "general-0"),
    }
    events = ok(kctl("get", "events", "-n", "shop", "--field-selector", "involvedObject.name=db-1"))
    assert "Normal    TaintManagerEviction   pod/db-1   Marking for deletion Pod shop/db-1\n" in events
    assert "Warning   NodeNotReady           pod/db-1   Node is not ready\n" in events
    ok(kctl("reconcile", "--advance", "10m"))
    assert re.search(r"^db-1 +1/1 +Terminating ", ok(kctl("get", "pods", "-n", "shop")), re.M)
    assert ok(kctl("node", "recover", "general-1")) == "node/general-1 recovered\n"
    assert ok(kctl("get", "pods", "-n", "shop", "-o", "custom-columns=NAME:.metadata.name,NODE:.spec.nodeName")) == """\
NAME                   NODE
db-0                   general-0
db-1                   general-1
web-689dfc84b6-bdtqd   general-0
web-689dfc84b6-tcjxw   general-0
web-689dfc84b6-vl8nq   general-0
"""


PDB = """\
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, namespace: shop}
spec:
  minAvailable: 2
  selector: {matchLabels: {app.kubernetes.io/name: web}}
"""


def test_cordon_and_drain_respect_pdb(kctl, frozen_now, write):
    ok(kctl("apply", "-f", MANIFESTS))
    ok(kctl("rollout", "status", "deploy/web", "-n", "shop"))
    ok(kctl("apply", "-f", write("pdb.yaml", PDB)))
    assert ok(kctl("get", "pdb", "-n", "shop")) == (
        "NAME   MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE\n"
        "web    2               N/A               1                     0s\n")
    assert ok(kctl("cordon", "batch-0")) == "node/batch-0 cordoned\n"
    assert "batch-0     Ready,SchedulingDisabled" in ok(kctl("get", "nodes"))
    assert ok(kctl("uncordon", "batch-0")) == "node/batch-0 uncordoned\n"
    # the PDB allows one web pod down at a time: each eviction waits for the replacement
    # (scheduled on general-0) to become Ready
    r = kctl("drain", "general-1")
    assert r.code == 0, r.err
    assert r.out.startswith("node/general-1 cordoned\n")
    assert r.out.endswith("node/general-1 drained\n")
    assert "Cannot evict pod as it would violate the pod's disruption budget." in r.err
    # db-1's local-path volume is pinned to general-1: it waits there (as on a real cluster)
    assert ok(kctl("get", "pods", "-n", "shop", "-o", "custom-columns=NAME:.metadata.name,NODE:.spec.nodeName")) == """\
NAME                   NODE
db-0                   general-0
db-1                   <none>
web-689dfc84b6-bdtqd   general-0
web-689dfc84b6-tcjxw   general-0
web-689dfc84b6-vl8nq   general-0
"""
    assert ok(kctl("get", "events", "-n", "shop", "--field-selector", "involvedObject.name=db-1,reason=FailedScheduling",
                   "-o", "jsonpath={.items[-1:].message}")) == (
        "0/3 nodes are available: 1 node(s) had untolerated taint(s), 1 node(s) had volume node affinity conflict, "
        "1 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.")
    pdb_status = ("get", "pdb", "web", "-n", "shop", "-o", "jsonpath={.status.currentHealthy}/{.status.disruptionsAllowed}")
    assert ok(kctl(*pdb_status)) == "2/0"  # the last replacement is not Ready yet
    ok(kctl("reconcile", "--advance", "5s"))
    assert ok(kctl(*pdb_status)) == "3/1"


def test_drain_times_out_when_the_budget_cannot_be_met(kctl, frozen_now, write):
    ok(kctl("apply", "-f", MANIFESTS))
    ok(kctl("rollout", "status", "deploy/web", "-n", "shop"))
    ok(kctl("apply", "-f", write("pdb.yaml", PDB)))
    ok(kctl("cordon", "general-0"))
    r = kctl("drain", "general-1", "--timeout=20s")
    assert r.code == 1
    assert r.err.endswith('error: error when evicting pods/"web-689dfc84b6-wchfj" -n "shop": global timeout reached: 20s\n')


KUBELET_FAILURES = """\
apiVersion: v1
kind: Pod
metadata: {name: cfg, namespace: shop}
spec:
  containers:
  - name: c
    image: busybox
    env:
    - name: X
      valueFrom: {configMapKeyRef: {name: missing, key: k}}
---
apiVersion: v1
kind: Pod
metadata:
  name: crash
  namespace: shop
  annotations: {sim.kctl.io/exit-code: "1", sim.kctl.io/exit-after: 5s}
spec:
  containers:
  - name: c
    image: busybox
---
apiVersion: v1
kind: Pod
metadata:
  name: pull
  namespace: shop
  annotations: {sim.kctl.io/image-pull-error: "true"}
spec:
  containers:
  - name: c
    image: nosuch/image:1
---
apiVersion: batch/v1
kind: Job
metadata: {name: x, namespace: shop}
spec:
  template:
    metadata:
      annotations: {sim.kctl.io/exit-code: "0", sim.kctl.io/exit-after: 10s}
    spec:
      restartPolicy: Never
      containers:
      - name: c
        image: busybox
"""


def test_kubelet_failures_crashloop_pull_errors_config_and_job(kctl, frozen_now, write):
    ok(kctl("apply", "-f", os.path.join(MANIFESTS, "00-namespace.yaml"), "-f", NODES))
    ok(kctl("apply", "-f", write("k.yaml", KUBELET_FAILURES)))
    assert ok(kctl("get", "pods", "-n", "shop")) == """\
NAME      READY   STATUS                       RESTARTS   AGE
cfg       0/1     CreateContainerConfigError   0          0s
crash     1/1     Running                      0          0s
pull      0/1     ErrImagePull                 0          0s
x-b77dq   1/1     Running                      0          0s
"""
    assert ok(kctl("reconcile", "--advance", "6s")) == \
        "cluster time 2026-11-25T12:00:06Z (+6s); 1 object changed; next timer at 2026-11-25T12:00:10Z\n"
    # the first restart is immediate (no back-off record yet)
    assert re.search(r"^crash +1/1 +Running +1 \(1s ago\) +6s$", ok(kctl("get", "pods", "-n", "shop")), re.M)
    ok(kctl("reconcile", "--advance", "30s"))
    assert ok(kctl("get", "pods", "-n", "shop")) == """\
NAME      READY   STATUS                       RESTARTS      AGE
cfg       0/1     CreateContainerConfigError   0             36s
crash     0/1     CrashLoopBackOff             2 (11s ago)   36s
pull      0/1     ErrImagePull                 0             36s
x-b77dq   0/1     Completed                    0             36s
"""
    crash = ok(kctl("describe", "pod", "crash", "-n", "shop"))
    assert """\
    State:          Waiting
      Reason:       CrashLoopBackOff
    Last State:     Terminated
      Reason:       Error
      Exit Code:    1
      Started:      Wed, 25 Nov 2026 12:00:20 +0000
      Finished:     Wed, 25 Nov 2026 12:00:25 +0000
    Ready:          False
    Restart Count:  2
""" in crash
    uid = ok(kctl("get", "pod", "crash", "-n", "shop", "-o", "jsonpath={.metadata.uid}"))
    assert crash.endswith(
        "  Warning  BackOff    11s (x2 over 26s)  kubelet            Back-off restarting failed container c in pod "
        f"crash_shop({uid})\n")
    pull = ok(kctl("describe", "pod", "pull", "-n", "shop"))
    assert pull.endswith("  Warning  Failed     6s (x3 over 36s)  kubelet            Error: ErrImagePull\n")
    assert "  Normal   BackOff    16s               kubelet            Back-off pulling image \"nosuch/image:1\"\n" in pull
    ok(kctl("reconcile", "--advance", "5s"))  # t=41: inside the 40 s back-off
    assert re.search(r"^pull +0/1 +ImagePullBackOff +0 ", ok(kctl("get", "pods", "-n", "shop")), re.M)
    assert ok(kctl("describe", "pod", "cfg", "-n", "shop")).endswith(
        '  Warning  Failed     1s (x5 over 41s)  kubelet            Error: configmap "missing" not found\n')
    ok(kctl("apply", "-f", write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\n"
                                            "metadata: {name: missing, namespace: shop}\ndata: {k: v}\n")))
    assert re.search(r"^cfg +1/1 +Running +0 ", ok(kctl("get", "pods", "-n", "shop")), re.M)
    assert ok(kctl("wait", "--for=condition=complete", "job/x", "-n", "shop")) == "job.batch/x condition met\n"
    assert ok(kctl("get", "jobs", "-n", "shop")) == (
        "NAME   STATUS     COMPLETIONS   DURATION   AGE\nx      Complete   1/1           10s        41s\n")


def test_namespace_deletion_terminating_then_gone(kctl, frozen_now):
    ok(kctl("apply", "-f", MANIFESTS))
    ok(kctl("node", "fail", "general-1"))  # its pods cannot finish terminating: the namespace waits
    assert ok(kctl("delete", "ns", "shop")) == 'namespace "shop" deleted\n'
    assert ok(kctl("get", "ns", "shop")) == "NAME   STATUS        AGE\nshop   Terminating   0s\n"
    assert ok(kctl("get", "pods", "-n", "shop")) == """\
NAME                   READY   STATUS        RESTARTS   AGE
db-1                   1/1     Terminating   0          0s
web-689dfc84b6-htxbl   0/1     Terminating   0          0s
web-689dfc84b6-wchfj   0/1     Terminating   0          0s
"""
    r = kctl("apply", "-f", os.path.join(MANIFESTS, "20-web-config.yaml"))
    assert (r.code, r.out) == (1, "")
    assert 'Error from server (Forbidden): error when creating "' in r.err
    assert ('configmaps "web-config" is forbidden: unable to create new content in namespace shop because it is '
            'being terminated\n') in r.err
    assert r.err.endswith("error: no objects were changed\n")
    ok(kctl("node", "recover", "general-1"))
    r = kctl("get", "ns", "shop")
    assert (r.code, r.out, r.err) == (1, "", 'Error from server (NotFound): namespaces "shop" not found\n')
    r = kctl("get", "pods", "-n", "shop")
    assert (r.code, r.out, r.err) == (0, "", "No resources found in shop namespace.\n")


SERVICES = """\
apiVersion: v1
kind: Service
metadata: {name: np1}
spec:
  type: NodePort
  selector: {a: b}
  ports: [{port: 80, nodePort: 30080}]
---
apiVersion: v1
kind: Service
metadata: {name: np2}
spec:
  type: NodePort
  selector: {a: b}
  ports: [{port: 80}]
"""
CONFLICTS = """\
apiVersion: v1
kind: Service
metadata: {name: np3}
spec:
  type: NodePort
  selector: {a: b}
  ports: [{port: 80, nodePort: 30080}]
---
apiVersion: v1
kind: Service
metadata: {name: np4}
spec:
  type: NodePort
  selector: {a: b}
  ports: [{port: 80, nodePort: 29999}]
"""


def test_services_nodeport_conflicts_and_headless(kctl, frozen_now, write):
    ok(kctl("apply", "-f", MANIFESTS))
    assert ok(kctl("apply", "-f", write("s.yaml", SERVICES))) == "service/np1 created\nservice/np2 created\n"
    f = write("c.yaml", CONFLICTS)
    r = kctl("apply", "-f", f)
    assert (r.code, r.out) == (1, "")
    assert r.err == (
        f'{f}:7: The Service "np3" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is '
        "already allocated\n"
        f'{f}:15: The Service "np4" is invalid: spec.ports[0].nodePort: Invalid value: 29999: provided port is not '
        "in the valid range. The range of valid ports is 30000-32767\n"
        "error: no objects were changed\n")
    out = ok(kctl("get", "svc", "-A"))
    lines = out.splitlines()
    assert lines[0].split() == ["NAMESPACE", "NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]
    rows = {tuple(line.split()[:2]): line.split()[2:6] for line in lines[1:]}
    assert rows[("default", "kubernetes")] == ["ClusterIP", "10.96.0.1", "<none>", "443/TCP"]
    assert rows[("shop", "db")] == ["ClusterIP", "None", "<none>", "5432/TCP"]
    assert rows[("default", "np1")][3] == "80:30080/TCP"
    assert re.fullmatch(r"80:3\d{4}/TCP", rows[("default", "np2")][3])
    for key in (("default", "np1"), ("default", "np2"), ("shop", "web")):
        ip = rows[key][1]
        a, b, c, d = (int(x) for x in ip.split("."))
        assert a == 10 and 96 <= b <= 111 and ip != "10.96.0.1", ip  # 10.96.0.0/12
    assert len({rows[k][1] for k in rows if rows[k][1] != "None"}) == 4


def _normalized(out: str) -> list[list[str]]:
    # drop the AGE column (and anything after it that moves with time stays equal here)
    lines = [line for line in out.splitlines() if line.strip()]
    return [[cell for cell in re.split(r"\s{3,}", line) if not re.fullmatch(r"\d+[smhd]\S*|AGE", cell)]
            for line in lines]


def test_same_inputs_same_names_ips_and_cluster_ips(kctl, tmp_path, write):
    svc = write("s.yaml", SERVICES)
    outs = []
    for store in ("one.db", "two.db"):
        path = str(tmp_path / store)
        ok(kctl("--store", path, "apply", "-f", MANIFESTS))
        ok(kctl("--store", path, "apply", "-f", svc))
        ok(kctl("--store", path, "rollout", "status", "deploy/web", "-n", "shop"))
        ok(kctl("--store", path, "scale", "deploy/web", "-n", "shop", "--replicas=5"))
        ok(kctl("--store", path, "delete", "pod", "db-0", "-n", "shop"))
        outs.append(ok(kctl("--store", path, "get", "all", "-A", "-o", "wide")))
        outs[-1] += ok(kctl("--store", path, "get", "endpointslices,pvc", "-A"))
    assert _normalized(outs[0]) == _normalized(outs[1])
    assert "web-689dfc84b6-htxbl" in outs[0] and "10.244.1.2" in outs[0]
