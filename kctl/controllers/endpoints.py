"""EndpointsController and EndpointSliceController (pkg/controller/endpoint,
pkg/controller/endpointslice): which pods back a Service, as the kube-controller-manager
writes them.

Endpoints `<svc>`: ready pods under `addresses`, the others under `notReadyAddresses`
(publishNotReadyAddresses puts every pod under `addresses`), subsets repacked by port set;
labels = the Service's + `endpoints.kubernetes.io/managed-by: endpoint-controller`
(+ `service.kubernetes.io/headless` for headless Services).

EndpointSlices `<svc>-<5 chars>` (generateName `<svc>-`): at most 100 endpoints each, one
group per resolved port set, conditions ready/serving/terminating, nodeName, zone (the node's
topology.kubernetes.io/zone), hostname (pod hostname+subdomain), owned by the Service; a
placeholder slice (endpoints/ports null) when no pod backs the Service. Existing slice names
are reused before new ones are made (upstream turns create+delete pairs into updates).

Services without a selector or of type ExternalName are left alone (their Endpoints are
user-managed, e.g. the `kubernetes` Service's).

Deliberate simplifications: the last-change-trigger-time annotation is the cluster time of
the write that changed the object (upstream: the earliest pod/service change that triggered
it, which is the same instant in a converge); topology hints and the mirroring of
selectorless Endpoints into slices are not modelled; ports inside a subset are sorted by
name and number (upstream orders them by a hash).
"""

from __future__ import annotations

import copy
import ipaddress
from typing import Iterable

from kctl.controllers.context import Context, owner_ref

ENDPOINTS_MANAGED_BY = "endpoints.kubernetes.io/managed-by"
ENDPOINTS_CONTROLLER = "endpoint-controller"
SLICE_MANAGED_BY = "endpointslice.kubernetes.io/managed-by"
SLICE_CONTROLLER = "endpointslice-controller.k8s.io"
SERVICE_NAME_LABEL = "kubernetes.io/service-name"
HEADLESS_LABEL = "service.kubernetes.io/headless"
TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time"
OVER_CAPACITY = "endpoints.kubernetes.io/over-capacity"
ZONE_LABEL = "topology.kubernetes.io/zone"
MAX_ENDPOINTS = 1000  # Endpoints truncation
MAX_PER_SLICE = 100  # --max-endpoints-per-slice default

#: what `kubectl get endpoints` prints on stderr in 1.33+ (the API server's warning header)
ENDPOINTS_DEPRECATION_WARNING = "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"


# --------------------------------------------------------------------------- pure helpers
def _meta(o: dict) -> dict:
    return o.get("metadata") or {}


def selector_of(svc: dict) -> dict | None:
    """spec.selector, None when absent or empty (an empty map does not survive the API
    server's storage round trip, so upstream sees nil)."""
    sel = (svc.get("spec") or {}).get("selector")
    return dict(sel) if isinstance(sel, dict) and sel else None


def is_service_ip_set(svc: dict) -> bool:
    cip = (svc.get("spec") or {}).get("clusterIP") or ""
    return cip not in ("", "None")


def is_ready(pod: dict) -> bool:
    for c in (pod.get("status") or {}).get("conditions") or []:
        if c.get("type") == "Ready":
            return c.get("status") == "True"
    return False


def pod_ips(pod: dict) -> list[str]:
    st = pod.get("status") or {}
    ips = [p.get("ip") for p in st.get("podIPs") or [] if isinstance(p, dict) and p.get("ip")]
    if not ips and st.get("podIP"):
        ips = [st["podIP"]]
    return ips


