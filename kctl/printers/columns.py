"""Per-kind table columns, as the API server's printers give them to `kubectl get`.

Source of truth: kubernetes pkg/printers/internalversion/printers.go (1.37) and
apimachinery's duration.HumanDuration. `columns_for(kind, wide)` returns the headers and a
row function `row(obj, now) -> list[str]`; objects are plain dicts as stored.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Callable

RowFn = Callable[[dict, datetime], "list[str]"]

NONE = "<none>"
UNSET = "<unset>"
UNKNOWN = "<unknown>"


# ---------------------------------------------------------------- durations and times
def human_duration(seconds: float) -> str:
    """apimachinery's HumanDuration: the AGE text for a duration in seconds.

    Exact below 2m ("45s", "119s"), then "5m10s" below 10m, "95m" below 3h, "3h4m" below 8h,
    "20h" below 48h, "2d3h" below 8d, "45d" below 2y, "2y3d" below 8y, else "9y".
    Up to 1s in the future counts as "0s"; further is "<invalid>".
    """
    s = int(seconds)  # Go truncates toward zero
    if s < -1:
        return "<invalid>"
    if s < 0:
        return "0s"
    if s < 120:
        return f"{s}s"
    minutes = s // 60
    if minutes < 10:
        rem = s % 60
        return f"{minutes}m" if rem == 0 else f"{minutes}m{rem}s"
    if minutes < 180:
        return f"{minutes}m"
    hours = s // 3600
    if hours < 8:
        rem = minutes % 60
        return f"{hours}h" if rem == 0 else f"{hours}h{rem}m"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        rem = hours % 24
        return f"{hours // 24}d" if rem == 0 else f"{hours // 24}d{rem}h"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        days = (hours // 24) % 365
        years = hours // 24 // 365
        return f"{years}y" if days == 0 else f"{years}y{days}d"
    return f"{hours // 24 // 365}y"


def parse_time(value: Any) -> datetime | None:
    """RFC3339 (also with fractional seconds, as MicroTime) -> aware datetime; None if absent."""
    if not value or not isinstance(value, str):
        return None
    v = value.strip()
    if v.endswith("Z") or v.endswith("z"):
        v = v[:-1] + "+00:00"
    try:
        t = datetime.fromisoformat(v)
    except ValueError:
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=timezone.utc)
    return t


def since(value: Any, now: datetime) -> str:
    """translateTimestampSince: "<unknown>" for a missing time, else the human age."""
    t = parse_time(value)
    if t is None:
        return UNKNOWN
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    return human_duration((now - t).total_seconds())


def age(obj: dict, now: datetime) -> str:
    return since(_g(obj, "metadata", "creationTimestamp"), now)


# ---------------------------------------------------------------- small helpers
def _g(obj: Any, *path, default=None):
    """Walk dicts; a missing step gives `default`."""
    cur = obj
    for p in path:
        if not isinstance(cur, dict):
            return default
        cur = cur.get(p)
        if cur is None:
            return default
    return cur


def _name(obj: dict) -> str:
    return _g(obj, "metadata", "name", default="")


def _int(v: Any) -> int:
    try:
        return int(v or 0)
    except (TypeError, ValueError):
        return 0


def _bool(v: Any) -> str:
    """Go's %v of a bool."""
    return "true" if v else "false"


def _bool_ptr(v: Any) -> str:
    """printBoolPtr: "True"/"False", "<unset>" when nil."""
    if v is None:
        return UNSET
    return "True" if v else "False"


def format_labels(labels: dict | None) -> str:
    """labels.FormatLabels: the "k=v" strings sorted (so "a.b=x" before "a=y"), joined by
    ","; "<none>" when empty."""
    if not labels:
        return NONE
    return ",".join(sorted(f"{k}={v}" for k, v in labels.items()))


def selector_string(sel: dict | None) -> str:
    """labels.Selector.String() of a metav1.LabelSelector: requirements sorted by key.

    matchLabels k: v -> "k=v"; In -> "k in (a,b)"; NotIn -> "k notin (a,b)"; Exists -> "k";
    DoesNotExist -> "!k". Empty or nil selector -> "".
    """
    if not sel:
        return ""
    reqs: list[tuple[str, str]] = []
    for k, v in (sel.get("matchLabels") or {}).items():
        reqs.append((k, f"{k}={v}"))
    for e in sel.get("matchExpressions") or []:
        k = e.get("key", "")
        op = e.get("operator", "")
        vals = sorted(e.get("values") or [])
        if op == "In":
            reqs.append((k, f"{k} in ({','.join(vals)})"))
        elif op == "NotIn":
            reqs.append((k, f"{k} notin ({','.join(vals)})"))
        elif op == "Exists":
            reqs.append((k, k))
        elif op == "DoesNotExist":
            reqs.append((k, f"!{k}"))
    reqs.sort(key=lambda r: r[0])
    return ",".join(r[1] for r in reqs)


def format_label_selector(sel: dict | None) -> str:
    """metav1.FormatLabelSelector: like selector_string but "<none>" when empty."""
    s = selector_string(sel)
    return s or NONE


def _containers_images(pod_spec: dict | None) -> tuple[str, str]:
    cs = (pod_spec or {}).get("containers") or []
    return ",".join(c.get("name", "") for c in cs), ",".join(c.get("image", "") for c in cs)


def _template_spec(obj: dict) -> dict:
    return _g(obj, "spec", "template", "spec", default={}) or {}


_ACCESS_MODES = {
    "ReadWriteOnce": "RWO",
    "ReadOnlyMany": "ROX",
    "ReadWriteMany": "RWX",
    "ReadWriteOncePod": "RWOP",
}


def _access_modes(modes: list | None) -> str:
    # GetAccessModesAsString: de-duplicated, in the fixed order RWO, ROX, RWX, RWOP.
    modes = modes or []
    return ",".join(short for long_, short in _ACCESS_MODES.items() if long_ in modes)


def _lb_ingress(status_lb: dict | None, wide: bool) -> str:
    """loadBalancerStatusStringer: ingress IPs/hostnames joined; cut to 16 chars unless wide."""
    out = []
    for ing in (status_lb or {}).get("ingress") or []:
        if ing.get("ip"):
            out.append(ing["ip"])
        elif ing.get("hostname"):
            out.append(ing["hostname"])
    r = ",".join(out)
    if not wide and len(r) > 16:
        r = r[:13] + "..."
    return r


