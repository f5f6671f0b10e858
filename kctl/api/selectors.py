"""Label and field selectors as k8s.io/apimachinery parses and matches them. Pure.

Label selectors: `parse_label_selector("app=web,tier in (a,b),!canary")` → LabelSelector with
`.matches(labels)`; errors are SelectorError with apimachinery's text (kubectl prints it as
`error: the provided selector "<s>" is not valid: <text>`, see `invalid_selector_message`).
`from_label_selector_spec(spec)` turns a metav1.LabelSelector dict into one (None matches
nothing, `{}` everything); `selector_string(spec)` prints it as kubectl does.

Field selectors: `parse_field_selector("spec.nodeName=n1,status.phase!=Failed", kind="Pod")`
with the API server's per-kind list of supported fields (`field label not supported: spec.foo`).
"""

from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from typing import Any

from kctl.api.field import go_quote
from kctl.api.validation.names import label_value as is_valid_label_value, qualified_name as is_qualified_name


class SelectorError(ValueError):
    """A selector that cannot be parsed; `str()` is apimachinery's message."""


def invalid_selector_message(selector: str, err: Exception) -> str:
    """kubectl's client-side text for a bad `-l` value (printed after `error: `)."""
    return f'the provided selector "{selector}" is not valid: {err}'


# --------------------------------------------------------------------------- label selectors

IN, NOT_IN, EQUALS, DOUBLE_EQUALS, NOT_EQUALS = "in", "notin", "=", "==", "!="
EXISTS, DOES_NOT_EXIST, GT, LT = "exists", "!", "gt", "lt"
_BINARY = ("in", "notin", "=", "==", "!=", "gt", "lt")


@dataclass(frozen=True)
class Requirement:
    key: str
    operator: str
    values: tuple[str, ...] = ()

    def matches(self, labels: dict) -> bool:
        op = self.operator
        if op in (IN, EQUALS, DOUBLE_EQUALS):
            return self.key in labels and labels[self.key] in self.values
        if op in (NOT_IN, NOT_EQUALS):
            return self.key not in labels or labels[self.key] not in self.values
        if op == EXISTS:
            return self.key in labels
        if op == DOES_NOT_EXIST:
            return self.key not in labels
        if op in (GT, LT):
            if self.key not in labels or len(self.values) != 1:
                return False
            try:
                have, want = _go_int(labels[self.key]), _go_int(self.values[0])
            except ValueError:
                return False
            return have > want if op == GT else have < want
        return False

    def __str__(self) -> str:
        if self.operator == EXISTS:
            return self.key
        if self.operator == DOES_NOT_EXIST:
            return "!" + self.key
        vals = self.values if len(self.values) == 1 else sorted(self.values)
        joined = ",".join(vals)
        if self.operator in (IN, NOT_IN):
            return f"{self.key} {self.operator} ({joined})"
        sym = {GT: ">", LT: "<"}.get(self.operator, self.operator)
        return f"{self.key}{sym}{joined}"


def _go_int(s: str) -> int:
    # strconv.ParseInt(s, 10, 64): optional sign and decimal digits only
    t = s[1:] if s[:1] in "+-" else s
    if not t or not t.isascii() or not t.isdigit():
        raise ValueError(s)
    v = int(s)
    if not -(1 << 63) <= v < (1 << 63):
        raise ValueError(s)
    return v


@dataclass(frozen=True)
class LabelSelector:
    """Requirements ANDed together, sorted by key. `nothing=True` matches no object."""

    requirements: tuple[Requirement, ...] = ()
    nothing: bool = False

    def matches(self, labels: dict | None) -> bool:
        if self.nothing:
            return False
        labels = labels or {}
        return all(r.matches(labels) for r in self.requirements)

    def empty(self) -> bool:
        """True when the selector selects everything."""
        return not self.nothing and not self.requirements

    def __str__(self) -> str:
        return ",".join(str(r) for r in self.requirements)


EVERYTHING = LabelSelector()
NOTHING = LabelSelector(nothing=True)


def _invalid(path: str, value: Any, detail: str) -> str:
    return f"{path}: Invalid value: {go_quote(value) if isinstance(value, str) else _go_list(value)}: {detail}"


def _go_list(vals) -> str:
    return "[]string{" + ", ".join(go_quote(v) for v in vals) + "}"


def _aggregate(errs: list[str]) -> str:
    return errs[0] if len(errs) == 1 else "[" + ", ".join(errs) + "]"


