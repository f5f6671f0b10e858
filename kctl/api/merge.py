"""kubectl's client-side apply: last-applied annotation, strategic merge patch, JSON merge patch.

The behaviour follows apimachinery's `pkg/util/strategicpatch` (CreateThreeWayMergePatch +
StrategicMergePatch), `pkg/util/jsonmergepatch` (for kinds without a schema, as kubectl does
for unregistered types) and kubectl's `pkg/util/apply.go` / `pkg/cmd/apply`. The algorithms are
re-expressed here on plain JSON values (dict/list/str/int/float/bool/None); the upstream
structure (diff → patch → merge) is kept so that ordering and edge cases come out the same.

Patch metadata (list merge keys and patch strategies) comes from the kind's JSON schema
(`x-kubernetes-patch-merge-key`, `x-kubernetes-patch-strategy`), wrapped in `MergeKeys`.
`merge_keys=None` means "no schema": kubectl then uses a three-way JSON merge patch
(RFC 7386), where every list is replaced wholesale.

Typical engine use::

    mk = merge_keys_for(kind)
    if live is None:
        obj = for_create(manifest)                       # annotation set, nulls pruned
    else:
        patch, obj = apply_to_live(manifest, live, mk)   # patch == {} -> "unchanged"
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, NamedTuple

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"

# Directive spellings of the strategic merge patch format (apimachinery strategicpatch).
DIRECTIVE = "$patch"
DELETE = "delete"
REPLACE = "replace"
MERGE = "merge"
RETAIN_KEYS_STRATEGY = "retainKeys"
RETAIN_KEYS = "$retainKeys"
DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList"
SET_ELEMENT_ORDER = "$setElementOrder"


class MergeError(ValueError):
    """A patch or object that the upstream algorithm rejects (text follows upstream loosely)."""


def _clone(v: Any) -> Any:
    """Deep copy of a JSON value (much faster than copy.deepcopy for plain dicts/lists)."""
    if isinstance(v, dict):
        return {k: _clone(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_clone(x) for x in v]
    return v


# --------------------------------------------------------------------------------------------
# Go-compatible JSON encoding (what kubectl writes into the last-applied annotation)
# --------------------------------------------------------------------------------------------

_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t",
                  "\b": "\\b", "\f": "\\f"}


# what Go escapes (below); a string without any is written as is (most are: the fast path)
_GO_ESCAPED = re.compile('["\\\\\x00-\x1f<>&\u2028\u2029\ud800-\udfff]')


def _go_string(s: str) -> str:
    if _GO_ESCAPED.search(s) is None:
        return '"' + s + '"'
    out = ['"']
    for ch in s:
        esc = _SHORT_ESCAPES.get(ch)
        if esc is not None:
            out.append(esc)
            continue
        o = ord(ch)
        if o < 0x20 or ch in "<>&" or o in (0x2028, 0x2029):
            # Go's encoder HTML-escapes <, >, & and escapes U+2028/2029 for JSONP safety.
            out.append("\\u%04x" % o)
        elif 0xD800 <= o <= 0xDFFF:
            out.append("\\ufffd")  # a lone surrogate is invalid UTF-8: Go writes U+FFFD
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _go_float(f: float) -> str:
    """encoding/json's float64 text: shortest digits, 'e' form outside [1e-6, 1e21)."""
    if f != f or f in (float("inf"), float("-inf")):
        raise MergeError(f"json: unsupported value: {f!r}")
    if f == 0:
        return "-0" if str(f).startswith("-") else "0"
    f = float(f)
    if f.is_integer() and abs(f) < 1e15:
        return str(int(f))
    from decimal import Decimal

    sign, digits, exp = Decimal(repr(f)).normalize().as_tuple()
    ds = "".join(map(str, digits))
    point = len(ds) + exp  # position of the decimal point relative to the digit string
    neg = "-" if sign else ""
    if 1e-6 <= abs(f) < 1e21:
        if exp >= 0:
            return neg + ds + "0" * exp
        if point > 0:
            return neg + ds[:point] + "." + ds[point:]
        return neg + "0." + "0" * (-point) + ds
    e = point - 1
    mant = ds[0] + ("." + ds[1:] if len(ds) > 1 else "")
    # strconv writes at least two exponent digits; encoding/json trims e-07 to e-7.
    etxt = "%+03d" % e
    if etxt.startswith("-0"):
        etxt = "-" + etxt[2:]
    return f"{neg}{mant}e{etxt}"


