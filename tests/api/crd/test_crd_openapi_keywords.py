"""kctl.api.crd: OpenAPI v3 keywords, pruning and defaulting with apiextensions-apiserver's texts.

Expected texts follow kube-openapi pkg/validation/errors (`%s in body should be ...`) converted by
apiextensions' kubeOpenAPIResultToFieldErrors (Required / Unsupported value / Too long / Too many /
Invalid value), and apimachinery's field.Error rendering of unstructured values.
"""

from __future__ import annotations

import copy
import sys

import pytest

from kctl.api.crd import default, prune, validate, version_schema
from kctl.api.crd.openapi import go_float, go_json


def obj_schema(**props) -> dict:
    return {"type": "object", "properties": {"spec": {"type": "object", "properties": props}}}


def errs(spec: dict, **props) -> list[str]:
    return [str(e) for e in validate({"spec": spec}, obj_schema(**props))]


KEYWORD_CASES = [
    # type
    ("type integer, string given", {"n": {"type": "integer"}}, {"n": "x"},
     ['spec.n: Invalid value: "string": spec.n in body must be of type integer: "string"']),
    ("type string, integer given", {"s": {"type": "string"}}, {"s": 3},
     ['spec.s: Invalid value: "integer": spec.s in body must be of type string: "integer"']),
    ("type boolean, string given", {"b": {"type": "boolean"}}, {"b": "true"},
     ['spec.b: Invalid value: "string": spec.b in body must be of type boolean: "string"']),
    ("type object, array given", {"o": {"type": "object"}}, {"o": [1]},
     ['spec.o: Invalid value: "array": spec.o in body must be of type object: "array"']),
    ("type array, object given", {"a": {"type": "array", "items": {"type": "string"}}}, {"a": {}},
     ['spec.a: Invalid value: "object": spec.a in body must be of type array: "object"']),
    ("integer-valued float is an integer", {"n": {"type": "integer"}}, {"n": 3.0}, []),
    ("integer accepted for number", {"x": {"type": "number"}}, {"x": 3}, []),
    ("float for integer also fails the range check",
     {"n": {"type": "integer"}}, {"n": 1.5},
     ['spec.n: Invalid value: "number": spec.n in body must be of type integer: "number"',
      '<nil>: Invalid value: "": Checked value must be of type integer (default format) in spec.n']),
    ("null for non-nullable", {"a": {"type": "array", "items": {"type": "string"}}}, {"a": [None]},
     ['spec.a[0]: Invalid value: "null": spec.a[0] in body must be of type string: "null"']),
    ("null for nullable", {"a": {"type": "array", "items": {"type": "string", "nullable": True}}},
     {"a": [None]}, []),
    # required
    ("required", {"n": {"type": "object", "required": ["a", "b"], "properties": {
        "a": {"type": "string"}, "b": {"type": "string"}}}}, {"n": {"a": "x"}},
     ["spec.n.b: Required value"]),
    # enum
    ("enum strings", {"m": {"type": "string", "enum": ["A", "B"]}}, {"m": "C"},
     ['spec.m: Unsupported value: "C": supported values: "A", "B"']),
    ("enum numbers", {"m": {"type": "integer", "enum": [1, 2]}}, {"m": 3},
     ['spec.m: Unsupported value: 3: supported values: "1", "2"']),
    ("enum matches", {"m": {"type": "integer", "enum": [1, 2]}}, {"m": 2}, []),
    # numbers
    ("maximum", {"n": {"type": "integer", "maximum": 10}}, {"n": 11},
     ["spec.n: Invalid value: 11: spec.n in body should be less than or equal to 10"]),
    ("exclusiveMaximum", {"n": {"type": "integer", "maximum": 10, "exclusiveMaximum": True}}, {"n": 10},
     ["spec.n: Invalid value: 10: spec.n in body should be less than 10"]),
    ("minimum", {"n": {"type": "integer", "minimum": 1}}, {"n": 0},
     ["spec.n: Invalid value: 0: spec.n in body should be greater than or equal to 1"]),
    ("exclusiveMinimum", {"n": {"type": "number", "minimum": 0.5, "exclusiveMinimum": True}}, {"n": 0.5},
     ["spec.n: Invalid value: 0.5: spec.n in body should be greater than 0.5"]),
    ("float maximum uses %v", {"n": {"type": "number", "maximum": 1000000}}, {"n": 2000000.5},
     ["spec.n: Invalid value: 2.0000005e+06: spec.n in body should be less than or equal to 1e+06"]),
    ("multipleOf integer", {"n": {"type": "integer", "multipleOf": 5}}, {"n": 7},
     ["spec.n: Invalid value: 7: spec.n in body should be a multiple of 5"]),
    ("multipleOf number", {"n": {"type": "number", "multipleOf": 0.5}}, {"n": 0.7},
     ["spec.n: Invalid value: 0.7: spec.n in body should be a multiple of 0.5"]),
    ("int32 range", {"n": {"type": "integer", "format": "int32"}}, {"n": 2**31},
     ['<nil>: Invalid value: "": Checked value must be of type integer with format int32 in spec.n']),
    # strings
    ("maxLength", {"s": {"type": "string", "maxLength": 3}}, {"s": "abcd"},
     ["spec.s: Too long: may not be more than 3 bytes"]),
    ("maxLength 1", {"s": {"type": "string", "maxLength": 1}}, {"s": "ab"},
     ["spec.s: Too long: may not be more than 1 byte"]),
    ("maxLength counts runes", {"s": {"type": "string", "maxLength": 2}}, {"s": "éé"}, []),
    ("minLength", {"s": {"type": "string", "minLength": 2}}, {"s": "a"},
     ['spec.s: Invalid value: "a": spec.s in body should be at least 2 chars long']),
    ("pattern", {"s": {"type": "string", "pattern": "^[a-z]+$"}}, {"s": "A1"},
     ["spec.s: Invalid value: \"A1\": spec.s in body should match '^[a-z]+$'"]),
    ("pattern is a search", {"s": {"type": "string", "pattern": "[0-9]"}}, {"s": "a1b"}, []),
    ("string validator stops at the first failure",
     {"s": {"type": "string", "maxLength": 1, "pattern": "^x$"}}, {"s": "ab"},
     ["spec.s: Too long: may not be more than 1 byte"]),
    # formats
    ("date-time", {"t": {"type": "string", "format": "date-time"}}, {"t": "yesterday"},
     ['spec.t: Invalid value: "yesterday": spec.t in body must be of type date-time: "yesterday"']),
    ("date-time ok", {"t": {"type": "string", "format": "date-time"}}, {"t": "2024-02-29T10:00:00Z"}, []),
    ("date", {"t": {"type": "string", "format": "date"}}, {"t": "2023-02-29"},
     ['spec.t: Invalid value: "2023-02-29": spec.t in body must be of type date: "2023-02-29"']),
    ("uuid", {"u": {"type": "string", "format": "uuid"}}, {"u": "nope"},
     ['spec.u: Invalid value: "nope": spec.u in body must be of type uuid: "nope"']),
    ("uuid ok", {"u": {"type": "string", "format": "uuid"}}, {"u": "6BA7B810-9DAD-11D1-80B4-00C04FD430C8"}, []),
    ("byte", {"b": {"type": "string", "format": "byte"}}, {"b": "!!"},
     ['spec.b: Invalid value: "!!": spec.b in body must be of type byte: "!!"']),
    ("ipv4", {"i": {"type": "string", "format": "ipv4"}}, {"i": "1.2.3.256"},
     ['spec.i: Invalid value: "1.2.3.256": spec.i in body must be of type ipv4: "1.2.3.256"']),
    ("unknown format is stripped", {"s": {"type": "string", "format": "fancy"}}, {"s": "x"}, []),
    ("k8s-short-name", {"s": {"type": "string", "format": "k8s-short-name"}}, {"s": "Bad_Name"},
     ['spec.s: Invalid value: "Bad_Name": spec.s in body must be of type k8s-short-name: "Bad_Name"']),
    # arrays
    ("maxItems", {"a": {"type": "array", "maxItems": 2, "items": {"type": "integer"}}}, {"a": [1, 2, 3]},
     ["spec.a: Too many: 3: must have at most 2 items"]),
    ("minItems", {"a": {"type": "array", "minItems": 2, "items": {"type": "integer"}}}, {"a": [1]},
     ["spec.a: Invalid value: 1: spec.a in body should have at least 2 items"]),
    ("uniqueItems", {"a": {"type": "array", "uniqueItems": True, "items": {"type": "integer"}}},
     {"a": [1, 2, 1]}, ['spec.a: Invalid value: "": spec.a in body shouldn\'t contain duplicates']),
    ("items paths", {"a": {"type": "array", "items": {"type": "object", "properties": {
        "n": {"type": "integer", "maximum": 1}}}}}, {"a": [{"n": 1}, {"n": 2}]},
     ["spec.a[1].n: Invalid value: 2: spec.a[1].n in body should be less than or equal to 1"]),
    # objects
    ("maxProperties", {"o": {"type": "object", "maxProperties": 1, "additionalProperties": {"type": "string"}}},
     {"o": {"a": "1", "b": "2"}}, ["spec.o: Too many: 2: must have at most 1 item"]),
    ("minProperties", {"o": {"type": "object", "minProperties": 2, "additionalProperties": {"type": "string"}}},
     {"o": {"a": "1"}}, ["spec.o: Invalid value: 1: spec.o in body should have at least 2 properties"]),
    ("additionalProperties schema", {"o": {"type": "object", "additionalProperties": {"type": "integer"}}},
     {"o": {"a.b/c": "x"}},
     ['spec.o.a.b/c: Invalid value: "string": spec.o.a.b/c in body must be of type integer: "string"']),
    # composition
    ("anyOf none", {"x": {"type": "object", "anyOf": [{"required": ["a"]}, {"required": ["b"]}],
                          "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}}, {"x": {}},
     ['<nil>: Invalid value: "": "spec.x" must validate at least one schema (anyOf)', "spec.x.a: Required value"]),
    ("anyOf one", {"x": {"type": "object", "anyOf": [{"required": ["a"]}, {"required": ["b"]}],
                         "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}}, {"x": {"b": "1"}}, []),
    ("oneOf two", {"x": {"type": "object", "oneOf": [{"required": ["a"]}, {"required": ["b"]}],
                         "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}}, {"x": {"a": "1", "b": "2"}},
     ['<nil>: Invalid value: "": "spec.x" must validate one and only one schema (oneOf). '
      "Found 2 valid alternatives"]),
    ("allOf", {"n": {"type": "integer", "allOf": [{"minimum": 1}, {"maximum": 5}]}}, {"n": 9},
     ["spec.n: Invalid value: 9: spec.n in body should be less than or equal to 5",
      '<nil>: Invalid value: "": "spec.n" must validate all the schemas (allOf)']),
    ("not", {"s": {"type": "string", "not": {"enum": ["forbidden"]}}}, {"s": "forbidden"},
     ['<nil>: Invalid value: "": "spec.s" must not validate the schema (not)']),
    # int-or-string
    ("int-or-string int", {"p": {"x-kubernetes-int-or-string": True}}, {"p": 8080}, []),
    ("int-or-string string", {"p": {"x-kubernetes-int-or-string": True}}, {"p": "http"}, []),
    ("int-or-string bool", {"p": {"x-kubernetes-int-or-string": True}}, {"p": True},
     ['spec.p: Invalid value: "boolean": spec.p in body must be of type integer,string: "boolean"']),
    ("int-or-string with anyOf pattern", {"p": {"x-kubernetes-int-or-string": True, "anyOf": [
        {"type": "integer"}, {"type": "string"}], "pattern": "^[0-9]+%$"}}, {"p": "10"},
     ["spec.p: Invalid value: \"10\": spec.p in body should match '^[0-9]+%$'"]),
    # list types (reported after the OpenAPI errors, as the CR strategy does)
    ("list-type set", {"t": {"type": "array", "x-kubernetes-list-type": "set", "items": {"type": "string"}}},
     {"t": ["a", "b", "a", "a"]}, ['spec.t[2]: Duplicate value: "a"']),
    ("list-type map", {"p": {"type": "array", "x-kubernetes-list-type": "map",
                             "x-kubernetes-list-map-keys": ["name"], "items": {
                                 "type": "object", "properties": {"name": {"type": "string"}}}}},
     {"p": [{"name": "a"}, {"name": "b"}, {"name": "a"}]}, ['spec.p[2]: Duplicate value: {"name":"a"}']),
    ("list-type map two keys", {"p": {"type": "array", "x-kubernetes-list-type": "map",
                                      "x-kubernetes-list-map-keys": ["port", "protocol"], "items": {
                                          "type": "object", "properties": {"port": {"type": "integer"},
                                                                           "protocol": {"type": "string"}}}}},
     {"p": [{"port": 80, "protocol": "TCP"}, {"port": 80, "protocol": "UDP"}, {"port": 80, "protocol": "TCP"}]},
     ['spec.p[2]: Duplicate value: {"port":80,"protocol":"TCP"}']),
    ("list-type map non-object item", {"p": {"type": "array", "x-kubernetes-list-type": "map",
                                             "x-kubernetes-list-map-keys": ["name"],
                                             "items": {"x-kubernetes-preserve-unknown-fields": True}}},
     {"p": [{"name": "a"}, "x"]},
     ['spec.p[1]: Invalid value: "x": must be an object for an array of list-type map']),
    ("list-type set under additionalProperties", {"m": {"type": "object", "additionalProperties": {
        "type": "array", "x-kubernetes-list-type": "set", "items": {"type": "integer"}}}},
     {"m": {"k": [1, 1]}}, ["spec.m[k][1]: Duplicate value: 1"]),
]


@pytest.mark.parametrize("props,spec,expected", [c[1:] for c in KEYWORD_CASES], ids=[c[0] for c in KEYWORD_CASES])
def test_keyword(props, spec, expected):
    assert errs(spec, **props) == expected


def test_root_required_and_type():
    schema = {"type": "object", "required": ["spec"], "properties": {"spec": {"type": "object"}}}
    assert [str(e) for e in validate({"apiVersion": "v", "kind": "K"}, schema)] == ["spec: Required value"]


def test_error_values_are_the_raw_values():
    (e,) = validate({"spec": {"n": 11}}, obj_schema(n={"type": "integer", "maximum": 10}))
    assert (e.type, e.field, e.value) == ("Invalid value", "spec.n", 11)


@pytest.mark.parametrize("value,expected", [
    (10.0, "10"), (1.5, "1.5"), (1e6, "1e+06"), (999999.0, "999999"), (1234567.0, "1.234567e+06"),
    (0.0001, "0.0001"), (1e-05, "1e-05"), (-2.5, "-2.5"), (2147483647.0, "2.147483647e+09"),
])
def test_go_float(value, expected):
    assert go_float(value) == expected


def test_go_json_matches_encoding_json():
    assert go_json({"b": [1, 2.5, None, True], "a": "<&>"}) == '{"a":"\\u003c\\u0026\\u003e","b":[1,2.5,null,true]}'


# ---------------------------------------------------------------------------------------------
# prune

PRUNE_SCHEMA = {
    "type": "object",
    "properties": {
        "spec": {"type": "object", "properties": {
            "keep": {"type": "string"},
            "items": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}}}},
            "labels": {"type": "object", "additionalProperties": {"type": "string"}},
            "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": True,
                     "properties": {"typed": {"type": "object", "properties": {"a": {"type": "string"}}}}},
            "template": {"type": "object", "x-kubernetes-embedded-resource": True,
                         "properties": {"spec": {"type": "object", "properties": {"x": {"type": "string"}}}}},
        }},
    },
}


def test_prune_removes_unknown_fields_in_sorted_order():
    obj = {
        "apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w", "whatever": 1},
        "spec": {
            "zzz": 1, "keep": "k", "foo": {"bar": 1},
            "items": [{"name": "a", "bar": 2}, {"baz": 3}],
            "labels": {"a": "b"},
            "free": {"anything": {"goes": 1}, "typed": {"a": "x", "b": "pruned"}},
            "template": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                         "spec": {"x": "1", "y": "2"}, "status": {}},
        },
        "status": {"phase": "x"},
    }
    removed = prune(obj, PRUNE_SCHEMA)
    assert removed == [
        "spec.foo", "spec.free.typed.b", "spec.items[0].bar", "spec.items[1].baz",
        "spec.template.spec.y", "spec.template.status", "spec.zzz", "status",
    ]
    assert obj == {
        "apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w", "whatever": 1},
        "spec": {
            "keep": "k", "items": [{"name": "a"}, {}], "labels": {"a": "b"},
            "free": {"anything": {"goes": 1}, "typed": {"a": "x"}},
            "template": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"x": "1"}},
        },
    }


