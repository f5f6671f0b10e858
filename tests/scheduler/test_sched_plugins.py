"""Table-driven tests of each default-profile plugin: filter verdict + reason, scores."""

from __future__ import annotations

import pytest

from test_sched_helpers import ninfo, node, pod, prefiltered, snapshot

from kctl.scheduler import framework as fw
from kctl.scheduler.framework import CycleState, PodInfo
from kctl.scheduler.plugins.balanced_allocation import BalancedAllocation
from kctl.scheduler.plugins.base import default_normalize
from kctl.scheduler.plugins.inter_pod_affinity import InterPodAffinity
from kctl.scheduler.plugins.node_affinity import NodeAffinity
from kctl.scheduler.plugins.node_ports import NodePorts
from kctl.scheduler.plugins.node_resources_fit import NodeResourcesFit
from kctl.scheduler.plugins.node_unschedulable import NodeUnschedulable
from kctl.scheduler.plugins.pod_topology_spread import PodTopologySpread
from kctl.scheduler.plugins.taint_toleration import TaintToleration
from kctl.scheduler.plugins.volume_binding import VolumeBinding

UNSCHED, UNRES = fw.UNSCHEDULABLE, fw.UNRESOLVABLE


def verdict(st):
    return None if st is None else (st.code, st.reasons)


# ---------------------------------------------------------------------------- NodeUnschedulable
@pytest.mark.parametrize("cordoned,tolerations,want", [
    (False, [], None),
    (True, [], (UNRES, ["node(s) were unschedulable"])),
    (True, [{"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"}], None),
    (True, [{"operator": "Exists"}], None),
], ids=["schedulable", "cordoned", "tolerates-cordon", "tolerates-everything"])
def test_node_unschedulable(cordoned, tolerations, want):
    ni = ninfo(node("n1", unschedulable=cordoned))
    pi = PodInfo(pod("p", tolerations=tolerations))
    assert verdict(NodeUnschedulable().filter(CycleState(), pi, ni)) == want


