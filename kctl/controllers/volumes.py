"""PersistentVolumeController: the PV binder of kube-controller-manager
(pkg/controller/volume/persistentvolume) plus a simulated external provisioner
(kind's local-path-provisioner), plus the PVC/PV protection finalizer removal
(pkg/controller/volume/pvcprotection, pvprotection).

Claims:
- a claim without a class (storageClassName absent) gets the default class when one exists
  (retroactive default StorageClass assignment, GA in 1.28);
- a pre-bound claim (spec.volumeName) binds to that volume when it is free;
- otherwise the smallest Available volume of the claim's class that fits (access modes,
  volumeMode, capacity, node affinity for a WaitForFirstConsumer claim) is bound;
- otherwise the class provisions one: at once for volumeBindingMode Immediate; for
  WaitForFirstConsumer once a pod using the claim has a node (the scheduler's
  `volume.kubernetes.io/selected-node` annotation, or kctl sets it from the bound pod),
  with node affinity to that node. The provisioner `kubernetes.io/no-provisioner` never
  provisions (static local volumes), as upstream.
- Provisioned volumes are named `pvc-<claim uid>`, capacity = the request, reclaim policy
  from the class (Delete when unset), claimRef set, phase Bound; the claim gets volumeName,
  the bind-completed/bound-by-controller/storage-provisioner annotations, and status
  Bound with accessModes and capacity.
Volumes: a volume whose claim is gone is deleted (reclaimPolicy Delete) or Released (Retain).
Events as upstream: WaitForFirstConsumer, ExternalProvisioning (persistentvolume-controller),
Provisioning / ProvisioningSucceeded (the provisioner), ProvisioningFailed for a missing class.

Keys: ("persistentvolumeclaims", ns, name) and ("persistentvolumes", "", name).
"""

from __future__ import annotations

import copy
from fractions import Fraction
from typing import Iterable

from kctl.controllers.admission import (
    BETA_STORAGE_CLASS_ANNOTATION,
    PV_PROTECTION,
    PVC_PROTECTION,
    default_storage_class,
)
from kctl.controllers.context import Context

PVC = "persistentvolumeclaims"
PV = "persistentvolumes"
SC = "storageclasses.storage.k8s.io"
CONTROLLER_COMPONENT = "persistentvolume-controller"
SELECTED_NODE = "volume.kubernetes.io/selected-node"
STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner"
BETA_STORAGE_PROVISIONER = "volume.beta.kubernetes.io/storage-provisioner"
BIND_COMPLETED = "pv.kubernetes.io/bind-completed"
BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller"
PROVISIONED_BY = "pv.kubernetes.io/provisioned-by"
NO_PROVISIONER = "kubernetes.io/no-provisioner"
LOCAL_PATH = "rancher.io/local-path"
LOCAL_PATH_DIR = "/var/local-path-provisioner"
HOSTNAME_LABEL = "kubernetes.io/hostname"

MSG_WAIT_FIRST_CONSUMER = "waiting for first consumer to be created before binding"


def msg_external_provisioning(provisioner: str) -> str:
    return (f"Waiting for a volume to be created either by the external provisioner '{provisioner}' or "
            "manually by the system administrator. If volume creation is delayed, please verify that the "
            "provisioner is running and correctly registered.")


def provisioner_component(provisioner: str) -> str:
    """The event source of the simulated provisioner (upstream: `<provisioner>_<pod>_<uuid>`)."""
    return f"{provisioner}_{provisioner.rsplit('/', 1)[-1]}-provisioner-kctl"


# --------------------------------------------------------------------------- pure helpers
def _meta(o: dict) -> dict:
    return o.get("metadata") or {}


def _qty(s) -> Fraction:
    from kctl.api.quantity import parse_quantity

    try:
        return parse_quantity(str(s)).value
    except (ValueError, TypeError):
        return Fraction(0)


def claim_class(pvc: dict) -> str | None:
    """The claim's class name ("" = explicitly none); None when unset."""
    ann = _meta(pvc).get("annotations") or {}
    if BETA_STORAGE_CLASS_ANNOTATION in ann:
        return ann[BETA_STORAGE_CLASS_ANNOTATION]
    return (pvc.get("spec") or {}).get("storageClassName")


