"""describe's env `valueFrom.fieldRef` values: kubectl resolves only metadata paths
(fieldpath.ExtractFieldPathAsString); the rest print empty, as real kubectl 1.37 does."""

from __future__ import annotations

import pytest

from kctl.printers.describe_pod import _field_value

POD = {
    "metadata": {"name": "p", "namespace": "shop", "uid": "u-1", "labels": {"b": "2", "a": "1"},
                 "annotations": {"x": "y"}},
    "spec": {"nodeName": "n1", "serviceAccountName": "default"},
    "status": {"podIP": "10.244.0.5", "hostIP": "10.1.0.1"},
}


@pytest.mark.parametrize("path,value", [
    ("metadata.name", "p"),
    ("metadata.namespace", "shop"),
    ("metadata.uid", "u-1"),
    ("metadata.labels['a']", "1"),
    ("metadata.annotations['x']", "y"),
    ("metadata.labels", 'a="1"\nb="2"'),
    ("status.podIP", ""),
    ("status.hostIP", ""),
    ("spec.nodeName", ""),
    ("spec.serviceAccountName", ""),
], ids=lambda v: v if isinstance(v, str) and v.startswith(("metadata", "spec", "status")) else "")
def test_field_value_like_kubectl(path, value):
    assert _field_value(POD, path) == value
