"""Reading manifests the way kubectl does, fast, with field positions.

Design (measured in bench/bench_manifests.py): every file is composed into YAML nodes with
libyaml's C parser (`ruamel.yaml.clib`), and one walk turns the nodes into plain dicts with
go-yaml v2 scalar semantics (what kubectl's sigs.k8s.io/yaml uses: `yes`/`on`/`y` are
booleans, `0777` is octal, timestamps stay strings, `3.0` becomes 3). Positions are not kept on
the hot path: a Manifest re-composes its file text only when a position is first asked for
(normally only for an object that has an error), so loading stays as fast as a plain load.

Error texts are kubectl 1.37's; the `file:line[:col]` where it happened goes to `source`.
"""

from __future__ import annotations

import gc
import json
import math
import os
import re
import sys
from typing import Any, Callable

from kctl.errors import ManifestError

STDIN = "STDIN"
EXTENSIONS = (".json", ".yaml", ".yml")
_STOP_VALIDATE = "if you choose to ignore these errors, turn validation off with --validate=false"

# tags our resolver hands back to the C composer
_PLAIN = "?"  # an untagged plain scalar: resolved later with go-yaml v2 rules
_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_TAG = "tag:yaml.org,2002:"


class ManifestErrorList(ManifestError):
    """Several manifest errors at once (kctl reports every bad document, then stops)."""

    def __init__(self, errors: list[ManifestError]):
        self.errors = list(errors)
        super().__init__(errors[0].message, errors[0].source)

    def render(self) -> str:
        return "\n".join(e.render() for e in self.errors)


# --------------------------------------------------------------------------- Manifest


class Manifest:
    """One object read from a manifest: a document or an item of a `*List`.

    `line` is the 1-based line where the object starts; `positions` maps apimachinery field
    paths (`spec.template.spec.containers[0].image`, `metadata.labels[app.kubernetes.io/name]`)
    to 1-based (line, column). It is computed on first access when not given.
    """

    __slots__ = ("obj", "source", "line", "doc_index", "_positions", "_locate")

    def __init__(
        self,
        obj: dict,
        source: str,
        line: int,
        positions: dict[str, tuple[int, int]] | None = None,
        doc_index: int = 0,
        locate: Callable[[], dict[str, tuple[int, int]]] | None = None,
    ):
        self.obj = obj
        self.source = source
        self.line = line
        self.doc_index = doc_index
        self._positions = positions
        self._locate = locate

    @property
    def positions(self) -> dict[str, tuple[int, int]]:
        if self._positions is None:
            self._positions = self._locate() if self._locate else {}
            self._locate = None
        return self._positions

    def position(self, field_path: str = "") -> tuple[int, int]:
        """(line, column) of `field_path`, or of its nearest ancestor that has a position."""
        pos = self.positions
        path = field_path
        while path:
            # upstream names map keys both ways (`matchLabels[app]` via Key(), or a child name)
            hit = pos.get(path) or pos.get(_BRACKET_IDENT.sub(_key_as_child, path))
            if hit is not None:
                return hit
            path = _parent_path(path)
        return self.line, 1

    def where(self, field_path: str = "") -> str:
        """`file:line` of `field_path`, or of its nearest ancestor that has a position."""
        return f"{self.source}:{self.position(field_path)[0]}"

    def __repr__(self) -> str:
        kind = self.obj.get("kind")
        name = (self.obj.get("metadata") or {}).get("name") if isinstance(self.obj.get("metadata"), dict) else None
        return f"Manifest({kind}/{name} at {self.source}:{self.line})"


def _parent_path(path: str) -> str:
    if path.endswith("]"):
        return path[: path.rfind("[")]
    i = path.rfind(".")
    return path[:i] if i > 0 else ""


_IDENT = re.compile(r"^[A-Za-z0-9_-]+$")
_BRACKET_IDENT = re.compile(r"\[([A-Za-z0-9_-]+)\]")


