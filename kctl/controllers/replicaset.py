"""ReplicaSet (and ReplicationController) controller, after upstream pkg/controller/replicaset.

Per key: claim pods (adopt matching orphans, release pods whose labels stop matching), create
or delete pods until the active count is spec.replicas (deletion order = getPodsToDelete's
ranking), then write status (replicas, fullyLabeledReplicas, readyReplicas, availableReplicas
with minReadySeconds as a timer, observedGeneration). Terminating and finished pods are not
active and are not counted. Pods are deleted through podutil.delete_pod (the GC helper's
graceful delete when present, else deletionTimestamp for the kubelet to finish).
"""

from __future__ import annotations

from kctl.api.selectors import from_label_selector_spec, selector_from_set
from kctl.controllers import podutil
from kctl.controllers.context import controller_of

BURST_REPLICAS = 500  # upstream's burstReplicas: creations/deletions per sync

RS = "replicasets.apps"
RC = "replicationcontrollers"
_KIND = {RS: "ReplicaSet", RC: "ReplicationController"}
_COMPONENT = {RS: "replicaset-controller", RC: "replication-controller"}


def selector_of(resource: str, obj: dict):
    spec = obj.get("spec") or {}
    if resource == RC:
        sel = spec.get("selector") or ((spec.get("template") or {}).get("metadata") or {}).get("labels")
        return selector_from_set(sel) if sel else from_label_selector_spec(None)
    return from_label_selector_spec(spec.get("selector"))


def calculate_status(rs: dict, pods: list[dict], now, terminating: int = 0) -> tuple[dict, float | None]:
    """calculateStatus: counts over the claimed active pods, plus terminatingReplicas (the
    DeploymentReplicaSetTerminatingReplicas gate is beta and on in 1.37, so the field is always
    written); returns (status, seconds until the next pod becomes available or None)."""
    spec = rs.get("spec") or {}
    tlabels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
    mrs = int(spec.get("minReadySeconds") or 0)
    full = ready = avail = 0
    wait = None
    for p in pods:
        labels = podutil.meta(p).get("labels") or {}
        if all(labels.get(k) == v for k, v in tlabels.items()):
            full += 1
        if podutil.is_ready(p):
            ready += 1
            left = podutil.available_after(p, mrs, now)
            if left == 0.0:
                avail += 1
            elif left is not None:
                wait = left if wait is None else min(wait, left)
    old = rs.get("status") or {}
    status: dict = {"replicas": len(pods)}
    for k, v in (("fullyLabeledReplicas", full), ("readyReplicas", ready), ("availableReplicas", avail)):
        if v:
            status[k] = v
    gen = podutil.meta(rs).get("generation")
    if gen:
        status["observedGeneration"] = gen
    status["terminatingReplicas"] = terminating
    if old.get("conditions"):
        status["conditions"] = old["conditions"]
    return status, wait


def set_replica_failure(status: dict, old: dict, error: str | None, now: str) -> None:
    """The ReplicaFailure condition (reason FailedCreate, the create error as message) while
    pod creation fails; removed once a sync has no error, as upstream."""
    conds = [c for c in status.get("conditions") or [] if c.get("type") != "ReplicaFailure"]
    if error:
        prev = next((c for c in old.get("conditions") or [] if c.get("type") == "ReplicaFailure"), None)
        same = prev is not None and prev.get("status") == "True" and prev.get("message") == error
        conds.append(prev if same else {"type": "ReplicaFailure", "status": "True",
                                        "lastTransitionTime": now, "reason": "FailedCreate",
                                        "message": error})
    if conds:
        status["conditions"] = conds
    else:
        status.pop("conditions", None)


