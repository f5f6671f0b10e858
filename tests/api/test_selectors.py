"""kctl.api.selectors: label selector parse/match/print and field selectors, with upstream texts."""

from __future__ import annotations

import pytest

from kctl.api.selectors import (
    SelectorError,
    field_value,
    from_label_selector_spec,
    invalid_selector_message,
    parse_field_selector,
    parse_label_selector,
    selector_from_set,
    selector_string,
    unable_to_find_message,
)

KEY_REGEX_MSG = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)
VALUE_REGEX_MSG = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for "
    "validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)


@pytest.mark.parametrize(
    "s,printed",
    [
        ("app=web", "app=web"),
        ("app==web", "app==web"),
        ("app!=web", "app!=web"),
        ("tier in (b, a)", "tier in (a,b)"),
        ("tier notin (a)", "tier notin (a)"),
        ("app", "app"),
        ("!canary", "!canary"),
        ("z=1,a=2", "a=2,z=1"),
        ("app.kubernetes.io/name=web,!x", "app.kubernetes.io/name=web,!x"),
        ("a notin ()", "a notin ()"),
        ("a in (,)", "a in ()"),
        ("a==", "a=="),
        ("a>1", "a>1"),
        ("x in (in, notin),in", "in,x in (in,notin)"),
        ("", ""),
        ("  app = web ", "app=web"),
    ],
)
def test_parse_and_print(s, printed):
    assert str(parse_label_selector(s)) == printed


# texts checked against kubectl 1.37 (`kubectl get -f x.yaml -l '<s>'`)
@pytest.mark.parametrize(
    "s,message",
    [
        ("a in (x", "unable to parse requirement: found '', expected: ',' or ')'"),
        ("a=b,", "found '', expected: identifier after ','"),
        ("a in x", "unable to parse requirement: found 'x' expected: '('"),
        ("=b", "found '=', expected: !, identifier, or 'end of string'"),
        ("a=b c", "found 'c', expected: ',' or 'end of string'"),
        ("a,,b", "found ',', expected: identifier after ','"),
        ("a>x", "unable to parse requirement: values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, the value must be an integer"),
        ("a=b!", "found '!', expected: ',' or 'end of string'"),
        ("a=-x", f'unable to parse requirement: values[0][a]: Invalid value: "-x": {VALUE_REGEX_MSG}'),
        ("a=" + "v" * 64, f'unable to parse requirement: values[0][a]: Invalid value: "{"v" * 64}": must be no more than 63 bytes'),
        ("a!", "unable to parse requirement: found '!', expected: in, notin, =, ==, !=, gt, lt"),
        ("a in (x y)", "unable to parse requirement: found 'y', expected: ',' or ')'"),
        ("a <= b", "unable to parse requirement: found '=', expected: identifier"),
        ("a=(b)", "unable to parse requirement: found '(', expected: identifier"),
        ("!", "unable to parse requirement: found '', expected: identifier"),
        ("!a=b", "found '=', expected: ',' or 'end of string'"),
        ("foo$=bar", f'unable to parse requirement: <nil>: Invalid value: "foo$": {KEY_REGEX_MSG}'),
    ],
)
def test_parse_errors(s, message):
    with pytest.raises(SelectorError) as ei:
        parse_label_selector(s)
    assert str(ei.value) == message


def test_kubectl_wrapping():
    try:
        parse_label_selector("a=b,")
    except SelectorError as e:
        assert invalid_selector_message("a=b,", e) == (
            "the provided selector \"a=b,\" is not valid: found '', expected: identifier after ','"
        )


LABELS = {"app": "web", "tier": "front", "n": "5"}


@pytest.mark.parametrize(
    "s,matches",
    [
        ("app=web", True),
        ("app=db", False),
        ("app!=db", True),
        ("missing!=x", True),
        ("tier in (front,back)", True),
        ("tier notin (front)", False),
        ("missing notin (x)", True),
        ("missing in (x)", False),
        ("app", True),
        ("missing", False),
        ("!missing", True),
        ("!app", False),
        ("app=web,tier=back", False),
        ("n>4", True),
        ("n<5", False),
        ("app>1", False),
        ("", True),
    ],
)
def test_matches(s, matches):
    assert parse_label_selector(s).matches(LABELS) is matches


