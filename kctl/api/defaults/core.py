"""Defaulting for the core (v1) group, as pkg/apis/core/v1/defaults.go plus the nested calls
of its generated zz_generated.defaults.go (pod spec → containers → ports/probes/env; volumes).

Every function mutates its dict in place and only fills what is absent, like upstream.
"""

from __future__ import annotations

import base64
import re
from typing import Any

# Values shared with the workload defaulting in apps.py.
DEFAULT_MODE = 420  # 0644, volume file mode for configMap/secret/projected/downwardAPI
TERMINATION_MESSAGE_PATH = "/dev/termination-log"


def _setdefault(d: dict, key: str, value: Any) -> Any:
    """Set `d[key]` when absent or null (Go's nil/zero test); return the current value."""
    if d.get(key) is None:
        d[key] = value
    return d[key]


def _is_empty(v: Any) -> bool:
    return v is None or v == "" or v == 0 and not isinstance(v, bool)


# --------------------------------------------------------------------------- containers


# distribution/reference grammar (what parsers.ParseImageName accepts): an optional domain,
# lower-case path components, an optional tag, an optional digest
_DOMAIN = r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?"
_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_IMAGE_REF = re.compile(
    rf"^(?:{_DOMAIN}/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*(?::[\w][\w.-]{{0,127}})?"
    r"(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$"
)


def image_pull_policy(image: str | None) -> str:
    """SetDefaults_Container: Always when the tag is `latest`, IfNotPresent otherwise.

    As upstream's parsers.ParseImageName: no tag and no digest means `latest` (Always);
    a digest without a tag means no tag (IfNotPresent); `nginx:latest@sha256:...` keeps its
    `latest` tag (Always). The tag is what follows the last ':' after the last '/' (a
    registry port such as `localhost:5000/nginx` is not a tag). An image that does not parse
    (missing, empty, upper case in the path) has no tag for upstream: IfNotPresent.
    """
    if not isinstance(image, str) or not _IMAGE_REF.match(image):
        return "IfNotPresent"
    name, _, digest = image.partition("@")
    last = name.rsplit("/", 1)[-1]
    tag = last.rsplit(":", 1)[1] if ":" in last else ""
    if not tag and not digest:
        tag = "latest"
    return "Always" if tag == "latest" else "IfNotPresent"


def _default_http_get(action: dict) -> None:
    # SetDefaults_HTTPGetAction
    if not action.get("path"):
        action["path"] = "/"
    if not action.get("scheme"):
        action["scheme"] = "HTTP"


def _default_handler(handler: dict | None) -> None:
    if not isinstance(handler, dict):
        return
    if isinstance(handler.get("httpGet"), dict):
        _default_http_get(handler["httpGet"])
    if isinstance(handler.get("grpc"), dict):
        # +default="" on GRPCAction.service
        _setdefault(handler["grpc"], "service", "")


def default_probe(probe: dict | None) -> None:
    """SetDefaults_Probe plus its handler's defaults."""
    if not isinstance(probe, dict):
        return
    for k, v in (("timeoutSeconds", 1), ("periodSeconds", 10), ("successThreshold", 1), ("failureThreshold", 3)):
        if _is_empty(probe.get(k)):
            probe[k] = v
    _default_handler(probe)


def default_container(c: dict, *, host_network: bool = False) -> None:
    """SetDefaults_Container and its nested defaults (ports, env, probes, lifecycle)."""
    if not isinstance(c, dict):
        return
    if not c.get("imagePullPolicy"):
        c["imagePullPolicy"] = image_pull_policy(c.get("image"))
    if not c.get("terminationMessagePath"):
        c["terminationMessagePath"] = TERMINATION_MESSAGE_PATH
    if not c.get("terminationMessagePolicy"):
        c["terminationMessagePolicy"] = "File"
    # `resources` is a non-pointer struct in Go: it is always serialized, as `resources: {}`.
    if c.get("resources") is None:
        c["resources"] = {}
    for p in c.get("ports") or []:
        if isinstance(p, dict):
            if not p.get("protocol"):
                p["protocol"] = "TCP"
            # defaultHostNetworkPorts: with hostNetwork the host port is the container port
            if host_network and not p.get("hostPort") and p.get("containerPort"):
                p["hostPort"] = p["containerPort"]
    for e in c.get("env") or []:
        vf = e.get("valueFrom") if isinstance(e, dict) else None
        if isinstance(vf, dict) and isinstance(vf.get("fieldRef"), dict):
            if not vf["fieldRef"].get("apiVersion"):
                vf["fieldRef"]["apiVersion"] = "v1"
    for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
        default_probe(c.get(probe))
    lc = c.get("lifecycle")
    if isinstance(lc, dict):
        _default_handler(lc.get("postStart"))
        _default_handler(lc.get("preStop"))


