"""managedFields as kube-apiserver keeps them (kctl.api.fieldpath, kctl.api.managedfields).

Expected FieldsV1 trees are upstream's (structured-merge-diff v6 / apimachinery
managedfields): e.g. the `kubectl-client-side-apply` entry of a Deployment created by
`kubectl apply` is the one a 1.37 API server records.
"""

from __future__ import annotations

import json

import pytest

from kctl.api import fieldpath as fp
from kctl.api import kinds
from kctl.api import managedfields as mf
from kctl.api.managedfields import APPLY, UPDATE, ApplyConflict, Entry

DEPLOY = kinds.by_group_kind("apps", "Deployment")
CM = kinds.by_group_kind("", "ConfigMap")
T_DEPLOY = fp.type_for(DEPLOY)
T_CM = fp.type_for(CM)
NOW = "2026-11-25T12:00:00Z"
LATER = "2026-11-25T12:05:00Z"


def deployment(replicas=2, image="nginx", **extra_spec):
    spec = {
        "replicas": replicas,
        "selector": {"matchLabels": {"app": "web"}},
        "template": {"metadata": {"labels": {"app": "web"}},
                     "spec": {"containers": [{"name": "web", "image": image, "ports": [{"containerPort": 80}]}]}},
    }
    spec.update(extra_spec)
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}}, "spec": spec}


def cm(data=None, labels=None, **meta):
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "default", **meta}}
    if labels is not None:
        obj["metadata"]["labels"] = labels
    if data is not None:
        obj["data"] = data
    return obj


# ---------------------------------------------------------------- FieldsV1 sets
@pytest.mark.parametrize("paths,fields", [
    ({("f:spec", "f:replicas")}, {"f:spec": {"f:replicas": {}}}),
    ({("f:metadata", "f:labels"), ("f:metadata", "f:labels", "f:app")},
     {"f:metadata": {"f:labels": {".": {}, "f:app": {}}}}),
    ({("f:spec", "f:containers", 'k:{"name":"web"}'), ("f:spec", "f:containers", 'k:{"name":"web"}', "f:image")},
     {"f:spec": {"f:containers": {'k:{"name":"web"}': {".": {}, "f:image": {}}}}}),
    ({("f:metadata", "f:finalizers", 'v:"x"')}, {"f:metadata": {"f:finalizers": {'v:"x"': {}}}}),
    (set(), {}),
])
def test_fields_v1_round_trip(paths, fields):
    assert fp.to_fields_v1(paths) == fields
    assert fp.from_fields_v1(fields) == paths


@pytest.mark.parametrize("path,text", [
    (("f:spec", "f:replicas"), ".spec.replicas"),
    (("f:spec", "f:template", "f:spec", "f:containers", 'k:{"name":"web"}', "f:image"),
     '.spec.template.spec.containers[name="web"].image'),
    (("f:ports", 'k:{"containerPort":80,"protocol":"TCP"}'), '.ports[containerPort=80,protocol="TCP"]'),
    (("f:metadata", "f:finalizers", 'v:"a/b"'), '.metadata.finalizers[="a/b"]'),
    (("f:x", "i:3"), ".x[3]"),
])
def test_path_string(path, text):
    assert fp.path_string(path) == text


def test_iterate_lists_members_before_children():
    paths = {("f:spec", "f:template", "f:spec", "f:x"), ("f:spec", "f:replicas"), ("f:data",), ("f:spec", "f:a")}
    assert fp.iterate(paths) == [("f:data",), ("f:spec", "f:a"), ("f:spec", "f:replicas"),
                                 ("f:spec", "f:template", "f:spec", "f:x")]