def new_requirement(key: str, op: str, values: list[str], path: str = "<nil>") -> Requirement:
    """labels.NewRequirement: validates key, operator arity and values (upstream texts)."""
    errs = []
    key_path = "key" if path == "<nil>" else f"{path}.key"
    values_path = "values" if path == "<nil>" else f"{path}.values"
    msgs = is_qualified_name(key)
    if msgs:
        errs.append(_invalid(key_path, key, "; ".join(msgs)))
    if op in (IN, NOT_IN):
        if not values:
            errs.append(_invalid(values_path, values, "for 'in', 'notin' operators, values set can't be empty"))
    elif op in (EQUALS, DOUBLE_EQUALS, NOT_EQUALS):
        if len(values) != 1:
            errs.append(_invalid(values_path, values, "exact-match compatibility requires one single value"))
    elif op in (EXISTS, DOES_NOT_EXIST):
        if values:
            errs.append(_invalid(values_path, values, "values set must be empty for exists and does not exist"))
    elif op in (GT, LT):
        if len(values) != 1:
            errs.append(_invalid(values_path, values, "for 'Gt', 'Lt' operators, exactly one value is required"))
        for i, v in enumerate(values):
            try:
                _go_int(v)
            except ValueError:
                errs.append(_invalid(f"{values_path}[{i}]", v, "for 'Gt', 'Lt' operators, the value must be an integer"))
    else:
        supported = ", ".join(go_quote(s) for s in ("!", "!=", "=", "==", "exists", "gt", "in", "lt", "notin"))
        errs.append(f"{'operator' if path == '<nil>' else path + '.operator'}: Unsupported value: {go_quote(op)}: supported values: {supported}")
    for i, v in enumerate(values):
        msgs = is_valid_label_value(v)
        if msgs:
            errs.append(_invalid(f"{values_path}[{i}][{key}]", v, "; ".join(msgs)))
    if errs:
        raise SelectorError(_aggregate(errs))
    return Requirement(key, op, tuple(values))


# lexer tokens
_ERR, _END, _CPAR, _COMMA, _NOT, _DEQ, _EQ, _GT, _ID, _IN, _LT, _NEQ, _NOTIN, _OPAR = range(14)
_TOKENS = {")": _CPAR, ",": _COMMA, "!": _NOT, "==": _DEQ, "=": _EQ, ">": _GT, "in": _IN,
           "<": _LT, "!=": _NEQ, "notin": _NOTIN, "(": _OPAR}
_SPECIAL = set("=!(),><")
_WS = set(" \t\r\n")


def _lex(s: str) -> list[tuple[int, str]]:
    out = []
    i, n = 0, len(s)
    while True:
        while i < n and s[i] in _WS:
            i += 1
        if i >= n:
            out.append((_END, ""))
            return out
        if s[i] in _SPECIAL:
            # longest operator made of special symbols, as scanSpecialSymbol does
            buf, last, j = "", None, i
            while j < n and s[j] in _SPECIAL:
                buf += s[j]
                if buf in _TOKENS:
                    last = (_TOKENS[buf], buf)
                    j += 1
                elif last is not None:
                    break
                else:
                    j += 1
            if last is None:
                out.append((_ERR, f"error expected: keyword found '{buf}'"))
                i = j
            else:
                out.append(last)
                i += len(last[1])
        else:
            j = i
            while j < n and s[j] not in _SPECIAL and s[j] not in _WS:
                j += 1
            word = s[i:j]
            out.append((_TOKENS.get(word, _ID), word))
            i = j


