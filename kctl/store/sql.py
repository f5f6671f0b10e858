"""SqlStore: the Store on SQLAlchemy Core, for SQLite files and PostgreSQL.

Layout (kine-like): `objects` holds the current body of each (resource, namespace, name) with
the revision that wrote it plus a few indexed columns for listing; `changes` is the log of
every write keyed by revision; `meta` is a small key/value table; `counters` holds the global
revision in one row. The revision is read once per transaction under the write lock
(SQLite: BEGIN IMMEDIATE; PostgreSQL: SELECT ... FOR UPDATE on the counter row), advanced in
memory for each write, and written back at commit; so writers are serialized and revisions
never repeat. Every difference between the dialects is in `DIALECTS` below.
"""

from __future__ import annotations

import json
import os
import sqlite3
from contextlib import contextmanager

from sqlalchemy import (Column, Index, Integer, MetaData, String, Table, Text, create_engine,
                        event, text)
from sqlalchemy.exc import SQLAlchemyError

from ..errors import AlreadyExists, Conflict, NotFound, StoreError
from .base import (ADDED, DELETED, MODIFIED, SCHEMA_VERSION, SCHEMA_VERSION_KEY, dumps,
                   index_fields, object_key, open_error, with_revision)
from .queries import SqlReads

# The only place that knows how SQLite and PostgreSQL differ.
DIALECTS = {
    "sqlite": {
        # key columns compare bytewise in SQLite already
        "key_collation": None,
        # BEGIN IMMEDIATE is issued by the begin hook (see _sqlite_hooks)
        "lock_revision": "SELECT value FROM counters WHERE name = 'revision'",
        # first open: BEGIN IMMEDIATE already keeps a second process out
        "lock_schema": None,
        # SQLite's planner picks the primary key for keyset pages without statistics
        "analyze": None,
        "engine_args": {},
    },
    "postgresql": {
        # "C" makes ORDER BY namespace, name bytewise like SQLite and Python, whatever the
        # database's locale, and lets the primary key index serve the ordering.
        "key_collation": "C",
        "lock_revision": "SELECT value FROM counters WHERE name = 'revision' FOR UPDATE",
        # two first opens at once must not both run CREATE TABLE (any fixed key will do)
        "lock_schema": "SELECT pg_advisory_xact_lock(5283)",
        # Until autovacuum catches up after a bulk load, stale statistics (a few rows) make
        # the planner bitmap-scan and sort the whole resource for every 1000-row page
        # (160k pods: 20 s instead of 3 s); refreshing them after a big write avoids that.
        "analyze": "ANALYZE objects",
        "engine_args": {"pool_pre_ping": False},
    },
}

INSERT_OBJECT = (
    "INSERT INTO objects (resource, namespace, name, revision, created_revision, uid,"
    " node_name, phase, labels, body) VALUES (:resource, :namespace, :name, :revision,"
    " :revision, :uid, :node_name, :phase, :labels, :body)"
)
INSERT_OBJECT_NEW = INSERT_OBJECT + " ON CONFLICT (resource, namespace, name) DO NOTHING"
SELECT_FOR_WRITE = ("SELECT revision, body FROM objects"
                    " WHERE resource = :resource AND namespace = :namespace AND name = :name")
UPDATE_OBJECT = (
    "UPDATE objects SET revision = :revision, uid = :uid, node_name = :node_name,"
    " phase = :phase, labels = :labels, body = :body"
    " WHERE resource = :resource AND namespace = :namespace AND name = :name"
)
DELETE_OBJECT = "DELETE FROM objects WHERE resource = :resource AND namespace = :namespace AND name = :name"
INSERT_CHANGE = ("INSERT INTO changes (revision, resource, namespace, name, op)"
                 " VALUES (:revision, :resource, :namespace, :name, :op)")
SET_REVISION = "UPDATE counters SET value = :value WHERE name = 'revision'"
UPSERT_META = ("INSERT INTO meta (key, value) VALUES (:key, :value)"
               " ON CONFLICT (key) DO UPDATE SET value = excluded.value")
#: objects written in one transaction after which PostgreSQL statistics are refreshed
ANALYZE_AFTER = 5000

EXISTING_KEYS = ("SELECT namespace, name FROM objects WHERE resource = :resource"
                 " AND namespace = :namespace AND name IN ({names})")


