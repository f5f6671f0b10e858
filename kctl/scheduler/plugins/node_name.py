"""NodeName: a pod that names its node fits only there."""

from __future__ import annotations

from kctl.scheduler.framework import UNRESOLVABLE, Status
from kctl.scheduler.plugins.base import Plugin

NAME = "NodeName"
REASON = "node(s) didn't match the requested node name"


class NodeName(Plugin):
    name = NAME
    has_filter = True

    def filter_needed(self, state, pi) -> bool:
        return bool((pi.pod.get("spec") or {}).get("nodeName"))

    def filter(self, state, pi, ni):
        want = (pi.pod.get("spec") or {}).get("nodeName")
        if want and want != ni.name:
            return Status(UNRESOLVABLE, REASON)
        return None
