"""Pod and PodSpec validation (pkg/apis/core/validation/validation.go, Kubernetes 1.37).

Input objects are v1 dicts that were already defaulted (imagePullPolicy,
terminationMessagePolicy, restartPolicy, dnsPolicy, probe timings ... are filled in).
Every error is a `kctl.api.field.FieldError` whose `str()` is the API server's text;
errors come in upstream's order and all of them are reported.

Public: validate_pod_spec, validate_pod_template_spec, validate_pod, validate_pod_update,
plus the pieces other validators reuse (validate_tolerations, validate_label_selector,
validate_resource_requirements, validate_node_selector ...).
"""

from __future__ import annotations

import ipaddress
import json
import posixpath
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from kctl.api import field
from kctl.api.field import FieldError
from kctl.api.quantity import Quantity, parse_quantity
from kctl.api.validation import names
from kctl.api.validation.meta import (
    GoText,
    IS_NEGATIVE,
    validate_label_name,
    validate_labels,
    validate_annotations,
    validate_nonnegative,
    validate_object_meta,
    validate_object_meta_update,
)

MAX_INT32 = 2**31 - 1
IS_NOT_POSITIVE = "must be greater than zero"
IS_NOT_INTEGER = "must be an integer"
FILE_MODE_ERROR = "must be a number between 0 and 0777 (octal), both inclusive"

RESTART_POLICIES = ["Always", "OnFailure", "Never"]
DNS_POLICIES = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"]
PULL_POLICIES = ["Always", "IfNotPresent", "Never"]  # sets.List order (sorted)
TERMINATION_MESSAGE_POLICIES = ["File", "FallbackToLogsOnError"]
PORT_PROTOCOLS = ["SCTP", "TCP", "UDP"]  # sets.List order (sorted)
TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"]
TOLERATION_OPERATORS = ["Equal", "Exists"]
HTTP_SCHEMES = ["HTTP", "HTTPS"]
HOST_PATH_TYPES = ["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"]
MOUNT_PROPAGATIONS = ["Bidirectional", "HostToContainer", "None"]
PREEMPTION_POLICIES = ["PreemptLowerPriority", "Never"]
WHEN_UNSATISFIABLE = ["DoNotSchedule", "ScheduleAnyway"]
SECCOMP_TYPES = ["Localhost", "RuntimeDefault", "Unconfined"]
FS_GROUP_CHANGE_POLICIES = ["Always", "OnRootMismatch"]
VALID_OS = ["linux", "windows"]
PROC_MOUNT_TYPES = ["Default", "Unmasked"]

# validateVolumeSource checks sources in this order; the second one found is "more than 1"
VOLUME_SOURCES = [
    "emptyDir", "hostPath", "gitRepo", "gcePersistentDisk", "awsElasticBlockStore", "secret", "nfs",
    "iscsi", "glusterfs", "flocker", "persistentVolumeClaim", "rbd", "cinder", "cephfs", "quobyte",
    "downwardAPI", "fc", "flexVolume", "configMap", "azureFile", "vsphereVolume",
    "photonPersistentDisk", "portworxVolume", "azureDisk", "storageos", "projected", "scaleIO",
    "csi", "ephemeral", "image",
]
# upstream's Forbidden paths for a second source (note the historical spellings)
_VOLUME_FORBIDDEN_CHILD = {"cephfs": "cephFS", "downwardAPI": "downwarAPI"}

ENV_FIELD_PATHS = sorted([
    "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName",
    "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs",
])
VOLUME_FIELD_PATHS = sorted(["metadata.name", "metadata.namespace", "metadata.labels", "metadata.annotations", "metadata.uid"])
# fields the v1 downward API converter knows (pods.ConvertDownwardAPIFieldLabel)
_CONVERTIBLE_FIELD_PATHS = {
    "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid",
    "spec.nodeName", "spec.restartPolicy", "spec.serviceAccountName", "spec.schedulerName",
    "status.phase", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs",
}
CONTAINER_RESOURCE_FIELDS = sorted([
    "limits.cpu", "limits.memory", "limits.ephemeral-storage",
    "requests.cpu", "requests.memory", "requests.ephemeral-storage",
])

STANDARD_CONTAINER_RESOURCES = {"cpu", "memory", "ephemeral-storage"}
# helper.IsStandardResourceName: container resources + quota names
STANDARD_RESOURCES = STANDARD_CONTAINER_RESOURCES | {
    "pods", "services", "replicationcontrollers", "resourcequotas", "secrets", "configmaps",
    "persistentvolumeclaims", "storage", "requests.cpu", "requests.memory", "requests.storage",
    "requests.ephemeral-storage", "limits.cpu", "limits.memory", "limits.ephemeral-storage",
    "services.nodeports", "services.loadbalancers",
}
UPDATABLE_POD_SPEC_FIELDS = [
    "`spec.containers[*].image`",
    "`spec.initContainers[*].image`",
    "`spec.activeDeadlineSeconds`",
    "`spec.tolerations` (only additions to existing tolerations)",
    "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
]
POD_UPDATE_FORBIDDEN = "pod updates may not change fields other than " + ",".join(UPDATABLE_POD_SPEC_FIELDS)

# restartPolicy rules of workload templates (pkg/apis/apps/validation, batch/validation)
_TEMPLATE_RESTART = {
    "Deployment": ["Always"], "ReplicaSet": ["Always"], "StatefulSet": ["Always"], "DaemonSet": ["Always"],
    "ReplicationController": ["Always"], "Job": ["OnFailure", "Never"], "CronJob": ["OnFailure", "Never"],
}


@dataclass
class PodValidationOptions:
    """The subset of upstream's PodValidationOptions kctl needs."""

    #: the object is a Pod (not a template): hostPort must equal containerPort under hostNetwork
    resource_is_pod: bool = False
    #: pod metadata (for ephemeral volume PVC names); None for templates
    pod_meta: dict | None = None


# ---------------------------------------------------------------------------------------------
# small helpers


def _d(v: Any) -> dict:
    return v if isinstance(v, dict) else {}


def _l(v: Any) -> list:
    return v if isinstance(v, list) else []


def _s(v: Any) -> str:
    return "" if v is None else str(v)


def _int(v: Any) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return None


def _quoted_list(values: list) -> str:
    return "[]string{" + ", ".join(field.go_quote(str(v)) for v in values) + "}"


def validate_dns1123_label(value: str, path: str) -> list[FieldError]:
    return [field.invalid(path, value, m, rule="dns1123-label") for m in names.dns1123_label(value)]


def validate_dns1123_subdomain(value: str, path: str) -> list[FieldError]:
    return [field.invalid(path, value, m, rule="dns1123-subdomain") for m in names.dns1123_subdomain(value)]


def validate_qualified_name(value: str, path: str) -> list[FieldError]:
    return [field.invalid(path, value, m, rule="qualified-name") for m in names.qualified_name(value)]


