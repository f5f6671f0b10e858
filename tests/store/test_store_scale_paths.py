"""Store paths added for the scale envelope: meta values inside transactions (kept in memory
on SQLite, written at commit) and the name-prefix seek the event recorder uses."""

from __future__ import annotations

import pytest


class Boom(Exception):
    pass


def ev(name: str, ns: str = "default") -> dict:
    return {"apiVersion": "v1", "kind": "Event", "metadata": {"name": name, "namespace": ns}}


@pytest.mark.parametrize("outcome", ["commit", "error", "dry_run"])
def test_meta_set_in_transaction_follows_its_outcome(store, outcome):
    store.set_meta("seq", "1")
    try:
        with store.transaction(dry_run=outcome == "dry_run"):
            store.set_meta("seq", "2")
            store.set_meta("other", "x")
            assert (store.get_meta("seq"), store.get_meta("other")) == ("2", "x")
            if outcome == "error":
                raise Boom()
    except Boom:
        pass
    want = ("2", "x") if outcome == "commit" else ("1", None)
    assert (store.get_meta("seq"), store.get_meta("other")) == want


@pytest.mark.parametrize("inner", ["commit", "error", "dry_run"])
def test_meta_in_savepoint(store, inner):
    with store.transaction():
        store.set_meta("k", "outer")
        try:
            with store.transaction(dry_run=inner == "dry_run"):
                store.set_meta("k", "inner")
                if inner == "error":
                    raise Boom()
        except Boom:
            pass
        assert store.get_meta("k") == ("inner" if inner == "commit" else "outer")
    assert store.get_meta("k") == ("inner" if inner == "commit" else "outer")


def test_reset_clears_meta_set_in_the_same_transaction(store):
    with store.transaction():
        store.set_meta("k", "v")
        store.reset()
        assert store.get_meta("k") is None
    assert store.get_meta("k") is None
    assert store.get_meta("schema_version") is not None


@pytest.mark.parametrize("prefix,want", [
    ("web.", ["web.1", "web.2"]),
    ("web-1.", ["web-1.1"]),
    ("w", ["w", "web-1.1", "web.1", "web.2", "webx"]),
    ("zzz.", []),
])
def test_list_prefix_seeks_names_in_one_namespace(store, prefix, want):
    if not hasattr(store, "list_prefix"):
        pytest.skip("optional method: the SQL stores have it")
    for name in ("w", "web.1", "web.2", "web-1.1", "webx"):
        store.create("events", ev(name))
    store.create("events", ev("web.3", ns="other"))
    got = [o["metadata"]["name"] for o in store.list_prefix("events", "default", prefix)]
    assert got == want


def test_iter_metadata_matches_iter_list(pair):
    w, r = pair
    if not hasattr(r, "iter_metadata"):
        pytest.skip("optional method: the SQL stores have it")
    for i, ns in enumerate(["b", "a", "a"]):
        w.create("pods", {"apiVersion": "v1", "kind": "Pod",
                          "metadata": {"name": f"p{i}", "namespace": ns, "labels": {"x": "é"},
                                       "ownerReferences": [{"kind": "ReplicaSet", "name": "rs", "uid": "u"}]},
                          "spec": {"containers": [{"name": "c", "image": "i"}]}})
    want = [{"metadata": o["metadata"]} for o in r.iter_list("pods", None)]
    assert list(r.iter_metadata("pods", None)) == want
    assert list(r.iter_metadata("pods", "a")) == [m for m in want if m["metadata"]["namespace"] == "a"]
