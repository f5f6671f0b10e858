"""Deletion as the API server does it, and the garbage collector that finishes it.

`delete_object` is the DELETE verb of kube-apiserver's generic registry: graceful deletion
for pods (deletionTimestamp = now + grace; the kubelet removes the pod), finalizers that
hold an object (deletionTimestamp set, object kept), the propagation policies (orphan and
foreground become the `orphan` / `foregroundDeletion` finalizers the collector acts on;
background removes the object at once) and Namespaces (phase Terminating; the namespace
controller empties them).

`GarbageCollector` is kube-controller-manager's garbagecollector reduced to its decisions
(pkg/controller/garbagecollector/garbagecollector.go):
- a dependent whose owners are all gone (no object with that kind/name/uid) is deleted;
  one with a live owner left only loses the references to the gone owners;
- an owner with `foregroundDeletion` waits until no dependent with blockOwnerDeletion
  remains, deleting its dependents first, then the finalizer goes and the object with it;
- an owner with `orphan` strips its ownerReference from every dependent, then goes;
- an object with deletionTimestamp, deletionGracePeriodSeconds 0 and no finalizers left is
  removed (what the API server does on the update that drops the last finalizer).
"""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Iterable

from kctl.controllers.context import Context, kind_of, rfc3339

ORPHAN = "orphan"
FOREGROUND = "foregroundDeletion"
NAMESPACE_FINALIZER = "kubernetes"
DEFAULT_POD_GRACE = 30
IMMORTAL_NAMESPACES = ("default", "kube-system", "kube-public")  # corev1 PodSpec.terminationGracePeriodSeconds default

# Resources nobody sets ownerReferences on and that are numerous: left out of the index.
_UNINDEXED = {"events", "events.events.k8s.io"}

ObjKey = tuple  # (resource, namespace, name)


# ---------------------------------------------------------------------------- errors
def namespace_terminating_error(resource: str, name: str, namespace: str, source_file: str | None = None) -> str:
    """The API server's NamespaceLifecycle rejection of a create in a Terminating namespace.

    `resource` is the plural with group ("configmaps", "deployments.apps"). With
    `source_file` (kubectl apply/create -f), the `error when creating "<file>": ` form."""
    core = (f'{resource} "{name}" is forbidden: unable to create new content in namespace '
            f"{namespace} because it is being terminated")
    if source_file:
        return f'Error from server (Forbidden): error when creating "{source_file}": {core}'
    return f"Error from server (Forbidden): {core}"


def namespace_is_terminating(store, namespace: str) -> bool:
    """True when `namespace` exists and is being deleted (creates must then be refused)."""
    ns = store.get("namespaces", "", namespace)
    if ns is None:
        return False
    return bool((ns.get("metadata") or {}).get("deletionTimestamp")) or \
        (ns.get("status") or {}).get("phase") == "Terminating"


def create_forbidden(store, kind, namespace: str, name: str, source_file: str | None = None):
    """The Forbidden error (kctl.errors.Forbidden) a create of `kind` `namespace`/`name` gets
    because its namespace is Terminating, else None. For Engine.apply's create branch (pass
    the manifest's file) and for Context.create."""
    k = kind_of(kind)
    if not k.namespaced or not namespace_is_terminating(store, namespace):
        return None
    from kctl.errors import Forbidden

    return Forbidden(namespace_terminating_error(k.resource, name, namespace, source_file))