# --------------------------------------------------------------------------- volumes


def _default_items_mode(src: dict) -> None:
    if src.get("defaultMode") is None:
        src["defaultMode"] = DEFAULT_MODE


def default_pvc_spec(spec: dict | None) -> None:
    """SetDefaults_PersistentVolumeClaimSpec: volumeMode Filesystem."""
    if isinstance(spec, dict) and not spec.get("volumeMode"):
        spec["volumeMode"] = "Filesystem"


def default_volume(v: dict) -> None:
    """SetDefaults_Volume (no source → emptyDir) and the per-source defaults."""
    if not isinstance(v, dict):
        return
    sources = [k for k in v if k != "name"]
    if not sources:
        v["emptyDir"] = {}
    for k in ("configMap", "secret", "downwardAPI", "projected"):
        src = v.get(k)
        if isinstance(src, dict):
            _default_items_mode(src)
    if isinstance(v.get("downwardAPI"), dict):
        for item in v["downwardAPI"].get("items") or []:
            if isinstance(item, dict) and isinstance(item.get("fieldRef"), dict):
                if not item["fieldRef"].get("apiVersion"):
                    item["fieldRef"]["apiVersion"] = "v1"
    if isinstance(v.get("projected"), dict):
        for s in v["projected"].get("sources") or []:
            if not isinstance(s, dict):
                continue
            if isinstance(s.get("serviceAccountToken"), dict):
                _setdefault(s["serviceAccountToken"], "expirationSeconds", 3600)
            if isinstance(s.get("downwardAPI"), dict):
                for item in s["downwardAPI"].get("items") or []:
                    if isinstance(item, dict) and isinstance(item.get("fieldRef"), dict):
                        if not item["fieldRef"].get("apiVersion"):
                            item["fieldRef"]["apiVersion"] = "v1"
    if isinstance(v.get("hostPath"), dict):
        _setdefault(v["hostPath"], "type", "")
    if isinstance(v.get("iscsi"), dict):
        if not v["iscsi"].get("iscsiInterface"):
            v["iscsi"]["iscsiInterface"] = "default"
    if isinstance(v.get("rbd"), dict):
        rbd = v["rbd"]
        for k2, val in (("pool", "rbd"), ("user", "admin"), ("keyring", "/etc/ceph/keyring")):
            if not rbd.get(k2):
                rbd[k2] = val
    if isinstance(v.get("azureDisk"), dict):
        ad = v["azureDisk"]
        for k2, val in (("cachingMode", "ReadWrite"), ("fsType", "ext4"), ("readOnly", False), ("kind", "Shared")):
            _setdefault(ad, k2, val)
    if isinstance(v.get("ephemeral"), dict):
        tmpl = v["ephemeral"].get("volumeClaimTemplate")
        if isinstance(tmpl, dict):
            default_pvc_spec(tmpl.get("spec"))


# --------------------------------------------------------------------------- pods