class _Parser:
    def __init__(self, s: str):
        self.items = _lex(s)
        self.pos = 0

    def _tok(self, i: int, values: bool) -> tuple[int, str]:
        tok, lit = self.items[i]
        if values and tok in (_IN, _NOTIN):
            tok = _ID
        return tok, lit

    def look(self, values=True):
        return self._tok(self.pos, values)

    def take(self, values=True):
        self.pos += 1
        return self._tok(self.pos - 1, values)

    def parse(self) -> list[Requirement]:
        reqs = []
        while True:
            tok, lit = self.look()
            if tok in (_ID, _NOT):
                try:
                    reqs.append(self.requirement())
                except SelectorError as e:
                    raise SelectorError(f"unable to parse requirement: {e}") from None
                t, lit = self.take()
                if t == _END:
                    return reqs
                if t == _COMMA:
                    t2, l2 = self.look()
                    if t2 not in (_ID, _NOT):
                        raise SelectorError(f"found '{l2}', expected: identifier after ','")
                else:
                    raise SelectorError(f"found '{lit}', expected: ',' or 'end of string'")
            elif tok == _END:
                return reqs
            else:
                raise SelectorError(f"found '{lit}', expected: !, identifier, or 'end of string'")

    def requirement(self) -> Requirement:
        op = None
        tok, lit = self.take()
        if tok == _NOT:
            op = DOES_NOT_EXIST
            tok, lit = self.take()
        if tok != _ID:
            raise SelectorError(f"found '{lit}', expected: identifier")
        msgs = is_qualified_name(lit)
        if msgs:
            raise SelectorError(_invalid("<nil>", lit, "; ".join(msgs)))
        key = lit
        if op == DOES_NOT_EXIST or self.look()[0] in (_END, _COMMA):
            # `!key=value`: the requirement ends at the key; the caller reports the `=`
            return new_requirement(key, op or EXISTS, [])
        tok, lit = self.take(values=False)
        ops = {_IN: IN, _EQ: EQUALS, _DEQ: DOUBLE_EQUALS, _GT: GT, _LT: LT, _NOTIN: NOT_IN, _NEQ: NOT_EQUALS}
        if tok not in ops:
            raise SelectorError(f"found '{lit}', expected: {', '.join(_BINARY)}")
        op = ops[tok]
        values = self.set_values() if op in (IN, NOT_IN) else self.exact_value()
        return new_requirement(key, op, sorted(values))

    def set_values(self) -> set[str]:
        tok, lit = self.take()
        if tok != _OPAR:
            raise SelectorError(f"found '{lit}' expected: '('")
        tok, lit = self.look()
        if tok in (_ID, _COMMA):
            s = self.identifiers()
            if self.take()[0] != _CPAR:
                raise SelectorError(f"found '{lit}', expected: ')'")
            return s
        if tok == _CPAR:
            self.take()
            return {""}
        raise SelectorError(f"found '{lit}', expected: ',', ')' or identifier")

    def identifiers(self) -> set[str]:
        s: set[str] = set()
        while True:
            tok, lit = self.take()
            if tok == _ID:
                s.add(lit)
                t2, l2 = self.look()
                if t2 == _COMMA:
                    continue
                if t2 == _CPAR:
                    return s
                raise SelectorError(f"found '{l2}', expected: ',' or ')'")
            if tok == _COMMA:
                if not s:
                    s.add("")  # "(,"
                t2, _ = self.look()
                if t2 == _CPAR:
                    s.add("")  # ",)"
                    return s
                if t2 == _COMMA:
                    s.add("")  # ",,"
                continue
            raise SelectorError(f"found '{lit}', expected: ',', or identifier")

    def exact_value(self) -> set[str]:
        tok, _ = self.look()
        if tok in (_END, _COMMA):
            return {""}
        tok, lit = self.take()
        if tok == _ID:
            return {lit}
        raise SelectorError(f"found '{lit}', expected: identifier")


def parse_label_selector(s: str) -> LabelSelector:
    """labels.Parse: the `-l` syntax. Raises SelectorError with apimachinery's text."""
    reqs = _Parser(s).parse()
    return LabelSelector(tuple(sorted(reqs, key=lambda r: r.key)))


_SPEC_OPS = {"In": IN, "NotIn": NOT_IN, "Exists": EXISTS, "DoesNotExist": DOES_NOT_EXIST}


def from_label_selector_spec(spec: dict | None) -> LabelSelector:
    """metav1.LabelSelectorAsSelector: None → matches nothing; `{}` → matches everything."""
    if spec is None:
        return NOTHING
    match_labels = spec.get("matchLabels") or {}
    exprs = spec.get("matchExpressions") or []
    if not match_labels and not exprs:
        return EVERYTHING
    reqs = [new_requirement(k, EQUALS, [v]) for k, v in match_labels.items()]
    for e in exprs:
        op = _SPEC_OPS.get(e.get("operator"))
        if op is None:
            raise SelectorError(f'"{e.get("operator")}" is not a valid label selector operator')
        reqs.append(new_requirement(e.get("key", ""), op, list(e.get("values") or [])))
    return LabelSelector(tuple(sorted(reqs, key=lambda r: r.key)))


# the name the interface notes use
from_spec = from_label_selector_spec


def selector_string(spec: dict | None) -> str:
    """How kubectl prints a metav1.LabelSelector (`app=web,tier in (a,b)`); "" for none/empty."""
    return str(from_label_selector_spec(spec))


def selector_from_set(labels: dict | None) -> LabelSelector:
    """labels.SelectorFromSet (a Service's or RC's plain map selector); empty → everything."""
    if not labels:
        return EVERYTHING
    return LabelSelector(tuple(Requirement(k, EQUALS, (v,)) for k, v in sorted(labels.items())))


# --------------------------------------------------------------------------- field selectors