def test_prune_nested_meta_fields_are_pruned_outside_embedded_resources():
    obj = {"spec": {"kind": "x", "keep": "y"}}
    assert prune(obj, PRUNE_SCHEMA) == ["spec.kind"]


def test_prune_without_schema_keeps_only_type_meta():
    obj = {"apiVersion": "a/v1", "kind": "K", "metadata": {}, "spec": {}}
    assert prune(obj, {}) == ["spec"]


# ---------------------------------------------------------------------------------------------
# default

DEFAULT_SCHEMA = {
    "type": "object",
    "properties": {
        "spec": {"type": "object", "default": {}, "properties": {
            "replicas": {"type": "integer", "default": 1},
            "mode": {"type": "string", "default": "auto"},
            "opt": {"type": "string"},
            "maybe": {"type": "string", "nullable": True, "default": "d"},
            "ports": {"type": "array", "items": {"type": "object", "default": {"protocol": "TCP"},
                                                 "properties": {"port": {"type": "integer"},
                                                                "protocol": {"type": "string", "default": "TCP"}}}},
            "byName": {"type": "object", "additionalProperties": {
                "type": "object", "properties": {"weight": {"type": "integer", "default": 10}}}},
        }},
    },
}


def test_default_fills_absent_fields_recursively():
    obj = {"spec": {"ports": [{"port": 80}, {"port": 53, "protocol": "UDP"}, None], "byName": {"a": {}}}}
    default(obj, DEFAULT_SCHEMA)
    assert obj == {"spec": {
        "replicas": 1, "mode": "auto",
        "ports": [{"port": 80, "protocol": "TCP"}, {"port": 53, "protocol": "UDP"}, {"protocol": "TCP"}],
        "byName": {"a": {"weight": 10}}, "maybe": "d",
    }}