# ---------------------------------------------------------------------------- pure decisions
def pod_grace_seconds(pod: dict, grace_period: int | None) -> int:
    """The grace period the pod registry uses (pkg/registry/core/pod/strategy.go
    CheckGracefulDelete): the request's, else spec.terminationGracePeriodSeconds (30 by
    default); 0 for a pod never bound to a node or already finished."""
    spec = pod.get("spec") or {}
    if grace_period is not None:
        grace = max(0, int(grace_period))
    else:
        g = spec.get("terminationGracePeriodSeconds")
        grace = DEFAULT_POD_GRACE if g is None else int(g)
    if not spec.get("nodeName"):
        return 0
    if (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
        return 0
    return grace


def finalizers_for_policy(finalizers: list[str], propagation: str) -> list[str]:
    """Finalizers after a DELETE with `propagation` (apiserver's deletionFinalizersForGarbageCollection):
    orphan adds `orphan` and drops `foregroundDeletion`, foreground the reverse, background
    drops both."""
    out = [f for f in finalizers if f not in (ORPHAN, FOREGROUND)]
    if propagation == "orphan":
        out.append(ORPHAN)
    elif propagation == "foreground":
        out.append(FOREGROUND)
    return out


def should_remove(obj: dict) -> bool:
    """An object being deleted whose grace has run out and whose finalizers are all done
    (the API server's ShouldDeleteDuringUpdate)."""
    meta = obj.get("metadata") or {}
    if not meta.get("deletionTimestamp") or meta.get("finalizers"):
        return False
    if obj.get("kind") == "Namespace":
        return not ((obj.get("spec") or {}).get("finalizers"))
    return int(meta.get("deletionGracePeriodSeconds") or 0) == 0


def owner_key(ref: dict, dependent_namespace: str) -> ObjKey | None:
    """Store key of the object an ownerReference names (namespaced owners live in the
    dependent's namespace; cluster-scoped owners have none). None for an unknown kind."""
    from kctl.api import kinds as kinds_mod

    group, _ = kinds_mod.split_api_version(ref.get("apiVersion") or "")
    k = kinds_mod.by_group_kind(group, ref.get("kind") or "")
    if k is None:
        return None
    return (k.resource, dependent_namespace if k.namespaced else "", ref.get("name") or "")


# ---------------------------------------------------------------------------- DELETE
def delete_object(ctx: Context, kind, namespace: str, name: str, propagation: str = "background",
                  grace_period: int | None = None) -> dict | None:
    """DELETE `kind` `namespace`/`name` as kube-apiserver would. Returns the object as it is
    left (with deletionTimestamp while it waits for its kubelet, finalizers or namespace
    controller), the removed object, or None when it did not exist.

    propagation: "background" | "foreground" | "orphan" (kubectl --cascade).
    grace_period: pods only; None = the pod's terminationGracePeriodSeconds; 0 = remove now
    (kubectl --force --grace-period=0). A pod already terminating only gets a shorter grace.
    """
    propagation = (propagation or "background").lower()  # API form "Background" accepted too
    if propagation not in ("background", "foreground", "orphan"):
        raise ValueError(f"unknown propagation policy {propagation!r}")
    k = kind_of(kind)
    ns = namespace if k.namespaced else ""
    live = ctx.store.get(k.resource, ns, name)
    if live is None:
        return None
    meta = live.setdefault("metadata", {})
    is_pod = (k.group, k.kind) == ("", "Pod")

    if (k.group, k.kind) == ("", "Namespace"):
        return _delete_namespace(ctx, k, live)

    already = bool(meta.get("deletionTimestamp"))
    finalizers = list(meta.get("finalizers") or [])
    if not already or propagation != "background":
        # a later DELETE of an object being deleted may still switch orphan <-> foreground
        finalizers = finalizers_for_policy(finalizers, propagation)

    if is_pod:
        grace = pod_grace_seconds(live, grace_period)
        if already:
            old = int(meta.get("deletionGracePeriodSeconds") or 0)
            if grace >= old and finalizers == list(meta.get("finalizers") or []):
                return live  # only a shorter grace period changes a terminating pod
            grace = min(grace, old)
        if grace == 0 and not finalizers:
            return ctx.store.delete(k.resource, ns, name)
        new = copy.deepcopy(live)
        nmeta = new["metadata"]
        nmeta["deletionTimestamp"] = rfc3339(ctx.now + timedelta(seconds=grace))
        nmeta["deletionGracePeriodSeconds"] = grace
        _set_finalizers(nmeta, finalizers)
        return ctx.write(k, new)

    if not finalizers:
        return ctx.store.delete(k.resource, ns, name)
    if already and finalizers == list(meta.get("finalizers") or []):
        return live
    new = copy.deepcopy(live)
    nmeta = new["metadata"]
    if not already:
        nmeta["deletionTimestamp"] = ctx.now_str
        nmeta["deletionGracePeriodSeconds"] = 0
    _set_finalizers(nmeta, finalizers)
    return ctx.write(k, new)


def _set_finalizers(meta: dict, finalizers: list[str]) -> None:
    if finalizers:
        meta["finalizers"] = finalizers
    else:
        meta.pop("finalizers", None)


def _delete_namespace(ctx: Context, k, live: dict) -> dict:
    """Namespace DELETE (pkg/registry/core/namespace/storage): phase Terminating and a
    deletionTimestamp; the namespace controller empties it and drops spec.finalizers."""
    meta = live["metadata"]
    if meta.get("deletionTimestamp"):
        return live
    if not (live.get("spec") or {}).get("finalizers") and not meta.get("finalizers"):
        return ctx.store.delete(k.resource, "", meta["name"])
    new = copy.deepcopy(live)
    new["metadata"]["deletionTimestamp"] = ctx.now_str
    new.setdefault("status", {})["phase"] = "Terminating"
    return ctx.write(k, new)


def remove_finalizer(ctx: Context, kind, obj: dict, finalizer: str) -> dict | None:
    """Drop `finalizer` from `obj`; the object goes when it was the last one and the object
    is being deleted (ShouldDeleteDuringUpdate). Returns what is left (None if removed)."""
    k = kind_of(kind)
    meta = obj.get("metadata") or {}
    fins = [f for f in meta.get("finalizers") or [] if f != finalizer]
    new = copy.deepcopy(obj)
    _set_finalizers(new["metadata"], fins)
    if should_remove(new):
        ctx.store.delete(k.resource, meta.get("namespace", "") if k.namespaced else "", meta["name"])
        return None
    return ctx.write(k, new)


# ---------------------------------------------------------------------------- the index
class OwnerIndex:
    """owner key -> dependent keys, from every object's ownerReferences; built once per
    converge (lazily, at the first deletion seen) and kept current from the change log."""

    def __init__(self):
        self.dependents: dict[ObjKey, set[ObjKey]] = {}
        self.owners_of: dict[ObjKey, list[ObjKey]] = {}
        #: owners in foreground/orphan deletion: a dependent leaving may unblock them (the
        #: index is built after the fact, so a removed dependent's owners are not known)
        self.deleting: set[ObjKey] = set()

    @classmethod
    def build(cls, store) -> "OwnerIndex":
        idx = cls()
        counts = store.count_by_resource()
        for resource in sorted(counts):
            if resource in _UNINDEXED or resource not in _listable():
                continue
            # only metadata matters here: SQL stores extract it without decoding bodies
            rows = (store.iter_metadata(resource, None) if hasattr(store, "iter_metadata")
                    else store.iter_list(resource, None))
            for obj in rows:
                meta = obj.get("metadata") or {}
                if meta.get("ownerReferences") or meta.get("deletionTimestamp"):
                    idx.set((resource, meta.get("namespace", ""), meta["name"]), obj)
        return idx

    def set(self, key: ObjKey, obj: dict | None) -> None:
        self.deleting.discard(key)
        for o in self.owners_of.pop(key, []):
            deps = self.dependents.get(o)
            if deps is not None:
                deps.discard(key)
                if not deps:
                    del self.dependents[o]
        if obj is None:
            return
        meta = obj.get("metadata") or {}
        if meta.get("deletionTimestamp") and {FOREGROUND, ORPHAN} & set(meta.get("finalizers") or []):
            self.deleting.add(key)
        owners = []
        for ref in meta.get("ownerReferences") or []:
            ok = owner_key(ref, meta.get("namespace", ""))
            if ok is not None:
                owners.append(ok)
                self.dependents.setdefault(ok, set()).add(key)
        if owners:
            self.owners_of[key] = owners

    def dependents_of(self, key: ObjKey) -> list[ObjKey]:
        return sorted(self.dependents.get(key, ()))


_LISTABLE: set[str] | None = None


def _listable() -> set[str]:
    global _LISTABLE
    if _LISTABLE is None:
        from kctl.api.resources import KINDS

        _LISTABLE = {k.resource for k in KINDS if "list" in k.verbs}
    from kctl.api.kinds import crd_registry

    crds = crd_registry()  # custom resources come and go: not cached
    return _LISTABLE | {k.resource for k in crds.registered()} if crds is not None else _LISTABLE


def owner_index(ctx: Context) -> OwnerIndex:
    """The converge's OwnerIndex (cached on the context as `_gc_index`)."""
    idx = getattr(ctx, "_gc_index", None)
    if idx is None:
        idx = OwnerIndex.build(ctx.store)
        ctx._gc_index = idx
    return idx


# ---------------------------------------------------------------------------- the controller
class GarbageCollector:
    """Finishes deletions: dependents of gone owners, foreground and orphan finalizers,
    objects whose last finalizer went."""

    name = "garbagecollector"

    def __init__(self):
        self.resources = tuple(sorted(_listable() - _UNINDEXED))

    def keys_for(self, ctx: Context, change) -> Iterable[tuple]:
        key = (change.resource, change.namespace or "", change.name)
        idx: OwnerIndex | None = getattr(ctx, "_gc_index", None)
        if change.op == "DELETED":
            alive = getattr(ctx, "_gc_alive", None)
            if alive is not None:
                alive.pop(key, None)
            idx = owner_index(ctx)
            out = [key]
            out.extend(idx.dependents_of(key))  # may now be dangling
            out.extend(idx.owners_of.get(key, []))  # a foreground owner may be unblocked
            out.extend(d for d in idx.deleting if d[1] in (key[1], ""))
            idx.set(key, None)
            return out
        alive = getattr(ctx, "_gc_alive", None)
        if alive is None:
            alive = ctx._gc_alive = {}
        alive.pop(key, None)
        # through the Context: the controllers mapping this change share one read of it
        obj = ctx.get(key[0], key[1], key[2])
        if idx is not None:
            idx.set(key, obj)
        if obj is None:
            return []
        meta = obj.get("metadata") or {}
        out = []
        if meta.get("deletionTimestamp"):
            out.append(key)
        elif meta.get("ownerReferences") and not self._owners_solid(ctx, meta, alive):
            out.append(key)
        if meta.get("deletionTimestamp") and idx is not None:
            out.extend(idx.owners_of.get(key, []))
        return out

    @staticmethod
    def _owners_solid(ctx: Context, meta: dict, alive: dict) -> bool:
        """Every owner exists with the referenced uid and is not deleted in the foreground
        (the common case: nothing to do). Owner lookups are cached for the converge and
        dropped whenever the owner itself changes."""
        for ref in meta.get("ownerReferences") or []:
            ok = owner_key(ref, meta.get("namespace", ""))
            if ok is None:
                return False
            if ok not in alive:
                owner = ctx.store.get(*ok)
                om = (owner or {}).get("metadata") or {}
                alive[ok] = None if owner is None or om.get("deletionTimestamp") else om.get("uid")
            if alive[ok] is None or alive[ok] != ref.get("uid"):
                return False
        return True

    def reconcile(self, ctx: Context, key: tuple) -> None:
        resource, ns, name = key
        obj = ctx.store.get(resource, ns, name)
        if obj is None:
            return
        meta = obj.get("metadata") or {}
        if meta.get("deletionTimestamp"):
            if should_remove(obj):
                ctx.store.delete(resource, ns, name)
                return
            fins = meta.get("finalizers") or []
            if ORPHAN in fins:
                self._orphan_dependents(ctx, key, obj)
                return
            if FOREGROUND in fins:
                self._delete_dependents_first(ctx, key, obj)
                return
        if meta.get("ownerReferences"):
            self._attempt_to_delete(ctx, key, obj)

    # -- owners being deleted
    def _orphan_dependents(self, ctx: Context, key: ObjKey, owner: dict) -> None:
        uid = owner["metadata"].get("uid")
        for dkey in owner_index(ctx).dependents_of(key):
            dep = ctx.store.get(*dkey)
            if dep is None:
                continue
            refs = dep["metadata"].get("ownerReferences") or []
            keep = [r for r in refs if r.get("uid") != uid]
            if len(keep) != len(refs):
                _write_refs(ctx, dkey, dep, keep)
        remove_finalizer(ctx, key[0], owner, ORPHAN)

    def _delete_dependents_first(self, ctx: Context, key: ObjKey, owner: dict) -> None:
        uid = owner["metadata"].get("uid")
        blocking = []
        for dkey in owner_index(ctx).dependents_of(key):
            dep = ctx.store.get(*dkey)
            if dep is None:
                continue
            refs = [r for r in dep["metadata"].get("ownerReferences") or [] if r.get("uid") == uid]
            if not refs:
                continue
            if any(r.get("blockOwnerDeletion") for r in refs):
                blocking.append(dkey)
            if not dep["metadata"].get("deletionTimestamp"):
                self._attempt_to_delete(ctx, dkey, dep)
        # what is left blocking after this round (a pod stays until its kubelet removes it)
        still = [d for d in blocking if ctx.store.get(*d) is not None]
        if not still:
            live = ctx.store.get(*key)
            if live is not None:
                remove_finalizer(ctx, key[0], live, FOREGROUND)

    # -- dependents
    def _attempt_to_delete(self, ctx: Context, key: ObjKey, obj: dict) -> None:
        """attemptToDeleteItem: classify the owners as solid, dangling (gone or another uid)
        or waiting (being deleted in the foreground), then act."""
        meta = obj["metadata"]
        refs = meta.get("ownerReferences") or []
        solid, dangling, waiting = [], [], []
        for ref in refs:
            ok = owner_key(ref, meta.get("namespace", ""))
            owner = ctx.store.get(*ok) if ok is not None else None
            if owner is None or (owner.get("metadata") or {}).get("uid") != ref.get("uid"):
                dangling.append(ref)
            elif (owner["metadata"].get("deletionTimestamp")
                  and FOREGROUND in (owner["metadata"].get("finalizers") or [])):
                waiting.append(ref)
            else:
                solid.append(ref)
        if not dangling and not waiting:
            return
        if solid:
            gone = {r.get("uid") for r in dangling + waiting}
            _write_refs(ctx, key, obj, [r for r in refs if r.get("uid") not in gone])
            return
        if meta.get("deletionTimestamp"):
            return  # already on its way out
        fins = meta.get("finalizers") or []
        if waiting and owner_index(ctx).dependents_of(key):
            policy = "foreground"  # keep the chain blocking: its own dependents go first
        elif ORPHAN in fins:
            policy = "orphan"
        elif FOREGROUND in fins:
            policy = "foreground"
        else:
            policy = "background"
        delete_object(ctx, key[0], key[1], key[2], propagation=policy)


def _write_refs(ctx: Context, key: ObjKey, obj: dict, refs: list[dict]) -> None:
    new = copy.deepcopy(obj)
    if refs:
        new["metadata"]["ownerReferences"] = refs
    else:
        new["metadata"].pop("ownerReferences", None)
    ctx.write(key[0], new)


# ---------------------------------------------------------------------------- for the engine
def delete_request(store, now, kind, namespace: str, name: str, *, cascade: str = "background",
                   grace_period: int | None = None) -> dict:
    """What `Engine.delete` does for `kctl delete`: NotFound when the object does not
    exist, else `delete_object` at cluster time `now` (the caller converges afterwards).
    Returns the object as deleted or as left Terminating."""
    from kctl.errors import Forbidden, NotFound

    k = kind_of(kind)
    ns = namespace if k.namespaced else ""
    live = store.get(k.resource, ns, name)
    if live is None:
        raise NotFound(k.resource, name)
    if (k.group, k.kind) == ("", "Namespace") and name in IMMORTAL_NAMESPACES:
        # the NamespaceLifecycle admission plugin
        raise Forbidden(f'Error from server (Forbidden): namespaces "{name}" is forbidden: '
                        "this namespace may not be deleted")
    left = delete_object(Context(store, now), k, ns, name, propagation=cascade, grace_period=grace_period)
    return left if left is not None else live


def kubectl_grace_period(grace_period: int = -1, now: bool = False, force: bool = False) -> int | None:
    """kubectl delete's flag rules (pkg/cmd/delete/delete.go Complete): --now is grace 1;
    --grace-period=0 without --force becomes 1; --force alone is 0. None = the object's own
    default. Raises ValueError with kubectl's text for the forbidden combinations."""
    if now:
        if grace_period != -1:
            raise ValueError("--now and --grace-period cannot be specified together")
        grace_period = 1
    if grace_period == 0 and not force:
        grace_period = 1
    if force and grace_period < 0:
        grace_period = 0
    if force and grace_period > 0:
        raise ValueError("--force and --grace-period greater than 0 cannot be specified together")
    return None if grace_period < 0 else grace_period


FORCE_WARNING = ("Warning: Immediate deletion does not wait for confirmation that the running resource "
                 "has been terminated. The resource may continue to run on the cluster indefinitely.")
