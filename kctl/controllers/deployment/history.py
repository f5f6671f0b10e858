"""Revision history of a Deployment: its ReplicaSets by revision, cleanup beyond
revisionHistoryLimit (cleanupDeployment), and what `rollout history|undo` read."""

from __future__ import annotations

from kctl.controllers.deployment import util


def owned_replica_sets(store_or_ctx, d: dict) -> list[dict]:
    """ReplicaSets in the Deployment's namespace controlled by it (by uid)."""
    m = util.meta(d)
    uid = m.get("uid")
    out = []
    lister = getattr(store_or_ctx, "list")
    for rs in lister("replicasets.apps", m.get("namespace") or "default"):
        for ref in util.meta(rs).get("ownerReferences") or []:
            if ref.get("controller") and ref.get("uid") == uid:
                out.append(rs)
                break
    return out


def revisions(rss: list[dict]) -> dict[int, dict]:
    """revision number -> ReplicaSet (those with a revision annotation)."""
    out: dict[int, dict] = {}
    for rs in util.by_creation(rss):
        r = util.revision_of(rs)
        if r > 0:
            out[r] = rs
    return out


def rollback_target(d: dict, rss: list[dict], to_revision: int) -> dict:
    """The ReplicaSet `rollout undo` restores (kubectl's deploymentRevision): the given
    revision, or the second newest when 0. Raises ValueError with kubectl's text."""
    if to_revision < 0:
        raise ValueError(f"unable to find specified revision {to_revision} in history")
    latest, latest_rev, previous, previous_rev = None, -1, None, -1
    for rs in rss:
        v = util.revision_of(rs)
        if util.REVISION not in util.annotations(rs):
            continue
        if to_revision == 0:
            if latest_rev < v:
                previous, previous_rev = latest, latest_rev
                latest, latest_rev = rs, v
            elif previous_rev < v:
                previous, previous_rev = rs, v
        elif to_revision == v:
            return rs
    if to_revision > 0:
        raise ValueError(f"unable to find specified revision {to_revision} in history")
    if previous is None:
        raise ValueError(f'no rollout history found for deployment "{util.meta(d).get("name")}"')
    return previous


def cleanup_candidates(d: dict, old_rss: list[dict]) -> list[dict]:
    """cleanupDeployment: the oldest old ReplicaSets beyond revisionHistoryLimit that have no
    replicas (spec and status), whose status is current, and that are not being deleted."""
    limit = util.spec(d).get("revisionHistoryLimit")
    if limit is None:
        return []
    alive = [rs for rs in old_rss if not util.meta(rs).get("deletionTimestamp")]
    diff = len(alive) - int(limit)
    if diff <= 0:
        return []
    out = []
    for rs in util.by_revision(alive)[:diff]:
        st = util.status(rs)
        if int(st.get("replicas") or 0) != 0 or util.replicas(rs) != 0:
            continue
        if int(util.meta(rs).get("generation") or 0) > int(st.get("observedGeneration") or 0):
            continue
        out.append(rs)
    return out
