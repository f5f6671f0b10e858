"""Store fixtures: every contract test runs on each backend.

`pair` is (writer, reader): the reader is the writer itself, except for "sqlite-readonly"
where writes go through SqlStore and reads through the stdlib SqliteReadStore on the same file.
PostgreSQL runs in a schema of its own per test, dropped afterwards.
"""

from __future__ import annotations

import pytest

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
