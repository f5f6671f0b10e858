"""NodeResourcesFit: requests (containers summed, init containers' max, sidecars, overhead)
must fit allocatable minus what the node's pods request; `Too many pods` past the pod
capacity. Score: LeastAllocated over cpu and memory (weight 1 each), plugin weight 1.

A request larger than the node's whole allocatable is UnschedulableAndUnresolvable (no
preemption can help), as upstream's fitsRequest marks it."""

from __future__ import annotations

from kctl.scheduler.framework import UNRESOLVABLE, UNSCHEDULABLE, Status
from kctl.scheduler.plugins.base import Plugin

NAME = "NodeResourcesFit"
REASON_PODS = "Too many pods"
WEIGHT = 1


def insufficient(pi, ni) -> list[tuple[str, bool, int, int, int]]:
    """[(reason, unresolvable, requested, used, capacity)] in upstream's order."""
    out = []
    if len(ni.pods) + 1 > ni.allowed_pods:
        out.append((REASON_PODS, False, 1, len(ni.pods), ni.allowed_pods))
    req = pi.requests
    if not req:
        return out
    alloc, used = ni.allocatable, ni.requested
    for name in ("cpu", "memory", "ephemeral-storage"):
        want = req.get(name, 0)
        if want > 0:
            a, u = alloc.get(name, 0), used.get(name, 0)
            if want > a - u:
                out.append((f"Insufficient {name}", want > a, want, u, a))
    for name, want in req.items():
        if name in ("cpu", "memory", "ephemeral-storage") or want == 0:
            continue
        a, u = alloc.get(name, 0), used.get(name, 0)
        if want > a - u:
            out.append((f"Insufficient {name}", want > a, want, u, a))
    return out


def least_allocated(requested: int, capacity: int) -> int:
    if capacity == 0 or requested > capacity:
        return 0
    return (capacity - requested) * 100 // capacity


class NodeResourcesFit(Plugin):
    name = NAME
    weight = WEIGHT
    has_filter = True
    has_score = True

    def filter(self, state, pi, ni):
        bad = insufficient(pi, ni)
        if not bad:
            return None
        code = UNRESOLVABLE if any(u for _, u, *_ in bad) else UNSCHEDULABLE
        return Status(code, *[r for r, *_ in bad])

    def score(self, state, pi, ni) -> int:
        # LeastAllocated on the non-zero requests (100m / 200Mi for containers without any)
        cpu = least_allocated(ni.nz_cpu + pi.nz_cpu, ni.allocatable.get("cpu", 0))
        mem = least_allocated(ni.nz_mem + pi.nz_mem, ni.allocatable.get("memory", 0))
        return (cpu + mem) // 2
