"""`kubectl get` output for every -o format (pkg/cmd/get/get.go + cli-runtime printers).

The CLI resolves kinds, reads the store and calls `render_get`; this module only formats.
"""

from __future__ import annotations

import functools
import re
from datetime import datetime

from kctl.printers.columns import columns_for, format_labels
from kctl.printers.jsonpath import JSONPath, JSONPathError, relaxed
from kctl.printers.table import render_table

ALLOWED_FORMATS = (
    "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,"
    "jsonpath-file,kyaml,name,template,templatefile,wide,yaml"
)


class PrinterError(ValueError):
    """An -o / --sort-by problem; str() is kubectl's text without the "error: " prefix."""


class SortPathError(PrinterError):
    """--sort-by names a path that does not parse or finds nothing (kubectl's table printer
    swallows these)."""


def parse_output(output: str | None) -> tuple[str, str]:
    """`-o` value -> (format, argument): ("", ""), ("wide", ""), ("jsonpath", "{.x}"), ...

    Formats kctl prints: "" (table), wide, yaml, kyaml, json, name, jsonpath, jsonpath-file,
    jsonpath-as-json, custom-columns, custom-columns-file. go-template/template are recognised
    but not implemented (PrinterError).
    """
    output = output or ""
    fmt, sep, arg = output.partition("=")
    known = {"", "wide", "yaml", "kyaml", "json", "name", "jsonpath", "jsonpath-file", "jsonpath-as-json",
             "custom-columns", "custom-columns-file"}
    if fmt in known and not (fmt == "" and sep):  # "-o=" is the format "=", not the default
        if fmt in ("jsonpath", "jsonpath-file", "jsonpath-as-json") and not arg:
            raise PrinterError("template format specified but no template given")
        if fmt == "custom-columns-file" and not arg:
            raise PrinterError("custom-columns-file format specified but no custom columns file given")
        return fmt, arg
    if fmt in ("go-template", "go-template-file", "template", "templatefile"):
        raise PrinterError(f"output format {fmt!r} is not supported by kctl")
    raise PrinterError(
        f'unable to match a printer suitable for the output format "{output}", allowed formats are: '
        f"{ALLOWED_FORMATS}"
    )


def no_resources_message(namespace: str | None, *, all_namespaced: bool) -> str:
    """What kubectl prints on stderr when a table would be empty (`all_namespaced`: every
    requested kind is namespaced and -A was not given)."""
    if all_namespaced and namespace:
        return f"No resources found in {namespace} namespace."
    return "No resources found"


def kind_prefix(kind) -> str:
    """`deployment.apps`, `pod`: what -o name and multi-kind tables put before "/name"."""
    k = kind.kind.lower()
    return f"{k}.{kind.group}" if kind.group else k


def label_column_header(key: str) -> str:
    """-L app.kubernetes.io/name -> NAME (last path segment, upper-cased)."""
    return key.split("/")[-1].upper()


# ---------------------------------------------------------------- sorting
_QTY = re.compile(r"^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$")
# suffix -> (numerator, denominator) of its multiplier
_SUFFIX = {
    "": (1, 1), "n": (1, 10**9), "u": (1, 10**6), "m": (1, 1000), "k": (10**3, 1), "M": (10**6, 1),
    "G": (10**9, 1), "T": (10**12, 1), "P": (10**15, 1), "E": (10**18, 1), "Ki": (2**10, 1), "Mi": (2**20, 1),
    "Gi": (2**30, 1), "Ti": (2**40, 1), "Pi": (2**50, 1), "Ei": (2**60, 1),
}


def _quantity(s: str):
    """A Kubernetes quantity's exact value (Fraction), or None if `s` is not one (--sort-by only)."""
    m = _QTY.match(s)
    if not m:
        return None
    from fractions import Fraction  # lazily: fractions pulls in decimal

    num, suf = m.groups()
    try:
        value = Fraction(num)
    except (ValueError, ZeroDivisionError):
        return None
    if suf in _SUFFIX:
        n, d = _SUFFIX[suf]
        return value * n / d
    if suf[:1] in "eE":
        try:
            return value * Fraction(10) ** int(suf[1:])
        except ValueError:
            return None
    return None


def _less(a, b) -> bool:
    """kubectl sorter's isLess on decoded JSON values."""
    if isinstance(a, bool) or isinstance(b, bool):
        return False
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a < b
    if isinstance(a, str) and isinstance(b, str):
        qa, qb = _quantity(a), _quantity(b)
        if qa is not None and qb is not None:
            return qa < qb
        return a < b
    if isinstance(a, list) and isinstance(b, list):
        for x, y in zip(a, b):
            if not _less(x, y):
                return False
        return True
    if a is None and b is not None:
        return True
    go = {"dict": "map[string]interface {}", "list": "[]interface {}"}.get(type(a).__name__, type(a).__name__)
    raise PrinterError(f"unsortable type: {go}")


