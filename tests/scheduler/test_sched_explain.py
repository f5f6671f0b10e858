"""`kctl explain-schedule`: exact output for a small lab, errors, read-only."""

from __future__ import annotations

LAB = """\
apiVersion: kctl.io/v1alpha1
kind: NodeInventory
metadata: {name: lab}
nodeGroups:
- name: cp
  count: 1
  capacity: {cpu: "2", memory: 4Gi}
  taints: [{key: node-role.kubernetes.io/control-plane, effect: NoSchedule}]
- name: worker
  count: 2
  capacity: {cpu: "2", memory: 4Gi}
---
apiVersion: v1
kind: Pod
metadata: {name: big}
spec:
  containers: [{name: c, image: nginx, resources: {requests: {cpu: "3"}}}]
"""

BIG = """\
Pod:       default/big
Priority:  0
Requests:  cpu=3000m
Nodes:     3

FILTER (every plugin is run here; the scheduler stops at a node's first failure)
NODE       PLUGIN              VERDICT                        REASON
cp-0       NodeUnschedulable   Success                        -
cp-0       NodeName            Success                        -
cp-0       TaintToleration     UnschedulableAndUnresolvable   node(s) had untolerated taint(s): node-role.kubernetes.io/control-plane:NoSchedule
cp-0       NodeAffinity        Success                        -
cp-0       NodePorts           Success                        -
cp-0       NodeResourcesFit    UnschedulableAndUnresolvable   Insufficient cpu (requested 3000m, used 0m, allocatable 2000m)
cp-0       VolumeBinding       Success                        -
cp-0       PodTopologySpread   Success                        -
cp-0       InterPodAffinity    Success                        -
worker-0   NodeUnschedulable   Success                        -
worker-0   NodeName            Success                        -
worker-0   TaintToleration     Success                        -
worker-0   NodeAffinity        Success                        -
worker-0   NodePorts           Success                        -
worker-0   NodeResourcesFit    UnschedulableAndUnresolvable   Insufficient cpu (requested 3000m, used 0m, allocatable 2000m)
worker-0   VolumeBinding       Success                        -
worker-0   PodTopologySpread   Success                        -
worker-0   InterPodAffinity    Success                        -
worker-1   NodeUnschedulable   Success                        -
worker-1   NodeName            Success                        -
worker-1   TaintToleration     Success                        -
worker-1   NodeAffinity        Success                        -
worker-1   NodePorts           Success                        -
worker-1   NodeResourcesFit    UnschedulableAndUnresolvable   Insufficient cpu (requested 3000m, used 0m, allocatable 2000m)
worker-1   VolumeBinding       Success                        -
worker-1   PodTopologySpread   Success                        -
worker-1   InterPodAffinity    Success                        -

Feasible:  0/3
Result:    unschedulable: 0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. \
preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.
"""


def test_explain_unschedulable_pod(kctl, write, frozen_now):
    assert kctl("apply", "-f", write("lab.yaml", LAB)).code == 0
    r = kctl("explain-schedule", "pod/big")
    assert (r.code, r.err) == (0, "")
    assert r.out == BIG


def test_explain_scores_and_choice(kctl, write, frozen_now):
    small = LAB.replace("name: big", "name: small").replace('cpu: "3"', "cpu: 500m")
    assert kctl("apply", "-f", write("lab.yaml", small)).code == 0
    r = kctl("explain-schedule", "small")
    assert r.code == 0
    lines = r.out.splitlines()
    i = lines.index("SCORE (normalized 0-100 per plugin; TOTAL = sum of score x weight; skip = plugin skipped, counts 0)")
    assert lines[i + 1].split() == ["NODE", "TaintToleration(x3)", "NodeAffinity(x2)", "NodeResourcesFit(x1)",
                                    "PodTopologySpread(x2)", "InterPodAffinity(x2)",
                                    "NodeResourcesBalancedAllocation(x1)", "TOTAL"]
    assert lines[i + 2].split() == ["worker-0", "100", "skip", "85", "skip", "skip", "87", "472"]
    assert lines[i + 3].split() == ["worker-1", "100", "skip", "85", "skip", "skip", "87", "472"]
    assert "Bound to:  worker-0 (evaluated as if it were pending: the pod itself is not counted)" in lines
    assert lines[-1] == "Result:    worker-0 (highest total; ties go to the lowest node name)"


def test_explain_is_read_only(kctl, write, frozen_now, store_path):
    assert kctl("apply", "-f", write("lab.yaml", LAB)).code == 0
    from kctl.store import open_store

    s = open_store(str(store_path))
    rev = s.revision()
    s.close()
    assert kctl("explain-schedule", "pod/big").code == 0
    s = open_store(str(store_path))
    assert s.revision() == rev
    s.close()


def test_explain_missing_pod(kctl, frozen_now):
    r = kctl("explain-schedule", "pod/nope")
    assert (r.code, r.out, r.err) == (1, "", 'Error from server (NotFound): pods "nope" not found\n')


def test_explain_needs_a_pod(kctl, frozen_now):
    r = kctl("explain-schedule", "deployment/web")
    assert r.code == 1
    assert 'explain-schedule explains pods only, not "deployment/web"' in r.err


def _explain(*objs, name):
    from test_sched_helpers import store_with

    from kctl.printers.table import render_table
    from kctl.scheduler.explain import explain

    return explain(store_with(*objs), "default", name, render_table)


def test_explain_prefilter_rejection():
    from test_sched_helpers import node, pod

    out = _explain(node("n1"), pod("vol", volumes=[{"name": "d", "persistentVolumeClaim": {"claimName": "data"}}]),
                   name="vol")
    assert "PREFILTER\nPLUGIN          VERDICT                        REASON\n" \
           'VolumeBinding   UnschedulableAndUnresolvable   persistentvolumeclaim "data" not found\n' in out
    assert "FILTER (" not in out
    assert out.endswith('Result:    unschedulable: 0/1 nodes are available: persistentvolumeclaim "data" not '
                        "found. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.\n")


def test_explain_shows_the_preemption_it_would_do():
    from test_sched_helpers import node, pod

    out = _explain(node("n1", cpu="2"), pod("low", cpu="1500m", node_name="n1", priority=0),
                   pod("high", cpu="1", priority=100), name="high")
    assert out.endswith("Feasible:  0/1\n"
                        "Result:    unschedulable: 0/1 nodes are available: 1 Insufficient cpu.\n"
                        "Preemption: would nominate n1, evicting default/low\n")
