"""Node lifecycle + taint eviction + pod GC on the in-memory store (with the kubelet)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from kctl.controllers import node_lifecycle as nl
from kctl.controllers.context import Context
from kctl.controllers.kubelet import Kubelet
from kctl.controllers.runner import advance, converge
from kctl.scheduler.inventory import expand
from kctl.store.memory import MemoryStore

T0 = datetime(2026, 11, 25, 12, 0, 0, tzinfo=timezone.utc)
UNREACH_NOEXEC = {"key": nl.TAINT_UNREACHABLE, "effect": "NoExecute", "timeAdded": "2026-11-25T12:00:00Z"}
UNREACH_NOSCHED = {"key": nl.TAINT_UNREACHABLE, "effect": "NoSchedule", "timeAdded": "2026-11-25T12:00:00Z"}
DEFAULT_TOLS = [
    {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
    {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
]


def ctrl():
    return [nl.NodeLifecycleController(), Kubelet()]


# ------------------------------------------------------------------ pure
@pytest.mark.parametrize("taints,tols,delay", [
    pytest.param([], [], None, id="no-taints"),
    pytest.param([UNREACH_NOSCHED], [], None, id="noschedule-only"),
    pytest.param([UNREACH_NOEXEC], [], 0.0, id="untolerated-now"),
    pytest.param([UNREACH_NOEXEC], DEFAULT_TOLS, 300.0, id="default-300s"),
    pytest.param([UNREACH_NOEXEC], [{"operator": "Exists"}], None, id="tolerate-everything-forever"),
    pytest.param([UNREACH_NOEXEC], [{"key": nl.TAINT_UNREACHABLE, "operator": "Exists", "tolerationSeconds": -5}],
                 0.0, id="negative-is-zero"),
    pytest.param([UNREACH_NOEXEC, {"key": "x", "value": "y", "effect": "NoExecute"}], DEFAULT_TOLS, 0.0,
                 id="one-taint-untolerated"),
    pytest.param([UNREACH_NOEXEC, {"key": "x", "value": "y", "effect": "NoExecute"}],
                 DEFAULT_TOLS + [{"key": "x", "value": "y", "tolerationSeconds": 60}], 60.0, id="min-of-used"),
    pytest.param([{"key": "x", "value": "y", "effect": "NoExecute"}], [{"key": "x", "value": "z"}], 0.0,
                 id="value-mismatch"),
])
def test_eviction_delay(taints, tols, delay):
    assert nl.eviction_delay(taints, tols) == delay


def _node(ready="True", unschedulable=False, **conds):
    node = {"metadata": {"name": "n"}, "spec": {},
            "status": {"conditions": [{"type": "Ready", "status": ready}] +
                       [{"type": k, "status": v} for k, v in conds.items()]}}
    if unschedulable:
        node["spec"]["unschedulable"] = True
    return node


@pytest.mark.parametrize("node,expected", [
    pytest.param(_node(), set(), id="healthy"),
    pytest.param(_node("Unknown"), {(nl.TAINT_UNREACHABLE, "NoSchedule"), (nl.TAINT_UNREACHABLE, "NoExecute")},
                 id="unreachable"),
    pytest.param(_node("False"), {(nl.TAINT_NOT_READY, "NoSchedule"), (nl.TAINT_NOT_READY, "NoExecute")},
                 id="not-ready"),
    pytest.param(_node(unschedulable=True), {(nl.TAINT_UNSCHEDULABLE, "NoSchedule")}, id="cordoned"),
    pytest.param(_node(MemoryPressure="True"), {(nl.TAINT_MEMORY, "NoSchedule")}, id="memory-pressure"),
])
def test_desired_taints(node, expected):
    assert nl.desired_taints(node) == expected


def test_reconcile_taints_keeps_user_taints_and_adds_time():
    user = {"key": "dedicated", "value": "db", "effect": "NoSchedule"}
    got = nl.reconcile_taints([user, {"key": nl.TAINT_NOT_READY, "effect": "NoExecute"}],
                              {(nl.TAINT_UNREACHABLE, "NoSchedule"), (nl.TAINT_UNREACHABLE, "NoExecute")}, "T")
    assert got == [user, {"key": nl.TAINT_UNREACHABLE, "effect": "NoSchedule", "timeAdded": "T"},
                   {"key": nl.TAINT_UNREACHABLE, "effect": "NoExecute", "timeAdded": "T"}]


# ------------------------------------------------------------------ scenarios
@pytest.fixture
def store():
    s = MemoryStore()
    ctx = Context(s, T0)
    inv = {"apiVersion": "kctl.io/v1alpha1", "kind": "NodeInventory", "metadata": {"name": "t"},
           "nodeGroups": [{"name": "n", "count": 2, "capacity": {"cpu": "4", "memory": "8Gi"}}]}
    for n in expand(inv, now=ctx.now_str):
        ctx.create("nodes", n)
    return s


def add_pod(store, name, node="n-0", tolerations=None, owner=None):
    meta = {"name": name, "namespace": "default"}
    if owner:
        meta["ownerReferences"] = [owner]
    spec = {"nodeName": node, "containers": [{"name": "c", "image": "nginx:1.27"}]}
    if tolerations is not None:
        spec["tolerations"] = tolerations
    Context(store, T0).create("pods", {"metadata": meta, "spec": spec})


def fail(store, name, at=T0):
    Context(store, at).write("nodes", nl.fail_node(store.get("nodes", "", name)))
    converge(store, at, ctrl())


def recover(store, name, at):
    ctx = Context(store, at)
    ctx.write("nodes", nl.recover_node(store.get("nodes", "", name), ctx.now_str))
    converge(store, at, ctrl())


def pod(store, name):
    return store.get("pods", "default", name)


def test_failed_node_goes_unknown_and_tainted(store):
    add_pod(store, "a", tolerations=DEFAULT_TOLS)
    converge(store, T0, ctrl())
    fail(store, "n-0")
    node = store.get("nodes", "", "n-0")
    assert node["metadata"]["annotations"]["sim.kctl.io/failed"] == "true"
    assert [(c["type"], c["status"], c["reason"], c["message"]) for c in node["status"]["conditions"]] == [
        (t, "Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.")
        for t in ("MemoryPressure", "DiskPressure", "PIDPressure", "Ready")]
    assert node["spec"]["taints"] == [UNREACH_NOSCHED, UNREACH_NOEXEC]
    p = pod(store, "a")
    ready = next(c for c in p["status"]["conditions"] if c["type"] == "Ready")
    assert ready["status"] == "False"
    assert "deletionTimestamp" not in p["metadata"]
    evs = {(e["reason"], e["message"]) for e in store.list("events", "default")}
    assert ("NodeNotReady", "Node n-0 status is now: NodeNotReady") in evs
    assert ("NodeNotReady", "Node is not ready") in evs


def test_pods_evicted_after_toleration_seconds_and_stay_terminating(store):
    add_pod(store, "tolerant", tolerations=DEFAULT_TOLS)
    add_pod(store, "bare", tolerations=[])
    add_pod(store, "forever", tolerations=[{"operator": "Exists"}])
    add_pod(store, "other", node="n-1", tolerations=DEFAULT_TOLS)
    converge(store, T0, ctrl())
    fail(store, "n-0")
    assert pod(store, "bare")["metadata"]["deletionTimestamp"] == "2026-11-25T12:00:30Z"
    assert "deletionTimestamp" not in pod(store, "tolerant")["metadata"]
    t = advance(store, T0, 299, ctrl())
    assert "deletionTimestamp" not in pod(store, "tolerant")["metadata"]
    advance(store, t, 1, ctrl())
    p = pod(store, "tolerant")
    assert p["metadata"]["deletionTimestamp"] == "2026-11-25T12:05:30Z"
    dt = next(c for c in p["status"]["conditions"] if c["type"] == "DisruptionTarget")
    assert (dt["status"], dt["reason"], dt["message"]) == (
        "True", "DeletionByTaintManager", "Taint manager: deleting due to NoExecute taint")
    assert "deletionTimestamp" not in pod(store, "forever")["metadata"]
    assert "deletionTimestamp" not in pod(store, "other")["metadata"]
    ev = [e for e in store.list("events", "default") if e["reason"] == "TaintManagerEviction"]
    assert sorted((e["message"], e["source"]["component"]) for e in ev) == [
        ("Marking for deletion Pod default/bare", "taint-eviction-controller"),
        ("Marking for deletion Pod default/tolerant", "taint-eviction-controller")]
    # much later: still Terminating while the node is unreachable
    t = advance(store, T0 + timedelta(seconds=300), 3600, ctrl())
    assert pod(store, "tolerant") is not None and pod(store, "bare") is not None
    recover(store, "n-0", t)
    assert pod(store, "tolerant") is None and pod(store, "bare") is None
    node = store.get("nodes", "", "n-0")
    assert "taints" not in node["spec"]
    assert "sim.kctl.io/failed" not in node["metadata"]["annotations"]
    assert [(c["type"], c["status"]) for c in node["status"]["conditions"]][-1] == ("Ready", "True")
    f = pod(store, "forever")
    assert next(c for c in f["status"]["conditions"] if c["type"] == "Ready")["status"] == "True"


def test_recover_before_toleration_cancels_eviction(store):
    add_pod(store, "a", tolerations=DEFAULT_TOLS)
    converge(store, T0, ctrl())
    fail(store, "n-0")
    t = advance(store, T0, 100, ctrl())
    recover(store, "n-0", t)
    advance(store, t, 600, ctrl())
    assert "deletionTimestamp" not in pod(store, "a")["metadata"]


def test_out_of_service_taint_removes_terminating_pods(store):
    add_pod(store, "a", tolerations=DEFAULT_TOLS)
    converge(store, T0, ctrl())
    fail(store, "n-0")
    t = advance(store, T0, 300, ctrl())
    assert pod(store, "a")["metadata"].get("deletionTimestamp")
    node = store.get("nodes", "", "n-0")
    node["spec"]["taints"].append({"key": nl.TAINT_OUT_OF_SERVICE, "value": "nodeshutdown", "effect": "NoExecute"})
    Context(store, t).write("nodes", node)
    converge(store, t, ctrl())
    assert pod(store, "a") is None


def test_cordon_adds_unschedulable_taint(store):
    node = store.get("nodes", "", "n-1")
    node["spec"]["unschedulable"] = True
    Context(store, T0).write("nodes", node)
    converge(store, T0, ctrl())
    assert store.get("nodes", "", "n-1")["spec"]["taints"] == [
        {"key": nl.TAINT_UNSCHEDULABLE, "effect": "NoSchedule", "timeAdded": "2026-11-25T12:00:00Z"}]
    node = store.get("nodes", "", "n-1")
    del node["spec"]["unschedulable"]
    Context(store, T0).write("nodes", node)
    converge(store, T0, ctrl())
    assert "taints" not in store.get("nodes", "", "n-1")["spec"]


def test_fail_is_idempotent(store):
    fail(store, "n-0")
    rev = store.revision()
    converge(store, T0, ctrl())
    assert store.revision() == rev
