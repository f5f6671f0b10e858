"""Server-side apply's merge of an applied configuration into the live object.

structured-merge-diff's `TypedValue.Merge` with "keep the right-hand side" at leaves
(typed/merge.go): maps merge key by key, list-maps and sets merge item by item (the order of
the result follows SMD's interleaving of live and applied items), atomic lists and maps and
scalars are replaced; then `prune` removes what the applier applied last time, no longer
applies, and no one else owns (merge/update.go `prune`).

Pure functions over JSON trees.
"""

from __future__ import annotations

import copy
from typing import Any

from kctl.api.fieldpath import (
    MISSING,
    TypeNode,
    ensure_named_fields_are_members,
    item_pe,
    remove_items,
)


def merge(live: Any, config: Any, t: TypeNode) -> Any:
    """`config` merged into `live` (neither is changed)."""
    out = _merge(live, config, t)
    return None if out is MISSING else out


def _merge(l: Any, r: Any, t: TypeNode) -> Any:
    if r is MISSING:
        return copy.deepcopy(l)
    if l is MISSING:
        return copy.deepcopy(r)
    if r is None:
        # a null in the configuration leaves a map or list as it is, clears a scalar
        return copy.deepcopy(l) if isinstance(l, (dict, list)) else MISSING
    if isinstance(l, dict) and isinstance(r, dict):
        if (t.kind == "map" and t.atomic) or (not l and not r):
            return copy.deepcopy(r)
        out = {}
        for k in list(l) + [k for k in r if k not in l]:
            v = _merge(l.get(k, MISSING), r.get(k, MISSING), t.field(k))
            if v is not MISSING:
                out[k] = v
        return out
    if isinstance(l, list) and isinstance(r, list):
        if t.kind != "list" or t.atomic or (not l and not r):
            return copy.deepcopy(r)
        return _merge_items(l, r, t)
    return copy.deepcopy(r)


def _merge_items(lhs: list, rhs: list, t: TypeNode) -> list:
    """mergingWalker.visitListItems: shared items keep the applied order, live-only items
    stay where they were relative to them."""
    et = t.elem()
    rpes = [item_pe(t, x, i) for i, x in enumerate(rhs)]
    lpes = [item_pe(t, x, i) for i, x in enumerate(lhs)]
    obs_r: dict = {}
    for pe, x in zip(rpes, rhs):
        obs_r.setdefault(pe, x)
    obs_l: dict = {}
    for pe, x in zip(lpes, lhs):
        obs_l[pe] = x if pe not in obs_l else None  # duplicates merge as absent
    shared = [pe for pe in rpes if pe in obs_l]
    nxt = shared.pop(0) if shared else None
    merged_r: set = set()
    out: list = []

    def item(pe, lv, rv):
        v = _merge(lv, rv, et)
        if v is not MISSING:
            out.append(v)

    li = ri = 0
    while li < len(lpes) or ri < len(rpes):
        if li < len(lpes) and ri < len(rpes):
            pe = lpes[li]
            if pe == rpes[ri]:
                merged_r.add(pe)
                item(pe, obs_l.get(pe) if obs_l.get(pe) is not None else MISSING, obs_r[pe])
                li += 1
                ri += 1
                nxt = shared.pop(0) if shared else None
                continue
            if pe in obs_r and nxt is not None and nxt != pe:
                li += 1
                continue
        if li < len(lpes):
            pe = lpes[li]
            if pe not in obs_r:
                item(pe, lhs[li], MISSING)
                li += 1
                continue
            if pe in merged_r:
                li += 1
        if ri < len(rpes):
            pe = rpes[ri]
            merged_r.add(pe)
            lv = obs_l.get(pe, MISSING)
            item(pe, MISSING if lv is None else lv, obs_r[pe])
            ri += 1
            if nxt is not None and nxt == pe:
                nxt = shared.pop(0) if shared else None
    return out


def prune(merged: dict, last_applied: set, owned_by_anyone: set, t: TypeNode) -> dict:
    """Remove the fields, list items and map entries the applier owned after its last apply
    that nobody owns now (its new configuration included); a removed struct field goes
    with everything under it, as upstream (EnsureNamedFieldsAreMembers)."""
    if not last_applied:
        return merged
    last = ensure_named_fields_are_members(last_applied, t)
    owned = ensure_named_fields_are_members(owned_by_anyone, t)
    return remove_items(merged, last - owned, t)
