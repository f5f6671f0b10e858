"""Namespace, Node and PersistentVolumeClaim validation (ValidateNamespace, ValidateNode,
ValidatePersistentVolumeClaim and their updates in pkg/apis/core/validation/validation.go).
"""

from __future__ import annotations

import copy
import ipaddress
from typing import Any

from kctl.api import field
from kctl.api.field import FieldError, go_quote
from kctl.api.validation import names
from kctl.api.validation.meta import GoText, validate_label_name

TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"]  # upstream's order (not sorted)
ACCESS_MODES = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"]
VOLUME_MODES = ["Block", "Filesystem"]
PVC_SPEC_IMMUTABLE = "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"


# --------------------------------------------------------------------------- Namespace


def validate_namespace(obj: dict) -> list[FieldError]:
    """ValidateNamespace minus metadata: spec.finalizers are standard or qualified names."""
    errs: list[FieldError] = []
    fins = (obj.get("spec") or {}).get("finalizers") or []
    for f in fins:
        f = str(f)
        p = "spec.finalizers"
        msgs = names.qualified_name(f)
        errs.extend(field.invalid(p, f, m) for m in msgs)
        if not msgs and "/" not in f and f != "kubernetes":
            errs.append(field.invalid(p, f, "name is neither a standard finalizer name nor is it fully qualified"))
    return errs


def validate_namespace_update(new: dict, old: dict) -> list[FieldError]:
    """ValidateNamespaceUpdate checks metadata only (the strategy keeps spec and status)."""
    return []


# --------------------------------------------------------------------------- Node


def _go_taint(t: dict) -> GoText:
    return GoText(
        f'core.Taint{{Key:{go_quote(str(t.get("key", "")))}, Value:{go_quote(str(t.get("value", "")))}, '
        f'Effect:{go_quote(str(t.get("effect", "")))}, TimeAdded:(*v1.Time)(nil)}}'
    )


def validate_taints(taints: Any, path: str) -> list[FieldError]:
    """validateNodeTaints: key a qualified name, value a label value, effect enum, unique
    (key, effect)."""
    errs: list[FieldError] = []
    seen: dict[str, set] = {}
    for i, t in enumerate(taints or []):
        t = t if isinstance(t, dict) else {}
        ip = field.index(path, i)
        key = str(t.get("key", ""))
        errs.extend(validate_label_name(key, field.child(ip, "key")))
        value = str(t.get("value", "") or "")
        vmsgs = names.label_value(value)
        if vmsgs:
            errs.append(field.invalid(field.child(ip, "value"), value, ";".join(vmsgs)))
        effect = str(t.get("effect", "") or "")
        if not effect:
            errs.append(field.required(field.child(ip, "effect"), ""))
        elif effect not in TAINT_EFFECTS:
            errs.append(field.not_supported(field.child(ip, "effect"), effect, TAINT_EFFECTS))
        if key in seen.get(effect, set()):
            e = field.duplicate(ip, _go_taint(t))
            errs.append(field.FieldError(e.type, e.field, e.value, "taints must be unique by key and effect pair"))
            continue
        seen.setdefault(effect, set()).add(key)
    return errs


def _valid_cidr(s: str) -> bool:
    try:
        ipaddress.ip_network(s, strict=False)
    except ValueError:
        return False
    return "/" in s


def validate_node(obj: dict) -> list[FieldError]:
    """ValidateNode minus metadata. Upstream roots the taints path at `metadata` (a quirk kept
    here): `metadata.taints[0].effect`."""
    errs: list[FieldError] = []
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
    if spec.get("taints"):
        errs.extend(validate_taints(spec["taints"], "metadata.taints"))
    cidrs = spec.get("podCIDRs") or []
    for i, c in enumerate(cidrs):
        if not _valid_cidr(str(c)):
            errs.append(field.invalid(field.index("spec.podCIDRs", i), c,
                                      "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"))
    if len(cidrs) > 1:
        fams = set()
        ok = True
        for c in cidrs:
            try:
                fams.add(ipaddress.ip_network(str(c), strict=False).version)
            except ValueError:
                ok = False
        if ok and (len(fams) != len(cidrs) or len(cidrs) > 2):
            errs.append(field.invalid("spec.podCIDRs", GoText("[]string{" + ", ".join(go_quote(str(c)) for c in cidrs) + "}"),
                                      "may specify no more than one CIDR for each IP family"))
    return errs


def validate_node_update(new: dict, old: dict) -> list[FieldError]:
    """ValidateNodeUpdate minus metadata: podCIDRs and providerID only go from unset to set."""
    errs = validate_node(new)
    ns, os_ = new.get("spec") or {}, old.get("spec") or {}
    if os_.get("podCIDRs") and (ns.get("podCIDRs") or []) != os_.get("podCIDRs"):
        errs.append(field.forbidden("spec.podCIDRs", 'node updates may not change podCIDR except from "" to valid'))
    if os_.get("providerID") and ns.get("providerID") != os_.get("providerID"):
        errs.append(field.forbidden("spec.providerID", 'node updates may not change providerID except from "" to valid'))
    return errs