class ReplicaSetController:
    """Reconciles ReplicaSets and ReplicationControllers; keys are (resource, ns, name)."""

    name = "replicaset"
    resources = (RS, RC, "pods")

    def __init__(self):
        self._pods = podutil.PodIndex()
        self._error: str | None = None

    def keys_for(self, ctx, change):
        if change.resource in (RS, RC):
            return [(change.resource, change.namespace, change.name)]
        keys = []
        for res in (RS, RC):
            keys += podutil.owner_candidates(ctx, change, _KIND[res], res, podutil.strip_suffix)
        if keys:
            return keys
        pod = ctx.get("pods", change.namespace, change.name)
        if pod is None or controller_of(pod) is not None or not podutil.is_active(pod):
            return []
        # an orphan: every ReplicaSet whose selector matches may adopt it
        labels = podutil.meta(pod).get("labels") or {}
        for res in (RS, RC):
            for o in ctx.list(res, change.namespace):
                if selector_of(res, o).matches(labels):
                    keys.append((res, change.namespace, o["metadata"]["name"]))
        return keys

    def reconcile(self, ctx, key) -> None:
        resource, ns, name = key
        rs = ctx.get(resource, ns, name)
        if rs is None:
            return
        selector = selector_of(resource, rs)
        idx = self._pods.sync(ctx)
        active = [p for p in idx.candidates(ns, rs["metadata"]["uid"]) if podutil.is_active(p)]
        pods = podutil.claim_objects(ctx, "pods", rs, selector, active)
        self._error = None
        if not podutil.meta(rs).get("deletionTimestamp"):
            pods = self.manage(ctx, resource, rs, pods)
        rs = ctx.get(resource, ns, name) or rs
        terminating = 0
        if resource == RS:
            uid = rs["metadata"]["uid"]
            terminating = sum(1 for p in self._pods.sync(ctx).owned(uid)
                              if podutil.is_terminating(p) and not podutil.is_terminal(p)
                              and podutil.meta(p).get("namespace") == ns
                              and selector.matches(podutil.meta(p).get("labels") or {}))
        status, wait = calculate_status(rs, pods, ctx.now, terminating)
        if resource == RC:
            status.pop("terminatingReplicas")
        set_replica_failure(status, (rs.get("status") or {}), self._error, ctx.now_str)
        new = dict(rs)
        new["status"] = status
        ctx.update_status(resource, new)
        if wait is not None:
            ctx.requeue_after(self.name, key, wait)

    def manage(self, ctx, resource: str, rs: dict, pods: list[dict]) -> list[dict]:
        """manageReplicas: returns the active pods after the creations/deletions."""
        want = int((rs.get("spec") or {}).get("replicas", 1) or 0)
        diff = len(pods) - want
        comp = _COMPONENT[resource]
        name = rs["metadata"]["name"]
        if diff < 0:
            template = (rs.get("spec") or {}).get("template") or {}
            for _ in range(min(-diff, BURST_REPLICAS)):
                pod = podutil.pod_from_template(template, rs, generate_name=f"{name}-")
                created = podutil.try_create(ctx, rs, "pods", pod, comp)
                if created is None:
                    self._error = podutil.LAST_CREATE_ERROR.get("message")
                    break
                pods.append(created)
                ctx.event(rs, "Normal", "SuccessfulCreate", f"Created pod: {created['metadata']['name']}",
                          component=comp)
        elif diff > 0:
            victims = podutil.pods_to_delete(pods, self.related_pods(ctx, self._pods, resource, rs, pods),
                                             min(diff, BURST_REPLICAS), ctx.now)
            gone = set()
            for p in victims:
                podutil.delete_pod(ctx, p)
                gone.add(p["metadata"]["name"])
                ctx.event(rs, "Normal", "SuccessfulDelete", f"Deleted pod: {p['metadata']['name']}",
                          component=comp)
            pods = [p for p in pods if p["metadata"]["name"] not in gone]
        return pods

    @staticmethod
    def related_pods(ctx, index, resource: str, rs: dict, own: list[dict]) -> list[dict]:
        """getIndirectlyRelatedPods: pods of every ReplicaSet with the same controller (the
        sibling ReplicaSets of one Deployment), for the doubled-up rank."""
        owner = controller_of(rs)
        if owner is None or resource != RS:
            return own
        ns = podutil.meta(rs).get("namespace", "")
        uids = sorted(o["metadata"]["uid"] for o in ctx.list(RS, ns)
                      if (controller_of(o) or {}).get("uid") == owner.get("uid"))
        return [p for uid in uids for p in index.owned(uid)]
