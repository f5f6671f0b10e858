"""`kctl create`: generators byte-identical to kubectl 1.37 (golden files made with the real
binary by tests/golden/create/regen_with_kubectl.py), `create -f`, and creating in the store."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "create"


def _regen_module():
    spec = importlib.util.spec_from_file_location("create_golden_regen", GOLDEN / "regen_with_kubectl.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


REGEN = _regen_module()


@pytest.mark.parametrize("case_id,args", REGEN.CASES, ids=[c[0] for c in REGEN.CASES])
def test_generator_matches_kubectl(kctl, monkeypatch, case_id, args):
    monkeypatch.chdir(GOLDEN)  # the cases name input files relative to the golden dir
    r = kctl("create", *args)
    assert (r.code, r.err) == (0, "")
    assert r.out == (GOLDEN / REGEN.golden_name(case_id)).read_text()


@pytest.mark.parametrize("args,err", [
    (["deployment", "web"], 'error: required flag(s) "image" not set\n'),
    (["deployment", "--image=nginx"], "error: exactly one NAME is required, got 0\n"
                                      "See 'kctl create deployment -h' for help and examples\n"),
    (["deployment", "web", "--image=a", "--image=b", "--", "sleep"],
     "error: cannot specify multiple --image options and command\n"),
    (["job", "j"], "error: either --image or --from must be specified\n"),
    (["cronjob", "cj"], 'error: required flag(s) "image", "schedule" not set\n'),
    (["cronjob", "cj", "--image=x"], 'error: required flag(s) "schedule" not set\n'),
    (["service", "clusterip", "s"], "error: at least one tcp port specifier must be provided\n"),
    (["service", "externalname", "e"], 'error: required flag(s) "external-name" not set\n'),
    (["configmap", "c", "--from-literal=kv"], "error: invalid literal source kv, expected key=value\n"),
    (["configmap", "c", "--from-literal=a=1", "--from-literal=a=2"],
     'error: cannot add key a, another key by that name already exists in Data for ConfigMap "c"\n'),
    (["deployment", "web", "--image=nginx", "--dry-run=maybe"],
     'error: Invalid dry-run value (maybe). Must be "none", "server", or "client".\n'),
    (["secret", "tls", "t"], "error: key and cert must be specified\n"),
    (["rolebinding", "rb", "--user=u"], "error: exactly one of clusterrole or role must be specified\n"),
    (["rolebinding", "rb", "--role=a", "--clusterrole=b"], "error: exactly one of clusterrole or role must be specified\n"),
    (["clusterrolebinding", "b", "--user=u"], 'error: required flag(s) "clusterrole" not set\n'),
    (["clusterrolebinding", "b", "--clusterrole=x", "--serviceaccount=bad"],
     "error: serviceaccount must be <namespace>:<name>\n"),
], ids=["deploy-no-image", "deploy-no-name", "deploy-images-and-command", "job-no-image", "cronjob-no-flags",
        "cronjob-no-schedule", "service-no-tcp", "externalname-no-name", "bad-literal", "duplicate-key",
        "bad-dry-run", "tls-no-files", "rolebinding-no-role", "rolebinding-two-roles", "crb-no-clusterrole", "crb-bad-sa"])
def test_generator_errors(kctl, args, err):
    r = kctl("create", *args, "--dry-run=client") if "--dry-run=maybe" not in args else kctl("create", *args)
    assert (r.code, r.out, r.err) == (1, "", err)


def test_generator_creates_in_store(kctl):
    r = kctl("create", "deployment", "web", "--image=nginx", "--replicas=2")
    assert (r.code, r.out, r.err) == (0, "deployment.apps/web created\n", "")
    obj = json.loads(kctl("get", "deploy", "web", "-o", "json").out)
    assert obj["spec"]["replicas"] == 2
    assert obj["metadata"]["namespace"] == "default"
    # server defaults applied, no last-applied annotation without --save-config
    assert obj["spec"]["strategy"]["type"] == "RollingUpdate"
    assert LAST_APPLIED not in obj["metadata"].get("annotations", {})
    # converged: the pods exist
    pods = json.loads(kctl("get", "pods", "-o", "json").out)["items"]
    assert len(pods) == 2
    r = kctl("create", "deployment", "web", "--image=nginx")
    assert (r.code, r.out, r.err) == (1, "", 'error: failed to create deployment: deployments.apps "web" already exists\n')


@pytest.mark.parametrize("args,out,get", [
    (["namespace", "shop"], "namespace/shop created\n", ["ns", "shop"]),
    (["configmap", "c", "--from-literal=a=b"], "configmap/c created\n", ["cm", "c"]),
    (["secret", "generic", "s", "--from-literal=a=b"], "secret/s created\n", ["secret", "s"]),
    (["serviceaccount", "bot"], "serviceaccount/bot created\n", ["sa", "bot"]),
    (["service", "clusterip", "web", "--tcp=80:8080"], "service/web created\n", ["svc", "web"]),
    (["job", "j", "--image=busybox", "--", "true"], "job.batch/j created\n", ["job", "j"]),
    (["priorityclass", "high", "--value=10"], "priorityclass.scheduling.k8s.io/high created\n", ["pc", "high"]),
    (["rolebinding", "rb", "--role=r", "--serviceaccount=default:x"],
     "rolebinding.rbac.authorization.k8s.io/rb created\n", ["rolebinding", "rb"]),
    (["clusterrolebinding", "b", "--clusterrole=view", "--group=g"],
     "clusterrolebinding.rbac.authorization.k8s.io/b created\n", ["clusterrolebinding", "b"]),
    (["cronjob", "cj", "--image=busybox", "--schedule=*/5 * * * *"], "cronjob.batch/cj created\n", ["cronjob", "cj"]),
], ids=["namespace", "configmap", "secret", "serviceaccount", "service", "job", "priorityclass", "rolebinding",
        "clusterrolebinding", "cronjob"])
def test_generators_create(kctl, args, out, get):
    r = kctl("create", *args)
    assert (r.code, r.out, r.err) == (0, out, "")
    assert kctl("get", *get, "-o", "name").code == 0


def test_generator_existing_configmap(kctl):
    assert kctl("create", "cm", "c", "--from-literal=a=b").code == 0
    r = kctl("create", "cm", "c", "--from-literal=a=b")
    assert (r.code, r.out, r.err) == (1, "", 'error: failed to create configmap: configmaps "c" already exists\n')


def test_generator_server_dry_run_writes_nothing(kctl):
    r = kctl("create", "deployment", "web", "--image=nginx", "--dry-run=server")
    assert (r.code, r.out) == (0, "deployment.apps/web created (server dry run)\n")
    assert kctl("get", "deploy", "web").code == 1


@pytest.mark.parametrize("args,err", [
    (["configmap", "c", "--from-literal=a=b", "-n", "nope"],
     'error: failed to create configmap: namespaces "nope" not found\n'),
    (["deployment", "Web", "--image=nginx"],
     'error: failed to create deployment: Deployment.apps "Web" is invalid: metadata.name: Invalid value: "Web": '
     "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
     "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
     "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n"),
    (["service", "nodeport", "np", "--tcp=80", "--node-port=1"],
     'error: failed to create NodePort service: Service "np" is invalid: spec.ports[0].nodePort: Invalid value: 1: '
     "provided port is not in the valid range. The range of valid ports is 30000-32767\n"),
], ids=["missing-namespace", "invalid-name", "nodeport-out-of-range"])
def test_generator_server_errors_wrapped(kctl, args, err):
    """kubectl wraps the server's error for most generators (`failed to create <what>: `)."""
    r = kctl("create", *args)
    assert (r.code, r.out, r.err) == (1, "", err)