# --------------------------------------------------------------------------- PVC


def _quantity(s: Any):
    from kctl.api.quantity import parse_quantity

    try:
        return parse_quantity(s)
    except (ValueError, TypeError):
        return None


def validate_pvc_spec(spec: Any, path: str = "spec") -> list[FieldError]:
    """ValidatePersistentVolumeClaimSpec."""
    spec = spec if isinstance(spec, dict) else {}
    errs: list[FieldError] = []
    modes = spec.get("accessModes") or []
    ap = field.child(path, "accessModes")
    if not modes:
        errs.append(field.required(ap, "at least 1 access mode is required"))
    sel = spec.get("selector")
    if sel is not None:
        from kctl.api.validation.apps import validate_label_selector

        errs.extend(validate_label_selector(sel, field.child(path, "selector")))
    rwop = other = False
    for m in modes:
        if m not in ACCESS_MODES:
            errs.append(field.not_supported(ap, m, ACCESS_MODES))
        if m == "ReadWriteOncePod":
            rwop = True
        elif m in ACCESS_MODES:
            other = True
    if rwop and other:
        errs.append(field.forbidden(ap, "may not use ReadWriteOncePod with other access modes"))
    rp = field.key(field.child(path, "resources"), "storage")
    requests = ((spec.get("resources") or {}).get("requests") or {})
    if "storage" not in requests:
        errs.append(field.required(rp, ""))
    else:
        q = _quantity(requests["storage"])
        if q is not None and q.sign() <= 0:
            errs.append(field.invalid(rp, str(q), "must be greater than zero"))
    scn = spec.get("storageClassName")
    if isinstance(scn, str) and scn:
        errs.extend(field.invalid(field.child(path, "storageClassName"), scn, m) for m in names.dns1123_subdomain(scn))
    vm = spec.get("volumeMode")
    if vm is not None and vm not in VOLUME_MODES:
        errs.append(field.not_supported(field.child(path, "volumeMode"), vm, VOLUME_MODES))
    return errs


def validate_pvc(obj: dict) -> list[FieldError]:
    """ValidatePersistentVolumeClaim minus metadata."""
    return validate_pvc_spec(obj.get("spec"), "spec")


def validate_pvc_update(new: dict, old: dict) -> list[FieldError]:
    """ValidatePersistentVolumeClaimUpdate minus metadata: the spec is frozen except
    volumeName (once), and for bound claims resources.requests.storage and
    volumeAttributesClassName; storage may not shrink to status.capacity or below."""
    errs = validate_pvc(new)
    ns = copy.deepcopy(new.get("spec") or {})
    os_ = copy.deepcopy(old.get("spec") or {})
    if not os_.get("volumeName"):
        os_["volumeName"] = ns.get("volumeName")
    bound = ((new.get("status") or {}).get("phase")) == "Bound"
    if bound:
        nreq = (ns.get("resources") or {}).get("requests")
        if isinstance(nreq, dict):
            old_storage = ((os_.get("resources") or {}).get("requests") or {}).get("storage")
            if old_storage is None:
                nreq.pop("storage", None)
            else:
                nreq["storage"] = old_storage
        if ns.get("volumeAttributesClassName") is not None:
            ns["volumeAttributesClassName"] = os_.get("volumeAttributesClassName")
    if _norm(ns) != _norm(os_):
        errs.append(field.forbidden("spec", PVC_SPEC_IMMUTABLE))
    new_size = _quantity(((new.get("spec") or {}).get("resources") or {}).get("requests", {}).get("storage", "0"))
    old_size = _quantity(((old.get("spec") or {}).get("resources") or {}).get("requests", {}).get("storage", "0"))
    status_size = _quantity(((old.get("status") or {}).get("capacity") or {}).get("storage", "0"))
    if new_size is not None and old_size is not None and new_size < old_size:
        # RecoverVolumeExpansionFailure is GA: shrinking is allowed down to above status.capacity
        if status_size is not None and new_size <= status_size:
            errs.append(field.forbidden("spec.resources.requests.storage", "field can not be less than status.capacity"))
    nvm, ovm = (new.get("spec") or {}).get("volumeMode"), (old.get("spec") or {}).get("volumeMode")
    if nvm != ovm:
        errs.append(field.invalid("volumeMode", nvm, "field is immutable"))
    return errs


def _norm(v: Any) -> Any:
    if isinstance(v, dict):
        out = {k: _norm(x) for k, x in v.items()}
        out = {k: x for k, x in out.items() if x not in (None, {}, [])}
        # quantities compare semantically ("1Gi" == "1024Mi")
        return out
    if isinstance(v, list):
        return [_norm(x) for x in v]
    return v