def _key_as_child(m: re.Match) -> str:
    """`limits[memory]` -> `limits.memory`, but list indexes (`containers[0]`) stay."""
    key = m.group(1)
    return m.group(0) if key.isdigit() else "." + key


def _child(path: str, key: str) -> str:
    if _IDENT.match(key):
        return f"{path}.{key}" if path else key
    return f"{path}[{key}]"


# --------------------------------------------------------------------------- files


def iter_files(paths: list[str], recursive: bool = False) -> list[str]:
    """Expand `-f` arguments into files, in the order kubectl visits them.

    `-` stays `-` (stdin). A directory gives its .json/.yaml/.yml files in lexical order
    (subdirectories only with `recursive`); a file named explicitly is taken whatever its
    extension. Raises ManifestError for a missing path and for a directory without manifests
    (kubectl: `error reading [dir]: recognized file extensions are [.json .yaml .yml]`).
    """
    out: list[str] = []
    for p in paths:
        if p == "-":
            out.append(p)
            continue
        if not os.path.exists(p):
            raise ManifestError(f'the path "{p}" does not exist')
        if os.path.isdir(p):
            found = _walk(p, recursive)
            if not found:
                raise ManifestError(
                    f"error reading [{p}]: recognized file extensions are [.json .yaml .yml]"
                )
            out.extend(found)
        else:
            out.append(p)
    return out


def _walk(root: str, recursive: bool) -> list[str]:
    # filepath.Walk visits entries in lexical order and descends into a directory where it
    # stands in that order (so `a/`'s files come before `b.yaml`).
    out: list[str] = []
    try:
        names = sorted(os.listdir(root))
    except OSError as e:
        raise ManifestError(f"error reading [{root}]: {e.strerror}") from None
    for name in names:
        # filepath.Join cleans the path: `./dir` + `a.yaml` is shown as `dir/a.yaml`
        full = os.path.normpath(os.path.join(root, name))
        if os.path.isdir(full):
            if recursive:
                out.extend(_walk(full, True))
        elif name.endswith(EXTENSIONS):
            out.append(full)
    return out


def load(paths: list[str], recursive: bool = False, stdin_text: str | None = None) -> list[Manifest]:
    """Read every object of the given `-f` paths (files, directories, `-`).

    Returns objects in file order, `*List` kinds flattened into their items. Raises
    ManifestError (a ManifestErrorList when there are several) naming `file:line[:col]`.
    An empty result is not an error here (the CLI prints `error: no objects passed to apply`).
    """
    out: list[Manifest] = []
    errors: list[ManifestError] = []
    for f in iter_files(paths, recursive):
        if f == "-":
            text = stdin_text if stdin_text is not None else sys.stdin.read()
            source = STDIN
        else:
            try:
                with open(f, encoding="utf-8-sig") as fh:
                    text = fh.read()
            except UnicodeDecodeError:
                errors.append(ManifestError(f"error parsing {f}: invalid UTF-8", f))
                continue
            except OSError as e:
                raise ManifestError(f'error reading "{f}": {e.strerror}') from None
            source = f
        try:
            out.extend(load_text(text, source))
        except ManifestErrorList as e:
            errors.extend(e.errors)
        except ManifestError as e:
            errors.append(e)
    if errors:
        raise errors[0] if len(errors) == 1 else ManifestErrorList(errors)
    return out


def load_text(text: str, source: str) -> list[Manifest]:
    """Decode one file's text (YAML stream or JSON objects) into Manifests."""
    stripped = text.lstrip()
    if stripped.startswith("{"):
        got = _load_json_stream(text, source)
        if got is not None:
            return got
    return _load_yaml(text, source)


# --------------------------------------------------------------------------- YAML


