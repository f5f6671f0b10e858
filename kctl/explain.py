"""`kctl explain` rendering and `kctl api-resources` rows: pure logic, no I/O beyond schemas.

The explain layout follows kubectl 1.37's openapi-v3 plaintext template
(pkg/explain/v2/templates/plaintext.tmpl). Our schema files come from the swagger (v2)
definitions, where a field that refers to a named type is `{"$ref": ..., "description": ...}`;
kubectl's v3 document wraps the same field as `{"allOf": [{"$ref": ...}], "description": ...}`.
`_norm` turns the first into the second so the template's rules apply unchanged (the field's
own description followed by the referred type's description, `<TypeName>` as the type).
The `enum` lists in our files are kctl's own apiVersion/kind constants (openapi v3 has none
there), so explain prints no ENUM lines.
"""

from __future__ import annotations

from kctl.api.kinds import Kind


class ExplainError(Exception):
    """A user-facing explain failure; the message is kubectl's text without `error: `."""


# ---------------------------------------------------------------- text helpers (Go semantics)

_NBSP = "\u00a0"


def _is_space(ch: str) -> bool:
    return ch != _NBSP and ch.isspace()


def wrap(text: str, limit: int) -> str:
    """Word-wrap like github.com/mitchellh/go-wordwrap `WrapString` (what kubectl's `wrap` uses):
    breaks only at white space, keeps existing newlines, lets over-long words overflow."""
    out: list[str] = []
    current = 0
    word: list[str] = []
    space: list[str] = []
    for ch in text:
        if ch == "\n":
            if not word:
                if current + len(space) > limit:
                    current = 0
                else:
                    out.extend(space)
            else:
                out.extend(space)
                out.extend(word)
                word = []
            space = []
            out.append(ch)
            current = 0
        elif _is_space(ch):
            if not space or word:
                current += len(space) + len(word)
                out.extend(space)
                out.extend(word)
                space, word = [], []
            space.append(ch)
        else:
            word.append(ch)
            if current + len(space) + len(word) > limit and len(word) < limit:
                out.append("\n")
                current = 0
                space = []
    if not word:
        if current + len(space) <= limit:
            out.extend(space)
    else:
        out.extend(space)
        out.extend(word)
    return "".join(out)


def indent(amount: int, text: str) -> str:
    """sprig-style indent: pad the first line and every line after a newline (even empty ones)."""
    pad = " " * amount
    return pad + text.replace("\n", "\n" + pad)


# ---------------------------------------------------------------- schema walking


class _Doc:
    def __init__(self, schema: dict, enums: bool = False):
        self.defs = schema.get("$defs") or {}
        self.enums = enums  # print ENUM lines (custom resources: the CRD's enums are real)

    def resolve(self, ref: str) -> dict | None:
        if not ref:
            return None
        return self.defs.get(ref.rsplit("/", 1)[-1])


def _norm(s: dict) -> dict:
    """`{$ref, description...}` -> `{allOf: [{$ref}], description...}` (openapi v3's shape)."""
    if "$ref" in s and len(s) > 1:
        rest = {k: v for k, v in s.items() if k != "$ref"}
        rest["allOf"] = [{"$ref": s["$ref"]}]
        return rest
    return s


def _type_name(s: dict) -> str:
    """JSON Schema `type` (maybe a list with "null") as one openapi type name, or ""."""
    t = s.get("type")
    if isinstance(t, list):
        t = next((x for x in t if x != "null"), "")
    return t or ""


def _map_schema(s: dict) -> dict | None:
    a = s.get("additionalProperties")
    return a if isinstance(a, dict) and a else None


def type_guess(s: dict, doc: _Doc) -> str:
    """The `<type>` hint: `string`, `Object`, `[]Container`, `map[string]string`, `ObjectMeta`."""
    s = _norm(s)
    if s.get("items"):
        return "[]" + type_guess(s["items"], doc)
    m = _map_schema(s)
    if m is not None:
        return "map[string]" + type_guess(m, doc)
    all_of = s.get("allOf")
    if all_of and not s.get("properties") and len(all_of) == 1:
        return type_guess(all_of[0], doc)
    ref = s.get("$ref")
    if ref:
        target = doc.resolve(ref)
        ttype = _type_name(target) if target else ""
        if not target or not ttype or ttype == "object":
            return ref.rsplit("/", 1)[-1].rsplit(".", 1)[-1] or "Object"
        return ttype
    t = _type_name(s)
    if t == "object":
        return "Object"
    return t or "Object"


def _description(s: dict, doc: _Doc) -> str:
    s = _norm(s)
    r = doc.resolve(s.get("$ref", "")) or s
    r = _norm(r)
    text = ""
    if r.get("description"):
        text += r["description"] + "\n"
    for sub in r.get("allOf") or ():
        text += _description(sub, doc)
    if r.get("items"):
        text += _description(r["items"], doc)
    m = _map_schema(r)
    if m is not None:
        text += _description(m, doc)
    return text


