"""InterPodAffinity: required pod affinity / anti-affinity of the incoming pod and the
required anti-affinity of pods already placed (filter); preferred terms of both sides, and
existing pods' required affinity with hardPodAffinityWeight 1 (score, weight 2)."""

from __future__ import annotations

from kctl.scheduler.framework import UNRESOLVABLE, UNSCHEDULABLE, Status
from kctl.scheduler.plugins.base import Plugin

NAME = "InterPodAffinity"
REASON_AFFINITY = "node(s) didn't match pod affinity rules"
REASON_ANTI = "node(s) didn't match pod anti-affinity rules"
REASON_EXISTING_ANTI = "node(s) didn't satisfy existing pods anti-affinity rules"
WEIGHT = 2
HARD_POD_AFFINITY_WEIGHT = 1


class _State:
    __slots__ = ("existing_anti", "affinity", "anti")


def existing_terms_touch(pi, snap) -> bool:
    """Does any placed pod's affinity/anti-affinity term select this pod? (If not, and the pod
    has no terms of its own, this plugin cannot tell nodes apart.)"""
    for ni in snap.nodes_with_affinity():
        for ep in ni.affinity_pods:
            for t in ep.req_affinity + ep.req_anti + ep.pref_affinity + ep.pref_anti:
                if t.matches(pi, snap.ns_labels):
                    return True
    return False


class InterPodAffinity(Plugin):
    name = NAME
    weight = WEIGHT
    has_filter = True
    has_score = True

    def pre_filter(self, state, pi, snap):
        st = _State()
        st.existing_anti, st.affinity, st.anti = {}, {}, {}
        nsl = snap.ns_labels
        for ni in snap.nodes_with_anti():
            for ep in ni.anti_pods:
                for t in ep.req_anti:
                    if t.topology_key in ni.labels and t.matches(pi, nsl):
                        pair = (t.topology_key, ni.labels[t.topology_key])
                        st.existing_anti[pair] = st.existing_anti.get(pair, 0) + 1
        if pi.req_affinity or pi.req_anti:
            for ni in snap.all_nodes():
                for ep in ni.pods:
                    if pi.req_affinity and all(t.matches(ep, nsl) for t in pi.req_affinity):
                        for t in pi.req_affinity:
                            if t.topology_key in ni.labels:
                                pair = (t.topology_key, ni.labels[t.topology_key])
                                st.affinity[pair] = st.affinity.get(pair, 0) + 1
                    for t in pi.req_anti:
                        if t.topology_key in ni.labels and t.matches(ep, nsl):
                            pair = (t.topology_key, ni.labels[t.topology_key])
                            st.anti[pair] = st.anti.get(pair, 0) + 1
        state[NAME] = st
        state[NAME + "/self"] = all(t.matches(pi, nsl) for t in pi.req_affinity)
        return None

    def filter_needed(self, state, pi) -> bool:
        st = state.get(NAME)
        return st is not None and bool(pi.req_affinity or pi.req_anti or st.existing_anti)

    def filter(self, state, pi, ni):
        st = state.get(NAME)
        if st is None:
            return None
        labels = ni.labels
        if pi.req_affinity:
            exist = True
            for t in pi.req_affinity:
                v = labels.get(t.topology_key)
                if v is None:
                    return Status(UNRESOLVABLE, REASON_AFFINITY)
                if st.affinity.get((t.topology_key, v), 0) <= 0:
                    exist = False
            if not exist and not (not st.affinity and state[NAME + "/self"]):
                return Status(UNRESOLVABLE, REASON_AFFINITY)
        for t in pi.req_anti:
            v = labels.get(t.topology_key)
            if v is not None and st.anti.get((t.topology_key, v), 0) > 0:
                return Status(UNSCHEDULABLE, REASON_ANTI)
        if st.existing_anti:
            for k, v in labels.items():
                if st.existing_anti.get((k, v), 0) > 0:
                    return Status(UNSCHEDULABLE, REASON_EXISTING_ANTI)
        return None

    def pre_score(self, state, pi, snap, feasible) -> bool:
        has_own = bool(pi.pref_affinity or pi.pref_anti)
        nodes = snap.all_nodes() if has_own else snap.nodes_with_affinity()
        if not has_own and not nodes:
            return False
        nsl = snap.ns_labels
        scores: dict[tuple, int] = {}

        def bump(key, ni, w):
            v = ni.labels.get(key)
            if v is not None and w:
                scores[(key, v)] = scores.get((key, v), 0) + w

        for ni in nodes:
            for ep in (ni.pods if has_own else ni.affinity_pods):
                for t in pi.pref_affinity:
                    if t.matches(ep, nsl):
                        bump(t.topology_key, ni, t.weight)
                for t in pi.pref_anti:
                    if t.matches(ep, nsl):
                        bump(t.topology_key, ni, -t.weight)
                for t in ep.req_affinity:
                    if t.matches(pi, nsl):
                        bump(t.topology_key, ni, HARD_POD_AFFINITY_WEIGHT)
                for t in ep.pref_affinity:
                    if t.matches(pi, nsl):
                        bump(t.topology_key, ni, t.weight)
                for t in ep.pref_anti:
                    if t.matches(pi, nsl):
                        bump(t.topology_key, ni, -t.weight)
        if not scores:
            return False
        state[NAME + "/score"] = scores
        return True

    def score(self, state, pi, ni) -> int:
        scores = state[NAME + "/score"]
        return sum(scores.get((k, v), 0) for k, v in ni.labels.items())

    def normalize(self, state, pi, scores, groups) -> None:
        if not scores:
            return
        lo, hi = min(scores), max(scores)
        diff = hi - lo
        for i, s in enumerate(scores):
            scores[i] = int(100 * ((s - lo) / diff)) if diff > 0 else 0
