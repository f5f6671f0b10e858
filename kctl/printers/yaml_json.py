"""kubectl's -o yaml and -o json, for plain dict objects.

kubectl prints unstructured objects (maps), so:
- JSON is Go's json.MarshalIndent(obj, "", "    ") plus "\\n": keys sorted, non-ASCII kept,
  and `<`, `>`, `&`, U+2028, U+2029 escaped as \\u003c ... as Go's encoder does.
- YAML is sigs.k8s.io/yaml, i.e. go-yaml v2 marshalling a map: keys in go-yaml's key order
  (see `_yaml_key_less`), 2-space indent, sequences in a mapping not indented ("- " under the
  key), strings plain when go-yaml allows it, double-quoted when they would read back as
  another type ("80", "true", "2026-11-25T16:00:00Z", ""), single-quoted when plain is not
  allowed by the emitter (leading "*", ": " inside ...), literal `|`/`|-` blocks for
  multi-line strings, long plain and quoted scalars folded past column 80; no "---".

The emitter is hand-written (no ruamel import): it is only a few hundred lines and keeps
`kctl get -o yaml` free of a 30 ms import.
"""

from __future__ import annotations

import functools
import json
import re

# ---------------------------------------------------------------- JSON
_GO_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_GO_JSON_RE = re.compile("[<>&\u2028\u2029]")


def go_json_float(f: float) -> str:
    """encoding/json's float64 text: "100" not "100.0", exponent only below 1e-6 or from 1e21."""
    if f != f or f in (float("inf"), float("-inf")):
        raise ValueError(f"json: unsupported value: {f}")
    a = abs(f)
    if a != 0 and (a < 1e-6 or a >= 1e21):
        mant, _, exp = repr(f).partition("e")
        if not exp:  # repr chose fixed notation; force exponent form
            mant, _, exp = f"{f:e}".partition("e")
            mant = repr(float(mant))
        if mant.endswith(".0"):
            mant = mant[:-2]
        e = int(exp)
        return f"{mant}e{'-' if e < 0 else '+'}{abs(e)}"
    if f == int(f):
        return str(int(f))
    r = repr(f)
    if "e" in r:  # Python uses exponents from 1e16 / below 1e-4; Go does not here
        r = format(f, ".17f").rstrip("0").rstrip(".")
        # keep the shortest round-tripping digits
        for nd in range(1, 18):
            cand = format(f, f".{nd}f")
            if float(cand) == f:
                r = cand.rstrip("0").rstrip(".")
                break
    return r


_FLOAT_MARK = "\ue000kctl-float-"


def _mark_floats(obj, floats: list):
    # json.dumps formats floats its own way; swap them for markers and put Go's text back.
    if isinstance(obj, float):
        floats.append(go_json_float(obj))
        return f"{_FLOAT_MARK}{len(floats) - 1}\ue000"
    if isinstance(obj, dict):
        return {k: _mark_floats(v, floats) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_mark_floats(v, floats) for v in obj]
    return obj


_FLOAT_RE = re.compile('"\ue000kctl-float-([0-9]+)\ue000"')


def _go_json(obj, **kw) -> str:
    floats: list[str] = []
    text = json.dumps(_mark_floats(obj, floats), sort_keys=True, ensure_ascii=False, **kw)
    if floats:
        text = _FLOAT_RE.sub(lambda m: floats[int(m.group(1))], text)
    # These characters can only occur inside JSON strings, so replacing them everywhere is safe.
    return _GO_JSON_RE.sub(lambda m: _GO_JSON_ESCAPES[m.group(0)], text)


def omit_managed_fields(obj):
    """`obj` without metadata.managedFields (for a List, its items'): what kubectl's
    OmitManagedFieldsPrinter prints for -o json/yaml/kyaml unless --show-managed-fields.
    Only copies what it changes."""
    if not isinstance(obj, dict):
        return obj
    meta = obj.get("metadata")
    if isinstance(meta, dict) and "managedFields" in meta:
        obj = dict(obj)
        obj["metadata"] = {k: v for k, v in meta.items() if k != "managedFields"}
    items = obj.get("items")
    if isinstance(items, list) and any(isinstance(i, dict) and "managedFields" in (i.get("metadata") or {})
                                       for i in items):
        obj = dict(obj)
        obj["items"] = [omit_managed_fields(i) for i in items]
    return obj


