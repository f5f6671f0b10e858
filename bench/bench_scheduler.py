"""Scheduler throughput: N nodes, D Deployments' worth of identical pods (R replicas each).

    .venv/bin/python bench/bench_scheduler.py            # 5,000 nodes, 1,500 x 100 = 150,000 pods
    .venv/bin/python bench/bench_scheduler.py --smoke    # 50 nodes, 10 x 10 pods

Pods are created straight into a MemoryStore (as a ReplicaSet controller would: owner
references, pod-template-hash label, a ReplicaSet object so the default spread selector
applies), then one converge with only the scheduler places them. Reports pods/s for the
scheduling converge (binds, status, events included) and the peak RSS.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from datetime import datetime, timezone


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--nodes", type=int, default=5000)
    ap.add_argument("--deployments", type=int, default=1500)
    ap.add_argument("--replicas", type=int, default=100)
    ap.add_argument("--smoke", action="store_true")
    a = ap.parse_args(argv)
    if a.smoke:
        a.nodes, a.deployments, a.replicas = 50, 10, 10

    from kctl.controllers.context import Context
    from kctl.controllers.runner import converge
    from kctl.scheduler.inventory import expand
    from kctl.scheduler.schedule_one import Scheduler
    from kctl.store.memory import MemoryStore

    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    store = MemoryStore()
    ctx = Context(store, now)
    zones = ["a", "b", "c"]
    per = a.nodes // len(zones)
    groups = []
    for i, z in enumerate(zones):
        count = per if i < len(zones) - 1 else a.nodes - per * (len(zones) - 1)
        groups.append({"name": f"zone-{z}", "count": count,
                       "capacity": {"cpu": "32", "memory": "128Gi", "pods": "110"},
                       "labels": {"topology.kubernetes.io/zone": f"z-{z}"}})
    inv = {"apiVersion": "kctl.io/v1alpha1", "kind": "NodeInventory", "metadata": {"name": "bench"},
           "nodeGroups": groups}
    t0 = time.perf_counter()
    with store.transaction():
        for n in expand(inv):
            store.create("nodes", n)
        for d in range(a.deployments):
            h = f"{d:08x}"[-8:]
            labels = {"app": f"app-{d}", "pod-template-hash": h}
            rs = ctx.create("replicasets.apps", {
                "apiVersion": "apps/v1", "kind": "ReplicaSet",
                "metadata": {"name": f"app-{d}-{h}", "namespace": "default", "labels": labels},
                "spec": {"replicas": a.replicas, "selector": {"matchLabels": labels},
                         "template": {"metadata": {"labels": labels}, "spec": {"containers": [
                             {"name": "c", "image": "nginx"}]}}}})
            ref = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": rs["metadata"]["name"],
                   "uid": rs["metadata"]["uid"], "controller": True, "blockOwnerDeletion": True}
            for r in range(a.replicas):
                store.create("pods", {
                    "apiVersion": "v1", "kind": "Pod",
                    "metadata": {"name": f"app-{d}-{h}-{r:05d}", "namespace": "default",
                                 "labels": labels, "ownerReferences": [ref],
                                 "uid": f"uid-{d}-{r}", "creationTimestamp": "2026-01-01T00:00:00Z"},
                    "spec": {"containers": [{"name": "c", "image": "nginx", "resources": {
                        "requests": {"cpu": "100m", "memory": "128Mi"}}}],
                        "schedulerName": "default-scheduler", "priority": 0,
                        "restartPolicy": "Always"},
                    "status": {"phase": "Pending", "qosClass": "Burstable"}})
    t1 = time.perf_counter()
    total = a.deployments * a.replicas
    print(f"setup: {a.nodes} nodes, {total} pods in {t1 - t0:.1f}s", flush=True)
    c1 = time.process_time()
    with store.transaction():
        passes = converge(store, now, controllers=[Scheduler()])
    t2 = time.perf_counter()
    cpu = time.process_time() - c1
    bound = sum(1 for p in store.list("pods") if (p.get("spec") or {}).get("nodeName"))
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    dt = t2 - t1
    # CPU time too: on a shared machine wall time measures the neighbours
    print(f"scheduled {bound}/{total} pods in {dt:.1f}s wall ({cpu:.1f}s CPU) over {passes} passes: "
          f"{bound / dt:.0f} pods/s wall, {bound / cpu:.0f} pods/s CPU; peak RSS {rss_mb:.0f} MiB")
    return 0 if bound == total else 1


if __name__ == "__main__":
    sys.exit(main())
