"""render_get and yaml/json output against goldens recorded from kubectl 1.37.1 (see
tests/golden/get/README.md)."""

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from kctl.api.kinds import Kind
from kctl.printers.get import (
    PrinterError,
    kind_prefix,
    label_column_header,
    no_resources_message,
    parse_output,
    render_get,
    sort_objects,
    wrap_list,
)
from kctl.printers.yaml_json import to_json, to_kyaml, to_yaml

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "get"
NOW = datetime(2026, 11, 25, 17, 0, 0, tzinfo=timezone.utc)

KINDS = {
    k.plural: k
    for k in [
        Kind("", "v1", "Pod", "pods", "pod", ("po",), True),
        Kind("", "v1", "Service", "services", "service", ("svc",), True),
        Kind("", "v1", "Namespace", "namespaces", "namespace", ("ns",), False),
        Kind("", "v1", "Node", "nodes", "node", ("no",), False),
        Kind("", "v1", "ConfigMap", "configmaps", "configmap", ("cm",), True),
        Kind("", "v1", "Event", "events", "event", ("ev",), True),
        Kind("apps", "v1", "Deployment", "deployments", "deployment", ("deploy",), True),
        Kind("apps", "v1", "ReplicaSet", "replicasets", "replicaset", ("rs",), True),
    ]
}
OBJECTS = json.loads((GOLDEN / "objects.json").read_text())
CASES = json.loads((GOLDEN / "cases.json").read_text())


def groups_for(case):
    out = []
    for plural in case["resources"]:
        k = KINDS[plural]
        objs = [
            dict(o, apiVersion=k.api_version, kind=k.kind)
            for o in OBJECTS.get(plural, [])
            if (case["namespace"] is None or not k.namespaced or o["metadata"].get("namespace") == case["namespace"])
            and (case["object_name"] is None or o["metadata"]["name"] == case["object_name"])
        ]
        out.append((k, objs))
    return out


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_golden(case):
    expected = (GOLDEN / f"{case['name']}.txt").read_text()
    try:
        got = render_get(groups_for(case), now=NOW, **case["kwargs"])
    except PrinterError as e:
        got = f"ERR:error: {e}\n"
    assert got == expected


def test_yaml_scalars_like_kubectl():
    obj = json.loads((GOLDEN / "yaml-scalars.input.json").read_text())
    assert to_yaml(obj) == (GOLDEN / "yaml-scalars.yaml").read_text()


@pytest.mark.parametrize(
    "name,fmt",
    [
        ("mixed-object", "yaml"), ("mixed-object", "json"), ("mixed-object", "kyaml"),
        ("tricky-keys", "yaml"), ("tricky-keys", "kyaml"),
        ("long-strings", "yaml"), ("long-strings", "kyaml"),
    ],
)
def test_object_like_kubectl(name, fmt):
    fn = {"yaml": to_yaml, "json": to_json, "kyaml": to_kyaml}[fmt]
    obj = json.loads((GOLDEN / f"{name}.input.json").read_text())
    assert fn(obj) == (GOLDEN / f"{name}.{fmt}").read_text()


@pytest.mark.parametrize(
    "value,expected",
    [
        ("80", 'k: "80"\n'),
        ("true", 'k: "true"\n'),
        ("", 'k: ""\n'),
        ("*x", "k: '*x'\n"),
        ("a: b", "k: 'a: b'\n"),
        ("x\n", "k: |\n  x\n"),
        ("x", "k: x\n"),
        ("2026-11-25T16:00:00Z", 'k: "2026-11-25T16:00:00Z"\n'),
        ("tab\there", 'k: "tab\\there"\n'),
        (None, "k: null\n"),
        (1.5, "k: 1.5\n"),
        (1e6, "k: 1000000\n"),
        (1e-7, "k: 1e-07\n"),
        (1e21, "k: 1e+21\n"),
        ([], "k: []\n"),
        ({}, "k: {}\n"),
    ],
    ids=repr,
)
def test_yaml_value_styles(value, expected):
    assert to_yaml({"k": value}) == expected


def test_yaml_sequence_in_mapping_not_indented_and_nested():
    assert to_yaml({"a": [{"b": 1, "c": [1, 2]}, [3]]}) == "a:\n- b: 1\n  c:\n  - 1\n  - 2\n- - 3\n"


