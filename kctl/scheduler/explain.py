"""`kctl explain-schedule`: the scheduling cycle for one pod, spelled out. Read-only.

Every node with every filter plugin's verdict (all filters are run, not only up to the
first failure, and reasons are fuller than FailedScheduling's: the taint, the numbers), the
feasible nodes' normalized scores per score plugin with weights and totals, and the node the
scheduler would choose, or the FailedScheduling message it would record.
"""

from __future__ import annotations

from kctl.scheduler import framework as fw
from kctl.scheduler.framework import CycleState, PodInfo, Status


def _detail(plugin: str, st: Status, pi: PodInfo, ni) -> str:
    """The verdict's reason, with specifics where the plugin has them."""
    from kctl.scheduler.plugins import node_ports, node_resources_fit, taint_toleration

    if plugin == taint_toleration.NAME:
        t = taint_toleration.untolerated_taint(pi, ni)
        if t is not None:
            return f"{st.message()}: {fw.taint_text(t)}"
    if plugin == node_resources_fit.NAME:
        parts = []
        for reason, _u, want, used, cap in node_resources_fit.insufficient(pi, ni):
            name = reason.split(" ", 1)[1] if reason.startswith("Insufficient ") else "pods"
            fmt = (lambda v: f"{v}m") if name == "cpu" else str
            parts.append(f"{reason} (requested {fmt(want)}, used {fmt(used)}, allocatable {fmt(cap)})")
        if parts:
            return ", ".join(parts)
    if plugin == node_ports.NAME:
        clash = node_ports.conflicts(pi.ports, ni.used_ports)
        if clash:
            return f"{st.message()}: " + ", ".join(f"{ip}:{port}/{proto}" for ip, proto, port in clash)
    return st.message()


def _qty(name: str, v: int) -> str:
    if name == "cpu":
        return f"{v}m"
    for suffix, size in (("Gi", 1 << 30), ("Mi", 1 << 20), ("Ki", 1 << 10)):
        if v and v % size == 0:
            return f"{v // size}{suffix}"
    return str(v)


def explain(store, namespace: str, name: str, render_table) -> str:
    """The explanation text for pod `namespace/name` (NotFound if it does not exist).
    `render_table(headers, rows) -> str` lays out tables (the CLI passes kubectl's tabwriter
    layout from kctl.printers; the scheduler layer does not import printers)."""
    from kctl.errors import NotFound
    from kctl.scheduler.schedule_one import Algorithm, Group, Snapshot

    pod = store.get("pods", namespace, name)
    if pod is None:
        raise NotFound("pods", name)
    snap = Snapshot.load(store)
    bound = (pod.get("spec") or {}).get("nodeName")
    key = (namespace, name)
    if key in snap.assigned:
        snap._unassign(snap.assigned[key])
    if bound:
        pod = dict(pod, spec={k: v for k, v in pod["spec"].items() if k != "nodeName"})
    pi = PodInfo(pod, snap.priority_of(pod))
    algo = Algorithm()
    out: list[str] = []
    out.append(f"Pod:       {namespace}/{name}")
    out.append(f"Priority:  {pi.priority}")
    req = ", ".join(f"{k}={_qty(k, v)}" for k, v in sorted(pi.requests.items())) or "<none>"
    out.append(f"Requests:  {req}")
    if bound:
        out.append(f"Bound to:  {bound} (evaluated as if it were pending: the pod itself is not counted)")
    nodes = snap.all_nodes()
    out.append(f"Nodes:     {len(nodes)}")
    if not nodes:
        out.append("")
        out.append(f"Result:    {fw.NO_NODES}")
        return "\n".join(out) + "\n"

    result = algo.schedule(snap, pi, None)
    state = CycleState()
    groups = [Group(ni, [ni.name]) for ni in nodes]
    state["_groups"] = groups
    prefilter_rows = []
    rejected_pre = None
    allowed = None
    for p in algo.plugins:
        r = p.pre_filter(state, pi, snap)
        if isinstance(r, Status):
            prefilter_rows.append([p.name, fw.CODE_NAMES[r.code], r.message()])
            rejected_pre = r
            break
        if isinstance(r, set):
            allowed = r
            prefilter_rows.append([p.name, "Success", f"only node(s): {', '.join(sorted(r)) or '<none>'}"])
    if prefilter_rows:
        out.append("")
        out.append("PREFILTER")
        out.append(render_table(["PLUGIN", "VERDICT", "REASON"], prefilter_rows).rstrip("\n"))

    feasible = []
    if rejected_pre is None:
        rows = []
        for ni in nodes:
            first = None
            for p in algo.filters:
                if allowed is not None and ni.name not in allowed and p.name == "NodeAffinity":
                    st = Status(fw.UNRESOLVABLE, "excluded by PreFilter (node affinity matchFields)")
                else:
                    st = p.filter(state, pi, ni)
                if st is None:
                    rows.append([ni.name, p.name, "Success", "-"])
                else:
                    rows.append([ni.name, p.name, fw.CODE_NAMES[st.code], _detail(p.name, st, pi, ni)])
                    first = first or st
            if first is None and algo.run_filters_nominated(state, pi, ni, snap) is None:
                feasible.append(ni)
        out.append("")
        out.append("FILTER (every plugin is run here; the scheduler stops at a node's first failure)")
        out.append(render_table(["NODE", "PLUGIN", "VERDICT", "REASON"], rows).rstrip("\n"))

    if len(feasible) > 1:
        fgroups = [Group(ni, [ni.name]) for ni in feasible]
        cols = []
        totals = [0] * len(feasible)
        for p in algo.scorers:
            if p.pre_score(state, pi, snap, fgroups):
                raw = [p.score(state, pi, ni) for ni in feasible]
                p.normalize(state, pi, raw, fgroups)
                skipped = False
            else:
                raw = [0] * len(feasible)
                skipped = True
            cols.append((p, raw, skipped))
            for i, s in enumerate(raw):
                totals[i] += s * p.weight
        headers = ["NODE"] + [f"{p.name}(x{p.weight})" for p, _, _ in cols] + ["TOTAL"]
        rows = []
        for i, ni in enumerate(feasible):
            rows.append([ni.name] + [("skip" if sk else str(raw[i])) for _, raw, sk in cols] + [str(totals[i])])
        out.append("")
        out.append("SCORE (normalized 0-100 per plugin; TOTAL = sum of score x weight; skip = plugin skipped, counts 0)")
        out.append(render_table(headers, rows).rstrip("\n"))
    out.append("")
    out.append(f"Feasible:  {len(feasible)}/{len(nodes)}")
    if result.node is not None:
        how = "the only feasible node" if len(feasible) == 1 else "highest total; ties go to the lowest node name"
        if (pod.get("status") or {}).get("nominatedNodeName") == result.node:
            how = "its nominated node, which fits"
        out.append(f"Result:    {result.node} ({how})")
    else:
        out.append(f"Result:    unschedulable: {result.message}")
        if result.nominate:
            victims = ", ".join(f"{v.ns}/{v.name}" for v in result.victims)
            out.append(f"Preemption: would nominate {result.nominate}, evicting {victims}")
    return "\n".join(out) + "\n"