@pytest.mark.parametrize(
    "spec,printed,matches",
    [
        (None, "", False),
        ({}, "", True),
        ({"matchLabels": {}}, "", True),
        ({"matchLabels": {"app": "web"}}, "app=web", True),
        (
            {"matchLabels": {"app": "web"}, "matchExpressions": [{"key": "tier", "operator": "In", "values": ["b", "a"]}]},
            "app=web,tier in (a,b)",
            False,
        ),
        ({"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["back"]}]}, "tier notin (back)", True),
        ({"matchExpressions": [{"key": "app", "operator": "Exists"}]}, "app", True),
        ({"matchExpressions": [{"key": "app", "operator": "DoesNotExist"}]}, "!app", False),
    ],
    ids=["nil-nothing", "empty-everything", "empty-matchLabels", "matchLabels", "mixed", "notin", "exists", "doesnotexist"],
)
def test_from_spec(spec, printed, matches):
    assert selector_string(spec) == printed
    assert from_label_selector_spec(spec).matches(LABELS) is matches


@pytest.mark.parametrize(
    "spec,message",
    [
        ({"matchExpressions": [{"key": "a", "operator": "Is"}]}, '"Is" is not a valid label selector operator'),
        ({"matchExpressions": [{"key": "a", "operator": "In", "values": []}]},
         "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty"),
        ({"matchExpressions": [{"key": "a", "operator": "Exists", "values": ["x"]}]},
         'values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist'),
    ],
    ids=["bad-operator", "in-empty", "exists-with-values"],
)
def test_from_spec_errors(spec, message):
    with pytest.raises(SelectorError) as ei:
        from_label_selector_spec(spec)
    assert str(ei.value) == message


def test_selector_from_set():
    assert str(selector_from_set({"b": "2", "a": "1"})) == "a=1,b=2"
    assert selector_from_set({}).matches({"x": "y"})


POD = {
    "kind": "Pod",
    "metadata": {"name": "web-1", "namespace": "shop"},
    "spec": {"nodeName": "n1", "restartPolicy": "Always"},
    "status": {"phase": "Running", "podIP": "10.244.0.5"},
}


@pytest.mark.parametrize(
    "s,matches",
    [
        ("spec.nodeName=n1", True),
        ("spec.nodeName==n2", False),
        ("spec.nodeName!=n2", True),
        ("status.phase=Running,metadata.namespace=shop", True),
        ("status.phase!=Running", False),
        ("spec.hostNetwork=false", True),
        ("status.nominatedNodeName=", True),
        ("metadata.name=web-1,", True),
        ("", True),
    ],
)
def test_field_selector_pods(s, matches):
    assert parse_field_selector(s, kind="Pod").matches(POD) is matches


@pytest.mark.parametrize(
    "s,kind,message",
    [
        ("spec.foo=x", "Pod", "field label not supported: spec.foo"),
        ("metadata.namespace=x", "Node", "field label not supported: metadata.namespace"),
        ("status.phase=Active", "ConfigMap", "field label not supported: status.phase"),
        ("a", "Pod", "invalid selector: 'a'; can't understand 'a'"),
        ("metadata.name=a\\b", "Pod", "invalid field selector: invalid escape sequence: \\b"),
        ("metadata.name=a=b", "Pod", "invalid field selector: unescaped character in value: 61"),
    ],
    ids=["pod-unknown", "node-namespace", "configmap-phase", "no-operator", "bad-escape", "unescaped-equals"],
)
def test_field_selector_errors(s, kind, message):
    with pytest.raises(SelectorError) as ei:
        parse_field_selector(s, kind=kind)
    assert str(ei.value) == message


@pytest.mark.parametrize(
    "kind,s",
    [
        ("Node", "spec.unschedulable=true"),
        ("Event", "involvedObject.name=web,type=Warning,reason=Failed"),
        ("Secret", "type=Opaque"),
        ("Namespace", "status.phase=Active"),
        ("ReplicaSet", "status.replicas=0"),
        ("Job", "status.successful=1"),
        ("Deployment", "metadata.name=web"),
    ],
)
def test_field_selector_supported_per_kind(kind, s):
    parse_field_selector(s, kind=kind)


def test_field_selector_escapes_and_values():
    sel = parse_field_selector("metadata.name=a\\,b\\=c")
    assert sel.requirements[0].value == "a,b=c"
    assert str(sel) == "metadata.name=a\\,b\\=c"
    assert field_value({"spec": {"unschedulable": True}}, "spec.unschedulable") == "true"
    assert field_value({}, "spec.unschedulable") == "false"
    assert field_value({"status": {"replicas": 3}}, "status.replicas") == "3"


def test_unable_to_find_message():
    err = SelectorError("field label not supported: spec.foo")
    assert unable_to_find_message("", "v1", "pods", "", "spec.foo=x", err) == (
        'Unable to find "/v1, Resource=pods" that match label selector "", field selector "spec.foo=x": '
        "field label not supported: spec.foo"
    )
