"""Custom resources against their CRD's openAPIV3Schema, as kube-apiserver's apiextensions-apiserver does it.

Pure functions over plain JSON values (dict/list/str/int/float/bool/None), called in the API
server's order: `prune` (unknown fields, pruning/algorithm.go; its sorted paths are what strict
field validation reports), then `default` (defaulting/algorithm.go + prunenulls.go), then
`validate` (kube-openapi's validate.SchemaValidator converted to field errors by apiextensions'
kubeOpenAPIResultToFieldErrors, then embedded-resource ObjectMeta, list-type and CEL validation,
as the custom resource strategy runs them; with `old`, ratcheting and transition rules apply).
`validate_crd` (crd_validation.py) checks the CustomResourceDefinition object itself.

A schema is compiled once into a tree of `_Node`s, cached by the identity of the schema dict:
pass the same dict (e.g. `version_schema(crd, v)` of one loaded CRD) to validate many custom
resources quickly; a fresh copy of the schema per call is compiled again.
CEL (`x-kubernetes-validations`) lives in cel.py and is imported only when a schema has rules.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from kctl.api import field
from kctl.api.field import FieldError

__all__ = ["version_schema", "prune", "default", "validate", "validate_crd", "compile_schema"]

# ---------------------------------------------------------------------------------------------
# Go-compatible value rendering (fmt %v, encoding/json) for messages


def _shortest(f: float) -> tuple[str, int]:
    """Shortest round-trip decimal digits of |f| and the exponent of the first digit."""
    r = repr(abs(f))  # Python's repr is the shortest round-trip form too
    if "e" in r:
        mant, _, ex = r.partition("e")
        exp = int(ex)
    else:
        mant, exp = r, 0
    if "." in mant:
        ip, fp = mant.split(".")
    else:
        ip, fp = mant, ""
    digits = (ip + fp).lstrip("0")
    lead = len(ip.lstrip("0")) - 1 if ip.lstrip("0") else -(len(fp) - len(fp.lstrip("0")) + 1)
    return digits.rstrip("0") or "0", exp + lead


_EPREC = 6


def go_float(f: float) -> str:
    """Go's %v for a float64: strconv 'g' with the shortest digits, which switches to the
    exponent form when the exponent is < -4 or >= 6 (ftoa.go: "if precision was the shortest
    possible, use precision 6 for this decision"): 1e+06, 1.5, 0.0001, 1e-05."""
    if math.isinf(f):
        return "+Inf" if f > 0 else "-Inf"
    if math.isnan(f):
        return "NaN"
    if f == 0:
        return "0"
    digits, exp = _shortest(f)
    sign = "-" if f < 0 else ""
    if exp < -4 or exp >= _EPREC:
        m = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{m}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    if exp < 0:
        return f"{sign}0.{'0' * (-exp - 1)}{digits}"
    if len(digits) <= exp + 1:
        return sign + digits + "0" * (exp + 1 - len(digits))
    return f"{sign}{digits[:exp + 1]}.{digits[exp + 1:]}"


def go_v(v: Any) -> str:
    """Go's %v for a JSON value (numbers, strings, bools; slices of them as [a b])."""
    if v is None:
        return "<nil>"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return go_float(v)
    if isinstance(v, str):
        return v
    if isinstance(v, list):
        return "[" + " ".join(go_v(x) for x in v) + "]"
    if isinstance(v, dict):
        return "map[" + " ".join(f"{k}:{go_v(v[k])}" for k in sorted(v)) + "]"
    return str(v)


def go_json(v: Any) -> str:
    """encoding/json.Marshal: sorted keys, no spaces, HTML-safe escapes, Go float form."""
    if isinstance(v, float):
        return _json_float(v)
    if isinstance(v, dict):
        return "{" + ",".join(go_json(str(k)) + ":" + go_json(v[k]) for k in sorted(v)) + "}"
    if isinstance(v, list):
        return "[" + ",".join(go_json(x) for x in v) + "]"
    s = json.dumps(v, ensure_ascii=False)
    if isinstance(v, str):
        s = s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        s = s.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return s


def _json_float(f: float) -> str:
    """encoding/json's float64: %f form, or %e for |f| < 1e-6 or >= 1e21 with e-07 -> e-7."""
    a = abs(f)
    if a != 0 and (a < 1e-6 or a >= 1e21):
        digits, exp = _shortest(f)
        m = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{'-' if f < 0 else ''}{m}e{'-' if exp < 0 else '+'}{abs(exp)}"
    if f.is_integer():
        return str(int(f))
    digits, exp = _shortest(f)
    sign = "-" if f < 0 else ""
    if exp < 0:
        return f"{sign}0.{'0' * (-exp - 1)}{digits}"
    if len(digits) <= exp + 1:
        return sign + digits + "0" * (exp + 1 - len(digits))
    return f"{sign}{digits[:exp + 1]}.{digits[exp + 1:]}"


class GoValue:
    """A bad value as field.Error.ErrorBody prints it: scalars via %v/%q, the rest as JSON."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __str__(self) -> str:
        v = self.value
        if isinstance(v, str):
            return field.go_quote(v)
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int):
            return str(v)
        if isinstance(v, float):
            return go_float(v)
        return go_json(v)

    def __repr__(self) -> str:
        return f"GoValue({self.value!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GoValue) and _json_equal(self.value, other.value)

    def __hash__(self) -> int:
        return hash(go_json(self.value))


def _bad(value: Any) -> Any:
    """Wrap a value for FieldError so it prints as Go prints an unstructured value."""
    if value is None:
        return None
    if isinstance(value, (dict, list, float)):
        return GoValue(value)
    return value


# ---------------------------------------------------------------------------------------------
# JSON value helpers


_JSON_TYPES = {bool: "boolean", str: "string", int: "integer", float: "number", list: "array", dict: "object",
               type(None): "null"}


def json_type(v: Any) -> str:
    """The JSON type kube-openapi infers for a decoded value (typeValidator.schemaInfoForType)."""
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, str):
        return "string"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "number"
    if isinstance(v, list):
        return "array"
    if isinstance(v, dict):
        return "object"
    if v is None:
        return "null"
    return type(v).__name__


def _json_equal(a: Any, b: Any) -> bool:
    """reflect.DeepEqual on JSON values, but with ints and floats of equal value equal
    (the apiserver decodes integers as int64 and others as float64 consistently)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_json_equal(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def _deepcopy(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _deepcopy(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_deepcopy(x) for x in v]
    return v


# ---------------------------------------------------------------------------------------------
# Formats: strfmt.Default as apiextensions keeps it (validation/formats.go strips the others)

_SUPPORTED_STRING_FORMATS = frozenset(
    "bsonobjectid uri email hostname ipv4 ipv6 cidr mac uuid uuid3 uuid4 uuid5 isbn isbn10 isbn13 "
    "creditcard ssn hexcolor rgbcolor byte password date duration datetime k8sshortname k8slongname".split()
)


def _effective_format(fmt: str, types: tuple[str, ...]) -> str:
    """StripUnsupportedFormatsPostProcessorForVersion: the format kube-openapi will see."""
    if not fmt:
        return ""
    t = types[0] if len(types) == 1 else ""
    if t in ("", "string"):
        return fmt if fmt.replace("-", "") in _SUPPORTED_STRING_FORMATS else ""
    if t == "integer":
        return fmt if fmt in ("int32", "int64") else ""
    if t == "number":
        return fmt if fmt in ("float", "double") else ""
    return ""


def _format_checker(fmt: str):
    return _FORMAT_CHECKERS.get(fmt.replace("-", ""))


# strfmt.Default's checks (kube-openapi pkg/validation/strfmt, its vendored govalidator)
_RX_HOSTNAME = re.compile(
    r"^([a-zA-Z0-9\u00a0-\U0010ffff]((-?[a-zA-Z0-9\u00a0-\U0010ffff]{0,62})?)|"
    r"([a-zA-Z0-9\u00a0-\U0010ffff](([a-zA-Z0-9\-\u00a0-\U0010ffff]{0,61}[a-zA-Z0-9\u00a0-\U0010ffff])?)(\.)){1,}"
    r"([a-zA-Z\u00a0-\U0010ffff]){2,63})$")
_RX_UUID = re.compile(r"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$")
_RX_UUID3 = re.compile(r"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$")
_RX_UUID4 = re.compile(r"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$")
_RX_UUID5 = re.compile(r"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$")
_RX_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
# strfmt.DateTimePattern, applied to the part after the "t" (IsDateTime)
_RX_TIME = re.compile(r"^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$")
_RX_GO_DURATION = re.compile(r"^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h))+$|^[-+]?0$")
_RX_DURATION_PART = re.compile(r"(\d+)\s*([A-Za-z\u00b5]+)")
_DURATION_UNITS = [["ns", "nano"], ["us", "\u00b5s", "micro"], ["ms", "milli"], ["s", "sec"], ["m", "min"],
                   ["h", "hr", "hour"], ["d", "day"], ["w", "wk", "week"]]
_RX_MAC = re.compile(r"^(?:[0-9a-fA-F]{2}([-:]))(?:[0-9a-fA-F]{2}\1){4}[0-9a-fA-F]{2}$|"
                     r"^(?:[0-9a-fA-F]{2}([-:]))(?:[0-9a-fA-F]{2}\2){6}[0-9a-fA-F]{2}$|"
                     r"^(?:[0-9a-fA-F]{2}([-:]))(?:[0-9a-fA-F]{2}\3){18}[0-9a-fA-F]{2}$|"
                     r"^(?:[0-9a-fA-F]{4}\.){2}[0-9a-fA-F]{4}$|^(?:[0-9a-fA-F]{4}\.){3}[0-9a-fA-F]{4}$|"
                     r"^(?:[0-9a-fA-F]{4}\.){9}[0-9a-fA-F]{4}$")
_RX_HEXCOLOR = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_RX_RGB = re.compile(r"^rgb\(\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*,\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|"
                     r"25[0-5])\s*,\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*\)$")
_RX_SSN = re.compile(r"^\d{3}[- ]?\d{2}[- ]?\d{4}$")
_RX_BASE64 = re.compile(
    r"^(?:[A-Za-z0-9+\/]{4})*(?:[A-Za-z0-9+\/]{2}==|[A-Za-z0-9+\/]{3}=|[A-Za-z0-9+\/]{4})$")
_RX_SHORT = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_RX_LONG = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_RX_BSON = re.compile(r"^[0-9a-fA-F]{24}$")
_RX_CREDIT = re.compile(r"^(?:4[0-9]{12}(?:[0-9]{3})?|5[1-5][0-9]{14}|6(?:011|5[0-9][0-9])[0-9]{12}|3[47][0-9]{13}|"
                        r"3(?:0[0-5]|[68][0-9])[0-9]{11}|(?:2131|1800|35\d{3})\d{11})$")


def _valid_date(y: str, m: str, d: str) -> bool:
    import calendar

    yi, mi, di = int(y), int(m), int(d)
    return 1 <= mi <= 12 and 1 <= di <= calendar.monthrange(yi, mi)[1] if yi > 0 else False


def _is_date(v: str) -> bool:
    m = _RX_DATE.match(v)
    return bool(m) and _valid_date(*m.groups())


def _is_datetime(v: str) -> bool:
    """strfmt.IsDateTime: a date, a "t" (either case), then hh:mm:ss[.frac](z|+hh:mm)."""
    if len(v) < 4:
        return False
    parts = v.lower().split("t")
    if len(parts) < 2 or not _is_date(parts[0]):
        return False
    m = _RX_TIME.match(parts[1])
    return bool(m) and m.group(1) <= "23" and m.group(2) <= "59" and m.group(3) <= "59"


def _is_duration(v: str) -> bool:
    """strfmt.ParseDuration: Go's time.ParseDuration, else "<n> <unit>" parts in any spelling."""
    if _RX_GO_DURATION.match(v):
        return True
    for num, unit in _RX_DURATION_PART.findall(v):
        u = unit.strip().lower()
        for variants in _DURATION_UNITS:
            last = len(variants) - 1
            if any((i == last and u.startswith(var)) or u == var for i, var in enumerate(variants)):
                return True
    return False


def _is_email(v: str) -> bool:
    """net/mail.ParseAddress, roughly: `addr@domain` or `Name <addr@domain>`."""
    m = re.fullmatch(r"\s*(?:[^<>@]*<([^<>\s]+)>|([^<>\s]+))\s*", v)
    addr = (m.group(1) or m.group(2)) if m else ""
    return bool(re.fullmatch(r"[^@\s]+@[^@\s.][^@\s]*", addr))


def _is_ipv4(v: str) -> bool:
    # netutils.ParseIPSloppy accepts leading zeros; the string must have a dot
    parts = v.split(".")
    if len(parts) == 4 and all(p.isdigit() and len(p) <= 3 and int(p) <= 255 for p in parts):
        return True
    return "." in v and ":" in v and _is_ipv6(v)


def _is_ipv6(v: str) -> bool:
    import ipaddress

    try:
        ipaddress.IPv6Address(v.split("%", 1)[0])
        return ":" in v
    except ValueError:
        return False


def _is_cidr(v: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_network(v, strict=False)
        return "/" in v
    except ValueError:
        return False


def _is_uri(v: str) -> bool:
    # govalidator.IsRequestURI: net/url.ParseRequestURI: absolute URI or absolute path
    from urllib.parse import urlsplit

    if not v or " " in v:
        return False
    if v.startswith("/"):
        return True
    try:
        u = urlsplit(v)
    except ValueError:
        return False
    return bool(u.scheme)


def _is_hostname(v: str) -> bool:
    return bool(_RX_HOSTNAME.match(v)) and len(v) <= 255 and all(len(p) <= 63 for p in v.split("."))


def _isbn10(v: str) -> bool:
    s = re.sub(r"[\s-]+", "", v)
    if not re.fullmatch(r"\d{9}[\dX]", s):
        return False
    total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(s))
    return total % 11 == 0


def _isbn13(v: str) -> bool:
    s = re.sub(r"[\s-]+", "", v)
    if not re.fullmatch(r"\d{13}", s):
        return False
    total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(s[:12]))
    return (10 - total % 10) % 10 == int(s[12])


def _is_credit(v: str) -> bool:
    s = re.sub(r"[^0-9]+", "", v)
    if not _RX_CREDIT.match(s):
        return False
    total, double = 0, False
    for c in reversed(s):
        d = int(c)
        if double:
            d *= 2
            if d > 9:
                d -= 9
        total += d
        double = not double
    return total % 10 == 0


_FORMAT_CHECKERS = {
    "bsonobjectid": lambda v: bool(_RX_BSON.match(v)),
    "uri": _is_uri,
    "email": _is_email,
    "hostname": _is_hostname,
    "ipv4": _is_ipv4,
    "ipv6": _is_ipv6,
    "cidr": _is_cidr,
    "mac": lambda v: bool(_RX_MAC.match(v)),
    "uuid": lambda v: bool(_RX_UUID.match(v)),
    "uuid3": lambda v: bool(_RX_UUID3.match(v)),
    "uuid4": lambda v: bool(_RX_UUID4.match(v)),
    "uuid5": lambda v: bool(_RX_UUID5.match(v)),
    "isbn": lambda v: _isbn10(v) or _isbn13(v),
    "isbn10": _isbn10,
    "isbn13": _isbn13,
    "creditcard": _is_credit,
    "ssn": lambda v: len(v) == 11 and bool(_RX_SSN.match(v)),
    "hexcolor": lambda v: bool(_RX_HEXCOLOR.match(v)),
    "rgbcolor": lambda v: bool(_RX_RGB.match(v)),
    "byte": lambda v: bool(_RX_BASE64.match(v)),
    "password": lambda v: True,
    "date": _is_date,
    "duration": _is_duration,
    "datetime": _is_datetime,
    "k8sshortname": lambda v: len(v) <= 63 and bool(_RX_SHORT.match(v)),
    "k8slongname": lambda v: len(v) <= 253 and bool(_RX_LONG.match(v)),
}


# ---------------------------------------------------------------------------------------------
# Compiled schema

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1
_FLOAT32_MAX = 3.4028234663852886e38


class _Node:
    """One schema level, prepared for repeated validation."""

    __slots__ = (
        "raw", "types", "nullable", "format", "format_check", "enum", "maximum", "exclusive_maximum",
        "minimum", "exclusive_minimum", "multiple_of", "max_length", "min_length", "pattern",
        "pattern_re", "max_items", "min_items", "unique_items", "items", "properties",
        "additional", "additional_allows", "pattern_properties", "required", "max_properties",
        "min_properties", "all_of", "any_of", "one_of", "not_", "preserve_unknown", "embedded",
        "int_or_string", "list_type", "list_map_keys", "map_type", "rules", "default",
        "has_default", "has_rules", "has_list_types", "has_embedded", "schema_type", "cel_rules",
    )

    def __init__(self, s: dict) -> None:
        self.raw = s
        t = s.get("type")
        self.schema_type = t if isinstance(t, str) else ""
        self.int_or_string = bool(s.get("x-kubernetes-int-or-string"))
        if self.int_or_string:
            self.types: tuple[str, ...] = ("integer", "string")
        elif isinstance(t, str) and t:
            self.types = (t,)
        elif isinstance(t, list):
            self.types = tuple(t)
        else:
            self.types = ()
        self.nullable = bool(s.get("nullable"))
        self.format = _effective_format(s.get("format") or "", self.types)
        self.format_check = _format_checker(self.format) if self.format and self.format not in (
            "int32", "int64", "float", "double") else None
        self.enum = s.get("enum")
        self.maximum = s.get("maximum")
        self.exclusive_maximum = bool(s.get("exclusiveMaximum"))
        self.minimum = s.get("minimum")
        self.exclusive_minimum = bool(s.get("exclusiveMinimum"))
        self.multiple_of = s.get("multipleOf")
        self.max_length = s.get("maxLength")
        self.min_length = s.get("minLength")
        self.pattern = s.get("pattern") or ""
        self.pattern_re = _compile_pattern(self.pattern) if self.pattern else None
        self.max_items = s.get("maxItems")
        self.min_items = s.get("minItems")
        self.unique_items = bool(s.get("uniqueItems"))
        items = s.get("items")
        self.items = _Node(items) if isinstance(items, dict) else None
        props = s.get("properties")
        self.properties = {k: _Node(v) for k, v in props.items()} if isinstance(props, dict) else {}
        ap = s.get("additionalProperties")
        self.additional: _Node | None = None
        self.additional_allows: bool | None = None  # None: keyword absent
        if isinstance(ap, dict):
            self.additional = _Node(ap)
            self.additional_allows = True
        elif isinstance(ap, bool):
            self.additional_allows = ap
        pp = s.get("patternProperties")
        self.pattern_properties = (
            [(k, _compile_pattern(k), _Node(v)) for k, v in pp.items()] if isinstance(pp, dict) else []
        )
        self.required = list(s.get("required") or [])
        self.max_properties = s.get("maxProperties")
        self.min_properties = s.get("minProperties")
        self.all_of = [_Node(x) for x in s.get("allOf") or [] if isinstance(x, dict)]
        self.any_of = [_Node(x) for x in s.get("anyOf") or [] if isinstance(x, dict)]
        self.one_of = [_Node(x) for x in s.get("oneOf") or [] if isinstance(x, dict)]
        n = s.get("not")
        self.not_ = _Node(n) if isinstance(n, dict) else None
        self.preserve_unknown = bool(s.get("x-kubernetes-preserve-unknown-fields"))
        self.embedded = bool(s.get("x-kubernetes-embedded-resource"))
        self.list_type = s.get("x-kubernetes-list-type")
        self.list_map_keys = list(s.get("x-kubernetes-list-map-keys") or [])
        self.map_type = s.get("x-kubernetes-map-type")
        self.rules = list(s.get("x-kubernetes-validations") or [])
        self.cel_rules = None  # compiled by cel.py on first use
        self.has_default = "default" in s
        self.default = s.get("default")
        children = self._children()
        self.has_rules = bool(self.rules) or any(c.has_rules for c in children)
        self.has_list_types = self.list_type in ("set", "map") or any(c.has_list_types for c in children)
        self.has_embedded = self.embedded or any(c.has_embedded for c in children)

    def _children(self) -> list[_Node]:
        out = list(self.properties.values())
        if self.items is not None:
            out.append(self.items)
        if self.additional is not None:
            out.append(self.additional)
        out.extend(self.all_of)
        out.extend(self.any_of)
        out.extend(self.one_of)
        if self.not_ is not None:
            out.append(self.not_)
        out.extend(n for _, _, n in self.pattern_properties)
        return out


def _compile_pattern(pattern: str):
    """A schema pattern (Go RE2 syntax) compiled with RE2 when google-re2 is installed (it
    comes with cel-python), else with Python's re; None when it does not compile."""
    rx2 = _re2()
    if rx2 is not None:
        try:
            return rx2[0].compile(pattern, rx2[1])
        except Exception:  # re2.error: reported like Go's compile error
            return None
    try:
        return re.compile(_go_to_py_regex(pattern))
    except re.error:
        return None


_RE2: list = []


def _re2():
    if not _RE2:
        try:
            import re2

            opts = re2.Options()
            opts.log_errors = False  # RE2 would print parse errors on stderr
            _RE2.append((re2, opts))
        except Exception:
            _RE2.append(None)
    return _RE2[0]


def _go_to_py_regex(p: str) -> str:
    # RE2's \z is Python's \Z, and RE2's $ (without (?m)) matches only at the very end
    out, i, in_class = [], 0, False
    while i < len(p):
        c = p[i]
        if c == "\\" and i + 1 < len(p):
            out.append("\\Z" if p[i + 1] == "z" else p[i:i + 2])
            i += 2
            continue
        if c == "[":
            in_class = True
        elif c == "]":
            in_class = False
        elif c == "$" and not in_class and "(?m" not in p:
            c = "\\Z"
        out.append(c)
        i += 1
    return "".join(out)


_CACHE: dict[int, tuple[dict, _Node]] = {}
_CACHE_MAX = 512


def compile_schema(schema: dict) -> _Node:
    """The compiled tree for a schema dict, cached by the dict's identity (the dict is kept
    alive by the cache, so its id cannot be reused while cached)."""
    hit = _CACHE.get(id(schema))
    if hit is not None and hit[0] is schema:
        return hit[1]
    node = _Node(schema)
    if len(_CACHE) >= _CACHE_MAX:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[id(schema)] = (schema, node)
    return node


# ---------------------------------------------------------------------------------------------
# version_schema


def version_schema(crd: dict, version: str) -> dict | None:
    """spec.versions[name==version].schema.openAPIV3Schema (or the v1beta1-era top-level
    spec.validation when the version has none)."""
    spec = (crd or {}).get("spec") or {}
    for v in spec.get("versions") or []:
        if isinstance(v, dict) and v.get("name") == version:
            sch = (v.get("schema") or {}).get("openAPIV3Schema")
            if isinstance(sch, dict):
                return sch
            break
    legacy = (spec.get("validation") or {}).get("openAPIV3Schema")
    if isinstance(legacy, dict) and (spec.get("version") == version or any(
            isinstance(v, dict) and v.get("name") == version for v in spec.get("versions") or [])):
        return legacy
    return None


# ---------------------------------------------------------------------------------------------
# prune (pruning/algorithm.go)

_META_FIELDS = frozenset(("apiVersion", "kind", "metadata"))


def prune(obj: dict, schema: dict) -> list[str]:
    """Drop fields the structural schema does not specify; return their paths, sorted as
    upstream's PruneWithOptions returns them (e.g. `spec.foo`, `spec.items[0].bar`)."""
    node = compile_schema(schema) if schema else _Node({})
    removed: list[str] = []
    # the resource root is always treated as an embedded resource: apiVersion/kind/metadata stay
    _prune(obj, node, "", removed, root=True)
    removed.sort()
    return removed


def _join(parent: str, key: str) -> str:
    return f"{parent}.{key}" if parent else key


def _prune(x: Any, s: _Node | None, path: str, removed: list[str], root: bool = False,
           keep: bool = False) -> None:
    """`keep`: under x-kubernetes-preserve-unknown-fields (upstream's skipPrune) unknown keys
    stay, known ones are still pruned below; it carries into array items, not properties."""
    keep = keep or (s is not None and s.preserve_unknown)
    if isinstance(x, dict):
        if s is None:
            for k in list(x):
                removed.append(_join(path, k))
                del x[k]
            return
        embedded = s.embedded or root
        for k in list(x):
            if embedded and k in _META_FIELDS:
                continue
            prop = s.properties.get(k)
            if prop is not None:
                _prune(x[k], prop, _join(path, k), removed)
            elif s.additional is not None or s.additional_allows:
                _prune(x[k], s.additional, _join(path, k), removed)
            elif not keep:
                if k not in _META_FIELDS or path:
                    removed.append(_join(path, k))
                del x[k]
    elif isinstance(x, list):
        items = s.items if s is not None else None
        if keep and items is None:
            return
        for i, v in enumerate(x):
            _prune(v, items, f"{path}[{i}]", removed, keep=keep)


# ---------------------------------------------------------------------------------------------
# default (defaulting/algorithm.go + prunenulls.go)


def default(obj: dict, schema: dict) -> None:
    """Apply structural defaults in place, then drop nulls of non-nullable fields that have no
    default, as the apiserver's unstructured defaulter does."""
    if not schema:
        return
    node = compile_schema(schema)
    _default(obj, node)
    _prune_nulls(obj, node)


def _non_nullable_null(x: Any, s: _Node | None) -> bool:
    return x is None and s is not None and not s.nullable


def _default(x: Any, s: _Node | None) -> None:
    if s is None:
        return
    if isinstance(x, dict):
        for k, prop in s.properties.items():
            if not prop.has_default or prop.default is None:
                continue
            if k not in x or _non_nullable_null(x[k], prop):
                x[k] = _deepcopy(prop.default)
        for k in list(x):
            prop = s.properties.get(k)
            if prop is not None:
                _default(x[k], prop)
            elif s.additional is not None:
                if _non_nullable_null(x[k], s.additional):
                    x[k] = _deepcopy(s.additional.default)
                _default(x[k], s.additional)
    elif isinstance(x, list):
        for i in range(len(x)):
            if _non_nullable_null(x[i], s.items):
                x[i] = _deepcopy(s.items.default)
            _default(x[i], s.items)


def _field_schema(k: str, s: _Node | None) -> _Node | None:
    if s is None:
        return None
    prop = s.properties.get(k)
    if prop is not None:
        return prop
    return s.additional


def _prune_nulls(x: Any, s: _Node | None) -> None:
    if isinstance(x, dict):
        for k in list(x):
            sub = _field_schema(k, s)
            v = x[k]
            if v is None and sub is not None and not sub.nullable and sub.default is None:
                del x[k]
            else:
                _prune_nulls(v, sub)
    elif isinstance(x, list):
        items = s.items if s is not None else None
        for v in x:
            _prune_nulls(v, items)


# ---------------------------------------------------------------------------------------------
# validate: kube-openapi's SchemaValidator

# kube-openapi error codes (errors/schema.go) that kubeOpenAPIResultToFieldErrors tells apart
_INVALID_TYPE = "invalid-type"
_REQUIRED = "required"
_ENUM = "enum"
_TOO_LONG = "too-long"
_MAX_ITEMS = "max-items"
_TOO_MANY_PROPS = "too-many-properties"
_OTHER = "validation"  # any other *errors.Validation: Invalid value
_PLAIN = "plain"  # not an *errors.Validation (composite, fmt errors): Invalid value "" at the root


class _Err:
    __slots__ = ("code", "name", "value", "valid", "msg", "values")

    def __init__(self, code: str, name: str, msg: str, value: Any = None, valid: Any = None,
                 values: list | None = None) -> None:
        self.code, self.name, self.msg = code, name, msg
        self.value, self.valid, self.values = value, valid, values


class _Result:
    __slots__ = ("errors", "seen", "match")

    def __init__(self) -> None:
        self.errors: list[_Err] = []
        self.seen: set[str] = set()
        self.match = 0

    def add(self, e: _Err) -> None:
        # Result.AddErrors drops an error whose text was already reported
        if e.msg not in self.seen:
            self.seen.add(e.msg)
            self.errors.append(e)

    def merge(self, other: _Result | None) -> None:
        if other is None:
            return
        for e in other.errors:
            self.add(e)
        self.match += other.match

    def truncate(self, n: int) -> None:
        for e in self.errors[n:]:
            self.seen.discard(e.msg)
        del self.errors[n:]

    @property
    def valid(self) -> bool:
        return not self.errors


def _type_error(path: str, type_name: str, value: Any) -> _Err:
    """errors.InvalidType with In="body": a string value is quoted data, anything else omitted."""
    if isinstance(value, str):
        msg = f"{path} in body must be of type {type_name}: {field.go_quote(value)}"
    else:
        msg = f"{path} in body must be of type {type_name}"
    return _Err(_INVALID_TYPE, path, msg, value=value)


def _is_json_integer(f: float) -> bool:
    return not (math.isinf(f) or math.isnan(f)) and f == math.trunc(f)


_NO_OLD = object()  # no correlated old value (create, or nothing to correlate with)


def _validate_node(s: _Node, data: Any, path: str, old: Any, res: _Result) -> None:
    """SchemaValidator.Validate, adding to `res`; with a correlated old value, errors of a value
    that did not change are dropped (CRD validation ratcheting, GA since 1.33)."""
    start = len(res.errors)
    _validate_value(s, data, path, old, res)
    if old is not _NO_OLD and len(res.errors) > start and _json_equal(data, old):
        res.truncate(start)


def _fresh(s: _Node, data: Any, path: str, old: Any) -> _Result:
    """A separate result for one composition branch (anyOf/oneOf/allOf/not weigh them)."""
    r = _Result()
    _validate_value(s, data, path, old, r)
    return r


def _validate_value(s: _Node, data: Any, path: str, old: Any, res: _Result) -> None:
    if data is None:
        _type_check(s, data, path, res)
        _enum_check(s, data, path, res)
        return
    jt = _JSON_TYPES.get(type(data)) or json_type(data)
    # the validator chain: type, schemaProps (allOf/anyOf/oneOf/not), string, format, number,
    # slice, common (enum), object; each applies by the data's kind
    if s.types or s.format:
        _type_check(s, data, path, res)
        res.match += 1
    if s.any_of or s.one_of or s.all_of or s.not_ is not None:
        _schema_props(s, data, path, res, old)
    res.match += 1
    if jt == "string":
        _string_check(s, data, path, res)
        res.match += 1
        if s.format_check is not None:
            if not s.format_check(data):
                res.add(_type_error(path, s.format, data))
            res.match += 1
    elif jt in ("integer", "number"):
        _number_check(s, data, path, res)
        res.match += 1
    elif jt == "array":
        _slice_check(s, data, path, res, old)
        res.match += 1
    if s.enum:
        _enum_check(s, data, path, res)
    res.match += 1
    if jt == "object":
        _object_check(s, data, path, res, old)
        res.match += 1
    res.match += 1


def _type_check(s: _Node, data: Any, path: str, res: _Result) -> None:
    if not s.types and not s.format:
        return
    if data is None:
        if s.types and "null" not in s.types and not s.nullable:
            res.add(_type_error(path, ",".join(s.types), "null"))
        return
    sch_type = json_type(data)
    fmt = {"integer": "int64", "number": "float64"}.get(sch_type, "")
    is_float_int = sch_type == "number" and _is_json_integer(data) and "integer" in s.types
    is_int_float = sch_type == "integer" and "number" in s.types
    is_str_or_slice = sch_type in ("string", "array")
    if (not is_str_or_slice and s.format and not (
            sch_type in s.types or fmt == s.format or is_float_int or is_int_float)):
        res.add(_type_error(path, s.format, fmt))
        return
    if not ("number" in s.types or "integer" in s.types) and s.format and is_str_or_slice:
        return
    if not (sch_type in s.types or is_float_int or is_int_float):
        res.add(_type_error(path, ",".join(s.types), sch_type))


def _enum_check(s: _Node, data: Any, path: str, res: _Result) -> None:
    if not s.enum:
        return
    if data is not None:
        for e in s.enum:
            if e is not None and _json_equal(data, e):
                return
    res.add(_Err(_ENUM, path, f"{path} in body should be one of {go_v(list(s.enum))}", value=data,
                 values=list(s.enum)))


def _string_check(s: _Node, data: str, path: str, res: _Result) -> None:
    # one error at most: the string validator returns at its first failure
    n = len(data)
    if s.max_length is not None and n > s.max_length:
        res.add(_Err(_TOO_LONG, path, f"{path} in body should be at most {int(s.max_length)} chars long",
                     value=data, valid=int(s.max_length)))
        return
    if s.min_length is not None and n < s.min_length:
        res.add(_Err(_OTHER, path, f"{path} in body should be at least {int(s.min_length)} chars long",
                     value=data))
        return
    if s.pattern:
        if s.pattern_re is None:
            res.add(_Err(_OTHER, path, f"{path} in body should match '{s.pattern}, but pattern is invalid: "
                         f"error parsing regexp'", value=data))
        elif not s.pattern_re.search(data):
            res.add(_Err(_OTHER, path, f"{path} in body should match '{s.pattern}'", value=data))


def _range_error(val: Any, type_name: str, fmt: str, prefix: str, path: str) -> str | None:
    """IsValueValidAgainstRange: is a number (the value or a bound) representable in the type?"""
    if type_name == "integer":
        if isinstance(val, float) and not _is_json_integer(val):
            bad = True
        else:
            iv = int(val)
            lo, hi = (_INT32_MIN, _INT32_MAX) if fmt == "int32" else (_INT64_MIN, _INT64_MAX)
            bad = not lo <= iv <= hi
    elif fmt == "float":
        bad = abs(float(val)) > _FLOAT32_MAX
    else:
        bad = False
    if not bad:
        return None
    if fmt:
        return f"{prefix} value must be of type {type_name} with format {fmt} in {path}"
    return f"{prefix} value must be of type {type_name} (default format) in {path}"


def _number_check(s: _Node, val: int | float, path: str, res: _Result) -> None:
    type_name = fmt = ""
    if len(s.types) == 1:
        if s.types[0] == "integer":
            type_name = "integer"
            fmt = s.format if s.format in ("int32", "int64") else ""
        elif s.types[0] == "number":
            type_name = "number"
            fmt = s.format if s.format in ("float", "double") else ""
    e = _range_error(val, type_name, fmt, "Checked", path)
    if e:
        res.add(_Err(_PLAIN, "", e))
    is_int = isinstance(val, int)
    if s.multiple_of is not None:
        f = s.multiple_of
        rng = _range_error(f, type_name, fmt, "MultipleOf", path)
        if rng:
            res.add(_Err(_PLAIN, "", rng))
        factor: Any = f
        if rng is None and is_int:
            factor = int(f)
            if factor <= 0:
                res.add(_Err(_OTHER, path, f"factor MultipleOf declared for {path} must be positive: {factor}",
                             value=factor))
            elif val % factor != 0 if val >= 0 else (-val) % factor != 0:
                res.add(_Err(_OTHER, path, f"{path} in body should be a multiple of {factor}", value=val))
        else:
            factor = float(f)
            if factor <= 0:
                res.add(_Err(_OTHER, path, f"factor MultipleOf declared for {path} must be positive: "
                             f"{go_float(factor)}", value=factor))
            else:
                mult = (1 / factor * val) if factor < 1 else (val / factor)
                if not _is_json_integer(mult):
                    res.add(_Err(_OTHER, path, f"{path} in body should be a multiple of {go_float(factor)}",
                                 value=val))
    if s.minimum is not None:
        _bound(s.minimum, s.exclusive_minimum, val, is_int, type_name, fmt, path, res, low=True)
    if s.maximum is not None:
        _bound(s.maximum, s.exclusive_maximum, val, is_int, type_name, fmt, path, res, low=False)


def _bound(b: Any, exclusive: bool, val: Any, is_int: bool, type_name: str, fmt: str, path: str,
           res: _Result, low: bool) -> None:
    prefix = "Minimum boundary" if low else "Maximum boundary"
    rng = _range_error(b, type_name, fmt, prefix, path)
    if rng:
        res.add(_Err(_PLAIN, "", rng))
    if rng is None and is_int:
        bound: Any = int(b)
        shown = str(bound)
    else:
        bound = float(b)
        shown = go_float(bound)
    if low:
        bad = val <= bound if exclusive else val < bound
        word = "greater than" if exclusive else "greater than or equal to"
    else:
        bad = val >= bound if exclusive else val > bound
        word = "less than" if exclusive else "less than or equal to"
    if bad:
        res.add(_Err(_OTHER, path, f"{path} in body should be {word} {shown}", value=val))


def _slice_check(s: _Node, data: list, path: str, res: _Result, old: Any = _NO_OLD) -> None:
    if s.items is not None:
        olds = _old_items(s, old)
        for i, v in enumerate(data):
            _validate_node(s.items, v, f"{path}[{i}]", olds(v), res)
    size = len(data)
    if s.min_items is not None and size < s.min_items:
        res.add(_Err(_OTHER, path, f"{path} in body should have at least {int(s.min_items)} items", value=size))
    if s.max_items is not None and size > s.max_items:
        res.add(_Err(_MAX_ITEMS, path, f"{path} in body should have at most {int(s.max_items)} items",
                     value=size, valid=int(s.max_items)))
    if s.unique_items:
        seen: list = []
        for v in data:
            if any(_json_equal(v, u) for u in seen):
                res.add(_Err(_OTHER, path, f"{path} in body shouldn't contain duplicates"))
                break
            seen.append(v)


def _old_key(old: Any, k: str, path: str) -> Any:
    """CorrelatedObject.Key: the old value of a field present in both (kind/apiVersion at the
    root are never ratcheted)."""
    if not isinstance(old, dict) or k not in old or (path == "" and k in ("kind", "apiVersion")):
        return _NO_OLD
    return old[k]


def _old_items(s: _Node, old: Any):
    """CorrelatedObject.Index: only list-type=map items correlate, by their keys."""
    if not isinstance(old, list) or s.list_type != "map" or not s.list_map_keys:
        return lambda v: _NO_OLD
    keys = s.list_map_keys
    index: dict = {}
    for o in old:
        if isinstance(o, dict) and all(k in o for k in keys):
            index.setdefault(tuple(go_json(o[k]) for k in keys), o)

    def get(v: Any) -> Any:
        if not isinstance(v, dict) or not all(k in v for k in keys):
            return _NO_OLD
        return index.get(tuple(go_json(v[k]) for k in keys), _NO_OLD)
    return get


def _object_check(s: _Node, data: dict, path: str, res: _Result, old: Any = _NO_OLD) -> None:
    n = len(data)
    if s.min_properties is not None and n < s.min_properties:
        res.add(_Err(_OTHER, path, f"{path} in body should have at least {int(s.min_properties)} properties",
                     value=n))
    if s.max_properties is not None and n > s.max_properties:
        res.add(_Err(_TOO_MANY_PROPS, path, f"{path} in body should have at most {int(s.max_properties)} "
                     "properties", value=n, valid=int(s.max_properties)))
    if s.additional_allows is False:
        for k in data:
            if k in s.properties or any(rx is not None and rx.search(k) for _, rx, _ in s.pattern_properties):
                continue
            res.add(_Err(_OTHER, path, f"{path}.{k} in body is a forbidden property", value=k))
    elif s.pattern_properties or s.additional is not None:
        for k, v in data.items():
            matched = _pattern_props(s, k, v, path, res) if s.pattern_properties else False
            if k not in s.properties and not matched and s.additional is not None:
                _validate_node(s.additional, v, f"{path}.{k}", _old_key(old, k, path), res)
    if s.properties:
        props = s.properties
        for k, v in data.items():
            prop = props.get(k)
            if prop is not None:
                _validate_node(prop, v, f"{path}.{k}" if path else k, _old_key(old, k, path), res)
    for k in s.required:
        if k not in data:
            res.add(_Err(_REQUIRED, f"{path}.{k}", f"{path}.{k} in body is required"))
    if s.pattern_properties:
        for k, v in data.items():
            if k in s.properties:
                continue
            for _, rx, sub in s.pattern_properties:
                if rx is not None and rx.search(k):
                    _validate_node(sub, v, f"{path}.{k}", _NO_OLD, res)


def _pattern_props(s: _Node, key: str, value: Any, path: str, res: _Result) -> bool:
    matched = False
    for _, rx, sub in s.pattern_properties:
        if rx is not None and rx.search(key):
            matched = True
            _validate_node(sub, value, f"{path}.{key}", _NO_OLD, res)
    return matched


def _schema_props(s: _Node, data: Any, path: str, main: _Result, old: Any = _NO_OLD) -> None:
    # composition branches validate the same value: their fields correlate with the same old
    # value, but the branch itself is not ratcheted apart from this node
    if s.any_of:
        best: _Result | None = None
        ok = False
        for sub in s.any_of:
            r = _fresh(sub, data, path, old)
            if r.valid:
                ok = True
                best = None
                break
            if best is None or r.match > best.match:
                best = r
        if not ok:
            main.add(_Err(_PLAIN, "", f"{field.go_quote(path)} must validate at least one schema (anyOf)"))
        if best is not None:
            main.merge(best)
    if s.one_of:
        best = None
        validated = 0
        for sub in s.one_of:
            r = _fresh(sub, data, path, old)
            if r.valid:
                validated += 1
                best = None
                continue
            if validated == 0 and (best is None or r.match > best.match):
                best = r
        if validated != 1:
            extra = "Found none valid" if validated == 0 else f"Found {validated} valid alternatives"
            main.add(_Err(_PLAIN, "", f"{field.go_quote(path)} must validate one and only one schema (oneOf). "
                          f"{extra}"))
            if best is not None:
                main.merge(best)
    if s.all_of:
        validated = 0
        for sub in s.all_of:
            r = _fresh(sub, data, path, old)
            if r.valid:
                validated += 1
            main.merge(r)
        if validated != len(s.all_of):
            extra = ". None validated" if validated == 0 else ""
            main.add(_Err(_PLAIN, "", f"{field.go_quote(path)} must validate all the schemas (allOf){extra}"))
    if s.not_ is not None:
        if _fresh(s.not_, data, path, old).valid:
            main.add(_Err(_PLAIN, "", f"{field.go_quote(path)} must not validate the schema (not)"))


_ROOT = "<nil>"  # a nil *field.Path prints as <nil>


def _to_field_errors(errs: list[_Err], root: str = "") -> list[FieldError]:
    """kubeOpenAPIResultToFieldErrors; `root` is the field path the value sits at ("" for a
    custom resource, whose nil path prints as <nil>)."""
    out: list[FieldError] = []
    base = root or _ROOT
    for e in errs:
        if e.code == _PLAIN:
            out.append(field.invalid(base, "", e.msg))
            continue
        p = e.name[1:] if e.name.startswith(".") else e.name
        if not e.name or e.name == ".":
            p = base
        elif root:
            p = f"{root}.{p}"
        if e.code == _REQUIRED:
            out.append(field.required(p))
        elif e.code == _ENUM:
            values = [v if isinstance(v, str) else go_json(v) for v in e.values or []]
            out.append(FieldError(field.NOT_SUPPORTED, p, _bad(e.value),
                                  "supported values: " + ", ".join(field.go_quote(v) for v in values)
                                  if values else ""))
        elif e.code == _TOO_LONG:
            out.append(_too_long(p, e.valid))
        elif e.code in (_MAX_ITEMS, _TOO_MANY_PROPS):
            out.append(_too_many(p, e.value, e.valid))
        elif e.code == _INVALID_TYPE:
            out.append(field.invalid(p, _bad("" if e.value is None else e.value), e.msg, rule=_TYPE_INVALID))
        else:
            out.append(field.invalid(p, _bad("" if e.value is None else e.value), e.msg))
    return out


def _too_long(p: str, max_len: int | None) -> FieldError:
    if max_len is not None and max_len >= 0:
        unit = "byte" if max_len == 1 else "bytes"
        return FieldError(field.TOO_LONG, p, "<value omitted>", f"may not be more than {max_len} {unit}")
    return FieldError(field.TOO_LONG, p, "<value omitted>", "value is too long")


def _too_many(p: str, actual: int | None, max_q: int | None) -> FieldError:
    if max_q is not None and max_q >= 0:
        detail = f"must have at most {max_q} {'item' if max_q == 1 else 'items'}"
    else:
        detail = "has too many items"
    if actual is not None and actual >= 0:
        return FieldError(field.TOO_MANY, p, actual, detail)
    return FieldError(field.TOO_MANY, p, detail=detail)


# ---------------------------------------------------------------------------------------------
# objectmeta/validation.go: x-kubernetes-embedded-resource values below the root (the root's own
# metadata is the caller's ObjectMeta validation)


def _embedded_errors(x: Any, s: _Node | None, path: str, out: list[FieldError]) -> None:
    if s is None or not s.has_embedded:
        return
    if isinstance(x, dict):
        if s.embedded and path:
            out.extend(_embedded_resource(x, path))
        for k, v in x.items():
            prop = s.properties.get(k)
            if prop is not None:
                _embedded_errors(v, prop, _fchild(path, k), out)
            elif s.additional is not None:
                _embedded_errors(v, s.additional, f"{path}[{k}]", out)
    elif isinstance(x, list):
        for i, v in enumerate(x):
            _embedded_errors(v, s.items, f"{path}[{i}]", out)


_RX_GROUP_VERSION = re.compile(r"^[^/]+(/[^/]+)?$")


def _path_segment_name(name: str, prefix: bool = False) -> list[str]:
    """content.IsPathSegmentName / IsPathSegmentPrefix."""
    out = []
    if not prefix and name in (".", ".."):
        out.append(f"may not be '{name}'")
    for ch in ("/", "%"):
        if ch in name:
            out.append(f"may not contain '{ch}'")
    return out


def _embedded_resource(x: dict, path: str) -> list[FieldError]:
    from kctl.api.validation import meta as metav, names

    errs: list[FieldError] = []
    if "apiVersion" not in x:
        errs.append(field.required(f"{path}.apiVersion"))
    if "kind" not in x:
        errs.append(field.required(f"{path}.kind"))
    for k, v in x.items():
        if k == "apiVersion":
            if not isinstance(v, str):
                errs.append(field.invalid(f"{path}.apiVersion", _bad(v), "must be a string"))
            elif not v:
                errs.append(field.invalid(f"{path}.apiVersion", v, "must not be empty"))
            elif not _RX_GROUP_VERSION.match(v):
                errs.append(field.invalid(f"{path}.apiVersion", v, f"unexpected GroupVersion string: {v}"))
        elif k == "kind":
            if not isinstance(v, str):
                errs.append(field.invalid(f"{path}.kind", _bad(v), "must be a string"))
            elif not v:
                errs.append(field.invalid(f"{path}.kind", v, "must not be empty"))
            elif (m := names.dns1035_label(v.lower())):
                errs.append(field.invalid(f"{path}.kind", v, "may have mixed case, but should otherwise match: "
                                          + ",".join(m)))
        elif k == "metadata" and isinstance(v, dict):
            meta = dict(v)
            if not meta.get("name"):
                meta["name"] = "fakename"  # upstream sets one to avoid the Required error
            errs.extend(metav.validate_object_meta(meta, f"{path}.metadata", namespaced=bool(meta.get("namespace")),
                                                   name_fn=_path_segment_name))
    return errs


# ---------------------------------------------------------------------------------------------
# listtype/validation.go


def _fchild(path: str, k: str) -> str:
    return k if path == "" else f"{path}.{k}"


def _list_errors(s: _Node, obj: dict, path: str, out: list[FieldError]) -> None:
    if s.additional is not None:
        for k, v in obj.items():
            _list_value(s.additional, v, f"{path}[{k}]" if path else f"[{k}]", out)
    if s.properties:
        for k, v in obj.items():
            sub = s.properties.get(k)
            if sub is not None:
                _list_value(sub, v, _fchild(path, k), out)


def _list_value(s: _Node, v: Any, path: str, out: list[FieldError]) -> None:
    if isinstance(v, list):
        _list_array(s, v, path, out)
    elif isinstance(v, dict):
        _list_errors(s, v, path, out)


def _nonunique(items: list) -> list[int]:
    seen: dict[str, int] = {}
    dups: list[int] = []
    for i, x in enumerate(items):
        k = go_json(x) if not isinstance(x, _Unspecified) else "\x00unspecified"
        if isinstance(x, (int, float)) and not isinstance(x, bool):
            # int64 and float64 are different map keys in Go
            k = ("i:" if isinstance(x, int) else "f:") + k
        n = seen.get(k, 0)
        seen[k] = n + 1
        if n == 1:
            dups.append(i)
    return dups


class _Unspecified:
    pass


_UNSPECIFIED = _Unspecified()


def _list_array(s: _Node, obj: list, path: str, out: list[FieldError]) -> None:
    if s.list_type == "set":
        for i in _nonunique(obj):
            out.append(field.duplicate(f"{path}[{i}]", _bad(obj[i])))
    elif s.list_type == "map":
        out.extend(_list_map(s, obj, path))
    if s.items is not None:
        for i, x in enumerate(obj):
            _list_value(s.items, x, f"{path}[{i}]", out)


def _list_map(s: _Node, obj: list, path: str) -> list[FieldError]:
    for i, x in enumerate(obj):
        if x is not None and not isinstance(x, dict):
            return [field.invalid(f"{path}[{i}]", _bad(x), "must be an object for an array of list-type map")]
    if len(obj) <= 1:
        return []
    if len(s.list_map_keys) == 1:
        kf = s.list_map_keys[0]
        keys = [_UNSPECIFIED if x is None or kf not in x else x[kf] for x in obj]
        out = []
        for i in _nonunique(keys):
            val = {} if keys[i] is _UNSPECIFIED else {kf: keys[i]}
            out.append(field.duplicate(f"{path}[{i}]", GoValue(val)))
        return out
    mkeys = [{} if x is None else {k: x[k] for k in s.list_map_keys if k in x} for x in obj]
    return [field.duplicate(f"{path}[{i}]", GoValue(mkeys[i])) for i in _nonunique(mkeys)]


# ---------------------------------------------------------------------------------------------
# validate


def validate(obj: dict, schema: dict, old: dict | None = None) -> list[FieldError]:
    """All schema errors for a custom resource, in the order the CR strategy reports them:
    OpenAPI validation, then list-type (set/map) duplicates, then x-kubernetes-validations.

    With `old` (an update), unchanged values keep their errors to themselves (ratcheting),
    list-type errors count only if the old object had none, and transition rules (oldSelf) run.
    CEL rules are skipped, with upstream's notice, when the object already has a blocking error
    (wrong type, required, enum, too long, too many)."""
    if not schema:
        return []
    node = compile_schema(schema)
    res = _Result()
    _validate_node(node, obj, "", _NO_OLD if old is None else old, res)
    errs = _to_field_errors(res.errors)
    if node.has_embedded and isinstance(obj, dict):
        _embedded_errors(obj, node, "", errs)
    if node.has_list_types and isinstance(obj, dict):
        old_list_errs: list[FieldError] = []
        if isinstance(old, dict):
            _list_errors(node, old, "", old_list_errs)
        if not old_list_errs:
            _list_errors(node, obj, "", errs)
    if node.has_rules:
        if any(_blocking(e) for e in errs):
            errs.append(field.invalid(_ROOT, None, "some validation rules were not checked because the object was "
                                                   "invalid; correct the existing errors to complete validation"))
        else:
            try:
                from kctl.api.crd import cel
            except ImportError as e:  # cel-python is a dependency; say so rather than crash
                errs.append(field.invalid(_ROOT, node.schema_type, f"rule compiler initialization error: {e}"))
                return errs
            errs.extend(cel.validate(node, obj, old))
    return errs


def valid_field_path(json_path: str, node) -> str | None:
    """cel.ValidFieldPath: `.a.b` / `.m['k']` resolved against the schema; the normalised field
    path ("a.b", "m[k]") or None when it does not refer to a valid field."""
    toks = re.findall(r"'(?:[^'\\]|\\.)*'|[.\[\]]|[^.\[\]']+", json_path)
    out = ""
    s = node
    i = 0
    while i < len(toks):
        tok = toks[i]
        if tok == "[":
            if i + 2 >= len(toks) or not (len(toks[i + 1]) >= 2 and toks[i + 1][0] == toks[i + 1][-1] == "'") \
                    or toks[i + 2] != "]":
                return None
            name = re.sub(r"\\(.)", r"\1", toks[i + 1][1:-1])
            i += 3
        elif tok == ".":
            if i + 1 >= len(toks):
                return None
            name = toks[i + 1]
            i += 2
        else:
            return None
        if s is None:
            return None
        if s.properties:
            nxt = s.properties.get(name)
            if nxt is None:
                return None
            out = f"{out}.{name}" if out else name
            s = nxt
        elif s.additional is not None:
            out = f"{out}[{name}]"
            s = s.additional
        else:
            return None
    return out


def validate_value(value: Any, schema: dict, root: str) -> list[FieldError]:
    """OpenAPI validation of a bare value at field path `root` (a schema default, as
    ValidateDefaults checks it when a CRD is created)."""
    res = _Result()
    _validate_node(compile_schema(schema), value, "", _NO_OLD, res)
    return _to_field_errors(res.errors, root)


_TYPE_INVALID = "crd-type-invalid"  # FieldError.rule marking field.TypeInvalid (prints as Invalid value)


def _blocking(e: FieldError) -> bool:
    """hasBlockingErr in the CR strategy."""
    return e.type in (field.NOT_SUPPORTED, field.REQUIRED, field.TOO_LONG, field.TOO_MANY) or e.rule == _TYPE_INVALID


def validate_crd(crd: dict, old: dict | None = None) -> list[FieldError]:
    """The CRD object's own validation (crd_validation.py); with `old`, the update rules too."""
    from kctl.api.crd.crd_validation import validate_crd as _v

    return _v(crd, old)
