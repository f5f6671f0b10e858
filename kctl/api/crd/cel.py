"""x-kubernetes-validations: CEL rules on custom resources, as apiextensions' schema/cel does them.

Evaluated with cel-python (`celpy`), imported here only; this module is imported only when a
schema has rules (importing celpy costs ~0.14 s). Each rule is compiled once per schema node, and
rule outcomes are memoised by (rule, self, oldSelf) value because celpy's tree-walking interpreter
needs milliseconds per evaluation.

Supported: the CEL standard library as celpy implements it (operators, `size`, `has`, `all`,
`exists`, `exists_one`, `map`, `filter`, `in`, `matches`, `startsWith`, `endsWith`, `contains`,
conversions, timestamps/durations), `self` and `oldSelf` (transition rules run only when an old
object is given), `message`, `messageExpression`, `reason`, `fieldPath`, ratcheting of failing
non-transition rules on unchanged values, and these Kubernetes library functions: lists
`isSorted sum min max indexOf lastIndexOf reverse distinct flatten slice join`, strings
`lowerAscii upperAscii trim replace split substring charAt indexOf lastIndexOf find findAll format`,
`isIP isCIDR isURL isQuantity`, `quantity(...)` with `isGreaterThan isLessThan compareTo add sub
isInteger asInteger asApproximateFloat sign`, `format.<name>().validate(s)` (dns1123Label,
dns1123Subdomain, dns1035Label, qualifiedName, labelValue, *Prefix, uri, uuid, byte, date,
datetime) and `sets.contains/equivalent/intersects`.

Not supported (documented limits): cel-go's static type checking (an undefined field is a
runtime "no such key" error, not a compile error, and root `self.metadata` exposes all of
metadata), compile error wording and positions (cel-python's, not cel-go's), cost estimation and
budgets, `optionalOldSelf` and CEL optionals (`?.`, `optional.of`), `ip()`/`cidr()` values with
their member functions, `url()` values, `semver()`, `authorizer`, and the two-variable
comprehensions (`all(i, v, ...)`, `transformMap`).
"""

from __future__ import annotations

import json
import re
from typing import Any

from kctl.api import field
from kctl.api.field import FieldError

import celpy  # noqa: E402  (this module is itself the lazy edge)
from celpy import celtypes

_ENV = celpy.Environment()

# celpy's evaluator spells casts such as cast(Tuple[List[Result], Result], ...) in every
# step, and typing's subscription cache hashes the big `Result` Union each time: a third of
# CEL time. cast() ignores its type at run time (celpy uses `Result` nowhere else), so the
# cheap-to-hash Any gives the same evaluation ~1.5x faster.
if hasattr(celpy.evaluation, "Result"):
    celpy.evaluation.Result = Any

_OMIT_TYPES = ("object", "array")


# ---------------------------------------------------------------------------------------------
# Kubernetes CEL library extensions (k8s.io/apiserver/pkg/cel/library) that celpy lacks


def _is_sorted(lst):
    items = list(lst)
    return celtypes.BoolType(all(items[i] <= items[i + 1] for i in range(len(items) - 1)))


def _sum(lst):
    items = list(lst)
    if not items:
        return celtypes.IntType(0)
    total = items[0]
    for x in items[1:]:
        total = total + x
    return total


def _min(lst):
    items = list(lst)
    if not items:
        raise ValueError("min called on empty list")
    return min(items)


def _max(lst):
    items = list(lst)
    if not items:
        raise ValueError("max called on empty list")
    return max(items)


def _index_of(target, x, *start):
    if isinstance(target, celtypes.ListType):
        for i, v in enumerate(target):
            if v == x:
                return celtypes.IntType(i)
        return celtypes.IntType(-1)
    return celtypes.IntType(str(target).find(str(x), int(start[0]) if start else 0))


def _last_index_of(target, x, *end):
    if isinstance(target, celtypes.ListType):
        for i in range(len(target) - 1, -1, -1):
            if target[i] == x:
                return celtypes.IntType(i)
        return celtypes.IntType(-1)
    s = str(target)
    return celtypes.IntType(s.rfind(str(x), 0, int(end[0]) + len(str(x))) if end else s.rfind(str(x)))