def volume_class(pv: dict) -> str:
    ann = _meta(pv).get("annotations") or {}
    if "volume.beta.kubernetes.io/storage-class" in ann:
        return ann["volume.beta.kubernetes.io/storage-class"]
    return (pv.get("spec") or {}).get("storageClassName") or ""


def claim_request(pvc: dict) -> str | None:
    return (((pvc.get("spec") or {}).get("resources") or {}).get("requests") or {}).get("storage")


def pods_using_claim(pods: list[dict], claim: str) -> list[dict]:
    """Non-terminal pods whose volumes reference the claim (directly or as the generic
    ephemeral volume `<pod>-<volume>`)."""
    out = []
    for pod in pods:
        if (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
            continue
        if claim in claim_names(pod):
            out.append(pod)
    return out


def claim_names(pod: dict) -> list[str]:
    names = []
    for v in (pod.get("spec") or {}).get("volumes") or []:
        if not isinstance(v, dict):
            continue
        src = v.get("persistentVolumeClaim")
        if isinstance(src, dict) and src.get("claimName"):
            names.append(src["claimName"])
        elif isinstance(v.get("ephemeral"), dict):
            names.append(f"{_meta(pod).get('name')}-{v.get('name')}")
    return names


def node_affinity_allows(pv: dict, node: dict | None) -> bool:
    terms = ((((pv.get("spec") or {}).get("nodeAffinity") or {}).get("required") or {}).get("nodeSelectorTerms")) or []
    if not terms:
        return True
    if node is None:
        return False
    from kctl.controllers.podutil import node_selector_term_matches

    return any(node_selector_term_matches(t, node) for t in terms)


def volume_fits(pv: dict, pvc: dict, node: dict | None, check_node: bool) -> bool:
    """findMatchingVolume's checks for one volume."""
    spec, cspec = pv.get("spec") or {}, pvc.get("spec") or {}
    if (pv.get("status") or {}).get("phase") not in (None, "", "Available"):
        return False
    if _meta(pv).get("deletionTimestamp"):
        return False
    ref = spec.get("claimRef")
    if ref and (ref.get("namespace"), ref.get("name")) != (_meta(pvc).get("namespace"), _meta(pvc).get("name")):
        return False
    if volume_class(pv) != (claim_class(pvc) or ""):
        return False
    if (spec.get("volumeMode") or "Filesystem") != (cspec.get("volumeMode") or "Filesystem"):
        return False
    if not set(cspec.get("accessModes") or []) <= set(spec.get("accessModes") or []):
        return False
    if _qty((spec.get("capacity") or {}).get("storage", 0)) < _qty(claim_request(pvc) or 0):
        return False
    if cspec.get("selector"):
        from kctl.api.selectors import from_label_selector_spec

        if not from_label_selector_spec(cspec["selector"]).matches(_meta(pv).get("labels") or {}):
            return False
    if check_node and not node_affinity_allows(pv, node):
        return False
    return True


def best_volume(pvs: list[dict], pvc: dict, node: dict | None, check_node: bool) -> dict | None:
    """The smallest fitting volume (ties by name); a volume pre-bound to the claim first."""
    fits = [pv for pv in pvs if volume_fits(pv, pvc, node, check_node)]
    if not fits:
        return None
    pre = [pv for pv in fits if (pv.get("spec") or {}).get("claimRef")]
    if pre:
        return sorted(pre, key=lambda p: _meta(p)["name"])[0]
    return sorted(fits, key=lambda p: (_qty((p.get("spec") or {}).get("capacity", {}).get("storage", 0)),
                                       _meta(p)["name"]))[0]


def claim_ref(pvc: dict) -> dict:
    m = _meta(pvc)
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "name": m.get("name"),
            "namespace": m.get("namespace"), "resourceVersion": m.get("resourceVersion", ""),
            "uid": m.get("uid")}


