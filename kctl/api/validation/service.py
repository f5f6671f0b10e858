"""Service validation (ValidateService / ValidateServiceUpdate in
pkg/apis/core/validation/validation.go) plus the node-port range check of the service REST
allocator. Objects are already defaulted (type, sessionAffinity, protocols, targetPort,
traffic policies, ipFamilies); clusterIPs is derived from clusterIP as the registry does.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from kctl.api import field
from kctl.api.field import FieldError, go_quote
from kctl.api.validation import names
from kctl.api.validation.meta import GoText, validate_labels

SERVICE_TYPES = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]  # sorted, as upstream lists them
PROTOCOLS = ["SCTP", "TCP", "UDP"]
AFFINITIES = ["ClientIP", "None"]
TRAFFIC_POLICIES = ["Cluster", "Local"]
IP_FAMILIES = ["IPv4", "IPv6"]
IP_FAMILY_POLICIES = ["PreferDualStack", "RequireDualStack", "SingleStack"]
TRAFFIC_DISTRIBUTIONS = ["PreferClose", "PreferSameNode", "PreferSameZone"]
NODE_PORT_RANGE = (30000, 32767)
MAX_CLIENT_IP_AFFINITY_SECONDS = 86400
IP_ERR = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"


def _spec(obj: dict) -> dict:
    s = obj.get("spec")
    return s if isinstance(s, dict) else {}


def cluster_ips(spec: dict) -> list[str]:
    """spec.clusterIPs as the registry keeps it: [clusterIP] when only clusterIP is given."""
    ips = spec.get("clusterIPs")
    if isinstance(ips, list) and ips:
        return [str(i) for i in ips]
    if spec.get("clusterIP"):
        return [str(spec["clusterIP"])]
    return []


def is_headless(spec: dict) -> bool:
    ips = cluster_ips(spec)
    return bool(ips) and ips[0] == "None"


def _go_string_slice(values: list[str]) -> GoText:
    return GoText("[]string{" + ", ".join(go_quote(v) for v in values) + "}")


def _go_int_or_string(v: Any) -> str:
    if isinstance(v, str):
        return f"intstr.IntOrString{{Type:1, IntVal:0, StrVal:{go_quote(v)}}}"
    return f"intstr.IntOrString{{Type:0, IntVal:{int(v or 0)}, StrVal:\"\"}}"


def _go_port_key(protocol: str, port: Any) -> GoText:
    # upstream reports the (protocol, port) key struct with every other field zero
    return GoText(
        f'core.ServicePort{{Name:"", Protocol:{go_quote(protocol)}, AppProtocol:(*string)(nil), '
        f'Port:{port}, TargetPort:{_go_int_or_string(0)}, NodePort:0}}'
    )


def _valid_ip(s: str) -> bool:
    try:
        ipaddress.ip_address(s)
    except ValueError:
        return False
    return True


def validate_port_num_or_name(v: Any, path: str) -> list[FieldError]:
    """ValidatePortNumOrName for targetPort."""
    if isinstance(v, str):
        return [field.invalid(path, v, m) for m in names.is_valid_port_name(v)]
    if isinstance(v, int) and not isinstance(v, bool):
        return [field.invalid(path, v, m) for m in names.is_valid_port_num(v)]
    return []


def _validate_service_port(sp: dict, require_name: bool, seen_names: set, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    name = sp.get("name") or ""
    if require_name and not name:
        errs.append(field.required(field.child(path, "name"), ""))
    elif name:
        errs.extend(field.invalid(field.child(path, "name"), name, m) for m in names.dns1123_label(name))
        if name in seen_names:
            errs.append(field.duplicate(field.child(path, "name"), name))
        else:
            seen_names.add(name)
    port = sp.get("port", 0)
    if isinstance(port, int):
        errs.extend(field.invalid(field.child(path, "port"), port, m) for m in names.is_valid_port_num(port))
    proto = sp.get("protocol") or ""
    if not proto:
        errs.append(field.required(field.child(path, "protocol"), ""))
    elif proto not in PROTOCOLS:
        errs.append(field.not_supported(field.child(path, "protocol"), proto, PROTOCOLS))
    errs.extend(validate_port_num_or_name(sp.get("targetPort", 0), field.child(path, "targetPort")))
    app_proto = sp.get("appProtocol")
    if isinstance(app_proto, str):
        errs.extend(field.invalid(field.child(path, "appProtocol"), app_proto, m) for m in names.qualified_name(app_proto))
    return errs


def _validate_cluster_ips_related(spec: dict) -> list[FieldError]:
    """ValidateServiceClusterIPsRelatedFields (single-stack IPv4 cluster)."""
    errs: list[FieldError] = []
    if spec.get("type") == "ExternalName":
        return errs
    ips = cluster_ips(spec)
    cip = spec.get("clusterIP") or ""
    cp = "spec.clusterIPs"
    if cip:
        if ips and ips[0] != cip:
            errs.append(field.invalid(cp, _go_string_slice(ips), "first value must match `clusterIP`"))
    fams = spec.get("ipFamilies") or []
    seen: set = set()
    for i, fam in enumerate(fams):
        if fam not in IP_FAMILIES:
            errs.append(field.not_supported(field.index("spec.ipFamilies", i), fam, IP_FAMILIES))
        if fam in seen:
            errs.append(field.duplicate(field.index("spec.ipFamilies", i), fam))
        seen.add(fam)
    pol = spec.get("ipFamilyPolicy")
    if pol is not None and pol not in IP_FAMILY_POLICIES:
        errs.append(field.not_supported("spec.ipFamilyPolicy", pol, IP_FAMILY_POLICIES))
    for i, ip in enumerate(ips):
        if i == 0 and ip == "None":
            if len(ips) > 1:
                errs.append(field.invalid(cp, _go_string_slice(ips), "'None' must be the first and only value"))
            continue
        if not _valid_ip(ip):
            errs.append(field.invalid(field.index(cp, i), ip, IP_ERR))
    if len(ips) > 2:
        errs.append(field.invalid(cp, _go_string_slice(ips), "may only hold up to 2 values"))
    if pol == "SingleStack" and len(ips) > 1:
        errs.append(field.invalid(cp, _go_string_slice(ips), "must hold a single value when `ipFamilyPolicy` is 'SingleStack'"))
    if pol == "SingleStack" and len(fams) > 1:
        listed = ", ".join(go_quote(str(f)) for f in fams)
        errs.append(field.invalid("spec.ipFamilies", GoText("[]core.IPFamily{" + listed + "}"),
                                  "must hold a single value when `ipFamilyPolicy` is 'SingleStack'"))
    return errs


def _externally_accessible(spec: dict) -> bool:
    t = spec.get("type")
    return t in ("LoadBalancer", "NodePort") or (t == "ClusterIP" and bool(spec.get("externalIPs")))


def validate_service(obj: dict) -> list[FieldError]:
    """ValidateService minus metadata (the dispatcher validates metadata first)."""
    spec = _spec(obj)
    errs: list[FieldError] = []
    stype = spec.get("type") or ""
    ports = [p if isinstance(p, dict) else {} for p in (spec.get("ports") or [])]
    headless = is_headless(spec)
    ips = cluster_ips(spec)

    if not ports and not headless and stype != "ExternalName":
        errs.append(field.required("spec.ports", ""))
    if stype == "LoadBalancer" and headless:
        errs.append(field.invalid("spec.clusterIPs[0]", ips[0], "may not be set to 'None' for LoadBalancer services"))
    elif stype == "NodePort" and headless:
        errs.append(field.invalid("spec.clusterIPs[0]", ips[0], "may not be set to 'None' for NodePort services"))
    elif stype == "ExternalName":
        if ips:
            errs.append(field.forbidden("spec.clusterIPs", "may not be set for ExternalName services"))
        if spec.get("ipFamilies"):
            errs.append(field.forbidden("spec.ipFamilies", "may not be set for ExternalName services"))
        if spec.get("ipFamilyPolicy") is not None:
            errs.append(field.forbidden("spec.ipFamilyPolicy", "may not be set for ExternalName services"))
        cname = str(spec.get("externalName") or "")
        if cname.endswith("."):
            cname = cname[:-1]  # a trailing dot marks a fully qualified name
        if cname:
            errs.extend(field.invalid("spec.externalName", cname, m) for m in names.dns1123_subdomain(cname))
        else:
            errs.append(field.required("spec.externalName", ""))

    seen_names: set = set()
    for i, p in enumerate(ports):
        errs.extend(_validate_service_port(p, len(ports) > 1, seen_names, field.index("spec.ports", i)))

    if spec.get("selector") is not None:
        errs.extend(validate_labels(spec.get("selector"), "spec.selector"))

    aff = spec.get("sessionAffinity") or ""
    if not aff:
        errs.append(field.required("spec.sessionAffinity", ""))
    elif aff not in AFFINITIES:
        errs.append(field.not_supported("spec.sessionAffinity", aff, AFFINITIES))
    sac = spec.get("sessionAffinityConfig")
    if aff == "ClientIP":
        detail = "when session affinity type is ClientIP"
        if not isinstance(sac, dict):
            errs.append(field.required("spec.sessionAffinityConfig", detail))
        elif not isinstance(sac.get("clientIP"), dict):
            errs.append(field.required("spec.sessionAffinityConfig.clientIP", detail))
        else:
            t = sac["clientIP"].get("timeoutSeconds")
            if isinstance(t, int) and not (0 < t <= MAX_CLIENT_IP_AFFINITY_SECONDS):
                errs.append(field.invalid("spec.sessionAffinityConfig.clientIP.timeoutSeconds", t,
                                          f"must be greater than 0 and less than {MAX_CLIENT_IP_AFFINITY_SECONDS}"))
    elif aff == "None" and sac is not None:
        errs.append(field.forbidden("spec.sessionAffinityConfig", "must not be set when session affinity is None"))

    errs.extend(_validate_cluster_ips_related(spec))

    for i, ip in enumerate(spec.get("externalIPs") or []):
        if not _valid_ip(str(ip)):
            errs.append(field.invalid(field.index("spec.externalIPs", i), ip, IP_ERR))

    if not stype:
        errs.append(field.required("spec.type", ""))
    elif stype not in SERVICE_TYPES:
        errs.append(field.not_supported("spec.type", stype, SERVICE_TYPES))

    if stype == "ClusterIP":
        for i, p in enumerate(ports):
            if p.get("nodePort"):
                errs.append(field.forbidden(field.child(field.index("spec.ports", i), "nodePort"),
                                            "may not be used when `type` is 'ClusterIP'"))

    seen_node_ports: set = set()
    for i, p in enumerate(ports):
        np_ = p.get("nodePort")
        if not np_:
            continue
        key = (p.get("protocol"), np_)
        if key in seen_node_ports:
            errs.append(field.duplicate(field.child(field.index("spec.ports", i), "nodePort"), np_))
        seen_node_ports.add(key)

    seen_ports: set = set()
    for i, p in enumerate(ports):
        key = (p.get("protocol") or "", p.get("port", 0))
        if key in seen_ports:
            errs.append(field.duplicate(field.index("spec.ports", i), _go_port_key(*key)))
        seen_ports.add(key)

    ranges = spec.get("loadBalancerSourceRanges")
    if ranges:
        if stype != "LoadBalancer":
            errs.append(field.forbidden("spec.loadBalancerSourceRanges", "may only be used when `type` is 'LoadBalancer'"))
        for i, r in enumerate(ranges):
            try:
                ipaddress.ip_network(str(r).strip(), strict=False)
            except ValueError:
                errs.append(field.invalid(field.index("spec.loadBalancerSourceRanges", i), r,
                                          "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"))

    # validateServiceExternalTrafficPolicy
    etp = spec.get("externalTrafficPolicy") or ""
    if not _externally_accessible(spec):
        if etp:
            errs.append(field.invalid("spec.externalTrafficPolicy", etp, "may only be set for externally-accessible services"))
    else:
        if not etp:
            errs.append(field.required("spec.externalTrafficPolicy", ""))
        elif etp not in TRAFFIC_POLICIES:
            errs.append(field.not_supported("spec.externalTrafficPolicy", etp, TRAFFIC_POLICIES))
    hc = spec.get("healthCheckNodePort") or 0
    if not (stype == "LoadBalancer" and etp == "Local"):
        if hc:
            errs.append(field.invalid("spec.healthCheckNodePort", hc,
                                      "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"))
    elif hc:
        errs.extend(field.invalid("spec.healthCheckNodePort", hc, m) for m in names.is_valid_port_num(hc))

    # validateServiceInternalTrafficFieldsValue
    itp = spec.get("internalTrafficPolicy")
    if itp is None and stype in ("ClusterIP", "NodePort", "LoadBalancer"):
        errs.append(field.required("spec.internalTrafficPolicy", ""))
    if itp is not None and itp not in TRAFFIC_POLICIES:
        errs.append(field.not_supported("spec.internalTrafficPolicy", itp, TRAFFIC_POLICIES))

    td = spec.get("trafficDistribution")
    if td is not None and td not in TRAFFIC_DISTRIBUTIONS:
        errs.append(field.not_supported("spec.trafficDistribution", td, TRAFFIC_DISTRIBUTIONS))

    # The REST allocator (on create and update) rejects node ports outside the range.
    if stype in ("NodePort", "LoadBalancer"):
        lo, hi = NODE_PORT_RANGE
        for i, p in enumerate(ports):
            np_ = p.get("nodePort")
            if isinstance(np_, int) and np_ and not (lo <= np_ <= hi):
                errs.append(field.invalid(field.child(field.index("spec.ports", i), "nodePort"), np_,
                                          f"provided port is not in the valid range. The range of valid ports is {lo}-{hi}"))
    return errs


def validate_service_update(new: dict, old: dict) -> list[FieldError]:
    """ValidateServiceUpdate minus metadata: assigned cluster IPs may not change (except to or
    from ExternalName), then the full ValidateService of the new object."""
    ns, os_ = _spec(new), _spec(old)
    errs: list[FieldError] = []
    if ns.get("type") != "ExternalName" and os_.get("type") != "ExternalName":
        new_ips, old_ips = cluster_ips(ns), cluster_ips(os_)
        for i, ip in enumerate(old_ips):
            if i < len(new_ips) and new_ips[i] != ip:
                errs.append(field.invalid(field.index("spec.clusterIPs", i), _go_string_slice(new_ips), "may not change once set"))
        old_fams, new_fams = os_.get("ipFamilies") or [], ns.get("ipFamilies") or []
        for i, fam in enumerate(old_fams):
            if i < len(new_fams) and new_fams[i] != fam:
                fams = ", ".join(go_quote(str(f)) for f in new_fams)
                errs.append(field.invalid(field.index("spec.ipFamilies", i), GoText("[]core.IPFamily{" + fams + "}"),
                                          "may not change once set"))
    errs.extend(validate_service(new))
    return errs
