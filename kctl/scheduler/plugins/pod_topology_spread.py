"""PodTopologySpread: DoNotSchedule constraints filter by skew; ScheduleAnyway constraints
(or, for a pod with none, the system defaults: hostname maxSkew 3 and zone maxSkew 5, with
the selector of the Services/ReplicaSets/StatefulSets/RCs that select the pod) score,
weight 2. Node inclusion policies: nodeAffinityPolicy Honor, nodeTaintsPolicy Ignore by
default, as upstream."""

from __future__ import annotations

import math

from kctl.scheduler.framework import (LABEL_HOSTNAME, LABEL_ZONE, UNRESOLVABLE, UNSCHEDULABLE,
                                      Status, label_selector, tolerated)
from kctl.scheduler.plugins.base import Plugin

NAME = "PodTopologySpread"
REASON = "node(s) didn't match pod topology spread constraints"
REASON_MISSING_LABEL = "node(s) didn't match pod topology spread constraints (missing required label)"
WEIGHT = 2
SYSTEM_DEFAULTS = [(LABEL_HOSTNAME, 3), (LABEL_ZONE, 5)]


class Constraint:
    __slots__ = ("key", "max_skew", "selector", "min_domains", "honor_affinity", "honor_taints", "hard")

    def __init__(self, key, max_skew, selector, *, min_domains=1, honor_affinity=True,
                 honor_taints=False, hard=False):
        self.key, self.max_skew, self.selector = key, max_skew, selector
        self.min_domains, self.honor_affinity, self.honor_taints = min_domains, honor_affinity, honor_taints
        self.hard = hard

    def includes(self, pi, ni) -> bool:
        """matchNodeInclusionPolicies."""
        if self.honor_affinity:
            from kctl.scheduler.plugins.node_affinity import matches_required

            if not matches_required(pi.pod, ni):
                return False
        if self.honor_taints:
            tols = (pi.pod.get("spec") or {}).get("tolerations") or []
            for t in ni.taints:
                if t.get("effect") in ("NoSchedule", "NoExecute") and not tolerated(tols, t):
                    return False
        return True


def pod_constraints(pi, hard: bool) -> list[Constraint]:
    want = "DoNotSchedule" if hard else "ScheduleAnyway"
    out = []
    for c in (pi.pod.get("spec") or {}).get("topologySpreadConstraints") or []:
        if (c.get("whenUnsatisfiable") or "DoNotSchedule") != want:
            continue
        sel_spec = c.get("labelSelector")
        keys = c.get("matchLabelKeys") or []
        if keys and sel_spec is not None:
            sel_spec = dict(sel_spec)
            exprs = list(sel_spec.get("matchExpressions") or [])
            for k in keys:
                if k in pi.labels:
                    exprs.append({"key": k, "operator": "In", "values": [pi.labels[k]]})
            sel_spec["matchExpressions"] = exprs
        out.append(Constraint(
            c.get("topologyKey", ""), int(c.get("maxSkew") or 1), label_selector(sel_spec),
            min_domains=int(c.get("minDomains") or 1),
            honor_affinity=(c.get("nodeAffinityPolicy") or "Honor") == "Honor",
            honor_taints=(c.get("nodeTaintsPolicy") or "Ignore") == "Honor", hard=hard))
    return out


def _count(state_counts, snap, pi, c) -> dict:
    key = id(c.selector)
    got = state_counts.get(key)
    if got is None:
        got = snap.match_counts(pi.ns, c.selector)
        state_counts[key] = got
    return got


class _FilterState:
    __slots__ = ("constraints", "counts", "pairs", "min_match", "self_match")


class _ScoreState:
    __slots__ = ("constraints", "counts", "pairs", "weights", "ignored")