def provisioned_volume(pvc: dict, sc: dict, node: dict | None) -> dict:
    """The PersistentVolume the (simulated) provisioner creates for the claim."""
    m = _meta(pvc)
    cspec = pvc.get("spec") or {}
    provisioner = sc.get("provisioner") or ""
    name = f"pvc-{m.get('uid')}"
    ann = {PROVISIONED_BY: provisioner}
    spec: dict = {
        "accessModes": list(cspec.get("accessModes") or ["ReadWriteOnce"]),
        "capacity": {"storage": claim_request(pvc) or "0"},
        "claimRef": claim_ref(pvc),
        "persistentVolumeReclaimPolicy": sc.get("reclaimPolicy") or "Delete",
        "storageClassName": _meta(sc)["name"],
        "volumeMode": cspec.get("volumeMode") or "Filesystem",
    }
    if sc.get("mountOptions"):
        spec["mountOptions"] = list(sc["mountOptions"])
    if provisioner == LOCAL_PATH:
        spec["hostPath"] = {"path": f"{LOCAL_PATH_DIR}/{name}_{m.get('namespace')}_{m.get('name')}",
                            "type": "DirectoryOrCreate"}
    else:
        spec["hostPath"] = {"path": f"/var/lib/kctl/volumes/{name}", "type": "DirectoryOrCreate"}
    if node is not None:
        node_name = _meta(node)["name"]
        if provisioner == LOCAL_PATH:
            ann["local.path.provisioner/selected-node"] = node_name
        host = (_meta(node).get("labels") or {}).get(HOSTNAME_LABEL, node_name)
        spec["nodeAffinity"] = {"required": {"nodeSelectorTerms": [
            {"matchExpressions": [{"key": HOSTNAME_LABEL, "operator": "In", "values": [host]}]}]}}
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": {"name": name, "annotations": ann, "finalizers": [PV_PROTECTION]},
        "spec": spec,
        "status": {"phase": "Bound"},
    }


