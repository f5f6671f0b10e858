"""validate_crd (the CRD object itself) and real CRDs from public projects (see data/SOURCES)."""

from __future__ import annotations

import copy
import pathlib
import time

import pytest
from ruamel.yaml import YAML

from kctl.api.crd import default, prune, validate, validate_crd, version_schema
from kctl.api.crd.openapi import validate_crd as reexported

DATA = pathlib.Path(__file__).parent / "data"


def load(name: str) -> dict:
    return YAML(typ="safe").load((DATA / name).read_text())


def good_crd() -> dict:
    return {
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"},
        "spec": {
            "group": "example.com", "scope": "Namespaced",
            "names": {"plural": "widgets", "singular": "widget", "kind": "Widget", "listKind": "WidgetList"},
            "versions": [{
                "name": "v1", "served": True, "storage": True,
                "schema": {"openAPIV3Schema": {"type": "object", "properties": {
                    "spec": {"type": "object", "properties": {"size": {"type": "integer"}}}}}},
                "additionalPrinterColumns": [{"name": "Size", "type": "integer", "jsonPath": ".spec.size"}],
            }],
        },
    }


def mutate(fn) -> list[str]:
    crd = good_crd()
    fn(crd)
    return [str(e) for e in validate_crd(crd)]


S = "spec.validation.openAPIV3Schema"  # one schema for all versions is validated at the top level