_PARSER_CLS = None
# filled on first use (ruamel is imported lazily): node classes and shared Tag objects.
# Handing the composer ready-made Tag objects matters: ruamel's Node() builds a Tag per node
# from a string otherwise, which costs 7x the parse itself (measured, bench_manifests.py).
_ScalarNode = _MappingNode = _SequenceNode = None
_PLAIN_T = _STR_T = _MAP_T = _SEQ_T = None
_YAMLError: Any = Exception


def _parser_cls():
    """A libyaml composer whose resolver marks untagged plain scalars (resolved by us)."""
    global _PARSER_CLS, _YAMLError, _ScalarNode, _MappingNode, _SequenceNode, _PLAIN_T, _STR_T, _MAP_T, _SEQ_T
    if _PARSER_CLS is None:
        from _ruamel_yaml import CParser  # ruamel.yaml.clib; lazy: start-up time matters
        from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
        from ruamel.yaml.error import YAMLError
        from ruamel.yaml.tag import Tag

        _YAMLError = YAMLError

        _ScalarNode, _MappingNode, _SequenceNode = ScalarNode, MappingNode, SequenceNode
        plain, string, mapping, seq = (Tag(suffix=t) for t in (_PLAIN, _STR, _MAP, _SEQ))
        _PLAIN_T, _STR_T, _MAP_T, _SEQ_T = plain, string, mapping, seq

        class _Composer(CParser):
            def resolve(self, kind, value, implicit):
                if kind is ScalarNode:
                    return plain if implicit[0] else string
                return mapping if kind is MappingNode else seq

            def descend_resolver(self, *_):
                pass

            def ascend_resolver(self, *_):
                pass

        _PARSER_CLS = _Composer
    return _PARSER_CLS


def _compose_all(text: str) -> list:
    """Every document's root node (None for an empty document). Raises ruamel's MarkedYAMLError."""
    p = _parser_cls()(text)
    docs = []
    while p.check_node():
        docs.append(p.get_node())
    return docs


_SEP = re.compile(r"^---(.*)$", re.M)


def _separator_lines(text: str, source: str) -> list[int]:
    """1-based lines of kubectl's document separators (YAMLReader: `---` + spaces/comment)."""
    seps = []
    line, at = 1, 0
    for m in _SEP.finditer(text):
        rest = m.group(1).strip()
        line += text.count("\n", at, m.start())  # incremental: O(n) for the whole file
        at = m.start()
        if rest and not rest.startswith("#"):
            # kubectl's YAMLReader refuses content after the separator (e.g. `--- {a: 1}`)
            raise ManifestError(
                f"error parsing {source}: invalid Yaml document separator: {rest}", f"{source}:{line}"
            )
        seps.append(line)
    return seps


def _doc_relative(line: int, seps: list[int]) -> int:
    # kubectl converts each document on its own, so go-yaml's "line N" counts from the line
    # after the `---` that opened the document (a leading `---` stays in the first document).
    base = 0
    for s in seps:
        if s < line and s != 1:
            base = s
        elif s >= line:
            break
    return line - base


def _load_yaml(text: str, source: str) -> list[Manifest]:
    seps = _separator_lines(text, source) if "---" in text else []
    parser = _parser_cls()(text)
    out: list[Manifest] = []
    errors: list[ManifestError] = []
    state = _FileState(text, source)
    doc_index = 0
    # The cyclic GC would otherwise walk every live node and dict again and again while a big
    # file loads (measured: 5x slower on 2,000 documents); nothing here makes cycles.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        while True:
            try:
                if not parser.check_node():
                    break
                node = parser.get_node()
            except _YAMLError as e:
                errors.append(_syntax_error(e, source, seps, text))
                break  # kubectl stops reading a file at its first syntax error
            if node is not None:
                state.spans[doc_index] = (node.start_mark.line, node.end_mark.line)
                _decode_doc(node, source, doc_index, seps, state, out, errors)
            doc_index += 1
    finally:
        if gc_was_enabled:
            gc.enable()
    if errors:
        raise errors[0] if len(errors) == 1 else ManifestErrorList(errors)
    return out


