"""kctl.explain: kubectl 1.37's explain template rules on a small hand-made schema."""

from __future__ import annotations

import pytest

from kctl import explain as X
from kctl.api import kinds

SCHEMA = {
    "description": "Widget is a test kind.",
    "type": "object",
    "required": ["spec"],
    "properties": {
        "apiVersion": {"type": ["string", "null"], "enum": ["x.io/v1"], "description": "API version."},
        "spec": {"$ref": "#/$defs/io.x.WidgetSpec", "description": "Desired state."},
        "tags": {"type": ["array", "null"], "items": {"type": ["string", "null"]}},
        "labels": {"type": ["object", "null"], "additionalProperties": {"type": ["string", "null"]}},
        "size": {"$ref": "#/$defs/io.x.Quantity"},
        "when": {"$ref": "#/$defs/io.x.Time", "description": "A time."},
    },
    "$defs": {
        "io.x.WidgetSpec": {
            "description": "WidgetSpec is the spec.",
            "type": ["object", "null"],
            "required": ["parts"],
            "properties": {
                "parts": {"type": ["array", "null"], "items": {"$ref": "#/$defs/io.x.Part"},
                          "description": "The parts."},
                "self": {"$ref": "#/$defs/io.x.WidgetSpec", "description": "Recursion."},
            },
        },
        "io.x.Part": {"description": "A part.", "type": "object",
                      "properties": {"name": {"type": "string", "description": "Part name."}}},
        "io.x.Quantity": {"oneOf": [{"type": "string"}, {"type": "number"}]},
        "io.x.Time": {"type": ["string", "null"], "format": "date-time"},
    },
}


@pytest.mark.parametrize("text,limit,want", [
    ("one two three", 7, "one two\nthree"),
    ("one two three", 80, "one two three"),
    ("a verylongword b", 4, "a\nverylongword\nb"),
    ("keep\n\nbreaks", 80, "keep\n\nbreaks"),
    ("trailing\n", 80, "trailing\n"),
], ids=["wraps", "fits", "long-word-overflows", "keeps-newlines", "trailing-newline"])
def test_wrap(text, limit, want):
    assert X.wrap(text, limit) == want


def test_indent_pads_every_line_like_sprig():
    assert X.indent(2, "a\n\nb\n") == "  a\n  \n  b\n  "


@pytest.mark.parametrize("field,want", [
    ("apiVersion", "string"), ("spec", "WidgetSpec"), ("tags", "[]string"),
    ("labels", "map[string]string"), ("size", "Quantity"), ("when", "string"),
], ids=["primitive", "ref-object", "array", "map", "ref-without-type", "ref-primitive"])
def test_type_guess(field, want):
    assert X.type_guess(SCHEMA["properties"][field], X._Doc(SCHEMA)) == want


def test_render_kind():
    assert X.render("x.io", "v1", "Widget", SCHEMA, []) == (
        "GROUP:      x.io\nKIND:       Widget\nVERSION:    v1\n\n"
        "DESCRIPTION:\n    Widget is a test kind.\n    \n"
        "FIELDS:\n"
        "  apiVersion\t<string>\n    API version.\n\n"
        "  labels\t<map[string]string>\n    <no description>\n\n"
        "  size\t<Quantity>\n    <no description>\n\n"
        "  spec\t<WidgetSpec> -required-\n    Desired state.\n\n"
        "  tags\t<[]string>\n    <no description>\n\n"
        "  when\t<string>\n    A time.\n\n"
        "\n")


def test_render_field_joins_own_and_type_descriptions():
    assert X.render("", "v1", "Widget", SCHEMA, ["spec"]) == (
        "KIND:       Widget\nVERSION:    v1\n\n"
        "FIELD: spec <WidgetSpec>\n\n\n"
        "DESCRIPTION:\n    Desired state.\n    WidgetSpec is the spec.\n    \n"
        "FIELDS:\n"
        "  parts\t<[]Part> -required-\n    The parts.\n\n"
        "  self\t<WidgetSpec>\n    Recursion.\n\n"
        "\n")


def test_render_through_array_items():
    out = X.render("", "v1", "Widget", SCHEMA, ["spec", "parts", "name"])
    assert out.endswith("FIELD: name <string>\n\n\nDESCRIPTION:\n    Part name.\n    \n\n")


def test_recursive_stops_at_cycles():
    assert X.render("", "v1", "Widget", SCHEMA, ["spec"], recursive=True).split("FIELDS:\n")[1] == (
        "  parts\t<[]Part> -required-\n"
        "    name\t<string>\n"
        "  self\t<WidgetSpec>\n"
        "\n")


def test_recursive_max_depth():
    body = X.render("", "v1", "Widget", SCHEMA, ["spec"], recursive=True, max_depth=1).split("FIELDS:\n")[1]
    assert body == "  parts\t<[]Part> -required-\n  self\t<WidgetSpec>\n\n"


@pytest.mark.parametrize("path,missing", [
    (["nope"], "nope"), (["spec", "nope"], "nope"), (["labels", "x"], "x"), (["tags", "x"], "x"),
], ids=["top", "nested", "map-value", "array-of-strings"])
def test_missing_field(path, missing):
    with pytest.raises(X.ExplainError, match=f'^field "{missing}" does not exist$'):
        X.render("", "v1", "Widget", SCHEMA, path)


@pytest.mark.parametrize("arg,kind,path", [
    ("deploy", "Deployment", []),
    ("deployments.apps.spec.replicas", "Deployment", ["spec", "replicas"]),
    ("pods.spec", "Pod", ["spec"]),
    ("svc.spec.ports.port", "Service", ["spec", "ports", "port"]),
], ids=["short-name", "qualified", "plural", "deep"])
def test_split_request(arg, kind, path):
    k, p = X.split_request(arg, kinds.resolve)
    assert (k.kind, p) == (kind, path)


def test_split_request_unknown():
    with pytest.raises(X.ExplainError, match='^the server doesn\'t have a resource type "nope"$'):
        X.split_request("nope.spec", kinds.resolve)


def test_api_resource_rows_order_and_filters():
    rows = X.api_resource_rows(kinds.all_kinds())
    keys = [(k.group, k.plural) for k in rows]
    assert keys == sorted(keys)
    assert [k.plural for k in X.api_resource_rows(kinds.all_kinds(), api_group="apps")] == [
        "controllerrevisions", "daemonsets", "deployments", "replicasets", "statefulsets"]
    cluster = X.api_resource_rows(kinds.all_kinds(), namespaced=False)
    assert cluster and not any(k.namespaced for k in cluster)
    by_kind = [k.kind for k in X.api_resource_rows(kinds.all_kinds(), sort_by="kind")]
    assert by_kind == sorted(by_kind)
    assert {k.plural for k in X.api_resource_rows(kinds.all_kinds(), categories=["all"])} >= {"pods", "deployments"}
