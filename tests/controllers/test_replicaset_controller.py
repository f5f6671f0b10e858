"""ReplicaSet controller: deletion ranking (table) and reconcile on the in-memory store."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone

import pytest

from kctl.controllers import podutil
from kctl.controllers.context import Context, rfc3339
from kctl.controllers.replicaset import ReplicaSetController
from kctl.controllers.runner import advance, converge
from kctl.store.memory import MemoryStore

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def new_store():
    """A store with the namespaces the tests use (admission needs their default ServiceAccount)."""
    store = MemoryStore()
    ctx = Context(store, NOW)
    for ns in ("default", "kube-system"):
        ctx.create("namespaces", {"metadata": {"name": ns}})
    return store


def pod(name, *, node="", phase="Pending", ready=None, created=NOW, restarts=0, cost=None, uid=None):
    p = {"metadata": {"name": name, "uid": uid or name, "creationTimestamp": rfc3339(created)},
         "spec": {"nodeName": node} if node else {},
         "status": {"phase": phase, "containerStatuses": [{"name": "c", "restartCount": restarts}]}}
    if cost is not None:
        p["metadata"]["annotations"] = {podutil.DELETION_COST: str(cost)}
    if ready is not None:
        p["status"]["conditions"] = [{"type": "Ready", "status": "True", "lastTransitionTime": rfc3339(ready)}]
    return p


RANKING = [
    ("unscheduled-first", [pod("a", node="n1", phase="Running"), pod("b")], "b"),
    ("pending-before-running", [pod("a", node="n1", phase="Running"), pod("b", node="n1")], "b"),
    ("unknown-before-running", [pod("a", node="n1", phase="Running"), pod("b", node="n2", phase="Unknown")], "b"),
    ("not-ready-before-ready", [pod("a", node="n1", phase="Running", ready=NOW),
                                pod("b", node="n2", phase="Running")], "b"),
    ("lower-deletion-cost", [pod("a", node="n1", phase="Running", cost=10),
                             pod("b", node="n2", phase="Running", cost=-5)], "b"),
    ("doubled-up-node", [pod("a", node="n1", phase="Running"), pod("b", node="n2", phase="Running"),
                         pod("c", node="n2", phase="Running")], "b"),
    ("ready-for-less-time", [pod("a", node="n1", phase="Running", ready=NOW - timedelta(hours=5)),
                             pod("b", node="n2", phase="Running", ready=NOW - timedelta(seconds=10))], "b"),
    ("more-restarts", [pod("a", node="n1", phase="Running", restarts=1),
                       pod("b", node="n2", phase="Running", restarts=7)], "b"),
    ("newer-first", [pod("a", node="n1", phase="Running", created=NOW - timedelta(days=3)),
                     pod("b", node="n2", phase="Running", created=NOW - timedelta(minutes=1))], "b"),
    ("same-log-age-uid-tiebreak", [pod("a", node="n1", phase="Running", created=NOW - timedelta(seconds=100), uid="u2"),
                                   pod("b", node="n2", phase="Running", created=NOW - timedelta(seconds=101), uid="u1")],
     "b"),
]


@pytest.mark.parametrize("pods,first", [r[1:] for r in RANKING], ids=[r[0] for r in RANKING])
def test_deletion_ranking(pods, first):
    assert podutil.pods_to_delete(pods, pods, 1, NOW)[0]["metadata"]["name"] == first


def rs_obj(name="web", replicas=3, labels=None, min_ready=0):
    labels = labels or {"app": "web"}
    return {"apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": {"name": name, "namespace": "default"},
            "spec": {"replicas": replicas, "minReadySeconds": min_ready, "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels, "annotations": {"a": "b"}},
                                  "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}}


def run(store, now=NOW):
    converge(store, now, [ReplicaSetController()])


def make_ready(store, now=NOW, names=None):
    ctx = Context(store, now)
    for p in store.list("pods"):
        if names is not None and p["metadata"]["name"] not in names:
            continue
        if p["metadata"].get("deletionTimestamp") or p["status"].get("phase") == "Running":
            continue
        p = copy.deepcopy(p)
        p["spec"]["nodeName"] = "n1"
        p["status"] = {"phase": "Running", "conditions": [
            {"type": "Ready", "status": "True", "lastTransitionTime": ctx.now_str}]}
        ctx.write("pods", p)


def events(store):
    return [(e["reason"], e["message"], e["source"]["component"]) for e in store.list("events")]


def test_creates_pods_with_owner_labels_and_events():
    store = new_store()
    rs = Context(store, NOW).create("replicasets.apps", rs_obj())
    run(store)
    pods = store.list("pods")
    names = [p["metadata"]["name"] for p in pods]
    assert len(names) == 3 and all(n.startswith("web-") and len(n) == 9 for n in names)
    p = pods[0]
    assert p["metadata"]["labels"] == {"app": "web"}
    assert p["metadata"]["annotations"] == {"a": "b"}
    assert p["metadata"]["generateName"] == "web-"
    assert p["metadata"]["ownerReferences"] == [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web",
                                                 "uid": rs["metadata"]["uid"], "controller": True,
                                                 "blockOwnerDeletion": True}]
    assert sorted(events(store)) == sorted(("SuccessfulCreate", f"Created pod: {n}", "replicaset-controller")
                                           for n in names)
    st = store.get("replicasets.apps", "default", "web")["status"]
    assert st == {"replicas": 3, "fullyLabeledReplicas": 3, "observedGeneration": 1, "terminatingReplicas": 0}


def test_names_are_deterministic():
    names = []
    for _ in range(2):
        store = new_store()
        Context(store, NOW).create("replicasets.apps", rs_obj())
        run(store)
        names.append([p["metadata"]["name"] for p in store.list("pods")])
    assert names[0] == names[1]


def test_scale_down_deletes_not_ready_first_and_ignores_terminating():
    store = new_store()
    Context(store, NOW).create("replicasets.apps", rs_obj(replicas=3))
    run(store)
    names = [p["metadata"]["name"] for p in store.list("pods")]
    make_ready(store, names=names[:2])
    third = copy.deepcopy(store.get("pods", "default", names[2]))
    third["spec"]["nodeName"] = "n2"
    third["status"]["phase"] = "Running"
    Context(store, NOW).write("pods", third)
    run(store)
    live = store.get("replicasets.apps", "default", "web")
    live = copy.deepcopy(live)
    live["spec"]["replicas"] = 2
    Context(store, NOW).update("replicasets.apps", live)
    run(store)
    victim = store.get("pods", "default", names[2])
    # graceful: bound pods get deletionTimestamp now + 30 s (the GC helper's delete_object)
    assert victim["metadata"]["deletionTimestamp"] == rfc3339(NOW + timedelta(seconds=30))
    assert ("SuccessfulDelete", f"Deleted pod: {names[2]}", "replicaset-controller") in events(store)
    st = store.get("replicasets.apps", "default", "web")["status"]
    assert st["replicas"] == 2 and st["readyReplicas"] == 2 and st["availableReplicas"] == 2
    assert st["terminatingReplicas"] == 1
    # the terminating pod is not counted: no new pod appears
    assert len(store.list("pods")) == 3


def test_replaces_deleted_pod():
    store = new_store()
    Context(store, NOW).create("replicasets.apps", rs_obj(replicas=2))
    run(store)
    first = store.list("pods")[0]["metadata"]["name"]
    Context(store, NOW).delete("pods", "default", first)
    run(store)
    names = [p["metadata"]["name"] for p in store.list("pods")]
    assert len(names) == 2 and first not in names


def test_adopts_orphan_and_releases_relabelled_pod():
    store = new_store()
    ctx = Context(store, NOW)
    ctx.create("pods", {"metadata": {"name": "stray", "namespace": "default", "labels": {"app": "web"}},
                        "spec": {"containers": [{"name": "c", "image": "x"}]}})
    ctx.create("replicasets.apps", rs_obj(replicas=2))
    run(store)
    stray = store.get("pods", "default", "stray")
    assert stray["metadata"]["ownerReferences"][0]["name"] == "web"
    assert len(store.list("pods")) == 2
    stray = copy.deepcopy(stray)
    stray["metadata"]["labels"] = {"app": "other"}
    Context(store, NOW).write("pods", stray)
    run(store)
    assert "ownerReferences" not in store.get("pods", "default", "stray")["metadata"]
    assert len(store.list("pods")) == 3


def test_min_ready_seconds_timer():
    store = new_store()
    Context(store, NOW).create("replicasets.apps", rs_obj(replicas=1, min_ready=30))
    run(store)
    make_ready(store)
    run(store)
    st = store.get("replicasets.apps", "default", "web")["status"]
    assert st.get("readyReplicas") == 1 and "availableReplicas" not in st
    advance(store, NOW, 40, [ReplicaSetController()])
    assert store.get("replicasets.apps", "default", "web")["status"]["availableReplicas"] == 1


def test_replication_controller():
    store = new_store()
    Context(store, NOW).create("replicationcontrollers", {
        "metadata": {"name": "rc", "namespace": "default"},
        "spec": {"replicas": 2, "selector": {"app": "rc"},
                 "template": {"metadata": {"labels": {"app": "rc"}},
                              "spec": {"containers": [{"name": "c", "image": "x"}]}}}})
    run(store)
    pods = store.list("pods")
    assert len(pods) == 2 and pods[0]["metadata"]["ownerReferences"][0]["kind"] == "ReplicationController"
    assert {e[2] for e in events(store)} == {"replication-controller"}
    assert store.get("replicationcontrollers", "default", "rc")["status"]["replicas"] == 2


def test_missing_service_account_is_failed_create():
    store = MemoryStore()  # no namespace, so no default ServiceAccount
    obj = rs_obj(replicas=2)
    obj["spec"]["template"]["spec"]["serviceAccountName"] = "robot"
    Context(store, NOW).create("replicasets.apps", obj)
    run(store)
    assert store.list("pods") == []
    err = 'pods "web-" is forbidden: error looking up service account default/robot: serviceaccount "robot" not found'
    assert events(store) == [("FailedCreate", f"Error creating: {err}", "replicaset-controller")]
    st = store.get("replicasets.apps", "default", "web")["status"]
    assert st["conditions"] == [{"type": "ReplicaFailure", "status": "True", "lastTransitionTime": "2026-01-01T00:00:00Z",
                                 "reason": "FailedCreate", "message": err}]
    Context(store, NOW).create("serviceaccounts", {"metadata": {"name": "robot", "namespace": "default"}})
    live = copy.deepcopy(store.get("replicasets.apps", "default", "web"))
    live["metadata"]["labels"] = {"touch": "1"}  # any change wakes the controller
    Context(store, NOW).update("replicasets.apps", live)
    run(store)
    assert len(store.list("pods")) == 2
    assert "conditions" not in store.get("replicasets.apps", "default", "web")["status"]


def test_admission_applies_to_created_pods():
    store = new_store()
    Context(store, NOW).create("replicasets.apps", rs_obj(replicas=1))
    run(store)
    spec = store.list("pods")[0]["spec"]
    assert spec["serviceAccountName"] == "default"
    assert [(t["key"], t.get("tolerationSeconds")) for t in spec["tolerations"]] == [
        ("node.kubernetes.io/not-ready", 300), ("node.kubernetes.io/unreachable", 300)]
