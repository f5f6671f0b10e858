"""x-kubernetes-validations through cel-python, with apiextensions' schema/cel error texts."""

from __future__ import annotations

import pytest

from kctl.api.crd import validate


def schema(rules: list[dict], **props) -> dict:
    return {"type": "object", "properties": {"spec": {
        "type": "object", "x-kubernetes-validations": rules, "properties": props or {
            "min": {"type": "integer"}, "max": {"type": "integer"}, "name": {"type": "string"},
            "ratio": {"type": "number"}, "tags": {"type": "array", "items": {"type": "string"}},
            "labels": {"type": "object", "additionalProperties": {"type": "string"}},
        }}}}


def run(rules: list[dict], spec: dict, old: dict | None = None) -> list[str]:
    return [str(e) for e in validate({"spec": spec}, schema(rules), None if old is None else {"spec": old})]


CASES = [
    ("passes", [{"rule": "self.min <= self.max"}], {"min": 1, "max": 2}, []),
    ("default message on objects omits the value",
     [{"rule": "self.min <= self.max"}], {"min": 3, "max": 2},
     ["spec: Invalid value: failed rule: self.min <= self.max"]),
    ("message", [{"rule": "self.min <= self.max", "message": " min must not exceed max "}],
     {"min": 3, "max": 2}, ["spec: Invalid value: min must not exceed max"]),
    ("messageExpression", [{"rule": "self.min <= self.max",
                            "messageExpression": "'min ' + string(self.min) + ' > max ' + string(self.max)"}],
     {"min": 3, "max": 2}, ["spec: Invalid value: min 3 > max 2"]),
    ("failing messageExpression falls back to message",
     [{"rule": "self.min <= self.max", "message": "bad range", "messageExpression": "self.nope"}],
     {"min": 3, "max": 2}, ["spec: Invalid value: bad range"]),
    ("fieldPath", [{"rule": "self.min <= self.max", "fieldPath": ".max", "message": "too small"}],
     {"min": 3, "max": 2}, ["spec.max: Invalid value: too small"]),
    ("reason Forbidden", [{"rule": "!has(self.name)", "reason": "FieldValueForbidden", "message": "no names"}],
     {"name": "x"}, ["spec: Forbidden: no names"]),
    ("reason Required", [{"rule": "has(self.name)", "reason": "FieldValueRequired", "message": "name please"}],
     {}, ["spec: Required value: name please"]),
    ("reason Duplicate", [{"rule": "false", "reason": "FieldValueDuplicate"}], {}, ["spec: Duplicate value"]),
    ("size and all", [{"rule": "size(self.tags) <= 2 && self.tags.all(t, t.startsWith('a'))"}],
     {"tags": ["ab", "ac"]}, []),
    ("exists", [{"rule": "self.tags.exists(t, t == 'x')"}], {"tags": ["a"]},
     ["spec: Invalid value: failed rule: self.tags.exists(t, t == 'x')"]),
    ("matches endsWith contains", [{"rule": "self.name.matches('^[a-z]+$') && self.name.endsWith('z') && "
                                            "self.name.contains('y')"}], {"name": "xyz"}, []),
    ("map keys", [{"rule": "self.labels.all(k, k.size() < 4)"}], {"labels": {"long-key": "v"}},
     ["spec: Invalid value: failed rule: self.labels.all(k, k.size() < 4)"]),
    ("isSorted", [{"rule": "self.tags.isSorted()"}], {"tags": ["b", "a"]},
     ["spec: Invalid value: failed rule: self.tags.isSorted()"]),
    ("number stays double", [{"rule": "self.ratio == 1.0"}], {"ratio": 1}, []),
    ("missing key", [{"rule": "self.name == 'a'"}], {},
     ['spec: Invalid value: "object": no such key: name evaluating rule: self.name == \'a\'']),
    # cel-go's || and &&: the first erroring operand decides unless the other short-circuits
    # (Gateway API's listener TLS rule with neither certificateRefs nor options set)
    ("|| of two errors is the first error", [{"rule": "size(self.tags) > 0 || size(self.labels) > 0",
                                              "message": "tags or labels"}], {},
     ['spec: Invalid value: "object": no such key: tags evaluating rule: tags or labels']),
    ("&& of two errors is the first error", [{"rule": "self.min > 0 && self.max > 0"}], {},
     ['spec: Invalid value: "object": no such key: min evaluating rule: self.min > 0 && self.max > 0']),
    ("|| true wins over an error", [{"rule": "self.min > 0 || true"}], {}, []),
    ("&& false wins over an error", [{"rule": "self.min > 0 && false", "message": "never"}], {},
     ["spec: Invalid value: never"]),
    # duration() parses as Go's time.ParseDuration does (Istio: duration(self) >= duration('1ms'))
    ("duration with a day unit", [{"rule": "duration(self.name) >= duration('1ms')", "message": "bad"}],
     {"name": "1d"},
     ['spec: Invalid value: "object": type conversion error from \'string\' to '
      '\'google.protobuf.Duration\' evaluating rule: bad']),
    ("duration with words", [{"rule": "duration(self.name) >= duration('1ms')", "message": "bad"}],
     {"name": "10 seconds"},
     ['spec: Invalid value: "object": type conversion error from \'string\' to '
      '\'google.protobuf.Duration\' evaluating rule: bad']),
    ("duration micro sign", [{"rule": "duration(self.name) == duration('1us')"}], {"name": "1\u00b5s"}, []),
    ("duration bare zero", [{"rule": "duration(self.name) == duration('0s')"}], {"name": "0"}, []),
    ("duration compound", [{"rule": "duration(self.name) == duration('5400s')"}], {"name": "1h30m"}, []),
    ("division by zero", [{"rule": "1 / self.min == 1"}], {"min": 0},
     ['spec: Invalid value: "object": division by zero evaluating rule: 1 / self.min == 1']),
    # position and wording come from cel-python, not cel-go
    ("compile error", [{"rule": "self.min <"}], {"min": 1},
     ['spec: Invalid value: "object": rule compile error: compilation failed: ERROR: <input>:1:10: '
      "Syntax error: self.min <"]),
    ("transition rule skipped on create", [{"rule": "self.name == oldSelf.name", "message": "immutable"}],
     {"name": "a"}, []),
]


