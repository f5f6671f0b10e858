"""kube-scheduler's framework, in Python: statuses, cycle state, pod/node infos, the snapshot.

Learned from kubernetes pkg/scheduler/framework (types.go, interface.go, cycle_state.go) and
pkg/api/v1/resource (PodRequests). The snapshot keeps running totals per node (requested
resources, non-zero requests for scoring, used host ports, pods) so a filter is O(1) per node.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

# ---------------------------------------------------------------------------- status codes
SUCCESS = 0
ERROR = 1
UNSCHEDULABLE = 2
UNRESOLVABLE = 3  # UnschedulableAndUnresolvable
SKIP = 5

CODE_NAMES = {SUCCESS: "Success", ERROR: "Error", UNSCHEDULABLE: "Unschedulable",
              UNRESOLVABLE: "UnschedulableAndUnresolvable", SKIP: "Skip"}

MAX_NODE_SCORE = 100
#: schedutil.DefaultMilliCPURequest / DefaultMemoryRequest (scoring only)
DEFAULT_MILLI_CPU = 100
DEFAULT_MEMORY = 200 * 1024 * 1024

NO_NODE_AVAILABLE = "0/{} nodes are available"
NO_NODES = "no nodes available to schedule pods"

LABEL_HOSTNAME = "kubernetes.io/hostname"
LABEL_ZONE = "topology.kubernetes.io/zone"


class Status:
    """A plugin's verdict: code, reasons (each counted apart in the FitError histogram)."""

    __slots__ = ("code", "reasons", "plugin")

    def __init__(self, code: int = SUCCESS, *reasons: str, plugin: str = ""):
        self.code = code
        self.reasons = list(reasons)
        self.plugin = plugin

    @property
    def ok(self) -> bool:
        return self.code == SUCCESS

    @property
    def rejected(self) -> bool:
        return self.code in (UNSCHEDULABLE, UNRESOLVABLE)

    def message(self) -> str:
        return ", ".join(self.reasons)

    def with_plugin(self, plugin: str) -> "Status":
        return Status(self.code, *self.reasons, plugin=plugin)

    def __repr__(self) -> str:
        return f"Status({CODE_NAMES.get(self.code, self.code)}, {self.reasons!r}, {self.plugin!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Status) and (self.code, self.reasons) == (other.code, other.reasons)


def unschedulable(*reasons: str) -> Status:
    return Status(UNSCHEDULABLE, *reasons)


def unresolvable(*reasons: str) -> Status:
    return Status(UNRESOLVABLE, *reasons)


class CycleState(dict):
    """Per-pod, per-cycle plugin data (pre-filter / pre-score state), keyed by plugin name."""

    def clone(self) -> "CycleState":
        return CycleState(self)


# ---------------------------------------------------------------------------- quantities
@lru_cache(maxsize=8192)
def milli(q: Any) -> int:
    from kctl.api.quantity import parse_quantity

    return parse_quantity(str(q)).milli_value()


@lru_cache(maxsize=8192)
def value(q: Any) -> int:
    from kctl.api.quantity import parse_quantity

    return parse_quantity(str(q)).int_value()


def quantity_of(name: str, q: Any) -> int:
    """cpu in millicores, everything else in units (upstream MilliValue / Value)."""
    return milli(q) if name == "cpu" else value(q)


_NOT_SCALAR = {"pods", "storage"}


def resource_list(rl: dict | None) -> dict[str, int]:
    out: dict[str, int] = {}
    for k, v in (rl or {}).items():
        if k in _NOT_SCALAR:
            continue
        out[k] = quantity_of(k, v)
    return out


def _add(into: dict, rl: dict) -> None:
    for k, v in rl.items():
        into[k] = into.get(k, 0) + v


def _max(into: dict, rl: dict) -> None:
    for k, v in rl.items():
        if v > into.get(k, 0):
            into[k] = v


def pod_requests(pod: dict, non_missing: dict | None = None) -> dict[str, int]:
    """resourcehelper.PodRequests: sum of containers; init containers take the max (sidecar
    init containers, restartPolicy Always, add up and stay for the pod's life); pod overhead
    added; pod-level resources (spec.resources) override cpu/memory when set.
    `non_missing` fills a container's missing cpu/memory (scoring's non-zero defaults)."""
    spec = pod.get("spec") or {}

    def creq(c: dict) -> dict[str, int]:
        r = resource_list(((c.get("resources") or {}).get("requests")))
        if non_missing:
            for k, v in non_missing.items():
                if k not in r:
                    r[k] = v
        return r

    reqs: dict[str, int] = {}
    for c in spec.get("containers") or []:
        _add(reqs, creq(c))
    restartable: dict[str, int] = {}
    init_reqs: dict[str, int] = {}
    for c in spec.get("initContainers") or []:
        r = creq(c)
        if c.get("restartPolicy") == "Always":
            _add(reqs, r)
            _add(restartable, r)
            r = dict(restartable)
        else:
            tmp = dict(r)
            _add(tmp, restartable)
            r = tmp
        _max(init_reqs, r)
    _max(reqs, init_reqs)
    pod_level = resource_list(((spec.get("resources") or {}).get("requests")))
    for k in ("cpu", "memory"):
        if k in pod_level:
            reqs[k] = pod_level[k]
    if spec.get("overhead"):
        _add(reqs, resource_list(spec["overhead"]))
    return reqs