def _decode_doc(node, source, doc_index, seps, state, out, errors) -> None:
    dups: list[tuple[int, str]] = []
    try:
        obj = _build(node, dups)
    except _ConvertError as e:
        errors.append(ManifestError(f"error parsing {source}: error converting YAML to JSON: {e}",
                                    f"{source}:{node.start_mark.line + 1}"))
        return
    if dups:
        lines = "".join(f"\n  line {_doc_relative(ln, seps)}: key {k} already set in map" for ln, k in dups)
        errors.append(ManifestError(
            f"error parsing {source}: error converting YAML to JSON: yaml: unmarshal errors:{lines}",
            f"{source}:{dups[0][0]}"))
        return
    if obj is None:
        return  # `null` / only comments: kubectl skips empty documents
    _emit(obj, source, node.start_mark.line + 1, doc_index, state, (doc_index,), out, errors)


def _syntax_error(e: Exception, source: str, seps: list[int], text: str) -> ManifestError:
    if type(e).__name__ == "ReaderError":  # e.g. a control character; go-yaml names no line
        pos = getattr(e, "position", 0) or 0
        line = text.count("\n", 0, pos) + 1
        col = pos - (text.rfind("\n", 0, pos) + 1) + 1
        reason = getattr(e, "reason", "") or "unknown problem parsing YAML content"
        return ManifestError(f"error parsing {source}: error converting YAML to JSON: yaml: {reason}",
                             f"{source}:{line}:{col}")
    problem = getattr(e, "problem", None) or "unknown problem parsing YAML content"
    mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
    line = mark.line + 1 if mark else 1
    col = mark.column + 1 if mark else 1
    where = f"{source}:{line}:{col}"
    if problem.startswith("found undefined alias"):
        name = _alias_name(text, mark)
        return ManifestError(
            f"error parsing {source}: error converting YAML to JSON: yaml: unknown anchor '{name}' referenced",
            where)
    # go-yaml v2 quirk: scanner errors report the 1-based line, parser errors the 0-based one
    kind = type(e).__name__
    go_line = _doc_relative(line, seps)
    if kind != "ScannerError":
        go_line -= 1
    at = f"line {go_line}: " if go_line > 0 else ""
    return ManifestError(f"error parsing {source}: error converting YAML to JSON: yaml: {at}{problem}", where)


def _alias_name(text: str, mark) -> str:
    lines = text.split("\n")
    row = lines[mark.line] if mark and mark.line < len(lines) else ""
    m = re.match(r"\*([^\s,\[\]{}]+)", row[mark.column:] if mark else "")
    return m.group(1) if m else ""


class _FileState:
    """Per-file memo for lazy positions: a document is re-composed only when asked for."""

    __slots__ = ("text", "source", "spans", "lines", "docs")

    def __init__(self, text: str, source: str):
        self.text = text
        self.source = source
        self.spans: dict[int, tuple[int, int]] = {}  # doc index → 0-based first/last line
        self.lines: list[str] | None = None
        self.docs: dict[int, tuple[Any, int]] = {}  # doc index → (root node, line offset)

    def _doc(self, doc_index: int):
        got = self.docs.get(doc_index)
        if got is None:
            if self.lines is None:
                self.lines = self.text.split("\n")
            first, last = self.spans[doc_index]
            nodes = _compose_all("\n".join(self.lines[first:last + 1]))
            got = self.docs[doc_index] = (nodes[0], first)
        return got

    def _node(self, address: tuple):
        node, offset = self._doc(address[0])
        for i in address[1:]:  # descend into `items[i]` of (nested) lists
            node = _map_get(node, "items").value[i]
        return node, offset

    def positions(self, address: tuple) -> dict[str, tuple[int, int]]:
        gc_was_enabled = gc.isenabled()
        gc.disable()  # as in _load_yaml: no cycles made here, and the GC passes cost most
        try:
            node, offset = self._node(address)
            pos: dict[str, tuple[int, int]] = {}
            _positions(node, "", pos, offset)
            if len(address) == 1:
                # the Manifest caches its positions; List items may still need the nodes
                self.docs.pop(address[0], None)
            return pos
        finally:
            if gc_was_enabled:
                gc.enable()

    def item_lines(self, address: tuple) -> list[int]:
        node, offset = self._node(address)
        return [n.start_mark.line + 1 + offset for n in _map_get(node, "items").value]


