"""kubectl's JSONPath (k8s.io/client-go/util/jsonpath) over plain JSON-like data.

Supported: text outside `{}`; `{.a.b}`, `$`, `@`; `{.a\\.b}` escaped dots; `['key']`;
`[n]`, `[-1]`, `[a:b:c]`, `[*]`, `.*`; `..name` recursive descent; unions `[a,b]` and
`{.a,.b}`; filters `[?(@.x=="y")]` with == != < > <= >= and `[?(@.x)]`; quoted strings
`{"\\t"}`; `{range ...}...{end}`; bare words true/false and numbers in filters.

Printing follows PrintResults: the values of one `{}` are joined by single spaces, maps and
lists as compact JSON, strings raw, null as empty. kubectl's `-o jsonpath` allows missing
keys (prints nothing); index errors are errors.
"""

from __future__ import annotations

import json
import re


class JSONPathError(Exception):
    """A parse or execution error; str() is client-go's text."""


_MISSING = object()


# ---------------------------------------------------------------- nodes
# Plain classes, not dataclasses: creating 14 dataclasses costs ~7 ms at import.
class _Node:
    __slots__ = ()

    def __repr__(self):
        return f"{type(self).__name__}({', '.join(repr(getattr(self, a)) for a in self.__slots__)})"


class _Text(_Node):
    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text


class _Field(_Node):
    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name


class _Wildcard(_Node):
    __slots__ = ()


class _Recursive(_Node):
    __slots__ = ()


class _Identifier(_Node):
    __slots__ = ("name",)  # "@" or "$"

    def __init__(self, name: str):
        self.name = name


class _Array(_Node):
    __slots__ = ("params",)  # three [value, known, derived] lists: start, end, step

    def __init__(self, params: list):
        self.params = params


class _Filter(_Node):
    __slots__ = ("left", "op", "right")

    def __init__(self, left, op: str, right):
        self.left, self.op, self.right = left, op, right


class _Union(_Node):
    __slots__ = ("lists",)

    def __init__(self, lists: list):
        self.lists = lists


class _Literal(_Node):
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


class _BadIdentifier(_Node):
    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name


class _List(_Node):
    __slots__ = ("nodes",)

    def __init__(self, nodes: list | None = None):
        self.nodes = nodes if nodes is not None else []


class _Range(_Node):
    __slots__ = ()


class _End(_Node):
    __slots__ = ()


# ---------------------------------------------------------------- parser
_TERMINATORS = set(" .,[]$@{}\t\n\r") | {""}
_DICT_KEY = re.compile(r"^'([^']*)'$|^\"([^\"]*)\"$")
_SLICE = re.compile(r"^(-?\d*)(?::(-?\d*))?(?::(-?\d*))?$")