def _external_docs(s: dict, amount: int = 0) -> str:
    ext = s.get("externalDocs")
    if not ext:
        return ""
    out = indent(amount, "EXTERNAL DOCS:") + "\n"
    if ext.get("description"):
        out += indent(amount + 4, wrap(ext["description"], 76 - amount)) + "\n"
    if ext.get("url"):
        out += indent(amount + 4, "URL: " + ext["url"]) + "\n"
    return out


def _field_detail(name: str, parent: dict, short: bool, level: int, doc: _Doc) -> str:
    amount = level * 2
    fs = _norm(parent["properties"][name])
    out = indent(amount, name) + "\t<" + type_guess(fs, doc) + ">"
    if name in (parent.get("required") or ()):
        out += " -required-"
    if doc.enums:
        out += enum_text(fs, long_view=False, limit=4, amount=amount)
    out += "\n"
    if not short:
        out += indent(amount + 2, wrap(fs.get("description") or "<no description>", 78 - amount)) + "\n"
        if fs.get("externalDocs"):
            out += "\n" + _external_docs(fs, amount + 2)
        out += "\n"
    return out


def _field_list(s: dict, level: int, history: frozenset, recursive: bool, max_depth: int, doc: _Doc) -> str:
    s = _norm(s)
    ref = s.get("$ref", "")
    if ref and ref in history:
        return ""  # a cycle (e.g. JSONSchemaProps): stop, as kubectl does
    history = history | {ref}
    r = _norm(doc.resolve(ref) or s)
    out = []
    props = r.get("properties") or {}
    for name in sorted(props):
        out.append(_field_detail(name, r, recursive, level, doc))
        if recursive and (max_depth == 0 or level < max_depth):
            out.append(_field_list(props[name], level + 1, history, recursive, max_depth, doc))
    for sub in r.get("allOf") or ():
        out.append(_field_list(sub, level, history, recursive, max_depth, doc))
    if r.get("items"):
        out.append(_field_list(r["items"], level, history, recursive, max_depth, doc))
    m = _map_schema(r)
    if m is not None:
        out.append(_field_list(m, level, history, recursive, max_depth, doc))
    return "".join(out)


def _output(s: dict, path: list[str], history: frozenset, recursive: bool, max_depth: int, doc: _Doc) -> str:
    s = _norm(s)
    ref = s.get("$ref", "")
    r = _norm(doc.resolve(ref) or s)
    if not path:
        out = "DESCRIPTION:\n" + indent(4, wrap(_description(r, doc) or "<empty>", 76)) + "\n"
        ext = _external_docs(r)
        if ext:
            out += "\n" + ext
        fields = _field_list(r, 1, frozenset(), recursive, max_depth, doc)
        if fields:
            out += "FIELDS:\n" + fields
        return out
    if ref and ref in history:
        return ""
    history = history | {ref}
    props = r.get("properties") or {}
    if path[0] in props and props[path[0]]:
        sub = props[path[0]]
        head = ""
        if len(path) == 1:
            enum = enum_text(sub, long_view=True) if doc.enums else ""
            head = f"FIELD: {path[0]} <{type_guess(sub, doc)}>\n{enum}\n\n"
        return head + _output(sub, path[1:], frozenset(), recursive, max_depth, doc)
    if r.get("items"):
        return _output(r["items"], path, history, recursive, max_depth, doc)
    m = _map_schema(r)
    if m is not None:
        return _output(m, path, history, recursive, max_depth, doc)
    for sub in r.get("allOf") or ():
        text = _output(sub, path, history, recursive, max_depth, doc)
        if text:
            return text
    return ""


def render(group: str, version: str, kind: str, schema: dict, field_path: list[str],
           recursive: bool = False, max_depth: int = 0, enums: bool = False) -> str:
    """kubectl 1.37's `explain` plaintext output for a kind's schema (our self-contained
    per-kind JSON Schema), focused on `field_path`; raises ExplainError for a missing field.
    enums: print the schema's `enum` lists (true for custom resources, see crd_schema)."""
    head = (f"GROUP:      {group}\n" if group else "") + f"KIND:       {kind}\nVERSION:    {version}\n\n"
    body = _output(schema, list(field_path), frozenset(), recursive, max_depth, _Doc(schema, enums))
    if not body:
        raise ExplainError(f'field "{field_path[-1]}" does not exist')
    return head + body + "\n"


def split_request(arg: str, resolve) -> tuple[Kind, list[str]]:
    """`deployments.apps.spec.replicas` -> (Deployment kind, ["spec", "replicas"]).

    Like kubectl's matching-prefix split: the longest dotted prefix that names a resource
    (`resource`, `resource.group`) wins; `resolve(name)` gives a Kind or None."""
    parts = arg.split(".")
    for n in range(len(parts), 0, -1):
        name = ".".join(parts[:n])
        k = resolve(name)
        if k is not None:
            return k, parts[n:]
    raise ExplainError(f'the server doesn\'t have a resource type "{parts[0]}"')


# ---------------------------------------------------------------- custom resources

