"""Pure helpers the workload controllers share (ReplicaSet, StatefulSet, DaemonSet, Job).

Mirrors the parts of upstream pkg/controller (controller_utils.go, podutil, the
PodControllerRefManager, history) that decide things: is a pod active/ready/available, which
pods to delete first, how a pod is made from a template, which pods a controller claims, how a
template is hashed into a ControllerRevision name, node affinity and taint matching for the
DaemonSet controller. Decisions take `now` as a parameter; nothing here writes except
`delete_pod` / `claim_pods`, which write through the Context they are given.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
from datetime import datetime

from kctl.controllers.context import controller_of, owner_ref, parse_time

DELETION_COST = "controller.kubernetes.io/pod-deletion-cost"
REVISION_HASH_LABEL = "controller-revision-hash"
CR_HASH_LABEL = "controller.kubernetes.io/hash"
_SAFE = "bcdfghjklmnpqrstvwxz2456789"  # rand.SafeEncodeString's alphabet

# --------------------------------------------------------------------------- pod state


def meta(obj: dict) -> dict:
    return obj.get("metadata") or {}


def is_terminating(pod: dict) -> bool:
    """metadata.deletionTimestamp is set."""
    return bool(meta(pod).get("deletionTimestamp"))


def is_terminal(pod: dict) -> bool:
    return (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")


def is_active(pod: dict) -> bool:
    """controller.IsPodActive: not Succeeded/Failed and not being deleted."""
    return not is_terminal(pod) and not is_terminating(pod)


def _ready_condition(pod: dict) -> dict | None:
    for c in (pod.get("status") or {}).get("conditions") or []:
        if c.get("type") == "Ready":
            return c
    return None


def is_ready(pod: dict) -> bool:
    """podutil.IsPodReady: the Ready condition is True."""
    c = _ready_condition(pod)
    return bool(c) and c.get("status") == "True"


def ready_time(pod: dict) -> datetime | None:
    """When the Ready condition last turned True (None when not ready / unknown)."""
    c = _ready_condition(pod)
    if not c or c.get("status") != "True":
        return None
    return parse_time(c.get("lastTransitionTime"))


def available_after(pod: dict, min_ready_seconds: int, now: datetime) -> float | None:
    """Seconds until the pod counts as available (0 = available now, None = not ready).
    podutil.IsPodAvailable: ready for at least minReadySeconds."""
    if not is_ready(pod):
        return None
    if not min_ready_seconds:
        return 0.0
    t = ready_time(pod)
    if t is None:
        return float(min_ready_seconds)
    left = (t - now).total_seconds() + min_ready_seconds
    return max(0.0, left)


def is_available(pod: dict, min_ready_seconds: int, now: datetime) -> bool:
    return available_after(pod, min_ready_seconds, now) == 0.0


def is_running_and_ready(pod: dict) -> bool:
    return (pod.get("status") or {}).get("phase") == "Running" and is_ready(pod)


def max_restarts(pod: dict) -> int:
    st = pod.get("status") or {}
    counts = [int(c.get("restartCount") or 0)
              for c in (st.get("containerStatuses") or []) + (st.get("initContainerStatuses") or [])]
    return max(counts, default=0)


# --------------------------------------------------------------------------- ranking

_PHASE_RANK = {"Pending": 0, "Unknown": 1, "Running": 2}


def _log_rank(t: datetime | None, now: datetime) -> int:
    if t is None:
        return -1
    d = (now - t).total_seconds() * 1e9
    return int(math.log2(d)) if d > 0 else -1


def _deletion_cost(pod: dict) -> int:
    try:
        return int((meta(pod).get("annotations") or {}).get(DELETION_COST, "0"))
    except ValueError:
        return 0


def deletion_order_key(pod: dict, rank: int, now: datetime):
    """Sort key of controller.ActivePodsWithRanks.Less (LogarithmicScaleDown on): smaller
    keys are deleted first. Ties of equal log-scale age fall back to the uid, as upstream."""
    m = meta(pod)
    st = pod.get("status") or {}
    ready = is_ready(pod)
    rt = ready_time(pod) if ready else None
    created = parse_time(m.get("creationTimestamp"))
    return (
        1 if (pod.get("spec") or {}).get("nodeName") else 0,          # 1. unassigned first
        _PHASE_RANK.get(st.get("phase"), 3),                         # 2. Pending < Unknown < Running
        1 if ready else 0,                                            # 3. not ready first
        _deletion_cost(pod),                                          # 4. lower deletion cost first
        -rank,                                                        # 5. doubled-up first
        _log_rank(rt, now) if ready else 0,                           # 6. ready for less time first
        -max_restarts(pod),                                           # 7. more restarts first
        _log_rank(created, now),                                      # 8. newer first
        m.get("uid", ""),
    )


def pods_to_delete(pods: list[dict], related: list[dict], diff: int, now: datetime) -> list[dict]:
    """getPodsToDelete: the `diff` pods a ReplicaSet removes first, ranked by
    ActivePodsWithRanks with the rank = active related pods on the same node."""
    if diff >= len(pods):
        return list(pods)
    on_node: dict[str, int] = {}
    for p in related:
        if is_active(p):
            n = (p.get("spec") or {}).get("nodeName") or ""
            on_node[n] = on_node.get(n, 0) + 1
    ranked = sorted(pods, key=lambda p: deletion_order_key(
        p, on_node.get((p.get("spec") or {}).get("nodeName") or "", 0), now))
    return ranked[:diff]


# --------------------------------------------------------------------------- templates


def pod_from_template(template: dict, owner: dict, *, name: str | None = None,
                      generate_name: str | None = None, extra_labels: dict | None = None) -> dict:
    """controller.GetPodFromTemplate: labels, annotations, finalizers and spec from the
    template, a controller ownerReference to `owner`."""
    tmeta = template.get("metadata") or {}
    m: dict = {"namespace": meta(owner).get("namespace", "default")}
    if name:
        m["name"] = name
    elif generate_name:
        m["generateName"] = generate_name
    labels = dict(tmeta.get("labels") or {})
    labels.update(extra_labels or {})
    if labels:
        m["labels"] = labels
    if tmeta.get("annotations"):
        m["annotations"] = dict(tmeta["annotations"])
    if tmeta.get("finalizers"):
        m["finalizers"] = list(tmeta["finalizers"])
    m["ownerReferences"] = [owner_ref(owner)]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": m,
            "spec": copy.deepcopy(template.get("spec") or {})}


def stable_hash(obj, collision_count: int | None = None) -> str:
    """kctl's stable stand-in for controller.ComputeHash (upstream hashes Go structs with
    fnv32a, not reproducible): same object (and collision count) → same short name-safe hash."""
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"))
    if collision_count:
        text += f"#{collision_count}"
    d = hashlib.sha256(text.encode()).digest()
    n = int.from_bytes(d[:4], "big")
    # fmt.Sprint(uint32) through SafeEncodeString: one safe character per decimal digit
    return "".join(_SAFE[int(ch) % len(_SAFE)] for ch in str(n))


# --------------------------------------------------------------------------- ownership


def delete_pod(ctx, pod: dict) -> None:
    """Graceful delete: the GC helper's delete_object when it exists, else set
    deletionTimestamp (+ grace) so the kubelet removes the pod."""
    m = meta(pod)
    try:
        from kctl.controllers.gc import delete_object  # type: ignore
    except ImportError:
        delete_object = None
    if delete_object is not None:
        delete_object(ctx, "pods", m.get("namespace", ""), m["name"], "Background")
        return
    live = ctx.get("pods", m.get("namespace", ""), m["name"])
    if live is None or is_terminating(live):
        return
    live = copy.deepcopy(live)
    grace = (live.get("spec") or {}).get("terminationGracePeriodSeconds")
    live["metadata"]["deletionTimestamp"] = ctx.now_str
    live["metadata"]["deletionGracePeriodSeconds"] = 30 if grace is None else int(grace)
    ctx.write("pods", live)


def delete_object(ctx, kind: str, namespace: str, name: str, propagation: str = "Background") -> None:
    """Delete a non-pod object through the GC helper when it exists, else remove it now."""
    try:
        from kctl.controllers.gc import delete_object as gc_delete  # type: ignore
    except ImportError:
        gc_delete = None
    if gc_delete is not None:
        gc_delete(ctx, kind, namespace, name, propagation)
    else:
        ctx.delete(kind, namespace, name)


def claim_objects(ctx, resource: str, owner: dict, selector, objs: list[dict]) -> list[dict]:
    """PodControllerRefManager.ClaimPods: keep objects controlled by `owner` that match the
    selector, release controlled ones that stopped matching, adopt matching orphans (not
    while the owner or the object is being deleted). Returns the claimed objects."""
    uid = meta(owner).get("uid")
    owner_deleting = bool(meta(owner).get("deletionTimestamp"))
    out = []
    for o in objs:
        labels = meta(o).get("labels") or {}
        ref = controller_of(o)
        if ref is not None:
            if ref.get("uid") != uid:
                continue
            if selector.matches(labels):
                out.append(o)
            elif not owner_deleting and not is_terminating(o):
                new = copy.deepcopy(o)
                new["metadata"]["ownerReferences"] = [
                    r for r in new["metadata"].get("ownerReferences") or [] if r.get("uid") != uid]
                if not new["metadata"]["ownerReferences"]:
                    del new["metadata"]["ownerReferences"]
                ctx.write(resource, new)
            continue
        if owner_deleting or not selector.matches(labels):
            continue
        if is_terminating(o):
            continue
        new = copy.deepcopy(o)
        new["metadata"].setdefault("ownerReferences", []).append(owner_ref(owner))
        out.append(ctx.write(resource, new))
    return out


def owner_candidates(ctx, change, owner_kind: str, owner_resource: str, strip) -> list[tuple]:
    """Keys of the owner of a changed pod: its controller reference when the pod is still
    there; when it is gone, the name-derived guess `strip(name)` if such an owner exists."""
    ns, name = change.namespace, change.name
    pod = ctx.get("pods", ns, name)
    if pod is not None:
        ref = controller_of(pod)
        if ref is not None:
            return [(owner_resource, ns, ref["name"])] if ref.get("kind") == owner_kind else []
        return []
    guess = strip(name)
    if guess and ctx.get(owner_resource, ns, guess) is not None:
        return [(owner_resource, ns, guess)]
    return []


def strip_suffix(name: str) -> str | None:
    """`web-7d4b9c8f5-abcde` → `web-7d4b9c8f5` (the generateName prefix)."""
    head, sep, _ = name.rpartition("-")
    return head if sep else None


# --------------------------------------------------------------------------- nodes


def _match_expr(expr: dict, value: str | None, present: bool) -> bool:
    op = expr.get("operator")
    vals = expr.get("values") or []
    if op == "In":
        return present and value in vals
    if op == "NotIn":
        return not present or value not in vals
    if op == "Exists":
        return present
    if op == "DoesNotExist":
        return not present
    if op in ("Gt", "Lt"):
        try:
            a, b = int(value or ""), int(vals[0])
        except (ValueError, IndexError):
            return False
        return present and (a > b if op == "Gt" else a < b)
    return False


def node_selector_term_matches(term: dict, node: dict) -> bool:
    """One NodeSelectorTerm: all matchExpressions (labels) and matchFields (metadata.name);
    an empty term matches nothing."""
    exprs = term.get("matchExpressions") or []
    fields = term.get("matchFields") or []
    if not exprs and not fields:
        return False
    labels = meta(node).get("labels") or {}
    for e in exprs:
        if not _match_expr(e, labels.get(e.get("key")), e.get("key") in labels):
            return False
    for f in fields:
        if f.get("key") != "metadata.name":
            return False
        if not _match_expr(f, meta(node).get("name"), True):
            return False
    return True


def required_affinity_matches(pod_spec: dict, node: dict) -> bool:
    """nodeaffinity.GetRequiredNodeAffinity(pod).Match(node): nodeSelector and the required
    node affinity terms (ORed)."""
    labels = meta(node).get("labels") or {}
    for k, v in (pod_spec.get("nodeSelector") or {}).items():
        if labels.get(k) != v:
            return False
    req = (((pod_spec.get("affinity") or {}).get("nodeAffinity") or {})
           .get("requiredDuringSchedulingIgnoredDuringExecution"))
    if req is None:
        return True
    return any(node_selector_term_matches(t, node) for t in req.get("nodeSelectorTerms") or [])


def tolerates(toleration: dict, taint: dict) -> bool:
    """v1.Toleration.ToleratesTaint."""
    eff = toleration.get("effect")
    if eff and eff != taint.get("effect"):
        return False
    key = toleration.get("key")
    if key and key != taint.get("key"):
        return False
    op = toleration.get("operator") or "Equal"
    if op == "Exists":
        return True
    return (toleration.get("value") or "") == (taint.get("value") or "")


def untolerated_taint(taints: list[dict], tolerations: list[dict], effects=("NoSchedule", "NoExecute")) -> dict | None:
    for t in taints or []:
        if t.get("effect") not in effects:
            continue
        if not any(tolerates(tol, t) for tol in tolerations or []):
            return t
    return None


def condition_status(node: dict, type_: str) -> str | None:
    for c in (node.get("status") or {}).get("conditions") or []:
        if c.get("type") == type_:
            return c.get("status")
    return None


# --------------------------------------------------------------------------- revisions
# ControllerRevision history for StatefulSets and DaemonSets (upstream pkg/controller/history
# and the statefulset/daemon `getPatch` / `constructHistory` steps).
# 
# A revision stores the pod template as `{"spec": {"template": {..., "$patch": "replace"}}}`,
# is named `<owner>-<hash>` (kctl's stable hash, podutil.stable_hash, with the collision count),
# labelled with the template labels plus `controller.kubernetes.io/hash`, and numbered: an
# existing revision equal to the current template is reused (renumbered to the newest when it
# is not the newest already), else a new one gets max+1.

CR = "controllerrevisions.apps"


def revision_data(template: dict) -> dict:
    t = copy.deepcopy(template)
    t["$patch"] = "replace"
    return {"spec": {"template": t}}


def template_of(revision: dict) -> dict:
    t = copy.deepcopy(((revision.get("data") or {}).get("spec") or {}).get("template") or {})
    t.pop("$patch", None)
    return t


def owned_revisions(ctx, owner: dict) -> list[dict]:
    """ControllerRevisions controlled by `owner`, oldest revision first."""
    uid = owner["metadata"]["uid"]
    ns = owner["metadata"].get("namespace", "")
    revs = [r for r in ctx.list(CR, ns) if (controller_of(r) or {}).get("uid") == uid]
    return sorted(revs, key=lambda r: (int(r.get("revision") or 0), r["metadata"]["name"]))


def ensure_revision(ctx, owner: dict, template: dict) -> tuple[dict, list[dict], int]:
    """The update revision for `template` (created or renumbered as needed), all owned
    revisions, and the collision count used."""
    revs = owned_revisions(ctx, owner)
    data = revision_data(template)
    collision = int((owner.get("status") or {}).get("collisionCount") or 0)
    newest = max((int(r.get("revision") or 0) for r in revs), default=0)
    equal = [r for r in revs if r.get("data") == data]
    if equal:
        rev = equal[-1]
        if int(rev.get("revision") or 0) != newest:
            rev = copy.deepcopy(rev)
            rev["revision"] = newest + 1
            rev = ctx.write(CR, rev)
            revs = owned_revisions(ctx, owner)
        return rev, revs, collision
    ns = owner["metadata"].get("namespace", "")
    while True:
        h = stable_hash(template, collision)
        name = f"{owner['metadata']['name']}-{h}"
        existing = ctx.get(CR, ns, name)
        if existing is None:
            break
        collision += 1  # a different template hashed to the same name
    labels = dict((template.get("metadata") or {}).get("labels") or {})
    labels[CR_HASH_LABEL] = h
    rev = ctx.create(CR, {
        "apiVersion": "apps/v1", "kind": "ControllerRevision",
        "metadata": {"name": name, "namespace": ns, "labels": labels,
                     "ownerReferences": [owner_ref(owner)]},
        "data": data, "revision": newest + 1,
    })
    return rev, owned_revisions(ctx, owner), collision


def truncate_history(ctx, owner: dict, revs: list[dict], live_names: set[str]) -> None:
    """Delete the oldest revisions no pod uses beyond spec.revisionHistoryLimit (default 10)."""
    limit = (owner.get("spec") or {}).get("revisionHistoryLimit")
    limit = 10 if limit is None else int(limit)
    history = [r for r in revs if r["metadata"]["name"] not in live_names]
    for r in history[:max(0, len(history) - limit)]:
        ctx.delete(CR, r["metadata"].get("namespace", ""), r["metadata"]["name"])


# --------------------------------------------------------------------------- create


def create_admitted(ctx, resource: str, obj: dict) -> dict:
    """Create a pod/claim as the API server would for a controller's request: the mutating
    admission plugins (ServiceAccount, Priority, DefaultTolerationSeconds, DefaultStorageClass,
    StorageObjectInUseProtection; all idempotent) and then the write, where generateName gets
    its suffix. Admission runs before the name is generated, as upstream, so a rejection names
    the prefix (`pods "web-7d4b9c8f5-" is forbidden: ...`)."""
    m = obj.setdefault("metadata", {})
    generated = not m.get("name") and bool(m.get("generateName"))
    try:
        from kctl.controllers.admission import admit  # type: ignore
    except ImportError:
        admit = None
    if admit is not None:
        if generated:
            m["name"] = m["generateName"]
        try:
            admit(ctx, resource, obj)
        finally:
            if generated:
                del m["name"]
    return ctx.create(resource, obj)


#: the message of the last rejected create (for conditions that repeat it)
LAST_CREATE_ERROR: dict[str, str] = {}


def try_create(ctx, owner: dict, resource: str, obj: dict, component: str,
               failed_message=None) -> dict | None:
    """create_admitted; a rejected create (e.g. the ServiceAccount is missing) becomes a
    Warning FailedCreate event on the owner (`Error creating: <reason>` unless
    `failed_message(err)` says otherwise) and None."""
    from kctl.errors import KctlError

    try:
        return create_admitted(ctx, resource, obj)
    except KctlError as e:
        LAST_CREATE_ERROR["message"] = e.message
        msg = failed_message(e.message) if failed_message else f"Error creating: {e.message}"
        ctx.event(owner, "Warning", "FailedCreate", msg, component=component)
        return None


# --------------------------------------------------------------------------- pod index


class PodIndex:
    """Pods by namespace and by controller uid, kept current from the store's change log.

    A controller keeps one for a converge: the first sync lists every pod once, later syncs
    re-read only the pods changed since (one indexed change-log query), so a reconcile looks
    at its own pods and the namespace's orphans instead of every pod in the namespace (what
    upstream's informer indexes give its controllers)."""

    def __init__(self):
        self.rev: int | None = None
        self.pods: dict[tuple[str, str], dict] = {}
        self.by_owner: dict[str, set[tuple[str, str]]] = {}
        self.orphans: dict[str, set[tuple[str, str]]] = {}

    def _drop(self, key) -> None:
        old = self.pods.pop(key, None)
        if old is None:
            return
        ref = controller_of(old)
        if ref is None:
            self.orphans.get(key[0], set()).discard(key)
        else:
            self.by_owner.get(ref.get("uid"), set()).discard(key)

    def put(self, key, pod: dict | None) -> None:
        self._drop(key)
        if pod is None:
            return
        self.pods[key] = pod
        ref = controller_of(pod)
        if ref is None:
            self.orphans.setdefault(key[0], set()).add(key)
        else:
            self.by_owner.setdefault(ref.get("uid"), set()).add(key)

    def sync(self, ctx) -> "PodIndex":
        store = ctx.store
        head = store.revision()
        if self.rev is None:
            for p in ctx.list("pods"):
                m = p["metadata"]
                self.put((m.get("namespace", ""), m["name"]), p)
        elif head > self.rev:
            seen = set()
            for c in store.changes_since(self.rev, "pods"):
                key = (c.namespace, c.name)
                if key not in seen:
                    seen.add(key)
                    self.put(key, store.get("pods", c.namespace, c.name))
        self.rev = head
        return self

    def candidates(self, namespace: str, uid: str) -> list[dict]:
        """Pods controlled by `uid` plus the namespace's orphans, sorted by name."""
        keys = self.by_owner.get(uid, set()) | self.orphans.get(namespace, set())
        return [self.pods[k] for k in sorted(keys) if k[0] == namespace]

    def owned(self, uid: str) -> list[dict]:
        return [self.pods[k] for k in sorted(self.by_owner.get(uid, set()))]