def _sort_path(sort_by: str) -> tuple[str, JSONPath]:
    try:
        field = relaxed(sort_by)
        return field, JSONPath(field, allow_missing_keys=True)
    except JSONPathError as e:
        raise SortPathError(str(e)) from None


def _found_once(objs: list[dict], field: str, jp: JSONPath) -> None:
    """kubectl's sorter refuses a path that finds nothing in every object."""
    for o in objs:
        try:
            res = jp.find_results(o)
        except JSONPathError:
            continue
        if res and res[0]:
            return
    raise SortPathError(f"couldn't find any field with path {_go_quote(field)} in the list of objects")


def _go_quote(s: str) -> str:
    """Go's %q for the plain strings a sort path holds."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def sort_objects(objs: list[dict], sort_by: str, *, require_found: bool = False) -> list[dict]:
    """Stable sort by the first value `sort_by` finds; objects where it finds nothing go first.
    require_found: raise kubectl's "couldn't find any field" error when no object has it."""
    field, jp = _sort_path(sort_by)
    if require_found and objs:
        _found_once(objs, field, jp)

    def first(o):
        try:
            res = jp.find_results(o)
        except JSONPathError:
            return _NOTHING
        if not res or not res[0]:
            return _NOTHING
        return res[0][0]

    keyed = [(first(o), o) for o in objs]

    def cmp(x, y):
        a, b = x[0], y[0]
        if a is _NOTHING:
            return -1 if b is not _NOTHING else 0
        if b is _NOTHING:
            return 1
        if _less(a, b):
            return -1
        if _less(b, a):
            return 1
        return 0

    return [o for _, o in sorted(keyed, key=functools.cmp_to_key(cmp))]


_NOTHING = object()


def _sort_tables(groups, sort_by: str, infos: int):
    """--sort-by for table output, with kubectl's quirks: one result's rows are sorted by its
    printer, whose errors kubectl ignores (the table is then not printed at all); several
    results are first sorted as Table objects (only Table fields such as
    .metadata.resourceVersion exist there), then each table's rows."""
    if infos > 1:
        field, jp = _sort_path(sort_by)
        table = {"apiVersion": "meta.k8s.io/v1", "kind": "Table", "metadata": {"resourceVersion": ""},
                 "columnDefinitions": [], "rows": []}
        _found_once([table], field, jp)
    out = []
    for kind, objs in groups:
        if len(objs) > 1:
            try:
                objs = sort_objects(objs, sort_by, require_found=True)
            except SortPathError:
                objs = []
        out.append((kind, objs))
    return out


# ---------------------------------------------------------------- rendering
def _table_for(kind, objs, *, now, wide, no_headers, show_labels, label_columns, with_namespace, with_kind):
    headers, row_fn = columns_for(kind, wide)
    headers = list(headers)
    name_ix = headers.index("NAME") if "NAME" in headers else None
    rows = []
    for obj in objs:
        cells = [str(c) for c in row_fn(obj, now)]
        if with_kind and name_ix is not None:
            cells[name_ix] = f"{kind_prefix(kind)}/{cells[name_ix]}"
        labels = (obj.get("metadata") or {}).get("labels") or {}
        if with_namespace:
            cells.insert(0, (obj.get("metadata") or {}).get("namespace", ""))
        for key in label_columns:
            cells.append(labels.get(key, ""))
        if show_labels:
            cells.append(format_labels(labels))
        rows.append(cells)
    if with_namespace:
        headers.insert(0, "NAMESPACE")
    headers += [label_column_header(k) for k in label_columns]
    if show_labels:
        headers.append("LABELS")
    if not rows:
        return ""
    return render_table(None if no_headers else headers, rows)


def wrap_list(objs: list[dict]) -> dict:
    """The List kubectl prints for several objects (or a list request) with -o yaml/json/jsonpath."""
    return {"apiVersion": "v1", "items": list(objs), "kind": "List", "metadata": {"resourceVersion": ""}}


