"""DaemonSet controller, after upstream pkg/controller/daemon (daemon_controller.go, update.go).

One pod per eligible node: a node is eligible when the pod template's nodeSelector / required
node affinity match it and every NoSchedule/NoExecute taint is tolerated (the template's
tolerations plus the ones upstream adds to every daemon pod). A node with an untolerated
NoSchedule taint keeps a pod that already runs there; NoExecute removes it. Pods are created
unbound with a required node affinity `matchFields metadata.name In [<node>]` for the
scheduler, named `<ds>-<suffix>`, labelled `controller-revision-hash` (the ControllerRevision
hash) and `pod-template-generation`. RollingUpdate follows update.go (maxUnavailable, or
maxSurge: new pod first, old one deleted once the new one is available); OnDelete only
replaces pods the user deletes.
"""

from __future__ import annotations

import copy
import math

from kctl.api.selectors import from_label_selector_spec
from kctl.controllers import podutil
from kctl.controllers.context import controller_of

DS = "daemonsets.apps"
COMPONENT = "daemonset-controller"
TEMPLATE_GENERATION_LABEL = "pod-template-generation"

_AUTO_TOLERATIONS = [
    ("node.kubernetes.io/not-ready", "NoExecute"),
    ("node.kubernetes.io/unreachable", "NoExecute"),
    ("node.kubernetes.io/disk-pressure", "NoSchedule"),
    ("node.kubernetes.io/memory-pressure", "NoSchedule"),
    ("node.kubernetes.io/pid-pressure", "NoSchedule"),
    ("node.kubernetes.io/unschedulable", "NoSchedule"),
]


def daemon_tolerations(pod_spec: dict) -> list[dict]:
    """util.AddOrUpdateDaemonPodTolerations: the template's tolerations plus the automatic
    ones (network-unavailable only for hostNetwork pods)."""
    tols = [dict(t) for t in pod_spec.get("tolerations") or []]
    auto = list(_AUTO_TOLERATIONS)
    if pod_spec.get("hostNetwork"):
        auto.append(("node.kubernetes.io/network-unavailable", "NoSchedule"))
    for key, effect in auto:
        new = {"key": key, "operator": "Exists", "effect": effect}
        for i, t in enumerate(tols):
            if t.get("key") == key and t.get("effect") == effect and t.get("operator", "Equal") == "Exists" \
                    and not t.get("value"):
                tols[i] = new
                break
        else:
            tols.append(new)
    return tols


def should_run(pod_spec: dict, node: dict) -> tuple[bool, bool]:
    """nodeShouldRunDaemonPod → (shouldRun, shouldContinueRunning)."""
    if pod_spec.get("nodeName") and pod_spec["nodeName"] != node["metadata"]["name"]:
        return False, False
    if not podutil.required_affinity_matches(pod_spec, node):
        return False, False
    tols = daemon_tolerations(pod_spec)
    taints = (node.get("spec") or {}).get("taints") or []
    if podutil.untolerated_taint(taints, tols, ("NoExecute",)) is not None:
        return False, False
    if podutil.untolerated_taint(taints, tols, ("NoSchedule",)) is not None:
        return False, True
    return True, True


def with_node_affinity(pod_spec: dict, node_name: str) -> dict:
    """util.ReplaceDaemonSetPodNodeNameNodeAffinity."""
    spec = copy.deepcopy(pod_spec)
    req = {"key": "metadata.name", "operator": "In", "values": [node_name]}
    na = spec.setdefault("affinity", {}).setdefault("nodeAffinity", {})
    required = na.get("requiredDuringSchedulingIgnoredDuringExecution")
    terms = (required or {}).get("nodeSelectorTerms") or []
    if not terms:
        na["requiredDuringSchedulingIgnoredDuringExecution"] = {"nodeSelectorTerms": [{"matchFields": [req]}]}
    else:
        for t in terms:
            t["matchFields"] = [req]
    return spec


def target_node(pod: dict) -> str | None:
    """util.GetTargetNodeName: spec.nodeName, else the matchFields metadata.name value."""
    spec = pod.get("spec") or {}
    if spec.get("nodeName"):
        return spec["nodeName"]
    req = (((spec.get("affinity") or {}).get("nodeAffinity") or {})
           .get("requiredDuringSchedulingIgnoredDuringExecution") or {})
    for term in req.get("nodeSelectorTerms") or []:
        for f in term.get("matchFields") or []:
            if f.get("key") == "metadata.name" and f.get("operator") == "In" and len(f.get("values") or []) == 1:
                return f["values"][0]
    return None


