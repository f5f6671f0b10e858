"""Admission steps the engine runs between defaulting and validation."""

from __future__ import annotations

import copy
from datetime import datetime, timezone

import pytest

from kctl.api.defaults import apply_defaults
from kctl.controllers import admission, bootstrap
from kctl.controllers.context import Context, kind_of
from kctl.errors import Forbidden
from kctl.store.memory import MemoryStore

NOW = datetime(2026, 3, 1, 12, 0, 0, tzinfo=timezone.utc)


@pytest.fixture
def ctx():
    c = Context(MemoryStore(), NOW)
    for ns in ("default", "shop"):
        c.create("namespaces", {"metadata": {"name": ns}})
    bootstrap.bootstrap_control_plane(c)
    return c


def make_service(name="web", ns="default", **spec) -> dict:
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": ns},
           "spec": {"selector": {"app": name}, "ports": [{"name": "http", "port": 80}], **spec}}
    apply_defaults(kind_of("services"), svc)
    from kctl.api.defaults import core

    core.normalize_cluster_ips(svc)
    return svc


def admit_and_store(ctx, svc) -> dict:
    assert admission.admit(ctx, "services", svc) == []
    return ctx.create("services", svc)


# ----------------------------------------------------------------------------- Service
def test_cluster_ip_allocated_deterministically(ctx):
    svc = make_service()
    assert admission.admit(ctx, "services", svc) == []
    assert svc["spec"]["clusterIP"] == "10.109.35.217"
    assert svc["spec"]["clusterIPs"] == ["10.109.35.217"]
    again = make_service()
    admission.admit(ctx, "services", again)
    assert again["spec"]["clusterIP"] == svc["spec"]["clusterIP"]


def test_cluster_ip_skips_taken(ctx):
    first = make_service()
    admit_and_store(ctx, first)
    # another service whose hash start is taken walks to the next free IP; here: same key
    # in another namespace must not reuse the first IP
    other = make_service(ns="shop")
    admission.admit(ctx, "services", other)
    assert other["spec"]["clusterIP"] != first["spec"]["clusterIP"]


@pytest.mark.parametrize("requested, want", [
    ("10.0.0.5", 'spec.clusterIPs: Invalid value: []string{"10.0.0.5"}: failed to allocate IP 10.0.0.5: '
                 "the provided network does not match the current range"),
    ("10.96.0.1", 'spec.clusterIPs: Invalid value: []string{"10.96.0.1"}: failed to allocate IP 10.96.0.1: '
                  "provided IP is already allocated"),
    ("10.96.0.0", 'spec.clusterIPs: Invalid value: []string{"10.96.0.0"}: failed to allocate IP 10.96.0.0: '
                  "the provided IP (10.96.0.0) is not in the valid range. The range of valid IPs is 10.96.0.0/12"),
], ids=["outside-cidr", "kubernetes-service-ip", "network-address"])
def test_requested_cluster_ip_errors(ctx, requested, want):
    svc = make_service(clusterIP=requested)
    errs = admission.admit(ctx, "services", svc)
    assert [str(e) for e in errs] == [want]


def test_requested_free_cluster_ip_kept(ctx):
    svc = make_service(clusterIP="10.96.0.10")
    assert admission.admit(ctx, "services", svc) == []
    assert svc["spec"]["clusterIPs"] == ["10.96.0.10"]


def test_headless_and_external_name_get_no_ip(ctx):
    headless = make_service(clusterIP="None")
    assert admission.admit(ctx, "services", headless) == []
    assert headless["spec"]["clusterIPs"] == ["None"]
    ext = make_service(type="ExternalName", externalName="example.com")
    ext["spec"].pop("selector")
    assert admission.admit(ctx, "services", ext) == []
    assert "clusterIP" not in ext["spec"]


def test_node_ports_allocated_and_shared_by_protocol(ctx):
    svc = make_service(type="NodePort", ports=[{"name": "dns", "port": 53, "protocol": "UDP"},
                                               {"name": "dns-tcp", "port": 53, "protocol": "TCP"},
                                               {"name": "web", "port": 80}])
    assert admission.admit(ctx, "services", svc) == []
    nps = [p["nodePort"] for p in svc["spec"]["ports"]]
    assert nps[0] == nps[1] and nps[2] != nps[0]
    assert all(30086 <= n <= 32767 for n in nps)


