"""-o custom-columns / custom-columns-file (expected texts checked with kubectl 1.37.1 through
tests/golden/get; these cover the parsing rules and value formatting)."""

import pytest

from kctl.printers.custom_columns import (
    CustomColumnsError,
    go_sprint,
    parse_file,
    parse_spec,
    render_custom_columns,
)

PODS = [
    {"metadata": {"name": "web-1", "labels": {"app": "web", "tier": "fe"}},
     "spec": {"containers": [{"name": "a", "image": "nginx"}, {"name": "b", "image": "busybox"}]}},
    {"metadata": {"name": "db-0"}, "spec": {"containers": [{"name": "db", "image": "postgres:17"}]}},
]


def test_spec_parsing_relaxes_paths():
    assert parse_spec("NAME:.metadata.name,IMG:spec.containers[*].image,X:{.a}") == [
        ("NAME", "{.metadata.name}"), ("IMG", "{.spec.containers[*].image}"), ("X", "{.a}"),
    ]


@pytest.mark.parametrize(
    "spec,message",
    [
        ("", "custom-columns format specified but no custom columns given"),
        ("NAME", "unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>"),
    ],
)
def test_spec_errors(spec, message):
    with pytest.raises(CustomColumnsError) as exc:
        parse_spec(spec)
    assert str(exc.value) == message


def test_file_format():
    assert parse_file("NAME   IMAGE\n.metadata.name   .spec.containers[0].image\n") == [
        ("NAME", "{.metadata.name}"), ("IMAGE", "{.spec.containers[0].image}"),
    ]
    with pytest.raises(CustomColumnsError, match=r"number of headers \(2\) and field specifications \(1\)"):
        parse_file("A B\n.a\n")


def test_render():
    cols = parse_spec("NAME:.metadata.name,IMAGES:.spec.containers[*].image,APP:.metadata.labels.app")
    assert render_custom_columns(cols, PODS) == (
        "NAME    IMAGES          APP\n"
        "web-1   nginx,busybox   web\n"
        "db-0    postgres:17     <none>\n"
    )
    assert render_custom_columns(cols, PODS, no_headers=True).startswith("web-1   ")
    assert render_custom_columns(cols, []) == "NAME   IMAGES   APP\n"


@pytest.mark.parametrize(
    "value,expected",
    [
        ({"b": 1, "a": "x"}, "map[a:x b:1]"),
        ([1, "a", None], "[1 a <nil>]"),
        (True, "true"),
        (0.5, "0.5"),
        ({"a": [{"b": 2}]}, "map[a:[map[b:2]]]"),
    ],
)
def test_go_sprint(value, expected):
    assert go_sprint(value) == expected


@pytest.mark.parametrize(
    "text,message",
    [
        ("", "invalid template, missing header line. Expected format is one line of space separated headers, "
             "one line of space separated column specs."),
        ("A B\n", "invalid template, missing spec line. Expected format is one line of space separated headers, "
                  "one line of space separated column specs."),
    ],
)
def test_file_errors(text, message):
    with pytest.raises(CustomColumnsError) as exc:
        parse_file(text)
    assert str(exc.value) == message


def test_file_keeps_headers_with_no_headers():
    from kctl.api.kinds import Kind
    from datetime import datetime, timezone
    from kctl.printers.get import render_get

    pods = Kind("", "v1", "Pod", "pods", "pod", ("po",), True)
    text = render_get([(pods, PODS)], output="custom-columns-file=cols.txt", file_text="N\n.metadata.name\n",
                      no_headers=True, now=datetime(2026, 1, 1, tzinfo=timezone.utc))
    assert text == "N\nweb-1\ndb-0\n"