def render_get(
    groups,
    *,
    output: str | None = "",
    now: datetime,
    no_headers: bool = False,
    show_labels: bool = False,
    label_columns=(),
    all_namespaces: bool = False,
    show_kind: bool = False,
    sort_by: str | None = None,
    single_item: bool = False,
    file_text: str | None = None,
    wide: bool = False,
    table_infos: int | None = None,
    show_managed_fields: bool = False,
) -> str:
    """The stdout of `kubectl get` for `groups`: a list of (Kind, [obj, ...]) in request order,
    one entry per requested kind even when it has no objects.

    - output: the -o value ("", "wide", "yaml", "kyaml", "json", "name", "jsonpath=...",
      "jsonpath-as-json=...", "custom-columns=...", "custom-columns-file=PATH",
      "jsonpath-file=PATH"); for the *-file forms the CLI reads the file and passes its
      text as `file_text`.
    - single_item: the request named exactly one object (`get deploy web`): yaml/json/jsonpath
      print that object itself rather than a List.
    - Tables: NAMESPACE first when all_namespaces (namespaced kinds only); names prefixed
      `kind.group/` when more than one kind was requested or show_kind; -L columns, then LABELS;
      one blank line between kinds' tables; empty kinds print nothing (the CLI prints
      `no_resources_message` on stderr when the result is "").
    - table_infos: how many results kubectl's builder would have (one per kind listed, one per
      object named; default len(groups)); --sort-by on a table with several of them sorts the
      Table objects themselves, as kubectl does, which fails for object fields.
    Raises PrinterError (bad -o, bad --sort-by, jsonpath execution errors).
    """
    fmt, arg = parse_output(output)
    if fmt == "wide":
        wide = True
    if fmt in ("jsonpath-file", "custom-columns-file"):
        if file_text is None:
            raise PrinterError(f"{fmt} needs the file's text (file_text)")
        arg = file_text
        fmt = "jsonpath" if fmt == "jsonpath-file" else "custom-columns-file"
    groups = [(k, list(objs)) for k, objs in groups]

    if fmt in ("", "wide"):
        if sort_by:
            groups = _sort_tables(groups, sort_by, table_infos if table_infos is not None else len(groups))
        with_kind = show_kind or len({(k.group, k.kind) for k, _ in groups}) > 1
        parts = []
        # kubectl turns the NAMESPACE column on for the first namespaced kind under -A and never
        # off again (its printer flags are shared), so a cluster-scoped kind listed after a
        # namespaced one gets an empty NAMESPACE column, but not one listed before.
        with_namespace = False
        for kind, objs in groups:
            if all_namespaces and kind.namespaced:
                with_namespace = True
            text = _table_for(
                kind, objs, now=now, wide=wide, no_headers=no_headers, show_labels=show_labels,
                label_columns=list(label_columns or ()), with_namespace=with_namespace,
                with_kind=with_kind,
            )
            if text:
                parts.append(text)
        return ("" if no_headers else "\n").join(parts)

    kind_of = [(k, o) for k, objs in groups for o in objs]
    if sort_by and kind_of and not (single_item and len(kind_of) == 1):
        # kubectl sorts the one List it prints, across kinds
        order = sort_objects([o for _, o in kind_of], sort_by, require_found=True)
        pos = {id(o): i for i, o in enumerate(order)}
        kind_of.sort(key=lambda ko: pos[id(ko[1])])
    items = [o for _, o in kind_of]
    if fmt == "name":
        return "".join(f"{kind_prefix(k)}/{(o.get('metadata') or {}).get('name', '')}\n" for k, o in kind_of)
    if fmt in ("custom-columns", "custom-columns-file"):
        from kctl.printers.custom_columns import CustomColumnsError, parse_file, parse_spec, render_custom_columns

        try:
            if fmt == "custom-columns":
                return render_custom_columns(parse_spec(arg), items, no_headers=no_headers)
            # kubectl ignores --no-headers for a columns file
            return render_custom_columns(parse_file(arg), items, no_headers=False)
        except CustomColumnsError as e:
            raise PrinterError(str(e)) from None

    obj = items[0] if (single_item and len(items) == 1) else wrap_list(items)
    if fmt == "yaml":
        from kctl.printers.yaml_json import to_yaml

        return to_yaml(obj, show_managed_fields=show_managed_fields)
    if fmt == "json":
        from kctl.printers.yaml_json import to_json

        return to_json(obj, show_managed_fields=show_managed_fields)
    if fmt == "kyaml":
        from kctl.printers.yaml_json import to_kyaml

        return to_kyaml(obj, show_managed_fields=show_managed_fields)
    if fmt in ("jsonpath", "jsonpath-as-json"):
        from kctl.printers.jsonpath import execute_template, execute_template_as_json

        try:
            if fmt == "jsonpath":
                return execute_template(arg, obj)
            return execute_template_as_json(arg, obj)
        except JSONPathError as e:
            raise PrinterError(str(e)) from None
    raise PrinterError(f"output format {fmt!r} is not supported by kctl")


def print_get(objs_by_kind, opts, now: datetime) -> str:
    """INTERFACES.md spelling: `opts` is any object (or dict) with render_get's keyword names
    as attributes/keys (output, no_headers, show_labels, label_columns, all_namespaces,
    show_kind, sort_by, single_item, file_text, wide); missing ones take their defaults."""
    names = ("output", "no_headers", "show_labels", "label_columns", "all_namespaces", "show_kind", "sort_by",
             "single_item", "file_text", "wide")
    if isinstance(opts, dict):
        kw = {n: opts[n] for n in names if n in opts}
    else:
        kw = {n: getattr(opts, n) for n in names if hasattr(opts, n)}
    return render_get(objs_by_kind, now=now, **kw)
