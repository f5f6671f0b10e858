"""The CustomResourceDefinition object's own validation on create, after apiextensions'
pkg/apis/apiextensions/validation/validation.go (ValidateCustomResourceDefinition) and the
structural-schema rules of pkg/apiserver/schema/validation.go.

Input is the apiextensions.k8s.io/v1 object as decoded YAML. Like the API server, a v1 CRD whose
versions all carry the same schema (or columns, or subresources) is validated as if those were set
once at the top level, so errors name `spec.validation.openAPIV3Schema...` and
`spec.additionalPrinterColumns[i]...` then (that is how kube-apiserver reports them).

Covered: metadata.name (DNS subdomain, `<plural>.<group>`), group, scope, names (plural,
singular, kind, listKind, shortNames, categories), versions (names, unique, exactly one storage
version, schema present), printer columns, conversion strategy basics, API approval for protected
groups, and the schema: supported types, structural invariants (type at every level, items,
additionalProperties vs properties, metadata at the root, embedded resources, value validations
in anyOf/allOf/oneOf/not), x-kubernetes-list-type / map-type / list-map-keys rules,
x-kubernetes-validations shape, CEL compile errors (when cel-python can parse), patterns.
Not covered: CEL cost estimation, defaults validated against the schema, selectableFields,
webhook client config details, and the completeness check of value validations.
"""

from __future__ import annotations

import re
from typing import Any

from kctl.api import field
from kctl.api.field import FieldError
from kctl.api.validation import meta as metav, names

_PRINTER_TYPES = ["boolean", "date", "integer", "number", "string"]
_COLUMN_FORMATS = ["byte", "date", "date-time", "double", "float", "int32", "int64", "password"]
_OPENAPI_TYPES = ["array", "boolean", "integer", "number", "object", "string"]
_APPROVAL = "api-approved.kubernetes.io"
_ROOT_LEVEL, _ITEM_LEVEL, _FIELD_LEVEL = 0, 1, 2
_REASONS = ["FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"]


def _s(d: Any, *keys: str) -> Any:
    for k in keys:
        d = d.get(k) if isinstance(d, dict) else None
    return d


def validate_crd(crd: dict, old: dict | None = None) -> list[FieldError]:
    """ValidateCustomResourceDefinition, or ValidateCustomResourceDefinitionUpdate with `old`
    (the create rules plus immutable group and plural, scope and kind once established, and
    stored versions that must stay in spec.versions)."""
    errs = _validate_create(crd)
    if isinstance(old, dict):
        errs.extend(_update_rules(crd if isinstance(crd, dict) else {}, old))
    return errs


def _update_rules(crd: dict, old: dict) -> list[FieldError]:
    errs: list[FieldError] = []
    new_spec, old_spec = crd.get("spec") or {}, old.get("spec") or {}

    def immutable(path: str, new: Any, was: Any) -> None:
        if new != was:
            errs.append(field.invalid(path, new, "field is immutable"))

    established = any(isinstance(c, dict) and c.get("type") == "Established" and c.get("status") == "True"
                      for c in _s(old, "status", "conditions") or [])
    if established:
        immutable("spec.scope", new_spec.get("scope") or "", old_spec.get("scope") or "")
        immutable("spec.names.kind", _s(new_spec, "names", "kind") or "", _s(old_spec, "names", "kind") or "")
    immutable("spec.group", new_spec.get("group") or "", old_spec.get("group") or "")
    immutable("spec.names.plural", _s(new_spec, "names", "plural") or "", _s(old_spec, "names", "plural") or "")
    stored = _s(crd, "status", "storedVersions")
    if stored is None:
        stored = _s(old, "status", "storedVersions") or []
    names_in_spec = {str(v.get("name")) for v in new_spec.get("versions") or [] if isinstance(v, dict)}
    for i, v in enumerate(stored):
        if v not in names_in_spec:
            errs.append(field.invalid(
                f"status.storedVersions[{i}]", v,
                f"missing from spec.versions; {v} was previously a storage version, and must remain in spec.versions "
                f"until a storage migration ensures no data remains persisted in {v} and removes {v} from "
                "status.storedVersions"))
    return errs


def _validate_create(crd: dict) -> list[FieldError]:
    crd = crd if isinstance(crd, dict) else {}
    spec = crd.get("spec") if isinstance(crd.get("spec"), dict) else {}
    names_ = spec.get("names") if isinstance(spec.get("names"), dict) else {}
    group = str(spec.get("group") or "")
    plural = str(names_.get("plural") or "")

    def name_fn(name: str, prefix: bool = False) -> list[str]:
        out = names.name_is_dns_subdomain(name, prefix)
        if name != f"{plural}.{group}":
            out.append('must be spec.names.plural+"."+spec.group')
        return out

    errs = metav.validate_object_meta(crd.get("metadata"), "metadata", namespaced=False, name_fn=name_fn)
    errs.extend(_spec(spec, "spec"))
    errs.extend(_api_approval(crd, group))
    if spec.get("preserveUnknownFields") is True:
        errs.append(field.invalid("spec.preserveUnknownFields", True, "cannot set to true, set "
                                  "x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead"))
    return errs