def _emit(obj, source, line, doc_index, state, address, out, errors, list_obj=None):
    """Validate the document like kubectl's client side, flatten `*List` kinds, append Manifests."""
    if not isinstance(obj, dict):
        errors.append(ManifestError(
            f'error validating "{source}": error validating data: invalid object to validate; {_STOP_VALIDATE}',
            f"{source}:{line}"))
        return
    if list_obj is not None and "kind" not in obj and "apiVersion" not in obj:
        # unstructured list decoding fills in what the API server leaves out of typed lists
        item_kind = str(list_obj.get("kind", ""))[: -len("List")]
        if item_kind:
            obj["kind"] = item_kind
            obj["apiVersion"] = list_obj.get("apiVersion")
    problems = []
    if obj.get("apiVersion") is None:
        problems.append("apiVersion not set")
    elif not isinstance(obj["apiVersion"], str):
        problems.append("apiVersion isn't string type")
    if obj.get("kind") is None:
        problems.append("kind not set")
    elif not isinstance(obj["kind"], str):
        problems.append("kind isn't string type")
    if problems:
        text = problems[0] if len(problems) == 1 else "[" + ", ".join(problems) + "]"
        errors.append(ManifestError(
            f'error validating "{source}": error validating data: {text}; {_STOP_VALIDATE}',
            f"{source}:{line}"))
        return
    items = obj.get("items", ())
    if obj["kind"].endswith("List") and (items is None or isinstance(items, list)):
        node_lines = state.item_lines(address) if items else []
        for i, item in enumerate(items or ()):
            item_line = node_lines[i] if i < len(node_lines) else line
            _emit(item, source, item_line, doc_index, state, address + (i,), out, errors, obj)
        return
    out.append(Manifest(obj, source, line, None, doc_index, lambda: state.positions(address)))


def _map_get(node, key: str):
    for k, v in node.value:
        if k.value == key:
            return v
    raise KeyError(key)


def _positions(node, path: str, pos: dict, offset: int) -> None:
    """Record 1-based (line, column) of every key (for its value's path) and list item."""
    cls = type(node)
    if cls is _MappingNode:
        for k, v in node.value:
            kv = k.value if type(k) is _ScalarNode else ""
            if kv == "<<" and k.ctag is _PLAIN_T:
                continue
            if k.ctag is _PLAIN_T:
                kv = _key_string(_resolve_plain(kv), kv)
            p = _child(path, kv)
            pos[p] = (k.start_mark.line + 1 + offset, k.start_mark.column + 1)
            _positions(v, p, pos, offset)
    elif cls is _SequenceNode:
        for i, v in enumerate(node.value):
            p = f"{path}[{i}]"
            pos[p] = (v.start_mark.line + 1 + offset, v.start_mark.column + 1)
            _positions(v, p, pos, offset)


# --------------------------------------------------------------------------- nodes → values


class _ConvertError(Exception):
    pass


_MERGE = object()
_RESOLVE_MAP: dict[str, Any] = {}
for _words, _val in (
    ("y Y yes Yes YES true True TRUE on On ON", True),
    ("n N no No NO false False FALSE off Off OFF", False),
    ("~ null Null NULL", None),
    (".nan .NaN .NAN", math.nan),
    (".inf .Inf .INF +.inf +.Inf +.INF", math.inf),
    ("-.inf -.Inf -.INF", -math.inf),
):
    for _w in _words.split():
        _RESOLVE_MAP[_w] = _val
