"""PersistentVolume binder + simulated provisioner, both binding modes, through converge."""

from __future__ import annotations

import copy
from datetime import datetime, timezone

import pytest

from kctl.api.defaults import apply_defaults
from kctl.controllers import admission, bootstrap
from kctl.controllers.context import Context, kind_of
from kctl.controllers.runner import converge
from kctl.controllers.volumes import PersistentVolumeController, msg_external_provisioning
from kctl.store.memory import MemoryStore

NOW = datetime(2026, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
PVC, PV, SC = "persistentvolumeclaims", "persistentvolumes", "storageclasses.storage.k8s.io"


@pytest.fixture
def store():
    s = MemoryStore()
    c = Context(s, NOW)
    c.create("namespaces", {"metadata": {"name": "default"}})
    c.create("nodes", {"metadata": {"name": "n1", "labels": {"kubernetes.io/hostname": "n1"}}})
    bootstrap.bootstrap_control_plane(c)
    c.create(SC, {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": "fast"},
                  "provisioner": "kctl.io/hostpath", "reclaimPolicy": "Retain", "volumeBindingMode": "Immediate"})
    return s


def run(store):
    converge(store, NOW, [PersistentVolumeController()])


def add_pvc(store, name="data", **spec) -> dict:
    pvc = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": name, "namespace": "default"},
           "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "2Gi"}}, **spec}}
    apply_defaults(kind_of(PVC), pvc)
    c = Context(store, NOW)
    admission.admit(c, PVC, pvc)
    return c.create(PVC, pvc)


def add_pod(store, name="app", claim="data", node=None) -> dict:
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "default"},
           "spec": {"containers": [{"name": "c", "image": "nginx"}],
                    "volumes": [{"name": "d", "persistentVolumeClaim": {"claimName": claim}}]}}
    c = Context(store, NOW)
    created = c.create("pods", pod)
    if node:
        created["spec"]["nodeName"] = node
        created = c.write("pods", created)
    return created


def events(store, name):
    return [(e["reason"], e["message"], e["source"]["component"]) for e in store.list("events", "default")
            if e["involvedObject"]["name"] == name]


def test_immediate_class_provisions_and_binds(store):
    pvc = add_pvc(store, storageClassName="fast")
    run(store)
    uid = pvc["metadata"]["uid"]
    pv = store.get(PV, "", f"pvc-{uid}")
    assert pv["spec"]["capacity"] == {"storage": "2Gi"}
    assert pv["spec"]["persistentVolumeReclaimPolicy"] == "Retain"
    assert pv["spec"]["storageClassName"] == "fast"
    assert pv["spec"]["claimRef"]["name"] == "data" and pv["spec"]["claimRef"]["uid"] == uid
    assert "nodeAffinity" not in pv["spec"]
    assert pv["metadata"]["annotations"] == {"pv.kubernetes.io/provisioned-by": "kctl.io/hostpath"}
    assert pv["metadata"]["finalizers"] == ["kubernetes.io/pv-protection"]
    assert pv["status"]["phase"] == "Bound"
    claim = store.get(PVC, "default", "data")
    assert claim["spec"]["volumeName"] == f"pvc-{uid}"
    assert claim["metadata"]["annotations"] == {
        "pv.kubernetes.io/bind-completed": "yes",
        "pv.kubernetes.io/bound-by-controller": "yes",
        "volume.beta.kubernetes.io/storage-provisioner": "kctl.io/hostpath",
        "volume.kubernetes.io/storage-provisioner": "kctl.io/hostpath",
    }
    assert claim["status"] == {"phase": "Bound", "accessModes": ["ReadWriteOnce"], "capacity": {"storage": "2Gi"}}
    comp = "kctl.io/hostpath_hostpath-provisioner-kctl"
    assert events(store, "data") == [
        ("ExternalProvisioning", msg_external_provisioning("kctl.io/hostpath"), "persistentvolume-controller"),
        ("Provisioning", 'External provisioner is provisioning volume for claim "default/data"', comp),
        ("ProvisioningSucceeded", f"Successfully provisioned volume pvc-{uid}", comp),
    ]
    rev = store.revision()
    run(store)
    PersistentVolumeController().reconcile(Context(store, NOW), (PVC, "default", "data"))
    assert store.revision() == rev