def default_pod_spec(spec: dict) -> None:
    """SetDefaults_PodSpec and everything nested (what a pod *template* gets)."""
    if not isinstance(spec, dict):
        return
    if not spec.get("dnsPolicy"):
        spec["dnsPolicy"] = "ClusterFirst"
    if not spec.get("restartPolicy"):
        spec["restartPolicy"] = "Always"
    if spec.get("securityContext") is None:
        spec["securityContext"] = {}
    if spec.get("terminationGracePeriodSeconds") is None:
        spec["terminationGracePeriodSeconds"] = 30
    if not spec.get("schedulerName"):
        spec["schedulerName"] = "default-scheduler"
    # v1 conversion round trip: the deprecated `serviceAccount` fills an empty
    # serviceAccountName, and is always written back equal to it (both show in -o yaml)
    if not spec.get("serviceAccountName") and spec.get("serviceAccount"):
        spec["serviceAccountName"] = spec["serviceAccount"]
    if spec.get("serviceAccountName"):
        spec["serviceAccount"] = spec["serviceAccountName"]
    host_network = bool(spec.get("hostNetwork"))
    for key in ("initContainers", "containers", "ephemeralContainers"):
        for c in spec.get(key) or []:
            default_container(c, host_network=host_network)
    for v in spec.get("volumes") or []:
        default_volume(v)


def default_pod_template(template: dict | None) -> None:
    """A PodTemplateSpec inside a workload: pod spec defaults only (no Pod-only defaults)."""
    if isinstance(template, dict):
        # PodTemplateSpec.Spec is a struct in Go: an absent spec is defaulted like an empty one
        # (so validation reports `containers: Required value`, not a missing grace period)
        if template.get("spec") is None:
            template["spec"] = {}
        spec = template.get("spec")
        if isinstance(spec, dict):
            default_pod_spec(spec)


def _requests_from_limits(res: dict) -> None:
    limits = res.get("limits")
    if isinstance(limits, dict) and limits:
        requests = res.get("requests")
        if not isinstance(requests, dict):
            requests = res["requests"] = {}
        for k, q in limits.items():
            requests.setdefault(k, q)


def default_pod(obj: dict) -> None:
    """SetDefaults_Pod: pod spec defaults plus what only a Pod (not a template) gets:
    requests copied from limits where a request is absent, and enableServiceLinks true.
    """
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return
    for key in ("containers", "initContainers"):
        for c in spec.get(key) or []:
            if isinstance(c, dict) and isinstance(c.get("resources"), dict):
                _requests_from_limits(c["resources"])
    # PodLevelResources (beta, on by default in 1.37), after the container-level defaults
    if isinstance(spec.get("resources"), dict):
        _default_pod_level_resources(spec)
    if spec.get("enableServiceLinks") is None:
        spec["enableServiceLinks"] = True
    default_pod_spec(spec)


def _pod_level_supported(name: str) -> bool:
    return name in ("cpu", "memory") or name.startswith("hugepages-")


def _aggregate(spec: dict, which: str) -> dict:
    """resourcehelper.AggregateContainer{Requests,Limits}: regular + sidecar containers add
    up; a plain init container counts with the sidecars started before it; take the max."""
    from kctl.api.quantity import parse_quantity

    def q(c: dict, name: str):
        v = ((c.get("resources") or {}).get(which) or {}).get(name)
        try:
            return parse_quantity(v) if v is not None else None
        except (ValueError, TypeError):
            return None

    names_: set[str] = set()
    for key in ("containers", "initContainers"):
        for c in spec.get(key) or []:
            if isinstance(c, dict):
                names_.update(((c.get("resources") or {}).get(which) or {}).keys())
    out: dict = {}
    for name in sorted(names_):
        total = None
        sidecars = None
        init_max = None
        for c in spec.get("initContainers") or []:
            if not isinstance(c, dict):
                continue
            v = q(c, name)
            if c.get("restartPolicy") == "Always":
                if v is not None:
                    sidecars = v if sidecars is None else sidecars + v
            elif v is not None:
                eff = v if sidecars is None else v + sidecars
                init_max = eff if init_max is None or eff > init_max else init_max
        for c in spec.get("containers") or []:
            v = q(c, name) if isinstance(c, dict) else None
            if v is not None:
                total = v if total is None else total + v
        if sidecars is not None:
            total = sidecars if total is None else total + sidecars
        if init_max is not None and (total is None or init_max > total):
            total = init_max
        if total is not None:
            out[name] = str(total)
    return out