def test_default_creates_defaulted_parent():
    obj: dict = {}
    default(obj, DEFAULT_SCHEMA)
    assert obj == {"spec": {"replicas": 1, "mode": "auto", "maybe": "d"}}


def test_default_null_handling():
    obj = {"spec": {"replicas": None, "opt": None, "maybe": None}}
    default(obj, DEFAULT_SCHEMA)
    # non-nullable null with a default -> default; without -> dropped; nullable null stays
    assert obj["spec"]["replicas"] == 1
    assert "opt" not in obj["spec"]
    assert obj["spec"]["maybe"] is None


def test_default_values_are_copies():
    a: dict = {"spec": {"ports": [None]}}
    b: dict = {"spec": {"ports": [None]}}
    default(a, DEFAULT_SCHEMA)
    default(b, DEFAULT_SCHEMA)
    a["spec"]["ports"][0]["protocol"] = "SCTP"
    assert b["spec"]["ports"][0]["protocol"] == "TCP"


# ---------------------------------------------------------------------------------------------
# version_schema, caching, import cost

CRD = {
    "spec": {"versions": [
        {"name": "v1", "schema": {"openAPIV3Schema": {"type": "object", "x-marker": 1}}},
        {"name": "v2"},
    ]},
}


@pytest.mark.parametrize("version,expected", [
    ("v1", {"type": "object", "x-marker": 1}), ("v2", None), ("v3", None),
])
def test_version_schema(version, expected):
    assert version_schema(CRD, version) == expected


