"""kctl.scheduler.inventory: NodeInventory expansion, real-cluster Node normalization, validation."""

from __future__ import annotations

import copy

import pytest

from kctl.manifests import load_text
from kctl.scheduler.inventory import (
    conditions,
    expand,
    normalize_node,
    pod_cidr,
    unknown_fields,
    validate_inventory,
)

READY = {"type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status"}

INVENTORY = """\
apiVersion: kctl.io/v1alpha1
kind: NodeInventory
metadata: {name: prod}
nodeGroups:
- name: pool-a          # nodes pool-a-0, pool-a-1, ...
  count: 2
  capacity: {cpu: "8", memory: 32Gi, pods: "110", ephemeral-storage: 100Gi}
  allocatable: {cpu: 7800m, memory: 30Gi}   # optional; defaults to capacity
  labels: {topology.kubernetes.io/zone: eu-1a}
  taints: [{key: dedicated, value: batch, effect: NoSchedule}]
- name: small
  count: 1
  capacity: {cpu: 2, memory: 4Gi}
- name: none
  count: 0
  capacity: {cpu: "1"}
"""


def inventory():
    return load_text(INVENTORY, "inv.yaml")[0].obj


def test_expand_exact_first_node():
    nodes = expand(inventory())
    assert nodes[0] == {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": "pool-a-0",
            "labels": {
                "kubernetes.io/arch": "amd64",
                "kubernetes.io/hostname": "pool-a-0",
                "kubernetes.io/os": "linux",
                "topology.kubernetes.io/zone": "eu-1a",
            },
            "annotations": {"kctl.io/inventory": "prod", "kctl.io/node-group": "pool-a"},
        },
        "spec": {
            "podCIDR": "10.244.0.0/24",
            "podCIDRs": ["10.244.0.0/24"],
            "taints": [{"key": "dedicated", "value": "batch", "effect": "NoSchedule"}],
        },
        "status": {
            "capacity": {"cpu": "8", "memory": "32Gi", "pods": "110", "ephemeral-storage": "100Gi"},
            "allocatable": {"cpu": "7800m", "memory": "30Gi", "pods": "110", "ephemeral-storage": "100Gi"},
            "conditions": conditions({}),
            "addresses": [{"type": "InternalIP", "address": "10.1.0.1"}, {"type": "Hostname", "address": "pool-a-0"}],
            "nodeInfo": nodes[0]["status"]["nodeInfo"],
        },
    }
    assert nodes[0]["status"]["conditions"][-1] == READY
    assert nodes[0]["status"]["nodeInfo"]["kubeletVersion"] == "v1.37.0"


@pytest.mark.parametrize(
    "i,name,cidr,cpu_alloc,pods",
    [
        (0, "pool-a-0", "10.244.0.0/24", "7800m", "110"),
        (1, "pool-a-1", "10.244.1.0/24", "7800m", "110"),
        (2, "small-0", "10.244.2.0/24", "2", "110"),
    ],
    ids=["first", "second", "other-group-defaults"],
)
def test_expand_names_cidrs_defaults(i, name, cidr, cpu_alloc, pods):
    nodes = expand(inventory())
    assert len(nodes) == 3
    n = nodes[i]
    assert (n["metadata"]["name"], n["spec"]["podCIDR"]) == (name, cidr)
    assert n["status"]["allocatable"]["cpu"] == cpu_alloc
    assert n["status"]["capacity"]["pods"] == pods


def test_expand_is_deterministic_and_pure():
    inv = inventory()
    before = copy.deepcopy(inv)
    assert expand(inv) == expand(inv)
    assert inv == before


def test_expand_first_index_and_now():
    nodes = expand(inventory(), first_index=10, now="2026-01-01T00:00:00Z")
    assert nodes[0]["spec"]["podCIDR"] == "10.244.10.0/24"
    assert nodes[0]["status"]["conditions"][-1]["lastTransitionTime"] == "2026-01-01T00:00:00Z"


@pytest.mark.parametrize("index,cidr", [(0, "10.244.0.0/24"), (255, "10.244.255.0/24"), (256, "10.245.0.0/24")])
def test_pod_cidr(index, cidr):
    assert pod_cidr(index) == cidr


