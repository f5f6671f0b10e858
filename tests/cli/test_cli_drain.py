"""`kctl cordon|uncordon|drain` through the CLI: kubectl's rules and texts."""

from __future__ import annotations

import pytest

INV = """apiVersion: kctl.io/v1alpha1
kind: NodeInventory
metadata: {name: prod}
nodeGroups:
- name: pool
  count: 2
  capacity: {cpu: "4", memory: 8Gi}
"""

RS = """apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      nodeName: pool-0
      containers:
      - {name: web, image: "nginx:1.27"}
"""

BARE = """apiVersion: v1
kind: Pod
metadata: {name: bare}
spec:
  nodeName: pool-0
  containers:
  - {name: c, image: "busybox:1.36"}
"""

SCRATCH = """apiVersion: v1
kind: Pod
metadata: {name: scratch}
spec:
  nodeName: pool-0
  volumes:
  - {name: tmp, emptyDir: {}}
  containers:
  - {name: c, image: "busybox:1.36"}
"""


def pdb(min_available):
    return f"""apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {{name: web}}
spec:
  minAvailable: {min_available}
  selector: {{matchLabels: {{app: web}}}}
"""


@pytest.fixture
def cluster(kctl, write, frozen_now):
    assert kctl("apply", "-f", write("inv.yaml", INV)).code == 0
    return kctl


def pod_names(kctl):
    return sorted(line.split("/", 1)[1] for line in kctl("get", "pods", "-o", "name").out.split())


def test_cordon_uncordon_texts(cluster):
    kctl = cluster
    assert kctl("cordon", "pool-1").out == "node/pool-1 cordoned\n"
    assert kctl("cordon", "pool-1").out == "node/pool-1 already cordoned\n"
    assert "Ready,SchedulingDisabled" in kctl("get", "nodes").out
    assert kctl("uncordon", "pool-1").out == "node/pool-1 uncordoned\n"
    assert kctl("uncordon", "pool-1").out == "node/pool-1 already uncordoned\n"
    r = kctl("cordon", "pool-1", "--dry-run=client")
    assert r.out == "node/pool-1 cordoned (dry run)\n"
    assert "SchedulingDisabled" not in kctl("get", "nodes").out
    r = kctl("cordon", "nope")
    assert (r.code, r.err) == (1, 'Error from server (NotFound): nodes "nope" not found\n')


def test_cordon_by_selector(cluster):
    r = cluster("cordon", "-l", "kubernetes.io/hostname=pool-0")
    assert r.out == "node/pool-0 cordoned\n"


def test_drain_evicts_managed_pods(cluster, write):
    kctl = cluster
    kctl("apply", "-f", write("rs.yaml", RS))
    a, b = pod_names(kctl)
    r = kctl("drain", "pool-0")
    assert r.code == 0, r.err
    assert r.out == (f"node/pool-0 cordoned\nevicting pod default/{a}\nevicting pod default/{b}\n"
                     f"pod/{a} evicted\npod/{b} evicted\nnode/pool-0 drained\n")
    assert r.err == ""


def test_drain_refuses_unmanaged_and_emptydir(cluster, write):
    kctl = cluster
    kctl("apply", "-f", write("p.yaml", BARE + "---\n" + SCRATCH))
    r = kctl("drain", "pool-0")
    assert r.code == 1
    assert r.out == "node/pool-0 cordoned\n"
    msg = ("[cannot delete Pods that declare no controller (use --force to override): default/bare, "
           "cannot delete Pods with local storage (use --delete-emptydir-data to override): default/scratch]")
    assert r.err == (f'error: unable to drain node "pool-0" due to error: {msg}, continuing command...\n'
                     "There are pending nodes to be drained:\n pool-0\n"
                     f"error: {msg}\n")
    r = kctl("drain", "pool-0", "--force", "--delete-emptydir-data")
    assert r.code == 0
    assert r.out == ("node/pool-0 already cordoned\nevicting pod default/bare\nevicting pod default/scratch\n"
                     "pod/bare evicted\npod/scratch evicted\nnode/pool-0 drained\n")
    assert r.err == "Warning: deleting Pods that declare no controller: default/bare, default/scratch\n"


