"""CustomResourceDefinitions end to end: a CRD serves its kind, custom resources are decoded,
defaulted and validated against its schema, stored like built-ins, listed by every name, and
go with their CRD (exact stdout, stderr and exit codes)."""

from __future__ import annotations

import json

import pytest

CRD = """apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names:
    kind: Widget
    plural: widgets
    shortNames: [wd]
    categories: [all]
  versions:
  - name: v1alpha1
    served: true
    storage: false
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size:
                type: integer
                minimum: 1
                default: 3
              color:
                type: string
                enum: [red, blue]
              tags:
                type: array
                items: {type: string}
          status:
            type: object
            properties:
              ready: {type: boolean}
  - name: v0
    served: false
    storage: false
    schema:
      openAPIV3Schema: {type: object}
"""

WIDGET = """apiVersion: example.com/v1
kind: Widget
metadata:
  name: {name}
spec:
  color: red
  tags: [a, b]
"""

CRD_REF = "customresourcedefinition.apiextensions.k8s.io/widgets.example.com"


def docs(*texts: str) -> str:
    return "---\n".join(texts)


@pytest.fixture
def installed(kctl, write, frozen_now):
    """The CRD and one Widget `w1`, applied in one batch."""
    path = write("all.yaml", docs(CRD, WIDGET.format(name="w1")))
    r = kctl("apply", "-f", path)
    assert (r.code, r.out, r.err) == (0, f"{CRD_REF} created\nwidget.example.com/w1 created\n", "")
    return path


def test_crd_and_cr_in_one_batch_then_unchanged(kctl, installed):
    r = kctl("apply", "-f", installed)
    assert (r.code, r.out, r.err) == (0, f"{CRD_REF} unchanged\nwidget.example.com/w1 unchanged\n", "")


def test_cr_before_its_crd_in_the_input(kctl, write):
    # intake resolves every kind before anything is written; the CRD is written first
    path = write("all.yaml", docs(WIDGET.format(name="w1"), CRD))
    r = kctl("apply", "-f", path)
    assert (r.code, r.out, r.err) == (0, f"widget.example.com/w1 created\n{CRD_REF} created\n", "")


def test_stored_cr_has_defaults_and_server_metadata(kctl, installed):
    obj = json.loads(kctl("get", "widgets", "w1", "-o", "json").out)
    assert obj["spec"] == {"color": "red", "size": 3, "tags": ["a", "b"]}
    meta = obj["metadata"]
    assert meta["generation"] == 1
    assert meta["creationTimestamp"] == "2026-11-25T12:00:00Z"
    assert meta["namespace"] == "default"
    assert meta["uid"] and meta["resourceVersion"]
    assert "status" not in obj  # the status subresource: create ignores status


def test_crd_status_as_the_apiextensions_controllers_set_it(kctl, installed):
    crd = json.loads(kctl("get", "crd", "widgets.example.com", "-o", "json").out)
    assert crd["status"] == {
        "acceptedNames": {"categories": ["all"], "kind": "Widget", "listKind": "WidgetList",
                          "plural": "widgets", "shortNames": ["wd"], "singular": "widget"},
        "conditions": [
            {"lastTransitionTime": "2026-11-25T12:00:00Z", "message": "no conflicts found",
             "reason": "NoConflicts", "status": "True", "type": "NamesAccepted"},
            {"lastTransitionTime": "2026-11-25T12:00:00Z", "message": "the initial names have been accepted",
             "reason": "InitialNamesAccepted", "status": "True", "type": "Established"},
        ],
        "storedVersions": ["v1"],
    }
    assert crd["metadata"]["finalizers"] == ["customresourcecleanup.apiextensions.k8s.io"]
    assert crd["spec"]["conversion"] == {"strategy": "None"}
    assert crd["spec"]["names"]["singular"] == "widget"
    assert crd["spec"]["names"]["listKind"] == "WidgetList"


@pytest.mark.parametrize("name", ["widgets", "widget", "wd", "Widget", "widgets.example.com",
                                  "widget.example.com", "widgets.v1.example.com", "WD"])
def test_get_by_every_name(kctl, installed, name):
    r = kctl("get", name, "-o", "name")
    assert (r.code, r.out, r.err) == (0, "widget.example.com/w1\n", "")


def test_get_in_other_group_is_not_found(kctl, installed):
    r = kctl("get", "widgets.other.io")
    assert (r.code, r.err) == (1, 'error: the server doesn\'t have a resource type "widgets" in group "other.io"\n')


