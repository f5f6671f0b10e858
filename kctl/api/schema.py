"""The generated JSON schemas (schemas/v1.35 to v1.37/*.json) and the API server's decoding checks.

`check()` reports what kube-apiserver's strict JSON decoding (sigs.k8s.io/json with
DisallowUnknownFields) rejects before any validation runs, with the server's own texts:

    unknown field "spec.template.spec.containerz"
    json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32

plus the schema's `required` lists (and enums, should a schema carry any) as apimachinery
FieldErrors (`rule="schema-required"`; not for the top-level object itself nor under `status`,
where the API server does not enforce them). The schema is compiled once per kind into a tree of small nodes with every
`$ref` pre-resolved, then walked directly: faster than a generic JSON Schema validator,
and the walk knows the Go struct and field stack the decoder's messages need.

Server behaviour worth knowing when composing a response (see `decode_message`):
a type error makes the decode fail, and Go keeps only the first one in document order (kubectl
sends JSON with sorted keys, which is also our sort order); unknown fields are reported
together (`strict decoding error: unknown field "a", unknown field "b"`) only when decoding
otherwise succeeded. `null` is accepted anywhere (Go leaves the field at its zero value).
"""

from __future__ import annotations

import json
import math
import os
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kctl.api import field as F

if TYPE_CHECKING:  # pragma: no cover
    from kctl.api.kinds import Kind

DEFAULT_K8S = "1.37"
_ENV_DIR = "KCTL_SCHEMAS_DIR"  # override for tests and for unusual install layouts


@dataclass(frozen=True)
class SchemaIssue:
    """One decoding rejection. `message` is the API server's text for it."""

    field: str  # apimachinery path, e.g. spec.template.spec.containers[0].ports
    message: str
    unknown_field: bool
    rule: str = ""  # "unknown-field", "type", "quantity", "base64", "time"

    def __str__(self) -> str:
        return self.message


# ---------------------------------------------------------------- files


@lru_cache(maxsize=1)
def schemas_dir() -> Path:
    """The folder holding `v<k8s>/` schema folders.

    Checkout: `<repo>/schemas`. Installed wheel: the data files under
    `<prefix>/share/kctl/schemas` (pyproject's data-files). `$KCTL_SCHEMAS_DIR` overrides.
    """
    env = os.environ.get(_ENV_DIR)
    if env:
        return Path(env)
    pkg = Path(__file__).resolve().parent.parent  # .../kctl
    candidates = [pkg / "schemas", pkg.parent / "schemas"]
    try:
        import sysconfig

        candidates.append(Path(sysconfig.get_path("data")) / "share" / "kctl" / "schemas")
        user = sysconfig.get_path("data", f"{os.name}_user")
        if user:
            candidates.append(Path(user) / "share" / "kctl" / "schemas")
    except (KeyError, ValueError):  # pragma: no cover - exotic installs
        pass
    candidates.append(Path(sys.prefix) / "share" / "kctl" / "schemas")
    # pip --prefix/--root layouts: walk up from site-packages to the prefix
    for parent in pkg.parents:
        candidates.append(parent / "share" / "kctl" / "schemas")
    for c in candidates:
        if (c / f"v{DEFAULT_K8S}").is_dir():
            return c
    return candidates[1]


def file_name(group: str, version: str, kind: str) -> str:
    """`apps.v1.Deployment.json`, `core.v1.Pod.json`."""
    return f"{group or 'core'}.{version}.{kind}.json"


def schema_path(group: str, version: str, kind: str, k8s: str = DEFAULT_K8S) -> Path | None:
    """Path of the schema file for group/version/kind, or None when there is none."""
    p = schemas_dir() / f"v{k8s}" / file_name(group, version, kind)
    return p if p.is_file() else None


@lru_cache(maxsize=64)
def load_schema(group: str, version: str, kind: str, k8s: str = DEFAULT_K8S) -> dict | None:
    """The parsed schema (cached; treat as read-only), or None."""
    p = schema_path(group, version, kind, k8s)
    if p is None:
        return None
    return json.loads(p.read_text(encoding="utf-8"))


