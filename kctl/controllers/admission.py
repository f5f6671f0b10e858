"""What kube-apiserver does to an object between defaulting and validation that needs the
rest of the cluster: the mutating admission plugins kctl models and the Service REST
allocators.

`admit(ctx, kind, obj, old=None)` mutates `obj` in place and returns FieldErrors (the request
is Invalid), raises kctl.errors.Forbidden (the request is forbidden) or, for allocator
failures upstream reports as HTTP 500 (range full, a taken healthCheckNodePort), a
kctl.errors.StatusError (reason InternalError). Per kind:

- Service (registry allocators, pkg/registry/core/service/storage/alloc.go): clusterIP(s)
  from 10.96.0.0/12, nodePorts (and healthCheckNodePort) from 30000-32767; allocations kept
  on update; requested values must be free and in range.
- Pod, create: ServiceAccount (default SA, existence check, kube-api-access-* projected token
  volume mounted in every container, imagePullSecrets from the SA), Priority (priority and
  preemptionPolicy from priorityClassName or the globalDefault class), DefaultTolerationSeconds
  (not-ready/unreachable NoExecute for 300 s). Pod, update: Priority keeps the old values,
  DefaultTolerationSeconds as on create.
- PersistentVolumeClaim, create: DefaultStorageClass; StorageObjectInUseProtection adds the
  kubernetes.io/pvc-protection finalizer. PersistentVolume, create: kubernetes.io/pv-protection.

Mutating plugin order as kube-apiserver's: ServiceAccount, Priority, DefaultTolerationSeconds,
DefaultStorageClass, StorageObjectInUseProtection.
"""

from __future__ import annotations

import copy
import hashlib
import ipaddress

from kctl.api import field
from kctl.api.field import FieldError
from kctl.controllers import allocators as alloc
from kctl.errors import Forbidden, StatusError

TOKEN_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"
TOKEN_VOLUME_PREFIX = "kube-api-access-"
TOKEN_EXPIRATION_SECONDS = 3607  # serviceaccount.WarnOnlyBoundTokenExpirationSeconds
MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror"
DEFAULT_TOLERATION_SECONDS = 300
NOT_READY_TAINT = "node.kubernetes.io/not-ready"
UNREACHABLE_TAINT = "node.kubernetes.io/unreachable"
DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class"
BETA_DEFAULT_CLASS_ANNOTATION = "storageclass.beta.kubernetes.io/is-default-class"
BETA_STORAGE_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class"
PVC_PROTECTION = "kubernetes.io/pvc-protection"
PV_PROTECTION = "kubernetes.io/pv-protection"
_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


def admit(ctx, kind, obj: dict, old: dict | None = None) -> list[FieldError]:
    """Run kctl's admission steps for `obj` (create when `old` is None, else update).

    `kind` is a Kind, a resource string or a (group, Kind) pair. Mutates `obj`; returns
    FieldErrors for an invalid request; raises Forbidden for a forbidden one."""
    gk = _group_kind(kind)
    if gk == ("", "Service"):
        return admit_service(ctx, obj, old)
    if gk == ("", "Pod"):
        admit_pod(ctx, obj, old)
        return []
    if gk == ("", "PersistentVolumeClaim"):
        if old is None:
            admit_pvc(ctx, obj)
        return []
    if gk == ("", "PersistentVolume"):
        if old is None:
            _add_finalizer(obj, PV_PROTECTION)
        return []
    return []


def _group_kind(kind) -> tuple[str, str]:
    from kctl.controllers.context import kind_of

    k = kind_of(kind)
    return (k.group, k.kind)


def _meta(obj: dict) -> dict:
    m = obj.get("metadata")
    if not isinstance(m, dict):
        m = obj["metadata"] = {}
    return m


def _spec(obj: dict) -> dict:
    s = obj.get("spec")
    if not isinstance(s, dict):
        s = obj["spec"] = {}
    return s


def forbidden(resource: str, name: str, reason: str) -> Forbidden:
    """`pods "x" is forbidden: <reason>`; the engine prefixes `Error from server
    (Forbidden): error when creating "<file>": ` as kubectl prints it."""
    err = Forbidden(f'{resource} "{name}" is forbidden: {reason}')
    err.reason_text = reason
    return err


