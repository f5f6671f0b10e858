"""VolumeBinding: every PersistentVolumeClaim a pod mounts must exist (PreFilter); an unbound
claim is fine when its StorageClass is WaitForFirstConsumer (the PV controller provisions
after binding), not when it is Immediate; a bound claim's PV node affinity must match."""

from __future__ import annotations

from kctl.scheduler.framework import UNRESOLVABLE, Status
from kctl.scheduler.plugins.base import Plugin

NAME = "VolumeBinding"
REASON_NOT_FOUND = 'persistentvolumeclaim "{}" not found'
REASON_DELETING = 'persistentvolumeclaim "{}" is being deleted'
REASON_UNBOUND_IMMEDIATE = "pod has unbound immediate PersistentVolumeClaims"
REASON_NODE_CONFLICT = "node(s) had volume node affinity conflict"
REASON_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind"
SELECTED_NODE = "volume.kubernetes.io/selected-node"


def claim_names(pod: dict) -> list[str]:
    out = []
    meta = pod.get("metadata") or {}
    for v in (pod.get("spec") or {}).get("volumes") or []:
        if v.get("persistentVolumeClaim"):
            out.append(v["persistentVolumeClaim"].get("claimName", ""))
        elif v.get("ephemeral"):
            out.append(f"{meta.get('name', '')}-{v.get('name', '')}")
    return out


class VolumeBinding(Plugin):
    name = NAME
    has_filter = True

    def pre_filter(self, state, pi, snap):
        names = claim_names(pi.pod)
        bound_pvs = []
        if not names:
            state[NAME] = bound_pvs
            return None
        for n in names:
            pvc = snap.pvc(pi.ns, n)
            if pvc is None:
                return Status(UNRESOLVABLE, REASON_NOT_FOUND.format(n))
            if (pvc.get("metadata") or {}).get("deletionTimestamp"):
                return Status(UNRESOLVABLE, REASON_DELETING.format(n))
            vol = (pvc.get("spec") or {}).get("volumeName")
            if vol:
                pv = snap.pv(vol)
                if pv is not None:
                    bound_pvs.append(pv)
                continue
            if snap.binding_mode(pvc) != "WaitForFirstConsumer":
                return Status(UNRESOLVABLE, REASON_UNBOUND_IMMEDIATE)
        state[NAME] = bound_pvs
        return None

    def filter_needed(self, state, pi) -> bool:
        return bool(state.get(NAME))

    def filter(self, state, pi, ni):
        from kctl.scheduler.plugins.node_affinity import term_matches

        for pv in state.get(NAME) or []:
            req = (((pv.get("spec") or {}).get("nodeAffinity") or {}).get("required") or {})
            terms = req.get("nodeSelectorTerms")
            if terms and not any(term_matches(t, ni) for t in terms):
                return Status(UNRESOLVABLE, REASON_NODE_CONFLICT)
        return None
