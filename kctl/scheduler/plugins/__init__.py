"""The default profile's plugins (kube-scheduler 1.37), one module each.

`default_plugins()` gives them in upstream's default-profile order: filters run in this order
(a node stops at its first failing filter), scores are weighted as upstream. ImageLocality is
left out: kctl's simulated nodes have no image cache (status.images is empty).
"""

from __future__ import annotations


def default_plugins() -> list:
    from kctl.scheduler.plugins.balanced_allocation import BalancedAllocation
    from kctl.scheduler.plugins.inter_pod_affinity import InterPodAffinity
    from kctl.scheduler.plugins.node_affinity import NodeAffinity
    from kctl.scheduler.plugins.node_name import NodeName
    from kctl.scheduler.plugins.node_ports import NodePorts
    from kctl.scheduler.plugins.node_resources_fit import NodeResourcesFit
    from kctl.scheduler.plugins.node_unschedulable import NodeUnschedulable
    from kctl.scheduler.plugins.pod_topology_spread import PodTopologySpread
    from kctl.scheduler.plugins.taint_toleration import TaintToleration
    from kctl.scheduler.plugins.volume_binding import VolumeBinding

    return [NodeUnschedulable(), NodeName(), TaintToleration(), NodeAffinity(), NodePorts(),
            NodeResourcesFit(), VolumeBinding(), PodTopologySpread(), InterPodAffinity(),
            BalancedAllocation()]