class PodTopologySpread(Plugin):
    name = NAME
    weight = WEIGHT
    has_filter = True
    has_score = True

    # ------------------------------------------------------------------ filter
    def pre_filter(self, state, pi, snap):
        cons = pod_constraints(pi, hard=True)
        if not cons:
            state[NAME] = None
            return None
        st = _FilterState()
        st.constraints = cons
        counts_cache: dict = {}
        st.counts = [_count(counts_cache, snap, pi, c) for c in cons]
        st.pairs = [dict() for _ in cons]
        domains_min = [None] * len(cons)
        hostname_domains = [0] * len(cons)
        for g in state["_groups"]:
            ni, mult = g.ni, len(g.names)
            if not all(c.key in ni.labels for c in cons):
                continue
            for i, c in enumerate(cons):
                if not c.includes(pi, ni):
                    continue
                n = st.counts[i].get(ni.name, 0)
                if c.key == LABEL_HOSTNAME:
                    hostname_domains[i] += mult
                    domains_min[i] = n if domains_min[i] is None else min(domains_min[i], n)
                else:
                    v = ni.labels[c.key]
                    st.pairs[i][v] = st.pairs[i].get(v, 0) + n * mult
        st.min_match = []
        for i, c in enumerate(cons):
            if c.key == LABEL_HOSTNAME:
                ndom, m = hostname_domains[i], domains_min[i]
            else:
                ndom, m = len(st.pairs[i]), min(st.pairs[i].values(), default=None)
            if m is None or ndom < c.min_domains:
                m = 0
            st.min_match.append(m)
        st.self_match = [1 if c.selector.matches(pi.labels) else 0 for c in cons]
        state[NAME] = st
        return None

    def filter_needed(self, state, pi) -> bool:
        return state.get(NAME) is not None

    def filter(self, state, pi, ni):
        st = state.get(NAME)
        if st is None:
            return None
        for i, c in enumerate(st.constraints):
            if c.key not in ni.labels:
                return Status(UNRESOLVABLE, REASON_MISSING_LABEL)
            if c.key == LABEL_HOSTNAME:
                match = st.counts[i].get(ni.name, 0)
            else:
                match = st.pairs[i].get(ni.labels[c.key], 0)
            if match + st.self_match[i] - st.min_match[i] > c.max_skew:
                return Status(UNSCHEDULABLE, REASON)
        return None

    # ------------------------------------------------------------------ score
    def pre_score(self, state, pi, snap, feasible) -> bool:
        cons = pod_constraints(pi, hard=False)
        require_all = True
        if not cons and not ((pi.pod.get("spec") or {}).get("topologySpreadConstraints")):
            sel = snap.default_selector(pi)
            if sel is None:
                return False
            cons = [Constraint(k, s, sel) for k, s in SYSTEM_DEFAULTS]
            require_all = False
        if not cons:
            return False
        st = _ScoreState()
        st.constraints = cons
        counts_cache: dict = {}
        st.counts = [_count(counts_cache, snap, pi, c) for c in cons]
        st.pairs = [dict() for _ in cons]
        st.ignored = set()
        topo_size = [0] * len(cons)
        n_feasible = 0
        for g in feasible:
            ni, mult = g.ni, len(g.names)
            n_feasible += mult
            if require_all and not all(c.key in ni.labels for c in cons):
                st.ignored.update(g.names)
                continue
            for i, c in enumerate(cons):
                if c.key == LABEL_HOSTNAME:
                    continue
                v = ni.labels.get(c.key, "")
                if v not in st.pairs[i]:
                    st.pairs[i][v] = 0
                    topo_size[i] += 1
        for g in state["_groups"]:
            ni, mult = g.ni, len(g.names)
            if require_all and not all(c.key in ni.labels for c in cons):
                continue
            for i, c in enumerate(cons):
                if c.key == LABEL_HOSTNAME or not c.includes(pi, ni):
                    continue
                v = ni.labels.get(c.key, "")
                if v in st.pairs[i]:
                    st.pairs[i][v] += st.counts[i].get(ni.name, 0) * mult
        st.weights = []
        for i, c in enumerate(cons):
            sz = (n_feasible - len(st.ignored)) if c.key == LABEL_HOSTNAME else topo_size[i]
            st.weights.append(math.log(sz + 2))
        state[NAME + "/score"] = st
        return True

    def score(self, state, pi, ni) -> int:
        st = state[NAME + "/score"]
        if ni.name in st.ignored:
            return 0
        total = 0.0
        for i, c in enumerate(st.constraints):
            v = ni.labels.get(c.key)
            if v is None:
                continue
            if c.key == LABEL_HOSTNAME:
                cnt = st.counts[i].get(ni.name, 0)
            else:
                cnt = st.pairs[i].get(v, 0)
            total += cnt * st.weights[i] + (c.max_skew - 1)
        return int(math.floor(total + 0.5))

    def normalize(self, state, pi, scores, groups) -> None:
        st = state[NAME + "/score"]
        valid = [s for s, g in zip(scores, groups) if g.ni.name not in st.ignored]
        if not valid:
            return
        lo, hi = min(valid), max(valid)
        for i, g in enumerate(groups):
            if g.ni.name in st.ignored:
                scores[i] = 0
            elif hi == 0:
                scores[i] = 100
            else:
                scores[i] = 100 * (hi + lo - scores[i]) // hi
