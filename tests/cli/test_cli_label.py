"""`kctl label` / `kctl annotate`: kubectl 1.37's texts, metadata-only writes, exit codes."""

from __future__ import annotations

import pytest

from kctl.cli.label import (
    apply_annotations,
    apply_labels,
    label_message,
    parse_annotation_pairs,
    parse_label_pairs,
    split_resources_and_pairs,
)
from kctl.errors import KctlError

OBJS = """apiVersion: v1
kind: ConfigMap
metadata: {name: a, labels: {app: web}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: b, labels: {app: db}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: nginx}]}
"""


@pytest.fixture
def cluster(kctl, write, frozen_now):
    r = kctl("apply", "-f", write("objs.yaml", OBJS))
    assert r.code == 0, r.err
    return kctl


# ------------------------------------------------------------------ pure parts
@pytest.mark.parametrize("args,want", [
    (("pods", "x", "a=b", "c-"), (["pods", "x"], ["a=b", "c-"])),
    (("pod/x", "a=b"), (["pod/x"], ["a=b"])),
    (("pods", "-"), (["pods", "-"], [])),
], ids=["type-name", "slash", "dash-alone"])
def test_split_resources_and_pairs(args, want):
    assert split_resources_and_pairs(args, "label") == want


def test_split_resources_and_pairs_order_error():
    with pytest.raises(KctlError, match="^all resources must be specified before label changes: y$"):
        split_resources_and_pairs(("pods", "a=b", "y"), "label")


@pytest.mark.parametrize("specs,err", [
    (["a=b=c"], "invalid label spec: a=b=c"),
    (["a"], "unknown label spec: a"),
    (["a=b", "a-"], "can not both modify and remove a label in the same command"),
], ids=["two-equals", "no-op", "both"])
def test_parse_label_pairs_errors(specs, err):
    with pytest.raises(KctlError) as e:
        parse_label_pairs(specs)
    assert e.value.message == err


def test_parse_annotation_pairs():
    assert parse_annotation_pairs(["a=b=c", "d-", "e="]) == ({"a": "b=c", "e": ""}, ["d"])
    with pytest.raises(KctlError, match="^invalid annotation format: x, =y$"):
        parse_annotation_pairs(["x", "=y"])
    with pytest.raises(KctlError, match=r"^can not both modify and remove the following annotation\(s\) in the same command: a$"):
        parse_annotation_pairs(["a=1", "a-"])


@pytest.mark.parametrize("labels,new,remove,msg", [
    ({"a": "1"}, {"b": "2"}, [], "labeled"),
    ({"a": "1"}, {"a": "1"}, [], "not labeled"),
    ({"a": "1"}, {}, ["a"], "unlabeled"),
    ({"a": "1"}, {"b": "2"}, ["a"], "modified"),
    ({"a": "1"}, {}, ["zzz"], "not labeled"),
], ids=["add", "same", "remove", "both", "remove-missing"])
def test_label_messages(labels, new, remove, msg):
    meta = {"labels": dict(labels)}
    assert label_message(*apply_labels(meta, new, remove, overwrite=False)) == msg


def test_overwrite_errors_aggregate_sorted():
    with pytest.raises(KctlError) as e:
        apply_labels({"labels": {"b": "1", "a": "1"}}, {"b": "2", "a": "2"}, [], overwrite=False)
    assert e.value.message == ("['a' already has a value (1), and --overwrite is false, "
                               "'b' already has a value (1), and --overwrite is false]")
    with pytest.raises(KctlError) as e:
        apply_annotations({"annotations": {"b": "1", "a": "1"}}, {"b": "2", "a": "2"}, [], overwrite=False)
    assert e.value.message == ("--overwrite is false but found the following declared annotation(s): "
                               "'a' already has a value (1); 'b' already has a value (1)")


# ------------------------------------------------------------------ CLI
def test_label_flow(cluster):
    r = cluster("label", "deploy", "web", "tier=front")
    assert (r.code, r.out, r.err) == (0, "deployment.apps/web labeled\n", "")
    r = cluster("label", "deploy/web", "tier=back")
    assert (r.code, r.out, r.err) == (1, "", "error: 'tier' already has a value (front), and --overwrite is false\n")
    r = cluster("label", "deploy/web", "tier=back", "--overwrite")
    assert (r.code, r.out) == (0, "deployment.apps/web labeled\n")
    r = cluster("label", "deploy/web", "tier=back")
    assert (r.code, r.out) == (0, "deployment.apps/web not labeled\n")
    r = cluster("label", "deploy/web", "tier-", "nope-")
    assert (r.code, r.out) == (0, 'label "nope" not found.\ndeployment.apps/web unlabeled\n')
    r = cluster("label", "deploy/web", "x=1", "tier=z", "--overwrite")
    assert r.out == "deployment.apps/web labeled\n"
    r = cluster("label", "deploy/web", "x-", "y=2")
    assert r.out == "deployment.apps/web modified\n"


