"""DaemonSet controller: node eligibility (table) and reconcile on the in-memory store."""

from __future__ import annotations

import copy
from datetime import datetime, timezone

import pytest

from kctl.controllers.context import Context
from kctl.controllers.daemonset import DaemonSetController, daemon_tolerations, should_run, target_node
from kctl.controllers.runner import converge
from kctl.store.memory import MemoryStore

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def new_store():
    """A store with the namespaces the tests use (admission needs their default ServiceAccount)."""
    store = MemoryStore()
    ctx = Context(store, NOW)
    for ns in ("default", "kube-system"):
        ctx.create("namespaces", {"metadata": {"name": ns}})
    return store


def node(name="n1", labels=None, taints=None):
    return {"metadata": {"name": name, "labels": labels or {}}, "spec": {"taints": taints or []}}


AFFINITY = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
    {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a"]}]}]}}}

CASES = [
    ("plain", {}, node(), (True, True)),
    ("node-selector-miss", {"nodeSelector": {"disk": "ssd"}}, node(), (False, False)),
    ("node-selector-hit", {"nodeSelector": {"disk": "ssd"}}, node(labels={"disk": "ssd"}), (True, True)),
    ("affinity-miss", {"affinity": AFFINITY}, node(labels={"zone": "b"}), (False, False)),
    ("affinity-hit", {"affinity": AFFINITY}, node(labels={"zone": "a"}), (True, True)),
    ("noschedule-untolerated", {}, node(taints=[{"key": "gpu", "effect": "NoSchedule"}]), (False, True)),
    ("noexecute-untolerated", {}, node(taints=[{"key": "gpu", "effect": "NoExecute"}]), (False, False)),
    ("tolerated", {"tolerations": [{"key": "gpu", "operator": "Exists"}]},
     node(taints=[{"key": "gpu", "effect": "NoSchedule"}]), (True, True)),
    ("unschedulable-auto", {}, node(taints=[{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}]),
     (True, True)),
    ("unreachable-auto", {}, node(taints=[{"key": "node.kubernetes.io/unreachable", "effect": "NoExecute"}]),
     (True, True)),
    ("network-unavailable-no-hostnetwork", {},
     node(taints=[{"key": "node.kubernetes.io/network-unavailable", "effect": "NoSchedule"}]), (False, True)),
    ("network-unavailable-hostnetwork", {"hostNetwork": True},
     node(taints=[{"key": "node.kubernetes.io/network-unavailable", "effect": "NoSchedule"}]), (True, True)),
    ("prefer-noschedule-ignored", {}, node(taints=[{"key": "x", "effect": "PreferNoSchedule"}]), (True, True)),
]


@pytest.mark.parametrize("spec,n,want", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_should_run(spec, n, want):
    assert should_run(spec, n) == want


def test_daemon_tolerations_order():
    assert [(t["key"], t["effect"]) for t in daemon_tolerations({"hostNetwork": True})] == [
        ("node.kubernetes.io/not-ready", "NoExecute"), ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/disk-pressure", "NoSchedule"), ("node.kubernetes.io/memory-pressure", "NoSchedule"),
        ("node.kubernetes.io/pid-pressure", "NoSchedule"), ("node.kubernetes.io/unschedulable", "NoSchedule"),
        ("node.kubernetes.io/network-unavailable", "NoSchedule")]


def ds_obj(image="a:1", max_unavailable=1, max_surge=0):
    return {"metadata": {"name": "agent", "namespace": "kube-system"},
            "spec": {"selector": {"matchLabels": {"app": "agent"}},
                     "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {
                         "maxUnavailable": max_unavailable, "maxSurge": max_surge}},
                     "template": {"metadata": {"labels": {"app": "agent"}},
                                  "spec": {"containers": [{"name": "c", "image": image}]}}}}


def cluster(nodes=("n1", "n2", "n3"), tainted=("n3",), **kw):
    store = new_store()
    ctx = Context(store, NOW)
    for n in nodes:
        taints = [{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}] if n in tainted else []
        ctx.create("nodes", {"metadata": {"name": n}, "spec": {"taints": taints}})
    ctx.create("daemonsets.apps", ds_obj(**kw))
    return store


