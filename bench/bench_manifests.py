"""How fast does kctl read manifests? docs/s on ~2 KB realistic documents.

Run by hand: `.venv/bin/python bench/bench_manifests.py [--docs 2000] [--smoke]`.
Compares the designs of ARCHITECTURE.md "Reading manifests fast, with positions":
  load (lazy positions)   kctl.manifests.load_text: C compose + one walk to plain dicts
  load + all positions    the same, then every document's positions asked for (worst case)
  eager design            compose + dicts + a position map for every node in one pass
  C safe loader           ruamel's CSafeLoader (YAML 1.2, no positions): the speed anchor
  round-trip loader       ruamel's pure-Python round-trip loader (keeps .lc): the slow anchor
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))


def make_doc(i: int) -> str:
    """One Deployment of about 2 KB, shaped like a real one."""
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-{i}
  namespace: shop
  labels:
    app.kubernetes.io/name: web-{i}
    app.kubernetes.io/part-of: shop
    tier: frontend
  annotations:
    owner: team-{i % 7}
spec:
  replicas: {i % 5 + 1}
  revisionHistoryLimit: 10
  selector:
    matchLabels:
      app.kubernetes.io/name: web-{i}
  strategy:
    type: RollingUpdate
    rollingUpdate: {{maxSurge: 25%, maxUnavailable: 0}}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: web-{i}
        tier: frontend
    spec:
      serviceAccountName: web
      nodeSelector:
        kubernetes.io/os: linux
      tolerations:
      - key: dedicated
        operator: Equal
        value: web
        effect: NoSchedule
      containers:
      - name: app
        image: registry.example.com/shop/web:1.{i % 20}.0
        args: ["--port=8080", "--log-level=info"]
        ports:
        - name: http
          containerPort: 8080
          protocol: TCP
        env:
        - name: MODE
          value: "production"
        - name: WORKERS
          value: "4"
        - name: CACHE_URL
          value: redis://cache.shop.svc.cluster.local:6379/{i % 16}
        - name: FEATURE_FLAGS
          value: "checkout-v2,search-suggest,reviews"
        volumeMounts:
        - name: config
          mountPath: /etc/web
          readOnly: true
        - name: POD_NAME
          valueFrom:
            fieldRef: {{fieldPath: metadata.name}}
        resources:
          requests: {{cpu: 250m, memory: 256Mi}}
          limits: {{cpu: "1", memory: 512Mi}}
        readinessProbe:
          httpGet: {{path: /healthz, port: http}}
          periodSeconds: 5
        livenessProbe:
          httpGet: {{path: /livez, port: http}}
          initialDelaySeconds: 10
      - name: sidecar
        image: registry.example.com/proxy:2.3.{i % 9}
        ports:
        - containerPort: 9901
        resources:
          requests: {{cpu: 50m, memory: 64Mi}}
"""


def timed(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--smoke", action="store_true", help="tiny run for CI: 20 docs, 1 repeat")
    a = ap.parse_args()
    if a.smoke:
        a.docs, a.repeat = 20, 1
    docs = [make_doc(i) for i in range(a.docs)]
    text = "---\n".join(docs)
    size = sum(len(d) for d in docs) / len(docs)

    from kctl import manifests
    from ruamel.yaml import YAML

    def lazy():
        got = manifests.load_text(text, "bench.yaml")
        assert len(got) == a.docs

    def eager():
        got = manifests.load_text(text, "bench.yaml")
        for m in got:
            assert m.where("spec.template.spec.containers[0].image") != ""

    def eager_design():
        # the other design: one walk builds dicts and a position map for every document
        import gc

        manifests._parser_cls()
        p = manifests._parser_cls()(text)
        gc.disable()
        try:
            kept = []
            while p.check_node():
                node = p.get_node()
                pos = {}
                manifests._positions(node, "", pos, 0)
                kept.append((manifests._build(node, []), pos))
        finally:
            gc.enable()
        assert len(kept) == a.docs

    def csafe():
        y = YAML(typ="safe")
        got = list(y.load_all(text))
        assert len(got) == a.docs

    rt_docs = max(1, a.docs // 20)
    rt_text = "---\n".join(docs[:rt_docs])

    def roundtrip():
        y = YAML(typ="rt")
        got = list(y.load_all(rt_text))
        assert len(got) == rt_docs

    print(f"{a.docs} documents, {size:.0f} bytes each on average, median of {a.repeat}")
    for label, fn, n in (
        ("load (lazy positions)", lazy, a.docs),
        ("load + all positions", eager, a.docs),
        ("eager design (one walk)", eager_design, a.docs),
        ("C safe loader (anchor)", csafe, a.docs),
        ("round-trip loader (anchor)", roundtrip, rt_docs),
    ):
        t = timed(fn, a.repeat if fn is not roundtrip else 1)
        print(f"  {label:28s} {n / t:8.0f} docs/s   ({t * 1000:.0f} ms for {n})")
    # one error's cost: the positions of a single document out of the whole batch
    got = manifests.load_text(text, "bench.yaml")
    t = timed(lambda: manifests.load_text(text, "bench.yaml")[a.docs // 2].where("spec.replicas"), a.repeat)
    print(f"  {'load + one document located':28s} {a.docs / t:8.0f} docs/s")
    del got


if __name__ == "__main__":
    main()
