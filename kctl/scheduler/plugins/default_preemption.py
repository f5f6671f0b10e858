"""DefaultPreemption (PostFilter): when a pod fits nowhere, find nodes where evicting
lower-priority pods would make it fit, pick victims as upstream (remove every lower-priority
pod, then reprieve the most important ones while the pod still fits), choose the node by
upstream's criteria, and report the per-node outcome in the FailedScheduling message.

PodDisruptionBudgets count as upstream: victims whose eviction would take a PDB's
status.disruptionsAllowed below 0 are "violating"; they are reprieved first, and the node with
the fewest violating victims wins (violations are allowed when unavoidable).

Not modelled: PreFilterExtensions (spread/affinity pre-filter state is not recomputed for the
victims removed), the 10%/100 candidate sampling (every node is tried), extenders; the
scheduler is not woken by PDB changes alone."""

from __future__ import annotations

from kctl.scheduler.framework import SUCCESS, UNRESOLVABLE, UNSCHEDULABLE, Status

NAME = "DefaultPreemption"
PREFIX = "preemption: "
REASON_NOT_HELPFUL = "Preemption is not helpful for scheduling"
REASON_NO_VICTIMS = "No preemption victims found for incoming pod"
MSG_POLICY_NEVER = "not eligible due to preemptionPolicy=Never."
MSG_TERMINATING = "not eligible due to a terminating pod on the nominated node."
EVENT_REASON = "Preempted"
EVENT_MESSAGE = "Preempted by pod {uid} on node {node}"
DISRUPTION_REASON = "PreemptionByScheduler"
DISRUPTION_MESSAGE = "default-scheduler: preempting to accommodate a higher priority pod"
_MAX_INT32 = 2**31 - 1


def eligible(pi, snap) -> str | None:
    """PodEligibleToPreemptOthers: None when eligible, else the message."""
    spec = pi.pod.get("spec") or {}
    if spec.get("preemptionPolicy") == "Never":
        return MSG_POLICY_NEVER
    nominated = (pi.pod.get("status") or {}).get("nominatedNodeName")
    if nominated:
        ni = snap.node(nominated)
        if ni is not None:
            for p in ni.pods:
                if p.deleting and p.priority < pi.priority:
                    return MSG_TERMINATING
    return None


def more_important(a, b) -> bool:
    if a.priority != b.priority:
        return a.priority > b.priority
    return (a.start_time or "") < (b.start_time or "")


def list_pdbs(reader) -> list[dict]:
    """Every PodDisruptionBudget the reader holds (none when it cannot list them)."""
    try:
        return list(reader.list("poddisruptionbudgets.policy", None) or [])
    except Exception:  # a reader without PDB support: preempt as if there were none
        return []


def split_pdb_violation(pods: list, pdbs: list) -> tuple[list, list]:
    """filterPodsWithPDBViolation: (violating, non_violating), order kept. Each pod matched by
    a PDB (same namespace, non-empty selector, not already in status.disruptedPods) uses one of
    its status.disruptionsAllowed; a pod that takes any PDB below 0 is violating."""
    from kctl.api.selectors import from_label_selector_spec

    prepared = []
    for pdb in pdbs:
        meta = pdb.get("metadata") or {}
        sel_spec = (pdb.get("spec") or {}).get("selector")
        if not sel_spec or not (sel_spec.get("matchLabels") or sel_spec.get("matchExpressions")):
            continue  # a nil or empty PDB selector matches nothing
        try:
            sel = from_label_selector_spec(sel_spec)
        except Exception:
            continue
        status = pdb.get("status") or {}
        prepared.append([meta.get("namespace") or "default", sel, set(status.get("disruptedPods") or {}),
                         int(status.get("disruptionsAllowed") or 0)])
    violating, non_violating = [], []
    for p in pods:
        bad = False
        for entry in prepared:
            ns, sel, disrupted, _ = entry
            if ns != p.ns or not sel.matches(p.labels) or p.name in disrupted:
                continue
            entry[3] -= 1
            if entry[3] < 0:
                bad = True
        (violating if bad else non_violating).append(p)
    return violating, non_violating