@pytest.mark.parametrize("node_port, want", [
    (30080, "spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated"),
    (40000, "spec.ports[0].nodePort: Invalid value: 40000: provided port is not in the valid range. "
            "The range of valid ports is 30000-32767"),
], ids=["taken", "out-of-range"])
def test_requested_node_port_errors(ctx, node_port, want):
    admit_and_store(ctx, make_service(name="first", type="NodePort", ports=[{"port": 80, "nodePort": 30080}]))
    svc = make_service(type="NodePort", ports=[{"port": 80, "nodePort": node_port}])
    assert [str(e) for e in admission.admit(ctx, "services", svc)] == [want]


def test_load_balancer_without_node_port_allocation(ctx):
    svc = make_service(type="LoadBalancer", allocateLoadBalancerNodePorts=False)
    assert admission.admit(ctx, "services", svc) == []
    assert "nodePort" not in svc["spec"]["ports"][0]


def test_load_balancer_local_gets_health_check_port(ctx):
    svc = make_service(type="LoadBalancer", externalTrafficPolicy="Local")
    assert admission.admit(ctx, "services", svc) == []
    assert 30000 <= svc["spec"]["healthCheckNodePort"] <= 32767
    assert svc["spec"]["healthCheckNodePort"] != svc["spec"]["ports"][0]["nodePort"]


def test_update_keeps_allocations_and_allocates_new_ports(ctx):
    live = admit_and_store(ctx, make_service(type="NodePort", ports=[{"name": "a", "port": 80}]))
    new = copy.deepcopy(live)
    new["spec"]["ports"].append({"name": "b", "port": 81, "protocol": "TCP", "targetPort": 81})
    assert admission.admit(ctx, "services", new, old=live) == []
    assert new["spec"]["clusterIP"] == live["spec"]["clusterIP"]
    assert new["spec"]["ports"][0]["nodePort"] == live["spec"]["ports"][0]["nodePort"]
    assert new["spec"]["ports"][1]["nodePort"] not in (0, None, live["spec"]["ports"][0]["nodePort"])


def test_update_from_external_name_allocates(ctx):
    old = make_service(type="ExternalName", externalName="x.example")
    live = admit_and_store(ctx, old)
    new = copy.deepcopy(live)
    new["spec"]["type"] = "ClusterIP"
    new["spec"].pop("externalName")
    assert admission.admit(ctx, "services", new, old=live) == []
    assert new["spec"]["clusterIP"].startswith("10.")


# ----------------------------------------------------------------------------- Pod
def make_pod(name="p", ns="default", **spec) -> dict:
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": ns},
           "spec": {"containers": [{"name": "c", "image": "nginx"}], **spec}}
    apply_defaults(kind_of("pods"), pod)
    return pod


