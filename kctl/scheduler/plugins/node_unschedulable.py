"""NodeUnschedulable: a cordoned node takes only pods tolerating its unschedulable taint."""

from __future__ import annotations

from kctl.scheduler.framework import UNRESOLVABLE, Status, tolerated
from kctl.scheduler.plugins.base import Plugin

NAME = "NodeUnschedulable"
REASON = "node(s) were unschedulable"
TAINT = {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}


class NodeUnschedulable(Plugin):
    name = NAME
    has_filter = True

    def filter(self, state, pi, ni):
        if not ni.unschedulable:
            return None
        if tolerated((pi.pod.get("spec") or {}).get("tolerations") or [], TAINT):
            return None
        return Status(UNRESOLVABLE, REASON)