def test_validate_does_not_import_cel_without_rules():
    import subprocess

    code = ("import sys; from kctl.api.crd import validate; "
            "validate({'spec': {'a': 1}}, {'type': 'object', 'properties': {'spec': {'type': 'object'}}}); "
            "print('celpy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_validate_leaves_object_untouched():
    obj = {"spec": {"n": [1, 2]}}
    before = copy.deepcopy(obj)
    validate(obj, obj_schema(n={"type": "array", "items": {"type": "integer"}}))
    assert obj == before


# ---------------------------------------------------------------------------------------------
# ratcheting (CRDValidationRatcheting, GA): on update, unchanged values keep old errors quiet

RATCHET_SCHEMA = obj_schema(
    a={"type": "integer", "maximum": 5},
    b={"type": "integer", "maximum": 5},
    ports={"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"],
           "items": {"type": "object", "properties": {"name": {"type": "string"},
                                                       "port": {"type": "integer", "maximum": 100}}}},
    tags={"type": "array", "maxItems": 1, "items": {"type": "string"}},
)


@pytest.mark.parametrize("new,old,expected", [
    ({"a": 9, "b": 1}, {"a": 9, "b": 2}, []),
    ({"a": 9, "b": 9}, {"a": 9, "b": 2}, ["spec.b: Invalid value: 9: spec.b in body should be less than or equal to 5"]),
    ({"a": 9}, {"a": 8}, ["spec.a: Invalid value: 9: spec.a in body should be less than or equal to 5"]),
    ({"ports": [{"name": "y", "port": 1}, {"name": "x", "port": 999}]}, {"ports": [{"name": "x", "port": 999}]}, []),
    ({"ports": [{"name": "x", "port": 998}]}, {"ports": [{"name": "x", "port": 999}]},
     ["spec.ports[0].port: Invalid value: 998: spec.ports[0].port in body should be less than or equal to 100"]),
    ({"tags": ["a", "b"], "a": 1}, {"tags": ["a", "b"]}, []),
    ({"tags": ["b", "a"]}, {"tags": ["a", "b"]}, ["spec.tags: Too many: 2: must have at most 1 item"]),
])
def test_ratcheting(new, old, expected):
    assert [str(e) for e in validate({"spec": new}, RATCHET_SCHEMA, {"spec": old})] == expected


