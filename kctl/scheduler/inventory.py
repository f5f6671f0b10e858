"""Node inventories → v1 Node objects (CLI-CONTRACT.md "Node inventory").

Two forms: kctl's compact `kctl.io/v1alpha1 NodeInventory` (node groups: name, count,
capacity, allocatable, labels, taints), expanded by `expand()`; and plain v1 Nodes as
`kubectl get nodes -o yaml` prints them from a real cluster, cleaned by `normalize_node()`.
Both give Nodes as a freshly registered kubelet would report them: Ready, with the standard
kubernetes.io/{hostname,os,arch} labels and a /24 podCIDR.

Pure: no store, no clock (pass `now` to stamp condition times).
"""

from __future__ import annotations

import copy
import ipaddress
import re
from typing import Any

from kctl.api import field as f
from kctl.api.field import FieldError
from kctl.api.validation.names import dns1123_label as is_dns1123_label, label_value as is_valid_label_value, qualified_name as is_qualified_name

API_VERSION = "kctl.io/v1alpha1"
KIND = "NodeInventory"
KUBELET_VERSION = "v1.37.0"
DEFAULT_PODS = "110"
TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"]

#: pod CIDRs: one /24 per node, in inventory order, from 10.244.0.0/16 (the first 256 nodes);
#: later nodes continue into 10.245.0.0/16 and on, so a 5,000-node inventory still gets
#: distinct ranges (the real node IPAM would stop at 256 with CIDRNotAvailable)
POD_CIDR_BASE = ipaddress.IPv4Address("10.244.0.0")
#: InternalIP of node i: 10.1.0.0/16 + i + 1 (deterministic, like a kind/kubeadm lab network)
NODE_IP_BASE = ipaddress.IPv4Address("10.1.0.0")

TAINT_NOT_READY = "node.kubernetes.io/not-ready"
TAINT_UNREACHABLE = "node.kubernetes.io/unreachable"
TAINT_UNSCHEDULABLE = "node.kubernetes.io/unschedulable"

_QUANTITY_RE = re.compile(r"^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$")
QUANTITY_MESSAGE = (
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
)


def pod_cidr(index: int) -> str:
    """The /24 of the node at `index` (0 → 10.244.0.0/24, 1 → 10.244.1.0/24, ...)."""
    return f"{ipaddress.IPv4Address(int(POD_CIDR_BASE) + index * 256)}/24"


def node_ip(index: int) -> str:
    return str(ipaddress.IPv4Address(int(NODE_IP_BASE) + index + 1))


# --------------------------------------------------------------------------- expand


def expand(obj: dict, first_index: int = 0, now: str | None = None) -> list[dict]:
    """A NodeInventory → its Nodes (`<group>-<i>`, in group order); a plain v1 Node →
    `[normalize_node(obj)]`. `first_index` numbers podCIDRs/IPs after nodes already placed.

    The inventory is assumed valid (see `validate_inventory`)."""
    if obj.get("kind") == "Node":
        return [normalize_node(obj, now=now)]
    inventory = (obj.get("metadata") or {}).get("name", "")
    nodes = []
    index = first_index
    for group in obj.get("nodeGroups") or []:
        capacity = _quantities(group.get("capacity") or {})
        capacity.setdefault("pods", DEFAULT_PODS)
        allocatable = dict(capacity)
        allocatable.update(_quantities(group.get("allocatable") or {}))
        for i in range(int(group.get("count", 0))):
            name = f"{group['name']}-{i}"
            labels = dict(group.get("labels") or {})
            labels.update({
                "kubernetes.io/arch": "amd64",
                "kubernetes.io/hostname": name,
                "kubernetes.io/os": "linux",
            })
            spec: dict[str, Any] = {"podCIDR": pod_cidr(index), "podCIDRs": [pod_cidr(index)]}
            taints = [dict(t) for t in group.get("taints") or []]
            if taints:
                spec["taints"] = taints
            node = {
                "apiVersion": "v1",
                "kind": "Node",
                "metadata": {
                    "name": name,
                    "labels": dict(sorted(labels.items())),
                    "annotations": {"kctl.io/inventory": inventory, "kctl.io/node-group": group["name"]},
                },
                "spec": spec,
                "status": {
                    "capacity": dict(capacity),
                    "allocatable": dict(allocatable),
                    "conditions": conditions(spec, now),
                    "addresses": [
                        {"type": "InternalIP", "address": node_ip(index)},
                        {"type": "Hostname", "address": name},
                    ],
                    "nodeInfo": node_info(),
                },
            }
            nodes.append(node)
            index += 1
    return nodes


