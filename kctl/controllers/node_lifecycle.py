"""Node lifecycle: node health -> conditions and taints, and the NoExecute taint eviction.

Upstream pieces, in one reconciler:
- nodelifecycle (pkg/controller/nodelifecycle): a node whose kubelet stopped posting status
  gets every condition Unknown (`NodeStatusUnknown`, `Kubelet stopped posting node status.`),
  taints follow conditions (unreachable/not-ready NoSchedule + NoExecute, the pressure
  taints, `node.kubernetes.io/unschedulable` for a cordon), pods on a not-Ready node are
  marked not ready (MarkPodsNotReady).
- taint eviction (pkg/controller/tainteviction): a pod on a node with NoExecute taints it
  does not tolerate is marked for deletion at once; one that tolerates them for
  tolerationSeconds is marked when that time is up (a timer); none given = never.
- pod GC (pkg/controller/podgc): terminating pods on a not-Ready node with the
  `node.kubernetes.io/out-of-service` taint are removed.

Simulated failure: `kctl node fail NODE` sets the annotation `sim.kctl.io/failed: "true"`
(the kubelet stopped); the conditions go Unknown at the next reconcile (kctl does not wait
upstream's 40 s node-monitor grace period). `kctl node recover` removes it and posts healthy
conditions again, as a restarted kubelet does; this controller then removes the taints.
"""

from __future__ import annotations

import copy
from datetime import timedelta

from kctl.controllers.context import Context, parse_time

ANN_FAILED = "sim.kctl.io/failed"
COMPONENT = "node-controller"
EVICTION_COMPONENT = "taint-eviction-controller"

TAINT_NOT_READY = "node.kubernetes.io/not-ready"
TAINT_UNREACHABLE = "node.kubernetes.io/unreachable"
TAINT_UNSCHEDULABLE = "node.kubernetes.io/unschedulable"
TAINT_OUT_OF_SERVICE = "node.kubernetes.io/out-of-service"
TAINT_MEMORY = "node.kubernetes.io/memory-pressure"
TAINT_DISK = "node.kubernetes.io/disk-pressure"
TAINT_PID = "node.kubernetes.io/pid-pressure"
TAINT_NETWORK = "node.kubernetes.io/network-unavailable"

# taints this controller owns: (key, effect)
_MANAGED = {
    (TAINT_NOT_READY, "NoSchedule"), (TAINT_NOT_READY, "NoExecute"),
    (TAINT_UNREACHABLE, "NoSchedule"), (TAINT_UNREACHABLE, "NoExecute"),
    (TAINT_UNSCHEDULABLE, "NoSchedule"), (TAINT_MEMORY, "NoSchedule"), (TAINT_DISK, "NoSchedule"),
    (TAINT_PID, "NoSchedule"), (TAINT_NETWORK, "NoSchedule"),
}
UNKNOWN_REASON = "NodeStatusUnknown"
UNKNOWN_MESSAGE = "Kubelet stopped posting node status."


# ---------------------------------------------------------------- pure decisions
def node_failed(node: dict) -> bool:
    return ((node.get("metadata") or {}).get("annotations") or {}).get(ANN_FAILED) == "true"


def condition_status(node: dict, type_: str) -> str | None:
    for c in (node.get("status") or {}).get("conditions") or []:
        if c.get("type") == type_:
            return c.get("status")
    return None


def unknown_conditions(conditions: list[dict], now: str) -> list[dict]:
    """Every condition Unknown, as the node lifecycle controller writes them when the
    kubelet stops posting (lastHeartbeatTime kept; lastTransitionTime now)."""
    out = []
    for c in conditions or []:
        c = dict(c)
        if c.get("status") != "Unknown":
            c["lastTransitionTime"] = now
        c["status"] = "Unknown"
        c["reason"] = UNKNOWN_REASON
        c["message"] = UNKNOWN_MESSAGE
        out.append(c)
    return out


def desired_taints(node: dict) -> set[tuple[str, str]]:
    """The (key, effect) pairs of the managed taints the node should carry."""
    out: set[tuple[str, str]] = set()
    ready = condition_status(node, "Ready")
    if ready == "False":
        out |= {(TAINT_NOT_READY, "NoSchedule"), (TAINT_NOT_READY, "NoExecute")}
    elif ready == "Unknown":
        out |= {(TAINT_UNREACHABLE, "NoSchedule"), (TAINT_UNREACHABLE, "NoExecute")}
    for cond, key in (("MemoryPressure", TAINT_MEMORY), ("DiskPressure", TAINT_DISK),
                      ("PIDPressure", TAINT_PID), ("NetworkUnavailable", TAINT_NETWORK)):
        if condition_status(node, cond) == "True":
            out.add((key, "NoSchedule"))
    if (node.get("spec") or {}).get("unschedulable"):
        out.add((TAINT_UNSCHEDULABLE, "NoSchedule"))
    return out