def _replace(s, old, new, *n):
    count = int(n[0]) if n else -1
    return celtypes.StringType(str(s).replace(str(old), str(new), count))


def _split(s, sep, *n):
    limit = int(n[0]) if n else -1
    if limit == 0:
        return celtypes.ListType([])
    parts = str(s).split(str(sep)) if limit < 0 else str(s).split(str(sep), limit - 1)
    return celtypes.ListType([celtypes.StringType(p) for p in parts])


def _join(lst, *sep):
    return celtypes.StringType((str(sep[0]) if sep else "").join(str(x) for x in lst))


def _substring(s, start, *end):
    st = str(s)
    return celtypes.StringType(st[int(start): int(end[0])] if end else st[int(start):])


def _char_at(s, i):
    st = str(s)
    i = int(i)
    if i == len(st):
        return celtypes.StringType("")
    return celtypes.StringType(st[i])


def _format(fmt, args):
    vals = list(args)
    out: list[str] = []
    it = iter(vals)
    s = str(fmt)
    i = 0
    while i < len(s):
        c = s[i]
        if c == "%" and i + 1 < len(s):
            d = s[i + 1]
            i += 2
            if d == "%":
                out.append("%")
                continue
            v = next(it)
            if d == "d":
                out.append(str(int(v)))
            elif d == "f":
                out.append(f"{float(v):f}")
            else:
                out.append(_to_text(v))
            continue
        out.append(c)
        i += 1
    return celtypes.StringType("".join(out))


def _to_text(v) -> str:
    if isinstance(v, celtypes.BoolType):
        return "true" if v else "false"
    if isinstance(v, celtypes.ListType):
        return "[" + ", ".join(_to_text(x) for x in v) + "]"
    return str(v)


# --- k8s.io/apiserver/pkg/cel/library: ip/cidr/url/quantity predicates, format, sets, regex ---


def _is_ip(s) -> Any:
    import ipaddress

    v = str(s)
    if "%" in v:
        return celtypes.BoolType(False)  # zones are rejected
    try:
        a = ipaddress.ip_address(v)
    except ValueError:
        return celtypes.BoolType(False)
    # IPv4-mapped IPv6 addresses are rejected by the library
    return celtypes.BoolType(not (a.version == 6 and a.ipv4_mapped is not None))


def _is_cidr(s) -> Any:
    import ipaddress

    v = str(s)
    if "/" not in v or "%" in v:
        return celtypes.BoolType(False)
    try:
        ipaddress.ip_network(v, strict=False)
    except ValueError:
        return celtypes.BoolType(False)
    return celtypes.BoolType(True)


def _is_url(s) -> Any:
    from kctl.api.crd.openapi import _is_uri

    return celtypes.BoolType(_is_uri(str(s)))


class Quantity:
    """quantity(): compared and combined through the library's member functions."""

    __slots__ = ("q",)

    def __init__(self, q) -> None:
        self.q = q


def _quantity(s) -> Quantity:
    from kctl.api.quantity import parse_quantity

    return Quantity(parse_quantity(str(s)))


def _is_quantity(s) -> Any:
    try:
        _quantity(s)
        return celtypes.BoolType(True)
    except ValueError:
        return celtypes.BoolType(False)


def _q(x):
    from fractions import Fraction

    if isinstance(x, Quantity):
        return Fraction(x.q.value)
    return Fraction(int(x))


def _q_new(value) -> Quantity:
    from kctl.api.quantity import Quantity as KQ

    return Quantity(KQ(value))


