"""One contract for every Store: memory, SQLite, the stdlib SQLite read path, PostgreSQL."""

from __future__ import annotations

import pytest

from kctl.errors import AlreadyExists, Conflict, NotFound
from kctl.store import Change


def pod(name, ns="default", labels=None, node=None, phase=None):
    obj = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": ns}}
    if labels:
        obj["metadata"]["labels"] = labels
    obj["spec"] = {"containers": [{"name": "c", "image": "nginx"}]}
    if node:
        obj["spec"]["nodeName"] = node
    if phase:
        obj["status"] = {"phase": phase}
    return obj


def deploy(name, ns="default", replicas=1):
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": ns}, "spec": {"replicas": replicas}}


def ns_obj(name):
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}


def names(objs):
    return [(o["metadata"].get("namespace", ""), o["metadata"]["name"]) for o in objs]


# --------------------------------------------------------------------------- reads


def test_create_then_get_round_trip(pair):
    w, r = pair
    src = deploy("web")
    out = w.create("deployments.apps", src)
    assert out["metadata"]["resourceVersion"] == "1"
    assert "resourceVersion" not in src["metadata"], "the caller's object is not modified"
    got = r.get("deployments.apps", "default", "web")
    assert got == out
    assert list(got) == ["apiVersion", "kind", "metadata", "spec"], "key order is kept"
    got["spec"]["replicas"] = 9
    assert r.get("deployments.apps", "default", "web")["spec"]["replicas"] == 1


@pytest.mark.parametrize("resource,ns,name", [
    ("deployments.apps", "default", "nope"),
    ("deployments.apps", "other", "web"),
    ("pods", "default", "web"),
], ids=["missing-name", "other-namespace", "other-resource"])
def test_get_missing_is_none(pair, resource, ns, name):
    w, r = pair
    w.create("deployments.apps", deploy("web"))
    assert r.get(resource, ns, name) is None


def test_list_sorted_by_namespace_then_name(pair):
    w, r = pair
    for ns, n in [("b", "z"), ("a", "y"), ("b", "a"), ("a", "b-2"), ("a", "b1"), ("aa", "a")]:
        w.create("pods", pod(n, ns))
    w.create("deployments.apps", deploy("d", "a"))
    assert names(r.list("pods")) == [("a", "b-2"), ("a", "b1"), ("a", "y"), ("aa", "a"),
                                     ("b", "a"), ("b", "z")]
    assert names(r.list("pods", "b")) == [("b", "a"), ("b", "z")]
    assert r.list("pods", "nothing-here") == []
    assert r.keys("pods", "a") == [("a", "b-2"), ("a", "b1"), ("a", "y")]


def test_cluster_scoped_objects_use_empty_namespace(pair):
    w, r = pair
    for n in ["kube-system", "default", "kube-public"]:
        w.create("namespaces", ns_obj(n))
    assert names(r.list("namespaces")) == [("", "default"), ("", "kube-public"), ("", "kube-system")]
    assert names(r.list("namespaces", "")) == names(r.list("namespaces"))
    assert r.get("namespaces", "", "default")["metadata"]["name"] == "default"


@pytest.mark.parametrize("page_size", [1, 2, 3, 100])
def test_iter_list_pages_equal_list(pair, page_size):
    w, r = pair
    for i in range(7):
        w.create("pods", pod(f"p{i}", ns=f"ns{i % 3}"))
    expected = names(r.list("pods"))
    assert len(expected) == 7
    assert names(r.iter_list("pods", page_size=page_size)) == expected
    assert names(r.iter_list("pods", "ns1", page_size=page_size)) == [("ns1", "p1"), ("ns1", "p4")]


@pytest.mark.parametrize("kwargs,expected", [
    ({"label_filter": {"app": "web"}}, ["a", "c"]),
    ({"label_filter": {"app": "web", "tier": "fe"}}, ["c"]),
    ({"label_filter": lambda labels: "app" not in labels}, ["d"]),
    ({"node_name": "n1"}, ["a", "b"]),
    ({"phase": "Running"}, ["b", "c"]),
    ({"node_name": "n1", "phase": "Running"}, ["b"]),
    ({"node_name": "n1", "label_filter": {"app": "web"}}, ["a"]),
], ids=["label-eq", "labels-and", "label-callable", "node", "phase", "node-phase", "node-label"])
def test_list_filters(pair, kwargs, expected):
    w, r = pair
    w.create("pods", pod("a", labels={"app": "web"}, node="n1", phase="Pending"))
    w.create("pods", pod("b", labels={"app": "db"}, node="n1", phase="Running"))
    w.create("pods", pod("c", labels={"app": "web", "tier": "fe"}, node="n2", phase="Running"))
    w.create("pods", pod("d"))
    assert [o["metadata"]["name"] for o in r.list("pods", **kwargs)] == expected