# ---------------------------------------------------------------- pods
def _is_restartable_init(c: dict | None) -> bool:
    return bool(c) and c.get("restartPolicy") == "Always"


def _later(a: str | None, b: str | None) -> str | None:
    ta, tb = parse_time(a), parse_time(b)
    if tb is None:
        return a
    if ta is None or ta < tb:
        return b
    return a


def pod_ready_status_restarts(pod: dict, now: datetime) -> tuple[str, str, str]:
    """READY, STATUS, RESTARTS cells of kubectl's printPod."""
    spec = pod.get("spec") or {}
    status = pod.get("status") or {}
    restarts = 0
    sidecar_restarts = 0
    total = len(spec.get("containers") or [])
    ready = 0
    last_restart: str | None = None
    last_sidecar_restart: str | None = None
    phase = status.get("phase") or ""
    reason = status.get("reason") or phase
    for cond in status.get("conditions") or []:
        if cond.get("type") == "PodScheduled" and cond.get("reason") == "SchedulingGated":
            reason = "SchedulingGated"
    init_specs = {c.get("name"): c for c in spec.get("initContainers") or []}
    total += sum(1 for c in init_specs.values() if _is_restartable_init(c))
    n_init = len(spec.get("initContainers") or [])

    initializing = False
    for i, cs in enumerate(status.get("initContainerStatuses") or []):
        restarts += _int(cs.get("restartCount"))
        last_term = _g(cs, "lastState", "terminated")
        if last_term:
            last_restart = _later(last_restart, last_term.get("finishedAt"))
        restartable = _is_restartable_init(init_specs.get(cs.get("name")))
        if restartable:
            sidecar_restarts += _int(cs.get("restartCount"))
            if last_term:
                last_sidecar_restart = _later(last_sidecar_restart, last_term.get("finishedAt"))
        term = _g(cs, "state", "terminated")
        waiting = _g(cs, "state", "waiting")
        if term is not None and _int(term.get("exitCode")) == 0:
            continue
        if restartable and cs.get("started"):
            if cs.get("ready"):
                ready += 1
            continue
        if term is not None:
            if not term.get("reason"):
                if _int(term.get("signal")):
                    reason = f"Init:Signal:{_int(term.get('signal'))}"
                else:
                    reason = f"Init:ExitCode:{_int(term.get('exitCode'))}"
            else:
                reason = "Init:" + term["reason"]
        elif waiting is not None and waiting.get("reason") and waiting.get("reason") != "PodInitializing":
            reason = "Init:" + waiting["reason"]
        else:
            reason = f"Init:{i}/{n_init}"
        initializing = True
        break

    initialized = any(
        c.get("type") == "Initialized" and c.get("status") == "True" for c in status.get("conditions") or []
    )
    if not initializing or initialized:
        restarts = sidecar_restarts
        last_restart = last_sidecar_restart
        has_running = False
        for cs in reversed(status.get("containerStatuses") or []):
            restarts += _int(cs.get("restartCount"))
            last_term = _g(cs, "lastState", "terminated")
            if last_term:
                last_restart = _later(last_restart, last_term.get("finishedAt"))
            waiting = _g(cs, "state", "waiting")
            term = _g(cs, "state", "terminated")
            if waiting is not None and waiting.get("reason"):
                reason = waiting["reason"]
            elif term is not None and term.get("reason"):
                reason = term["reason"]
            elif term is not None:
                if _int(term.get("signal")):
                    reason = f"Signal:{_int(term.get('signal'))}"
                else:
                    reason = f"ExitCode:{_int(term.get('exitCode'))}"
            elif cs.get("ready") and _g(cs, "state", "running") is not None:
                has_running = True
                ready += 1
        if reason == "Completed" and has_running:
            pod_ready = any(
                c.get("type") == "Ready" and c.get("status") == "True" for c in status.get("conditions") or []
            )
            reason = "Running" if pod_ready else "NotReady"

    deleting = _g(pod, "metadata", "deletionTimestamp") is not None
    if deleting and status.get("reason") == "NodeLost":
        reason = "Unknown"
    elif deleting and phase not in ("Succeeded", "Failed"):
        reason = "Terminating"

    restarts_s = str(restarts)
    if restarts and parse_time(last_restart) is not None:
        restarts_s = f"{restarts} ({since(last_restart, now)} ago)"
    return f"{ready}/{total}", reason, restarts_s


def _pod_row(wide: bool) -> RowFn:
    def row(obj: dict, now: datetime) -> list[str]:
        ready, reason, restarts = pod_ready_status_restarts(obj, now)
        cells = [_name(obj), ready, reason, restarts, age(obj, now)]
        if wide:
            status = obj.get("status") or {}
            spec = obj.get("spec") or {}
            ips = status.get("podIPs") or []
            ip = (ips[0].get("ip") if ips else "") or status.get("podIP") or NONE
            gates = spec.get("readinessGates") or []
            gates_s = NONE
            if gates:
                conds = status.get("conditions") or []
                true_n = 0
                for gate in gates:
                    for c in conds:
                        if c.get("type") == gate.get("conditionType"):
                            if c.get("status") == "True":
                                true_n += 1
                            break
                gates_s = f"{true_n}/{len(gates)}"
            cells += [ip, spec.get("nodeName") or NONE, status.get("nominatedNodeName") or NONE, gates_s]
        return cells

    return row


# ---------------------------------------------------------------- workloads
def _deployment(obj, now, wide):
    spec, st = obj.get("spec") or {}, obj.get("status") or {}
    cells = [
        _name(obj),
        f"{_int(st.get('readyReplicas'))}/{_int(spec.get('replicas'))}",
        str(_int(st.get("updatedReplicas"))),
        str(_int(st.get("availableReplicas"))),
        age(obj, now),
    ]
    if wide:
        cells += [*_containers_images(_template_spec(obj)), selector_string(spec.get("selector"))]
    return cells