def _default_pod_level_resources(spec: dict) -> None:
    """defaultHugePagePodLimits, defaultPodRequests, defaultPodLimits (pkg/apis/core/v1)."""
    res = spec["resources"]
    limits = res.get("limits") if isinstance(res.get("limits"), dict) else {}
    requests = res.get("requests") if isinstance(res.get("requests"), dict) else {}
    # hugepages: pod limit = aggregated container limit unless a pod hugepage request exists
    if limits or requests:
        for k, v in _aggregate(spec, "limits").items():
            if k.startswith("hugepages-") and k not in requests and k not in limits:
                limits[k] = v
        if limits:
            res["limits"] = limits
    # requests: from the containers' requests (overcommittable), else from the pod limits
    if limits:
        for k, v in _aggregate(spec, "requests").items():
            if k not in requests and k in ("cpu", "memory"):
                requests[k] = v
        for k, v in limits.items():
            if k not in requests and _pod_level_supported(k):
                requests[k] = v
        if requests:
            res["requests"] = requests
    # limits: from the containers' limits when every container sets one and the pod sets none
    if not any(_pod_level_supported(k) for k in limits) and any(_pod_level_supported(k) for k in requests):
        all_ctrs = [c for key in ("containers", "initContainers") for c in spec.get(key) or [] if isinstance(c, dict)]
        for k, v in _aggregate(spec, "limits").items():
            if k in ("cpu", "memory") and k not in limits and all(
                    k in ((c.get("resources") or {}).get("limits") or {}) for c in all_ctrs):
                limits[k] = v
        if limits:
            res["limits"] = limits


def default_pod_template_object(obj: dict) -> None:
    """Kind PodTemplate (`template` at top level)."""
    default_pod_template(obj.get("template"))


def default_replication_controller(obj: dict) -> None:
    """SetDefaults_ReplicationController: selector and labels from the template's labels."""
    spec = obj.setdefault("spec", {})
    template = spec.get("template")
    labels = (template or {}).get("metadata", {}).get("labels") if isinstance(template, dict) else None
    if labels:
        if not spec.get("selector"):
            spec["selector"] = dict(labels)
        meta = obj.setdefault("metadata", {})
        if not meta.get("labels"):
            meta["labels"] = dict(labels)
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    default_pod_template(template)


# --------------------------------------------------------------------------- services


def _is_headless_without_selector(spec: dict) -> bool:
    return spec.get("clusterIP") == "None" and not spec.get("selector")


