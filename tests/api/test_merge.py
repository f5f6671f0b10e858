"""kubectl client-side apply semantics (kctl.api.merge).

Most cases use a small schema shaped like the Deployment/Pod schemas (same patch annotations),
so they do not depend on the generated schemas; one test reads the real schema file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kctl.api import merge as M
from kctl.api.merge import (
    LAST_APPLIED,
    MergeError,
    MergeKeys,
    PatchMeta,
    apply_to_live,
    compute_apply_patch,
    for_create,
    json_merge_patch,
    last_applied_json,
    merge_keys_from_table,
    strategic_merge_patch,
    three_way_merge,
)

REPO = Path(__file__).resolve().parents[2]


def _merge(key):
    return {"x-kubernetes-patch-strategy": "merge", "x-kubernetes-patch-merge-key": key}


def _list_of(ref, **annotations):
    return {"type": ["array", "null"], "items": {"$ref": f"#/$defs/{ref}"}, **annotations}


STR_MAP = {"type": "object", "additionalProperties": {"type": "string"}}

# A cut-down Deployment schema with upstream's patch annotations on the same fields.
SCHEMA = {
    "type": "object",
    "properties": {
        "apiVersion": {"type": "string"},
        "kind": {"type": "string"},
        "metadata": {"$ref": "#/$defs/ObjectMeta"},
        "spec": {"$ref": "#/$defs/DeploymentSpec"},
        "status": {"type": "object"},
    },
    "$defs": {
        "ObjectMeta": {"properties": {
            "name": {"type": "string"},
            "labels": STR_MAP,
            "annotations": STR_MAP,
            "finalizers": {"type": "array", "items": {"type": "string"},
                           "x-kubernetes-patch-strategy": "merge"},
            "ownerReferences": _list_of("OwnerReference", **_merge("uid")),
        }},
        "OwnerReference": {"properties": {"uid": {"type": "string"}}},
        "DeploymentSpec": {"properties": {
            "replicas": {"type": "integer"},
            "strategy": {"$ref": "#/$defs/DeploymentStrategy",
                         "x-kubernetes-patch-strategy": "retainKeys"},
            "template": {"$ref": "#/$defs/PodTemplateSpec"},
        }},
        "DeploymentStrategy": {"properties": {
            "type": {"type": "string"}, "rollingUpdate": {"type": "object"}}},
        "PodTemplateSpec": {"properties": {
            "metadata": {"$ref": "#/$defs/ObjectMeta"},
            "spec": {"$ref": "#/$defs/PodSpec"},
        }},
        "PodSpec": {"properties": {
            "containers": _list_of("Container", **_merge("name")),
            "initContainers": _list_of("Container", **_merge("name")),
            "volumes": _list_of("Volume", **{"x-kubernetes-patch-strategy": "merge,retainKeys",
                                             "x-kubernetes-patch-merge-key": "name"}),
            "imagePullSecrets": _list_of("LocalObjectReference", **_merge("name")),
            "tolerations": _list_of("Toleration"),
            "nodeSelector": STR_MAP,
        }},
        "Container": {"properties": {
            "name": {"type": "string"}, "image": {"type": "string"},
            "args": {"type": "array", "items": {"type": "string"}},
            "command": {"type": "array", "items": {"type": "string"}},
            "env": _list_of("EnvVar", **_merge("name")),
            "ports": _list_of("ContainerPort", **_merge("containerPort")),
            "volumeMounts": _list_of("VolumeMount", **_merge("mountPath")),
            "resources": {"type": "object"},
        }},
        "EnvVar": {"properties": {"name": {}, "value": {}}},
        "ContainerPort": {"properties": {"containerPort": {}, "name": {}, "protocol": {}}},
        "VolumeMount": {"properties": {"mountPath": {}, "name": {}}},
        "Volume": {"properties": {"name": {}, "configMap": {"type": "object"},
                                  "secret": {"type": "object"}, "emptyDir": {"type": "object"}}},
        "LocalObjectReference": {"properties": {"name": {}}},
        "Toleration": {"properties": {"key": {}, "operator": {}}},
    },
}

MK = MergeKeys.from_schema(SCHEMA)


def pod(**spec):
    """A Deployment-shaped object whose pod template spec is `spec`."""
    return {"spec": {"template": {"spec": spec}}}


def ctr(name, **fields):
    return {"name": name, **fields}


# --------------------------------------------------------------------------------------------
# three_way_merge: (original=last-applied, modified=manifest, current=live) -> live after apply
# --------------------------------------------------------------------------------------------

THREE_WAY = [
    pytest.param(
        {"spec": {"replicas": 2}}, {"spec": {"replicas": 2}},
        {"spec": {"replicas": 2}, "status": {"readyReplicas": 2}},
        {"spec": {"replicas": 2}, "status": {"readyReplicas": 2}},
        id="unchanged-manifest-keeps-live"),
    pytest.param(
        None, {"metadata": {"labels": {"app": "web"}}},
        {"metadata": {"labels": {"app": "web", "team": "a"}, "uid": "u1"}},
        {"metadata": {"labels": {"app": "web", "team": "a"}, "uid": "u1"}},
        id="no-last-applied-deletes-nothing"),
    pytest.param(
        {"spec": {"replicas": 3}}, {"spec": {"replicas": 4}},
        {"spec": {"replicas": 3}}, {"spec": {"replicas": 4}},
        id="changed-field-set"),
    pytest.param(
        {"spec": {"replicas": 3, "minReadySeconds": 5}}, {"spec": {"replicas": 3}},
        {"spec": {"replicas": 3, "minReadySeconds": 5}}, {"spec": {"replicas": 3}},
        id="field-removed-from-manifest-removed-from-live"),
    pytest.param(
        {"spec": {"paused": True}}, {"spec": {"paused": True}},
        {"spec": {"paused": True, "replicas": 7}}, {"spec": {"paused": True, "replicas": 7}},
        id="replicas-set-by-scaler-kept"),
    pytest.param(
        {"spec": {"replicas": 3}}, {"spec": {}},
        {"spec": {"replicas": 7}}, {"spec": {}},
        id="replicas-dropped-from-manifest-deleted-even-if-scaled"),
    pytest.param(
        {"metadata": {"name": "w"}}, {"metadata": {"name": "w"}},
        {"metadata": {"name": "w", "annotations": {"deployment.kubernetes.io/revision": "2"}},
         "status": {"replicas": 1}},
        {"metadata": {"name": "w", "annotations": {"deployment.kubernetes.io/revision": "2"}},
         "status": {"replicas": 1}},
        id="annotations-and-status-of-others-kept"),
    pytest.param(
        {"metadata": {"labels": {"app": "web", "tier": "fe"}}},
        {"metadata": {"labels": {"app": "web"}}},
        {"metadata": {"labels": {"app": "web", "tier": "fe", "extra": "x"}}},
        {"metadata": {"labels": {"app": "web", "extra": "x"}}},
        id="label-removed-map-key-deleted"),
    pytest.param(
        {"metadata": {"labels": {"app": "web"}}}, {"metadata": {}},
        {"metadata": {"labels": {"app": "web"}}}, {"metadata": {}},
        id="whole-labels-map-removed"),
    pytest.param(
        {}, {"metadata": {"labels": {"tier": None}}},
        {"metadata": {"labels": {"app": "web", "tier": "fe"}}},
        {"metadata": {"labels": {"app": "web"}}},
        id="null-in-manifest-deletes-live-field"),
    pytest.param(
        {}, {"spec": {"replicas": None}}, {"spec": {}}, {"spec": {}},
        id="null-for-absent-field-is-no-op"),
    pytest.param(
        pod(containers=[ctr("a", image="a:1")]),
        pod(containers=[ctr("a", image="a:1"), ctr("b", image="b:1")]),
        pod(containers=[ctr("a", image="a:1", imagePullPolicy="IfNotPresent")]),
        pod(containers=[ctr("a", image="a:1", imagePullPolicy="IfNotPresent"),
                        ctr("b", image="b:1")]),
        id="container-added-by-name-keeps-defaults"),
    pytest.param(
        pod(containers=[ctr("a"), ctr("b")]),
        pod(containers=[ctr("b")]),
        pod(containers=[ctr("a", tty=True), ctr("b", tty=True)]),
        pod(containers=[ctr("b", tty=True)]),
        id="container-removed-by-name"),
    pytest.param(
        pod(containers=[ctr("a"), ctr("b")]),
        pod(containers=[ctr("b", image="b:2"), ctr("a")]),
        pod(containers=[ctr("a", image="a:1"), ctr("b", image="b:1")]),
        pod(containers=[ctr("b", image="b:2"), ctr("a", image="a:1")]),
        id="containers-reordered-follow-manifest"),
    pytest.param(
        pod(containers=[ctr("a"), ctr("b")]),
        pod(containers=[ctr("b"), ctr("c")]),
        pod(containers=[ctr("a"), ctr("b"), ctr("sidecar")]),
        # upstream's order: the deleted item's slot in the live list is reused by the first
        # added item, so the server-only sidecar stays ahead of it (apimachinery test
        # "add map and delete map from merging list" has the same shape)
        pod(containers=[ctr("b"), ctr("sidecar"), ctr("c")]),
        id="injected-container-kept-in-live-position"),
    pytest.param(
        pod(containers=[ctr("a", env=[{"name": "A", "value": "1"}, {"name": "B", "value": "2"}])]),
        pod(containers=[ctr("a", env=[{"name": "A", "value": "1"}])]),
        pod(containers=[ctr("a", env=[{"name": "A", "value": "1"}, {"name": "B", "value": "2"}])]),
        pod(containers=[ctr("a", env=[{"name": "A", "value": "1"}])]),
        id="env-var-removed"),
    pytest.param(
        pod(containers=[ctr("a", env=[{"name": "A", "value": "1"}])]),
        pod(containers=[ctr("a", env=[{"name": "A", "value": "2"}])]),
        pod(containers=[ctr("a", env=[{"name": "Z", "value": "z"}, {"name": "A", "value": "1"}])]),
        pod(containers=[ctr("a", env=[{"name": "Z", "value": "z"}, {"name": "A", "value": "2"}])]),
        id="env-var-changed-others-kept-in-place"),
    pytest.param(
        pod(containers=[ctr("a", ports=[{"containerPort": 80, "name": "http"}])]),
        pod(containers=[ctr("a", ports=[{"containerPort": 80, "name": "web"},
                                        {"containerPort": 443}])]),
        pod(containers=[ctr("a", ports=[{"containerPort": 80, "name": "http",
                                         "protocol": "TCP"}])]),
        pod(containers=[ctr("a", ports=[{"containerPort": 80, "name": "web", "protocol": "TCP"},
                                        {"containerPort": 443}])]),
        id="container-ports-merged-by-containerPort"),
    pytest.param(
        pod(containers=[ctr("a", volumeMounts=[{"mountPath": "/a", "name": "va"},
                                               {"mountPath": "/b", "name": "vb"}])]),
        pod(containers=[ctr("a", volumeMounts=[{"mountPath": "/a", "name": "vx"}])]),
        pod(containers=[ctr("a", volumeMounts=[{"mountPath": "/a", "name": "va"},
                                               {"mountPath": "/b", "name": "vb"},
                                               {"mountPath": "/token", "name": "sa"}])]),
        pod(containers=[ctr("a", volumeMounts=[{"mountPath": "/a", "name": "vx"},
                                               {"mountPath": "/token", "name": "sa"}])]),
        id="volumeMounts-by-mountPath"),
    pytest.param(
        pod(containers=[ctr("a", args=["--x", "--y"], command=["run"])]),
        pod(containers=[ctr("a", args=["--z"], command=["run"])]),
        pod(containers=[ctr("a", args=["--x", "--y", "--extra"], command=["run"])]),
        pod(containers=[ctr("a", args=["--z"], command=["run"])]),
        id="args-without-merge-key-replaced-wholesale"),
    pytest.param(
        pod(tolerations=[{"key": "a"}]), pod(tolerations=[{"key": "b"}]),
        pod(tolerations=[{"key": "a"}, {"key": "c"}]), pod(tolerations=[{"key": "b"}]),
        id="tolerations-replaced-wholesale"),
    pytest.param(
        pod(nodeSelector={"disk": "ssd", "zone": "a"}), pod(nodeSelector={"disk": "ssd"}),
        pod(nodeSelector={"disk": "ssd", "zone": "a"}), pod(nodeSelector={"disk": "ssd"}),
        id="map-key-deleted"),
    pytest.param(
        {"spec": {"strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}}}},
        {"spec": {"strategy": {"type": "Recreate"}}},
        {"spec": {"strategy": {"type": "RollingUpdate",
                               "rollingUpdate": {"maxSurge": 1, "maxUnavailable": "25%"}}}},
        {"spec": {"strategy": {"type": "Recreate"}}},
        id="strategy-rollingupdate-to-recreate"),
    pytest.param(
        {"spec": {"replicas": 1}},
        {"spec": {"replicas": 1, "strategy": {"type": "Recreate"}}},
        {"spec": {"replicas": 1, "strategy": {
            "type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}}}},
        {"spec": {"replicas": 1, "strategy": {"type": "Recreate"}}},
        id="strategy-recreate-over-defaulted-rollingupdate-retainKeys"),
    pytest.param(
        pod(volumes=[{"name": "cfg", "configMap": {"name": "a"}}]),
        pod(volumes=[{"name": "cfg", "secret": {"secretName": "s"}}]),
        pod(volumes=[{"name": "cfg", "configMap": {"name": "a", "defaultMode": 420}}]),
        pod(volumes=[{"name": "cfg", "secret": {"secretName": "s"}}]),
        id="volume-source-switch-retainKeys"),
    pytest.param(
        {},
        pod(volumes=[{"name": "tmp", "emptyDir": {}}]),
        pod(volumes=[{"name": "tmp", "configMap": {"name": "old"}}]),
        pod(volumes=[{"name": "tmp", "emptyDir": {}}]),
        id="volume-source-switch-without-last-applied"),
    pytest.param(
        pod(imagePullSecrets=[{"name": "r1"}]), pod(imagePullSecrets=[{"name": "r2"}]),
        pod(imagePullSecrets=[{"name": "r1"}, {"name": "r0"}]),
        pod(imagePullSecrets=[{"name": "r0"}, {"name": "r2"}]),
        id="imagePullSecrets-by-name-server-only-first"),
    pytest.param(
        {"metadata": {"finalizers": ["a"]}}, {"metadata": {"finalizers": ["b"]}},
        {"metadata": {"finalizers": ["a", "x"]}}, {"metadata": {"finalizers": ["b", "x"]}},
        id="primitive-merge-list-as-set"),
    pytest.param(
        {"metadata": {"finalizers": ["a"]}}, {"metadata": {"finalizers": ["a", "b"]}},
        {"metadata": {"finalizers": ["x", "a"]}}, {"metadata": {"finalizers": ["x", "a", "b"]}},
        id="primitive-merge-list-append"),
    pytest.param(
        {"spec": {"replicas": 1}}, {"spec": {"replicas": "1"}}, {"spec": {"replicas": 1}},
        {"spec": {"replicas": "1"}},
        id="type-change-replaces"),
]


@pytest.mark.parametrize("original,modified,current,expected", THREE_WAY)
def test_three_way_merge(original, modified, current, expected):
    assert three_way_merge(original, modified, current, MK) == expected


def test_three_way_merge_does_not_mutate_inputs():
    original = pod(containers=[ctr("a"), ctr("b")])
    modified = pod(containers=[ctr("b"), ctr("c")])
    current = pod(containers=[ctr("a"), ctr("b"), ctr("d")])
    snapshot = json.dumps([original, modified, current])
    three_way_merge(original, modified, current, MK)
    assert json.dumps([original, modified, current]) == snapshot


# --------------------------------------------------------------------------------------------
# The patch itself (kubectl sends it; `{}` means "unchanged")
# --------------------------------------------------------------------------------------------

PATCHES = [
    pytest.param({"spec": {"replicas": 1}}, {"spec": {"replicas": 1}},
                 {"spec": {"replicas": 5}, "status": {}}, {"spec": {"replicas": 1}},
                 id="drift-restored"),
    pytest.param({"a": 1}, {"a": 1}, {"a": 1, "b": 2}, {}, id="unchanged"),
    pytest.param(
        pod(containers=[ctr("a"), ctr("b")]), pod(containers=[ctr("b"), ctr("c")]),
        pod(containers=[ctr("a"), ctr("b")]),
        {"spec": {"template": {"spec": {
            "$setElementOrder/containers": [{"name": "b"}, {"name": "c"}],
            "containers": [{"name": "c"}, {"name": "a", "$patch": "delete"}]}}}},
        id="list-add-delete-with-element-order"),
    pytest.param(
        {"metadata": {"finalizers": ["a"]}}, {"metadata": {"finalizers": ["b"]}},
        {"metadata": {"finalizers": ["a"]}},
        {"metadata": {"$setElementOrder/finalizers": ["b"], "finalizers": ["b"],
                      "$deleteFromPrimitiveList/finalizers": ["a"]}},
        id="primitive-list-delete-directive"),
    pytest.param(
        {}, {"spec": {"strategy": {"type": "Recreate"}}},
        {"spec": {"strategy": {"type": "RollingUpdate", "rollingUpdate": {}}}},
        {"spec": {"strategy": {"type": "Recreate", "$retainKeys": ["type"]}}},
        id="retainKeys-directive"),
]


@pytest.mark.parametrize("original,modified,current,expected", PATCHES)
def test_compute_apply_patch(original, modified, current, expected):
    assert compute_apply_patch(original, modified, current, MK) == expected


# --------------------------------------------------------------------------------------------
# Service ports (merge key "port") via a table-built MergeKeys
# --------------------------------------------------------------------------------------------

SVC_KEYS = merge_keys_from_table({("spec", "ports"): ("port", "merge")})


@pytest.mark.parametrize("original,modified,current,expected", [
    pytest.param(
        {"spec": {"ports": [{"port": 80, "targetPort": 8080}]}},
        {"spec": {"ports": [{"port": 80, "targetPort": 9090}, {"port": 443}]}},
        {"spec": {"ports": [{"port": 80, "targetPort": 8080, "protocol": "TCP"}],
                  "clusterIP": "10.0.0.1"}},
        {"spec": {"ports": [{"port": 80, "targetPort": 9090, "protocol": "TCP"}, {"port": 443}],
                  "clusterIP": "10.0.0.1"}},
        id="service-port-changed-and-added"),
    pytest.param(
        {"spec": {"ports": [{"port": 80}, {"port": 443}]}},
        {"spec": {"ports": [{"port": 443}]}},
        {"spec": {"ports": [{"port": 80, "protocol": "TCP"}, {"port": 443, "protocol": "TCP"}]}},
        {"spec": {"ports": [{"port": 443, "protocol": "TCP"}]}},
        id="service-port-removed"),
])
def test_service_ports_by_port(original, modified, current, expected):
    assert three_way_merge(original, modified, current, SVC_KEYS) == expected


# --------------------------------------------------------------------------------------------
# No schema (CRDs, NodeInventory): three-way JSON merge patch, lists replaced wholesale
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("original,modified,current,expected", [
    pytest.param({"spec": {"items": [{"name": "a"}]}}, {"spec": {"items": [{"name": "b"}]}},
                 {"spec": {"items": [{"name": "a"}, {"name": "x"}]}},
                 {"spec": {"items": [{"name": "b"}]}}, id="list-replaced"),
    pytest.param({"spec": {"a": 1, "b": 2}}, {"spec": {"a": 1}},
                 {"spec": {"a": 1, "b": 2, "c": 3}, "status": {"ok": True}},
                 {"spec": {"a": 1, "c": 3}, "status": {"ok": True}}, id="deletion-and-kept-fields"),
    pytest.param(None, {"spec": {"a": None}}, {"spec": {"a": 1}}, {"spec": {}},
                 id="null-deletes"),
])
def test_three_way_without_schema(original, modified, current, expected):
    assert three_way_merge(original, modified, current, None) == expected


def test_json_three_way_rejects_kind_change():
    with pytest.raises(MergeError, match="At least one of apiVersion, kind and name was changed"):
        three_way_merge({"kind": "A"}, {"kind": "B"}, {"kind": "A"}, None)


# --------------------------------------------------------------------------------------------
# strategic_merge_patch directives (as `kctl patch --type strategic` will use)
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("current,patch,expected", [
    pytest.param(pod(containers=[ctr("a"), ctr("b")]),
                 pod(containers=[{"name": "a", "$patch": "delete"}]),
                 pod(containers=[ctr("b")]), id="list-item-delete"),
    pytest.param(pod(containers=[ctr("a"), ctr("b")]),
                 pod(containers=[ctr("c"), {"$patch": "replace"}]),
                 pod(containers=[ctr("c")]), id="list-replace"),
    pytest.param(pod(nodeSelector={"a": "1", "b": "2"}),
                 pod(nodeSelector={"c": "3", "$patch": "replace"}),
                 pod(nodeSelector={"c": "3"}), id="map-replace"),
    pytest.param(pod(nodeSelector={"a": "1"}, hostname="h"),
                 pod(nodeSelector={"$patch": "delete"}),
                 pod(nodeSelector={}, hostname="h"), id="map-delete"),
    pytest.param({"metadata": {"finalizers": ["a", "b", "c"]}},
                 {"metadata": {"$deleteFromPrimitiveList/finalizers": ["b"]}},
                 {"metadata": {"finalizers": ["a", "c"]}}, id="delete-from-primitive-list"),
    pytest.param(pod(containers=[ctr("a"), ctr("b")]),
                 pod(**{"$setElementOrder/containers": [{"name": "b"}, {"name": "a"}]}),
                 pod(containers=[ctr("b"), ctr("a")]), id="set-element-order"),
    pytest.param({"spec": {"strategy": {"type": "RollingUpdate", "rollingUpdate": {"x": 1}}}},
                 {"spec": {"strategy": {"type": "Recreate", "$retainKeys": ["type"]}}},
                 {"spec": {"strategy": {"type": "Recreate"}}}, id="retain-keys"),
    pytest.param(pod(containers=[ctr("a", image="a:1")]),
                 pod(containers=[ctr("a", image="a:2")]),
                 pod(containers=[ctr("a", image="a:2")]), id="merge-by-key"),
    pytest.param({"metadata": {"labels": {"a": "1"}}},
                 {"metadata": {"labels": {"a": None, "b": None}}},
                 {"metadata": {"labels": {}}}, id="nulls-delete-and-unmatched-ignored"),
    pytest.param({}, {"spec": {"x": {"y": None, "z": 1}}}, {"spec": {"x": {"z": 1}}},
                 id="nulls-dropped-from-new-subtree"),
])
def test_strategic_merge_patch(current, patch, expected):
    assert strategic_merge_patch(current, patch, MK) == expected


@pytest.mark.parametrize("patch,fragment", [
    pytest.param(pod(containers=[{"image": "x"}]), "does not contain declared merge key: name",
                 id="missing-merge-key"),
    pytest.param(pod(containers=[{"name": "a", "$patch": "bogus"}]), "Unknown patch type: bogus",
                 id="bad-directive"),
    pytest.param({"spec": {"strategy": {"type": "Recreate", "$retainKeys": ["rollingUpdate"]}}},
                 "invalid patch format of retainKeys", id="retainKeys-missing-patched-field"),
])
def test_strategic_merge_patch_errors(patch, fragment):
    current = pod(containers=[ctr("a")])
    current["spec"]["strategy"] = {"type": "RollingUpdate"}
    with pytest.raises(MergeError, match=fragment):
        strategic_merge_patch(current, patch, MK)


# --------------------------------------------------------------------------------------------
# json_merge_patch (RFC 7386 rules)
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("target,patch,expected", [
    pytest.param({"a": "b"}, {"a": "c"}, {"a": "c"}, id="replace-value"),
    pytest.param({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}, id="add-key"),
    pytest.param({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}, id="null-removes"),
    pytest.param({"a": ["b"]}, {"a": ["c", "d"]}, {"a": ["c", "d"]}, id="arrays-replaced"),
    pytest.param({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}},
                 id="nested-merge"),
    pytest.param({"a": "foo"}, {"a": {"b": None, "c": 1}}, {"a": {"c": 1}},
                 id="scalar-becomes-object-nulls-pruned"),
    pytest.param(["a"], {"a": "b"}, {"a": "b"}, id="non-object-target"),
    pytest.param({"a": "b"}, ["c"], ["c"], id="non-object-patch"),
    pytest.param({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}, id="deep-null-in-new"),
])
def test_json_merge_patch(target, patch, expected):
    assert json_merge_patch(target, patch) == expected


# --------------------------------------------------------------------------------------------
# last-applied annotation text
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("obj,kwargs,expected", [
    pytest.param(
        {"kind": "ConfigMap", "apiVersion": "v1", "metadata": {"name": "x"},
         "data": {"k": "<v&>"}},
        {"namespace": "default", "namespaced": True},
        '{"apiVersion":"v1","data":{"k":"\\u003cv\\u0026\\u003e"},"kind":"ConfigMap",'
        '"metadata":{"annotations":{},"name":"x","namespace":"default"}}\n',
        id="sorted-html-escaped-namespace-defaulted"),
    pytest.param(
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "n", "namespace": "junk"}},
        {"namespace": "default", "namespaced": False},
        '{"apiVersion":"v1","kind":"Namespace","metadata":{"annotations":{},"name":"n"}}\n',
        id="cluster-scoped-namespace-dropped"),
    pytest.param(
        {"apiVersion": "v1", "kind": "Pod",
         "metadata": {"name": "p", "namespace": "prod",
                      "annotations": {LAST_APPLIED: "old", "team": "é"}}},
        {"namespace": "default", "namespaced": True},
        '{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"team":"é"},'
        '"name":"p","namespace":"prod"}}\n',
        id="own-annotation-removed-explicit-namespace-kept-utf8-raw"),
    pytest.param(
        {"metadata": {"name": "n"}, "spec": {"f": 1.5, "g": 2.0, "h": 1e21, "i": None,
                                              "j": [True, "a\nb\u2028", 1e-07]}},
        {},
        '{"metadata":{"annotations":{},"name":"n"},"spec":{"f":1.5,"g":2,"h":1e+21,"i":null,'
        '"j":[true,"a\\nb\\u2028",1e-7]}}\n',
        id="go-number-and-string-encoding"),
])
def test_last_applied_json(obj, kwargs, expected):
    assert last_applied_json(obj, **kwargs) == expected


def test_for_create_sets_annotation_and_prunes_nulls():
    manifest = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"},
                "data": {"a": "1", "b": None}}
    created = for_create(manifest, namespace="default", namespaced=True)
    assert created == {
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "c", "namespace": "default", "annotations": {
            LAST_APPLIED: '{"apiVersion":"v1","data":{"a":"1","b":null},"kind":"ConfigMap",'
                          '"metadata":{"annotations":{},"name":"c","namespace":"default"}}\n'}},
        "data": {"a": "1"},
    }


def test_apply_to_live_full_cycle():
    """create → reapply unchanged → edit manifest; the annotation follows each apply."""
    v1 = {"apiVersion": "apps/v1", "kind": "Deployment",
          "metadata": {"name": "web", "labels": {"app": "web", "tier": "fe"}},
          "spec": {"template": {"spec": {"containers": [{"name": "app", "image": "nginx:1"}]}}}}
    live = for_create(v1, namespace="default", namespaced=True)
    # what the server and controllers add
    live["metadata"]["uid"] = "u1"
    live["spec"]["replicas"] = 1
    live["status"] = {"replicas": 1}

    patch, same = apply_to_live(v1, live, MK, namespace="default", namespaced=True)
    assert patch == {}
    assert same == live

    v2 = json.loads(json.dumps(v1))
    del v2["metadata"]["labels"]["tier"]
    v2["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:2"
    patch, after = apply_to_live(v2, live, MK, namespace="default", namespaced=True)
    assert after["metadata"]["labels"] == {"app": "web"}
    assert after["metadata"]["uid"] == "u1"
    assert after["spec"]["replicas"] == 1
    assert after["status"] == {"replicas": 1}
    assert after["spec"]["template"]["spec"]["containers"] == [{"name": "app", "image": "nginx:2"}]
    assert after["metadata"]["annotations"][LAST_APPLIED] == last_applied_json(
        v2, namespace="default", namespaced=True)
    assert M.original_configuration(after) == json.loads(last_applied_json(
        v2, namespace="default", namespaced=True))


# --------------------------------------------------------------------------------------------
# MergeKeys lookups
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path,expected", [
    pytest.param(("spec", "template", "spec", "containers"), PatchMeta("name", ("merge",)),
                 id="containers"),
    pytest.param(("spec", "template", "spec", "containers", "ports"),
                 PatchMeta("containerPort", ("merge",)), id="ports"),
    pytest.param(("spec", "template", "spec", "volumes"),
                 PatchMeta("name", ("merge", "retainKeys")), id="volumes"),
    pytest.param(("spec", "strategy"), PatchMeta("", ("retainKeys",)), id="strategy"),
    pytest.param(("spec", "template", "spec", "containers", "args"), PatchMeta(), id="args"),
    pytest.param(("spec", "nosuch", "field"), PatchMeta(), id="unknown"),
])
def test_merge_keys_lookup(path, expected):
    assert MK.lookup(path) == expected


REAL = REPO / "schemas" / "v1.37" / "apps.v1.Deployment.json"


@pytest.mark.skipif(not REAL.exists(), reason="generated schemas not present")
@pytest.mark.parametrize("path,expected", [
    pytest.param(("spec", "template", "spec", "containers"), PatchMeta("name", ("merge",)),
                 id="containers"),
    pytest.param(("spec", "template", "spec", "initContainers", "env"), PatchMeta("name", ("merge",)),
                 id="env"),
    pytest.param(("spec", "template", "spec", "containers", "ports"),
                 PatchMeta("containerPort", ("merge",)), id="ports"),
    pytest.param(("spec", "template", "spec", "containers", "volumeMounts"),
                 PatchMeta("mountPath", ("merge",)), id="volumeMounts"),
    pytest.param(("spec", "template", "spec", "volumes"),
                 PatchMeta("name", ("merge", "retainKeys")), id="volumes"),
    pytest.param(("spec", "template", "spec", "tolerations"), PatchMeta(), id="tolerations"),
    pytest.param(("spec", "template", "spec", "containers", "envFrom"), PatchMeta(), id="envFrom"),
    pytest.param(("spec", "strategy"), PatchMeta("", ("retainKeys",)), id="strategy"),
    pytest.param(("metadata", "finalizers"), PatchMeta("", ("merge",)), id="finalizers"),
    pytest.param(("metadata", "ownerReferences"), PatchMeta("uid", ("merge",)), id="ownerRefs"),
])
def test_real_schema_lookup(path, expected):
    mk = MergeKeys.from_schema(json.loads(REAL.read_text()))
    assert mk.lookup(path) == expected


@pytest.mark.skipif(not REAL.exists(), reason="generated schemas not present")
def test_real_schema_strategy_switch():
    mk = MergeKeys.from_schema(json.loads(REAL.read_text()))
    current = {"spec": {"strategy": {"type": "RollingUpdate",
                                     "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
                        "template": {"spec": {"containers": [{"name": "a", "image": "x"}]}}}}
    modified = {"spec": {"strategy": {"type": "Recreate"},
                         "template": {"spec": {"containers": [{"name": "a", "image": "y"}]}}}}
    assert three_way_merge(None, modified, current, mk) == {
        "spec": {"strategy": {"type": "Recreate"},
                 "template": {"spec": {"containers": [{"name": "a", "image": "y"}]}}}}


def test_merge_keys_for_unknown_kind_is_none():
    assert M.merge_keys_for(None) is None


def test_reapply_with_explicit_null_sends_null_but_changes_nothing():
    """The annotation keeps nulls while the created body drops them, so every later apply
    computes a patch carrying the null (kubectl then reports "configured"); applying it is a
    no-op on the object itself."""
    manifest = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"},
                "data": {"a": "1", "b": None}}
    live = for_create(manifest, namespace="default", namespaced=True)
    patch, after = apply_to_live(manifest, live, MK, namespace="default", namespaced=True)
    assert patch == {"data": {"b": None}}
    assert after == live


# Scenarios from the kubernetes.io task "Declarative Management of Kubernetes Objects Using
# Configuration Files" (restated, not copied).

def test_docs_scaled_replicas_survive_apply_and_dropped_field_is_cleared():
    first = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "nginx"},
             "spec": {"minReadySeconds": 5, "template": {"spec": {"containers": [
                 {"name": "nginx", "image": "nginx:1.14.2"}]}}}}
    live = for_create(first, namespace="default", namespaced=True)
    live["spec"]["replicas"] = 2  # kubectl scale
    second = json.loads(json.dumps(first))
    del second["spec"]["minReadySeconds"]
    second["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.16.1"
    _, after = apply_to_live(second, live, MK, namespace="default", namespaced=True)
    assert after["spec"] == {"replicas": 2, "template": {"spec": {"containers": [
        {"name": "nginx", "image": "nginx:1.16.1"}]}}}


def test_docs_merge_list_of_complex_elements():
    """Deleted, retained (with a live-only field), added and live-only containers.

    The docs list the live-only container last; upstream's code (and its own unit test
    "add map and delete map from merging list") puts it before the added one, because the
    added item reuses the deleted item's slot in the live list. We follow the code."""
    original = pod(containers=[ctr("nginx"), ctr("helper-a"), ctr("helper-b")])
    modified = pod(containers=[ctr("nginx"), ctr("helper-b"), ctr("helper-c")])
    current = pod(containers=[ctr("nginx"), ctr("helper-a"), ctr("helper-b", args=["run"]),
                              ctr("helper-d")])
    assert three_way_merge(original, modified, current, MK) == pod(containers=[
        ctr("nginx"), ctr("helper-b", args=["run"]), ctr("helper-d"), ctr("helper-c")])