_RESOLVE_MAP[""] = None
_RESOLVE_MAP["<<"] = _MERGE

_INT_RE = re.compile(
    r"^([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[bB]([01]+)|0[oO]([0-7]+)|0([0-7]+)|([0-9]+))$"
)
_FLOAT_RE = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_DOT_FLOAT_RE = re.compile(r"^\.[0-9]+([eE][-+]?[0-9]+)?$")
_NUM_START = frozenset("+-0123456789.")


def _resolve_plain(s: str) -> Any:
    """An untagged plain scalar as go-yaml v2 resolves it into interface{} (YAML 1.1-ish)."""
    if s in _RESOLVE_MAP:
        return _RESOLVE_MAP[s]
    if not s or s[0] not in _NUM_START:
        return s
    if s[0] == ".":
        return _num(float(s)) if _DOT_FLOAT_RE.match(s) else s
    # timestamps (2020-01-01...) never parse as numbers and stay strings, as go-yaml v2 keeps
    # them for interface{} targets
    plain = s.replace("_", "")
    m = _INT_RE.match(plain)
    if m:
        sign, hx, bn, oc, oc0, dec = m.groups()
        if hx:
            v = int(hx, 16)
        elif bn:
            v = int(bn, 2)
        elif oc or oc0:
            v = int(oc or oc0, 8)
        else:
            v = int(dec, 10)
        if sign == "-":
            v = -v
        if -(1 << 63) <= v < (1 << 64) and not (v >= (1 << 63) and sign):
            return v
    if _FLOAT_RE.match(plain):
        f = float(plain)
        # Go's ParseFloat fails on overflow (1e400), and go-yaml then keeps the string
        return s if f in (math.inf, -math.inf) else _num(f)
    return s


def _num(f: float) -> Any:
    # YAML → JSON → unstructured: an integral float prints without a fraction in JSON and
    # decodes as int64 (so `replicas: 3.0` is 3); 1e21 and up print in exponent form.
    if f.is_integer() and abs(f) < 1e21:
        return int(f)
    return f


def _resolve_tagged(node) -> Any:
    tag = str(node.ctag)
    v = node.value
    if tag == _STR or not tag.startswith(_TAG):
        return v
    short = tag[len(_TAG):]
    r = _resolve_plain(v)
    if short == "int" and isinstance(r, int) and not isinstance(r, bool):
        return r
    if short == "float" and isinstance(r, (int, float)) and not isinstance(r, bool):
        return r
    if short == "bool" and isinstance(r, bool):
        return r
    if short == "null" and r is None:
        return None
    if short in ("binary", "timestamp"):
        return v
    if short in ("int", "float", "bool", "null"):
        raise _ConvertError(f"yaml: cannot decode !!{_short_of(r)} `{v}` as a !!{short}")
    return v


def _short_of(v) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "float"
    return "str"


def _key_string(k: Any, raw: str) -> str:
    # sigs.k8s.io/yaml turns non-string keys into strings (`80: x` → "80", `on:` → "true")
    if isinstance(k, str):
        return k
    if isinstance(k, bool):
        return "true" if k else "false"
    if isinstance(k, int):
        return str(k)
    if isinstance(k, float):
        if math.isnan(k):
            return ".nan"
        if math.isinf(k):
            return ".inf" if k > 0 else "-.inf"
        return repr(k)
    if k is None:
        return "null"
    return raw


def _go_key(k: Any) -> str:
    """go's %#v of a decoded key, as go-yaml's duplicate-key error prints it."""
    if isinstance(k, str):
        from kctl.api.field import go_quote

        return go_quote(k)
    if isinstance(k, bool):
        return "true" if k else "false"
    if k is None:
        return "interface {}(nil)"
    return str(k)


