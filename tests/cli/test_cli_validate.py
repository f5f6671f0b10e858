"""`kctl validate` end to end: exact stdout, stderr and exit codes (CLI-CONTRACT.md: 0 all
valid, 1 some document invalid, 2 usage or I/O error), and parity with `kctl apply`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REAL = Path(__file__).resolve().parent.parent / "e2e" / "real"
NOT_PROJECTS = {"crd-kinds", "followups"}
PROJECTS = sorted(p.name for p in REAL.iterdir() if p.is_dir() and p.name not in NOT_PROJECTS)
# as tests/e2e/test_real_manifests.py: namespaces these projects use without creating them
PRE_NAMESPACES = {"eks-workshop": "ui,other"}

DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: {replicas}
  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
"""
SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports: [{port: 80}]
"""


@pytest.mark.parametrize("project", PROJECTS)
def test_real_projects_validate_clean(kctl, store_path, project):
    args = ["validate", "-f", str(REAL / project), "-R", "--summary"]
    if project in PRE_NAMESPACES:
        args += ["--assume-namespace", PRE_NAMESPACES[project]]
    r = kctl(*args)
    assert r.code == 0, r.out
    lines = r.out.splitlines()
    assert all(": warning: " in line for line in lines[:-1]), r.out
    assert " valid, 0 invalid, 0 skipped; 0 errors" in lines[-1]
    assert r.err == ""
    assert not store_path.exists()  # no store opened, nothing written


def test_missing_namespace_is_an_error_unless_assumed(kctl):
    path = str(REAL / "followups" / "ingress-nginx-custom-configuration-configmap.yaml")
    r = kctl("validate", "-f", path)
    assert (r.code, r.out) == (1, f'{path}:1: Error from server (NotFound): error when creating "{path}": '
                                  'namespaces "ingress-nginx" not found\n')
    r = kctl("validate", "-f", path, "--assume-namespace", "ingress-nginx")
    assert (r.code, r.out, r.err) == (0, "", "")


def test_unknown_kinds_error_or_skipped(kctl):
    folder = str(REAL / "crd-kinds")
    r = kctl("validate", "-f", folder, "-R", "--summary")
    assert r.code == 1
    assert r.out.count("no matches for kind") == 5
    assert r.out.endswith("5 documents: 0 valid, 5 invalid, 0 skipped; 5 errors, 0 warnings\n")
    r = kctl("validate", "-f", folder, "-R", "--summary", "--ignore-missing-schemas")
    assert (r.code, r.out) == (0, "5 documents: 0 valid, 0 invalid, 5 skipped; 0 errors, 0 warnings\n")


# Inputs apply rejects: validate prints exactly apply's error lines (to stdout), exit 1 both.
BAD = {
    "invalid-replicas": DEPLOY.format(replicas=-1),
    "unknown-field": DEPLOY.format(replicas=1).replace("        image: nginx:1.27\n",
                                                       "        image: nginx:1.27\n        imagePolicy: x\n"),
    "wrong-type": DEPLOY.format(replicas='"two"'),
    "bad-name": DEPLOY.format(replicas=1).replace("name: web\nspec", "name: Web_1\nspec"),
    "namespace-missing": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: nowhere}\n",
    "unknown-kind": "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n",
    "two-errors": DEPLOY.format(replicas=-1) + "---\n" + SERVICE.replace("port: 80", "port: 0"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_inputs_match_apply(kctl, write, name):
    path = write("in.yaml", BAD[name])
    v = kctl("validate", "-f", path)
    a = kctl("apply", "-f", path)
    assert (v.code, a.code) == (1, 1)
    assert v.err == ""
    assert v.out + "error: no objects were changed\n" == a.err


def test_yaml_syntax_error_like_apply_without_column(kctl, write):
    path = write("in.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c\n")
    v = kctl("validate", "-f", path)
    a = kctl("apply", "-f", path)
    # apply names file:line:col; validate's text lines are always file:line (the column is in
    # -o json/sarif/tap)
    text = (f"error: error parsing {path}: error converting YAML to JSON: yaml: line 3: "
            "did not find expected ',' or '}'\n")
    assert (v.code, v.out) == (1, f"{path}:4: {text}")
    assert (a.code, a.err) == (1, f"{path}:4:1: {text}error: no objects were changed\n")
    finding = json.loads(kctl("validate", "-f", path, "-o", "json").out)["findings"][0]
    assert (finding["line"], finding["column"], finding["rule"]) == (4, 1, "yaml")


GOOD = {
    "deployment-and-service": DEPLOY.format(replicas=2) + "---\n" + SERVICE,
    "namespace-and-objects": "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\n"
                             "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop}\ndata: {a: b}\n",
    "list": "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n"
            "- apiVersion: v1\n  kind: Secret\n  metadata: {name: b}\n  stringData: {k: v}\n",
}


@pytest.mark.parametrize("name", sorted(GOOD))
def test_good_inputs_validate_and_apply(kctl, write, name):
    path = write("in.yaml", GOOD[name])
    v = kctl("validate", "-f", path)
    assert (v.code, v.out, v.err) == (0, "", "")
    assert kctl("apply", "-f", path).code == 0


def test_exact_text_and_summary(kctl, write):
    path = write("app.yaml", DEPLOY.format(replicas=-1) + "---\n" + SERVICE.replace("app: web", "app: api"))
    r = kctl("validate", "-f", path, "--summary")
    assert r.code == 1
    assert r.out == (
        f'{path}:6: The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n'
        f'{path}:22: warning: Service "web" selector app=api matches no pod template in namespace "default" among the inputs\n'
        "2 documents: 1 valid, 1 invalid, 0 skipped; 1 error, 1 warning\n")


def test_warnings_exit_0_strict_references_exit_1(kctl, write):
    path = write("svc.yaml", SERVICE)
    r = kctl("validate", "-f", path)
    assert (r.code, r.out) == (0, f'{path}:6: warning: Service "web" selector app=web matches no pod template '
                                  'in namespace "default" among the inputs\n')
    r = kctl("validate", "-f", path, "--strict-references")
    assert (r.code, r.out) == (1, f'{path}:6: error: Service "web" selector app=web matches no pod template '
                                  'in namespace "default" among the inputs\n')


def test_duplicates_warn(kctl, write):
    cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"
    path = write("d.yaml", cm + "---\n" + cm)
    r = kctl("validate", "-f", path)
    assert (r.code, r.out) == (0, f'{path}:7: warning: ConfigMap "c" in namespace "default" is defined more '
                                  f'than once (also at {path}:1)\n')


def test_yaml_error_in_one_file_others_still_validated(kctl, write):
    broken = write("a.yaml", "a: [\n")
    bad = write("b.yaml", DEPLOY.format(replicas=-1))
    r = kctl("validate", "-f", broken, "-f", bad, "--summary")
    assert r.code == 1
    assert r.out == (
        f"{broken}:2: error: error parsing {broken}: error converting YAML to JSON: yaml: line 1: did not find expected node content\n"
        f'{bad}:6: The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n'
        "2 documents: 0 valid, 2 invalid, 0 skipped; 2 errors, 0 warnings\n")


def test_skip_kinds(kctl, write):
    path = write("app.yaml", DEPLOY.format(replicas=-1) + "---\n" + SERVICE)
    r = kctl("validate", "-f", path, "--skip", "deploy", "--summary")
    # the skipped Deployment still counts as present for the Service's selector
    assert (r.code, r.out) == (0, "2 documents: 1 valid, 0 invalid, 1 skipped; 0 errors, 0 warnings\n")
    r = kctl("validate", "-f", path, "--skip", "Service,Deployment", "--summary")
    assert (r.code, r.out) == (0, "2 documents: 0 valid, 0 invalid, 2 skipped; 0 errors, 0 warnings\n")


def test_namespace_flag_and_stdin(kctl):
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"
    r = kctl("validate", "-f", "-", "-n", "nowhere", stdin=text)
    assert (r.code, r.out) == (1, 'STDIN:1: Error from server (NotFound): error when creating "STDIN": '
                                  'namespaces "nowhere" not found\n')
    r = kctl("validate", "-f", "-", "-n", "kube-system", stdin=text)
    assert (r.code, r.out) == (0, "")


def test_json_output_has_positions(kctl, write):
    path = write("app.yaml", DEPLOY.format(replicas=-1))
    r = kctl("validate", "-f", path, "-o", "json")
    assert r.code == 1
    got = json.loads(r.out)
    assert got["findings"] == [{
        "file": path, "line": 6, "column": 3, "field": "spec.replicas", "rule": got["findings"][0]["rule"],
        "severity": "error", "object": "Deployment/web",
        "message": 'The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0'}]
    assert got["findings"][0]["rule"]
    r = kctl("-o", "sarif", "validate", "-f", path)
    region = json.loads(r.out)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert (r.code, region) == (1, {"startLine": 6, "startColumn": 3})


@pytest.mark.parametrize("args,err", [
    (["-f", "/nonexistent/x.yaml"], 'error: the path "/nonexistent/x.yaml" does not exist\n'),
    ([], "error: must specify -f\n"),
    (["-f", "{good}", "-o", "yaml"], 'error: unable to match a printer suitable for the output format "yaml", '
                                     "allowed formats are: text,json,junit,tap,sarif\n"),
    (["-f", "{good}", "--bogus"], "error: unknown flag: --bogus\nSee 'kctl validate --help' for usage.\n"),
    (["-f", "{good}", "--kubernetes-version", "1.34"],
     'error: Kubernetes version "1.34" is not available; available versions: 1.35, 1.36, 1.37\n'),
    (["-f", "{empty}"], "error: no objects passed to validate\n"),
], ids=["missing-path", "no-f", "bad-output", "unknown-flag", "unavailable-version", "no-objects"])
def test_usage_and_io_errors_exit_2(kctl, write, args, err):
    paths = {"good": write("g.yaml", SERVICE), "empty": write("e.yaml", "---\n")}
    r = kctl("validate", *[a.format(**paths) for a in args])
    assert (r.code, r.out, r.err) == (2, "", err)


def test_kubernetes_version_137_accepted(kctl, write):
    path = write("g.yaml", GOOD["deployment-and-service"])
    for v in ("1.37", "v1.37"):
        assert kctl("validate", "-f", path, "--kubernetes-version", v).code == 0


def test_help_documents_formats_and_exit_codes(kctl):
    r = kctl("validate", "--help")
    assert r.code == 0
    for word in ("text (default), json, junit, tap, sarif", "--summary", "--strict-references",
                 "--assume-namespace", "2 usage or I/O error"):
        assert word in r.out