def served(group: str, version: str, kind: str, k8s: str = DEFAULT_K8S) -> bool:
    """Whether Kubernetes `k8s` has group/version/kind, judged by its schema files. Kinds that
    1.37 has no schema for either (kctl's NodeInventory, custom resources) are not judged."""
    if k8s == DEFAULT_K8S:
        return True  # kctl's kind registry is 1.37's
    return schema_path(group, version, kind, k8s) is not None or schema_path(group, version, kind) is None


def versions() -> list[str]:
    """The Kubernetes minors with a schema folder, oldest first: ["1.35", "1.36", "1.37"]."""
    try:
        names = [p.name[1:] for p in schemas_dir().iterdir() if p.is_dir() and p.name.startswith("v")]
    except OSError:
        names = []
    found = [n for n in names if n.replace(".", "").isdigit() and n.count(".") == 1]
    return sorted(found, key=lambda n: tuple(int(x) for x in n.split("."))) or [DEFAULT_K8S]


def available(k8s: str = DEFAULT_K8S) -> list[tuple[str, str, str]]:
    """Every (group, version, kind) with a schema file, sorted."""
    out = []
    d = schemas_dir() / f"v{k8s}"
    for p in sorted(d.glob("*.json")):
        if p.name.startswith("_"):
            continue
        stem = p.name[: -len(".json")]
        head, _, kind = stem.rpartition(".")
        group, _, version = head.rpartition(".")
        out.append(("" if group == "core" else group, version, kind))
    return out


# ---------------------------------------------------------------- compiled nodes

# node types
_ANY, _STRUCT, _MAP, _ARRAY, _STR, _INT, _FLOAT, _BOOL, _BYTES, _INTSTR, _QTY, _TIME = range(12)

_INT_RANGE = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
_CUSTOM = {
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": _INTSTR,
    "io.k8s.apimachinery.pkg.api.resource.Quantity": _QTY,
    "io.k8s.apimachinery.pkg.apis.meta.v1.Time": _TIME,
    "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime": _TIME,
    # custom UnmarshalJSON that takes any JSON value
    "io.k8s.apimachinery.pkg.runtime.RawExtension": _ANY,
    "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1": _ANY,
    "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON": _ANY,
    "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray": _ANY,
    "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool": _ANY,
    "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray": _ANY,
}


# `required` in the OpenAPI schema is documentation: the server enforces a field only where
# its validation code does. Fields it never checks (Go's zero value is fine there):
_REQUIRED_NOT_ENFORCED = frozenset({
    ("io.k8s.api.core.v1.HTTPHeader", "value"),
    ("io.k8s.api.core.v1.PreferredSchedulingTerm", "preference"),
    ("io.k8s.api.core.v1.Sysctl", "value"),
    ("io.k8s.api.core.v1.ISCSIVolumeSource", "lun"),
    ("io.k8s.api.core.v1.ISCSIPersistentVolumeSource", "lun"),
})
# and the detail the validation code gives where it has one
_REQUIRED_DETAIL = {
    ("io.k8s.api.networking.v1.HTTPIngressPath", "pathType"): "pathType must be specified",
    ("io.k8s.api.rbac.v1.PolicyRule", "verbs"): "verbs must contain at least one value",
    ("io.k8s.api.core.v1.NodeSelector", "nodeSelectorTerms"): "must have at least one node selector term",
    ("io.k8s.api.core.v1.PodAffinityTerm", "topologyKey"): "can not be empty",
}
# kinds whose kctl.api.validation rules cover every required field of their schema (not Job
# and CronJob: their podFailurePolicy/successPolicy rules are checked here only)
_DEEP_VALIDATED = frozenset({
    ("", "Pod"), ("", "Service"), ("apps", "Deployment"), ("apps", "ReplicaSet"),
    ("apps", "DaemonSet"), ("apps", "StatefulSet"),
})


class _Node:
    __slots__ = ("t", "props", "required", "item", "gotype", "struct", "enum", "bits")

    def __init__(self, t: int = _ANY):
        self.t = t
        self.props: dict[str, _Node] | None = None
        self.required: tuple[tuple[str, str], ...] = ()  # (field, detail)
        self.item: _Node | None = None
        self.gotype = ""  # reflect.Type.String() of the Go field, as in decoder messages
        self.struct = ""  # Go struct name (for struct nodes)
        self.enum: tuple | None = None
        self.bits = ""  # "int32"/"int64" for integers


