"""`kctl validate` (and apply/diff) with custom resources: CRDs among the inputs, CRDs from
`--schema-location DIR` (manifests, or JSON schemas laid out like the datreeio CRDs-catalog),
`--ignore-missing-schemas`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_cli_crd_apply import CRD, WIDGET, docs

REAL = Path(__file__).resolve().parent.parent / "e2e" / "real" / "crds"

BAD = """apiVersion: example.com/v1
kind: Widget
metadata:
  name: bad
spec:
  size: 0
  foo: 1
"""


@pytest.fixture
def schemas(tmp_path) -> str:
    d = tmp_path / "schemas" / "nested"
    d.mkdir(parents=True)
    (d / "widgets.yaml").write_text(CRD)
    (d.parent / "README.md").write_text("not a manifest\n")
    return str(d.parent)


def test_crd_among_the_inputs(kctl, write):
    r = kctl("validate", "-f", write("all.yaml", docs(WIDGET.format(name="w1"), CRD)), "--summary")
    assert (r.code, r.out, r.err) == (0, "2 documents: 2 valid, 0 invalid, 0 skipped; 0 errors, 0 warnings\n", "")


def test_cr_of_an_unknown_kind(kctl, write):
    path = write("w.yaml", WIDGET.format(name="w1"))
    r = kctl("validate", "-f", path)
    assert (r.code, r.out) == (1, (
        f'{path}:1: error: resource mapping not found for name: "w1" namespace: "" from "{path}": '
        'no matches for kind "Widget" in version "example.com/v1"\nensure CRDs are installed first\n'))
    r = kctl("validate", "-f", path, "--ignore-missing-schemas", "--summary")
    assert (r.code, r.out) == (0, "1 document: 0 valid, 0 invalid, 1 skipped; 0 errors, 0 warnings\n")


def test_schema_location(kctl, write, schemas):
    path = write("w.yaml", docs(WIDGET.format(name="w1"), BAD))
    r = kctl("validate", "-f", path, "--schema-location", schemas)
    assert r.code == 1
    assert r.out == (
        f'{path}:15: Error from server (BadRequest): error when creating "{path}": Widget in version "v1" '
        'cannot be handled as a Widget: strict decoding error: unknown field "spec.foo"\n')
    good = write("good.yaml", WIDGET.format(name="w1"))
    r = kctl("validate", "-f", good, "--schema-location", schemas, "--summary")
    assert (r.code, r.out) == (0, "1 document: 1 valid, 0 invalid, 0 skipped; 0 errors, 0 warnings\n")


def test_schema_validation_errors(kctl, write, schemas):
    path = write("w.yaml", BAD.replace("  foo: 1\n", ""))
    r = kctl("validate", "-f", path, "--schema-location", schemas)
    assert (r.code, r.out) == (1, (
        f'{path}:6: The Widget "bad" is invalid: spec.size: Invalid value: 0: spec.size in body should be '
        "greater than or equal to 1\n"))


def test_missing_schema_location_is_a_usage_error(kctl, write, tmp_path):
    r = kctl("validate", "-f", write("w.yaml", WIDGET.format(name="w1")), "--schema-location",
             str(tmp_path / "nope"))
    assert (r.code, r.out, r.err) == (2, "", f'error: --schema-location "{tmp_path / "nope"}": no such file or directory\n')


def test_a_stored_crd_does_not_serve_validate(kctl, write):
    # validate opens no store: a CRD applied earlier (same process) must not leak in
    assert kctl("apply", "-f", write("crd.yaml", CRD)).code == 0
    r = kctl("validate", "-f", write("w.yaml", WIDGET.format(name="w1")))
    assert r.code == 1
    assert 'no matches for kind "Widget"' in r.out


def _catalog(tmp_path: Path) -> str:
    """JSON schemas as datreeio/CRDs-catalog publishes them (`<group>/<kind>_<version>.json`,
    its openapi2jsonschema step: every object with properties closed by additionalProperties:
    false), made here from cert-manager's own CRDs."""
    from kctl import manifests

    def close(s):
        if isinstance(s, dict):
            if "properties" in s and s.get("type") == "object":
                s.setdefault("additionalProperties", False)
            for v in s.values():
                close(v)
        elif isinstance(s, list):
            for v in s:
                close(v)
        return s

    root = tmp_path / "catalog"
    for f in ("cert-manager.io_certificates.yaml", "cert-manager.io_issuers.yaml"):
        crd = manifests.load([str(REAL / "cert-manager" / f)])[0].obj
        for v in crd["spec"]["versions"]:
            out = root / crd["spec"]["group"] / f"{crd['spec']['names']['kind'].lower()}_{v['name']}.json"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(json.dumps(close(v["schema"]["openAPIV3Schema"]), indent=2))
    return str(root)


def test_crds_catalog_json_schemas(kctl, write, tmp_path):
    catalog = _catalog(tmp_path)
    fixture = str(REAL / "cert-manager" / "cert-manager-resources.yaml")
    r = kctl("validate", "-f", fixture, "--schema-location", catalog, "--summary")
    assert (r.code, r.out, r.err) == (0, "3 documents: 3 valid, 0 invalid, 0 skipped; 0 errors, 0 warnings\n", "")
    bad = write("cert.yaml", """apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: c
spec:
  secretName: c
  issuerRef: {name: x}
  dnsName: [example.com]
""")
    r = kctl("validate", "-f", bad, "--schema-location", catalog)
    assert (r.code, r.out) == (1, (
        f'{bad}:8: Error from server (BadRequest): error when creating "{bad}": Certificate in version "v1" '
        'cannot be handled as a Certificate: strict decoding error: unknown field "spec.dnsName"\n'))


def test_apply_schema_location_serves_client_dry_run_only(kctl, write, schemas):
    path = write("w.yaml", WIDGET.format(name="w1"))
    r = kctl("apply", "-f", path, "--schema-location", schemas, "--dry-run=client")
    assert (r.code, r.out, r.err) == (0, "widget.example.com/w1 created (dry run)\n", "")
    # intake decodes with the directory's schema...
    r = kctl("apply", "-f", write("bad.yaml", BAD), "--schema-location", schemas, "--dry-run=client")
    assert r.code == 1 and 'strict decoding error: unknown field "spec.foo"' in r.err
    # ...but the server has no such kind until the CRD is applied
    r = kctl("apply", "-f", path, "--schema-location", schemas)
    assert r.code == 1
    assert 'no matches for kind "Widget" in version "example.com/v1"' in r.err


def test_diff_of_a_new_cr(kctl, write):
    assert kctl("apply", "-f", write("crd.yaml", CRD)).code == 0
    r = kctl("diff", "-f", write("w.yaml", WIDGET.format(name="w1")))
    assert r.code == 1, r.err
    assert "+  size: 3\n" in r.out


def test_schema_location_may_be_one_crd_file(kctl, write, schemas):
    crd_file = str(Path(schemas) / "nested" / "widgets.yaml")
    good = write("good.yaml", WIDGET.format(name="w1"))
    r = kctl("validate", "-f", good, "--schema-location", crd_file, "--summary")
    assert (r.code, r.out) == (0, "1 document: 1 valid, 0 invalid, 0 skipped; 0 errors, 0 warnings\n")
    path = write("w.yaml", BAD.replace("  foo: 1\n", ""))
    assert kctl("validate", "-f", path, "--schema-location", crd_file).code == 1
