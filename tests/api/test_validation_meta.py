"""kctl.api.validation.meta: ObjectMeta rules with the API server's exact texts."""

import pytest

from kctl.api.validation import names
from kctl.api.validation.meta import (
    validate_annotations,
    validate_labels,
    validate_object_meta,
    validate_object_meta_update,
)

SUBDOMAIN = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
    "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    r"'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
DNS_LABEL = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and "
    "end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)
NAME_PART = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)
LABEL_VALUE = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for "
    "validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)


def strs(errs):
    return [str(e) for e in errs]


CREATE = [
    ("valid", {"name": "web", "namespace": "default", "labels": {"app": "web"}}, True, []),
    ("name-required", {"namespace": "default"}, True,
     ["metadata.name: Required value: name or generateName is required"]),
    ("name-invalid", {"name": "Web_1", "namespace": "default"}, True,
     [f'metadata.name: Invalid value: "Web_1": {SUBDOMAIN}']),
    ("generate-name-ok", {"generateName": "web-", "name": "web-x7k2p", "namespace": "default"}, True, []),
    ("generate-name-bad", {"generateName": "Web-", "name": "web-abcde", "namespace": "default"}, True,
     [f'metadata.generateName: Invalid value: "Web-": {SUBDOMAIN}']),
    ("namespace-required", {"name": "web"}, True, ["metadata.namespace: Required value"]),
    ("namespace-invalid", {"name": "web", "namespace": "Prod"}, True,
     [f'metadata.namespace: Invalid value: "Prod": {DNS_LABEL}']),
    ("cluster-scoped-namespace", {"name": "n1", "namespace": "default"}, False,
     ["metadata.namespace: Forbidden: not allowed on this type"]),
    ("label-key-bad", {"name": "web", "namespace": "d", "labels": {"-app": "web"}}, True,
     [f'metadata.labels: Invalid value: "-app": {NAME_PART}']),
    ("label-value-bad", {"name": "web", "namespace": "d", "labels": {"app": "web server"}}, True,
     [f'metadata.labels: Invalid value: "web server": {LABEL_VALUE}']),
    ("annotation-key-bad", {"name": "web", "namespace": "d", "annotations": {"bad key": "x"}}, True,
     [f'metadata.annotations: Invalid value: "bad key": {NAME_PART}']),
    ("annotation-key-case-insensitive", {"name": "web", "namespace": "d", "annotations": {"Example.COM/Key": "x"}},
     True, []),
    ("annotations-too-big", {"name": "web", "namespace": "d", "annotations": {"a": "x" * 262144}}, True,
     ["metadata.annotations: Too long: may not be more than 262144 bytes"]),
    ("annotations-at-limit", {"name": "web", "namespace": "d", "annotations": {"a": "x" * 262143}}, True, []),
    ("generation-negative", {"name": "web", "namespace": "d", "generation": -1}, True,
     ["metadata.generation: Invalid value: -1: must be greater than or equal to 0"]),
    ("finalizer-bad", {"name": "web", "namespace": "d", "finalizers": ["bad finalizer"]}, True,
     [f'metadata.finalizers: Invalid value: "bad finalizer": {NAME_PART}',
      'metadata.finalizers[0]: Invalid value: "bad finalizer": name is neither a standard finalizer name nor is '
      'it fully qualified']),
    ("finalizer-unqualified", {"name": "web", "namespace": "d", "finalizers": ["custom"]}, True,
     ['metadata.finalizers[0]: Invalid value: "custom": name is neither a standard finalizer name nor is it '
      'fully qualified']),
    ("finalizer-standard", {"name": "web", "namespace": "d", "finalizers": ["kubernetes", "example.com/x"]}, True, []),
    ("owner-ref-empty", {"name": "web", "namespace": "d", "ownerReferences": [{}]}, True,
     ['metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
      'metadata.ownerReferences.kind: Invalid value: "": must not be empty',
      'metadata.ownerReferences.name: Invalid value: "": must not be empty',
      'metadata.ownerReferences.uid: Invalid value: "": must not be empty']),
    ("owner-ref-ok", {"name": "web", "namespace": "d", "ownerReferences": [
        {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-1", "uid": "u1", "controller": True}]}, True, []),
    ("all-reported", {"name": "Bad", "labels": {"a": "b c"}}, True,
     [f'metadata.name: Invalid value: "Bad": {SUBDOMAIN}', "metadata.namespace: Required value",
      f'metadata.labels: Invalid value: "b c": {LABEL_VALUE}']),
]


@pytest.mark.parametrize("meta,namespaced,expected", [c[1:] for c in CREATE], ids=[c[0] for c in CREATE])
def test_validate_object_meta(meta, namespaced, expected):
    assert strs(validate_object_meta(meta, namespaced=namespaced, name_fn=names.name_is_dns_subdomain)) == expected


def test_name_fn_is_the_kinds_rule():
    # a Service uses DNS-1035 labels: a name starting with a digit fails there but not as a subdomain
    meta = {"name": "1svc", "namespace": "d"}
    assert validate_object_meta(meta, namespaced=True, name_fn=names.name_is_dns_subdomain) == []
    errs = strs(validate_object_meta(meta, namespaced=True, name_fn=names.name_is_dns1035_label))
    assert len(errs) == 1 and errs[0].startswith('metadata.name: Invalid value: "1svc": a DNS-1035 label')


def test_labels_and_annotations_helpers_use_given_path():
    assert strs(validate_labels({"a": "-"}, "spec.selector")) == [f'spec.selector: Invalid value: "-": {LABEL_VALUE}']
    assert validate_annotations({"kubectl.kubernetes.io/last-applied-configuration": "{}"}, "metadata.annotations") == []


UPDATE = [
    ("unchanged", {"name": "a", "namespace": "d", "uid": "1"}, {"name": "a", "namespace": "d", "uid": "1"}, []),
    ("name-changed", {"name": "b", "namespace": "d"}, {"name": "a", "namespace": "d"},
     ['metadata.name: Invalid value: "b": field is immutable']),
    ("namespace-changed", {"name": "a", "namespace": "x"}, {"name": "a", "namespace": "d"},
     ['metadata.namespace: Invalid value: "x": field is immutable']),
    ("uid-changed", {"name": "a", "uid": "2"}, {"name": "a", "uid": "1"},
     ['metadata.uid: Invalid value: "2": field is immutable']),
    ("creation-changed", {"name": "a", "creationTimestamp": "2024-01-02T03:04:05Z"},
     {"name": "a", "creationTimestamp": "2024-01-01T00:00:00Z"},
     ["metadata.creationTimestamp: Invalid value: 2024-01-02 03:04:05 +0000 UTC: field is immutable"]),
    ("generation-decremented", {"name": "a", "generation": 1}, {"name": "a", "generation": 2},
     ["metadata.generation: Invalid value: 1: must not be decremented"]),
    ("labels-still-checked", {"name": "a", "labels": {"k": "bad value"}}, {"name": "a"},
     [f'metadata.labels: Invalid value: "bad value": {LABEL_VALUE}']),
    ("finalizer-added-while-deleting", {"name": "a", "finalizers": ["example.com/f"]},
     {"name": "a", "deletionTimestamp": "2024-01-01T00:00:00Z"},
     ['metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new '
      'finalizers []string{"example.com/f"}',
      "metadata.deletionTimestamp: Invalid value: null: field is immutable"]),
]


@pytest.mark.parametrize("new,old,expected", [c[1:] for c in UPDATE], ids=[c[0] for c in UPDATE])
def test_validate_object_meta_update(new, old, expected):
    assert strs(validate_object_meta_update(new, old, "metadata")) == expected


def test_update_requires_resource_version_when_asked():
    errs = strs(validate_object_meta_update({"name": "a"}, {"name": "a"}, require_resource_version=True))
    assert errs == ['metadata.resourceVersion: Invalid value: "": must be specified for an update']
