"""Describers for the other built-in kinds: Service, Endpoints, EndpointSlice, ConfigMap, Secret,
ServiceAccount, Namespace, Node, PersistentVolume(Claim), ResourceQuota, LimitRange,
StorageClass, PriorityClass, PodDisruptionBudget (kubectl 1.37 layout).
"""

from __future__ import annotations

from kctl.printers.describe_common import (
    MAX_ANNOTATION_LEN,
    _access_modes,
    _add_into,
    _b,
    _controller_of,
    _describe_events,
    _format_labels,
    _format_selector,
    _intstr,
    _join_host_port,
    _meta,
    _pod_resource_totals,
    _print_annotations_multiline,
    _print_labels_multiline,
    _print_pods_multiline,
    _print_pvc,
    _print_taints_multiline,
    _spec,
    _status,
    _vol,
)
from kctl.printers.describe_fmt import (
    LEVEL_0,
    LEVEL_1,
    LEVEL_2,
    LEVEL_3,
    Quantity,
    qty,
    qty_str,
)


NODE_ROLE_PREFIX = "node-role.kubernetes.io/"


NODE_ROLE_LABEL = "kubernetes.io/role"


def _endpoint_slices_for(ctx, svc: dict) -> list[dict]:
    """EndpointSlices labelled kubernetes.io/service-name=<svc>; kctl stores without
    EndpointSlices get them derived from the Service's Endpoints object."""
    meta = _meta(svc)
    ns, name = meta.get("namespace"), meta.get("name")
    slices = [
        s for s in ctx.list("endpointslices.discovery.k8s.io", ns)
        if (_meta(s).get("labels") or {}).get("kubernetes.io/service-name") == name
    ]
    if slices:
        return slices
    for ep in ctx.list("endpoints", ns):
        if _meta(ep).get("name") != name:
            continue
        for subset in ep.get("subsets") or []:
            endpoints = [{"addresses": [a.get("ip")], "conditions": {"ready": True}} for a in subset.get("addresses") or []]
            endpoints += [{"addresses": [a.get("ip")], "conditions": {"ready": False}}
                          for a in subset.get("notReadyAddresses") or []]
            ports = [{"name": p.get("name", ""), "port": p.get("port"), "protocol": p.get("protocol")}
                     for p in subset.get("ports") or []]
            slices.append({"endpoints": endpoints, "ports": ports})
    return slices


def _format_endpoint_slices(slices: list[dict], port_name: str) -> str:
    if not slices:
        return "<none>"
    out: list[str] = []
    limit, more, count = 3, False, 0
    for s in slices:
        eps = s.get("endpoints") or []
        if not s.get("ports"):
            for e in eps:
                if len(out) == limit:
                    more = True
                ready = (e.get("conditions") or {}).get("ready")
                if ready is False:
                    continue
                if not more:
                    out.append((e.get("addresses") or [""])[0])
                count += 1
        else:
            for p in s["ports"]:
                if (p.get("name") or "") != port_name:
                    continue
                for e in eps:
                    if len(out) == limit:
                        more = True
                    ready = (e.get("conditions") or {}).get("ready")
                    if ready is False:
                        continue
                    if not more:
                        out.append(_join_host_port((e.get("addresses") or [""])[0], str(p.get("port"))))
                    count += 1
    s = ",".join(out)
    return f"{s} + {count - limit} more..." if more else s


def _describe_service(ctx, w, svc, events):
    meta, spec, status = _meta(svc), _spec(svc), _status(svc)
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(LEVEL_0, f"Selector:\t{_format_labels(spec.get('selector'))}\n")
    w.write(LEVEL_0, f"Type:\t{spec.get('type', '')}\n")
    if spec.get("ipFamilyPolicy") is not None:
        w.write(LEVEL_0, f"IP Family Policy:\t{spec['ipFamilyPolicy']}\n")
    fams = spec.get("ipFamilies") or []
    w.write(LEVEL_0, f"IP Families:\t{','.join(fams) if fams else '<none>'}\n")
    w.write(LEVEL_0, f"IP:\t{spec.get('clusterIP', '')}\n")
    ips = spec.get("clusterIPs") or []
    w.write(LEVEL_0, f"IPs:\t{','.join(ips) if ips else '<none>'}\n")
    if spec.get("externalIPs"):
        w.write(LEVEL_0, f"External IPs:\t{','.join(spec['externalIPs'])}\n")
    if spec.get("loadBalancerIP"):
        w.write(LEVEL_0, f"Desired LoadBalancer IP:\t{spec['loadBalancerIP']}\n")
    if spec.get("externalName"):
        w.write(LEVEL_0, f"External Name:\t{spec['externalName']}\n")
    ingress = (status.get("loadBalancer") or {}).get("ingress") or []
    if ingress:
        parts = []
        for i in ingress:
            if i.get("ip"):
                parts.append(i["ip"] + (f" ({i['ipMode']})" if i.get("ipMode") else ""))
            else:
                parts.append(i.get("hostname", ""))
        w.write(LEVEL_0, f"LoadBalancer Ingress:\t{', '.join(parts)}\n")
    slices = _endpoint_slices_for(ctx, svc) if spec.get("ports") else []
    for p in spec.get("ports") or []:
        name = p.get("name") or "<unset>"
        proto = p.get("protocol", "")
        w.write(LEVEL_0, f"Port:\t{name}\t{int(p.get('port') or 0)}/{proto}\n")
        w.write(LEVEL_0, f"TargetPort:\t{_intstr(p.get('targetPort'))}/{proto}\n")
        if p.get("appProtocol") is not None:
            w.write(LEVEL_0, f"AppProtocol:\t{p['appProtocol']}\n")
        if p.get("nodePort"):
            w.write(LEVEL_0, f"NodePort:\t{name}\t{int(p['nodePort'])}/{proto}\n")
        w.write(LEVEL_0, f"Endpoints:\t{_format_endpoint_slices(slices, p.get('name') or '')}\n")
    w.write(LEVEL_0, f"Session Affinity:\t{spec.get('sessionAffinity', '')}\n")
    if spec.get("externalTrafficPolicy"):
        w.write(LEVEL_0, f"External Traffic Policy:\t{spec['externalTrafficPolicy']}\n")
    if spec.get("internalTrafficPolicy") is not None:
        w.write(LEVEL_0, f"Internal Traffic Policy:\t{spec['internalTrafficPolicy']}\n")
    if spec.get("healthCheckNodePort"):
        w.write(LEVEL_0, f"HealthCheck NodePort:\t{int(spec['healthCheckNodePort'])}\n")
    if spec.get("loadBalancerSourceRanges"):
        w.write(LEVEL_0, f"LoadBalancer Source Ranges:\t{','.join(spec['loadBalancerSourceRanges'])}\n")
    if spec.get("trafficDistribution") is not None:
        w.write(LEVEL_0, f"Traffic Distribution:\t{spec['trafficDistribution']}\n")
    _describe_events(ctx, w, events)