@pytest.mark.parametrize("in_file,in_live,in_last,expected", [
    pytest.param(True, True, True, "file", id="set-from-file"),
    pytest.param(True, False, False, "file", id="added-from-file"),
    pytest.param(False, True, True, None, id="cleared-because-last-applied-had-it"),
    pytest.param(False, True, False, "live", id="kept-because-never-applied"),
])
def test_docs_merge_table(in_file, in_live, in_last, expected):
    original = {"spec": {"f": "last"}} if in_last else {"spec": {}}
    modified = {"spec": {"f": "file"}} if in_file else {"spec": {}}
    current = {"spec": {"f": "live"}} if in_live else {"spec": {}}
    got = three_way_merge(original, modified, current, MK)["spec"].get("f")
    assert got == expected


def test_merge_keys_for_uses_load_schema(monkeypatch):
    import sys
    import types

    from kctl.api.kinds import Kind

    calls = []

    def load_schema(group, version, kind, k8s="1.37"):
        calls.append((group, version, kind, k8s))
        return SCHEMA if group == "core" else None

    fake = types.ModuleType("kctl.api.schema")
    fake.load_schema = load_schema
    monkeypatch.setitem(sys.modules, "kctl.api.schema", fake)
    M.merge_keys_for.cache_clear()
    try:
        pod_kind = Kind("", "v1", "Pod", "pods", "pod")
        mk = M.merge_keys_for(pod_kind)
        assert mk.lookup(("spec", "template", "spec", "containers")) == PatchMeta("name", ("merge",))
        assert calls == [("", "v1", "Pod", "1.37"), ("core", "v1", "Pod", "1.37")]
        crd = Kind("example.com", "v1", "Widget", "widgets", "widget")
        assert M.merge_keys_for(crd) is None
    finally:
        M.merge_keys_for.cache_clear()