def test_pod_gets_service_account_token_priority_and_tolerations(ctx):
    pod = make_pod(initContainers=[{"name": "init", "image": "busybox"}])
    assert admission.admit(ctx, "pods", pod) == []
    spec = pod["spec"]
    assert spec["serviceAccountName"] == "default" and spec["serviceAccount"] == "default"
    vol = spec["volumes"][-1]
    assert vol["name"].startswith("kube-api-access-") and len(vol["name"]) == len("kube-api-access-") + 5
    assert vol == admission.token_volume(vol["name"])
    mount = {"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": vol["name"], "readOnly": True}
    assert spec["containers"][0]["volumeMounts"] == [mount]
    assert spec["initContainers"][0]["volumeMounts"] == [mount]
    assert spec["priority"] == 0 and spec["preemptionPolicy"] == "PreemptLowerPriority"
    assert spec["tolerations"] == [
        {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
        {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
    ]
    # the `default` SA exists now (the SA controller's step ran during admission)
    assert ctx.get("serviceaccounts", "default", "default") is not None


def test_token_volume_name_is_stable(ctx):
    a, b = make_pod(), make_pod()
    admission.admit(ctx, "pods", a)
    admission.admit(ctx, "pods", b)
    assert a["spec"]["volumes"] == b["spec"]["volumes"]


def test_missing_service_account_is_forbidden(ctx):
    pod = make_pod(name="x", serviceAccountName="builder")
    with pytest.raises(Forbidden) as e:
        admission.admit(ctx, "pods", pod)
    assert e.value.message == ('pods "x" is forbidden: error looking up service account default/builder: '
                               'serviceaccount "builder" not found')


def test_default_sa_in_terminating_namespace_is_forbidden(ctx):
    ns = ctx.get("namespaces", "", "shop")
    ns["metadata"]["deletionTimestamp"] = "2026-03-01T12:00:00Z"
    ctx.write("namespaces", ns)
    with pytest.raises(Forbidden, match='error looking up service account shop/default: serviceaccount "default" not found'):
        admission.admit(ctx, "pods", make_pod(name="x", ns="shop"))


@pytest.mark.parametrize("pod_auto, sa_auto, mounted", [
    (None, None, True), (False, None, False), (None, False, False), (True, False, True),
], ids=["default", "pod-off", "sa-off", "pod-wins"])
def test_automount(ctx, pod_auto, sa_auto, mounted):
    sa = {"metadata": {"name": "robot", "namespace": "default"}}
    if sa_auto is not None:
        sa["automountServiceAccountToken"] = sa_auto
    ctx.create("serviceaccounts", sa)
    pod = make_pod(serviceAccountName="robot")
    if pod_auto is not None:
        pod["spec"]["automountServiceAccountToken"] = pod_auto
    admission.admit(ctx, "pods", pod)
    assert bool(pod["spec"].get("volumes")) is mounted


def test_image_pull_secrets_from_service_account(ctx):
    ctx.create("serviceaccounts", {"metadata": {"name": "robot", "namespace": "default"},
                                   "imagePullSecrets": [{"name": "regcred"}]})
    pod = make_pod(serviceAccountName="robot")
    admission.admit(ctx, "pods", pod)
    assert pod["spec"]["imagePullSecrets"] == [{"name": "regcred"}]


def test_existing_token_mount_is_respected(ctx):
    pod = make_pod()
    pod["spec"]["containers"][0]["volumeMounts"] = [
        {"name": "mine", "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"}]
    admission.admit(ctx, "pods", pod)
    assert "volumes" not in pod["spec"]


def test_priority_class_resolution(ctx):
    pod = make_pod(priorityClassName="system-node-critical")
    admission.admit(ctx, "pods", pod)
    assert pod["spec"]["priority"] == 2000001000
    missing = make_pod(name="x", priorityClassName="gold")
    with pytest.raises(Forbidden) as e:
        admission.admit(ctx, "pods", missing)
    assert e.value.message == 'pods "x" is forbidden: no PriorityClass with name gold was found'


def test_global_default_priority_class(ctx):
    ctx.create("priorityclasses.scheduling.k8s.io", {"metadata": {"name": "low"}, "value": 10, "globalDefault": True,
                                                     "preemptionPolicy": "Never"})
    pod = make_pod()
    admission.admit(ctx, "pods", pod)
    assert (pod["spec"]["priorityClassName"], pod["spec"]["priority"], pod["spec"]["preemptionPolicy"]) == ("low", 10, "Never")


def test_priority_value_mismatch_forbidden(ctx):
    pod = make_pod(name="x", priorityClassName="system-cluster-critical", priority=5)
    with pytest.raises(Forbidden) as e:
        admission.admit(ctx, "pods", pod)
    assert e.value.message == ('pods "x" is forbidden: the integer value of priority (5) must not be provided in '
                               "pod spec; priority admission controller computed 2000000000 from the given "
                               "PriorityClass name")


@pytest.mark.parametrize("tolerations, added", [
    ([{"operator": "Exists"}], []),
    ([{"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 10}],
     ["node.kubernetes.io/not-ready"]),
    ([{"key": "node.kubernetes.io/not-ready", "operator": "Exists"}], ["node.kubernetes.io/unreachable"]),
    ([{"key": "dedicated", "operator": "Equal", "value": "x", "effect": "NoSchedule"}],
     ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]),
], ids=["tolerate-all", "has-unreachable", "not-ready-any-effect", "unrelated"])
def test_default_toleration_seconds(ctx, tolerations, added):
    pod = make_pod(tolerations=copy.deepcopy(tolerations))
    admission.admit(ctx, "pods", pod)
    extra = pod["spec"]["tolerations"][len(tolerations):]
    assert [t["key"] for t in extra] == added
    assert all(t["tolerationSeconds"] == 300 for t in extra)


def test_pod_update_keeps_priority_and_skips_service_account(ctx):
    live = make_pod()
    admission.admit(ctx, "pods", live)
    new = copy.deepcopy(live)
    new["spec"].pop("priority")
    new["spec"]["serviceAccountName"] = "gone"
    admission.admit(ctx, "pods", new, old=live)
    assert new["spec"]["priority"] == 0
    assert new["spec"]["serviceAccountName"] == "gone"  # validation reports the change


# ----------------------------------------------------------------------------- PVC / PV
def make_pvc(**spec) -> dict:
    pvc = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data", "namespace": "default"},
           "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}, **spec}}
    apply_defaults(kind_of("persistentvolumeclaims"), pvc)
    return pvc


@pytest.mark.parametrize("spec, want", [
    ({}, "standard"), ({"storageClassName": ""}, ""), ({"storageClassName": "fast"}, "fast"),
], ids=["unset-gets-default", "explicit-none", "explicit"])
def test_default_storage_class(ctx, spec, want):
    pvc = make_pvc(**spec)
    assert admission.admit(ctx, "persistentvolumeclaims", pvc) == []
    assert pvc["spec"]["storageClassName"] == want
    assert pvc["metadata"]["finalizers"] == ["kubernetes.io/pvc-protection"]


def test_no_default_class_leaves_claim_unset(ctx):
    sc = ctx.get("storageclasses.storage.k8s.io", "", "standard")
    sc["metadata"]["annotations"] = {}
    ctx.write("storageclasses.storage.k8s.io", sc)
    pvc = make_pvc()
    admission.admit(ctx, "persistentvolumeclaims", pvc)
    assert "storageClassName" not in pvc["spec"]


def test_newest_default_class_wins():
    older = {"metadata": {"name": "a", "creationTimestamp": "2026-01-01T00:00:00Z",
                          "annotations": {admission.DEFAULT_CLASS_ANNOTATION: "true"}}}
    newer = {"metadata": {"name": "b", "creationTimestamp": "2026-02-01T00:00:00Z",
                          "annotations": {admission.DEFAULT_CLASS_ANNOTATION: "true"}}}
    plain = {"metadata": {"name": "c", "creationTimestamp": "2026-03-01T00:00:00Z"}}
    assert admission.default_storage_class([older, newer, plain])["metadata"]["name"] == "b"


def test_pv_gets_protection_finalizer(ctx):
    pv = {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "v"}, "spec": {}}
    admission.admit(ctx, "persistentvolumes", pv)
    assert pv["metadata"]["finalizers"] == ["kubernetes.io/pv-protection"]


def test_other_kinds_untouched(ctx):
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "default"}}
    before = copy.deepcopy(cm)
    assert admission.admit(ctx, "configmaps", cm) == []
    assert cm == before


def test_taken_health_check_node_port_is_an_internal_error(ctx):
    from kctl.errors import StatusError

    admit_and_store(ctx, make_service(name="first", type="NodePort", ports=[{"port": 80, "nodePort": 30080}]))
    svc = make_service(type="LoadBalancer", externalTrafficPolicy="Local", healthCheckNodePort=30080)
    with pytest.raises(StatusError) as e:
        admission.admit(ctx, "services", svc)
    assert e.value.message == ("Internal error occurred: failed to allocate requested HealthCheck NodePort 30080: "
                               "provided port is already allocated")
    assert e.value.reason == "InternalError"