def test_get_all_includes_crs_of_category_all(kctl, installed):
    r = kctl("get", "all", "-o", "name")
    assert r.code == 0
    assert "widget.example.com/w1" in r.out.splitlines()


def test_yaml_round_trip(kctl, installed, write):
    text = kctl("get", "wd", "w1", "-o", "yaml").out
    back = write("back.yaml", text)
    # the last-applied annotation now holds the defaulted spec (kubectl says configured too)
    r = kctl("apply", "-f", back)
    assert (r.code, r.out, r.err) == (0, "widget.example.com/w1 configured\n", "")
    r = kctl("apply", "-f", back)
    assert (r.code, r.out, r.err) == (0, "widget.example.com/w1 unchanged\n", "")
    obj = json.loads(kctl("get", "wd", "w1", "-o", "json").out)
    assert obj["spec"] == {"color": "red", "size": 3, "tags": ["a", "b"]}
    assert obj["metadata"]["generation"] == 1


def test_validation_errors_with_positions_and_nothing_written(kctl, write):
    bad = """apiVersion: example.com/v1
kind: Widget
metadata:
  name: w2
spec:
  size: 0
  color: green
"""
    path = write("bad.yaml", docs(CRD, bad))
    r = kctl("apply", "-f", path)
    assert (r.code, r.out) == (1, "")
    assert r.err == (
        f'{path}:58: The Widget "w2" is invalid: spec.size: Invalid value: 0: spec.size in body should be '
        "greater than or equal to 1\n"
        f'{path}:59: The Widget "w2" is invalid: spec.color: Unsupported value: "green": supported values: '
        '"red", "blue"\n'
        "error: no objects were changed\n")
    # atomic: the CRD of the same batch was not written either
    assert kctl("get", "crd").err == "No resources found\n"


def test_metadata_validated_as_for_built_ins(kctl, installed, write):
    path = write("bad.yaml", WIDGET.format(name="Bad_Name"))
    r = kctl("apply", "-f", path)
    assert r.code == 1
    assert r.err == (
        f'{path}:4: The Widget "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase '
        "RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start "
        "and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n"
        "error: no objects were changed\n")


UNKNOWN = """apiVersion: example.com/v1
kind: Widget
metadata:
  name: w3
spec:
  color: blue
  foo: 1
"""


def test_unknown_field_strict(kctl, installed, write):
    path = write("u.yaml", UNKNOWN)
    r = kctl("apply", "-f", path)
    assert (r.code, r.out) == (1, "")
    assert r.err == (
        f'{path}:7: Error from server (BadRequest): error when creating "{path}": Widget in version "v1" '
        'cannot be handled as a Widget: strict decoding error: unknown field "spec.foo"\n'
        "error: no objects were changed\n")


@pytest.mark.parametrize("mode,warning", [("warn", 'Warning: unknown field "spec.foo"\n'), ("ignore", "")])
def test_unknown_field_dropped(kctl, installed, write, mode, warning):
    r = kctl("apply", "-f", write("u.yaml", UNKNOWN), f"--validate={mode}")
    assert (r.code, r.out, r.err) == (0, "widget.example.com/w3 created\n", warning)
    obj = json.loads(kctl("get", "wd", "w3", "-o", "json").out)
    assert obj["spec"] == {"color": "blue", "size": 3}


def test_unserved_version_is_not_found(kctl, installed, write):
    path = write("v0.yaml", WIDGET.format(name="w4").replace("example.com/v1", "example.com/v0"))
    r = kctl("apply", "-f", path)
    assert r.err == (
        f'{path}:1: error: resource mapping not found for name: "w4" namespace: "" from "{path}": '
        'no matches for kind "Widget" in version "example.com/v0"\nensure CRDs are installed first\n'
        "error: no objects were changed\n")
    assert r.code == 1


def test_unknown_kind_without_crd(kctl, write):
    path = write("w.yaml", WIDGET.format(name="w1"))
    r = kctl("apply", "-f", path)
    assert (r.code, r.err) == (1, (
        f'{path}:1: error: resource mapping not found for name: "w1" namespace: "" from "{path}": '
        'no matches for kind "Widget" in version "example.com/v1"\nensure CRDs are installed first\n'
        "error: no objects were changed\n"))


def test_lists_replace_as_json_merge_patch(kctl, installed, write):
    path = write("w.yaml", WIDGET.format(name="w1").replace("[a, b]", "[c]"))
    r = kctl("apply", "-f", path)
    assert (r.code, r.out, r.err) == (0, "widget.example.com/w1 configured\n", "")
    obj = json.loads(kctl("get", "wd", "w1", "-o", "json").out)
    assert obj["spec"]["tags"] == ["c"]
    assert obj["metadata"]["generation"] == 2