def _tables(collation: str | None) -> MetaData:
    md = MetaData()
    key = lambda n: Column(n, String(253, collation=collation), primary_key=True)  # noqa: E731
    Table("objects", md,
          key("resource"), key("namespace"), key("name"),
          Column("revision", Integer, nullable=False),
          Column("created_revision", Integer, nullable=False),
          Column("uid", String(64)),
          Column("node_name", String(253)),
          Column("phase", String(64)),
          Column("labels", Text),  # JSON of metadata.labels, or NULL
          Column("body", Text, nullable=False),  # JSON text keeps key order (JSONB would not)
          # with namespace, name last these serve "pods on node X" in list order (no sort)
          Index("objects_node", "resource", "node_name", "namespace", "name"),
          Index("objects_phase", "resource", "phase", "namespace", "name"),
          Index("objects_uid", "uid"))
    Table("changes", md,
          Column("revision", Integer, primary_key=True, autoincrement=False),
          Column("resource", String(253), nullable=False),
          Column("namespace", String(253), nullable=False),
          Column("name", String(253), nullable=False),
          Column("op", String(16), nullable=False))
    Table("meta", md,
          Column("key", String(253, collation=collation), primary_key=True),
          Column("value", Text, nullable=False))
    Table("counters", md,
          Column("name", String(64), primary_key=True),
          Column("value", Integer, nullable=False))
    return md


class _RawResult:
    """The part of a SQLAlchemy result the writers use, over a sqlite3 cursor."""

    __slots__ = ("_cur",)

    def __init__(self, cur):
        self._cur = cur

    def first(self):
        return self._cur.fetchone()

    def scalar(self):
        row = self._cur.fetchone()
        return row[0] if row is not None else None

    def fetchall(self):
        return self._cur.fetchall()

    @property
    def rowcount(self) -> int:
        return self._cur.rowcount


class _RawSqlite:
    """Statements straight on the sqlite3 connection of the open transaction (same
    connection, so same transaction and savepoints as SQLAlchemy's view of it)."""

    __slots__ = ("_db",)

    def __init__(self, db):
        self._db = db

    def execute(self, sql: str, params) -> _RawResult:
        return _RawResult(self._db.execute(sql, params))

    def executemany(self, sql: str, params) -> _RawResult:
        return _RawResult(self._db.executemany(sql, params))