@pytest.mark.parametrize("obj,t,paths", [
    # list-map items by their keys (defaulted protocol), struct fields not members, granular map keys are
    (deployment(), T_DEPLOY, {
        ("f:apiVersion",), ("f:kind",), ("f:metadata", "f:name"), ("f:metadata", "f:namespace"),
        ("f:metadata", "f:labels", "f:app"), ("f:spec", "f:replicas"), ("f:spec", "f:selector"),
        ("f:spec", "f:template", "f:metadata", "f:labels", "f:app"),
        ("f:spec", "f:template", "f:spec", "f:containers", 'k:{"name":"web"}'),
        ("f:spec", "f:template", "f:spec", "f:containers", 'k:{"name":"web"}', "f:name"),
        ("f:spec", "f:template", "f:spec", "f:containers", 'k:{"name":"web"}', "f:image"),
        ("f:spec", "f:template", "f:spec", "f:containers", 'k:{"name":"web"}', "f:ports",
         'k:{"containerPort":80,"protocol":"TCP"}'),
        ("f:spec", "f:template", "f:spec", "f:containers", 'k:{"name":"web"}', "f:ports",
         'k:{"containerPort":80,"protocol":"TCP"}', "f:containerPort"),
    }),
    # sets by value; an empty map is a member
    (cm(data={}, finalizers=["a", "b"]), T_CM, {
        ("f:apiVersion",), ("f:kind",), ("f:metadata", "f:name"), ("f:metadata", "f:namespace"),
        ("f:metadata", "f:finalizers", 'v:"a"'), ("f:metadata", "f:finalizers", 'v:"b"'), ("f:data",)}),
    # no schema: maps granular, lists atomic (SMD's deduced type)
    ({"spec": {"items": [1, 2], "m": {"a": 1}}}, fp.type_for(None),
     {("f:spec",), ("f:spec", "f:items"), ("f:spec", "f:m"), ("f:spec", "f:m", "f:a")}),
])
def test_to_field_set(obj, t, paths):
    assert fp.to_field_set(obj, t) == paths


# ---------------------------------------------------------------- Update
CSA_CREATE_FIELDS = {
    "f:metadata": {"f:labels": {".": {}, "f:app": {}}},
    "f:spec": {
        "f:replicas": {}, "f:selector": {},
        "f:template": {
            "f:metadata": {"f:labels": {".": {}, "f:app": {}}},
            "f:spec": {"f:containers": {'k:{"name":"web"}': {
                ".": {}, "f:image": {}, "f:name": {},
                "f:ports": {".": {}, 'k:{"containerPort":80,"protocol":"TCP"}': {".": {}, "f:containerPort": {}}}}}},
        },
    },
}


def test_update_on_create_owns_everything_the_create_set():
    entries = mf.update([], None, deployment(), "kubectl-client-side-apply", "apps/v1", NOW, T_DEPLOY,
                        status_subresource=True)
    assert mf.encode(entries) == [{
        "apiVersion": "apps/v1", "fieldsType": "FieldsV1", "fieldsV1": CSA_CREATE_FIELDS,
        "manager": "kubectl-client-side-apply", "operation": "Update", "time": NOW}]


def test_update_on_create_skips_status_of_a_status_subresource_kind():
    obj = deployment()
    obj["status"] = {"replicas": 1}
    entries = mf.update([], None, obj, "m", "apps/v1", NOW, T_DEPLOY, status_subresource=True)
    assert not any(p[0] == "f:status" for p in entries[0].fields)
    status = mf.update([], None, obj, "m", "apps/v1", NOW, T_DEPLOY, subresource="status",
                       status_subresource=True)
    assert status[0].fields == {("f:status", "f:replicas")} and status[0].subresource == "status"


@pytest.mark.parametrize("change,first,second", [
    # the second manager takes the changed field; the first keeps the rest, its time unchanged
    (lambda o: o["spec"].update(replicas=5), "keeps", {("f:spec", "f:replicas")}),
    # a removed field leaves every owner; an added one goes to the writer
    (lambda o: o["metadata"]["labels"].update(tier="x") or o["metadata"]["labels"].pop("app"), "keeps",
     {("f:metadata", "f:labels", "f:tier")}),
])
def test_update_moves_changed_fields(change, first, second):
    old = deployment()
    entries = mf.update([], None, old, "a", "apps/v1", NOW, T_DEPLOY)
    new = json.loads(json.dumps(old))
    change(new)
    out = mf.update(entries, old, new, "b", "apps/v1", LATER, T_DEPLOY)
    a, b = out
    assert (a.manager, a.time, b.manager, b.time) == ("a", NOW, "b", LATER)
    assert b.fields == second
    assert not (a.fields & b.fields)
    assert ("f:metadata", "f:labels", "f:app") in a.fields or "app" not in new["metadata"]["labels"]