def run(store):
    converge(store, NOW, [DaemonSetController()])


def kubelet(store):
    ctx = Context(store, NOW)
    for p in store.list("pods"):
        if p["metadata"].get("deletionTimestamp"):
            ctx.delete("pods", p["metadata"]["namespace"], p["metadata"]["name"])
        elif p["status"].get("phase") != "Running":
            p = copy.deepcopy(p)
            p["spec"]["nodeName"] = target_node(p)
            p["status"] = {"phase": "Running", "conditions": [
                {"type": "Ready", "status": "True", "lastTransitionTime": ctx.now_str}]}
            ctx.write("pods", p)


def placement(store):
    return sorted((target_node(p), p["metadata"]["labels"]["controller-revision-hash"],
                   bool(p["metadata"].get("deletionTimestamp"))) for p in store.list("pods"))


def test_one_pod_per_eligible_node():
    store = cluster()
    run(store)
    pods = store.list("pods")
    assert sorted(target_node(p) for p in pods) == ["n1", "n2"]
    p = pods[0]
    assert p["metadata"]["name"].startswith("agent-") and len(p["metadata"]["name"]) == 11
    assert p["metadata"]["labels"]["pod-template-generation"] == "1"
    assert "nodeName" not in p["spec"]
    assert len(p["spec"]["tolerations"]) == 6
    assert sorted((e["reason"], e["message"], e["source"]["component"]) for e in store.list("events")) == sorted(
        ("SuccessfulCreate", f"Created pod: {q['metadata']['name']}", "daemonset-controller") for q in pods)
    kubelet(store)
    run(store)
    st = store.get("daemonsets.apps", "kube-system", "agent")["status"]
    assert st == {"currentNumberScheduled": 2, "desiredNumberScheduled": 2, "numberMisscheduled": 0,
                  "numberReady": 2, "numberAvailable": 2, "updatedNumberScheduled": 2, "observedGeneration": 1}


def test_new_node_gets_pod_and_taint_noexecute_removes_it():
    store = cluster(nodes=("n1",), tainted=())
    run(store)
    kubelet(store)
    Context(store, NOW).create("nodes", {"metadata": {"name": "n2"}, "spec": {}})
    run(store)
    assert sorted(target_node(p) for p in store.list("pods")) == ["n1", "n2"]
    kubelet(store)
    n2 = copy.deepcopy(store.get("nodes", "", "n2"))
    n2["spec"]["taints"] = [{"key": "evict", "effect": "NoExecute"}]
    Context(store, NOW).write("nodes", n2)
    run(store)
    kubelet(store)
    assert sorted(target_node(p) for p in store.list("pods")) == ["n1"]


def _update_image(store, image):
    live = copy.deepcopy(store.get("daemonsets.apps", "kube-system", "agent"))
    live["spec"]["template"]["spec"]["containers"][0]["image"] = image
    Context(store, NOW).update("daemonsets.apps", live)


def test_rolling_update_max_unavailable_one():
    store = cluster(tainted=())
    run(store)
    kubelet(store)
    run(store)
    old = placement(store)[0][1]
    _update_image(store, "a:2")
    run(store)
    first = placement(store)
    assert sum(1 for _, _, dying in first if dying) == 1
    for _ in range(8):
        kubelet(store)
        run(store)
    after = placement(store)
    assert len(after) == 3 and all(h != old and not dying for _, h, dying in after)
    assert store.get("daemonsets.apps", "kube-system", "agent")["status"]["updatedNumberScheduled"] == 3


def test_rolling_update_max_surge_creates_before_deleting():
    store = cluster(tainted=(), max_unavailable=0, max_surge=1)
    run(store)
    kubelet(store)
    run(store)
    _update_image(store, "a:2")
    run(store)
    assert len(store.list("pods")) == 4 and not any(d for _, _, d in placement(store))
    for _ in range(10):
        kubelet(store)
        run(store)
    assert len(store.list("pods")) == 3
    assert store.get("daemonsets.apps", "kube-system", "agent")["status"]["updatedNumberScheduled"] == 3