def _sqlite_hooks(engine) -> None:
    """pysqlite's own BEGIN handling is switched off so that writers can say BEGIN IMMEDIATE
    (take the write lock up front: no deadlock-prone lock upgrade) and readers plain BEGIN."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout = 10000")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA cache_size = -65536")
        # a bulk load grows the WAL to its size; give the disk back after checkpoints
        cur.execute("PRAGMA journal_size_limit = 67108864")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        mode = conn.get_execution_options().get("kctl_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


class SqlStore(SqlReads):
    """A Store in an SQL database reached through an SQLAlchemy URL."""

    def __init__(self, url: str, *, location: str | None = None, readonly: bool = False):
        self.location = location or url
        self.readonly = readonly
        self._texts: dict = {}
        self._conn = None  # the connection of the open transaction, if any
        self._raw = None  # SQLite: the driver connection of the open transaction (see _exec)
        self._meta_cache: dict | None = None  # SQLite writer transaction: meta values read/set
        self._meta_dirty: set | None = None  # keys set in it, written at commit
        self._rev: int | None = None  # revision as advanced inside the open transaction
        self._written = 0  # objects written by the open transaction
        try:
            self._engine = create_engine(url, **self._engine_args(url))
        except (SQLAlchemyError, ImportError, ValueError) as e:
            raise StoreError(open_error(self.location, e)) from None
        self.backend = self._engine.dialect.name
        if self.backend not in DIALECTS:
            raise StoreError(f'cannot open store "{self.location}": unsupported database '
                             f'"{self.backend}" (use SQLite or PostgreSQL)')
        self._d = DIALECTS[self.backend]
        if self.backend == "sqlite":
            _sqlite_hooks(self._engine)
        try:
            self._init_schema()
        except StoreError:
            self._engine.dispose()
            raise
        except SQLAlchemyError as e:
            self._engine.dispose()
            raise StoreError(open_error(self.location, getattr(e, "orig", None) or e)) from None

    # ------------------------------------------------------------------ setup

    def _engine_args(self, url: str) -> dict:
        args: dict = {}
        if url.startswith("sqlite"):
            path = url.split(":///", 1)[1].split("?", 1)[0] if ":///" in url else ""
            if path and path != ":memory:":
                try:
                    parent = os.path.dirname(os.path.abspath(path))
                    os.makedirs(parent, exist_ok=True)
                except OSError as e:
                    raise StoreError(open_error(self.location, e.strerror or e)) from None
            else:
                from sqlalchemy.pool import StaticPool  # one shared in-memory database
                args["poolclass"] = StaticPool
            args["connect_args"] = {"timeout": 10, "check_same_thread": False}
        elif url.startswith("postgresql"):
            args.update(DIALECTS["postgresql"]["engine_args"])
        return args

    def _init_schema(self) -> None:
        with self._engine.connect() as conn:
            if self._has_schema(conn):
                found = conn.execute(text("SELECT value FROM meta WHERE key = :k"),
                                     {"k": SCHEMA_VERSION_KEY}).scalar()
                conn.rollback()
                if found is not None and int(found) > SCHEMA_VERSION:
                    raise StoreError(f'cannot open store "{self.location}": schema version '
                                     f"{found} is newer than this kctl supports ({SCHEMA_VERSION})")
                return
            conn.rollback()
        if self.readonly:
            return  # an empty database reads as an empty store
        with self._engine.connect().execution_options(kctl_begin="IMMEDIATE") as conn:
            with conn.begin():
                if self._d["lock_schema"]:
                    conn.execute(text(self._d["lock_schema"]))
                _tables(self._d["key_collation"]).create_all(conn, checkfirst=True)
                if conn.execute(text(DIALECTS[self.backend]["lock_revision"])).first() is None:
                    conn.execute(text("INSERT INTO counters (name, value) VALUES ('revision', 0)"))
                conn.execute(text(UPSERT_META), {"key": SCHEMA_VERSION_KEY,
                                                 "value": str(SCHEMA_VERSION)})

    def _has_schema(self, conn) -> bool:
        from sqlalchemy import inspect
        return inspect(conn).has_table("counters")

    # ------------------------------------------------------------------ plumbing

    def _t(self, sql: str):
        t = self._texts.get(sql)
        if t is None:
            t = self._texts[sql] = text(sql)
        return t

    def _rows(self, sql: str, params: dict) -> list[tuple]:
        if self._raw is not None:
            try:
                return self._raw.execute(sql, params).fetchall()
            except sqlite3.Error as e:
                raise StoreError(f"store {self.location}: {e}") from None
        try:
            if self._conn is not None:
                return [tuple(r) for r in self._conn.execute(self._t(sql), params)]
            with self._engine.connect() as conn:
                rows = [tuple(r) for r in conn.execute(self._t(sql), params)]
                conn.rollback()
                return rows
        except SQLAlchemyError as e:
            if not self._has_schema_safe():
                return []  # readonly open of a database without tables yet
            raise StoreError(f"store {self.location}: {getattr(e, 'orig', None) or e}") from None

    def _has_schema_safe(self) -> bool:
        try:
            with self._engine.connect() as conn:
                return self._has_schema(conn)
        except SQLAlchemyError:
            return False

    def _exec(self, sql: str, params):
        if self._raw is not None:
            # SQLite inside a transaction: the driver's own cursor. SQLAlchemy's execute costs
            # ~100 us of Python per statement, and a converge of 150k pods runs millions.
            try:
                if isinstance(params, list):
                    return self._raw.executemany(sql, params)
                return self._raw.execute(sql, params)
            except sqlite3.Error as e:
                raise StoreError(f"store {self.location}: {e}") from None
        try:
            return self._conn.execute(self._t(sql), params)
        except SQLAlchemyError as e:
            # e.g. "database is locked" after the busy timeout: a message, not a traceback
            raise StoreError(f"store {self.location}: {getattr(e, 'orig', None) or e}") from None

    @contextmanager
    def transaction(self, dry_run: bool = False):
        """All writes inside are one atomic unit; an exception or dry_run rolls them back
        (objects, change log, meta and revision). Reads inside see the uncommitted writes.
        Nested use becomes a savepoint."""
        if self._conn is None:
            conn = self._engine.connect().execution_options(
                kctl_begin="DEFERRED" if self.readonly else "IMMEDIATE")
            try:
                trans = conn.begin()
            except SQLAlchemyError as e:
                conn.close()
                raise StoreError(f"store {self.location}: {getattr(e, 'orig', None) or e}") from None
            self._conn, self._rev, self._written = conn, None, 0
            if self.backend == "sqlite":
                self._raw = _RawSqlite(conn.connection.dbapi_connection)
                if not self.readonly:
                    # BEGIN IMMEDIATE holds the only writer lock until commit, so meta values
                    # (uid/name/event sequences, bumped per object) can live in memory and be
                    # written once at commit instead of one read + one upsert per bump
                    self._meta_cache, self._meta_dirty = {}, set()
            start = None
            try:
                yield self
                if dry_run:
                    trans.rollback()
                else:
                    self._flush_meta()
                    if self._rev is not None:
                        self._exec(SET_REVISION, {"value": self._rev})
                    trans.commit()
                    start = self._written
            except BaseException:
                if trans.is_active:
                    trans.rollback()
                raise
            finally:
                self._conn, self._rev, self._raw = None, None, None
                self._meta_cache = self._meta_dirty = None
                conn.close()
            if start is not None and start >= ANALYZE_AFTER and self._d["analyze"]:
                self._refresh_statistics()
        else:
            saved = self._rev
            saved_meta = (None if self._meta_cache is None
                          else (dict(self._meta_cache), set(self._meta_dirty)))
            sp = self._conn.begin_nested()
            try:
                yield self
            except BaseException:
                sp.rollback()
                self._rev = saved
                self._restore_meta(saved_meta)
                raise
            if dry_run:
                sp.rollback()
                self._rev = saved
                self._restore_meta(saved_meta)
            else:
                sp.commit()

    def _refresh_statistics(self) -> None:
        try:
            with self._engine.connect() as conn:
                conn.execute(text(self._d["analyze"]))
                conn.commit()
        except SQLAlchemyError:
            pass  # only an optimisation; autovacuum will do it later

    @contextmanager
    def _writing(self):
        if self.readonly:
            raise StoreError(f"store {self.location} is open read-only")
        if self._conn is not None:
            yield self._conn
        else:
            with self.transaction():
                yield self._conn

    def _next_revision(self) -> int:
        if self._rev is None:
            # first write of this transaction: take the revision under the writer lock
            self._rev = int(self._exec(self._d["lock_revision"], {}).scalar() or 0)
        self._rev += 1
        return self._rev

    def revision(self) -> int:
        """The current global revision (including uncommitted writes of an open transaction)."""
        if self._rev is not None:
            return self._rev
        return super().revision()

    # ------------------------------------------------------------------ writes

    def create(self, resource: str, obj: dict) -> dict:
        """Store a new object; returns it with its new resourceVersion. AlreadyExists."""
        namespace, name = object_key(obj)
        with self._writing():
            rev = self._next_revision()
            stored = with_revision(obj, rev)
            body = dumps(stored)
            uid, node, phase, labels = index_fields(stored)
            res = self._exec(INSERT_OBJECT_NEW, {
                "resource": resource, "namespace": namespace, "name": name, "revision": rev,
                "uid": uid, "node_name": node, "phase": phase, "labels": labels, "body": body})
            if res.rowcount == 0:
                self._rev -= 1
                raise AlreadyExists(resource, name)
            self._exec(INSERT_CHANGE, {"revision": rev, "resource": resource,
                                       "namespace": namespace, "name": name, "op": ADDED})
            self._written += 1
        return json.loads(body)

    def create_many(self, resource: str, objs: list[dict]) -> list[dict]:
        """Create many objects of one resource with bulk statements (all or nothing).

        Returns the stored copies; their nested values are shared with the inputs."""
        if not objs:
            return []
        keyed = [(object_key(o), o) for o in objs]
        with self._writing():
            self._next_revision()
            self._rev -= 1  # only takes the writer lock; objects are numbered below
            seen: set = set()
            by_ns: dict = {}
            for key, _ in keyed:
                if key in seen:
                    raise AlreadyExists(resource, key[1])
                seen.add(key)
                by_ns.setdefault(key[0], []).append(key[1])
            for ns, names in by_ns.items():
                for i in range(0, len(names), 500):
                    chunk = names[i:i + 500]
                    params = {f"n{j}": n for j, n in enumerate(chunk)}
                    sql = EXISTING_KEYS.format(names=", ".join(f":n{j}" for j in range(len(chunk))))
                    found = self._exec(sql, {"resource": resource, "namespace": ns, **params}).first()
                    if found is not None:
                        raise AlreadyExists(resource, found[1])
            rows, changes, out = [], [], []
            for (ns, name), obj in keyed:
                rev = self._next_revision()
                stored = with_revision(obj, rev)
                uid, node, phase, labels = index_fields(stored)
                rows.append({"resource": resource, "namespace": ns, "name": name,
                             "revision": rev, "uid": uid, "node_name": node, "phase": phase,
                             "labels": labels, "body": dumps(stored)})
                changes.append({"revision": rev, "resource": resource, "namespace": ns,
                                "name": name, "op": ADDED})
                out.append(stored)
            self._exec(INSERT_OBJECT, rows)
            self._written += len(rows)
            self._exec(INSERT_CHANGE, changes)
        return out

    def update(self, resource: str, obj: dict, expected_rv: str | None = None) -> dict:
        """Replace a stored object. NotFound; Conflict when expected_rv is given and stale."""
        namespace, name = object_key(obj)
        key = {"resource": resource, "namespace": namespace, "name": name}
        with self._writing():
            rev = self._next_revision()  # lock first: the check below must see the latest
            row = self._exec(SELECT_FOR_WRITE, key).first()
            if row is None:
                self._rev -= 1
                raise NotFound(resource, name)
            if expected_rv is not None and str(row[0]) != str(expected_rv):
                self._rev -= 1
                raise Conflict(resource, name)
            stored = with_revision(obj, rev)
            body = dumps(stored)
            uid, node, phase, labels = index_fields(stored)
            self._exec(UPDATE_OBJECT, {**key, "revision": rev, "uid": uid, "node_name": node,
                                       "phase": phase, "labels": labels, "body": body})
            self._exec(INSERT_CHANGE, {**key, "revision": rev, "op": MODIFIED})
        return json.loads(body)

    def delete(self, resource: str, namespace: str, name: str,
               expected_rv: str | None = None) -> dict:
        """Remove an object; returns it as it was stored. NotFound; Conflict when stale."""
        key = {"resource": resource, "namespace": namespace or "", "name": name}
        with self._writing():
            rev = self._next_revision()
            row = self._exec(SELECT_FOR_WRITE, key).first()
            if row is None:
                self._rev -= 1
                raise NotFound(resource, name)
            if expected_rv is not None and str(row[0]) != str(expected_rv):
                self._rev -= 1
                raise Conflict(resource, name)
            self._exec(DELETE_OBJECT, key)
            self._exec(INSERT_CHANGE, {**key, "revision": rev, "op": DELETED})
        return json.loads(row[1])

    def get_meta(self, key: str) -> str | None:
        """A value from the meta key/value table, or None."""
        cache = self._meta_cache
        if cache is None:
            return super().get_meta(key)
        if key not in cache:
            cache[key] = super().get_meta(key)
        return cache[key]

    def set_meta(self, key: str, value: str) -> None:
        """Set a meta value (transactional like object writes)."""
        if self._meta_cache is not None:
            self._meta_cache[key] = str(value)
            self._meta_dirty.add(key)
            return
        with self._writing():
            self._exec(UPSERT_META, {"key": key, "value": str(value)})

    def _flush_meta(self) -> None:
        if self._meta_dirty:
            self._exec(UPSERT_META, [{"key": k, "value": self._meta_cache[k]}
                                     for k in sorted(self._meta_dirty)])
            self._meta_dirty.clear()

    def _restore_meta(self, saved) -> None:
        if saved is not None:
            self._meta_cache, self._meta_dirty = saved

    def reset(self) -> None:
        """Delete every object, the change log and meta (but the schema version); the
        revision starts again from 0."""
        with self._writing():
            self._next_revision()
            self._rev = 0
            self._exec("DELETE FROM objects", {})
            self._exec("DELETE FROM changes", {})
            self._exec("DELETE FROM meta WHERE key <> :k", {"k": SCHEMA_VERSION_KEY})
            if self._meta_cache is not None:
                self._meta_cache, self._meta_dirty = {}, set()

    def compact(self, revision: int) -> int:
        """Drop change-log entries at or below `revision` (kine's compaction); returns how
        many. Objects and the revision counter are untouched."""
        with self._writing():
            return self._exec("DELETE FROM changes WHERE revision <= :r", {"r": int(revision)}).rowcount

    def close(self) -> None:
        """Release connections."""
        self._engine.dispose()