# ---------------------------------------------------------------------------- tolerations
def tolerates(tol: dict, taint: dict) -> bool:
    """v1 Toleration.ToleratesTaint."""
    effect = tol.get("effect") or ""
    if effect and effect != taint.get("effect"):
        return False
    key = tol.get("key") or ""
    op = tol.get("operator") or "Equal"
    if key and key != taint.get("key"):
        return False
    if op == "Exists":
        return True
    if not key and op != "Exists":
        return False
    return (tol.get("value") or "") == (taint.get("value") or "")


def tolerated(tolerations: list, taint: dict) -> bool:
    return any(tolerates(t, taint) for t in tolerations)


def taint_text(t: dict) -> str:
    v = t.get("value")
    return f"{t.get('key')}{'=' + v if v else ''}:{t.get('effect')}"


# ---------------------------------------------------------------------------- selectors
@lru_cache(maxsize=4096)
def _selector_cached(frozen: str):
    import json

    from kctl.api.selectors import from_label_selector_spec

    spec = json.loads(frozen)
    return from_label_selector_spec(spec)


def label_selector(spec: dict | None):
    """metav1.LabelSelectorAsSelector (None → matches nothing), cached."""
    import json

    if spec is None:
        from kctl.api.selectors import from_label_selector_spec

        return from_label_selector_spec(None)
    return _selector_cached(json.dumps(spec, sort_keys=True))


def set_selector(labels: dict | None):
    from kctl.api.selectors import selector_from_set

    return selector_from_set(labels)


# ---------------------------------------------------------------------------- affinity terms
class AffinityTerm:
    """A parsed PodAffinityTerm: namespaces, namespaceSelector, label selector, topology key."""

    __slots__ = ("namespaces", "ns_selector", "selector", "topology_key", "weight")

    def __init__(self, pod_ns: str, term: dict, weight: int = 0):
        ns = term.get("namespaces") or []
        self.ns_selector = label_selector(term["namespaceSelector"]) if term.get("namespaceSelector") is not None else None
        self.namespaces = set(ns) if (ns or self.ns_selector is not None) else {pod_ns}
        sel = term.get("labelSelector")
        # matchLabelKeys / mismatchLabelKeys are merged into the selector by the API server
        self.selector = label_selector(sel)
        self.topology_key = term.get("topologyKey") or ""
        self.weight = weight

    def matches(self, pi: "PodInfo", ns_labels: dict) -> bool:
        if pi.ns in self.namespaces or (self.ns_selector is not None and self.ns_selector.matches(ns_labels.get(pi.ns) or {})):
            return self.selector.matches(pi.labels)
        return False


def _terms(pod_ns: str, raw: list | None) -> list[AffinityTerm]:
    return [AffinityTerm(pod_ns, t) for t in raw or []]


def _weighted(pod_ns: str, raw: list | None) -> list[AffinityTerm]:
    return [AffinityTerm(pod_ns, w.get("podAffinityTerm") or {}, int(w.get("weight") or 0)) for w in raw or []]


# ---------------------------------------------------------------------------- pod info
class PodInfo:
    """What the scheduler keeps of a pod: identity, priority, requests, ports, affinity."""

    __slots__ = ("pod", "ns", "name", "key", "uid", "labels", "priority", "requests", "nz_cpu",
                 "nz_mem", "ports", "req_affinity", "req_anti", "pref_affinity", "pref_anti",
                 "node_name", "created", "deleting", "start_time")

    def __init__(self, pod: dict, priority: int = 0):
        meta = pod.get("metadata") or {}
        spec = pod.get("spec") or {}
        self.pod = pod
        self.ns = meta.get("namespace") or "default"
        self.name = meta.get("name") or ""
        self.key = (self.ns, self.name)
        self.uid = meta.get("uid") or ""
        self.labels = meta.get("labels") or {}
        self.priority = priority
        self.requests = pod_requests(pod)
        nz = pod_requests(pod, {"cpu": DEFAULT_MILLI_CPU, "memory": DEFAULT_MEMORY})
        self.nz_cpu = nz.get("cpu", 0)
        self.nz_mem = nz.get("memory", 0)
        ports = []
        for c in list(spec.get("containers") or []) + list(spec.get("initContainers") or []):
            for p in c.get("ports") or []:
                hp = p.get("hostPort")
                if hp:
                    ports.append((p.get("hostIP") or "0.0.0.0", p.get("protocol") or "TCP", int(hp)))
        self.ports = ports
        aff = spec.get("affinity") or {}
        pa = aff.get("podAffinity") or {}
        paa = aff.get("podAntiAffinity") or {}
        self.req_affinity = _terms(self.ns, pa.get("requiredDuringSchedulingIgnoredDuringExecution"))
        self.req_anti = _terms(self.ns, paa.get("requiredDuringSchedulingIgnoredDuringExecution"))
        self.pref_affinity = _weighted(self.ns, pa.get("preferredDuringSchedulingIgnoredDuringExecution"))
        self.pref_anti = _weighted(self.ns, paa.get("preferredDuringSchedulingIgnoredDuringExecution"))
        self.node_name = spec.get("nodeName") or ""
        self.created = meta.get("creationTimestamp") or ""
        self.deleting = bool(meta.get("deletionTimestamp"))
        self.start_time = (pod.get("status") or {}).get("startTime") or self.created

    @property
    def has_affinity(self) -> bool:
        return bool(self.req_affinity or self.req_anti or self.pref_affinity or self.pref_anti)


