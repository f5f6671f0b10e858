"""Namespace, Node and PersistentVolumeClaim validation."""

from __future__ import annotations

import copy

import pytest

from kctl.api.defaults import apply_defaults
from kctl.api.kinds import Kind
from kctl.api.validation import validate_create, validate_update

NAMESPACE = Kind("", "v1", "Namespace", "namespaces", "namespace", ("ns",), False)
NODE = Kind("", "v1", "Node", "nodes", "node", ("no",), False)
PVC = Kind("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", "persistentvolumeclaim", ("pvc",), True)


def errs(kind, obj):
    apply_defaults(kind, obj)
    return [str(e) for e in validate_create(kind, obj)]


def node(**spec) -> dict:
    return {"apiVersion": "v1", "kind": "Node",
            "metadata": {"name": "worker-1.example.internal", "labels": {"kubernetes.io/hostname": "worker-1"}},
            "spec": spec,
            "status": {"capacity": {"cpu": "4", "memory": "16Gi", "pods": "110"}}}


def pvc(**spec) -> dict:
    base = {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "10Gi"}}, "storageClassName": "standard"}
    base.update(spec)
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data-db-0", "namespace": "default"}, "spec": base}


# --------------------------------------------------------------------------- Namespace

@pytest.mark.parametrize(
    "name, expected",
    [
        ("team-a", []),
        ("Team_A", ['metadata.name: Invalid value: "Team_A": a lowercase RFC 1123 label must consist of lower case '
                    "alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. "
                    "'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"]),
        ("team.a", ['metadata.name: Invalid value: "team.a": must not contain dots']),
    ],
    ids=["valid", "uppercase", "dots"],
)
def test_namespace_name(name, expected):
    assert errs(NAMESPACE, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}) == expected


def test_namespace_given_namespace_forbidden():
    obj = {"metadata": {"name": "a", "namespace": "default"}}
    assert errs(NAMESPACE, obj) == ["metadata.namespace: Forbidden: not allowed on this type"]


def test_namespace_finalizer():
    obj = {"metadata": {"name": "a"}, "spec": {"finalizers": ["custom"]}}
    assert errs(NAMESPACE, obj) == [
        'spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified']


# --------------------------------------------------------------------------- Node