def reconcile_taints(taints: list[dict], desired: set[tuple[str, str]], now: str) -> list[dict]:
    """Managed taints not desired go, desired ones missing are appended with timeAdded."""
    out = [t for t in taints or [] if (t.get("key"), t.get("effect")) not in _MANAGED
           or (t.get("key"), t.get("effect")) in desired]
    have = {(t.get("key"), t.get("effect")) for t in out}
    for key, effect in sorted(desired - have, key=lambda ke: (ke[0], ke[1] != "NoSchedule")):
        out.append({"key": key, "effect": effect, "timeAdded": now})
    return out


def tolerates(toleration: dict, taint: dict) -> bool:
    """v1.Toleration.ToleratesTaint."""
    eff = toleration.get("effect")
    if eff and eff != taint.get("effect"):
        return False
    key = toleration.get("key")
    if key and key != taint.get("key"):
        return False
    if (toleration.get("operator") or "Equal") == "Exists":
        return True
    return (toleration.get("value") or "") == (taint.get("value") or "")


def eviction_delay(taints: list[dict], tolerations: list[dict]) -> float | None:
    """Seconds a pod may stay on a node with these taints: 0 when some NoExecute taint is
    not tolerated; the smallest tolerationSeconds of the tolerations used (one per taint,
    the first matching, as GetMatchingTolerations); None = forever (no NoExecute taint, or
    no tolerationSeconds)."""
    no_exec = [t for t in taints or [] if t.get("effect") == "NoExecute"]
    if not no_exec:
        return None
    used = []
    for t in no_exec:
        match = next((tol for tol in tolerations or [] if tolerates(tol, t)), None)
        if match is None:
            return 0.0
        used.append(match)
    secs = [float(tol["tolerationSeconds"]) for tol in used if tol.get("tolerationSeconds") is not None]
    if not secs:
        return None
    return max(0.0, min(secs))


def eviction_start(taints: list[dict], pod: dict) -> str | None:
    """When the pod became subject to the NoExecute taints: the earliest NoExecute taint's
    timeAdded, or the pod's creation if it came later."""
    added = [t.get("timeAdded") for t in taints or [] if t.get("effect") == "NoExecute" and t.get("timeAdded")]
    created = (pod.get("metadata") or {}).get("creationTimestamp")
    cands = [a for a in [min(added) if added else None] if a]
    if created and (not cands or created > cands[0]):
        return created
    return cands[0] if cands else created