def _describe_endpoints(ctx, w, ep, events):
    meta = _meta(ep)
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(LEVEL_0, "Subsets:\n")
    for subset in ep.get("subsets") or []:
        addrs = ",".join(a.get("ip", "") for a in subset.get("addresses") or [])
        w.write(LEVEL_1, f"Addresses:\t{addrs or '<none>'}\n")
        nr = ",".join(a.get("ip", "") for a in subset.get("notReadyAddresses") or [])
        w.write(LEVEL_1, f"NotReadyAddresses:\t{nr or '<none>'}\n")
        if subset.get("ports"):
            w.write(LEVEL_1, "Ports:\n")
            w.write(LEVEL_2, "Name\tPort\tProtocol\n")
            w.write(LEVEL_2, "----\t----\t--------\n")
            for p in subset["ports"]:
                w.write(LEVEL_2, f"{p.get('name') or '<unset>'}\t{int(p.get('port') or 0)}\t{p.get('protocol', '')}\n")
        w.write(LEVEL_0, "\n")
    _describe_events(ctx, w, events)


def _describe_endpoint_slice(ctx, w, eps, events):
    meta = _meta(eps)
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(LEVEL_0, f"AddressType:\t{eps.get('addressType', '')}\n")
    ports = eps.get("ports") or []
    if not ports:
        w.write(LEVEL_0, "Ports: <unset>\n")
    else:
        w.write(LEVEL_0, "Ports:\n")
        w.write(LEVEL_1, "Name\tPort\tProtocol\n")
        w.write(LEVEL_1, "----\t----\t--------\n")
        for p in ports:
            port = "<unset>" if p.get("port") is None else str(int(p["port"]))
            w.write(LEVEL_1, f"{p.get('name') or '<unset>'}\t{port}\t{p.get('protocol', '')}\n")
    endpoints = eps.get("endpoints") or []
    if not endpoints:
        w.write(LEVEL_0, "Endpoints: <none>\n")
    else:
        w.write(LEVEL_0, "Endpoints:\n")
        for e in endpoints:
            w.write(LEVEL_1, f"- Addresses:\t{', '.join(e.get('addresses') or []) or '<none>'}\n")
            w.write(LEVEL_2, "Conditions:\n")
            ready = (e.get("conditions") or {}).get("ready")
            w.write(LEVEL_3, f"Ready:\t{'<unset>' if ready is None else _b(ready)}\n")
            w.write(LEVEL_2, f"Hostname:\t{e['hostname'] if e.get('hostname') is not None else '<unset>'}\n")
            ref = e.get("targetRef")
            if ref is not None:
                w.write(LEVEL_2, f"TargetRef:\t{ref.get('kind', '')}/{ref.get('name', '')}\n")
            w.write(LEVEL_2, f"NodeName:\t{e['nodeName'] if e.get('nodeName') is not None else '<unset>'}\n")
            w.write(LEVEL_2, f"Zone:\t{e['zone'] if e.get('zone') is not None else '<unset>'}\n")
    _describe_events(ctx, w, events)


def _describe_configmap(ctx, w, cm, events):
    meta = _meta(cm)
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(LEVEL_0, "\nData\n====\n")
    data = cm.get("data") or {}
    for k in sorted(data):
        w.write(LEVEL_0, f"{k}:\n----\n")
        w.write(LEVEL_0, f"{data[k]}\n")
        w.write(LEVEL_0, "\n")
    w.write(LEVEL_0, "\nBinaryData\n====\n")
    binary = cm.get("binaryData") or {}
    for k in sorted(binary):
        w.write(LEVEL_0, f"{k}: {_b64_len(binary[k])} bytes\n")
    w.write(LEVEL_0, "\n")
    _describe_events(ctx, w, events)


def _b64_len(value) -> int:
    """Decoded length of a base64 value (the API returns []byte fields base64 encoded)."""
    import base64
    import binascii

    try:
        return len(base64.b64decode(str(value or ""), validate=False))
    except (binascii.Error, ValueError):
        return len(str(value or ""))