def test_realistic_node_is_valid():
    obj = node(podCIDR="10.244.1.0/24", podCIDRs=["10.244.1.0/24"], providerID="kind://docker/kind/worker-1",
               taints=[{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"},
                       {"key": "dedicated", "value": "gpu", "effect": "NoExecute"}])
    assert errs(NODE, obj) == []


NODE_CASES = [
    ("taint-effect", node(taints=[{"key": "a", "effect": "NoRun"}]),
     ['metadata.taints[0].effect: Unsupported value: "NoRun": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"']),
    ("taint-effect-missing", node(taints=[{"key": "a"}]), ["metadata.taints[0].effect: Required value"]),
    ("taint-key", node(taints=[{"key": "bad key", "effect": "NoSchedule"}]),
     ['metadata.taints[0].key: Invalid value: "bad key": name part must consist of alphanumeric characters, \'-\', \'_\' '
      "or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', "
      "regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"]),
    ("taint-duplicate", node(taints=[{"key": "a", "value": "x", "effect": "NoSchedule"}, {"key": "a", "value": "y", "effect": "NoSchedule"}]),
     ['metadata.taints[1]: Duplicate value: core.Taint{Key:"a", Value:"y", Effect:"NoSchedule", TimeAdded:(*v1.Time)(nil)}: '
      "taints must be unique by key and effect pair"]),
    ("same-key-other-effect-ok", node(taints=[{"key": "a", "effect": "NoSchedule"}, {"key": "a", "effect": "NoExecute"}]), []),
    ("pod-cidr", node(podCIDRs=["10.244.1.0/33"]),
     ['spec.podCIDRs[0]: Invalid value: "10.244.1.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)']),
    ("pod-cidrs-same-family", node(podCIDRs=["10.244.1.0/24", "10.245.1.0/24"]),
     ['spec.podCIDRs: Invalid value: []string{"10.244.1.0/24", "10.245.1.0/24"}: may specify no more than one CIDR for each IP family']),
]


@pytest.mark.parametrize("obj, expected", [pytest.param(o, e, id=i) for i, o, e in NODE_CASES])
def test_node_create(obj, expected):
    assert errs(NODE, obj) == expected


def test_node_update_pod_cidrs_frozen():
    old = node(podCIDRs=["10.244.1.0/24"])
    apply_defaults(NODE, old)
    new = copy.deepcopy(old)
    new["spec"]["podCIDRs"] = ["10.244.2.0/24"]
    new["spec"]["taints"] = [{"key": "maintenance", "effect": "NoSchedule"}]
    assert [str(e) for e in validate_update(NODE, new, old)] == [
        'spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid']


# --------------------------------------------------------------------------- PVC

def test_realistic_pvc_is_valid():
    assert errs(PVC, pvc()) == []


PVC_CASES = [
    ("no-access-modes", pvc(accessModes=[]), ["spec.accessModes: Required value: at least 1 access mode is required"]),
    ("bad-access-mode", pvc(accessModes=["ReadWriteSometimes"]),
     ['spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", '
      '"ReadWriteOnce", "ReadWriteOncePod"']),
    ("rwop-with-others", pvc(accessModes=["ReadWriteOncePod", "ReadWriteOnce"]),
     ["spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes"]),
    ("no-storage", pvc(resources={"requests": {}}), ["spec.resources[storage]: Required value"]),
    ("zero-storage", pvc(resources={"requests": {"storage": "0"}}),
     ['spec.resources[storage]: Invalid value: "0": must be greater than zero']),
    ("volume-mode", pvc(volumeMode="Raw"),
     ['spec.volumeMode: Unsupported value: "Raw": supported values: "Block", "Filesystem"']),
    ("storage-class-name", pvc(storageClassName="Fast_SSD"),
     ['spec.storageClassName: Invalid value: "Fast_SSD": a lowercase RFC 1123 subdomain must consist of lower case '
      "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "
      "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"]),
]


@pytest.mark.parametrize("obj, expected", [pytest.param(o, e, id=i) for i, o, e in PVC_CASES])
def test_pvc_create(obj, expected):
    assert errs(PVC, obj) == expected


def test_pvc_name_is_path_segment():
    obj = pvc()
    obj["metadata"]["name"] = "a/b"
    assert errs(PVC, obj) == ["metadata.name: Invalid value: \"a/b\": may not contain '/'"]


def _bound(obj):
    apply_defaults(PVC, obj)
    obj["spec"]["volumeName"] = "pvc-1234"
    obj["status"] = {"phase": "Bound", "capacity": {"storage": "10Gi"}}
    return obj


PVC_UPDATE_CASES = [
    ("grow-bound", lambda s: s["resources"]["requests"].update(storage="20Gi"), True, []),
    ("grow-unbound", lambda s: s["resources"]["requests"].update(storage="20Gi"), False,
     ["spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"]),
    ("access-modes", lambda s: s.update(accessModes=["ReadWriteMany"]), True,
     ["spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"]),
    ("shrink-bound", lambda s: s["resources"]["requests"].update(storage="5Gi"), True,
     ["spec.resources.requests.storage: Forbidden: field can not be less than status.capacity"]),
]


@pytest.mark.parametrize("change, bound, expected", [pytest.param(c, b, e, id=i) for i, c, b, e in PVC_UPDATE_CASES])
def test_pvc_update(change, bound, expected):
    old = pvc()
    if bound:
        _bound(old)
    else:
        apply_defaults(PVC, old)
    new = copy.deepcopy(old)
    change(new["spec"])
    assert [str(e) for e in validate_update(PVC, new, old)] == expected