def _replica_cells(obj, now, wide, selector_text: str):
    """DESIRED CURRENT READY AGE (+ CONTAINERS IMAGES SELECTOR): ReplicaSet and RC rows."""
    spec, st = obj.get("spec") or {}, obj.get("status") or {}
    cells = [
        _name(obj),
        str(_int(spec.get("replicas"))),
        str(_int(st.get("replicas"))),
        str(_int(st.get("readyReplicas"))),
        age(obj, now),
    ]
    if wide:
        cells += [*_containers_images(_template_spec(obj)), selector_text]
    return cells


def _replicaset(obj, now, wide):
    return _replica_cells(obj, now, wide, format_label_selector((obj.get("spec") or {}).get("selector")))


def _replication_controller(obj, now, wide):
    sel = (obj.get("spec") or {}).get("selector") or {}
    return _replica_cells(obj, now, wide, ",".join(f"{k}={sel[k]}" for k in sorted(sel)))


def _statefulset(obj, now, wide):
    spec, st = obj.get("spec") or {}, obj.get("status") or {}
    cells = [_name(obj), f"{_int(st.get('readyReplicas'))}/{_int(spec.get('replicas'))}", age(obj, now)]
    if wide:
        cells += [*_containers_images(_template_spec(obj))]
    return cells


def _daemonset(obj, now, wide):
    spec, st = obj.get("spec") or {}, obj.get("status") or {}
    cells = [
        _name(obj),
        str(_int(st.get("desiredNumberScheduled"))),
        str(_int(st.get("currentNumberScheduled"))),
        str(_int(st.get("numberReady"))),
        str(_int(st.get("updatedNumberScheduled"))),
        str(_int(st.get("numberAvailable"))),
        format_labels(_template_spec(obj).get("nodeSelector")),
        age(obj, now),
    ]
    if wide:
        cells += [*_containers_images(_template_spec(obj)), format_label_selector(spec.get("selector"))]
    return cells


def _has_cond(obj: dict, ctype: str) -> bool:
    """hasJobCondition: the first condition of that type decides."""
    for c in _g(obj, "status", "conditions", default=[]):
        if c.get("type") == ctype:
            return c.get("status") == "True"
    return False


def job_status(obj: dict) -> str:
    """The STATUS cell of a Job (printJob, 1.30+)."""
    if _has_cond(obj, "Complete"):
        return "Complete"
    if _has_cond(obj, "Failed"):
        return "Failed"
    if _g(obj, "metadata", "deletionTimestamp") is not None:
        return "Terminating"
    if _has_cond(obj, "Suspended"):
        return "Suspended"
    if _has_cond(obj, "FailureTarget"):
        return "FailureTarget"
    if _has_cond(obj, "SuccessCriteriaMet"):
        return "SuccessCriteriaMet"
    return "Running"


def _job(obj, now, wide):
    spec, st = obj.get("spec") or {}, obj.get("status") or {}
    succeeded = _int(st.get("succeeded"))
    if spec.get("completions") is not None:
        completions = f"{succeeded}/{_int(spec.get('completions'))}"
    else:
        par = _int(spec.get("parallelism"))
        completions = f"{succeeded}/1 of {par}" if par > 1 else f"{succeeded}/1"
    start, done = parse_time(st.get("startTime")), parse_time(st.get("completionTime"))
    if start is None:
        duration = ""
    elif done is None:
        n = now if now.tzinfo else now.replace(tzinfo=timezone.utc)
        duration = human_duration((n - start).total_seconds())
    else:
        duration = human_duration((done - start).total_seconds())
    cells = [_name(obj), job_status(obj), completions, duration, age(obj, now)]
    if wide:
        cells += [*_containers_images(_template_spec(obj)), format_label_selector(spec.get("selector"))]
    return cells


def _cronjob(obj, now, wide):
    spec, st = obj.get("spec") or {}, obj.get("status") or {}
    last = st.get("lastScheduleTime")
    cells = [
        _name(obj),
        spec.get("schedule", ""),
        spec.get("timeZone") or NONE,
        _bool_ptr(spec.get("suspend")),
        str(len(st.get("active") or [])),
        since(last, now) if last else NONE,
        age(obj, now),
    ]
    if wide:
        jt = _g(spec, "jobTemplate", "spec", default={}) or {}
        cells += [*_containers_images(_g(jt, "template", "spec")), format_label_selector(jt.get("selector"))]
    return cells


def _pod_template(obj, now, wide):
    tmpl = obj.get("template") or {}
    names, images = _containers_images(tmpl.get("spec"))
    return [_name(obj), names, images, format_labels(_g(tmpl, "metadata", "labels"))]


def _controller_revision(obj, now, wide):
    ctrl = NONE
    for ref in _g(obj, "metadata", "ownerReferences", default=[]):
        if ref.get("controller"):
            group = ref.get("apiVersion", "").split("/")[0] if "/" in ref.get("apiVersion", "") else ""
            kind = ref.get("kind", "").lower() + (f".{group}" if group else "")
            ctrl = f"{kind}/{ref.get('name', '')}"
    return [_name(obj), ctrl, str(_int(obj.get("revision"))), age(obj, now)]


# ---------------------------------------------------------------- services and networking
def service_external_ip(obj: dict, wide: bool) -> str:
    spec = obj.get("spec") or {}
    typ = spec.get("type") or "ClusterIP"
    ext = spec.get("externalIPs") or []
    if typ in ("ClusterIP", "NodePort"):
        return ",".join(ext) if ext else NONE
    if typ == "LoadBalancer":
        lb = _lb_ingress(_g(obj, "status", "loadBalancer"), wide)
        if ext:
            return ",".join(([*lb.split(",")] if lb else []) + ext)
        return lb or "<pending>"
    if typ == "ExternalName":
        return spec.get("externalName", "")
    return UNKNOWN


def service_ports(ports: list | None) -> str:
    """makePortString: "80/TCP,443:30443/TCP"."""
    out = []
    for p in ports or []:
        proto = p.get("protocol") or "TCP"
        if _int(p.get("nodePort")) > 0:
            out.append(f"{p.get('port')}:{p.get('nodePort')}/{proto}")
        else:
            out.append(f"{p.get('port')}/{proto}")
    return ",".join(out)


