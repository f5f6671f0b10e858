"""NodePorts: a hostPort (protocol, port) may be used once per node (0.0.0.0 clashes with any IP)."""

from __future__ import annotations

from kctl.scheduler.framework import UNSCHEDULABLE, Status
from kctl.scheduler.plugins.base import Plugin

NAME = "NodePorts"
REASON = "node(s) didn't have free ports for the requested pod ports"


def conflicts(ports, used: dict) -> list:
    out = []
    for ip, proto, port in ports:
        for (uip, uproto, uport) in used:
            if uproto == proto and uport == port and (ip == "0.0.0.0" or uip == "0.0.0.0" or ip == uip):
                out.append((ip, proto, port))
                break
    return out


class NodePorts(Plugin):
    name = NAME
    has_filter = True

    def filter_needed(self, state, pi) -> bool:
        return bool(pi.ports)

    def filter(self, state, pi, ni):
        if pi.ports and ni.used_ports and conflicts(pi.ports, ni.used_ports):
            return Status(UNSCHEDULABLE, REASON)
        return None
