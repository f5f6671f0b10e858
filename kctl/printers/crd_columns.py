"""`kubectl get` tables of custom resources: the CRD's additionalPrinterColumns.

Upstream the apiextensions-apiserver builds the Table (pkg/registry/customresource/
tableconvertor): NAME, then one column per additionalPrinterColumns entry of the served
version, each a JSONPath evaluated with missing keys allowed. A version without columns is
served as if it had one: `Age`, type date, `.metadata.creationTimestamp` (so NAME, AGE);
when columns are given AGE is not added. kubectl shows priority 0 columns, and the others
only with -o wide; a nil cell prints as nothing.

The Table travels as JSON from the server to kubectl, which decodes integral numbers as
int64; cell texts here are what kubectl finally prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from kctl.printers.jsonpath import JSONPath, JSONPathError, go_float, value_text

#: serveDefaultColumnsIfEmpty's column
DEFAULT_COLUMNS = ({"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"},)

# tableprinter: a cell is cut at the first of these, and "..." marks the cut
_BREAK = "\f\n\r"


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    priority: int
    json_path: str
    path: JSONPath


def printer_columns(crd: dict, version: str) -> list[dict]:
    """The additionalPrinterColumns of `version` in `crd` (a v1 CRD), or the default Age
    column when it has none (getColumnsForVersion + serveDefaultColumnsIfEmpty)."""
    for v in (crd.get("spec") or {}).get("versions") or ():
        if isinstance(v, dict) and v.get("name") == version:
            cols = v.get("additionalPrinterColumns") or []
            return list(cols) if cols else [dict(c) for c in DEFAULT_COLUMNS]
    return [dict(c) for c in DEFAULT_COLUMNS]


def parse_columns(defs: list[dict]) -> list[Column]:
    """tableconvertor.New: each definition's JSONPath parsed as `{<jsonPath>}`. Like upstream,
    the first one that does not parse ends the list (the server logs it and keeps the
    columns before it)."""
    out = []
    for d in defs:
        jp = str(d.get("jsonPath") or "")
        try:
            path = JSONPath("{" + jp + "}", allow_missing_keys=True, name=str(d.get("name") or ""))
        except JSONPathError:
            break
        try:
            priority = int(d.get("priority") or 0)
        except (TypeError, ValueError):
            priority = 0
        out.append(Column(str(d.get("name") or ""), str(d.get("type") or ""), priority, jp, path))
    return out


def wire_number(f: float) -> str:
    """A float64 cell as kubectl prints it after the JSON round trip: Go's encoder writes
    integral values below 1e21 without a fraction, which kubectl then decodes as int64."""
    if f == f and abs(f) < 1e21 and float(f).is_integer():
        return str(int(f))
    return go_float(f)


def string_cell(value) -> str:
    """client-go jsonpath's PrintResults of one value (type "string" columns): jsonpath's own
    value text, except that null prints as text/template prints an invalid value."""
    return "<no value>" if value is None else value_text(value)


def typed_cell(col_type: str, value, now: datetime) -> str:
    """cellForJSONValue for integer/number/boolean/date columns ("" = nil cell)."""
    if value is None:
        return ""
    if col_type == "integer":
        if isinstance(value, bool):
            return ""
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            if value != value or value in (float("inf"), float("-inf")):
                return ""
            return str(int(value))  # Go's int64(f) truncates toward zero
        return ""
    if col_type == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return ""
        return wire_number(float(value))
    if col_type == "boolean":
        return ("true" if value else "false") if isinstance(value, bool) else ""
    if col_type == "date":
        if not isinstance(value, str):
            return ""
        return date_cell(value, now)
    return ""


def date_cell(text: str, now: datetime) -> str:
    """metav1.Time.UnmarshalQueryParameter then ConvertToHumanReadableDateType."""
    from kctl.printers.columns import UNKNOWN, human_duration

    if text in ("", "null"):
        return UNKNOWN
    t = _parse_rfc3339(text)
    if t is None:
        return "<invalid>"
    if t == datetime(1, 1, 1, tzinfo=timezone.utc):
        return UNKNOWN  # the zero time
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    return human_duration((now - t).total_seconds())


def _parse_rfc3339(text: str) -> datetime | None:
    """Go's time.Parse(time.RFC3339, s): `T` separator, `Z` or a numeric offset, optional
    fraction of seconds."""
    import re

    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})", text)
    if not m:
        return None
    y, mo, d, h, mi, s, frac, tz = m.groups()
    try:
        from datetime import timedelta

        t = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s), tzinfo=timezone.utc)
        if frac:
            t += timedelta(microseconds=int((frac[1:] + "000000")[:6]))
        if tz != "Z":
            sign = 1 if tz[0] == "+" else -1
            t -= sign * timedelta(hours=int(tz[1:3]), minutes=int(tz[4:6]))
    except ValueError:
        return None
    return t


def _printable(text: str) -> str:
    """tableprinter's appendCellValue: cut at a line break (adding "..."), escape ESC."""
    cut = min((i for i in (text.find(c) for c in _BREAK) if i >= 0), default=-1)
    if cut >= 0:
        text = text[:cut] + "..."
    return text.replace("\x1b", "^[")