def test_update_drops_an_emptied_entry_and_keeps_time_when_nothing_changed():
    old = cm(data={"k": "v"})
    entries = mf.update([], None, old, "a", "v1", NOW, T_CM)
    new = cm(data={"k": "w"})
    out = mf.update(entries, old, new, "b", "v1", LATER, T_CM)
    # the creator keeps the map itself (`.` under f:data: it added the map)
    assert [(e.manager, e.fields) for e in out] == [("a", {("f:data",)}), ("b", {("f:data", "f:k")})]
    out = mf.update(out, new, cm(), "b", "v1", LATER, T_CM)
    assert out == []  # every field removed: every entry emptied, dropped
    assert mf.update(entries, old, old, "c", "v1", "2027-01-01T00:00:00Z", T_CM) == entries


def test_update_of_an_untracked_object_stays_untracked():
    assert mf.update([], cm(data={"k": "v"}), cm(data={"k": "w"}), "a", "v1", NOW, T_CM) == []


def test_update_same_manager_unions_its_fields():
    e1 = mf.update([], None, cm(data={"a": "1"}), "m", "v1", NOW, T_CM)
    e2 = mf.update(e1, cm(data={"a": "1"}), cm(data={"a": "1", "b": "2"}), "m", "v1", LATER, T_CM)
    assert [(e.manager, e.time, e.fields) for e in e2] == [
        ("m", LATER, {("f:data",), ("f:data", "f:a"), ("f:data", "f:b")})]


def test_encode_sorts_apply_first_then_time_then_manager():
    entries = [Entry("z", UPDATE, "v1", {("f:a",)}, NOW), Entry("b", APPLY, "v1", {("f:b",)}, LATER),
               Entry("a", APPLY, "v1", {("f:c",)}, LATER), Entry("y", UPDATE, "v1", {("f:d",)}, "2026-01-01T00:00:00Z")]
    assert [(e["manager"], e["operation"]) for e in mf.encode(entries)] == [
        ("a", "Apply"), ("b", "Apply"), ("y", "Update"), ("z", "Update")]
    assert mf.decode(mf.encode(entries))[0] == Entry("a", APPLY, "v1", {("f:c",)}, LATER)


# ---------------------------------------------------------------- conflicts
@pytest.mark.parametrize("conflicts,text", [
    ([(Entry("kubectl-client-side-apply", UPDATE, "apps/v1", set()), ("f:spec", "f:replicas"))],
     'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas'),
    ([(Entry("kubectl", APPLY, "apps/v1", set()), ("f:spec", "f:replicas"))],
     'Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas'),
    ([(Entry("kube-controller-manager", UPDATE, "apps/v1", set(), subresource="status"), ("f:status",))],
     'Apply failed with 1 conflict: conflict with "kube-controller-manager" with subresource "status" '
     'using apps/v1: .status'),
    ([(Entry("zed", APPLY, "v1", set()), ("f:data", "f:a")), (Entry("abc", UPDATE, "v1", set()), ("f:data", "f:a")),
      (Entry("zed", APPLY, "v1", set()), ("f:data", "f:b"))],
     'Apply failed with 3 conflicts: conflicts with "abc" using v1:\n- .data.a\n'
     'conflicts with "zed":\n- .data.a\n- .data.b'),
])
def test_conflict_message(conflicts, text):
    assert mf.conflict_message(conflicts) == text


# ---------------------------------------------------------------- Apply
def _apply(entries, live, config, manager="kubectl", now=NOW, force=False, t=T_CM):
    return mf.apply(entries, live, config, manager, config["apiVersion"], now, t, force=force)


def test_apply_create_owns_exactly_the_configuration():
    obj, entries = _apply([], None, cm(data={"a": "1"}, labels={"x": "y"}))
    assert obj == cm(data={"a": "1"}, labels={"x": "y"})
    assert mf.encode(entries) == [{"apiVersion": "v1", "fieldsType": "FieldsV1", "manager": "kubectl",
                                   "operation": "Apply", "time": NOW,
                                   "fieldsV1": {"f:data": {"f:a": {}}, "f:metadata": {"f:labels": {"f:x": {}}}}}]


def test_apply_unchanged_keeps_the_time():
    obj, entries = _apply([], None, cm(data={"a": "1"}))
    obj2, entries2 = _apply(entries, obj, cm(data={"a": "1"}), now=LATER)
    assert obj2 == obj and entries2 == entries


