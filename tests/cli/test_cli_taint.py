"""`kctl taint nodes` through the CLI: kubectl's parsing, checks and texts."""

from __future__ import annotations

import json

import pytest

INV = """apiVersion: kctl.io/v1alpha1
kind: NodeInventory
metadata: {name: prod}
nodeGroups:
- name: pool
  count: 2
  capacity: {cpu: "4", memory: 8Gi}
"""


@pytest.fixture
def k(kctl, write, frozen_now):
    assert kctl("apply", "-f", write("inv.yaml", INV)).code == 0
    return kctl


def taints(kctl, node="pool-0"):
    return json.loads(kctl("get", "node", node, "-o", "json").out)["spec"].get("taints")


def test_add_duplicate_overwrite_remove(k):
    r = k("taint", "nodes", "pool-0", "dedicated=db:NoSchedule")
    assert (r.code, r.out, r.err) == (0, "node/pool-0 tainted\n", "")
    assert taints(k) == [{"key": "dedicated", "value": "db", "effect": "NoSchedule"}]
    r = k("taint", "nodes", "pool-0", "dedicated=web:NoSchedule")
    assert (r.code, r.err) == (1, "error: node pool-0 already has dedicated taint(s) with same effect(s) and --overwrite is false\n")
    r = k("taint", "nodes", "pool-0", "dedicated=web:NoSchedule", "--overwrite")
    assert (r.code, r.out) == (0, "node/pool-0 modified\n")
    assert taints(k) == [{"key": "dedicated", "value": "web", "effect": "NoSchedule"}]
    r = k("taint", "nodes", "pool-0", "dedicated:NoSchedule-")
    assert (r.code, r.out) == (0, "node/pool-0 untainted\n")
    assert taints(k) is None
    r = k("taint", "nodes", "pool-0", "dedicated:NoSchedule-")
    assert (r.code, r.err) == (1, 'error: taint "dedicated:NoSchedule" not found\n')


def test_remove_all_effects_of_key_and_resource_forms(k):
    k("taint", "node/pool-0", "a=1:NoSchedule", "a=1:PreferNoSchedule")
    assert len(taints(k)) == 2
    r = k("taint", "no", "pool-0", "a-")
    assert (r.code, r.out) == (0, "node/pool-0 untainted\n")
    assert taints(k) is None


def test_noexecute_gets_time_added_and_evicts(k, write):
    k("apply", "-f", write("p.yaml", """apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  nodeName: pool-0
  containers:
  - {name: web, image: "nginx:1.27"}
"""))
    r = k("taint", "nodes", "pool-0", "maint=now:NoExecute")
    assert r.out == "node/pool-0 tainted\n"
    assert taints(k) == [{"key": "maint", "value": "now", "effect": "NoExecute", "timeAdded": "2026-11-25T12:00:00Z"}]
    # evicted at once (no toleration) and, the node being Ready, removed by its kubelet
    assert k("get", "pod", "web").code == 1
    ev = k("get", "events").out
    assert "Marking for deletion Pod default/web" in ev


def test_all_nodes_and_selector(k):
    r = k("taint", "nodes", "--all", "x=y:PreferNoSchedule")
    assert r.out == "node/pool-0 tainted\nnode/pool-1 tainted\n"
    r = k("taint", "nodes", "-l", "kubernetes.io/hostname=pool-1", "x-")
    assert r.out == "node/pool-1 untainted\n"


@pytest.mark.parametrize("args,err", [
    pytest.param(("nodes", "pool-0", "k=v:Bad"), "invalid taint effect: Bad, unsupported taint effect", id="effect"),
    pytest.param(("nodes", "pool-0", "k=v"),
                 "invalid taint spec: k=v, name part must consist of alphanumeric characters, '-', '_' or '.', "
                 "and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or "
                 "'123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
                 id="no-effect-is-a-bad-key"),
    pytest.param(("nodes", "pool-0", "a=b=c:NoSchedule"), "invalid taint spec: a=b=c:NoSchedule", id="two-equals"),
    pytest.param(("nodes", "pool-0", "k=v:NoSchedule", "k=w:NoSchedule"),
                 "duplicated taints with the same key and effect: {k w NoSchedule <nil>}", id="duplicate"),
    pytest.param(("nodes", "pool-0", "k=v:NoSchedule", "k:NoSchedule-"),
                 "can not both modify and remove the following taint(s) in the same command: k=NoSchedule", id="both"),
    pytest.param(("nodes", "k=v:NoSchedule", "pool-0"),
                 "all resources must be specified before taint changes: pool-0", id="order"),
    pytest.param(("nodes", "pool-0"), "at least one taint update is required", id="no-taint"),
    pytest.param(("pods", "x", "k=v:NoSchedule"), "invalid resource type pods, only node types are supported", id="type"),
    pytest.param(("nodes", "k=v:NoSchedule"),
                 "at least one resource name must be specified since 'all' parameter is not set", id="no-name"),
])
def test_errors(k, args, err):
    r = k("taint", *args)
    assert (r.code, r.err) == (1, f"error: {err}\n")


def test_unknown_node(k):
    r = k("taint", "nodes", "nope", "k=v:NoSchedule")
    assert (r.code, r.err) == (1, 'Error from server (NotFound): nodes "nope" not found\n')
