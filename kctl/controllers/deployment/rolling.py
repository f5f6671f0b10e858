"""RollingUpdate (pkg/controller/deployment/rolling.go): surge the new ReplicaSet up, then
take old pods down, within maxSurge / maxUnavailable."""

from __future__ import annotations

from kctl.controllers.deployment import util


def rollout_rolling(s, rss: list[dict]) -> None:
    """One step of a rolling update for Sync `s`."""
    d = s.d
    new_rs, old_rss = s.all_replica_sets(rss, create=True)
    if new_rs is None:
        # a name collision: collisionCount was bumped and that write brings us back (upstream
        # returns the error and requeues); touch nothing else meanwhile
        return
    all_rss = old_rss + [new_rs]

    scaled_up, new_rs = reconcile_new_replica_set(s, all_rss, new_rs)
    if scaled_up:
        s.sync_rollout_status(old_rss + ([new_rs] if new_rs else []), new_rs)
        return
    all_rss = old_rss + ([new_rs] if new_rs else [])
    scaled_down, old_rss = reconcile_old_replica_sets(s, all_rss, old_rss, new_rs)
    all_rss = old_rss + ([new_rs] if new_rs else [])
    if scaled_down:
        s.sync_rollout_status(all_rss, new_rs)
        return
    if util.deployment_complete(d, util.status(d)):
        s.cleanup(old_rss)
    s.sync_rollout_status(all_rss, new_rs)


def reconcile_new_replica_set(s, all_rss: list[dict], new_rs: dict | None):
    """Scale the new ReplicaSet toward spec.replicas as far as maxSurge allows."""
    d = s.d
    if new_rs is None:
        return False, None
    n = util.replicas(d)
    if util.replicas(new_rs) == n:
        return False, new_rs
    if util.replicas(new_rs) > n:
        return s.scale_rs_and_record(new_rs, n)
    return s.scale_rs_and_record(new_rs, util.new_rs_new_replicas(d, all_rss, new_rs))


def reconcile_old_replica_sets(s, all_rss: list[dict], old_rss: list[dict], new_rs: dict | None):
    """Scale old ReplicaSets down: unhealthy pods first, then as availability allows.
    Returns (scaled, old ReplicaSets as now written)."""
    d = s.d
    if util.replica_count(util.active(old_rss)) == 0:
        return False, old_rss
    max_down = util.max_old_scale_down(d, all_rss, new_rs)
    if max_down <= 0:
        return False, old_rss
    current = {util.meta(rs)["name"]: rs for rs in old_rss}
    total = 0
    for rs, size in util.cleanup_unhealthy_plan(util.active(old_rss), max_down):
        down = util.replicas(rs) - size
        _, written = s.scale_rs(rs, size)
        current[util.meta(rs)["name"]] = written
        total += down
    old_rss = [current[util.meta(rs)["name"]] for rs in old_rss]
    all_now = old_rss + ([new_rs] if new_rs else [])
    for rs, size in util.scale_down_old_plan(d, all_now, util.active(old_rss)):
        down = util.replicas(rs) - size
        _, written = s.scale_rs(rs, size)
        current[util.meta(rs)["name"]] = written
        total += down
    old_rss = [current[util.meta(rs)["name"]] for rs in old_rss]
    return total > 0, old_rss