def test_label_is_metadata_only(cluster):
    import json

    before = json.loads(cluster("get", "deploy", "web", "-o", "json").out)
    cluster("label", "deploy", "web", "tier=front")
    after = json.loads(cluster("get", "deploy", "web", "-o", "json").out)
    assert after["metadata"]["labels"] == {"tier": "front"}
    assert after["metadata"]["generation"] == before["metadata"]["generation"] == 1
    assert after["spec"] == before["spec"]
    assert int(after["metadata"]["resourceVersion"]) > int(before["metadata"]["resourceVersion"])


def test_label_selector_all_and_list(cluster):
    r = cluster("label", "cm", "-l", "app=db", "tier=1")
    assert (r.code, r.out) == (0, "configmap/b labeled\n")
    r = cluster("label", "cm", "b", "--list")
    assert (r.code, r.out) == (0, "app=db\ntier=1\n")
    r = cluster("label", "cm", "a", "b", "--list")
    assert r.out == "Listing labels for ConfigMap./a:\n app=web\nListing labels for ConfigMap./b:\n app=db\n tier=1\n"
    r = cluster("label", "cm", "-l", "app", "--all", "x=1")
    assert (r.code, r.err) == (1, "error: cannot set --all and --selector at the same time\n")


def test_label_dry_run_changes_nothing(cluster):
    r = cluster("label", "cm", "a", "x=1", "--dry-run=server")
    assert r.out == "configmap/a labeled (server dry run)\n"
    r = cluster("label", "cm", "a", "x=1", "--dry-run=client")
    assert r.out == "configmap/a labeled (dry run)\n"
    assert cluster("label", "cm", "a", "--list").out == "app=web\n"


@pytest.mark.parametrize("args,err", [
    (("cm", "a"), "error: at least one label update is required\n"),
    (("x=1",), "error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n"),
    (("cm", "x=1"), "error: resource(s) were provided, but no name was specified\n"),
    (("cm", "zzz", "x=1"), 'Error from server (NotFound): configmaps "zzz" not found\n'),
    (("cm", "a", "x=a b"), 'error: invalid label value: "x=a b": a valid label must be an empty string or consist '
     "of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. "
     "'MyValue',  or 'my_value',  or '12345', regex used for validation is "
     "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')\n"),
    (("cm", "a", "b", "x=1", "--resource-version=1"), "error: --resource-version may only be used with a single resource\n"),
    (("cm", "a", "x=1", "--resource-version=1"), 'Error from server (Conflict): Operation cannot be fulfilled on '
     'configmaps "a": the object has been modified; please apply your changes to the latest version and try again\n'),
    (("cm", "a", "x=1", "--list", "-o", "yaml"), "error: --list and --output may not be specified together\n"),
], ids=["no-change", "no-resource", "no-name", "not-found", "bad-value", "rv-many", "rv-stale", "list-output"])
def test_label_errors(cluster, args, err):
    r = cluster("label", *args)
    assert (r.code, r.err) == (1, err)


def test_label_invalid_key_is_a_server_error(cluster):
    r = cluster("label", "cm", "a", "bad key=1")
    assert r.code == 1
    assert r.err.startswith('The ConfigMap "a" is invalid: metadata.labels: Invalid value: "bad key": name part must consist')


def test_annotate_flow(cluster):
    r = cluster("annotate", "deploy", "web", "note=hi")
    assert (r.code, r.out) == (0, "deployment.apps/web annotated\n")
    r = cluster("annotate", "deploy", "web", "note=bye")
    assert (r.code, r.err) == (1, "error: --overwrite is false but found the following declared annotation(s): "
                                  "'note' already has a value (hi)\n")
    r = cluster("annotate", "deploy", "web", "note=bye", "--overwrite")
    assert r.out == "deployment.apps/web annotated\n"
    r = cluster("annotate", "deploy", "web", "note-")
    assert r.out == "deployment.apps/web annotated\n"
    r = cluster("annotate", "cm", "a", "x=1", "y=2")
    r = cluster("annotate", "cm", "a", "--list")
    # sorted keys; the last-applied value itself ends with a newline, as kubectl prints it
    assert r.out.startswith("kubectl.kubernetes.io/last-applied-configuration={")
    assert r.out.endswith("}\n\nx=1\ny=2\n")
    r = cluster("annotate", "cm", "a")
    assert (r.code, r.err) == (1, "error: at least one annotation update is required\n")