def test_status_is_ignored_with_the_status_subresource(kctl, installed, write):
    text = WIDGET.format(name="w1") + "status:\n  ready: true\n"
    r = kctl("apply", "-f", write("w.yaml", text))
    # the last-applied annotation changes, generation does not (only status differs)
    assert (r.code, r.out) == (0, "widget.example.com/w1 configured\n")
    obj = json.loads(kctl("get", "wd", "w1", "-o", "json").out)
    assert "status" not in obj
    assert obj["metadata"]["generation"] == 1


def test_generation_counts_status_without_the_subresource(kctl, write):
    old = WIDGET.format(name="w1").replace("example.com/v1", "example.com/v1alpha1")
    assert kctl("apply", "-f", write("a.yaml", docs(CRD, old))).code == 0
    r = kctl("apply", "-f", write("b.yaml", old + "status:\n  ready: true\n"))
    assert (r.code, r.out) == (0, "widget.example.com/w1 configured\n")
    obj = json.loads(kctl("get", "wd", "w1", "-o", "json").out)
    assert obj["status"] == {"ready": True}
    assert obj["metadata"]["generation"] == 2


def test_cluster_scoped_cr(kctl, write):
    crd = CRD.replace("Namespaced", "Cluster")
    path = write("c.yaml", docs(crd, WIDGET.format(name="w1")))
    assert kctl("apply", "-f", path).code == 0
    obj = json.loads(kctl("get", "wd", "w1", "-o", "json").out)
    assert "namespace" not in obj["metadata"]
    assert kctl("get", "wd", "-A", "-o", "name").out == "widget.example.com/w1\n"


def test_dry_run_writes_nothing(kctl, write):
    path = write("all.yaml", docs(CRD, WIDGET.format(name="w1")))
    r = kctl("apply", "-f", path, "--dry-run=server")
    assert (r.code, r.out) == (0, f"{CRD_REF} created (server dry run)\nwidget.example.com/w1 created (server dry run)\n")
    assert kctl("get", "crd").err == "No resources found\n"


def test_crd_update_changes_the_names_served(kctl, installed, write):
    r = kctl("apply", "-f", write("crd.yaml", CRD.replace("shortNames: [wd]", "shortNames: [wdg]")))
    assert (r.code, r.out, r.err) == (0, f"{CRD_REF} configured\n", "")
    assert kctl("get", "wdg", "-o", "name").out == "widget.example.com/w1\n"
    assert kctl("get", "wd").err == 'error: the server doesn\'t have a resource type "wd"\n'
    crd = json.loads(kctl("get", "crd", "widgets.example.com", "-o", "json").out)
    assert crd["status"]["acceptedNames"]["shortNames"] == ["wdg"]
    assert crd["metadata"]["generation"] == 2
    # conditions keep their transition time
    assert {c["lastTransitionTime"] for c in crd["status"]["conditions"]} == {"2026-11-25T12:00:00Z"}


def test_create_validates_custom_resources(kctl, installed, write):
    path = write("c.yaml", WIDGET.format(name="w2").replace("color: red", "color: green"))
    r = kctl("create", "-f", path)
    assert (r.code, r.out) == (1, "")
    assert r.err == (f'{path}:6: The Widget "w2" is invalid: spec.color: Unsupported value: "green": '
                     'supported values: "red", "blue"\n')
    r = kctl("create", "-f", write("ok.yaml", WIDGET.format(name="w3")))
    assert (r.code, r.out, r.err) == (0, "widget.example.com/w3 created\n", "")
    assert json.loads(kctl("get", "wd", "w3", "-o", "json").out)["spec"]["size"] == 3


def test_patch_validates_and_bumps_generation(kctl, installed):
    r = kctl("patch", "wd", "w1", "--type=merge", "-p", '{"spec":{"size":0}}')
    assert (r.code, r.err) == (1, 'The Widget "w1" is invalid: spec.size: Invalid value: 0: spec.size in body '
                                  "should be greater than or equal to 1\n")
    r = kctl("patch", "wd", "w1", "--type=merge", "-p", '{"spec":{"size":7}}')
    assert (r.code, r.out, r.err) == (0, "widget.example.com/w1 patched\n", "")
    obj = json.loads(kctl("get", "wd", "w1", "-o", "json").out)
    assert (obj["spec"]["size"], obj["metadata"]["generation"]) == (7, 2)