def test_drain_dry_run_changes_nothing(cluster, write):
    kctl = cluster
    kctl("apply", "-f", write("p.yaml", BARE))
    r = kctl("drain", "pool-0", "--force", "--dry-run=client")
    assert r.out == "node/pool-0 cordoned (dry run)\nevicting pod default/bare (dry run)\nnode/pool-0 drained (dry run)\n"
    assert pod_names(kctl) == ["bare"]
    assert "SchedulingDisabled" not in kctl("get", "nodes").out


def test_drain_respects_disruption_budget(cluster, write):
    kctl = cluster
    kctl("apply", "-f", write("rs.yaml", RS + "---\n" + pdb(2)))
    a, b = pod_names(kctl)
    r = kctl("drain", "pool-0", "--timeout", "10s")
    assert r.code == 1
    assert r.out == "node/pool-0 cordoned\n" + f"evicting pod default/{a}\nevicting pod default/{b}\n" * 3
    retry = ('error when evicting pods/"{}" -n "default" (will retry after 5s): '
             "Cannot evict pod as it would violate the pod's disruption budget.\n")
    err = (f'[error when evicting pods/"{a}" -n "default": global timeout reached: 10s, '
           f'error when evicting pods/"{b}" -n "default": global timeout reached: 10s]')
    assert r.err == ((retry.format(a) + retry.format(b)) * 2
                     + f'There are pending pods in node "pool-0" when an error occurred: {err}\n'
                     + f"pod/{a}\npod/{b}\n"
                     + f'error: unable to drain node "pool-0" due to error: {err}, continuing command...\n'
                     + "There are pending nodes to be drained:\n pool-0\n"
                     + f"error: {err}\n")
    assert pod_names(kctl) == [a, b]


def test_drain_budget_allows_one_then_the_next_after_retry(cluster, write):
    kctl = cluster
    kctl("apply", "-f", write("rs.yaml", RS + "---\n" + pdb(1)))
    a, b = pod_names(kctl)
    r = kctl("drain", "pool-0", "--timeout", "1m")
    # the first eviction uses the budget; the ReplicaSet's replacement (pinned to pool-0 by
    # nodeName, which a cordon does not stop) becomes ready, so the retry 5 s later succeeds
    assert r.code == 0
    assert r.out == (f"node/pool-0 cordoned\nevicting pod default/{a}\nevicting pod default/{b}\npod/{a} evicted\n"
                     f"evicting pod default/{b}\npod/{b} evicted\nnode/pool-0 drained\n")
    assert r.err == (f'error when evicting pods/"{b}" -n "default" (will retry after 5s): '
                     "Cannot evict pod as it would violate the pod's disruption budget.\n")


def test_drain_unknown_node_and_usage(cluster):
    r = cluster("drain", "nope")
    assert (r.code, r.err) == (1, 'Error from server (NotFound): nodes "nope" not found\n')
    assert cluster("drain").code == 1


# ------------------------------------------------------------------ pure rules
from kctl.cli import drain as dr  # noqa: E402


def _p(name, owner_kind=None, phase="Running", emptydir=False, mirror=False):
    meta = {"name": name, "namespace": "default"}
    if owner_kind:
        api = "v1" if owner_kind == "ReplicationController" else "apps/v1"
        meta["ownerReferences"] = [{"apiVersion": api, "kind": owner_kind, "name": "o", "controller": True}]
    if mirror:
        meta["annotations"] = {"kubernetes.io/config.mirror": "x"}
    spec = {"volumes": [{"name": "t", "emptyDir": {}}]} if emptydir else {}
    return {"metadata": meta, "spec": spec, "status": {"phase": phase}}


FLAGS = dict(force=False, ignore_daemonsets=False, delete_emptydir=False, daemonset_exists=lambda ns, n: True)