def _describe_secret(ctx, w, secret, events):
    """Values are never printed, only their sizes. (kubectl prints a service-account-token
    Secret's `token` in clear; kctl does not: describe output lands in CI logs.)"""
    meta = _meta(secret)
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    stype = secret.get("type", "")
    w.write(LEVEL_0, f"\nType:\t{stype}\n")
    w.write(LEVEL_0, "\nData\n====\n")
    data = dict(secret.get("data") or {})
    # stringData is write-only upstream (merged into data); count it if a store kept it
    import base64

    for k, v in (secret.get("stringData") or {}).items():
        data.setdefault(k, base64.b64encode(str(v).encode()).decode())
    for k in sorted(data):
        w.write(LEVEL_0, f"{k}:\t{_b64_len(data[k])} bytes\n")


def _describe_service_account(ctx, w, sa, events):
    meta = _meta(sa)
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    header, empty = "Image pull secrets:", "                   "
    names = [s.get("name", "") for s in sa.get("imagePullSecrets") or []]
    if not names:
        w.write(LEVEL_0, f"{header}\t<none>\n")
    else:
        prefix = header
        for n in names:
            w.write(LEVEL_0, f"{prefix}\t{n}\n")
            prefix = empty
    _describe_events(ctx, w, events)


def _describe_namespace(ctx, w, ns, events):
    meta, status = _meta(ns), _status(ns)
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(LEVEL_0, f"Status:\t{status.get('phase', '')}\n")
    conditions = status.get("conditions") or []
    if conditions:
        w.write(LEVEL_0, "Conditions:\n")
        w.write(LEVEL_1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n")
        w.write(LEVEL_1, "----\t------\t------------------\t------\t-------\n")
        for c in conditions:
            w.write(LEVEL_1, f"{c.get('type', '')}\t{c.get('status', '')}\t{ctx.time(c.get('lastTransitionTime'))}\t"
                             f"{c.get('reason', '')}\t{c.get('message', '')}\n")
    name = meta.get("name")
    quotas = sorted(ctx.list("resourcequotas", name), key=lambda q: _meta(q).get("name", ""))
    w.write(LEVEL_0, "\n")
    if not quotas:
        w.write(LEVEL_0, "No resource quota.\n")
    else:
        w.write(LEVEL_0, "Resource Quotas\n")
        for q in quotas:
            w.write(LEVEL_1, f"Name:\t{_meta(q).get('name', '')}\n")
            scopes = sorted(_spec(q).get("scopes") or [])
            if scopes:
                w.write(LEVEL_1, f"Scopes:\t{', '.join(scopes)}\n")
                for s in scopes:
                    if _QUOTA_SCOPE_HELP.get(s):
                        w.write(LEVEL_1, f"* {_QUOTA_SCOPE_HELP[s]}\n")
            w.write(LEVEL_1, "Resource\tUsed\tHard\n")
            w.write(LEVEL_1, "--------\t---\t---\n")
            hard = _status(q).get("hard") or {}
            used = _status(q).get("used") or {}
            for r in sorted(hard):
                w.write(LEVEL_1, f"{r}\t{qty_str(used.get(r, '0'))}\t{qty_str(hard[r])}\n")
    ranges = ctx.list("limitranges", name)
    w.write(LEVEL_0, "\n")
    if not ranges:
        w.write(LEVEL_0, "No LimitRange resource.\n")
    else:
        w.write(LEVEL_0, "Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\t"
                         "Max Limit/Request Ratio\n")
        w.write(LEVEL_0, " ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n")
        for lr in ranges:
            _limit_range_rows(w, _spec(lr), " ")


_QUOTA_SCOPE_HELP = {
    "Terminating": "Matches all pods that have an active deadline. These pods have a limited lifespan on a node "
                   "before being actively terminated by the system.",
    "NotTerminating": "Matches all pods that do not have an active deadline. These pods usually include long "
                      "running pods whose container command is not expected to terminate.",
    "BestEffort": "Matches all pods that do not have resource requirements set. These pods have a best effort "
                  "quality of service.",
    "NotBestEffort": "Matches all pods that have at least one resource requirement set. These pods have a "
                     "burstable or guaranteed quality of service.",
}


def _node_roles(node: dict) -> list[str]:
    roles = set()
    for k, v in (_meta(node).get("labels") or {}).items():
        if k.startswith(NODE_ROLE_PREFIX):
            role = k[len(NODE_ROLE_PREFIX):]
            if role:
                roles.add(role)
        elif k == NODE_ROLE_LABEL and v:
            roles.add(v)
    return sorted(roles)


_STANDARD_CONTAINER_RESOURCES = {"cpu", "memory", "ephemeral-storage"}


def _pct(part: Quantity, whole: Quantity, milli: bool) -> int:
    """int64(float64(part)/float64(whole)*100), kubectl's percentage (truncated)."""
    a = part.milli_value() if milli else part.int_value()
    b = whole.milli_value() if milli else whole.int_value()
    if b == 0:
        return 0
    return int(float(a) / float(b) * 100)


def _describe_node(ctx, w, node, events):
    meta, spec, status = _meta(node), _spec(node), _status(node)
    name = meta.get("name", "")
    w.write(LEVEL_0, f"Name:\t{name}\n")
    roles = _node_roles(node)
    w.write(LEVEL_0, f"Roles:\t{','.join(roles) if roles else '<none>'}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(LEVEL_0, f"CreationTimestamp:\t{ctx.time(meta.get('creationTimestamp'))}\n")
    _print_taints_multiline(w, "Taints", spec.get("taints"))
    w.write(LEVEL_0, f"Unschedulable:\t{_b(spec.get('unschedulable'))}\n")
    lease = next((l for l in ctx.list("leases.coordination.k8s.io", "kube-node-lease") if _meta(l).get("name") == name), None)
    if lease is None:
        w.write(LEVEL_0, f'Lease:\tFailed to get lease: leases.coordination.k8s.io "{name}" not found\n')
    else:
        ls = _spec(lease)
        w.write(LEVEL_0, "Lease:\n")
        w.write(LEVEL_1, f"HolderIdentity:\t{ls.get('holderIdentity') or '<unset>'}\n")
        w.write(LEVEL_1, f"AcquireTime:\t{ctx.time(ls['acquireTime']) if ls.get('acquireTime') else '<unset>'}\n")
        w.write(LEVEL_1, f"RenewTime:\t{ctx.time(ls['renewTime']) if ls.get('renewTime') else '<unset>'}\n")
    conditions = status.get("conditions") or []
    if conditions:
        w.write(LEVEL_0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n")
        w.write(LEVEL_1, "----\t------\t-----------------\t------------------\t------\t-------\n")
        for c in conditions:
            w.write(LEVEL_1, f"{c.get('type', '')} \t{c.get('status', '')} \t{ctx.time(c.get('lastHeartbeatTime'))} \t"
                             f"{ctx.time(c.get('lastTransitionTime'))} \t{c.get('reason', '')} \t{c.get('message', '')}\n")
    w.write(LEVEL_0, "Addresses:\n")
    for a in status.get("addresses") or []:
        w.write(LEVEL_1, f"{a.get('type', '')}:\t{a.get('address', '')}\n")
    for title, key in (("Capacity", "capacity"), ("Allocatable", "allocatable")):
        rl = status.get(key) or {}
        if rl:
            w.write(LEVEL_0, f"{title}:\n")
            for r in sorted(rl):
                w.write(LEVEL_0, f"  {r}:\t{qty_str(rl[r])}\n")
    info = status.get("nodeInfo") or {}
    w.write(LEVEL_0, "System Info:\n")
    for label, key in (
        ("Machine ID", "machineID"), ("System UUID", "systemUUID"), ("Boot ID", "bootID"),
        ("Kernel Version", "kernelVersion"), ("OS Image", "osImage"), ("Operating System", "operatingSystem"),
        ("Architecture", "architecture"), ("Container Runtime Version", "containerRuntimeVersion"),
        ("Kubelet Version", "kubeletVersion"),
    ):
        w.write(LEVEL_0, f"  {label}:\t{info.get(key, '')}\n")
    if spec.get("podCIDR"):
        w.write(LEVEL_0, f"PodCIDR:\t{spec['podCIDR']}\n")
    if spec.get("podCIDRs"):
        w.write(LEVEL_0, f"PodCIDRs:\t{','.join(spec['podCIDRs'])}\n")
    if spec.get("providerID"):
        w.write(LEVEL_0, f"ProviderID:\t{spec['providerID']}\n")
    pods = [
        p for p in ctx.list("pods", None, node_name=name)
        if _spec(p).get("nodeName") == name and _status(p).get("phase") not in ("Succeeded", "Failed")
    ]
    _describe_node_resource(ctx, w, node, pods)
    _describe_events(ctx, w, events)


def _describe_node_resource(ctx, w, node, pods):
    status = _status(node)
    alloc_raw = status.get("allocatable") or status.get("capacity") or {}
    alloc = {k: qty(v) for k, v in alloc_raw.items()}
    zero = Quantity(0)
    a_cpu, a_mem = alloc.get("cpu", zero), alloc.get("memory", zero)
    w.write(LEVEL_0, f"Non-terminated Pods:\t({len(pods)} in total)\n")
    w.write(LEVEL_1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n")
    w.write(LEVEL_1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n")
    for p in pods:
        req = _pod_resource_totals(p, "requests", True)
        lim = _pod_resource_totals(p, "limits", True)
        cr, cl = req.get("cpu", zero), lim.get("cpu", zero)
        mr, ml = req.get("memory", zero), lim.get("memory", zero)
        w.write(
            LEVEL_1,
            f"{_meta(p).get('namespace', '')}\t{_meta(p).get('name', '')}\t\t"
            f"{cr} ({_pct_go(cr, a_cpu, True)}%)\t{cl} ({_pct_go(cl, a_cpu, True)}%)\t"
            f"{mr} ({_pct_go(mr, a_mem, False)}%)\t{ml} ({_pct_go(ml, a_mem, False)}%)\t"
            f"{ctx.since(_meta(p).get('creationTimestamp'))}\n",
        )
    w.write(LEVEL_0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n")
    w.write(LEVEL_1, "Resource\tRequests\tLimits\n")
    w.write(LEVEL_1, "--------\t--------\t------\n")
    reqs: dict[str, Quantity] = {}
    lims: dict[str, Quantity] = {}
    for p in pods:
        _add_into(reqs, _pod_resource_totals(p, "requests", False))
        _add_into(lims, _pod_resource_totals(p, "limits", False))
    for r, milli in (("cpu", True), ("memory", False), ("ephemeral-storage", False)):
        rq, lq, aq = reqs.get(r, zero), lims.get(r, zero), alloc.get(r, zero)
        w.write(LEVEL_1, f"{r}\t{rq} ({_pct(rq, aq, milli)}%)\t{lq} ({_pct(lq, aq, milli)}%)\n")
    huge = sorted(r for r in alloc if r.startswith("hugepages-"))
    ext = sorted(
        r for r in alloc
        if not r.startswith("hugepages-") and r != "pods" and not _is_standard_container_resource(r)
    )
    for r in huge:
        rq, lq, aq = reqs.get(r, zero), lims.get(r, zero), alloc.get(r, zero)
        w.write(LEVEL_1, f"{r}\t{rq} ({_pct(rq, aq, False)}%)\t{lq} ({_pct(lq, aq, False)}%)\n")
    for r in ext:
        w.write(LEVEL_1, f"{r}\t{reqs.get(r, zero)}\t{lims.get(r, zero)}\n")


def _pct_go(part: Quantity, whole: Quantity, milli: bool) -> int:
    """Per-pod percentages: Go divides without a zero check (x/0 -> +Inf or NaN, which int64()
    turns into the minimum int64 on amd64)."""
    a = part.milli_value() if milli else part.int_value()
    b = whole.milli_value() if milli else whole.int_value()
    if b == 0:
        return -9223372036854775808
    return int(float(a) / float(b) * 100)


def _is_standard_container_resource(name: str) -> bool:
    return name in _STANDARD_CONTAINER_RESOURCES or name.startswith("hugepages-")


def _pods_for_pvc(ctx, pvc: dict) -> list[dict]:
    meta = _meta(pvc)
    name = meta.get("name")
    owner = _controller_of(pvc)
    out = []
    for p in ctx.list("pods", meta.get("namespace")):
        for v in _spec(p).get("volumes") or []:
            claim = (v.get("persistentVolumeClaim") or {}).get("claimName")
            if claim == name:
                out.append(p)
                break
            if v.get("ephemeral") is not None and f"{_meta(p).get('name')}-{v.get('name')}" == name:
                if owner is None or owner.get("uid") == _meta(p).get("uid"):
                    out.append(p)
                    break
    return out


def _describe_pvc(ctx, w, pvc, events):
    _print_pvc(ctx, w, pvc, True)
    _print_pods_multiline(w, "Used By", _pods_for_pvc(ctx, pvc))
    conditions = _status(pvc).get("conditions") or []
    if conditions:
        w.write(LEVEL_0, "Conditions:\n")
        w.write(LEVEL_1, "Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage\n")
        w.write(LEVEL_1, "----\t------\t-----------------\t------------------\t------\t-------\n")
        for c in conditions:
            w.write(LEVEL_1, f"{c.get('type', '')} \t{c.get('status', '')} \t{ctx.time(c.get('lastProbeTime'))} \t"
                             f"{ctx.time(c.get('lastTransitionTime'))} \t{c.get('reason', '')} \t{c.get('message', '')}\n")
    _describe_events(ctx, w, events)


def _describe_resource_quota(ctx, w, q, events):
    meta, status = _meta(q), _status(q)
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    scopes = sorted(_spec(q).get("scopes") or [])
    if scopes:
        w.write(LEVEL_0, f"Scopes:\t{', '.join(scopes)}\n")
        for sc in scopes:
            if _QUOTA_SCOPE_HELP.get(sc):
                w.write(LEVEL_0, f" * {_QUOTA_SCOPE_HELP[sc]}\n")
    w.write(LEVEL_0, "Resource\tUsed\tHard\n")
    w.write(LEVEL_0, "--------\t----\t----\n")
    hard = status.get("hard") or {}
    used = status.get("used") or {}
    for r in sorted(hard):
        hq = qty(hard[r])
        uq = qty(used.get(r, "0"))
        if uq.format != hq.format:
            uq = Quantity(uq.int_value(), hq.format)
        w.write(LEVEL_0, f"{r}\t{uq}\t{hq}\n")


def _limit_range_rows(w, spec: dict, prefix: str):
    for item in spec.get("limits") or []:
        cols = [item.get(k) or {} for k in ("min", "max", "defaultRequest", "default", "maxLimitRequestRatio")]
        # kubectl iterates a Go map here (random order); kctl sorts by resource name
        for r in sorted(set().union(*cols)):
            vals = [qty_str(c[r]) if r in c else "-" for c in cols]
            w.write(LEVEL_0, f"{prefix}{item.get('type', '')}\t{r}\t" + "\t".join(vals) + "\n")


def _describe_limit_range(ctx, w, lr, events):
    meta = _meta(lr)
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(LEVEL_0, "Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n")
    w.write(LEVEL_0, "----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n")
    _limit_range_rows(w, _spec(lr), "")


def _describe_pv(ctx, w, pv, events):
    meta, spec, status = _meta(pv), _spec(pv), _status(pv)
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(LEVEL_0, f"Finalizers:\t[{' '.join(meta.get('finalizers') or [])}]\n")
    ann = meta.get("annotations") or {}
    sc = ann.get("volume.beta.kubernetes.io/storage-class", spec.get("storageClassName") or "")
    w.write(LEVEL_0, f"StorageClass:\t{sc}\n")
    if meta.get("deletionTimestamp"):
        w.write(LEVEL_0, f"Status:\tTerminating (lasts {ctx.since(meta['deletionTimestamp'])})\n")
    else:
        w.write(LEVEL_0, f"Status:\t{status.get('phase', '')}\n")
    ref = spec.get("claimRef")
    w.write(LEVEL_0, f"Claim:\t{ref.get('namespace', '') + '/' + ref.get('name', '') if ref else ''}\n")
    w.write(LEVEL_0, f"Reclaim Policy:\t{spec.get('persistentVolumeReclaimPolicy', '')}\n")
    w.write(LEVEL_0, f"Access Modes:\t{_access_modes(spec.get('accessModes'))}\n")
    if spec.get("volumeMode") is not None:
        w.write(LEVEL_0, f"VolumeMode:\t{spec['volumeMode']}\n")
    w.write(LEVEL_0, f"Capacity:\t{qty_str((spec.get('capacity') or {}).get('storage', '0'))}\n")
    w.write(LEVEL_0, "Node Affinity:\t")
    required = (spec.get("nodeAffinity") or {}).get("required")
    if required is None:
        w.write_line("<none>")
    else:
        w.write_line("")
        w.write(LEVEL_1, "Required Terms:\t")
        terms = required.get("nodeSelectorTerms") or []
        if not terms:
            w.write_line("<none>")
        else:
            w.write_line("")
            for i, term in enumerate(terms):
                w.write(LEVEL_2, f"Term {i}:\t")
                exprs = term.get("matchExpressions") or []
                if not exprs:
                    w.write_line("<none>")
                for j, req in enumerate(exprs):
                    if j:
                        w.write(LEVEL_2, "\t")
                    e = f"{req.get('key', '')} {str(req.get('operator', '')).lower()}"
                    if req.get("values"):
                        e += f" [{', '.join(req['values'])}]"
                    w.write(LEVEL_0, e + "\n")
    w.write(LEVEL_0, f"Message:\t{status.get('message', '')}\n")
    w.write(LEVEL_0, "Source:\n")
    if spec.get("hostPath") is not None:
        h = spec["hostPath"]
        _vol(w, "HostPath (bare host directory volume)", ("Path", h.get("path", "")),
             ("HostPathType", h.get("type") if h.get("type") is not None else "<none>"))
    elif spec.get("local") is not None:
        _vol(w, "LocalVolume (a persistent volume backed by local storage on a node)",
             ("Path", spec["local"].get("path", "")))
    elif spec.get("nfs") is not None:
        n = spec["nfs"]
        _vol(w, "NFS (an NFS mount that lasts the lifetime of a pod)", ("Server", n.get("server", "")),
             ("Path", n.get("path", "")), ("ReadOnly", _b(n.get("readOnly"))))
    elif spec.get("csi") is not None:
        c = spec["csi"]
        _vol(w, "CSI (a Container Storage Interface (CSI) volume source)", ("Driver", c.get("driver", "")),
             ("FSType", c.get("fsType", "")), ("VolumeHandle", c.get("volumeHandle", "")),
             ("ReadOnly", _b(c.get("readOnly"))))
        attrs = c.get("volumeAttributes") or {}
        w.write(LEVEL_2, "VolumeAttributes:\t")
        if not attrs:
            w.write_line("<none>")
        for i, key in enumerate(sorted(attrs)):
            if i:
                w.write(LEVEL_2, "")
                w.write(LEVEL_2, "\t")
            line = f"{key}={attrs[key]}"
            w.write(LEVEL_2, ((line[:MAX_ANNOTATION_LEN] + "...") if len(line) > MAX_ANNOTATION_LEN else line) + "\n")
    else:
        w.write(LEVEL_1, "<unknown>\n")
    _describe_events(ctx, w, events)


def _describe_storage_class(ctx, w, sc, events):
    meta = _meta(sc)
    ann = meta.get("annotations") or {}
    is_default = "Yes" if (ann.get("storageclass.kubernetes.io/is-default-class") == "true"
                           or ann.get("storageclass.beta.kubernetes.io/is-default-class") == "true") else "No"
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    w.write(LEVEL_0, f"IsDefaultClass:\t{is_default}\n")
    w.write(LEVEL_0, f"Annotations:\t{_format_labels(ann)}\n")
    w.write(LEVEL_0, f"Provisioner:\t{sc.get('provisioner', '')}\n")
    w.write(LEVEL_0, f"Parameters:\t{_format_labels(sc.get('parameters'))}\n")
    ave = sc.get("allowVolumeExpansion")
    w.write(LEVEL_0, f"AllowVolumeExpansion:\t{'<unset>' if ave is None else ('True' if ave else 'False')}\n")
    opts = sc.get("mountOptions") or []
    if not opts:
        w.write(LEVEL_0, "MountOptions:\t<none>\n")
    else:
        w.write(LEVEL_0, "MountOptions:\n")
        for o in opts:
            w.write(LEVEL_1, f"{o}\n")
    if sc.get("reclaimPolicy") is not None:
        w.write(LEVEL_0, f"ReclaimPolicy:\t{sc['reclaimPolicy']}\n")
    if sc.get("volumeBindingMode") is not None:
        w.write(LEVEL_0, f"VolumeBindingMode:\t{sc['volumeBindingMode']}\n")
    if sc.get("allowedTopologies") is not None:
        topologies = sc["allowedTopologies"]
        w.write(LEVEL_0, "AllowedTopologies:\t")
        if not topologies:
            w.write_line("<none>")
        else:
            w.write_line("")
            for i, term in enumerate(topologies):
                w.write(LEVEL_1, f"Term {i}:\t")
                reqs = term.get("matchLabelExpressions") or []
                if not reqs:
                    w.write_line("<none>")
                for j, req in enumerate(reqs):
                    if j:
                        w.write(LEVEL_1, "\t")
                    e = f"{req.get('key', '')} in"
                    if req.get("values"):
                        e += f" [{', '.join(req['values'])}]"
                    w.write(LEVEL_0, e + "\n")
    _describe_events(ctx, w, events)


def _describe_priority_class(ctx, w, pc, events):
    meta = _meta(pc)
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    w.write(LEVEL_0, f"Value:\t{int(pc.get('value') or 0)}\n")
    w.write(LEVEL_0, f"GlobalDefault:\t{_b(pc.get('globalDefault'))}\n")
    w.write(LEVEL_0, f"PreemptionPolicy:\t{pc.get('preemptionPolicy', '')}\n")
    w.write(LEVEL_0, f"Description:\t{pc.get('description', '')}\n")
    w.write(LEVEL_0, f"Annotations:\t{_format_labels(meta.get('annotations'))}\n")
    _describe_events(ctx, w, events)


def _describe_pdb(ctx, w, pdb, events):
    meta, spec, status = _meta(pdb), _spec(pdb), _status(pdb)
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    if spec.get("minAvailable") is not None:
        w.write(LEVEL_0, f"Min available:\t{spec['minAvailable']}\n")
    elif spec.get("maxUnavailable") is not None:
        w.write(LEVEL_0, f"Max unavailable:\t{spec['maxUnavailable']}\n")
    if spec.get("selector") is not None:
        w.write(LEVEL_0, f"Selector:\t{_format_selector(spec['selector'])}\n")
    else:
        w.write(LEVEL_0, "Selector:\t<unset>\n")
    w.write(LEVEL_0, "Status:\n")
    w.write(LEVEL_2, f"Allowed disruptions:\t{int(status.get('disruptionsAllowed') or 0)}\n")
    w.write(LEVEL_2, f"Current:\t{int(status.get('currentHealthy') or 0)}\n")
    w.write(LEVEL_2, f"Desired:\t{int(status.get('desiredHealthy') or 0)}\n")
    w.write(LEVEL_2, f"Total:\t{int(status.get('expectedPods') or 0)}\n")
    _describe_events(ctx, w, events)


def _ingress_address(status: dict) -> str:
    seen = set()
    for i in (status.get("loadBalancer") or {}).get("ingress") or []:
        if i.get("ip"):
            seen.add(i["ip"])
        elif i.get("hostname"):
            seen.add(i["hostname"])
    return ",".join(sorted(seen))


def _ingress_backend(ctx, ns: str, backend: dict) -> str:
    svc_ref = backend.get("service")
    if svc_ref is not None:
        port = svc_ref.get("port") or {}
        sb = f"{svc_ref.get('name', '')}:{port['number'] if port.get('number') else port.get('name', '')}"
        svc = next((s for s in ctx.list("services", ns) if _meta(s).get("name") == svc_ref.get("name")), None)
        if svc is None:
            return f'{sb} (<error: services "{svc_ref.get("name", "")}" not found>)'
        sp_name = ""
        for sp in _spec(svc).get("ports") or []:
            if port.get("number") and port["number"] == sp.get("port"):
                sp_name = sp.get("name", "")
            elif port.get("name") and port["name"] == sp.get("name"):
                sp_name = sp.get("name", "")
        return f"{sb} ({_format_endpoint_slices(_endpoint_slices_for(ctx, svc), sp_name)})"
    res = backend.get("resource")
    if res is not None:
        group = res["apiGroup"] if res.get("apiGroup") is not None else "<none>"
        return f"APIGroup: {group}, Kind: {res.get('kind', '')}, Name: {res.get('name', '')}"
    return ""


def _describe_ingress(ctx, w, ing, events):
    meta, spec = _meta(ing), _spec(ing)
    ns = meta.get("namespace", "")
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    w.write(LEVEL_0, f"Namespace:\t{ns}\n")
    w.write(LEVEL_0, f"Address:\t{_ingress_address(_status(ing))}\n")
    cls = spec.get("ingressClassName")
    w.write(LEVEL_0, f"Ingress Class:\t{cls if cls is not None else '<none>'}\n")
    default = spec.get("defaultBackend")
    default_s = _ingress_backend(ctx, ns, default) if default is not None else "<default>"
    w.write(LEVEL_0, f"Default backend:\t{default_s}\n")
    if spec.get("tls"):
        w.write(LEVEL_0, "TLS:\n")
        for t in spec["tls"]:
            hosts = ",".join(t.get("hosts") or [])
            if not t.get("secretName"):
                w.write(LEVEL_1, f"SNI routes {hosts}\n")
            else:
                w.write(LEVEL_1, f"{t['secretName']} terminates {hosts}\n")
    w.write(LEVEL_0, "Rules:\n  Host\tPath\tBackends\n")
    w.write(LEVEL_1, "----\t----\t--------\n")
    count = 0
    for rule in spec.get("rules") or []:
        http = rule.get("http")
        if http is None:
            continue
        count += 1
        w.write(LEVEL_1, f"{rule.get('host') or '*'}\t\n")
        for path in http.get("paths") or []:
            w.write(LEVEL_2, f"\t{path.get('path', '')} \t{_ingress_backend(ctx, ns, path.get('backend') or {})}\n")
    if count == 0:
        w.write(LEVEL_1, f"*\t*\t{default_s}\n")
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    _describe_events(ctx, w, events)


def _describe_ingress_class(ctx, w, ic, events):
    meta, spec = _meta(ic), _spec(ic)
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(LEVEL_0, f"Controller:\t{spec.get('controller', '')}\n")
    params = spec.get("parameters")
    if params is not None:
        w.write(LEVEL_0, "Parameters:\n")
        if params.get("apiGroup") is not None:
            w.write(LEVEL_1, f"APIGroup:\t{params['apiGroup']}\n")
        w.write(LEVEL_1, f"Kind:\t{params.get('kind', '')}\n")
        w.write(LEVEL_1, f"Name:\t{params.get('name', '')}\n")
    _describe_events(ctx, w, events)


def _go_time_string(value, tz) -> str:
    """Go's time.Time.String() (`2006-01-02 15:04:05 -0700 MST`), what `%s` of a metav1.Time prints."""
    from kctl.printers.describe_fmt import parse_time

    dt = parse_time(value)
    if dt is None:
        return "0001-01-01 00:00:00 +0000 UTC"
    if tz is not None:
        dt = dt.astimezone(tz)
    off = int(dt.utcoffset().total_seconds()) if dt.utcoffset() is not None else 0
    sign, off = ("-" if off < 0 else "+"), abs(off)
    return (f"{dt:%Y-%m-%d %H:%M:%S} {sign}{off // 3600:02d}{off % 3600 // 60:02d} "
            f"{dt.tzname() or 'UTC'}")


def _np_peer_lines(w, peers: list, label: str, indent: str):
    for peer in peers:
        w.write(LEVEL_0, f"{indent}{label}:\n")
        pod_sel, ns_sel, ip_block = peer.get("podSelector"), peer.get("namespaceSelector"), peer.get("ipBlock")
        if pod_sel is not None and ns_sel is not None:
            w.write(LEVEL_1, f"{indent}NamespaceSelector: {_format_selector(ns_sel)}\n")
            w.write(LEVEL_1, f"{indent}PodSelector: {_format_selector(pod_sel)}\n")
        elif pod_sel is not None:
            w.write(LEVEL_1, f"{indent}PodSelector: {_format_selector(pod_sel)}\n")
        elif ns_sel is not None:
            w.write(LEVEL_1, f"{indent}NamespaceSelector: {_format_selector(ns_sel)}\n")
        elif ip_block is not None:
            w.write(LEVEL_1, f"{indent}IPBlock:\n")
            w.write(LEVEL_2, f"{indent}CIDR: {ip_block.get('cidr', '')}\n")
            w.write(LEVEL_2, f"{indent}Except: {', '.join(ip_block.get('except') or [])}\n")


def _np_rules(w, rules: list | None, peer_key: str, direction: str, indent: str = "    "):
    """printNetworkPolicySpecIngressFrom / EgressTo."""
    if not rules:
        w.write(LEVEL_0, f"{indent}<none> (Selected pods are isolated for {direction} connectivity)\n")
        return
    for i, rule in enumerate(rules):
        ports = rule.get("ports") or []
        if not ports:
            w.write(LEVEL_0, f"{indent}To Port: <any> (traffic allowed to all ports)\n")
        for port in ports:
            proto = port.get("protocol") or "TCP"
            p = port.get("port")
            p = "" if p is None else str(p)  # Go prints a nil *IntOrString as ""
            if port.get("endPort") is None:
                w.write(LEVEL_0, f"{indent}To Port: {p}/{proto}\n")
            else:
                w.write(LEVEL_0, f"{indent}To Port Range: {p}-{port['endPort']}/{proto}\n")
        peers = rule.get(peer_key) or []
        if not peers:
            what = "source" if peer_key == "from" else "destination"
            w.write(LEVEL_0, f"{indent}{'From' if peer_key == 'from' else 'To'}: <any> (traffic not restricted by {what})\n")
        else:
            _np_peer_lines(w, peers, "From" if peer_key == "from" else "To", indent)
        if i != len(rules) - 1:
            w.write(LEVEL_0, f"{indent}----------\n")


def _describe_network_policy(ctx, w, np, events):
    """kubectl's describeNetworkPolicy (it prints no Events section)."""
    meta = _meta(np)
    spec = np.get("spec") or {}
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(LEVEL_0, f"Created on:\t{_go_time_string(meta.get('creationTimestamp'), ctx.tz)}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(LEVEL_0, "Spec:\n")
    w.write(LEVEL_1, "PodSelector: ")
    sel = spec.get("podSelector") or {}
    if not sel.get("matchLabels") and not sel.get("matchExpressions"):
        w.write(LEVEL_2, "<none> (Allowing the specific traffic to all pods in this namespace)\n")
    else:
        w.write(LEVEL_2, f"{_format_selector(sel)}\n")
    types = spec.get("policyTypes") or []
    if "Ingress" in types:
        w.write(LEVEL_1, "Allowing ingress traffic:\n")
        _np_rules(w, spec.get("ingress"), "from", "ingress")
    else:
        w.write(LEVEL_1, "Not affecting ingress traffic\n")
    if "Egress" in types:
        w.write(LEVEL_1, "Allowing egress traffic:\n")
        _np_rules(w, spec.get("egress"), "to", "egress")
    else:
        w.write(LEVEL_1, "Not affecting egress traffic\n")
    w.write(LEVEL_1, f"Policy Types: {', '.join(types) or '<none>'}\n")
