"""Recreate (pkg/controller/deployment/recreate.go): old ReplicaSets to zero, wait until
their pods are gone, then the new ReplicaSet to full size."""

from __future__ import annotations

from kctl.controllers.deployment import util


def rollout_recreate(s, rss: list[dict]) -> None:
    d = s.d
    new_rs, old_rss = s.all_replica_sets(rss, create=False)
    scaled_down = False
    current = {util.meta(rs)["name"]: rs for rs in old_rss}
    for rs in util.active(old_rss):
        changed, written = s.scale_rs_and_record(rs, 0)
        current[util.meta(rs)["name"]] = written
        scaled_down = scaled_down or changed
    old_rss = [current[util.meta(rs)["name"]] for rs in old_rss]
    all_rss = old_rss + ([new_rs] if new_rs else [])
    if scaled_down:
        s.sync_rollout_status(all_rss, new_rs)
        return
    if old_pods_running(s, new_rs, old_rss):
        s.sync_rollout_status(all_rss, new_rs)
        return
    if new_rs is None:
        new_rs, old_rss = s.all_replica_sets(rss, create=True)
        all_rss = old_rss + ([new_rs] if new_rs else [])
    if new_rs is not None:
        _, new_rs = s.scale_rs_and_record(new_rs, util.replicas(d))
        all_rss = old_rss + [new_rs]
    if util.deployment_complete(d, util.status(d)):
        s.cleanup(old_rss)
    s.sync_rollout_status(all_rss, new_rs)


def old_pods_running(s, new_rs: dict | None, old_rss: list[dict]) -> bool:
    """oldPodsRunning: old ReplicaSets report pods, or a pod of one still exists (also a
    terminating one) unless it has finished (Succeeded/Failed)."""
    if util.actual_count(old_rss) > 0:
        return True
    old_uids = {util.meta(rs).get("uid") for rs in old_rss}
    new_uid = util.meta(new_rs).get("uid") if new_rs else None
    for pod in s.ctx.list("pods", s.ns):
        for ref in util.meta(pod).get("ownerReferences") or []:
            if ref.get("controller") and ref.get("uid") in old_uids and ref.get("uid") != new_uid:
                if util.status(pod).get("phase") not in ("Succeeded", "Failed"):
                    return True
    return False
