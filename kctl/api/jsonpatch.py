"""RFC 6902 JSON patch, with the behaviour and error texts of the library the API server and
kubectl use (evanphx/json-patch v4). That library is more lenient than the RFC in two places
kubectl users rely on: `replace` of a missing map key adds it, and `copy` from a missing key
copies null. Pure: no I/O.
"""

from __future__ import annotations

import copy
from typing import Any


class JSONPatchError(ValueError):
    """A patch that cannot be decoded or applied; `str()` is the library's text."""


_MISSING = object()


def _go_type(v: Any) -> str:
    if isinstance(v, dict):
        return "object"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    return "array"


def decode(patch: Any) -> list[dict]:
    """Check the patch document's shape (a JSON array of operation objects)."""
    if not isinstance(patch, list):
        raise JSONPatchError(f"json: cannot unmarshal {_go_type(patch)} into Go value of type jsonpatch.Patch")
    for op in patch:
        if op is not None and not isinstance(op, dict):
            raise JSONPatchError(
                f"json: cannot unmarshal {_go_type(op)} into Go value of type jsonpatch.Operation")
    return [op or {} for op in patch]


def _unescape(part: str) -> str:
    return part.replace("~1", "/").replace("~0", "~")


def _find(doc: Any, path: str):
    """The container holding the last token of `path` and that token; (None, "") if absent."""
    split = path.split("/")
    if len(split) < 2:
        return None, ""
    cur = doc
    for part in split[1:-1]:
        nxt = _get(cur, _unescape(part), strict=True)
        if nxt is _MISSING or nxt is None or not isinstance(nxt, (dict, list)):
            return None, ""
        cur = nxt
    return cur, _unescape(split[-1])


def _index(key: str, length: int, *, allow_end: bool) -> int:
    try:
        if not key.lstrip("-").isdigit():
            raise ValueError
        idx = int(key)
    except ValueError:
        raise JSONPatchError(f"value was not a proper array index: '{key}': strconv.Atoi: parsing "
                             f'"{key}": invalid syntax') from None
    limit = length if allow_end else length - 1
    if idx < 0:
        if -idx > length:
            raise JSONPatchError(f"Unable to access invalid index: {idx}: invalid index referenced")
        idx += length
    if idx > limit:
        raise JSONPatchError(f"Unable to access invalid index: {idx}: invalid index referenced")
    return idx


def _get(con: Any, key: str, *, strict: bool = False) -> Any:
    """Value at key; for maps a missing key is None (as the library), arrays check bounds."""
    if isinstance(con, dict):
        return con.get(key, _MISSING if strict else None)
    if isinstance(con, list):
        if strict:
            try:
                return con[_index(key, len(con), allow_end=False)]
            except JSONPatchError:
                return _MISSING
        return con[_index(key, len(con), allow_end=False)]
    return _MISSING


def _add(con: Any, key: str, value: Any) -> None:
    if isinstance(con, dict):
        con[key] = value
        return
    if key == "-":
        con.append(value)
        return
    con.insert(_index(key, len(con), allow_end=True), value)


def _remove(con: Any, key: str) -> None:
    if isinstance(con, dict):
        if key not in con:
            raise JSONPatchError(f"Unable to remove nonexistent key: {key}: missing value")
        del con[key]
        return
    del con[_index(key, len(con), allow_end=False)]


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
    return _jtype(a) == _jtype(b) and a == b


def _jtype(v: Any) -> str:
    return "number" if isinstance(v, (int, float)) and not isinstance(v, bool) else type(v).__name__


def _path(op: dict, name: str, field: str = "path") -> str:
    p = op.get(field)
    if not isinstance(p, str):
        raise JSONPatchError(f"{name} operation failed to decode {field}: missing value")
    return p


def apply_patch(doc: Any, patch: Any) -> Any:
    """Apply an RFC 6902 patch to a copy of `doc`; raises JSONPatchError."""
    ops = decode(patch)
    doc = copy.deepcopy(doc)
    for op in ops:
        kind = op.get("op")
        kind = kind if isinstance(kind, str) else "unknown"
        if kind == "add":
            path = _path(op, "add")
            con, key = _find(doc, path)
            if con is None:
                raise JSONPatchError(f'add operation does not apply: doc is missing path: "{path}": missing value')
            try:
                _add(con, key, copy.deepcopy(op.get("value")))
            except JSONPatchError as e:
                raise JSONPatchError(f"error in add for path: '{path}': {e}") from None
        elif kind == "remove":
            path = _path(op, "remove")
            con, key = _find(doc, path)
            if con is None:
                raise JSONPatchError(f'remove operation does not apply: doc is missing path: "{path}": missing value')
            try:
                _remove(con, key)
            except JSONPatchError as e:
                raise JSONPatchError(f"error in remove for path: '{path}': {e}") from None
        elif kind == "replace":
            path = _path(op, "replace")
            con, key = _find(doc, path)
            if con is None:
                raise JSONPatchError(f"replace operation does not apply: doc is missing path: {path}: missing value")
            if isinstance(con, list):
                if _get(con, key, strict=True) is _MISSING:
                    # kubectl's text for a replace past an array's end
                    raise JSONPatchError(f"Object to be patched is missing field ({path}: missing value)")
                con[_index(key, len(con), allow_end=False)] = copy.deepcopy(op.get("value"))
            else:
                con[key] = copy.deepcopy(op.get("value"))
        elif kind == "move":
            from_ = _path(op, "move", "from")
            con, key = _find(doc, from_)
            if con is None:
                raise JSONPatchError(f"move operation does not apply: doc is missing from path: {from_}: missing value")
            try:
                val = _get(con, key)
                _remove(con, key)
            except JSONPatchError as e:
                raise JSONPatchError(f"error in move for path: '{key}': {e}") from None
            path = _path(op, "move")
            con, key = _find(doc, path)
            if con is None:
                raise JSONPatchError(f"move operation does not apply: doc is missing destination path: {path}: missing value")
            try:
                _add(con, key, val)
            except JSONPatchError as e:
                raise JSONPatchError(f"error in move for path: '{path}': {e}") from None
        elif kind == "copy":
            from_ = _path(op, "copy", "from")
            con, key = _find(doc, from_)
            if con is None:
                raise JSONPatchError(f"copy operation does not apply: doc is missing from path: {from_}: missing value")
            try:
                val = _get(con, key)
            except JSONPatchError as e:
                raise JSONPatchError(f"error in copy for from: '{from_}': {e}") from None
            path = _path(op, "copy")
            con, key = _find(doc, path)
            if con is None:
                raise JSONPatchError(f"copy operation does not apply: doc is missing destination path: {path}: missing value")
            try:
                _add(con, key, copy.deepcopy(val))
            except JSONPatchError as e:
                raise JSONPatchError(f"error in copy for path: '{path}': {e}") from None
        elif kind == "test":
            path = _path(op, "test")
            con, key = _find(doc, path)
            if con is None:
                raise JSONPatchError(f"test operation does not apply: is missing path: {path}: missing value")
            val = _get(con, key, strict=True)
            val = None if val is _MISSING else val
            want = op.get("value")
            if val is None and want is None:
                continue
            if not _equal(val, want):
                raise JSONPatchError(f"testing value {path} failed: test failed")
        else:
            raise JSONPatchError(f"Unexpected kind: {kind}")
    return doc
