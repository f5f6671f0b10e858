"""kubectl's -o custom-columns=HEADER:PATH,... and -o custom-columns-file (pkg/cmd/get/customcolumn.go)."""

from __future__ import annotations


from kctl.printers.jsonpath import JSONPath, JSONPathError, go_float, relaxed
from kctl.printers.table import render_table


class CustomColumnsError(ValueError):
    """Bad column spec; str() is kubectl's text (the CLI adds "error: ")."""


def parse_spec(spec: str) -> list[tuple[str, str]]:
    """`NAME:.metadata.name,IMAGE:.spec.containers[*].image` -> [(header, "{.jsonpath}")]."""
    if not spec:
        raise CustomColumnsError("custom-columns format specified but no custom columns given")
    cols = []
    for part in spec.split(","):
        header, sep, path = part.partition(":")
        if not sep:
            raise CustomColumnsError(
                f"unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>"
            )
        try:
            cols.append((header, relaxed(path)))
        except JSONPathError as e:
            raise CustomColumnsError(str(e)) from None
    return cols


def parse_file(text: str) -> list[tuple[str, str]]:
    """custom-columns-file: a line of headers and a line of paths, whitespace separated.
    (kubectl prints the header line of a columns file even with --no-headers.)"""
    lines = text.splitlines()
    fmt = "Expected format is one line of space separated headers, one line of space separated column specs."
    if not lines:
        raise CustomColumnsError(f"invalid template, missing header line. {fmt}")
    if len(lines) < 2:
        raise CustomColumnsError(f"invalid template, missing spec line. {fmt}")
    headers, specs = lines[0].split(), lines[1].split()
    if len(headers) != len(specs):
        raise CustomColumnsError(
            f"number of headers ({len(headers)}) and field specifications ({len(specs)}) don't match"
        )
    out = []
    for h, s in zip(headers, specs):
        try:
            out.append((h, relaxed(s)))
        except JSONPathError as e:
            raise CustomColumnsError(str(e)) from None
    return out


def go_sprint(v) -> str:
    """Go's fmt.Sprint of a decoded JSON value: map[k:v k2:v2], [a b], <nil>."""
    if v is None:
        return "<nil>"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, float):
        return go_float(v)
    if isinstance(v, dict):
        return "map[" + " ".join(f"{k}:{go_sprint(v[k])}" for k in sorted(v)) + "]"
    if isinstance(v, list):
        return "[" + " ".join(go_sprint(x) for x in v) + "]"
    return str(v)


def render_custom_columns(columns: list[tuple[str, str]], objs: list[dict], *, no_headers: bool = False) -> str:
    """One table: a header line (unless no_headers) and one row per object.

    A column whose path finds nothing prints "<none>"; several values are joined by ",".
    """
    parsers = []
    for _, path in columns:
        try:
            parsers.append(JSONPath(path, allow_missing_keys=True))
        except JSONPathError as e:
            raise CustomColumnsError(f"error parsing jsonpath {path}, {e}") from None
    rows = []
    for obj in objs:
        row = []
        for p in parsers:
            results = p.find_results(obj)
            vals = []
            if not results or not results[0]:
                vals.append("<none>")
            for rs in results:
                vals.extend(go_sprint(v) for v in rs)
            row.append(",".join(vals))
        rows.append(row)
    headers = None if no_headers else [h for h, _ in columns]
    if not rows and headers:
        # kubectl prints the header line even for an empty list
        return render_table(headers, [])
    return render_table(headers, rows)