def _enum_element(v) -> str:
    """text/template's printing of a value kubectl decoded from the openapi JSON (numbers are
    float64 there); an empty string shows as `""`."""
    if v == "" and isinstance(v, str):
        return '""'
    if v is None:
        return "<no value>"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        from kctl.printers.jsonpath import go_float

        return go_float(float(v))
    if isinstance(v, list):
        return "[" + " ".join(_enum_element(x) for x in v) + "]"
    if isinstance(v, dict):
        return "map[" + " ".join(f"{k}:{_enum_element(v[k])}" for k in sorted(v)) + "]"
    return str(v)


def enum_text(s: dict, *, long_view: bool, limit: int = -1, amount: int = 0) -> str:
    """The template's extractEnum: in a field list `\n<pad>enum: A, B, C, D, ....` (at most
    `limit` values), under `FIELD:` `ENUM:` then one value per line indented by 4."""
    values = s.get("enum")
    if not values or not isinstance(values, list):
        return ""
    out = "ENUM:" if long_view else "\n" + " " * amount + "enum: "
    for i, v in enumerate(values):
        if limit > -1 and i >= limit:
            out += ", ...."
            break
        if i > 0 and not long_view:
            out += ", "
        elif long_view:
            out += "\n    "
        out += _enum_element(v)
    return out


#: metav1beta1.PartialObjectMetadata's swagger doc of `metadata` (what the CRD builder uses)
_METADATA_DESCRIPTION = ("Standard object's metadata. More info: "
                         "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata")
_OBJECT_META_REF = "#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
# addEmbeddedProperties' descriptions for x-kubernetes-embedded-resource objects
_EMBEDDED_API_VERSION = ("apiVersion defines the versioned schema of this representation of an object. More info: "
                         "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources")
_EMBEDDED_KIND = ("kind is a string value representing the type of this object. In CamelCase. More info: "
                  "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds")


def crd_schema(crd: dict, version: str, builtin: dict) -> dict:
    """The openapi v3 schema the apiextensions-apiserver publishes for `version` of `crd`
    (controller/openapi/builder buildKubeNative): the version's openAPIV3Schema with
    `metadata` replaced by a reference to ObjectMeta, `apiVersion`/`kind` by TypeMeta's
    fields, and the same three added to x-kubernetes-embedded-resource objects.
    `builtin`: any built-in kind's schema file, the source of TypeMeta's field schemas and
    of the ObjectMeta definitions (`$defs`)."""
    import copy

    raw = None
    spec = crd.get("spec") or {}
    for v in spec.get("versions") or ():
        if isinstance(v, dict) and v.get("name") == version:
            raw = ((v.get("schema") or {}).get("openAPIV3Schema"))
    if raw is None:
        raw = (spec.get("validation") or {}).get("openAPIV3Schema")  # v1beta1's top-level schema
    if not isinstance(raw, dict):
        # no schema: the builder publishes a bare object
        return {"type": "object", "$defs": dict(builtin.get("$defs") or {})}
    out = copy.deepcopy(raw)
    props = builtin.get("properties") or {}

    def type_meta(name: str, description: str | None = None) -> dict:
        field = {k: v for k, v in (props.get(name) or {}).items() if k != "enum"}
        field["type"] = "string"
        if description is not None:
            field["description"] = description
        return field

    def embed(s):
        if not isinstance(s, dict):
            return
        for sub in (s.get("properties") or {}).values():
            embed(sub)
        embed(s.get("items"))
        if isinstance(s.get("additionalProperties"), dict):
            embed(s["additionalProperties"])
        if s.get("x-kubernetes-embedded-resource") is True:
            p = s.setdefault("properties", {})
            p["apiVersion"] = type_meta("apiVersion", _EMBEDDED_API_VERSION)
            p["kind"] = type_meta("kind", _EMBEDDED_KIND)
            p["metadata"] = {"$ref": _OBJECT_META_REF, "description": _METADATA_DESCRIPTION}
            req = s.setdefault("required", [])
            for name in ("kind", "apiVersion"):
                if name not in req:
                    req.append(name)

    p = out.setdefault("properties", {})
    p["metadata"] = {"$ref": _OBJECT_META_REF, "description": _METADATA_DESCRIPTION}
    p["apiVersion"] = type_meta("apiVersion")
    p["kind"] = type_meta("kind")
    embed(out)
    out["$defs"] = dict(builtin.get("$defs") or {})
    return out


# ---------------------------------------------------------------- api-resources


def api_resource_rows(kinds: list[Kind], *, sort_by: str = "", api_group: str | None = None,
                      namespaced: bool | None = None, verbs: list[str] = (),
                      categories: list[str] = ()) -> list[Kind]:
    """kubectl api-resources' filter and order: by group (default), name or kind; ties by name."""
    out = []
    for k in kinds:
        if not k.verbs:
            continue
        if api_group is not None and k.group != api_group:
            continue
        if namespaced is not None and k.namespaced != namespaced:
            continue
        if verbs and not set(verbs) <= set(k.verbs):
            continue
        if categories and not set(categories) <= set(k.categories):
            continue
        out.append(k)
    field = {"name": lambda k: k.plural, "kind": lambda k: k.kind}.get(sort_by, lambda k: k.group)
    return sorted(out, key=lambda k: (field(k), k.plural))
