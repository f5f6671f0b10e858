"""`default` ServiceAccount and `kube-root-ca.crt` in every namespace; bootstrap objects."""

from __future__ import annotations

from datetime import datetime, timezone

from kctl.controllers import bootstrap
from kctl.controllers.context import Context
from kctl.controllers.runner import converge
from kctl.controllers.serviceaccount import ROOT_CA_DESCRIPTION, ServiceAccountController, root_ca_pem
from kctl.store.memory import MemoryStore

NOW = datetime(2026, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
NAMESPACES = ("default", "kube-node-lease", "kube-public", "kube-system")


def fresh():
    s = MemoryStore()
    c = Context(s, NOW)
    for ns in NAMESPACES:
        c.create("namespaces", {"metadata": {"name": ns}})
    converge(s, NOW, [ServiceAccountController()])
    return s


def test_every_namespace_gets_sa_and_root_ca():
    s = fresh()
    assert [(o["metadata"]["namespace"], o["metadata"]["name"]) for o in s.list("serviceaccounts")] == \
        [(ns, "default") for ns in NAMESPACES]
    cms = s.list("configmaps")
    assert [(o["metadata"]["namespace"], o["metadata"]["name"]) for o in cms] == \
        [(ns, "kube-root-ca.crt") for ns in NAMESPACES]
    cm = cms[0]
    assert cm["metadata"]["annotations"] == {"kubernetes.io/description": ROOT_CA_DESCRIPTION}
    assert cm["data"]["ca.crt"].startswith("-----BEGIN CERTIFICATE-----\n")
    assert cm["data"]["ca.crt"].endswith("-----END CERTIFICATE-----\n")
    sa = s.get("serviceaccounts", "default", "default")
    assert set(sa) == {"apiVersion", "kind", "metadata"}


def test_root_ca_is_deterministic_per_seed():
    assert root_ca_pem("a") == root_ca_pem("a")
    assert root_ca_pem("a") != root_ca_pem("b")


def test_new_namespace_and_recreation_after_delete():
    s = fresh()
    c = Context(s, NOW)
    c.create("namespaces", {"metadata": {"name": "shop"}})
    converge(s, NOW, [ServiceAccountController()])
    assert s.get("serviceaccounts", "shop", "default") is not None
    c.delete("serviceaccounts", "shop", "default")
    c.delete("configmaps", "shop", "kube-root-ca.crt")
    converge(s, NOW, [ServiceAccountController()])
    assert s.get("serviceaccounts", "shop", "default") is not None
    assert s.get("configmaps", "shop", "kube-root-ca.crt") is not None


def test_edited_root_ca_is_restored():
    s = fresh()
    c = Context(s, NOW)
    cm = s.get("configmaps", "default", "kube-root-ca.crt")
    cm["data"] = {"ca.crt": "tampered"}
    c.update("configmaps", cm)
    converge(s, NOW, [ServiceAccountController()])
    assert s.get("configmaps", "default", "kube-root-ca.crt")["data"]["ca.crt"] == root_ca_pem("kctl")


def test_converge_again_writes_nothing():
    s = fresh()
    rev = s.revision()
    ctrl = ServiceAccountController()
    for ns in NAMESPACES:
        ctrl.reconcile(Context(s, NOW), ("namespaces", "", ns))
    assert s.revision() == rev


def test_terminating_namespace_gets_nothing():
    s = MemoryStore()
    c = Context(s, NOW)
    ns = c.create("namespaces", {"metadata": {"name": "old"}})
    ns["metadata"]["deletionTimestamp"] = "2026-03-01T12:00:00Z"
    ns["status"] = {"phase": "Terminating"}
    c.write("namespaces", ns)
    converge(s, NOW, [ServiceAccountController()])
    assert s.list("serviceaccounts") == []


def test_bootstrap_control_plane_objects_and_idempotence():
    s = fresh()
    c = Context(s, NOW)
    bootstrap.bootstrap_control_plane(c)
    svc = s.get("services", "default", "kubernetes")
    assert svc["spec"]["clusterIP"] == "10.96.0.1" and svc["spec"]["clusterIPs"] == ["10.96.0.1"]
    assert svc["spec"]["ports"] == [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}]
    assert "selector" not in svc["spec"]
    assert svc["metadata"]["labels"] == {"component": "apiserver", "provider": "kubernetes"}
    ep = s.get("endpoints", "default", "kubernetes")
    assert ep["subsets"] == [{"addresses": [{"ip": "172.18.0.2"}],
                              "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}]
    sl = s.get("endpointslices.discovery.k8s.io", "default", "kubernetes")
    assert sl["endpoints"] == [{"addresses": ["172.18.0.2"], "conditions": {"ready": True}}]
    sc = s.get("storageclasses.storage.k8s.io", "", "standard")
    assert sc["metadata"]["annotations"] == {"storageclass.kubernetes.io/is-default-class": "true"}
    assert (sc["provisioner"], sc["reclaimPolicy"], sc["volumeBindingMode"]) == \
        ("rancher.io/local-path", "Delete", "WaitForFirstConsumer")
    pcs = {p["metadata"]["name"]: p["value"] for p in s.list("priorityclasses.scheduling.k8s.io")}
    assert pcs == {"system-cluster-critical": 2000000000, "system-node-critical": 2000001000}
    rev = s.revision()
    bootstrap.bootstrap_control_plane(c)
    assert s.revision() == rev