@pytest.mark.parametrize("rules,spec,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rule(rules, spec, expected):
    assert run(rules, spec) == expected


def test_transition_rule_with_old():
    rules = [{"rule": "self.name == oldSelf.name", "message": "name is immutable"}]
    assert run(rules, {"name": "a"}, old={"name": "b"}) == ["spec: Invalid value: name is immutable"]
    assert run(rules, {"name": "a"}, old={"name": "a"}) == []


def test_scalar_rule_shows_the_value():
    s = {"type": "object", "properties": {"spec": {"type": "object", "properties": {
        "n": {"type": "integer", "x-kubernetes-validations": [{"rule": "self % 2 == 0"}]},
        "s": {"type": "string", "x-kubernetes-validations": [{"rule": "self != 'bad'", "message": "no"}]}}}}}
    assert [str(e) for e in validate({"spec": {"n": 3, "s": "bad"}}, s)] == [
        "spec.n: Invalid value: 3: failed rule: self % 2 == 0",
        'spec.s: Invalid value: "bad": no',
    ]


def test_root_rule_path_is_nil_and_items_and_map_values_are_walked():
    s = {"type": "object", "x-kubernetes-validations": [{"rule": "has(self.spec)", "message": "spec required"}],
         "properties": {"spec": {"type": "object", "properties": {
             "items": {"type": "array", "items": {"type": "string",
                                                  "x-kubernetes-validations": [{"rule": "self.size() > 1"}]}},
             "m": {"type": "object", "additionalProperties": {
                 "type": "integer", "x-kubernetes-validations": [{"rule": "self > 0"}]}}}}}}
    assert [str(e) for e in validate({"kind": "K"}, s)] == ["<nil>: Invalid value: spec required"]
    assert [str(e) for e in validate({"spec": {"items": ["ab", "c"], "m": {"a": 0}}}, s)] == [
        'spec.items[1]: Invalid value: "c": failed rule: self.size() > 1',
        "spec.m[a]: Invalid value: 0: failed rule: self > 0",
    ]


def test_list_map_items_correlate_with_old_by_key():
    s = {"type": "object", "properties": {"spec": {"type": "object", "properties": {"ports": {
        "type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"],
        "items": {"type": "object", "x-kubernetes-validations": [
            {"rule": "self.port == oldSelf.port", "message": "port is immutable"}],
            "properties": {"name": {"type": "string"}, "port": {"type": "integer"}}}}}}}}
    new = {"spec": {"ports": [{"name": "b", "port": 2}, {"name": "a", "port": 9}, {"name": "c", "port": 3}]}}
    old = {"spec": {"ports": [{"name": "a", "port": 1}, {"name": "b", "port": 2}]}}
    assert [str(e) for e in validate(new, s, old)] == ["spec.ports[1]: Invalid value: port is immutable"]


def test_blocking_openapi_error_skips_rules():
    s = schema([{"rule": "self.min <= self.max"}], min={"type": "integer"}, max={"type": "integer"})
    assert [str(e) for e in validate({"spec": {"min": "x", "max": 1}}, s)] == [
        'spec.min: Invalid value: "string": spec.min in body must be of type integer: "string"',
        "<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; "
        "correct the existing errors to complete validation",
    ]