@pytest.mark.parametrize("second,force,result", [
    # another value for a field "kubectl" owns: conflict
    (cm(data={"a": "2"}), False, 'Apply failed with 1 conflict: conflict with "kubectl": .data.a'),
    # forced: the field changes hands
    (cm(data={"a": "2"}), True, ({"a": "2", "b": "1"}, {"kubectl": {("f:data", "f:b")}, "other": {("f:data", "f:a")}})),
    # the same value: both own it
    (cm(data={"a": "1"}), False, ({"a": "1", "b": "1"},
                                  {"kubectl": {("f:data", "f:a"), ("f:data", "f:b")}, "other": {("f:data", "f:a")}})),
])
def test_apply_conflicts_and_force(second, force, result):
    obj, entries = _apply([], None, cm(data={"a": "1", "b": "1"}))
    if isinstance(result, str):
        with pytest.raises(ApplyConflict) as e:
            _apply(entries, obj, second, manager="other", now=LATER, force=force)
        assert str(e.value) == result
        return
    new, out = _apply(entries, obj, second, manager="other", now=LATER, force=force)
    data, owned = result
    assert new["data"] == data
    assert {e.manager: e.fields for e in out} == owned


@pytest.mark.parametrize("other_owns,left", [
    (False, {"a": "1"}),  # b was applied before, no longer, and nobody else owns it: removed
    (True, {"a": "1", "b": "1"}),  # another manager still owns it: kept
])
def test_apply_removes_fields_no_longer_applied(other_owns, left):
    obj, entries = _apply([], None, cm(data={"a": "1", "b": "1"}))
    if other_owns:
        obj, entries = _apply(entries, obj, cm(data={"b": "1"}), manager="other")
    new, out = _apply(entries, obj, cm(data={"a": "1"}), now=LATER)
    assert new["data"] == left
    assert {e.manager: e.fields for e in out}["kubectl"] == {("f:data", "f:a")}


def test_apply_on_an_untracked_object_conflicts_with_before_first_apply():
    live = cm(data={"a": "1"})
    with pytest.raises(ApplyConflict) as e:
        _apply([], live, cm(data={"a": "2"}), manager="x")
    assert str(e.value) == 'Apply failed with 1 conflict: conflict with "before-first-apply" using v1: .data.a'


def test_kubectl_may_take_fields_matching_its_last_applied_configuration():
    config = cm(data={"a": "1"})
    last = json.dumps(config)
    live = cm(data={"a": "1"}, annotations={mf.LAST_APPLIED: last})
    entries = mf.update([], None, live, "kubectl-client-side-apply", "v1", NOW, T_CM)
    # a different value for a field the client-side configuration set: still a conflict
    with pytest.raises(ApplyConflict):
        _apply(entries, live, cm(data={"a": "2"}), manager="other")
    new, out = _apply(entries, live, cm(data={"a": "2"}), manager="kubectl")
    assert new["data"] == {"a": "2"}
    # lastAppliedUpdater: the annotation follows the applied configuration
    assert json.loads(new["metadata"]["annotations"][mf.LAST_APPLIED]) == cm(data={"a": "2"})


def test_upgrade_csa_managers_folds_into_the_apply_entry():
    csa = Entry("kubectl-client-side-apply", UPDATE, "v1", {("f:data", "f:a"), mf.LAST_APPLIED_PATH}, NOW)
    ssa = Entry("kubectl", APPLY, "v1", {("f:data", "f:b")}, LATER)
    other = Entry("kubectl-label", UPDATE, "v1", {("f:metadata", "f:labels", "f:x")}, NOW)
    out = mf.upgrade_csa_managers([csa, ssa, other], ["kubectl-client-side-apply"], "kubectl")
    assert {(e.manager, e.operation): e.fields for e in out} == {
        ("kubectl", APPLY): {("f:data", "f:a"), ("f:data", "f:b"), mf.LAST_APPLIED_PATH},
        ("kubectl-label", UPDATE): {("f:metadata", "f:labels", "f:x")}}
    # no Apply entry yet: the client-side one becomes it
    out = mf.upgrade_csa_managers([csa], ["kubectl-client-side-apply"], "kubectl")
    assert [(e.manager, e.operation, e.fields) for e in out] == [("kubectl", APPLY, csa.fields)]
