"""Field sets as structured-merge-diff (SMD) keeps them: the FieldsV1 format of managedFields.

A field set is a Python set of paths; a path is a tuple of path elements in their FieldsV1
spelling: `f:spec` (a field), `k:{"name":"web"}` (an item of a list-map, keys sorted),
`v:"x"` (an item of a set), `i:0` (an index). What is a member follows SMD's walkers
(typed/tofieldset.go, typed/compare.go), driven by the list-type / map-keys / map-type
information in the kind's schema (schemas/v1.37), with patch-merge-key as the fallback, as
kube-openapi's schema conversion does.

Pure: no I/O beyond reading a kind's schema through kctl.api.schema (cached).
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any, Iterable

MISSING = object()  # "no such field" (distinct from a JSON null)

# Key fields the OpenAPI schema defaults (SMD fills them when an item omits them).
_KEY_DEFAULTS = {"protocol": "TCP"}


# ---------------------------------------------------------------- types from the schema
class TypeNode:
    """One schema node seen the way SMD sees it.

    kind: "map" (struct or granular map), "list", "scalar" or "any" (no schema: maps are
    granular, lists atomic, as SMD's deduced type). `atomic`: an atomic map or list.
    `keys`: list-map keys (list "map"), () with `is_set` for a set, None for atomic lists."""

    __slots__ = ("kind", "atomic", "keys", "is_set", "required", "_props", "_elem_schema", "_defs",
                 "_cache", "_fields", "_elem", "_struct")

    def __init__(self, schema: dict | None, defs: dict, cache: dict):
        self._defs, self._cache = defs, cache
        self._fields: dict[str, TypeNode] = {}
        self._elem: TypeNode | None = None
        s = schema
        self.atomic, self.keys, self.is_set = False, None, False
        self.required = frozenset()
        self._props, self._elem_schema, self._struct = {}, None, False
        if s is None:
            self.kind = "any"
            return
        types = s.get("type")
        types = set(types) if isinstance(types, list) else {types} if types else set()
        if "array" in types or "items" in s:
            self.kind = "list"
            self._elem_schema = s.get("items") if isinstance(s.get("items"), dict) else {}
            lt = s.get("x-kubernetes-list-type")
            strategies = (s.get("x-kubernetes-patch-strategy") or "").split(",")
            if lt == "map":
                self.keys = tuple(s.get("x-kubernetes-list-map-keys") or ())
            elif lt == "set":
                self.keys, self.is_set = (), True
            elif lt is None and "merge" in strategies:
                mk = s.get("x-kubernetes-patch-merge-key")
                self.keys, self.is_set = ((mk,), False) if mk else ((), True)
            self.atomic = self.keys is None
        elif "object" in types or "properties" in s or "additionalProperties" in s:
            self.kind = "map"
            self.atomic = s.get("x-kubernetes-map-type") == "atomic"
            self._props = s.get("properties") or {}
            self._struct = bool(self._props)
            ap = s.get("additionalProperties")
            self._elem_schema = ap if isinstance(ap, dict) else None
            self.required = frozenset(s.get("required") or ())
        elif not types and not s:
            self.kind = "any"
        else:
            self.kind = "scalar"

    def _node(self, schema: Any) -> TypeNode:
        resolved = _resolve(schema, self._defs)
        if resolved is None:
            return _ANY
        node = self._cache.get(id(resolved))
        if node is None:
            node = self._cache[id(resolved)] = TypeNode(resolved, self._defs, self._cache)
            self._cache[("hold", id(resolved))] = resolved  # keep id() stable
        if isinstance(schema, dict) and schema.get("x-kubernetes-map-type") == "atomic" and not node.atomic:
            # map-type on the referring property (PersistentVolume's claimRef)
            key = ("atomic", id(resolved))
            if key not in self._cache:
                self._cache[key] = TypeNode({**resolved, "x-kubernetes-map-type": "atomic"}, self._defs,
                                            self._cache)
            node = self._cache[key]
        return node

    def field(self, name: str) -> TypeNode:
        hit = self._fields.get(name)
        if hit is None:
            if self.kind == "any":
                return _ANY
            ps = self._props.get(name)
            if ps is None:
                ps = self._elem_schema
            hit = self._fields[name] = self._node(ps) if ps is not None else _ANY
        return hit

    def is_named_field(self, name: str) -> bool:
        """A declared field of a struct (not a key of a granular map)."""
        return name in self._props

    def elem(self) -> TypeNode:
        if self._elem is None:
            self._elem = self._node(self._elem_schema) if self._elem_schema is not None else _ANY
        return self._elem


def _resolve(s: Any, defs: dict) -> dict | None:
    for _ in range(64):
        if not isinstance(s, dict):
            return None
        ref = s.get("$ref")
        if isinstance(ref, str):
            s = defs.get(ref.rsplit("/", 1)[-1])
            continue
        subs = s.get("allOf") or s.get("anyOf")
        if isinstance(subs, list) and len(subs) == 1:
            s = subs[0]
            continue
        if "oneOf" in s and "type" not in s:  # IntOrString and friends: a scalar
            return {"type": "string"}
        return s
    return None


_ANY = TypeNode.__new__(TypeNode)
_ANY.kind, _ANY.atomic, _ANY.keys, _ANY.is_set = "any", False, None, False
_ANY.required, _ANY._props, _ANY._elem_schema, _ANY._defs = frozenset(), {}, None, {}
_ANY._cache, _ANY._fields, _ANY._elem, _ANY._struct = {}, {}, None, False


def type_for_schema(schema: dict | None) -> TypeNode:
    if not schema:
        return _ANY
    return TypeNode(schema, schema.get("$defs") or {}, {})


def type_for(kind) -> TypeNode:
    """The root TypeNode of a Kind (deduced, schema-less, for kinds without a schema); a
    custom resource's comes from its CRD's schema for the kind's version."""
    if kind is None:
        return _ANY
    from kctl.api import kinds

    if not kinds.is_builtin(kind.group, kind.kind):
        return _custom_type(kind)
    return _builtin_type(kind)


_CR_TYPES: dict = {}  # id(CRD version schema) -> (schema, TypeNode): a changed CRD is a new dict


def _custom_type(kind) -> TypeNode:
    """apiextensions-apiserver's type converter: the version's structural schema with
    apiVersion, kind and ObjectMeta's metadata; lists are atomic unless
    x-kubernetes-list-type says map or set, as SMD's OpenAPI conversion reads them."""
    from kctl.api.crd import registry
    from kctl.api.crd.openapi import version_schema

    crd = registry.crd_of(kind)
    schema = version_schema(crd, kind.version) if crd else None
    if not isinstance(schema, dict):
        return _ANY
    hit = _CR_TYPES.get(id(schema))
    if hit is not None and hit[0] is schema:
        return hit[1]
    meta = _builtin_type_schema("core", "v1", "ConfigMap")
    root = dict(schema)
    root["properties"] = {**(schema.get("properties") or {}), "apiVersion": {"type": "string"},
                          "kind": {"type": "string"}, "metadata": meta["properties"]["metadata"]}
    root.setdefault("type", "object")
    node = TypeNode(root, meta.get("$defs") or {}, {})
    if len(_CR_TYPES) > 64:
        _CR_TYPES.clear()
    _CR_TYPES[id(schema)] = (schema, node)
    return node


def _builtin_type_schema(group: str, version: str, kind: str) -> dict:
    from kctl.api.schema import load_schema

    return load_schema(group, version, kind) or {}


@lru_cache(maxsize=256)
def _builtin_type(kind) -> TypeNode:
    from kctl.api.schema import load_schema

    schema = load_schema(kind.group, kind.version, kind.kind)
    if not schema and not kind.group:
        schema = load_schema("core", kind.version, kind.kind)
    return type_for_schema(schema)


# ---------------------------------------------------------------- path elements
def _go_json(v: Any) -> str:
    return json.dumps(v, separators=(",", ":"), ensure_ascii=False)


def item_pe(t: TypeNode, item: Any, index: int) -> str | None:
    """The path element of a list item (None when it has none: atomic lists)."""
    if t.keys:
        if not isinstance(item, dict):
            return f"i:{index}"
        key = {}
        for k in t.keys:
            if k in item:
                key[k] = item[k]
            elif k in _KEY_DEFAULTS:
                key[k] = _KEY_DEFAULTS[k]
        return "k:" + _go_json(dict(sorted(key.items())))
    if t.is_set:
        if isinstance(item, (dict, list)):
            return f"i:{index}"
        return "v:" + _go_json(item)
    return None


def _go_q(v: Any) -> str:
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    return str(v)


def pe_string(pe: str) -> str:
    """A path element as fieldpath.PathElement.String() prints it."""
    tag, body = pe[:2], pe[2:]
    if tag == "f:":
        return "." + body
    if tag == "k:":
        d = json.loads(body)
        return "[" + ",".join(f"{k}={_go_q(v)}" for k, v in d.items()) + "]"
    if tag == "v:":
        return "[=" + _go_q(json.loads(body)) + "]"
    return "[" + body + "]"


def path_string(path: tuple) -> str:
    """`.spec.template.spec.containers[name="web"].image`, as conflicts print paths."""
    return "".join(pe_string(pe) for pe in path)


_RANK = {"f:": 0, "k:": 1, "v:": 2, "i:": 3}


def _pe_key(pe: str):
    return (_RANK.get(pe[:2], 4), pe[2:])


def iterate(paths: Iterable[tuple]) -> list[tuple]:
    """Paths in SMD's Set.Iterate order: at each level the members, then each child."""
    tree = to_fields_v1(paths)
    out: list[tuple] = []

    def walk(node: dict, prefix: tuple):
        kids = sorted((k for k in node if k != "."), key=_pe_key)
        for k in kids:
            child = node[k]
            if not child or "." in child:
                out.append(prefix + (k,))
        for k in kids:
            child = node[k]
            if any(c != "." for c in child):
                walk(child, prefix + (k,))

    walk(tree, ())
    return out


# ---------------------------------------------------------------- FieldsV1
def to_fields_v1(paths: Iterable[tuple]) -> dict:
    """The FieldsV1 tree of a set: `{"f:spec": {"f:replicas": {}}}`, `.` marking a member
    that also has children."""
    tree: dict = {}
    for path in paths:
        cur = tree
        for pe in path:
            cur = cur.setdefault(pe, {})
        cur["."] = {}

    def fin(node: dict) -> dict:
        for k, v in node.items():
            if k != ".":
                node[k] = {} if list(v) == ["."] else fin(v)
        return node

    return fin(tree)


def from_fields_v1(fields: dict | None) -> set:
    out: set = set()

    def walk(node: dict, prefix: tuple):
        for k, v in node.items():
            if k == ".":
                out.add(prefix)
            elif not v:
                out.add(prefix + (k,))
            else:
                walk(v, prefix + (k,))

    if isinstance(fields, dict):
        walk(fields, ())
    return out


# ---------------------------------------------------------------- sets from values
def _as_map(t: TypeNode, v: Any) -> bool:
    return isinstance(v, dict)


def to_field_set(obj: Any, t: TypeNode) -> set:
    """typed.ToFieldSet: every scalar, atomic list/map and list item is a member; a field
    that is null, an empty map, or a key of a granular map is a member too."""
    out: set = set()
    _tfs(obj, t, (), out)
    return out


def _tfs(v: Any, t: TypeNode, path: tuple, out: set) -> None:
    if isinstance(v, dict):
        if t.atomic and t.kind == "map":
            out.add(path)
            return
        for k, child in v.items():
            p = path + ("f:" + k,)
            _tfs(child, t.field(k), p, out)
            if child is None or (isinstance(child, dict) and not child) or not t.is_named_field(k):
                out.add(p)
    elif isinstance(v, list):
        if t.kind != "list" or t.atomic:
            out.add(path)
            return
        et = t.elem()
        for i, item in enumerate(v):
            pe = item_pe(t, item, i)
            p = path + (pe,)
            _tfs(item, et, p, out)
            out.add(p)
    else:
        out.add(path)


def compare(old: Any, new: Any, t: TypeNode) -> tuple[set, set, set]:
    """typed.Compare: (added, modified, removed) going from `old` to `new`. MISSING stands
    for an absent value (a JSON null is a value)."""
    added: set = set()
    modified: set = set()
    removed: set = set()
    _cmp(old, new, t, (), added, modified, removed)
    return added, modified, removed


def _cmp(l, r, t: TypeNode, path: tuple, added: set, modified: set, removed: set) -> None:
    v = r if r is not MISSING else l
    leaf = True
    if isinstance(v, dict) and (l is MISSING or l is None or isinstance(l, dict)) \
            and (r is MISSING or r is None or isinstance(r, dict)):
        lm = l if isinstance(l, dict) else {}
        rm = r if isinstance(r, dict) else {}
        if not (t.kind == "map" and t.atomic) and (lm or rm):
            leaf = False
            for k in lm.keys() | rm.keys():
                _cmp(lm.get(k, MISSING), rm.get(k, MISSING), t.field(k), path + ("f:" + k,),
                     added, modified, removed)
    elif isinstance(v, list) and (l is MISSING or l is None or isinstance(l, list)) \
            and (r is MISSING or r is None or isinstance(r, list)):
        ll = l if isinstance(l, list) else []
        rl = r if isinstance(r, list) else []
        if t.kind == "list" and not t.atomic and (ll or rl):
            leaf = False
            _cmp_items(ll, rl, t, path, added, modified, removed)
    if leaf:
        if l is MISSING:
            added.add(path)
        elif r is MISSING:
            removed.add(path)
        elif l != r or type(l) is not type(r) and (isinstance(l, bool) or isinstance(r, bool)):
            modified.add(path)
    elif l is MISSING:
        added.add(path)
    elif r is MISSING:
        removed.add(path)


def _cmp_items(ll: list, rl: list, t: TypeNode, path: tuple, added, modified, removed) -> None:
    et = t.elem()
    lv: dict = {}
    order: list = []
    for i, item in enumerate(ll):
        pe = item_pe(t, item, i)
        if pe not in lv:
            order.append(pe)
        lv.setdefault(pe, []).append(item)
    rv: dict = {}
    for i, item in enumerate(rl):
        pe = item_pe(t, item, i)
        if pe not in rv and pe not in lv:
            order.append(pe)
        rv.setdefault(pe, []).append(item)
    for pe in order:
        la, ra = lv.get(pe, []), rv.get(pe, [])
        p = path + (pe,)
        if len(la) <= 1 and len(ra) <= 1:
            _cmp(la[0] if la else MISSING, ra[0] if ra else MISSING, et, p, added, modified, removed)
        elif len(la) >= 2 and len(ra) >= 2:
            if la != ra:
                modified.add(p)
        elif len(la) >= 2:
            if ra:
                _cmp(MISSING, ra[0], et, p, added, modified, removed)
            removed.add(p)
        else:
            if la:
                _cmp(la[0], MISSING, et, p, added, modified, removed)
            added.add(p)


def ensure_named_fields_are_members(paths: set, t: TypeNode) -> set:
    """Set.EnsureNamedFieldsAreMembers: a struct's field with owned children is owned too
    (so pruning removes the whole field), a granular map's key is not."""
    out = set(paths)
    for path in paths:
        node = t
        for i, pe in enumerate(path[:-1]):
            if pe.startswith("f:"):
                name = pe[2:]
                named = node.kind == "map" and node.is_named_field(name)
                node = node.field(name)
                if named:
                    out.add(path[:i + 1])
            else:
                node = node.elem()
    return out


def _tree(paths: Iterable[tuple]) -> dict:
    tree: dict = {}
    for path in paths:
        cur = tree
        for pe in path:
            cur = cur.setdefault(pe, {})
        cur["."] = True
    return tree


def remove_items(obj: Any, paths: set, t: TypeNode) -> Any:
    """typed.RemoveItems: drop every member of `paths` (with what is under it)."""
    if not paths:
        return obj
    return _remove(obj, _tree(paths), t)


def _remove(v: Any, tree: dict, t: TypeNode) -> Any:
    if isinstance(v, dict):
        if t.kind == "map" and t.atomic:
            return v
        out = {}
        for k, child in v.items():
            sub = tree.get("f:" + k)
            if sub is None:
                out[k] = child
            elif "." in sub:
                continue
            else:
                out[k] = _remove(child, sub, t.field(k))
        return out
    if isinstance(v, list) and t.kind == "list" and not t.atomic:
        et = t.elem()
        out_l = []
        for i, item in enumerate(v):
            sub = tree.get(item_pe(t, item, i))
            if sub is None:
                out_l.append(item)
            elif "." in sub:
                continue
            else:
                out_l.append(_remove(item, sub, et))
        return out_l
    return v


def zero_like(new: dict, t: TypeNode) -> dict:
    """The empty Go object of a kind as the API server's create path compares against (the
    old side of a create's Update): value structs are present (`{}`), and so are fields
    without omitempty (`null`); pointers and omitempty fields are absent. The schema does not
    say which struct fields are values, so these are the ones Kubernetes' types have."""
    return _zero(new, t)


_VALUE_STRUCTS = frozenset({"metadata", "spec", "status", "template", "strategy", "updateStrategy",
                            "jobTemplate", "resources"})


def _zero(v: dict, t: TypeNode) -> dict:
    out: dict = {}
    for k, child in v.items():
        if isinstance(child, dict) and k in _VALUE_STRUCTS and t.is_named_field(k):
            out[k] = _zero(child, t.field(k))
        elif k in t.required and isinstance(child, (list, dict)):
            out[k] = None
    return out
