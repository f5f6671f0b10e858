"""Shared pieces of the `kctl describe` describers: object accessors, label / annotation /
taint / toleration printers, the Events table, resource totals and QoS, PVC printing.

Mirrors helpers of k8s.io/kubectl/pkg/describe (1.37); see describe.py for the entry point.
"""

from __future__ import annotations

from datetime import datetime, timezone
from fractions import Fraction

from kctl.printers.describe_fmt import (
    LEVEL_0,
    LEVEL_1,
    LEVEL_2,
    Quantity,
    parse_time,
    qty,
    qty_add,
    qty_str,
    rfc1123z,
    since,
)


LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


MAX_ANNOTATION_LEN = 140


class _Ctx:
    def __init__(self, now: datetime, reader) -> None:
        self.now = now
        self.tz = now.tzinfo
        self.reader = reader

    def time(self, value) -> str:
        return rfc1123z(value, self.tz)

    def since(self, value) -> str:
        return since(value, self.now)

    def list(self, resource: str, namespace: str | None, **filters) -> list[dict]:
        """Related objects; `filters` (e.g. node_name=) narrow the read where the reader can."""
        if self.reader is None:
            return []
        try:
            if filters:
                try:
                    return list(self.reader.list(resource, namespace, **filters) or [])
                except TypeError:  # a reader without store filters: filter below instead
                    pass
            return list(self.reader.list(resource, namespace) or [])
        except Exception:  # an unknown resource in the store: nothing related
            return []


def _meta(obj: dict) -> dict:
    return obj.get("metadata") or {}


def _spec(obj: dict) -> dict:
    return obj.get("spec") or {}


def _status(obj: dict) -> dict:
    return obj.get("status") or {}


def _b(v) -> str:
    """Go's %v of a bool."""
    return "true" if v else "false"


def _gostr(v) -> str:
    """Go's %v for JSON-ish values (bools lower case, nil as <nil>)."""
    if v is None:
        return "<nil>"
    if isinstance(v, bool):
        return _b(v)
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, list):
        return "[" + " ".join(_gostr(x) for x in v) + "]"
    if isinstance(v, dict):
        return "map[" + " ".join(f"{k}:{_gostr(v[k])}" for k in sorted(v)) + "]"
    return str(v)


def _controller_of(obj: dict) -> dict | None:
    for ref in _meta(obj).get("ownerReferences") or []:
        if ref.get("controller"):
            return ref
    return None


def _print_controller(obj: dict) -> str:
    ref = _controller_of(obj)
    return f"{ref.get('kind')}/{ref.get('name')}" if ref else ""


def _format_labels(labels: dict | None) -> str:
    """labels.FormatLabels: sorted k=v joined by commas, `<none>` when empty."""
    if not labels:
        return "<none>"
    return ",".join(f"{k}={labels[k]}" for k in sorted(labels))


def _format_selector(sel: dict | None) -> str:
    """metav1.FormatLabelSelector / LabelSelectorAsSelector().String()."""
    if sel is None:
        return "<none>"
    parts = []
    reqs = []
    for k, v in (sel.get("matchLabels") or {}).items():
        reqs.append((k, "=", [v]))
    for e in sel.get("matchExpressions") or []:
        op = e.get("operator")
        reqs.append((e.get("key"), op, list(e.get("values") or [])))
    reqs.sort(key=lambda r: r[0])
    for key, op, values in reqs:
        if op == "=":
            parts.append(f"{key}={values[0]}")
        elif op == "In":
            parts.append(f"{key} in ({','.join(sorted(values))})")
        elif op == "NotIn":
            parts.append(f"{key} notin ({','.join(sorted(values))})")
        elif op == "Exists":
            parts.append(key)
        elif op == "DoesNotExist":
            parts.append(f"!{key}")
    return ",".join(parts) or "<none>"


def _selector_string(sel: dict | None) -> str:
    """LabelSelectorAsSelector(sel).String(): nil and empty selectors print as ""."""
    if not sel or not (sel.get("matchLabels") or sel.get("matchExpressions")):
        return ""
    return _format_selector(sel)


