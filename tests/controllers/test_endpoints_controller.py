"""Endpoints and EndpointSlices from pods, through converge on the in-memory store."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from kctl.controllers.context import Context
from kctl.controllers.endpoints import (
    ENDPOINTS_DEPRECATION_WARNING,
    EndpointSliceController,
    EndpointsController,
    endpoint_subsets,
    find_port,
)
from kctl.controllers.runner import converge
from kctl.store.memory import MemoryStore

NOW = datetime(2026, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
SLICES = "endpointslices.discovery.k8s.io"


def controllers():
    return [EndpointsController(), EndpointSliceController()]


@pytest.fixture
def store():
    s = MemoryStore()
    c = Context(s, NOW)
    c.create("namespaces", {"metadata": {"name": "default"}})
    c.create("nodes", {"metadata": {"name": "n1", "labels": {"topology.kubernetes.io/zone": "eu-1a"}}})
    c.create("nodes", {"metadata": {"name": "n2"}})
    return s


def pod(name, ip=None, ready=True, labels=None, node="n1", phase="Running", port_name="http", terminating=False):
    p = {"apiVersion": "v1", "kind": "Pod",
         "metadata": {"name": name, "namespace": "default", "labels": labels if labels is not None else {"app": "web"}},
         "spec": {"nodeName": node, "containers": [
             {"name": "c", "image": "nginx", "ports": [{"name": port_name, "containerPort": 8080, "protocol": "TCP"}]}]},
         "status": {"phase": phase, "conditions": [{"type": "Ready", "status": "True" if ready else "False"}]}}
    if ip:
        p["status"]["podIP"] = ip
        p["status"]["podIPs"] = [{"ip": ip}]
    if terminating:
        p["metadata"]["deletionTimestamp"] = "2026-03-01T12:00:30Z"
    return p


def service(name="web", **spec):
    s = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": "default", "labels": {"tier": "front"}},
         "spec": {"selector": {"app": "web"}, "clusterIP": "10.96.100.1", "clusterIPs": ["10.96.100.1"],
                  "ipFamilies": ["IPv4"], "type": "ClusterIP",
                  "ports": [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": "http"}]}}
    s["spec"].update(spec)
    return s


def seed(store, *objs, now=NOW):
    c = Context(store, now)
    for o in objs:
        res = "services" if o["kind"] == "Service" else "pods"
        created = c.create(res, o)
        dts = o["metadata"].get("deletionTimestamp")
        if dts:  # server-owned on create: set it as a DELETE would
            created["metadata"]["deletionTimestamp"] = dts
            c.write(res, created)
    converge(store, now, controllers())


def ref(store, name):
    uid = store.get("pods", "default", name)["metadata"]["uid"]
    return {"kind": "Pod", "name": name, "namespace": "default", "uid": uid}


def test_endpoints_ready_and_not_ready_addresses(store):
    seed(store, service(),
         pod("web-a", "10.244.0.12"), pod("web-b", "10.244.0.3", ready=False, node="n2"),
         pod("web-c"),  # no IP yet
         pod("web-d", "10.244.0.9", phase="Succeeded"),
         pod("other", "10.244.0.7", labels={"app": "db"}),
         pod("web-e", "10.244.0.4", terminating=True))
    ep = store.get("endpoints", "default", "web")
    assert ep["metadata"]["labels"] == {"tier": "front", "endpoints.kubernetes.io/managed-by": "endpoint-controller"}
    assert ep["metadata"]["annotations"] == {"endpoints.kubernetes.io/last-change-trigger-time": "2026-03-01T12:00:00Z"}
    assert ep["subsets"] == [{
        "addresses": [{"ip": "10.244.0.12", "nodeName": "n1", "targetRef": ref(store, "web-a")}],
        "notReadyAddresses": [{"ip": "10.244.0.3", "nodeName": "n2", "targetRef": ref(store, "web-b")}],
        "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}],
    }]


def test_endpoint_slice_contents(store):
    seed(store, service(), pod("web-a", "10.244.0.12"), pod("web-b", "10.244.0.3", ready=False, node="n2"),
         pod("web-e", "10.244.0.4", terminating=True))
    slices = store.list(SLICES, "default")
    assert len(slices) == 1
    sl = slices[0]
    svc = store.get("services", "default", "web")
    assert sl["metadata"]["name"].startswith("web-") and len(sl["metadata"]["name"]) == len("web-") + 5
    assert sl["metadata"]["generateName"] == "web-"
    assert sl["metadata"]["labels"] == {"tier": "front", "kubernetes.io/service-name": "web",
                                        "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"}
    assert sl["metadata"]["ownerReferences"] == [{"apiVersion": "v1", "kind": "Service", "name": "web",
                                                  "uid": svc["metadata"]["uid"], "controller": True,
                                                  "blockOwnerDeletion": True}]
    assert sl["addressType"] == "IPv4"
    assert sl["ports"] == [{"name": "http", "port": 8080, "protocol": "TCP"}]
    assert sl["endpoints"] == [
        {"addresses": ["10.244.0.12"], "conditions": {"ready": True, "serving": True, "terminating": False},
         "targetRef": ref(store, "web-a"), "nodeName": "n1", "zone": "eu-1a"},
        {"addresses": ["10.244.0.3"], "conditions": {"ready": False, "serving": False, "terminating": False},
         "targetRef": ref(store, "web-b"), "nodeName": "n2"},
        {"addresses": ["10.244.0.4"], "conditions": {"ready": False, "serving": True, "terminating": True},
         "targetRef": ref(store, "web-e"), "nodeName": "n1", "zone": "eu-1a"},
    ]


def test_slice_names_are_deterministic():
    names = []
    for _ in range(2):
        s = MemoryStore()
        Context(s, NOW).create("namespaces", {"metadata": {"name": "default"}})
        seed(s, service(), pod("web-a", "10.244.0.12"))
        names.append([x["metadata"]["name"] for x in s.list(SLICES, "default")])
    assert names[0] == names[1]


def test_converge_is_idempotent(store):
    seed(store, service(), pod("web-a", "10.244.0.12"))
    rev = store.revision()
    c = Context(store, NOW)
    for ctrl in controllers():
        ctrl.reconcile(c, ("services", "default", "web"))
    assert store.revision() == rev


def test_pod_becoming_ready_updates_in_place(store):
    seed(store, service(), pod("web-a", "10.244.0.12", ready=False))
    sl_before = store.list(SLICES, "default")[0]
    later = NOW + timedelta(seconds=30)
    c = Context(store, later)
    p = store.get("pods", "default", "web-a")
    p["status"]["conditions"] = [{"type": "Ready", "status": "True"}]
    c.write("pods", p)
    converge(store, later, controllers())
    ep = store.get("endpoints", "default", "web")
    assert [a["ip"] for a in ep["subsets"][0]["addresses"]] == ["10.244.0.12"]
    assert "notReadyAddresses" not in ep["subsets"][0]
    assert ep["metadata"]["annotations"]["endpoints.kubernetes.io/last-change-trigger-time"] == "2026-03-01T12:00:30Z"
    sl = store.list(SLICES, "default")
    assert [x["metadata"]["name"] for x in sl] == [sl_before["metadata"]["name"]]
    assert sl[0]["endpoints"][0]["conditions"]["ready"] is True


def test_no_pods_gives_empty_endpoints_and_placeholder_slice(store):
    seed(store, service())
    ep = store.get("endpoints", "default", "web")
    assert "subsets" not in ep
    (sl,) = store.list(SLICES, "default")
    assert sl["endpoints"] is None and sl["ports"] is None


def test_placeholder_slice_name_is_reused_when_pods_arrive(store):
    seed(store, service())
    name = store.list(SLICES, "default")[0]["metadata"]["name"]
    seed(store, pod("web-a", "10.244.0.12"))
    (sl,) = store.list(SLICES, "default")
    assert sl["metadata"]["name"] == name
    assert len(sl["endpoints"]) == 1


def test_service_without_selector_is_left_alone(store):
    svc = service(name="ext")
    svc["spec"].pop("selector")
    c = Context(store, NOW)
    c.create("endpoints", {"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "ext", "namespace": "default"},
                           "subsets": [{"addresses": [{"ip": "192.0.2.1"}], "ports": [{"port": 80, "protocol": "TCP"}]}]})
    seed(store, svc, pod("web-a", "10.244.0.12"))
    assert store.get("endpoints", "default", "ext")["subsets"][0]["addresses"] == [{"ip": "192.0.2.1"}]
    assert store.list(SLICES, "default") == []


def test_headless_label_and_publish_not_ready(store):
    seed(store, service(name="db", clusterIP="None", clusterIPs=["None"], publishNotReadyAddresses=True),
         pod("web-a", "10.244.0.12", ready=False))
    ep = store.get("endpoints", "default", "db")
    assert ep["metadata"]["labels"]["service.kubernetes.io/headless"] == ""
    assert [a["ip"] for a in ep["subsets"][0]["addresses"]] == ["10.244.0.12"]
    (sl,) = store.list(SLICES, "default")
    assert sl["metadata"]["labels"]["service.kubernetes.io/headless"] == ""
    assert sl["endpoints"][0]["conditions"] == {"ready": True, "serving": False, "terminating": False}


def test_hostname_for_pod_in_subdomain(store):
    p = pod("web-0", "10.244.0.12")
    p["spec"].update({"hostname": "web-0", "subdomain": "db"})
    seed(store, service(name="db", clusterIP="None", clusterIPs=["None"]), p)
    assert store.get("endpoints", "default", "db")["subsets"][0]["addresses"][0]["hostname"] == "web-0"
    assert store.list(SLICES, "default")[0]["endpoints"][0]["hostname"] == "web-0"


def test_service_deleted_removes_endpoints_and_slices(store):
    seed(store, service(), pod("web-a", "10.244.0.12"))
    Context(store, NOW).delete("services", "default", "web")
    converge(store, NOW, controllers())
    assert store.get("endpoints", "default", "web") is None
    assert store.list(SLICES, "default") == []


def test_more_than_100_endpoints_split_into_slices(store):
    pods = [pod(f"web-{i:03d}", f"10.244.{i // 200}.{i % 200 + 1}") for i in range(150)]
    seed(store, service(), *pods)
    sizes = sorted(len(s["endpoints"]) for s in store.list(SLICES, "default"))
    assert sizes == [50, 100]
    ep = store.get("endpoints", "default", "web")
    assert len(ep["subsets"][0]["addresses"]) == 150


@pytest.mark.parametrize("target, want", [
    (8080, 8080), ("http", 8080), ("metrics", None),
], ids=["number", "name", "unknown-name"])
def test_find_port(target, want):
    p = pod("x", "10.0.0.1")
    assert find_port(p, {"port": 80, "targetPort": target, "protocol": "TCP"}) == want


def test_named_port_resolving_differently_groups_subsets():
    svc = service()
    a = pod("a", "10.244.0.2")
    b = pod("b", "10.244.0.3")
    b["spec"]["containers"][0]["ports"][0]["containerPort"] = 9090
    c = pod("c", "10.244.0.4", port_name="other")  # no port named http: left out
    subsets = endpoint_subsets(svc, [a, b, c])
    assert [(s["addresses"][0]["ip"], s["ports"][0]["port"]) for s in subsets] == [("10.244.0.2", 8080), ("10.244.0.3", 9090)]


def test_deprecation_warning_text():
    assert ENDPOINTS_DEPRECATION_WARNING == "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"


def test_pod_relabelled_or_deleted_leaves_endpoints(store):
    seed(store, service(), pod("web-a", "10.244.0.12"), pod("web-b", "10.244.0.13"))
    later = NOW + timedelta(seconds=5)
    c = Context(store, later)
    p = store.get("pods", "default", "web-a")
    p["metadata"]["labels"] = {"app": "quarantine"}
    c.write("pods", p)
    converge(store, later, controllers())
    assert [a["ip"] for a in store.get("endpoints", "default", "web")["subsets"][0]["addresses"]] == ["10.244.0.13"]
    assert [e["addresses"] for e in store.list(SLICES, "default")[0]["endpoints"]] == [["10.244.0.13"]]
    c.delete("pods", "default", "web-b")
    converge(store, later, controllers())
    assert "subsets" not in store.get("endpoints", "default", "web")
    assert store.list(SLICES, "default")[0]["endpoints"] is None


def test_pod_change_wakes_only_its_services(store):
    seed(store, service(), service(name="db", selector={"app": "db"}), pod("web-a", "10.244.0.12"))
    ctrl = EndpointsController()
    from kctl.store.base import Change

    keys = ctrl.keys_for(Context(store, NOW), Change(0, "pods", "default", "web-a", "MODIFIED"))
    assert list(keys) == [("services", "default", "web")]
    keys = ctrl.keys_for(Context(store, NOW), Change(0, "pods", "default", "gone", "DELETED"))
    assert list(keys) == []
