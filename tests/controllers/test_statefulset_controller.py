"""StatefulSet controller: ordinal helpers (table) and reconcile on the in-memory store."""

from __future__ import annotations

import copy
from datetime import datetime, timezone

import pytest

from kctl.controllers.context import Context
from kctl.controllers.runner import converge
from kctl.controllers.statefulset import StatefulSetController, claim_owner_refs, ordinal_range, parse_ordinal
from kctl.store.memory import MemoryStore

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def new_store():
    """A store with the namespaces the tests use (admission needs their default ServiceAccount)."""
    store = MemoryStore()
    ctx = Context(store, NOW)
    for ns in ("default", "kube-system"):
        ctx.create("namespaces", {"metadata": {"name": ns}})
    return store


@pytest.mark.parametrize("set_name,pod_name,want", [
    ("db", "db-0", 0), ("db", "db-12", 12), ("db", "db-01", None), ("db", "db-x", None),
    ("db", "dbx-1", None), ("my-db", "my-db-3", 3), ("db", "db-", None),
], ids=["zero", "two-digits", "leading-zero", "not-number", "other-prefix", "dashed-name", "empty"])
def test_parse_ordinal(set_name, pod_name, want):
    assert parse_ordinal(set_name, pod_name) == want


@pytest.mark.parametrize("spec,want", [
    ({"replicas": 3}, [0, 1, 2]), ({"replicas": 2, "ordinals": {"start": 5}}, [5, 6]), ({"replicas": 0}, []),
], ids=["default", "start-5", "zero"])
def test_ordinal_range(spec, want):
    assert list(ordinal_range(spec)) == want


SET = {"metadata": {"name": "db", "uid": "set-uid"}, "spec": {}}
POD = {"metadata": {"name": "db-3", "uid": "pod-uid"}}
SET_REF = {"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "db", "uid": "set-uid"}
POD_REF = {"apiVersion": "v1", "kind": "Pod", "name": "db-3", "uid": "pod-uid"}


@pytest.mark.parametrize("deleted,scaled,in_range,want", [
    ("Retain", "Retain", True, []),
    ("Delete", "Retain", True, [SET_REF]),
    ("Retain", "Delete", True, []),
    ("Retain", "Delete", False, [POD_REF]),
    ("Delete", "Delete", True, [SET_REF]),
    ("Delete", "Delete", False, [POD_REF]),
], ids=["retain-retain", "deleted-delete", "scaled-delete-in-range", "scaled-delete-condemned",
        "both-delete-in-range", "both-delete-condemned"])
def test_claim_owner_refs(deleted, scaled, in_range, want):
    sts = copy.deepcopy(SET)
    sts["spec"]["persistentVolumeClaimRetentionPolicy"] = {"whenDeleted": deleted, "whenScaled": scaled}
    assert claim_owner_refs(sts, POD, [], in_range) == want


def sts_obj(replicas=3, policy="OrderedReady", partition=0, claims=True, image="pg:1"):
    obj = {"metadata": {"name": "db", "namespace": "default"},
           "spec": {"replicas": replicas, "serviceName": "db", "podManagementPolicy": policy,
                    "selector": {"matchLabels": {"app": "db"}},
                    "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": partition}},
                    "template": {"metadata": {"labels": {"app": "db"}},
                                 "spec": {"containers": [{"name": "c", "image": image}]}}}}
    if claims:
        obj["spec"]["volumeClaimTemplates"] = [{"metadata": {"name": "data", "labels": {"tier": "disk"}},
                                                "spec": {"accessModes": ["ReadWriteOnce"],
                                                         "resources": {"requests": {"storage": "1Gi"}}}}]
    return obj


def run(store):
    converge(store, NOW, [StatefulSetController()])


def kubelet(store):
    """Bind, start and ready every pod; remove terminating ones (what the kubelet would do)."""
    ctx = Context(store, NOW)
    for p in store.list("pods"):
        if p["metadata"].get("deletionTimestamp"):
            ctx.delete("pods", "default", p["metadata"]["name"])
        elif p["status"].get("phase") != "Running":
            p = copy.deepcopy(p)
            p["spec"]["nodeName"] = "n1"
            p["status"] = {"phase": "Running", "conditions": [
                {"type": "Ready", "status": "True", "lastTransitionTime": ctx.now_str}]}
            ctx.write("pods", p)


def names(store):
    return [p["metadata"]["name"] for p in store.list("pods")]


def messages(store):
    return [e["message"] for e in store.list("events")]


