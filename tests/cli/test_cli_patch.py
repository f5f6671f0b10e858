"""`kctl patch` (strategic, merge, json) and `kctl replace -f`: kubectl 1.37's texts and exit
codes, the update path's defaults / validation / immutability, and the written result."""

from __future__ import annotations

import pytest

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
        image: nginx
      - name: side
        image: busybox
"""


@pytest.fixture
def web(kctl, write, frozen_now):
    r = kctl("apply", "-f", write("web.yaml", DEPLOY))
    assert r.code == 0, r.err
    return kctl


def jp(kctl, path):
    return kctl("get", "deployment", "web", "-o", "jsonpath={" + path + "}").out


@pytest.mark.parametrize("args,out,err,check", [
    (["patch", "deployment", "web", "-p", '{"spec":{"replicas":3}}'],
     "deployment.apps/web patched\n", "", (".spec.replicas", "3")),
    (["patch", "deploy/web", "-p", "spec: {replicas: 2}"],
     "deployment.apps/web patched\n", "", (".spec.replicas", "2")),
    (["patch", "deploy", "web", "-p", '{"spec":{"replicas":1}}'],
     "deployment.apps/web patched (no change)\n", "", (".metadata.generation", "1")),
    # strategic: containers merge by name, so `side` stays
    (["patch", "deploy", "web", "-p",
      '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:2"}]}}}}'],
     "deployment.apps/web patched\n", "",
     (".spec.template.spec.containers[*].image", "nginx:2 busybox")),
    # merge: the list is replaced whole
    (["patch", "deploy", "web", "--type", "merge", "-p",
      '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:2"}]}}}}'],
     "deployment.apps/web patched\n", "", (".spec.template.spec.containers[*].image", "nginx:2")),
    (["patch", "deploy", "web", "--type=merge", "-p", '{"metadata":{"labels":{"tier":"front"}}}'],
     "deployment.apps/web patched\n", "", (".metadata.labels.tier", "front")),
    (["patch", "deploy", "web", "--type", "json", "-p",
      '[{"op":"test","path":"/spec/replicas","value":1},{"op":"replace","path":"/spec/replicas","value":4}]'],
     "deployment.apps/web patched\n", "", (".spec.replicas", "4")),
    (["patch", "deploy", "web", "--type", "json", "-p",
      '[{"op":"remove","path":"/spec/template/spec/containers/1"}]'],
     "deployment.apps/web patched\n", "", (".spec.template.spec.containers[*].name", "web")),
    (["patch", "deploy", "web", "-p", '{"spec":{"replicas":5}}', "--dry-run=server"],
     "deployment.apps/web patched (server dry run)\n", "", (".spec.replicas", "1")),
    (["patch", "deploy", "web", "-p", '{"spec":{"replicas":5}}', "-o", "name"],
     "deployment.apps/web\n", "", (".spec.replicas", "5")),
    (["patch", "deploy", "web", "-p", '{"spec":{"foo":1}}'],
     "deployment.apps/web patched (no change)\n", 'Warning: unknown field "spec.foo"\n', (".spec.replicas", "1")),
], ids=["strategic", "yaml-patch", "no-change", "strategic-list-merge", "merge-list-replace", "merge-labels",
        "json-test-replace", "json-remove", "server-dry-run", "output-name", "unknown-field-dropped"])
def test_patch_ok(web, args, out, err, check):
    r = web(*args)
    assert (r.code, r.out, r.err) == (0, out, err)
    assert jp(web, check[0]) == check[1]


def test_patch_bumps_generation_and_rolls_out(web):
    web("patch", "deploy", "web", "-p", '{"spec":{"template":{"metadata":{"labels":{"v":"2"}}}}}')
    assert jp(web, ".metadata.generation") == "2"
    r = web("get", "rs", "-o", "name")
    assert len(r.out.split()) == 2  # converged: the new template got its ReplicaSet


@pytest.mark.parametrize("args,err", [
    (["patch", "deploy", "web", "-p", '{"spec":{"replicas":-1}}'],
     'The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n'),
    (["patch", "deploy", "web", "--type", "merge", "-p", '{"spec":{"selector":{"matchLabels":{"app":"x"}},'
                                                          '"template":{"metadata":{"labels":{"app":"x"}}}}}'],
     'The Deployment "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:'
     'map[string]string{"app":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable\n'),
    (["patch", "deploy", "nope", "-p", "{}"], 'Error from server (NotFound): deployments.apps "nope" not found\n'),
    (["patch", "deploy", "web", "-p", "["], 'error: unable to parse "[": yaml: line 1: did not find expected node content\n'),
    (["patch", "deploy", "web", "--type", "foo", "-p", "{}"],
     'error: --type must be one of [json merge strategic], not "foo"\n'),
    (["patch", "deploy", "web"], "error: must specify --patch or --patch-file containing the contents of the patch\n"),
    (["patch", "deploy", "web", "--type", "json", "-p", '{"op":"add"}'],
     "error: json: cannot unmarshal object into Go value of type jsonpatch.Patch\n"),
    (["patch", "deploy", "web", "--type", "json", "-p", '[{"op":"test","path":"/spec/replicas","value":3}]'],
     "error: testing value /spec/replicas failed: test failed\n"),
    (["patch", "deploy", "web", "--type", "json", "-p", '[{"op":"remove","path":"/spec/nope"}]'],
     "error: error in remove for path: '/spec/nope': Unable to remove nonexistent key: nope: missing value\n"),
    (["patch", "deploy", "web", "-p", '{"metadata":{"name":"other"}}'],
     "Error from server (BadRequest): the name of the object (other) does not match the name on the URL (web)\n"),
    (["patch", "deploy", "-p", "{}"], "error: resource(s) were provided, but no name was specified\n"),
], ids=["invalid", "immutable-selector", "not-found", "bad-yaml", "bad-type", "no-patch", "json-not-list",
        "json-test-fails", "json-remove-missing", "rename", "no-name"])
def test_patch_errors(web, args, err):
    r = web(*args)
    assert (r.code, r.out, r.err) == (1, "", err)
    assert jp(web, ".spec.replicas") == "1"
    assert jp(web, ".metadata.generation") == "1"


def test_patch_configmap_in_namespace(kctl, write, frozen_now):
    kctl("apply", "-f", write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: kube-public}\n"
                                         "data: {a: '1', b: '2'}\n"))
    r = kctl("patch", "cm", "c", "-n", "kube-public", "--type", "merge", "-p", '{"data":{"a":null,"c":"3"}}')
    assert (r.code, r.out, r.err) == (0, "configmap/c patched\n", "")
    assert kctl("get", "cm", "c", "-n", "kube-public", "-o", "jsonpath={.data}").out == '{"b":"2","c":"3"}'


# ------------------------------------------------------------------ replace
@pytest.mark.parametrize("text,code,out,err,replicas", [
    (DEPLOY.replace("replicas: 1", "replicas: 3"), 0, "deployment.apps/web replaced\n", "", "3"),
    (DEPLOY, 0, "deployment.apps/web replaced\n", "", "1"),
    (DEPLOY.replace("name: web\n", "name: nope\n", 1), 1, "",
     'Error from server (NotFound): error when replacing "{f}": deployments.apps "nope" not found\n', "1"),
    (DEPLOY.replace("replicas: 1", "replicas: -2"), 1, "",
     'The Deployment "web" is invalid: spec.replicas: Invalid value: -2: must be greater than or equal to 0\n', "1"),
    (DEPLOY.replace("{app: web}", "{app: x}"), 1, "",
     'The Deployment "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:'
     'map[string]string{"app":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable\n', "1"),
    (DEPLOY.replace("name: web\n", "name: web\n  resourceVersion: \"1\"\n", 1), 1, "",
     'Error from server (Conflict): error when replacing "{f}": Operation cannot be fulfilled on deployments.apps '
     '"web": the object has been modified; please apply your changes to the latest version and try again\n', "1"),
], ids=["replaced", "same-still-replaced", "not-found", "invalid", "immutable", "stale-resource-version"])
def test_replace(web, write, text, code, out, err, replicas):
    f = write("new.yaml", text)
    r = web("replace", "-f", f)
    assert (r.code, r.out, r.err) == (code, out, err.replace("{f}", f))
    assert jp(web, ".spec.replicas") == replicas


def test_replace_drops_fields_not_in_file_keeps_server_metadata(web, write):
    uid = jp(web, ".metadata.uid")
    web("label", "deployment", "web", "extra=1")
    r = web("replace", "-f", write("new.yaml", DEPLOY.replace("replicas: 1", "replicas: 2")))
    assert r.code == 0, r.err
    assert jp(web, ".metadata.labels") == ""  # a PUT replaces labels and annotations whole
    assert jp(web, ".metadata.uid") == uid
    assert jp(web, ".metadata.generation") == "2"
    assert jp(web, ".spec.strategy.type") == "RollingUpdate"  # defaults applied again


def test_replace_needs_filename(web):
    r = web("replace")
    assert (r.code, r.out, r.err) == (1, "", "error: must specify --filename to replace\n")


def test_patch_file(web, write):
    r = web("patch", "deploy", "web", "--patch-file", write("p.yaml", "spec:\n  replicas: 2\n"))
    assert (r.code, r.out, r.err) == (0, "deployment.apps/web patched\n", "")
    assert jp(web, ".spec.replicas") == "2"
    r = web("patch", "deploy", "web", "--patch-file", "p.yaml", "-p", "{}")
    assert (r.code, r.err) == (1, "error: cannot specify --patch and --patch-file together\n")


def test_replace_several_objects_reports_each(web, write):
    text = DEPLOY.replace("replicas: 1", "replicas: 2") + "---\n" + DEPLOY.replace("name: web\n", "name: nope\n", 1)
    f = write("two.yaml", text)
    r = web("replace", "-f", f)
    assert r.code == 1
    assert r.out == "deployment.apps/web replaced\n"
    assert r.err == f'Error from server (NotFound): error when replacing "{f}": deployments.apps "nope" not found\n'
    assert jp(web, ".spec.replicas") == "2"