def _api_approval(crd: dict, group: str) -> list[FieldError]:
    if not (group in ("k8s.io", "kubernetes.io") or group.endswith(".k8s.io") or group.endswith(".kubernetes.io")):
        return []
    ann = _s(crd, "metadata", "annotations") or {}
    value = str(ann.get(_APPROVAL) or "") if isinstance(ann, dict) else ""
    path = f"metadata.annotations[{_APPROVAL}]"
    if not value:
        return [field.required(path, f'protected groups must have approval annotation "{_APPROVAL}", '
                                     "see https://github.com/kubernetes/enhancements/pull/1111")]
    if value.startswith("unapproved") or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s]+", value):
        return []
    return [field.invalid(path, value, f'protected groups must have approval annotation "{_APPROVAL}" with either '
                                       'a URL or a reason starting with "unapproved", see '
                                       "https://github.com/kubernetes/enhancements/pull/1111")]


def _same(values: list) -> bool:
    return bool(values) and all(v == values[0] for v in values)


def _spec(spec: dict, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    group = spec.get("group") or ""
    if not group:
        errs.append(field.required(f"{path}.group"))
    elif (m := names.dns1123_subdomain(str(group))):
        errs.append(field.invalid(f"{path}.group", group, ",".join(m)))
    elif len(str(group).split(".")) < 2:
        errs.append(field.invalid(f"{path}.group", group, "should be a domain with at least one dot"))
    scope = spec.get("scope") or ""
    if not scope:
        errs.append(field.required(f"{path}.scope"))
    elif scope not in ("Cluster", "Namespaced"):
        errs.append(field.not_supported(f"{path}.scope", scope, ["Cluster", "Namespaced"]))

    versions = [v if isinstance(v, dict) else {} for v in spec.get("versions") or []]
    schemas = [_s(v, "schema") for v in versions]
    columns = [v.get("additionalPrinterColumns") for v in versions]
    subres = [v.get("subresources") for v in versions]
    # v1 -> internal conversion: identical per-version fields move to the top level
    top_schema = schemas[0] if _same(schemas) and schemas[0] is not None else None
    top_columns = columns[0] if _same(columns) else None
    top_subres = subres[0] if _same(subres) else None

    if top_schema is None:
        for i, v in enumerate(versions):
            if _s(v, "schema", "openAPIV3Schema") is None:
                errs.append(field.required(f"{path}.versions[{i}].schema.openAPIV3Schema"))
    elif _s(top_schema, "openAPIV3Schema") is None:
        for i, _ in enumerate(versions):
            errs.append(field.required(f"{path}.versions[{i}].schema.openAPIV3Schema"))

    storage = 0
    seen: set = set()
    unique = True
    for i, v in enumerate(versions):
        vp = f"{path}.versions[{i}]"
        if v.get("storage"):
            storage += 1
        name = str(v.get("name") or "")
        if name in seen:
            unique = False
        seen.add(name)
        if (m := names.dns1035_label(name)):
            errs.append(field.invalid(f"{vp}.name", name, ",".join(m)))
        if v.get("deprecationWarning") is not None and not v.get("deprecated"):
            errs.append(field.invalid(f"{vp}.deprecationWarning", v.get("deprecationWarning"),
                                      "can only be set for deprecated versions"))
        sr = subres[i] if top_subres is None else top_subres
        if top_schema is None:
            errs.extend(_validation(v.get("schema"), bool(_s(sr, "status") is not None), f"{vp}.schema"))
        if top_subres is None:
            errs.extend(_subresources(v.get("subresources"), f"{vp}.subresources"))
        if top_columns is None:
            for j, col in enumerate(v.get("additionalPrinterColumns") or []):
                errs.extend(_column(col, f"{vp}.additionalPrinterColumns[{j}]"))
    moved = (top_schema is not None, top_subres is not None, top_columns is not None)
    if not unique:
        errs.append(field.invalid(f"{path}.versions", _Versions(spec.get("versions"), moved),
                                  "must contain unique version names"))
    if storage != 1:
        errs.append(field.invalid(f"{path}.versions", _Versions(spec.get("versions"), moved),
                                  "must have exactly one version marked as storage version"))
    n = spec.get("names") if isinstance(spec.get("names"), dict) else {}
    for k in ("plural", "singular", "kind", "listKind"):
        if not n.get(k):
            errs.append(field.required(f"{path}.names.{k}"))
    errs.extend(_names(n, f"{path}.names"))
    if top_schema is not None:
        has_status = any(_s(s, "status") is not None for s in subres if isinstance(s, dict))
        errs.extend(_validation(top_schema, has_status, f"{path}.validation"))
    if top_subres is not None:
        errs.extend(_subresources(top_subres, f"{path}.subresources"))
    if top_columns is not None:
        for j, col in enumerate(top_columns or []):
            errs.extend(_column(col, f"{path}.additionalPrinterColumns[{j}]"))
    conv = spec.get("conversion")
    if isinstance(conv, dict):
        strategy = conv.get("strategy") or ""
        if not strategy:
            errs.append(field.required(f"{path}.conversion.strategy"))
        elif strategy not in ("None", "Webhook"):
            errs.append(field.not_supported(f"{path}.conversion.strategy", strategy, ["None", "Webhook"]))
        elif strategy == "Webhook":
            hook = conv.get("webhook") if isinstance(conv.get("webhook"), dict) else None
            cc = _s(hook, "clientConfig") if hook else None
            if not isinstance(cc, dict):
                errs.append(field.required(f"{path}.conversion.webhookClientConfig", "required when strategy is set to Webhook"))
            elif (cc.get("url") is None) == (cc.get("service") is None):
                errs.append(field.required(f"{path}.conversion.webhookClientConfig",
                                           "exactly one of url or service is required"))
            crv = (hook or {}).get("conversionReviewVersions") or []
            if not crv:
                errs.append(field.required(f"{path}.conversion.conversionReviewVersions"))
            elif not any(v in ("v1", "v1beta1") for v in crv):
                errs.append(field.invalid(f"{path}.conversion.conversionReviewVersions", _GoStrings(crv),
                                          "must include at least one of v1, v1beta1"))
        elif conv.get("webhook") is not None:
            errs.append(field.forbidden(f"{path}.conversion.webhookClientConfig",
                                        "should not be set when strategy is not set to Webhook"))
    return errs


class _Versions:
    """spec.versions as field.Error prints it: encoding/json of the internal
    []CustomResourceDefinitionVersion (Go field names, no omitempty). Per-version schema,
    subresources and columns are null when identical across versions (moved to the top level)."""

    def __init__(self, versions: Any, moved: tuple[bool, bool, bool] = (False, False, False)) -> None:
        self.versions = versions if isinstance(versions, list) else []
        self.moved = moved

    def __str__(self) -> str:
        return "[" + ",".join(self._version(v if isinstance(v, dict) else {}) for v in self.versions) + "]"

    def _version(self, v: dict) -> str:
        schema_moved, subres_moved, cols_moved = self.moved
        sch = v.get("schema")
        schema = "null" if schema_moved or not isinstance(sch, dict) else (
            '{"OpenAPIV3Schema":' + _props_json(sch.get("openAPIV3Schema")) + "}")
        sr = v.get("subresources")
        if subres_moved or not isinstance(sr, dict):
            subres = "null"
        else:
            sc = sr.get("scale")
            scale = "null" if not isinstance(sc, dict) else (
                "{" + f'"SpecReplicasPath":{_j(sc.get("specReplicasPath") or "")},'
                f'"StatusReplicasPath":{_j(sc.get("statusReplicasPath") or "")},'
                f'"LabelSelectorPath":{_j(sc.get("labelSelectorPath"))}' + "}")
            subres = "{" + f'"Status":{"{}" if "status" in sr else "null"},"Scale":{scale}' + "}"
        cols = v.get("additionalPrinterColumns")
        if cols_moved or not cols:
            columns = "null"
        else:
            columns = "[" + ",".join(
                "{" + f'"Name":{_j(c.get("name") or "")},"Type":{_j(c.get("type") or "")},'
                f'"Format":{_j(c.get("format") or "")},"Description":{_j(c.get("description") or "")},'
                f'"Priority":{_j(c.get("priority") or 0)},"JSONPath":{_j(c.get("jsonPath") or "")}' + "}"
                for c in cols if isinstance(c, dict)) + "]"
        sel = v.get("selectableFields")
        selectable = "null" if not sel else "[" + ",".join(
            "{" + f'"JSONPath":{_j((f or {}).get("jsonPath") or "")}' + "}" for f in sel) + "]"
        return ("{" + f'"Name":{_j(v.get("name") or "")},"Served":{_j(bool(v.get("served")))},'
                f'"Storage":{_j(bool(v.get("storage")))},"Deprecated":{_j(bool(v.get("deprecated")))},'
                f'"DeprecationWarning":{_j(v.get("deprecationWarning"))},"Schema":{schema},'
                f'"Subresources":{subres},"AdditionalPrinterColumns":{columns},"SelectableFields":{selectable}' + "}")


def _j(v: Any) -> str:
    from kctl.api.crd.openapi import go_json

    return go_json(v)


_PROPS_FIELDS = [
    ("ID", "id", ""), ("Schema", "$schema", ""), ("Ref", "$ref", None), ("Description", "description", ""),
    ("Type", "type", ""), ("Nullable", "nullable", False), ("Format", "format", ""), ("Title", "title", ""),
    ("Default", "default", None), ("Maximum", "maximum", None), ("ExclusiveMaximum", "exclusiveMaximum", False),
    ("Minimum", "minimum", None), ("ExclusiveMinimum", "exclusiveMinimum", False), ("MaxLength", "maxLength", None),
    ("MinLength", "minLength", None), ("Pattern", "pattern", ""), ("MaxItems", "maxItems", None),
    ("MinItems", "minItems", None), ("UniqueItems", "uniqueItems", False), ("MultipleOf", "multipleOf", None),
    ("Enum", "enum", None), ("MaxProperties", "maxProperties", None), ("MinProperties", "minProperties", None),
    ("Required", "required", None),
]
_PROPS_TAIL = [
    ("ExternalDocs", "externalDocs"), ("Example", "example"),
    ("XPreserveUnknownFields", "x-kubernetes-preserve-unknown-fields"),
    ("XEmbeddedResource", "x-kubernetes-embedded-resource"), ("XIntOrString", "x-kubernetes-int-or-string"),
    ("XListMapKeys", "x-kubernetes-list-map-keys"), ("XListType", "x-kubernetes-list-type"),
    ("XMapType", "x-kubernetes-map-type"), ("XValidations", "x-kubernetes-validations"),
]


def _props_json(s: Any) -> str:
    """encoding/json of the internal JSONSchemaProps (no json tags: every field, Go names)."""
    if not isinstance(s, dict):
        return "null"
    out = [f'"{go}":{_j(s.get(k, zero))}' for go, k, zero in _PROPS_FIELDS]
    items = s.get("items")
    if isinstance(items, dict):
        out.append('"Items":{"Schema":' + _props_json(items) + ',"JSONSchemas":null}')
    elif isinstance(items, list):
        out.append('"Items":{"Schema":null,"JSONSchemas":[' + ",".join(_props_json(x) for x in items) + "]}")
    else:
        out.append('"Items":null')
    for go in ("AllOf", "OneOf", "AnyOf"):
        lst = s.get(go[0].lower() + go[1:])
        out.append(f'"{go}":' + ("null" if not isinstance(lst, list) else "[" + ",".join(_props_json(x) for x in lst) + "]"))
    out.append('"Not":' + _props_json(s.get("not")))
    out.append('"Properties":' + _props_map(s.get("properties")))
    out.append('"AdditionalProperties":' + _props_or_bool(s.get("additionalProperties")))
    out.append('"PatternProperties":' + _props_map(s.get("patternProperties")))
    deps = s.get("dependencies")
    if isinstance(deps, dict):
        out.append('"Dependencies":{' + ",".join(
            f'{_j(k)}:' + ('{"Schema":' + _props_json(v) + ',"Property":null}' if isinstance(v, dict)
                           else '{"Schema":null,"Property":' + _j(v) + "}")
            for k, v in sorted(deps.items())) + "}")
    else:
        out.append('"Dependencies":null')
    out.append('"AdditionalItems":' + _props_or_bool(s.get("additionalItems")))
    out.append('"Definitions":' + _props_map(s.get("definitions")))
    for go, k in _PROPS_TAIL:
        v = s.get(k)
        if go == "ExternalDocs":
            out.append(f'"{go}":' + ("null" if not isinstance(v, dict) else
                                     '{"Description":' + _j(v.get("description") or "") + ',"URL":' + _j(v.get("url") or "") + "}"))
        elif go in ("XEmbeddedResource", "XIntOrString"):
            out.append(f'"{go}":{_j(bool(v))}')
        elif go == "XValidations":
            out.append(f'"{go}":' + ("null" if not v else "[" + ",".join(str(_RuleValue(r)) for r in v) + "]"))
        else:
            out.append(f'"{go}":{_j(v)}')
    return "{" + ",".join(out) + "}"


def _props_map(m: Any) -> str:
    if not isinstance(m, dict):
        return "null"
    return "{" + ",".join(f"{_j(k)}:{_props_json(v)}" for k, v in sorted(m.items())) + "}"


def _props_or_bool(v: Any) -> str:
    if isinstance(v, bool):
        return '{"Allows":' + _j(v) + ',"Schema":null}'
    if isinstance(v, dict):
        return '{"Allows":true,"Schema":' + _props_json(v) + "}"
    return "null"


class _GoStrings:
    def __init__(self, v: list) -> None:
        self.v = v

    def __str__(self) -> str:
        return "[]string{" + ", ".join(field.go_quote(str(x)) for x in self.v) + "}"


def _names(n: dict, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for k in ("plural", "singular"):
        v = str(n.get(k) or "")
        if v and (m := names.dns1035_label(v)):
            errs.append(field.invalid(f"{path}.{k}", v, ",".join(m)))
    for k in ("kind", "listKind"):
        v = str(n.get(k) or "")
        if v and (m := names.dns1035_label(v.lower())):
            errs.append(field.invalid(f"{path}.{k}", v, "may have mixed case, but should otherwise match: " + ",".join(m)))
    for i, s in enumerate(n.get("shortNames") or []):
        if (m := names.dns1035_label(str(s))):
            errs.append(field.invalid(f"{path}.shortNames[{i}]", s, ",".join(m)))
    if n.get("kind") and n.get("kind") == n.get("listKind"):
        errs.append(field.invalid(f"{path}.listKind", n.get("listKind"), "kind and listKind may not be the same"))
    for i, c in enumerate(n.get("categories") or []):
        if (m := names.dns1035_label(str(c))):
            errs.append(field.invalid(f"{path}.categories[{i}]", c, ",".join(m)))
    return errs


def _column(col: Any, path: str) -> list[FieldError]:
    col = col if isinstance(col, dict) else {}
    errs: list[FieldError] = []
    if not col.get("name"):
        errs.append(field.required(f"{path}.name"))
    t = col.get("type") or ""
    if not t:
        errs.append(field.required(f"{path}.type", "must be one of " + ",".join(_PRINTER_TYPES)))
    elif t not in _PRINTER_TYPES:
        errs.append(field.invalid(f"{path}.type", t, "must be one of " + ",".join(_PRINTER_TYPES)))
    f = col.get("format") or ""
    if f and f not in _COLUMN_FORMATS:
        errs.append(field.invalid(f"{path}.format", f, "must be one of " + ",".join(_COLUMN_FORMATS)))
    jp = col.get("jsonPath")
    if not jp:
        errs.append(field.required(f"{path}.JSONPath"))
    elif not str(jp).startswith("."):
        errs.append(field.invalid(f"{path}.JSONPath", jp, "must be a simple json path starting with ."))
    return errs


def _subresources(sr: Any, path: str) -> list[FieldError]:
    if not isinstance(sr, dict) or not isinstance(sr.get("scale"), dict):
        return []
    sc = sr["scale"]
    errs: list[FieldError] = []
    spec_path = sc.get("specReplicasPath") or ""
    if not spec_path:
        errs.append(field.required(f"{path}.scale.specReplicasPath"))
    elif not str(spec_path).startswith(".spec."):
        errs.append(field.invalid(f"{path}.scale.specReplicasPath", spec_path, "should be a json path under .spec"))
    status_path = sc.get("statusReplicasPath") or ""
    if not status_path:
        errs.append(field.required(f"{path}.scale.statusReplicasPath"))
    elif not str(status_path).startswith(".status."):
        errs.append(field.invalid(f"{path}.scale.statusReplicasPath", status_path,
                                  "should be a json path under .status"))
    sel = sc.get("labelSelectorPath")
    if sel and not (str(sel).startswith(".spec.") or str(sel).startswith(".status.")):
        errs.append(field.invalid(f"{path}.scale.labelSelectorPath", sel, "should be a json path under either .spec or .status"))
    return errs


# ---------------------------------------------------------------------------------------------
# schema


def _validation(v: Any, status_enabled: bool, path: str) -> list[FieldError]:
    schema = _s(v, "openAPIV3Schema")
    if not isinstance(schema, dict):
        return []
    p = f"{path}.openAPIV3Schema"
    errs: list[FieldError] = []
    if status_enabled and schema.get("type") not in (None, "", "object"):
        errs.append(field.invalid(f"{p}.type", schema.get("type"),
                                  'only "object" is allowed as the type at the root of the schema if the status '
                                  "subresource is enabled"))
    if schema.get("nullable"):
        errs.append(field.forbidden(f"{p}.nullable", "nullable cannot be true at the root"))
    structural = _structural(schema, _ROOT_LEVEL, p)
    structural.sort(key=str)  # ValidateStructural sorts its errors by text
    errs.extend(structural)
    if not structural:
        errs.extend(_defaults(schema, p, embedded=True, inside_meta=False))
    errs.extend(_openapi(schema, p, is_root=True, inside_meta=False))
    return errs


def _defaults(s: dict, p: str, embedded: bool, inside_meta: bool) -> list[FieldError]:
    """ValidateDefaults outside resource metadata: a default must survive pruning unchanged and
    validate against its own schema (OpenAPI, then its x-kubernetes-validations)."""
    from kctl.api.crd import openapi

    errs: list[FieldError] = []
    if s.get("x-kubernetes-embedded-resource"):
        embedded, inside_meta = True, False
    if "default" in s and s["default"] is not None and not inside_meta:
        d = s["default"]
        pruned = openapi._deepcopy(d)
        if isinstance(pruned, (dict, list)):
            openapi._prune(pruned, openapi.compile_schema(s), "", [], root=bool(s.get("x-kubernetes-embedded-resource")))
        if not openapi._json_equal(pruned, d):
            errs.append(field.invalid(f"{p}.default", openapi._bad(d), "must not have unknown fields"))
        verrs = openapi.validate_value(d, s, f"{p}.default")
        errs.extend(verrs)
        node = openapi.compile_schema(s)
        if not verrs and node.has_rules:
            from kctl.api.crd import cel

            errs.extend(cel.validate(node, d, None, root=f"{p}.default"))
    if isinstance(s.get("items"), dict):
        errs.extend(_defaults(s["items"], f"{p}.items", False, inside_meta))
    for k, sub in (s.get("properties") or {}).items():
        if isinstance(sub, dict):
            meta = inside_meta or (embedded and k in ("metadata", "apiVersion", "kind"))
            errs.extend(_defaults(sub, f"{p}.properties[{k}]", False, meta))
    return errs


def _type(s: dict) -> str:
    t = s.get("type")
    return t if isinstance(t, str) else ""


def _structural(s: dict, lvl: int, p: str) -> list[FieldError]:
    """validateStructuralInvariants."""
    errs: list[FieldError] = []
    t = _type(s)
    items = s.get("items")
    if t == "array" and items is None:
        errs.append(field.required(f"{p}.items", "must be specified"))
    if isinstance(items, dict):
        errs.extend(_structural(items, _ITEM_LEVEL, f"{p}.items"))
    for k, v in (s.get("properties") or {}).items():
        if isinstance(v, dict):
            errs.extend(_structural(v, _FIELD_LEVEL, f"{p}.properties[{k}]"))
    ap = s.get("additionalProperties")
    if ap is not None and ap is not False:
        if lvl == _ROOT_LEVEL:
            errs.append(field.forbidden(f"{p}.additionalProperties", "must not be used at the root"))
        if isinstance(ap, dict):
            errs.extend(_structural(ap, _FIELD_LEVEL, f"{p}.additionalProperties"))
    ios = bool(s.get("x-kubernetes-int-or-string"))
    pres = bool(s.get("x-kubernetes-preserve-unknown-fields"))
    emb = bool(s.get("x-kubernetes-embedded-resource"))
    if ios and pres:
        errs.append(field.invalid(f"{p}.x-kubernetes-preserve-unknown-fields", True,
                                  "must be false if x-kubernetes-int-or-string is true"))
    if ios and emb:
        errs.append(field.invalid(f"{p}.x-kubernetes-embedded-resource", True,
                                  "must be false if x-kubernetes-int-or-string is true"))
    for kw in ("anyOf", "allOf", "oneOf"):
        for i, sub in enumerate(s.get(kw) or []):
            if isinstance(sub, dict) and not (ios and kw in ("anyOf", "allOf") and _int_or_string_pattern(sub, kw, i)):
                errs.extend(_nested(sub, lvl, f"{p}.{kw}[{i}]", allow_rules=kw == "allOf"))
    if isinstance(s.get("not"), dict):
        errs.extend(_nested(s["not"], lvl, f"{p}.not", allow_rules=False))
    if emb and t != "object":
        if not t:
            errs.append(field.required(f"{p}.type", "must be object if x-kubernetes-embedded-resource is true"))
        else:
            errs.append(field.invalid(f"{p}.type", t, "must be object if x-kubernetes-embedded-resource is true"))
    elif not t and not ios and not pres:
        detail = {_ROOT_LEVEL: "must not be empty at the root", _ITEM_LEVEL: "must not be empty for specified array items",
                  _FIELD_LEVEL: "must not be empty for specified object fields"}[lvl]
        errs.append(field.required(f"{p}.type", detail))
    if emb and ap is not None and ap is not False:
        errs.append(field.forbidden(f"{p}.additionalProperties", "must not be used if x-kubernetes-embedded-resource is set"))
    if lvl == _ROOT_LEVEL and t and t != "object":
        errs.append(field.invalid(f"{p}.type", t, "must be object at the root"))
    props = s.get("properties") or {}
    check_meta = lvl == _ROOT_LEVEL or emb
    for k in ("kind", "apiVersion"):
        if k in props and check_meta and _type(props[k]) != "string":
            errs.append(field.invalid(f"{p}.properties[{k}].type", _type(props[k]), "must be string"))
    if "metadata" in props and isinstance(props["metadata"], dict):
        m = props["metadata"]
        mp = f"{p}.properties[metadata]"
        if check_meta and _type(m) != "object":
            errs.append(field.invalid(f"{mp}.type", _type(m), "must be object"))
        if lvl == _ROOT_LEVEL:
            rest = {k: v for k, v in m.items() if k not in ("type", "default", "description")}
            mprops = set((rest.pop("properties", None) or {}).keys())
            if rest or not mprops <= {"name", "generateName"}:
                errs.append(field.forbidden(mp, "must not specify anything other than name and generateName, but "
                                                "metadata is implicitly specified"))
    if emb and not pres and not props:
        errs.append(field.required(f"{p}.properties", "must not be empty if x-kubernetes-embedded-resource is true "
                                                      "without x-kubernetes-preserve-unknown-fields"))
    pat = s.get("pattern")
    if isinstance(pat, str) and pat:
        from kctl.api.crd import openapi

        if openapi._compile_pattern(pat) is None:  # RE2 syntax, as Go's regexp.Compile
            errs.append(field.invalid(f"{p}.pattern", pat, f"must be a valid regular expression, but isn't: "
                                      f"{_regex_error(pat)}"))
    return errs


def _regex_error(pat: str) -> str:
    """The compile error text (RE2's or Python's wording; Go's differs)."""
    try:
        import re2

        opts = re2.Options()
        opts.log_errors = False
        re2.compile(pat, opts)
    except ImportError:
        try:
            re.compile(pat)
        except re.error as e:
            return f"error parsing regexp: {e}"
    except Exception as e:
        msg = e.args[0] if e.args else e
        return f"error parsing regexp: {msg.decode() if isinstance(msg, bytes) else msg}"
    return "error parsing regexp"


def _int_or_string_pattern(sub: dict, kw: str, i: int) -> bool:
    if kw == "anyOf":
        return sub in ({"type": "integer"}, {"type": "string"})
    return False


_FORBIDDEN_NESTED = [
    ("type", "must be empty to be structural"),
    ("default", "must be undefined to be structural"),
    ("title", "must be empty to be structural"),
    ("description", "must be empty to be structural"),
    ("x-kubernetes-preserve-unknown-fields", "must be false to be structural"),
    ("x-kubernetes-embedded-resource", "must be false to be structural"),
    ("x-kubernetes-int-or-string", "must be false to be structural"),
    ("x-kubernetes-list-map-keys", "must be empty to be structural"),
    ("x-kubernetes-list-type", "must be undefined to be structural"),
    ("x-kubernetes-map-type", "must be undefined to be structural"),
]


def _nested(v: dict, lvl: int, p: str, allow_rules: bool) -> list[FieldError]:
    """validateNestedValueValidation: value validations only inside anyOf/allOf/oneOf/not."""
    errs: list[FieldError] = []
    for kw in ("anyOf", "allOf", "oneOf"):
        for i, sub in enumerate(v.get(kw) or []):
            if isinstance(sub, dict):
                errs.extend(_nested(sub, lvl, f"{p}.{kw}[{i}]", allow_rules and kw == "allOf"))
    if isinstance(v.get("not"), dict):
        errs.extend(_nested(v["not"], lvl, f"{p}.not", False))
    if isinstance(v.get("items"), dict):
        errs.extend(_nested(v["items"], lvl, f"{p}.items", allow_rules))
    for k, sub in (v.get("properties") or {}).items():
        if isinstance(sub, dict):
            errs.extend(_nested(sub, _FIELD_LEVEL, f"{p}.properties[{k}]", allow_rules))
    for kw, detail in _FORBIDDEN_NESTED[:1]:
        if v.get(kw):
            errs.append(field.forbidden(f"{p}.{kw}", detail))
    if v.get("additionalProperties") is not None:
        errs.append(field.forbidden(f"{p}.additionalProperties", "must be undefined to be structural"))
    for kw, detail in _FORBIDDEN_NESTED[1:]:
        if kw == "default" and "default" in v or kw != "default" and v.get(kw):
            errs.append(field.forbidden(f"{p}.{kw}", detail))
    if v.get("nullable"):
        errs.append(field.forbidden(f"{p}.nullable", "must be false to be structural"))
    if v.get("x-kubernetes-validations") and not allow_rules:
        errs.append(field.forbidden(f"{p}.x-kubernetes-validations", "must be empty to be structural"))
    if "metadata" in (v.get("properties") or {}):
        errs.append(field.forbidden(f"{p}.properties[metadata]", "must not be specified in a nested context"))
    return errs


def _openapi(s: dict, p: str, is_root: bool, inside_meta: bool) -> list[FieldError]:
    """ValidateCustomResourceDefinitionOpenAPISchema (the parts that do not need cel-go)."""
    errs: list[FieldError] = []
    t = s.get("type")
    if t == "null":
        errs.append(field.forbidden(f"{p}.type", "type cannot be set to null, use nullable as an alternative"))
    elif t and t not in _OPENAPI_TYPES:
        errs.append(field.not_supported(f"{p}.type", t, _OPENAPI_TYPES))
    for kw, msg in (("id", "id is not supported"), ("additionalItems", "additionalItems is not supported"),
                    ("patternProperties", "patternProperties is not supported"),
                    ("definitions", "definitions is not supported"), ("dependencies", "dependencies is not supported"),
                    ("$ref", "$ref is not supported")):
        if s.get(kw):
            errs.append(field.forbidden(f"{p}.{kw}", msg))
    if isinstance(s.get("items"), list):
        errs.append(field.forbidden(f"{p}.items", "items must be a schema object and not an array"))
    if inside_meta and s.get("x-kubernetes-embedded-resource"):
        errs.append(field.forbidden(f"{p}.x-kubernetes-embedded-resource", "must not be used inside of resource meta"))
    if s.get("uniqueItems"):
        errs.append(field.forbidden(f"{p}.uniqueItems",
                                    "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"))
    ap = s.get("additionalProperties")
    props = s.get("properties") or {}
    if ap is not None:
        if props and (ap is False or isinstance(ap, dict)):
            errs.append(field.forbidden(f"{p}.additionalProperties", "additionalProperties and properties are mutual exclusive"))
        if isinstance(ap, dict):
            errs.extend(_openapi(ap, f"{p}.additionalProperties", False, inside_meta))
    for k, sub in props.items():
        if isinstance(sub, dict):
            meta = (is_root or bool(s.get("x-kubernetes-embedded-resource"))) and k in ("metadata", "kind", "apiVersion")
            errs.extend(_openapi(sub, f"{p}.properties[{k}]", False, inside_meta or meta))
    if isinstance(s.get("not"), dict):
        errs.extend(_openapi(s["not"], f"{p}.not", False, inside_meta))
    for kw in ("allOf", "oneOf", "anyOf"):
        for i, sub in enumerate(s.get(kw) or []):
            if isinstance(sub, dict):
                errs.extend(_openapi(sub, f"{p}.{kw}[{i}]", False, inside_meta))
    items = s.get("items")
    if isinstance(items, dict):
        errs.extend(_openapi(items, f"{p}.items", False, inside_meta))
    if s.get("x-kubernetes-preserve-unknown-fields") is False:
        errs.append(field.invalid(f"{p}.x-kubernetes-preserve-unknown-fields", False, "must be true or undefined"))
    mt = s.get("x-kubernetes-map-type")
    if mt is not None and t != "object":
        if not t:
            errs.append(field.required(f"{p}.type", "must be object if x-kubernetes-map-type is specified"))
        else:
            errs.append(field.invalid(f"{p}.type", t, "must be object if x-kubernetes-map-type is specified"))
    if mt is not None and mt not in ("atomic", "granular"):
        errs.append(field.not_supported(f"{p}.x-kubernetes-map-type", mt, ["atomic", "granular"]))
    lt = s.get("x-kubernetes-list-type")
    if lt is not None and t != "array":
        if not t:
            errs.append(field.required(f"{p}.type", "must be array if x-kubernetes-list-type is specified"))
        else:
            errs.append(field.invalid(f"{p}.type", t, "must be array if x-kubernetes-list-type is specified"))
    elif lt == "set" and isinstance(items, dict):
        it = _type(items)
        if it == "array" and items.get("x-kubernetes-list-type") not in (None, "atomic"):
            errs.append(field.invalid(f"{p}.items.x-kubernetes-list-type", items.get("x-kubernetes-list-type"),
                                      "must be atomic as item of a list with x-kubernetes-list-type=set"))
        if it == "object" and items.get("x-kubernetes-map-type") != "atomic":
            errs.append(field.invalid(f"{p}.items.x-kubernetes-map-type", items.get("x-kubernetes-list-type"),
                                      "must be atomic as item of a list with x-kubernetes-list-type=set"))
    if lt is not None and lt not in ("atomic", "set", "map"):
        errs.append(field.not_supported(f"{p}.x-kubernetes-list-type", lt, ["atomic", "set", "map"]))
    keys = s.get("x-kubernetes-list-map-keys") or []
    if keys:
        if lt is None:
            errs.append(field.required(f"{p}.x-kubernetes-list-type", "must be map if x-kubernetes-list-map-keys is non-empty"))
        elif lt != "map":
            errs.append(field.invalid(f"{p}.x-kubernetes-list-type", lt, "must be map if x-kubernetes-list-map-keys is non-empty"))
    if lt == "map":
        if not keys:
            errs.append(field.required(f"{p}.x-kubernetes-list-map-keys", "must not be empty if x-kubernetes-list-type is map"))
        if items is None:
            errs.append(field.required(f"{p}.items", "must have a schema if x-kubernetes-list-type is map"))
        if isinstance(items, dict) and _type(items) != "object":
            errs.append(field.invalid(f"{p}.items.type", _type(items), "must be object if parent array's x-kubernetes-list-type is map"))
        if isinstance(items, dict) and _type(items) == "object":
            iprops = items.get("properties") or {}
            seen: set = set()
            for k in keys:
                if k in iprops:
                    if _type(iprops[k]) in ("array", "object"):
                        errs.append(field.invalid(f"{p}.items.properties[{k}].type", "object",
                                                  "must be a scalar type if parent array's x-kubernetes-list-type is map"))
                else:
                    errs.append(field.invalid(f"{p}.x-kubernetes-list-map-keys", _GoStrings(keys),
                                              "entries must all be names of item properties"))
                if k in seen:
                    errs.append(field.invalid(f"{p}.x-kubernetes-list-map-keys", _GoStrings(keys),
                                              "must not contain duplicate entries"))
                seen.add(k)
    if lt in ("set", "map") and isinstance(items, dict):
        if items.get("nullable"):
            errs.append(field.forbidden(f"{p}.items.nullable", f"cannot be nullable when x-kubernetes-list-type is {lt}"))
        if lt == "map":
            req = set(items.get("required") or [])
            iprops = items.get("properties") or {}
            for k in keys:
                if k not in iprops:
                    continue
                if k not in req and "default" not in iprops[k]:
                    errs.append(field.required(f"{p}.items.properties[{k}].default", "this property is in "
                                               "x-kubernetes-list-map-keys, so it must have a default or be a required property"))
                if iprops[k].get("nullable"):
                    errs.append(field.forbidden(f"{p}.items.properties[{k}].nullable",
                                                "this property is in x-kubernetes-list-map-keys, so it cannot be nullable"))
    errs.extend(_rules(s, p, is_root))
    return errs


def _rules(s: dict, p: str, is_root: bool) -> list[FieldError]:
    rules = s.get("x-kubernetes-validations") or []
    errs: list[FieldError] = []
    cel_candidates = []
    for i, r in enumerate(rules):
        r = r if isinstance(r, dict) else {}
        rp = f"{p}.x-kubernetes-validations[{i}]"
        rule = str(r.get("rule") or "").strip()
        msg = r.get("message") or ""
        if not rule:
            errs.append(field.required(f"{rp}.rule", "rule is not specified"))
        elif msg and not msg.strip():
            errs.append(field.invalid(f"{rp}.message", msg, "must be non-empty if specified"))
        elif re.search(r"[\n\r]", msg.strip()):
            errs.append(field.invalid(f"{rp}.message", msg, "must not contain line breaks"))
        elif re.search(r"[\n\r]", rule) and not msg.strip():
            errs.append(field.required(f"{rp}.message", "message must be specified if rule contains line breaks"))
        me = r.get("messageExpression")
        if me is not None and me != "" and not str(me).strip():
            errs.append(field.required(f"{rp}.messageExpression", "messageExpression must be non-empty if specified"))
        reason = r.get("reason")
        if reason is not None and reason not in _REASONS:
            errs.append(field.not_supported(f"{rp}.reason", reason, _REASONS))
        fp = r.get("fieldPath")
        if fp is not None and fp != "" and not str(fp).strip():
            errs.append(field.invalid(f"{rp}.fieldPath", fp, "must be non-empty if specified"))
        if fp and re.search(r"\n", str(fp)):
            errs.append(field.invalid(f"{rp}.fieldPath", fp, "must not contain line breaks"))
        if fp and str(fp).strip():
            from kctl.api.crd import openapi

            if openapi.valid_field_path(str(fp), openapi.compile_schema(s)) is None:
                errs.append(field.invalid(f"{rp}.fieldPath", fp, "must be a valid path"))
        if rule:
            cel_candidates.append((i, rule))
    if errs or not cel_candidates:
        return errs
    from kctl.api.crd import openapi

    try:
        from kctl.api.crd import cel
    except ImportError as e:  # cel-python is a dependency; report instead of crashing
        return [field.invalid(f"{p}.x-kubernetes-validations", "", f"rule compiler initialization error: {e}")]
    node = openapi.compile_schema(s)
    for i, rule in cel_candidates:
        msg = cel.compile_error(rule, node, is_root)
        if msg:
            errs.append(field.invalid(f"{p}.x-kubernetes-validations[{i}].rule", _RuleValue(rules[i]), msg))
        me = str(rules[i].get("messageExpression") or "").strip()
        if me and (msg := cel.message_expression_error(me)):
            errs.append(field.invalid(f"{p}.x-kubernetes-validations[{i}].messageExpression", _RuleValue(rules[i]), msg))
    return errs


class _RuleValue:
    """The internal apiextensions.ValidationRule as field.Error prints it: encoding/json of a
    struct without json tags (Go field names, declaration order, nulls kept)."""

    def __init__(self, r: dict) -> None:
        self.r = r

    def __str__(self) -> str:
        from kctl.api.crd.openapi import go_json

        r = self.r
        parts = [("Rule", r.get("rule") or ""), ("Message", r.get("message") or ""),
                 ("MessageExpression", r.get("messageExpression") or ""), ("Reason", r.get("reason")),
                 ("FieldPath", r.get("fieldPath") or ""), ("OptionalOldSelf", r.get("optionalOldSelf"))]
        return "{" + ",".join(f'"{k}":{go_json(v)}' for k, v in parts) + "}"
