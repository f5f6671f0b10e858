"""SQL shared by the SQLAlchemy store (sql.py) and the stdlib read path (sqlite_read.py).

Both backends run these exact statements (named `:param` style works for sqlite3 and for
SQLAlchemy's text()), so the read-only path cannot drift from the writer. The table layout
is in sql.py (`_tables`); dialect differences live in sql.py's `DIALECTS`.

Lists are paged by keyset on the primary key (resource, namespace, name): each page is one
short query that seeks past the last row of the previous page, so streaming 150k pods holds
no cursor open across yields (callers may write between pages) and never sorts the table.
"""

from __future__ import annotations

import json
from typing import Iterator

from .base import PAGE_SIZE, Change, gc_paused, label_matcher

REVISION = "SELECT value FROM counters WHERE name = 'revision'"
GET = "SELECT body FROM objects WHERE resource = :resource AND namespace = :namespace AND name = :name"
COUNTS = "SELECT resource, COUNT(*) FROM objects GROUP BY resource ORDER BY resource"
META = "SELECT value FROM meta WHERE key = :key"
CHANGES = ("SELECT revision, resource, namespace, name, op FROM changes"
           " WHERE revision > :revision{res} ORDER BY revision")
PREFIX = ("SELECT body FROM objects WHERE resource = :resource AND namespace = :namespace"
          " AND name >= :lo AND name < :hi ORDER BY name")
HAS_TABLES = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'objects'"


def list_sql(*, columns: str, namespace: bool, after: bool, node_name: bool, phase: bool) -> str:
    """One page of a list, in primary-key order (namespace, name)."""
    where = ["resource = :resource"]
    if namespace:
        where.append("namespace = :namespace")
        if after:
            where.append("name > :after_name")
    elif after:
        # row-value comparison: both SQLite (>= 3.15) and PostgreSQL seek the PK index with it
        where.append("(namespace, name) > (:after_ns, :after_name)")
    if node_name:
        where.append("node_name = :node_name")
    if phase:
        where.append("phase = :phase")
    return (f"SELECT {columns} FROM objects WHERE {' AND '.join(where)}"
            " ORDER BY namespace, name LIMIT :limit")


class SqlReads:
    """Read methods over the shared tables; a backend supplies `_rows(sql, params)`
    (a list of tuples) and may override `_tables_exist()`."""

    def _rows(self, sql: str, params: dict) -> list[tuple]:  # pragma: no cover - abstract
        raise NotImplementedError

    def revision(self) -> int:
        """The current global revision (0 for an empty store)."""
        rows = self._rows(REVISION, {})
        return int(rows[0][0]) if rows else 0

    def get(self, resource: str, namespace: str, name: str) -> dict | None:
        """The stored object, or None."""
        rows = self._rows(GET, {"resource": resource, "namespace": namespace or "", "name": name})
        return json.loads(rows[0][0]) if rows else None

    def _pages(self, resource, namespace, columns, node_name=None, phase=None,
               page_size=PAGE_SIZE) -> Iterator[tuple]:
        params: dict = {"resource": resource, "limit": page_size}
        if namespace is not None:
            params["namespace"] = namespace
        if node_name is not None:
            params["node_name"] = node_name
        if phase is not None:
            params["phase"] = phase
        after = False
        while True:
            sql = list_sql(columns=columns, namespace=namespace is not None, after=after,
                           node_name=node_name is not None, phase=phase is not None)
            rows = self._rows(sql, params)
            yield from rows
            if len(rows) < page_size:
                return
            last = rows[-1]
            params["after_ns"], params["after_name"] = last[0], last[1]
            after = True

    def iter_list(self, resource: str, namespace: str | None = None, *, label_filter=None,
                  node_name: str | None = None, phase: str | None = None,
                  page_size: int = PAGE_SIZE) -> Iterator[dict]:
        """Stream objects sorted by (namespace, name); namespace None = all namespaces.

        node_name / phase select on spec.nodeName / status.phase (indexed columns); a label
        filter is tried on the labels column before a body is parsed."""
        match = label_matcher(label_filter)
        loads = json.loads
        for row in self._pages(resource, namespace, "namespace, name, labels, body",
                               node_name, phase, page_size):
            if match is not None and not match(loads(row[2]) if row[2] else {}):
                continue
            yield loads(row[3])

    def list(self, resource: str, namespace: str | None = None, *, label_filter=None,
             node_name: str | None = None, phase: str | None = None) -> list[dict]:
        """All matching objects sorted by (namespace, name); see iter_list."""
        with gc_paused():
            return [*self.iter_list(resource, namespace, label_filter=label_filter,
                                    node_name=node_name, phase=phase)]

    def iter_metadata(self, resource: str, namespace: str | None = None) -> Iterator[dict]:
        """Stream `{"metadata": ...}` of each object, sorted like iter_list. SQLite extracts
        the metadata in C, so a caller that needs only owners/finalizers (the garbage
        collector's index) does not decode 150k whole pod bodies."""
        if getattr(self, "backend", "") != "sqlite":
            for obj in self.iter_list(resource, namespace):
                yield {"metadata": obj.get("metadata") or {}}
            return
        loads = json.loads
        for row in self._pages(resource, namespace, "namespace, name, json_extract(body, '$.metadata')"):
            yield {"metadata": loads(row[2]) if row[2] else {}}

    def list_prefix(self, resource: str, namespace: str, prefix: str) -> list[dict]:
        """Objects of one namespace whose name starts with `prefix` (non-empty), by name:
        a range seek on the primary key (e.g. the events about one object, `<name>.<hex>`)."""
        hi = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        loads = json.loads
        return [loads(r[0]) for r in self._rows(PREFIX, {"resource": resource, "namespace": namespace or "",
                                                          "lo": prefix, "hi": hi})]

    def keys(self, resource: str, namespace: str | None = None) -> list[tuple[str, str]]:
        """(namespace, name) of every object of a resource, sorted, without reading bodies."""
        return [(r[0], r[1]) for r in self._pages(resource, namespace, "namespace, name",
                                                  page_size=PAGE_SIZE * 10)]

    def count_by_resource(self) -> dict[str, int]:
        """{resource: number of objects}, resources with objects only."""
        return {r: int(n) for r, n in self._rows(COUNTS, {})}

    def changes_since(self, revision: int, resource: str | None = None) -> list[Change]:
        """Change-log entries with a revision greater than `revision`, oldest first."""
        params: dict = {"revision": int(revision)}
        if resource is not None:
            params["resource"] = resource
        sql = CHANGES.format(res=" AND resource = :resource" if resource is not None else "")
        return [Change(int(a), b, c, d, e) for a, b, c, d, e in self._rows(sql, params)]

    def get_meta(self, key: str) -> str | None:
        """A value from the meta key/value table, or None."""
        rows = self._rows(META, {"key": key})
        return rows[0][0] if rows else None

    def info(self) -> dict:
        """location, backend, current revision, object counts per resource."""
        return {"location": self.location, "backend": self.backend,
                "revision": self.revision(), "counts": self.count_by_resource(),
                "schema_version": self.get_meta("schema_version")}
