"""ClusterIP and NodePort allocation, pure over the set of values already in use.

Upstream (pkg/registry/core/service/ipallocator, portallocator) keeps allocations in
IPAddress objects / a bitmap; kctl derives "used" from the Services in the store, so these
functions take the used set and return a value or an error text.

Ranges: service CIDR 10.96.0.0/12 (kubeadm/kind default), node ports 30000-32767.

Dynamic choice (a documented kctl decision): upstream starts at a *random* offset inside the
upper sub-range (KEP-3070: the lowest `range offset` addresses are kept for static requests,
so 10.96.0.10 for DNS stays free) and walks forward. kctl replaces the random start with a
hash of a key (the store's seed plus namespace/name of the Service), then walks forward the
same way, wrapping, then falls back to the lower sub-range. Same store + same inputs → same
IPs; a Service deleted and re-created gets its old IP back when still free.
"""

from __future__ import annotations

import hashlib
import ipaddress
from functools import lru_cache

SERVICE_CIDR = ipaddress.ip_network("10.96.0.0/12")
KUBERNETES_SERVICE_IP = "10.96.0.1"
NODE_PORT_RANGE = (30000, 32767)

# error texts of ipallocator / portallocator (1.37). The IP allocator in 1.37 is the
# IPAddress-based MetaAllocator (MultiCIDRServiceAllocator is GA): an IP outside every
# ServiceCIDR gets ErrMismatchedNetwork; one inside the prefix but not allocatable (the
# network or broadcast address) gets ErrNotInRange.
IP_ALLOCATED = "provided IP is already allocated"
IP_MISMATCHED_NETWORK = "the provided network does not match the current range"
PORT_ALLOCATED = "provided port is already allocated"
RANGE_FULL = "range is full"


def ip_not_in_range(ip: str, cidr=SERVICE_CIDR) -> str:
    return f"the provided IP ({ip}) is not in the valid range. The range of valid IPs is {cidr}"


def port_not_in_range(lo: int = NODE_PORT_RANGE[0], hi: int = NODE_PORT_RANGE[1]) -> str:
    return f"provided port is not in the valid range. The range of valid ports is {lo}-{hi}"


class AllocationError(Exception):
    """An allocation that cannot be made; str() is upstream's error text."""


def _range_offset(size: int, lo: int, hi: int, step: int) -> int:
    """calculateRangeOffset: min(max(lo, size/step), hi); 0 for tiny ranges."""
    if size <= lo:
        return 0
    return min(max(lo, size // step), hi)


def _hash_start(key: str, n: int) -> int:
    if n <= 0:
        return 0
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big") % n


def _walk(first: int, last: int, start: int, used: set[int]) -> int | None:
    """First free value in [first, last] walking forward from first+start, wrapping."""
    n = last - first + 1
    for i in range(n):
        v = first + (start + i) % n
        if v not in used:
            return v
    return None


# --------------------------------------------------------------------------- cluster IPs
def _ip_bounds(cidr) -> tuple[int, int, int]:
    """(first, last, range offset) as ints: the network's .0 and (IPv4) broadcast are never
    handed out; the lowest `offset` addresses form the static sub-range."""
    first = int(cidr.network_address) + 1
    last = int(cidr.broadcast_address) - 1
    cidr_size = cidr.num_addresses
    return first, last, _range_offset(cidr_size, 16, 256, 16)


def check_cluster_ip(ip: str, used: set[str], cidr=SERVICE_CIDR) -> str | None:
    """Why `ip` cannot be allocated (upstream's text, without the `failed to allocate IP`
    prefix), or None when it can. `ip` must be a valid IPv4 address."""
    addr = ipaddress.ip_address(ip)
    if addr not in cidr:
        return IP_MISMATCHED_NETWORK
    first, last, _ = _ip_bounds(cidr)
    if not first <= int(addr) <= last:
        return ip_not_in_range(ip, cidr)
    if str(addr) in used:
        return IP_ALLOCATED
    return None


@lru_cache(maxsize=65536)
def _ip_int(ip: str) -> int | None:
    # memoized: every Service admitted parses the IPs of all the others
    try:
        return int(ipaddress.ip_address(ip))
    except ValueError:
        return None


def allocate_cluster_ip(used: set[str], key: str, cidr=SERVICE_CIDR) -> str:
    """A free IP for a new Service: upper sub-range first from a start derived from `key`,
    then the lower (static) sub-range. Raises AllocationError("range is full")."""
    first, last, offset = _ip_bounds(cidr)
    used_ints = {v for v in map(_ip_int, used) if v is not None}
    upper_first = first + offset
    v = _walk(upper_first, last, _hash_start(key, last - upper_first + 1), used_ints)
    if v is None and offset:
        v = _walk(first, upper_first - 1, _hash_start(key, offset), used_ints)
    if v is None:
        raise AllocationError(RANGE_FULL)
    return str(ipaddress.ip_address(v))


# --------------------------------------------------------------------------- node ports
def check_node_port(port: int, used: set[int], port_range=NODE_PORT_RANGE) -> str | None:
    """Why `port` cannot be allocated (upstream's text), or None."""
    lo, hi = port_range
    if not lo <= port <= hi:
        return port_not_in_range(lo, hi)
    if port in used:
        return PORT_ALLOCATED
    return None


def allocate_node_port(used: set[int], key: str, port_range=NODE_PORT_RANGE) -> int:
    """A free node port: upper sub-range first (the lowest min(max(16, size/32), 128) ports
    are kept for static requests, as upstream's port allocator does), start from `key`."""
    lo, hi = port_range
    size = hi - lo + 1
    offset = _range_offset(size, 16, 128, 32)
    upper = lo + offset
    v = _walk(upper, hi, _hash_start(key, hi - upper + 1), used)
    if v is None and offset:
        v = _walk(lo, upper - 1, _hash_start(key, offset), used)
    if v is None:
        raise AllocationError(RANGE_FULL)
    return v


# --------------------------------------------------------------------------- used sets
def used_cluster_ips(services, exclude: tuple[str, str] | None = None) -> set[str]:
    """Every clusterIP held by the given Services (headless and ExternalName hold none)."""
    out: set[str] = set()
    for svc in services:
        meta = svc.get("metadata") or {}
        if exclude and (meta.get("namespace", ""), meta.get("name")) == exclude:
            continue
        spec = svc.get("spec") or {}
        if spec.get("type") == "ExternalName":
            continue
        ips = spec.get("clusterIPs") or ([spec["clusterIP"]] if spec.get("clusterIP") else [])
        for ip in ips:
            if ip and ip != "None":
                out.add(ip)
    return out


def used_node_ports(services, exclude: tuple[str, str] | None = None) -> set[int]:
    """Every nodePort and healthCheckNodePort held by the given Services."""
    out: set[int] = set()
    for svc in services:
        meta = svc.get("metadata") or {}
        if exclude and (meta.get("namespace", ""), meta.get("name")) == exclude:
            continue
        spec = svc.get("spec") or {}
        for p in spec.get("ports") or []:
            if isinstance(p, dict) and isinstance(p.get("nodePort"), int) and p["nodePort"]:
                out.add(p["nodePort"])
        if isinstance(spec.get("healthCheckNodePort"), int) and spec["healthCheckNodePort"]:
            out.add(spec["healthCheckNodePort"])
    return out
