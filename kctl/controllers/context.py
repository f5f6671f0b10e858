"""What a reconciler gets: the store, cluster time, and API-server-like writes.

Controllers never talk SQL: they read and write through the Store protocol via this Context.
Writes go through the same defaulting and registry strategy as `kctl apply` (uid,
creationTimestamp, generation, status handling), and a write that would change nothing is
skipped, so the control loops reach quiescence.
"""

from __future__ import annotations

import copy
import hashlib
import json
from datetime import datetime, timedelta, timezone
from typing import Iterable

from kctl.api import kinds as kinds_mod
from kctl.api import strategy
from kctl.api.kinds import Kind

# Upstream's rand.String alphabet (k8s.io/apimachinery/pkg/util/rand): no vowels, no 0/1/3.
_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"

Key = tuple  # (resource, namespace, name) unless a controller says otherwise

#: the field manager of controllers' writes (kube-controller-manager's user agent)
CONTROLLER_MANAGER = "kube-controller-manager"


def rfc3339(t: datetime) -> str:
    return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(s: str | None) -> datetime | None:
    if not s:
        return None
    return datetime.strptime(s[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)


def tree_copy(o):
    """A deep copy of a JSON tree (dicts, lists, scalars); ~4x faster than copy.deepcopy,
    which keeps a memo for shared and cyclic references JSON cannot have."""
    t = type(o)
    if t is dict:
        return {k: tree_copy(v) for k, v in o.items()}
    if t is list:
        return [tree_copy(v) for v in o]
    if t is str or t is int or t is bool or t is float or o is None:
        return o
    return copy.deepcopy(o)


_KIND_CACHE: dict = {}


def kind_of(ref) -> Kind:
    """A Kind from a resource string ("pods", "deployments.apps"), a (group, kind) pair, or a Kind."""
    if isinstance(ref, Kind):
        return ref
    k = _KIND_CACHE.get(ref)
    if k is None:
        k = _kind_of(ref)
        if kinds_mod.is_builtin(k.group, k.kind):  # a CRD's kind may change: not cached
            _KIND_CACHE[ref] = k
    return k


def _kind_of(ref) -> Kind:
    if isinstance(ref, tuple):
        k = kinds_mod.by_group_kind(*ref)
    else:
        plural, _, group = ref.partition(".")
        k = next((x for x in kinds_mod.all_kinds() if x.plural == plural and x.group == group), None)
    if k is None:
        raise KeyError(f"unknown kind {ref!r}")
    return k


def kind_of_object(obj: dict) -> Kind:
    group, _ = kinds_mod.split_api_version(obj.get("apiVersion") or "")
    return kind_of((group, obj.get("kind") or ""))


class Context:
    """One converge pass's view of the cluster at cluster time `now`."""

    def __init__(self, store, now: datetime):
        self.store = store
        self.now = now.replace(microsecond=0)
        self.timers: dict[tuple[str, tuple], datetime] = {}
        self._event_index: dict | None = None
        self._read_memo: dict | None = None

    # ------------------------------------------------------------------ time
    @property
    def now_str(self) -> str:
        return rfc3339(self.now)

    def requeue_after(self, controller: str, key: Key, seconds: float) -> None:
        """Ask to reconcile `key` again when cluster time reaches now + seconds."""
        # at least a second: a timer due "now" would fire again at once, for ever
        due = self.now + timedelta(seconds=max(1.0, float(seconds)))
        k = (controller, tuple(key))
        if k not in self.timers or due < self.timers[k]:
            self.timers[k] = due

    # ------------------------------------------------------------------ identity
    def _seq(self, meta_key: str) -> int:
        n = int(self.store.get_meta(meta_key) or 0) + 1
        self.store.set_meta(meta_key, str(n))
        return n

    def _digest(self, meta_key: str) -> bytes:
        seed = self.store.get_meta("seed") or "kctl"
        return hashlib.sha256(f"{seed}:{meta_key}:{self._seq(meta_key)}".encode()).digest()

    def suffix(self, n: int = 5) -> str:
        """A random-looking name suffix from a seeded sequence kept in the store: the same
        store and inputs give the same names."""
        d = self._digest("rand-seq")
        return "".join(_ALPHABET[b % len(_ALPHABET)] for b in d[:n])

    def uid(self) -> str:
        return next_uid(self.store)

    # ------------------------------------------------------------------ reads
    def get(self, kind, namespace: str, name: str) -> dict | None:
        k = kind_of(kind)
        memo = self._read_memo
        if memo is None:
            return self.store.get(k.resource, namespace if k.namespaced else "", name)
        key = (k.resource, namespace if k.namespaced else "", name)
        if key not in memo:
            memo[key] = self.store.get(*key)
        return memo[key]

    def memo_reads(self, on: bool) -> None:
        """While on, get() returns one shared object per key (callers must not change it):
        the runner turns it on while controllers map changes to keys, which only read.
        Any write through this Context drops the memo."""
        self._read_memo = {} if on else None

    def list(self, kind, namespace: str | None = None, **filters) -> list[dict]:
        return self.store.list(kind_of(kind).resource, namespace, **filters)

    # ------------------------------------------------------------------ writes
    def create(self, kind, obj: dict) -> dict:
        """Create as the API server would for a controller's request: defaults, registry
        steps, server metadata, initial status (a status given by the caller is kept)."""
        return self._create(kind_of(kind), tree_copy(obj))

    def _create(self, k: Kind, obj: dict) -> dict:
        """create() on an object the caller hands over (it is changed in place)."""
        from kctl.api.defaults import apply_defaults

        if self._read_memo:
            self._read_memo.clear()
        obj.setdefault("apiVersion", k.api_version)
        obj.setdefault("kind", k.kind)
        meta = obj.setdefault("metadata", {})
        if k.namespaced:
            meta.setdefault("namespace", "default")
        if not meta.get("name") and meta.get("generateName"):
            meta["name"] = meta["generateName"] + self.suffix(5)
        given_status = obj.get("status")
        apply_defaults(k, obj)
        strategy.prepare_for_create(k, obj, uid=self.uid(), now=self.now_str,
                                    keep_status=given_status is not None)
        if given_status is not None:
            obj["status"] = given_status
        if k.kind != "Event":
            # the apiserver tracks every create (server-side apply's conflicts then name the
            # controller); events come from many components and are left untracked
            from kctl.api.managedfields import record_update

            record_update(k, None, obj, CONTROLLER_MANAGER, self.now_str)
        return self.store.create(k.resource, obj)

    def update(self, kind, obj: dict) -> dict:
        """Update metadata/spec (status kept from live where it is a subresource); a no-op
        update is skipped and returns the live object."""
        from kctl.api.defaults import apply_defaults

        if self._read_memo:
            self._read_memo.clear()
        k = kind_of(kind)
        meta = obj.get("metadata") or {}
        live = self.store.get(k.resource, meta.get("namespace", "") if k.namespaced else "", meta["name"])
        if live is None:
            from kctl.errors import NotFound

            raise NotFound(k.resource, meta["name"])
        new = tree_copy(obj)
        apply_defaults(k, new)
        strategy.prepare_for_update(k, new, live)
        if new == live:
            return live
        return self.store.update(k.resource, new, expected_rv=(live.get("metadata") or {}).get("resourceVersion"))

    def update_status(self, kind, obj: dict) -> dict:
        """Write only `status` (the status subresource); skipped when unchanged."""
        if self._read_memo:
            self._read_memo.clear()
        k = kind_of(kind)
        meta = obj.get("metadata") or {}
        live = self.store.get(k.resource, meta.get("namespace", "") if k.namespaced else "", meta["name"])
        if live is None:
            from kctl.errors import NotFound

            raise NotFound(k.resource, meta["name"])
        if live.get("status") == obj.get("status"):
            return live
        new = live  # a fresh dict from the store: ours to change
        if obj.get("status") is None:
            new.pop("status", None)
        else:
            new["status"] = tree_copy(obj["status"])
        return self.store.update(k.resource, new, expected_rv=(live.get("metadata") or {}).get("resourceVersion"))

    def write(self, kind, obj: dict) -> dict:
        """Replace the whole object (metadata, spec and status) as stored; skipped when
        unchanged. For controllers that own an object outright (e.g. Endpoints, bindings)."""
        if self._read_memo:
            self._read_memo.clear()
        k = kind_of(kind)
        meta = obj.get("metadata") or {}
        live = self.store.get(k.resource, meta.get("namespace", "") if k.namespaced else "", meta["name"])
        if live is None:
            return self.create(k, obj)
        new = tree_copy(obj)
        for f in ("uid", "creationTimestamp", "resourceVersion"):
            if f in (live.get("metadata") or {}):
                new.setdefault("metadata", {})[f] = live["metadata"][f]
        if new == live:
            return live
        return self.store.update(k.resource, new, expected_rv=live["metadata"].get("resourceVersion"))

    def delete(self, kind, namespace: str, name: str) -> dict | None:
        """Remove the object now (None if it was already gone)."""
        if self._read_memo:
            self._read_memo.clear()
        k = kind_of(kind)
        ns = namespace if k.namespaced else ""
        if self.store.get(k.resource, ns, name) is None:
            return None
        return self.store.delete(k.resource, ns, name)

    # ------------------------------------------------------------------ events
    def event(self, obj: dict, type_: str, reason: str, message: str, *, component: str,
              host: str | None = None) -> dict:
        """Record a core/v1 Event about `obj`; a repeat (same object, reason, message and
        source) bumps count and lastTimestamp instead, as the client-go recorder aggregates."""
        meta = obj.get("metadata") or {}
        ns = meta.get("namespace") or "default"
        involved = {
            "apiVersion": obj.get("apiVersion", "v1"),
            "kind": obj.get("kind", ""),
            "name": meta.get("name", ""),
            "namespace": meta.get("namespace", ""),
            "uid": meta.get("uid", ""),
            "resourceVersion": meta.get("resourceVersion", ""),
        }
        if not involved["namespace"]:
            involved.pop("namespace")
        source = {"component": component}
        if host:
            source["host"] = host
        key = (ns, involved.get("uid"), involved["kind"], involved["name"], reason, message, component, host or "")
        index = self._events(ns, involved["name"])
        existing = index.get(key)
        if existing is not None:
            live = self.store.get("events", ns, existing)
            if live is not None:
                live["count"] = int(live.get("count") or 1) + 1
                live["lastTimestamp"] = self.now_str
                live["involvedObject"]["resourceVersion"] = involved.get("resourceVersion", "")
                return self.store.update("events", live)
        stamp = int(self.now.timestamp() * 1e9) + self._seq("event-seq")
        ev = {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": f"{involved['name']}.{stamp:x}", "namespace": ns},
            "involvedObject": involved,
            "reason": reason,
            "message": message,
            "source": source,
            "firstTimestamp": self.now_str,
            "lastTimestamp": self.now_str,
            "count": 1,
            "type": type_,
            "eventTime": None,
            "reportingComponent": component,
            "reportingInstance": host or "",
        }
        written = self._create(kind_of("events"), ev)  # ev is ours: no copy
        index[key] = written["metadata"]["name"]
        return written

    def _events(self, ns: str, involved_name: str) -> dict:
        """Aggregation keys → event name. SQL stores seek the events named `<involved>.*`
        (every event this recorder writes is named so): loading a namespace's events costs
        O(all events) per converge, 750k bodies at 150k pods."""
        if self._event_index is None:
            self._event_index = {}
        prefix_list = getattr(self.store, "list_prefix", None)
        ikey = (ns, involved_name) if prefix_list is not None and involved_name else ns
        if ikey not in self._event_index:
            idx = {}
            evs = (prefix_list("events", ns, involved_name + ".") if ikey != ns
                   else self.store.list("events", ns))
            for ev in evs:
                inv = ev.get("involvedObject") or {}
                src = ev.get("source") or {}
                idx[(ns, inv.get("uid"), inv.get("kind"), inv.get("name"), ev.get("reason"),
                     ev.get("message"), src.get("component"), src.get("host") or "")] = ev["metadata"]["name"]
            self._event_index[ikey] = idx
        return self._event_index[ikey]


def next_uid(store) -> str:
    """Deterministic UIDs: a seeded counter kept in the store, so the same inputs give the
    same cluster (ARCHITECTURE.md "Determinism")."""
    import uuid

    seed = store.get_meta("seed") or "kctl"
    seq = int(store.get_meta("uid-seq") or 0) + 1
    store.set_meta("uid-seq", str(seq))
    digest = hashlib.sha256(f"{seed}:{seq}".encode()).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))


def owner_ref(owner: dict, *, controller: bool = True, block: bool = True) -> dict:
    """An ownerReference to `owner` as controllers set it."""
    meta = owner["metadata"]
    ref = {"apiVersion": owner["apiVersion"], "kind": owner["kind"], "name": meta["name"], "uid": meta["uid"]}
    if controller:
        ref["controller"] = True
    if block:
        ref["blockOwnerDeletion"] = True
    return ref


def controller_of(obj: dict) -> dict | None:
    """The ownerReference with controller: true, if any."""
    for ref in (obj.get("metadata") or {}).get("ownerReferences") or []:
        if ref.get("controller"):
            return ref
    return None


def stable_json(obj) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"))


def keys_of(objs: Iterable[dict], resource: str) -> list[Key]:
    return [(resource, (o.get("metadata") or {}).get("namespace", ""), o["metadata"]["name"]) for o in objs]
