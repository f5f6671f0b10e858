"""Namespace deletion: Terminating, content removed, the finalizer, conditions."""

from __future__ import annotations

from datetime import datetime, timezone

from kctl.controllers.context import Context
from kctl.controllers.gc import GarbageCollector, delete_object, namespace_is_terminating
from kctl.controllers.namespace import NamespaceController, remaining_conditions
from kctl.controllers.runner import converge
from kctl.store.memory import MemoryStore

T0 = datetime(2026, 11, 25, 12, 0, 0, tzinfo=timezone.utc)


class FakeKubelet:
    """Removes terminating pods at once, unless the pod is on node `dead` (unreachable)."""

    name = "kubelet"
    resources = ("pods",)

    def keys_for(self, ctx, change):
        return [("pods", change.namespace, change.name)]

    def reconcile(self, ctx, key):
        pod = ctx.store.get(*key)
        if pod and pod["metadata"].get("deletionTimestamp") and pod["spec"].get("nodeName") != "dead":
            delete_object(ctx, "pods", key[1], key[2], grace_period=0)


def seed(store, node="n1"):
    ctx = Context(store, T0)
    ctx.create("namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}})
    ctx.create("configmaps", {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "shop"}})
    ctx.create("pods", {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "shop"},
                        "spec": {"nodeName": node, "containers": [{"name": "c", "image": "x"}]}})
    converge(store, T0, CONTROLLERS())


def CONTROLLERS():
    return [NamespaceController(), GarbageCollector(), FakeKubelet()]


def test_namespace_goes_with_its_content():
    store = MemoryStore()
    seed(store)
    left = delete_object(Context(store, T0), "namespaces", "", "shop")
    assert left["status"]["phase"] == "Terminating"
    assert left["metadata"]["deletionTimestamp"] == "2026-11-25T12:00:00Z"
    assert namespace_is_terminating(store, "shop")
    converge(store, T0, CONTROLLERS())
    assert store.get("namespaces", "", "shop") is None
    assert store.list("configmaps", "shop") == [] and store.list("pods", "shop") == []


def test_namespace_stays_terminating_while_a_pod_is_stuck():
    store = MemoryStore()
    seed(store, node="dead")
    delete_object(Context(store, T0), "namespaces", "", "shop")
    converge(store, T0, CONTROLLERS())
    ns = store.get("namespaces", "", "shop")
    assert ns["status"]["phase"] == "Terminating"
    assert ns["spec"]["finalizers"] == ["kubernetes"]
    conds = {c["type"]: (c["status"], c["reason"], c["message"]) for c in ns["status"]["conditions"]}
    assert conds["NamespaceContentRemaining"] == (
        "True", "SomeResourcesRemain", "Some resources are remaining: pods. has 1 resource instances")
    assert conds["NamespaceDeletionContentFailure"] == (
        "False", "ContentDeleted", "All content successfully deleted, may be waiting on finalization")
    assert store.list("configmaps", "shop") == []
    pod = store.get("pods", "shop", "p")
    assert pod["metadata"]["deletionTimestamp"] == "2026-11-25T12:00:30Z"
    # idempotent: another converge writes nothing
    rev = store.revision()
    converge(store, T0, CONTROLLERS())
    assert store.revision() == rev
    # the pod goes (node recovered): the namespace follows
    delete_object(Context(store, T0), "pods", "shop", "p", grace_period=0)
    converge(store, T0, CONTROLLERS())
    assert store.get("namespaces", "", "shop") is None


def test_remaining_conditions_texts():
    got = remaining_conditions({"deployments.apps": 1, "pods": 2}, {"example.com/x": 1})
    assert got["NamespaceContentRemaining"] == (
        "True", "SomeResourcesRemain",
        "Some resources are remaining: deployments.apps has 1 resource instances, pods. has 2 resource instances")
    assert got["NamespaceFinalizersRemaining"] == (
        "True", "SomeFinalizersRemain",
        "Some content in the namespace has finalizers remaining: example.com/x in 1 resource instances")
    assert remaining_conditions({}, {})["NamespaceFinalizersRemaining"] == (
        "False", "ContentHasNoFinalizers", "All content-preserving finalizers finished")


def test_empty_namespace_without_finalizers_goes_at_once():
    store = MemoryStore()
    ctx = Context(store, T0)
    ns = ctx.create("namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "tmp"}})
    ns["spec"] = {}
    store.update("namespaces", ns)
    delete_object(ctx, "namespaces", "", "tmp")
    assert store.get("namespaces", "", "tmp") is None