def select_victims(run_filters, state, pi, ni, pdbs=()):
    """SelectVictimsOnNode → (victims, Status, number of PDB-violating victims)."""
    import functools

    potential = [p for p in ni.pods if p.priority < pi.priority and not p.deleting]
    if not potential:
        return None, Status(UNRESOLVABLE, REASON_NO_VICTIMS), 0
    clone = ni.clone()
    for p in potential:
        clone.remove_pod(p)
    st = run_filters(state, pi, clone)
    if st is not None:
        return None, st, 0
    potential.sort(key=functools.cmp_to_key(lambda a, b: -1 if more_important(a, b) else (1 if more_important(b, a) else 0)))
    violating, non_violating = split_pdb_violation(potential, list(pdbs))
    victims = []
    n_violating = 0
    # violating pods are reprieved first, so PDB-protected pods stay when they can
    for group, counts in ((violating, True), (non_violating, False)):
        for p in group:
            clone.add_pod(p)
            if run_filters(state, pi, clone) is not None:
                clone.remove_pod(p)
                victims.append(p)
                n_violating += counts
    if not victims:
        # it fits without evicting anyone (upstream: no candidate from an empty victim list)
        return None, Status(UNRESOLVABLE, REASON_NO_VICTIMS), 0
    # upstream reports victims most important first
    victims.sort(key=functools.cmp_to_key(lambda a, b: -1 if more_important(a, b) else (1 if more_important(b, a) else 0)))
    return victims, Status(SUCCESS), n_violating


def pick_one(candidates: list):
    """pickOneNodeForPreemption over [(node_name, victims[, pdb_violations])] in node order:
    fewest PDB violations, lowest highest-victim priority, lowest priority sum, fewest victims,
    latest start of the highest-priority victims, then the first."""
    if not candidates:
        return None

    def highest(v):
        return max(p.priority for p in v)

    best = candidates
    for keyf in (
        lambda c: c[2] if len(c) > 2 else 0,
        lambda c: highest(c[1]),
        lambda c: sum(p.priority + _MAX_INT32 + 1 for p in c[1]),
        lambda c: len(c[1]),
    ):
        m = min(keyf(c) for c in best)
        best = [c for c in best if keyf(c) == m]
        if len(best) == 1:
            return best[0][0], best[0][1]

    def earliest_of_highest(c):
        hp = highest(c[1])
        return min((p.start_time or "") for p in c[1] if p.priority == hp)

    latest = max(earliest_of_highest(c) for c in best)
    best = [c for c in best if earliest_of_highest(c) == latest]
    return best[0][0], best[0][1]


def preempt(snap, pi, run_filters, state, node_statuses: dict, n_all: int):
    """→ (node_name | None, victims, message). `node_statuses` maps node name → its filter
    Status (nodes absent were excluded by PreFilter: not helpful)."""
    from kctl.scheduler.schedule_one import fit_error_message

    msg = eligible(pi, snap)
    if msg is not None:
        return None, [], PREFIX + msg
    results: list[tuple[Status, int]] = []
    candidates = []
    no_victims_anywhere = pi.priority <= snap.min_priority()
    pdbs = None
    for ni in snap.all_nodes():
        st = node_statuses.get(ni.name)
        if st is None or st.code != UNSCHEDULABLE:
            results.append((Status(UNRESOLVABLE, REASON_NOT_HELPFUL), 1))
            continue
        if no_victims_anywhere:
            results.append((Status(UNRESOLVABLE, REASON_NO_VICTIMS), 1))
            continue
        if pdbs is None:
            pdbs = list_pdbs(snap.reader)
        victims, vst, n_violating = select_victims(run_filters, state, pi, ni, pdbs)
        if victims:
            candidates.append((ni.name, victims, n_violating))
        else:
            results.append((vst, 1))
    if not candidates:
        return None, [], PREFIX + fit_error_message(n_all, "", results, "")
    name, victims = pick_one(candidates)
    return name, victims, ""