def to_json(obj, *, show_managed_fields: bool = False) -> str:
    """kubectl -o json text of `obj` (ends with a newline); managedFields omitted unless asked."""
    if not show_managed_fields:
        obj = omit_managed_fields(obj)
    return _go_json(obj, indent=4) + "\n"


def to_compact_json(obj) -> str:
    """Go's json.Marshal of `obj` (jsonpath prints maps and lists this way)."""
    return _go_json(obj, separators=(",", ":"))


# ---------------------------------------------------------------- YAML: scalar analysis
BEST_WIDTH = 80

_BOOL_NULL = {
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false", "False",
    "FALSE", "on", "On", "ON", "off", "Off", "OFF", "~", "null", "Null", "NULL", "",
    ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN",
}
_YAML_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_BASE60 = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
_GO_INT = re.compile(r"^[-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9][0-9]*|0)$")
_TIMESTAMP = re.compile(
    r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    r"(([Tt]| )[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]+)?(Z|[-+][0-9]{2}:[0-9]{2})?)?$"
)


def _go_base0(body: str) -> int:
    """The magnitude strconv.ParseInt(s, 0, 64) reads from unsigned digits: 0x, 0b, 0o or a
    leading 0 (octal) prefix, else decimal."""
    low = body.lower()
    if low.startswith("0x"):
        return int(body[2:], 16)
    if low.startswith("0b"):
        return int(body[2:], 2)
    if low.startswith("0o"):
        return int(body[2:], 8)
    if len(body) > 1 and body.startswith("0"):
        return int(body[1:], 8)
    return int(body)


def _fits_go_int(plain: str) -> bool:
    """strconv.ParseInt or ParseUint (base 0, 64 bits) would accept this digit string."""
    neg = plain.startswith("-")
    v = _go_base0(plain.lstrip("+-"))
    if neg:
        return v <= 2**63
    return v < 2**64 and not plain.startswith("+") or v < 2**63


def _resolves_to_non_string(s: str) -> bool:
    """Would go-yaml v2 read this plain scalar back as something other than a string?"""
    if s in _BOOL_NULL:
        return True
    c = s[0]
    if c in "-+.0123456789":
        plain = s.replace("_", "")
        if _GO_INT.match(plain) and _fits_go_int(plain):
            return True
        if _YAML_FLOAT.match(plain):
            return True
        if plain.startswith("-0b") and re.fullmatch(r"-0b[01]+", plain):
            return True
        if _TIMESTAMP.match(s):
            # go-yaml's timestamp formats: the string must also start with a 4-digit year.
            tm = s[10:]
            if tm == "" or tm[0] in "Tt ":
                return True
    return False


def _is_printable(ch: str) -> bool:
    o = ord(ch)
    return (
        o == 0x0A
        or 0x20 <= o <= 0x7E
        or o == 0x85
        or (0xA0 <= o <= 0xD7FF)
        or (0xE000 <= o <= 0xFFFD and o != 0xFEFF)
        or (0x10000 <= o <= 0x10FFFF)
    )


_BREAKS = "\r\n\x85\u2028\u2029"


class _Analysis:
    __slots__ = ("multiline", "flow_plain", "block_plain", "single_quoted", "block")