# ---------------------------------------------------------------------------- TaintToleration
NOSCHED = {"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}
NOEXEC = {"key": "node.kubernetes.io/unreachable", "effect": "NoExecute"}
PREFER = {"key": "spot", "value": "true", "effect": "PreferNoSchedule"}
TAINT_REASON = (UNRES, ["node(s) had untolerated taint(s)"])


@pytest.mark.parametrize("taints,tolerations,want", [
    ([], [], None),
    ([NOSCHED], [], TAINT_REASON),
    ([NOEXEC], [], TAINT_REASON),
    ([PREFER], [], None),
    ([NOSCHED], [{"key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoSchedule"}], None),
    ([NOSCHED], [{"key": "dedicated", "value": "cpu", "effect": "NoSchedule"}], TAINT_REASON),
    ([NOSCHED], [{"key": "dedicated", "operator": "Exists"}], None),
    ([NOSCHED], [{"key": "dedicated", "operator": "Exists", "effect": "NoExecute"}], TAINT_REASON),
    ([NOSCHED, NOEXEC], [{"operator": "Exists"}], None),
], ids=["no-taints", "noschedule", "noexecute", "prefer-is-not-filtered", "equal", "wrong-value",
        "exists-any-effect", "exists-other-effect", "tolerate-all"])
def test_taint_toleration_filter(taints, tolerations, want):
    ni = ninfo(node("n1", taints=taints))
    pi = PodInfo(pod("p", tolerations=tolerations))
    assert verdict(TaintToleration().filter(CycleState(), pi, ni)) == want


def test_taint_toleration_score_reverse_normalized():
    pl = TaintToleration()
    nodes = [ninfo(node("a")), ninfo(node("b", taints=[PREFER])),
             ninfo(node("c", taints=[PREFER, {"key": "x", "effect": "PreferNoSchedule"}]))]
    pi = PodInfo(pod("p"))
    state = CycleState()
    pl.pre_score(state, pi, None, None)
    raw = [pl.score(state, pi, n) for n in nodes]
    assert raw == [0, 1, 2]
    pl.normalize(state, pi, raw, None)
    assert raw == [100, 50, 0]


@pytest.mark.parametrize("scores,reverse,want", [
    ([0, 0], True, [100, 100]),
    ([0, 0], False, [0, 0]),
    ([1, 3], False, [33, 100]),
    ([1, 3], True, [67, 0]),
], ids=["zero-reverse", "zero", "scaled", "scaled-reverse"])
def test_default_normalize(scores, reverse, want):
    default_normalize(scores, reverse)
    assert scores == want


# ---------------------------------------------------------------------------- NodeAffinity
AFF_REASON = (UNRES, ["node(s) didn't match Pod's node affinity/selector"])


def required(*terms):
    return {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": list(terms)}}}


def expr(key, op, *values):
    e = {"key": key, "operator": op}
    if values:
        e["values"] = list(values)
    return {"matchExpressions": [e]}


LABELS = {"disk": "ssd", "cores": "16", "zone": "a"}


@pytest.mark.parametrize("spec,want", [
    ({"nodeSelector": {"disk": "ssd"}}, None),
    ({"nodeSelector": {"disk": "hdd"}}, AFF_REASON),
    ({"affinity": required(expr("disk", "In", "ssd", "nvme"))}, None),
    ({"affinity": required(expr("disk", "In", "hdd"))}, AFF_REASON),
    ({"affinity": required(expr("disk", "NotIn", "hdd"))}, None),
    ({"affinity": required(expr("disk", "NotIn", "ssd"))}, AFF_REASON),
    ({"affinity": required(expr("gpu", "DoesNotExist"))}, None),
    ({"affinity": required(expr("gpu", "Exists"))}, AFF_REASON),
    ({"affinity": required(expr("cores", "Gt", "8"))}, None),
    ({"affinity": required(expr("cores", "Gt", "16"))}, AFF_REASON),
    ({"affinity": required(expr("cores", "Lt", "32"))}, None),
    ({"affinity": required(expr("disk", "Lt", "32"))}, AFF_REASON),
    ({"affinity": required(expr("gpu", "Exists"), expr("zone", "In", "a"))}, None),
    ({"affinity": required({})}, AFF_REASON),
    ({"affinity": required({"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["n1"]}]})}, None),
    ({"affinity": required({"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["n2"]}]})}, AFF_REASON),
    ({"nodeSelector": {"disk": "ssd"}, "affinity": required(expr("zone", "In", "b"))}, AFF_REASON),
], ids=["selector", "selector-miss", "in", "in-miss", "notin", "notin-miss", "doesnotexist",
        "exists-miss", "gt", "gt-equal", "lt", "lt-not-a-number", "terms-are-ored", "empty-term",
        "matchfields", "matchfields-miss", "selector-and-affinity"])
def test_node_affinity_filter(spec, want):
    ni = ninfo(node("n1", labels=LABELS))
    pi = PodInfo(pod("p", **spec))
    assert verdict(NodeAffinity().filter(CycleState(), pi, ni)) == want


def test_node_affinity_prefilter_narrows_to_match_fields():
    snap = snapshot(node("n1"), node("n2"))
    p = pod("p", affinity=required({"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["n2"]}]}))
    _, _, r = prefiltered(NodeAffinity(), p, snap)
    assert r == {"n2"}


def test_node_affinity_preferred_score():
    pl = NodeAffinity()
    aff = {"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
        {"weight": 10, "preference": expr("disk", "In", "ssd")},
        {"weight": 30, "preference": expr("zone", "In", "a")}]}}
    pi = PodInfo(pod("p", affinity=aff))
    nodes = [ninfo(node("a", labels={"disk": "ssd", "zone": "a"})), ninfo(node("b", labels={"disk": "ssd"})),
             ninfo(node("c"))]
    state = CycleState()
    assert pl.pre_score(state, pi, None, None)
    raw = [pl.score(state, pi, n) for n in nodes]
    assert raw == [40, 10, 0]
    pl.normalize(state, pi, raw, None)
    assert raw == [100, 25, 0]


# ---------------------------------------------------------------------------- NodePorts
def with_port(name, port, ip=None, proto=None, node_name=None):
    p = pod(name, node_name=node_name)
    pd = {"containerPort": 80, "hostPort": port}
    if ip:
        pd["hostIP"] = ip
    if proto:
        pd["protocol"] = proto
    p["spec"]["containers"][0]["ports"] = [pd]
    return p


PORT_REASON = (UNSCHED, ["node(s) didn't have free ports for the requested pod ports"])


@pytest.mark.parametrize("existing,incoming,want", [
    (with_port("e", 8080, node_name="n1"), with_port("p", 8080), PORT_REASON),
    (with_port("e", 8080, node_name="n1"), with_port("p", 8081), None),
    (with_port("e", 8080, proto="UDP", node_name="n1"), with_port("p", 8080), None),
    (with_port("e", 8080, ip="10.0.0.1", node_name="n1"), with_port("p", 8080, ip="10.0.0.2"), None),
    (with_port("e", 8080, ip="10.0.0.1", node_name="n1"), with_port("p", 8080), PORT_REASON),
], ids=["same-port", "other-port", "other-protocol", "other-ip", "wildcard-ip"])
def test_node_ports(existing, incoming, want):
    ni = ninfo(node("n1"), existing)
    assert verdict(NodePorts().filter(CycleState(), PodInfo(incoming), ni)) == want


# ---------------------------------------------------------------------------- NodeResourcesFit
def init_pod(name, init, main, sidecar=None, overhead=None):
    p = pod(name)
    p["spec"]["containers"] = [{"name": "c", "image": "x", "resources": {"requests": {"cpu": main}}}]
    inits = [{"name": "i", "image": "x", "resources": {"requests": {"cpu": init}}}]
    if sidecar:
        inits.insert(0, {"name": "s", "image": "x", "restartPolicy": "Always",
                         "resources": {"requests": {"cpu": sidecar}}})
    p["spec"]["initContainers"] = inits
    if overhead:
        p["spec"]["overhead"] = {"cpu": overhead}
    return p


@pytest.mark.parametrize("p,want", [
    (pod("p", cpu="500m"), {"cpu": 500}),
    (pod("p", cpu="1", memory="1Gi"), {"cpu": 1000, "memory": 1 << 30}),
    (init_pod("p", init="2", main="500m"), {"cpu": 2000}),
    (init_pod("p", init="100m", main="500m"), {"cpu": 500}),
    (init_pod("p", init="1", main="500m", sidecar="200m"), {"cpu": 1200}),
    (init_pod("p", init="100m", main="500m", sidecar="200m"), {"cpu": 700}),
    (init_pod("p", init="100m", main="500m", overhead="250m"), {"cpu": 750}),
], ids=["one-container", "cpu-memory", "init-max", "init-smaller", "sidecar-plus-init",
        "sidecar-stays", "overhead"])
def test_pod_requests(p, want):
    assert fw.pod_requests(p) == want


@pytest.mark.parametrize("alloc,existing,incoming,want", [
    ({"cpu": "2"}, [pod("e", cpu="1", node_name="n1")], pod("p", cpu="1"), None),
    ({"cpu": "2"}, [pod("e", cpu="1500m", node_name="n1")], pod("p", cpu="1"), (UNSCHED, ["Insufficient cpu"])),
    ({"cpu": "2"}, [], pod("p", cpu="3"), (UNRES, ["Insufficient cpu"])),
    ({"cpu": "2", "memory": "1Gi"}, [pod("e", cpu="1500m", memory="1Gi", node_name="n1")],
     pod("p", cpu="1", memory="1Mi"), (UNSCHED, ["Insufficient cpu", "Insufficient memory"])),
    ({"cpu": "2", "pods": "1"}, [pod("e", node_name="n1")], pod("p"), (UNSCHED, ["Too many pods"])),
    ({"cpu": "2", "example.com/gpu": "1"}, [], pod("p", cpu="1"), None),
], ids=["fits", "insufficient-cpu", "larger-than-node", "cpu-and-memory", "too-many-pods", "no-extended-asked"])
def test_node_resources_fit(alloc, existing, incoming, want):
    n = node("n1", cpu=alloc.get("cpu", "4"), memory=alloc.get("memory", "8Gi"), pods=alloc.get("pods", "110"),
             extra={k: v for k, v in alloc.items() if "/" in k})
    ni = ninfo(n, *existing)
    assert verdict(NodeResourcesFit().filter(CycleState(), PodInfo(incoming), ni)) == want


def test_node_resources_fit_extended_resource():
    p = pod("p")
    p["spec"]["containers"][0]["resources"] = {"requests": {"example.com/gpu": "2"}, "limits": {"example.com/gpu": "2"}}
    ni = ninfo(node("n1", extra={"example.com/gpu": "1"}))
    assert verdict(NodeResourcesFit().filter(CycleState(), PodInfo(p), ni)) == (UNRES, ["Insufficient example.com/gpu"])


@pytest.mark.parametrize("existing,incoming,want", [
    ([], pod("p", cpu="1", memory="2Gi"), (75 + 75) // 2),
    ([pod("e", cpu="2", memory="4Gi", node_name="n1")], pod("p", cpu="1", memory="2Gi"), (25 + 25) // 2),
    ([], pod("p"), (97 + 97) // 2),
], ids=["empty-node", "half-full", "best-effort-uses-defaults"])
def test_least_allocated_score(existing, incoming, want):
    ni = ninfo(node("n1", cpu="4", memory="8Gi"), *existing)
    assert NodeResourcesFit().score(CycleState(), PodInfo(incoming), ni) == want


@pytest.mark.parametrize("incoming,want", [
    (pod("p", cpu="2", memory="4Gi"), 100),
    (pod("p", cpu="2", memory="0"), 75),
    (pod("p", cpu="4", memory="0"), 50),
], ids=["balanced", "cpu-heavy", "all-cpu"])
def test_balanced_allocation_score(incoming, want):
    ni = ninfo(node("n1", cpu="4", memory="8Gi"))
    assert BalancedAllocation().score(CycleState(), PodInfo(incoming), ni) == want


# ---------------------------------------------------------------------------- VolumeBinding
def pvc(name, sc=None, volume=None, deleting=False):
    o = {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
         "metadata": {"name": name, "namespace": "default"}, "spec": {}}
    if sc:
        o["spec"]["storageClassName"] = sc
    if volume:
        o["spec"]["volumeName"] = volume
    if deleting:
        o["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z"
    return o


def sc(name, mode):
    return {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": name},
            "provisioner": "x", "volumeBindingMode": mode}


def pv(name, host):
    return {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": name},
            "spec": {"nodeAffinity": {"required": {"nodeSelectorTerms": [
                expr("kubernetes.io/hostname", "In", host)]}}}}


def vol_pod(claim):
    return pod("p", volumes=[{"name": "data", "persistentVolumeClaim": {"claimName": claim}}])


@pytest.mark.parametrize("objs,claim,want_pre,want_n1", [
    ([], "data", (UNRES, ['persistentvolumeclaim "data" not found']), None),
    ([pvc("data", deleting=True)], "data", (UNRES, ['persistentvolumeclaim "data" is being deleted']), None),
    ([pvc("data", sc="fast"), sc("fast", "Immediate")], "data",
     (UNRES, ["pod has unbound immediate PersistentVolumeClaims"]), None),
    ([pvc("data", sc="wffc"), sc("wffc", "WaitForFirstConsumer")], "data", None, None),
    ([pvc("data", volume="pv1"), pv("pv1", "n1")], "data", None, None),
    ([pvc("data", volume="pv1"), pv("pv1", "n2")], "data", None,
     (UNRES, ["node(s) had volume node affinity conflict"])),
], ids=["missing", "deleting", "unbound-immediate", "unbound-wffc", "bound-here", "bound-elsewhere"])
def test_volume_binding(objs, claim, want_pre, want_n1):
    snap = snapshot(node("n1"), node("n2"), *objs)
    pl = VolumeBinding()
    state, pi, r = prefiltered(pl, vol_pod(claim), snap)
    assert verdict(r) == want_pre
    if want_pre is None:
        assert verdict(pl.filter(state, pi, snap.node("n1"))) == want_n1


# ---------------------------------------------------------------------------- PodTopologySpread
def spread_pod(name, key="topology.kubernetes.io/zone", skew=1, when="DoNotSchedule", node_name=None):
    return pod(name, labels={"app": "web"}, node_name=node_name, topologySpreadConstraints=[
        {"maxSkew": skew, "topologyKey": key, "whenUnsatisfiable": when,
         "labelSelector": {"matchLabels": {"app": "web"}}}])


def zones():
    return [node("a1", labels={"topology.kubernetes.io/zone": "a"}),
            node("a2", labels={"topology.kubernetes.io/zone": "a"}),
            node("b1", labels={"topology.kubernetes.io/zone": "b"}),
            node("x1")]


@pytest.mark.parametrize("placed,skew,want", [
    ([], 1, {"a1": None, "a2": None, "b1": None}),
    (["a1"], 1, {"a1": (UNSCHED, ["node(s) didn't match pod topology spread constraints"]),
                 "a2": (UNSCHED, ["node(s) didn't match pod topology spread constraints"]), "b1": None}),
    (["a1"], 2, {"a1": None, "a2": None, "b1": None}),
    (["a1", "b1"], 1, {"a1": None, "a2": None, "b1": None}),
], ids=["empty", "zone-a-ahead", "skew-2-allows", "balanced"])
def test_pod_topology_spread_filter(placed, skew, want):
    existing = [spread_pod(f"e{i}", node_name=n) for i, n in enumerate(placed)]
    snap = snapshot(*zones(), *existing)
    pl = PodTopologySpread()
    state, pi, r = prefiltered(pl, spread_pod("p", skew=skew), snap)
    assert r is None
    got = {n: verdict(pl.filter(state, pi, snap.node(n))) for n in want}
    assert got == want
    assert verdict(pl.filter(state, pi, snap.node("x1"))) == (
        UNRES, ["node(s) didn't match pod topology spread constraints (missing required label)"])


# ---------------------------------------------------------------------------- InterPodAffinity
def term(app, key="kubernetes.io/hostname"):
    return {"labelSelector": {"matchLabels": {"app": app}}, "topologyKey": key}


def anti_pod(name, app, node_name=None):
    return pod(name, labels={"app": app}, node_name=node_name, affinity={"podAntiAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": [term(app)]}})


def aff_pod(name, target, node_name=None, labels=None):
    return pod(name, labels=labels or {"app": "client"}, node_name=node_name, affinity={"podAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": [term(target)]}})


@pytest.mark.parametrize("existing,incoming,want", [
    ([anti_pod("e", "db", node_name="n1")], anti_pod("p", "db"),
     {"n1": (UNSCHED, ["node(s) didn't match pod anti-affinity rules"]), "n2": None}),
    ([pod("e", labels={"app": "db"}, node_name="n1")], aff_pod("p", "db"),
     {"n1": None, "n2": (UNRES, ["node(s) didn't match pod affinity rules"])}),
    ([], aff_pod("p", "db"),
     {"n1": (UNRES, ["node(s) didn't match pod affinity rules"]), "n2": (UNRES, ["node(s) didn't match pod affinity rules"])}),
    ([], aff_pod("p", "self", labels={"app": "self"}), {"n1": None, "n2": None}),
    ([anti_pod("e", "web", node_name="n1")], pod("p", labels={"app": "web"}),
     {"n1": (UNSCHED, ["node(s) didn't satisfy existing pods anti-affinity rules"]), "n2": None}),
], ids=["anti-affinity", "affinity", "affinity-nothing-matches", "first-of-self-affine-group",
        "existing-anti-affinity"])
def test_inter_pod_affinity_filter(existing, incoming, want):
    snap = snapshot(node("n1"), node("n2"), *existing)
    pl = InterPodAffinity()
    state, pi, _ = prefiltered(pl, incoming, snap)
    got = {n: verdict(pl.filter(state, pi, snap.node(n))) for n in want}
    assert got == want


def test_inter_pod_affinity_preferred_score():
    from kctl.scheduler.schedule_one import Group

    snap = snapshot(node("n1"), node("n2"), node("n3"), pod("e", labels={"app": "cache"}, node_name="n2"))
    p = pod("p", affinity={"podAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
        {"weight": 50, "podAffinityTerm": term("cache")}]}})
    pl = InterPodAffinity()
    pi = PodInfo(p)
    state = CycleState()
    feasible = [Group(ni, [ni.name]) for ni in snap.all_nodes()]
    assert pl.pre_score(state, pi, snap, feasible)
    raw = [pl.score(state, pi, g.ni) for g in feasible]
    assert raw == [0, 50, 0]
    pl.normalize(state, pi, raw, feasible)
    assert raw == [0, 100, 0]