def _selector_matches(sel: dict | None, labels: dict | None) -> bool:
    if sel is None:
        return False
    labels = labels or {}
    for k, v in (sel.get("matchLabels") or {}).items():
        if labels.get(k) != v:
            return False
    for e in sel.get("matchExpressions") or []:
        key, op, values = e.get("key"), e.get("operator"), e.get("values") or []
        if op == "In" and labels.get(key) not in values:
            return False
        if op == "NotIn" and key in labels and labels[key] in values:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return True


def _print_labels_multiline(w, title: str, labels: dict | None, initial_indent="", inner_indent="\t"):
    w.write(LEVEL_0, f"{initial_indent}{title}:{inner_indent}")
    if not labels:
        w.write_line("<none>")
        return
    for i, key in enumerate(sorted(labels)):
        if i:
            w.write(LEVEL_0, initial_indent)
            w.write(LEVEL_0, inner_indent)
        w.write(LEVEL_0, f"{key}={labels[key]}\n")


def _shorten(s: str, n: int) -> str:
    return s[:n] + "..." if len(s) > n else s


def _print_annotations_multiline(w, title: str, annotations: dict | None):
    w.write(LEVEL_0, f"{title}:\t")
    keys = sorted(k for k in (annotations or {}) if k != LAST_APPLIED)
    if not keys:
        w.write_line("<none>")
        return
    indent = "\t"
    for i, key in enumerate(keys):
        if i:
            w.write(LEVEL_0, indent)
        value = str(annotations[key])
        if value.endswith("\n"):
            value = value[:-1]
        if len(value) + len(key) + 2 > MAX_ANNOTATION_LEN or "\n" in value:
            w.write(LEVEL_0, f"{key}:\n")
            for s in value.split("\n"):
                w.write(LEVEL_0, f"{indent}  {_shorten(s, MAX_ANNOTATION_LEN - 2)}\n")
        else:
            w.write(LEVEL_0, f"{key}: {value}\n")


def _taint_str(t: dict) -> str:
    key, value, effect = t.get("key", ""), t.get("value", ""), t.get("effect", "")
    if not effect:
        return f"{key}={value}" if value else key
    return f"{key}={value}:{effect}" if value else f"{key}:{effect}"


def _print_taints_multiline(w, title: str, taints: list | None, initial_indent="", inner_indent="\t"):
    w.write(LEVEL_0, f"{initial_indent}{title}:{inner_indent}")
    if not taints:
        w.write_line("<none>")
        return
    ordered = sorted(taints, key=lambda t: f"{t.get('effect', '')},{t.get('key', '')}")
    for i, t in enumerate(ordered):
        if i:
            w.write(LEVEL_0, initial_indent)
            w.write(LEVEL_0, inner_indent)
        w.write(LEVEL_0, _taint_str(t) + "\n")


def _print_tolerations_multiline(w, title: str, tolerations: list | None, initial_indent="", inner_indent="\t"):
    w.write(LEVEL_0, f"{initial_indent}{title}:{inner_indent}")
    if not tolerations:
        w.write_line("<none>")
        return
    ordered = sorted(tolerations, key=lambda t: t.get("key", ""))
    for i, t in enumerate(ordered):
        if i:
            w.write(LEVEL_0, initial_indent)
            w.write(LEVEL_0, inner_indent)
        key, value, effect = t.get("key", ""), t.get("value", ""), t.get("effect", "")
        s = key
        if value:
            s += f"={value}"
        if effect:
            s += f":{effect}"
        if t.get("operator") == "Exists" and not value:
            s += " op=Exists" if (key or effect) else "op=Exists"
        if t.get("tolerationSeconds") is not None:
            s += f" for {int(t['tolerationSeconds'])}s"
        w.write(LEVEL_0, s + "\n")


def _print_pods_multiline(w, title: str, pods: list[dict]):
    w.write(LEVEL_0, f"{title}:\t")
    if not pods:
        w.write_line("<none>")
        return
    for i, p in enumerate(sorted(pods, key=lambda p: _meta(p).get("name", ""))):
        if i:
            w.write(LEVEL_0, "\t")
        w.write(LEVEL_0, f"{_meta(p).get('name', '')}\n")


