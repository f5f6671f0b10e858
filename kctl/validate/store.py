"""The throw-away in-memory cluster `kctl validate` admits a batch into.

A MemoryStore whose list() can hand out shared decoded objects: admission lists every
Service for each Service it admits (the clusterIP and nodePort allocators need the used
sets), which with a plain MemoryStore decodes n²/2 JSON bodies for n Services (measured
in bench/bench_validate.py: about half of validate's time on 3,000 real documents).
"""

from __future__ import annotations

import json

from kctl.store.memory import MemoryStore


class ValidateStore(MemoryStore):
    """While `shared_lists` is on, list() without filters returns one decoded object per
    stored body, shared between calls: callers must only read them. validate turns it on
    for Engine.apply only, where the listers (the admission plugins) only read."""

    def __init__(self):
        super().__init__("memory://")
        self.shared_lists = False
        self._decoded: dict[tuple[str, tuple[str, str]], tuple[str, dict]] = {}

    def list(self, resource: str, namespace: str | None = None, *, label_filter=None,
             node_name: str | None = None, phase: str | None = None) -> list[dict]:
        if not self.shared_lists or label_filter is not None or node_name is not None or phase is not None:
            return super().list(resource, namespace, label_filter=label_filter, node_name=node_name,
                                phase=phase)
        table = self._objects.get(resource, {})
        decoded = self._decoded
        out = []
        for key in sorted(table):
            if namespace is not None and key[0] != namespace:
                continue
            body = table[key][1]
            hit = decoded.get((resource, key))
            if hit is None or hit[0] is not body:  # a body is replaced, never changed
                hit = decoded[(resource, key)] = (body, json.loads(body))
            out.append(hit[1])
        return out

    def shared_intact(self) -> bool:
        """True when no shared object was changed by a caller (for tests)."""
        return all(json.loads(body) == obj for body, obj in self._decoded.values())