# ---------------------------------------------------------------------------- node info
class NodeInfo:
    """A node plus running totals of what its pods request (NodeInfo in upstream)."""

    __slots__ = ("name", "node", "labels", "taints", "unschedulable", "allocatable",
                 "allowed_pods", "requested", "nz_cpu", "nz_mem", "pods", "used_ports",
                 "affinity_pods", "anti_pods", "gid", "_sk")

    def __init__(self, node: dict):
        meta = node.get("metadata") or {}
        spec = node.get("spec") or {}
        self.name = meta.get("name") or ""
        self.node = node
        self.labels = meta.get("labels") or {}
        self.taints = list(spec.get("taints") or [])
        self.unschedulable = bool(spec.get("unschedulable"))
        alloc = (node.get("status") or {}).get("allocatable") or {}
        self.allowed_pods = value(alloc["pods"]) if "pods" in alloc else 0
        self.allocatable = resource_list(alloc)
        self.requested: dict[str, int] = {}
        self.nz_cpu = 0
        self.nz_mem = 0
        self.pods: list[PodInfo] = []
        self.used_ports: dict[tuple, int] = {}
        self.affinity_pods: list[PodInfo] = []
        self.anti_pods: list[PodInfo] = []
        self.gid = 0
        self._sk = None

    def add_pod(self, pi: PodInfo) -> None:
        self._sk = None
        self.pods.append(pi)
        req = self.requested
        for k, v in pi.requests.items():
            req[k] = req.get(k, 0) + v
        self.nz_cpu += pi.nz_cpu
        self.nz_mem += pi.nz_mem
        for p in pi.ports:
            self.used_ports[p] = self.used_ports.get(p, 0) + 1
        if pi.has_affinity:
            self.affinity_pods.append(pi)
        if pi.req_anti:
            self.anti_pods.append(pi)

    def remove_pod(self, pi: PodInfo) -> bool:
        for i, q in enumerate(self.pods):
            if q.key == pi.key:
                del self.pods[i]
                break
        else:
            return False
        self._sk = None
        q_req = q.requests
        for k, v in q_req.items():
            self.requested[k] = self.requested.get(k, 0) - v
        self.nz_cpu -= q.nz_cpu
        self.nz_mem -= q.nz_mem
        for p in q.ports:
            n = self.used_ports.get(p, 0) - 1
            if n > 0:
                self.used_ports[p] = n
            else:
                self.used_ports.pop(p, None)
        self.affinity_pods = [x for x in self.affinity_pods if x.key != q.key]
        self.anti_pods = [x for x in self.anti_pods if x.key != q.key]
        return True

    def clone(self) -> "NodeInfo":
        c = NodeInfo.__new__(NodeInfo)
        for s in NodeInfo.__slots__:
            setattr(c, s, getattr(self, s))
        c.requested = dict(self.requested)
        c.pods = list(self.pods)
        c.used_ports = dict(self.used_ports)
        c.affinity_pods = list(self.affinity_pods)
        c.anti_pods = list(self.anti_pods)
        return c

    def state_key(self) -> tuple:
        """What makes two nodes of one static group interchangeable for a simple pod."""
        sk = self._sk
        if sk is None:
            sk = self._sk = (self.gid, tuple(sorted(self.requested.items())), len(self.pods),
                             self.nz_cpu, self.nz_mem)
        return sk


def static_signature(node: dict) -> tuple:
    """Nodes with the same labels (but hostname), taints, cordon and allocatable belong to one
    group: every static filter and score gives them the same answer for a pod that does not
    name a node (by hostname label or metadata.name)."""
    import json

    meta = node.get("metadata") or {}
    spec = node.get("spec") or {}
    labels = {k: v for k, v in (meta.get("labels") or {}).items() if k != LABEL_HOSTNAME}
    return (json.dumps(labels, sort_keys=True), json.dumps(spec.get("taints") or [], sort_keys=True),
            bool(spec.get("unschedulable")),
            json.dumps((node.get("status") or {}).get("allocatable") or {}, sort_keys=True))
