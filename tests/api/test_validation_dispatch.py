"""The validation dispatcher: per-kind name rules, scope, and routing to the deep validators."""

from __future__ import annotations

import copy

import pytest

from kctl.api.defaults import apply_defaults
from kctl.api.kinds import Kind
from kctl.api.validation import path_segment_name, validate_create, validate_update


def K(group: str, kind: str, namespaced: bool = True) -> Kind:
    return Kind(group, "v1", kind, kind.lower() + "s", kind.lower(), (), namespaced)


RBAC = "rbac.authorization.k8s.io"


@pytest.mark.parametrize(
    "kind, name, expected",
    [
        pytest.param(K(RBAC, "ClusterRole", False), "system:controller:foo", [], id="clusterrole-colons-ok"),
        pytest.param(K(RBAC, "ClusterRole", False), "a/b", ["metadata.name: Invalid value: \"a/b\": may not contain '/'"], id="clusterrole-slash"),
        pytest.param(K(RBAC, "Role"), "..", ["metadata.name: Invalid value: \"..\": may not be '..'"], id="role-dotdot"),
        pytest.param(K(RBAC, "RoleBinding"), "50%", ["metadata.name: Invalid value: \"50%\": may not contain '%'"], id="rolebinding-percent"),
        pytest.param(K("", "ConfigMap"), "kube-root-ca.crt", [], id="configmap-subdomain"),
        pytest.param(K("", "ServiceAccount"), "default", [], id="serviceaccount"),
        pytest.param(K("", "Service"), "web.v1", [
            'metadata.name: Invalid value: "web.v1": a DNS-1035 label must consist of lower case alphanumeric characters '
            "or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
            "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"], id="service-dns1035"),
        pytest.param(K("networking.k8s.io", "Ingress"), "web.example", [], id="ingress-subdomain"),
    ],
)
def test_name_rules(kind, name, expected):
    obj = {"metadata": {"name": name}}
    if kind.namespaced:
        obj["metadata"]["namespace"] = "default"
    if kind.kind == "Service":
        obj["spec"] = {"ports": [{"port": 80}]}
        apply_defaults(kind, obj)
    assert [str(e) for e in validate_create(kind, obj)] == expected


def test_namespace_required_for_namespaced_kinds():
    assert [str(e) for e in validate_create(K("", "ConfigMap"), {"metadata": {"name": "c"}})] == [
        "metadata.namespace: Required value"]


def test_namespace_forbidden_for_cluster_kinds():
    kind = K(RBAC, "ClusterRole", False)
    assert [str(e) for e in validate_create(kind, {"metadata": {"name": "c", "namespace": "x"}})] == [
        "metadata.namespace: Forbidden: not allowed on this type"]


def test_name_required():
    assert [str(e) for e in validate_create(K("", "ConfigMap"), {"metadata": {"namespace": "default"}})] == [
        "metadata.name: Required value: name or generateName is required"]


def test_cron_job_name_length():
    kind = K("batch", "CronJob")
    name = "a" * 53
    obj = {"metadata": {"name": name, "namespace": "default"},
           "spec": {"schedule": "@hourly", "jobTemplate": {"spec": {"template": {"spec": {
               "restartPolicy": "OnFailure", "containers": [{"name": "c", "image": "busybox:1.36"}]}}}}}}
    apply_defaults(kind, obj)
    assert [str(e) for e in validate_create(kind, obj)] == [f'metadata.name: Invalid value: "{name}": must be no more than 52 characters']


def test_metadata_errors_come_before_spec_errors():
    kind = K("apps", "Deployment")
    obj = {"metadata": {"name": "Bad_Name", "namespace": "default"},
           "spec": {"replicas": -1, "selector": {"matchLabels": {"a": "b"}},
                    "template": {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}}
    apply_defaults(kind, obj)
    fields = [e.field for e in validate_create(kind, obj)]
    assert fields == ["metadata.name", "spec.replicas"]


def test_pod_is_routed_to_core():
    kind = K("", "Pod")
    obj = {"metadata": {"name": "p", "namespace": "default"}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}
    apply_defaults(kind, obj)
    assert validate_create(kind, obj) == []
    bad = copy.deepcopy(obj)
    bad["spec"]["containers"][0]["image"] = ""
    assert "spec.containers[0].image: Required value" in [str(e) for e in validate_create(kind, bad)]


def test_secret_decoding_error_stops_validation():
    kind = K("", "Secret")
    obj = {"metadata": {"name": "Bad_Name", "namespace": "default"}, "type": "kubernetes.io/tls", "data": {"tls.crt": "%%%"}}
    assert [str(e) for e in validate_create(kind, obj)] == [
        'data[tls.crt]: Invalid value: "<secret contents redacted>": illegal base64 data at input byte 0']


def test_update_name_immutable_and_unknown_kind_gets_metadata_rules():
    kind = K("coordination.k8s.io", "Lease")
    old = {"metadata": {"name": "a", "namespace": "default"}, "spec": {"holderIdentity": "x"}}
    new = copy.deepcopy(old)
    new["metadata"]["name"] = "b"
    new["spec"]["holderIdentity"] = "y"
    assert [str(e) for e in validate_update(kind, new, old)] == ['metadata.name: Invalid value: "b": field is immutable']


@pytest.mark.parametrize(
    "name, prefix, expected",
    [(".", False, ["may not be '.'"]), ("..", False, ["may not be '..'"]), (".", True, []),
     ("a/b%c", False, ["may not contain '/'", "may not contain '%'"]), ("ok", False, [])],
)
def test_path_segment_name(name, prefix, expected):
    assert path_segment_name(name, prefix) == expected


def _bundled_manifests():
    from pathlib import Path

    from ruamel.yaml import YAML

    root = Path(__file__).resolve().parents[2] / "manifests"
    docs = []
    for path in sorted(root.glob("*.yaml")):
        for doc in YAML(typ="safe").load_all(path.read_text()):
            if doc:
                docs.append(pytest.param(doc, id=f"{path.name}:{doc['kind']}/{doc['metadata']['name']}"))
    return docs


@pytest.mark.parametrize("doc", _bundled_manifests())
def test_bundled_example_manifests_are_valid(doc):
    from kctl.api.kinds import for_object

    kind = for_object(doc["apiVersion"], doc["kind"])
    assert kind is not None
    if kind.group == "kctl.io":
        pytest.skip("kctl's own NodeInventory expands into Nodes elsewhere")
    apply_defaults(kind, doc)
    assert [str(e) for e in validate_create(kind, doc)] == []
