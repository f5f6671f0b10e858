"""Builders shared by the scheduler tests (not a test module)."""

from __future__ import annotations

from kctl.scheduler.framework import CycleState, NodeInfo, PodInfo
from kctl.store.memory import MemoryStore


def node(name, cpu="4", memory="8Gi", pods="110", labels=None, taints=None, unschedulable=False, extra=None):
    alloc = {"cpu": cpu, "memory": memory, "pods": pods, **(extra or {})}
    spec = {}
    if taints:
        spec["taints"] = taints
    if unschedulable:
        spec["unschedulable"] = True
    return {"apiVersion": "v1", "kind": "Node",
            "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name, **(labels or {})}},
            "spec": spec, "status": {"allocatable": alloc, "capacity": alloc}}


def pod(name, cpu=None, memory=None, ns="default", labels=None, node_name=None, priority=None, **spec_extra):
    req = {}
    if cpu:
        req["cpu"] = cpu
    if memory:
        req["memory"] = memory
    c = {"name": "c", "image": "nginx"}
    if req:
        c["resources"] = {"requests": req}
    spec = {"containers": [c], **spec_extra}
    if node_name:
        spec["nodeName"] = node_name
    if priority is not None:
        spec["priority"] = priority
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": ns, "labels": labels or {}, "uid": f"uid-{name}",
                         "creationTimestamp": "2026-01-01T00:00:00Z"},
            "spec": spec, "status": {"phase": "Running" if node_name else "Pending"}}


def ninfo(n, *pods_on) -> NodeInfo:
    ni = NodeInfo(n)
    for p in pods_on:
        ni.add_pod(PodInfo(p))
    return ni


def store_with(*objs) -> MemoryStore:
    s = MemoryStore()
    res = {"Node": "nodes", "Pod": "pods", "PersistentVolumeClaim": "persistentvolumeclaims",
           "PersistentVolume": "persistentvolumes", "StorageClass": "storageclasses.storage.k8s.io",
           "PriorityClass": "priorityclasses.scheduling.k8s.io", "ReplicaSet": "replicasets.apps",
           "Service": "services", "Namespace": "namespaces"}
    with s.transaction():
        for o in objs:
            s.create(res[o["kind"]], o)
    return s


def snapshot(*objs):
    from kctl.scheduler.schedule_one import Snapshot

    return Snapshot.load(store_with(*objs))


def prefiltered(plugin, p, snap):
    """Run a plugin's PreFilter the way the cycle does (per-node groups)."""
    from kctl.scheduler.schedule_one import Group

    state = CycleState()
    state["_groups"] = [Group(ni, [ni.name]) for ni in snap.all_nodes()]
    pi = PodInfo(p, snap.priority_of(p))
    r = plugin.pre_filter(state, pi, snap)
    return state, pi, r