def _service(obj, now, wide):
    spec = obj.get("spec") or {}
    ips = spec.get("clusterIPs") or ([spec["clusterIP"]] if spec.get("clusterIP") else [])
    cells = [
        _name(obj),
        spec.get("type") or "ClusterIP",
        ips[0] if ips else NONE,
        service_external_ip(obj, wide),
        service_ports(spec.get("ports")) or NONE,
        age(obj, now),
    ]
    if wide:
        cells.append(format_labels(spec.get("selector")))
    return cells


def format_endpoints(obj: dict) -> str:
    """formatEndpoints: the first 3 ready "ip:port", then " + N more..."; "<none>" without subsets."""
    subsets = obj.get("subsets") or []
    if not subsets:
        return NONE
    items: list[str] = []
    count = 0
    more = False
    for ss in subsets:
        addrs = ss.get("addresses") or []
        ports = ss.get("ports") or []
        if not ports:
            count += len(addrs)
            for a in addrs:
                if len(items) == 3:
                    more = True
                    break
                items.append(a.get("ip", ""))
            continue
        for p in ports:
            count += len(addrs)
            for a in addrs:
                if len(items) == 3:
                    more = True
                    break
                ip = a.get("ip", "")
                host = f"[{ip}]" if ":" in ip else ip
                items.append(f"{host}:{p.get('port')}")
    s = ",".join(items)
    return f"{s} + {count - 3} more..." if more else s


def _endpoints(obj, now, wide):
    return [_name(obj), format_endpoints(obj), age(obj, now)]


def _list_with_more(items: list[str], maximum: int = 3) -> str:
    """listWithMoreString: the first `maximum` items, " + N more...", "<unset>" when empty."""
    s = ",".join(items[:maximum])
    if len(items) > maximum:
        return f"{s} + {len(items) - maximum} more..."
    return s or UNSET


def _endpointslice(obj, now, wide):
    ports = []
    for p in obj.get("ports") or []:
        if p.get("port") is not None:
            ports.append(str(p["port"]))
        elif p.get("name") is not None:
            ports.append(p["name"])
        else:
            ports.append("*")
    addrs = []
    for ep in obj.get("endpoints") or []:
        addrs.extend(ep.get("addresses") or [])
    return [_name(obj), obj.get("addressType", ""), _list_with_more(ports), _list_with_more(addrs), age(obj, now)]


def _ingress(obj, now, wide):
    spec = obj.get("spec") or {}
    # formatHosts: up to 3 hosts; "+ N more..." counts every rule past the third.
    rules = spec.get("rules") or []
    hosts = []
    more = False
    for r in rules:
        if len(hosts) == 3:
            more = True
        if not more and r.get("host"):
            hosts.append(r["host"])
    if not hosts:
        hosts_s = "*"
    else:
        hosts_s = ",".join(hosts) + (f" + {len(rules) - 3} more..." if more else "")
    ports = "80, 443" if spec.get("tls") else "80"
    address = _lb_ingress(_g(obj, "status", "loadBalancer"), wide)
    return [_name(obj), spec.get("ingressClassName") or NONE, hosts_s, address, ports, age(obj, now)]


def _ingress_class(obj, now, wide):
    spec = obj.get("spec") or {}
    params = spec.get("parameters")
    if params:
        params_s = params.get("kind", "")
        if params.get("apiGroup") is not None:
            params_s += "." + params["apiGroup"]
        params_s += "/" + params.get("name", "")
    else:
        params_s = NONE
    return [_name(obj), spec.get("controller", ""), params_s, age(obj, now)]


def _network_policy(obj, now, wide):
    return [_name(obj), format_label_selector(_g(obj, "spec", "podSelector")), age(obj, now)]


# ---------------------------------------------------------------- cluster objects
def node_roles(node: dict) -> list[str]:
    roles = set()
    for k, v in (_g(node, "metadata", "labels", default={}) or {}).items():
        if k.startswith("node-role.kubernetes.io/"):
            role = k[len("node-role.kubernetes.io/"):]
            if role:
                roles.add(role)
        elif k == "kubernetes.io/role" and v:
            roles.add(v)
    return sorted(roles)


def node_status(node: dict) -> str:
    """"Ready", "NotReady", "Unknown", each with ",SchedulingDisabled" when cordoned."""
    status = []
    for c in _g(node, "status", "conditions", default=[]):
        if c.get("type") == "Ready":
            status = ["Ready" if c.get("status") == "True" else "NotReady"]
    if not status:
        status = ["Unknown"]
    if _g(node, "spec", "unschedulable"):
        status.append("SchedulingDisabled")
    return ",".join(status)


def _node_address(node: dict, typ: str) -> str:
    for a in _g(node, "status", "addresses", default=[]):
        if a.get("type") == typ:
            return a.get("address", "")
    return NONE


def _node(obj, now, wide):
    info = _g(obj, "status", "nodeInfo", default={}) or {}
    cells = [
        _name(obj),
        node_status(obj),
        ",".join(node_roles(obj)) or NONE,
        age(obj, now),
        info.get("kubeletVersion", ""),
    ]
    if wide:
        cells += [
            _node_address(obj, "InternalIP"),
            _node_address(obj, "ExternalIP"),
            info.get("osImage") or UNKNOWN,
            info.get("kernelVersion") or UNKNOWN,
            info.get("containerRuntimeVersion") or UNKNOWN,
        ]
    return cells


def _namespace(obj, now, wide):
    return [_name(obj), _g(obj, "status", "phase", default=""), age(obj, now)]


def _event_source(obj: dict) -> str:
    comp = _g(obj, "source", "component", default="")
    host = _g(obj, "source", "host", default="")
    if not comp:
        comp = obj.get("reportingComponent") or ""
        host = obj.get("reportingInstance") or ""
    return f"{comp}, {host}" if host else comp


def _event(obj, now, wide):
    first = obj.get("firstTimestamp")
    first_s = since(first, now) if first else since(obj.get("eventTime"), now)
    last = obj.get("lastTimestamp")
    last_s = since(last, now) if last else first_s
    count = _int(obj.get("count"))
    series = obj.get("series")
    if series:
        last_s = since(series.get("lastObservedTime"), now)
        count = _int(series.get("count"))
    elif count == 0:
        count = 1
    io = obj.get("involvedObject") or {}
    target = io.get("kind", "").lower()
    if io.get("name"):
        target = f"{target}/{io['name']}"
    msg = (obj.get("message") or "").strip()
    if wide:
        return [
            last_s, obj.get("type", ""), obj.get("reason", ""), target, io.get("fieldPath", ""),
            _event_source(obj), msg, first_s, str(count), _name(obj),
        ]
    return [last_s, obj.get("type", ""), obj.get("reason", ""), target, msg]


