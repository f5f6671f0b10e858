"""kctl.validate.reports: golden strings for every format."""

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


TEXT = """\
m/app.yaml:4: warning: Deployment "web" references ServiceAccount "robot", which is not among the inputs (namespace "default")
m/app.yaml:7: The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0
m/broken.yaml:3: error: error parsing m/broken.yaml: error converting YAML to JSON: yaml: line 2: <bad & "x">
"""

JUNIT = """\
<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="kctl validate" tests="4" failures="2" errors="0" skipped="1">
  <testsuite name="m/app.yaml" tests="2" failures="1" errors="0" skipped="0">
    <testcase classname="m/app.yaml" name="Deployment/web (line 1)">
      <failure message='The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0' type="invalid-value">m/app.yaml:7: The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0</failure>
      <system-out>m/app.yaml:4: warning: Deployment "web" references ServiceAccount "robot", which is not among the inputs (namespace "default")</system-out>
    </testcase>
    <testcase classname="m/app.yaml" name="Service/web (line 20)"/>
  </testsuite>
  <testsuite name="m/my dir/s.yaml" tests="1" failures="0" errors="0" skipped="1">
    <testcase classname="m/my dir/s.yaml" name="Secret/s (line 1)">
      <skipped message="skipped"/>
    </testcase>
  </testsuite>
  <testsuite name="m/broken.yaml" tests="1" failures="1" errors="0" skipped="0">
    <testcase classname="m/broken.yaml" name="document (line 3)">
      <failure message='error: error parsing m/broken.yaml: error converting YAML to JSON: yaml: line 2: &lt;bad &amp; "x"&gt;' type="yaml">m/broken.yaml:3: error: error parsing m/broken.yaml: error converting YAML to JSON: yaml: line 2: &lt;bad &amp; "x"&gt;</failure>
    </testcase>
  </testsuite>
</testsuites>
"""

TAP = r"""TAP version 13
1..4
not ok 1 - m/app.yaml:1 Deployment/web
  ---
  findings:
    - severity: warning
      rule: "missing-reference"
      line: 4
      column: 3
      field: "spec.template.spec.serviceAccountName"
      message: "warning: Deployment \"web\" references ServiceAccount \"robot\", which is not among the inputs (namespace \"default\")"
    - severity: error
      rule: "invalid-value"
      line: 7
      column: 13
      field: "spec.replicas"
      message: "The Deployment \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0"
  ...
ok 2 - m/app.yaml:20 Service/web
ok 3 - m/my dir/s.yaml:1 Secret/s # SKIP skipped
not ok 4 - m/broken.yaml:3 document
  ---
  findings:
    - severity: error
      rule: "yaml"
      line: 3
      column: 5
      field: ""
      message: "error: error parsing m/broken.yaml: error converting YAML to JSON: yaml: line 2: <bad & \"x\">"
  ...
"""


@pytest.mark.parametrize("fmt,want", [("text", TEXT), ("junit", JUNIT), ("tap", TAP)], ids=["text", "junit", "tap"])
def test_golden(fmt, want):
    assert render(docs(), fmt) == want


def test_text_summary_line():
    assert render(docs(), "text", with_summary=True) == TEXT + "4 documents: 1 valid, 2 invalid, 1 skipped; 2 errors, 1 warning\n"


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


# The parts of the SARIF 2.1.0 schema (sarif-schema-2.1.0.json) that code-scanning UIs rely on.
SARIF_SUBSET = {
    "type": "object", "required": ["version", "runs"],
    "properties": {
        "version": {"const": "2.1.0"},
        "runs": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["tool"],
            "properties": {
                "tool": {"type": "object", "required": ["driver"], "properties": {"driver": {
                    "type": "object", "required": ["name"],
                    "properties": {"name": {"type": "string"}, "version": {"type": "string"},
                                   "rules": {"type": "array", "items": {"type": "object", "required": ["id"]}}}}}},
                "results": {"type": "array", "items": {
                    "type": "object", "required": ["message"],
                    "properties": {
                        "ruleId": {"type": "string"}, "ruleIndex": {"type": "integer", "minimum": 0},
                        "level": {"enum": ["none", "note", "warning", "error"]},
                        "message": {"type": "object", "required": ["text"]},
                        "locations": {"type": "array", "items": {"type": "object", "properties": {
                            "physicalLocation": {"type": "object", "properties": {
                                "artifactLocation": {"type": "object", "properties": {"uri": {"type": "string", "format": "uri-reference"}}},
                                "region": {"type": "object", "properties": {
                                    "startLine": {"type": "integer", "minimum": 1},
                                    "startColumn": {"type": "integer", "minimum": 1}}}}}}}}}}}}}}},
}


def test_sarif():
    import jsonschema

    got = json.loads(render(docs(), "sarif", version="9.9"))
    jsonschema.validate(got, SARIF_SUBSET)
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