class _Parser:
    def __init__(self, name: str, text: str):
        self.name = name
        self.s = text
        self.pos = 0
        self.root: list = []  # list of _List / _Text / _Range / _End nodes

    def error(self, msg: str) -> JSONPathError:
        return JSONPathError(msg)

    def parse(self):
        s = self.s
        i = 0
        text = []
        n = len(s)
        while i < n:
            if s[i] == "{":
                if text:
                    self.root.append(_Text("".join(text)))
                    text = []
                j = self._action_end(i + 1)
                self._parse_action(s[i + 1:j])
                i = j + 1
            else:
                text.append(s[i])
                i += 1
        if text:
            self.root.append(_Text("".join(text)))
        return self.root

    def _action_end(self, i: int) -> int:
        s = self.s
        quote = None
        depth = 0
        while i < len(s):
            c = s[i]
            if quote:
                if c == "\\":
                    i += 2
                    continue
                if c == quote:
                    quote = None
            elif c in "\"'":
                quote = c
            elif c == "{":
                depth += 1
            elif c == "}":
                if depth == 0:
                    return i
                depth -= 1
            i += 1
        raise self.error("unclosed action")

    def _parse_action(self, body: str):
        b = body.strip()
        if b == "end":
            self.root.append(_End())
            return
        if b.startswith("range") and (len(b) == 5 or b[5] in " \t"):
            self.root.append(_Range())
            body = b[5:]
        lst = _List()
        self._parse_inside(body, lst)
        self.root.append(lst)

    def _parse_inside(self, s: str, cur: _List):
        i = 0
        n = len(s)
        while i < n:
            c = s[i]
            if c in " \t\r\n":
                i += 1
            elif c in "\"'":
                j, val = self._quoted(s, i)
                cur.nodes.append(_Text(val))
                i = j
            elif c == "$" or c == "@":
                cur.nodes.append(_Identifier(c))
                i += 1
            elif c == ".":
                if i + 1 < n and s[i + 1] == ".":
                    cur.nodes.append(_Recursive())
                    i += 2
                    # `..name` continues as a field without a dot
                    if i < n and s[i] not in _TERMINATORS:
                        i = self._field(s, i, cur)
                    continue
                i = self._field(s, i + 1, cur)
            elif c == "[":
                i = self._bracket(s, i, cur)
            elif c.isdigit() or (c == "-" and i + 1 < n and s[i + 1].isdigit()):
                m = re.match(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", s[i:])
                txt = m.group(0)
                cur.nodes.append(_Literal(float(txt) if ("." in txt or "e" in txt.lower()) else int(txt)))
                i += len(txt)
            elif c.isalpha() or c == "_":
                m = re.match(r"[A-Za-z0-9_]+", s[i:])
                word = m.group(0)
                if word in ("true", "false"):
                    cur.nodes.append(_Literal(word == "true"))
                else:
                    cur.nodes.append(_BadIdentifier(word))
                i += len(word)
            else:
                raise self.error(f"unrecognized character in action: U+{ord(c):04X} '{c}'")
        return cur

    def _quoted(self, s: str, i: int) -> tuple[int, str]:
        q = s[i]
        j = i + 1
        while j < len(s):
            if s[j] == "\\":
                j += 2
                continue
            if s[j] == q:
                break
            j += 1
        if j >= len(s):
            raise self.error("unterminated quoted string")
        raw = s[i:j + 1]
        try:
            if q == '"':
                val = json.loads(raw)
            else:
                # client-go's UnquoteExtend unescapes '...' exactly like "...": {'\n'} is a newline
                inner = raw[1:-1].replace("\\'", "'")
                inner = re.sub(r'(?<!\\)((?:\\\\)*)"', r'\1\\"', inner)
                val = json.loads('"' + inner + '"')
        except ValueError:
            raise self.error(f"invalid syntax {raw}")
        return j + 1, val

    def _field(self, s: str, i: int, cur: _List) -> int:
        j = i
        out = []
        while j < len(s):
            c = s[j]
            if c == "\\" and j + 1 < len(s):
                out.append(s[j + 1])
                j += 2
                continue
            if c in _TERMINATORS:
                break
            out.append(c)
            j += 1
        name = "".join(out)
        if name == "*":
            cur.nodes.append(_Wildcard())
        elif name:
            cur.nodes.append(_Field(name))
        return j

    def _bracket(self, s: str, i: int, cur: _List) -> int:
        # find the matching ']' (quotes and parentheses aware)
        j = i + 1
        depth = 0
        quote = None
        while j < len(s):
            c = s[j]
            if quote:
                if c == "\\":
                    j += 2
                    continue
                if c == quote:
                    quote = None
            elif c in "\"'":
                quote = c
            elif c in "([":
                depth += 1
            elif c in ")]":
                if depth == 0 and c == "]":
                    break
                depth -= 1
            j += 1
        if j >= len(s):
            raise self.error("unterminated array")
        inner = s[i + 1:j].strip()
        if inner.startswith("?(") and inner.endswith(")"):
            cur.nodes.append(self._filter(inner[2:-1]))
        elif "," in inner and not _DICT_KEY.match(inner):
            lists = []
            for part in inner.split(","):
                part = part.strip()
                sub = _List()
                self._bracket(f"[{part}]", 0, sub)
                lists.append(sub)
            cur.nodes.append(_Union(lists))
        else:
            m = _DICT_KEY.match(inner)
            if m:
                cur.nodes.append(_Field(m.group(1) if m.group(1) is not None else m.group(2)))
            elif inner == "*":
                cur.nodes.append(_Wildcard())
            else:
                m = _SLICE.match(inner)
                if not m or inner == "":
                    raise self.error(f"invalid array index {inner}")
                params = []
                for k, g in enumerate(m.groups()):
                    if g is None or g == "" or g == "-":
                        params.append([0, False, False])
                    else:
                        params.append([int(g), True, False])
                if m.group(2) is None:  # single index: [n] is [n:n+1]
                    params[1] = [params[0][0] + 1, True, True]
                cur.nodes.append(_Array(params))
        return j + 1

    def _filter(self, expr: str) -> _Filter:
        m = re.search(r"(==|!=|<=|>=|<|>)", self._mask_quotes(expr))
        if not m:
            left = _List()
            self._parse_inside(expr.strip(), left)
            return _Filter(left, "exists", None)
        op = m.group(1)
        ltxt, rtxt = expr[: m.start()].strip(), expr[m.end():].strip()
        left, right = _List(), _List()
        self._parse_inside(ltxt, left)
        self._parse_inside(rtxt, right)
        return _Filter(left, op, right)

    @staticmethod
    def _mask_quotes(s: str) -> str:
        out = []
        quote = None
        for c in s:
            if quote:
                out.append("_")
                if c == quote:
                    quote = None
            elif c in "\"'":
                quote = c
                out.append("_")
            else:
                out.append(c)
        return "".join(out)


# ---------------------------------------------------------------- evaluation
class JSONPath:
    """A parsed template. `execute(data) -> str`, `find_results(data) -> list[list]`."""

    def __init__(self, template: str, *, allow_missing_keys: bool = True, name: str = "out"):
        self.template = template
        self.allow_missing_keys = allow_missing_keys
        self.nodes = _Parser(name, template).parse()

    def find_results(self, data) -> list[list]:
        out: list[list] = []
        self._run(self.nodes, data, out)
        return out

    def execute(self, data) -> str:
        return "".join(format_result_set(rs) for rs in self.find_results(data))

    def _run(self, nodes: list, data, out: list) -> int:
        """Evaluate nodes until an unmatched {end}; returns the index after it."""
        i = 0
        while i < len(nodes):
            node = nodes[i]
            if isinstance(node, _End):
                return i + 1
            if isinstance(node, _Range):
                values = self._walk_list([data], nodes[i + 1])
                body = nodes[i + 2:]
                consumed = None
                for v in values:
                    consumed = self._run(body, v, out)
                if consumed is None:
                    consumed = self._run(body, None, [])
                i = i + 2 + consumed
                continue
            if isinstance(node, _Text):
                out.append([node.text])
            else:
                out.append(self._walk_list([data], node))
            i += 1
        return i

    def _walk_list(self, values: list, lst: _List) -> list:
        cur = values
        for node in lst.nodes:
            cur = self._walk(cur, node)
        return cur

    def _walk(self, values: list, node) -> list:
        if isinstance(node, _Field):
            out = []
            for v in values:
                if isinstance(v, dict):
                    if node.name in v:
                        out.append(v[node.name])
                    elif not self.allow_missing_keys:
                        raise JSONPathError(f"{node.name} is not found")
                elif not self.allow_missing_keys and v is not None:
                    raise JSONPathError(f"{node.name} is not found")
            return out
        if isinstance(node, _Identifier):
            return values
        if isinstance(node, _Text):
            return [node.text]
        if isinstance(node, _Literal):
            return [node.value]
        if isinstance(node, _Wildcard):
            out = []
            for v in values:
                if isinstance(v, dict):
                    out.extend(v[k] for k in sorted(v))
                elif isinstance(v, list):
                    out.extend(v)
            return out
        if isinstance(node, _Recursive):
            out = []

            def descend(v):
                out.append(v)
                if isinstance(v, dict):
                    for k in sorted(v):
                        descend(v[k])
                elif isinstance(v, list):
                    for x in v:
                        descend(x)

            for v in values:
                descend(v)
            return out
        if isinstance(node, _Array):
            return self._eval_array(values, node)
        if isinstance(node, _Union):
            out = []
            for lst in node.lists:
                out.extend(self._walk_list(values, lst))
            return out
        if isinstance(node, _Filter):
            return self._eval_filter(values, node)
        if isinstance(node, _BadIdentifier):
            raise JSONPathError(f"unrecognized identifier {node.name}")
        if isinstance(node, _List):
            return self._walk_list(values, node)
        raise JSONPathError(f"unexpected node {node}")

    def _eval_array(self, values: list, node: _Array) -> list:
        out = []
        for v in values:
            if not isinstance(v, list):
                if v is None or self.allow_missing_keys:
                    continue
                raise JSONPathError(f"{_go_type(v)} is not array or slice")
            n = len(v)
            (start, s_known, _), (end, e_known, e_derived), (step, st_known, _) = (list(p) for p in node.params)
            if not s_known:
                start = 0
            if start < 0:
                start += n
            if not e_known:
                end = n
            if end < 0 or (end == 0 and e_derived):
                end += n
            if end == start:
                continue
            if start >= n or start < 0:
                raise JSONPathError(f"array index out of bounds: index {start}, length {n}")
            if end > n or end < 0:
                raise JSONPathError(f"array index out of bounds: index {end - 1}, length {n}")
            if start > end:
                raise JSONPathError(f"starting index {start} is greater than ending index {end}")
            if st_known:
                if step <= 0:
                    raise JSONPathError("step must be > 0")
            else:
                step = 1
            out.extend(v[start:end:step])
        return out

    def _eval_filter(self, values: list, node: _Filter) -> list:
        out = []
        for v in values:
            items = v if isinstance(v, list) else ([] if v is None else [v])
            for item in items:
                left = self._walk_list([item], node.left)
                if node.op == "exists":
                    if left and left[0] is not None:
                        out.append(item)
                    continue
                right = self._walk_list([item], node.right)
                if not left or not right:
                    continue
                if _compare(left[0], right[0], node.op):
                    out.append(item)
        return out


def _compare(a, b, op: str) -> bool:
    num = (int, float)
    if isinstance(a, bool) or isinstance(b, bool):
        if op == "==":
            return a == b
        if op == "!=":
            return a != b
        return False
    if isinstance(a, num) and isinstance(b, num):
        pass
    elif isinstance(a, str) and isinstance(b, str):
        pass
    else:
        if op == "==":
            return False
        if op == "!=":
            return True
        return False
    return {
        "==": a == b, "!=": a != b, "<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b,
    }[op]


def _go_type(v) -> str:
    if isinstance(v, dict):
        return "map[string]interface {}"
    if isinstance(v, str):
        return "string"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int64"
    if isinstance(v, float):
        return "float64"
    return "interface {}"


def go_float(f: float) -> str:
    """Go's %v of a float64: shortest digits, exponent form when the decimal exponent is
    below -4 or at least 6 (1e+06, 1.234567e+06, 1e-05; 123456, 0.0001)."""
    if f != f:
        return "NaN"
    if f in (float("inf"), float("-inf")):
        return "+Inf" if f > 0 else "-Inf"
    if f == 0:
        return "0"
    r = repr(f)  # shortest round-trip digits
    mant, _, exp = r.partition("e")
    neg = mant.startswith("-")
    mant = mant.lstrip("-")
    ip, _, fp = mant.partition(".")
    if fp == "0":
        fp = ""
    digits = (ip + fp).lstrip("0")
    e10 = int(exp) if exp else 0
    # decimal exponent of the first significant digit
    if ip.strip("0"):
        e10 += len(ip.lstrip("0")) - 1
    else:
        e10 -= len(fp) - len(fp.lstrip("0")) + 1
    digits = digits.rstrip("0") or "0"
    sign = "-" if neg else ""
    if e10 < -4 or e10 >= 6:
        m = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{m}e{'-' if e10 < 0 else '+'}{abs(e10):02d}"
    if e10 >= len(digits) - 1:
        return sign + digits + "0" * (e10 - len(digits) + 1)
    if e10 >= 0:
        return sign + digits[: e10 + 1] + "." + digits[e10 + 1:]
    return sign + "0." + "0" * (-e10 - 1) + digits


def value_text(v) -> str:
    """How jsonpath prints one value: strings raw, maps/lists compact JSON, null empty."""
    from kctl.printers.yaml_json import to_compact_json

    if isinstance(v, (dict, list)):
        return to_compact_json(v)
    if v is None:
        return ""
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, float):
        return go_float(v)
    return str(v)


