"""Choosing and opening a store: locations, URLs, errors, the SQLAlchemy-free read path."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kctl.errors import StoreError
from kctl.store import display_location, open_store, resolve_location, sqlite_path

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("value,env,expected", [
    ("/x/flag.db", "/x/env.db", "/x/flag.db"),
    (None, "/x/env.db", "/x/env.db"),
    (None, None, "HOME/.kctl/state.db"),
    ("~/a.db", None, "HOME/a.db"),
    ("postgresql+psycopg://u@h/db", "/x/env.db", "postgresql+psycopg://u@h/db"),
], ids=["flag-wins", "env", "default", "tilde", "url"])
def test_resolve_location(monkeypatch, tmp_path, value, env, expected):
    monkeypatch.setenv("HOME", str(tmp_path))
    if env is None:
        monkeypatch.delenv("KCTL_STORE", raising=False)
    else:
        monkeypatch.setenv("KCTL_STORE", env)
    assert resolve_location(value) == expected.replace("HOME", str(tmp_path))


@pytest.mark.parametrize("location,path", [
    ("state.db", "state.db"),
    ("/abs/state.db", "/abs/state.db"),
    ("sqlite:///rel.db", "rel.db"),
    ("sqlite:////abs/s.db", "/abs/s.db"),
    ("sqlite+pysqlite:////abs/s.db?timeout=3", "/abs/s.db"),
    ("sqlite://", ":memory:"),
    ("sqlite:///:memory:", ":memory:"),
    ("postgresql+psycopg://u@h/db", None),
], ids=["rel-path", "abs-path", "url-rel", "url-abs", "url-driver-query", "url-memory",
        "url-memory-explicit", "postgresql"])
def test_sqlite_path(location, path):
    assert sqlite_path(location) == path


def test_display_location_hides_password():
    assert display_location("postgresql+psycopg://bob:s3cret@db:5432/k") == \
        "postgresql+psycopg://bob:***@db:5432/k"
    assert display_location("/home/bob/x.db") == "/home/bob/x.db"


def test_default_location_directory_created_on_first_use(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("KCTL_STORE", raising=False)
    s = open_store(None)
    s.create("namespaces", {"metadata": {"name": "default"}})
    s.close()
    assert (tmp_path / ".kctl" / "state.db").is_file()
    assert open_store(None, readonly=True).info()["counts"] == {"namespaces": 1}


@pytest.mark.parametrize("value", ["{d}/a/b/c/state.db", "sqlite:///{d}/a/b/c/state.db"],
                         ids=["path", "url"])
def test_open_in_missing_directory_creates_it(tmp_path, value):
    s = open_store(value.format(d=tmp_path))
    assert s.backend == "sqlite"
    assert (tmp_path / "a" / "b" / "c" / "state.db").is_file()
    s.close()


def test_open_where_a_file_blocks_the_directory(tmp_path):
    (tmp_path / "file").write_text("x")
    target = tmp_path / "file" / "state.db"
    with pytest.raises(StoreError) as e:
        open_store(str(target))
    assert str(e.value) == f'cannot open store "{target}": File exists' or \
        str(e.value) == f'cannot open store "{target}": Not a directory'
    assert e.value.render().startswith('error: cannot open store "')


def test_open_a_directory_as_store(tmp_path):
    with pytest.raises(StoreError) as e:
        open_store(str(tmp_path))
    assert str(e.value) == f'cannot open store "{tmp_path}": unable to open database file'


def test_open_a_file_that_is_not_a_database(tmp_path):
    bad = tmp_path / "junk.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    for readonly in (False, True):
        with pytest.raises(StoreError) as e:
            open_store(str(bad), readonly=readonly).info()
        assert str(e.value).endswith("file is not a database"), str(e.value)


def test_unreachable_postgresql():
    with pytest.raises(StoreError) as e:
        open_store("postgresql+psycopg://postgres:pw@127.0.0.1:1/test")
    msg = str(e.value)
    assert msg.startswith('cannot open store "postgresql+psycopg://postgres:***@127.0.0.1:1/test": ')
    assert "pw" not in msg and "\n" not in msg


def test_unsupported_url():
    with pytest.raises(StoreError) as e:
        open_store("mysql+nodriver://x/y")
    assert str(e.value).startswith('cannot open store "mysql+nodriver://x/y": ')


def test_readonly_missing_file_is_empty_and_not_created(tmp_path):
    target = tmp_path / "nope" / "state.db"
    r = open_store(str(target), readonly=True)
    assert r.exists is False
    assert r.info() == {"location": str(target), "backend": "sqlite", "revision": 0,
                        "counts": {}, "schema_version": None}
    assert r.list("namespaces") == [] and r.get("pods", "a", "b") is None
    assert r.changes_since(0) == [] and r.get_meta("x") is None
    assert not (tmp_path / "nope").exists()


@pytest.mark.parametrize("method,args", [
    ("create", ("pods", {"metadata": {"name": "a"}})),
    ("update", ("pods", {"metadata": {"name": "a"}}, None)),
    ("delete", ("pods", "", "a")),
    ("set_meta", ("k", "v")),
    ("reset", ()),
], ids=["create", "update", "delete", "set_meta", "reset"])
def test_readonly_store_refuses_writes(tmp_path, method, args):
    path = str(tmp_path / "s.db")
    open_store(path).close()
    r = open_store(path, readonly=True)
    with pytest.raises(StoreError) as e:
        getattr(r, method)(*args)
    assert str(e.value) == f"store {path} is open read-only"


def test_readonly_sql_store_for_postgresql(pg_url):
    w = open_store(pg_url)
    w.create("pods", {"metadata": {"name": "a", "namespace": "x"}})
    r = open_store(pg_url, readonly=True)
    assert r.backend == "postgresql" and r.list("pods")[0]["metadata"]["name"] == "a"
    with pytest.raises(StoreError):
        r.create("pods", {"metadata": {"name": "b", "namespace": "x"}})
    r.close()
    w.close()


def test_readonly_sees_commits_of_a_writer_after_opening(tmp_path):
    path = str(tmp_path / "s.db")
    w = open_store(path)
    r = open_store(path, readonly=True)
    with w.transaction():
        w.create("pods", {"metadata": {"name": "a", "namespace": "x"}})
        assert r.list("pods") == [], "uncommitted writes are invisible to other readers"
    assert [o["metadata"]["name"] for o in r.list("pods")] == ["a"]


def test_reopen_keeps_data_and_revision(tmp_path):
    path = str(tmp_path / "s.db")
    s = open_store(path)
    s.create("pods", {"metadata": {"name": "a", "namespace": "x"}})
    s.set_meta("seed", "42")
    s.close()
    s = open_store(path)
    assert s.revision() == 1 and s.get_meta("seed") == "42"
    assert s.create("pods", {"metadata": {"name": "b", "namespace": "x"}})["metadata"][
        "resourceVersion"] == "2"
    assert s.get_meta("schema_version") == "1"


def test_newer_schema_version_is_refused(tmp_path):
    path = str(tmp_path / "s.db")
    s = open_store(path)
    s.set_meta("schema_version", "999")
    s.close()
    with pytest.raises(StoreError) as e:
        open_store(path)
    assert "schema version 999 is newer" in str(e.value)


def test_two_writers_on_one_sqlite_file_never_reuse_a_revision(tmp_path):
    path = str(tmp_path / "s.db")
    a, b = open_store(path), open_store(path)
    revs = []
    for i in range(5):
        revs.append(a.create("pods", {"metadata": {"name": f"a{i}", "namespace": "x"}})["metadata"]["resourceVersion"])
        revs.append(b.create("pods", {"metadata": {"name": f"b{i}", "namespace": "x"}})["metadata"]["resourceVersion"])
    assert revs == [str(i) for i in range(1, 11)]
    assert a.revision() == b.revision() == 10


def test_two_writers_on_postgresql_never_reuse_a_revision(pg_url):
    a, b = open_store(pg_url), open_store(pg_url)
    revs = []
    for i in range(3):
        revs.append(a.create("pods", {"metadata": {"name": f"a{i}", "namespace": "x"}})["metadata"]["resourceVersion"])
        revs.append(b.create("pods", {"metadata": {"name": f"b{i}", "namespace": "x"}})["metadata"]["resourceVersion"])
    assert revs == [str(i) for i in range(1, 7)]
    a.close()
    b.close()


def test_memory_url():
    s = open_store("memory://")
    assert s.backend == "memory" and s.info()["revision"] == 0


def test_readonly_read_path_does_not_import_sqlalchemy(tmp_path):
    path = str(tmp_path / "s.db")
    s = open_store(path)
    s.create("pods", {"metadata": {"name": "a", "namespace": "x"}})
    s.close()
    code = (
        "import sys\n"
        "from kctl.store import open_store\n"
        f"s = open_store({path!r}, readonly=True)\n"
        "print(s.info()['counts'], len(s.list('pods')))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'psycopg')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                         text=True, check=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert out.stdout.splitlines() == ["{'pods': 1} 1", "[]"]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_concurrent_writers_serialize_on_the_revision(request, tmp_path, backend):
    """Writers in parallel threads (own connections) get distinct, gap-free revisions and
    every write is in the change log: the revision lock serializes them."""
    import threading

    location = request.getfixturevalue("pg_url") if backend == "postgresql" else str(tmp_path / "s.db")
    stores = [open_store(location) for _ in range(3)]
    errors = []

    def work(k, s):
        try:
            for i in range(10):
                with s.transaction():
                    s.create("pods", {"metadata": {"name": f"w{k}-{i}", "namespace": "x"}})
                    s.set_meta(f"last-{k}", str(i))
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(k, s)) for k, s in enumerate(stores)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    s = stores[0]
    revs = sorted(int(o["metadata"]["resourceVersion"]) for o in s.list("pods"))
    assert revs == list(range(1, 31))
    assert [c.revision for c in s.changes_since(0)] == list(range(1, 31))
    assert s.revision() == 30
    for st in stores:
        st.close()
