"""Deleting custom resources and their CRDs: `kctl delete <plural> NAME`, the
customresourcecleanup finalizer (a CRD takes its custom resources with it), garbage
collection through ownerReferences, namespace deletion."""

from __future__ import annotations

import json

from test_cli_crd_apply import CRD, WIDGET, docs

CM_OWNED = """apiVersion: v1
kind: ConfigMap
metadata:
  name: owned
  ownerReferences:
  - apiVersion: example.com/v1
    kind: Widget
    name: w1
    uid: {uid}
"""


def _install(kctl, write, *extra: str) -> None:
    r = kctl("apply", "-f", write("all.yaml", docs(CRD, WIDGET.format(name="w1"), *extra)))
    assert r.code == 0, r.err


def test_delete_cr_by_plural_and_short_name(kctl, write):
    _install(kctl, write, WIDGET.format(name="w2"))
    r = kctl("delete", "widgets", "w1")
    assert (r.code, r.out, r.err) == (0, 'widget.example.com "w1" deleted from default namespace\n', "")
    r = kctl("delete", "wd/w2")
    assert (r.code, r.out, r.err) == (0, 'widget.example.com "w2" deleted from default namespace\n', "")
    r = kctl("get", "widgets")
    assert (r.code, r.out, r.err) == (0, "", "No resources found in default namespace.\n")


def test_delete_missing_cr(kctl, write):
    _install(kctl, write)
    r = kctl("delete", "wd", "nope")
    assert (r.code, r.err) == (1, 'Error from server (NotFound): widgets.example.com "nope" not found\n')


def test_deleting_the_crd_deletes_its_crs_and_the_kind(kctl, write):
    ns = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: other\n"
    other = WIDGET.format(name="w9").replace("  name: w9\n", "  name: w9\n  namespace: other\n")
    _install(kctl, write, ns, other)
    assert kctl("get", "wd", "-A", "-o", "name").out == "widget.example.com/w1\nwidget.example.com/w9\n"
    r = kctl("delete", "crd", "widgets.example.com")
    assert (r.code, r.out, r.err) == (
        0, 'customresourcedefinition.apiextensions.k8s.io "widgets.example.com" deleted\n', "")
    r = kctl("get", "widgets")
    assert (r.code, r.err) == (1, 'error: the server doesn\'t have a resource type "widgets"\n')
    counts = kctl("store", "info").out
    assert "widgets.example.com" not in counts
    # and the kind can be defined again
    _install(kctl, write)
    assert kctl("get", "wd", "-o", "name").out == "widget.example.com/w1\n"


def test_cr_finalizer_holds_the_crd(kctl, write):
    held = WIDGET.format(name="w2").replace("  name: w2\n", "  name: w2\n  finalizers: [example.com/hold]\n")
    _install(kctl, write, held)
    r = kctl("delete", "crd", "widgets.example.com")
    assert r.code == 0
    crd = json.loads(kctl("get", "crd", "widgets.example.com", "-o", "json").out)
    assert crd["metadata"]["deletionTimestamp"]
    terminating = [c for c in crd["status"]["conditions"] if c["type"] == "Terminating"]
    assert [(c["status"], c["reason"], c["message"]) for c in terminating] == [
        ("True", "InstanceDeletionInProgress", "CustomResource deletion is in progress")]
    assert kctl("get", "wd", "-o", "name").out == "widget.example.com/w2\n"
    # the last finalizer goes: the custom resource, then the CRD
    r = kctl("patch", "wd", "w2", "--type=merge", "-p", '{"metadata":{"finalizers":null}}')
    assert r.code == 0, r.err
    assert kctl("get", "crd").err == "No resources found\n"


def test_create_refused_while_the_crd_terminates(kctl, write):
    held = WIDGET.format(name="w2").replace("  name: w2\n", "  name: w2\n  finalizers: [example.com/hold]\n")
    _install(kctl, write, held)
    assert kctl("delete", "crd", "widgets.example.com").code == 0
    path = write("new.yaml", WIDGET.format(name="w3"))
    r = kctl("apply", "-f", path)
    assert (r.code, r.err) == (1, (
        f'{path}:1: Error from server (MethodNotAllowed): error when creating "{path}": '
        "create not allowed while custom resource definition is terminating\n"
        "error: no objects were changed\n"))


def test_owner_references_to_a_cr_are_collected(kctl, write):
    _install(kctl, write)
    uid = json.loads(kctl("get", "wd", "w1", "-o", "json").out)["metadata"]["uid"]
    assert kctl("apply", "-f", write("cm.yaml", CM_OWNED.format(uid=uid))).code == 0
    assert kctl("delete", "wd", "w1").code == 0
    r = kctl("get", "cm", "owned")
    assert (r.code, r.err) == (1, 'Error from server (NotFound): configmaps "owned" not found\n')


def test_a_cr_owned_by_a_built_in_is_collected(kctl, write):
    _install(kctl, write)
    uid = json.loads(kctl("get", "cm", "kube-root-ca.crt", "-o", "json").out)["metadata"]["uid"]
    owned = WIDGET.format(name="w5").replace(
        "  name: w5\n",
        f"  name: w5\n  ownerReferences:\n  - apiVersion: v1\n    kind: ConfigMap\n    name: kube-root-ca.crt\n"
        f"    uid: {uid}\n")
    assert kctl("apply", "-f", write("w5.yaml", owned)).code == 0
    assert kctl("delete", "cm", "kube-root-ca.crt").code == 0
    assert kctl("get", "wd", "-o", "name").out == "widget.example.com/w1\n"


def test_namespace_deletion_deletes_its_crs(kctl, write):
    ns = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: other\n"
    other = WIDGET.format(name="w9").replace("  name: w9\n", "  name: w9\n  namespace: other\n")
    _install(kctl, write, ns, other)
    assert kctl("delete", "ns", "other").code == 0
    assert kctl("get", "wd", "-A", "-o", "name").out == "widget.example.com/w1\n"
