"""Server-side apply's merge and prune (kctl.api.ssa), structured-merge-diff's rules."""

from __future__ import annotations

import pytest

from kctl.api import fieldpath as fp
from kctl.api import kinds
from kctl.api import ssa

T_POD = fp.type_for(kinds.by_group_kind("", "Pod"))
T_DEPLOY = fp.type_for(kinds.by_group_kind("apps", "Deployment"))


def c(name, **kw):
    return {"name": name, **kw}


@pytest.mark.parametrize("live,config,merged", [
    # maps merge key by key; the configuration wins at leaves
    ({"metadata": {"labels": {"a": "1", "b": "2"}}}, {"metadata": {"labels": {"a": "9"}}},
     {"metadata": {"labels": {"a": "9", "b": "2"}}}),
    # list-map items merge by key; live-only items stay
    ({"spec": {"containers": [c("a", image="1", tty=True), c("b", image="1")]}},
     {"spec": {"containers": [c("a", image="2")]}},
     {"spec": {"containers": [c("a", image="2", tty=True), c("b", image="1")]}}),
    # applied items keep the applied order, new ones after the shared ones before them
    ({"spec": {"containers": [c("a"), c("b")]}}, {"spec": {"containers": [c("b"), c("n"), c("a")]}},
     {"spec": {"containers": [c("b"), c("n"), c("a")]}}),
    ({"spec": {"containers": [c("a"), c("x"), c("b")]}}, {"spec": {"containers": [c("b"), c("a")]}},
     {"spec": {"containers": [c("x"), c("b"), c("a")]}}),
    # atomic lists (args) are replaced; sets (finalizers) merge by value
    ({"spec": {"containers": [c("a", args=["1", "2"])]}}, {"spec": {"containers": [c("a", args=["3"])]}},
     {"spec": {"containers": [c("a", args=["3"])]}}),
    ({"metadata": {"finalizers": ["x", "y"]}}, {"metadata": {"finalizers": ["z", "x"]}},
     {"metadata": {"finalizers": ["z", "x", "y"]}}),
    # a null in the configuration leaves a map as it is and clears a scalar
    ({"metadata": {"labels": {"a": "1"}, "generateName": "g"}}, {"metadata": {"labels": None, "generateName": None}},
     {"metadata": {"labels": {"a": "1"}}}),
])
def test_merge_pod(live, config, merged):
    assert ssa.merge(live, config, T_POD) == merged


def test_merge_atomic_map_is_replaced():
    live = {"spec": {"selector": {"matchLabels": {"a": "1", "b": "2"}}}}
    config = {"spec": {"selector": {"matchLabels": {"a": "1"}}}}
    assert ssa.merge(live, config, T_DEPLOY) == config


def test_merge_does_not_change_its_inputs():
    live = {"metadata": {"labels": {"a": "1"}}}
    config = {"metadata": {"labels": {"b": "2"}}}
    out = ssa.merge(live, config, T_POD)
    out["metadata"]["labels"]["c"] = "3"
    assert live == {"metadata": {"labels": {"a": "1"}}} and config == {"metadata": {"labels": {"b": "2"}}}


@pytest.mark.parametrize("merged,last,owned,pruned", [
    # a label applied before, not now, owned by nobody: gone
    ({"metadata": {"labels": {"a": "1", "b": "2"}}},
     {("f:metadata", "f:labels", "f:a"), ("f:metadata", "f:labels", "f:b")},
     {("f:metadata", "f:labels", "f:a")}, {"metadata": {"labels": {"a": "1"}}}),
    # a container item goes with its unowned (defaulted) fields
    ({"spec": {"containers": [c("a", image="1", imagePullPolicy="Always"), c("b", image="1")]}},
     {("f:spec", "f:containers", 'k:{"name":"a"}'), ("f:spec", "f:containers", 'k:{"name":"b"}')},
     {("f:spec", "f:containers", 'k:{"name":"b"}')},
     {"spec": {"containers": [c("b", image="1")]}}),
    # a struct field nobody owns anything under goes whole; one with owned children stays
    ({"spec": {"dnsPolicy": "x", "securityContext": {"runAsUser": 1, "fsGroup": 2}}},
     {("f:spec", "f:securityContext", "f:runAsUser"), ("f:spec", "f:securityContext", "f:fsGroup")},
     {("f:spec", "f:dnsPolicy")}, {"spec": {"dnsPolicy": "x"}}),
    ({"spec": {"securityContext": {"runAsUser": 1, "fsGroup": 2}}},
     {("f:spec", "f:securityContext", "f:runAsUser"), ("f:spec", "f:securityContext", "f:fsGroup")},
     {("f:spec", "f:securityContext", "f:fsGroup")}, {"spec": {"securityContext": {"fsGroup": 2}}}),
    # nothing applied before: nothing pruned
    ({"metadata": {"labels": {"a": "1"}}}, set(), set(), {"metadata": {"labels": {"a": "1"}}}),
])
def test_prune(merged, last, owned, pruned):
    assert ssa.prune(merged, last, owned, T_POD) == pruned
