"""Admission throughput: documents per second through kctl's intake + admission
(parse, kind, schema, defaults, semantic validation) on generated realistic manifests.

    python bench/bench_admission.py --docs 3000
    python bench/bench_admission.py --smoke

Runs `kctl apply --dry-run=server` end to end on a directory of N documents (half
Deployments, a quarter Services, a quarter ConfigMaps), and the in-process stages alone.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{i}
  labels: {{app: app-{i}, tier: backend}}
spec:
  replicas: 2
  selector:
    matchLabels: {{app: app-{i}}}
  template:
    metadata:
      labels: {{app: app-{i}, tier: backend}}
    spec:
      containers:
      - name: app
        image: registry.example.com/app:{i}.0.1
        ports: [{{name: http, containerPort: 8080}}]
        env:
        - {{name: MODE, value: production}}
        - {{name: REPLICA, valueFrom: {{fieldRef: {{fieldPath: metadata.name}}}}}}
        resources:
          requests: {{cpu: 100m, memory: 128Mi}}
          limits: {{cpu: 500m, memory: 256Mi}}
        readinessProbe:
          httpGet: {{path: /ready, port: http}}
          periodSeconds: 5
        livenessProbe:
          tcpSocket: {{port: 8080}}
        volumeMounts: [{{name: cfg, mountPath: /etc/app}}]
      volumes:
      - name: cfg
        configMap: {{name: app-{i}}}
"""
SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: app-{i}
spec:
  selector: {{app: app-{i}}}
  ports:
  - {{name: http, port: 80, targetPort: http}}
"""
CONFIGMAP = """apiVersion: v1
kind: ConfigMap
metadata:
  name: app-{i}
data:
  app.properties: |
    mode=production
    workers=4
"""


def generate(n: int, folder: Path) -> None:
    docs = []
    for i in range(n):
        tpl = (DEPLOY, DEPLOY, SERVICE, CONFIGMAP)[i % 4]
        docs.append(tpl.format(i=i))
    # 100 documents a file, like a real repository of manifests
    for f in range(0, n, 100):
        (folder / f"part-{f // 100:04d}.yaml").write_text("---\n".join(docs[f:f + 100]))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=3000)
    ap.add_argument("--smoke", action="store_true")
    args = ap.parse_args()
    n = 40 if args.smoke else args.docs
    sys.path.insert(0, str(REPO))
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d) / "m"
        folder.mkdir()
        generate(n, folder)
        env = dict(os.environ, KCTL_STORE=str(Path(d) / "bench.db"), PYTHONPATH=str(REPO))
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "kctl", "apply", "--dry-run=server", "-f", str(folder)],
                              env=env, capture_output=True, text=True)
        dt = time.perf_counter() - t0
        if proc.returncode != 0:
            print(proc.stderr[:2000])
            raise SystemExit(1)
        print(f"kctl apply --dry-run=server: {n} docs in {dt:.2f}s = {n / dt:.0f} docs/s (end to end)")

        from kctl import manifests
        from kctl.engine import ApplyOptions, intake

        t0 = time.perf_counter()
        ms = manifests.load([str(folder)])
        t1 = time.perf_counter()
        admitted, _errors = intake(ms, ApplyOptions(), lambda w: None)
        t2 = time.perf_counter()
        from kctl.api.defaults import apply_defaults
        from kctl.api.validation import validate_create

        for a in admitted:
            apply_defaults(a.kind, a.obj)
            validate_create(a.kind, a.obj)
        t3 = time.perf_counter()
        print(f"  parse:            {n / (t1 - t0):8.0f} docs/s")
        print(f"  kind+schema:      {n / (t2 - t1):8.0f} docs/s")
        print(f"  defaults+validate:{n / (t3 - t2):8.0f} docs/s")
        print(f"  all stages:       {n / (t3 - t0):8.0f} docs/s")


if __name__ == "__main__":
    main()
