"""kctl.validate.reports: golden files for every format (tests/golden/validate/report.*), and
SARIF checked against the official SARIF 2.1.0 JSON schema."""

from __future__ import annotations

import json

import pytest

from kctl.validate.findings import Document, Finding, exit_code, summary
from kctl.validate.reports import render, summary_line


def docs() -> list[Document]:
    bad = Document("m/app.yaml", 1, "Deployment", "web", "default")
    bad.findings += [
        Finding("m/app.yaml", 7, 13, "spec.replicas", "invalid-value",
                'The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
                "error", "Deployment/web"),
        Finding("m/app.yaml", 4, 3, "spec.template.spec.serviceAccountName", "missing-reference",
                'warning: Deployment "web" references ServiceAccount "robot", which is not among the inputs (namespace "default")',
                "warning", "Deployment/web"),
    ]
    ok = Document("m/app.yaml", 20, "Service", "web", "default")
    skipped = Document("m/my dir/s.yaml", 1, "Secret", "s", "default", skipped=True)
    broken = Document("m/broken.yaml", 3)
    broken.findings.append(Finding("m/broken.yaml", 3, 5, "", "yaml",
                                   'error: error parsing m/broken.yaml: error converting YAML to JSON: yaml: line 2: <bad & "x">'))
    return [bad, ok, skipped, broken]


# golden files: tests/golden/validate/report.* (see conftest.py to regenerate)
GOLDENS = [("text", "report.txt"), ("json", "report.json"), ("junit", "report.junit.xml"),
           ("tap", "report.tap"), ("sarif", "report.sarif.json")]


@pytest.mark.parametrize("fmt,name", GOLDENS, ids=[g[0] for g in GOLDENS])
def test_golden(check_golden, fmt, name):
    check_golden(name, render(docs(), fmt, version="9.9"))


def test_text_summary_line(check_golden):
    check_golden("report-summary.txt", render(docs(), "text", with_summary=True))
    assert render(docs(), "text", with_summary=True).endswith(
        "\n4 documents: 1 valid, 2 invalid, 1 skipped; 2 errors, 1 warning\n")


@pytest.mark.parametrize("ds,want", [
    ([], "0 documents: 0 valid, 0 invalid, 0 skipped; 0 errors, 0 warnings"),
    ([Document("a", 1, "Pod", "p")], "1 document: 1 valid, 0 invalid, 0 skipped; 0 errors, 0 warnings"),
], ids=["none", "singular"])
def test_summary_line_plurals(ds, want):
    assert summary_line(ds) == want


def test_all_valid_text_is_empty_and_exit_0():
    ds = [Document("a.yaml", 1, "Pod", "p")]
    assert (render(ds, "text"), exit_code(ds)) == ("", 0)
    assert exit_code(docs()) == 1


def test_warning_only_document_is_valid():
    d = Document("a.yaml", 1, "Service", "s")
    d.findings.append(Finding("a.yaml", 3, 1, "spec.selector", "service-selector", "warning: x", "warning"))
    assert (d.status, exit_code([d])) == ("valid", 0)


def test_json():
    got = json.loads(render(docs(), "json"))
    assert got["summary"] == {"documents": 4, "valid": 1, "invalid": 2, "skipped": 1, "errors": 2, "warnings": 1}
    assert got["summary"] == summary(docs())
    assert [d["status"] for d in got["documents"]] == ["invalid", "valid", "skipped", "invalid"]
    assert got["findings"][1] == {
        "file": "m/app.yaml", "line": 7, "column": 13, "field": "spec.replicas", "rule": "invalid-value",
        "severity": "error", "object": "Deployment/web",
        "message": 'The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0'}


def test_sarif(sarif_errors):
    got = json.loads(render(docs(), "sarif", version="9.9"))
    assert sarif_errors(got) == []
    driver = got["runs"][0]["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("kctl", "9.9")
    assert [r["id"] for r in driver["rules"]] == ["invalid-value", "missing-reference", "yaml"]
    results = got["runs"][0]["results"]
    assert [(r["ruleId"], r["ruleIndex"], r["level"]) for r in results] == [
        ("missing-reference", 1, "warning"), ("invalid-value", 0, "error"), ("yaml", 2, "error")]
    assert results[1]["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "m/app.yaml"}, "region": {"startLine": 7, "startColumn": 13}}
    assert results[1]["message"]["text"].startswith('The Deployment "web" is invalid')
    assert results[1]["properties"] == {"field": "spec.replicas"}


def test_sarif_uri_is_percent_encoded():
    d = Document("m/my dir/s.yaml", 1, "Secret", "s")
    d.findings.append(Finding("m/my dir/s.yaml", 2, 1, "", "r", "error: x"))
    loc = json.loads(render([d], "sarif"))["runs"][0]["results"][0]["locations"][0]
    assert loc["physicalLocation"]["artifactLocation"]["uri"] == "m/my%20dir/s.yaml"


def test_unknown_format():
    with pytest.raises(ValueError):
        render(docs(), "yaml")


def test_sarif_without_version_and_findings_is_valid(sarif_errors):
    got = json.loads(render([Document("a.yaml", 1, "Pod", "p")], "sarif"))
    assert "version" not in got["runs"][0]["tool"]["driver"]
    assert got["runs"][0]["results"] == []
    assert sarif_errors(got) == []


# the schema check can fail: what the official schema rejects (each one a real SARIF mistake)
BROKEN_SARIF = [
    (lambda s: s.update(version="2.1"), ["version: '2.1' is not one of ['2.1.0']"]),
    (lambda s: s["runs"][0]["results"][0].update(level="fatal"),
     ["runs/0/results/0/level: 'fatal' is not one of ['none', 'note', 'warning', 'error']"]),
    (lambda s: s["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"].update(startLine=0),
     ["runs/0/results/0/locations/0/physicalLocation/region/startLine: 0 is less than the minimum of 1"]),
    (lambda s: s["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"].update(
        uri="m/my dir/s.yaml"),
     ["runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri: 'm/my dir/s.yaml' is not a "
      "'uri-reference'"]),
    (lambda s: s["runs"][0]["tool"]["driver"].pop("name"), ["runs/0/tool/driver: 'name' is a required property"]),
    (lambda s: s["runs"][0].update(extra=1),
     ["runs/0: Additional properties are not allowed ('extra' was unexpected)"]),
]


@pytest.mark.parametrize("breaks,errors", BROKEN_SARIF,
                         ids=["version", "level", "start-line", "uri", "driver-name", "extra-property"])
def test_sarif_schema_rejects(sarif_errors, breaks, errors):
    got = json.loads(render(docs(), "sarif", version="9.9"))
    breaks(got)
    assert sarif_errors(got) == errors