def _analyze(value: str) -> _Analysis:
    """go-yaml's yaml_emitter_analyze_scalar."""
    a = _Analysis()
    if not value:
        a.multiline, a.flow_plain, a.block_plain, a.single_quoted, a.block = False, False, True, True, False
        return a
    block_ind = flow_ind = line_breaks = special = False
    leading_space = leading_break = trailing_space = trailing_break = False
    break_space = space_break = previous_space = previous_break = False
    if value.startswith("---") or value.startswith("..."):
        block_ind = flow_ind = True
    preceded_by_ws = True
    n = len(value)
    for i, ch in enumerate(value):
        followed_by_ws = i + 1 >= n or value[i + 1] in " \t" + _BREAKS
        if i == 0:
            if ch in "#,[]{}&*!|>'\"%@`":
                flow_ind = block_ind = True
            elif ch in "?:":
                flow_ind = True
                if followed_by_ws:
                    block_ind = True
            elif ch == "-" and followed_by_ws:
                flow_ind = block_ind = True
        else:
            if ch in ",?[]{}":
                flow_ind = True
            elif ch == ":":
                flow_ind = True
                if followed_by_ws:
                    block_ind = True
            elif ch == "#" and preceded_by_ws:
                flow_ind = block_ind = True
        if not _is_printable(ch):
            special = True
        if ch == " ":
            if i == 0:
                leading_space = True
            if i == n - 1:
                trailing_space = True
            if previous_break:
                break_space = True
            previous_space, previous_break = True, False
        elif ch in _BREAKS:
            line_breaks = True
            if i == 0:
                leading_break = True
            if i == n - 1:
                trailing_break = True
            if previous_space:
                space_break = True
            previous_space, previous_break = False, True
        else:
            previous_space = previous_break = False
        preceded_by_ws = ch in " \t\0" + _BREAKS
    a.multiline = line_breaks
    a.flow_plain = a.block_plain = a.single_quoted = a.block = True
    if leading_space or leading_break or trailing_space or trailing_break:
        a.flow_plain = a.block_plain = False
    if trailing_space:
        a.block = False
    if break_space:
        a.flow_plain = a.block_plain = a.single_quoted = False
    if space_break or special:
        a.flow_plain = a.block_plain = a.single_quoted = a.block = False
    if line_breaks:
        a.flow_plain = a.block_plain = False
    if flow_ind:
        a.flow_plain = False
    if block_ind:
        a.block_plain = False
    return a


def _string_style(s: str, simple_key: bool) -> str:
    """"plain", "single", "double" or "literal", as go-yaml v2 chooses for a string."""
    if "\n" in s:
        style = "literal"
    elif not _resolves_to_non_string(s) and not _BASE60.match(s):
        style = "plain"
    else:
        style = "double"
    a = _analyze(s)
    if style == "plain":
        if not a.block_plain or (not s and simple_key):
            style = "single"
    if style == "single" and not a.single_quoted:
        style = "double"
    if style == "literal" and (not a.block or simple_key):
        style = "double"
    return style


# ---------------------------------------------------------------- YAML: writer
class _Writer:
    """Tracks the column like go-yaml's emitter, for folding at BEST_WIDTH."""

    def __init__(self):
        self.parts: list[str] = []
        self.column = 0

    def write(self, s: str):
        self.parts.append(s)
        i = s.rfind("\n")
        self.column = len(s) - i - 1 if i >= 0 else self.column + len(s)

    def newline_indent(self, indent: int):
        """go-yaml's write_indent: break the line unless already at its start, then pad."""
        if self.column > 0 or not self.parts:
            pre = "\n" if self.parts else ""
        else:
            pre = ""
        self.parts.append(pre + " " * indent)
        self.column = indent

    def text(self) -> str:
        return "".join(self.parts)


def _write_plain(w: _Writer, s: str, indent: int, allow_breaks: bool):
    spaces = False
    n = len(s)
    for i, ch in enumerate(s):
        if ch == " ":
            if allow_breaks and not spaces and w.column > BEST_WIDTH and not (i + 1 < n and s[i + 1] == " "):
                w.newline_indent(indent)
            else:
                w.write(ch)
            spaces = True
        else:
            w.write(ch)
            spaces = False


def _write_single(w: _Writer, s: str, indent: int, allow_breaks: bool):
    w.write("'")
    spaces = False
    n = len(s)
    for i, ch in enumerate(s):
        if ch == " ":
            if (allow_breaks and not spaces and w.column > BEST_WIDTH and i != 0 and i != n - 1
                    and not (i + 1 < n and s[i + 1] == " ")):
                w.newline_indent(indent)
            else:
                w.write(ch)
            spaces = True
        else:
            w.write("''" if ch == "'" else ch)
            spaces = False
    w.write("'")


_DQ_ESCAPES = {
    "\0": "0", "\x07": "a", "\b": "b", "\t": "t", "\n": "n", "\x0b": "v", "\f": "f", "\r": "r", "\x1b": "e",
    '"': '"', "\\": "\\", "\x85": "N", "\xa0": "_", "\u2028": "L", "\u2029": "P",
}