def format_result_set(values: list) -> str:
    return " ".join(value_text(v) for v in values)


_RELAXED = re.compile(r"^\{\.?([^{}]+)\}$|^\.?([^{}]+)$", re.S)


def relaxed(expr: str) -> str:
    """RelaxedJSONPathExpression (--sort-by, custom columns): `a.b`, `.a.b`, `{a.b}` and
    `{.a.b}` all become `{.a.b}`. Raises JSONPathError with kubectl's text otherwise."""
    if not expr:
        return expr
    m = _RELAXED.match(expr)
    if m is None:
        raise JSONPathError(
            "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or "
            "'{.name1.name2}'"
        )
    return "{." + (m.group(1) or m.group(2)) + "}"


def execute_template(template: str, data, *, allow_missing_keys: bool = True) -> str:
    """`-o jsonpath=TEMPLATE` output for `data` (no newline added, as kubectl).

    Errors raise JSONPathError whose str() is kubectl's full message, e.g.
    `error executing jsonpath "{.items[3]}": Error executing template: array index out of
    bounds: index 3, length 1. Printing more information for debugging the template:` ...
    """
    try:
        jp = JSONPath(template, allow_missing_keys=allow_missing_keys)
    except JSONPathError as e:
        raise JSONPathError(f"error parsing jsonpath {template}, {e}") from None
    try:
        return jp.execute(data)
    except JSONPathError as e:
        raise JSONPathError(
            f"error executing jsonpath {json.dumps(template)}: Error executing template: {e}. "
            "Printing more information for debugging the template:\n"
            f"\ttemplate was:\n\t\t{template}\n"
            f"\tobject given to jsonpath engine was:\n\t\t{go_repr(data)}\n\n"
        ) from None


