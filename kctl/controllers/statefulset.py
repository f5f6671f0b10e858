"""StatefulSet controller, after upstream pkg/controller/statefulset (stateful_set_control.go).

Per StatefulSet: revisions (ControllerRevision `<sts>-<hash>`, currentRevision /
updateRevision), claim pods, then in ordinal order create `<sts>-<ordinal>` pods (PVCs from
volumeClaimTemplates first), OrderedReady waits for each pod to be Running and Ready (and
available with minReadySeconds) before the next and scales down one pod at a time from the
highest ordinal; Parallel does not wait. RollingUpdate replaces pods from the highest ordinal
down to the partition, one at a time, waiting for each to be healthy; OnDelete only uses the
update revision for pods that get recreated. PVC ownerReferences follow
persistentVolumeClaimRetentionPolicy. Terminating pods block their ordinal until they are gone
(so a pod on an unreachable node is not replaced until it is removed).
"""

from __future__ import annotations

import copy

from kctl.api.selectors import from_label_selector_spec
from kctl.controllers import podutil
from kctl.controllers.context import controller_of

STS = "statefulsets.apps"
PVC = "persistentvolumeclaims"
COMPONENT = "statefulset-controller"
POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name"
POD_INDEX_LABEL = "apps.kubernetes.io/pod-index"


def parse_ordinal(set_name: str, pod_name: str) -> int | None:
    """getParentNameAndOrdinal: `<set>-<n>` → n (None when the name is not one of ours)."""
    prefix = set_name + "-"
    if not pod_name.startswith(prefix):
        return None
    tail = pod_name[len(prefix):]
    if not tail.isdigit() or (len(tail) > 1 and tail[0] == "0"):
        return None
    return int(tail)


def ordinal_range(spec: dict) -> range:
    """[start, start+replicas): spec.ordinals.start (StatefulSetStartOrdinal)."""
    start = int(((spec.get("ordinals") or {}).get("start")) or 0)
    return range(start, start + int(spec.get("replicas", 1) or 0))


def claim_name(template_name: str, set_name: str, ordinal: int) -> str:
    return f"{template_name}-{set_name}-{ordinal}"