# ---------------------------------------------------------------- the controller
class NodeLifecycleController:
    name = "nodelifecycle"
    resources = ("nodes", "pods")

    def keys_for(self, ctx: Context, change):
        # per-converge memo: does a node need per-pod attention (not Ready or NoExecute
        # taints)? A node change drops its entry (and reconciles all its pods anyway).
        memo = ctx.__dict__.setdefault("_nodelifecycle_attention", {})
        if change.resource == "nodes":
            memo.pop(change.name, None)
            return [("node", change.name)]
        pod = ctx.get("pods", change.namespace, change.name)
        if pod is None:
            return []
        node_name = (pod.get("spec") or {}).get("nodeName")
        if not node_name:
            return []
        if node_name not in memo:
            node = ctx.get("nodes", "", node_name)
            memo[node_name] = node is not None and (condition_status(node, "Ready") != "True" or any(
                t.get("effect") == "NoExecute" for t in (node.get("spec") or {}).get("taints") or []))
        return [("pod", change.namespace, change.name)] if memo[node_name] else []

    def reconcile(self, ctx: Context, key) -> None:
        if key[0] == "node":
            self._node(ctx, key[1])
        else:
            pod = ctx.get("pods", key[1], key[2])
            if pod is None:
                return
            node = ctx.get("nodes", "", (pod.get("spec") or {}).get("nodeName") or "")
            if node is not None:
                self._pod(ctx, node, pod)

    def _node(self, ctx: Context, name: str) -> None:
        node = ctx.get("nodes", "", name)
        if node is None:
            return
        new = copy.deepcopy(node)
        status = new.setdefault("status", {})
        was_ready = condition_status(node, "Ready")
        if node_failed(node) and was_ready != "Unknown":
            status["conditions"] = unknown_conditions(status.get("conditions") or [], ctx.now_str)
        spec = new.setdefault("spec", {})
        old_taints = spec.get("taints") or []
        taints = reconcile_taints(old_taints, desired_taints(new), ctx.now_str)
        if taints:
            spec["taints"] = taints
        else:
            spec.pop("taints", None)
        if not spec:
            new.pop("spec")
        now_ready = condition_status(new, "Ready")
        if new != node:
            ctx.write("nodes", new)
            node = ctx.get("nodes", "", name)
        lifecycle_keys = {TAINT_UNREACHABLE, TAINT_NOT_READY}
        had = any(t.get("key") in lifecycle_keys for t in old_taints)
        has = any(t.get("key") in lifecycle_keys for t in taints)
        if now_ready != "True" and was_ready == "True":
            ctx.event(node, "Normal", "NodeNotReady", f"Node {name} status is now: NodeNotReady", component=COMPONENT)
        elif now_ready == "True" and had and not has:
            ctx.event(node, "Normal", "NodeReady", f"Node {name} status is now: NodeReady", component=COMPONENT)
        for pod in ctx.list("pods", None, node_name=name):
            self._pod(ctx, node, pod)

    def _pod(self, ctx: Context, node: dict, pod: dict) -> None:
        meta = pod["metadata"]
        ns, pname = meta.get("namespace", ""), meta["name"]
        phase = (pod.get("status") or {}).get("phase")
        ready = condition_status(node, "Ready")
        taints = (node.get("spec") or {}).get("taints") or []
        if meta.get("deletionTimestamp"):
            # podgc: terminating pods on an out-of-service, not-Ready node are removed
            if ready != "True" and any(t.get("key") == TAINT_OUT_OF_SERVICE for t in taints) \
                    and not meta.get("finalizers"):
                ctx.delete("pods", ns, pname)
            return
        if ready != "True" and phase not in ("Succeeded", "Failed"):
            pod = self._mark_not_ready(ctx, pod)
        if phase in ("Succeeded", "Failed"):
            return
        delay = eviction_delay(taints, (pod.get("spec") or {}).get("tolerations") or [])
        if delay is None:
            return
        start = parse_time(eviction_start(taints, pod)) or ctx.now
        due = start + timedelta(seconds=delay)
        if due > ctx.now:
            ctx.requeue_after(self.name, ("pod", ns, pname), (due - ctx.now).total_seconds())
            return
        self._evict(ctx, pod)

    def _mark_not_ready(self, ctx: Context, pod: dict) -> dict:
        """MarkPodsNotReady: the pod's Ready condition goes False."""
        conds = (pod.get("status") or {}).get("conditions") or []
        if not any(c.get("type") == "Ready" and c.get("status") == "True" for c in conds):
            return pod
        new = copy.deepcopy(pod)
        for c in new["status"]["conditions"]:
            if c.get("type") == "Ready":
                c["status"] = "False"
                c["lastTransitionTime"] = ctx.now_str
        ctx.event(pod, "Warning", "NodeNotReady", "Node is not ready", component=COMPONENT)
        return ctx.update_status("pods", new)

    def _evict(self, ctx: Context, pod: dict) -> None:
        meta = pod["metadata"]
        ns, pname = meta.get("namespace", ""), meta["name"]
        ctx.event(pod, "Normal", "TaintManagerEviction", f"Marking for deletion Pod {ns}/{pname}",
                  component=EVICTION_COMPONENT)
        new = copy.deepcopy(pod)
        conds = new.setdefault("status", {}).setdefault("conditions", [])
        if not any(c.get("type") == "DisruptionTarget" for c in conds):
            conds.append({"type": "DisruptionTarget", "status": "True", "lastProbeTime": None,
                          "lastTransitionTime": ctx.now_str, "reason": "DeletionByTaintManager",
                          "message": "Taint manager: deleting due to NoExecute taint"})
            ctx.update_status("pods", new)
        from kctl.controllers.kubelet import mark_pod_deleted

        mark_pod_deleted(ctx, ctx.get("pods", ns, pname) or pod)


def healthy_conditions(old: list[dict], now: str) -> list[dict]:
    """The conditions a kubelet posts when it is back: Ready True and no pressure
    (lastTransitionTime now where the status changes, heartbeat now)."""
    rows = [
        ("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
        ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        ("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
    ]
    prev = {c.get("type"): c for c in old or []}
    out = []
    for type_, status, reason, message in rows:
        p = prev.get(type_) or {}
        ltt = p.get("lastTransitionTime") if p.get("status") == status and p.get("lastTransitionTime") else now
        out.append({"type": type_, "status": status, "reason": reason, "message": message,
                    "lastHeartbeatTime": now, "lastTransitionTime": ltt})
    return out


def fail_node(node: dict) -> dict:
    """The node with its kubelet stopped (the simulation annotation set)."""
    new = copy.deepcopy(node)
    new.setdefault("metadata", {}).setdefault("annotations", {})[ANN_FAILED] = "true"
    return new


def recover_node(node: dict, now: str) -> dict:
    """The node with its kubelet running again: annotation gone, healthy conditions."""
    new = copy.deepcopy(node)
    ann = new.setdefault("metadata", {}).get("annotations") or {}
    ann.pop(ANN_FAILED, None)
    if ann:
        new["metadata"]["annotations"] = ann
    else:
        new["metadata"].pop("annotations", None)
    status = new.setdefault("status", {})
    status["conditions"] = healthy_conditions(status.get("conditions") or [], now)
    return new
