"""The Deployment controller (pkg/controller/deployment): syncDeployment and what it shares
between strategies (ReplicaSet adoption, the new ReplicaSet, scaling, status).

The controller manages ReplicaSets only; pods are the ReplicaSet controller's. It reads the
ReplicaSets' status (replicas, readyReplicas, availableReplicas) to step a rollout.
"""

from __future__ import annotations

import copy

from kctl.controllers.context import Context, controller_of, owner_ref
from kctl.controllers.deployment import history, util

NAME = "deployment"
COMPONENT = "deployment-controller"
RS = "replicasets.apps"
DEPLOY = "deployments.apps"


class DeploymentController:
    """Reconciles Deployments: key ("deployments.apps", namespace, name)."""

    name = NAME
    resources = (DEPLOY, RS, "pods")

    def keys_for(self, ctx: Context, change):
        if change.resource == DEPLOY:
            return [(DEPLOY, change.namespace, change.name)]
        if change.resource == RS:
            rs = ctx.store.get(RS, change.namespace, change.name)
            if rs is None:
                # gone: its name is <deployment>-<hash>
                base = change.name.rpartition("-")[0]
                if base and ctx.store.get(DEPLOY, change.namespace, base) is not None:
                    return [(DEPLOY, change.namespace, base)]
                return []
            ref = controller_of(rs)
            if ref is not None:
                if ref.get("kind") == "Deployment":
                    return [(DEPLOY, change.namespace, ref.get("name"))]
                return []
            # an orphan: every Deployment whose selector matches may adopt it
            return [(DEPLOY, change.namespace, util.meta(d)["name"])
                    for d in ctx.store.list(DEPLOY, change.namespace)
                    if _selects(d, util.meta(rs).get("labels"))]
        if change.resource == "pods" and change.op == "DELETED":
            # Recreate waits for old pods to be gone (upstream's deletePod handler). The pod
            # is gone; its name is <deployment>-<hash>-<suffix>.
            base = change.name.rsplit("-", 2)[0] if change.name.count("-") >= 2 else ""
            d = ctx.store.get(DEPLOY, change.namespace, base) if base else None
            if d is not None and not util.is_rolling_update(d):
                return [(DEPLOY, change.namespace, base)]
        return []

    def reconcile(self, ctx: Context, key) -> None:
        _, ns, name = key
        d = ctx.get(DEPLOY, ns, name)
        if d is None:
            return  # the garbage collector removes its ReplicaSets
        Sync(ctx, d).run()


def _selector(d: dict):
    """The Deployment's parsed selector; None when empty (an empty selector selects nothing
    here: upstream refuses to act on it)."""
    sel = util.spec(d).get("selector")
    if not sel or not (sel.get("matchLabels") or sel.get("matchExpressions")):
        return None
    from kctl.api.selectors import from_label_selector_spec

    try:
        return from_label_selector_spec(sel)
    except Exception:  # an invalid selector cannot have passed validation; select nothing
        return None


def _selects(d: dict, labels: dict | None, parsed=None) -> bool:
    sel = parsed if parsed is not None else _selector(d)
    return sel is not None and sel.matches(labels or {})