@pytest.mark.parametrize("args,err", [
    (["namespace", "shop"], 'Error from server (AlreadyExists): namespaces "shop" already exists\n'),
    (["secret", "generic", "s"], 'error: failed to create secret secrets "s" already exists\n'),
    (["service", "clusterip", "s", "--tcp=80"], 'error: failed to create ClusterIP service: services "s" already exists\n'),
    (["serviceaccount", "bot"], 'error: failed to create serviceaccount: serviceaccounts "bot" already exists\n'),
], ids=["namespace-raw", "secret-no-colon", "service-typed", "serviceaccount"])
def test_generator_already_exists(kctl, args, err):
    assert kctl("create", *args).code == 0
    r = kctl("create", *args)
    assert (r.code, r.out, r.err) == (1, "", err)


DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
"""
CM = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n"


def test_create_file_then_already_exists(kctl, write):
    path = write("f.yaml", DEPLOY)
    r = kctl("create", "-f", path)
    assert (r.code, r.out, r.err) == (0, "deployment.apps/web created\n", "")
    obj = json.loads(kctl("get", "deploy", "web", "-o", "json").out)
    assert LAST_APPLIED not in obj["metadata"].get("annotations", {})
    assert len(json.loads(kctl("get", "pods", "-o", "json").out)["items"]) == 1
    r = kctl("create", "-f", path)
    assert (r.code, r.out) == (1, "")
    assert r.err == (f'{path}:1: Error from server (AlreadyExists): error when creating "{path}": '
                     'deployments.apps "web" already exists\n')


def test_create_file_partial(kctl, write):
    """kubectl's create is per object: the new one is created, the existing one reported."""
    assert kctl("create", "-f", write("c.yaml", CM)).code == 0
    path = write("both.yaml", CM + "---\n" + DEPLOY)
    r = kctl("create", "-f", path)
    assert r.code == 1
    assert r.out == "deployment.apps/web created\n"
    assert r.err == (f'{path}:1: Error from server (AlreadyExists): error when creating "{path}": '
                     'configmaps "c" already exists\n')