def _secret(obj, now, wide):
    return [_name(obj), obj.get("type") or "Opaque", str(len(obj.get("data") or {})), age(obj, now)]


def _configmap(obj, now, wide):
    n = len(obj.get("data") or {}) + len(obj.get("binaryData") or {})
    return [_name(obj), str(n), age(obj, now)]


def _service_account(obj, now, wide):
    return [_name(obj), str(len(obj.get("secrets") or [])), age(obj, now)]


def _pvc(obj, now, wide):
    spec, st = obj.get("spec") or {}, obj.get("status") or {}
    phase = st.get("phase", "")
    if _g(obj, "metadata", "deletionTimestamp") is not None:
        phase = "Terminating"
    capacity = modes = ""
    if spec.get("volumeName"):
        modes = _access_modes(st.get("accessModes"))
        capacity = _g(st, "capacity", "storage", default="")
    sc = spec.get("storageClassName")
    if sc is None:
        sc = _g(obj, "metadata", "annotations", "volume.beta.kubernetes.io/storage-class", default="")
    cells = [
        _name(obj), phase, spec.get("volumeName", ""), str(capacity), modes, sc or "",
        UNSET if spec.get("volumeAttributesClassName") is None else spec["volumeAttributesClassName"], age(obj, now),
    ]
    if wide:
        cells.append(spec.get("volumeMode") or UNSET)
    return cells


def _pv(obj, now, wide):
    spec, st = obj.get("spec") or {}, obj.get("status") or {}
    claim = ""
    if spec.get("claimRef"):
        claim = f"{spec['claimRef'].get('namespace', '')}/{spec['claimRef'].get('name', '')}"
    phase = st.get("phase", "")
    if _g(obj, "metadata", "deletionTimestamp") is not None:
        phase = "Terminating"
    sc = spec.get("storageClassName")
    if sc is None:
        sc = _g(obj, "metadata", "annotations", "volume.beta.kubernetes.io/storage-class", default="")
    cells = [
        _name(obj), str(_g(spec, "capacity", "storage", default="")), _access_modes(spec.get("accessModes")),
        spec.get("persistentVolumeReclaimPolicy", ""), phase, claim, sc or "",
        UNSET if spec.get("volumeAttributesClassName") is None else spec["volumeAttributesClassName"],
        st.get("reason", ""), age(obj, now),
    ]
    if wide:
        cells.append(spec.get("volumeMode") or UNSET)
    return cells


def _storage_class(obj, now, wide):
    ann = _g(obj, "metadata", "annotations", default={}) or {}
    name = _name(obj)
    if (ann.get("storageclass.kubernetes.io/is-default-class") == "true"
            or ann.get("storageclass.beta.kubernetes.io/is-default-class") == "true"):
        name += " (default)"
    return [
        name, obj.get("provisioner", ""), obj.get("reclaimPolicy") or "Delete",
        obj.get("volumeBindingMode") or "Immediate", _bool(obj.get("allowVolumeExpansion")), age(obj, now),
    ]


def _volume_attributes_class(obj, now, wide):
    return [_name(obj), obj.get("driverName", ""), age(obj, now)]


def _created_at(obj, now, wide):
    """Name plus the creation time as RFC3339 in UTC (Role, ClusterRole, LimitRange, and the
    API server's default table)."""
    t = parse_time(_g(obj, "metadata", "creationTimestamp"))
    # Go formats the zero time when it is unset
    created = t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if t else "0001-01-01T00:00:00Z"
    return [_name(obj), created]


def _role_binding(obj, now, wide):
    ref = obj.get("roleRef") or {}
    cells = [_name(obj), f"{ref.get('kind', '')}/{ref.get('name', '')}", age(obj, now)]
    if wide:
        users, groups, sas = [], [], []
        for s in obj.get("subjects") or []:
            k = s.get("kind")
            if k == "User":
                users.append(s.get("name", ""))
            elif k == "Group":
                groups.append(s.get("name", ""))
            elif k == "ServiceAccount":
                ns = s.get("namespace") or ""
                sas.append(f"{ns}/{s.get('name', '')}" if ns else s.get("name", ""))
        cells += [", ".join(users), ", ".join(groups), ", ".join(sas)]
    return cells


def _hpa_targets(obj: dict) -> str:
    """formatHPAMetrics: "cpu: 40%/50%", "memory: <unknown>/500Mi", at most 2 then "+ N more..."."""
    specs = _g(obj, "spec", "metrics", default=[]) or []
    if not specs:
        return NONE
    statuses = _g(obj, "status", "currentMetrics", default=[]) or []
    out = []
    for i, m in enumerate(specs):
        st = statuses[i] if i < len(statuses) else {}
        typ = m.get("type")
        if typ in ("External", "Object"):
            key = "external" if typ == "External" else "object"
            tgt = _g(m, key, "target", default={}) or {}
            cur = _g(st, key, "current", default=None)
            if tgt.get("averageValue") is not None:
                c = cur.get("averageValue") if cur and cur.get("averageValue") is not None else UNKNOWN
                out.append(f"{c}/{tgt['averageValue']} (avg)")
            else:
                c = (cur.get("value") if cur else None) or (UNKNOWN if not cur else "0")
                out.append(f"{c}/{tgt.get('value', '0')}")
        elif typ == "Pods":
            tgt = _g(m, "pods", "target", default={}) or {}
            cur = _g(st, "pods", "current", default=None)
            c = (cur.get("averageValue") or "0") if cur else UNKNOWN
            out.append(f"{c}/{tgt.get('averageValue', '0')}")
        elif typ in ("Resource", "ContainerResource"):
            key = "resource" if typ == "Resource" else "containerResource"
            r = m.get(key) or {}
            tgt = r.get("target") or {}
            cur = _g(st, key, "current", default=None)
            if tgt.get("averageValue") is not None:
                c = (cur.get("averageValue") or "0") if cur else UNKNOWN
                out.append(f"{r.get('name', '')}: {c}/{tgt['averageValue']}")
            else:
                c = f"{cur['averageUtilization']}%" if cur and cur.get("averageUtilization") is not None else UNKNOWN
                t = f"{tgt['averageUtilization']}%" if tgt.get("averageUtilization") is not None else "<auto>"
                out.append(f"{r.get('name', '')}: {c}/{t}")
        else:
            out.append("<unknown type>")
    if len(out) > 2:
        return ", ".join(out[:2]) + f" + {len(out) - 2} more..."
    return ", ".join(out)