def default_service(obj: dict) -> None:
    """SetDefaults_Service, plus the IP-family fields the service registry fills on create.

    defaults.go: sessionAffinity None, type ClusterIP, ports protocol TCP, targetPort = port,
    externalTrafficPolicy Cluster (NodePort/LoadBalancer), internalTrafficPolicy Cluster
    (not ExternalName), allocateLoadBalancerNodePorts true (LoadBalancer), ClientIP session
    affinity timeout 10800. The registry (not defaults.go) sets ipFamilyPolicy/ipFamilies on a
    single-stack IPv4 cluster: SingleStack/[IPv4] (RequireDualStack for headless services
    without a selector, whose families still resolve to [IPv4] on a single-stack cluster).
    clusterIP/clusterIPs allocation is left to the engine.
    """
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        spec = obj["spec"] = {}
    if not spec.get("sessionAffinity"):
        spec["sessionAffinity"] = "None"
    if spec["sessionAffinity"] == "None":
        # upstream drops a config that cannot apply
        spec.pop("sessionAffinityConfig", None)
    if not spec.get("type"):
        spec["type"] = "ClusterIP"
    for p in spec.get("ports") or []:
        if not isinstance(p, dict):
            continue
        if not p.get("protocol"):
            p["protocol"] = "TCP"
        if p.get("targetPort") in (None, 0, ""):
            if p.get("port") is not None:
                p["targetPort"] = p["port"]
    t = spec["type"]
    # service.ExternallyAccessible: NodePort, LoadBalancer, or ClusterIP with externalIPs
    accessible = t in ("NodePort", "LoadBalancer") or (t == "ClusterIP" and bool(spec.get("externalIPs")))
    if accessible and not spec.get("externalTrafficPolicy"):
        spec["externalTrafficPolicy"] = "Cluster"
    if t in ("NodePort", "LoadBalancer", "ClusterIP") and spec.get("internalTrafficPolicy") is None:
        spec["internalTrafficPolicy"] = "Cluster"
    if t == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts") is None:
        spec["allocateLoadBalancerNodePorts"] = True
    if spec["sessionAffinity"] == "ClientIP":
        sac = spec.get("sessionAffinityConfig")
        cip = sac.get("clientIP") if isinstance(sac, dict) else None
        if not isinstance(cip, dict) or cip.get("timeoutSeconds") is None:
            # upstream replaces the whole config when the timeout is missing
            spec["sessionAffinityConfig"] = {"clientIP": {"timeoutSeconds": 10800}}
    if t == "LoadBalancer":
        for ing in ((obj.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []:
            if isinstance(ing, dict) and ing.get("ip") and ing.get("ipMode") is None:
                ing["ipMode"] = "VIP"
    if t != "ExternalName":
        if not spec.get("ipFamilyPolicy"):
            spec["ipFamilyPolicy"] = "RequireDualStack" if _is_headless_without_selector(spec) else "SingleStack"
        if not spec.get("ipFamilies"):
            spec["ipFamilies"] = ["IPv4"]


def default_endpoints(obj: dict) -> None:
    """SetDefaults_Endpoints: subset ports protocol TCP."""
    for subset in obj.get("subsets") or []:
        for p in (subset or {}).get("ports") or []:
            if isinstance(p, dict) and not p.get("protocol"):
                p["protocol"] = "TCP"


# --------------------------------------------------------------------------- config


def normalize_secret(obj: dict) -> None:
    """Fold `stringData` into `data` (base64), as the v1 → internal conversion does.

    stringData wins over data for the same key; stringData is never stored or shown.
    Non-string values are left for validation to report.
    """
    sd = obj.pop("stringData", None)
    if not isinstance(sd, dict) or not sd:
        return
    data = obj.get("data")
    if not isinstance(data, dict):
        data = obj["data"] = {}
    for k, v in sd.items():
        if isinstance(v, str):
            data[k] = base64.b64encode(v.encode("utf-8")).decode("ascii")


def default_secret(obj: dict) -> None:
    """SetDefaults_Secret: type Opaque; also folds stringData into data."""
    normalize_secret(obj)
    if not obj.get("type"):
        obj["type"] = "Opaque"


# --------------------------------------------------------------------------- cluster


def default_namespace(obj: dict) -> None:
    """SetDefaults_Namespace (label kubernetes.io/metadata.name), SetDefaults_NamespaceStatus
    (phase Active), and the registry's spec.finalizers [kubernetes] on create.
    """
    meta = obj.get("metadata")
    if not isinstance(meta, dict):
        meta = obj["metadata"] = {}
    name = meta.get("name")
    if name:
        labels = meta.get("labels")
        if not isinstance(labels, dict):
            labels = meta["labels"] = {}
        labels["kubernetes.io/metadata.name"] = name
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        spec = obj["spec"] = {}
    if not spec.get("finalizers"):
        spec["finalizers"] = ["kubernetes"]
    status = obj.get("status")
    if not isinstance(status, dict):
        status = obj["status"] = {}
    if not status.get("phase"):
        status["phase"] = "Active"


def default_node(obj: dict) -> None:
    """SetDefaults_NodeStatus: allocatable = capacity when allocatable is absent."""
    status = obj.get("status")
    if isinstance(status, dict) and status.get("allocatable") is None and isinstance(status.get("capacity"), dict):
        status["allocatable"] = dict(status["capacity"])


def default_pvc(obj: dict) -> None:
    """SetDefaults_PersistentVolumeClaim(+Spec): volumeMode Filesystem, status.phase Pending."""
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        spec = obj["spec"] = {}
    default_pvc_spec(spec)
    status = obj.get("status")
    if not isinstance(status, dict):
        status = obj["status"] = {}
    if not status.get("phase"):
        status["phase"] = "Pending"


def default_pv(obj: dict) -> None:
    """SetDefaults_PersistentVolume: reclaim Retain, volumeMode Filesystem, phase Pending."""
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        spec = obj["spec"] = {}
    if not spec.get("persistentVolumeReclaimPolicy"):
        spec["persistentVolumeReclaimPolicy"] = "Retain"
    if not spec.get("volumeMode"):
        spec["volumeMode"] = "Filesystem"
    if isinstance(spec.get("hostPath"), dict):
        _setdefault(spec["hostPath"], "type", "")
    status = obj.get("status")
    if not isinstance(status, dict):
        status = obj["status"] = {}
    if not status.get("phase"):
        status["phase"] = "Pending"


def default_limit_range(obj: dict) -> None:
    """SetDefaults_LimitRangeItem: for Container items, default/defaultRequest from max/default."""
    for item in (obj.get("spec") or {}).get("limits") or []:
        if not isinstance(item, dict) or item.get("type") != "Container":
            continue
        if isinstance(item.get("max"), dict):
            d = item.setdefault("default", {})
            for k, v in item["max"].items():
                d.setdefault(k, v)
        if isinstance(item.get("default"), dict):
            dr = item.setdefault("defaultRequest", {})
            for k, v in item["default"].items():
                dr.setdefault(k, v)
        if isinstance(item.get("min"), dict):
            dr = item.setdefault("defaultRequest", {})
            for k, v in item["min"].items():
                dr.setdefault(k, v)


CORE_DEFAULTERS = {
    "Pod": default_pod,
    "PodTemplate": default_pod_template_object,
    "ReplicationController": default_replication_controller,
    "Service": default_service,
    "Endpoints": default_endpoints,
    "Secret": default_secret,
    "Namespace": default_namespace,
    "Node": default_node,
    "PersistentVolumeClaim": default_pvc,
    "PersistentVolume": default_pv,
    "LimitRange": default_limit_range,
}


# --------------------------------------------------------------------------- service registry steps
# Not defaulting: what the service registry does around create/update, so that `kubectl apply`
# of a changed Service behaves as against a real API server. The engine calls these.


def _needs_cluster_ip(spec: dict) -> bool:
    return spec.get("type") != "ExternalName"


def _needs_node_port(spec: dict) -> bool:
    return spec.get("type") in ("NodePort", "LoadBalancer")


def _externally_accessible(spec: dict) -> bool:
    t = spec.get("type")
    return t in ("NodePort", "LoadBalancer") or (t == "ClusterIP" and bool(spec.get("externalIPs")))


def normalize_cluster_ips(new: dict, old: dict | None = None) -> None:
    """normalizeClusterIPs: keep spec.clusterIP and spec.clusterIPs in step.

    Create: clusterIP alone → clusterIPs [clusterIP]. Update: a changed clusterIP with
    untouched clusterIPs replaces clusterIPs[0]; a cleared clusterIP with untouched
    clusterIPs clears both.
    """
    ns = new.get("spec") if isinstance(new.get("spec"), dict) else {}
    cip, cips = ns.get("clusterIP") or "", ns.get("clusterIPs") or []
    if old is None:
        if cip and not cips:
            ns["clusterIPs"] = [cip]
        return
    os_ = old.get("spec") or {}
    ocip, ocips = os_.get("clusterIP") or "", os_.get("clusterIPs") or []
    if cip == ocip or cips != ocips:
        if cip and not cips:
            ns["clusterIPs"] = [cip]
        return
    if not cip:
        ns.pop("clusterIPs", None)
    else:
        ns["clusterIPs"] = [cip] + list(cips[1:]) if cips else [cip]


def patch_allocated_values(new: dict, old: dict) -> None:
    """patchAllocatedValues: a replacing object that omits allocated values keeps the old ones
    (clusterIP(s), nodePorts by port name, healthCheckNodePort) while the type still uses them."""
    ns, os_ = new.setdefault("spec", {}), old.get("spec") or {}
    if _needs_cluster_ip(os_) and _needs_cluster_ip(ns):
        if not ns.get("clusterIP") and os_.get("clusterIP"):
            ns["clusterIP"] = os_["clusterIP"]
        if not ns.get("clusterIPs") and os_.get("clusterIPs"):
            ns["clusterIPs"] = list(os_["clusterIPs"])
    if _needs_node_port(os_) and _needs_node_port(ns):
        old_ports = [p for p in os_.get("ports") or [] if isinstance(p, dict)]
        new_ports = [p for p in ns.get("ports") or [] if isinstance(p, dict)]
        used = {p.get("nodePort") for p in old_ports if p.get("nodePort")} & {p.get("nodePort") for p in new_ports if p.get("nodePort")}
        by_name = {p.get("name", ""): p.get("nodePort") for p in old_ports}
        for p in new_ports:
            if not p.get("nodePort"):
                val = by_name.get(p.get("name", ""))
                if val and val not in used:
                    p["nodePort"] = val
    if ns.get("type") == "LoadBalancer" and os_.get("type") == "LoadBalancer" and ns.get("externalTrafficPolicy") == "Local":
        if not ns.get("healthCheckNodePort") and os_.get("healthCheckNodePort"):
            ns["healthCheckNodePort"] = os_["healthCheckNodePort"]


def drop_type_dependent_fields(new: dict, old: dict) -> None:
    """dropTypeDependentFields: when the type changes, drop values that no longer apply and
    that the user did not change themselves (cluster IPs and families leaving for
    ExternalName, node ports leaving NodePort/LoadBalancer, LB-only fields, traffic policies)."""
    ns, os_ = new.setdefault("spec", {}), old.get("spec") or {}

    def same(key: str) -> bool:
        return ns.get(key) == os_.get(key)

    if _needs_cluster_ip(os_) and not _needs_cluster_ip(ns):
        if same("clusterIP") and same("clusterIPs"):
            ns.pop("clusterIP", None)
            ns.pop("clusterIPs", None)
        if same("ipFamilies"):
            ns.pop("ipFamilies", None)
        if same("ipFamilyPolicy"):
            ns.pop("ipFamilyPolicy", None)
    if _needs_node_port(os_) and not _needs_node_port(ns):
        old_np = [(p or {}).get("nodePort") for p in os_.get("ports") or []]
        new_np = [(p or {}).get("nodePort") for p in ns.get("ports") or []]
        # sameNodePorts: every new port's nodePort is 0 or one the old object had at that name
        if all(not v or v in old_np for v in new_np):
            for p in ns.get("ports") or []:
                if isinstance(p, dict):
                    p.pop("nodePort", None)
        if same("healthCheckNodePort"):
            ns.pop("healthCheckNodePort", None)
    if os_.get("type") == "LoadBalancer" and ns.get("type") != "LoadBalancer":
        if ns.get("allocateLoadBalancerNodePorts") is not None and same("allocateLoadBalancerNodePorts"):
            ns.pop("allocateLoadBalancerNodePorts", None)
        if same("loadBalancerClass"):
            ns.pop("loadBalancerClass", None)
    if _externally_accessible(os_) and not _externally_accessible(ns) and same("externalTrafficPolicy"):
        ns.pop("externalTrafficPolicy", None)
    if os_.get("type") != "ExternalName" and ns.get("type") == "ExternalName" and same("internalTrafficPolicy"):
        ns.pop("internalTrafficPolicy", None)
    if ns.get("type") != "LoadBalancer" and isinstance(new.get("status"), dict):
        new["status"]["loadBalancer"] = {}


def prepare_service_update(new: dict, old: dict) -> None:
    """The service registry's update steps, in its order: patch allocated values, normalize
    cluster IPs, drop type-dependent fields. Call after apply_defaults, before validate_update."""
    patch_allocated_values(new, old)
    normalize_cluster_ips(new, old)
    drop_type_dependent_fields(new, old)