def _go_names(def_name: str) -> tuple[str, str]:
    parts = def_name.split(".")
    return parts[-2], parts[-1]  # ("v1", "DeploymentSpec")


@lru_cache(maxsize=8)
def _gotypes(k8s: str) -> dict:
    """{definition: {field: Go type}} for named non-struct field types (schemas/v*/_gotypes.json)."""
    p = schemas_dir() / f"v{k8s}" / "_gotypes.json"
    return json.loads(p.read_text(encoding="utf-8")) if p.is_file() else {}


def _elem_type(gotype: str) -> str:
    """`[]v1.Capability` -> `v1.Capability`; `map[string]v1.X` -> `v1.X`; else ""."""
    if gotype.startswith("[]"):
        return gotype[2:]
    if gotype.startswith("map["):
        depth = 0
        for i in range(3, len(gotype)):
            depth += {"[": 1, "]": -1}.get(gotype[i], 0)
            if depth == 0:
                return gotype[i + 1 :]
    return ""


class _Compiler:
    def __init__(self, schema: dict, gotypes: dict, required_defs: dict | None = None):
        self.defs = schema.get("$defs", {})
        self.by_name: dict[str, _Node] = {}
        self.gotypes = gotypes
        # {definition: schema} whose `required` lists count instead of the schema's own
        self.required_defs = required_defs or {}

    def ref(self, ref: str) -> _Node:
        name = ref.rsplit("/", 1)[-1]
        n = self.by_name.get(name)
        if n is None:
            n = _Node()
            self.by_name[name] = n  # before filling: definitions may recurse
            self.fill(n, self.defs[name], name)
        return n

    def node(self, s: dict, owner: str) -> _Node:
        if "$ref" in s:
            return self.ref(s["$ref"])
        n = _Node()
        self.fill(n, s, owner, inline=True)
        return n

    @staticmethod
    def _named(node: _Node | None, s: dict, gotype: str) -> None:
        """Give an inline field node its Go named type (shared $ref nodes keep theirs)."""
        if node is None or "$ref" in s:
            return
        node.gotype = gotype
        elem = _elem_type(gotype)
        sub = s.get("items") if node.t == _ARRAY else s.get("additionalProperties") if node.t == _MAP else None
        if elem and node.item is not None and isinstance(sub, dict) and "$ref" not in sub:
            node.item.gotype = elem

    def fill(self, n: _Node, s: dict, name: str, inline: bool = False) -> None:
        """Fill node `n` from schema `s`; `name` is the definition it is (or sits in)."""
        if not inline and name in _CUSTOM:
            n.t = _CUSTOM[name]
            pkg, short = _go_names(name)
            n.gotype = f"{pkg}.{short}"
            return
        t = s.get("type")
        if isinstance(t, list):
            t = next((x for x in t if x != "null"), None)
        if "enum" in s:
            n.enum = tuple(s["enum"])
        if "properties" in s:
            n.t = _STRUCT
            pkg, short = _go_names(name)
            n.struct, n.gotype = short, f"{pkg}.{short}"
            n.props = {k: self.node(v, name) for k, v in s["properties"].items()}
            for k, g in self.gotypes.get(name, {}).items():
                self._named(n.props.get(k), s["properties"].get(k) or {}, g)
            required = self.required_defs.get(name, s).get("required", ())
            n.required = tuple((r, _REQUIRED_DETAIL.get((name, r), "")) for r in required
                               if (name, r) not in _REQUIRED_NOT_ENFORCED and r in n.props)
        elif t == "object" and isinstance(s.get("additionalProperties"), dict):
            n.t = _MAP
            n.item = self.node(s["additionalProperties"], name)
            elem = n.item.gotype
            n.gotype = f"map[string]{elem}"
        elif t == "array":
            n.t = _ARRAY
            n.item = self.node(s.get("items", {}), name)
            n.gotype = f"[]{n.item.gotype or 'interface {}'}"
        elif t == "string":
            if s.get("format") == "byte":
                n.t, n.gotype = _BYTES, "[]uint8"
            elif s.get("format") == "date-time":
                n.t, n.gotype = _TIME, "v1.Time"
            else:
                n.t, n.gotype = _STR, "string"
        elif t == "integer":
            n.t = _INT
            n.bits = s.get("format") if s.get("format") in _INT_RANGE else "int64"
            n.gotype = n.bits
        elif t == "number":
            n.t, n.gotype = _FLOAT, "float64"
        elif t == "boolean":
            n.t, n.gotype = _BOOL, "bool"
        elif "oneOf" in s:
            kinds = {x.get("type")[0] if isinstance(x.get("type"), list) else x.get("type") for x in s["oneOf"]}
            if kinds == {"string", "integer"}:
                n.t, n.gotype = _INTSTR, "intstr.IntOrString"
            elif kinds == {"string", "number"}:
                n.t, n.gotype = _QTY, "resource.Quantity"
        # anything else (object without properties, no type): any JSON value is decoded


