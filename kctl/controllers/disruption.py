"""DisruptionController (pkg/controller/disruption): keeps each PodDisruptionBudget's status
(currentHealthy, desiredHealthy, disruptionsAllowed, expectedPods, DisruptionAllowed condition)
up to date from the pods its selector matches, so `get pdb` shows ALLOWED DISRUPTIONS as a
cluster does. The eviction check of `kctl drain` uses the same numbers (budget_numbers)."""

from __future__ import annotations

import math
from typing import Iterable

from kctl.api.selectors import from_label_selector_spec
from kctl.controllers.context import Context

PDB = "poddisruptionbudgets.policy"
_SCALABLE = {"ReplicaSet": "replicasets.apps", "StatefulSet": "statefulsets.apps",
             "ReplicationController": "replicationcontrollers"}


def _scaled(value, total: int, round_up: bool) -> int:
    if isinstance(value, int):
        return value
    s = str(value)
    if s.endswith("%"):
        v = int(s[:-1]) * total / 100
        return math.ceil(v) if round_up else math.floor(v)
    return int(s)


def _ready(pod: dict) -> bool:
    return any(c.get("type") == "Ready" and c.get("status") == "True"
               for c in (pod.get("status") or {}).get("conditions") or [])


def budget(pdb: dict, pods: list[dict], expected_scale: int | None) -> tuple[int, int, int, int]:
    """(currentHealthy, desiredHealthy, disruptionsAllowed, expectedPods) as the disruption
    controller's getExpectedPodCount/countHealthyPods. `expected_scale`: summed scale of the
    pods' controllers (None: the number of pods)."""
    spec = pdb.get("spec") or {}
    alive = [p for p in pods if not (p.get("metadata") or {}).get("deletionTimestamp")]
    healthy = sum(1 for p in alive if _ready(p))
    scale = expected_scale if expected_scale is not None else len(pods)
    if spec.get("maxUnavailable") is not None:
        expected = scale
        desired = max(0, expected - _scaled(spec["maxUnavailable"], expected, True))
    elif spec.get("minAvailable") is not None and not str(spec["minAvailable"]).endswith("%"):
        expected = len(pods)
        desired = int(spec["minAvailable"])
    elif spec.get("minAvailable") is not None:
        expected = scale
        desired = _scaled(spec["minAvailable"], expected, True)
    else:
        expected, desired = len(pods), 0
    return healthy, desired, max(0, healthy - desired), expected


def budget_numbers(pdb: dict, pods: list[dict], expected_scale: int | None) -> tuple[int, int, int]:
    """(currentHealthy, desiredHealthy, disruptionsAllowed)."""
    return budget(pdb, pods, expected_scale)[:3]


def expected_scale(reader, pods: list[dict]) -> int | None:
    """Summed spec.replicas of the pods' distinct controllers; None when a pod has no scalable
    controller (upstream then reports an error; the pod count stands in)."""
    seen, total = set(), 0
    for p in pods:
        ref = next((r for r in (p.get("metadata") or {}).get("ownerReferences") or [] if r.get("controller")), None)
        if ref is None or ref.get("kind") not in _SCALABLE:
            return None
        key = (ref["kind"], ref.get("name"))
        if key in seen:
            continue
        seen.add(key)
        owner = reader.get(_SCALABLE[ref["kind"]], p["metadata"].get("namespace", ""), ref.get("name", ""))
        if owner is None:
            return None
        total += int((owner.get("spec") or {}).get("replicas", 1))
    return total


def matching_pods(reader, pdb: dict) -> list[dict]:
    sel_spec = (pdb.get("spec") or {}).get("selector")
    if sel_spec is None:
        return []
    sel = from_label_selector_spec(sel_spec)
    ns = pdb["metadata"].get("namespace", "")
    return [p for p in reader.list("pods", ns) if sel.matches((p.get("metadata") or {}).get("labels") or {})]


class DisruptionController:
    name = "disruption"
    resources = (PDB, "pods", "replicasets.apps", "statefulsets.apps", "replicationcontrollers")

    def __init__(self) -> None:
        # namespace -> PDB names: pod changes come by the thousand, PDBs rarely change
        self._names: dict[str, list[str]] = {}

    def keys_for(self, ctx: Context, change) -> Iterable[tuple]:
        if change.resource == PDB:
            self._names.pop(change.namespace, None)
            return [(change.namespace, change.name)]
        names = self._names.get(change.namespace)
        if names is None:
            names = [p["metadata"]["name"] for p in ctx.list(PDB, change.namespace)]
            self._names[change.namespace] = names
        return [(change.namespace, n) for n in names]

    def reconcile(self, ctx: Context, key: tuple) -> None:
        ns, name = key
        pdb = ctx.get(PDB, ns, name)
        if pdb is None or pdb["metadata"].get("deletionTimestamp"):
            return
        pods = matching_pods(ctx, pdb)
        healthy, desired, allowed, expected = budget(pdb, pods, expected_scale(ctx, pods))
        old = pdb.get("status") or {}
        cond_status = "True" if allowed > 0 else "False"
        old_cond = next((c for c in old.get("conditions") or [] if c.get("type") == "DisruptionAllowed"), None)
        cond = {"type": "DisruptionAllowed", "status": cond_status,
                "reason": "SufficientPods" if allowed > 0 else "InsufficientPods", "message": "",
                "observedGeneration": pdb["metadata"].get("generation", 1),
                "lastTransitionTime": (old_cond or {}).get("lastTransitionTime") if old_cond
                and old_cond.get("status") == cond_status else ctx.now_str}
        status = dict(old)
        status.update({"currentHealthy": healthy, "desiredHealthy": desired, "disruptionsAllowed": allowed,
                       "expectedPods": expected, "observedGeneration": pdb["metadata"].get("generation", 1),
                       "conditions": [cond]})
        if status != old:
            pdb["status"] = status
            ctx.update_status(PDB, pdb)
