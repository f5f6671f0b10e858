"""The proposed Engine.delete wiring (gc.delete_request) under `kctl delete`, and kubectl's
grace-period flag rules. Engine.delete is patched here the way the lead is asked to wire it."""

from __future__ import annotations

import json

import pytest

from kctl.controllers.gc import delete_request, kubectl_grace_period

APP = """apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c, namespace: shop, finalizers: [example.com/hold]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: nginx}]}
"""


@pytest.fixture
def wired(kctl, write, frozen_now, monkeypatch):
    import kctl.engine as engine

    def delete(self, kind, namespace, name, *, cascade="background", grace_period=None):
        return delete_request(self.store, self.now, kind, namespace, name, cascade=cascade,
                              grace_period=grace_period)

    monkeypatch.setattr(engine.Engine, "delete", delete)
    r = kctl("apply", "-f", write("app.yaml", APP))
    assert r.code == 0, r.err
    return kctl


def items(kctl, *args):
    r = kctl("get", *args, "-o", "json")
    return json.loads(r.out)["items"] if r.code == 0 else []


@pytest.mark.parametrize("args,want", [
    ({}, None), ({"now": True}, 1), ({"grace_period": 0}, 1), ({"grace_period": 0, "force": True}, 0),
    ({"force": True}, 0), ({"grace_period": 10}, 10),
], ids=["default", "now", "zero-becomes-1", "force-0", "force", "explicit"])
def test_kubectl_grace_period(args, want):
    assert kubectl_grace_period(**args) == want


@pytest.mark.parametrize("args,err", [
    ({"now": True, "grace_period": 5}, "--now and --grace-period cannot be specified together"),
    ({"force": True, "grace_period": 5}, "--force and --grace-period greater than 0 cannot be specified together"),
], ids=["now-and-grace", "force-and-grace"])
def test_kubectl_grace_period_errors(args, err):
    with pytest.raises(ValueError) as e:
        kubectl_grace_period(**args)
    assert str(e.value) == err


def test_orphan_keeps_the_replica_set(wired):
    rs_before = items(wired, "rs", "-n", "shop")
    assert len(rs_before) == 1
    r = wired("delete", "deploy", "web", "-n", "shop", "--cascade=orphan")
    assert (r.code, r.out) == (0, 'deployment.apps "web" deleted from shop namespace\n')
    assert items(wired, "deploy", "-n", "shop") == []
    (rs,) = items(wired, "rs", "-n", "shop")
    assert "ownerReferences" not in rs["metadata"]
    assert rs["metadata"]["name"] == rs_before[0]["metadata"]["name"]


@pytest.mark.parametrize("cascade", ["background", "foreground"])
def test_cascading_delete_removes_the_chain(wired, cascade):
    r = wired("delete", "deploy", "web", "-n", "shop", f"--cascade={cascade}")
    assert r.code == 0
    assert items(wired, "deploy", "-n", "shop") == []
    assert items(wired, "rs", "-n", "shop") == []


def test_finalizer_holds_object_and_namespace(wired):
    r = wired("delete", "cm", "c", "-n", "shop")
    assert (r.code, r.out) == (0, 'configmap "c" deleted from shop namespace\n')
    (cm,) = [o for o in items(wired, "cm", "-n", "shop") if o["metadata"]["name"] == "c"]
    assert cm["metadata"]["deletionTimestamp"] == "2026-11-25T12:00:00Z"
    r = wired("delete", "ns", "shop")
    assert (r.code, r.out) == (0, 'namespace "shop" deleted\n')
    r = wired("get", "ns", "shop")
    assert r.out.splitlines()[1].split()[:2] == ["shop", "Terminating"]
    ns = json.loads(wired("get", "ns", "shop", "-o", "json").out)
    conds = {c["type"]: c["message"] for c in ns["status"]["conditions"]}
    assert conds["NamespaceContentRemaining"] == "Some resources are remaining: configmaps. has 1 resource instances"
    assert conds["NamespaceFinalizersRemaining"] == (
        "Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances")
    # the finalizer's owner lets go: the configmap goes, then the namespace
    r = wired("apply", "-f", "-", stdin="apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop}\n")
    assert r.code == 0, r.err
    assert wired("get", "ns", "shop").code == 1


def test_not_found(wired):
    r = wired("delete", "cm", "zzz", "-n", "shop")
    assert (r.code, r.err) == (1, 'Error from server (NotFound): configmaps "zzz" not found\n')


@pytest.mark.parametrize("ns", ["default", "kube-system", "kube-public"])
def test_immortal_namespaces(wired, ns):
    r = wired("delete", "ns", ns)
    assert (r.code, r.out, r.err) == (
        1, "", f'Error from server (Forbidden): namespaces "{ns}" is forbidden: this namespace may not be deleted\n')


def test_create_forbidden_in_terminating_namespace():
    from datetime import datetime, timezone

    from kctl.controllers.context import Context
    from kctl.controllers.gc import create_forbidden, delete_object
    from kctl.store.memory import MemoryStore

    store = MemoryStore()
    ctx = Context(store, datetime(2026, 11, 25, 12, tzinfo=timezone.utc))
    ctx.create("namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}})
    assert create_forbidden(store, "configmaps", "shop", "c", "x.yaml") is None
    delete_object(ctx, "namespaces", "", "shop")
    err = create_forbidden(store, "configmaps", "shop", "c", "x.yaml")
    assert err.render() == ('Error from server (Forbidden): error when creating "x.yaml": configmaps "c" is '
                            "forbidden: unable to create new content in namespace shop because it is being terminated")
    assert create_forbidden(store, "nodes", "", "n1") is None