@lru_cache(maxsize=256)
def _compiled(group: str, version: str, kind: str, k8s: str) -> _Node | None:
    schema = load_schema(group, version, kind, k8s)
    if schema is None:
        return None
    top = {k: v for k, v in schema.items() if k != "$defs"}
    # Which fields are required is validation, and kctl's validation is 1.37's whatever schemas
    # decode: an older minor's `required` markers differ (RoleRef.apiGroup, defaulted since
    # forever, is marked required in 1.35) and count only for definitions 1.37 lacks.
    newest = load_schema(group, version, kind) if k8s != DEFAULT_K8S else None
    comp = _Compiler(schema, _gotypes(k8s), (newest or {}).get("$defs"))
    name = schema.get("x-kctl-definition") or f"{group or 'core'}.{version}.{kind}"
    n = _Node()
    comp.fill(n, top, name, inline=True)
    n.struct, n.gotype = kind, f"{version}.{kind}"
    # a missing top-level spec is reported by validation with its own texts (spec.selector: ...)
    n.required = ()
    if n.props:
        # apiVersion/kind are the lookup key; the manifests layer reports problems with them
        n.props = dict(n.props)
        n.props["apiVersion"] = _Node(_ANY)
        n.props["kind"] = _Node(_ANY)
    return n


# ---------------------------------------------------------------- walking

# A location is a linked tuple (parent, segment): segment is a struct field name (str),
# a list index (int) or a map key (_Key). Paths are only rendered when something is wrong.


class _Key(str):
    __slots__ = ()


def _segments(loc) -> list:
    out = []
    while loc is not None:
        loc, seg = loc
        out.append(seg)
    out.reverse()
    return out


def _api_path(segs) -> str:
    s = ""
    for seg in segs:
        if type(seg) is int:
            s += f"[{seg}]"
        elif type(seg) is _Key:
            s += f"[{seg}]"
        else:
            s = f"{s}.{seg}" if s else seg
    return s


def _strict_path(segs) -> str:
    s = ""
    for seg in segs:
        if type(seg) is int:
            s += f"[{seg}]"
        else:
            s = f"{s}.{seg}" if s else str(seg)
    return s


def _go_field(segs) -> str:
    return ".".join(seg for seg in segs if type(seg) is str)


def _sort_key(segs) -> tuple:
    return tuple((1, seg) if type(seg) is int else (0, str(seg)) for seg in segs)


def _json_kind(v: Any) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, dict):
        return "object"
    if isinstance(v, (list, tuple)):
        return "array"
    return "string"  # str and YAML timestamps (kubectl sends those as strings)


def _go_number(v: int | float) -> str:
    """The JSON text Go's encoder gives a YAML number (kubectl converts YAML to JSON)."""
    if isinstance(v, int):
        return str(v)
    if math.isfinite(v) and v.is_integer() and abs(v) < 1e21:
        return str(int(v))
    r = repr(v)
    if "e" in r:
        if 1e-6 <= abs(v) < 1e21:  # Go writes these without an exponent: 0.00005
            from decimal import Decimal

            return format(Decimal(r), "f")
        # Go: 1e+21, 1e-7 (two-digit positive exponents, negative ones unpadded)
        mant, _, exp = r.partition("e")
        digits = exp.lstrip("+-").lstrip("0") or "0"
        r = f"{mant}e-{digits}" if exp.startswith("-") else f"{mant}e+{digits.zfill(2)}"
    return r


