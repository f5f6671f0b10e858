"""`kctl validate -o text|json|junit|tap|sarif` end to end against golden files: the manifests
in tests/golden/validate/inputs/ (an unknown field, a type error, a YAML error, an unknown kind,
a skipped Secret, reference warnings, a path with a space) -> tests/golden/validate/cli.*.
Regenerate with KCTL_UPDATE_GOLDEN=1 (see conftest.py)."""

from __future__ import annotations

import json

import pytest

ARGS = ["-f", "inputs", "-R", "--skip", "Secret"]
CASES = [
    ("text", ["--summary"], "cli.txt"),
    ("json", [], "cli.json"),
    ("junit", [], "cli.junit.xml"),
    ("tap", [], "cli.tap"),
    ("sarif", [], "cli.sarif.json"),
]


@pytest.fixture
def in_golden_dir(monkeypatch, golden_dir):
    """Relative paths in the reports; a fixed tool version in SARIF."""
    import importlib.metadata

    real = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version", lambda name: "0.0.0-test" if name == "kctl" else real(name))
    monkeypatch.chdir(golden_dir)


@pytest.mark.parametrize("fmt,extra,name", CASES, ids=[c[0] for c in CASES])
def test_cli_report_golden(kctl, in_golden_dir, check_golden, fmt, extra, name):
    r = kctl("validate", *ARGS, "-o", fmt, *extra)
    assert (r.code, r.err) == (1, "")
    check_golden(name, r.out)


def test_cli_sarif_is_valid_sarif(kctl, in_golden_dir, sarif_errors):
    r = kctl("validate", *ARGS, "-o", "sarif")
    log = json.loads(r.out)
    assert sarif_errors(log) == []
    assert log["runs"][0]["tool"]["driver"]["version"] == "0.0.0-test"
    uris = {res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for res in log["runs"][0]["results"]}
    assert uris == {"inputs/app.yaml", "inputs/broken.yaml", "inputs/my%20dir/secret.yaml", "inputs/widget.yaml"}


def test_cli_json_matches_text(kctl, in_golden_dir):
    """Every text line is a JSON finding's `file:line: message`, in the same order."""
    text = kctl("validate", *ARGS).out
    findings = json.loads(kctl("validate", *ARGS, "-o", "json").out)["findings"]
    assert text == "".join(f"{f['file']}:{f['line']}: {f['message']}\n" for f in findings)