def go_repr(v) -> str:
    """Go's %#v of decoded JSON (map[string]interface {}{"k":v, ...}), for error texts."""
    if isinstance(v, dict):
        inner = ", ".join(f"{json.dumps(k, ensure_ascii=False)}:{go_repr(v[k])}" for k in sorted(v))
        return "map[string]interface {}{" + inner + "}"
    if isinstance(v, list):
        return "[]interface {}{" + ", ".join(go_repr(x) for x in v) + "}"
    if v is None:
        return "interface {}(nil)"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, float):
        return go_float(v)
    if isinstance(v, int):
        return str(v)
    return json.dumps(v, ensure_ascii=False)


def execute_template_as_json(template: str, data, *, allow_missing_keys: bool = True) -> str:
    """`-o jsonpath-as-json=TEMPLATE`: each `{}`'s values as an indented JSON array."""
    from kctl.printers.yaml_json import to_json

    try:
        jp = JSONPath(template, allow_missing_keys=allow_missing_keys)
    except JSONPathError as e:
        raise JSONPathError(f"error parsing jsonpath {template}, {e}") from None
    try:
        return "".join(to_json(rs) for rs in jp.find_results(data))
    except JSONPathError as e:
        raise JSONPathError(
            f"error executing jsonpath {json.dumps(template)}: Error executing template: {e}. "
            "Printing more information for debugging the template:\n"
            f"\ttemplate was:\n\t\t{template}\n"
            f"\tobject given to jsonpath engine was:\n\t\t{go_repr(data)}\n\n"
        ) from None