def should_pod_be_in_endpoints(pod: dict, include_terminating: bool) -> bool:
    """endpointsliceutil.ShouldPodBeInEndpoints: no terminal pods, no pods without an IP,
    terminating pods only when asked."""
    if (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
        return False
    if not pod_ips(pod):
        return False
    if not include_terminating and _meta(pod).get("deletionTimestamp"):
        return False
    return True


def should_set_hostname(pod: dict, svc: dict) -> bool:
    spec = pod.get("spec") or {}
    return bool(spec.get("hostname")) and spec.get("subdomain") == _meta(svc).get("name") \
        and _meta(svc).get("namespace") == _meta(pod).get("namespace")


def find_port(pod: dict, svc_port: dict) -> int | None:
    """podutil.FindPort: a numeric targetPort as is; a named one from the container (or
    sidecar init container) port of that name and protocol; None when not found."""
    tp = svc_port.get("targetPort")
    if tp is None:
        tp = svc_port.get("port")
    if isinstance(tp, int):
        return tp
    proto = svc_port.get("protocol") or "TCP"
    spec = pod.get("spec") or {}
    containers = list(spec.get("containers") or [])
    containers += [c for c in spec.get("initContainers") or [] if isinstance(c, dict) and c.get("restartPolicy") == "Always"]
    for c in containers:
        for p in (c or {}).get("ports") or []:
            if p.get("name") == tp and (p.get("protocol") or "TCP") == proto:
                return p.get("containerPort")
    return None


def _family(svc: dict) -> str:
    fams = (svc.get("spec") or {}).get("ipFamilies") or []
    return fams[0] if fams else "IPv4"


def _ip_for_family(pod: dict, family: str) -> str | None:
    for ip in pod_ips(pod):
        try:
            v6 = ipaddress.ip_address(ip).version == 6
        except ValueError:
            continue
        if v6 == (family == "IPv6"):
            return ip
    return None


def _target_ref(pod: dict) -> dict:
    m = _meta(pod)
    return {"kind": "Pod", "name": m.get("name"), "namespace": m.get("namespace"), "uid": m.get("uid")}


def _ip_key(ip: str):
    try:
        return (0, int(ipaddress.ip_address(ip)))
    except ValueError:
        return (1, ip)


def _endpoint_port(sp: dict, num: int) -> dict:
    p = {"port": num, "protocol": sp.get("protocol") or "TCP"}
    if sp.get("name"):
        p["name"] = sp["name"]
    if sp.get("appProtocol"):
        p["appProtocol"] = sp["appProtocol"]
    return p


def endpoint_subsets(svc: dict, pods: list[dict]) -> list[dict]:
    """The subsets the Endpoints controller computes (after RepackSubsets/SortSubsets)."""
    spec = svc.get("spec") or {}
    tolerate = bool(spec.get("publishNotReadyAddresses"))
    family = _family(svc)
    # address key -> (address, ready); port set per address
    addrs: dict[tuple, dict] = {}
    ready_of: dict[tuple, bool] = {}
    ports_of: dict[tuple, list] = {}
    for pod in pods:
        if not should_pod_be_in_endpoints(pod, tolerate):
            continue
        ip = _ip_for_family(pod, family)
        if ip is None:
            continue
        addr = {"ip": ip, "nodeName": (pod.get("spec") or {}).get("nodeName"), "targetRef": _target_ref(pod)}
        if addr["nodeName"] is None:
            del addr["nodeName"]
        if should_set_hostname(pod, svc):
            addr["hostname"] = pod["spec"]["hostname"]
        ready = tolerate or is_ready(pod)
        key = (ip, _meta(pod).get("uid") or "")
        ports = []
        if not spec.get("ports"):
            if spec.get("clusterIP") != "None":
                continue
        else:
            for sp in spec["ports"]:
                num = find_port(pod, sp)
                if num is None:
                    continue
                ports.append(_endpoint_port(sp, num))
            if not ports:
                continue
        addrs[key] = addr
        ready_of[key] = ready
        ports_of[key] = ports
    # repack: addresses offering the same port set share a subset
    groups: dict[tuple, list[tuple]] = {}
    for key, ports in ports_of.items():
        pk = tuple(sorted((p.get("name", ""), p["port"], p["protocol"], p.get("appProtocol", "")) for p in ports))
        groups.setdefault(pk, []).append(key)
    subsets = []
    for pk, keys in groups.items():
        keys.sort(key=lambda k: (_ip_key(k[0]), k[1]))
        sub: dict = {}
        ready = [addrs[k] for k in keys if ready_of[k]]
        not_ready = [addrs[k] for k in keys if not ready_of[k]]
        if ready:
            sub["addresses"] = ready
        if not_ready:
            sub["notReadyAddresses"] = not_ready
        ports = sorted(ports_of[keys[0]], key=lambda p: (p.get("name", ""), p["port"], p["protocol"]))
        if ports:
            sub["ports"] = ports
        subsets.append(sub)
    subsets.sort(key=lambda s: _ip_key(((s.get("addresses") or s.get("notReadyAddresses") or [{}])[0]).get("ip", "")))
    return subsets


def _truncate(subsets: list[dict]) -> bool:
    """truncateEndpoints: keep at most 1000 addresses, ready ones first, spread by share."""
    import math

    total_ready = sum(len(s.get("addresses") or []) for s in subsets)
    total_nr = sum(len(s.get("notReadyAddresses") or []) for s in subsets)
    if total_ready + total_nr <= MAX_ENDPOINTS:
        return False
    truncate_ready = total_ready > MAX_ENDPOINTS
    max_n = MAX_ENDPOINTS if truncate_ready else MAX_ENDPOINTS - total_ready
    num_total = total_ready if truncate_ready else total_nr
    can = max_n
    for s in subsets:
        n = len(s.get("addresses") or []) if truncate_ready else len(s.get("notReadyAddresses") or [])
        add = min(int(math.ceil(n / num_total * max_n)) if num_total else 0, can)
        if truncate_ready:
            s["addresses"] = (s.get("addresses") or [])[:add]
            s.pop("notReadyAddresses", None)
            can -= len(s["addresses"])
        else:
            if s.get("notReadyAddresses"):
                s["notReadyAddresses"] = s["notReadyAddresses"][:add]
            can -= len(s.get("notReadyAddresses") or [])
    return True


def _selector_services(ctx: Context, namespace: str) -> list[tuple[str, dict]]:
    out = []
    for svc in ctx.list("services", namespace):
        sel = selector_of(svc)
        if sel is not None and (svc.get("spec") or {}).get("type") != "ExternalName":
            out.append((_meta(svc)["name"], sel))
    return out


def _services_for_pod_change(ctx: Context, change) -> list[tuple]:
    """Every selector Service in the namespace (used when nothing narrower is known)."""
    return [("services", change.namespace, n) for n, _ in _selector_services(ctx, change.namespace)]


class _Membership:
    """Which Services a pod change concerns: those whose selector matches the pod now
    (GetPodServiceMemberships) plus those that list the pod today (its old membership: the
    old labels are gone by the time kctl sees the change). Cached for one converge (the
    controllers are instantiated per converge); `pods_of(obj)` reads a managed object's pods."""

    def __init__(self, managed_resource: str, label_filter: dict, service_of, pods_of):
        self.managed_resource = managed_resource
        self.label_filter = label_filter
        self.service_of = service_of
        self.pods_of = pods_of
        self._services: dict[str, list] = {}
        self._by_service: dict[str, dict[str, set]] = {}
        self._by_pod: dict[str, dict[str, set]] = {}

    def invalidate(self, namespace: str) -> None:
        self._services.pop(namespace, None)

    def _seed(self, ctx: Context, ns: str) -> None:
        if ns in self._by_service:
            return
        self._by_service[ns], self._by_pod[ns] = {}, {}
        for obj in ctx.list(self.managed_resource, ns, label_filter=self.label_filter):
            svc = self.service_of(obj)
            if svc:
                self._add(ns, svc, self.pods_of(obj))

    def _add(self, ns: str, svc: str, pods) -> None:
        self._by_service[ns].setdefault(svc, set()).update(pods)
        for p in pods:
            self._by_pod[ns].setdefault(p, set()).add(svc)

    def record(self, ctx: Context, ns: str, svc: str, objs: list[dict]) -> None:
        """After a reconcile: `svc` now lists the pods of `objs`."""
        self._seed(ctx, ns)
        for p in self._by_service[ns].pop(svc, set()):
            self._by_pod[ns].get(p, set()).discard(svc)
        pods = set()
        for o in objs:
            pods.update(self.pods_of(o))
        self._add(ns, svc, pods)

    def keys(self, ctx: Context, change) -> list[tuple]:
        ns = change.namespace
        self._seed(ctx, ns)
        names = set(self._by_pod[ns].get(change.name, ()))
        pod = ctx.get("pods", ns, change.name) if change.op != "DELETED" else None
        if pod is not None:
            if ns not in self._services:
                self._services[ns] = _selector_services(ctx, ns)
            labels = _meta(pod).get("labels") or {}
            for name, sel in self._services[ns]:
                if all(labels.get(k) == v for k, v in sel.items()):
                    names.add(name)
        return [("services", ns, n) for n in sorted(names)]


def _endpoints_pods(ep: dict) -> set:
    out = set()
    for sub in ep.get("subsets") or []:
        for a in (sub.get("addresses") or []) + (sub.get("notReadyAddresses") or []):
            name = (a.get("targetRef") or {}).get("name")
            if name:
                out.add(name)
    return out


def _slice_pods(sl: dict) -> set:
    return {(e.get("targetRef") or {}).get("name") for e in sl.get("endpoints") or []
            if (e.get("targetRef") or {}).get("name")}


def _selected_pods(ctx: Context, svc: dict) -> list[dict]:
    return ctx.list("pods", _meta(svc).get("namespace", ""), label_filter=selector_of(svc))


# --------------------------------------------------------------------------- Endpoints
class EndpointsController:
    """Keys are ("services", namespace, name)."""

    name = "endpoints"
    resources = ("services", "pods", "endpoints")

    def __init__(self):
        self.members = _Membership("endpoints", {ENDPOINTS_MANAGED_BY: ENDPOINTS_CONTROLLER},
                                   lambda ep: _meta(ep).get("name"), _endpoints_pods)

    def keys_for(self, ctx: Context, change) -> Iterable[tuple]:
        if change.resource == "services":
            self.members.invalidate(change.namespace)
            return [("services", change.namespace, change.name)]
        if change.resource == "endpoints":
            return [("services", change.namespace, change.name)] if change.op == "DELETED" else []
        return self.members.keys(ctx, change)

    def reconcile(self, ctx: Context, key: tuple) -> None:
        _, ns, name = key
        svc = ctx.get("services", ns, name)
        live = ctx.get("endpoints", ns, name)
        if svc is None:
            if live is not None and (_meta(live).get("labels") or {}).get(ENDPOINTS_MANAGED_BY) == ENDPOINTS_CONTROLLER:
                ctx.delete("endpoints", ns, name)
            self.members.record(ctx, ns, name, [])
            return
        if (svc.get("spec") or {}).get("type") == "ExternalName" or selector_of(svc) is None:
            self.members.record(ctx, ns, name, [])
            return
        subsets = endpoint_subsets(svc, _selected_pods(ctx, svc))
        self.members.record(ctx, ns, name, [{"subsets": subsets}])
        truncated = _truncate(subsets)
        labels = dict(_meta(svc).get("labels") or {})
        labels[ENDPOINTS_MANAGED_BY] = ENDPOINTS_CONTROLLER
        if not is_service_ip_set(svc):
            labels[HEADLESS_LABEL] = ""
        if live is None:
            new = {"apiVersion": "v1", "kind": "Endpoints",
                   "metadata": {"name": name, "namespace": ns, "labels": labels,
                                "annotations": {TRIGGER_TIME: ctx.now_str}}}
        else:
            new = copy.deepcopy(live)
            new["metadata"]["labels"] = labels
            ann = dict(new["metadata"].get("annotations") or {})
            same = (live.get("subsets") or []) == subsets and (_meta(live).get("labels") or {}) == labels \
                and (OVER_CAPACITY in ann) == truncated
            if same:
                return
            ann[TRIGGER_TIME] = ctx.now_str
            new["metadata"]["annotations"] = ann
        ann = new["metadata"]["annotations"]
        if truncated:
            ann[OVER_CAPACITY] = "truncated"
        else:
            ann.pop(OVER_CAPACITY, None)
        if subsets:
            new["subsets"] = subsets
        else:
            new.pop("subsets", None)
        ctx.write("endpoints", new)


# --------------------------------------------------------------------------- EndpointSlices
def slice_endpoint(pod: dict, svc: dict, node: dict | None, address_type: str) -> dict | None:
    """podToEndpoint."""
    ip = _ip_for_family(pod, address_type)
    if ip is None:
        return None
    serving = is_ready(pod)
    terminating = bool(_meta(pod).get("deletionTimestamp"))
    ready = bool((svc.get("spec") or {}).get("publishNotReadyAddresses")) or (serving and not terminating)
    ep = {
        "addresses": [ip],
        "conditions": {"ready": ready, "serving": serving, "terminating": terminating},
        "targetRef": _target_ref(pod),
    }
    node_name = (pod.get("spec") or {}).get("nodeName")
    if node_name:
        ep["nodeName"] = node_name
    zone = ((_meta(node).get("labels") or {}).get(ZONE_LABEL)) if node else None
    if zone:
        ep["zone"] = zone
    if should_set_hostname(pod, svc):
        ep["hostname"] = pod["spec"]["hostname"]
    return ep


def slice_ports(pod: dict, svc: dict) -> list[dict]:
    """getEndpointPorts: one per service port that resolves on this pod; name always set."""
    out = []
    for sp in (svc.get("spec") or {}).get("ports") or []:
        num = find_port(pod, sp)
        if num is None:
            continue
        p = {"name": sp.get("name") or "", "port": num, "protocol": sp.get("protocol") or "TCP"}
        if sp.get("appProtocol"):
            p["appProtocol"] = sp["appProtocol"]
        out.append(p)
    return out


def desired_slices(svc: dict, pods: list[dict], nodes: dict[str, dict]) -> list[tuple[list | None, list | None]]:
    """(ports, endpoints) per slice, in a stable order; [(None, None)] is the placeholder."""
    address_type = _family(svc)
    groups: dict[tuple, tuple[list, list]] = {}
    for pod in pods:
        if not should_pod_be_in_endpoints(pod, True):
            continue
        ports = slice_ports(pod, svc)
        # a Service with ports whose pod resolves none of them gets no endpoint (upstream:
        # skipped); a Service without ports keeps its endpoints with no ports
        if (svc.get("spec") or {}).get("ports") and not ports:
            continue
        ep = slice_endpoint(pod, svc, nodes.get((pod.get("spec") or {}).get("nodeName") or ""), address_type)
        if ep is None:
            continue
        key = tuple((p["name"], p["port"], p["protocol"]) for p in ports)
        groups.setdefault(key, (ports, []))[1].append(ep)
    out = []
    for key in sorted(groups):
        ports, eps = groups[key]
        for i in range(0, len(eps), MAX_PER_SLICE):
            out.append((ports or None, eps[i:i + MAX_PER_SLICE]))
    return out or [(None, None)]


def slice_labels(svc: dict) -> dict:
    labels = {k: v for k, v in (_meta(svc).get("labels") or {}).items()
              if k not in (SERVICE_NAME_LABEL, SLICE_MANAGED_BY)}
    if not is_service_ip_set(svc):
        labels[HEADLESS_LABEL] = ""
    labels[SERVICE_NAME_LABEL] = _meta(svc)["name"]
    labels[SLICE_MANAGED_BY] = SLICE_CONTROLLER
    return labels


class EndpointSliceController:
    """Keys are ("services", namespace, name)."""

    name = "endpointslice"
    resources = ("services", "pods", "nodes", "endpointslices.discovery.k8s.io")

    def __init__(self):
        self.members = _Membership("endpointslices.discovery.k8s.io",
                                   {SLICE_MANAGED_BY: SLICE_CONTROLLER},
                                   lambda sl: (_meta(sl).get("labels") or {}).get(SERVICE_NAME_LABEL), _slice_pods)

    def keys_for(self, ctx: Context, change) -> Iterable[tuple]:
        if change.resource == "services":
            self.members.invalidate(change.namespace)
            return [("services", change.namespace, change.name)]
        if change.resource == "endpointslices.discovery.k8s.io":
            if change.op != "DELETED":
                return []
            # a managed slice was removed by someone: resync every selector Service there
            return _services_for_pod_change(ctx, change)
        if change.resource == "nodes":
            return self._services_on_node(ctx, change.name)
        return self.members.keys(ctx, change)

    def _services_on_node(self, ctx: Context, node: str) -> list[tuple]:
        # a node's zone label feeds `zone`; only services with endpoints there care
        out = set()
        for sl in ctx.list("endpointslices.discovery.k8s.io", None,
                           label_filter={SLICE_MANAGED_BY: SLICE_CONTROLLER}):
            if any(ep.get("nodeName") == node for ep in sl.get("endpoints") or []):
                svc = (_meta(sl).get("labels") or {}).get(SERVICE_NAME_LABEL)
                if svc:
                    out.add(("services", _meta(sl).get("namespace", ""), svc))
        return sorted(out)

    def reconcile(self, ctx: Context, key: tuple) -> None:
        _, ns, name = key
        svc = ctx.get("services", ns, name)
        existing = sorted(
            ctx.list("endpointslices.discovery.k8s.io", ns,
                     label_filter={SERVICE_NAME_LABEL: name, SLICE_MANAGED_BY: SLICE_CONTROLLER}),
            key=lambda s: _meta(s)["name"])
        if svc is None or (svc.get("spec") or {}).get("type") == "ExternalName" or selector_of(svc) is None:
            # upstream: slices are owned by the Service (GC removes them); a Service that
            # stops selecting loses its managed slices
            for sl in existing:
                ctx.delete("endpointslices.discovery.k8s.io", ns, _meta(sl)["name"])
            self.members.record(ctx, ns, name, [])
            return
        pods = _selected_pods(ctx, svc)
        node_names = {(p.get("spec") or {}).get("nodeName") for p in pods} - {None, ""}
        nodes = {n: ctx.get("nodes", "", n) for n in sorted(node_names)}
        nodes = {k: v for k, v in nodes.items() if v is not None}
        wanted = desired_slices(svc, pods, nodes)
        self.members.record(ctx, ns, name, [{"endpoints": eps} for _, eps in wanted])
        labels = slice_labels(svc)
        ref = owner_ref(svc)
        # reuse names: a slice with the same ports first, then any (create+delete → update)
        remaining = list(existing)
        plan: list[tuple[dict | None, list | None, list | None]] = []
        for ports, eps in wanted:
            match = next((s for s in remaining if s.get("ports") == ports), None)
            plan.append((match, ports, eps))
            if match is not None:
                remaining.remove(match)
        final = []
        for match, ports, eps in plan:
            if match is None and remaining:
                match = remaining.pop(0)
            final.append((match, ports, eps))
        for sl in remaining:
            ctx.delete("endpointslices.discovery.k8s.io", ns, _meta(sl)["name"])
        for match, ports, eps in final:
            body = {
                "apiVersion": "discovery.k8s.io/v1",
                "kind": "EndpointSlice",
                "addressType": _family(svc),
                "endpoints": eps,
                "ports": ports,
            }
            if match is not None:
                new = copy.deepcopy(match)
                new["metadata"]["labels"] = labels
                new["metadata"]["ownerReferences"] = [ref]
                new["metadata"].setdefault("generateName", f"{name}-")
                new.update({k: v for k, v in body.items() if k not in ("apiVersion", "kind")})
                if new == match:
                    continue
                ann = dict(new["metadata"].get("annotations") or {})
                ann[TRIGGER_TIME] = ctx.now_str
                new["metadata"]["annotations"] = ann
                if match["metadata"].get("generation") is not None:
                    # the endpointslice strategy bumps generation on every endpoints/ports change
                    new["metadata"]["generation"] = int(match["metadata"]["generation"]) + 1
                ctx.write("endpointslices.discovery.k8s.io", new)
            else:
                body["metadata"] = {
                    "name": f"{name}-{ctx.suffix(5)}",
                    "generateName": f"{name}-",
                    "namespace": ns,
                    "labels": labels,
                    "annotations": {TRIGGER_TIME: ctx.now_str},
                    "ownerReferences": [ref],
                }
                ctx.create("endpointslices.discovery.k8s.io", body)
