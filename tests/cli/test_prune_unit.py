"""kctl.cli.prune's pure decisions: which live objects kubectl's pruner deletes, where it
looks, how it reads --prune-allowlist, and its flag rules (kubectl 1.37 pkg/cmd/apply/prune.go,
pkg/util/prune/prune.go, ApplyOptions.Validate)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from kctl.api.selectors import parse_label_selector
from kctl.cli import prune
from kctl.errors import UsageError

LA = {prune.LAST_APPLIED: "{}"}


def obj(name, uid, labels=None, annotations=None):
    meta = {"name": name, "uid": uid}
    if labels is not None:
        meta["labels"] = labels
    if annotations is not None:
        meta["annotations"] = annotations
    return {"metadata": meta}


@pytest.mark.parametrize("live,visited,selector,expected", [
    # only objects made by apply (or create --save-config) are candidates
    ([obj("a", "u1", annotations=LA), obj("b", "u2"), obj("c", "u3", annotations={"x": "y"})],
     set(), None, ["a"]),
    # applied just now (uid visited): kept
    ([obj("a", "u1", annotations=LA), obj("b", "u2", annotations=LA)], {"u1"}, None, ["b"]),
    # -l: the list request's label selector
    ([obj("a", "u1", {"app": "x"}, LA), obj("b", "u2", {"app": "y"}, LA), obj("c", "u3", None, LA)],
     set(), "app=x", ["a"]),
    ([obj("a", "u1", {"app": "x"}, LA), obj("b", "u2", {"app": "y"}, LA), obj("c", "u3", None, LA)],
     set(), "app!=x", ["b", "c"]),
    ([obj("a", "u1", {"app": "x"}, LA), obj("b", "u2", {"app": "y"}, LA)], {"u2"}, "app in (x,y)", ["a"]),
    # listing order kept
    ([obj("z", "u1", annotations=LA), obj("a", "u2", annotations=LA)], set(), None, ["z", "a"]),
    ([], {"u1"}, None, []),
    # an empty annotation value still marks an applied object (kubectl only tests presence)
    ([obj("a", "u1", annotations={prune.LAST_APPLIED: ""})], set(), None, ["a"]),
])
def test_prune_candidates(live, visited, selector, expected):
    sel = parse_label_selector(selector) if selector else None
    assert [o["metadata"]["name"] for o in prune.prune_candidates(live, visited, sel)] == expected


@pytest.mark.parametrize("applied,flag,expected", [
    ([(True, "shop"), (True, "default"), (True, "shop")], None, ["default", "shop"]),
    # cluster-scoped objects visit no namespace
    ([(False, ""), (True, "web")], None, ["web"]),
    ([(False, "")], None, []),
    # -n is always visited (EnforceNamespace), even when nothing was applied there
    ([(True, "a")], "b", ["a", "b"]),
    ([], "ns1", ["ns1"]),
])
def test_visited_namespaces(applied, flag, expected):
    assert prune.visited_namespaces(applied, flag) == expected


@pytest.mark.parametrize("entries,expected", [
    (["core/v1/ConfigMap"], [("", "ConfigMap", True)]),
    (["apps/v1/Deployment", "core/v1/Namespace"], [("apps", "Deployment", True), ("", "Namespace", False)]),
    (["/v1/Secret"], [("", "Secret", True)]),
    (["networking.k8s.io/v1/Ingress", "core/v1/PersistentVolume"],
     [("networking.k8s.io", "Ingress", True), ("", "PersistentVolume", False)]),
    ([], []),
])
def test_parse_allowlist(entries, expected):
    assert [(k.group, k.kind, k.namespaced) for k in prune.parse_allowlist(entries)] == expected


@pytest.mark.parametrize("entry,message", [
    ("v1/ConfigMap", "invalid GroupVersionKind format: v1/ConfigMap, please follow <group/version/kind>"),
    ("core/v1/ConfigMap/x", "invalid GroupVersionKind format: core/v1/ConfigMap/x, please follow <group/version/kind>"),
    ("ConfigMap", "invalid GroupVersionKind format: ConfigMap, please follow <group/version/kind>"),
    # the RESTMapper is case-sensitive on kinds
    ("core/v1/configmap", 'no matches for kind "configmap" in version "v1"'),
    ("core/v2/ConfigMap", 'no matches for kind "ConfigMap" in version "v2"'),
    ("apps/v1beta1/Deployment", 'no matches for kind "Deployment" in version "apps/v1beta1"'),
    ("extensions/v1/Deployment", 'no matches for kind "Deployment" in version "extensions/v1"'),
])
def test_parse_allowlist_errors(entry, message):
    with pytest.raises(UsageError) as e:
        prune.parse_allowlist(["core/v1/Secret", entry])
    assert e.value.message == message


@pytest.mark.parametrize("prune_,selector,all_,allowlist,message", [
    (True, None, False, (), prune.NEEDS_ALL_OR_SELECTOR),
    (True, "", False, (), prune.NEEDS_ALL_OR_SELECTOR),
    (True, "app=x", True, (), "cannot set --all and --selector at the same time"),
    # without --prune too
    (False, "app=x", True, (), "cannot set --all and --selector at the same time"),
    # the allowlist is parsed first (in ToOptions, before Validate)
    (True, None, False, ("bad",), "invalid GroupVersionKind format: bad, please follow <group/version/kind>"),
    (True, None, False, ("core/v1/Nope",), 'no matches for kind "Nope" in version "v1"'),
    (True, None, False, ("core/v1/ConfigMap",), prune.NEEDS_ALL_OR_SELECTOR),
    # OK
    (True, "app=x", False, (), None),
    (True, None, True, ("apps/v1/Deployment",), None),
    # --prune-allowlist / --all without --prune: accepted and ignored, as kubectl does
    (False, None, False, ("bad",), None),
    (False, None, True, (), None),
    (False, "app=x", False, (), None),
])
def test_check_prune_flags(prune_, selector, all_, allowlist, message):
    # --server-side is only refused once the other rules pass
    if message is not None:
        with pytest.raises(UsageError) as e:
            prune.check_prune_flags(prune=prune_, selector=selector, all_=all_, allowlist=allowlist,
                                    server_side=True)
        assert e.value.message == message
    if message is None:
        prune.check_prune_flags(prune=prune_, selector=selector, all_=all_, allowlist=allowlist)
        return
    with pytest.raises(UsageError) as e:
        prune.check_prune_flags(prune=prune_, selector=selector, all_=all_, allowlist=allowlist)
    assert e.value.message == message


@pytest.mark.parametrize("prune_,fails", [(True, True), (False, False)])
def test_check_prune_flags_server_side(prune_, fails):
    if not fails:
        prune.check_prune_flags(prune=prune_, selector=None, all_=True, server_side=True)
        return
    with pytest.raises(UsageError) as e:
        prune.check_prune_flags(prune=prune_, selector=None, all_=True, server_side=True)
    assert e.value.message == "--prune is in alpha and doesn't currently work on objects created by server-side apply"


def test_needs_all_or_selector_text_is_kubectls():
    assert prune.NEEDS_ALL_OR_SELECTOR == (
        "all resources selected for prune without explicitly passing --all. To prune all resources, "
        "pass the --all flag. If you did not mean to prune all resources, specify a label selector")


def test_default_allowlist_is_kubectls():
    namespaced, cluster = prune.split_scopes(prune.default_allowlist())
    assert [k.resource for k in namespaced] == [
        "configmaps", "endpoints", "persistentvolumeclaims", "pods", "replicationcontrollers", "secrets",
        "services", "jobs.batch", "cronjobs.batch", "ingresses.networking.k8s.io", "daemonsets.apps",
        "deployments.apps", "replicasets.apps", "statefulsets.apps"]
    assert [k.resource for k in cluster] == ["namespaces", "persistentvolumes"]


@pytest.mark.parametrize("selector,expected", [
    (None, ["a", "b", "c"]),
    ("", ["a", "b", "c"]),
    ("app=x", ["a"]),
    ("app", ["a", "b"]),
    ("!app", ["c"]),
])
def test_select_admitted(selector, expected):
    items = [SimpleNamespace(obj=obj("a", "1", {"app": "x"})), SimpleNamespace(obj=obj("b", "2", {"app": "y"})),
             SimpleNamespace(obj={"metadata": {"name": "c"}})]
    assert [a.obj["metadata"]["name"] for a in prune.select_admitted(items, selector)] == expected


def test_select_admitted_bad_selector():
    with pytest.raises(Exception) as e:
        prune.select_admitted([], "app in (x")
    assert e.value.message.startswith('the provided selector "app in (x" is not valid: ')


@pytest.mark.parametrize("output,dry_run,expected", [
    (None, "none", ["configmap/old pruned", "deployment.apps/web pruned"]),
    (None, "client", ["configmap/old pruned (dry run)", "deployment.apps/web pruned (dry run)"]),
    (None, "server", ["configmap/old pruned (server dry run)", "deployment.apps/web pruned (server dry run)"]),
    # -o name: kubectl's name printer drops the operation (and the dry-run suffix)
    ("name", "client", ["configmap/old", "deployment.apps/web"]),
])
def test_render_pruned(output, dry_run, expected):
    from kctl.api import kinds

    items = [prune.Pruned(kinds.by_group_kind("", "ConfigMap"), obj("old", "1")),
             prune.Pruned(kinds.by_group_kind("apps", "Deployment"), obj("web", "2"))]
    assert prune.render_pruned(items, output=output, dry_run=dry_run) == expected


@pytest.mark.parametrize("now,pid,expected", [
    ((2023, 7, 23, 20, 57, 3, 499655), 2113, "W0723 20:57:03.499655    2113 prune.go:71] m"),
    ((2026, 11, 5, 1, 2, 3, 7), 310470, "W1105 01:02:03.000007  310470 prune.go:71] m"),
    ((2026, 1, 1, 0, 0, 0, 0), 12345678, "W0101 00:00:00.000000 12345678 prune.go:71] m"),
])
def test_klog_line(now, pid, expected):
    from datetime import datetime

    assert prune.klog_line("W", datetime(*now), pid, "prune.go:71", "m") == expected