def _hpa(obj, now, wide):
    spec, st = obj.get("spec") or {}, obj.get("status") or {}
    ref = spec.get("scaleTargetRef") or {}
    min_pods = str(spec["minReplicas"]) if spec.get("minReplicas") is not None else UNSET
    return [
        _name(obj), f"{ref.get('kind', '')}/{ref.get('name', '')}", _hpa_targets(obj), min_pods,
        str(_int(spec.get("maxReplicas"))), str(_int(st.get("currentReplicas"))), age(obj, now),
    ]


def _pdb(obj, now, wide):
    spec = obj.get("spec") or {}
    mn = spec.get("minAvailable")
    mx = spec.get("maxUnavailable")
    return [
        _name(obj), str(mn) if mn is not None else "N/A", str(mx) if mx is not None else "N/A",
        str(_int(_g(obj, "status", "disruptionsAllowed"))), age(obj, now),
    ]


def _priority_class(obj, now, wide):
    return [
        _name(obj), str(_int(obj.get("value"))), _bool(obj.get("globalDefault")), age(obj, now),
        obj.get("preemptionPolicy") or "",
    ]


def _lease(obj, now, wide):
    return [_name(obj), _g(obj, "spec", "holderIdentity", default="") or "", age(obj, now)]


def _resource_quota(obj, now, wide):
    # Only status.hard counts (what the quota controller has observed).
    hard = _g(obj, "status", "hard", default={}) or {}
    used = _g(obj, "status", "used", default={}) or {}
    req, lim = [], []
    for name in sorted(hard):
        item = f"{name}: {used.get(name, '0')}/{hard[name]}"
        (lim if name.split(".")[0] == "limits" and "." in name else req).append(item)
    return [_name(obj), age(obj, now), ", ".join(req), ", ".join(lim)]


def _runtime_class(obj, now, wide):
    return [_name(obj), obj.get("handler", ""), age(obj, now)]


def _webhooks(obj, now, wide):
    return [_name(obj), str(len(obj.get("webhooks") or [])), age(obj, now)]


def csr_condition(obj: dict) -> str:
    """extractCSRStatus: Denied / Approved / Pending, then ",Failed", ",Issued"."""
    types = {c.get("type") for c in _g(obj, "status", "conditions", default=[])}
    status = "Denied" if "Denied" in types else "Approved" if "Approved" in types else "Pending"
    if "Failed" in types:
        status += ",Failed"
    if _g(obj, "status", "certificate"):
        status += ",Issued"
    return status


def _csr(obj, now, wide):
    spec = obj.get("spec") or {}
    dur = spec.get("expirationSeconds")
    return [
        _name(obj), age(obj, now), spec.get("signerName") or NONE, spec.get("username", ""),
        human_duration(dur) if dur is not None else NONE, csr_condition(obj),
    ]


def _volume_attachment(obj, now, wide):
    spec = obj.get("spec") or {}
    return [
        _name(obj), spec.get("attacher", ""), _g(spec, "source", "persistentVolumeName", default="") or "",
        spec.get("nodeName", ""), _bool(_g(obj, "status", "attached")), age(obj, now),
    ]


def _csi_node(obj, now, wide):
    return [_name(obj), str(len(_g(obj, "spec", "drivers", default=[]) or [])), age(obj, now)]


def _csi_driver(obj, now, wide):
    spec = obj.get("spec") or {}
    attach = spec.get("attachRequired")
    modes = ",".join(spec.get("volumeLifecycleModes") or []) or NONE
    tokens = UNSET
    if spec.get("tokenRequests") is not None:
        tokens = ",".join(t.get("audience", "") for t in spec["tokenRequests"])
    return [
        _name(obj), _bool(True if attach is None else attach), _bool(spec.get("podInfoOnMount")),
        _bool(spec.get("storageCapacity")), tokens, _bool(spec.get("requiresRepublish")), modes, age(obj, now),
    ]


def _csi_storage_capacity(obj, now, wide):
    cap = obj.get("capacity")
    return [_name(obj), obj.get("storageClassName", ""), str(cap) if cap is not None else UNSET]


def _flow_schema(obj, now, wide):
    spec = obj.get("spec") or {}
    dm = _g(spec, "distinguisherMethod", "type", default=None) or NONE
    missing = "?"
    for c in _g(obj, "status", "conditions", default=[]):
        if c.get("type") == "Dangling":
            missing = c.get("status", "")
            break
    return [
        _name(obj), _g(spec, "priorityLevelConfiguration", "name", default=""),
        str(_int(spec.get("matchingPrecedence"))), dm, age(obj, now), missing,
    ]


def _priority_level(obj, now, wide):
    spec = obj.get("spec") or {}
    ncs = queues = hand = qll = NONE
    lim = spec.get("limited")
    if lim is not None:
        ncs = str(_int(lim.get("nominalConcurrencyShares")))
        q = _g(lim, "limitResponse", "queuing", default=None)
        if q is not None:
            queues, hand, qll = str(_int(q.get("queues"))), str(_int(q.get("handSize"))), str(
                _int(q.get("queueLengthLimit")))
    return [_name(obj), spec.get("type", ""), ncs, queues, hand, qll, age(obj, now)]


def _resource_claim(obj, now, wide):
    states = []
    deleting = _g(obj, "metadata", "deletionTimestamp") is not None
    if deleting:
        states.append("deleted")
    if _g(obj, "status", "allocation") is None:
        if not deleting:
            states.append("pending")
    else:
        states.append("allocated")
        if _g(obj, "status", "reservedFor"):
            states.append("reserved")
    return [_name(obj), ",".join(states), age(obj, now)]


def _resource_slice(obj, now, wide):
    spec = obj.get("spec") or {}
    return [_name(obj), spec.get("nodeName", ""), spec.get("driver", ""), _g(spec, "pool", "name", default=""),
            age(obj, now)]


