"""`kctl validate` reports: Documents -> text, json, junit, tap or sarif (pure functions).

text   one line per finding, `file:line: message` (the text `kctl apply` prints); with
       `summary=True` a last line `N documents: V valid, I invalid, S skipped; E errors, W warnings`.
json   {"summary": {...}, "documents": [...], "findings": [...]} (2-space indent).
junit  one <testsuite> per file, one <testcase> per document (failure: its errors;
       skipped; warnings in <system-out>).
tap    TAP version 13, one test point per document, findings in a YAML diagnostic block.
sarif  SARIF 2.1.0: runs[0].tool.driver {name "kctl", version, rules}, one result per finding.
"""

from __future__ import annotations

import json

from kctl.validate.findings import ERROR, Document, all_findings, summary

FORMATS = ("text", "json", "junit", "tap", "sarif")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/kctl/kctl"


def render(docs: list[Document], fmt: str, *, with_summary: bool = False, version: str = "") -> str:
    """The report in `fmt` (one of FORMATS), ending with a newline unless empty."""
    if fmt == "text":
        return text(docs, with_summary=with_summary)
    if fmt == "json":
        return to_json(docs)
    if fmt == "junit":
        return junit(docs)
    if fmt == "tap":
        return tap(docs)
    if fmt == "sarif":
        return sarif(docs, version=version)
    raise ValueError(f"unknown report format {fmt!r}")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def summary_line(docs: list[Document]) -> str:
    """`5 documents: 3 valid, 1 invalid, 1 skipped; 2 errors, 1 warning`."""
    s = summary(docs)
    return (f"{_plural(s['documents'], 'document')}: {s['valid']} valid, {s['invalid']} invalid, "
            f"{s['skipped']} skipped; {_plural(s['errors'], 'error')}, {_plural(s['warnings'], 'warning')}")


def text(docs: list[Document], *, with_summary: bool = False) -> str:
    lines = [f"{f.file}:{f.line}: {f.message}" for f in all_findings(docs)]
    if with_summary:
        lines.append(summary_line(docs))
    return "".join(line + "\n" for line in lines)


def to_json(docs: list[Document]) -> str:
    doc = {
        "summary": summary(docs),
        "documents": [{"file": d.file, "line": d.line, "kind": d.kind, "name": d.name,
                       "namespace": d.namespace, "status": d.status} for d in docs],
        "findings": [f.as_dict() for f in all_findings(docs)],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _by_file(docs: list[Document]) -> list[tuple[str, list[Document]]]:
    groups: dict[str, list[Document]] = {}
    for d in docs:
        groups.setdefault(d.file, []).append(d)
    return list(groups.items())


def junit(docs: list[Document]) -> str:
    from xml.sax.saxutils import escape, quoteattr

    def counts(ds):
        return (len(ds), sum(d.status == "invalid" for d in ds), sum(d.status == "skipped" for d in ds))

    n, fail, skip = counts(docs)
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<testsuites name="kctl validate" tests="{n}" failures="{fail}" errors="0" skipped="{skip}">']
    for file, ds in _by_file(docs):
        n, fail, skip = counts(ds)
        out.append(f'  <testsuite name={quoteattr(file)} tests="{n}" failures="{fail}" errors="0" skipped="{skip}">')
        for d in ds:
            head = f'    <testcase classname={quoteattr(file)} name={quoteattr(f"{d.label} (line {d.line})")}'
            ordered = sorted(d.findings, key=lambda f: f.line)
            errors = [f for f in ordered if f.severity == ERROR]
            warnings = [f for f in ordered if f.severity != ERROR]
            if d.status == "valid" and not warnings:
                out.append(head + "/>")
                continue
            out.append(head + ">")
            if d.status == "skipped":
                out.append('      <skipped message="skipped"/>')
            if errors:
                body = "\n".join(f"{f.file}:{f.line}: {f.message}" for f in errors)
                out.append(f'      <failure message={quoteattr(errors[0].message)} type={quoteattr(errors[0].rule)}>'
                           f"{escape(body)}</failure>")
            if warnings:
                body = "\n".join(f"{f.file}:{f.line}: {f.message}" for f in warnings)
                out.append(f"      <system-out>{escape(body)}</system-out>")
            out.append("    </testcase>")
        out.append("  </testsuite>")
    out.append("</testsuites>")
    return "\n".join(out) + "\n"


def tap(docs: list[Document]) -> str:
    out = ["TAP version 13", f"1..{len(docs)}"]
    for i, d in enumerate(docs, 1):
        desc = f"{d.file}:{d.line} {d.label}"
        if d.status == "skipped":
            out.append(f"ok {i} - {desc} # SKIP skipped")
            continue
        out.append(f"{'not ok' if d.status == 'invalid' else 'ok'} {i} - {desc}")
        if d.findings:
            out.append("  ---")
            out.append("  findings:")
            for f in sorted(d.findings, key=lambda f: f.line):
                # JSON strings are valid YAML scalars: safe for any message text
                out.append(f"    - severity: {f.severity}")
                out.append(f"      rule: {json.dumps(f.rule)}")
                out.append(f"      line: {f.line}")
                out.append(f"      column: {f.column}")
                out.append(f"      field: {json.dumps(f.field)}")
                out.append(f"      message: {json.dumps(f.message, ensure_ascii=False)}")
            out.append("  ...")
    return "\n".join(out) + "\n"


def _uri(path: str) -> str:
    from urllib.parse import quote

    return quote(path.replace("\\", "/"), safe="/:._-~")


def sarif(docs: list[Document], *, version: str = "") -> str:
    findings = all_findings(docs)
    rule_ids = sorted({f.rule for f in findings})
    index = {r: i for i, r in enumerate(rule_ids)}
    driver = {"name": "kctl", "informationUri": INFORMATION_URI,
              "rules": [{"id": r, "shortDescription": {"text": r}} for r in rule_ids]}
    if version:
        driver["version"] = version
    results = []
    for f in findings:
        region = {"startLine": max(f.line, 1), "startColumn": max(f.column, 1)}
        result = {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": "error" if f.severity == ERROR else "warning",
            "message": {"text": f.message},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(f.file)}, "region": region}}],
        }
        if f.field:
            result["properties"] = {"field": f.field}
        results.append(result)
    doc = {"$schema": SARIF_SCHEMA, "version": "2.1.0",
           "runs": [{"tool": {"driver": driver}, "results": results}]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
