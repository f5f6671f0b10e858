"""kctl.explain for custom resources: the schema the apiextensions-apiserver publishes for a
CRD version (controller/openapi/builder) under kubectl 1.37's plaintext template, enums
included."""

from __future__ import annotations

from pathlib import Path

import pytest

from kctl import explain as X
from kctl.api.schema import load_schema

GOLDEN = Path(__file__).resolve().parent / "golden" / "crd"
TYPE_META = load_schema("", "v1", "ConfigMap")

WIDGET_CRD = {
    "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
    "metadata": {"name": "widgets.example.com"},
    "spec": {
        "group": "example.com", "scope": "Namespaced",
        "names": {"kind": "Widget", "plural": "widgets", "singular": "widget"},
        "versions": [{"name": "v1", "served": True, "storage": True, "schema": {"openAPIV3Schema": {
            "description": "A Widget.",
            "type": "object",
            "properties": {
                # the CRD's own apiVersion/kind/metadata are replaced by the server's
                "apiVersion": {"type": "string", "description": "custom text, not published"},
                "kind": {"type": "string"},
                "metadata": {"type": "object"},
                "spec": {
                    "type": "object", "description": "The desired state.", "required": ["size"],
                    "properties": {
                        "size": {"type": "integer", "description": "How big.", "enum": [1, 2, 3, 4, 5]},
                        "mode": {"type": "string", "enum": ["", "Fast", "Slow"]},
                        "tags": {"type": "array", "items": {"type": "string"}},
                        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                        "port": {"x-kubernetes-int-or-string": True},
                        "template": {"type": "object", "x-kubernetes-embedded-resource": True,
                                     "x-kubernetes-preserve-unknown-fields": True},
                    },
                },
            },
        }}}],
    },
}

HEAD = "GROUP:      example.com\nKIND:       Widget\nVERSION:    v1\n\n"


def render(path, crd=WIDGET_CRD, **kw):
    schema = X.crd_schema(crd, "v1", TYPE_META)
    return X.render("example.com", "v1", "Widget", schema, path, enums=True, **kw)


def test_kind():
    assert render([]) == HEAD + """\
DESCRIPTION:
    A Widget.
    
FIELDS:
  apiVersion	<string>
    APIVersion defines the versioned schema of this representation of an object.
    Servers should convert recognized schemas to the latest internal value, and
    may reject unrecognized values. More info:
    https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources

  kind	<string>
    Kind is a string value representing the REST resource this object
    represents. Servers may infer this from the endpoint the client submits
    requests to. Cannot be updated. In CamelCase. More info:
    https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds

  metadata	<ObjectMeta>
    Standard object's metadata. More info:
    https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata

  spec	<Object>
    The desired state.


"""


def test_field_list_with_enums():
    assert render(["spec"]) == HEAD + """\
FIELD: spec <Object>


DESCRIPTION:
    The desired state.
    
FIELDS:
  labels	<map[string]string>
    <no description>

  mode	<string>
  enum: "", Fast, Slow
    <no description>

  port	<Object>
    <no description>

  size	<integer> -required-
  enum: 1, 2, 3, 4, ....
    How big.

  tags	<[]string>
    <no description>

  template	<Object>
    <no description>


"""


def test_field_with_enum():
    assert render(["spec", "size"]) == HEAD + """\
FIELD: size <integer>
ENUM:
    1
    2
    3
    4
    5

DESCRIPTION:
    How big.
    

"""


def test_embedded_resource_gets_type_and_object_meta():
    got = render(["spec", "template"], recursive=True, max_depth=1)
    assert got == HEAD + """\
FIELD: template <Object>


DESCRIPTION:
    <empty>
FIELDS:
  apiVersion	<string> -required-
  kind	<string> -required-
  metadata	<ObjectMeta>

"""


def test_metadata_is_object_meta():
    got = render(["metadata", "labels"])
    assert got.startswith(HEAD + "FIELD: labels <map[string]string>\n\n\nDESCRIPTION:\n    Map of string keys")


def test_missing_field():
    with pytest.raises(X.ExplainError, match='^field "nope" does not exist$'):
        render(["spec", "nope"])


@pytest.mark.parametrize("values,long_view,limit,amount,want", [
    (["A", "B"], False, 4, 2, "\n  enum: A, B"),
    (["A", "B", "C", "D", "E"], False, 4, 0, "\nenum: A, B, C, D, ...."),
    (["", "x"], True, -1, 0, 'ENUM:\n    ""\n    x'),
    ([1.5, True, None], True, -1, 0, "ENUM:\n    1.5\n    true\n    <no value>"),
    ([], True, -1, 0, ""),
])
def test_enum_text(values, long_view, limit, amount, want):
    assert X.enum_text({"enum": values}, long_view=long_view, limit=limit, amount=amount) == want


def test_version_without_schema_is_a_bare_object():
    crd = {"spec": {"versions": [{"name": "v1", "served": True, "storage": True}]}}
    assert render([], crd=crd) == HEAD + "DESCRIPTION:\n    <empty>\n\n"


def _cert_manager_crd():
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True).load((GOLDEN / "cert-manager.io_certificates.yaml").read_text())


@pytest.mark.parametrize("path,golden", [
    ([], "explain-certificates.txt"),
    (["spec", "privateKey"], "explain-certificates.spec.privateKey.txt"),
])
def test_cert_manager_golden(path, golden):
    schema = X.crd_schema(_cert_manager_crd(), "v1", TYPE_META)
    got = X.render("cert-manager.io", "v1", "Certificate", schema, path, enums=True)
    assert got == (GOLDEN / golden).read_text()
