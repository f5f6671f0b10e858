"""HorizontalPodAutoscaler and PriorityClass spec rules, with the API server's texts."""

from __future__ import annotations

import pytest

from kctl.api.defaults import apply_defaults
from kctl.api.kinds import resolve
from kctl.api.validation import validate_create

HPA = resolve("hpa")
PC = resolve("priorityclasses")


def _hpa(**spec) -> dict:
    obj = {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "h", "namespace": "default"},
           "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}, **spec}}
    apply_defaults(HPA, obj)
    return obj


@pytest.mark.parametrize(
    "spec, expected",
    [
        ({"minReplicas": 1, "maxReplicas": 4}, []),
        ({"maxReplicas": 3}, []),  # minReplicas defaults to 1
        ({"minReplicas": 5, "maxReplicas": 2}, ["spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`"]),
        ({"minReplicas": 0, "maxReplicas": 2}, ["spec.minReplicas: Invalid value: 0: must be greater than or equal to 1"]),
        ({"maxReplicas": 0}, ["spec.maxReplicas: Invalid value: 0: must be greater than 0",
                              "spec.maxReplicas: Invalid value: 0: must be greater than or equal to `minReplicas`"]),
    ],
    ids=["valid", "min-defaulted", "max-below-min", "min-zero", "max-zero"],
)
def test_hpa_replica_bounds(spec, expected):
    assert [str(e) for e in validate_create(HPA, _hpa(**spec))] == expected


@pytest.mark.parametrize(
    "name, value, expected",
    [
        ("high-priority", 1000000, []),
        ("pause-pods", -1, []),
        ("top", 1000000000, []),
        ("huge", 2000000000, ["value: Forbidden: maximum allowed value of a user defined priority is 1000000000"]),
    ],
)
def test_priority_class_value_ceiling(name, value, expected):
    obj = {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": name}, "value": value}
    apply_defaults(PC, obj)
    assert [str(e) for e in validate_create(PC, obj)] == expected
