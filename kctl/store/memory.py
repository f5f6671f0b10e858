"""MemoryStore: the Store contract on plain dicts, for fast controller and scheduler tests.

Bodies are kept as JSON text, exactly as the SQL stores keep them, so a caller that mutates
a returned dict never changes the store, and JSON round-trip effects (tuples become lists)
are the same on every backend.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from typing import Iterator

from ..errors import AlreadyExists, Conflict, NotFound, StoreError
from .base import (ADDED, DELETED, MODIFIED, SCHEMA_VERSION, SCHEMA_VERSION_KEY, Change, dumps,
                   gc_paused, index_fields, label_matcher, object_key, with_revision)


class MemoryStore:
    """A Store held in this process only."""

    backend = "memory"

    def __init__(self, location: str = "memory://", *, readonly: bool = False):
        self.location = location
        self.readonly = readonly
        # resource -> {(namespace, name): (revision, body_json, labels_json, node_name, phase)}
        self._objects: dict[str, dict[tuple[str, str], tuple]] = {}
        self._changes: list[Change] = []
        self._meta: dict[str, str] = {SCHEMA_VERSION_KEY: str(SCHEMA_VERSION)}
        self._rev = 0
        self._snapshots: list[tuple] = []

    # ------------------------------------------------------------------ reads

    def revision(self) -> int:
        """The current global revision."""
        return self._rev

    def get(self, resource: str, namespace: str, name: str) -> dict | None:
        """The stored object, or None."""
        entry = self._objects.get(resource, {}).get((namespace or "", name))
        return json.loads(entry[1]) if entry else None

    def iter_list(self, resource: str, namespace: str | None = None, *, label_filter=None,
                  node_name: str | None = None, phase: str | None = None,
                  page_size: int = 0) -> Iterator[dict]:
        """Objects sorted by (namespace, name); namespace None = all namespaces."""
        match = label_matcher(label_filter)
        table = self._objects.get(resource, {})
        for key in sorted(table):
            if namespace is not None and key[0] != namespace:
                continue
            entry = table.get(key)
            if entry is None:
                continue  # deleted by the caller while iterating
            _rev, body, labels, node, ph = entry
            if node_name is not None and node != node_name:
                continue
            if phase is not None and ph != phase:
                continue
            if match is not None and not match(json.loads(labels) if labels else {}):
                continue
            yield json.loads(body)

    def list(self, resource: str, namespace: str | None = None, *, label_filter=None,
             node_name: str | None = None, phase: str | None = None) -> list[dict]:
        """All matching objects sorted by (namespace, name)."""
        with gc_paused():
            return [*self.iter_list(resource, namespace, label_filter=label_filter,
                                    node_name=node_name, phase=phase)]

    def keys(self, resource: str, namespace: str | None = None) -> list[tuple[str, str]]:
        """(namespace, name) of every object of a resource, sorted."""
        return sorted(k for k in self._objects.get(resource, {})
                      if namespace is None or k[0] == namespace)

    def count_by_resource(self) -> dict[str, int]:
        """{resource: number of objects}, resources with objects only."""
        return {r: len(t) for r, t in sorted(self._objects.items()) if t}

    def changes_since(self, revision: int, resource: str | None = None) -> list[Change]:
        """Change-log entries with a revision greater than `revision`, oldest first."""
        return [c for c in self._changes
                if c.revision > revision and (resource is None or c.resource == resource)]

    def get_meta(self, key: str) -> str | None:
        """A value from the meta key/value table, or None."""
        return self._meta.get(key)

    def info(self) -> dict:
        """location, backend, current revision, object counts per resource."""
        return {"location": self.location, "backend": self.backend, "revision": self._rev,
                "counts": self.count_by_resource(),
                "schema_version": self._meta.get(SCHEMA_VERSION_KEY)}

    # ------------------------------------------------------------------ transactions

    @contextmanager
    def transaction(self, dry_run: bool = False):
        """Atomic unit of writes; exception or dry_run restores the state at entry."""
        self._snapshots.append((
            {r: dict(t) for r, t in self._objects.items()},
            self._changes, len(self._changes), dict(self._meta), self._rev))
        try:
            yield self
        except BaseException:
            self._restore(self._snapshots.pop())
            raise
        snap = self._snapshots.pop()
        if dry_run:
            self._restore(snap)

    def _restore(self, snap: tuple) -> None:
        objects, changes, n_changes, meta, rev = snap
        self._objects = objects
        # reset() may have swapped the list; the snapshot's list only ever grew since
        del changes[n_changes:]
        self._changes = changes
        self._meta = meta
        self._rev = rev

    def _check_writable(self) -> None:
        if self.readonly:
            raise StoreError(f"store {self.location} is open read-only")

    # ------------------------------------------------------------------ writes

    def _put(self, resource: str, key: tuple[str, str], obj: dict, op: str) -> dict:
        self._rev += 1
        stored = with_revision(obj, self._rev)
        body = dumps(stored)
        _uid, node, phase, labels = index_fields(stored)
        self._objects.setdefault(resource, {})[key] = (self._rev, body, labels, node, phase)
        self._changes.append(Change(self._rev, resource, key[0], key[1], op))
        return json.loads(body)

    def create(self, resource: str, obj: dict) -> dict:
        """Store a new object; returns it with its new resourceVersion. AlreadyExists."""
        self._check_writable()
        key = object_key(obj)
        if key in self._objects.get(resource, {}):
            raise AlreadyExists(resource, key[1])
        return self._put(resource, key, obj, ADDED)

    def create_many(self, resource: str, objs: list[dict]) -> list[dict]:
        """Create many objects of one resource (all or nothing)."""
        with self.transaction():
            return [self.create(resource, o) for o in objs]

    def update(self, resource: str, obj: dict, expected_rv: str | None = None) -> dict:
        """Replace a stored object. NotFound; Conflict when expected_rv is given and stale."""
        self._check_writable()
        key = object_key(obj)
        entry = self._objects.get(resource, {}).get(key)
        if entry is None:
            raise NotFound(resource, key[1])
        if expected_rv is not None and str(entry[0]) != str(expected_rv):
            raise Conflict(resource, key[1])
        return self._put(resource, key, obj, MODIFIED)

    def delete(self, resource: str, namespace: str, name: str,
               expected_rv: str | None = None) -> dict:
        """Remove an object; returns it as it was stored. NotFound; Conflict when stale."""
        self._check_writable()
        key = (namespace or "", name)
        table = self._objects.get(resource, {})
        entry = table.get(key)
        if entry is None:
            raise NotFound(resource, name)
        if expected_rv is not None and str(entry[0]) != str(expected_rv):
            raise Conflict(resource, name)
        del table[key]
        self._rev += 1
        self._changes.append(Change(self._rev, resource, key[0], key[1], DELETED))
        return json.loads(entry[1])

    def set_meta(self, key: str, value: str) -> None:
        """Set a meta value (rolled back with the transaction)."""
        self._check_writable()
        self._meta[key] = str(value)

    def reset(self) -> None:
        """Delete every object, the change log and meta; the revision restarts at 0."""
        self._check_writable()
        self._objects = {}
        self._changes = []
        self._meta = {SCHEMA_VERSION_KEY: str(SCHEMA_VERSION)}
        self._rev = 0

    def compact(self, revision: int) -> int:
        """Drop change-log entries at or below `revision`; returns how many."""
        self._check_writable()
        keep = [c for c in self._changes if c.revision > revision]
        dropped = len(self._changes) - len(keep)
        self._changes = keep  # a new list: an open transaction's snapshot keeps the old one
        return dropped

    def close(self) -> None:
        """Nothing to release."""
