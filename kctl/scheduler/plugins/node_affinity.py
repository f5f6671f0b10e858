"""NodeAffinity: spec.nodeSelector and required node affinity (filter; all operators, and
matchFields on metadata.name); preferred terms score by weight (weight 2)."""

from __future__ import annotations

from kctl.scheduler.framework import UNRESOLVABLE, Status
from kctl.scheduler.plugins.base import Plugin, default_normalize

NAME = "NodeAffinity"
REASON = "node(s) didn't match Pod's node affinity/selector"
REASON_ENFORCED = "node(s) didn't match scheduler-enforced node affinity"
WEIGHT = 2


def _go_int(s):
    t = s[1:] if s[:1] in "+-" else s
    if not t or not t.isdigit():
        raise ValueError(s)
    return int(s)


def requirement_matches(req: dict, labels: dict) -> bool:
    """v1 NodeSelectorRequirement against a label (or field) set."""
    key, op, vals = req.get("key", ""), req.get("operator"), req.get("values") or []
    if op == "In":
        return key in labels and labels[key] in vals
    if op == "NotIn":
        return key not in labels or labels[key] not in vals
    if op == "Exists":
        return key in labels
    if op == "DoesNotExist":
        return key not in labels
    if op in ("Gt", "Lt"):
        if key not in labels or len(vals) != 1:
            return False
        try:
            have, want = _go_int(labels[key]), _go_int(vals[0])
        except ValueError:
            return False
        return have > want if op == "Gt" else have < want
    return False


def term_matches(term: dict, ni) -> bool:
    """A NodeSelectorTerm: its expressions and fields ANDed; an empty term matches nothing."""
    exprs = term.get("matchExpressions") or []
    fields = term.get("matchFields") or []
    if not exprs and not fields:
        return False
    for r in exprs:
        if not requirement_matches(r, ni.labels):
            return False
    for r in fields:
        if r.get("key") != "metadata.name" or not requirement_matches(r, {"metadata.name": ni.name}):
            return False
    return True


def required_terms(pod: dict) -> list | None:
    na = ((pod.get("spec") or {}).get("affinity") or {}).get("nodeAffinity") or {}
    req = na.get("requiredDuringSchedulingIgnoredDuringExecution")
    if req is None:
        return None
    return req.get("nodeSelectorTerms") or []


def matches_required(pod: dict, ni) -> bool:
    """nodeSelector and required node affinity (RequiredNodeAffinity.Match)."""
    sel = (pod.get("spec") or {}).get("nodeSelector") or {}
    labels = ni.labels
    for k, v in sel.items():
        if labels.get(k) != v:
            return False
    terms = required_terms(pod)
    if terms is None:
        return True
    return any(term_matches(t, ni) for t in terms)


def names_from_match_fields(pod: dict):
    """PreFilter: when every required term pins metadata.name with In, only those nodes
    can fit (the DaemonSet case). None when no such restriction."""
    terms = required_terms(pod)
    if not terms:
        return None
    names: set = set()
    for t in terms:
        got = None
        for r in t.get("matchFields") or []:
            if r.get("key") == "metadata.name" and r.get("operator") == "In":
                vals = set(r.get("values") or [])
                got = vals if got is None else got & vals
        if got is None:
            return None
        names |= got
    return names


def refers_to_node_identity(pod: dict) -> bool:
    """Does the pod's node selection look at per-node unique data (hostname, name)?"""
    from kctl.scheduler.framework import LABEL_HOSTNAME

    spec = pod.get("spec") or {}
    if LABEL_HOSTNAME in (spec.get("nodeSelector") or {}):
        return True
    na = (spec.get("affinity") or {}).get("nodeAffinity") or {}
    terms = list((na.get("requiredDuringSchedulingIgnoredDuringExecution") or {}).get("nodeSelectorTerms") or [])
    terms += [p.get("preference") or {} for p in na.get("preferredDuringSchedulingIgnoredDuringExecution") or []]
    for t in terms:
        if t.get("matchFields"):
            return True
        if any(r.get("key") == LABEL_HOSTNAME for r in t.get("matchExpressions") or []):
            return True
    return False


class NodeAffinity(Plugin):
    name = NAME
    weight = WEIGHT
    has_filter = True
    has_score = True

    def pre_filter(self, state, pi, snap):
        return names_from_match_fields(pi.pod)

    def filter(self, state, pi, ni):
        if not matches_required(pi.pod, ni):
            return Status(UNRESOLVABLE, REASON)
        return None

    def pre_score(self, state, pi, snap, feasible) -> bool:
        na = ((pi.pod.get("spec") or {}).get("affinity") or {}).get("nodeAffinity") or {}
        prefs = na.get("preferredDuringSchedulingIgnoredDuringExecution") or []
        state[NAME] = [(int(p.get("weight") or 0), p.get("preference") or {}) for p in prefs]
        return bool(prefs)

    def score(self, state, pi, ni) -> int:
        return sum(w for w, term in state[NAME] if w and term_matches(term, ni))

    def normalize(self, state, pi, scores, groups) -> None:
        default_normalize(scores, reverse=False)