def _build(node, dups: list) -> Any:
    """Node tree → plain JSON-like values; duplicate keys collected as (line, %#v key)."""
    t = type(node)
    if t is _ScalarNode:
        if node.ctag is _PLAIN_T:
            v = _resolve_plain(node.value)
            if v is _MERGE:
                return "<<"
        elif node.ctag is _STR_T:
            return node.value
        else:
            v = _resolve_tagged(node)
        if v.__class__ is float and (v != v or v in (math.inf, -math.inf)):
            raise _ConvertError("json: unsupported value: " + ("NaN" if v != v else ("+Inf" if v > 0 else "-Inf")))
        return v
    if t is _SequenceNode:
        return [_build(v, dups) for v in node.value]
    out: dict[str, Any] = {}
    merges = None
    for k, v in node.value:
        if type(k) is not _ScalarNode:
            raise _ConvertError(f"yaml: line {k.start_mark.line + 1}: invalid map key: complex key")
        ctag = k.ctag
        if ctag is _PLAIN_T:
            kr = _resolve_plain(k.value)
            if kr is _MERGE:
                merges = (merges or []) + [v]
                continue
            ks = kr if kr.__class__ is str else _key_string(kr, k.value)
        elif ctag is _STR_T:
            kr = ks = k.value
        else:
            kr = _resolve_tagged(k)
            ks = _key_string(kr, k.value)
        if ks in out:
            dups.append((k.start_mark.line + 1, _go_key(kr)))
        out[ks] = _build(v, dups)
    if merges:  # `<<: *base` / `<<: [*a, *b]`: explicit keys win, earlier merges win
        for m in merges:
            srcs = m.value if type(m) is _SequenceNode else [m]
            for src in srcs:
                val = _build(src, [])
                if not isinstance(val, dict):
                    raise _ConvertError("yaml: map merge requires map or sequence of maps as the value")
                for mk, mv in val.items():
                    out.setdefault(mk, mv)
    return out


# --------------------------------------------------------------------------- JSON


def _load_json_stream(text: str, source: str) -> list[Manifest] | None:
    """Concatenated JSON objects (kubectl's JSON decoder); None → fall back to YAML."""
    dec = json.JSONDecoder()
    idx = 0
    n = len(text)
    objs = []
    while True:
        while idx < n and text[idx] in " \t\r\n":
            idx += 1
        if idx >= n:
            break
        try:
            obj, end = dec.raw_decode(text, idx)
        except json.JSONDecodeError:
            if not objs:
                return None  # apimachinery's YAMLOrJSONDecoder retries as YAML
            line = text.count("\n", 0, idx) + 1
            raise ManifestError(f"error parsing {source}: invalid JSON at line {line}", f"{source}:{line}") from None
        objs.append((obj, idx, end))
        idx = end
    out: list[Manifest] = []
    errors: list[ManifestError] = []
    for doc_index, (obj, start, end) in enumerate(objs):
        if obj is None:
            continue
        line = text.count("\n", 0, start) + 1
        state = _JsonState(text, start, end, line, source)
        _emit(obj, source, line, doc_index, state, (0,), out, errors)
    if errors:
        raise errors[0] if len(errors) == 1 else ManifestErrorList(errors)
    return out


class _JsonState(_FileState):
    """One JSON object: its text is YAML flow, composed (lazily) with padding so that lines
    and columns match the file."""

    __slots__ = ("start", "end", "line")

    def __init__(self, text, start, end, line, source):
        super().__init__(text, source)
        self.start, self.end, self.line = start, end, line

    def _doc(self, doc_index):
        if 0 not in self.docs:
            col = self.start - (self.text.rfind("\n", 0, self.start) + 1)
            padded = "\n" * (self.line - 1) + " " * col + self.text[self.start:self.end]
            self.docs[0] = (_compose_all(padded)[0], 0)
        return self.docs[0]

    def positions(self, address):
        try:
            return super().positions(address)
        except Exception:  # not valid YAML flow (odd escapes): no positions; where() falls back
            return {}

    def item_lines(self, address):
        try:
            return super().item_lines(address)
        except Exception:
            return []