_META = ("metadata.name", "metadata.namespace")
#: field labels the API server accepts per kind (AddFieldLabelConversionFunc in pkg/apis/*/v1);
#: kinds not listed accept metadata.name and metadata.namespace
SUPPORTED_FIELDS: dict[str, tuple[str, ...]] = {
    "Pod": _META + (
        "spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
        "spec.hostNetwork", "status.phase", "status.podIP", "status.podIPs", "status.nominatedNodeName",
    ),
    "Node": ("metadata.name", "spec.unschedulable"),
    "Namespace": ("metadata.name", "status.phase"),
    "Event": _META + (
        "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
        "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
        "reason", "reportingComponent", "source", "type",
    ),
    "Secret": _META + ("type",),
    "ReplicationController": _META + ("status.replicas",),
    "ReplicaSet": _META + ("status.replicas",),
    "Job": _META + ("status.successful",),
    "CertificateSigningRequest": _META + ("spec.signerName",),
}


@dataclass(frozen=True)
class FieldRequirement:
    field: str
    operator: str  # "=", "==" or "!="
    value: str

    def matches(self, obj: dict) -> bool:
        have = field_value(obj, self.field)
        return have != self.value if self.operator == NOT_EQUALS else have == self.value

    def __str__(self) -> str:
        return f"{self.field}{self.operator}{_escape(self.value)}"


@dataclass(frozen=True)
class FieldSelector:
    requirements: tuple[FieldRequirement, ...] = dc_field(default_factory=tuple)

    def matches(self, obj: dict) -> bool:
        return all(r.matches(obj) for r in self.requirements)

    def empty(self) -> bool:
        return not self.requirements

    def __str__(self) -> str:
        return ",".join(str(r) for r in self.requirements)


def field_value(obj: dict, path: str) -> str:
    """A field as the API server's GetAttrs exposes it: a string; booleans `true`/`false`
    (an unset boolean is `false`), numbers in decimal, missing → ""."""
    if path == "source" and obj.get("kind") == "Event":
        return str((obj.get("source") or {}).get("component", "")) or str(obj.get("reportingComponent") or "")
    if path == "status.podIPs":
        ips = (obj.get("status") or {}).get("podIPs") or []
        return ",".join(str(p.get("ip", "")) for p in ips if isinstance(p, dict))
    cur: Any = obj
    for part in path.split("."):
        cur = cur.get(part) if isinstance(cur, dict) else None
    if isinstance(cur, bool):
        return "true" if cur else "false"
    if cur is None:
        if path in ("spec.hostNetwork", "spec.unschedulable"):
            return "false"
        if path in ("status.replicas", "status.successful"):
            return "0"
        return ""
    return str(cur)


def _split_terms(s: str) -> list[str]:
    terms, cur, esc = [], [], False
    for ch in s:
        if esc:
            cur.append("\\" + ch)
            esc = False
        elif ch == "\\":
            esc = True
        elif ch == ",":
            terms.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    if esc:
        cur.append("\\")
    terms.append("".join(cur))
    return terms


def _unescape(v: str) -> str:
    out, i = [], 0
    while i < len(v):
        ch = v[i]
        if ch == "\\":
            if i + 1 >= len(v) or v[i + 1] not in "\\,=":
                raise SelectorError(f"invalid field selector: invalid escape sequence: {v[i:i + 2]}")
            out.append(v[i + 1])
            i += 2
            continue
        if ch in ",=":
            # Go formats the rune with %v: its code point (61 for '=')
            raise SelectorError(f"invalid field selector: unescaped character in value: {ord(ch)}")
        out.append(ch)
        i += 1
    return "".join(out)


def _escape(v: str) -> str:
    return v.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=")


def parse_field_selector(s: str, kind: str | None = None) -> FieldSelector:
    """fields.ParseSelector (`=`, `==`, `!=`, `\\`-escapes in values); with `kind`, also the
    server's check of supported field labels (`field label not supported: spec.foo`)."""
    reqs = []
    for term in _split_terms(s):
        if not term:
            continue
        for i in range(len(term)):
            op = next((o for o in ("!=", "==", "=") if term.startswith(o, i)), None)
            if op:
                lhs, rhs = term[:i], term[i + len(op):]
                break
        else:
            raise SelectorError(f"invalid selector: '{s}'; can't understand '{term}'")
        reqs.append(FieldRequirement(lhs, op, _unescape(rhs)))
    sel = FieldSelector(tuple(reqs))
    if kind is not None:
        check_field_labels(sel, kind)
    return sel


def check_field_labels(sel: FieldSelector, kind: str) -> None:
    supported = SUPPORTED_FIELDS.get(kind, _META)
    for r in sel.requirements:
        if r.field not in supported:
            raise SelectorError(f"field label not supported: {r.field}")


def unable_to_find_message(group: str, version: str, resource: str, label_selector: str,
                           field_selector: str, err: Exception) -> str:
    """The API server's list error for a bad selector as kubectl prints it after
    `Error from server (BadRequest): `."""
    return (f'Unable to find "{group}/{version}, Resource={resource}" that match label selector '
            f'"{label_selector}", field selector "{field_selector}": {err}')