def _write_double(w: _Writer, s: str, indent: int, allow_breaks: bool):
    w.write('"')
    spaces = False
    n = len(s)
    for i, ch in enumerate(s):
        o = ord(ch)
        if not _is_printable(ch) or o == 0xFEFF or ch in _BREAKS or ch in '"\\':
            esc = _DQ_ESCAPES.get(ch)
            if esc is not None:
                w.write("\\" + esc)
            elif o <= 0xFF:
                w.write(f"\\x{o:02X}")
            elif o <= 0xFFFF:
                w.write(f"\\u{o:04X}")
            else:
                w.write(f"\\U{o:08X}")
            spaces = False
        elif ch == " ":
            if allow_breaks and not spaces and w.column > BEST_WIDTH and i != 0 and i != n - 1:
                w.newline_indent(indent)
                if i + 1 < n and s[i + 1] == " ":
                    w.write("\\")
            else:
                w.write(ch)
            spaces = True
        else:
            w.write(ch)
            spaces = False
    w.write('"')


def _write_literal(w: _Writer, s: str, indent: int):
    hints = ""
    if s[0] in " " + _BREAKS:
        hints += "2"
    if s[-1] not in _BREAKS:
        hints += "-"
    elif len(s) == 1 or s[-2] in _BREAKS:
        hints += "+"
    w.write("|" + hints + "\n")
    breaks = True
    for ch in s:
        if ch in _BREAKS:
            w.write("\n")
            breaks = True
        else:
            if breaks:
                w.newline_indent(indent)
            w.write(ch)
            breaks = False


def _format_float(f: float) -> str:
    """sigs.k8s.io/yaml goes through JSON: Go's JSON text of the float is read back by go-yaml
    (an integer if it looks like one: 100.0 -> 100, 1e6 -> 1000000) and written with
    strconv.FormatFloat(f, 'g', -1, 64) otherwise (1e-7 -> 1e-07)."""
    if f != f:
        return ".nan"
    if f in (float("inf"), float("-inf")):
        return ".inf" if f > 0 else "-.inf"
    from kctl.printers.jsonpath import go_float

    text = go_json_float(f)
    if "." not in text and "e" not in text:
        return text
    return go_float(float(text))


def _write_scalar(w: _Writer, value, indent: int, simple_key: bool = False):
    """Write a non-collection value; `indent` is where folded/literal lines start."""
    if value is None:
        w.write("null")
    elif value is True:
        w.write("true")
    elif value is False:
        w.write("false")
    elif isinstance(value, int):
        w.write(str(value))
    elif isinstance(value, float):
        w.write(_format_float(value))
    else:
        s = str(value)
        style = _string_style(s, simple_key)
        allow = not simple_key
        if style == "plain":
            _write_plain(w, s, indent, allow)
        elif style == "single":
            _write_single(w, s, indent, allow)
        elif style == "double":
            _write_double(w, s, indent, allow)
        else:
            _write_literal(w, s, indent)


def _wrap64(v: int) -> int:
    return ((v + 2**63) % 2**64) - 2**63


def _yaml_key_less(a: str, b: str) -> bool:
    """go-yaml v2's map key order: letters after non-letters, digit runs compared as numbers."""
    ar, br = a, b
    for i in range(min(len(ar), len(br))):
        if ar[i] == br[i]:
            continue
        al, bl = ar[i].isalpha(), br[i].isalpha()
        if al and bl:
            return ar[i] < br[i]
        if al or bl:
            return bl
        an = bn = 0
        if ar[i] == "0" or br[i] == "0":
            j = i - 1
            while j >= 0 and ar[j].isdigit():
                if ar[j] != "0":
                    an = bn = 1
                    break
                j -= 1
        # digit runs accumulate in Go int64 arithmetic, overflow wrapping included
        ai = i
        while ai < len(ar) and ar[ai].isdigit():
            an = _wrap64(an * 10 + int(ar[ai]))
            ai += 1
        bi = i
        while bi < len(br) and br[bi].isdigit():
            bn = _wrap64(bn * 10 + int(br[bi]))
            bi += 1
        if an != bn:
            return an < bn
        if ai != bi:
            return ai < bi
        return ar[i] < br[i]
    return len(ar) < len(br)


def _key_cmp(a, b) -> int:
    a, b = str(a), str(b)
    if a == b:
        return 0
    return -1 if _yaml_key_less(a, b) else 1


_sort_keys = functools.partial(sorted, key=functools.cmp_to_key(_key_cmp))