def test_without_old_nothing_is_ratcheted():
    assert [str(e) for e in validate({"spec": {"a": 9}}, RATCHET_SCHEMA)] == [
        "spec.a: Invalid value: 9: spec.a in body should be less than or equal to 5"]


def test_list_type_errors_ignored_when_old_already_had_them():
    s = obj_schema(t={"type": "array", "x-kubernetes-list-type": "set", "items": {"type": "string"}})
    assert validate({"spec": {"t": ["a", "a", "b"]}}, s, {"spec": {"t": ["a", "a"]}}) == []
    assert [str(e) for e in validate({"spec": {"t": ["a", "a"]}}, s, {"spec": {"t": ["a"]}})] == [
        'spec.t[1]: Duplicate value: "a"']


def test_embedded_resources_need_type_meta_and_valid_metadata():
    s = obj_schema(t={"type": "object", "x-kubernetes-embedded-resource": True,
                      "x-kubernetes-preserve-unknown-fields": True})
    assert [str(e) for e in validate({"spec": {"t": {"kind": "Pod", "metadata": {"name": "a/b"}}}}, s)] == [
        "spec.t.apiVersion: Required value",
        "spec.t.metadata.name: Invalid value: \"a/b\": may not contain '/'",
    ]
    assert validate({"spec": {"t": {"apiVersion": "v1", "kind": "Pod", "metadata": {}}}}, s) == []