def test_wait_for_first_consumer_waits_then_provisions_on_pod_node(store):
    pvc = add_pvc(store)  # default class `standard`: WaitForFirstConsumer
    run(store)
    claim = store.get(PVC, "default", "data")
    assert claim["spec"]["storageClassName"] == "standard"
    assert claim["status"]["phase"] == "Pending" and "volumeName" not in claim["spec"]
    assert store.list(PV) == []
    assert events(store, "data") == [("WaitForFirstConsumer", "waiting for first consumer to be created before binding",
                                      "persistentvolume-controller")]
    add_pod(store)  # not scheduled yet: still waiting
    run(store)
    assert store.list(PV) == []
    pod = store.get("pods", "default", "app")
    pod["spec"]["nodeName"] = "n1"
    Context(store, NOW).write("pods", pod)
    run(store)
    uid = pvc["metadata"]["uid"]
    pv = store.get(PV, "", f"pvc-{uid}")
    assert pv["spec"]["nodeAffinity"] == {"required": {"nodeSelectorTerms": [
        {"matchExpressions": [{"key": "kubernetes.io/hostname", "operator": "In", "values": ["n1"]}]}]}}
    assert pv["spec"]["hostPath"] == {"path": f"/var/local-path-provisioner/pvc-{uid}_default_data",
                                      "type": "DirectoryOrCreate"}
    assert pv["metadata"]["annotations"] == {"pv.kubernetes.io/provisioned-by": "rancher.io/local-path",
                                             "local.path.provisioner/selected-node": "n1"}
    assert pv["spec"]["persistentVolumeReclaimPolicy"] == "Delete"
    claim = store.get(PVC, "default", "data")
    assert claim["metadata"]["annotations"]["volume.kubernetes.io/selected-node"] == "n1"
    assert claim["status"]["phase"] == "Bound"


def test_selected_node_annotation_from_scheduler_is_honoured(store):
    add_pvc(store)
    c = Context(store, NOW)
    claim = store.get(PVC, "default", "data")
    claim["metadata"].setdefault("annotations", {})["volume.kubernetes.io/selected-node"] = "n1"
    c.update(PVC, claim)
    run(store)
    (pv,) = store.list(PV)
    assert pv["spec"]["nodeAffinity"]["required"]["nodeSelectorTerms"][0]["matchExpressions"][0]["values"] == ["n1"]


@pytest.mark.parametrize("cls, gone", [("standard", True), ("fast", False)], ids=["delete", "retain"])
def test_claim_deleted_reclaims_volume(store, cls, gone):
    add_pvc(store, storageClassName=cls)
    if cls == "standard":
        add_pod(store, node="n1")
    run(store)
    (pv,) = store.list(PV)
    Context(store, NOW).delete(PVC, "default", "data")
    run(store)
    left = store.get(PV, "", pv["metadata"]["name"])
    if gone:
        assert left is None
    else:
        assert left["status"]["phase"] == "Released"


def test_static_volume_binds_smallest_fit(store):
    c = Context(store, NOW)
    for name, size in (("big", "10Gi"), ("small", "3Gi"), ("tiny", "1Gi")):
        c.create(PV, {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": name},
                      "spec": {"capacity": {"storage": size}, "accessModes": ["ReadWriteOnce"],
                               "hostPath": {"path": f"/data/{name}"}, "storageClassName": ""}})
    run(store)
    assert {p["metadata"]["name"]: p["status"]["phase"] for p in store.list(PV)} == \
        {"big": "Available", "small": "Available", "tiny": "Available"}
    add_pvc(store, storageClassName="")
    run(store)
    claim = store.get(PVC, "default", "data")
    assert claim["spec"]["volumeName"] == "small"
    assert claim["status"]["capacity"] == {"storage": "3Gi"}
    small = store.get(PV, "", "small")
    assert small["status"]["phase"] == "Bound"
    assert small["metadata"]["annotations"] == {"pv.kubernetes.io/bound-by-controller": "yes"}


def test_missing_class_reports_provisioning_failed(store):
    add_pvc(store, storageClassName="gold")
    run(store)
    assert events(store, "data") == [("ProvisioningFailed", 'storageclass.storage.k8s.io "gold" not found',
                                      "persistentvolume-controller")]
    assert store.get(PVC, "default", "data")["status"]["phase"] == "Pending"


def test_retroactive_default_class(store):
    sc = store.get(SC, "", "standard")
    sc["metadata"]["annotations"] = {}
    Context(store, NOW).write(SC, sc)
    add_pvc(store)
    run(store)
    assert "storageClassName" not in store.get(PVC, "default", "data")["spec"]
    sc = copy.deepcopy(store.get(SC, "", "fast"))
    sc["metadata"]["annotations"] = {"storageclass.kubernetes.io/is-default-class": "true"}
    Context(store, NOW).write(SC, sc)
    run(store)
    claim = store.get(PVC, "default", "data")
    assert claim["spec"]["storageClassName"] == "fast"
    assert claim["status"]["phase"] == "Bound"


def test_pvc_protection_holds_claim_while_a_pod_uses_it(store):
    add_pvc(store, storageClassName="fast")
    add_pod(store, node="n1")
    run(store)
    c = Context(store, NOW)
    claim = store.get(PVC, "default", "data")
    claim["metadata"]["deletionTimestamp"] = "2026-03-01T12:00:00Z"
    claim["metadata"]["deletionGracePeriodSeconds"] = 0
    c.write(PVC, claim)
    run(store)
    assert store.get(PVC, "default", "data")["metadata"]["finalizers"] == ["kubernetes.io/pvc-protection"]
    c.delete("pods", "default", "app")
    run(store)
    assert store.get(PVC, "default", "data") is None