def _emit_mapping(w: _Writer, d: dict, indent: int, inline_first: bool):
    first = True
    for k in _sort_keys(d.keys()):
        if not (first and inline_first):
            w.newline_indent(indent)
        first = False
        ks = str(k)
        if any(c in ks for c in _BREAKS) or len(ks.encode("utf-8")) > 128:
            # go-yaml cannot write this as a simple key: "? key" then ": value" on its own line
            w.write("? ")
            _write_scalar(w, ks, indent + 2)
            w.newline_indent(indent)
            w.write(":")
            v = d[k]
            # after a "? key", a nested block starts on the ":" line
            if isinstance(v, dict) and v:
                w.write(" ")
                _emit_mapping(w, v, indent + 2, inline_first=True)
                continue
            if isinstance(v, (list, tuple)) and v:
                w.write(" ")
                _emit_sequence(w, list(v), indent + 2, inline_first=True)
                continue
        else:
            _write_scalar(w, ks, indent + 2, simple_key=True)
            w.write(":")
        _emit_value(w, d[k], indent, in_mapping=True)


def _emit_sequence(w: _Writer, items: list, indent: int, inline_first: bool):
    for i, item in enumerate(items):
        if not (i == 0 and inline_first):
            w.newline_indent(indent)
        w.write("-")
        _emit_value(w, item, indent, in_mapping=False)


def _emit_value(w: _Writer, v, indent: int, in_mapping: bool):
    """Write what follows "key:" (in_mapping) or "-" (sequence item) at `indent`."""
    if isinstance(v, dict):
        if not v:
            w.write(" {}")
        elif in_mapping:
            _emit_mapping(w, v, indent + 2, inline_first=False)
        else:
            w.write(" ")
            _emit_mapping(w, v, indent + 2, inline_first=True)
    elif isinstance(v, (list, tuple)):
        if not v:
            w.write(" []")
        elif in_mapping:
            # go-yaml writes a sequence inside a mapping without extra indentation.
            _emit_sequence(w, list(v), indent, inline_first=False)
        else:
            w.write(" ")
            _emit_sequence(w, list(v), indent + 2, inline_first=True)
    else:
        w.write(" ")
        _write_scalar(w, v, indent + 2)


def to_yaml(obj, *, show_managed_fields: bool = False) -> str:
    """kubectl -o yaml text of `obj` (ends with a newline, no document marker); managedFields
    omitted unless asked."""
    if not show_managed_fields:
        obj = omit_managed_fields(obj)
    w = _Writer()
    if isinstance(obj, dict):
        if not obj:
            return "{}\n"
        _emit_mapping(w, obj, 0, inline_first=True)
    elif isinstance(obj, (list, tuple)):
        if not obj:
            return "[]\n"
        _emit_sequence(w, list(obj), 0, inline_first=True)
    else:
        _write_scalar(w, obj, 0)
    # A literal block that ends with a line break has already ended the last line.
    return w.text() if w.column == 0 and w.parts else w.text() + "\n"


# ---------------------------------------------------------------- KYAML (-o kyaml)
# sigs.k8s.io/yaml/kyaml: the object goes through Go's JSON (so map keys are in byte order and
# numbers keep Go's JSON spelling), then is rendered in flow style: "{"/"[" blocks with one
# entry per line and trailing commas, 2-space indents, string values always double-quoted,
# keys quoted only when ambiguous, multi-line strings folded with "\" line continuations,
# lists of only maps/lists "cuddled" ("[{" ... "}, {" ... "}]"), a "---" header line.