def internal_error(reason: str) -> StatusError:
    """An InternalError status (HTTP 500) as the service REST returns for allocator failures
    that are not field errors; kubectl prints `Error from server (InternalError): error when
    creating "<file>": Internal error occurred: <reason>` (the engine adds the prefix)."""
    return StatusError(f"Internal error occurred: {reason}")


# =========================================================================== Service
def _needs_cluster_ip(spec: dict) -> bool:
    return spec.get("type") != "ExternalName"


def _needs_node_ports(spec: dict) -> bool:
    return spec.get("type") in ("NodePort", "LoadBalancer")


def _needs_health_check(spec: dict) -> bool:
    return spec.get("type") == "LoadBalancer" and spec.get("externalTrafficPolicy") == "Local"


def _alloc_key(ctx, obj: dict, what: str) -> str:
    m = _meta(obj)
    seed = ctx.store.get_meta("seed") or "kctl"
    return f"{seed}/{what}/{m.get('namespace', '')}/{m.get('name', '')}"


def _other_services(ctx, obj: dict) -> list[dict]:
    m = _meta(obj)
    me = (m.get("namespace", ""), m.get("name"))
    return [s for s in ctx.list("services", None)
            if ((s.get("metadata") or {}).get("namespace", ""), (s.get("metadata") or {}).get("name")) != me]


def admit_service(ctx, obj: dict, old: dict | None) -> list[FieldError]:
    """The service registry's allocation step (allocateCreate / allocateUpdate)."""
    spec = _spec(obj)
    others = _other_services(ctx, obj)
    errs = _cluster_ips(ctx, obj, spec, old, others)
    if errs:
        return errs
    return _node_ports(ctx, obj, spec, old, others)


def _cluster_ips(ctx, obj: dict, spec: dict, old: dict | None, others: list[dict]) -> list[FieldError]:
    if not _needs_cluster_ip(spec):
        return []
    ospec = (old or {}).get("spec") or {}
    if old is not None and _needs_cluster_ip(ospec):
        # update of a service that already had its IPs (or was headless): nothing to
        # allocate (the IPs are immutable; validation reports a change)
        if ospec.get("clusterIPs") or ospec.get("clusterIP"):
            return []
    ips = spec.get("clusterIPs")
    if not isinstance(ips, list) or not ips:
        ips = [spec["clusterIP"]] if spec.get("clusterIP") else []
    ips = [str(i) if i is not None else "" for i in ips]
    if ips and ips[0] == "None":
        return []  # headless: no allocation
    used = alloc.used_cluster_ips(others)
    if not ips or not ips[0]:
        try:
            ip = alloc.allocate_cluster_ip(used, _alloc_key(ctx, obj, "clusterip"))
        except alloc.AllocationError as e:
            raise internal_error(f"failed to allocate a serviceIP: {e}")
        spec["clusterIP"] = ip
        spec["clusterIPs"] = [ip] + ips[1:] if ips else [ip]
        return []
    requested = ips[0]
    try:
        addr = ipaddress.ip_address(requested)
    except ValueError:
        return []  # malformed: validation reports it
    if addr.version == 6:
        return [field.invalid("spec.clusterIPs[0]", ips, "IPv6 is not configured on this cluster")]
    why = alloc.check_cluster_ip(requested, used)
    if why:
        return [field.invalid("spec.clusterIPs", ips, f"failed to allocate IP {requested}: {why}")]
    spec["clusterIP"] = requested
    spec["clusterIPs"] = ips
    return []


def _port_path(i: int) -> str:
    return field.child(field.index("spec.ports", i), "nodePort")


