"""`kctl apply` end to end through the CLI: exact stdout, stderr and exit codes."""

from __future__ import annotations

import json

import pytest

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


def revision(kctl) -> str:
    out = kctl("store", "info").out
    return next(line.split()[-1] for line in out.splitlines() if line.startswith("Revision:"))


def test_create_then_unchanged_then_configured(kctl, write):
    path = write("d.yaml", DEPLOY.format(replicas=2))
    r = kctl("apply", "-f", path)
    assert (r.code, r.out, r.err) == (0, "deployment.apps/web created\n", "")
    r = kctl("apply", "-f", path)
    assert (r.code, r.out) == (0, "deployment.apps/web unchanged\n")
    write("d.yaml", DEPLOY.format(replicas=3))
    r = kctl("apply", "-f", path)
    assert (r.code, r.out) == (0, "deployment.apps/web configured\n")
    obj = json.loads(kctl("get", "deploy", "web", "-o", "json").out)
    assert obj["spec"]["replicas"] == 3
    assert obj["metadata"]["generation"] == 2
    # server defaults are there
    assert obj["spec"]["strategy"] == {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}}
    assert obj["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"] == "IfNotPresent"


def test_dry_run_server_writes_nothing(kctl, write):
    path = write("d.yaml", DEPLOY.format(replicas=1))
    before = revision(kctl)
    r = kctl("apply", "--dry-run=server", "-f", path)
    assert (r.code, r.out) == (0, "deployment.apps/web created (server dry run)\n")
    assert revision(kctl) == before
    r = kctl("get", "deploy", "web")
    assert r.code == 1
    assert r.err == 'Error from server (NotFound): deployments.apps "web" not found\n'


def test_namespace_and_objects_in_one_batch(kctl, write):
    path = write("all.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop}\n---\n"
                              "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n")
    r = kctl("apply", "-f", path)
    assert r.code == 0, r.err
    # written Namespace first, reported in input order as kubectl does
    assert r.out == "configmap/c created\nnamespace/shop created\n"


def test_namespace_flag_mismatch(kctl, write):
    path = write("c.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: a}\n")
    r = kctl("apply", "-n", "b", "-f", path)
    assert r.code == 1
    assert r.err == (
        f"{path}:1: error: the namespace from the provided object \"a\" does not match the namespace \"b\". "
        "You must pass '--namespace=a' to perform this operation.\n"
        "error: no objects were changed\n"
    )


def test_stdin(kctl):
    r = kctl("apply", "-f", "-", stdin="apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n")
    assert (r.code, r.out) == (0, "configmap/c created\n")


BAD = [
    ("unknown-kind", "apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: x}\n",
     [':1: error: resource mapping not found for name: "x" namespace: "" from "{path}": no matches for kind '
      '"Deployment" in version "extensions/v1beta1"', "ensure CRDs are installed first"]),
    ("negative-replicas", DEPLOY.format(replicas=-1),
     [':6: The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0']),
    ("unknown-field", DEPLOY.format(replicas=1).replace("  replicas: 1\n", "  replicas: 1\n  replicaz: 2\n"),
     [':7: Error from server (BadRequest): error when creating "{path}": Deployment in version "v1" cannot be '
      'handled as a Deployment: strict decoding error: unknown field "spec.replicaz"']),
    ("missing-namespace", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: nope}\n",
     [':1: Error from server (NotFound): error when creating "{path}": namespaces "nope" not found']),
    ("selector-mismatch", DEPLOY.format(replicas=1).replace("labels: {app: web}", "labels: {app: other}"),
     [""":11: The Deployment "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`"""]),
    ("no-image", DEPLOY.format(replicas=1).replace("        image: nginx:1.27\n", ""),
     [':14: The Deployment "web" is invalid: spec.template.spec.containers[0].image: Required value']),
]


@pytest.mark.parametrize("text,expected", [(t, e) for _, t, e in BAD], ids=[i for i, _, _ in BAD])
def test_bad_manifest_changes_nothing(kctl, write, text, expected):
    good = write("good.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: good}\n")
    path = write("bad.yaml", text)
    before = revision(kctl)
    r = kctl("apply", "-f", good, "-f", path)
    assert r.code == 1, r.out
    assert r.out == ""
    for line in expected:
        assert line.replace("{path}", path) in r.err
    assert r.err.startswith(path + ":")
    assert r.err.endswith("error: no objects were changed\n")
    assert "Traceback" not in r.err
    assert revision(kctl) == before
    assert kctl("get", "cm", "good").code == 1