CRD_CASES = [
    ("valid", lambda c: None, []),
    ("name must be plural.group", lambda c: c["metadata"].update(name="widget.example.com"),
     ['metadata.name: Invalid value: "widget.example.com": must be spec.names.plural+"."+spec.group']),
    ("group needs a dot", lambda c: (c["spec"].update(group="example"), c["metadata"].update(name="widgets.example")),
     ['spec.group: Invalid value: "example": should be a domain with at least one dot']),
    ("scope", lambda c: c["spec"].update(scope="Global"),
     ['spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"']),
    ("names required", lambda c: c["spec"]["names"].pop("listKind"), ["spec.names.listKind: Required value"]),
    ("kind == listKind", lambda c: c["spec"]["names"].update(listKind="Widget"),
     ['spec.names.listKind: Invalid value: "Widget": kind and listKind may not be the same']),
    # the internal Go struct, JSON-encoded without tags; the schema moved to spec.validation prints as null
    ("no storage version", lambda c: c["spec"]["versions"][0].update(storage=False),
     ['spec.versions: Invalid value: [{"Name":"v1","Served":true,"Storage":false,"Deprecated":false,'
      '"DeprecationWarning":null,"Schema":null,"Subresources":null,"AdditionalPrinterColumns":null,'
      '"SelectableFields":null}]: must have exactly one version marked as storage version']),
    ("schema required", lambda c: c["spec"]["versions"][0].pop("schema"),
     ["spec.versions[0].schema.openAPIV3Schema: Required value"]),
    ("type required for fields",
     lambda c: c["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]["properties"].update(x={}),
     [f"{S}.properties[spec].properties[x].type: Required value: must not be empty for specified object fields"]),
    ("items required", lambda c: c["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"].update(
        l={"type": "array"}), [f"{S}.properties[l].items: Required value: must be specified"]),
    ("unsupported type", lambda c: c["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"].update(
        t={"type": "date"}),
     [f'{S}.properties[t].type: Unsupported value: "date": supported values: "array", "boolean", "integer", '
      '"number", "object", "string"']),
    ("list-type map without keys", lambda c: c["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"].update(
        m={"type": "array", "x-kubernetes-list-type": "map", "items": {"type": "object"}}),
     [f"{S}.properties[m].x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map"]),
    ("printer column type", lambda c: c["spec"]["versions"][0]["additionalPrinterColumns"][0].update(type="str"),
     ['spec.additionalPrinterColumns[0].type: Invalid value: "str": must be one of boolean,date,integer,number,string']),
    ("printer column jsonPath", lambda c: c["spec"]["versions"][0]["additionalPrinterColumns"][0].update(
        jsonPath="spec.size"),
     ['spec.additionalPrinterColumns[0].JSONPath: Invalid value: "spec.size": must be a simple json path starting with .']),
    ("protected group", lambda c: (c["spec"].update(group="x.k8s.io"), c["metadata"].update(name="widgets.x.k8s.io")),
     ['metadata.annotations[api-approved.kubernetes.io]: Required value: protected groups must have approval '
      'annotation "api-approved.kubernetes.io", see https://github.com/kubernetes/enhancements/pull/1111']),
]


@pytest.mark.parametrize("fn,expected", [c[1:] for c in CRD_CASES], ids=[c[0] for c in CRD_CASES])
def test_validate_crd(fn, expected):
    assert mutate(fn) == expected


def test_per_version_schemas_are_reported_per_version():
    crd = good_crd()
    v2 = copy.deepcopy(crd["spec"]["versions"][0])
    v2.update(name="v2", storage=False)
    v2["schema"]["openAPIV3Schema"]["properties"]["spec"]["properties"]["x"] = {}
    crd["spec"]["versions"].append(v2)
    assert [str(e) for e in validate_crd(crd)] == [
        "spec.versions[1].schema.openAPIV3Schema.properties[spec].properties[x].type: "
        "Required value: must not be empty for specified object fields"]


def test_openapi_reexports_validate_crd():
    assert reexported(good_crd()) == []


@pytest.mark.parametrize("name", ["servicemonitors.yaml", "gatewayclasses.yaml"])
def test_real_crds_are_valid(name):
    assert validate_crd(load(name)) == []


SERVICE_MONITOR = {
    "apiVersion": "monitoring.coreos.com/v1", "kind": "ServiceMonitor",
    "metadata": {"name": "web", "namespace": "default"},
    "spec": {"selector": {"matchLabels": {"app": "web"}}, "endpoints": [{"port": "http", "interval": "30s"}]},
}


def test_service_monitor_valid_and_invalid():
    s = version_schema(load("servicemonitors.yaml"), "v1")
    ok = copy.deepcopy(SERVICE_MONITOR)
    assert prune(ok, s) == [] and validate(ok, s) == []
    bad = copy.deepcopy(SERVICE_MONITOR)
    bad["spec"]["endpoints"][0].update(scheme="ftp", bogus=True)
    bad["spec"].update(sampleLimit=-1, jobLabel=3)
    assert prune(bad, s) == ["spec.endpoints[0].bogus"]
    default(bad, s)
    assert sorted(str(e) for e in validate(bad, s)) == [
        'spec.endpoints[0].scheme: Unsupported value: "ftp": supported values: "http", "https", "HTTP", "HTTPS"',
        'spec.jobLabel: Invalid value: "integer": spec.jobLabel in body must be of type string: "integer"',
        "spec.sampleLimit: Invalid value: -1: spec.sampleLimit in body should be greater than or equal to 0",
    ]


def test_gateway_class_transition_rule():
    crd = load("gatewayclasses.yaml")
    s = version_schema(crd, "v1")
    gc = {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "GatewayClass", "metadata": {"name": "a"},
          "spec": {"controllerName": "example.com/gateway"}}
    assert validate(gc, s) == []
    old = copy.deepcopy(gc)
    old["spec"]["controllerName"] = "example.com/other"
    assert [str(e) for e in validate(gc, s, old)] == [
        'spec.controllerName: Invalid value: "example.com/gateway": field is immutable']
    bad = copy.deepcopy(gc)
    bad["spec"]["controllerName"] = "no-slash"
    (e,) = validate(bad, s)
    assert str(e).startswith('spec.controllerName: Invalid value: "no-slash": spec.controllerName in body should match')


def test_thousands_of_custom_resources_are_fast():
    s = version_schema(load("servicemonitors.yaml"), "v1")
    docs = [copy.deepcopy(SERVICE_MONITOR) for _ in range(2000)]
    start = time.perf_counter()
    for d in docs:
        prune(d, s)
        default(d, s)
        assert not validate(d, s)
    rate = len(docs) / (time.perf_counter() - start)
    assert rate > 500, f"{rate:.0f} docs/s"


def test_defaults_must_be_pruned_and_valid():
    def set_props(c):
        spec = c["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]
        spec["default"] = {"size": 1, "junk": True}
        spec["properties"] = {
            "size": {"type": "integer", "default": "three"},
            "max": {"type": "integer", "maximum": 5, "default": 9},
            "name": {"type": "string", "default": "ab", "x-kubernetes-validations": [{"rule": "self.size() > 3"}]},
        }
    # kube-openapi formats the root of a bare value with an empty name, hence "  in body"
    assert mutate(set_props) == [
        f'{S}.properties[spec].default: Invalid value: {{"junk":true,"size":1}}: must not have unknown fields',
        f'{S}.properties[spec].properties[size].default: Invalid value: "string":  in body must be of type integer: "string"',
        f"{S}.properties[spec].properties[max].default: Invalid value: 9:  in body should be less than or equal to 5",
        f'{S}.properties[spec].properties[name].default: Invalid value: "ab": failed rule: self.size() > 3',
    ]


def test_rule_shape_and_compile_errors():
    def set_rules(c):
        c["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]["x-kubernetes-validations"] = [
            {"rule": " "}, {"rule": "self.size > ", "message": "m"}, {"rule": "true", "reason": "Nope"}]
    assert mutate(set_rules) == [
        f"{S}.properties[spec].x-kubernetes-validations[0].rule: Required value: rule is not specified",
        f'{S}.properties[spec].x-kubernetes-validations[2].reason: Unsupported value: "Nope": supported values: '
        '"FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"',
    ]

    def bad_rule(c):
        c["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]["x-kubernetes-validations"] = [
            {"rule": "self.size >", "message": "m"}]
    (err,) = mutate(bad_rule)
    assert err.startswith(f'{S}.properties[spec].x-kubernetes-validations[0].rule: Invalid value: '
                          '{"Rule":"self.size \\u003e","Message":"m","MessageExpression":"","Reason":null,'
                          '"FieldPath":"","OptionalOldSelf":null}: compilation failed: ')


def test_update_rules():
    old = good_crd()
    old["status"] = {"conditions": [{"type": "Established", "status": "True"}], "storedVersions": ["v1beta1", "v1"]}
    new = copy.deepcopy(old)
    new["spec"]["scope"] = "Cluster"
    new["spec"]["names"]["kind"] = "Gadget"
    new["spec"]["names"]["listKind"] = "GadgetList"
    assert [str(e) for e in validate_crd(new, old)] == [
        'spec.scope: Invalid value: "Cluster": field is immutable',
        'spec.names.kind: Invalid value: "Gadget": field is immutable',
        'status.storedVersions[0]: Invalid value: "v1beta1": missing from spec.versions; v1beta1 was previously a '
        "storage version, and must remain in spec.versions until a storage migration ensures no data remains "
        "persisted in v1beta1 and removes v1beta1 from status.storedVersions",
    ]
    assert validate_crd(good_crd(), good_crd()) == []


def test_rules_may_only_select_declared_fields():
    def rule(text):
        def fn(c):
            c["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["x-kubernetes-validations"] = [{"rule": text}]
        return fn

    assert mutate(rule("self.spec.size > 0 && self.metadata.name != '' && self.kind != ''")) == []
    assert mutate(rule("has(self.spec.sise)")) == [
        f'{S}.x-kubernetes-validations[0].rule: Invalid value: {{"Rule":"has(self.spec.sise)","Message":"",'
        '"MessageExpression":"","Reason":null,"FieldPath":"","OptionalOldSelf":null}: compilation failed: '
        "ERROR: <input>:1:14: undefined field 'sise'\n | has(self.spec.sise)\n | .............^"]
    (err,) = mutate(rule("self.metadata.namespace == 'x'"))
    assert "undefined field 'namespace'" in err


def test_real_world_pattern_syntax_is_re2():
    def fn(c):
        c["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]["properties"]["mode"] = {
            "type": "string", "pattern": "^(?i)(abort|warn)?$"}
    assert mutate(fn) == []


def test_rule_field_path_and_message_expression_are_checked():
    def rules(*rs):
        def fn(c):
            c["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]["x-kubernetes-validations"] = list(rs)
        return fn

    # shape errors first; rules are compiled only when the schema has none (as upstream)
    assert mutate(rules({"rule": "self.size > 0", "fieldPath": ".nope"},
                        {"rule": "self.size > 0", "messageExpression": "'size ' +"})) == [
        f'{S}.properties[spec].x-kubernetes-validations[0].fieldPath: Invalid value: ".nope": must be a valid path']
    (err,) = mutate(rules({"rule": "self.size > 0", "messageExpression": "'size ' +"}))
    assert err.startswith(
        f"{S}.properties[spec].x-kubernetes-validations[0].messageExpression: Invalid value: "
        '{"Rule":"self.size \\u003e 0","Message":"","MessageExpression":"\'size \' +","Reason":null,"FieldPath":"",'
        '"OptionalOldSelf":null}: messageExpression compilation failed: ')
