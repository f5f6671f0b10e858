"""The read-only path for SQLite stores on the stdlib sqlite3 module.

`kctl get`/`describe`/`store info` on the default SQLite file should not pay ~190 ms to
import SQLAlchemy, so `open_store(path, readonly=True)` returns this class. It runs the very
statements of queries.py that SqlStore runs, and the contract tests hold the two equal.

A missing file (or one without kctl's tables yet) reads as an empty store and is NOT created:
read-only commands never write. The engine creates the file with the bootstrap objects on the
first write.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import contextmanager
from urllib.parse import quote

from ..errors import StoreError
from .base import open_error
from .queries import HAS_TABLES, SqlReads


class SqliteReadStore(SqlReads):
    """Read methods of the Store protocol over an SQLite file; writes raise StoreError."""

    backend = "sqlite"
    readonly = True

    def __init__(self, path: str, *, location: str | None = None):
        self.location = location or path
        self.path = path
        #: False when the file did not exist (or had no tables): an empty view
        self.exists = False
        self._db: sqlite3.Connection | None = None
        if not os.path.exists(path):
            return
        try:
            # mode=rw never creates the file; query_only forbids writes. A WAL reader needs the
            # -shm file; where it cannot be created (read-only directory) fall back to mode=ro.
            try:
                db = sqlite3.connect(f"file:{quote(os.path.abspath(path))}?mode=rw", uri=True,
                                     isolation_level=None, check_same_thread=False)
                db.execute("PRAGMA query_only = ON")
            except sqlite3.OperationalError:
                db = sqlite3.connect(f"file:{quote(os.path.abspath(path))}?mode=ro", uri=True,
                                     isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA busy_timeout = 10000")
            has = db.execute(HAS_TABLES).fetchone()[0]
        except sqlite3.DatabaseError as e:
            raise StoreError(open_error(self.location, e)) from None
        if has:
            self._db, self.exists = db, True
        else:
            db.close()

    def _rows(self, sql: str, params: dict) -> list[tuple]:
        if self._db is None:
            return []
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as e:
            raise StoreError(f"store {self.location}: {e}") from None

    @contextmanager
    def transaction(self, dry_run: bool = False):
        """Reads only: nothing to commit or roll back."""
        yield self

    def _readonly(self, *_a, **_k):
        raise StoreError(f"store {self.location} is open read-only")

    create = create_many = update = delete = set_meta = reset = compact = _readonly

    def close(self) -> None:
        """Close the file."""
        if self._db is not None:
            self._db.close()
            self._db = None