class _Lib:
    """The `format` / `sets` receivers (`format.dns1123Label()`, `sets.contains(a, b)`)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


class _Format:
    __slots__ = ("check",)

    def __init__(self, check) -> None:
        self.check = check


def _format_fn(check):
    return lambda _lib: _Format(check)


def _format_checks() -> dict:
    from kctl.api.validation import names
    from kctl.api.crd import openapi

    def pref(fn):
        return lambda v: fn(v[:-1] + "a" if len(v) > 1 and v.endswith("-") else v)

    def fmt(name):
        chk = openapi._FORMAT_CHECKERS[name]
        return lambda v: [] if chk(v) else [f"does not match the {name} format"]

    return {
        "dns1123Label": names.dns1123_label, "dns1123Subdomain": names.dns1123_subdomain,
        "dns1035Label": names.dns1035_label, "qualifiedName": names.qualified_name,
        "dns1123LabelPrefix": pref(names.dns1123_label), "dns1123SubdomainPrefix": pref(names.dns1123_subdomain),
        "dns1035LabelPrefix": pref(names.dns1035_label), "labelValue": names.label_value,
        "uri": fmt("uri"), "uuid": fmt("uuid"), "byte": fmt("byte"), "date": fmt("date"), "datetime": fmt("datetime"),
    }


def _validate_format(f, s):
    if not isinstance(f, _Format):
        raise TypeError("no such overload")
    errs = f.check(str(s))
    return None if not errs else celtypes.ListType([celtypes.StringType(e) for e in errs])


_std_contains = celpy.evaluation.function_contains


def _contains(target, *args):
    if isinstance(target, _Lib) and target.name == "sets":
        a, b = args
        return celtypes.BoolType(all(any(x == y for y in a) for x in b))
    return _std_contains(target, *args)


def _sets_equivalent(_lib, a, b):
    return celtypes.BoolType(all(any(x == y for y in b) for x in a) and all(any(x == y for y in a) for x in b))


def _sets_intersects(_lib, a, b):
    return celtypes.BoolType(any(any(x == y for y in b) for x in a))


def _find(s, pattern):
    import re as _re

    m = _re.search(str(pattern), str(s))
    return celtypes.StringType(m.group(0) if m else "")


def _find_all(s, pattern, *limit):
    import re as _re

    found = [m.group(0) for m in _re.finditer(str(pattern), str(s))]
    if limit and int(limit[0]) >= 0:
        found = found[: int(limit[0])]
    return celtypes.ListType([celtypes.StringType(x) for x in found])


def _compare(a, b):
    x, y = _q(a), _q(b)
    return celtypes.IntType((x > y) - (x < y))


def _logical(short: bool):
    """cel-go's `||` (short=True) and `&&` (short=False): `short` wins over errors, otherwise
    the first operand that is not a bool decides (its own error, or no such overload), so
    `size(self.a) > 0 || size(self.b) > 0` with neither field set fails with "no such key: a"
    (celpy raises no-matching-overload for two errors)."""
    def fn(x, y):
        err = None
        for v in (x, y):
            if isinstance(v, celtypes.BoolType):
                if bool(v) is short:
                    return celtypes.BoolType(short)
            elif err is None:
                err = v
        if err is None:
            return celtypes.BoolType(not short)
        if isinstance(err, celpy.CELEvalError):
            return err
        raise TypeError(f"no such overload: {type(err)}")
    return fn


_GO_DURATION_PART = re.compile(r"(\d*)(?:\.(\d*))?(ns|us|\u00b5s|\u03bcs|ms|s|m|h)")
_NS_PER_UNIT = {"ns": 1, "us": 10**3, "\u00b5s": 10**3, "\u03bcs": 10**3, "ms": 10**6, "s": 10**9,
                "m": 60 * 10**9, "h": 3600 * 10**9}


def _go_duration_ns(text: str) -> int | None:
    """Go's time.ParseDuration (what cel-go's duration() uses), in nanoseconds; None when Go
    rejects the text: no `d` unit, a bare number only for "0", `µs` allowed, int64 range."""
    s, neg = text, False
    if s[:1] in ("+", "-"):
        neg, s = s[0] == "-", s[1:]
    if s == "0":
        return 0
    if not s:
        return None
    total, pos = 0, 0
    while pos < len(s):
        m = _GO_DURATION_PART.match(s, pos)
        if m is None or not (m.group(1) or m.group(2)):
            return None
        unit, frac = _NS_PER_UNIT[m.group(3)], m.group(2) or ""
        total += int(m.group(1) or 0) * unit + (int(frac) * unit // 10 ** len(frac) if frac else 0)
        pos = m.end()
    if total > 2**63 - (0 if neg else 1):
        return None
    return -total if neg else total


def _duration(v):
    if isinstance(v, celtypes.DurationType):
        return v
    if isinstance(v, str):
        ns = _go_duration_ns(str(v))
        if ns is None:
            return celpy.CELEvalError("type conversion error from 'string' to 'google.protobuf.Duration'")
        return celtypes.DurationType(ns // 10**9, ns % 10**9)
    return celtypes.DurationType(v)


_FUNCTIONS = {
    "duration": _duration,
    "_||_": _logical(True),
    "_&&_": _logical(False),
    "isIP": _is_ip,
    "isCIDR": _is_cidr,
    "isURL": _is_url,
    "isQuantity": _is_quantity,
    "quantity": _quantity,
    "isGreaterThan": lambda a, b: celtypes.BoolType(_q(a) > _q(b)),
    "isLessThan": lambda a, b: celtypes.BoolType(_q(a) < _q(b)),
    "compareTo": _compare,
    "add": lambda a, b: _q_new(_q(a) + _q(b)),
    "sub": lambda a, b: _q_new(_q(a) - _q(b)),
    "isInteger": lambda a: celtypes.BoolType(_q(a).denominator == 1),
    "asInteger": lambda a: celtypes.IntType(int(_q(a))),
    "asApproximateFloat": lambda a: celtypes.DoubleType(float(_q(a))),
    "sign": lambda a: celtypes.IntType((_q(a) > 0) - (_q(a) < 0)),
    "validate": _validate_format,
    "contains": _contains,
    "equivalent": _sets_equivalent,
    "intersects": _sets_intersects,
    "find": _find,
    "findAll": _find_all,
    "reverse": lambda x: celtypes.ListType(list(reversed(list(x)))) if isinstance(x, celtypes.ListType)
    else celtypes.StringType(str(x)[::-1]),
    "distinct": lambda x: celtypes.ListType([v for i, v in enumerate(x) if all(v != w for w in list(x)[:i])]),
    "flatten": lambda x: celtypes.ListType([y for v in x for y in (v if isinstance(v, celtypes.ListType) else [v])]),
    "slice": lambda x, a, b: celtypes.ListType(list(x)[int(a): int(b)]),

    "isSorted": _is_sorted,
    "sum": _sum,
    "min": _min,
    "max": _max,
    "indexOf": _index_of,
    "lastIndexOf": _last_index_of,
    "lowerAscii": lambda s: celtypes.StringType(str(s).lower()),
    "upperAscii": lambda s: celtypes.StringType(str(s).upper()),
    "trim": lambda s: celtypes.StringType(str(s).strip()),
    "replace": _replace,
    "split": _split,
    "join": _join,
    "substring": _substring,
    "charAt": _char_at,
    "format": _format,
}
_FUNCTIONS.update({name: _format_fn(check) for name, check in _format_checks().items()})
_LIBS = {"format": _Lib("format"), "sets": _Lib("sets")}


# ---------------------------------------------------------------------------------------------
# Values: JSON -> CEL per the schema (apiserver/pkg/cel/common/values.go)


def to_cel(v: Any, s) -> Any:
    if v is None:
        return None
    if s is not None and s.int_or_string:
        return celtypes.StringType(v) if isinstance(v, str) else celtypes.IntType(int(v))
    t = s.schema_type if s is not None else ""
    if isinstance(v, bool):
        return celtypes.BoolType(v)
    if isinstance(v, str):
        fmt = (s.raw.get("format") or "") if s is not None else ""
        if fmt == "byte":
            import base64

            try:
                return celtypes.BytesType(base64.b64decode(v))
            except ValueError:
                return celtypes.StringType(v)
        if fmt == "duration":
            try:
                return celtypes.DurationType(v)
            except Exception:
                return celtypes.StringType(v)
        if fmt in ("date-time", "datetime"):
            try:
                return celtypes.TimestampType(v)
            except Exception:
                return celtypes.StringType(v)
        return celtypes.StringType(v)
    if isinstance(v, int):
        return celtypes.DoubleType(float(v)) if t == "number" else celtypes.IntType(v)
    if isinstance(v, float):
        if t == "integer" and v.is_integer():
            return celtypes.IntType(int(v))
        return celtypes.DoubleType(v)
    if isinstance(v, list):
        items = s.items if s is not None else None
        return celtypes.ListType([to_cel(x, items) for x in v])
    if isinstance(v, dict):
        out = {}
        props = s.properties if s is not None else {}
        for k, x in v.items():
            prop = props.get(k)
            if prop is not None:
                name = escape(k)
                if name is None:
                    continue  # a property CEL cannot name is not accessible
                out[celtypes.StringType(name)] = to_cel(x, prop)
            else:
                out[celtypes.StringType(k)] = to_cel(x, s.additional if s is not None else None)
        return celtypes.MapType(out)
    return v


_RESERVED = frozenset("true false null in as break const continue else for function if import let loop package "
                      "namespace return var void while".split())
_ESCAPES = {"__": "__underscores__", ".": "__dot__", "-": "__dash__", "/": "__slash__"}
_ESCAPE_RX = re.compile(r"__|[./-]")


def escape(name: str) -> str | None:
    """apiserver/pkg/cel escaping of a property name as a CEL field (`namespace` ->
    `__namespace__`, `x-y` -> `x__dash__y`); None when CEL cannot name it."""
    if not name or name[0].isdigit():
        return None
    if name in _RESERVED:
        return f"__{name}__"
    if re.search(r"[^a-zA-Z0-9_./-]", name):
        return None
    return _ESCAPE_RX.sub(lambda m: _ESCAPES[m.group(0)], name)


# ---------------------------------------------------------------------------------------------
# Compilation (once per schema node)


class _Rule:
    __slots__ = ("rule", "message", "message_expression", "reason", "field_path", "program",
                 "message_program", "error", "uses_old_self")

    def __init__(self, r: dict) -> None:
        self.rule = str(r.get("rule") or "")
        self.message = r.get("message") or ""
        self.message_expression = r.get("messageExpression") or ""
        self.reason = r.get("reason")
        fp = r.get("fieldPath") or ""
        self.field_path = fp  # resolved against the schema node on first use (_at)
        self.program = None
        self.message_program = None
        self.error = ""
        self.uses_old_self = bool(re.search(r"\boldSelf\b", self.rule))
        if not self.rule.strip():
            return
        try:
            self.program = _ENV.program(_parse(self.rule), functions=_FUNCTIONS)
        except celpy.CELParseError as e:
            self.error = f"compilation failed: ERROR: <input>:{_parse_pos(e)}: Syntax error: {_first_line(e)}"
        except Exception as e:  # celpy raises assorted errors on malformed input
            self.error = f"compilation failed: {_first_line(e)}"
        if self.message_expression:
            try:
                self.message_program = _ENV.program(_parse(self.message_expression), functions=_FUNCTIONS)
            except Exception:
                self.message_program = None

    def error_string(self) -> str:
        """ruleErrorString: the message when set, else the rule."""
        return self.message.strip() if self.message else self.rule.strip()


_PARSED: dict = {}

# Grammar levels that, with one child, only pass their child's value up (celpy's evaluator
# returns visit_children(tree)[0] for them). A leaf sits under eight of them; each costs a
# traced visit, so dropping them makes evaluation ~2.5x faster with the same results.
_PASS_THROUGH = frozenset(("expr", "conditionalor", "conditionaland", "relation", "addition",
                           "multiplication", "unary", "member"))


def _collapse(tree):
    import lark

    stack = [tree]
    while stack:
        t = stack.pop()
        for i, c in enumerate(t.children):
            if isinstance(c, lark.Tree):
                while c.data in _PASS_THROUGH and len(c.children) == 1 and isinstance(c.children[0], lark.Tree):
                    c = c.children[0]
                t.children[i] = c
                stack.append(c)
    while tree.data in _PASS_THROUGH and len(tree.children) == 1 and isinstance(tree.children[0], lark.Tree):
        tree = tree.children[0]
    return tree


def _parse(expr: str):
    """celpy's parse tree of an expression, cached by its text: the lark parser takes
    milliseconds per rule, and CRDs repeat rules across versions."""
    hit = _PARSED.get(expr)
    if hit is None:
        try:
            hit = (_collapse(_ENV.compile(expr)), None)
        except Exception as e:
            hit = (None, e)
        if len(_PARSED) >= 4096:
            _PARSED.clear()
        _PARSED[expr] = hit
    if hit[1] is not None:
        raise hit[1]
    return hit[0]


def _first_line(e: Exception) -> str:
    msg = str(e.args[0]) if e.args else str(e)
    return msg.strip().splitlines()[0] if msg.strip() else type(e).__name__


def _parse_pos(e: Exception) -> str:
    line = getattr(e, "line", None)
    col = getattr(e, "column", None)
    if line is None:
        return "1:1"
    return f"{line}:{col}"


def _rules(node) -> list[_Rule]:
    got = node.cel_rules
    if got is None:
        got = node.cel_rules = [_Rule(r) for r in node.rules if isinstance(r, dict)]
    return got


# ---------------------------------------------------------------------------------------------
# Evaluation (schema/cel/validation.go)

_ROOT = "<nil>"


def _child(path: str, name: str) -> str:
    return name if path in ("", _ROOT) else f"{path}.{name}"


def _key(path: str, k: str) -> str:
    return f"{'' if path == _ROOT else path}[{k}]"


def _index(path: str, i: int) -> str:
    return f"{'' if path == _ROOT else path}[{i}]"


def validate(node, obj: Any, old: Any | None, root: str = _ROOT) -> list[FieldError]:
    errs: list[FieldError] = []
    _validate(node, root, obj, old, errs)
    return errs


def _validate(s, path: str, obj: Any, old: Any, errs: list[FieldError]) -> None:
    if s is None or obj is None or not s.has_rules:
        return
    if s.rules:
        _expressions(s, path, obj, old, errs)
    for sub in s.all_of:
        _validate(sub, path, obj, old, errs)
    if isinstance(obj, list):
        if s.items is not None:
            olds = _correlate_list(s, old if isinstance(old, list) else None)
            for i, x in enumerate(obj):
                _validate(s.items, _index(path, i), x, olds(x), errs)
    elif isinstance(obj, dict):
        old_map = old if isinstance(old, dict) and s.map_type in (None, "granular", "atomic") else {}
        if s.additional is not None:
            for k, v in obj.items():
                _validate(s.additional, _key(path, k), v, old_map.get(k), errs)
        if s.properties:
            for k, v in obj.items():
                sub = s.properties.get(k)
                if sub is not None:
                    _validate(sub, _child(path, k), v, old_map.get(k), errs)


def _correlate_list(s, old: list | None):
    """Only list-type=map lists correlate items with the old object, by their keys."""
    if old is None or s.list_type != "map" or not s.list_map_keys:
        return lambda x: None
    keys = s.list_map_keys
    index = {}
    for o in old:
        if isinstance(o, dict):
            index.setdefault(tuple(repr(o.get(k)) for k in keys), o)
    return lambda x: index.get(tuple(repr(x.get(k)) for k in keys)) if isinstance(x, dict) else None


def _expressions(s, path: str, obj: Any, old: Any, errs: list[FieldError]) -> None:
    sts_type = s.schema_type
    type_value = sts_type  # upstream shows the schema type as the bad value of rule errors
    activation = None
    for r in _rules(s):
        if r.error:
            errs.append(field.invalid(path, type_value, f"rule compile error: {r.error}"))
            continue
        if r.program is None:
            continue
        if r.uses_old_self and old is None:
            continue  # transition rules run only against an existing object
        if activation is None:
            activation = {"self": to_cel(obj, s), **_LIBS}
            if old is not None:
                activation["oldSelf"] = to_cel(old, s)
        outcome = _evaluate(r, activation, obj, old if r.uses_old_self else None)
        if outcome is True:
            continue
        if isinstance(outcome, str):
            errs.append(field.invalid(path, type_value, f"{outcome} evaluating rule: {r.error_string()}"))
            continue
        if not r.uses_old_self and old is not None and _unchanged(obj, old):
            continue  # ratcheting: a failing rule on an unchanged value is only a warning upstream
        at = path
        if r.field_path:
            from kctl.api.crd.openapi import valid_field_path

            rel = valid_field_path(r.field_path, s)
            if rel:
                at = rel if path in ("", _ROOT) else (f"{path}{rel}" if rel.startswith("[") else f"{path}.{rel}")
        detail = ""
        if r.message_program is not None:
            detail = _message(r, activation)
        if not detail:
            detail = r.message.strip() if r.message else f"failed rule: {r.error_string()}"
        errs.append(_for_reason(at, obj, sts_type, detail, r.reason))


_MEMO: dict = {}
_MEMO_MAX = 8192


def _evaluate(r: _Rule, activation: dict, obj: Any, old: Any):
    """True (passed), False (failed) or the runtime error text. Rules are pure functions of
    self/oldSelf, so outcomes are memoised by value: cel-python spends milliseconds per
    evaluation, and bulk custom resources repeat the same sub-objects."""
    try:
        key = (id(r), json.dumps(obj, sort_keys=True, separators=(",", ":")),
               None if old is None else json.dumps(old, sort_keys=True, separators=(",", ":")))
    except (TypeError, ValueError):
        key = None
    if key is not None:
        hit = _MEMO.get(key)
        if hit is not None and hit[0] is r:
            return hit[1]
    try:
        result = r.program.evaluate(activation)
        if isinstance(result, celpy.CELEvalError):
            outcome: Any = _eval_error(result)
        else:
            outcome = result is True or (isinstance(result, celtypes.BoolType) and bool(result))
    except Exception as e:  # CELEvalError and friends: a runtime error of the rule
        outcome = _eval_error(e)
    if key is not None:
        if len(_MEMO) >= _MEMO_MAX:
            _MEMO.clear()
        _MEMO[key] = (r, outcome)  # holding r keeps id(r) from being reused while cached
    return outcome


def _unchanged(obj: Any, old: Any) -> bool:
    from kctl.api.crd.openapi import _json_equal

    return _json_equal(obj, old)


def _message(r: _Rule, activation: dict) -> str:
    try:
        out = r.message_program.evaluate(activation)
    except Exception:
        return ""
    if not isinstance(out, str):
        return ""
    out = out.strip()
    if not out or "\n" in out or len(out) > 5 * 1024:
        return ""
    return out


def _eval_error(e: Any) -> str:
    """cel-go's wording for the usual runtime errors (celpy's args: (message, exc type, exc args))."""
    args = getattr(e, "args", ())
    text = str(args[0]) if args else str(e)
    kind = args[1] if len(args) >= 2 else None
    if kind is KeyError:
        m = re.search(r"no such member in mapping: '(.*)'", text)
        return f"no such key: {m.group(1)}" if m else "no such key"
    if kind is ZeroDivisionError:
        inner = str(args[2][0]) if len(args) >= 3 and args[2] else ""
        return "modulus by zero" if "modulo by zero" in inner and "division" not in inner else "division by zero"
    if kind is IndexError:
        return "index out of bounds"
    if kind is TypeError or text.startswith("found no matching overload"):
        return "no such overload"
    return text.splitlines()[0] if text else type(e).__name__


def _for_reason(path: str, obj: Any, sts_type: str, detail: str, reason: str | None) -> FieldError:
    from kctl.api.crd.openapi import _bad

    omit = sts_type in _OMIT_TYPES
    value = None if omit else _bad(obj)
    if reason == "FieldValueForbidden":
        return field.forbidden(path, detail)
    if reason == "FieldValueRequired":
        return field.required(path, detail)
    if reason == "FieldValueDuplicate":
        return FieldError(field.DUPLICATE, path) if omit else field.duplicate(path, value)
    if omit:
        return FieldError(field.INVALID, path, detail=detail)
    return field.invalid(path, value, detail)


def message_expression_error(expr: str) -> str:
    try:
        _parse(expr)
    except Exception as e:
        return f"messageExpression compilation failed: ERROR: <input>:{_parse_pos(e)}: Syntax error: {_first_line(e)}"
    return ""


def compile_error(rule: str, node=None, is_root: bool = False) -> str:
    """The compile error of a rule as the CRD validation reports it ("" when it compiles):
    a parse error, or field selections on `self`/`oldSelf` that the schema does not declare
    (cel-go's "undefined field", with its source excerpt)."""
    r = _Rule({"rule": rule})
    if r.error or node is None:
        return r.error
    issues = _undefined_fields(rule, node, is_root)
    if not issues:
        return ""
    lines = rule.split("\n")
    out = []
    for line, col, name in sorted(set(issues)):
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        out.append(f"ERROR: <input>:{line}:{col}: undefined field '{name}'\n | {text}\n | {'.' * (col - 1)}^")
    return "compilation failed: " + "\n".join(out)


_DYN = object()  # a value CEL types dynamically (int-or-string, preserve-unknown-fields roots)
_META = object()  # ObjectMeta as CEL sees it: only name and generateName


def _declared(s) -> bool:
    """Whether SchemaDeclType gives the schema a type (properties without one are not
    accessible from CEL at all)."""
    if s is None:
        return False
    if s.int_or_string:
        return True
    t = s.schema_type
    if t == "array":
        return _declared(s.items)
    if t == "object" and s.additional is not None:
        return _declared(s.additional)
    return bool(t)


def _select(cur, name: str, root: bool):
    """The type reached by `cur.name`, or None when the field is undefined."""
    if cur is _META:
        return _STRING if name in ("name", "generateName") else None
    s = cur
    if s.int_or_string or s.schema_type != "object":
        return _DYN  # not an object type: not ours to judge (cel-go reports other errors)
    if s.additional is not None:
        return s.additional  # a map: selection is a key lookup
    if (root or s.embedded) and name in ("apiVersion", "kind"):
        return _STRING
    if (root or s.embedded) and name == "metadata":
        return _META
    for k, prop in s.properties.items():
        if escape(k) == name and _declared(prop):
            return prop
    return None


_STRING = object()


def _undefined_fields(rule: str, node, is_root: bool) -> list[tuple[int, int, str]]:
    try:
        tree = _parse(rule)
    except Exception:
        return []
    issues = []
    for t in tree.iter_subtrees():
        if getattr(t, "data", None) != "member_dot":
            continue
        chain = _chain(t)
        if chain is None or chain[0] not in ("self", "oldSelf"):
            continue
        cur, root = node, is_root
        for tok in chain[1]:
            if cur is _DYN or cur is _STRING:
                break
            nxt = _select(cur, str(tok), root)
            if nxt is None:
                issues.append((tok.line, tok.column - 1, str(tok)))
                break
            cur, root = nxt, False
    return issues


def _chain(t):
    """`self.a.b` as ("self", [a, b]) (IDENT tokens); None for anything but a plain dot chain."""
    names = []
    while getattr(t, "data", None) == "member_dot":
        member, ident = t.children
        names.append(ident)
        inner = member  # _collapse left out the one-child `member` level
        if getattr(inner, "data", None) == "member_dot":
            t = inner
            continue
        if getattr(inner, "data", None) == "primary":
            base = inner.children[0]
            if getattr(base, "data", None) == "ident":
                return str(base.children[0]), list(reversed(names))
        return None
    return None