def _node_ports(ctx, obj: dict, spec: dict, old: dict | None, others: list[dict]) -> list[FieldError]:
    used = alloc.used_node_ports(others)
    ports = [p for p in spec.get("ports") or [] if isinstance(p, dict)]
    ospec = (old or {}).get("spec") or {}
    old_ports = {p.get("nodePort") for p in ospec.get("ports") or []
                 if isinstance(p, dict) and isinstance(p.get("nodePort"), int) and p.get("nodePort")}
    if old is not None and not _needs_node_ports(ospec):
        old_ports = set()
    allocate_new = spec.get("type") == "NodePort" or (
        spec.get("type") == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts") is not False)
    taken: set[int] = set()  # allocated by this request
    if _needs_node_ports(spec):
        by_port: dict[int, int] = {}  # service port -> node port (TCP+UDP on one port share it)
        for i, p in enumerate(ports):
            np_ = p.get("nodePort")
            if not isinstance(np_, int):
                np_ = 0
            if not np_ and not allocate_new:
                continue
            if np_:
                if np_ in old_ports or np_ in taken or by_port.get(p.get("port")) == np_:
                    by_port.setdefault(p.get("port"), np_)
                    taken.add(np_)
                    continue
                why = alloc.check_node_port(np_, used | taken)
                if why:
                    return [field.invalid(_port_path(i), np_, why)]
                taken.add(np_)
                by_port.setdefault(p.get("port"), np_)
                continue
            if old is None and by_port.get(p.get("port")):
                p["nodePort"] = by_port[p.get("port")]
                continue
            try:
                np_ = alloc.allocate_node_port(used | taken | old_ports,
                                               _alloc_key(ctx, obj, f"nodeport/{i}"))
            except alloc.AllocationError as e:
                raise internal_error(f"failed to allocate a nodePort: {e}")
            p["nodePort"] = np_
            taken.add(np_)
            by_port.setdefault(p.get("port"), np_)
    if _needs_health_check(spec):
        hc = spec.get("healthCheckNodePort")
        ohc = ospec.get("healthCheckNodePort") if old is not None and _needs_health_check(ospec) else None
        if isinstance(hc, int) and hc:
            if hc != ohc:
                why = alloc.check_node_port(hc, used | taken)
                if why:
                    raise internal_error(f"failed to allocate requested HealthCheck NodePort {hc}: {why}")
        elif ohc:
            spec["healthCheckNodePort"] = ohc
        else:
            try:
                spec["healthCheckNodePort"] = alloc.allocate_node_port(
                    used | taken | old_ports, _alloc_key(ctx, obj, "healthcheck"))
            except alloc.AllocationError as e:
                raise internal_error(f"failed to allocate a HealthCheck NodePort 0: {e}")
    return []


# =========================================================================== Pod
def admit_pod(ctx, obj: dict, old: dict | None) -> None:
    """ServiceAccount, Priority, DefaultTolerationSeconds (in kube-apiserver's order)."""
    if old is None:
        _service_account(ctx, obj)
    _priority(ctx, obj, old)
    _default_toleration_seconds(obj)


def _pod_ref(obj: dict) -> tuple[str, str]:
    m = _meta(obj)
    return m.get("namespace") or "default", m.get("name") or ""


def _service_account(ctx, pod: dict) -> None:
    meta = _meta(pod)
    spec = _spec(pod)
    ns, name = _pod_ref(pod)
    if MIRROR_POD_ANNOTATION in (meta.get("annotations") or {}):
        if spec.get("serviceAccountName"):
            raise forbidden("pods", name, "a mirror pod may not reference service accounts")
        return
    if not spec.get("serviceAccountName"):
        spec["serviceAccountName"] = "default"
    sa_name = spec["serviceAccountName"]
    spec["serviceAccount"] = sa_name  # the deprecated mirror field, as the v1 conversion writes it
    sa = ctx.get("serviceaccounts", ns, sa_name)
    if sa is None and sa_name == "default":
        # Upstream retries the `default` SA for a while because the SA controller creates it
        # right after the namespace; kctl runs that controller step now instead of waiting.
        from kctl.controllers.serviceaccount import ensure_namespace

        ensure_namespace(ctx, ns)
        sa = ctx.get("serviceaccounts", ns, sa_name)
        if sa is None and ctx.get("namespaces", "", ns) is None:
            # no such namespace at all: NamespaceLifecycle (the engine's check) owns that
            # error; controller unit tests seed pods without namespaces
            sa = {"metadata": {"name": sa_name, "namespace": ns}}
    if sa is None:
        raise forbidden("pods", name, f'error looking up service account {ns}/{sa_name}: '
                                      f'serviceaccount "{sa_name}" not found')
    if _should_automount(sa, spec):
        _mount_token(ctx, pod, spec)
    if not spec.get("imagePullSecrets") and sa.get("imagePullSecrets"):
        spec["imagePullSecrets"] = copy.deepcopy(sa["imagePullSecrets"])


def _should_automount(sa: dict, spec: dict) -> bool:
    if spec.get("automountServiceAccountToken") is not None:
        return bool(spec["automountServiceAccountToken"])
    if sa.get("automountServiceAccountToken") is not None:
        return bool(sa["automountServiceAccountToken"])
    return True


def token_volume_name(seed: str, namespace: str, name: str) -> str:
    """`kube-api-access-<5 chars>`: upstream's SimpleNameGenerator is random; kctl derives the
    suffix from the store seed and the pod's namespace/name (stable, consumes no sequence)."""
    d = hashlib.sha256(f"{seed}:kube-api-access:{namespace}/{name}".encode()).digest()
    return TOKEN_VOLUME_PREFIX + "".join(_ALPHABET[b % len(_ALPHABET)] for b in d[:5])


def token_volume(name: str) -> dict:
    """The projected volume the ServiceAccount plugin adds (TokenVolumeSource), as the API
    server stores it (defaultMode 420 set explicitly)."""
    return {
        "name": name,
        "projected": {
            "defaultMode": 420,
            "sources": [
                {"serviceAccountToken": {"expirationSeconds": TOKEN_EXPIRATION_SECONDS, "path": "token"}},
                {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
                {"downwardAPI": {"items": [{"path": "namespace",
                                            "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}},
            ],
        },
    }


def _mount_token(ctx, pod: dict, spec: dict) -> None:
    volumes = spec.get("volumes") if isinstance(spec.get("volumes"), list) else []
    vol_name = ""
    for v in volumes:
        if isinstance(v, dict) and str(v.get("name", "")).startswith(TOKEN_VOLUME_PREFIX):
            vol_name = v["name"]
            break
    has_volume = bool(vol_name)
    if not vol_name:
        ns, name = _pod_ref(pod)
        vol_name = token_volume_name(ctx.store.get_meta("seed") or "kctl", ns, name)
    needs = False
    for key in ("initContainers", "containers"):
        for c in spec.get(key) or []:
            if not isinstance(c, dict):
                continue
            mounts = c.get("volumeMounts") if isinstance(c.get("volumeMounts"), list) else []
            if any(isinstance(m, dict) and m.get("mountPath") == TOKEN_MOUNT_PATH for m in mounts):
                continue
            c["volumeMounts"] = mounts + [{"mountPath": TOKEN_MOUNT_PATH, "name": vol_name, "readOnly": True}]
            needs = True
    if needs and not has_volume:
        spec["volumes"] = volumes + [token_volume(vol_name)]


def _priority(ctx, pod: dict, old: dict | None) -> None:
    spec = _spec(pod)
    if old is not None:
        ospec = old.get("spec") or {}
        # set on create; later changes are left for validation (the spec is immutable)
        if ospec.get("priority") is not None:
            spec["priority"] = ospec["priority"]
        if ospec.get("preemptionPolicy") is not None:
            spec["preemptionPolicy"] = ospec["preemptionPolicy"]
        return
    _, name = _pod_ref(pod)
    pc_name = spec.get("priorityClassName") or ""
    if not pc_name:
        pc = default_priority_class(ctx.list("priorityclasses.scheduling.k8s.io"))
        if pc is not None:
            spec["priorityClassName"] = pc["metadata"]["name"]
            value, policy = int(pc.get("value") or 0), pc.get("preemptionPolicy") or "PreemptLowerPriority"
        else:
            value, policy = 0, "PreemptLowerPriority"
    else:
        pc = ctx.get("priorityclasses.scheduling.k8s.io", "", pc_name)
        if pc is None:
            raise forbidden("pods", name, f"no PriorityClass with name {pc_name} was found")
        value, policy = int(pc.get("value") or 0), pc.get("preemptionPolicy")
    if spec.get("priority") is not None and spec["priority"] != value:
        raise forbidden("pods", name, f"the integer value of priority ({spec['priority']}) must not be provided "
                                      f"in pod spec; priority admission controller computed {value} from the "
                                      "given PriorityClass name")
    spec["priority"] = value
    if policy:
        if spec.get("preemptionPolicy") is not None and spec["preemptionPolicy"] != policy:
            raise forbidden("pods", name, f"the string value of PreemptionPolicy ({spec['preemptionPolicy']}) must "
                                          f"not be provided in pod spec; priority admission controller computed "
                                          f"{policy} from the given PriorityClass name")
        spec["preemptionPolicy"] = policy


def default_priority_class(classes: list[dict]) -> dict | None:
    """The globalDefault PriorityClass; with several (a race upstream tolerates), the one
    with the lowest value."""
    best = None
    for pc in classes:
        if pc.get("globalDefault"):
            if best is None or int(pc.get("value") or 0) < int(best.get("value") or 0):
                best = pc
    return best


def _default_toleration_seconds(pod: dict) -> None:
    spec = _spec(pod)
    tols = spec.get("tolerations") if isinstance(spec.get("tolerations"), list) else []
    not_ready = unreachable = False
    for t in tols:
        if not isinstance(t, dict):
            continue
        key, effect = t.get("key") or "", t.get("effect") or ""
        if key in (NOT_READY_TAINT, "") and effect in ("NoExecute", ""):
            not_ready = True
        if key in (UNREACHABLE_TAINT, "") and effect in ("NoExecute", ""):
            unreachable = True
    add = []
    if not not_ready:
        add.append({"key": NOT_READY_TAINT, "operator": "Exists", "effect": "NoExecute",
                    "tolerationSeconds": DEFAULT_TOLERATION_SECONDS})
    if not unreachable:
        add.append({"key": UNREACHABLE_TAINT, "operator": "Exists", "effect": "NoExecute",
                    "tolerationSeconds": DEFAULT_TOLERATION_SECONDS})
    if add:
        spec["tolerations"] = tols + add


# =========================================================================== PVC
def admit_pvc(ctx, obj: dict) -> None:
    """DefaultStorageClass (a claim without a class gets the default one) and
    StorageObjectInUseProtection (the pvc-protection finalizer)."""
    spec = _spec(obj)
    ann = _meta(obj).get("annotations") or {}
    if spec.get("storageClassName") is None and BETA_STORAGE_CLASS_ANNOTATION not in ann:
        sc = default_storage_class(ctx.list("storageclasses.storage.k8s.io"))
        if sc is not None:
            spec["storageClassName"] = sc["metadata"]["name"]
    _add_finalizer(obj, PVC_PROTECTION)


def is_default_class(sc: dict) -> bool:
    ann = (sc.get("metadata") or {}).get("annotations") or {}
    return ann.get(DEFAULT_CLASS_ANNOTATION) == "true" or ann.get(BETA_DEFAULT_CLASS_ANNOTATION) == "true"


def default_storage_class(classes: list[dict]) -> dict | None:
    """GetDefaultClass: among the classes marked default, the newest (then by name)."""
    defaults = [sc for sc in classes if is_default_class(sc)]
    if not defaults:
        return None
    defaults.sort(key=lambda sc: ((sc["metadata"].get("creationTimestamp") or ""), sc["metadata"]["name"]))
    newest = defaults[-1]["metadata"].get("creationTimestamp") or ""
    tied = [sc for sc in defaults if (sc["metadata"].get("creationTimestamp") or "") == newest]
    return sorted(tied, key=lambda sc: sc["metadata"]["name"])[0]


def _add_finalizer(obj: dict, name: str) -> None:
    meta = _meta(obj)
    fins = list(meta.get("finalizers") or [])
    if name not in fins:
        fins.append(name)
    meta["finalizers"] = fins