def test_create_file_save_config_then_apply_unchanged(kctl, write):
    path = write("f.yaml", DEPLOY)
    assert kctl("create", "--save-config", "-f", path).code == 0
    obj = json.loads(kctl("get", "deploy", "web", "-o", "json").out)
    assert LAST_APPLIED in obj["metadata"]["annotations"]
    r = kctl("apply", "-f", path)
    assert (r.code, r.out, r.err) == (0, "deployment.apps/web unchanged\n", "")


@pytest.mark.parametrize("dry_run,suffix", [("client", " (dry run)"), ("server", " (server dry run)")])
def test_create_file_dry_run(kctl, write, dry_run, suffix):
    path = write("f.yaml", DEPLOY)
    r = kctl("create", f"--dry-run={dry_run}", "-f", path)
    assert (r.code, r.out, r.err) == (0, f"deployment.apps/web created{suffix}\n", "")
    assert kctl("get", "deploy", "web").code == 1


def test_create_file_output_name_and_namespace(kctl, write):
    kctl("create", "ns", "shop")
    r = kctl("create", "-n", "shop", "-o", "name", "-f", write("c.yaml", CM))
    assert (r.code, r.out, r.err) == (0, "configmap/c\n", "")
    assert kctl("get", "cm", "c", "-n", "shop").code == 0


def test_create_file_invalid_rejected(kctl, write):
    path = write("bad.yaml", DEPLOY.replace("replicas: 1", "replicas: -1"))
    r = kctl("create", "-f", path)
    assert (r.code, r.out) == (1, "")
    assert 'spec.replicas: Invalid value: -1: must be greater than or equal to 0' in r.err
    assert kctl("get", "deploy", "web").code == 1


@pytest.mark.parametrize("args,err", [
    ([], "error: must specify one of -f and -k\n"),
    (["bogus"], 'error: unknown command "bogus" for "kctl create"\n'),
], ids=["no-file", "unknown-generator"])
def test_create_usage_errors(kctl, args, err):
    r = kctl("create", *args)
    assert (r.code, r.out, r.err) == (1, "", err)


def test_create_file_client_dry_run_prints_object_as_read(kctl, write):
    """No server: no defaults, namespace filled in; a map, so JSON keys are sorted."""
    path = write("c.yaml", "kind: ConfigMap\napiVersion: v1\nmetadata: {name: c}\ndata: {b: '2', a: '1'}\n")
    r = kctl("create", "--dry-run=client", "-o", "yaml", "-f", path)
    assert (r.code, r.err) == (0, "")
    assert r.out == "apiVersion: v1\ndata:\n  a: \"1\"\n  b: \"2\"\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: default\n"
    r = kctl("create", "--dry-run=client", "-o", "json", "-f", path)
    assert r.out.startswith('{\n    "apiVersion": "v1",\n    "data": {')