def _service_cidr(obj, now, wide):
    return [_name(obj), ",".join(_g(obj, "spec", "cidrs", default=[]) or []), age(obj, now)]


def _ip_address(obj, now, wide):
    ref = _g(obj, "spec", "parentRef", default=None)
    parent = NONE
    if ref:
        parent = ref.get("resource", "") + (f".{ref['group']}" if ref.get("group") else "")
        parent = parent.lower()
        if ref.get("namespace"):
            parent += "/" + ref["namespace"]
        parent += "/" + ref.get("name", "")
    return [_name(obj), parent]


def _validating_admission_policy(obj, now, wide):
    spec = obj.get("spec") or {}
    pk = spec.get("paramKind")
    pk_s = f"{pk.get('apiVersion', '')}/{pk.get('kind', '')}" if pk else UNSET
    return [_name(obj), str(len(spec.get("validations") or [])), pk_s, age(obj, now)]


def _admission_policy_binding(obj, now, wide):
    spec = obj.get("spec") or {}
    ref = spec.get("paramRef")
    ref_s = UNSET
    if ref:
        if ref.get("name"):
            ref_s = f"{ref['namespace']}/{ref['name']}" if ref.get("namespace") else ref["name"]
        elif ref.get("selector") is not None:
            ref_s = "*/" + format_label_selector(ref.get("selector"))
    return [_name(obj), spec.get("policyName", ""), ref_s, age(obj, now)]


def _crd(obj, now, wide):
    return _created_at(obj, now, wide)


def _name_age(obj, now, wide):
    return [_name(obj), age(obj, now)]