def node_info(arch: str = "amd64", os: str = "linux") -> dict:
    return {
        "architecture": arch,
        "bootID": "",
        "containerRuntimeVersion": "containerd://2.1.0",
        "kernelVersion": "6.8.0-kctl",
        "kubeProxyVersion": "",
        "kubeletVersion": KUBELET_VERSION,
        "machineID": "",
        "operatingSystem": os,
        "osImage": "kctl simulated node",
        "systemUUID": "",
    }


def conditions(spec: dict, now: str | None = None) -> list[dict]:
    """The four kubelet conditions of a healthy node; Ready follows the lifecycle taints:
    `node.kubernetes.io/not-ready` → False, `node.kubernetes.io/unreachable` → Unknown.
    A cordon (`spec.unschedulable`) or any other taint leaves the node Ready, as upstream."""
    keys = {t.get("key") for t in spec.get("taints") or [] if isinstance(t, dict)}
    if TAINT_UNREACHABLE in keys:
        ready = ("Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.")
    elif TAINT_NOT_READY in keys:
        ready = ("False", "KubeletNotReady", "container runtime network not ready")
    else:
        ready = ("True", "KubeletReady", "kubelet is posting ready status")
    rows = [
        ("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
        ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        ("Ready",) + ready,
    ]
    out = []
    for type_, status, reason, message in rows:
        c = {"type": type_, "status": status, "reason": reason, "message": message}
        if now is not None:
            c["lastHeartbeatTime"] = now
            c["lastTransitionTime"] = now
        out.append(c)
    return out


_DROP_META = ("uid", "resourceVersion", "managedFields", "creationTimestamp", "generation", "selfLink",
              "deletionTimestamp", "deletionGracePeriodSeconds")
_KEEP_STATUS = ("capacity", "allocatable", "nodeInfo", "addresses")


def normalize_node(obj: dict, now: str | None = None) -> dict:
    """A Node from a real cluster's `kubectl get nodes -o yaml`, as kctl registers it:
    server-set metadata dropped; status keeps capacity, allocatable (defaults to capacity),
    nodeInfo and addresses, with fresh kubelet conditions; images, volumes, daemonEndpoints
    and stale conditions go. Labels kubernetes.io/{hostname,os,arch} are filled if missing."""
    node = copy.deepcopy(obj)
    node["apiVersion"] = "v1"
    node["kind"] = "Node"
    meta = node.setdefault("metadata", {})
    for k in _DROP_META:
        meta.pop(k, None)
    spec = node.get("spec")
    if not isinstance(spec, dict):
        spec = node["spec"] = {}
    old = node.get("status") or {}
    status = {k: old[k] for k in _KEEP_STATUS if k in old}
    capacity = _quantities(status.get("capacity") or {})
    if capacity:
        capacity.setdefault("pods", DEFAULT_PODS)
    allocatable = dict(capacity)
    allocatable.update(_quantities(status.get("allocatable") or {}))
    status["capacity"] = capacity
    status["allocatable"] = allocatable
    info = status.get("nodeInfo") or {}
    labels = meta.get("labels")
    if not isinstance(labels, dict):
        labels = meta["labels"] = {}
    name = meta.get("name", "")
    labels.setdefault("kubernetes.io/hostname", name)
    labels.setdefault("kubernetes.io/os", info.get("operatingSystem") or "linux")
    labels.setdefault("kubernetes.io/arch", info.get("architecture") or "amd64")
    status["conditions"] = conditions(spec, now)
    status.setdefault("addresses", [{"type": "Hostname", "address": name}])
    status.setdefault("nodeInfo", node_info(labels["kubernetes.io/arch"], labels["kubernetes.io/os"]))
    node["status"] = {k: status[k] for k in ("capacity", "allocatable", "conditions", "addresses", "nodeInfo")}
    return node


def _quantities(m: dict) -> dict[str, str]:
    # YAML may give `cpu: 8` as a number; resources are quantity strings in the API
    return {str(k): _canonical(v) for k, v in m.items()}


def _canonical(v: Any) -> str:
    s = v if isinstance(v, str) else str(v)
    try:
        from kctl.api.quantity import parse_quantity  # written by another helper; optional
    except ImportError:
        return s
    try:
        return str(parse_quantity(s))
    except ValueError:
        return s


# --------------------------------------------------------------------------- validation

_TOP_FIELDS = {"apiVersion", "kind", "metadata", "nodeGroups"}
_GROUP_FIELDS = {"name", "count", "capacity", "allocatable", "labels", "taints"}
_TAINT_FIELDS = {"key", "value", "effect", "timeAdded"}


def unknown_fields(obj: dict) -> list[str]:
    """The API server's strict-decoding texts for fields a NodeInventory does not have,
    e.g. `unknown field "nodeGroups[0].capcity"`."""
    out = [f'unknown field "{k}"' for k in obj if k not in _TOP_FIELDS]
    groups = obj.get("nodeGroups")
    if isinstance(groups, list):
        for i, g in enumerate(groups):
            if not isinstance(g, dict):
                continue
            out += [f'unknown field "nodeGroups[{i}].{k}"' for k in g if k not in _GROUP_FIELDS]
            taints = g.get("taints")
            if isinstance(taints, list):
                for j, t in enumerate(taints):
                    if isinstance(t, dict):
                        out += [f'unknown field "nodeGroups[{i}].taints[{j}].{k}"' for k in t if k not in _TAINT_FIELDS]
    return out


def _check_quantity(path: str, value: Any) -> list[FieldError]:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return [f.invalid(path, value, QUANTITY_MESSAGE, rule="quantity")]
    s = str(value)
    try:
        from kctl.api.quantity import parse_quantity
    except ImportError:
        parse_quantity = None
    if parse_quantity is not None:
        try:
            q = parse_quantity(s)
        except ValueError as e:
            return [f.invalid(path, value, str(e), rule="quantity")]
        negative = q.value < 0
    else:
        # minimal local check until kctl.api.quantity exists
        if not _QUANTITY_RE.match(s) or s.count(".") > 1 or not any(c.isdigit() for c in s.split("e")[0].split("E")[0]):
            return [f.invalid(path, value, QUANTITY_MESSAGE, rule="quantity")]
        negative = s.startswith("-")
    if negative:
        return [f.invalid(path, value, "must be greater than or equal to 0", rule="quantity-nonnegative")]
    return []


def validate_inventory(obj: dict) -> list[FieldError]:
    """Semantic checks of a NodeInventory (paths like `nodeGroups[0].capacity[cpu]`).
    Unknown fields are reported separately by `unknown_fields`."""
    errs: list[FieldError] = []
    groups = obj.get("nodeGroups")
    if not groups:
        return [f.required("nodeGroups", rule="inventory-groups")]
    if not isinstance(groups, list):
        return [f.invalid("nodeGroups", groups, "must be a list of node groups", rule="inventory-groups")]
    seen: set[str] = set()
    for i, g in enumerate(groups):
        p = f"nodeGroups[{i}]"
        if not isinstance(g, dict):
            errs.append(f.invalid(p, g, "must be an object", rule="inventory-group"))
            continue
        name = g.get("name")
        if name is None or name == "":
            errs.append(f.required(f"{p}.name"))
        elif not isinstance(name, str):
            errs.append(f.invalid(f"{p}.name", name, "must be a string"))
        else:
            msgs = is_dns1123_label(name)
            if msgs:
                errs.append(f.invalid(f"{p}.name", name, "; ".join(msgs), rule="dns1123-label"))
            elif name in seen:
                errs.append(f.duplicate(f"{p}.name", name))
            seen.add(name)
        count = g.get("count")
        if count is None:
            errs.append(f.required(f"{p}.count"))
        elif isinstance(count, bool) or not isinstance(count, int):
            errs.append(f.invalid(f"{p}.count", count, "must be an integer", rule="integer"))
        elif count < 0:
            errs.append(f.invalid(f"{p}.count", count, "must be greater than or equal to 0", rule="nonnegative"))
        for section, required in (("capacity", True), ("allocatable", False)):
            m = g.get(section)
            if m is None:
                if required:
                    errs.append(f.required(f"{p}.{section}"))
                continue
            if not isinstance(m, dict):
                errs.append(f.invalid(f"{p}.{section}", m, "must be a map of resource name to quantity"))
                continue
            for k, v in m.items():
                errs += _check_quantity(f"{p}.{section}[{k}]", v)
        labels = g.get("labels")
        if labels is not None:
            if not isinstance(labels, dict):
                errs.append(f.invalid(f"{p}.labels", labels, "must be a map of string to string"))
            else:
                for k, v in labels.items():
                    msgs = is_qualified_name(str(k))
                    if msgs:
                        errs.append(f.invalid(f"{p}.labels", k, "; ".join(msgs), rule="label-key"))
                    if not isinstance(v, str):
                        errs.append(f.invalid(f"{p}.labels", v, "label values must be strings", rule="label-value"))
                        continue
                    msgs = is_valid_label_value(v)
                    if msgs:
                        errs.append(f.invalid(f"{p}.labels", v, "; ".join(msgs), rule="label-value"))
        taints = g.get("taints")
        if taints is not None:
            if not isinstance(taints, list):
                errs.append(f.invalid(f"{p}.taints", taints, "must be a list of taints"))
            else:
                errs += _validate_taints(taints, f"{p}.taints")
    return errs


def _validate_taints(taints: list, path: str) -> list[FieldError]:
    # upstream validateNodeTaints: key is a qualified name, value a label value, effect an enum,
    # and a key+effect pair appears once
    errs: list[FieldError] = []
    pairs: set[tuple] = set()
    for j, t in enumerate(taints):
        p = f"{path}[{j}]"
        if not isinstance(t, dict):
            errs.append(f.invalid(p, t, "must be an object"))
            continue
        key = t.get("key")
        if not key:
            errs.append(f.required(f"{p}.key"))
        else:
            msgs = is_qualified_name(str(key))
            if msgs:
                errs.append(f.invalid(f"{p}.key", key, "; ".join(msgs), rule="qualified-name"))
        value = t.get("value")
        if value is not None:
            msgs = is_valid_label_value(str(value))
            if msgs:
                errs.append(f.invalid(f"{p}.value", value, "; ".join(msgs), rule="label-value"))
        effect = t.get("effect")
        if not effect:
            errs.append(f.required(f"{p}.effect"))
        elif effect not in TAINT_EFFECTS:
            errs.append(f.not_supported(f"{p}.effect", effect, TAINT_EFFECTS, rule="taint-effect"))
        pair = (key, effect)
        if key and effect and pair in pairs:
            errs.append(FieldError(f.DUPLICATE, p, t, "taints must be unique by key and effect pair", "taint-unique"))
            continue
        pairs.add(pair)
    return errs