def _describe_events(ctx: _Ctx, w, events: list[dict] | None):
    """kubectl's DescribeEvents; `events is None` means the section is not shown."""
    if events is None:
        return
    if not events:
        w.write(LEVEL_0, "Events:\t<none>\n")
        return
    w.flush()
    epoch = datetime(1, 1, 1, tzinfo=timezone.utc)
    ordered = sorted(events, key=lambda e: parse_time(e.get("lastTimestamp")) or epoch)
    w.write(LEVEL_0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n")
    w.write(LEVEL_1, "----\t------\t----\t----\t-------\n")
    for e in ordered:
        first = ctx.since(e.get("eventTime"))
        if not parse_time(e.get("eventTime")):
            first = ctx.since(e.get("firstTimestamp"))
        series = e.get("series")
        count = int(e.get("count") or 0)
        if series:
            interval = f"{ctx.since(series.get('lastObservedTime'))} (x{int(series.get('count') or 0)} over {first})"
        elif count > 1:
            interval = f"{ctx.since(e.get('lastTimestamp'))} (x{count} over {first})"
        else:
            interval = first
        source = (e.get("source") or {}).get("component") or e.get("reportingController") or ""
        message = (e.get("message") or "").strip()
        field_path = (e.get("involvedObject") or {}).get("fieldPath")
        if field_path:
            message = f"{field_path}: {message}"
        w.write(LEVEL_1, f"{e.get('type', '')}\t{e.get('reason', '')}\t{interval}\t{source}\t{message}\n")


def _sorted_resources(rl: dict | None) -> list[str]:
    return sorted(rl or {})


def _describe_resources(w, resources: dict | None, level: int):
    if resources is None:
        return
    limits = resources.get("limits") or {}
    requests = resources.get("requests") or {}
    if limits:
        w.write(level, "Limits:\n")
    for name in _sorted_resources(limits):
        w.write(level + 1, f"{name}:\t{qty_str(limits[name])}\n")
    if requests:
        w.write(level, "Requests:\n")
    for name in _sorted_resources(requests):
        w.write(level + 1, f"{name}:\t{qty_str(requests[name])}\n")


def _pod_qos(pod: dict) -> str:
    """status.qosClass when set, else the kubelet's QoS computation (cpu and memory only)."""
    q = _status(pod).get("qosClass")
    if q:
        return q
    spec = _spec(pod)
    supported = ("cpu", "memory")
    requests: dict[str, Quantity] = {}
    limits: dict[str, Quantity] = {}
    guaranteed = True
    pod_res = spec.get("resources")
    if pod_res:  # pod-level resources decide alone
        groups = [pod_res]
    else:
        groups = [c.get("resources") or {} for c in (spec.get("containers") or []) + (spec.get("initContainers") or [])]
    for res in groups:
        found = set()
        for name, v in (res.get("requests") or {}).items():
            q = qty(v)
            if name in supported and q.sign() > 0:
                requests[name] = qty_add(requests.get(name, Quantity(0)), q)
        for name, v in (res.get("limits") or {}).items():
            q = qty(v)
            if name in supported and q.sign() > 0:
                found.add(name)
                limits[name] = qty_add(limits.get(name, Quantity(0)), q)
        if not set(supported) <= found:
            guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    if guaranteed:
        for name, req in requests.items():
            if name not in limits or Fraction(limits[name].value) != Fraction(req.value):
                guaranteed = False
                break
    if guaranteed and len(requests) == len(limits):
        return "Guaranteed"
    return "Burstable"


def _add_into(total: dict, rl: dict):
    for k, v in rl.items():
        total[k] = qty_add(total.get(k, Quantity(0)), v)


def _max_into(total: dict, rl: dict):
    for k, v in rl.items():
        if k not in total or Fraction(v.value) > Fraction(total[k].value):
            total[k] = v


def _pod_resource_totals(pod: dict, which: str, use_status: bool) -> dict[str, Quantity]:
    """component-helpers resource.PodRequests / PodLimits (sidecars, init max, overhead,
    pod-level resources for cpu/memory)."""
    spec = _spec(pod)
    statuses = {s.get("name"): s for s in _status(pod).get("containerStatuses") or []}
    total: dict[str, Quantity] = {}
    for c in spec.get("containers") or []:
        rl = {k: qty(v) for k, v in ((c.get("resources") or {}).get(which) or {}).items()}
        st = statuses.get(c.get("name"))
        if use_status and st and st.get("resources"):
            _max_into(rl, {k: qty(v) for k, v in (st["resources"].get(which) or {}).items()})
        _add_into(total, rl)
    restartable: dict[str, Quantity] = {}
    init_max: dict[str, Quantity] = {}
    for c in spec.get("initContainers") or []:
        rl = {k: qty(v) for k, v in ((c.get("resources") or {}).get(which) or {}).items()}
        if c.get("restartPolicy") == "Always":
            _add_into(total, rl)
            _add_into(restartable, rl)
            tmp = dict(restartable)
        else:
            tmp = dict(rl)
            _add_into(tmp, restartable)
        _max_into(init_max, tmp)
    _max_into(total, init_max)
    pod_level = (spec.get("resources") or {}).get(which) or {}
    for k in ("cpu", "memory"):
        if k in pod_level:
            total[k] = qty(pod_level[k])
    if spec.get("overhead"):
        _add_into(total, {k: qty(v) for k, v in spec["overhead"].items()})
    return total


def _join_host_port(host: str, port: str) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _vol(w, text: str, *fields):
    """One volume source: `Type:` line at level 2, then `    Key:\tvalue` lines (kubectl
    writes them with a literal 4-space prefix inside the same Write)."""
    w.write(LEVEL_2, f"Type:\t{text}\n" + "".join(f"    {k}:\t{v}\n" for k, v in fields))


def _conditions_type_status_reason(w, conditions):
    if conditions:
        w.write(LEVEL_0, "Conditions:\n  Type\tStatus\tReason\n")
        w.write(LEVEL_1, "----\t------\t------\n")
        for c in conditions:
            w.write(LEVEL_1, f"{c.get('type', '')} \t{c.get('status', '')}\t{c.get('reason', '')}\n")


def _intstr(v) -> str:
    return "" if v is None else str(v)


def _pvc_class(pvc: dict) -> str:
    """storageutil.GetPersistentVolumeClaimClass: the beta annotation wins over the field."""
    ann = _meta(pvc).get("annotations") or {}
    if "volume.beta.kubernetes.io/storage-class" in ann:
        return ann["volume.beta.kubernetes.io/storage-class"]
    return _spec(pvc).get("storageClassName") or ""


def _access_modes(modes: list | None) -> str:
    short = {"ReadWriteOnce": "RWO", "ReadOnlyMany": "ROX", "ReadWriteMany": "RWX", "ReadWriteOncePod": "RWOP"}
    seen = []
    for m in ("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"):
        if m in (modes or []):
            seen.append(short[m])
    return ",".join(seen)


def _print_pvc(ctx, w, pvc: dict, full: bool):
    meta, spec, status = _meta(pvc), _spec(pvc), _status(pvc)
    if full:
        w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
        w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(LEVEL_0, f"StorageClass:\t{_pvc_class(pvc)}\n")
    if full:
        if meta.get("deletionTimestamp"):
            w.write(LEVEL_0, f"Status:\tTerminating (lasts {ctx.since(meta['deletionTimestamp'])})\n")
        else:
            w.write(LEVEL_0, f"Status:\t{status.get('phase', '')}\n")
    w.write(LEVEL_0, f"Volume:\t{spec.get('volumeName', '')}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    if full:
        w.write(LEVEL_0, f"Finalizers:\t[{' '.join(meta.get('finalizers') or [])}]\n")
    capacity, modes = "", ""
    if spec.get("volumeName"):
        modes = _access_modes(status.get("accessModes"))
        capacity = qty_str((status.get("capacity") or {}).get("storage", "0"))
    w.write(LEVEL_0, f"Capacity:\t{capacity}\n")
    w.write(LEVEL_0, f"Access Modes:\t{modes}\n")
    if spec.get("volumeMode") is not None:
        w.write(LEVEL_0, f"VolumeMode:\t{spec['volumeMode']}\n")
    ds = spec.get("dataSource")
    if ds is not None:
        w.write(LEVEL_0, "DataSource:\n")
        if ds.get("apiGroup") is not None:
            w.write(LEVEL_1, f"APIGroup:\t{ds['apiGroup']}\n")
        w.write(LEVEL_1, f"Kind:\t{ds.get('kind', '')}\n")
        w.write(LEVEL_1, f"Name:\t{ds.get('name', '')}\n")
