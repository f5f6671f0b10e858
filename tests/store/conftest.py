"""Store fixtures: every contract test runs on each backend.

`pair` is (writer, reader): the reader is the writer itself, except for "sqlite-readonly"
where writes go through SqlStore and reads through the stdlib SqliteReadStore on the same file.
PostgreSQL runs in a schema of its own per test, dropped afterwards.
"""

from __future__ import annotations

import socket
import uuid

import pytest

PG_SERVER = ("127.0.0.1", 5432)
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def pg_reachable() -> bool:
    try:
        with socket.create_connection(PG_SERVER, timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def pg_url():
    """A PostgreSQL URL whose search_path is a fresh schema (dropped after the test)."""
    if not pg_reachable():
        pytest.skip(f"PostgreSQL not reachable at {PG_SERVER[0]}:{PG_SERVER[1]}")
    import psycopg

    schema = f"kctl_test_{uuid.uuid4().hex[:12]}"
    admin = "postgresql://postgres@127.0.0.1:5432/test"
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f'CREATE SCHEMA "{schema}"')
    yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f'DROP SCHEMA "{schema}" CASCADE')


BACKENDS = ["memory", "sqlite", "sqlite-readonly", "postgresql"]


@pytest.fixture(params=BACKENDS)
def pair(request, tmp_path):
    from kctl.store import open_store

    kind = request.param
    if kind == "memory":
        s = open_store("memory://")
        yield s, s
        return
    if kind == "postgresql":
        url = request.getfixturevalue("pg_url")
        s = open_store(url)
        yield s, s
        s.close()
        return
    path = str(tmp_path / "state.db")
    w = open_store(path)
    if kind == "sqlite":
        yield w, w
    else:
        r = open_store(path, readonly=True)
        assert type(r).__name__ == "SqliteReadStore"
        yield w, r
        r.close()
    w.close()


@pytest.fixture
def store(pair):
    """The writing store of each backend (for tests of writes and transactions)."""
    return pair[0]
