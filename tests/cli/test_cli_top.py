"""`kctl top nodes|pods`: kubectl top's table with requests (no metrics server)."""

from __future__ import annotations

import pytest

INV = """apiVersion: kctl.io/v1alpha1
kind: NodeInventory
metadata: {name: prod}
nodeGroups:
- name: pool
  count: 2
  capacity: {cpu: "4", memory: 8Gi}
"""

PODS = """apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  nodeName: pool-0
  containers:
  - name: web
    image: "nginx:1.27"
    resources: {requests: {cpu: 250m, memory: 256Mi}}
  - name: side
    image: "busybox:1.36"
    resources: {requests: {cpu: 50m, memory: 64Mi}}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: shop}
spec:
  nodeName: pool-0
  containers:
  - name: db
    image: "postgres:17"
    resources: {limits: {cpu: "1", memory: 1Gi}}
"""


@pytest.fixture
def k(kctl, write, frozen_now):
    assert kctl("apply", "-f", write("inv.yaml", INV)).code == 0
    assert kctl("apply", "-f", write("pods.yaml", PODS)).code == 0
    return kctl


def test_top_nodes(k):
    r = k("top", "nodes")
    assert r.code == 0
    assert r.out == ("NAME     CPU(cores)   CPU(%)   MEMORY(bytes)   MEMORY(%)   \n"
                     "pool-0   1300m        32%      1344Mi          16%         \n"
                     "pool-1   0m           0%       0Mi             0%          \n")


def test_top_node_by_name_and_sort(k):
    assert k("top", "nodes", "pool-1", "--no-headers").out == "pool-1   0m    0%    0Mi   0%    \n"
    assert k("top", "nodes", "--sort-by=cpu").out.splitlines()[1].startswith("pool-0")


def test_top_pods(k):
    assert k("top", "pods").out == ("NAME   CPU(cores)   MEMORY(bytes)   \n"
                                    "web    300m         320Mi           \n")
    assert k("top", "pods", "-A").out == ("NAMESPACE   NAME   CPU(cores)   MEMORY(bytes)   \n"
                                          "default     web    300m         320Mi           \n"
                                          "shop        db     1000m        1024Mi          \n")
    assert k("top", "pods", "--containers").out == ("POD   NAME   CPU(cores)   MEMORY(bytes)   \n"
                                                    "web   web    250m         256Mi           \n"
                                                    "web   side   50m          64Mi            \n")


def test_top_pods_empty_namespace(k):
    r = k("top", "pods", "-n", "kube-system")
    assert (r.code, r.out, r.err) == (0, "", "No resources found in kube-system namespace.\n")


def test_top_help_says_requests_not_usage(k):
    for args in (("top", "--help"), ("top", "nodes", "--help"), ("top", "pods", "--help")):
        out = " ".join(k(*args).out.split())
        assert "requests" in out and "metrics server" in out


def test_aliases(k):
    assert k("top", "node").out == k("top", "nodes").out
    assert k("top", "po").out == k("top", "pods").out