def test_label_filter_with_matches_object(pair):
    w, r = pair
    w.create("pods", pod("a", labels={"app": "web"}))
    w.create("pods", pod("b", labels={"app": "db"}))

    class Selector:  # the shape of kctl.api.selectors.LabelSelector
        def matches(self, labels):
            return labels.get("app") == "db"

    assert [o["metadata"]["name"] for o in r.list("pods", label_filter=Selector())] == ["b"]


def test_count_by_resource_and_info(pair):
    w, r = pair
    for i in range(3):
        w.create("pods", pod(f"p{i}"))
    w.create("deployments.apps", deploy("web"))
    w.create("namespaces", ns_obj("default"))
    w.delete("pods", "default", "p0")
    assert r.count_by_resource() == {"deployments.apps": 1, "namespaces": 1, "pods": 2}
    info = r.info()
    assert info["revision"] == 6
    assert info["counts"] == {"deployments.apps": 1, "namespaces": 1, "pods": 2}
    assert info["backend"] == w.backend
    assert info["location"] == r.location


# --------------------------------------------------------------------------- writes and errors


def test_create_existing_raises_already_exists(pair):
    w, r = pair
    w.create("deployments.apps", deploy("web"))
    with pytest.raises(AlreadyExists) as e:
        w.create("deployments.apps", deploy("web", replicas=5))
    assert str(e.value) == 'Error from server (AlreadyExists): deployments.apps "web" already exists'
    assert r.get("deployments.apps", "default", "web")["spec"]["replicas"] == 1
    assert r.revision() == 1, "a failed create does not use a revision"
    w.create("deployments.apps", deploy("web", ns="other"))  # same name, other namespace
    assert r.revision() == 2


def test_update_with_current_rv_and_without(pair):
    w, r = pair
    first = w.create("deployments.apps", deploy("web"))
    changed = dict(first, spec={"replicas": 3})
    second = w.update("deployments.apps", changed, expected_rv=first["metadata"]["resourceVersion"])
    assert second["metadata"]["resourceVersion"] == "2"
    third = w.update("deployments.apps", dict(second, spec={"replicas": 4}), None)
    assert third["metadata"]["resourceVersion"] == "3"
    assert r.get("deployments.apps", "default", "web") == third


def test_update_stale_rv_raises_conflict(pair):
    w, r = pair
    first = w.create("deployments.apps", deploy("web"))
    w.update("deployments.apps", first, expected_rv="1")
    with pytest.raises(Conflict) as e:
        w.update("deployments.apps", dict(first, spec={"replicas": 7}), expected_rv="1")
    assert str(e.value) == (
        'Error from server (Conflict): Operation cannot be fulfilled on deployments.apps "web": '
        "the object has been modified; please apply your changes to the latest version and try again")
    assert r.get("deployments.apps", "default", "web")["spec"]["replicas"] == 1
    assert r.revision() == 2


def test_update_missing_raises_not_found(pair):
    w, _ = pair
    with pytest.raises(NotFound) as e:
        w.update("deployments.apps", deploy("web"), None)
    assert str(e.value) == 'Error from server (NotFound): deployments.apps "web" not found'


def test_delete_returns_object_and_errors(pair):
    w, r = pair
    created = w.create("pods", pod("a"))
    w.create("pods", pod("b"))
    with pytest.raises(Conflict):
        w.delete("pods", "default", "b", expected_rv="1")
    gone = w.delete("pods", "default", "a", expected_rv="1")
    assert gone == created
    assert r.get("pods", "default", "a") is None
    with pytest.raises(NotFound) as e:
        w.delete("pods", "default", "a")
    assert str(e.value) == 'Error from server (NotFound): pods "a" not found'
    assert r.revision() == 3


