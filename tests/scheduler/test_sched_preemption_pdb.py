"""DefaultPreemption and PodDisruptionBudgets: victims that would violate a PDB are reprieved
first and the node with the fewest violations wins; violations are allowed when unavoidable."""

from __future__ import annotations

import pytest

from test_sched_converge import Cluster, group, inventory
from test_sched_helpers import pod

from kctl.scheduler.framework import PodInfo
from kctl.scheduler.plugins.default_preemption import pick_one, split_pdb_violation


def bound(name, node_name, labels, priority=0, cpu="1500m"):
    p = pod(name, cpu=cpu, priority=priority, labels=labels)
    p["spec"]["nodeName"] = node_name
    return p


def pdb(name, match_labels, allowed, ns="default", disrupted=None):
    status = {"disruptionsAllowed": allowed, "currentHealthy": 1, "desiredHealthy": 1,
              "expectedPods": 1, "observedGeneration": 1}
    if disrupted:
        status["disruptedPods"] = {n: "2026-01-01T00:00:00Z" for n in disrupted}
    return {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
            "metadata": {"name": name, "namespace": ns},
            "spec": {"selector": {"matchLabels": match_labels}, "minAvailable": 1},
            "status": status}


def terminating(c, name):
    p = c.pod(name)
    return p is None or bool(p["metadata"].get("deletionTimestamp"))


# ---------------------------------------------------------------------------- converge
@pytest.mark.parametrize("protected,want_node,spared", [
    ("a", "worker-1", "a"),
    ("b", "worker-0", "b"),
], ids=["pdb-on-worker-0-victim", "pdb-on-worker-1-victim"])
def test_preemption_prefers_node_without_pdb_violation(protected, want_node, spared):
    c = Cluster(inventory(group("worker", 2)))
    c.add("pods", bound("a", "worker-0", {"app": "a"}))
    c.add("pods", bound("b", "worker-1", {"app": "b"}))
    c.add("poddisruptionbudgets.policy", pdb("guard", {"app": protected}, 0))
    c.add("pods", pod("high", cpu="1", priority=1000))
    c.converge()
    assert c.pod("high")["status"]["nominatedNodeName"] == want_node
    victim = "b" if spared == "a" else "a"
    assert terminating(c, victim)
    assert not terminating(c, spared)


def test_preemption_violates_pdb_when_unavoidable():
    c = Cluster(inventory(group("worker", 2)))
    c.add("pods", bound("a", "worker-0", {"app": "a"}))
    c.add("pods", bound("b", "worker-1", {"app": "b"}, priority=10))
    c.add("poddisruptionbudgets.policy", pdb("guard-a", {"app": "a"}, 0))
    c.add("poddisruptionbudgets.policy", pdb("guard-b", {"app": "b"}, 0))
    c.add("pods", pod("high", cpu="1", priority=1000))
    c.converge()
    # both options violate one PDB: the next criterion (lowest victim priority) decides
    assert c.pod("high")["status"]["nominatedNodeName"] == "worker-0"
    assert terminating(c, "a")
    assert not terminating(c, "b")


def test_pdb_in_other_namespace_does_not_protect():
    c = Cluster(inventory(group("worker", 2)))
    c.add("pods", bound("a", "worker-0", {"app": "a"}))
    c.add("pods", bound("b", "worker-1", {"app": "b"}))
    c.add("namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "other"}})
    c.add("poddisruptionbudgets.policy", pdb("guard", {"app": "a"}, 0, ns="other"))
    c.add("pods", pod("high", cpu="1", priority=1000))
    c.converge()
    # no violation anywhere: all criteria tie and the first node wins, as without PDBs
    assert c.pod("high")["status"]["nominatedNodeName"] == "worker-0"


def test_violating_victims_are_reprieved_first_on_a_node():
    # one node, two low pods of equal priority; evicting either frees enough room.
    # Without PDBs the later-started pod would be evicted; the PDB-free one goes instead.
    c = Cluster(inventory(group("worker", 1, cpu="3")))
    early = bound("early", "worker-0", {"app": "early"}, cpu="1")
    late = bound("late", "worker-0", {"app": "late"}, cpu="1")
    early["status"]["startTime"] = "2026-01-01T00:00:00Z"
    late["status"]["startTime"] = "2026-01-01T00:05:00Z"
    c.add("pods", early)
    c.add("pods", late)
    c.add("poddisruptionbudgets.policy", pdb("guard", {"app": "late"}, 0))
    c.add("pods", pod("high", cpu="2", priority=1000))
    c.converge()
    assert c.pod("high")["status"]["nominatedNodeName"] == "worker-0"
    assert terminating(c, "early")
    assert not terminating(c, "late")


# ---------------------------------------------------------------------------- units
def _pi(name, labels, ns="default"):
    return PodInfo(pod(name, ns=ns, labels=labels))


@pytest.mark.parametrize("pdbs,want_violating", [
    ([], []),
    ([pdb("g", {"app": "x"}, 1)], ["x2"]),
    ([pdb("g", {"app": "x"}, 2)], []),
    ([pdb("g", {"app": "x"}, 0)], ["x1", "x2"]),
    ([pdb("g", {"app": "x"}, 0, disrupted=["x1"])], ["x2"]),
    ([pdb("g", {"app": "x"}, 0, ns="other")], []),
    ([{"metadata": {"name": "g", "namespace": "default"}, "spec": {"selector": {}},
       "status": {"disruptionsAllowed": 0}}], []),
], ids=["no-pdbs", "one-allowed-second-violates", "enough-allowed", "none-allowed",
        "already-disrupted-skipped", "other-namespace", "empty-selector-matches-nothing"])
def test_split_pdb_violation(pdbs, want_violating):
    pods = [_pi("x1", {"app": "x"}), _pi("x2", {"app": "x"}), _pi("y", {"app": "y"})]
    violating, non_violating = split_pdb_violation(pods, pdbs)
    assert [p.name for p in violating] == want_violating
    assert [p.name for p in non_violating] == [p.name for p in pods if p.name not in want_violating]


def test_pick_one_fewest_violations_first():
    low = PodInfo(pod("low", labels={}), priority=0)
    higher = PodInfo(pod("higher", labels={}), priority=100)
    # n1 has the better priority criteria but one violation; n2 none → n2
    assert pick_one([("n1", [low], 1), ("n2", [higher], 0)])[0] == "n2"
    assert pick_one([("n1", [low], 0), ("n2", [higher], 0)])[0] == "n1"
    assert pick_one([("n1", [low]), ("n2", [higher])])[0] == "n1"
