"""rollout history / undo for StatefulSets and DaemonSets (ControllerRevisions), as kubectl's
StatefulSetHistoryViewer / StatefulSetRollbacker and the DaemonSet ones."""

from __future__ import annotations

NODES = """\
apiVersion: kctl.io/v1alpha1
kind: NodeInventory
metadata: {name: t}
nodeGroups:
- {name: node, count: 2, capacity: {cpu: "4", memory: 8Gi}}
"""
STS = """\
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: pg, image: "postgres:17.2"}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: a, image: "agent:1"}]
"""


def images(kctl, label):
    r = kctl("get", "pods", "-l", label, "-o", "jsonpath={.items[*].spec.containers[0].image}")
    return r.out.split()


def test_statefulset_history_and_undo(kctl, frozen_now, write):
    assert kctl("apply", "-f", write("n.yaml", NODES), "-f", write("s.yaml", STS)).code == 0
    assert kctl("set", "image", "sts/db", "pg=postgres:17.3").code == 0
    r = kctl("rollout", "history", "sts/db")
    assert (r.code, r.out) == (0, "statefulset.apps/db \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n")
    r = kctl("rollout", "history", "sts/db", "--revision=1")
    assert r.out.startswith("statefulset.apps/db with revision #1\nPod Template:\n  Labels:  app=db\n")
    assert "    Image:         postgres:17.2\n" in r.out
    r = kctl("rollout", "history", "sts/db", "--revision=7")
    assert (r.code, r.err) == (1, "error: unable to find the specified revision\n")
    r = kctl("rollout", "undo", "sts/db")
    assert (r.code, r.out) == (0, "statefulset.apps/db rolled back\n")
    assert images(kctl, "app=db") == ["postgres:17.2", "postgres:17.2"]
    # the old revision is re-used with the next number, as the StatefulSet controller does
    r = kctl("rollout", "history", "sts/db")
    assert r.out == "statefulset.apps/db \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n"
    r = kctl("rollout", "undo", "sts/db", "--to-revision=3")
    assert (r.code, r.out) == (0, "statefulset.apps/db skipped rollback (current template already matches revision 3)\n")
    r = kctl("rollout", "undo", "sts/db", "--to-revision=9")
    assert (r.code, r.err.splitlines()[-1]) == (1, "error: unable to find specified revision 9 in history")
    r = kctl("rollout", "history", "sts/db", "-o", "name")
    assert r.out == "statefulset.apps/db\nstatefulset.apps/db\n"


def test_daemonset_history_and_undo(kctl, frozen_now, write):
    assert kctl("apply", "-f", write("n.yaml", NODES), "-f", write("s.yaml", STS)).code == 0
    r = kctl("rollout", "undo", "ds/agent")
    assert (r.code, r.err.splitlines()[-1]) == (1, "error: no last revision to roll back to")
    assert kctl("set", "image", "ds/agent", "a=agent:2").code == 0
    assert images(kctl, "app=agent") == ["agent:2", "agent:2"]
    r = kctl("rollout", "history", "ds/agent")
    assert r.out == "daemonset.apps/agent \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n"
    r = kctl("rollout", "undo", "ds/agent", "--dry-run=server")
    assert (r.code, r.out) == (0, "daemonset.apps/agent rolled back (server dry run)\n")
    assert images(kctl, "app=agent") == ["agent:2", "agent:2"]
    r = kctl("rollout", "undo", "ds/agent")
    assert (r.code, r.out) == (0, "daemonset.apps/agent rolled back\n")
    assert images(kctl, "app=agent") == ["agent:1", "agent:1"]
