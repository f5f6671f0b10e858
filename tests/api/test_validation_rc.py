"""ReplicationController (core/v1) validation: ValidateReplicationControllerSpec."""

import copy

import pytest

from kctl.api import kinds
from kctl.api.defaults import apply_defaults
from kctl.api.validation import validate_create

RC = {
    "apiVersion": "v1", "kind": "ReplicationController",
    "metadata": {"name": "rc", "namespace": "default"},
    "spec": {"replicas": 2, "selector": {"app": "x"},
             "template": {"metadata": {"labels": {"app": "x"}},
                          "spec": {"containers": [{"name": "c", "image": "nginx"}]}}},
}


def _with(path_value):
    obj = copy.deepcopy(RC)
    for path, value in path_value:
        cur = obj
        *parents, last = path.split(".")
        for p in parents:
            cur = cur[p]
        if value is None:
            cur.pop(last, None)
        else:
            cur[last] = value
    return obj


@pytest.mark.parametrize("changes,expected", [
    ([], []),
    # no selector and no template labels: defaulting has nothing to copy
    ([("spec.selector", None), ("spec.template.metadata", None)], ["spec.selector: Required value"]),
    ([("spec.selector", {"app": "y"})],
     ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`']),
    ([("spec.replicas", -1)], ["spec.replicas: Invalid value: -1: must be greater than or equal to 0"]),
    ([("spec.template.spec.restartPolicy", "Never")],
     ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"']),
], ids=["valid", "no-selector", "selector-mismatch", "negative-replicas", "restart-never"])
def test_replication_controller(changes, expected):
    obj = _with(changes)
    kind = kinds.by_group_kind("", "ReplicationController")
    apply_defaults(kind, obj)
    assert [str(e) for e in validate_create(kind, obj)] == expected