@pytest.mark.parametrize(
    "taints,unschedulable,ready",
    [
        ([], False, "True"),
        ([{"key": "dedicated", "effect": "NoSchedule"}], False, "True"),
        ([], True, "True"),
        ([{"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"}], False, "False"),
        ([{"key": "node.kubernetes.io/unreachable", "effect": "NoExecute"}], False, "Unknown"),
    ],
    ids=["plain", "other-taint", "cordoned-stays-ready", "not-ready-taint", "unreachable-taint"],
)
def test_ready_condition(taints, unschedulable, ready):
    spec = {"taints": taints, "unschedulable": unschedulable}
    assert conditions(spec)[-1]["status"] == ready


REAL_NODELIST = """\
apiVersion: v1
items:
- apiVersion: v1
  kind: Node
  metadata:
    annotations:
      kubeadm.alpha.kubernetes.io/cri-socket: unix:///run/containerd/containerd.sock
      node.alpha.kubernetes.io/ttl: "0"
    creationTimestamp: "2025-06-01T10:00:00Z"
    labels:
      beta.kubernetes.io/arch: arm64
      kubernetes.io/arch: arm64
      kubernetes.io/hostname: worker-1
      kubernetes.io/os: linux
      node-role.kubernetes.io/worker: ""
    managedFields:
    - apiVersion: v1
      manager: kubelet
    name: worker-1
    resourceVersion: "123456"
    uid: 0b6a3c2e-1111-2222-3333-444455556666
  spec:
    podCIDR: 10.244.1.0/24
    podCIDRs:
    - 10.244.1.0/24
    providerID: kind://docker/kind/worker-1
    taints:
    - effect: NoSchedule
      key: dedicated
      value: gpu
  status:
    addresses:
    - address: 172.18.0.3
      type: InternalIP
    - address: worker-1
      type: Hostname
    allocatable:
      cpu: "4"
      memory: 8Gi
    capacity:
      cpu: "4"
      ephemeral-storage: 100Gi
      hugepages-2Mi: "0"
      memory: 8Gi
      pods: "110"
    conditions:
    - lastHeartbeatTime: "2025-06-01T10:05:00Z"
      message: kubelet has disk pressure
      reason: KubeletHasDiskPressure
      status: "True"
      type: DiskPressure
    - message: kubelet stopped posting
      reason: NodeStatusUnknown
      status: Unknown
      type: Ready
    daemonEndpoints:
      kubeletEndpoint:
        Port: 10250
    images:
    - names:
      - registry.k8s.io/pause:3.10
      sizeBytes: 320000
    nodeInfo:
      architecture: arm64
      kubeletVersion: v1.33.1
      operatingSystem: linux
    volumesAttached: []
- apiVersion: v1
  kind: Node
  metadata:
    name: bare
  spec:
    unschedulable: true
  status:
    capacity: {cpu: "2", memory: 2Gi}
kind: List
metadata:
  resourceVersion: ""
"""


def test_real_nodelist_normalized():
    ms = load_text(REAL_NODELIST, "nodes.yaml")
    assert [m.line for m in ms] == [3, 68]
    node = normalize_node(ms[0].obj)
    assert node["metadata"] == {
        "annotations": {
            "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///run/containerd/containerd.sock",
            "node.alpha.kubernetes.io/ttl": "0",
        },
        "labels": {
            "beta.kubernetes.io/arch": "arm64",
            "kubernetes.io/arch": "arm64",
            "kubernetes.io/hostname": "worker-1",
            "kubernetes.io/os": "linux",
            "node-role.kubernetes.io/worker": "",
        },
        "name": "worker-1",
    }
    assert node["spec"] == ms[0].obj["spec"]
    st = node["status"]
    assert list(st) == ["capacity", "allocatable", "conditions", "addresses", "nodeInfo"]
    assert st["allocatable"] == {"cpu": "4", "memory": "8Gi", "ephemeral-storage": "100Gi", "hugepages-2Mi": "0", "pods": "110"}
    assert st["conditions"][-1] == READY
    assert [c["type"] for c in st["conditions"]] == ["MemoryPressure", "DiskPressure", "PIDPressure", "Ready"]
    assert st["conditions"][1]["status"] == "False"
    assert st["nodeInfo"] == {"architecture": "arm64", "kubeletVersion": "v1.33.1", "operatingSystem": "linux"}
    assert st["addresses"][0] == {"address": "172.18.0.3", "type": "InternalIP"}