def test_ordered_ready_creates_one_at_a_time_with_claims():
    store = new_store()
    Context(store, NOW).create("statefulsets.apps", sts_obj())
    run(store)
    assert names(store) == ["db-0"]
    for want in (["db-0", "db-1"], ["db-0", "db-1", "db-2"]):
        kubelet(store)
        run(store)
        assert names(store) == want
    kubelet(store)
    run(store)
    assert messages(store) == [
        "create Claim data-db-0 Pod db-0 in StatefulSet db success",
        "create Pod db-0 in StatefulSet db successful",
        "create Claim data-db-1 Pod db-1 in StatefulSet db success",
        "create Pod db-1 in StatefulSet db successful",
        "create Claim data-db-2 Pod db-2 in StatefulSet db success",
        "create Pod db-2 in StatefulSet db successful",
    ]
    pod = store.get("pods", "default", "db-1")
    rev = store.get("statefulsets.apps", "default", "db")["status"]["updateRevision"]
    assert pod["metadata"]["labels"] == {"app": "db", "statefulset.kubernetes.io/pod-name": "db-1",
                                         "apps.kubernetes.io/pod-index": "1", "controller-revision-hash": rev}
    assert pod["spec"]["hostname"] == "db-1" and pod["spec"]["subdomain"] == "db"
    # claim volumes first, then the template's (here the token volume ServiceAccount admission adds)
    assert pod["spec"]["volumes"][0] == {"name": "data", "persistentVolumeClaim": {"claimName": "data-db-1"}}
    assert pod["spec"]["volumes"][1]["name"].startswith("kube-api-access-")
    pvc = store.get("persistentvolumeclaims", "default", "data-db-1")
    assert pvc["metadata"]["labels"] == {"tier": "disk", "app": "db"}
    assert "ownerReferences" not in pvc["metadata"]
    assert pvc["metadata"]["finalizers"] == ["kubernetes.io/pvc-protection"]
    st = store.get("statefulsets.apps", "default", "db")["status"]
    assert st == {"replicas": 3, "readyReplicas": 3, "currentReplicas": 3, "updatedReplicas": 3,
                  "availableReplicas": 3, "currentRevision": rev, "updateRevision": rev,
                  "collisionCount": 0, "observedGeneration": 1}
    cr = store.get("controllerrevisions.apps", "default", rev)
    assert cr["revision"] == 1 and cr["metadata"]["ownerReferences"][0]["kind"] == "StatefulSet"


def test_parallel_creates_all():
    store = new_store()
    Context(store, NOW).create("statefulsets.apps", sts_obj(policy="Parallel", claims=False))
    run(store)
    assert names(store) == ["db-0", "db-1", "db-2"]


def settle(store, rounds=8):
    for _ in range(rounds):
        run(store)
        kubelet(store)
    run(store)


def test_scale_down_from_highest_one_at_a_time():
    store = new_store()
    Context(store, NOW).create("statefulsets.apps", sts_obj(claims=False))
    settle(store)
    live = copy.deepcopy(store.get("statefulsets.apps", "default", "db"))
    live["spec"]["replicas"] = 1
    Context(store, NOW).update("statefulsets.apps", live)
    run(store)
    terminating = [p["metadata"]["name"] for p in store.list("pods") if p["metadata"].get("deletionTimestamp")]
    assert terminating == ["db-2"]
    settle(store)
    assert names(store) == ["db-0"]
    assert messages(store)[-2:] == ["delete Pod db-2 in StatefulSet db successful",
                                    "delete Pod db-1 in StatefulSet db successful"]


def test_rolling_update_respects_partition():
    store = new_store()
    Context(store, NOW).create("statefulsets.apps", sts_obj(claims=False, partition=1))
    settle(store)
    old_rev = store.get("statefulsets.apps", "default", "db")["status"]["currentRevision"]
    live = copy.deepcopy(store.get("statefulsets.apps", "default", "db"))
    live["spec"]["template"]["spec"]["containers"][0]["image"] = "pg:2"
    Context(store, NOW).update("statefulsets.apps", live)
    settle(store)
    st = store.get("statefulsets.apps", "default", "db")["status"]
    new_rev = st["updateRevision"]
    assert new_rev != old_rev and st["currentRevision"] == old_rev
    revs = {p["metadata"]["name"]: p["metadata"]["labels"]["controller-revision-hash"] for p in store.list("pods")}
    assert revs == {"db-0": old_rev, "db-1": new_rev, "db-2": new_rev}
    assert st["updatedReplicas"] == 2 and st["currentReplicas"] == 1
    assert [m for m in messages(store) if m.startswith("delete")] == [
        "delete Pod db-2 in StatefulSet db successful", "delete Pod db-1 in StatefulSet db successful"]
    assert store.get("controllerrevisions.apps", "default", new_rev)["revision"] == 2


def test_terminating_pod_blocks_its_ordinal():
    store = new_store()
    Context(store, NOW).create("statefulsets.apps", sts_obj(replicas=1, claims=False))
    settle(store)
    pod = copy.deepcopy(store.get("pods", "default", "db-0"))
    pod["metadata"]["deletionTimestamp"] = "2026-01-01T00:05:00Z"
    Context(store, NOW).write("pods", pod)
    run(store)
    assert names(store) == ["db-0"]
    assert store.get("pods", "default", "db-0")["metadata"]["uid"] == pod["metadata"]["uid"]


@pytest.mark.parametrize("value,replicas,want", [(None, 5, 1), (2, 5, 2), ("50%", 5, 3), ("10%", 5, 1), (0, 5, 1)],
                         ids=["default", "int", "percent-rounds-up", "small-percent", "zero-is-one"])
def test_max_unavailable(value, replicas, want):
    from kctl.controllers.statefulset import max_unavailable

    assert max_unavailable(value, replicas) == want


def test_rolling_update_max_unavailable_two():
    store = new_store()
    obj = sts_obj(replicas=4, claims=False)
    obj["spec"]["updateStrategy"]["rollingUpdate"]["maxUnavailable"] = 2
    Context(store, NOW).create("statefulsets.apps", obj)
    settle(store)
    live = copy.deepcopy(store.get("statefulsets.apps", "default", "db"))
    live["spec"]["template"]["spec"]["containers"][0]["image"] = "pg:2"
    Context(store, NOW).update("statefulsets.apps", live)
    run(store)
    dying = [p["metadata"]["name"] for p in store.list("pods") if p["metadata"].get("deletionTimestamp")]
    assert dying == ["db-2", "db-3"]
    settle(store, 12)
    st = store.get("statefulsets.apps", "default", "db")["status"]
    assert st["updatedReplicas"] == 4 and st["currentRevision"] == st["updateRevision"]