class Sync:
    """One syncDeployment for one Deployment at ctx.now."""

    def __init__(self, ctx: Context, d: dict):
        self.ctx = ctx
        # metadata and status change here; spec is only read
        self.d = dict(d, metadata=copy.deepcopy(d.get("metadata") or {}),
                      status=copy.deepcopy(d.get("status") or {}))
        m = util.meta(d)
        self.ns = m.get("namespace") or "default"
        self.name = m["name"]
        self.key = (DEPLOY, self.ns, self.name)

    # ------------------------------------------------------------------ entry
    def run(self) -> None:
        d = self.d
        sel = util.spec(d).get("selector") or {}
        if not (sel.get("matchLabels") or sel.get("matchExpressions")):
            self.event("Warning", "SelectingAll",
                       "This deployment is selecting all pods. A non-empty selector is required.")
            return
        rss = self.claim_replica_sets()
        if util.meta(d).get("deletionTimestamp"):
            new_rs, old_rss = self.all_replica_sets(rss, create=False)
            self.sync_status(old_rss + ([new_rs] if new_rs else []), new_rs)
            return
        self.check_paused_conditions()
        if util.spec(d).get("paused"):
            self.sync(rss)
            return
        if self.is_scaling_event(rss):
            self.sync(rss)
            return
        if util.is_rolling_update(d):
            from kctl.controllers.deployment.rolling import rollout_rolling

            rollout_rolling(self, rss)
        else:
            from kctl.controllers.deployment.recreate import rollout_recreate

            rollout_recreate(self, rss)

    # ------------------------------------------------------------------ writes
    def event(self, type_: str, reason: str, message: str) -> None:
        self.ctx.event(self.d, type_, reason, message, component=COMPONENT)

    def save_status(self, st: dict) -> None:
        self.d["status"] = st
        self.d = self.ctx.update_status(DEPLOY, self.d)

    def save_annotations(self) -> None:
        """Write the Deployment's annotations (upstream does it through UpdateStatus, which
        keeps metadata changes other than labels)."""
        live = self.ctx.get(DEPLOY, self.ns, self.name)
        if live is None:
            return
        if util.annotations(live) == util.annotations(self.d):
            return
        live = copy.deepcopy(live)
        live["metadata"]["annotations"] = copy.deepcopy(util.annotations(self.d))
        self.d = self.ctx.write(DEPLOY, live)

    def update_rs(self, rs: dict) -> dict:
        return self.ctx.update(RS, rs)

    # ------------------------------------------------------------------ ReplicaSets
    def claim_replica_sets(self) -> list[dict]:
        """getReplicaSetsForDeployment: the owned ReplicaSets that match the selector, plus
        matching orphans, which are adopted (controller ownerReference).

        Only ReplicaSets whose labels match are read (the store filters on its label column),
        so a namespace with many Deployments stays cheap. Unlike upstream, an owned
        ReplicaSet relabelled by hand so that it stops matching is not released (selectors
        are immutable in apps/v1, so only a manual relabel can cause it)."""
        uid = util.meta(self.d).get("uid")
        sel = _selector(self.d)
        if sel is None:
            return []
        out = []
        being_deleted = bool(util.meta(self.d).get("deletionTimestamp"))
        for rs in self.ctx.list(RS, self.ns, label_filter=sel):
            ref = controller_of(rs)
            if ref is not None:
                if ref.get("uid") == uid:
                    out.append(rs)
                continue  # another controller's
            if being_deleted or util.meta(rs).get("deletionTimestamp"):
                continue
            rs = copy.deepcopy(rs)
            rs["metadata"].setdefault("ownerReferences", []).append(owner_ref(self.d))
            out.append(self.update_rs(rs))
        return out

    def all_replica_sets(self, rss: list[dict], create: bool) -> tuple[dict | None, list[dict]]:
        """getAllReplicaSetsAndSyncRevision: (new ReplicaSet or None, all old ones)."""
        new_rs = util.find_new_replica_set(self.d, rss)
        new_name = util.meta(new_rs).get("name") if new_rs else None
        old_rss = [rs for rs in rss if util.meta(rs).get("name") != new_name]
        new_rs = self.get_new_replica_set(new_rs, old_rss, create)
        return new_rs, old_rss

    def get_new_replica_set(self, existing: dict | None, old_rss: list[dict], create: bool) -> dict | None:
        d = self.d
        new_revision = str(util.max_revision(old_rss) + 1)
        if existing is not None:
            rs = dict(existing, metadata=copy.deepcopy(existing.get("metadata") or {}),
                      spec=dict(existing.get("spec") or {}))
            changed = util.set_new_rs_annotations(d, rs, new_revision, exists=True)
            mrs = int(util.spec(d).get("minReadySeconds") or 0)
            if int(util.spec(rs).get("minReadySeconds") or 0) != mrs:
                rs["spec"]["minReadySeconds"] = mrs
                changed = True
            if changed:
                # upstream returns here and finishes on the next sync (triggered by this write)
                return self.update_rs(rs)
            self.set_deployment_revision(util.annotations(rs).get(util.REVISION, new_revision))
            st = copy.deepcopy(util.status(d))
            if util.has_progress_deadline(d) and util.get_condition(st, "Progressing") is None:
                util.set_condition(st, util.new_condition(
                    "Progressing", "True", util.FOUND_NEW_RS,
                    f'Found new replica set "{util.meta(rs)["name"]}"', self.ctx.now))
                self.save_status(st)
            return rs
        if not create:
            return None

        # a new ReplicaSet for the current template
        collision = util.status(d).get("collisionCount")
        template = copy.deepcopy(util.spec(d).get("template") or {})
        h = util.pod_template_hash(template, collision)
        tmeta = template.setdefault("metadata", {})
        tmeta["labels"] = dict(tmeta.get("labels") or {}, **{util.HASH_LABEL: h})
        sel = copy.deepcopy(util.spec(d).get("selector") or {})
        sel["matchLabels"] = dict(sel.get("matchLabels") or {}, **{util.HASH_LABEL: h})
        rs_name = f"{self.name}-{h}"
        new_rs = {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": {"name": rs_name, "namespace": self.ns, "labels": dict(tmeta["labels"]),
                         "ownerReferences": [owner_ref(d)]},
            "spec": {"replicas": 0, "minReadySeconds": int(util.spec(d).get("minReadySeconds") or 0),
                     "selector": sel, "template": template},
        }
        all_rss = old_rss + [new_rs]
        new_replicas = util.new_rs_new_replicas(d, all_rss, new_rs)
        new_rs["spec"]["replicas"] = new_replicas
        util.set_new_rs_annotations(d, new_rs, new_revision, exists=False)

        clash = self.ctx.get(RS, self.ns, rs_name)
        if clash is not None:
            ref = controller_of(clash)
            if ref is not None and ref.get("uid") == util.meta(d).get("uid") and \
                    util.equal_ignore_hash(util.spec(clash).get("template"), util.spec(d).get("template")):
                return clash  # our own, seen late
            # a hash collision: bump collisionCount; the status write brings us back
            st = copy.deepcopy(util.status(d))
            st["collisionCount"] = int(collision or 0) + 1
            self.save_status(st)
            return None
        created = self.ctx.create(RS, new_rs)
        if new_replicas > 0:
            self.event("Normal", "ScalingReplicaSet",
                       f"Scaled up replica set {rs_name} from 0 to {new_replicas}")
        self.set_deployment_revision(new_revision)
        if util.has_progress_deadline(d):
            st = copy.deepcopy(util.status(self.d))
            util.set_condition(st, util.new_condition(
                "Progressing", "True", util.NEW_RS_CREATED,
                f'Created new replica set "{rs_name}"', self.ctx.now))
            self.save_status(st)
        return created

    def set_deployment_revision(self, revision: str) -> None:
        ann = self.d.setdefault("metadata", {}).setdefault("annotations", {})
        if ann.get(util.REVISION) != revision:
            ann[util.REVISION] = revision
            self.save_annotations()

    # ------------------------------------------------------------------ scaling
    def scale_rs(self, rs: dict, new_scale: int) -> tuple[bool, dict]:
        """scaleReplicaSet: size and replicas annotations; ScalingReplicaSet event."""
        d = self.d
        old = util.replicas(rs)
        size_changes = old != new_scale
        rs = dict(rs, metadata=copy.deepcopy(rs.get("metadata") or {}), spec=dict(rs.get("spec") or {}))
        ann_changes = util.set_replicas_annotations(rs, util.replicas(d), util.replicas(d) + util.max_surge(d))
        if not size_changes and not ann_changes:
            return False, rs
        rs["spec"]["replicas"] = new_scale
        rs = self.update_rs(rs)
        if size_changes:
            op = "up" if old < new_scale else "down"
            self.event("Normal", "ScalingReplicaSet",
                       f"Scaled {op} replica set {util.meta(rs)['name']} from {old} to {new_scale}")
        return size_changes, rs

    def scale_rs_and_record(self, rs: dict, new_scale: int) -> tuple[bool, dict]:
        if util.replicas(rs) == new_scale:
            return False, rs
        return self.scale_rs(rs, new_scale)

    def is_scaling_event(self, rss: list[dict]) -> bool:
        new_rs, old_rss = self.all_replica_sets(rss, create=False)
        for rs in util.active(old_rss + [new_rs]):
            desired = util.desired_annotation(rs)
            if desired is not None and desired != util.replicas(self.d):
                return True
        return False

    def scale(self, new_rs: dict | None, old_rss: list[dict]) -> None:
        """Resize a Deployment's ReplicaSets to a new spec.replicas (proportionally while a
        rolling update is under way)."""
        d = self.d
        target = util.find_active_or_latest(new_rs, old_rss)
        if target is not None:
            if util.replicas(target) != util.replicas(d):
                self.scale_rs_and_record(target, util.replicas(d))
            return
        if util.is_saturated(d, new_rs):
            for rs in util.active(old_rss):
                self.scale_rs_and_record(rs, 0)
            return
        if util.is_rolling_update(d):
            for rs, size in util.proportional_sizes(d, util.active(old_rss + [new_rs])):
                self.scale_rs(rs, size)

    def sync(self, rss: list[dict]) -> None:
        """sync(): scaling events and paused Deployments: no rollout, just sizes + status."""
        new_rs, old_rss = self.all_replica_sets(rss, create=False)
        self.scale(new_rs, old_rss)
        if util.spec(self.d).get("paused"):
            self.cleanup(old_rss)
        rss = self.reread(new_rs, old_rss)
        new_rs, old_rss = rss
        self.sync_status(old_rss + ([new_rs] if new_rs else []), new_rs)

    def reread(self, new_rs, old_rss):
        def fresh(rs):
            if rs is None:
                return None
            return self.ctx.get(RS, self.ns, util.meta(rs)["name"]) or rs

        return fresh(new_rs), [fresh(rs) for rs in old_rss]

    def cleanup(self, old_rss: list[dict]) -> None:
        for rs in history.cleanup_candidates(self.d, old_rss):
            self.delete_rs(rs)

    def delete_rs(self, rs: dict) -> None:
        name = util.meta(rs)["name"]
        try:
            from kctl.controllers.gc import delete_object  # the GC helper's deletion path
        except ImportError:
            delete_object = None
        if delete_object is not None:
            try:
                delete_object(self.ctx, RS, self.ns, name)
                return
            except TypeError:
                pass
        self.ctx.delete(RS, self.ns, name)

    # ------------------------------------------------------------------ status
    def sync_status(self, all_rss: list[dict], new_rs: dict | None) -> None:
        """syncDeploymentStatus (paused / scaling)."""
        st = util.calculate_status(self.d, all_rss, new_rs, self.ctx.now)
        if st != util.status(self.d):
            self.save_status(st)

    def check_paused_conditions(self) -> None:
        d = self.d
        if not util.has_progress_deadline(d):
            return
        cond = util.get_condition(util.status(d), "Progressing")
        if cond is not None and cond.get("reason") == util.TIMED_OUT:
            return
        paused_cond = cond is not None and cond.get("reason") == util.PAUSED
        st = copy.deepcopy(util.status(d)) if bool(util.spec(d).get("paused")) != paused_cond else {}
        if util.spec(d).get("paused") and not paused_cond:
            util.set_condition(st, util.new_condition("Progressing", "Unknown", util.PAUSED,
                                                      "Deployment is paused", self.ctx.now))
        elif not util.spec(d).get("paused") and paused_cond:
            util.set_condition(st, util.new_condition("Progressing", "Unknown", util.RESUMED,
                                                      "Deployment is resumed", self.ctx.now))
        else:
            return
        self.save_status(st)

    def sync_rollout_status(self, all_rss: list[dict], new_rs: dict | None) -> None:
        """syncRolloutStatus: counts, Available, Progressing (with the progress deadline)."""
        d = self.d
        now = self.ctx.now
        st = util.calculate_status(d, all_rss, new_rs, now)
        if not util.has_progress_deadline(d):
            util.remove_condition(st, "Progressing")
        cur = util.get_condition(st, "Progressing")
        complete = (int(st.get("replicas") or 0) == int(st.get("updatedReplicas") or 0)
                    and cur is not None and cur.get("reason") == util.NEW_RS_AVAILABLE)
        rs_name = util.meta(new_rs).get("name") if new_rs else None
        if util.has_progress_deadline(d) and not complete:
            if util.deployment_complete(d, st):
                msg = (f'ReplicaSet "{rs_name}" has successfully progressed.' if rs_name
                       else f'Deployment "{self.name}" has successfully progressed.')
                util.set_condition(st, util.new_condition("Progressing", "True", util.NEW_RS_AVAILABLE, msg, now))
            elif util.deployment_progressing(d, st):
                msg = (f'ReplicaSet "{rs_name}" is progressing.' if rs_name
                       else f'Deployment "{self.name}" is progressing.')
                cond = util.new_condition("Progressing", "True", util.RS_UPDATED, msg, now)
                if cur is not None:
                    if cur.get("status") == "True":
                        cond["lastTransitionTime"] = cur.get("lastTransitionTime")
                    util.remove_condition(st, "Progressing")
                util.set_condition(st, cond)
            elif util.deployment_timed_out(d, st, now):
                msg = (f'ReplicaSet "{rs_name}" has timed out progressing.' if rs_name
                       else f'Deployment "{self.name}" has timed out progressing.')
                util.set_condition(st, util.new_condition("Progressing", "False", util.TIMED_OUT, msg, now))
        failure = self.replica_failure(all_rss, new_rs)
        if failure is not None:
            util.set_condition(st, failure)
        else:
            util.remove_condition(st, "ReplicaFailure")
        if st == util.status(d):
            self.requeue_stuck(st)
            return
        self.save_status(st)

    def replica_failure(self, all_rss: list[dict], new_rs: dict | None) -> dict | None:
        """getReplicaFailures: a ReplicaFailure condition of the new ReplicaSet (else of an
        old one), as a Deployment condition."""
        ordered = ([new_rs] if new_rs else []) + [rs for rs in all_rss if rs is not new_rs]
        for rs in ordered:
            if rs is None:
                continue
            for c in util.status(rs).get("conditions") or []:
                if c.get("type") == "ReplicaFailure":
                    t = c.get("lastTransitionTime")
                    return {"type": "ReplicaFailure", "status": c.get("status"), "lastUpdateTime": t,
                            "lastTransitionTime": t, "reason": c.get("reason"), "message": c.get("message")}
        return None

    def requeue_stuck(self, st: dict) -> None:
        after = util.seconds_until_deadline(self.d, st, self.ctx.now)
        if after is None:
            return
        self.ctx.requeue_after(NAME, self.key, max(1.0, after))