def test_unknown_flag_is_kubectl_style(kctl):
    r = kctl("apply", "--bogus")
    assert r.code == 1
    assert r.err.splitlines()[0] == "error: unknown flag: --bogus"


def test_no_filename(kctl):
    r = kctl("apply")
    assert (r.code, r.err) == (1, "error: must specify one of -f and -k\n")


def test_missing_file(kctl, tmp_path):
    r = kctl("apply", "-f", str(tmp_path / "nope.yaml"))
    assert r.code == 1
    assert r.err == f'error: the path "{tmp_path / "nope.yaml"}" does not exist\n'


@pytest.mark.parametrize("text,expected", [
    ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  name: y\n",
     ':5: error: error parsing {path}: error converting YAML to JSON: yaml: unmarshal errors:\n  line 5: key "name" already set in map\n'),
    ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: b\n c: d\n",
     ":7:2: error: error parsing {path}: error converting YAML to JSON: yaml: line 6: did not find expected key\n"),
    ("kind: ConfigMap\nmetadata:\n  name: x\n",
     ':1: error: error validating "{path}": error validating data: apiVersion not set; if you choose to ignore '
     "these errors, turn validation off with --validate=false\n"),
], ids=["duplicate-key", "yaml-syntax", "no-apiversion"])
def test_unreadable_manifest(kctl, write, text, expected):
    path = write("bad.yaml", text)
    r = kctl("apply", "-f", path)
    assert r.code == 1
    assert r.err == path + expected.replace("{path}", path) + "error: no objects were changed\n"


def test_every_error_of_a_batch_is_reported_in_file_order(kctl, write):
    path = write("bad.yaml", """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx
        ports:
        - containerPort: 70000
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 80
  - port: 443
---
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: a
    image: busybox
    resources:
      limits: {memory: 1.5.0Gi}
""")
    r = kctl("apply", "-f", path)
    assert r.code == 1
    assert r.err.replace(path, "F").splitlines() == [
        'F:5: The Deployment "web" is invalid: spec.selector: Required value',
        'F:8: The Deployment "web" is invalid: spec.template.metadata.labels: Invalid value: '
        'map[string]string{"app":"web"}: `selector` does not match template `labels`',
        'F:14: The Deployment "web" is invalid: spec.template.spec.containers[0].ports[0].containerPort: '
        "Invalid value: 70000: must be between 1 and 65535, inclusive",
        'F:22: The Service "web" is invalid: spec.ports[0].name: Required value',
        'F:23: The Service "web" is invalid: spec.ports[1].name: Required value',
        'F:34: Error from server (BadRequest): error when creating "F": Pod in version "v1" cannot be '
        "handled as a Pod: quantities must match the regular expression "
        "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
        "error: no objects were changed",
    ]


def test_output_formats(kctl, write):
    one = write("one.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}\n")
    two = write("two.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n---\n"
                            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    r = kctl("apply", "-f", one, "-o", "json")
    obj = json.loads(r.out)
    assert (r.code, obj["kind"], obj["data"]) == (0, "ConfigMap", {"k": "v"})
    r = kctl("apply", "-f", two, "-o", "yaml")
    assert r.code == 0
    assert r.out.startswith("apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n")
    assert r.out.endswith("kind: List\nmetadata: {}\n")
    r = kctl("apply", "-f", two, "-o", "name")
    assert (r.code, r.out) == (0, "configmap/b\nconfigmap/c\n")
    r = kctl("apply", "-f", two, "-o", "wide")
    assert r.code == 1
    assert r.err.startswith('error: unable to match a printer suitable for the output format "wide"')


def test_output_jsonpath_and_unsupported_template(kctl, write):
    two = write("two.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n---\n"
                            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    r = kctl("apply", "-f", two, "-o", "jsonpath={range .items[*]}{.metadata.name}{\"\\n\"}{end}")
    assert (r.code, r.out) == (0, "b\nc\n")
    one = write("one.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d}\n")
    r = kctl("apply", "-f", one, "-o", "go-template={{.metadata.name}}")
    assert r.code == 1
    assert kctl("get", "cm", "d").code == 1  # rejected before anything was written