def scaled(value, total: int, default: int) -> int:
    """intstr.GetScaledValueFromIntOrPercent rounding up (daemon update's rule)."""
    if value is None:
        return default
    if isinstance(value, str) and value.endswith("%"):
        return math.ceil(int(value[:-1]) * total / 100)
    return int(value)


def _age_key(p: dict):
    return (podutil.meta(p).get("creationTimestamp") or "", p["metadata"]["name"])


class DaemonSetController:
    """Reconciles DaemonSets; keys are (ns, name)."""

    name = "daemonset"
    resources = (DS, "pods", "nodes")

    def __init__(self):
        self._pods = podutil.PodIndex()

    def keys_for(self, ctx, change):
        if change.resource == DS:
            return [(change.namespace, change.name)]
        if change.resource == "nodes":
            return [(d["metadata"].get("namespace", ""), d["metadata"]["name"]) for d in ctx.list(DS)]
        pod = ctx.get("pods", change.namespace, change.name)
        if pod is not None:
            ref = controller_of(pod)
            if ref is not None:
                return [(change.namespace, ref["name"])] if ref.get("kind") == "DaemonSet" else []
            labels = podutil.meta(pod).get("labels") or {}
            return [(change.namespace, d["metadata"]["name"]) for d in ctx.list(DS, change.namespace)
                    if from_label_selector_spec((d.get("spec") or {}).get("selector")).matches(labels)]
        guess = podutil.strip_suffix(change.name)
        return [(change.namespace, guess)] if guess and ctx.get(DS, change.namespace, guess) else []

    def reconcile(self, ctx, key) -> None:
        ns, name = key
        ds = ctx.get(DS, ns, name)
        if ds is None:
            return
        spec = ds.get("spec") or {}
        template = spec.get("template") or {}
        selector = from_label_selector_spec(spec.get("selector"))
        rev, revs, _ = podutil.ensure_revision(ctx, ds, template)
        h = (rev["metadata"].get("labels") or {}).get(podutil.CR_HASH_LABEL, "")
        pods = self._claim(ctx, ds, selector)
        nodes = {n["metadata"]["name"]: n for n in ctx.list("nodes")}
        by_node: dict[str, list[dict]] = {}
        for p in pods:
            by_node.setdefault(target_node(p) or "", []).append(p)
        deleting = bool(podutil.meta(ds).get("deletionTimestamp"))
        wait = None
        if not deleting:
            self.manage(ctx, ds, nodes, by_node, h)
            strategy = spec.get("updateStrategy") or {}
            if strategy.get("type", "RollingUpdate") == "RollingUpdate":
                pods = self._claim(ctx, ds, selector)
                by_node = {}
                for p in pods:
                    by_node.setdefault(target_node(p) or "", []).append(p)
                wait = self.rolling_update(ctx, ds, nodes, by_node, h)
        pods = self._claim(ctx, ds, selector)
        wait2 = self.write_status(ctx, ds, nodes, pods, h)
        podutil.truncate_history(ctx, ds, podutil.owned_revisions(ctx, ds), {rev["metadata"]["name"]} | {
            r["metadata"]["name"] for r in revs
            if (r["metadata"].get("labels") or {}).get(podutil.CR_HASH_LABEL) in
            {podutil.meta(p).get("labels", {}).get(podutil.REVISION_HASH_LABEL) for p in pods}})
        for w in (wait, wait2):
            if w:
                ctx.requeue_after(self.name, key, w)

    def _claim(self, ctx, ds, selector) -> list[dict]:
        ns = ds["metadata"].get("namespace", "")
        return podutil.claim_objects(ctx, "pods", ds, selector,
                                     self._pods.sync(ctx).candidates(ns, ds["metadata"]["uid"]))

    def _is_updated(self, ds, pod, h) -> bool:
        labels = podutil.meta(pod).get("labels") or {}
        if podutil.REVISION_HASH_LABEL in labels:
            return labels[podutil.REVISION_HASH_LABEL] == h
        return labels.get(TEMPLATE_GENERATION_LABEL) == str(podutil.meta(ds).get("generation"))

    def manage(self, ctx, ds, nodes, by_node, h) -> None:
        """manage + podsShouldBeOnNode: create missing pods, delete extra/failed/misplaced."""
        spec = ds.get("spec") or {}
        pod_spec = (spec.get("template") or {}).get("spec") or {}
        surge = self._max_surge(ds, nodes) > 0
        create, delete = [], []
        for node_name in sorted(nodes):
            run, keep = should_run(pod_spec, nodes[node_name])
            pods = [p for p in by_node.get(node_name, []) if not podutil.is_terminating(p)]
            if run and not pods and not any(podutil.is_terminating(p) for p in by_node.get(node_name, [])):
                create.append(node_name)
            elif keep:
                running = []
                for p in pods:
                    if (p.get("status") or {}).get("phase") == "Failed":
                        ctx.event(ds, "Warning", "FailedDaemonPod",
                                  f"Found failed daemon pod {p['metadata'].get('namespace')}/{p['metadata']['name']}"
                                  f" on node {node_name}, will try to kill it", component=COMPONENT)
                        delete.append(p)
                    else:
                        running.append(p)
                if len(running) > 1:
                    running.sort(key=_age_key)
                    if surge:
                        old = [p for p in running if not self._is_updated(ds, p, h)]
                        new = [p for p in running if self._is_updated(ds, p, h)]
                        keepers = old[:1] + new[:1]
                        delete += [p for p in running if p not in keepers]
                    else:
                        delete += running[1:]
            elif pods:
                delete += pods
        # unscheduled pods aimed at nodes that no longer exist
        for node_name, pods in sorted(by_node.items()):
            if node_name not in nodes:
                delete += [p for p in pods if not (p.get("spec") or {}).get("nodeName")
                           and not podutil.is_terminating(p)]
        self.sync_nodes(ctx, ds, delete, create, h)

    def sync_nodes(self, ctx, ds, delete: list[dict], create: list[str], h: str) -> None:
        name = ds["metadata"]["name"]
        template = (ds.get("spec") or {}).get("template") or {}
        for node_name in create:
            pod = podutil.pod_from_template(template, ds, generate_name=f"{name}-", extra_labels={
                podutil.REVISION_HASH_LABEL: h,
                TEMPLATE_GENERATION_LABEL: str(podutil.meta(ds).get("generation") or 1)})
            pod["spec"] = with_node_affinity(pod["spec"], node_name)
            pod["spec"]["tolerations"] = daemon_tolerations(pod["spec"])
            created = podutil.try_create(ctx, ds, "pods", pod, COMPONENT)
            if created is None:
                break
            ctx.event(ds, "Normal", "SuccessfulCreate", f"Created pod: {created['metadata']['name']}",
                      component=COMPONENT)
        for p in delete:
            podutil.delete_pod(ctx, p)
            ctx.event(ds, "Normal", "SuccessfulDelete", f"Deleted pod: {p['metadata']['name']}",
                      component=COMPONENT)

    def _desired(self, ds, nodes) -> int:
        pod_spec = ((ds.get("spec") or {}).get("template") or {}).get("spec") or {}
        return sum(1 for n in nodes.values() if should_run(pod_spec, n)[0])

    def _max_surge(self, ds, nodes) -> int:
        ru = ((ds.get("spec") or {}).get("updateStrategy") or {}).get("rollingUpdate") or {}
        if ((ds.get("spec") or {}).get("updateStrategy") or {}).get("type", "RollingUpdate") != "RollingUpdate":
            return 0
        return scaled(ru.get("maxSurge"), self._desired(ds, nodes), 0)

    def rolling_update(self, ctx, ds, nodes, by_node, h) -> float | None:
        """update.go rollingUpdate; returns seconds until a new pod becomes available."""
        spec = ds.get("spec") or {}
        mrs = int(spec.get("minReadySeconds") or 0)
        ru = (spec.get("updateStrategy") or {}).get("rollingUpdate") or {}
        desired = self._desired(ds, nodes)
        max_surge = scaled(ru.get("maxSurge"), desired, 0)
        max_unavail = scaled(ru.get("maxUnavailable"), desired, 1)
        if max_surge == 0 and max_unavail == 0:
            max_unavail = 1
        wait = None

        def avail(p):
            nonlocal wait
            left = podutil.available_after(p, mrs, ctx.now)
            if left:
                wait = left if wait is None else min(wait, left)
            return left == 0.0

        old_delete: list[dict] = []
        if max_surge == 0:
            unavailable = 0
            allowed, candidates = [], []
            for node_name in sorted(by_node):
                pods = [p for p in by_node[node_name] if not podutil.is_terminating(p)]
                new = [p for p in pods if self._is_updated(ds, p, h)]
                old = [p for p in pods if not self._is_updated(ds, p, h)]
                if len(new) > 1 or len(old) > 1:
                    unavailable += 1
                    continue
                if (not new and not old) or (new and old):
                    unavailable += 1
                elif new:
                    if not avail(new[0]):
                        unavailable += 1
                elif not avail(old[0]):
                    allowed.append(old[0])
                elif unavailable < max_unavail:
                    candidates.append(old[0])
            remaining = max(0, min(max_unavail - unavailable, len(candidates)))
            self.sync_nodes(ctx, ds, allowed + candidates[:remaining], [], h)
            return wait
        surged = 0
        allowed_nodes, candidate_nodes = [], []
        for node_name in sorted(by_node):
            if node_name not in nodes:
                continue
            pods = [p for p in by_node[node_name] if not podutil.is_terminating(p)]
            new = [p for p in pods if self._is_updated(ds, p, h)]
            old = [p for p in pods if not self._is_updated(ds, p, h)]
            if len(new) > 1 or len(old) > 1:
                surged += 1
                continue
            if not old:
                continue
            if not new:
                if not avail(old[0]):
                    allowed_nodes.append(node_name)
                elif surged < max_surge:
                    candidate_nodes.append(node_name)
                continue
            if not avail(new[0]):
                surged += 1
                continue
            old_delete.append(old[0])
        remaining = max(0, min(max_surge - surged, len(candidate_nodes)))
        self.sync_nodes(ctx, ds, old_delete, allowed_nodes + candidate_nodes[:remaining], h)
        return wait

    def write_status(self, ctx, ds, nodes, pods, h) -> float | None:
        """updateDaemonSetStatus: counts over nodes that should run the pod."""
        spec = ds.get("spec") or {}
        mrs = int(spec.get("minReadySeconds") or 0)
        pod_spec = (spec.get("template") or {}).get("spec") or {}
        by_node: dict[str, list[dict]] = {}
        for p in pods:
            if not podutil.is_terminating(p):
                by_node.setdefault(target_node(p) or "", []).append(p)
        desired = current = ready = available = updated = mis = 0
        wait = None
        for node_name in sorted(nodes):
            run, _ = should_run(pod_spec, nodes[node_name])
            scheduled = sorted(by_node.get(node_name, []), key=_age_key)
            if run:
                desired += 1
                if scheduled:
                    current += 1
                    p = scheduled[0]
                    if podutil.is_ready(p):
                        ready += 1
                        left = podutil.available_after(p, mrs, ctx.now)
                        if left == 0.0:
                            available += 1
                        elif left:
                            wait = left if wait is None else min(wait, left)
                    if any(self._is_updated(ds, q, h) for q in scheduled):
                        updated += 1
            elif scheduled:
                mis += 1
        status: dict = {"currentNumberScheduled": current, "desiredNumberScheduled": desired,
                        "numberMisscheduled": mis, "numberReady": ready}
        if available:
            status["numberAvailable"] = available
        if desired - available:
            status["numberUnavailable"] = desired - available
        if updated:
            status["updatedNumberScheduled"] = updated
        gen = podutil.meta(ds).get("generation")
        if gen:
            status["observedGeneration"] = gen
        live = ctx.get(DS, ds["metadata"].get("namespace", ""), ds["metadata"]["name"]) or ds
        old = live.get("status") or {}
        if old.get("conditions"):
            status["conditions"] = old["conditions"]
        if old.get("collisionCount") is not None:
            status["collisionCount"] = old["collisionCount"]
        new = dict(live)
        new["status"] = status
        ctx.update_status(DS, new)
        return wait