def test_non_blocking_openapi_error_still_runs_rules():
    s = schema([{"rule": "self.min <= self.max"}], min={"type": "integer", "minimum": 0}, max={"type": "integer"})
    assert [str(e) for e in validate({"spec": {"min": -1, "max": -2}}, s)] == [
        "spec.min: Invalid value: -1: spec.min in body should be greater than or equal to 0",
        "spec: Invalid value: failed rule: self.min <= self.max",
    ]


def test_failing_rule_on_unchanged_value_is_ratcheted():
    s = {"type": "object", "properties": {"spec": {"type": "object", "properties": {
        "a": {"type": "string", "x-kubernetes-validations": [{"rule": "self.startsWith('x')"}]},
        "b": {"type": "string"}}}}}
    assert validate({"spec": {"a": "bad", "b": "new"}}, s, {"spec": {"a": "bad", "b": "old"}}) == []
    assert [str(e) for e in validate({"spec": {"a": "bad2"}}, s, {"spec": {"a": "bad"}})] == [
        "spec.a: Invalid value: \"bad2\": failed rule: self.startsWith('x')"]


def one(rule: str, value, typ: str = "string") -> list[str]:
    prop: dict = {"type": typ, "x-kubernetes-validations": [{"rule": rule}]}
    if typ == "array":
        prop["items"] = {"type": "string"}
    s = {"type": "object", "properties": {"spec": {"type": "object", "properties": {"v": prop}}}}
    return [str(e) for e in validate({"spec": {"v": value}}, s)]


LIBRARY = [
    ("isIP(self)", "10.0.0.1", "string", True),
    ("isIP(self)", "10.0.0", "string", False),
    ("self.all(h, !isIP(h))", ["example.com", "::1"], "array", False),  # Gateway API hostnames
    ("isCIDR(self)", "10.0.0.0/8", "string", True),
    ("isURL(self)", "https://example.com/x", "string", True),
    ("isQuantity(self)", "1.5Gi", "string", True),
    ("isQuantity(self)", "1.5 Gi", "string", False),
    ("quantity(self).isLessThan(quantity('2Gi'))", "1Gi", "string", True),
    ("quantity(self).compareTo(quantity('1024Mi')) == 0", "1Gi", "string", True),
    ("format.dns1123Label().validate(self) == null", "web-1", "string", True),
    ("format.dns1123Label().validate(self) == null", "Web_1", "string", False),
    ("sets.contains(self, ['a'])", ["a", "b"], "array", True),
    ("sets.equivalent(self, ['b', 'a'])", ["a", "b"], "array", True),
    ("sets.intersects(self, ['z'])", ["a", "b"], "array", False),
    ("self.find('[0-9]+') == '12'", "ab12c34", "string", True),
    ("self.findAll('[0-9]+') == ['12', '34']", "ab12c34", "string", True),
    ("self.lowerAscii() == 'abc' && self.upperAscii() == 'ABC'", "aBc", "string", True),
    ("self.split('.').size() == 3 && self.indexOf('.') == 1", "a.b.c", "string", True),
    ("self.replace('-', '') == 'ab' && self.substring(1) == '-b'", "a-b", "string", True),
    ("self.isSorted() && self.join(',') == 'a,b'", ["a", "b"], "array", True),
    ("'%s-%d'.format([self, 3]) == 'x-3'", "x", "string", True),
]


@pytest.mark.parametrize("rule,value,typ,ok", LIBRARY, ids=[c[0] for c in LIBRARY])
def test_kubernetes_library(rule, value, typ, ok):
    got = one(rule, value, typ)
    assert (got == []) is ok, got


def test_property_names_are_escaped_like_kubernetes():
    s = {"type": "object", "properties": {"spec": {"type": "object", "x-kubernetes-validations": [
        {"rule": "self.__namespace__ == 'a' && self.max__dash__surge == 1 && self.labels['x-y'] == 'z'"}],
        "properties": {"namespace": {"type": "string"}, "max-surge": {"type": "integer"},
                       "labels": {"type": "object", "additionalProperties": {"type": "string"}}}}}}
    assert validate({"spec": {"namespace": "a", "max-surge": 1, "labels": {"x-y": "z"}}}, s) == []
    assert len(validate({"spec": {"namespace": "b", "max-surge": 1, "labels": {"x-y": "z"}}}, s)) == 1



def test_field_path_is_normalised_against_the_schema():
    s = {"type": "object", "properties": {"spec": {"type": "object", "x-kubernetes-validations": [
        {"rule": "self.m.all(k, self.m[k].n > 0)", "fieldPath": ".m['a.b'].n", "message": "positive"}],
        "properties": {"m": {"type": "object", "additionalProperties": {
            "type": "object", "properties": {"n": {"type": "integer"}}}}}}}}
    assert [str(e) for e in validate({"spec": {"m": {"a.b": {"n": 0}}}}, s)] == [
        "spec.m[a.b].n: Invalid value: positive"]