_KY_DEC_FLOAT = re.compile(r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$")
_KY_HEX_FLOAT = re.compile(r"^[+-]?0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][+-]?[0-9]+$")
_KY_INT = re.compile(r"^[+-]?(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO]?[0-7]+|[1-9][0-9]*|0)$")
_KY_SEXAGESIMAL = re.compile(r"^[+-]?[1-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$")
_KY_TIMESTAMP = re.compile(
    r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    r"([Tt][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]+)?(Z|[-+][0-9]{2}:[0-9]{2})"
    r"| [0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]+)?)?$"
)


def _ky_int_ok(s: str) -> bool:
    # strconv.ParseInt(s, 0, 64) succeeds: syntax and int64 range
    if not _KY_INT.match(s):
        return False
    neg = s.startswith("-")
    v = _go_base0(s.lstrip("+-"))
    return v <= 2**63 if neg else v < 2**63


def _ky_type_ambiguous(s: str) -> bool:
    low = s.lower()
    if low in ("null", "~", ""):
        return True
    if s in ("1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"):
        return True
    if low in ("true", "y", "yes", "on", "false", "n", "no", "off"):
        return True
    plain = s.replace("_", "")
    if _ky_int_ok(plain):
        return True
    if _KY_DEC_FLOAT.match(plain) or _KY_HEX_FLOAT.match(plain):
        return True
    if plain.lower().lstrip("+-") in ("inf", "infinity", "nan") and not (
            plain.lower().startswith(("+", "-")) and plain.lower().lstrip("+-") == "nan"):
        return True
    if _KY_SEXAGESIMAL.match(s):
        return True
    if low in (".inf", "-.inf", "+.inf", ".nan"):
        return True
    return bool(_KY_TIMESTAMP.match(s))


def _ky_needs_quotes(s: str) -> bool:
    if s == "" or _ky_type_ambiguous(s):
        return True
    last = len(s) - 1
    for i, ch in enumerate(s):
        if ch.isalpha() or ch.isnumeric() or ch == "_":
            continue
        if 0 < i < last and ch in "-./":
            continue
        return True
    return False


_KY_ESCAPES = {"\x07": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\x0b": "\\v",
               "\0": "\\0", "\x1b": "\\e", "\x85": "\\N", "\xa0": "\\_", "\u2028": "\\L", "\u2029": "\\P"}


def _ky_string(val: str, indent: int, *, key: bool) -> str:
    multi = "\n" in val
    if key and not multi and not _ky_needs_quotes(val):
        return val
    compact = key  # keys are always written in compact form
    buf = ['"']
    after_newline = False
    if multi and not compact:
        buf.append("\\\n")
        after_newline = True
    for ch in val:
        if after_newline:
            buf.append("  " * indent)
            buf.append("\\" if (ch.isspace() and ch != "\n") else " ")
        after_newline = False
        if ch == "\n":
            if compact:
                buf.append("\\n")
            else:
                buf.append("\\n\\\n")
                after_newline = True
            continue
        if ch == "\t":
            buf.append("\\t" if compact else "\t")
            continue
        if ch in '"\\':
            buf.append("\\" + ch)
            continue
        if ch.isprintable():
            buf.append(ch)
            continue
        esc = _KY_ESCAPES.get(ch)
        o = ord(ch)
        if esc:
            buf.append(esc)
        elif o < 0x20 or o == 0x7F:
            buf.append(f"\\x{o:02x}")
        elif o < 0x10000:
            buf.append(f"\\u{o:04x}")
        else:
            buf.append(f"\\U{o:08x}")
    if multi and not compact:
        if not after_newline:
            buf.append("\\\n")
        buf.append("  " * indent)
    buf.append('"')
    return "".join(buf)


def _ky_scalar(v) -> str | None:
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return go_json_float(v)
    return None


def _ky_node(v, indent: int, out: list):
    s = _ky_scalar(v)
    if s is not None:
        out.append(s)
    elif isinstance(v, str):
        out.append(_ky_string(v, indent + 1, key=False))
    elif isinstance(v, dict):
        if not v:
            out.append("{}")
            return
        out.append("{\n")
        for k in sorted(v, key=lambda x: str(x).encode("utf-8")):
            out.append("  " * (indent + 1))
            out.append(_ky_string(str(k), indent + 1, key=True))
            out.append(": ")
            _ky_node(v[k], indent + 1, out)
            out.append(",\n")
        out.append("  " * indent + "}")
    else:
        items = list(v)
        if not items:
            out.append("[]")
        elif all(isinstance(x, (dict, list, tuple)) for x in items):
            out.append("[")
            for i, x in enumerate(items):
                if i:
                    out.append(", ")
                _ky_node(x, indent, out)
            out.append("]")
        else:
            out.append("[\n" + "  " * indent)
            for x in items:
                out.append("  ")
                _ky_node(x, indent + 1, out)
                out.append(",\n" + "  " * indent)
            out.append("]")


def to_kyaml(obj, *, show_managed_fields: bool = False) -> str:
    """kubectl -o kyaml text of `obj`: a "---" line, the document, a newline."""
    if not show_managed_fields:
        obj = omit_managed_fields(obj)
    out: list[str] = ["---\n"]
    _ky_node(obj, 0, out)
    out.append("\n")
    return "".join(out)