def test_revision_is_global_and_monotonic(pair):
    w, r = pair
    seen = [w.create("pods", pod("a"))["metadata"]["resourceVersion"],
            w.create("deployments.apps", deploy("a"))["metadata"]["resourceVersion"],
            w.create("namespaces", ns_obj("x"))["metadata"]["resourceVersion"],
            w.update("pods", pod("a"), None)["metadata"]["resourceVersion"]]
    w.delete("namespaces", "", "x")
    seen.append(w.create("namespaces", ns_obj("x"))["metadata"]["resourceVersion"])
    assert seen == ["1", "2", "3", "4", "6"]
    assert r.revision() == 6


def test_changes_since(pair):
    w, r = pair
    w.create("pods", pod("a"))
    w.create("deployments.apps", deploy("web"))
    w.update("pods", pod("a"), None)
    w.delete("pods", "default", "a")
    w.create("namespaces", ns_obj("x"))
    assert r.changes_since(0) == [
        Change(1, "pods", "default", "a", "ADDED"),
        Change(2, "deployments.apps", "default", "web", "ADDED"),
        Change(3, "pods", "default", "a", "MODIFIED"),
        Change(4, "pods", "default", "a", "DELETED"),
        Change(5, "namespaces", "", "x", "ADDED"),
    ]
    assert [c.revision for c in r.changes_since(3)] == [4, 5]
    assert [c.op for c in r.changes_since(0, resource="pods")] == ["ADDED", "MODIFIED", "DELETED"]
    assert r.changes_since(5) == []


def test_meta_round_trip(pair):
    w, r = pair
    assert r.get_meta("cluster-time-offset") is None
    w.set_meta("cluster-time-offset", "30")
    w.set_meta("cluster-time-offset", "45")
    w.set_meta("rng-seed", "7")
    assert (r.get_meta("cluster-time-offset"), r.get_meta("rng-seed")) == ("45", "7")
    assert r.revision() == 0, "meta writes do not use revisions"


# --------------------------------------------------------------------------- transactions


class Boom(Exception):
    pass


def _seed(w):
    w.create("pods", pod("keep"))
    w.set_meta("offset", "1")


def _write_some(w):
    w.create("pods", pod("new"))
    w.update("pods", pod("keep", labels={"x": "y"}), "1")
    w.create("deployments.apps", deploy("web"))
    w.delete("deployments.apps", "default", "web")
    w.set_meta("offset", "99")
    w.set_meta("seed", "5")


def _assert_seed_state(r):
    assert names(r.list("pods")) == [("default", "keep")]
    assert r.get("pods", "default", "keep")["metadata"]["resourceVersion"] == "1"
    assert r.revision() == 1
    assert (r.get_meta("offset"), r.get_meta("seed")) == ("1", None)
    assert [c.revision for c in r.changes_since(0)] == [1]
    assert r.count_by_resource() == {"pods": 1}


def test_transaction_rolls_back_on_exception(pair):
    w, r = pair
    _seed(w)
    with pytest.raises(Boom):
        with w.transaction():
            _write_some(w)
            raise Boom()
    _assert_seed_state(r)
    assert w.create("pods", pod("after"))["metadata"]["resourceVersion"] == "2"


def test_transaction_dry_run_rolls_back(pair):
    w, r = pair
    _seed(w)
    with w.transaction(dry_run=True):
        _write_some(w)
        assert w.revision() == 5
    _assert_seed_state(r)
    assert w.create("pods", pod("after"))["metadata"]["resourceVersion"] == "2"


def test_transaction_commits_as_one_unit(pair):
    w, r = pair
    _seed(w)
    with w.transaction():
        _write_some(w)
    assert names(r.list("pods")) == [("default", "keep"), ("default", "new")]
    assert r.revision() == 5
    assert r.get_meta("offset") == "99"
    assert [c.op for c in r.changes_since(1)] == ["ADDED", "MODIFIED", "ADDED", "DELETED"]


def test_reads_inside_transaction_see_uncommitted_writes(store):
    with store.transaction(dry_run=True):
        store.create("namespaces", ns_obj("shop"))
        store.create("pods", pod("a", "shop"))
        store.set_meta("k", "v")
        assert store.get("namespaces", "", "shop") is not None
        assert names(store.list("pods", "shop")) == [("shop", "a")]
        assert names(store.iter_list("pods")) == [("shop", "a")]
        assert store.revision() == 2
        assert [c.name for c in store.changes_since(0)] == ["shop", "a"]
        assert store.count_by_resource() == {"namespaces": 1, "pods": 1}
        assert store.get_meta("k") == "v"
        # a later write sees the earlier one (AlreadyExists) and the transaction stays usable
        with pytest.raises(AlreadyExists):
            store.create("pods", pod("a", "shop"))
        assert store.update("pods", pod("a", "shop"), "2")["metadata"]["resourceVersion"] == "3"
    assert store.revision() == 0
    assert store.get("namespaces", "", "shop") is None