def _is_stringish(v: Any) -> bool:
    if isinstance(v, str):
        return True
    import datetime as _dt

    return isinstance(v, (_dt.date, _dt.datetime))


class _Ctx:
    __slots__ = ("issues", "errors", "req")

    def __init__(self):
        self.req = True  # check `required` lists (off under status: the server ignores it on writes)
        self.issues: list[tuple[tuple, SchemaIssue]] = []
        self.errors: list[tuple[tuple, F.FieldError]] = []

    def type_error(self, value_kind: str, gotype: str, loc, struct: str) -> None:
        segs = _segments(loc)
        msg = f"json: cannot unmarshal {value_kind} into Go struct field {struct}.{_go_field(segs)} of type {gotype}"
        self.issues.append((_sort_key(segs), SchemaIssue(_api_path(segs), msg, False, "type")))

    def other(self, message: str, loc, rule: str) -> None:
        segs = _segments(loc)
        self.issues.append((_sort_key(segs), SchemaIssue(_api_path(segs), message, False, rule)))

    def unknown(self, loc, key: str) -> None:
        segs = _segments((loc, key))
        msg = f'unknown field "{_strict_path(segs)}"'
        self.issues.append((_sort_key(segs), SchemaIssue(_api_path(segs), msg, True, "unknown-field")))

    def error(self, err_fn, loc, *args) -> None:
        segs = _segments(loc)
        self.errors.append((_sort_key(segs), err_fn(_api_path(segs), *args)))


def _int_ok(n: _Node, v: Any, loc, struct: str, ctx: _Ctx, gotype: str) -> None:
    if isinstance(v, bool):
        ctx.type_error("bool", gotype, loc, struct)
        return
    if isinstance(v, float):
        if not (math.isfinite(v) and v.is_integer()):
            ctx.type_error(f"number {_go_number(v)}", gotype, loc, struct)
            return
        v = int(v)
    if isinstance(v, int):
        lo, hi = _INT_RANGE[n.bits or "int32"]
        if not lo <= v <= hi:
            ctx.type_error(f"number {v}", gotype, loc, struct)
        return
    ctx.type_error(_json_kind(v), gotype, loc, struct)


def _walk(n: _Node, v: Any, loc, struct: str, ctx: _Ctx) -> None:
    t = n.t
    if t == _STRUCT:
        if type(v) is not dict:
            if not isinstance(v, dict):
                ctx.type_error(_json_kind(v), n.gotype, loc, struct)
                return
        props = n.props
        me = n.struct
        for k, sub in v.items():
            p = props.get(k)
            if p is None:
                ctx.unknown(loc, k)
                continue
            pt = p.t
            # fast paths for the common well-typed scalars (saves a call per field)
            if sub is None or pt == _ANY or (pt == _STR and type(sub) is str and p.enum is None):
                continue
            if pt == _INT and type(sub) is int and -2147483648 <= sub <= 2147483647:
                continue
            if pt == _BOOL and type(sub) is bool:
                continue
            _walk(p, sub, (loc, k), me, ctx)
        for r, detail in n.required if ctx.req else ():
            if v.get(r) is None:
                ctx.error(F.required, (loc, r), detail, "schema-required")
    elif t == _ARRAY:
        if not isinstance(v, list):
            ctx.type_error(_json_kind(v), n.gotype, loc, struct)
            return
        item = n.item
        if item.t != _ANY:
            for i, sub in enumerate(v):
                if sub is not None:
                    _walk(item, sub, (loc, i), struct, ctx)
    elif t == _STR:
        if type(v) is not str and not _is_stringish(v):
            ctx.type_error(_json_kind(v), n.gotype, loc, struct)
        elif n.enum is not None and v not in n.enum:
            ctx.error(F.not_supported, loc, v, list(n.enum), "schema-enum")
    elif t == _MAP:
        if not isinstance(v, dict):
            ctx.type_error(_json_kind(v), n.gotype, loc, struct)
            return
        item = n.item
        if item.t != _ANY:
            for k, sub in v.items():
                if sub is not None:
                    _walk(item, sub, (loc, _Key(k)), struct, ctx)
    elif t == _INT:
        if type(v) is not int:
            _int_ok(n, v, loc, struct, ctx, n.gotype)
        elif not _INT_RANGE[n.bits][0] <= v <= _INT_RANGE[n.bits][1]:
            ctx.type_error(f"number {v}", n.gotype, loc, struct)
    elif t == _BOOL:
        if not isinstance(v, bool):
            ctx.type_error(_json_kind(v), n.gotype, loc, struct)
    elif t == _FLOAT:
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            ctx.type_error(_json_kind(v), n.gotype, loc, struct)
    elif t == _INTSTR:
        # IntOrString.UnmarshalJSON: a JSON string, else decode into its int32
        if not _is_stringish(v):
            _int_ok(_INT32_NODE, v, loc, struct, ctx, "int32")
    elif t == _QTY:
        _check_quantity(v, loc, ctx)
    elif t == _BYTES:
        if isinstance(v, str):
            bad = _base64_error(v)
            if bad is not None:
                ctx.other(f"illegal base64 data at input byte {bad}", loc, "base64")
        elif not isinstance(v, list):
            ctx.type_error(_json_kind(v), n.gotype, loc, struct)
    elif t == _TIME:
        if isinstance(v, str):
            msg = _time_error(v)
            if msg:
                ctx.other(msg, loc, "time")
        elif not _is_stringish(v):
            # metav1.Time.UnmarshalJSON decodes into a string first
            ctx.type_error(_json_kind(v), "string", loc, struct)