@pytest.mark.parametrize("pod,flags,expected", [
    pytest.param(_p("a", "ReplicaSet"), {}, (True, "Okay", ""), id="managed"),
    pytest.param(_p("a"), {}, (False, "Error", dr.UNMANAGED_FATAL), id="unmanaged"),
    pytest.param(_p("a"), {"force": True}, (True, "Warning", dr.UNMANAGED_WARNING), id="unmanaged-force"),
    pytest.param(_p("a", phase="Succeeded"), {}, (True, "Okay", ""), id="finished-unmanaged"),
    pytest.param(_p("a", "DaemonSet"), {}, (False, "Error", dr.DAEMONSET_FATAL), id="daemonset"),
    pytest.param(_p("a", "DaemonSet"), {"ignore_daemonsets": True}, (False, "Warning", dr.DAEMONSET_WARNING),
                 id="daemonset-ignored"),
    pytest.param(_p("a", "DaemonSet"), {"daemonset_exists": lambda ns, n: False, "force": True},
                 (True, "Warning", 'daemonsets.apps "o" not found'), id="orphaned-daemonset-force"),
    pytest.param(_p("a", "ReplicaSet", emptydir=True), {}, (False, "Error", dr.LOCAL_STORAGE_FATAL), id="emptydir"),
    pytest.param(_p("a", "ReplicaSet", emptydir=True), {"delete_emptydir": True},
                 (True, "Warning", dr.LOCAL_STORAGE_WARNING), id="emptydir-allowed"),
    pytest.param(_p("a", "ReplicaSet", mirror=True), {}, (False, "Skip", ""), id="mirror"),
])
def test_filter_pod(pod, flags, expected):
    assert dr.filter_pod(pod, **{**FLAGS, **flags}) == expected


def test_pods_for_deletion_groups_messages():
    pods = [_p("a", "DaemonSet"), _p("b", "DaemonSet"), _p("c", "ReplicaSet"), _p("d")]
    keep, warnings, errors = dr.pods_for_deletion(pods, **{**FLAGS, "ignore_daemonsets": True, "force": True})
    assert [p["metadata"]["name"] for p in keep] == ["c", "d"]
    assert warnings == [f"{dr.DAEMONSET_WARNING}: default/a, default/b", f"{dr.UNMANAGED_WARNING}: default/d"]
    assert errors == []


def _ready(name, ready=True, deleting=False):
    p = {"metadata": {"name": name}, "status": {"conditions": [{"type": "Ready", "status": "True" if ready else "False"}]}}
    if deleting:
        p["metadata"]["deletionTimestamp"] = "x"
    return p


@pytest.mark.parametrize("spec,pods,scale,expected", [
    pytest.param({"minAvailable": 2}, [_ready("a"), _ready("b"), _ready("c")], 3, (3, 2, 1), id="min-int"),
    pytest.param({"minAvailable": "50%"}, [_ready("a"), _ready("b"), _ready("c")], 3, (3, 2, 1), id="min-pct-rounds-up"),
    pytest.param({"maxUnavailable": 1}, [_ready("a"), _ready("b", False), _ready("c")], 3, (2, 2, 0), id="max-int"),
    pytest.param({"maxUnavailable": "50%"}, [_ready("a"), _ready("b"), _ready("c"), _ready("d")], 4, (4, 2, 2),
                 id="max-pct"),
    pytest.param({"minAvailable": 1}, [_ready("a", deleting=True), _ready("b")], 2, (1, 1, 0), id="terminating-not-healthy"),
])
def test_budget_numbers(spec, pods, scale, expected):
    assert dr.budget_numbers({"spec": spec}, pods, scale) == expected


def test_drain_of_failed_node_does_not_hang(cluster, write):
    kctl = cluster
    kctl("apply", "-f", write("rs.yaml", RS))
    kctl("node", "fail", "pool-0")
    r = kctl("drain", "pool-0")
    assert r.code == 1
    assert "to terminate: " in r.err
    assert r.err.rstrip().endswith("(use --timeout to bound the wait)]")
    r = kctl("drain", "pool-0", "--timeout", "90s")
    assert r.code == 1 and "global timeout reached: 1m30s" in r.err
