"""TaintToleration: NoSchedule/NoExecute taints must be tolerated (filter); untolerated
PreferNoSchedule taints lower the score (weight 3)."""

from __future__ import annotations

from kctl.scheduler.framework import UNRESOLVABLE, Status, taint_text, tolerated
from kctl.scheduler.plugins.base import Plugin, default_normalize

NAME = "TaintToleration"
#: 1.37 prints no taint key in the FailedScheduling message
REASON = "node(s) had untolerated taint(s)"
WEIGHT = 3


def untolerated_taint(pi, ni):
    """The first NoSchedule/NoExecute taint the pod does not tolerate, or None."""
    tols = (pi.pod.get("spec") or {}).get("tolerations") or []
    for t in ni.taints:
        if t.get("effect") in ("NoSchedule", "NoExecute") and not tolerated(tols, t):
            return t
    return None


def explain_reason(taint: dict) -> str:
    """explain-schedule's fuller text (names the taint)."""
    return f"untolerated taint {taint_text(taint)}"


class TaintToleration(Plugin):
    name = NAME
    weight = WEIGHT
    has_filter = True
    has_score = True

    def filter(self, state, pi, ni):
        if untolerated_taint(pi, ni) is not None:
            return Status(UNRESOLVABLE, REASON)
        return None

    def pre_score(self, state, pi, snap, feasible) -> bool:
        tols = (pi.pod.get("spec") or {}).get("tolerations") or []
        state[NAME] = [t for t in tols if not t.get("effect") or t.get("effect") == "PreferNoSchedule"]
        return True

    def score(self, state, pi, ni) -> int:
        tols = state[NAME]
        return sum(1 for t in ni.taints if t.get("effect") == "PreferNoSchedule" and not tolerated(tols, t))

    def normalize(self, state, pi, scores, groups) -> None:
        default_normalize(scores, reverse=True)