def go_json(value: Any) -> str:
    """`value` encoded like Go's json.Marshal of an unstructured map (keys sorted, compact)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return _go_string(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _go_float(value)
    if isinstance(value, dict):
        # Go sorts map keys by bytes; code-point order of str is the same order for UTF-8.
        return "{" + ",".join(_go_string(k) + ":" + go_json(value[k]) for k in sorted(value)) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(go_json(v) for v in value) + "]"
    raise MergeError(f"json: unsupported type: {type(value).__name__}")


def kubectl_processed(obj: dict, *, namespace: str | None = None,
                      namespaced: bool | None = None) -> dict:
    """A copy of a manifest object as kubectl's resource builder hands it to apply.

    For a namespaced kind without metadata.namespace, the namespace from -n (or the
    kubeconfig default, "default") is written into the object (cli-runtime SetNamespace);
    for a cluster-scoped kind metadata.namespace is removed (FilterNamespace). Both happen
    before kubectl serializes the last-applied configuration, so they show up in it.
    `namespaced=None` leaves the namespace alone.
    """
    out = _clone(obj)
    if namespaced is None:
        return out
    meta = out.get("metadata")
    if namespaced:
        if namespace and not (isinstance(meta, dict) and meta.get("namespace")):
            if not isinstance(meta, dict):
                meta = out["metadata"] = {}
            meta["namespace"] = namespace
    elif isinstance(meta, dict) and "namespace" in meta:
        del meta["namespace"]
    return out


def _without_last_applied(obj: dict, *, fresh: bool = False) -> dict:
    """kubectl's GetModifiedConfiguration before encoding: the annotation removed.

    kubectl always writes the (possibly empty) annotation map back, which is why the stored
    configuration shows `"annotations":{}` for manifests that had no annotations.
    """
    out = obj if fresh else _clone(obj)
    meta = out.get("metadata")
    if not isinstance(meta, dict):
        meta = out["metadata"] = {}
    annots = meta.get("annotations")
    annots = dict(annots) if isinstance(annots, dict) else {}
    annots.pop(LAST_APPLIED, None)
    meta["annotations"] = annots
    return out


def last_applied_json(obj: dict, *, namespace: str | None = None,
                      namespaced: bool | None = None) -> str:
    """The exact text kubectl stores in the last-applied-configuration annotation.

    `obj` is the manifest object; pass `namespace`/`namespaced` to get kubectl's namespace
    defaulting (see `kubectl_processed`). The text is the object without the annotation
    itself (annotations map kept, possibly empty), Go-JSON encoded, plus "\\n" (the
    unstructured encoder uses json.Encoder, which appends a newline).
    """
    return go_json(_without_last_applied(kubectl_processed(
        obj, namespace=namespace, namespaced=namespaced), fresh=True)) + "\n"


def modified_configuration(obj: dict, *, namespace: str | None = None,
                           namespaced: bool | None = None) -> dict:
    """kubectl's "modified" document: the manifest with the new annotation embedded.

    This is what the three-way patch is computed against, so the annotation on the live
    object is updated by the same patch.
    """
    out = _without_last_applied(
        kubectl_processed(obj, namespace=namespace, namespaced=namespaced), fresh=True)
    out["metadata"]["annotations"][LAST_APPLIED] = go_json(out) + "\n"
    return out


def prune_nulls(value: Any) -> Any:
    """Remove null map values recursively, in place (kubectl does this before a create)."""
    if isinstance(value, dict):
        for k in [k for k, v in value.items() if v is None]:
            del value[k]
        for v in value.values():
            prune_nulls(v)
    elif isinstance(value, list):
        for v in value:
            prune_nulls(v)
    return value


def for_create(obj: dict, *, namespace: str | None = None,
               namespaced: bool | None = None) -> dict:
    """The object `kubectl apply` sends when the object does not exist yet.

    The annotation is computed first (it keeps nulls), then nulls are pruned from the body,
    so that a later apply of the same manifest computes an empty patch.
    """
    out = modified_configuration(obj, namespace=namespace, namespaced=namespaced)
    return prune_nulls(out)


def original_configuration(live: dict) -> dict | None:
    """The last-applied configuration stored on a live object, parsed; None when absent.

    kubectl treats a missing or empty annotation as "no original" (then nothing is deleted
    and it prints the missing-annotation warning).
    """
    meta = live.get("metadata") if isinstance(live, dict) else None
    annots = meta.get("annotations") if isinstance(meta, dict) else None
    text = annots.get(LAST_APPLIED) if isinstance(annots, dict) else None
    if not text:
        return None
    import json

    try:
        parsed = json.loads(text)
    except ValueError as e:
        raise MergeError(f"invalid JSON document in {LAST_APPLIED}: {e}") from None
    return parsed if isinstance(parsed, dict) else None


# --------------------------------------------------------------------------------------------
# Patch metadata lookup
# --------------------------------------------------------------------------------------------


class PatchMeta(NamedTuple):
    """Patch metadata of one field: its list merge key ("" if none) and strategies."""

    merge_key: str = ""
    strategies: tuple[str, ...] = ()


_NO_META = PatchMeta()


def _parse_strategy(text: str | None) -> tuple[str, ...]:
    return tuple(s for s in (text or "").split(",") if s)


class MergeKeys:
    """Patch-metadata lookup over a JSON schema (upstream: LookupPatchMeta).

    A node stands for one object schema. `lookup_struct(key)` gives the node of a
    map-valued field and its patch meta; `lookup_slice(key)` the node of the list's items
    and the list's patch meta. Nodes are created lazily, one per resolved schema, and cached,
    so repeated lookups (every apply of a Deployment) cost dict hits.
    """

    __slots__ = ("_schema", "_defs", "_cache", "_fields", "_paths")

    def __init__(self, schema: dict | None, defs: dict | None = None, _cache: dict | None = None):
        self._defs = defs or {}
        self._cache = {} if _cache is None else _cache
        self._schema = self._resolve(schema or {})
        self._fields: dict[str, tuple[MergeKeys, PatchMeta, MergeKeys]] = {}
        self._paths: dict[tuple, PatchMeta] = {}

    @classmethod
    def from_schema(cls, schema: dict, defs: dict | None = None) -> MergeKeys:
        """Build from a kind's schema; `defs` defaults to the schema's own `$defs`."""
        return cls(schema, schema.get("$defs", {}) if defs is None else defs)

    def _resolve(self, s: Any) -> dict:
        # Follow $ref (also when wrapped in allOf/anyOf/oneOf); refs look like
        # "#/$defs/<name>" or "/api/_definitions.json#/$defs/<name>".
        seen = 0
        while isinstance(s, dict) and seen < 64:
            seen += 1
            ref = s.get("$ref")
            if isinstance(ref, str):
                s = self._defs.get(ref.rsplit("/", 1)[-1], {})
                continue
            for comb in ("allOf", "anyOf", "oneOf"):
                subs = s.get(comb)
                if isinstance(subs, list):
                    hit = next((x for x in subs if isinstance(x, dict) and "$ref" in x), None)
                    if hit is not None:
                        s = hit
                        break
            else:
                return s
        return s if isinstance(s, dict) else {}

    def _node(self, schema: Any) -> MergeKeys:
        resolved = self._resolve(schema)
        node = self._cache.get(id(resolved))
        if node is None:
            # the node holds `resolved`, so its id() cannot be reused while cached
            node = MergeKeys(resolved, self._defs, self._cache)
            self._cache[id(resolved)] = node
        return node

    def _field(self, key: str) -> tuple[MergeKeys, PatchMeta, MergeKeys]:
        hit = self._fields.get(key)
        if hit is not None:
            return hit
        props = self._schema.get("properties")
        ps = props.get(key) if isinstance(props, dict) else None
        if ps is None:
            ap = self._schema.get("additionalProperties")
            ps = ap if isinstance(ap, dict) else None
        if ps is None:
            hit = (EMPTY, _NO_META, EMPTY)
        else:
            meta = PatchMeta(ps.get("x-kubernetes-patch-merge-key") or "",
                             _parse_strategy(ps.get("x-kubernetes-patch-strategy")))
            resolved = self._resolve(ps)
            items = resolved.get("items")
            # A list lookup on a non-array field uses the field's own schema, like
            # upstream's OpenAPI lookup does.
            item_node = self._node(items if isinstance(items, dict) else resolved)
            hit = (self._node(resolved), meta, item_node)
        self._fields[key] = hit
        return hit

    def lookup_struct(self, key: str) -> tuple[MergeKeys, PatchMeta]:
        node, meta, _ = self._field(key)
        return node, meta

    def lookup_slice(self, key: str) -> tuple[MergeKeys, PatchMeta]:
        _, meta, item = self._field(key)
        return item, meta

    def lookup(self, path: tuple[str, ...] | list[str]) -> PatchMeta:
        """Patch meta of the field at `path` (list items add no path element).

        `lookup(("spec","template","spec","containers"))` -> PatchMeta("name", ("merge",)).
        """
        path = tuple(path)
        hit = self._paths.get(path)
        if hit is None:
            node, meta = self, _NO_META
            for i, key in enumerate(path):
                if i == len(path) - 1:
                    meta = node._field(key)[1]
                else:
                    node = node._field(key)[2]  # the item node for lists, else the field's
            hit = self._paths[path] = meta
        return hit


class _TableKeys(MergeKeys):
    """MergeKeys from an explicit {path tuple: (merge_key, strategy)} table (tests, CRD hints)."""

    __slots__ = ("_table", "_prefix")

    def __init__(self, table: dict, prefix: tuple = ()):
        super().__init__({})
        self._table = table
        self._prefix = prefix

    def _field(self, key):
        hit = self._fields.get(key)
        if hit is None:
            path = self._prefix + (key,)
            mk, strat = self._table.get(path, ("", ""))
            node = _TableKeys(self._table, path)
            hit = self._fields[key] = (node, PatchMeta(mk or "", _parse_strategy(strat)), node)
        return hit


def merge_keys_from_table(table: dict[tuple[str, ...], tuple[str, str]]) -> MergeKeys:
    """MergeKeys from `{("spec","containers"): ("name", "merge"), ...}`."""
    return _TableKeys({tuple(k): v for k, v in table.items()})


EMPTY = MergeKeys.__new__(MergeKeys)
EMPTY._schema, EMPTY._defs, EMPTY._cache, EMPTY._fields, EMPTY._paths = {}, {}, {}, {}, {}


@lru_cache(maxsize=256)
def merge_keys_for(kind, k8s: str = "1.37") -> MergeKeys | None:
    """The patch-metadata lookup for a Kind, or None when kctl has no schema for it.

    None (CRDs, kctl's own NodeInventory, unknown kinds) makes `three_way_merge` use a JSON
    merge patch like kubectl does for unregistered types: lists are replaced wholesale.
    """
    if kind is None:
        return None
    try:
        from kctl.api.schema import load_schema
    except ModuleNotFoundError as e:  # schema module not there yet: as for an unknown kind
        if e.name != "kctl.api.schema":
            raise
        return None
    schema = load_schema(kind.group, kind.version, kind.kind, k8s)
    if not schema and not kind.group:  # file names spell the core group "core"
        schema = load_schema("core", kind.version, kind.kind, k8s)
    if not schema:
        return None
    return MergeKeys.from_schema(schema)


# --------------------------------------------------------------------------------------------
# Value helpers mirroring Go's interface{} semantics
# --------------------------------------------------------------------------------------------


def _jtype(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"  # Go decodes every JSON number as float64
    if isinstance(v, str):
        return "string"
    if isinstance(v, dict):
        return "map"
    if isinstance(v, list):
        return "list"
    return type(v).__name__


def _same(a: Any, b: Any) -> bool:
    """Go `==` on two interface{} scalars (type and value); deep for containers."""
    ta = _jtype(a)
    if ta != _jtype(b):
        return False
    if ta == "map":
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if ta == "list":
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


def _go_v(v: Any) -> str:
    """fmt.Sprintf("%v", v) for JSON scalars; upstream sorts list items by this text."""
    if v is None:
        return "<nil>"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, str):
        return v
    if isinstance(v, int) and -1000000 < v < 1000000:
        return str(v)
    if isinstance(v, (int, float)):
        f = float(v)
        if f == 0:
            return "0"
        from decimal import Decimal

        _, digits, exp = Decimal(repr(f)).normalize().as_tuple()
        nd = len(digits)
        x = nd + exp - 1  # decimal exponent; %v uses %e below 1e-4 and from 1e6 (shortest)
        if x < -4 or x >= 6:
            ds = "".join(map(str, digits))
            mant = ds[0] + ("." + ds[1:] if nd > 1 else "")
            return ("-" if f < 0 else "") + f"{mant}e{x:+03d}"
        return _go_float(f)
    return go_json(v)


def _elem_kind(*lists: list) -> str | None:
    """'map' or 'scalar' for the items of the lists (upstream sliceElementType)."""
    kind = None
    first = None
    for lst in lists:
        for v in lst or ():
            t = _jtype(v)
            if first is None:
                if t == "list":
                    raise MergeError("lists of lists are not supported")
                first = t
            elif t != first:
                raise MergeError(f"list element types are not identical: {lists!r}")
    if first is not None:
        kind = "map" if first == "map" else "scalar"
    return kind


def _retain_and_strategy(strategies: tuple[str, ...]) -> tuple[bool, str]:
    if not strategies:
        return False, ""
    if len(strategies) == 1:
        return (True, "") if strategies[0] == RETAIN_KEYS_STRATEGY else (False, strategies[0])
    if len(strategies) == 2:
        if strategies[0] == RETAIN_KEYS_STRATEGY:
            return True, strategies[1]
        if strategies[1] == RETAIN_KEYS_STRATEGY:
            return True, strategies[0]
    raise MergeError(f"unexpected patch strategy: {list(strategies)}")


# --------------------------------------------------------------------------------------------
# Computing a strategic merge patch (diff)
# --------------------------------------------------------------------------------------------


class _DiffOptions(NamedTuple):
    ignore_changes_and_additions: bool = False
    ignore_deletions: bool = False
    set_element_order: bool = False
    build_retain_keys: bool = False


def _diff_maps(original: dict, modified: dict, schema: MergeKeys, opts: _DiffOptions) -> dict:
    patch: dict = {}
    retain: list = []
    for key, mv in modified.items():
        if opts.build_retain_keys and mv is not None:
            retain.append(key)
        if key not in original:
            if not opts.ignore_changes_and_additions:
                patch[key] = mv
            continue
        ov = original[key]
        if key == DIRECTIVE:
            if not isinstance(ov, str) or not isinstance(mv, str):
                raise MergeError(f"invalid value for special key: {DIRECTIVE}")
            if ov != mv:
                patch[DIRECTIVE] = mv
            continue
        if _jtype(ov) != _jtype(mv):
            if not opts.ignore_changes_and_additions:
                patch[key] = mv
            continue
        if isinstance(ov, dict):
            _handle_map_diff(key, ov, mv, patch, schema, opts)
        elif isinstance(ov, list):
            _handle_slice_diff(key, ov, mv, patch, schema, opts)
        elif not opts.ignore_changes_and_additions and not _same(ov, mv):
            patch[key] = mv
    if not opts.ignore_deletions:
        for key in original:
            if key not in modified:
                patch[key] = None
    if retain and (patch or any(v is not None and k not in modified for k, v in original.items())):
        patch[RETAIN_KEYS] = _sort_scalars(retain)
    return patch


def _handle_map_diff(key, ov, mv, patch, schema, opts):
    sub, meta = schema.lookup_struct(key)
    retain, strategy = _retain_and_strategy(meta.strategies)
    opts = opts._replace(build_retain_keys=retain)
    if strategy == REPLACE:
        if not opts.ignore_changes_and_additions:
            patch[key] = mv
        return
    pv = _diff_maps(ov, mv, sub, opts)
    if pv:
        patch[key] = pv


def _handle_slice_diff(key, ov, mv, patch, schema, opts):
    sub, meta = schema.lookup_slice(key)
    retain, strategy = _retain_and_strategy(meta.strategies)
    if strategy == MERGE:
        opts = opts._replace(build_retain_keys=retain)
        add, dele, order = _diff_lists(ov, mv, sub, meta.merge_key, opts)
        if add:
            patch[key] = add
        if dele:
            patch[f"{DELETE_FROM_PRIMITIVE_LIST}/{key}"] = dele
        if order:
            patch[f"{SET_ELEMENT_ORDER}/{key}"] = order
    elif not opts.ignore_changes_and_additions and not _same(ov, mv):
        patch[key] = mv


def _diff_lists(original, modified, schema, merge_key, opts):
    if not original:
        if not modified or opts.ignore_changes_and_additions:
            return [], [], []
        return modified, [], []
    kind = _elem_kind(original, modified)
    order: list = []
    if kind == "map":
        add, dele = _diff_lists_of_maps(original, modified, schema, merge_key, opts)
        add = _normalize_slice_order(add, modified, merge_key, kind)
        order_same = len(original) == len(modified) and all(
            _same(_key_of(o, merge_key), _key_of(m, merge_key)) for o, m in zip(original, modified))
        add = add + dele
        if opts.set_element_order and (
                (not opts.ignore_changes_and_additions and (add or not order_same))
                or (not opts.ignore_deletions and add)):
            order = [{merge_key: m[merge_key]} for m in modified]
        return add, [], order
    add, dele = _diff_lists_of_scalars(original, modified, opts)
    add = _normalize_slice_order(add, modified, merge_key, kind)
    if opts.set_element_order and ((not opts.ignore_deletions and dele) or (
            not opts.ignore_changes_and_additions and not _same(original, modified))):
        order = list(modified)
    return add, dele, order


def _key_of(item, merge_key):
    if not isinstance(item, dict):
        raise MergeError(f"expected a map in a list merged by {merge_key!r}, got {item!r}")
    if merge_key not in item:
        raise MergeError(f"map: {item!r} does not contain declared merge key: {merge_key}")
    return item[merge_key]


def _diff_lists_of_scalars(original, modified, opts):
    o = _sort_scalars(list(original))
    m = _sort_scalars(list(modified))
    add, dele = [], []
    i = j = 0
    while i < len(o) or j < len(m):
        if i < len(o) and j < len(m):
            os_, ms = _go_v(o[i]), _go_v(m[j])
            if os_ == ms:
                i += 1
                j += 1
                continue
            take_modified = os_ > ms
        else:
            take_modified = i >= len(o)
        if take_modified:
            if not opts.ignore_changes_and_additions:
                add.append(m[j])
            j += 1
        else:
            if not opts.ignore_deletions:
                dele.append(o[i])
            i += 1
    return add, _dedup_scalars(dele)


def _diff_lists_of_maps(original, modified, schema, merge_key, opts):
    patch, dele = [], []
    o = _sort_maps(original, merge_key)
    m = _sort_maps(modified, merge_key)
    i = j = 0
    while i < len(o) or j < len(m):
        ok = _go_v(_key_of(o[i], merge_key)) if i < len(o) else None
        mk = _go_v(_key_of(m[j], merge_key)) if j < len(m) else None
        if ok is not None and mk is not None and ok == mk:
            pv = _diff_maps(o[i], m[j], schema, opts)
            if pv:
                pv[merge_key] = m[j][merge_key]
                patch.append(pv)
            i += 1
            j += 1
        elif ok is None or (mk is not None and ok > mk):
            if not opts.ignore_changes_and_additions:
                patch.append(m[j])
            j += 1
        else:
            if not opts.ignore_deletions:
                dele.append({merge_key: o[i][merge_key], DIRECTIVE: DELETE})
            i += 1
    return patch, dele


def _sort_scalars(items: list) -> list:
    return sorted(items, key=_go_v)


def _sort_maps(items: list, merge_key: str) -> list:
    return sorted(items, key=lambda m: _go_v(m.get(merge_key) if isinstance(m, dict) else None))


def _dedup_scalars(s: list) -> list:
    # Upstream's in-place dedup moves the last element into each duplicate's slot; the
    # resulting order is observable in merged primitive lists, so it is reproduced.
    s = list(s)
    length = len(s) - 1
    i = 0
    while i < length:
        j = i + 1
        while j <= length:
            if _same(s[i], s[j]):
                s[j] = s[length]
                s = s[:length]
                length -= 1
                j -= 1
            j += 1
        i += 1
    return s


def _index(lst, val, merge_key, kind) -> int:
    if kind == "map":
        def get(x):
            return x.get(merge_key) if isinstance(x, dict) else None
    else:
        def get(x):
            return x
    target = get(val)
    for i, v in enumerate(lst):
        if _same(target, get(v)):
            return i
    return -1


def _normalize_slice_order(to_sort, order, merge_key, kind):
    to_delete = []
    if kind == "map":
        for lst in (to_sort, order):
            for item in lst:
                _key_of(item, merge_key)
        keep = []
        for v in to_sort:
            (to_delete if v.get(DIRECTIVE) == DELETE else keep).append(v)
        to_sort = keep
    # Items not found in `order` cannot occur on the paths that call this; they sort last.
    big = len(order) + 1
    ranked = sorted(to_sort, key=lambda v: (i if (i := _index(order, v, merge_key, kind)) >= 0
                                            else big))
    return ranked + to_delete


def _merge_sorted_slice(left, right, server_order, merge_key, kind):
    out = []
    i = j = 0
    while i < len(left) or j < len(right):
        if i >= len(left):
            out.append(right[j])
            j += 1
        elif j >= len(right):
            out.append(left[i])
            i += 1
        else:
            li = _index(server_order, left[i], merge_key, kind)
            ri = _index(server_order, right[j], merge_key, kind)
            if li >= 0 and ri >= 0 and li < ri:
                out.append(left[i])
                i += 1
            else:
                out.append(right[j])
                j += 1
    return out


def _normalize_element_order(patch, server_only, patch_order, server_order, merge_key, kind):
    patch = _normalize_slice_order(patch, patch_order, merge_key, kind)
    server_only = _normalize_slice_order(server_only, server_order, merge_key, kind)
    return _merge_sorted_slice(server_only, patch, server_order, merge_key, kind)


# --------------------------------------------------------------------------------------------
# Applying a strategic merge patch (merge)
# --------------------------------------------------------------------------------------------


class _MergeOptions(NamedTuple):
    merge_parallel_list: bool = False
    ignore_unmatched_nulls: bool = False


def _merge_map(original, patch, schema, opts):
    if DIRECTIVE in patch:
        d = patch[DIRECTIVE]
        if d == REPLACE:
            del patch[DIRECTIVE]
            return patch
        if d == DELETE:
            return {}
        raise MergeError(f"Unknown patch type: {d} in map: {patch!r}")
    if original is None:
        original = {}
    _apply_retain_keys(original, patch, opts)
    _merge_set_element_order(original, patch, schema, opts)
    for k in list(patch):
        if k not in patch:
            continue
        pv = patch[k]
        is_delete_list = False
        if k.startswith(DELETE_FROM_PRIMITIVE_LIST):
            if not opts.merge_parallel_list:
                original[k] = pv
                continue
            k = _extract_key(k, DELETE_FROM_PRIMITIVE_LIST)
            is_delete_list = True
        if pv is None:
            original.pop(k, None)
            if opts.ignore_unmatched_nulls:
                continue
        if k not in original or _jtype(original[k]) != _jtype(pv):
            if not is_delete_list:
                if opts.ignore_unmatched_nulls:
                    _discard_nulls(pv)
                v, keep = _remove_directives(pv)
                if keep:
                    original[k] = v
                else:
                    original.pop(k, None)
            continue
        ov = original[k]
        if isinstance(ov, dict):
            sub, meta = schema.lookup_struct(k)
            _, strategy = _retain_and_strategy(meta.strategies)
            original[k] = pv if strategy == REPLACE else _merge_map(ov, pv, sub, opts)
        elif isinstance(ov, list):
            sub, meta = schema.lookup_slice(k)
            _, strategy = _retain_and_strategy(meta.strategies)
            if strategy == MERGE or is_delete_list:
                original[k] = _merge_slice(ov, pv, sub, meta.merge_key, opts, is_delete_list)
            else:
                original[k] = pv
        else:
            v, keep = _remove_directives(pv)
            if keep:
                original[k] = v
            else:
                original.pop(k, None)
    return original


def _extract_key(s: str, prefix: str) -> str:
    head, sep, tail = s.partition("/")
    if not sep or head != prefix:
        if prefix == DELETE_FROM_PRIMITIVE_LIST:
            raise MergeError("invalid patch format of primitive list")
        raise MergeError("invalid patch format of setElementOrder list")
    return tail


def _discard_nulls(v):
    if isinstance(v, dict):
        for k in [k for k, x in v.items() if x is None]:
            del v[k]
        for x in v.values():
            _discard_nulls(x)
    elif isinstance(v, list):
        for x in v:
            _discard_nulls(x)


def _remove_directives(obj):
    if isinstance(obj, dict):
        if DIRECTIVE in obj:
            return None, False
        for k in list(obj):
            v, keep = _remove_directives(obj[k])
            if keep:
                obj[k] = v
            else:
                del obj[k]
        return obj, True
    if isinstance(obj, list):
        res = []
        for v in obj:
            nv, keep = _remove_directives(v)
            if keep:
                res.append(nv)
        return res, True
    return obj, True


def _apply_retain_keys(original, patch, opts):
    if RETAIN_KEYS not in patch:
        return
    keys = patch.pop(RETAIN_KEYS)
    if not opts.merge_parallel_list:
        if RETAIN_KEYS in original:
            if not _same(original[RETAIN_KEYS], keys):
                raise MergeError(f"{original[RETAIN_KEYS]} and {keys} are not deep equal: "
                                 "this may happen when calculating the 3-way diff patch")
        else:
            original[RETAIN_KEYS] = keys
        return
    if not isinstance(keys, list):
        raise MergeError("invalid patch format of retainKeys")
    allowed = set(k for k in keys if isinstance(k, str))
    for k, v in patch.items():
        if v is None or k.startswith(DELETE_FROM_PRIMITIVE_LIST) or k.startswith(SET_ELEMENT_ORDER):
            continue
        if k not in allowed:
            raise MergeError("invalid patch format of retainKeys")
    for k in [k for k in original if k not in allowed]:
        del original[k]


def _merge_set_element_order(original, patch, schema, opts):
    for key in list(patch):
        if not key.startswith(SET_ELEMENT_ORDER) or key not in patch:
            continue
        order = patch.pop(key)
        if not opts.merge_parallel_list:
            if key in original:
                if not _same(original[key], order):
                    raise MergeError("invalid patch format of setElementOrder list")
            else:
                original[key] = order
        if not isinstance(order, list):
            raise MergeError("invalid patch format of setElementOrder list")
        okey = _extract_key(key, SET_ELEMENT_ORDER)
        found_o, found_p = okey in original, okey in patch
        ol = original.get(okey) if found_o else None
        pl = patch.get(okey) if found_p else None
        if found_o and not isinstance(ol, list) or found_p and not isinstance(pl, list):
            raise MergeError(f"expected a list for {okey}")
        sub, meta = schema.lookup_slice(okey)
        _, strategy = _retain_and_strategy(meta.strategies)
        _validate_set_order(pl or [], order, meta.merge_key)
        if found_o and not found_p:
            merged = ol
        elif found_p and not found_o:
            merged, _ = _remove_directives(pl)
        elif found_o and found_p:
            if strategy == MERGE:
                # `view` models the Go slice backing the live list, which upstream's
                # in-place deletions and appends rewrite; it is the order reference below.
                view = list(ol)
                merged = _merge_slice(ol, pl, sub, meta.merge_key, opts, False, view)
                ol = view
            else:
                merged = pl
        else:
            continue
        if meta.merge_key:
            patch_items, server_only = _partition_maps(merged, order, meta.merge_key)
        else:
            patch_items, server_only = _partition_primitives(merged, order)
        kind = _elem_kind(ol or [], pl or [])
        if kind is None:
            original[okey] = merged
        else:
            original[okey] = _normalize_element_order(patch_items, server_only, order, ol or [],
                                                      meta.merge_key, kind)
        patch.pop(okey, None)


def _validate_set_order(patch_list, order, merge_key):
    if not order or not patch_list:
        return
    if merge_key:
        non_delete = [v for v in patch_list
                      if not (isinstance(v, dict) and v.get(DIRECTIVE) == DELETE)]
    else:
        non_delete = list(patch_list)
    pi = si = 0
    while pi < len(non_delete) and si < len(order):
        item = non_delete[pi]
        if isinstance(item, dict) and DIRECTIVE in item:
            pi += 1
            continue
        if merge_key:
            eq = _same(_key_of(item, merge_key), _key_of(order[si], merge_key))
        else:
            eq = _same(item, order[si])
        if eq:
            pi += 1
        si += 1
    if pi < len(non_delete) and si >= len(order):
        raise MergeError(f"The order in patch list:\n{patch_list}\n doesn't match "
                         f"{SET_ELEMENT_ORDER} list:\n{order}\n")


def _partition_primitives(merged, by):
    in_patch = [v for v in merged if any(_same(v, b) for b in by)]
    server = [v for v in merged if not any(_same(v, b) for b in by)]
    return in_patch, server


def _partition_maps(merged, by, merge_key):
    in_patch, server = [], []
    for v in merged:
        val = _key_of(v, merge_key)
        hit = any(isinstance(b, dict) and merge_key in b and _same(b[merge_key], val) for b in by)
        (in_patch if hit else server).append(v)
    return in_patch, server


def _merge_slice(original, patch, schema, merge_key, opts, is_delete_list, view=None):
    if not original and not patch:
        return original
    kind = _elem_kind(original, patch)
    if kind != "map":
        if opts.merge_parallel_list and is_delete_list:
            return [v for v in original if not any(_same(v, d) for d in patch)]
        merged = _dedup_scalars(list(original) + list(patch))
        order_ref = original
    else:
        if not merge_key:
            raise MergeError("cannot merge lists without merge key")
        if view is None:
            view = list(original)
        original, patch, live_len = _merge_slice_special(original, patch, merge_key, view)
        order_ref = list(original)
        merged = list(original)
        # Upstream appends to the slice left by its in-place deletions, so the first
        # appended items land in the live list's backing array (visible through `view`).
        length = live_len
        for v in patch:
            val = _key_of(v, merge_key)
            for idx, o in enumerate(merged):
                if isinstance(o, dict) and merge_key in o and _same(o[merge_key], val):
                    merged[idx] = _merge_map(o, v, schema, opts)
                    if live_len >= 0 and idx < len(view) and length <= len(view):
                        view[idx] = merged[idx]
                    break
            else:
                merged.append(v)
                if live_len >= 0 and length < len(view):
                    view[length] = v
                length += 1
    if merge_key:
        patch_items, server_only = _partition_maps(merged, patch, merge_key)
    else:
        patch_items, server_only = _partition_primitives(merged, patch)
    return _normalize_element_order(patch_items, server_only, patch, order_ref, merge_key, kind)


def _merge_slice_special(original, patch, merge_key, view):
    """Apply `$patch` items: (original, plain patch items, length of `view` in use or -1)."""
    plain = []
    replace = False
    original = list(original)
    length = len(view)
    for v in patch:
        if not isinstance(v, dict):
            raise MergeError(f"expected a map in a list merged by {merge_key!r}, got {v!r}")
        if DIRECTIVE not in v:
            plain.append(v)
            continue
        d = v[DIRECTIVE]
        if d == DELETE:
            if merge_key not in v:
                raise MergeError(f"map: {v!r} does not contain declared merge key: {merge_key}")
            original = [o for o in original
                        if not (isinstance(o, dict) and merge_key in o
                                and _same(o[merge_key], v[merge_key]))]
            # Go's append(s[:i], s[i+1:]...) shifts left in place, leaving the tail as is.
            i = 0
            while i < length:
                o = view[i]
                if isinstance(o, dict) and merge_key in o and _same(o[merge_key], v[merge_key]):
                    view[i:length - 1] = view[i + 1:length]
                    length -= 1
                else:
                    i += 1
        elif d == REPLACE:
            replace = True
        elif d == MERGE:
            raise MergeError("merging lists cannot yet be specified in the patch")
        else:
            raise MergeError(f"Unknown patch type: {d} in map: {v!r}")
    if replace:
        return plain, [], -1
    return original, plain, length


# --------------------------------------------------------------------------------------------
# Public strategic-merge API
# --------------------------------------------------------------------------------------------


def strategic_merge_patch(current: dict, patch: dict, merge_keys: MergeKeys | None) -> dict:
    """Apply a strategic merge patch to `current` (as the API server does); inputs untouched.

    Supports `$patch: replace|delete` in maps and list items, `$deleteFromPrimitiveList/<f>`,
    `$setElementOrder/<f>` and `$retainKeys`. Nulls delete fields.
    """
    opts = _MergeOptions(merge_parallel_list=True, ignore_unmatched_nulls=True)
    return _merge_map(_clone(current), _clone(patch), merge_keys or EMPTY, opts)


def create_three_way_merge_patch(original: dict | None, modified: dict, current: dict,
                                 merge_keys: MergeKeys | None) -> dict:
    """The strategic merge patch kubectl sends (CreateThreeWayMergePatch, overwrite=true).

    Changes and additions come from diffing current→modified; deletions from diffing
    original→modified; the two are merged into one patch. `{}` means "unchanged".
    """
    schema = merge_keys or EMPTY
    # The diffs only read their inputs; the patch they build shares subtrees with `m`, which
    # the merge below may rewrite, so only `modified` is copied.
    o = original or {}
    m = _clone(modified or {})
    c = current or {}
    delta = _diff_maps(c, m, schema, _DiffOptions(ignore_deletions=True, set_element_order=True))
    deletions = _diff_maps(o, m, schema,
                           _DiffOptions(ignore_changes_and_additions=True, set_element_order=True))
    return _merge_map(deletions, delta, schema, _MergeOptions())


# --------------------------------------------------------------------------------------------
# JSON merge patch (RFC 7386) and its three-way form (kubectl, unregistered types)
# --------------------------------------------------------------------------------------------


def json_merge_patch(current: Any, patch: Any) -> Any:
    """Apply an RFC 7386 JSON merge patch; inputs are not modified."""
    return _json_merge(_clone(current), _clone(patch))


def _json_merge(target, patch):
    if not isinstance(patch, dict):
        return patch
    if not isinstance(target, dict):
        target = {}
    for k, v in patch.items():
        if v is None:
            target.pop(k, None)
        else:
            target[k] = _json_merge(target.get(k), v)
    return target


def create_json_merge_patch(original: dict, modified: dict) -> dict:
    """RFC 7386 patch turning `original` into `modified` (evanphx CreateMergePatch)."""
    out: dict = {}
    for k, bv in modified.items():
        if k not in original:
            out[k] = _clone(bv)
            continue
        av = original[k]
        if _jtype(av) != _jtype(bv):
            out[k] = _clone(bv)
        elif isinstance(av, dict):
            sub = create_json_merge_patch(av, bv)
            if sub:
                out[k] = sub
        elif not _same(av, bv):
            out[k] = _clone(bv)
    for k in original:
        if k not in modified:
            out[k] = None
    return out


def _keep_or_delete_null(m: dict, keep_null: bool) -> dict:
    out: dict = {}
    for k, v in m.items():
        if v is None:
            if keep_null:
                out[k] = None
        elif isinstance(v, dict):
            if not v:
                # an explicitly empty map is a value, not an empty patch
                if not keep_null:
                    out[k] = v
                continue
            sub = _keep_or_delete_null(v, keep_null)
            if sub:
                out[k] = sub
        elif not keep_null:
            out[k] = v
    return out


def create_three_way_json_merge_patch(original: dict | None, modified: dict,
                                      current: dict) -> dict:
    """kubectl's patch for kinds without strategic-merge metadata (CreateThreeWayJSONMergePatch).

    Raises MergeError("At least one of apiVersion, kind and name was changed") like kubectl.
    """
    add_change = _keep_or_delete_null(create_json_merge_patch(current or {}, modified or {}), False)
    deletions = _keep_or_delete_null(create_json_merge_patch(original or {}, modified or {}), True)
    patch = _json_merge_patches(deletions, add_change)
    meta = patch.get("metadata")
    if "apiVersion" in patch or "kind" in patch or (isinstance(meta, dict) and "name" in meta):
        raise MergeError("At least one of apiVersion, kind and name was changed")
    return patch


def _json_merge_patches(doc: dict, patch: dict) -> dict:
    # evanphx MergePatch used to combine two patches: like RFC 7386 (nulls in the second
    # patch cannot occur here, it only carries additions and changes).
    for k, v in patch.items():
        cur = doc.get(k)
        if isinstance(cur, dict) and isinstance(v, dict):
            doc[k] = _json_merge_patches(cur, v)
        else:
            doc[k] = v
    return doc


# --------------------------------------------------------------------------------------------
# Client-side apply
# --------------------------------------------------------------------------------------------


def compute_apply_patch(original: dict | None, modified: dict, current: dict,
                        merge_keys: MergeKeys | None) -> dict:
    """The patch `kubectl apply` would send: strategic with a schema, JSON merge without."""
    if merge_keys is None:
        return create_three_way_json_merge_patch(original, modified, current)
    return create_three_way_merge_patch(original, modified, current, merge_keys)


def three_way_merge(original: dict | None, modified: dict, current: dict,
                    merge_keys: MergeKeys | None) -> dict:
    """The object the server ends up with after a client-side `kubectl apply`.

    original: last-applied configuration (None when the live object has none),
    modified: the new configuration (use `modified_configuration(manifest)` to also update the
    annotation, as kubectl does), current: the live object. Fields set in modified win; fields
    in original but gone from modified are deleted; fields only in current are kept.
    """
    patch = compute_apply_patch(original, modified, current, merge_keys)
    if merge_keys is None:
        return json_merge_patch(current, patch)
    return strategic_merge_patch(current, patch, merge_keys)


def apply_to_live(manifest: dict, live: dict, merge_keys: MergeKeys | None, *,
                  namespace: str | None = None,
                  namespaced: bool | None = None) -> tuple[dict, dict]:
    """Client-side apply of `manifest` onto an existing `live` object: (patch, result).

    `patch == {}` is kubectl's "unchanged"; otherwise "configured". When `live` has no
    last-applied annotation kubectl warns (the caller prints that) and deletes nothing.
    """
    modified = modified_configuration(manifest, namespace=namespace, namespaced=namespaced)
    original = original_configuration(live)
    patch = compute_apply_patch(original, modified, live, merge_keys)
    if not patch:
        return patch, _clone(live)
    if merge_keys is None:
        return patch, json_merge_patch(live, patch)
    return patch, strategic_merge_patch(live, patch, merge_keys)
