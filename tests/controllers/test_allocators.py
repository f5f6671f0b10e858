"""ClusterIP / NodePort allocation: exact upstream texts, ranges, determinism."""

from __future__ import annotations

import ipaddress

import pytest

from kctl.controllers import allocators as a

CIDR_TEXT = "The range of valid IPs is 10.96.0.0/12"


@pytest.mark.parametrize("ip, used, want", [
    ("10.0.0.5", set(), "the provided network does not match the current range"),
    ("192.168.1.1", set(), "the provided network does not match the current range"),
    ("10.96.0.0", set(), f"the provided IP (10.96.0.0) is not in the valid range. {CIDR_TEXT}"),
    ("10.111.255.255", set(), f"the provided IP (10.111.255.255) is not in the valid range. {CIDR_TEXT}"),
    ("10.96.0.10", {"10.96.0.10"}, "provided IP is already allocated"),
    ("10.96.0.10", {"10.96.0.11"}, None),
    ("10.111.255.254", set(), None),
    ("10.96.0.1", set(), None),
], ids=["other-net", "private-net", "network-address", "broadcast", "taken", "free", "last", "first"])
def test_check_cluster_ip(ip, used, want):
    assert a.check_cluster_ip(ip, used) == want


def test_allocate_cluster_ip_is_deterministic_and_in_upper_subrange():
    ip1 = a.allocate_cluster_ip(set(), "seed/clusterip/default/web")
    ip2 = a.allocate_cluster_ip(set(), "seed/clusterip/default/web")
    assert ip1 == ip2
    addr = ipaddress.ip_address(ip1)
    assert addr in a.SERVICE_CIDR
    # KEP-3070: dynamic allocation avoids the 256 lowest (static) addresses
    assert int(addr) >= int(ipaddress.ip_address("10.96.1.1"))
    assert a.allocate_cluster_ip(set(), "seed/clusterip/default/api") != ip1


def test_allocate_cluster_ip_exact_value():
    assert a.allocate_cluster_ip(set(), "kctl/clusterip/default/web") == "10.109.35.217"


def test_allocate_cluster_ip_skips_used_values():
    first = a.allocate_cluster_ip(set(), "k")
    second = a.allocate_cluster_ip({first}, "k")
    assert second == str(ipaddress.ip_address(first) + 1)


def test_allocate_cluster_ip_falls_back_to_static_range_then_full():
    cidr = ipaddress.ip_network("10.0.0.0/28")  # 14 usable, offset 0 (too small to split)
    used = {str(ipaddress.ip_address(i)) for i in range(int(cidr.network_address) + 1, int(cidr.broadcast_address))}
    with pytest.raises(a.AllocationError, match="range is full"):
        a.allocate_cluster_ip(used, "k", cidr)
    small = ipaddress.ip_network("10.0.0.0/24")  # offset 16: upper is .17-.254
    upper = {str(ipaddress.ip_address(int(small.network_address) + i)) for i in range(17, 255)}
    ip = ipaddress.ip_address(a.allocate_cluster_ip(upper, "k", small))
    assert int(small.network_address) + 1 <= int(ip) <= int(small.network_address) + 16


@pytest.mark.parametrize("port, used, want", [
    (30080, {30080}, "provided port is already allocated"),
    (30080, set(), None),
    (29999, set(), "provided port is not in the valid range. The range of valid ports is 30000-32767"),
    (32768, set(), "provided port is not in the valid range. The range of valid ports is 30000-32767"),
    (30000, set(), None),
    (32767, set(), None),
], ids=["taken", "free", "below", "above", "low-edge", "high-edge"])
def test_check_node_port(port, used, want):
    assert a.check_node_port(port, used) == want


def test_allocate_node_port_deterministic_upper_band_and_skips_used():
    p = a.allocate_node_port(set(), "kctl/nodeport/0/default/web")
    assert p == 31068
    assert p == a.allocate_node_port(set(), "kctl/nodeport/0/default/web")
    # the lowest 86 ports (2768/32) are kept for static requests
    assert 30086 <= p <= 32767
    assert a.allocate_node_port({p}, "kctl/nodeport/0/default/web") == p + 1


def test_node_port_range_full():
    with pytest.raises(a.AllocationError, match="range is full"):
        a.allocate_node_port(set(range(30000, 30010)), "k", (30000, 30009))


def test_used_sets_from_services():
    svcs = [
        {"metadata": {"namespace": "a", "name": "x"}, "spec": {"clusterIP": "10.96.0.10", "clusterIPs": ["10.96.0.10"],
                                                            "ports": [{"port": 80, "nodePort": 30080}],
                                                            "healthCheckNodePort": 31000}},
        {"metadata": {"namespace": "a", "name": "h"}, "spec": {"clusterIP": "None", "clusterIPs": ["None"]}},
        {"metadata": {"namespace": "a", "name": "e"}, "spec": {"type": "ExternalName", "clusterIP": "10.96.0.99"}},
    ]
    assert a.used_cluster_ips(svcs) == {"10.96.0.10"}
    assert a.used_cluster_ips(svcs, exclude=("a", "x")) == set()
    assert a.used_node_ports(svcs) == {30080, 31000}
