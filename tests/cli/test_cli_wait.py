"""`kctl wait`: kubectl's texts and exit codes; cluster time advances instead of sleeping."""

from __future__ import annotations

import pytest

from kctl.cli.wait import condition_met, jsonpath_met, parse_conditions, split_jsonpath_input
from kctl.errors import KctlError

OBJS = """apiVersion: v1
kind: ConfigMap
metadata: {name: a, labels: {app: web}}
data: {k: v, num: "3"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  progressDeadlineSeconds: 60
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
@pytest.mark.parametrize("text,want", [
    ("{.a}=b", ["{.a}", "b"]),
    ("{.a}", ["{.a}"]),
    ('{.items[?(@.x=="y")].z}=1', ['{.items[?(@.x=="y")].z}', "1"]),
    ("{.a}=b=c", ["{.a}", "b", "c"]),
], ids=["value", "no-value", "double-equals", "three"])
def test_split_jsonpath_input(text, want):
    assert split_jsonpath_input(text) == want


@pytest.mark.parametrize("specs,err", [
    (["foo"], 'unrecognized condition: "foo"'),
    ([], "unrecognized condition: []"),
    (["jsonpath={.a}="], "jsonpath wait has to have a value after equal sign, like --for=jsonpath='{.status.readyReplicas}'=3"),
    (["jsonpath={.a}=b=c"], "jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or --for=jsonpath='{.status.readyReplicas}'"),
], ids=["unknown", "none", "empty-value", "too-many"])
def test_parse_conditions_errors(specs, err):
    with pytest.raises(KctlError) as e:
        parse_conditions(specs)
    assert e.value.message == err


@pytest.mark.parametrize("status,gen,name,value,want", [
    ({"conditions": [{"type": "Available", "status": "True"}]}, None, "available", "true", True),
    ({"conditions": [{"type": "Available", "status": "False"}]}, None, "Available", "true", False),
    ({"conditions": [{"type": "Available", "status": "False"}]}, None, "Available", "false", True),
    ({"observedGeneration": 1, "conditions": [{"type": "Available", "status": "True"}]}, 2, "Available", "true", False),
    ({"conditions": [{"type": "Ready", "status": "True", "observedGeneration": 2}]}, 2, "Ready", "True", True),
    ({}, None, "Available", "true", False),
], ids=["case-fold", "wrong-status", "want-false", "stale-generation", "cond-generation", "no-conditions"])
def test_condition_met(status, gen, name, value, want):
    obj = {"metadata": {} if gen is None else {"generation": gen}, "status": status}
    assert condition_met(obj, name, value) is want


def test_jsonpath_met():
    obj = {"status": {"phase": "Running", "n": 3, "list": [1, 2], "m": {"a": 1}}}
    (c,) = parse_conditions(["jsonpath={.status.phase}=Running"])
    assert jsonpath_met(obj, c)
    (c,) = parse_conditions(["jsonpath=.status.n=3"])
    assert jsonpath_met(obj, c)
    (c,) = parse_conditions(["jsonpath={.status.missing}"])
    assert not jsonpath_met(obj, c)
    (c,) = parse_conditions(["jsonpath={.status.m}=x"])
    with pytest.raises(KctlError, match="^jsonpath leads to a nested object or list which is not supported$"):
        jsonpath_met(obj, c)
    (c,) = parse_conditions(["jsonpath={.status.list[*]}=1"])
    with pytest.raises(KctlError, match="^given jsonpath expression matches more than one value$"):
        jsonpath_met(obj, c)


# ------------------------------------------------------------------ CLI
def test_condition_met_after_cluster_time_moves(cluster):
    # no nodes: the pod stays Pending and the Deployment's progress deadline (60s) fires
    r = cluster("wait", "--for=condition=Progressing=False", "deployment/web", "--timeout=2m")
    assert (r.code, r.out, r.err) == (0, "deployment.apps/web condition met\n", "")
    r = cluster("reconcile")
    assert r.out.startswith("cluster time 2026-11-25T12:01:")


def test_timeout_text_and_time_spent(cluster):
    r = cluster("wait", "--for=condition=Available", "deploy/web", "--timeout=5s")
    assert (r.code, r.out, r.err) == (1, "", "error: timed out waiting for the condition on deployments/web\n")
    r = cluster("reconcile")
    assert r.out.startswith("cluster time 2026-11-25T12:00:05Z;")


def test_timeout_zero_checks_once(cluster):
    r = cluster("wait", "--for=condition=Available", "deploy/web", "--timeout=0")
    assert (r.code, r.err) == (1, "error: condition not met for deployments/web\n")
    r = cluster("wait", "--for=jsonpath={.data.k}=v", "cm/a", "--timeout=0")
    assert (r.code, r.out) == (0, "configmap/a condition met\n")


def test_jsonpath_and_selector(cluster):
    r = cluster("wait", "--for=jsonpath={.data.num}=3", "cm", "-l", "app=web")
    assert (r.code, r.out) == (0, "configmap/a condition met\n")
    r = cluster("wait", "--for=jsonpath={.data.num}=3", "cm", "-l", "app=nope")
    assert (r.code, r.err) == (1, "error: no matching resources found\n")


def test_multiple_conditions_print_each(cluster):
    r = cluster("wait", "--for=create", "--for=jsonpath={.data.k}", "cm/a")
    assert (r.code, r.out) == (0, "configmap/a condition met\nconfigmap/a condition met\n")


def test_delete(cluster):
    r = cluster("wait", "--for=delete", "cm/zzz")
    assert (r.code, r.out, r.err) == (0, "", "")
    r = cluster("wait", "--for=delete", "cm/a", "--timeout=3s")
    assert (r.code, r.err) == (1, "error: timed out waiting for the condition on configmaps/a\n")


@pytest.mark.parametrize("args,err", [
    (("--for=condition=Ready", "pod/x"), 'Error from server (NotFound): pods "x" not found\n'),
    (("--for=bogus", "pod/x"), 'error: unrecognized condition: "bogus"\n'),
    (("pod/x",), "error: unrecognized condition: []\n"),
    (("--for=condition=Ready", "pods"), "error: resource(s) were provided, but no name was specified\n"),
    (("--for=delete", "pod/x", "--timeout=soon"),
     'error: invalid argument "soon" for "--timeout" flag: time: invalid duration "soon"\n'
     "See 'kctl wait --help' for usage.\n"),
], ids=["not-found", "bad-for", "no-for", "no-name", "bad-timeout"])
def test_errors(cluster, args, err):
    r = cluster("wait", *args)
    assert (r.code, r.err) == (1, err)