# --------------------------------------------------------------------------- controller
class PersistentVolumeController:
    name = "persistentvolume"
    resources = (PVC, PV, "pods", SC)

    def keys_for(self, ctx: Context, change) -> Iterable[tuple]:
        if change.resource == PVC:
            keys = [(PVC, change.namespace, change.name)]
            if change.op == "DELETED":
                keys += [(PV, "", _meta(pv)["name"]) for pv in ctx.list(PV)
                         if ((pv.get("spec") or {}).get("claimRef") or {}).get("name") == change.name
                         and ((pv.get("spec") or {}).get("claimRef") or {}).get("namespace") == change.namespace]
            return keys
        if change.resource == PV:
            keys = [(PV, "", change.name)]
            pv = ctx.get(PV, "", change.name)
            ref = ((pv or {}).get("spec") or {}).get("claimRef")
            if ref and ref.get("name"):
                keys.append((PVC, ref.get("namespace") or "", ref["name"]))
            elif pv is not None:
                # a new free volume may satisfy a pending claim
                keys += [(PVC, _meta(c).get("namespace", ""), _meta(c)["name"]) for c in ctx.list(PVC)
                         if (c.get("status") or {}).get("phase") == "Pending"]
            return keys
        if change.resource == SC:
            return [(PVC, _meta(c).get("namespace", ""), _meta(c)["name"]) for c in ctx.list(PVC)
                    if (c.get("status") or {}).get("phase") == "Pending"]
        # pods
        pod = ctx.get("pods", change.namespace, change.name)
        names = set(claim_names(pod)) if pod is not None else set()
        gone = pod is None or (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")
        if gone:
            # a removed (or finished) pod may release a claim waiting on pvc-protection
            for c in ctx.list(PVC, change.namespace):
                if _meta(c).get("deletionTimestamp"):
                    names.add(_meta(c)["name"])
        return [(PVC, change.namespace, n) for n in sorted(names)]

    def reconcile(self, ctx: Context, key: tuple) -> None:
        if key[0] == PV:
            self._sync_volume(ctx, key[2])
        else:
            self._sync_claim(ctx, key[1], key[2])

    # ------------------------------------------------------------------ volumes
    def _sync_volume(self, ctx: Context, name: str) -> None:
        pv = ctx.get(PV, "", name)
        if pv is None:
            return
        spec = pv.get("spec") or {}
        ref = spec.get("claimRef")
        phase = (pv.get("status") or {}).get("phase")
        if ref and ref.get("name"):
            claim = ctx.get(PVC, ref.get("namespace") or "", ref["name"])
            gone = claim is None or (ref.get("uid") and _meta(claim).get("uid") != ref.get("uid"))
            if gone and phase == "Bound" or gone and phase == "Released":
                if spec.get("persistentVolumeReclaimPolicy") == "Delete":
                    ctx.delete(PV, "", name)  # the provisioner deletes the volume, then the object
                    return
                if phase != "Released":
                    new = copy.deepcopy(pv)
                    new.setdefault("status", {})["phase"] = "Released"
                    ctx.update_status(PV, new)
                    return
        elif phase not in ("Available", "Failed") and not _meta(pv).get("deletionTimestamp"):
            new = copy.deepcopy(pv)
            new.setdefault("status", {})["phase"] = "Available"
            ctx.update_status(PV, new)
        if _meta(pv).get("deletionTimestamp") and PV_PROTECTION in (_meta(pv).get("finalizers") or []):
            pv = ctx.get(PV, "", name)
            if pv is not None and (pv.get("status") or {}).get("phase") != "Bound":
                _remove_finalizer(ctx, PV, pv, PV_PROTECTION)

    # ------------------------------------------------------------------ claims
    def _sync_claim(self, ctx: Context, ns: str, name: str) -> None:
        pvc = ctx.get(PVC, ns, name)
        if pvc is None:
            return
        if _meta(pvc).get("deletionTimestamp"):
            if PVC_PROTECTION in (_meta(pvc).get("finalizers") or []) and \
                    not pods_using_claim(ctx.list("pods", ns), name):
                _remove_finalizer(ctx, PVC, pvc, PVC_PROTECTION)
            return
        spec = pvc.get("spec") or {}
        if spec.get("volumeName"):
            pv = ctx.get(PV, "", spec["volumeName"])
            if pv is not None and (pvc.get("status") or {}).get("phase") != "Bound":
                ref = (pv.get("spec") or {}).get("claimRef")
                if not ref or (ref.get("namespace"), ref.get("name")) == (ns, name):
                    self._bind(ctx, pvc, pv, by_controller=False)
            elif pv is None and (pvc.get("status") or {}).get("phase") == "Bound":
                new = copy.deepcopy(pvc)
                new["status"] = {"phase": "Lost"}
                ctx.update_status(PVC, new)
            return
        # retroactive default class
        if claim_class(pvc) is None:
            sc = default_storage_class(ctx.list(SC))
            if sc is None:
                self._try_static(ctx, pvc, None, False)
                return
            pvc = copy.deepcopy(pvc)
            pvc["spec"]["storageClassName"] = sc["metadata"]["name"]
            pvc = ctx.update(PVC, pvc)
        cls = claim_class(pvc) or ""
        sc = ctx.get(SC, "", cls) if cls else None
        wait = sc is not None and sc.get("volumeBindingMode") == "WaitForFirstConsumer"
        node = None
        if wait:
            node = self._selected_node(ctx, pvc)
            if node is None:
                # upstream leaves WaitForFirstConsumer claims to the scheduler until a pod
                # using them is placed; static volumes wait too
                ctx.event(pvc, "Normal", "WaitForFirstConsumer", MSG_WAIT_FIRST_CONSUMER,
                          component=CONTROLLER_COMPONENT)
                return
        if self._try_static(ctx, pvc, node, wait):
            return
        if not cls:
            return  # no class: only a matching static volume can bind it
        if sc is None:
            ctx.event(pvc, "Warning", "ProvisioningFailed", f'storageclass.storage.k8s.io "{cls}" not found',
                      component=CONTROLLER_COMPONENT)
            return
        provisioner = sc.get("provisioner") or ""
        if provisioner == NO_PROVISIONER:
            return
        self._provision(ctx, pvc, sc, node)

    def _try_static(self, ctx: Context, pvc: dict, node: dict | None, check_node: bool) -> bool:
        pv = best_volume(ctx.list(PV), pvc, node, check_node)
        if pv is None:
            return False
        self._bind(ctx, pvc, pv, by_controller=True)
        return True

    def _selected_node(self, ctx: Context, pvc: dict) -> dict | None:
        ns, name = _meta(pvc).get("namespace", ""), _meta(pvc)["name"]
        node_name = (_meta(pvc).get("annotations") or {}).get(SELECTED_NODE)
        if not node_name:
            users = [p for p in pods_using_claim(ctx.list("pods", ns), name)
                     if (p.get("spec") or {}).get("nodeName") and not _meta(p).get("deletionTimestamp")]
            if not users:
                return None
            node_name = sorted(users, key=lambda p: _meta(p)["name"])[0]["spec"]["nodeName"]
            new = copy.deepcopy(pvc)
            new["metadata"].setdefault("annotations", {})[SELECTED_NODE] = node_name
            ctx.update(PVC, new)
        return ctx.get("nodes", "", node_name)

    def _provision(self, ctx: Context, pvc: dict, sc: dict, node: dict | None) -> None:
        provisioner = sc.get("provisioner") or ""
        pvc = ctx.get(PVC, _meta(pvc).get("namespace", ""), _meta(pvc)["name"])
        ann = dict(_meta(pvc).get("annotations") or {})
        if ann.get(STORAGE_PROVISIONER) != provisioner or ann.get(BETA_STORAGE_PROVISIONER) != provisioner:
            ann[STORAGE_PROVISIONER] = provisioner
            ann[BETA_STORAGE_PROVISIONER] = provisioner
            new = copy.deepcopy(pvc)
            new["metadata"]["annotations"] = ann
            pvc = ctx.update(PVC, new)
        ctx.event(pvc, "Normal", "ExternalProvisioning", msg_external_provisioning(provisioner),
                  component=CONTROLLER_COMPONENT)
        ns, name = _meta(pvc).get("namespace"), _meta(pvc)["name"]
        component = provisioner_component(provisioner)
        ctx.event(pvc, "Normal", "Provisioning", f'External provisioner is provisioning volume for claim "{ns}/{name}"',
                  component=component)
        want = provisioned_volume(pvc, sc, node)
        pv = ctx.get(PV, "", want["metadata"]["name"])
        if pv is None:
            pv = ctx.create(PV, want)
        ctx.event(pvc, "Normal", "ProvisioningSucceeded", f"Successfully provisioned volume {want['metadata']['name']}",
                  component=component)
        self._bind(ctx, pvc, pv, by_controller=True)

    def _bind(self, ctx: Context, pvc: dict, pv: dict, *, by_controller: bool) -> None:
        """bind(): volume.claimRef + phase Bound, claim.volumeName + annotations + status."""
        ref = claim_ref(pvc)
        pv = copy.deepcopy(pv)
        pspec = pv.setdefault("spec", {})
        if not pspec.get("claimRef"):
            pspec["claimRef"] = ref
            pv["metadata"].setdefault("annotations", {})[BOUND_BY_CONTROLLER] = "yes"
            pv = ctx.update(PV, pv)
        elif not pspec["claimRef"].get("uid"):
            pspec["claimRef"] = {**pspec["claimRef"], "uid": ref["uid"]}
            pv = ctx.update(PV, pv)
        if (pv.get("status") or {}).get("phase") != "Bound":
            new = copy.deepcopy(pv)
            new.setdefault("status", {})["phase"] = "Bound"
            ctx.update_status(PV, new)
        claim = copy.deepcopy(ctx.get(PVC, _meta(pvc).get("namespace", ""), _meta(pvc)["name"]))
        ann = claim["metadata"].setdefault("annotations", {})
        ann[BIND_COMPLETED] = "yes"
        if by_controller:
            ann[BOUND_BY_CONTROLLER] = "yes"
        claim["spec"]["volumeName"] = _meta(pv)["name"]
        claim = ctx.update(PVC, claim)
        status = {
            "phase": "Bound",
            "accessModes": list((pv.get("spec") or {}).get("accessModes") or []),
            "capacity": dict((pv.get("spec") or {}).get("capacity") or {}),
        }
        if claim.get("status") != status:
            new = copy.deepcopy(claim)
            new["status"] = status
            ctx.update_status(PVC, new)


def _remove_finalizer(ctx: Context, resource: str, obj: dict, finalizer: str) -> None:
    try:
        from kctl.controllers.gc import remove_finalizer
    except ImportError:  # pragma: no cover - the GC helper's module is part of the tree
        remove_finalizer = None
    if remove_finalizer is not None:
        remove_finalizer(ctx, resource, obj, finalizer)
        return
    new = copy.deepcopy(obj)
    fins = [f for f in new["metadata"].get("finalizers") or [] if f != finalizer]
    if fins:
        new["metadata"]["finalizers"] = fins
        ctx.write(resource, new)
    else:
        ctx.delete(resource, _meta(obj).get("namespace", ""), _meta(obj)["name"])
