"""Scale envelope through the real CLI: N nodes and M pods on the default SQLite store.

    .venv/bin/python bench/bench_scale.py                         # 5,000 nodes, 150,000 pods
    .venv/bin/python bench/bench_scale.py --nodes 500 --pods 10000
    .venv/bin/python bench/bench_scale.py --smoke                 # tiny, a few seconds (CI)

Generates a NodeInventory (node groups in three zones, one tainted group) and Deployments
(100 replicas each, the remainder in a last smaller one) spread over a few namespaces, then
runs `python -m kctl apply -f` in batches into a fresh SQLite file, and times the read and
write commands a user runs on a big cluster. Every command is a separate process; its CPU
seconds (user + sys of the child) and peak RSS come from wait4(), so a busy shared machine
shows up in wall time only. `--profile DIR` writes a cProfile dump per step.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NAMESPACES = ("team-a", "team-b", "team-c", "team-d", "team-e")


def inventory(nodes: int) -> dict:
    """A NodeInventory of `nodes` nodes: a big general group per zone and one small tainted
    GPU group (a tenth, at least one node when there are 4+)."""
    gpu = nodes // 10 if nodes >= 4 else 0
    rest = nodes - gpu
    zones = ["a", "b", "c"]
    groups = []
    for i, z in enumerate(zones):
        count = rest // 3 + (1 if i < rest % 3 else 0)
        if count:
            groups.append({"name": f"general-{z}", "count": count,
                           "capacity": {"cpu": "32", "memory": "128Gi", "pods": "110"},
                           "labels": {"topology.kubernetes.io/zone": f"zone-{z}",
                                      "node.kubernetes.io/instance-type": "m5.8xlarge"}})
    if gpu:
        groups.append({"name": "gpu", "count": gpu,
                       "capacity": {"cpu": "64", "memory": "256Gi", "pods": "110"},
                       "labels": {"topology.kubernetes.io/zone": "zone-a",
                                  "node.kubernetes.io/instance-type": "p4d.24xlarge"},
                       "taints": [{"key": "nvidia.com/gpu", "value": "present", "effect": "NoSchedule"}]})
    return {"apiVersion": "kctl.io/v1alpha1", "kind": "NodeInventory",
            "metadata": {"name": "bench"}, "nodeGroups": groups}


def deployments(pods: int, replicas: int = 100) -> list[dict]:
    """Deployments totalling `pods` replicas (`replicas` each, the remainder in the last)."""
    out = []
    i = 0
    left = pods
    while left > 0:
        r = min(replicas, left)
        ns = NAMESPACES[i % len(NAMESPACES)]
        name = f"app-{i:05d}"
        labels = {"app": name}
        out.append({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": ns, "labels": labels},
            "spec": {"replicas": r, "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels}, "spec": {"containers": [{
                         "name": "app", "image": "nginx:1.27",
                         "ports": [{"containerPort": 80}],
                         "resources": {"requests": {"cpu": "50m", "memory": "64Mi"}}}]}}},
        })
        left -= r
        i += 1
    return out


def namespaces() -> list[dict]:
    return [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": n}} for n in NAMESPACES]


def write_docs(path: Path, docs: list[dict]) -> None:
    # JSON is YAML: one document per `---`, fast to write and parse
    path.write_text("".join("---\n" + json.dumps(d) + "\n" for d in docs))


class Runner:
    def __init__(self, store: str, profile_dir: str | None, verbose: bool):
        self.store = store
        self.profile_dir = profile_dir
        self.verbose = verbose
        self.rows: list[tuple] = []
        self.env = dict(os.environ, KCTL_STORE=store)

    def run(self, label: str, args: list[str], *, pipe_wc: bool = False, record: bool = True,
            check: bool = True) -> tuple[float, float, float, str]:
        cmd = [sys.executable]
        if self.profile_dir:
            slug = "".join(c if c.isalnum() else "_" for c in label)[:60]
            cmd += ["-m", "cProfile", "-o", os.path.join(self.profile_dir, slug + ".prof")]
        cmd += ["-m", "kctl", *args]
        with tempfile.TemporaryFile() as fo, tempfile.TemporaryFile() as fe:
            t0 = time.perf_counter()
            p = subprocess.Popen(cmd, env=self.env, stdout=fo, stderr=fe)
            # wait4: this child's own CPU time and peak RSS
            _, status, ru = os.wait4(p.pid, 0)
            wall = time.perf_counter() - t0
            p.returncode = os.waitstatus_to_exitcode(status)
            fo.seek(0)
            fe.seek(0)
            out, err = fo.read(), fe.read()
        cpu = ru.ru_utime + ru.ru_stime
        rss = ru.ru_maxrss / 1024
        text = out.decode()
        if check and p.returncode != 0:
            sys.stderr.write(f"FAILED {label}: exit {p.returncode}\n{err.decode()[-2000:]}\n")
            raise SystemExit(1)
        shown = label
        if pipe_wc:
            shown += f"  -> {len(text.splitlines())} lines"
        if record:
            self.rows.append((shown, wall, cpu, rss))
        if self.verbose:
            print(f"  {shown}: {wall:.2f}s wall, {cpu:.2f}s CPU, {rss:.0f} MB", flush=True)
        return wall, cpu, rss, text


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=5000)
    ap.add_argument("--pods", type=int, default=150000)
    ap.add_argument("--replicas", type=int, default=100, help="replicas per Deployment")
    ap.add_argument("--batch", type=int, default=10000, help="pods' worth of Deployments per apply")
    ap.add_argument("--store", help="SQLite file (default: a fresh temporary one)")
    ap.add_argument("--profile", metavar="DIR", help="write a cProfile dump per command")
    ap.add_argument("--smoke", action="store_true", help="tiny sizes (CI)")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args(argv)
    if a.smoke:
        a.nodes, a.pods, a.replicas, a.batch = 6, 40, 10, 20

    tmp = tempfile.mkdtemp(prefix="kctl-scale-")
    store = a.store or os.path.join(tmp, "state.db")
    if a.profile:
        os.makedirs(a.profile, exist_ok=True)
    r = Runner(store, a.profile, a.verbose)
    d = Path(tmp)
    write_docs(d / "00-cluster.yaml", [inventory(a.nodes), *namespaces()])
    deps = deployments(a.pods, a.replicas)
    per_batch = max(1, a.batch // a.replicas)
    batches = [deps[i:i + per_batch] for i in range(0, len(deps), per_batch)]
    print(f"kctl scale bench: {a.nodes} nodes, {a.pods} pods ({len(deps)} Deployments) in "
          f"{len(batches)} apply batches; store {store}", flush=True)

    t_all, c_all, rss_max = 0.0, 0.0, 0.0
    w, c, m, _ = r.run("apply nodes + namespaces", ["apply", "-f", str(d / "00-cluster.yaml")])
    for i, b in enumerate(batches):
        f = d / f"deploy-{i:03d}.yaml"
        write_docs(f, b)
        w, c, m, _ = r.run(f"apply batch {i + 1}/{len(batches)}", ["apply", "-f", str(f)],
                           record=a.verbose or len(batches) <= 3)
        t_all, c_all, rss_max = t_all + w, c_all + c, max(rss_max, m)
        f.unlink()
    r.rows.append((f"apply {len(batches)} batches (total)", t_all, c_all, rss_max))

    one_ns = deps[0]["metadata"]["namespace"]
    one_dep = deps[0]["metadata"]["name"]
    last_dep = deps[-1]
    node0 = inventory(a.nodes)["nodeGroups"][0]["name"] + "-0"
    _, _, _, out = r.run("get pods -A --no-headers | wc -l", ["get", "pods", "-A", "--no-headers"],
                         pipe_wc=True)
    running = sum(1 for line in out.splitlines() if " Running " in line)
    r.run(f"get pods -n {one_ns}", ["get", "pods", "-n", one_ns], pipe_wc=True)
    r.run("get nodes", ["get", "nodes"], pipe_wc=True)
    r.run(f"describe node {node0}", ["describe", "node", node0])
    r.run("top nodes", ["top", "nodes"], pipe_wc=True)
    r.run(f"set image deploy/{one_dep} (rollout)",
          ["set", "image", f"deployment/{one_dep}", "app=nginx:1.28", "-n", one_ns])
    r.run(f"rollout status deploy/{one_dep}", ["rollout", "status", f"deployment/{one_dep}", "-n", one_ns])
    r.run(f"delete deploy {last_dep['metadata']['name']}",
          ["delete", "deployment", last_dep["metadata"]["name"], "-n", last_dep["metadata"]["namespace"]])

    print()
    width = max(len(x[0]) for x in r.rows)
    print(f"{'step':<{width}}  {'wall s':>8}  {'CPU s':>8}  {'RSS MB':>7}")
    for label, wall, cpu, rss in r.rows:
        print(f"{label:<{width}}  {wall:8.2f}  {cpu:8.2f}  {rss:7.0f}")
    print(f"\npods Running: {running}/{a.pods}")
    for f in d.iterdir():  # the manifests (and the store, unless --store named one)
        f.unlink()
    d.rmdir()
    return 0 if running == a.pods else 1


if __name__ == "__main__":
    sys.exit(main())
