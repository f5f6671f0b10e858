"""NodeResourcesBalancedAllocation: favour nodes whose cpu and memory fractions stay close
(score (1 - std) * 100 over the requested fractions after placing the pod), weight 1."""

from __future__ import annotations

import math

from kctl.scheduler.plugins.base import Plugin

NAME = "NodeResourcesBalancedAllocation"
WEIGHT = 1


class BalancedAllocation(Plugin):
    name = NAME
    weight = WEIGHT
    has_score = True

    def pre_score(self, state, pi, snap, feasible) -> bool:
        # a pod requesting none of the scored resources is skipped (upstream PreScore)
        return bool(pi.requests.get("cpu") or pi.requests.get("memory"))

    def score(self, state, pi, ni) -> int:
        fractions = []
        for name in ("cpu", "memory"):
            cap = ni.allocatable.get(name, 0)
            if cap == 0:
                continue
            f = (ni.requested.get(name, 0) + pi.requests.get(name, 0)) / cap
            fractions.append(min(f, 1.0))
        if len(fractions) == 2:
            std = abs(fractions[0] - fractions[1]) / 2
        elif len(fractions) > 2:
            mean = sum(fractions) / len(fractions)
            std = math.sqrt(sum((f - mean) ** 2 for f in fractions) / len(fractions))
        else:
            std = 0.0
        return int((1 - std) * 100)