def _is_valid_ip(path: str, value: str) -> list[FieldError]:
    """validation.IsValidIP (1.37 wording)."""
    try:
        ipaddress.ip_address(value)
        if "%" in value:
            raise ValueError
    except ValueError:
        return [field.invalid(path, value, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)")]
    return []


def _validate_path_no_backsteps(target: str, path: str) -> list[FieldError]:
    if ".." in target.replace("\\", "/").split("/"):
        return [field.invalid(path, target, "must not contain '..'")]
    return []


def _validate_local_descending_path(target: str, path: str) -> list[FieldError]:
    errs = []
    if posixpath.isabs(target):
        errs.append(field.invalid(path, target, "must be a relative path"))
    errs.extend(_validate_path_no_backsteps(target, path))
    return errs


def _validate_local_non_reserved_path(target: str, path: str) -> list[FieldError]:
    errs = _validate_local_descending_path(target, path)
    # not reported again when the '..' element check above already caught it
    if target.startswith("..") and not target.startswith("../"):
        errs.append(field.invalid(path, target, "must not start with '..'"))
    return errs


def _file_mode(mode: Any, path: str) -> list[FieldError]:
    m = _int(mode)
    if mode is not None and m is not None and (m > 0o777 or m < 0):
        return [field.invalid(path, m, FILE_MODE_ERROR)]
    return []


# ---------------------------------------------------------------------------------------------
# label selectors (apimachinery meta/v1 validation) — shared with the apps validators


def validate_label_selector(selector: Any, path: str, *, allow_invalid_label_value: bool = False) -> list[FieldError]:
    """ValidateLabelSelector: matchLabels as labels; matchExpressions operator/values/key rules."""
    errs: list[FieldError] = []
    if not isinstance(selector, dict):
        return errs
    errs.extend(validate_labels(selector.get("matchLabels"), field.child(path, "matchLabels")))
    for i, expr in enumerate(_l(selector.get("matchExpressions"))):
        errs.extend(validate_label_selector_requirement(
            _d(expr), field.index(field.child(path, "matchExpressions"), i),
            allow_invalid_label_value=allow_invalid_label_value))
    return errs


def validate_label_selector_requirement(req: dict, path: str, *, allow_invalid_label_value: bool = False) -> list[FieldError]:
    errs: list[FieldError] = []
    op = _s(req.get("operator"))
    values = _l(req.get("values"))
    if op in ("In", "NotIn"):
        if not values:
            errs.append(field.required(field.child(path, "values"), "must be specified when `operator` is 'In' or 'NotIn'"))
    elif op in ("Exists", "DoesNotExist"):
        if values:
            errs.append(field.forbidden(field.child(path, "values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
    else:
        errs.append(field.invalid(field.child(path, "operator"), op, "not a valid selector operator"))
    errs.extend(validate_label_name(_s(req.get("key")), field.child(path, "key")))
    if not allow_invalid_label_value:
        for vi, v in enumerate(values):
            errs.extend(field.invalid(field.index(field.child(path, "values"), vi), _s(v), m)
                        for m in names.label_value(_s(v)))
    return errs


# ---------------------------------------------------------------------------------------------
# volumes


def validate_volumes(volumes: Any, path: str, opts: PodValidationOptions) -> tuple[dict[str, dict], list[FieldError]]:
    """ValidateVolumes: returns (valid volumes by name, errors). A volume with any error is not
    registered, so mounts that name it report `Not found` as upstream does."""
    errs: list[FieldError] = []
    all_names: set[str] = set()
    vols: dict[str, dict] = {}
    pod_name = _s(_d(opts.pod_meta).get("name")) if opts.pod_meta else ""
    created_pvcs = {f"{pod_name}-{_s(_d(v).get('name'))}" for v in _l(volumes)
                    if pod_name and _d(v).get("ephemeral") is not None}
    for i, vol in enumerate(_l(volumes)):
        vol = _d(vol)
        idx = field.index(path, i)
        name_path = field.child(idx, "name")
        name = _s(vol.get("name"))
        el = _validate_volume_source(vol, idx, name, opts)
        if not name:
            el.append(field.required(name_path, ""))
        else:
            el.extend(validate_dns1123_label(name, name_path))
        if name in all_names:
            el.append(field.duplicate(name_path, name))
        if not el:
            all_names.add(name)
            vols[name] = vol
        else:
            errs.extend(el)
        claim = _d(vol.get("persistentVolumeClaim"))
        if claim and _s(claim.get("claimName")) in created_pvcs:
            errs.append(field.invalid(field.child(field.child(idx, "persistentVolumeClaim"), "claimName"),
                                      _s(claim.get("claimName")),
                                      "must not reference a PVC that gets created for an ephemeral volume"))
    return vols, errs


def _validate_volume_source(vol: dict, path: str, vol_name: str, opts: PodValidationOptions) -> list[FieldError]:
    errs: list[FieldError] = []
    num = 0
    for src in VOLUME_SOURCES:
        if vol.get(src) is None:
            continue
        if src == "emptyDir":
            # emptyDir comes first, so it is never the "more than 1"
            num += 1
            size = _d(vol.get(src)).get("sizeLimit")
            if size is not None:
                try:
                    if parse_quantity(size).sign() < 0:
                        errs.append(field.forbidden(field.child(field.child(path, "emptyDir"), "sizeLimit"),
                                                    "SizeLimit field must be a valid resource quantity"))
                except ValueError as e:
                    errs.append(field.invalid(field.child(field.child(path, "emptyDir"), "sizeLimit"), _s(size), str(e)))
            continue
        if num > 0:
            errs.append(field.forbidden(field.child(path, _VOLUME_FORBIDDEN_CHILD.get(src, src)),
                                        "may not specify more than 1 volume type"))
            continue
        num += 1
        errs.extend(_validate_one_source(src, _d(vol.get(src)), field.child(path, src), vol_name, opts))
    if num == 0:
        errs.append(field.required(path, "must specify a volume type"))
    return errs


def _validate_key_to_path(kp: dict, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    if not _s(kp.get("key")):
        errs.append(field.required(field.child(path, "key"), ""))
    p = _s(kp.get("path"))
    if not p:
        errs.append(field.required(field.child(path, "path"), ""))
    errs.extend(_validate_local_non_reserved_path(p, field.child(path, "path")))
    errs.extend(_file_mode(kp.get("mode"), field.child(path, "mode")))
    return errs


def _validate_one_source(src: str, s: dict, path: str, vol_name: str, opts: PodValidationOptions) -> list[FieldError]:
    errs: list[FieldError] = []
    if src == "hostPath":
        p = _s(s.get("path"))
        if not p:
            return [field.required(field.child(path, "path"), "")]
        errs.extend(_validate_path_no_backsteps(p, field.child(path, "path")))
        t = s.get("type")
        if t is not None and _s(t) not in HOST_PATH_TYPES:
            errs.append(field.not_supported(field.child(path, "type"), _s(t), HOST_PATH_TYPES))
    elif src == "secret":
        if not _s(s.get("secretName")):
            errs.append(field.required(field.child(path, "secretName"), ""))
        errs.extend(_file_mode(s.get("defaultMode"), field.child(path, "defaultMode")))
        for i, kp in enumerate(_l(s.get("items"))):
            errs.extend(_validate_key_to_path(_d(kp), field.index(field.child(path, "items"), i)))
    elif src == "configMap":
        if not _s(s.get("name")):
            errs.append(field.required(field.child(path, "name"), ""))
        errs.extend(_file_mode(s.get("defaultMode"), field.child(path, "defaultMode")))
        for i, kp in enumerate(_l(s.get("items"))):
            errs.extend(_validate_key_to_path(_d(kp), field.index(field.child(path, "items"), i)))
    elif src == "persistentVolumeClaim":
        if not _s(s.get("claimName")):
            errs.append(field.required(field.child(path, "claimName"), ""))
    elif src == "nfs":
        if not _s(s.get("server")):
            errs.append(field.required(field.child(path, "server"), ""))
        p = _s(s.get("path"))
        if not p:
            errs.append(field.required(field.child(path, "path"), ""))
        if not posixpath.isabs(p):
            errs.append(field.invalid(field.child(path, "path"), p, "must be an absolute path"))
    elif src == "gitRepo":
        if not _s(s.get("repository")):
            errs.append(field.required(field.child(path, "repository"), ""))
        errs.extend(_validate_local_descending_path(_s(s.get("directory")), field.child(path, "directory")))
    elif src == "downwardAPI":
        errs.extend(_file_mode(s.get("defaultMode"), field.child(path, "defaultMode")))
        for item in _l(s.get("items")):
            # upstream reports item errors on the source path, without an index
            errs.extend(_validate_downward_api_file(_d(item), path))
    elif src == "projected":
        errs.extend(_validate_projected(s, path))
    elif src == "csi":
        if not _s(s.get("driver")):
            errs.append(field.required(field.child(path, "driver"), ""))
    elif src == "ephemeral":
        if s.get("volumeClaimTemplate") is None:
            errs.append(field.required(field.child(path, "volumeClaimTemplate"), ""))
        pod_name = _s(_d(opts.pod_meta).get("name")) if opts.pod_meta else ""
        if pod_name and vol_name:
            pvc = f"{pod_name}-{vol_name}"
            for m in names.dns1123_subdomain(pvc):
                errs.append(field.invalid(field.child(path, "name"), vol_name, f'PVC name "{pvc}": {m}'))
    elif src == "image":
        # templates may leave the reference to be filled in later; pods may not
        if opts.resource_is_pod and not _s(s.get("reference")):
            errs.append(field.required(field.child(path, "reference"), ""))
        errs.extend(_validate_pull_policy(s.get("pullPolicy"), field.child(path, "pullPolicy")))
    return errs


def _validate_downward_api_file(item: dict, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    p = _s(item.get("path"))
    if not p:
        errs.append(field.required(field.child(path, "path"), ""))
    errs.extend(_validate_local_non_reserved_path(p, field.child(path, "path")))
    if item.get("fieldRef") is not None:
        errs.extend(_validate_object_field_selector(_d(item.get("fieldRef")), VOLUME_FIELD_PATHS,
                                                    field.child(path, "fieldRef")))
        if item.get("resourceFieldRef") is not None:
            errs.append(field.invalid(path, "resource", "fieldRef and resourceFieldRef can not be specified simultaneously"))
    elif item.get("resourceFieldRef") is not None:
        errs.extend(_validate_resource_field_selector(_d(item.get("resourceFieldRef")),
                                                      field.child(path, "resourceFieldRef"), volume=True))
    else:
        errs.append(field.required(path, "one of fieldRef and resourceFieldRef is required"))
    errs.extend(_file_mode(item.get("mode"), field.child(path, "mode")))
    return errs


def _validate_projected(s: dict, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    errs.extend(_file_mode(s.get("defaultMode"), field.child(path, "defaultMode")))
    all_paths: set[str] = set()
    for i, source in enumerate(_l(s.get("sources"))):
        source = _d(source)
        src_path = field.index(field.child(path, "sources"), i)
        num = 0
        for kind in ("secret", "configMap"):
            if source.get(kind) is None:
                continue
            num += 1
            sub = _d(source.get(kind))
            proj_path = field.child(src_path, kind)
            if not _s(sub.get("name")):
                errs.append(field.required(field.child(proj_path, "name"), ""))
            for j, kp in enumerate(_l(sub.get("items"))):
                kp = _d(kp)
                errs.extend(_validate_key_to_path(kp, field.index(field.child(proj_path, "items"), j)))
                p = _s(kp.get("path"))
                if p:
                    if p in all_paths:
                        errs.append(field.invalid(path, _s(sub.get("name")), "conflicting duplicate paths"))
                    all_paths.add(p)
        if source.get("downwardAPI") is not None:
            num += 1
            proj_path = field.child(src_path, "downwardAPI")
            for item in _l(_d(source.get("downwardAPI")).get("items")):
                item = _d(item)
                errs.extend(_validate_downward_api_file(item, proj_path))
                p = _s(item.get("path"))
                if p:
                    if p in all_paths:
                        errs.append(field.invalid(path, p, "conflicting duplicate paths"))
                    all_paths.add(p)
        if source.get("serviceAccountToken") is not None:
            num += 1
            sat = _d(source.get("serviceAccountToken"))
            sat_path = field.child(src_path, "serviceAccountToken")
            exp = _int(sat.get("expirationSeconds"))
            if exp is not None:
                if exp < 10 * 60:
                    errs.append(field.invalid(field.child(sat_path, "expirationSeconds"), exp,
                                              "may not specify a duration less than 10 minutes"))
                if exp > 1 << 32:
                    errs.append(field.invalid(field.child(sat_path, "expirationSeconds"), exp,
                                              "may not specify a duration larger than 2^32 seconds"))
            p = _s(sat.get("path"))
            # upstream hangs these on the projected volume's path, not the source's
            if not p:
                errs.append(field.required(field.child(path, "path"), ""))
            else:
                errs.extend(_validate_local_non_reserved_path(p, field.child(path, "path")))
        if source.get("clusterTrustBundle") is not None:
            num += 1
            ctb = _d(source.get("clusterTrustBundle"))
            ctb_path = field.child(src_path, "clusterTrustBundle")
            if ctb.get("name") is None and ctb.get("signerName") is None:
                errs.append(field.required(ctb_path, "either name or signerName must be specified"))
            p = _s(ctb.get("path"))
            if not p:
                errs.append(field.required(field.child(ctb_path, "path"), ""))
            errs.extend(_validate_local_non_reserved_path(p, field.child(ctb_path, "path")))
            if p in all_paths:
                errs.append(field.invalid(path, p, "conflicting duplicate paths"))
            all_paths.add(p)
        if source.get("podCertificate") is not None:
            num += 1
        if num > 1:
            errs.append(field.forbidden(src_path, "may not specify more than 1 volume type per source"))
    return errs


# ---------------------------------------------------------------------------------------------
# containers


def _validate_container_ports(ports: Any, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    seen: set[str] = set()
    for i, port in enumerate(_l(ports)):
        port = _d(port)
        idx = field.index(path, i)
        name = _s(port.get("name"))
        if name:
            msgs = names.is_valid_port_name(name)
            if msgs:
                errs.extend(field.invalid(field.child(idx, "name"), name, m) for m in msgs)
            elif name in seen:
                errs.append(field.duplicate(field.child(idx, "name"), name))
            else:
                seen.add(name)
        cp = _int(port.get("containerPort")) or 0
        if cp == 0:
            errs.append(field.required(field.child(idx, "containerPort"), ""))
        else:
            errs.extend(field.invalid(field.child(idx, "containerPort"), cp, m) for m in names.is_valid_port_num(cp))
        hp = _int(port.get("hostPort")) or 0
        if hp != 0:
            errs.extend(field.invalid(field.child(idx, "hostPort"), hp, m) for m in names.is_valid_port_num(hp))
        proto = _s(port.get("protocol"))
        if not proto:
            errs.append(field.required(field.child(idx, "protocol"), ""))
        elif proto not in PORT_PROTOCOLS:
            errs.append(field.not_supported(field.child(idx, "protocol"), proto, PORT_PROTOCOLS))
    return errs


def _validate_object_field_selector(fs: dict, expressions: list[str], path: str) -> list[FieldError]:
    api_version = _s(fs.get("apiVersion"))
    if not api_version:
        return [field.required(field.child(path, "apiVersion"), "")]
    fp = _s(fs.get("fieldPath"))
    if not fp:
        return [field.required(field.child(path, "fieldPath"), "")]
    if api_version != "v1":
        return [field.invalid(field.child(path, "fieldPath"), fp, f"error converting fieldPath: unsupported pod version: {api_version}")]
    base, subscript = fp, None
    if fp.endswith("']") and "['" in fp:
        base, subscript = fp[:fp.index("['")], fp[fp.index("['") + 2:-2]
    if base not in _CONVERTIBLE_FIELD_PATHS or (subscript is not None and base not in ("metadata.annotations", "metadata.labels")):
        return [field.invalid(field.child(path, "fieldPath"), fp, f"error converting fieldPath: field label not supported: {fp}")]
    if subscript is not None:
        key = subscript.lower() if base == "metadata.annotations" else subscript
        return validate_qualified_name(key, path)
    if base not in expressions:
        return [field.not_supported(field.child(path, "fieldPath"), base, expressions)]
    return []


def _validate_resource_field_selector(fs: dict, path: str, *, volume: bool) -> list[FieldError]:
    errs: list[FieldError] = []
    res = _s(fs.get("resource"))
    if volume and not _s(fs.get("containerName")):
        errs.append(field.required(field.child(path, "containerName"), ""))
    elif not res:
        errs.append(field.required(field.child(path, "resource"), ""))
    elif res not in CONTAINER_RESOURCE_FIELDS and not res.startswith(("requests.hugepages-", "limits.hugepages-")):
        errs.append(field.not_supported(field.child(path, "resource"), res, CONTAINER_RESOURCE_FIELDS))
    divisor = fs.get("divisor")
    if divisor is not None:
        try:
            d = parse_quantity(divisor)
        except ValueError:
            d = None
        if d is not None and not d.is_zero():
            ds = str(d)
            mem = ["1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei"]
            listed = "1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei"
            if res in ("limits.cpu", "requests.cpu") and ds not in ("1m", "1"):
                errs.append(field.invalid(field.child(path, "divisor"), res,
                                          "only divisor's values 1m and 1 are supported with the cpu resource"))
            elif res in ("limits.memory", "requests.memory") and ds not in mem:
                errs.append(field.invalid(field.child(path, "divisor"), res,
                                          f"only divisor's values {listed} are supported with the memory resource"))
            elif res in ("limits.ephemeral-storage", "requests.ephemeral-storage") and ds not in mem:
                errs.append(field.invalid(field.child(path, "divisor"), res,
                                          f"only divisor's values {listed} are supported with the local ephemeral storage resource"))
    return errs


def _validate_key_selector(s: dict, path: str) -> list[FieldError]:
    """configMapKeyRef / secretKeyRef: name as a Secret name (empty -> Invalid), key required + config key."""
    errs: list[FieldError] = []
    name = _s(s.get("name"))
    errs.extend(field.invalid(field.child(path, "name"), name, m) for m in names.name_is_dns_subdomain(name, False))
    key = _s(s.get("key"))
    if not key:
        errs.append(field.required(field.child(path, "key"), ""))
    else:
        errs.extend(field.invalid(field.child(path, "key"), key, m) for m in names.config_map_key(key))
    return errs


def validate_env(env: Any, path: str) -> list[FieldError]:
    """ValidateEnv with 1.37's relaxed names (RelaxedEnvironmentVariableValidation is GA)."""
    errs: list[FieldError] = []
    for i, ev in enumerate(_l(env)):
        ev = _d(ev)
        idx = field.index(path, i)
        name = _s(ev.get("name"))
        if not name:
            errs.append(field.required(field.child(idx, "name"), ""))
        else:
            errs.extend(field.invalid(field.child(idx, "name"), name, m) for m in names.env_var_name(name))
        errs.extend(_validate_env_value_from(ev, field.child(idx, "valueFrom")))
    return errs


def _validate_env_value_from(ev: dict, path: str) -> list[FieldError]:
    vf = ev.get("valueFrom")
    if vf is None:
        return []
    vf = _d(vf)
    errs: list[FieldError] = []
    num = 0
    if vf.get("fieldRef") is not None:
        num += 1
        errs.extend(_validate_object_field_selector(_d(vf.get("fieldRef")), ENV_FIELD_PATHS, field.child(path, "fieldRef")))
    if vf.get("resourceFieldRef") is not None:
        num += 1
        errs.extend(_validate_resource_field_selector(_d(vf.get("resourceFieldRef")), field.child(path, "resourceFieldRef"), volume=False))
    if vf.get("configMapKeyRef") is not None:
        num += 1
        errs.extend(_validate_key_selector(_d(vf.get("configMapKeyRef")), field.child(path, "configMapKeyRef")))
    if vf.get("secretKeyRef") is not None:
        num += 1
        errs.extend(_validate_key_selector(_d(vf.get("secretKeyRef")), field.child(path, "secretKeyRef")))
    if vf.get("fileKeyRef") is not None:
        num += 1
    if num == 0:
        errs.append(field.invalid(path, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"))
    elif _s(ev.get("value")):
        errs.append(field.invalid(path, "", "may not be specified when `value` is not empty"))
    elif num > 1:
        errs.append(field.invalid(path, "", "may not have more than one field specified at a time"))
    return errs


def validate_env_from(env_from: Any, path: str) -> list[FieldError]:
    """ValidateEnvFrom: prefix as env name; exactly one of configMapRef/secretRef (errors on the list path)."""
    errs: list[FieldError] = []
    for i, ev in enumerate(_l(env_from)):
        ev = _d(ev)
        idx = field.index(path, i)
        prefix = _s(ev.get("prefix"))
        if prefix:
            errs.extend(field.invalid(field.child(idx, "prefix"), prefix, m) for m in names.env_var_name(prefix))
        num = 0
        for kind in ("configMapRef", "secretRef"):
            if ev.get(kind) is None:
                continue
            num += 1
            name = _s(_d(ev.get(kind)).get("name"))
            p = field.child(field.child(idx, kind), "name")
            if not name:
                errs.append(field.required(p, ""))
            else:
                errs.extend(field.invalid(p, name, m) for m in names.name_is_dns_subdomain(name, True))
        if num == 0:
            errs.append(field.invalid(path, "", "must specify one of: `configMapRef` or `secretRef`"))
        elif num > 1:
            errs.append(field.invalid(path, "", "may not have more than one field specified at a time"))
    return errs


def _validate_volume_mounts(mounts: Any, devices: dict[str, str], volumes: dict[str, dict], ctr: dict,
                            path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    mount_points: set[str] = set()
    for i, mnt in enumerate(_l(mounts)):
        mnt = _d(mnt)
        idx = field.index(path, i)
        name = _s(mnt.get("name"))
        mp = _s(mnt.get("mountPath"))
        if not name:
            errs.append(field.required(field.child(idx, "name"), ""))
        if name not in volumes:
            errs.append(field.not_found(field.child(idx, "name"), name))
        if not mp:
            errs.append(field.required(field.child(idx, "mountPath"), ""))
        if mp in mount_points:
            errs.append(field.invalid(field.child(idx, "mountPath"), mp, "must be unique"))
        mount_points.add(mp)
        if name in devices:
            errs.append(field.invalid(field.child(idx, "name"), name, "must not already exist in volumeDevices"))
        if mp in devices.values():
            errs.append(field.invalid(field.child(idx, "mountPath"), mp, "must not already exist as a path in volumeDevices"))
        sub_path = _s(mnt.get("subPath"))
        sub_expr = _s(mnt.get("subPathExpr"))
        if name in volumes and volumes[name].get("image") is not None:
            if sub_path:
                errs.append(field.invalid(field.child(idx, "subPath"), sub_path, "not allowed in image volume sources"))
            if sub_expr:
                errs.append(field.invalid(field.child(idx, "subPathExpr"), sub_expr, "not allowed in image volume sources"))
        if sub_path:
            # upstream hangs these on the list path (volumeMounts.subPath), not the item
            errs.extend(_validate_local_descending_path(sub_path, field.child(path, "subPath")))
        if sub_expr:
            if sub_path:
                errs.append(field.invalid(field.child(idx, "subPathExpr"), sub_expr, "subPathExpr and subPath are mutually exclusive"))
            errs.extend(_validate_local_descending_path(sub_expr, field.child(path, "subPathExpr")))
        prop = mnt.get("mountPropagation")
        if prop is not None:
            pp = field.child(path, "mountPropagation")
            if _s(prop) not in MOUNT_PROPAGATIONS:
                errs.append(field.not_supported(pp, _s(prop), MOUNT_PROPAGATIONS))
            privileged = _d(ctr.get("securityContext")).get("privileged") is True
            if _s(prop) == "Bidirectional" and not privileged:
                errs.append(field.forbidden(pp, "Bidirectional mount propagation is available only to privileged containers"))
        rro = mnt.get("recursiveReadOnly")
        if rro is not None:
            rp = field.child(path, "recursiveReadOnly")
            if _s(rro) not in ("Disabled", "IfPossible", "Enabled"):
                errs.append(field.not_supported(rp, _s(rro), ["Disabled", "Enabled", "IfPossible"]))
            elif _s(rro) in ("IfPossible", "Enabled"):
                if not mnt.get("readOnly"):
                    errs.append(field.forbidden(rp, "may only be specified when readOnly is true"))
                if prop is not None and _s(prop) != "None":
                    errs.append(field.forbidden(rp, "may only be specified when mountPropagation is None or not specified"))
    return errs


def _validate_volume_devices(devices: Any, mounts: dict[str, str], volumes: dict[str, dict], path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    paths: set[str] = set()
    seen: set[str] = set()
    for i, dev in enumerate(_l(devices)):
        dev = _d(dev)
        idx = field.index(path, i)
        name = _s(dev.get("name"))
        dp = _s(dev.get("devicePath"))
        matched = name in volumes
        is_pvc = matched and (volumes[name].get("persistentVolumeClaim") is not None or volumes[name].get("ephemeral") is not None)
        if not name:
            errs.append(field.required(field.child(idx, "name"), ""))
        if name in seen:
            errs.append(field.invalid(field.child(idx, "name"), name, "must be unique"))
        if matched and not is_pvc:
            errs.append(field.invalid(field.child(idx, "name"), name, "can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode"))
        if not matched:
            errs.append(field.not_found(field.child(idx, "name"), name))
        if not dp:
            errs.append(field.required(field.child(idx, "devicePath"), ""))
        if dp in paths:
            errs.append(field.invalid(field.child(idx, "devicePath"), dp, "must be unique"))
        if dp and _validate_path_no_backsteps(dp, path):
            errs.append(field.invalid(field.child(idx, "devicePath"), dp, "can not contain backsteps ('..')"))
        else:
            paths.add(dp)
        if name in mounts:
            errs.append(field.invalid(field.child(idx, "name"), name, "must not already exist in volumeMounts"))
        if dp in mounts.values():
            errs.append(field.invalid(field.child(idx, "devicePath"), dp, "must not already exist as a path in volumeMounts"))
        if name:
            seen.add(name)
    return errs


def _validate_pull_policy(policy: Any, path: str) -> list[FieldError]:
    p = _s(policy)
    if p in PULL_POLICIES:
        return []
    if not p:
        return [field.required(path, "")]
    return [field.not_supported(path, p, PULL_POLICIES)]


# --- resources --------------------------------------------------------------------------------


def _is_native_resource(name: str) -> bool:
    """helper.IsNativeResource: unprefixed, or prefixed with kubernetes.io/."""
    return "/" not in name or "kubernetes.io/" in name


def _is_hugepages(name: str) -> bool:
    return name.startswith("hugepages-")


def _is_extended_resource(name: str) -> bool:
    """helper.IsExtendedResourceName: prefixed, not native, not `requests.`, a valid quota name."""
    if _is_native_resource(name) or name.startswith("requests."):
        return False
    return not names.qualified_name("requests." + name)


def _is_overcommit_allowed(name: str) -> bool:
    return _is_native_resource(name) and not _is_hugepages(name)


def _validate_container_resource_name(name: str, path: str) -> list[FieldError]:
    """validateContainerResourceName (hugepages-<size> counts as standard, as upstream accepts it)."""
    errs = validate_qualified_name(name, path)
    single = "/" not in name
    if not errs and single and name not in STANDARD_RESOURCES and not _is_hugepages(name):
        errs.append(field.invalid(path, GoText(name), "must be a standard resource type or fully qualified"))
    if single:
        if name not in STANDARD_CONTAINER_RESOURCES and not _is_hugepages(name):
            errs.append(field.invalid(path, GoText(name), "must be a standard resource for containers"))
    elif not _is_native_resource(name) and not _is_extended_resource(name):
        errs.append(field.invalid(path, GoText(name), "doesn't follow extended resource name standard"))
    return errs


def _quantity(value: Any, path: str, errs: list[FieldError]) -> Quantity | None:
    try:
        return parse_quantity(value)
    except ValueError as e:
        errs.append(field.invalid(path, _s(value), str(e), rule="quantity"))
        return None


def _validate_quantity_value(name: str, q: Quantity, path: str) -> list[FieldError]:
    """ValidateResourceQuantityValue: non-negative; extended resources whole numbers."""
    errs: list[FieldError] = []
    if q.sign() < 0:
        errs.append(field.invalid(path, str(q), IS_NEGATIVE, rule="resources"))
    if _is_extended_resource(name) and q.milli_value() % 1000 != 0:
        errs.append(field.invalid(path, GoText(str(q)), IS_NOT_INTEGER))
    return errs


def _validate_hugepage_value(name: str, q: Quantity, path: str) -> list[FieldError]:
    """validateResourceQuantityHugePageValue: a whole number of pages of the named size."""
    try:
        page = parse_quantity(name[len("hugepages-"):])
        ok = page.sign() > 0 and page.milli_value() % 1000 == 0 and q.int_value() % page.int_value() == 0
    except ValueError:
        ok = False
    if ok:
        return []
    return [field.invalid(path, str(q), f"{q} is not positive integer multiple of {name}")]


def validate_resource_requirements(res: Any, path: str) -> list[FieldError]:
    """ValidateContainerResourceRequirements: names, quantities, requests <= limits."""
    errs: list[FieldError] = []
    res = _d(res)
    lim_path, req_path = field.child(path, "limits"), field.child(path, "requests")
    limits: dict[str, Quantity] = {}
    lim_cpu_mem = req_cpu_mem = lim_huge = req_huge = False
    for name, value in _d(res.get("limits")).items():
        name = str(name)
        p = field.key(lim_path, name)
        errs.extend(_validate_container_resource_name(name, p))
        q = _quantity(value, p, errs)
        if q is None:
            continue
        limits[name] = q
        errs.extend(_validate_quantity_value(name, q, p))
        if _is_hugepages(name):
            lim_huge = True
            errs.extend(_validate_hugepage_value(name, q, p))
        if name in ("cpu", "memory"):
            lim_cpu_mem = True
    raw_limits = _d(res.get("limits"))
    for name, value in _d(res.get("requests")).items():
        name = str(name)
        p = field.key(req_path, name)
        errs.extend(_validate_container_resource_name(name, p))
        q = _quantity(value, p, errs)
        if q is None:
            continue
        errs.extend(_validate_quantity_value(name, q, p))
        if name in limits:
            lq = limits[name]
            if q != lq and not _is_overcommit_allowed(name):
                errs.append(field.invalid(req_path, str(q), f"must be equal to {name} limit of {lq}", rule="resources"))
            elif q > lq:
                errs.append(field.invalid(req_path, str(q), f"must be less than or equal to {name} limit of {lq}", rule="resources"))
        elif name not in raw_limits and not _is_overcommit_allowed(name):
            errs.append(field.required(lim_path, "Limit must be set for non overcommitable resources"))
        if _is_hugepages(name):
            req_huge = True
            errs.extend(_validate_hugepage_value(name, q, p))
        if name in ("cpu", "memory"):
            req_cpu_mem = True
    if not lim_cpu_mem and not req_cpu_mem and (lim_huge or req_huge):
        errs.append(field.forbidden(path, "HugePages require cpu or memory"))
    return errs


# --- probes and handlers ----------------------------------------------------------------------


def _validate_port_num_or_name(port: Any, path: str) -> list[FieldError]:
    if isinstance(port, str):
        return [field.invalid(path, port, m) for m in names.is_valid_port_name(port)]
    p = _int(port)
    if p is None:
        p = 0
    return [field.invalid(path, p, m) for m in names.is_valid_port_num(p)]


def _validate_handler(h: dict, grace: int | None, path: str, *, probe: bool) -> list[FieldError]:
    errs: list[FieldError] = []
    kinds = ["exec", "httpGet", "tcpSocket", "grpc"] if probe else ["exec", "httpGet", "tcpSocket", "sleep"]
    num = 0
    for kind in kinds:
        if h.get(kind) is None:
            continue
        if num > 0:
            errs.append(field.forbidden(field.child(path, kind), "may not specify more than 1 handler type"))
            continue
        num += 1
        a = _d(h.get(kind))
        kp = field.child(path, kind)
        if kind == "exec":
            if not _l(a.get("command")):
                errs.append(field.required(field.child(kp, "command"), ""))
        elif kind == "httpGet":
            if not _s(a.get("path")):
                errs.append(field.required(field.child(kp, "path"), ""))
            errs.extend(_validate_port_num_or_name(a.get("port"), field.child(kp, "port")))
            scheme = _s(a.get("scheme"))
            if scheme not in HTTP_SCHEMES:
                errs.append(field.not_supported(field.child(kp, "scheme"), scheme, HTTP_SCHEMES))
            for hdr in _l(a.get("httpHeaders")):
                hn = _s(_d(hdr).get("name"))
                errs.extend(field.invalid(field.child(kp, "httpHeaders"), hn, m) for m in names.http_header_name(hn))
        elif kind == "tcpSocket":
            errs.extend(_validate_port_num_or_name(a.get("port"), field.child(kp, "port")))
        elif kind == "grpc":
            errs.extend(_validate_port_num_or_name(_int(a.get("port")) or 0, field.child(kp, "port")))
        elif kind == "sleep":
            secs = _int(a.get("seconds")) or 0
            # 1.37: PodLifecycleSleepActionAllowZero is GA -> zero allowed
            if grace is not None and (secs < 0 or secs > grace):
                errs.append(field.invalid(kp, secs, f"must be non-negative and less than terminationGracePeriodSeconds ({grace})"))
    if num == 0:
        errs.append(field.required(path, "must specify a handler type"))
    return errs


def _validate_probe(probe: dict, grace: int | None, path: str) -> list[FieldError]:
    errs = _validate_handler(probe, grace, path, probe=True)
    for name in ("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"):
        v = _int(probe.get(name)) or 0
        errs.extend(validate_nonnegative(v, field.child(path, name)))
    tgp = probe.get("terminationGracePeriodSeconds")
    if tgp is not None and (_int(tgp) or 0) <= 0:
        errs.append(field.invalid(field.child(path, "terminationGracePeriodSeconds"), _int(tgp) or 0, "must be greater than 0"))
    return errs


def _validate_probes(ctr: dict, grace: int | None, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for kind in ("livenessProbe", "readinessProbe", "startupProbe"):
        probe = ctr.get(kind)
        if probe is None:
            continue
        probe = _d(probe)
        pp = field.child(path, kind)
        errs.extend(_validate_probe(probe, grace, pp))
        if kind in ("livenessProbe", "startupProbe"):
            st = _int(probe.get("successThreshold"))
            if st is None:
                st = 0
            if st != 1:
                errs.append(field.invalid(field.child(pp, "successThreshold"), st, "must be 1"))
        elif probe.get("terminationGracePeriodSeconds") is not None:
            errs.append(field.invalid(field.child(pp, "terminationGracePeriodSeconds"), _int(probe.get("terminationGracePeriodSeconds")),
                                      "must not be set for readinessProbes"))
    return errs


def _validate_lifecycle(lc: dict, grace: int | None, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for kind in ("postStart", "preStop"):
        if lc.get(kind) is not None:
            errs.extend(_validate_handler(_d(lc.get(kind)), grace, field.child(path, kind), probe=False))
    return errs


# --- security context -------------------------------------------------------------------------


def _validate_seccomp(sp: Any, path: str) -> list[FieldError]:
    if sp is None:
        return []
    sp = _d(sp)
    errs: list[FieldError] = []
    t = _s(sp.get("type"))
    if not t:
        errs.append(field.required(field.child(path, "type"), "type is required when seccompProfile is set"))
    elif t not in SECCOMP_TYPES:
        errs.append(field.not_supported(field.child(path, "type"), t, SECCOMP_TYPES))
    if t == "Localhost":
        if sp.get("localhostProfile") is None:
            errs.append(field.required(field.child(path, "localhostProfile"), "must be set when seccomp type is Localhost"))
        else:
            errs.extend(_validate_local_descending_path(_s(sp.get("localhostProfile")), field.child(path, "localhostProfile")))
    elif sp.get("localhostProfile") is not None:
        errs.append(field.invalid(field.child(path, "localhostProfile"), GoText(json.dumps(sp)),
                                  "can only be set when seccomp type is Localhost"))
    return errs


def _validate_apparmor(p: Any, path: str) -> list[FieldError]:
    if p is None:
        return []
    p = _d(p)
    errs: list[FieldError] = []
    t = _s(p.get("type"))
    lp = p.get("localhostProfile")
    if t == "Localhost":
        if lp is None:
            errs.append(field.required(field.child(path, "localhostProfile"), "must be set when AppArmor type is Localhost"))
        else:
            lps = _s(lp)
            if lps.strip() != lps:
                errs.append(field.invalid(field.child(path, "localhostProfile"), lps, "must not be padded with whitespace"))
            elif not lps:
                errs.append(field.required(field.child(path, "localhostProfile"), "must be set when AppArmor type is Localhost"))
            if len(lps) > 4095:
                errs.append(field.too_long(field.child(path, "localhostProfile"), "", 4095))
    elif t in ("RuntimeDefault", "Unconfined"):
        if lp is not None:
            errs.append(field.invalid(field.child(path, "localhostProfile"), _s(lp), "can only be set when AppArmor type is Localhost"))
    elif not t:
        errs.append(field.required(field.child(path, "type"), "type is required when appArmorProfile is set"))
    else:
        errs.append(field.not_supported(field.child(path, "type"), t, ["Localhost", "RuntimeDefault", "Unconfined"]))
    return errs


def _validate_container_security_context(sc: Any, path: str, host_users: bool) -> list[FieldError]:
    if sc is None:
        return []
    sc = _d(sc)
    errs: list[FieldError] = []
    for name in ("runAsUser", "runAsGroup"):
        v = _int(sc.get(name))
        if v is not None:
            errs.extend(field.invalid(field.child(path, name), v, m) for m in names.is_valid_user_id(v))
    pm = sc.get("procMount")
    if pm is not None:
        if _s(pm) not in PROC_MOUNT_TYPES:
            errs.append(field.not_supported(field.child(path, "procMount"), _s(pm), PROC_MOUNT_TYPES))
        if host_users and _s(pm) == "Unmasked":
            errs.append(field.invalid(field.child(path, "procMount"), _s(pm), "`hostUsers` must be false to use `Unmasked`"))
    errs.extend(_validate_seccomp(sc.get("seccompProfile"), field.child(path, "seccompProfile")))
    if sc.get("allowPrivilegeEscalation") is False:
        if sc.get("privileged") is True:
            errs.append(field.invalid(path, GoText(json.dumps(sc, sort_keys=True)),
                                      "cannot set `allowPrivilegeEscalation` to false and `privileged` to true"))
        for cap in _l(_d(sc.get("capabilities")).get("add")):
            if _s(cap) == "CAP_SYS_ADMIN":
                errs.append(field.invalid(path, GoText(json.dumps(sc, sort_keys=True)),
                                          "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN"))
    errs.extend(_validate_apparmor(sc.get("appArmorProfile"), field.child(path, "appArmorProfile")))
    return errs


# --- container lists --------------------------------------------------------------------------


def _validate_container_common(ctr: dict, volumes: dict[str, dict], path: str, host_users: bool,
                               pod_restart_policy: str) -> list[FieldError]:
    errs: list[FieldError] = []
    name = _s(ctr.get("name"))
    name_path = field.child(path, "name")
    if not name:
        errs.append(field.required(name_path, ""))
    else:
        errs.extend(validate_dns1123_label(name, name_path))
    if not _s(ctr.get("image")):
        errs.append(field.required(field.child(path, "image"), ""))
    tmp = _s(ctr.get("terminationMessagePolicy"))
    if not tmp:
        errs.append(field.required(field.child(path, "terminationMessagePolicy"), ""))
    elif tmp not in TERMINATION_MESSAGE_POLICIES:
        errs.append(field.not_supported(field.child(path, "terminationMessagePolicy"), tmp, TERMINATION_MESSAGE_POLICIES))
    mounts = {_s(_d(m).get("name")): _s(_d(m).get("mountPath")) for m in _l(ctr.get("volumeMounts"))}
    devices = {_s(_d(m).get("name")): _s(_d(m).get("devicePath")) for m in _l(ctr.get("volumeDevices"))}
    errs.extend(_validate_container_ports(ctr.get("ports"), field.child(path, "ports")))
    errs.extend(validate_env(ctr.get("env"), field.child(path, "env")))
    errs.extend(validate_env_from(ctr.get("envFrom"), field.child(path, "envFrom")))
    errs.extend(_validate_volume_mounts(ctr.get("volumeMounts"), devices, volumes, ctr, field.child(path, "volumeMounts")))
    errs.extend(_validate_volume_devices(ctr.get("volumeDevices"), mounts, volumes, field.child(path, "volumeDevices")))
    errs.extend(_validate_pull_policy(ctr.get("imagePullPolicy"), field.child(path, "imagePullPolicy")))
    errs.extend(validate_resource_requirements(ctr.get("resources"), field.child(path, "resources")))
    errs.extend(_validate_resize_policy(ctr.get("resizePolicy"), field.child(path, "resizePolicy"), pod_restart_policy))
    errs.extend(_validate_container_security_context(ctr.get("securityContext"), field.child(path, "securityContext"), host_users))
    return errs


def _validate_resize_policy(policies: Any, path: str, pod_restart_policy: str) -> list[FieldError]:
    errs: list[FieldError] = []
    seen: set[str] = set()
    for i, p in enumerate(_l(policies)):
        p = _d(p)
        rn, rp = _s(p.get("resourceName")), _s(p.get("restartPolicy"))
        if rn in seen:
            errs.append(field.duplicate(field.index(path, i), GoText(rn)))
        seen.add(rn)
        if not rn:
            errs.append(field.required(path, ""))
        elif rn not in ("cpu", "memory"):
            errs.append(field.not_supported(path, GoText(rn), ["cpu", "memory"]))
        if not rp:
            errs.append(field.required(path, ""))
        elif rp not in ("NotRequired", "RestartContainer"):
            errs.append(field.not_supported(path, rp, ["NotRequired", "RestartContainer"]))
        if pod_restart_policy == "Never" and rp != "NotRequired":
            errs.append(field.invalid(path, rp, "must be 'NotRequired' when `restartPolicy` is 'Never'"))
    return errs


def _host_port_conflicts(containers: list, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    seen: set[str] = set()
    for ci, ctr in enumerate(containers):
        for pi, port in enumerate(_l(_d(ctr).get("ports"))):
            port = _d(port)
            hp = _int(port.get("hostPort")) or 0
            if hp == 0:
                continue
            key = f"{_s(port.get('protocol'))}/{_s(port.get('hostIP'))}/{hp}"
            if key in seen:
                errs.append(field.duplicate(field.child(field.index(field.child(field.index(path, ci), "ports"), pi), "hostPort"), key))
            else:
                seen.add(key)
    return errs


def _validate_containers(containers: Any, volumes: dict[str, dict], grace: int | None, path: str,
                         host_users: bool, pod_restart_policy: str) -> list[FieldError]:
    containers = _l(containers)
    if not containers:
        return [field.required(path, "")]
    errs: list[FieldError] = []
    seen: set[str] = set()
    for i, ctr in enumerate(containers):
        ctr = _d(ctr)
        p = field.index(path, i)
        errs.extend(_validate_container_common(ctr, volumes, p, host_users, pod_restart_policy))
        name = _s(ctr.get("name"))
        if name in seen:
            errs.append(field.duplicate(field.child(p, "name"), name))
        else:
            seen.add(name)
        if ctr.get("lifecycle") is not None:
            errs.extend(_validate_lifecycle(_d(ctr.get("lifecycle")), grace, field.child(p, "lifecycle")))
        errs.extend(_validate_probes(ctr, grace, p))
        if ctr.get("restartPolicy") is not None:
            errs.append(field.forbidden(field.child(p, "restartPolicy"), "may not be set for non-init containers"))
    errs.extend(_host_port_conflicts(containers, path))
    return errs


def _validate_init_containers(inits: Any, regular: Any, volumes: dict[str, dict], grace: int | None, path: str,
                              host_users: bool, pod_restart_policy: str) -> list[FieldError]:
    errs: list[FieldError] = []
    seen = {_s(_d(c).get("name")) for c in _l(regular)}
    for i, ctr in enumerate(_l(inits)):
        ctr = _d(ctr)
        p = field.index(path, i)
        errs.extend(_validate_container_common(ctr, volumes, p, host_users, pod_restart_policy))
        restart_always = False
        rp = ctr.get("restartPolicy")
        if rp is not None:
            if _s(rp) != "Always":
                errs.append(field.not_supported(field.child(p, "restartPolicy"), _s(rp), ["Always"]))
            restart_always = _s(rp) == "Always"
        name = _s(ctr.get("name"))
        if name in seen:
            errs.append(field.duplicate(field.child(p, "name"), name))
        elif name:
            seen.add(name)
        errs.extend(_host_port_conflicts([ctr], path))
        if restart_always:
            if ctr.get("lifecycle") is not None:
                errs.extend(_validate_lifecycle(_d(ctr.get("lifecycle")), grace, field.child(p, "lifecycle")))
            errs.extend(_validate_probes(ctr, grace, p))
        else:
            for kind in ("lifecycle", "livenessProbe", "readinessProbe", "startupProbe"):
                if ctr.get(kind) is not None:
                    errs.append(field.forbidden(field.child(p, kind), "may not be set for init containers without restartPolicy=Always"))
    return errs


def _validate_ephemeral_containers(eph: Any, containers: Any, inits: Any, volumes: dict[str, dict], path: str,
                                   host_users: bool, pod_restart_policy: str) -> list[FieldError]:
    errs: list[FieldError] = []
    eph = _l(eph)
    if not eph:
        return errs
    other = {_s(_d(c).get("name")) for c in _l(containers) + _l(inits)}
    all_names = set(other)
    not_allowed = ("ports", "resources", "livenessProbe", "readinessProbe", "startupProbe", "lifecycle", "resizePolicy", "restartPolicy")
    for i, ec in enumerate(eph):
        ec = _d(ec)
        p = field.index(path, i)
        errs.extend(_validate_container_common(ec, volumes, p, host_users, pod_restart_policy))
        errs.extend(_validate_container_only_for_pod(ec, p))
        name = _s(ec.get("name"))
        if name in all_names:
            errs.append(field.duplicate(field.child(p, "name"), name))
        else:
            all_names.add(name)
        target = _s(ec.get("targetContainerName"))
        if target and target not in other:
            errs.append(field.not_found(field.child(p, "targetContainerName"), target))
        for k in not_allowed:
            if ec.get(k):
                errs.append(field.forbidden(field.child(p, k), "cannot be set for an Ephemeral Container"))
        for j, vm in enumerate(_l(ec.get("volumeMounts"))):
            for k in ("subPath", "subPathExpr"):
                if _s(_d(vm).get(k)):
                    errs.append(field.forbidden(field.child(field.index(field.child(p, "volumeMounts"), j), k),
                                                "cannot be set for an Ephemeral Container"))
    return errs


def _validate_container_only_for_pod(ctr: dict, path: str) -> list[FieldError]:
    image = _s(ctr.get("image"))
    if len(image) != len(image.strip()):
        return [field.invalid(field.child(path, "image"), image, "must not have leading or trailing whitespace")]
    return []


# --- scheduling -------------------------------------------------------------------------------


def validate_tolerations(tolerations: Any, path: str) -> list[FieldError]:
    """ValidateTolerations: key qualified, operator/value/effect/tolerationSeconds rules."""
    errs: list[FieldError] = []
    for i, t in enumerate(_l(tolerations)):
        t = _d(t)
        idx = field.index(path, i)
        key = _s(t.get("key"))
        op = _s(t.get("operator"))
        effect = _s(t.get("effect"))
        value = _s(t.get("value"))
        if key:
            errs.extend(validate_label_name(key, field.child(idx, "key")))
        if not key and op != "Exists":
            errs.append(field.invalid(field.child(idx, "operator"), op,
                                      'operator must be Exists when `key` is empty, which means "match all values and all keys"'))
        if t.get("tolerationSeconds") is not None and effect != "NoExecute":
            errs.append(field.invalid(field.child(idx, "effect"), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"))
        if op in ("Equal", ""):
            msgs = names.label_value(value)
            if msgs:
                errs.append(field.invalid(field.child(idx, "operator"), value, ";".join(msgs)))
        elif op == "Exists":
            if value:
                errs.append(field.invalid(field.child(idx, "operator"), value, "value must be empty when `operator` is 'Exists'"))
        else:
            errs.append(field.not_supported(field.child(idx, "operator"), op, TOLERATION_OPERATORS))
        if effect and effect not in TAINT_EFFECTS:
            errs.append(field.not_supported(field.child(idx, "effect"), effect, TAINT_EFFECTS))
    return errs


def validate_node_selector_requirement(rq: dict, path: str, *, allow_invalid_label_value: bool = False) -> list[FieldError]:
    errs: list[FieldError] = []
    op = _s(rq.get("operator"))
    values = _l(rq.get("values"))
    if op in ("In", "NotIn"):
        if not values:
            errs.append(field.required(field.child(path, "values"), "must be specified when `operator` is 'In' or 'NotIn'"))
    elif op in ("Exists", "DoesNotExist"):
        if values:
            errs.append(field.forbidden(field.child(path, "values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
    elif op in ("Gt", "Lt"):
        if len(values) != 1:
            errs.append(field.required(field.child(path, "values"), "must be specified single value when `operator` is 'Lt' or 'Gt'"))
    else:
        errs.append(field.invalid(field.child(path, "operator"), op, "not a valid selector operator"))
    errs.extend(validate_label_name(_s(rq.get("key")), field.child(path, "key")))
    if not allow_invalid_label_value:
        for vi, v in enumerate(values):
            errs.extend(field.invalid(field.index(field.child(path, "values"), vi), _s(v), m) for m in names.label_value(_s(v)))
    return errs


def _validate_node_field_requirement(rq: dict, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    op = _s(rq.get("operator"))
    values = _l(rq.get("values"))
    if op in ("In", "NotIn"):
        if len(values) != 1:
            errs.append(field.required(field.child(path, "values"),
                                       "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"))
    else:
        errs.append(field.invalid(field.child(path, "operator"), op, "not a valid selector operator"))
    key = _s(rq.get("key"))
    if key != "metadata.name":
        errs.append(field.invalid(field.child(path, "key"), key, "not a valid field selector key"))
    else:
        for vi, v in enumerate(values):
            errs.extend(field.invalid(field.index(field.child(path, "values"), vi), _s(v), m)
                        for m in names.name_is_dns_subdomain(_s(v), False))
    return errs


def validate_node_selector_term(term: dict, path: str, *, allow_invalid_label_value: bool = False) -> list[FieldError]:
    errs: list[FieldError] = []
    for j, rq in enumerate(_l(term.get("matchExpressions"))):
        errs.extend(validate_node_selector_requirement(_d(rq), field.index(field.child(path, "matchExpressions"), j),
                                                       allow_invalid_label_value=allow_invalid_label_value))
    for j, rq in enumerate(_l(term.get("matchFields"))):
        errs.extend(_validate_node_field_requirement(_d(rq), field.index(field.child(path, "matchFields"), j)))
    return errs


def validate_node_selector(ns: dict, path: str) -> list[FieldError]:
    """ValidateNodeSelector (required node affinity)."""
    terms_path = field.child(path, "nodeSelectorTerms")
    terms = _l(ns.get("nodeSelectorTerms"))
    if not terms:
        return [field.required(terms_path, "must have at least one node selector term")]
    errs: list[FieldError] = []
    for i, term in enumerate(terms):
        errs.extend(validate_node_selector_term(_d(term), field.index(terms_path, i)))
    return errs


def _validate_pod_affinity_term(term: dict, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    errs.extend(validate_label_selector(term.get("labelSelector"), field.child(path, "labelSelector")))
    errs.extend(validate_label_selector(term.get("namespaceSelector"), field.child(path, "namespaceSelector")))
    for ns in _l(term.get("namespaces")):
        errs.extend(field.invalid(field.child(path, "namespace"), _s(ns), m) for m in names.validate_namespace_name(_s(ns), False))
    topo = _s(term.get("topologyKey"))
    if not topo:
        errs.append(field.required(field.child(path, "topologyKey"), "can not be empty"))
    errs.extend(validate_label_name(topo, field.child(path, "topologyKey")))
    return errs


def _validate_pod_affinity(pa: dict, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    req = pa.get("requiredDuringSchedulingIgnoredDuringExecution")
    if req is not None:
        rp = field.child(path, "requiredDuringSchedulingIgnoredDuringExecution")
        for i, term in enumerate(_l(req)):
            errs.extend(_validate_pod_affinity_term(_d(term), field.index(rp, i)))
    pref = pa.get("preferredDuringSchedulingIgnoredDuringExecution")
    if pref is not None:
        pp = field.child(path, "preferredDuringSchedulingIgnoredDuringExecution")
        for j, wt in enumerate(_l(pref)):
            wt = _d(wt)
            w = _int(wt.get("weight")) or 0
            if w <= 0 or w > 100:
                errs.append(field.invalid(field.child(field.index(pp, j), "weight"), w, "must be in the range 1-100"))
            errs.extend(_validate_pod_affinity_term(_d(wt.get("podAffinityTerm")), field.child(field.index(pp, j), "podAffinityTerm")))
    return errs


def validate_affinity(affinity: Any, path: str) -> list[FieldError]:
    """validateAffinity: node affinity selectors/weights, pod (anti-)affinity terms."""
    errs: list[FieldError] = []
    if not isinstance(affinity, dict):
        return errs
    na = affinity.get("nodeAffinity")
    if na is not None:
        na = _d(na)
        np_ = field.child(path, "nodeAffinity")
        req = na.get("requiredDuringSchedulingIgnoredDuringExecution")
        if req is not None:
            errs.extend(validate_node_selector(_d(req), field.child(np_, "requiredDuringSchedulingIgnoredDuringExecution")))
        pref = _l(na.get("preferredDuringSchedulingIgnoredDuringExecution"))
        pp = field.child(np_, "preferredDuringSchedulingIgnoredDuringExecution")
        for i, term in enumerate(pref):
            term = _d(term)
            w = _int(term.get("weight")) or 0
            if w <= 0 or w > 100:
                errs.append(field.invalid(field.child(field.index(pp, i), "weight"), w, "must be in the range 1-100"))
            errs.extend(validate_node_selector_term(_d(term.get("preference")), field.child(field.index(pp, i), "preference"),
                                                    allow_invalid_label_value=True))
    if affinity.get("podAffinity") is not None:
        errs.extend(_validate_pod_affinity(_d(affinity.get("podAffinity")), field.child(path, "podAffinity")))
    if affinity.get("podAntiAffinity") is not None:
        errs.extend(_validate_pod_affinity(_d(affinity.get("podAntiAffinity")), field.child(path, "podAntiAffinity")))
    return errs


def _validate_topology_spread(constraints: Any, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    cs = [_d(c) for c in _l(constraints)]
    for i, c in enumerate(cs):
        p = field.index(path, i)
        skew = _int(c.get("maxSkew")) or 0
        if skew <= 0:
            errs.append(field.invalid(field.child(p, "maxSkew"), skew, IS_NOT_POSITIVE))
        topo = _s(c.get("topologyKey"))
        if not topo:
            errs.append(field.required(field.child(p, "topologyKey"), "can not be empty"))
        action = _s(c.get("whenUnsatisfiable"))
        if action not in WHEN_UNSATISFIABLE:
            errs.append(field.not_supported(field.child(p, "whenUnsatisfiable"), action, WHEN_UNSATISFIABLE))
        for other in cs[i + 1:]:
            if _s(other.get("topologyKey")) == topo and _s(other.get("whenUnsatisfiable")) == action:
                errs.append(field.duplicate(field.child(p, "{topologyKey, whenUnsatisfiable}"), f"{{{topo}, {action}}}"))
                break
        md = c.get("minDomains")
        if md is not None:
            mdv = _int(md) or 0
            if mdv <= 0:
                errs.append(field.invalid(field.child(p, "minDomains"), mdv, IS_NOT_POSITIVE))
            if action != "DoNotSchedule":
                errs.append(field.invalid(field.child(p, "minDomains"), mdv,
                                          f"can only use minDomains if whenUnsatisfiable=DoNotSchedule, not {action}"))
        for pol in ("nodeAffinityPolicy", "nodeTaintsPolicy"):
            v = c.get(pol)
            if v is not None and _s(v) not in ("Honor", "Ignore"):
                errs.append(field.not_supported(field.child(p, pol), _s(v), ["Honor", "Ignore"]))
        mlk = [_s(k) for k in _l(c.get("matchLabelKeys"))]
        if mlk:
            mp = field.child(p, "matchLabelKeys")
            sel = c.get("labelSelector")
            sel_keys: set[str] = set()
            if isinstance(sel, dict):
                sel_keys |= {str(k) for k in _d(sel.get("matchLabels"))}
                sel_keys |= {_s(_d(e).get("key")) for e in _l(sel.get("matchExpressions"))}
            else:
                errs.append(field.forbidden(mp, "must not be specified when labelSelector is not set"))
            for j, k in enumerate(mlk):
                errs.extend(validate_label_name(k, field.index(mp, j)))
                if k in sel_keys:
                    errs.append(field.invalid(field.index(mp, j), k, "exists in both matchLabelKeys and labelSelector"))
        errs.extend(validate_label_selector(c.get("labelSelector"), field.child(p, "labelSelector")))
    return errs


def _validate_dns_config(cfg: Any, policy: str, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    if policy == "None":
        if cfg is None:
            return [field.required(path, "must provide `dnsConfig` when `dnsPolicy` is None")]
        if not _l(_d(cfg).get("nameservers")):
            return [field.required(field.child(path, "nameservers"), "must provide at least one DNS nameserver when `dnsPolicy` is None")]
    if cfg is None:
        return errs
    cfg = _d(cfg)
    ns = [_s(n) for n in _l(cfg.get("nameservers"))]
    if len(ns) > 3:
        errs.append(field.invalid(field.child(path, "nameservers"), GoText(_quoted_list(ns)), "must not have more than 3 nameservers"))
    for i, n in enumerate(ns):
        errs.extend(_is_valid_ip(field.index(field.child(path, "nameservers"), i), n))
    searches = [_s(s) for s in _l(cfg.get("searches"))]
    if len(searches) > 32:
        errs.append(field.invalid(field.child(path, "searches"), GoText(_quoted_list(searches)), "must not have more than 32 search paths"))
    if len(" ".join(searches)) > 2048:
        errs.append(field.invalid(field.child(path, "searches"), GoText(_quoted_list(searches)),
                                  "must not have more than 2048 characters (including spaces) in the search list"))
    for i, s in enumerate(searches):
        # 1.37: RelaxedDNSSearchValidation is GA: "." allowed, underscores allowed
        if s == ".":
            continue
        s = s[:-1] if s.endswith(".") else s
        if len(s) > names.DNS1123_SUBDOMAIN_MAX or not _relaxed_subdomain(s):
            msgs = []
            if len(s) > names.DNS1123_SUBDOMAIN_MAX:
                msgs.append(names.max_len_error(names.DNS1123_SUBDOMAIN_MAX))
            if not _relaxed_subdomain(s):
                fmt = r"_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*"
                msgs.append(names.regex_error(
                    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', "
                    "and must start and end with an alphanumeric character", fmt, "example.com"))
            errs.extend(field.invalid(field.index(field.child(path, "searches"), i), s, m) for m in msgs)
    for i, opt in enumerate(_l(cfg.get("options"))):
        if not _s(_d(opt).get("name")):
            errs.append(field.required(field.index(field.child(path, "options"), i), "must not be empty"))
    return errs


_RELAXED_SUBDOMAIN_RE = re.compile(r"_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*")


def _relaxed_subdomain(s: str) -> bool:
    """IsDNS1123SubdomainWithUnderscore's pattern (dnsConfig.searches, RelaxedDNSSearchValidation GA)."""
    return _RELAXED_SUBDOMAIN_RE.fullmatch(s) is not None


def _validate_pod_security_context(spec: dict, path: str) -> list[FieldError]:
    sc = spec.get("securityContext")
    errs: list[FieldError] = []
    if sc is None:
        return errs
    sc = _d(sc)
    scp = field.child(path, "securityContext")
    for name in ("fsGroup", "runAsUser", "runAsGroup"):
        v = _int(sc.get(name))
        if v is not None:
            errs.extend(field.invalid(field.child(scp, name), v, m) for m in names.is_valid_user_id(v))
    for g, gid in enumerate(_l(sc.get("supplementalGroups"))):
        gi = _int(gid)
        if gi is not None:
            errs.extend(field.invalid(field.index(field.child(scp, "supplementalGroups"), g), gi, m)
                        for m in names.is_valid_group_id(gi))
    if spec.get("shareProcessNamespace") is True and spec.get("hostPID") is True:
        errs.append(field.invalid(field.child(scp, "shareProcessNamespace"), True,
                                  "ShareProcessNamespace and HostPID cannot both be enabled"))
    seen: set[str] = set()
    for i, s in enumerate(_l(sc.get("sysctls"))):
        n = _s(_d(s).get("name"))
        np_ = field.child(field.index(field.child(scp, "sysctls"), i), "name")
        if not n:
            errs.append(field.required(np_, ""))
        elif n in seen:
            errs.append(field.duplicate(np_, n))
        seen.add(n)
    pol = sc.get("fsGroupChangePolicy")
    if pol is not None and _s(pol) not in FS_GROUP_CHANGE_POLICIES:
        errs.append(field.not_supported(field.child(scp, "fsGroupChangePolicy"), _s(pol), FS_GROUP_CHANGE_POLICIES))
    errs.extend(_validate_seccomp(sc.get("seccompProfile"), field.child(scp, "seccompProfile")))
    errs.extend(_validate_apparmor(sc.get("appArmorProfile"), field.child(scp, "appArmorProfile")))
    sgp = sc.get("supplementalGroupsPolicy")
    if sgp is not None and _s(sgp) not in ("Merge", "Strict"):
        errs.append(field.not_supported(field.child(scp, "supplementalGroupsPolicy"), _s(sgp), ["Merge", "Strict"]))
    slp = sc.get("seLinuxChangePolicy")
    if slp is not None and _s(slp) not in ("MountOption", "Recursive"):
        errs.append(field.not_supported(field.child(scp, "seLinuxChangePolicy"), _s(slp), ["MountOption", "Recursive"]))
    return errs


# ---------------------------------------------------------------------------------------------
# PodSpec


def _opts(opts: Any) -> PodValidationOptions:
    if isinstance(opts, PodValidationOptions):
        return opts
    if isinstance(opts, dict):
        return PodValidationOptions(**opts)
    return PodValidationOptions()


def validate_pod_spec(spec: Any, path: str = "spec", *, opts: Any = None) -> list[FieldError]:
    """ValidatePodSpec: everything upstream checks in a PodSpec, in its order.

    `opts`: PodValidationOptions (or a dict of its fields); defaults suit a pod template.
    """
    o = _opts(opts)
    spec = _d(spec)
    errs: list[FieldError] = []
    grace_raw = spec.get("terminationGracePeriodSeconds")
    if grace_raw is None:
        errs.append(field.required(field.child(path, "terminationGracePeriodSeconds"), ""))
    grace = _int(grace_raw)
    sc = _d(spec.get("securityContext"))
    host_users = sc.get("hostUsers") is not False
    restart = _s(spec.get("restartPolicy"))

    vols, verrs = validate_volumes(spec.get("volumes"), field.child(path, "volumes"), o)
    errs.extend(verrs)
    errs.extend(_validate_pod_resource_claims(spec.get("resourceClaims"), field.child(path, "resourceClaims")))
    errs.extend(_validate_containers(spec.get("containers"), vols, grace, field.child(path, "containers"), host_users, restart))
    errs.extend(_validate_init_containers(spec.get("initContainers"), spec.get("containers"), vols, grace,
                                          field.child(path, "initContainers"), host_users, restart))
    errs.extend(_validate_ephemeral_containers(spec.get("ephemeralContainers"), spec.get("containers"), spec.get("initContainers"),
                                               vols, field.child(path, "ephemeralContainers"), host_users, restart))
    if spec.get("resources") is not None:
        errs.extend(_validate_pod_level_resources(spec, field.child(path, "resources")))
    # hostNetwork: hostPort must match containerPort (0 tolerated in templates)
    if spec.get("hostNetwork") is True:
        cpath = field.child(path, "containers")
        for i, ctr in enumerate(_l(spec.get("containers"))):
            for j, port in enumerate(_l(_d(ctr).get("ports"))):
                port = _d(port)
                hp, cp = _int(port.get("hostPort")) or 0, _int(port.get("containerPort")) or 0
                if (o.resource_is_pod or hp != 0) and hp != cp:
                    errs.append(field.invalid(field.child(field.index(field.child(field.index(cpath, i), "ports"), j), "hostPort"), hp,
                                              "must match `containerPort` when `hostNetwork` is true"))
    if not restart:
        errs.append(field.required(field.child(path, "restartPolicy"), ""))
    elif restart not in RESTART_POLICIES:
        errs.append(field.not_supported(field.child(path, "restartPolicy"), restart, RESTART_POLICIES))
    dns = _s(spec.get("dnsPolicy"))
    if not dns:
        errs.append(field.required(field.child(path, "dnsPolicy"), ""))
    elif dns not in DNS_POLICIES:
        errs.append(field.not_supported(field.child(path, "dnsPolicy"), dns, DNS_POLICIES))
    errs.extend(validate_labels(spec.get("nodeSelector"), field.child(path, "nodeSelector")))
    errs.extend(_validate_pod_security_context(spec, path))
    for i, ref in enumerate(_l(spec.get("imagePullSecrets"))):
        if isinstance(ref, dict) and set(ref) - {"name"}:
            errs.append(field.invalid(field.index(field.child(path, "imagePullSecrets"), i), GoText(json.dumps(ref)), "only name may be set"))
    errs.extend(validate_affinity(spec.get("affinity"), field.child(path, "affinity")))
    errs.extend(_validate_dns_config(spec.get("dnsConfig"), dns, field.child(path, "dnsConfig")))
    for i, gate in enumerate(_l(spec.get("readinessGates"))):
        errs.extend(validate_qualified_name(_s(_d(gate).get("conditionType")),
                                            field.child(field.index(field.child(path, "readinessGates"), i), "conditionType")))
    seen_gates: set[str] = set()
    for i, gate in enumerate(_l(spec.get("schedulingGates"))):
        gn = _s(_d(gate).get("name"))
        gp = field.index(field.child(path, "schedulingGates"), i)
        errs.extend(validate_qualified_name(gn, gp))
        if gn in seen_gates:
            errs.append(field.duplicate(gp, gn))
        seen_gates.add(gn)
    errs.extend(_validate_topology_spread(spec.get("topologySpreadConstraints"), field.child(path, "topologySpreadConstraints")))
    if sc.get("hostUsers") is False:
        for flag, child in (("hostNetwork", "hostNetwork"), ("hostPID", "HostPID"), ("hostIPC", "HostIPC")):
            if spec.get(flag) is True:
                errs.append(field.forbidden(field.child(path, child), "when `pod.Spec.HostUsers` is false"))
    sa = _s(spec.get("serviceAccountName"))
    if sa:
        errs.extend(field.invalid(field.child(path, "serviceAccountName"), sa, m) for m in names.validate_service_account_name(sa, False))
    node = _s(spec.get("nodeName"))
    if node:
        errs.extend(field.invalid(field.child(path, "nodeName"), node, m) for m in names.name_is_dns_subdomain(node, False))
    ads = spec.get("activeDeadlineSeconds")
    if ads is not None:
        v = _int(ads)
        if v is None or v < 1 or v > MAX_INT32:
            errs.append(field.invalid(field.child(path, "activeDeadlineSeconds"), ads, names.inclusive_range_error(1, MAX_INT32)))
    hostname = _s(spec.get("hostname"))
    if hostname:
        errs.extend(validate_dns1123_label(hostname, field.child(path, "hostname")))
    sub = _s(spec.get("subdomain"))
    if sub:
        errs.extend(validate_dns1123_label(sub, field.child(path, "subdomain")))
    if _l(spec.get("tolerations")):
        errs.extend(validate_tolerations(spec.get("tolerations"), field.child(path, "tolerations")))
    for i, ha in enumerate(_l(spec.get("hostAliases"))):
        ha = _d(ha)
        hp = field.index(field.child(path, "hostAliases"), i)
        errs.extend(_is_valid_ip(field.child(hp, "ip"), _s(ha.get("ip"))))
        for j, hn in enumerate(_l(ha.get("hostnames"))):
            errs.extend(validate_dns1123_subdomain(_s(hn), field.index(field.child(hp, "hostnames"), j)))
    pcn = _s(spec.get("priorityClassName"))
    if pcn:
        errs.extend(field.invalid(field.child(path, "priorityClassName"), pcn, m) for m in names.name_is_dns_subdomain(pcn, False))
    if spec.get("runtimeClassName") is not None:
        rcn = _s(spec.get("runtimeClassName"))
        errs.extend(field.invalid(field.child(path, "runtimeClassName"), rcn, m) for m in names.name_is_dns_subdomain(rcn, False))
    pp = spec.get("preemptionPolicy")
    if pp is not None:
        if not _s(pp):
            errs.append(field.required(field.child(path, "preemptionPolicy"), ""))
        elif _s(pp) not in PREEMPTION_POLICIES:
            errs.append(field.not_supported(field.child(path, "preemptionPolicy"), _s(pp), PREEMPTION_POLICIES))
    if spec.get("overhead") is not None:
        errs.extend(validate_resource_requirements({"limits": spec.get("overhead")}, field.child(path, "overhead")))
    os_ = spec.get("os")
    if os_ is not None:
        osn = _s(_d(os_).get("name"))
        if not osn:
            errs.append(field.required(field.child(field.child(path, "os"), "name"), "cannot be empty"))
        elif osn not in VALID_OS:
            # upstream reports the unsupported name on spec.os itself
            errs.append(field.not_supported(field.child(path, "os"), osn, VALID_OS))
    return errs


def _validate_pod_resource_claims(claims: Any, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    seen: set[str] = set()
    for i, c in enumerate(_l(claims)):
        c = _d(c)
        p = field.index(path, i)
        name = _s(c.get("name"))
        if not name:
            errs.append(field.required(field.child(p, "name"), ""))
        elif name in seen:
            errs.append(field.duplicate(field.child(p, "name"), name))
        else:
            errs.extend(validate_dns1123_label(name, field.child(p, "name")))
            seen.add(name)
    return errs


def _validate_pod_level_resources(spec: dict, path: str) -> list[FieldError]:
    """PodLevelResources (beta, on in 1.37): names cpu/memory only, requests <= limits."""
    res = _d(spec.get("resources"))
    errs: list[FieldError] = []
    if res.get("claims") is not None:
        errs.append(field.forbidden(field.child(path, "claims"), "claims cannot be set for Resources at pod-level"))
    for kind in ("limits", "requests"):
        for name in _d(res.get(kind)):
            if str(name) not in ("cpu", "memory") and not _is_hugepages(str(name)):
                errs.append(field.not_supported(field.key(field.child(path, kind), str(name)), GoText(str(name)), ["cpu", "hugepages-", "memory"]))
    ok = {k: v for k, v in res.items() if k in ("limits", "requests")}
    errs.extend(validate_resource_requirements(
        {k: {n: q for n, q in _d(v).items() if str(n) in ("cpu", "memory") or _is_hugepages(str(n))} for k, v in ok.items()}, path))
    return errs


# ---------------------------------------------------------------------------------------------
# templates, pods, updates


def validate_pod_template_spec(template: Any, path: str, *, workload_kind: str = "") -> list[FieldError]:
    """ValidatePodTemplateSpec (+ the workload's restartPolicy/activeDeadlineSeconds rules).

    `path` is the template's own path (`spec.template`); labels report as `spec.template.labels`
    like upstream. Selector-vs-labels matching belongs to the workload validator (it runs first).
    """
    template = _d(template)
    meta = _d(template.get("metadata"))
    spec = _d(template.get("spec"))
    errs: list[FieldError] = []
    errs.extend(validate_labels(meta.get("labels"), field.child(path, "labels")))
    errs.extend(validate_annotations(meta.get("annotations"), field.child(path, "annotations")))
    errs.extend(_validate_pod_specific_annotations(_d(meta.get("annotations")), field.child(path, "annotations")))
    spec_path = field.child(path, "spec")
    errs.extend(validate_pod_spec(spec, spec_path, opts=PodValidationOptions()))
    if _l(spec.get("ephemeralContainers")):
        errs.append(field.forbidden(field.child(spec_path, "ephemeralContainers"), "ephemeral containers not allowed in pod template"))
    restart = _s(spec.get("restartPolicy"))
    allowed = _TEMPLATE_RESTART.get(workload_kind)
    if allowed and restart not in allowed:
        errs.append(field.not_supported(field.child(spec_path, "restartPolicy"), restart, allowed))
    if spec.get("activeDeadlineSeconds") is not None:
        ads_path = field.child(spec_path, "activeDeadlineSeconds")
        if workload_kind in ("Deployment", "ReplicaSet"):
            # Deployments validate their template through the ReplicaSet rule, hence the wording
            errs.append(field.forbidden(ads_path, "activeDeadlineSeconds in ReplicaSet is not Supported"))
        elif workload_kind == "StatefulSet":
            errs.append(field.forbidden(ads_path, "activeDeadlineSeconds in StatefulSet is not Supported"))
        elif workload_kind == "DaemonSet":
            errs.append(field.invalid(ads_path, _int(spec.get("activeDeadlineSeconds")), "activeDeadlineSeconds must be nil for daemon set"))
        elif workload_kind == "ReplicationController":
            errs.append(field.forbidden(ads_path, "activeDeadlineSeconds in ReplicationController is not Supported"))
    return errs


def _validate_pod_specific_annotations(annotations: dict, path: str) -> list[FieldError]:
    """ValidatePodSpecificAnnotations: the pod-deletion-cost must be a 32-bit integer."""
    key = "controller.kubernetes.io/pod-deletion-cost"
    if key not in annotations:
        return []
    v = _s(annotations[key])
    ok = bool(v) and (v[0] == "-" or v == "0" or "1" <= v[0] <= "9")
    if ok:
        try:
            n = int(v, 10)
            ok = -(2**31) <= n <= MAX_INT32 and v.lstrip("-").isdigit()
        except ValueError:
            ok = False
    if not ok:
        return [field.invalid(field.key(path, key), v, "must be a 32bit integer")]
    return []


def validate_pod(obj: Any) -> list[FieldError]:
    """ValidatePodCreate: metadata (DNS subdomain name, namespaced), pod annotations, spec, pod-only rules."""
    obj = _d(obj)
    meta = _d(obj.get("metadata"))
    spec = _d(obj.get("spec"))
    errs = _validate_pod_metadata_and_spec(meta, spec)
    if _l(spec.get("ephemeralContainers")):
        errs.append(field.forbidden(field.child("spec", "ephemeralContainers"), "cannot be set on create"))
    if _s(spec.get("nodeName")) and _l(spec.get("schedulingGates")):
        errs.append(field.forbidden(field.child("spec", "nodeName"), "cannot be set until all schedulingGates have been cleared"))
    return errs


def _validate_pod_metadata_and_spec(meta: dict, spec: dict) -> list[FieldError]:
    errs = validate_object_meta(meta, "metadata", namespaced=True, name_fn=names.name_is_dns_subdomain)
    errs.extend(_validate_pod_specific_annotations(_d(meta.get("annotations")), "metadata.annotations"))
    errs.extend(validate_pod_spec(spec, "spec", opts=PodValidationOptions(resource_is_pod=True, pod_meta=meta)))
    for kind in ("containers", "initContainers"):
        for i, ctr in enumerate(_l(spec.get(kind))):
            errs.extend(_validate_container_only_for_pod(_d(ctr), field.index(field.child("spec", kind), i)))
    return errs


def _normalize(v: Any, key: str = "") -> Any:
    """Semantic equality as apiequality.Semantic: nil == empty, quantities by value."""
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            if key in ("limits", "requests", "overhead"):
                try:
                    out[k] = str(Fraction(parse_quantity(x).value))
                    continue
                except ValueError:
                    pass
            n = _normalize(x, str(k))
            if n in (None, "", [], {}):
                # Go: absent and empty slices/maps/strings compare equal
                continue
            out[k] = n
        return out
    if isinstance(v, list):
        return [_normalize(x, key) for x in v]
    return v


def _diff(old: Any, new: Any, path: str, out: list[str], key: str = "") -> None:
    """`path: old -> new` lines for leaves that differ semantically (kctl's stand-in for cmp.Diff)."""
    if isinstance(old, dict) and isinstance(new, dict):
        for k in list(old) + [k for k in new if k not in old]:
            _diff(old.get(k), new.get(k), f"{path}.{k}" if path else str(k), out, str(k))
        return
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (a, b) in enumerate(zip(old, new)):
            _diff(a, b, f"{path}[{i}]", out, key)
        return
    if _normalize({key: old}) == _normalize({key: new}):
        return
    if path.rsplit(".", 2)[-2:-1] in (["limits"], ["requests"], ["overhead"]):
        try:
            if parse_quantity(old) == parse_quantity(new):
                return
        except ValueError:
            pass
    out.append(f"  {path}: {json.dumps(old, default=str)} -> {json.dumps(new, default=str)}")


def _toleration_key(t: Any, ignore_seconds: bool) -> Any:
    t = _normalize(_d(t))
    if ignore_seconds:
        t = {k: v for k, v in t.items() if k != "tolerationSeconds"}
    return json.dumps(t, sort_keys=True)


def validate_pod_update(new: Any, old: Any) -> list[FieldError]:
    """ValidatePodUpdate: metadata update rules + the new pod valid + only the mutable spec fields changed.

    The final Forbidden carries upstream's sentence; upstream appends a Go `cmp.Diff` of the
    PodSpecs after a newline, kctl appends its own short `path: old -> new` list instead.
    """
    new, old = _d(new), _d(old)
    nmeta, ometa = _d(new.get("metadata")), _d(old.get("metadata"))
    nspec, ospec = _d(new.get("spec")), _d(old.get("spec"))
    errs = validate_object_meta_update(nmeta, ometa, "metadata")
    errs.extend(_validate_pod_metadata_and_spec(nmeta, nspec))
    spec_path = "spec"
    for kind in ("containers", "initContainers"):
        nc, oc = _l(nspec.get(kind)), _l(ospec.get(kind))
        kp = field.child(spec_path, kind)
        if len(nc) != len(oc):
            errs.append(field.forbidden(kp, "pod updates may not add or remove containers"))
            return errs
        for i, ctr in enumerate(nc):
            image = _s(_d(ctr).get("image"))
            if not image:
                errs.append(field.required(field.child(field.index(kp, i), "image"), ""))
            if len(image.strip()) != len(image):
                errs.append(field.invalid(field.child(field.index(kp, i), "image"), image, "must not have leading or trailing whitespace"))
    nads, oads = nspec.get("activeDeadlineSeconds"), ospec.get("activeDeadlineSeconds")
    ads_path = field.child(spec_path, "activeDeadlineSeconds")
    if nads is not None:
        v = _int(nads)
        if v is None or v < 0 or v > MAX_INT32:
            errs.append(field.invalid(ads_path, nads, names.inclusive_range_error(0, MAX_INT32)))
            return errs
        if oads is not None and (_int(oads) or 0) < v:
            errs.append(field.invalid(ads_path, v, "must be less than or equal to previous value"))
            return errs
    elif oads is not None:
        errs.append(field.invalid(ads_path, None, "must not update from a positive integer to nil value"))
    # tolerations: existing ones may only change tolerationSeconds
    tol_path = field.child(spec_path, "tolerations")
    new_keys = {_toleration_key(t, True) for t in _l(nspec.get("tolerations"))}
    for t in _l(ospec.get("tolerations")):
        if _toleration_key(t, True) not in new_keys:
            errs.append(field.forbidden(tol_path, "existing toleration can not be modified except its tolerationSeconds"))
            break
    else:
        errs.extend(validate_tolerations(nspec.get("tolerations"), tol_path))
    # scheduling gates: only deletions
    old_gates = {_s(_d(g).get("name")) for g in _l(ospec.get("schedulingGates"))}
    for i, g in enumerate(_l(nspec.get("schedulingGates"))):
        gn = _s(_d(g).get("name"))
        if gn not in old_gates:
            errs.append(field.forbidden(field.child(field.index(field.child(spec_path, "schedulingGates"), i), "name"),
                                        f"only deletion is allowed, but found new scheduling gate '{gn}'"))
    if _normalize(nspec) == _normalize(ospec):
        return errs
    munged = json.loads(json.dumps(nspec))
    for kind in ("containers", "initContainers"):
        for i, ctr in enumerate(_l(munged.get(kind))):
            if isinstance(ctr, dict):
                ctr["image"] = _d(_l(ospec.get(kind))[i]).get("image")
    munged.pop("activeDeadlineSeconds", None)
    if oads is not None:
        munged["activeDeadlineSeconds"] = oads
    for k in ("schedulingGates", "tolerations"):
        munged.pop(k, None)
        if k in ospec:
            munged[k] = ospec[k]
    og = _int(ospec.get("terminationGracePeriodSeconds"))
    if og is not None and og < 0 and _int(munged.get("terminationGracePeriodSeconds")) == 1:
        munged["terminationGracePeriodSeconds"] = ospec.get("terminationGracePeriodSeconds")
    if old_gates:
        # gated pods may also add nodeSelector entries and change node affinity (checked loosely)
        if "nodeSelector" in munged or "nodeSelector" in ospec:
            munged["nodeSelector"] = ospec.get("nodeSelector")
            if munged["nodeSelector"] is None:
                munged.pop("nodeSelector")
    if _normalize(munged) != _normalize(ospec):
        lines: list[str] = []
        _diff(ospec, munged, "", lines)
        errs.append(field.forbidden(spec_path, POD_UPDATE_FORBIDDEN + "\n" + "\n".join(lines)))
    return errs