def cell(col: Column, obj: dict, now: datetime) -> str:
    """The text kubectl prints for column `col` of custom resource `obj`."""
    try:
        results = col.path.find_results(obj)
    except JSONPathError:
        return ""
    if not results or not results[0]:
        return ""
    value = results[0][0]  # simple paths only: the first result
    if col.type == "string":
        return _printable(string_cell(value))
    return _printable(typed_cell(col.type, value, now))


def table_for_crd(crd: dict, version: str, wide: bool = False):
    """(headers, row function (obj, now) -> cells) of a custom resource served from `crd` at
    `version`, as `columns_for` returns them."""
    cols = parse_columns(printer_columns(crd, version))
    shown = [c for c in cols if wide or c.priority == 0]
    headers = ["NAME"] + [c.name.upper() for c in shown]

    def row(obj: dict, now: datetime) -> list[str]:
        name = ((obj.get("metadata") or {}).get("name")) or ""
        return [name] + [cell(c, obj, now) for c in shown]

    return headers, row


# ---------------------------------------------------------------- the CRDs themselves
# apiextensions-apiserver 1.37 (registry/customresourcedefinition/tableconvertor, new in
# v0.37.0-alpha.1, kubernetes#131599): NAME, SCOPE, VERSIONS, CREATED AT, and with -o wide
# GROUP, KIND, SHORTNAMES, ESTABLISHED.
CRD_HEADERS = ["NAME", "SCOPE", "VERSIONS", "CREATED AT"]
CRD_WIDE_HEADERS = ["GROUP", "KIND", "SHORTNAMES", "ESTABLISHED"]


def crd_row(crd: dict, wide: bool = False) -> list[str]:
    """One `kubectl get crd` row: served versions sorted, the storage one marked `(storage)`;
    the creation time as RFC3339 in UTC (Go's zero time when unset)."""
    from kctl.printers.columns import parse_time

    meta = crd.get("metadata") or {}
    spec = crd.get("spec") or {}
    names = spec.get("names") or {}
    versions = sorted(
        str(v.get("name") or "") + ("(storage)" if v.get("storage") else "")
        for v in spec.get("versions") or () if isinstance(v, dict) and v.get("served")
    )
    t = parse_time(meta.get("creationTimestamp"))
    created = t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if t else "0001-01-01T00:00:00Z"
    row = [str(meta.get("name") or ""), str(spec.get("scope") or ""), ",".join(versions), created]
    if wide:
        established = any(
            isinstance(c, dict) and c.get("type") == "Established" and c.get("status") == "True"
            for c in (crd.get("status") or {}).get("conditions") or ()
        )
        row += [str(spec.get("group") or ""), str(names.get("kind") or ""),
                ",".join(str(s) for s in names.get("shortNames") or ()), "true" if established else "false"]
    return row


def table_for_crds(wide: bool = False):
    """(headers, row function) of CustomResourceDefinitions, as `columns_for` returns them."""
    return CRD_HEADERS + (CRD_WIDE_HEADERS if wide else []), (lambda obj, now: crd_row(obj, wide))