def test_bare_node_gets_defaults():
    ms = load_text(REAL_NODELIST, "nodes.yaml")
    (node,) = expand(ms[1].obj)
    assert node["metadata"]["labels"] == {
        "kubernetes.io/hostname": "bare", "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
    }
    assert node["status"]["capacity"] == {"cpu": "2", "memory": "2Gi", "pods": "110"}
    assert node["status"]["allocatable"] == node["status"]["capacity"]
    assert node["status"]["conditions"][-1]["status"] == "True"
    assert node["spec"] == {"unschedulable": True}


def test_valid_inventory_has_no_errors():
    assert validate_inventory(inventory()) == []
    assert unknown_fields(inventory()) == []


@pytest.mark.parametrize(
    "group,expected",
    [
        pytest.param({"count": 1, "capacity": {}}, ["nodeGroups[0].name: Required value"], id="name-required"),
        pytest.param(
            {"name": "Pool_A", "count": 1, "capacity": {}},
            ['nodeGroups[0].name: Invalid value: "Pool_A": a lowercase RFC 1123 label must consist of lower case '
             "alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',"
             "  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"],
            id="name-dns-label",
        ),
        pytest.param({"name": "a", "capacity": {}}, ["nodeGroups[0].count: Required value"], id="count-required"),
        pytest.param({"name": "a", "count": -1, "capacity": {}},
                     ["nodeGroups[0].count: Invalid value: -1: must be greater than or equal to 0"], id="count-negative"),
        pytest.param({"name": "a", "count": "3", "capacity": {}},
                     ['nodeGroups[0].count: Invalid value: "3": must be an integer'], id="count-string"),
        pytest.param({"name": "a", "count": 1}, ["nodeGroups[0].capacity: Required value"], id="capacity-required"),
        pytest.param(
            {"name": "a", "count": 1, "capacity": {"cpu": "lots"}},
            ["nodeGroups[0].capacity[cpu]: Invalid value: \"lots\": quantities must match the regular expression "
             "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
            id="capacity-quantity",
        ),
        pytest.param(
            {"name": "a", "count": 1, "capacity": {"cpu": "1"}, "allocatable": {"memory": "-1Gi"}},
            ['nodeGroups[0].allocatable[memory]: Invalid value: "-1Gi": must be greater than or equal to 0'],
            id="allocatable-negative",
        ),
        pytest.param(
            {"name": "a", "count": 1, "capacity": {}, "taints": [{"key": "k", "effect": "Nope"}, {"effect": "NoSchedule"}]},
            ['nodeGroups[0].taints[0].effect: Unsupported value: "Nope": supported values: "NoSchedule", '
             '"PreferNoSchedule", "NoExecute"', "nodeGroups[0].taints[1].key: Required value"],
            id="taints",
        ),
        pytest.param(
            {"name": "a", "count": 1, "capacity": {}, "labels": {"bad key!": "v"}},
            ["nodeGroups[0].labels: Invalid value: \"bad key!\": name part must consist of alphanumeric characters, "
             "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  "
             "or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"],
            id="label-key",
        ),
    ],
)
def test_validate_inventory_errors(group, expected):
    obj = {"apiVersion": "kctl.io/v1alpha1", "kind": "NodeInventory", "metadata": {"name": "x"}, "nodeGroups": [group]}
    assert [str(e) for e in validate_inventory(obj)] == expected


def test_validate_inventory_groups_required_and_duplicates():
    assert [str(e) for e in validate_inventory({"kind": "NodeInventory"})] == ["nodeGroups: Required value"]
    obj = {"nodeGroups": [{"name": "a", "count": 1, "capacity": {}}, {"name": "a", "count": 1, "capacity": {}}]}
    assert [str(e) for e in validate_inventory(obj)] == ['nodeGroups[1].name: Duplicate value: "a"']


def test_unknown_fields_strict_text():
    obj = {"apiVersion": "kctl.io/v1alpha1", "kind": "NodeInventory", "metadata": {}, "spec": {},
           "nodeGroups": [{"name": "a", "count": 1, "capcity": {}, "taints": [{"key": "k", "effect": "NoSchedule", "x": 1}]}]}
    assert unknown_fields(obj) == [
        'unknown field "spec"',
        'unknown field "nodeGroups[0].capcity"',
        'unknown field "nodeGroups[0].taints[0].x"',
    ]
