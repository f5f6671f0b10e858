"""Store speed at cluster scale, run by hand (numbers go to notes, not to tests).

    .venv/bin/python bench/bench_store.py                # 150,000 pods / 5,000 nodes, temp SQLite file
    .venv/bin/python bench/bench_store.py --smoke        # tiny run for CI: checks it works
    .venv/bin/python bench/bench_store.py --store postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dbench

Prints one row per operation: objects touched, seconds, objects per second; for SQLite also
the same reads through the stdlib read path (what read-only commands use).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kctl.store import open_store  # noqa: E402


def make_node(i: int) -> dict:
    name = f"node-{i:05d}"
    return {
        "apiVersion": "v1", "kind": "Node",
        "metadata": {"name": name, "uid": f"00000000-0000-0000-0000-{i:012d}",
                     "labels": {"kubernetes.io/hostname": name, "kubernetes.io/os": "linux",
                                "kubernetes.io/arch": "amd64",
                                "topology.kubernetes.io/zone": f"zone-{i % 3}"}},
        "spec": {"podCIDR": f"10.{i // 256 % 256}.{i % 256}.0/24"},
        "status": {"capacity": {"cpu": "8", "memory": "32Gi", "pods": "110"},
                   "allocatable": {"cpu": "7800m", "memory": "30Gi", "pods": "110"},
                   "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady"}]},
    }


def make_pod(i: int, namespaces: int, nodes: int) -> dict:
    """A realistic ~1.5 KB pod of a ReplicaSet, bound and Running."""
    ns = f"ns-{i % namespaces:03d}"
    app = f"app-{i % 500:03d}"
    name = f"{app}-7d9f8c6b5-{i:06d}"
    return {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {
            "name": name, "namespace": ns, "uid": f"11111111-0000-0000-0000-{i:012d}",
            "creationTimestamp": "2026-11-25T12:00:00Z",
            "labels": {"app": app, "pod-template-hash": "7d9f8c6b5", "tier": "web"},
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                                 "name": f"{app}-7d9f8c6b5", "uid": "22222222-0000",
                                 "controller": True, "blockOwnerDeletion": True}],
        },
        "spec": {
            "nodeName": f"node-{i % nodes:05d}",
            "containers": [{
                "name": "main", "image": "registry.example.com/team/app:1.2.3",
                "ports": [{"containerPort": 8080, "protocol": "TCP"}],
                "resources": {"requests": {"cpu": "100m", "memory": "128Mi"},
                              "limits": {"cpu": "500m", "memory": "256Mi"}},
                "terminationMessagePath": "/dev/termination-log",
                "terminationMessagePolicy": "File", "imagePullPolicy": "IfNotPresent",
            }],
            "restartPolicy": "Always", "terminationGracePeriodSeconds": 30,
            "dnsPolicy": "ClusterFirst", "schedulerName": "default-scheduler",
            "serviceAccountName": "default", "enableServiceLinks": True,
            "tolerations": [{"key": "node.kubernetes.io/not-ready", "operator": "Exists",
                             "effect": "NoExecute", "tolerationSeconds": 300}],
        },
        "status": {
            "phase": "Running", "podIP": f"10.244.{i // 256 % 256}.{i % 256}",
            "hostIP": "192.168.0.1", "qosClass": "Burstable",
            "startTime": "2026-11-25T12:00:01Z",
            "conditions": [{"type": t, "status": "True",
                            "lastTransitionTime": "2026-11-25T12:00:02Z"}
                           for t in ("Initialized", "Ready", "ContainersReady", "PodScheduled")],
            "containerStatuses": [{"name": "main", "ready": True, "restartCount": 0,
                                   "image": "registry.example.com/team/app:1.2.3",
                                   "state": {"running": {"startedAt": "2026-11-25T12:00:02Z"}}}],
        },
    }


class Table:
    def __init__(self):
        self.rows: list[tuple] = []

    def time(self, label: str, n: int, fn):
        t0 = time.perf_counter()
        result = fn()
        dt = time.perf_counter() - t0
        self.rows.append((label, n, dt))
        return result

    def print(self):
        w = max(len(r[0]) for r in self.rows)
        print(f"{'operation':<{w}}  {'objects':>8}  {'seconds':>8}  {'objects/s':>10}")
        for label, n, dt in self.rows:
            rate = f"{n / dt:,.0f}" if dt > 0 and n else "-"
            print(f"{label:<{w}}  {n:>8,}  {dt:>8.3f}  {rate:>10}")


def cold_read(path: str, readonly: bool) -> float:
    """Seconds for a fresh process to open the store and get one pod (median of 3)."""
    code = ("import sys; sys.path.insert(0, %r)\nfrom kctl.store import open_store\n"
            "s = open_store(%r, readonly=%r); s.get('pods', 'ns-000', 'x'); s.info()\n"
            % (str(REPO), path, readonly))
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - t0)
    return sorted(times)[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pods", type=int, default=150_000)
    ap.add_argument("--nodes", type=int, default=5_000)
    ap.add_argument("--namespaces", type=int, default=50)
    ap.add_argument("--store", help="path or URL (default: a fresh temporary SQLite file)")
    ap.add_argument("--smoke", action="store_true", help="tiny sizes (CI)")
    args = ap.parse_args()
    if args.smoke:
        args.pods, args.nodes, args.namespaces = 2_000, 20, 5
    tmp = None
    if not args.store:
        tmp = tempfile.TemporaryDirectory(prefix="kctl-bench-")
        args.store = os.path.join(tmp.name, "state.db")

    s = open_store(args.store)
    s.reset()
    t = Table()
    rnd = random.Random(1)
    print(f"store: {s.location} ({s.backend}); {args.pods:,} pods, {args.nodes:,} nodes, "
          f"{args.namespaces} namespaces", flush=True)

    nodes = [make_node(i) for i in range(args.nodes)]
    pods = [make_pod(i, args.namespaces, args.nodes) for i in range(args.pods)]

    def bulk(resource, objs, batch=5000):
        with s.transaction():
            for i in range(0, len(objs), batch):
                s.create_many(resource, objs[i:i + batch])

    t.time("create_many nodes (one transaction)", len(nodes), lambda: bulk("nodes", nodes))
    t.time("create_many pods (one transaction)", len(pods), lambda: bulk("pods", pods))
    extra = [make_pod(args.pods + i, args.namespaces, args.nodes) for i in range(min(10_000, args.pods))]

    def one_by_one():
        with s.transaction():
            for p in extra:
                s.create("pods", p)
    t.time("create pods one by one (one transaction)", len(extra), one_by_one)
    total = len(pods) + len(extra)

    def update_some():
        with s.transaction():
            for p in rnd.sample(pods, min(1000, len(pods))):
                cur = s.get("pods", p["metadata"]["namespace"], p["metadata"]["name"])
                cur["status"]["phase"] = "Succeeded"
                s.update("pods", cur, cur["metadata"]["resourceVersion"])
    t.time("get + update pods (one transaction)", min(1000, len(pods)), update_some)

    # reads run as a `kctl get` would: without 160k input dicts alive in the process
    sample_keys = [(p["metadata"]["namespace"], p["metadata"]["name"])
                   for p in rnd.sample(pods, min(1000, len(pods)))]
    del pods, extra, nodes

    def reads(store, tag):
        got = t.time(f"{tag}list all pods", total, lambda: len(store.list("pods")))
        assert got == total, got
        t.time(f"{tag}iter_list all pods (streamed)", total,
               lambda: sum(1 for _ in store.iter_list("pods")))
        t.time(f"{tag}keys of all pods (no bodies)", total, lambda: len(store.keys("pods")))
        per_ns = t.time(f"{tag}list one namespace", 0, lambda: len(store.list("pods", "ns-001")))
        t.rows[-1] = (t.rows[-1][0], per_ns, t.rows[-1][2])
        per_node = t.time(f"{tag}list pods on one node", 0,
                          lambda: len(store.list("pods", node_name="node-00007")))
        t.rows[-1] = (t.rows[-1][0], per_node, t.rows[-1][2])
        t.time(f"{tag}get by name", len(sample_keys), lambda: [
            store.get("pods", ns, name) for ns, name in sample_keys])
        t.time(f"{tag}list all nodes", args.nodes, lambda: len(store.list("nodes")))
        t.time(f"{tag}count_by_resource", total + args.nodes, store.count_by_resource)
        t.time(f"{tag}changes_since(0)", 0, lambda: len(store.changes_since(0)))
        t.rows[-1] = (t.rows[-1][0], store.revision(), t.rows[-1][2])

    reads(s, "")
    if s.backend == "sqlite" and os.path.exists(args.store):
        s.close()
        r = open_store(args.store, readonly=True)
        reads(r, "[stdlib] ")
        r.close()
    t.print()
    if os.path.exists(args.store):
        size = sum(os.path.getsize(args.store + sfx) for sfx in ("", "-wal")
                   if os.path.exists(args.store + sfx))
        print(f"file size: {size / 1e6:,.1f} MB")
        print(f"cold process open+get+info: readonly (stdlib) {cold_read(args.store, True) * 1000:.0f} ms,"
              f" SqlStore {cold_read(args.store, False) * 1000:.0f} ms")
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
