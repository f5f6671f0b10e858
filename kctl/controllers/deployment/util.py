"""Pure rollout arithmetic of the Deployment controller (pkg/controller/deployment/util).

Every function here takes plain dicts (a Deployment, ReplicaSets) and returns numbers or new
dicts; nothing reads the store or the clock except through a `now` argument.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
from datetime import datetime, timedelta

from kctl.controllers.context import parse_time, rfc3339

# Annotation and label keys (k8s.io/api/apps/v1 and deployment_util.go)
REVISION = "deployment.kubernetes.io/revision"
REVISION_HISTORY = "deployment.kubernetes.io/revision-history"
DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas"
MAX_REPLICAS = "deployment.kubernetes.io/max-replicas"
ROLLBACK_TO = "deprecated.deployment.rollback.to"
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
CHANGE_CAUSE = "kubernetes.io/change-cause"
HASH_LABEL = "pod-template-hash"

# Annotations of a Deployment that are not copied onto its ReplicaSets.
ANNOTATIONS_TO_SKIP = frozenset({LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS,
                                 MAX_REPLICAS, ROLLBACK_TO})

# Condition reasons (deployment_util.go)
NEW_RS_CREATED = "NewReplicaSetCreated"
FOUND_NEW_RS = "FoundNewReplicaSet"
RS_UPDATED = "ReplicaSetUpdated"
NEW_RS_AVAILABLE = "NewReplicaSetAvailable"
TIMED_OUT = "ProgressDeadlineExceeded"
PAUSED = "DeploymentPaused"
RESUMED = "DeploymentResumed"
MIN_AVAILABLE = "MinimumReplicasAvailable"
MIN_UNAVAILABLE = "MinimumReplicasUnavailable"
FAILED_RS_CREATE = "ReplicaSetCreateError"

MAX_INT32 = 2**31 - 1

# upstream rand.SafeEncodeString's alphabet (no vowels, no 0/1/3: no bad words, no look-alikes)
_ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789"


# ------------------------------------------------------------------ small accessors
def spec(obj: dict | None) -> dict:
    return (obj or {}).get("spec") or {}


def status(obj: dict | None) -> dict:
    return (obj or {}).get("status") or {}


def meta(obj: dict | None) -> dict:
    return (obj or {}).get("metadata") or {}


def replicas(obj: dict | None) -> int:
    """spec.replicas (the API default is 1)."""
    r = spec(obj).get("replicas")
    return 1 if r is None else int(r)


def annotations(obj: dict | None) -> dict:
    return meta(obj).get("annotations") or {}


# ------------------------------------------------------------------ hash
def pod_template_hash(template: dict, collision_count: int | None = None) -> str:
    """kctl's stable pod-template-hash (CLI-CONTRACT.md): a 32-bit digest of the template's
    canonical JSON (sorted keys), with collisionCount mixed in, written in upstream's format
    (the decimal number encoded with rand.SafeEncodeString), e.g. "5d8c7f9b4".

    Upstream hashes the Go struct with fnv32a, which cannot be reproduced from JSON; the shape
    (length, alphabet) is kept so names look the same."""
    text = json.dumps(template or {}, sort_keys=True, separators=(",", ":"))
    if collision_count is not None:
        text += f"#{int(collision_count)}"
    n = int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big")
    return "".join(_ALPHANUMS[b % len(_ALPHANUMS)] for b in str(n).encode())


def template_without_hash(template: dict | None) -> dict:
    """The template without the pod-template-hash label (a copy of what changes: the rest is
    shared with the input, so do not mutate the result's spec)."""
    t = dict(template or {})
    m = t.get("metadata")
    if isinstance(m, dict):
        m = t["metadata"] = dict(m)
        labels = dict(m.get("labels") or {})
        labels.pop(HASH_LABEL, None)
        if labels:
            m["labels"] = labels
        else:
            m.pop("labels", None)
        if not m.get("annotations"):
            m.pop("annotations", None)
        if not m:
            t.pop("metadata")
    return t


def equal_ignore_hash(t1: dict | None, t2: dict | None) -> bool:
    """Pod templates equal but for the pod-template-hash label (EqualIgnoreHash)."""
    return template_without_hash(t1) == template_without_hash(t2)


# ------------------------------------------------------------------ int-or-percent
def int_or_percent(value, total: int, round_up: bool) -> int:
    """intstr.GetScaledValueFromIntOrPercent: "25%" of 10 is 3 rounded up, 2 rounded down."""
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    s = str(value)
    if s.endswith("%"):
        pct = int(s[:-1])
        exact = pct * total
        return -(-exact // 100) if round_up else exact // 100
    return int(s)


def is_rolling_update(d: dict) -> bool:
    return (spec(d).get("strategy") or {}).get("type", "RollingUpdate") == "RollingUpdate"


def resolve_fenceposts(max_surge, max_unavailable, desired: int) -> tuple[int, int]:
    """(surge, unavailable) in pods: surge rounds up, unavailable rounds down, and both zero
    means one unavailable (else a rollout could never start)."""
    surge = int_or_percent(max_surge if max_surge is not None else 0, desired, True)
    unavailable = int_or_percent(max_unavailable if max_unavailable is not None else 0, desired, False)
    if surge == 0 and unavailable == 0:
        unavailable = 1
    return surge, unavailable


def _rolling_params(d: dict):
    ru = (spec(d).get("strategy") or {}).get("rollingUpdate") or {}
    return ru.get("maxSurge"), ru.get("maxUnavailable")


def max_surge(d: dict) -> int:
    """MaxSurge: 0 unless RollingUpdate."""
    if not is_rolling_update(d):
        return 0
    surge, _ = resolve_fenceposts(*_rolling_params(d), replicas(d))
    return surge


def max_unavailable(d: dict) -> int:
    """MaxUnavailable: 0 unless RollingUpdate with replicas > 0; at most spec.replicas."""
    if not is_rolling_update(d) or replicas(d) == 0:
        return 0
    _, unavailable = resolve_fenceposts(*_rolling_params(d), replicas(d))
    return min(unavailable, replicas(d))


# ------------------------------------------------------------------ sets of ReplicaSets
def revision_of(obj: dict | None) -> int:
    """The revision annotation as a number (0 when missing or bad)."""
    try:
        return int(annotations(obj).get(REVISION) or 0)
    except ValueError:
        return 0


def max_revision(rss: list[dict]) -> int:
    return max((revision_of(rs) for rs in rss), default=0)


def by_creation(rss: list[dict]) -> list[dict]:
    """ReplicaSetsByCreationTimestamp: oldest first, ties by name."""
    return sorted(rss, key=lambda rs: (meta(rs).get("creationTimestamp") or "", meta(rs).get("name") or ""))


def by_revision(rss: list[dict]) -> list[dict]:
    """ReplicaSetsByRevision: lowest revision first, ties by creation."""
    return sorted(rss, key=lambda rs: (revision_of(rs), meta(rs).get("creationTimestamp") or "",
                                       meta(rs).get("name") or ""))


def by_size_older(rss: list[dict]) -> list[dict]:
    """ReplicaSetsBySizeOlder: larger first; ties older first."""
    ordered = by_creation(rss)
    return sorted(ordered, key=lambda rs: -replicas(rs))


def by_size_newer(rss: list[dict]) -> list[dict]:
    """ReplicaSetsBySizeNewer: larger first; ties newer first."""
    ordered = list(reversed(by_creation(rss)))
    return sorted(ordered, key=lambda rs: -replicas(rs))


def active(rss: list[dict | None]) -> list[dict]:
    """FilterActiveReplicaSets: those with spec.replicas > 0."""
    return [rs for rs in rss if rs is not None and replicas(rs) > 0]


def replica_count(rss) -> int:
    """GetReplicaCountForReplicaSets: sum of spec.replicas."""
    return sum(replicas(rs) for rs in rss if rs is not None)


def actual_count(rss) -> int:
    """GetActualReplicaCountForReplicaSets: sum of status.replicas."""
    return sum(int(status(rs).get("replicas") or 0) for rs in rss if rs is not None)


def ready_count(rss) -> int:
    return sum(int(status(rs).get("readyReplicas") or 0) for rs in rss if rs is not None)


def available_count(rss) -> int:
    return sum(int(status(rs).get("availableReplicas") or 0) for rs in rss if rs is not None)


def find_new_replica_set(d: dict, rss: list[dict]) -> dict | None:
    """FindNewReplicaSet: the oldest ReplicaSet whose template equals the Deployment's
    (ignoring the hash label); the oldest wins when several match."""
    for rs in by_creation(rss):
        if equal_ignore_hash(spec(rs).get("template"), spec(d).get("template")):
            return rs
    return None


def find_active_or_latest(new_rs: dict | None, old_rss: list[dict]) -> dict | None:
    """FindActiveOrLatest: the only active ReplicaSet, else the newest when none is active,
    else None (several active)."""
    if new_rs is None and not old_rss:
        return None
    newest_first = list(reversed(by_creation(old_rss)))
    act = active(newest_first + [new_rs])
    if not act:
        return new_rs if new_rs is not None else newest_first[0]
    if len(act) == 1:
        return act[0]
    return None


def desired_annotation(rs: dict) -> int | None:
    try:
        return int(annotations(rs)[DESIRED_REPLICAS])
    except (KeyError, ValueError):
        return None


def max_replicas_annotation(rs: dict) -> int | None:
    try:
        return int(annotations(rs)[MAX_REPLICAS])
    except (KeyError, ValueError):
        return None


def is_saturated(d: dict, rs: dict | None) -> bool:
    """The new ReplicaSet runs the full count, all available."""
    if rs is None:
        return False
    desired = desired_annotation(rs)
    if desired is None:
        return False
    n = replicas(d)
    return replicas(rs) == n and desired == n and int(status(rs).get("availableReplicas") or 0) == n


def replicas_annotations_need_update(rs: dict, desired: int, max_replicas: int) -> bool:
    a = annotations(rs)
    return a.get(DESIRED_REPLICAS) != str(desired) or a.get(MAX_REPLICAS) != str(max_replicas)


def set_replicas_annotations(rs: dict, desired: int, max_replicas: int) -> bool:
    if not replicas_annotations_need_update(rs, desired, max_replicas):
        return False
    a = rs.setdefault("metadata", {}).setdefault("annotations", {})
    a[DESIRED_REPLICAS] = str(desired)
    a[MAX_REPLICAS] = str(max_replicas)
    return True


def copy_annotations_to_rs(d: dict, rs: dict) -> bool:
    """copyDeploymentAnnotationsToReplicaSet: every Deployment annotation but the skipped ones
    (the ReplicaSet keeps annotations it has that the Deployment lacks)."""
    changed = False
    rs_ann = rs.setdefault("metadata", {}).setdefault("annotations", {})
    for k, v in annotations(d).items():
        if k in ANNOTATIONS_TO_SKIP or rs_ann.get(k) == v:
            continue
        rs_ann[k] = v
        changed = True
    return changed


def set_new_rs_annotations(d: dict, rs: dict, new_revision: str, exists: bool) -> bool:
    """SetNewReplicaSetAnnotations: copy annotations, move the revision forward (recording the
    old one in revision-history), and on create set desired/max replicas."""
    changed = copy_annotations_to_rs(d, rs)
    rs_ann = rs.setdefault("metadata", {}).setdefault("annotations", {})
    old = rs_ann.get(REVISION, "")
    try:
        old_n = int(old) if old else 0
    except ValueError:
        old_n = 0
    if old_n < int(new_revision):
        rs_ann[REVISION] = new_revision
        changed = True
        if old:
            history = [h for h in (rs_ann.get(REVISION_HISTORY) or "").split(",") if h]
            history.append(old)
            rs_ann[REVISION_HISTORY] = ",".join(history)
    if not exists and set_replicas_annotations(rs, replicas(d), replicas(d) + max_surge(d)):
        changed = True
    return changed


# ------------------------------------------------------------------ scaling arithmetic
def new_rs_new_replicas(d: dict, all_rss: list[dict], new_rs: dict | None) -> int:
    """NewRSNewReplicas: RollingUpdate scales the new ReplicaSet up to what maxSurge allows
    (all pods ≤ replicas + maxSurge); Recreate goes straight to spec.replicas.

    Example: replicas 3, maxSurge 1, old 3 + new 0 → new becomes 1 (4 in all)."""
    n = replicas(d)
    if not is_rolling_update(d):
        return n
    current_new = replicas(new_rs) if new_rs is not None else 0
    max_total = n + max_surge(d)
    current = replica_count(all_rss)
    if current >= max_total:
        return current_new
    scale_up = max_total - current
    return current_new + min(scale_up, n - current_new)


def max_old_scale_down(d: dict, all_rss: list[dict], new_rs: dict | None) -> int:
    """How many old pods a rolling update may remove before cleanup (reconcileOldReplicaSets):
    all pods - minAvailable - unavailable new pods."""
    min_available = replicas(d) - max_unavailable(d)
    new_unavailable = 0
    if new_rs is not None:
        new_unavailable = replicas(new_rs) - int(status(new_rs).get("availableReplicas") or 0)
    return replica_count(all_rss) - min_available - new_unavailable


def round_half_away(x: float) -> int:
    """integer.RoundToInt32 (math.Round: halves away from zero)."""
    return int(math.floor(x + 0.5)) if x >= 0 else -int(math.floor(-x + 0.5))


def rs_fraction(rs: dict, d: dict) -> int:
    """getReplicaSetFraction: the change this ReplicaSet should get when the Deployment is
    resized mid-rollout, proportional to its share of the last max-replicas annotation."""
    if replicas(d) == 0:
        return -replicas(rs)
    deployment_replicas = replicas(d) + max_surge(d)
    annotated = max_replicas_annotation(rs)
    if annotated is None:
        annotated = int(status(d).get("replicas") or 0)
    if annotated == 0:
        return 0
    return round_half_away(replicas(rs) * deployment_replicas / annotated) - replicas(rs)


def proportion(rs: dict | None, d: dict, to_add: int, added: int) -> int:
    """GetProportion: this ReplicaSet's share, bounded by what is still to add/remove."""
    if rs is None or replicas(rs) == 0 or to_add == 0 or to_add == added:
        return 0
    frac = rs_fraction(rs, d)
    allowed = to_add - added
    return min(frac, allowed) if to_add > 0 else max(frac, allowed)


def proportional_sizes(d: dict, all_active: list[dict]) -> list[tuple[dict, int]]:
    """The sizes `scale` gives every active ReplicaSet when a rolling Deployment is resized
    with several active ReplicaSets: proportional shares, leftovers to the first (largest)."""
    total = replica_count(all_active)
    allowed = replicas(d) + max_surge(d) if replicas(d) > 0 else 0
    to_add = allowed - total
    if to_add > 0:
        ordered = by_size_newer(all_active)
    elif to_add < 0:
        ordered = by_size_older(all_active)
    else:
        ordered = list(all_active)
    added = 0
    sizes: list[int] = []
    for rs in ordered:
        if to_add != 0:
            p = proportion(rs, d, to_add, added)
            sizes.append(replicas(rs) + p)
            added += p
        else:
            sizes.append(replicas(rs))
    if ordered and to_add != 0:
        sizes[0] = max(0, sizes[0] + to_add - added)
    return list(zip(ordered, sizes))


def cleanup_unhealthy_plan(old_rss: list[dict], max_cleanup: int) -> list[tuple[dict, int]]:
    """cleanupUnhealthyReplicas: scale down unavailable pods of old ReplicaSets first (oldest
    first), up to `max_cleanup`. Returns (rs, new size) for each ReplicaSet to change."""
    out = []
    total = 0
    for rs in by_creation(old_rss):
        if total >= max_cleanup:
            break
        n = replicas(rs)
        avail = int(status(rs).get("availableReplicas") or 0)
        if n == 0 or n == avail:
            continue
        down = min(max_cleanup - total, n - avail)
        out.append((rs, n - down))
        total += down
    return out


def scale_down_old_plan(d: dict, all_rss: list[dict], old_rss: list[dict]) -> list[tuple[dict, int]]:
    """scaleDownOldReplicaSetsForRollingUpdate: remove old pods while available pods stay
    ≥ replicas - maxUnavailable, oldest ReplicaSet first."""
    min_available = replicas(d) - max_unavailable(d)
    available = available_count(all_rss)
    if available <= min_available:
        return []
    to_remove = available - min_available
    out = []
    total = 0
    for rs in by_creation(old_rss):
        if total >= to_remove:
            break
        n = replicas(rs)
        if n == 0:
            continue
        down = min(n, to_remove - total)
        out.append((rs, n - down))
        total += down
    return out


# ------------------------------------------------------------------ conditions and status
def get_condition(st: dict, type_: str) -> dict | None:
    for c in st.get("conditions") or []:
        if c.get("type") == type_:
            return c
    return None


def new_condition(type_: str, status_: str, reason: str, message: str, now: datetime) -> dict:
    t = rfc3339(now)
    return {"type": type_, "status": status_, "lastUpdateTime": t, "lastTransitionTime": t,
            "reason": reason, "message": message}


def set_condition(st: dict, cond: dict) -> None:
    """SetDeploymentCondition: same status and reason → unchanged; same status → keep the
    transition time; the condition moves to the end of the list."""
    cur = get_condition(st, cond["type"])
    if cur is not None and cur.get("status") == cond["status"] and cur.get("reason") == cond["reason"]:
        return
    if cur is not None and cur.get("status") == cond["status"]:
        cond = dict(cond, lastTransitionTime=cur.get("lastTransitionTime"))
    remove_condition(st, cond["type"])
    st.setdefault("conditions", []).append(cond)


def remove_condition(st: dict, type_: str) -> None:
    conds = [c for c in st.get("conditions") or [] if c.get("type") != type_]
    if conds:
        st["conditions"] = conds
    else:
        st.pop("conditions", None)


def has_progress_deadline(d: dict) -> bool:
    p = spec(d).get("progressDeadlineSeconds")
    return p is not None and int(p) != MAX_INT32


def calculate_status(d: dict, all_rss: list[dict], new_rs: dict | None, now: datetime) -> dict:
    """calculateStatus: counts from the ReplicaSets and the Available condition."""
    available = available_count(all_rss)
    total = replica_count(all_rss)
    st: dict = {
        "observedGeneration": int(meta(d).get("generation") or 0),
        "replicas": actual_count(all_rss),
        "updatedReplicas": actual_count([new_rs]),
        "readyReplicas": ready_count(all_rss),
        "availableReplicas": available,
        "unavailableReplicas": max(0, total - available),
    }
    old = status(d)
    if old.get("collisionCount") is not None:
        st["collisionCount"] = old["collisionCount"]
    if old.get("conditions"):
        st["conditions"] = copy.deepcopy(old["conditions"])
    if available >= replicas(d) - max_unavailable(d):
        set_condition(st, new_condition("Available", "True", MIN_AVAILABLE,
                                        "Deployment has minimum availability.", now))
    else:
        set_condition(st, new_condition("Available", "False", MIN_UNAVAILABLE,
                                        "Deployment does not have minimum availability.", now))
    st = prune_status(st)
    # DeploymentReplicaSetTerminatingReplicas (beta, on by default since 1.35): a pointer
    # field, so a 0 is shown; unknown (absent) when a ReplicaSet does not report it
    terminating = terminating_count(all_rss)
    if terminating is not None:
        st["terminatingReplicas"] = terminating
    return st


def terminating_count(rss) -> int | None:
    """GetTerminatingReplicaCountForReplicaSets: None when some ReplicaSet does not report it."""
    total = 0
    for rs in rss:
        if rs is None:
            continue
        v = status(rs).get("terminatingReplicas")
        if v is None:
            return None
        total += int(v)
    return total


def prune_status(st: dict) -> dict:
    """Drop zero counts as the API server's JSON does (omitempty)."""
    return {k: v for k, v in st.items() if not (isinstance(v, int) and v == 0 and k != "observedGeneration")}


def deployment_complete(d: dict, st: dict) -> bool:
    n = replicas(d)
    return (int(st.get("updatedReplicas") or 0) == n and int(st.get("replicas") or 0) == n
            and int(st.get("availableReplicas") or 0) == n
            and int(st.get("observedGeneration") or 0) >= int(meta(d).get("generation") or 0))


def deployment_progressing(d: dict, st: dict) -> bool:
    """New pods updated, old pods gone, or more ready/available pods than last time."""
    old = status(d)

    def g(s, k):
        return int(s.get(k) or 0)

    old_old = g(old, "replicas") - g(old, "updatedReplicas")
    new_old = g(st, "replicas") - g(st, "updatedReplicas")
    return (g(st, "updatedReplicas") > g(old, "updatedReplicas") or new_old < old_old
            or g(st, "readyReplicas") > g(old, "readyReplicas")
            or g(st, "availableReplicas") > g(old, "availableReplicas"))


def deployment_timed_out(d: dict, st: dict, now: datetime) -> bool:
    """No progress for progressDeadlineSeconds since the Progressing condition's lastUpdateTime
    (strictly after the deadline, as upstream's Before)."""
    if not has_progress_deadline(d):
        return False
    cond = get_condition(st, "Progressing")
    if cond is None:
        return False
    if cond.get("reason") == NEW_RS_AVAILABLE:
        return False
    if cond.get("reason") == TIMED_OUT:
        return True
    since = parse_time(cond.get("lastUpdateTime"))
    if since is None:
        return False
    return since + timedelta(seconds=int(spec(d)["progressDeadlineSeconds"])) < now


def seconds_until_deadline(d: dict, st: dict, now: datetime) -> float | None:
    """requeueStuckDeployment: when to look again for a timeout (None: no need)."""
    cond = get_condition(st, "Progressing")
    if not has_progress_deadline(d) or cond is None:
        return None
    if deployment_complete(d, st) or cond.get("reason") == TIMED_OUT:
        return None
    since = parse_time(cond.get("lastUpdateTime"))
    if since is None:
        return None
    due = since + timedelta(seconds=int(spec(d)["progressDeadlineSeconds"]))
    return (due - now).total_seconds()