@pytest.mark.parametrize(
    "obj,expected",
    [
        ({"b": 1, "a": "<x>&"}, '{\n    "a": "\\u003cx\\u003e\\u0026",\n    "b": 1\n}\n'),
        ({"f": 100.0, "g": 1e-7, "h": 0.5}, '{\n    "f": 100,\n    "g": 1e-7,\n    "h": 0.5\n}\n'),
        ({"e": [], "m": {}, "u": "é"}, '{\n    "e": [],\n    "m": {},\n    "u": "é"\n}\n'),
    ],
)
def test_json_like_go(obj, expected):
    assert to_json(obj) == expected


def test_list_wrapper():
    assert wrap_list([]) == {"apiVersion": "v1", "items": [], "kind": "List", "metadata": {"resourceVersion": ""}}
    pod = KINDS["pods"]
    text = render_get([(pod, [])], output="json", now=NOW)
    assert text == (
        '{\n    "apiVersion": "v1",\n    "items": [],\n    "kind": "List",\n'
        '    "metadata": {\n        "resourceVersion": ""\n    }\n}\n'
    )


@pytest.mark.parametrize(
    "output,expected",
    [
        ("", ("", "")),
        ("wide", ("wide", "")),
        ("jsonpath={.a}", ("jsonpath", "{.a}")),
        ("custom-columns=A:.a", ("custom-columns", "A:.a")),
    ],
)
def test_parse_output(output, expected):
    assert parse_output(output) == expected


@pytest.mark.parametrize(
    "output,message",
    [
        ("jsonpath", "template format specified but no template given"),
        ("go-template={{.a}}", "output format 'go-template' is not supported by kctl"),
    ],
)
def test_parse_output_errors(output, message):
    with pytest.raises(PrinterError) as exc:
        parse_output(output)
    assert str(exc.value) == message


def test_small_helpers():
    assert kind_prefix(KINDS["deployments"]) == "deployment.apps"
    assert kind_prefix(KINDS["pods"]) == "pod"
    assert label_column_header("app.kubernetes.io/name") == "NAME"
    assert no_resources_message("shop", all_namespaced=True) == "No resources found in shop namespace."
    assert no_resources_message(None, all_namespaced=False) == "No resources found"


@pytest.mark.parametrize(
    "values,expected",
    [
        (["1Gi", "512Mi", "100m", "2"], ["100m", "2", "512Mi", "1Gi"]),  # quantities
        ([10, 9, 100], [9, 10, 100]),
        (["b", "a", "C"], ["C", "a", "b"]),  # plain byte order
        ([None, "x"], [None, "x"]),
    ],
    ids=["quantities", "numbers", "strings", "missing-first"],
)
def test_sort_by(values, expected):
    objs = [{"v": v} if v is not None else {} for v in values]
    got = [o.get("v") for o in sort_objects(objs, ".v")]
    assert got == expected


def test_sort_is_stable_and_missing_first():
    objs = [{"n": "b", "v": 1}, {"n": "x"}, {"n": "a", "v": 1}, {"n": "y"}]
    assert [o["n"] for o in sort_objects(objs, "{.v}")] == ["x", "y", "b", "a"]


def test_show_kind_single_kind_and_empty_groups():
    pods = KINDS["pods"]
    svc = KINDS["services"]
    objs = [{"metadata": {"name": "p", "creationTimestamp": "2026-11-25T16:59:00Z"}, "status": {"phase": "Pending"},
             "spec": {"containers": [{"name": "a"}]}}]
    # two kinds requested: names get prefixes even though one kind is empty
    assert render_get([(pods, objs), (svc, [])], now=NOW) == (
        "NAME    READY   STATUS    RESTARTS   AGE\npod/p   0/1     Pending   0          60s\n"
    )
    assert render_get([(pods, [])], now=NOW) == ""


def test_print_get_accepts_options_object():
    from types import SimpleNamespace

    from kctl.printers.get import print_get

    pods = KINDS["pods"]
    objs = [{"metadata": {"name": "p", "namespace": "a", "creationTimestamp": "2026-11-25T16:00:00Z"}}]
    opts = SimpleNamespace(output="name", no_headers=False)
    assert print_get([(pods, objs)], opts, NOW) == "pod/p\n"
    assert print_get([(pods, objs)], {"output": "custom-columns=N:.metadata.name"}, NOW) == "N\np\n"
