"""delete_object (the API server's DELETE) and the garbage collector on the in-memory store."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from kctl.controllers.context import Context, owner_ref
from kctl.controllers.gc import (
    FOREGROUND,
    ORPHAN,
    GarbageCollector,
    delete_object,
    finalizers_for_policy,
    namespace_terminating_error,
    pod_grace_seconds,
    should_remove,
)
from kctl.controllers.runner import converge
from kctl.store.memory import MemoryStore

T0 = datetime(2026, 11, 25, 12, 0, 0, tzinfo=timezone.utc)


class FakeKubelet:
    """Removes terminating pods at once (a Ready node), unless the pod is on node `dead`."""

    name = "kubelet"
    resources = ("pods",)

    def keys_for(self, ctx, change):
        return [("pods", change.namespace, change.name)]

    def reconcile(self, ctx, key):
        pod = ctx.store.get(*key)
        if pod and pod["metadata"].get("deletionTimestamp") and pod["spec"].get("nodeName") != "dead":
            delete_object(ctx, "pods", key[1], key[2], grace_period=0)


def chain(store, *, node="n1", pods=2, block=True):
    """Deployment web -> ReplicaSet web-1 -> pods web-1-a, web-1-b (bound to `node`)."""
    ctx = Context(store, T0)
    d = ctx.create("deployments.apps", {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"selector": {"matchLabels": {"app": "web"}},
                 "template": {"metadata": {"labels": {"app": "web"}},
                              "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}})
    rs = ctx.create("replicasets.apps", {
        "apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {"name": "web-1", "namespace": "default", "ownerReferences": [owner_ref(d, block=block)]},
        "spec": {"selector": {"matchLabels": {"app": "web"}},
                 "template": {"metadata": {"labels": {"app": "web"}},
                              "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}})
    for s in "ab"[:pods]:
        ctx.create("pods", {
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": f"web-1-{s}", "namespace": "default", "labels": {"app": "web"},
                         "ownerReferences": [owner_ref(rs, block=block)]},
            "spec": {"nodeName": node, "containers": [{"name": "c", "image": "nginx"}]}})
    converge(store, T0, [GarbageCollector(), FakeKubelet()])
    return d, rs


def names(store, resource):
    return [o["metadata"]["name"] for o in store.list(resource, "default")]


# ------------------------------------------------------------------ pure decisions
@pytest.mark.parametrize("existing,policy,want", [
    ([], "background", []),
    ([], "orphan", [ORPHAN]),
    ([], "foreground", [FOREGROUND]),
    (["x", ORPHAN], "foreground", ["x", FOREGROUND]),
    ([FOREGROUND], "orphan", [ORPHAN]),
    (["x", FOREGROUND], "background", ["x"]),
], ids=["bg", "orphan", "fg", "orphan-to-fg", "fg-to-orphan", "bg-drops"])
def test_finalizers_for_policy(existing, policy, want):
    assert finalizers_for_policy(existing, policy) == want


@pytest.mark.parametrize("spec,status,flag,want", [
    ({"nodeName": "n"}, {}, None, 30),
    ({"nodeName": "n", "terminationGracePeriodSeconds": 5}, {}, None, 5),
    ({"nodeName": "n"}, {}, 1, 1),
    ({"nodeName": "n"}, {}, 0, 0),
    ({}, {}, None, 0),
    ({"nodeName": "n"}, {"phase": "Succeeded"}, None, 0),
], ids=["default-30", "spec", "now", "force", "unbound", "finished"])
def test_pod_grace_seconds(spec, status, flag, want):
    assert pod_grace_seconds({"spec": spec, "status": status}, flag) == want


@pytest.mark.parametrize("meta,want", [
    ({}, False),
    ({"deletionTimestamp": "t", "deletionGracePeriodSeconds": 0}, True),
    ({"deletionTimestamp": "t", "deletionGracePeriodSeconds": 30}, False),
    ({"deletionTimestamp": "t", "deletionGracePeriodSeconds": 0, "finalizers": ["x"]}, False),
], ids=["alive", "done", "grace-left", "finalizer-left"])
def test_should_remove(meta, want):
    assert should_remove({"kind": "ConfigMap", "metadata": meta}) is want


def test_namespace_terminating_error_text():
    assert namespace_terminating_error("configmaps", "c", "shop", "x.yaml") == (
        'Error from server (Forbidden): error when creating "x.yaml": configmaps "c" is forbidden: '
        "unable to create new content in namespace shop because it is being terminated")
    assert namespace_terminating_error("pods", "p", "shop") == (
        'Error from server (Forbidden): pods "p" is forbidden: unable to create new content in '
        "namespace shop because it is being terminated")


# ------------------------------------------------------------------ delete_object
def test_pod_graceful_delete_sets_timestamp_and_kubelet_removes():
    store = MemoryStore()
    chain(store, node="dead")
    ctx = Context(store, T0)
    left = delete_object(ctx, "pods", "default", "web-1-a")
    assert left["metadata"]["deletionTimestamp"] == "2026-11-25T12:00:30Z"
    assert left["metadata"]["deletionGracePeriodSeconds"] == 30
    # a second delete with a longer grace changes nothing; a shorter one shortens it
    assert delete_object(ctx, "pods", "default", "web-1-a", grace_period=60)["metadata"]["deletionGracePeriodSeconds"] == 30
    assert delete_object(ctx, "pods", "default", "web-1-a", grace_period=1)["metadata"]["deletionTimestamp"] == "2026-11-25T12:00:01Z"
    # force: gone at once
    delete_object(ctx, "pods", "default", "web-1-a", grace_period=0)
    assert store.get("pods", "default", "web-1-a") is None
    assert delete_object(ctx, "pods", "default", "nope") is None


def test_unbound_pod_goes_at_once():
    store = MemoryStore()
    ctx = Context(store, T0)
    ctx.create("pods", {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "default"},
                        "spec": {"containers": [{"name": "c", "image": "x"}]}})
    delete_object(ctx, "pods", "default", "p")
    assert store.get("pods", "default", "p") is None


def test_finalizer_holds_object_until_removed():
    store = MemoryStore()
    ctx = Context(store, T0)
    ctx.create("configmaps", {"apiVersion": "v1", "kind": "ConfigMap",
                              "metadata": {"name": "c", "namespace": "default", "finalizers": ["example.com/x"]}})
    left = delete_object(ctx, "configmaps", "default", "c")
    assert left["metadata"]["deletionTimestamp"] == "2026-11-25T12:00:00Z"
    assert left["metadata"]["deletionGracePeriodSeconds"] == 0
    converge(store, T0, [GarbageCollector()])
    assert store.get("configmaps", "default", "c") is not None
    live = store.get("configmaps", "default", "c")
    del live["metadata"]["finalizers"]
    store.update("configmaps", live)
    converge(store, T0, [GarbageCollector()])
    assert store.get("configmaps", "default", "c") is None


# ------------------------------------------------------------------ propagation
def test_background_deletes_the_chain_in_later_passes():
    store = MemoryStore()
    chain(store)
    ctx = Context(store, T0)
    gone = delete_object(ctx, "deployments.apps", "default", "web")
    assert gone is not None and store.get("deployments.apps", "default", "web") is None
    # dependents still there until the collector runs
    assert names(store, "replicasets.apps") == ["web-1"]
    converge(store, T0, [GarbageCollector(), FakeKubelet()])
    assert names(store, "replicasets.apps") == []
    assert names(store, "pods") == []


def test_background_leaves_pods_terminating_on_a_dead_node():
    store = MemoryStore()
    chain(store, node="dead")
    delete_object(Context(store, T0), "replicasets.apps", "default", "web-1")
    converge(store, T0, [GarbageCollector(), FakeKubelet()])
    pods = store.list("pods", "default")
    assert [(p["metadata"]["name"], p["metadata"]["deletionTimestamp"]) for p in pods] == [
        ("web-1-a", "2026-11-25T12:00:30Z"), ("web-1-b", "2026-11-25T12:00:30Z")]


def test_foreground_waits_for_blocking_dependents():
    store = MemoryStore()
    chain(store, node="dead")
    left = delete_object(Context(store, T0), "deployments.apps", "default", "web", propagation="foreground")
    assert left["metadata"]["finalizers"] == [FOREGROUND]
    converge(store, T0, [GarbageCollector(), FakeKubelet()])
    # pods Terminating on the dead node block the ReplicaSet, which blocks the Deployment
    rs = store.get("replicasets.apps", "default", "web-1")
    assert rs["metadata"]["finalizers"] == [FOREGROUND] and rs["metadata"]["deletionTimestamp"]
    assert store.get("deployments.apps", "default", "web")["metadata"]["finalizers"] == [FOREGROUND]
    assert len(names(store, "pods")) == 2
    # the pods go (node recovered / forced): the chain unwinds bottom-up
    ctx = Context(store, T0)
    for n in names(store, "pods"):
        delete_object(ctx, "pods", "default", n, grace_period=0)
    converge(store, T0, [GarbageCollector(), FakeKubelet()])
    assert names(store, "replicasets.apps") == [] and names(store, "deployments.apps") == []


def test_foreground_with_healthy_node_finishes_in_one_converge():
    store = MemoryStore()
    chain(store)
    delete_object(Context(store, T0), "deployments.apps", "default", "web", propagation="foreground")
    converge(store, T0, [GarbageCollector(), FakeKubelet()])
    assert (names(store, "deployments.apps"), names(store, "replicasets.apps"), names(store, "pods")) == ([], [], [])


def test_foreground_does_not_wait_for_non_blocking_dependents():
    store = MemoryStore()
    chain(store, node="dead", block=False)
    delete_object(Context(store, T0), "replicasets.apps", "default", "web-1", propagation="foreground")
    converge(store, T0, [GarbageCollector(), FakeKubelet()])
    assert names(store, "replicasets.apps") == []
    assert all(p["metadata"].get("deletionTimestamp") for p in store.list("pods", "default"))


def test_orphan_strips_owner_references():
    store = MemoryStore()
    d, rs = chain(store)
    left = delete_object(Context(store, T0), "deployments.apps", "default", "web", propagation="orphan")
    assert left["metadata"]["finalizers"] == [ORPHAN]
    converge(store, T0, [GarbageCollector(), FakeKubelet()])
    assert names(store, "deployments.apps") == []
    rs_live = store.get("replicasets.apps", "default", "web-1")
    assert "ownerReferences" not in rs_live["metadata"]
    assert rs_live["metadata"]["generation"] == 1  # metadata-only write
    # the pods still belong to the ReplicaSet
    assert [p["metadata"]["ownerReferences"][0]["uid"] for p in store.list("pods", "default")] == [
        rs["metadata"]["uid"]] * 2


def test_dependent_with_a_live_second_owner_only_loses_the_dangling_reference():
    store = MemoryStore()
    ctx = Context(store, T0)
    a = ctx.create("configmaps", {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a", "namespace": "default"}})
    b = ctx.create("configmaps", {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b", "namespace": "default"}})
    ctx.create("secrets", {"apiVersion": "v1", "kind": "Secret", "metadata": {
        "name": "s", "namespace": "default",
        "ownerReferences": [owner_ref(a, controller=False), owner_ref(b, controller=False)]}})
    converge(store, T0, [GarbageCollector()])
    delete_object(Context(store, T0), "configmaps", "default", "a")
    converge(store, T0, [GarbageCollector()])
    s = store.get("secrets", "default", "s")
    assert [r["name"] for r in s["metadata"]["ownerReferences"]] == ["b"]


def test_object_created_with_a_missing_owner_is_collected():
    store = MemoryStore()
    Context(store, T0).create("configmaps", {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {
        "name": "orphaned", "namespace": "default",
        "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "ghost",
                             "uid": "00000000-0000-0000-0000-000000000000"}]}})
    converge(store, T0, [GarbageCollector()])
    assert store.get("configmaps", "default", "orphaned") is None


def test_owner_with_same_name_but_other_uid_is_dangling():
    store = MemoryStore()
    d, _rs = chain(store)
    ctx = Context(store, T0)
    store.delete("deployments.apps", "default", "web")
    ctx.create("deployments.apps", {**{k: v for k, v in d.items() if k != "status"},
                                    "metadata": {"name": "web", "namespace": "default"}})
    converge(store, T0, [GarbageCollector(), FakeKubelet()])
    assert names(store, "replicasets.apps") == []
    assert names(store, "deployments.apps") == ["web"]