_INT32_NODE = _Node(_INT)
_INT32_NODE.bits = "int32"


def _check_quantity(v: Any, loc, ctx: _Ctx) -> None:
    from kctl.api.quantity import ERR_FORMAT, parse_quantity

    if isinstance(v, bool) or not isinstance(v, (str, int, float)):
        ctx.other(ERR_FORMAT, loc, "quantity")  # ParseQuantity of the raw JSON text
        return
    try:
        parse_quantity(v.strip() if isinstance(v, str) else _go_number(v))
    except ValueError as e:
        ctx.other(str(e), loc, "quantity")


_B64 = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")


def _base64_error(s: str) -> int | None:
    """Offset Go's base64.StdEncoding.Decode reports for `s` (CorruptInputError), or None."""
    src = s.encode("utf-8")
    n = len(src)
    si = 0
    while si < n:
        j = 0
        while j < 4:
            if si == n:
                if j == 0:
                    return None
                return si - j  # partial quantum without padding
            c = src[si]
            si += 1
            if c in _B64:
                j += 1
                continue
            if c in (10, 13):  # newlines are skipped
                continue
            if c != 61:  # not "="
                return si - 1
            if j < 2:
                return si - 1
            if j == 2:
                while si < n and src[si] in (10, 13):
                    si += 1
                if si == n:
                    return n
                if src[si] != 61:
                    return si - 1
                si += 1
            while si < n and src[si] in (10, 13):
                si += 1
            if si < n:
                return si  # trailing garbage after padding
            return None
    return None


_RFC3339 = None


def _time_error(s: str) -> str | None:
    """time.Parse(time.RFC3339, s) error text (simplified to the common cases), or None."""
    global _RFC3339
    if _RFC3339 is None:
        import re

        _RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
    if _RFC3339.match(s):
        return None
    layout = "2006-01-02T15:04:05Z07:00"
    return f'parsing time "{s}" as "{layout}": cannot parse "{s}" as "2006"'