def test_nested_transaction_is_a_savepoint(store):
    with store.transaction():
        store.create("pods", pod("outer"))
        with pytest.raises(Boom):
            with store.transaction():
                store.create("pods", pod("inner"))
                raise Boom()
        with store.transaction(dry_run=True):
            store.create("pods", pod("dry"))
        store.create("pods", pod("outer2"))
    assert names(store.list("pods")) == [("default", "outer"), ("default", "outer2")]
    assert store.revision() == 2


def test_reset_inside_rolled_back_transaction(store):
    _seed(store)
    with store.transaction(dry_run=True):
        store.reset()
        assert store.list("pods") == [] and store.revision() == 0
    _assert_seed_state(store)


# --------------------------------------------------------------------------- bulk and reset


def test_create_many(pair):
    w, r = pair
    w.create("pods", pod("p-existing", "b"))
    out = w.create_many("pods", [pod(f"p{i}", ns=f"n{i % 2}") for i in range(5)])
    assert [o["metadata"]["resourceVersion"] for o in out] == ["2", "3", "4", "5", "6"]
    assert r.count_by_resource() == {"pods": 6}
    assert [c.op for c in r.changes_since(1)] == ["ADDED"] * 5
    assert r.get("pods", "n1", "p3")["metadata"]["resourceVersion"] == "5"


@pytest.mark.parametrize("batch,dup", [
    (["x", "y", "x"], "x"),
    (["x", "p-existing"], "p-existing"),
], ids=["duplicate-in-batch", "already-stored"])
def test_create_many_is_all_or_nothing(pair, batch, dup):
    w, r = pair
    w.create("pods", pod("p-existing"))
    with pytest.raises(AlreadyExists) as e:
        w.create_many("pods", [pod(n) for n in batch])
    assert str(e.value) == f'Error from server (AlreadyExists): pods "{dup}" already exists'
    assert r.count_by_resource() == {"pods": 1}
    assert r.revision() == 1


def test_reset_empties_everything(pair):
    w, r = pair
    _seed(w)
    w.create("namespaces", ns_obj("x"))
    w.reset()
    assert r.count_by_resource() == {}
    assert r.list("pods") == []
    assert r.changes_since(0) == []
    assert r.get_meta("offset") is None
    assert r.revision() == 0
    assert r.info()["counts"] == {}
    assert w.create("namespaces", ns_obj("default"))["metadata"]["resourceVersion"] == "1"


def test_list_order_is_bytewise_whatever_the_database_locale(pair):
    w, r = pair
    for n in ["ab", "a0", "a.b", "a-b", "a", "b"]:
        w.create("configmaps", {"metadata": {"name": n, "namespace": "x"}})
    assert [o["metadata"]["name"] for o in r.list("configmaps")] == ["a", "a-b", "a.b", "a0", "ab", "b"]


def test_bulk_load_then_stream_in_pages(pair):
    w, r = pair
    n = 6000  # above the PostgreSQL statistics refresh threshold and several pages
    w.create_many("configmaps", [{"metadata": {"name": f"c{i:05d}", "namespace": f"n{i % 7}"}}
                                 for i in range(n)])
    streamed = [(o["metadata"]["namespace"], o["metadata"]["name"]) for o in r.iter_list("configmaps")]
    assert len(streamed) == n
    assert streamed == sorted(streamed)
    assert r.keys("configmaps") == streamed
    assert len(r.list("configmaps", "n3")) == len([i for i in range(n) if i % 7 == 3])
    assert r.revision() == n


def test_compact_drops_old_changes_only(pair):
    w, r = pair
    for i in range(4):
        w.create("pods", pod(f"p{i}"))
    with w.transaction(dry_run=True):
        assert w.compact(3) == 3
        assert [c.revision for c in w.changes_since(0)] == [4]
    assert [c.revision for c in r.changes_since(0)] == [1, 2, 3, 4]
    assert w.compact(2) == 2
    assert [c.revision for c in r.changes_since(0)] == [3, 4]
    assert r.revision() == 4 and r.count_by_resource() == {"pods": 4}
