"""The scheduler controller through converge on a MemoryStore: binding, events, messages
(golden strings), priority, preemption, idempotence, grouped vs per-node equivalence."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from test_sched_helpers import node, pod

from kctl.controllers.context import Context
from kctl.controllers.runner import converge
from kctl.scheduler import framework as fw
from kctl.scheduler.inventory import expand
from kctl.scheduler.schedule_one import Scheduler, fit_error_message
from kctl.store.memory import MemoryStore

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)
CP_TAINT = {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}


def inventory(*groups):
    return {"apiVersion": "kctl.io/v1alpha1", "kind": "NodeInventory", "metadata": {"name": "lab"},
            "nodeGroups": list(groups)}


def group(name, count, cpu="2", memory="4Gi", **extra):
    return {"name": name, "count": count, "capacity": {"cpu": cpu, "memory": memory}, **extra}


LAB = inventory(group("cp", 1, taints=[CP_TAINT]), group("worker", 2))


class Cluster:
    def __init__(self, inv=LAB):
        self.store = MemoryStore()
        self.ctx = Context(self.store, NOW)
        with self.store.transaction():
            for n in expand(inv):
                self.ctx.create("nodes", n)

    def add(self, resource, obj):
        with self.store.transaction():
            self.ctx.create(resource, obj)

    def converge(self):
        with self.store.transaction():
            return converge(self.store, NOW, controllers=[Scheduler()])

    def pod(self, name, ns="default"):
        return self.store.get("pods", ns, name)

    def placement(self):
        return {p["metadata"]["name"]: p["spec"].get("nodeName") for p in self.store.list("pods")}

    def events(self, name=None):
        return [(e["type"], e["reason"], e["message"], e["count"], e["source"]["component"])
                for e in self.store.list("events") if name is None or e["involvedObject"]["name"] == name]

    def condition(self, name):
        for c in self.pod(name)["status"].get("conditions") or []:
            if c["type"] == "PodScheduled":
                return c
        return None


def bound(name, cpu, node_name, priority=0):
    p = pod(name, cpu=cpu, priority=priority)
    p["spec"]["nodeName"] = node_name
    return p


# ---------------------------------------------------------------------------- messages
@pytest.mark.parametrize("statuses,post,want", [
    ([(fw.Status(3, "node(s) had untolerated taint(s)"), 1), (fw.Status(2, "Insufficient cpu"), 2)], "",
     "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu."),
    ([(fw.Status(2, "Insufficient cpu", "Insufficient memory"), 2), (fw.Status(2, "Insufficient cpu"), 10)], "",
     "0/12 nodes are available: 12 Insufficient cpu, 2 Insufficient memory."),
    ([(fw.Status(2, "Too many pods"), 10), (fw.Status(2, "Insufficient cpu"), 2)], "x: y.",
     "0/12 nodes are available: 10 Too many pods, 2 Insufficient cpu. x: y."),
], ids=["brief-example", "per-reason-counts", "sorted-as-strings"])
def test_fit_error_message(statuses, post, want):
    n = sum(c for _, c in statuses)
    assert fit_error_message(n, "", statuses, post) == want


def test_failed_scheduling_golden_taint_and_no_victims():
    c = Cluster()
    c.add("pods", bound("busy-0", "1500m", "worker-0"))
    c.add("pods", bound("busy-1", "1500m", "worker-1"))
    c.add("pods", pod("web", cpu="1"))
    c.converge()
    want = ("0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. preemption: "
            "0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims "
            "found for incoming pod.")
    cond = c.condition("web")
    assert (cond["status"], cond["reason"], cond["message"]) == ("False", "Unschedulable", want)
    assert c.events("web") == [("Warning", "FailedScheduling", want, 1, "default-scheduler")]
    assert c.pod("web")["spec"].get("nodeName") is None


@pytest.mark.parametrize("spec,want", [
    ({"containers": [{"name": "c", "image": "x", "resources": {"requests": {"cpu": "3"}}}]},
     "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. preemption: "
     "0/3 nodes are available: 3 Preemption is not helpful for scheduling."),
    ({"containers": [{"name": "c", "image": "x"}], "nodeSelector": {"disk": "ssd"}},
     "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 node(s) didn't match Pod's node "
     "affinity/selector. preemption: "
     "0/3 nodes are available: 3 Preemption is not helpful for scheduling."),
    ({"containers": [{"name": "c", "image": "x"}],
      "volumes": [{"name": "d", "persistentVolumeClaim": {"claimName": "data"}}]},
     '0/3 nodes are available: persistentvolumeclaim "data" not found. preemption: '
     "0/3 nodes are available: 3 Preemption is not helpful for scheduling."),
    ({"containers": [{"name": "c", "image": "x", "resources": {"requests": {"cpu": "1"}}}],
      "preemptionPolicy": "Never", "priority": 100},
     "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. preemption: "
     "not eligible due to preemptionPolicy=Never."),
], ids=["larger-than-any-node", "node-selector", "missing-pvc", "preemption-policy-never"])
def test_failed_scheduling_golden(spec, want):
    c = Cluster()
    c.add("pods", bound("busy-0", "1500m", "worker-0"))
    c.add("pods", bound("busy-1", "1500m", "worker-1"))
    c.add("pods", {"metadata": {"name": "p"}, "spec": spec})
    c.converge()
    assert c.condition("p")["message"] == want


def test_no_nodes_message():
    c = Cluster(inventory())
    c.add("pods", pod("p"))
    c.converge()
    assert c.condition("p")["message"] == "no nodes available to schedule pods"


# ---------------------------------------------------------------------------- binding
def test_bind_sets_node_condition_and_event():
    c = Cluster()
    c.add("pods", pod("web", cpu="100m"))
    c.converge()
    p = c.pod("web")
    assert p["spec"]["nodeName"] == "worker-0"
    assert c.condition("web") == {"type": "PodScheduled", "status": "True", "lastProbeTime": None,
                                  "lastTransitionTime": "2026-01-01T00:00:00Z"}
    assert c.events("web") == [("Normal", "Scheduled", "Successfully assigned default/web to worker-0", 1,
                                "default-scheduler")]


def test_converge_is_idempotent():
    c = Cluster()
    c.add("pods", pod("web", cpu="100m"))
    c.add("pods", pod("huge", cpu="64"))
    c.converge()
    rev = c.store.revision()
    c.converge()
    assert c.store.revision() == rev
    assert [e[3] for e in c.events("huge")] == [1]


def test_unschedulable_pod_lands_when_a_node_arrives():
    c = Cluster()
    c.add("pods", pod("big", cpu="3"))
    c.converge()
    assert c.placement()["big"] is None
    c.add("nodes", node("large-0", cpu="8"))
    c.converge()
    assert c.placement()["big"] == "large-0"
    assert c.condition("big")["status"] == "True"


def test_spreads_replicas_and_avoids_tainted_node_unless_tolerated():
    c = Cluster()
    for i in range(4):
        c.add("pods", pod(f"web-{i}", cpu="100m", labels={"app": "web"}))
    c.add("pods", pod("admin", cpu="100m", nodeSelector={"node-role": "cp"},
                      tolerations=[{"key": "node-role.kubernetes.io/control-plane", "operator": "Exists"}]))
    with c.store.transaction():
        cp = c.store.get("nodes", "", "cp-0")
        cp["metadata"]["labels"]["node-role"] = "cp"
        c.store.update("nodes", cp)
    c.converge()
    got = c.placement()
    assert got == {"admin": "cp-0", "web-0": "worker-0", "web-1": "worker-1", "web-2": "worker-0",
                   "web-3": "worker-1"}


def test_schedulers_other_than_default_are_left_alone():
    c = Cluster()
    c.add("pods", pod("mine", schedulerName="my-scheduler"))
    c.converge()
    assert c.placement()["mine"] is None
    assert c.events("mine") == []


# ---------------------------------------------------------------------------- priority
def test_higher_priority_pod_takes_the_last_slot():
    c = Cluster(inventory(group("worker", 1)))
    c.add("pods", pod("a-low", cpu="1500m", priority=0))
    c.add("pods", pod("z-high", cpu="1500m", priority=1000))
    c.converge()
    assert c.placement()["z-high"] == "worker-0"
    assert c.placement()["a-low"] is None


@pytest.mark.parametrize("classes,pod_spec,want", [
    ([("high", 1000, False)], {"priorityClassName": "high"}, 1000),
    ([("high", 1000, False), ("base", 7, True)], {}, 7),
    ([], {"priorityClassName": "system-node-critical"}, 2000001000),
    ([("high", 1000, False)], {"priority": 5, "priorityClassName": "high"}, 5),
    ([], {}, 0),
], ids=["class-name", "global-default", "built-in-class", "spec-priority-wins", "none"])
def test_priority_resolution(classes, pod_spec, want):
    from kctl.scheduler.schedule_one import Snapshot

    s = MemoryStore()
    with s.transaction():
        for name, value, default in classes:
            s.create("priorityclasses.scheduling.k8s.io", {
                "apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": name},
                "value": value, "globalDefault": default})
    assert Snapshot.load(s).priority_of({"spec": pod_spec}) == want


# ---------------------------------------------------------------------------- preemption
def test_preemption_evicts_lowest_priority_victim_and_nominates():
    c = Cluster(inventory(group("worker", 2)))
    c.add("pods", bound("low", "1500m", "worker-0", priority=0))
    c.add("pods", bound("mid", "1500m", "worker-1", priority=500))
    c.add("pods", pod("high", cpu="1", priority=1000))
    c.converge()
    high = c.pod("high")
    assert high["status"]["nominatedNodeName"] == "worker-0"
    low = c.pod("low")
    # graceful: the victim is Terminating (the GC helper sets deletionTimestamp) or gone
    assert low is None or low["metadata"].get("deletionTimestamp")
    if low is not None:
        assert {"type": "DisruptionTarget", "status": "True", "lastProbeTime": None,
                "lastTransitionTime": "2026-01-01T00:00:00Z", "reason": "PreemptionByScheduler",
                "message": "default-scheduler: preempting to accommodate a higher priority pod"} in \
            low["status"]["conditions"]
    uid = high["metadata"]["uid"]
    assert ("Normal", "Preempted", f"Preempted by pod {uid} on node worker-0", 1, "default-scheduler") in c.events("low")
    assert c.events("high")[0][:3] == ("Warning", "FailedScheduling", "0/2 nodes are available: 2 Insufficient cpu.")
    # the victim goes away (the kubelet would remove it): the preemptor binds to its nominated node
    with c.store.transaction():
        if c.pod("low") is not None:
            c.store.delete("pods", "default", "low")
    c.converge()
    assert c.placement()["high"] == "worker-0"
    assert "nominatedNodeName" not in c.pod("high")["status"]
    assert c.placement()["mid"] == "worker-1"


def test_preemption_not_helpful_when_no_lower_priority_pods():
    c = Cluster(inventory(group("worker", 1)))
    c.add("pods", bound("peer", "1500m", "worker-0", priority=1000))
    c.add("pods", pod("high", cpu="1", priority=1000))
    c.converge()
    assert c.condition("high")["message"] == (
        "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: "
        "1 No preemption victims found for incoming pod.")
    assert c.pod("peer")["metadata"].get("deletionTimestamp") is None


# ---------------------------------------------------------------------------- grouping
def test_grouped_nodes_place_like_per_node_evaluation():
    """The equivalence-class/grouped fast path must choose what a plain per-node run chooses."""
    from kctl.scheduler.framework import PodInfo
    from kctl.scheduler.schedule_one import Algorithm, Snapshot, class_key

    inv = inventory(group("a", 4, cpu="4", labels={"topology.kubernetes.io/zone": "z1"}),
                    group("b", 3, cpu="8", labels={"topology.kubernetes.io/zone": "z2"}))
    rs = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "web", "namespace": "default"},
          "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": {}}}
    placements = []
    for grouped in (True, False):
        s = MemoryStore()
        with s.transaction():
            for n in expand(inv):
                s.create("nodes", n)
            s.create("replicasets.apps", rs)
        snap, algo = Snapshot.load(s), Algorithm()
        got = []
        for i in range(90):
            p = pod(f"web-{i}", cpu="500m", memory="256Mi", labels={"app": "web"})
            pi = PodInfo(p)
            res = algo.schedule(snap, pi, class_key(pi) if grouped else None)
            got.append(res.node)
            if res.node:
                snap.assume(pi, res.node)
        placements.append(got)
    assert placements[0] == placements[1]
    assert None in placements[0] and placements[0][0] is not None


def test_daemonset_style_pod_pinned_by_match_fields():
    c = Cluster()
    c.add("pods", bound("busy", "1500m", "worker-0"))
    c.add("pods", pod("ds-x", cpu="1", affinity={"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
        "nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["worker-0"]}]}]}}}))
    c.add("pods", pod("ds-y", cpu="1", affinity={"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
        "nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["worker-1"]}]}]}}}))
    c.converge()
    assert c.placement()["ds-y"] == "worker-1"
    assert c.condition("ds-x")["message"] == (
        "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. "
        "preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, "
        "2 Preemption is not helpful for scheduling.")


def test_nothing_pending_loads_no_snapshot():
    c = Cluster()
    c.add("pods", bound("busy", "100m", "worker-0"))
    with c.store.transaction():
        ctx = Context(c.store, NOW)
        Scheduler().reconcile(ctx, ("scheduling-queue",))
    assert "scheduler" not in (getattr(ctx, "cache", None) or {})


def test_wait_for_first_consumer_claim_gets_selected_node():
    c = Cluster()
    c.add("storageclasses.storage.k8s.io", {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
                                            "metadata": {"name": "wffc"}, "provisioner": "x",
                                            "volumeBindingMode": "WaitForFirstConsumer"})
    c.add("persistentvolumeclaims", {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                                     "metadata": {"name": "data", "namespace": "default"},
                                     "spec": {"storageClassName": "wffc", "accessModes": ["ReadWriteOnce"],
                                              "resources": {"requests": {"storage": "1Gi"}}}})
    c.add("pods", pod("db", cpu="100m", volumes=[{"name": "d", "persistentVolumeClaim": {"claimName": "data"}}]))
    c.converge()
    assert c.placement()["db"] == "worker-0"
    claim = c.store.get("persistentvolumeclaims", "default", "data")
    assert claim["metadata"]["annotations"]["volume.kubernetes.io/selected-node"] == "worker-0"