def check(obj: dict, kind: "Kind", k8s: str = DEFAULT_K8S) -> tuple[list[SchemaIssue], list[F.FieldError]]:
    """Decode-time issues and schema FieldErrors of `obj` against its kind's schema.

    The version checked is the object's apiVersion when `kind` serves it, else the preferred
    one. Kinds without a schema file (NodeInventory) give ([], []). Both lists are sorted by
    path in document order (sorted keys, list indices numerically).
    """
    version = kind.version
    api_version = obj.get("apiVersion") if isinstance(obj, dict) else None
    if isinstance(api_version, str):
        g, _, v = api_version.rpartition("/")
        if g == kind.group and kind.serves(v):
            version = v
    node = _compiled(kind.group, version, kind.kind, k8s)
    if node is None:
        return [], []
    ctx = _Ctx()
    body = obj
    status_node = node.props.get("status") if node.props else None
    if isinstance(obj, dict) and status_node is not None and obj.get("status") is not None:
        # status is decoded (so type errors count) but its required lists are not enforced
        body = {k: v for k, v in obj.items() if k != "status"}
        ctx.req = False
        _walk(status_node, obj["status"], (None, "status"), node.struct, ctx)
        ctx.req = True
    # kinds validated in depth (kctl.api.validation) report missing fields with the server's
    # own texts, together with the rest of the object's errors: no schema-required for them
    ctx.req = (kind.group, kind.kind) not in _DEEP_VALIDATED
    _walk(node, body, None, kind.kind, ctx)
    ctx.issues.sort(key=lambda p: p[0])
    ctx.errors.sort(key=lambda p: p[0])
    return [i for _, i in ctx.issues], [e for _, e in ctx.errors]


def canonicalize_quantities(obj: dict, kind: "Kind", k8s: str = DEFAULT_K8S) -> None:
    """Rewrite, in place, every resource.Quantity field of `obj` in canonical form, as the API
    server stores and returns it: `cpu: 0.5` -> "500m", `memory: 6.5Gi` -> "6656Mi",
    `cpu: 1` -> "1". Values that do not parse are left alone (check() reports them)."""
    if not isinstance(obj, dict):
        return
    version = kind.version
    api_version = obj.get("apiVersion")
    if isinstance(api_version, str):
        g, _, v = api_version.rpartition("/")
        if g == kind.group and kind.serves(v):
            version = v
    node = _compiled(kind.group, version, kind.kind, k8s)
    if node is not None and _has_qty(node):
        _canon(node, obj)


def _has_qty(n: _Node, _memo: dict = {}, _busy: frozenset = frozenset()) -> bool:  # noqa: B006 (memo)
    key = id(n)
    if key in _memo:
        return _memo[key]
    if key in _busy:
        return False
    busy = _busy | {key}
    if n.t == _QTY:
        r = True
    elif n.t == _STRUCT:
        r = any(_has_qty(p, _memo, busy) for p in (n.props or {}).values())
    elif n.t in (_MAP, _ARRAY) and n.item is not None:
        r = _has_qty(n.item, _memo, busy)
    else:
        r = False
    _memo[key] = r
    return r


def _canon_one(v: Any) -> Any:
    from kctl.api.quantity import parse_quantity

    if isinstance(v, bool) or not isinstance(v, (str, int, float)):
        return v
    try:
        return str(parse_quantity(v.strip() if isinstance(v, str) else _go_number(v)))
    except (ValueError, TypeError, OverflowError):
        return v


def _canon(n: _Node, v: Any) -> None:
    if n.t == _STRUCT and isinstance(v, dict):
        for k, sub in v.items():
            p = (n.props or {}).get(k)
            if p is None or sub is None or not _has_qty(p):
                continue
            if p.t == _QTY:
                v[k] = _canon_one(sub)
            else:
                _canon(p, sub)
    elif n.t == _MAP and isinstance(v, dict) and n.item is not None:
        for k, sub in v.items():
            if n.item.t == _QTY:
                v[k] = _canon_one(sub)
            elif sub is not None:
                _canon(n.item, sub)
    elif n.t == _ARRAY and isinstance(v, list) and n.item is not None:
        for i, sub in enumerate(v):
            if n.item.t == _QTY:
                v[i] = _canon_one(sub)
            elif sub is not None:
                _canon(n.item, sub)


def decode_message(issues: list[SchemaIssue], kind: "Kind", version: str | None = None) -> str | None:
    """The API server's BadRequest text for these issues, or None when there are none:

    `Deployment in version "v1" cannot be handled as a Deployment: <decoder error>` where the
    decoder error is the first non-strict issue, else `strict decoding error: ` and every
    unknown field joined by ", ".
    """
    if not issues:
        return None
    version = version or kind.version
    hard = [i for i in issues if not i.unknown_field]
    if hard:
        err = hard[0].message
    else:
        err = "strict decoding error: " + ", ".join(i.message for i in issues)
    return f'{kind.kind} in version "{version}" cannot be handled as a {kind.kind}: {err}'
