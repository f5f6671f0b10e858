"""`kctl node fail|recover` through the CLI, with cluster time moved by reconcile."""

from __future__ import annotations

import json

INV = """apiVersion: kctl.io/v1alpha1
kind: NodeInventory
metadata: {name: prod}
nodeGroups:
- name: pool
  count: 2
  capacity: {cpu: "4", memory: 8Gi}
"""

POD = """apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  nodeName: pool-0
  tolerations:
  - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 300}
  containers:
  - {name: web, image: "nginx:1.27"}
"""


def _get(kctl, *args):
    r = kctl("get", *args, "-o", "json")
    assert r.code == 0, r.err
    return json.loads(r.out)


def test_fail_and_recover_texts(kctl, write, frozen_now):
    kctl("apply", "-f", write("inv.yaml", INV))
    r = kctl("node", "fail", "pool-0")
    assert (r.code, r.out, r.err) == (0, "node/pool-0 failed\n", "")
    r = kctl("node", "fail", "pool-0")
    assert (r.code, r.out) == (0, "node/pool-0 already failed\n")
    node = _get(kctl, "node", "pool-0")
    ready = next(c for c in node["status"]["conditions"] if c["type"] == "Ready")
    assert (ready["status"], ready["reason"], ready["message"]) == (
        "Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.")
    assert [(t["key"], t["effect"]) for t in node["spec"]["taints"]] == [
        ("node.kubernetes.io/unreachable", "NoSchedule"), ("node.kubernetes.io/unreachable", "NoExecute")]
    r = kctl("get", "nodes")
    assert r.out.splitlines()[1].split()[:2] == ["pool-0", "NotReady"]
    r = kctl("node", "recover", "pool-0")
    assert (r.code, r.out) == (0, "node/pool-0 recovered\n")
    r = kctl("node", "recover", "pool-0")
    assert (r.code, r.out) == (0, "node/pool-0 already recovered\n")
    node = _get(kctl, "node", "pool-0")
    assert "taints" not in node["spec"]
    assert r.code == 0


def test_fail_unknown_node(kctl):
    r = kctl("node", "fail", "nope")
    assert (r.code, r.err) == (1, 'Error from server (NotFound): nodes "nope" not found\n')


def test_pod_terminating_until_recover(kctl, write, frozen_now):
    kctl("apply", "-f", write("inv.yaml", INV))
    kctl("apply", "-f", write("pod.yaml", POD))
    assert _get(kctl, "pod", "web")["status"]["phase"] == "Running"
    kctl("node", "fail", "pool-0")
    assert "deletionTimestamp" not in _get(kctl, "pod", "web")["metadata"]
    assert kctl("reconcile", "--advance", "5m").code == 0
    pod = _get(kctl, "pod", "web")
    assert pod["metadata"]["deletionTimestamp"] == "2026-11-25T12:05:30Z"
    r = kctl("get", "pods")
    assert r.out.splitlines()[1].split()[2] == "Terminating"
    kctl("reconcile", "--advance", "1h")
    assert kctl("get", "pod", "web").code == 0
    kctl("node", "recover", "pool-0")
    r = kctl("get", "pod", "web")
    assert (r.code, r.err) == (1, 'Error from server (NotFound): pods "web" not found\n')


def test_node_help_documents_outputs(kctl):
    r = kctl("node", "fail", "--help")
    assert "node/NODE failed" in r.out and "sim.kctl.io/failed" in r.out
    r = kctl("node", "recover", "--help")
    assert "node/NODE recovered" in r.out