def max_unavailable(value, replicas: int) -> int:
    """getStatefulSetMaxUnavailable: an int or a percentage of replicas rounded up; at least 1."""
    if value is None:
        return 1
    if isinstance(value, str) and value.endswith("%"):
        n = -(-int(value[:-1]) * replicas // 100)
    else:
        n = int(value)
    return max(1, n)


def is_healthy(pod: dict) -> bool:
    return podutil.is_running_and_ready(pod) and not podutil.is_terminating(pod)


def new_pod(sts: dict, template: dict, ordinal: int, revision: str) -> dict:
    """newStatefulSetPod + setPodRevision: identity, storage and revision label."""
    name = sts["metadata"]["name"]
    pod_name = f"{name}-{ordinal}"
    spec = sts.get("spec") or {}
    pod = podutil.pod_from_template(template, sts, name=pod_name, extra_labels={
        POD_NAME_LABEL: pod_name, POD_INDEX_LABEL: str(ordinal),
        podutil.REVISION_HASH_LABEL: revision})
    ps = pod["spec"]
    ps["hostname"] = pod_name
    if spec.get("serviceName"):
        ps["subdomain"] = spec["serviceName"]
    claims = [t["metadata"]["name"] for t in spec.get("volumeClaimTemplates") or []]
    if claims:
        vols = [{"name": c, "persistentVolumeClaim": {"claimName": claim_name(c, name, ordinal)}} for c in claims]
        vols += [v for v in ps.get("volumes") or [] if v.get("name") not in claims]
        ps["volumes"] = vols
    return pod


def new_claims(sts: dict, ordinal: int) -> list[dict]:
    """getPersistentVolumeClaims: one claim per template, labelled with the template's labels
    plus the selector's matchLabels."""
    name = sts["metadata"]["name"]
    ns = sts["metadata"].get("namespace", "default")
    sel = ((sts.get("spec") or {}).get("selector") or {}).get("matchLabels") or {}
    out = []
    for t in (sts.get("spec") or {}).get("volumeClaimTemplates") or []:
        c = copy.deepcopy(t)
        c.pop("status", None)
        c["apiVersion"], c["kind"] = "v1", "PersistentVolumeClaim"
        m = c.setdefault("metadata", {})
        m["name"] = claim_name(m.get("name", ""), name, ordinal)
        m["namespace"] = ns
        labels = dict(m.get("labels") or {})
        labels.update(sel)
        m["labels"] = labels
        out.append(c)
    return out


def claim_owner_refs(sts: dict, pod: dict | None, refs: list[dict], in_range: bool) -> list[dict]:
    """updateClaimOwnerRefForSetAndPod: the claim's ownerReferences for the retention policy."""
    pol = (sts.get("spec") or {}).get("persistentVolumeClaimRetentionPolicy") or {}
    deleted = pol.get("whenDeleted", "Retain")
    scaled = pol.get("whenScaled", "Retain")
    set_uid = sts["metadata"]["uid"]
    pod_uid = (pod or {}).get("metadata", {}).get("uid")
    refs = list(refs)

    def has(uid):
        return any(r.get("uid") == uid for r in refs)

    def add(obj, api, kind):
        if obj is not None and not has(obj["metadata"]["uid"]):
            refs.append({"apiVersion": api, "kind": kind, "name": obj["metadata"]["name"],
                         "uid": obj["metadata"]["uid"]})

    def drop(uid):
        nonlocal refs
        refs = [r for r in refs if r.get("uid") != uid]

    want_set = (deleted == "Delete" and (scaled == "Retain" or in_range))
    want_pod = scaled == "Delete" and not in_range
    if want_set:
        add(sts, "apps/v1", "StatefulSet")
    else:
        drop(set_uid)
    if want_pod:
        add(pod, "v1", "Pod")
    elif pod_uid:
        drop(pod_uid)
    return refs


class StatefulSetController:
    """Reconciles StatefulSets; keys are (ns, name)."""

    name = "statefulset"
    resources = (STS, "pods", PVC)

    def __init__(self):
        self._pods = podutil.PodIndex()

    def keys_for(self, ctx, change):
        if change.resource == STS:
            return [(change.namespace, change.name)]
        if change.resource == PVC:
            return []
        pod = ctx.get("pods", change.namespace, change.name)
        if pod is not None:
            ref = controller_of(pod)
            if ref is not None:
                return [(change.namespace, ref["name"])] if ref.get("kind") == "StatefulSet" else []
            labels = podutil.meta(pod).get("labels") or {}
            return [(change.namespace, s["metadata"]["name"]) for s in ctx.list(STS, change.namespace)
                    if from_label_selector_spec((s.get("spec") or {}).get("selector")).matches(labels)]
        head, _, tail = change.name.rpartition("-")
        if tail.isdigit() and ctx.get(STS, change.namespace, head) is not None:
            return [(change.namespace, head)]
        return []

    # ------------------------------------------------------------------ reconcile
    def reconcile(self, ctx, key) -> None:
        ns, name = key
        sts = ctx.get(STS, ns, name)
        if sts is None:
            return
        spec = sts.get("spec") or {}
        selector = from_label_selector_spec(spec.get("selector"))
        candidates = self._pods.sync(ctx).candidates(ns, sts["metadata"]["uid"])
        pods = podutil.claim_objects(ctx, "pods", sts, selector, candidates)
        template = spec.get("template") or {}
        update_rev, revs, collision = podutil.ensure_revision(ctx, sts, template)
        cur_name = (sts.get("status") or {}).get("currentRevision")
        current_rev = next((r for r in revs if r["metadata"]["name"] == cur_name), None) or update_rev
        by_ord = {}
        for p in pods:
            o = parse_ordinal(name, p["metadata"]["name"])
            if o is not None:
                by_ord[o] = p
        waiting_for = None
        if not podutil.meta(sts).get("deletionTimestamp"):
            waiting_for = self.update(ctx, sts, by_ord, current_rev, update_rev)
        pods = [p for p in (ctx.get("pods", ns, p["metadata"]["name"]) for p in list(by_ord.values())) if p]
        # pods created this pass
        for o in ordinal_range(spec):
            if o not in by_ord:
                p = ctx.get("pods", ns, f"{name}-{o}")
                if p is not None and (controller_of(p) or {}).get("uid") == sts["metadata"]["uid"]:
                    pods.append(p)
        self.write_status(ctx, sts, pods, current_rev, update_rev, collision)
        podutil.truncate_history(ctx, sts, podutil.owned_revisions(ctx, sts),
                                 {podutil.meta(p).get("labels", {}).get(podutil.REVISION_HASH_LABEL) for p in pods}
                                 | {current_rev["metadata"]["name"], update_rev["metadata"]["name"]})
        if waiting_for:
            ctx.requeue_after(self.name, key, waiting_for)

    def update(self, ctx, sts, by_ord, current_rev, update_rev) -> float | None:
        """One pass of updateStatefulSet; returns seconds to wait for minReadySeconds, if any."""
        spec = sts.get("spec") or {}
        name = sts["metadata"]["name"]
        ns = sts["metadata"].get("namespace", "")
        monotonic = spec.get("podManagementPolicy", "OrderedReady") != "Parallel"
        mrs = int(spec.get("minReadySeconds") or 0)
        rng = ordinal_range(spec)
        strategy = spec.get("updateStrategy") or {}
        partition = int(((strategy.get("rollingUpdate") or {}).get("partition")) or 0)
        current_tmpl = podutil.template_of(current_rev)
        update_tmpl = podutil.template_of(update_rev)
        start = rng.start

        def versioned(o: int) -> dict:
            if strategy.get("type", "RollingUpdate") == "RollingUpdate" and o < start + partition:
                return new_pod(sts, current_tmpl, o, current_rev["metadata"]["name"])
            return new_pod(sts, update_tmpl, o, update_rev["metadata"]["name"])

        # claims of existing pods follow the retention policy (scaled-down pods too)
        for o, p in sorted(by_ord.items()):
            self.sync_claims(ctx, sts, p, o, o in rng, create=False)
        for o in rng:
            p = by_ord.get(o)
            if p is not None and podutil.is_terminal(p):
                if not podutil.is_terminating(p):
                    self.delete(ctx, sts, p)
                if monotonic:
                    return None
                continue
            if p is None:
                pod = versioned(o)
                self.sync_claims(ctx, sts, pod, o, True, create=True)
                if ctx.get("pods", ns, pod["metadata"]["name"]) is not None:
                    if monotonic:
                        return None  # the old pod of this name is still being removed
                    continue
                created = podutil.try_create(
                    ctx, sts, "pods", pod, COMPONENT,
                    lambda err: f"create Pod {pod['metadata']['name']} in StatefulSet {name} failed error: {err}")
                if created is None:
                    return None
                ctx.event(sts, "Normal", "SuccessfulCreate",
                          f"create Pod {created['metadata']['name']} in StatefulSet {name} successful",
                          component=COMPONENT)
                if monotonic:
                    return None
                continue
            if podutil.is_terminating(p):
                if monotonic:
                    return None
                continue
            if not podutil.is_running_and_ready(p):
                if monotonic:
                    return None
                continue
            left = podutil.available_after(p, mrs, ctx.now)
            if left and monotonic:
                return left
        condemned = sorted((o for o in by_ord if o not in rng), reverse=True)
        for o in condemned:
            p = by_ord[o]
            if podutil.is_terminating(p):
                if monotonic:
                    return None
                continue
            self.delete(ctx, sts, p)
            if monotonic:
                return None
        if strategy.get("type", "RollingUpdate") != "RollingUpdate":
            return None
        # MaxUnavailableStatefulSet (beta, on by default): count the unavailable pods in range,
        # then replace outdated pods from the highest ordinal down to the partition, at most
        # maxUnavailable - unavailable of them
        upd = update_rev["metadata"]["name"]
        max_unavail = max_unavailable((strategy.get("rollingUpdate") or {}).get("maxUnavailable"), len(rng))
        unavailable = sum(1 for o in rng if by_ord.get(o) is None or not is_healthy(by_ord[o])
                          or not podutil.is_available(by_ord[o], mrs, ctx.now))
        if unavailable >= max_unavail:
            return None
        victims = []
        for o in sorted((o for o in rng if o >= start + partition), reverse=True):
            p = by_ord.get(o)
            if p is not None and podutil.meta(p).get("labels", {}).get(podutil.REVISION_HASH_LABEL) != upd \
                    and not podutil.is_terminating(p):
                victims.append(p)
            if len(victims) >= max_unavail - unavailable:
                break
        for p in victims:
            self.delete(ctx, sts, p)
        return None

    def sync_claims(self, ctx, sts, pod, ordinal, in_range, *, create: bool) -> None:
        ns = sts["metadata"].get("namespace", "")
        pod_name = pod["metadata"]["name"]
        live_pod = ctx.get("pods", ns, pod_name) if not create else None
        for c in new_claims(sts, ordinal):
            live = ctx.get(PVC, ns, c["metadata"]["name"])
            if live is None:
                if not create:
                    continue
                refs = claim_owner_refs(sts, None, [], in_range)
                if refs:
                    c["metadata"]["ownerReferences"] = refs
                made = podutil.try_create(
                    ctx, sts, PVC, c, COMPONENT,
                    lambda err: f"create Claim {c['metadata']['name']} for Pod {pod_name} in StatefulSet "
                                f"{sts['metadata']['name']} failed error: {err}")
                if made is None:
                    continue
                ctx.event(sts, "Normal", "SuccessfulCreate",
                          f"create Claim {c['metadata']['name']} Pod {pod_name} in StatefulSet "
                          f"{sts['metadata']['name']} success", component=COMPONENT)
                continue
            refs = claim_owner_refs(sts, live_pod, live["metadata"].get("ownerReferences") or [], in_range)
            if refs != (live["metadata"].get("ownerReferences") or []):
                new = copy.deepcopy(live)
                if refs:
                    new["metadata"]["ownerReferences"] = refs
                else:
                    new["metadata"].pop("ownerReferences", None)
                ctx.write(PVC, new)

    def delete(self, ctx, sts, pod) -> None:
        podutil.delete_pod(ctx, pod)
        ctx.event(sts, "Normal", "SuccessfulDelete",
                  f"delete Pod {pod['metadata']['name']} in StatefulSet {sts['metadata']['name']} successful",
                  component=COMPONENT)

    def write_status(self, ctx, sts, pods, current_rev, update_rev, collision) -> None:
        spec = sts.get("spec") or {}
        mrs = int(spec.get("minReadySeconds") or 0)
        cur, upd = current_rev["metadata"]["name"], update_rev["metadata"]["name"]
        replicas = ready = avail = n_cur = n_upd = 0
        for p in pods:
            replicas += 1
            if podutil.is_running_and_ready(p):
                ready += 1
                if podutil.is_available(p, mrs, ctx.now):
                    avail += 1
            if not podutil.is_terminating(p):
                h = podutil.meta(p).get("labels", {}).get(podutil.REVISION_HASH_LABEL)
                n_cur += h == cur
                n_upd += h == upd
        if (spec.get("updateStrategy") or {}).get("type", "RollingUpdate") == "RollingUpdate" \
                and n_upd == replicas and ready == replicas:
            n_cur, cur = n_upd, upd
        status: dict = {"replicas": replicas}
        if ready:
            status["readyReplicas"] = ready
        if n_cur:
            status["currentReplicas"] = n_cur
        if n_upd:
            status["updatedReplicas"] = n_upd
        status["availableReplicas"] = avail
        status["currentRevision"] = cur
        status["updateRevision"] = upd
        status["collisionCount"] = collision
        gen = podutil.meta(sts).get("generation")
        if gen:
            status["observedGeneration"] = gen
        live = ctx.get(STS, sts["metadata"].get("namespace", ""), sts["metadata"]["name"]) or sts
        if (live.get("status") or {}).get("conditions"):
            status["conditions"] = live["status"]["conditions"]
        new = dict(live)
        new["status"] = status
        ctx.update_status(STS, new)