# ---------------------------------------------------------------- the table
# (group, kind) -> (headers, wide extra headers, fn(obj, now, wide))
_TABLE: dict[tuple[str, str], tuple[list[str], list[str], Callable]] = {
    ("", "Pod"): (["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
                  ["IP", "NODE", "NOMINATED NODE", "READINESS GATES"], None),
    ("apps", "Deployment"): (["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
                             ["CONTAINERS", "IMAGES", "SELECTOR"], _deployment),
    ("apps", "ReplicaSet"): (["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
                             ["CONTAINERS", "IMAGES", "SELECTOR"], _replicaset),
    ("", "ReplicationController"): (["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
                                    ["CONTAINERS", "IMAGES", "SELECTOR"], _replication_controller),
    ("apps", "StatefulSet"): (["NAME", "READY", "AGE"], ["CONTAINERS", "IMAGES"], _statefulset),
    ("apps", "DaemonSet"): (["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE",
                             "NODE SELECTOR", "AGE"], ["CONTAINERS", "IMAGES", "SELECTOR"], _daemonset),
    ("apps", "ControllerRevision"): (["NAME", "CONTROLLER", "REVISION", "AGE"], [], _controller_revision),
    ("batch", "Job"): (["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"],
                       ["CONTAINERS", "IMAGES", "SELECTOR"], _job),
    ("batch", "CronJob"): (["NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE"],
                           ["CONTAINERS", "IMAGES", "SELECTOR"], _cronjob),
    ("", "PodTemplate"): (["NAME", "CONTAINERS", "IMAGES", "POD LABELS"], [], _pod_template),
    ("", "Service"): (["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"], ["SELECTOR"], _service),
    ("", "Endpoints"): (["NAME", "ENDPOINTS", "AGE"], [], _endpoints),
    ("discovery.k8s.io", "EndpointSlice"): (["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"], [],
                                            _endpointslice),
    ("networking.k8s.io", "Ingress"): (["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"], [], _ingress),
    ("networking.k8s.io", "IngressClass"): (["NAME", "CONTROLLER", "PARAMETERS", "AGE"], [], _ingress_class),
    ("networking.k8s.io", "NetworkPolicy"): (["NAME", "POD-SELECTOR", "AGE"], [], _network_policy),
    ("", "Node"): (["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
                   ["INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"], _node),
    ("", "Namespace"): (["NAME", "STATUS", "AGE"], [], _namespace),
    ("", "Event"): (["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"], [], _event),
    ("", "Secret"): (["NAME", "TYPE", "DATA", "AGE"], [], _secret),
    ("", "ConfigMap"): (["NAME", "DATA", "AGE"], [], _configmap),
    ("", "ServiceAccount"): (["NAME", "SECRETS", "AGE"], [], _service_account),
    ("", "PersistentVolumeClaim"): (["NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS",
                                     "VOLUMEATTRIBUTESCLASS", "AGE"], ["VOLUMEMODE"], _pvc),
    ("", "PersistentVolume"): (["NAME", "CAPACITY", "ACCESS MODES", "RECLAIM POLICY", "STATUS", "CLAIM",
                                "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "REASON", "AGE"], ["VOLUMEMODE"], _pv),
    ("storage.k8s.io", "StorageClass"): (["NAME", "PROVISIONER", "RECLAIMPOLICY", "VOLUMEBINDINGMODE",
                                          "ALLOWVOLUMEEXPANSION", "AGE"], [], _storage_class),
    ("storage.k8s.io", "VolumeAttributesClass"): (["NAME", "DRIVERNAME", "AGE"], [], _volume_attributes_class),
    ("rbac.authorization.k8s.io", "Role"): (["NAME", "CREATED AT"], [], _created_at),
    ("rbac.authorization.k8s.io", "ClusterRole"): (["NAME", "CREATED AT"], [], _created_at),
    ("rbac.authorization.k8s.io", "RoleBinding"): (["NAME", "ROLE", "AGE"],
                                                   ["USERS", "GROUPS", "SERVICEACCOUNTS"], _role_binding),
    ("rbac.authorization.k8s.io", "ClusterRoleBinding"): (["NAME", "ROLE", "AGE"],
                                                          ["USERS", "GROUPS", "SERVICEACCOUNTS"], _role_binding),
    ("autoscaling", "HorizontalPodAutoscaler"): (["NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS",
                                                  "REPLICAS", "AGE"], [], _hpa),
    ("policy", "PodDisruptionBudget"): (["NAME", "MIN AVAILABLE", "MAX UNAVAILABLE", "ALLOWED DISRUPTIONS",
                                         "AGE"], [], _pdb),
    ("scheduling.k8s.io", "PriorityClass"): (["NAME", "VALUE", "GLOBAL-DEFAULT", "AGE", "PREEMPTIONPOLICY"], [],
                                             _priority_class),
    ("coordination.k8s.io", "Lease"): (["NAME", "HOLDER", "AGE"], [], _lease),
    ("", "LimitRange"): (["NAME", "CREATED AT"], [], _created_at),
    ("", "ResourceQuota"): (["NAME", "AGE", "REQUEST", "LIMIT"], [], _resource_quota),
    ("node.k8s.io", "RuntimeClass"): (["NAME", "HANDLER", "AGE"], [], _runtime_class),
    ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"): (["NAME", "WEBHOOKS", "AGE"], [], _webhooks),
    ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"): (["NAME", "WEBHOOKS", "AGE"], [],
                                                                         _webhooks),
    ("certificates.k8s.io", "CertificateSigningRequest"): (["NAME", "AGE", "SIGNERNAME", "REQUESTOR",
                                                            "REQUESTEDDURATION", "CONDITION"], [], _csr),
    ("storage.k8s.io", "VolumeAttachment"): (["NAME", "ATTACHER", "PV", "NODE", "ATTACHED", "AGE"], [],
                                             _volume_attachment),
    ("storage.k8s.io", "CSINode"): (["NAME", "DRIVERS", "AGE"], [], _csi_node),
    ("storage.k8s.io", "CSIDriver"): (["NAME", "ATTACHREQUIRED", "PODINFOONMOUNT", "STORAGECAPACITY",
                                       "TOKENREQUESTS", "REQUIRESREPUBLISH", "MODES", "AGE"], [], _csi_driver),
    ("storage.k8s.io", "CSIStorageCapacity"): (["NAME", "STORAGECLASSNAME", "CAPACITY"], [],
                                               _csi_storage_capacity),
    ("flowcontrol.apiserver.k8s.io", "FlowSchema"): (["NAME", "PRIORITYLEVEL", "MATCHINGPRECEDENCE",
                                                      "DISTINGUISHERMETHOD", "AGE", "MISSINGPL"], [], _flow_schema),
    ("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"): (
        ["NAME", "TYPE", "NOMINALCONCURRENCYSHARES", "QUEUES", "HANDSIZE", "QUEUELENGTHLIMIT", "AGE"], [],
        _priority_level),
    ("resource.k8s.io", "ResourceClaim"): (["NAME", "STATE", "AGE"], [], _resource_claim),
    ("resource.k8s.io", "ResourceSlice"): (["NAME", "NODE", "DRIVER", "POOL", "AGE"], [], _resource_slice),
    ("resource.k8s.io", "DeviceClass"): (["NAME", "AGE"], [], lambda o, n, w: [_name(o), age(o, n)]),
    ("resource.k8s.io", "ResourceClaimTemplate"): (["NAME", "AGE"], [], lambda o, n, w: [_name(o), age(o, n)]),
    ("networking.k8s.io", "ServiceCIDR"): (["NAME", "CIDRS", "AGE"], [], _service_cidr),
    ("networking.k8s.io", "IPAddress"): (["NAME", "PARENTREF"], [], _ip_address),
    ("admissionregistration.k8s.io", "ValidatingAdmissionPolicy"): (["NAME", "VALIDATIONS", "PARAMKIND", "AGE"],
                                                                    [], _validating_admission_policy),
    ("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding"): (
        ["NAME", "POLICYNAME", "PARAMREF", "AGE"], [], _admission_policy_binding),
}

# Wide event columns are interleaved, not appended.
_EVENT_WIDE = ["LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE", "FIRST SEEN", "COUNT",
               "NAME"]

# Kinds whose group is not a Kubernetes API group are served like custom resources, whose
# default table is NAME, AGE. Built-in kinds without a printer get the API server's default
# table convertor: NAME, CREATED AT.
_BUILTIN_SUFFIXES = (".k8s.io",)
_BUILTIN_GROUPS = {"", "apps", "batch", "autoscaling", "policy", "extensions"}


def _is_builtin_group(group: str) -> bool:
    return group in _BUILTIN_GROUPS or group.endswith(_BUILTIN_SUFFIXES)


def columns_for(kind, wide: bool = False) -> tuple[list[str], RowFn]:
    """Headers and row function of `kind` (a kctl.api.kinds.Kind, or anything with
    `.group` and `.kind`) for `kubectl get` (wide = `-o wide`).

    The row function takes (obj, now) and returns one string per header.
    """
    group, kname = getattr(kind, "group", ""), getattr(kind, "kind", "")
    if (group, kname) == ("", "Pod"):
        headers, extra, _ = _TABLE[(group, kname)]
        return (headers + extra if wide else list(headers)), _pod_row(wide)
    if (group, kname) == ("", "Event"):
        headers = _EVENT_WIDE if wide else _TABLE[(group, kname)][0]
        return list(headers), lambda obj, now: _event(obj, now, wide)
    entry = _TABLE.get((group, kname))
    if entry is not None:
        headers, extra, fn = entry
        return (headers + extra if wide else list(headers)), (lambda obj, now: fn(obj, now, wide))
    if (group, kname) == ("apiextensions.k8s.io", "CustomResourceDefinition"):
        from kctl.printers.crd_columns import table_for_crds

        return table_for_crds(wide)
    crd = _crd_of(kind)  # before the group test: CRDs may use *.k8s.io groups (Gateway API)
    if crd is not None:
        from kctl.printers.crd_columns import table_for_crd

        return table_for_crd(crd, getattr(kind, "version", ""), wide)
    if _is_builtin_group(group):
        return ["NAME", "CREATED AT"], (lambda obj, now: _created_at(obj, now, wide))
    return ["NAME", "AGE"], (lambda obj, now: _name_age(obj, now, wide))


def _crd_of(kind) -> dict | None:
    """The CRD serving `kind`, if kctl.api.crd.registry is loaded and knows it (nothing
    imports the registry for built-in-only commands)."""
    import sys

    reg = sys.modules.get("kctl.api.crd.registry")
    if reg is None or not hasattr(kind, "group"):
        return None
    return reg.crd_of((kind.group, kind.kind))
