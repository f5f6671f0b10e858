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
    assert (r.code, r.out, r.err) == (1, "", "error: must specify one of -f and -k\n")


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


# ------------------------------------------------------------------ replace --force
CM = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: '1'}\n"
STUCK = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: stuck, finalizers: [example.com/keep]}\n"


def test_replace_force_deletes_then_creates(web, write):
    uid = jp(web, ".metadata.uid")
    web("scale", "deploy", "web", "--replicas=2")
    assert jp(web, ".metadata.generation") == "2"
    f = write("new.yaml", DEPLOY.replace("image: nginx", "image: nginx:2") + "---\n" + CM)
    r = web("replace", "--force", "-f", f)
    # c did not exist: no delete line for it (replace ignores NotFound), only the create
    assert (r.code, r.out, r.err) == (0, 'deployment.apps "web" deleted from default namespace\n'
                                         "deployment.apps/web replaced\nconfigmap/c replaced\n", "")
    assert jp(web, ".metadata.uid") != uid  # a new object
    assert jp(web, ".metadata.generation") == "1"
    assert jp(web, ".spec.replicas") == "1"
    assert jp(web, ".spec.template.spec.containers[0].image") == "nginx:2"
    # no last-applied annotation: kubectl creates without --save-config
    assert "last-applied" not in jp(web, ".metadata.annotations")
    # the old ReplicaSet went with the old Deployment (background cascade); the new one is converged
    assert len(web("get", "rs", "-o", "name").out.split()) == 1


@pytest.mark.parametrize("flags,out", [
    (["-o", "name"], "deployment.apps/web\ndeployment.apps/web\n"),
    (["--cascade=orphan"], 'deployment.apps "web" deleted from default namespace\ndeployment.apps/web replaced\n'),
    # replace turns a zero grace period into 1: not a force delete
    (["--grace-period=0"], 'deployment.apps "web" deleted from default namespace\ndeployment.apps/web replaced\n'),
])
def test_replace_force_variants(web, write, flags, out):
    r = web("replace", "--force", "-f", write("new.yaml", DEPLOY), *flags)
    assert (r.code, r.out, r.err) == (0, out, "")


@pytest.mark.parametrize("cascade,kept", [("orphan", True), ("background", False)])
def test_replace_force_cascade(web, write, cascade, kept):
    uids = "jsonpath={.items[*].metadata.uid}"
    before = web("get", "rs", "-o", uids).out
    r = web("replace", "--force", f"--cascade={cascade}", "-f", write("new.yaml", DEPLOY))
    assert r.code == 0, r.err
    # orphan: the new Deployment adopts the old ReplicaSet (same template) instead of making one
    assert (web("get", "rs", "-o", uids).out == before) is kept
    assert len(web("get", "rs", "-o", "name").out.split()) == 1


@pytest.mark.parametrize("flags,err", [
    (["--grace-period=5"], "error: --grace-period must have --force specified\n"),
    (["--timeout=5s"], "error: --timeout must have --force specified\n"),
    (["--force", "--dry-run=server"], "error: --dry-run can not be used when --force is set\n"),
    (["--force", "--dry-run=client"], "error: --dry-run can not be used when --force is set\n"),
    (["--force", "--cascade=sideways"],
     'error: invalid cascade value (sideways). Must be "background", "foreground", or "orphan"\n'),
    (["--force", "--timeout=soon"],
     'error: invalid argument "soon" for "--timeout" flag: time: invalid duration "soon"\n'
     "See 'kctl replace --help' for usage.\n"),
    (["--force", "-o", "wide"],
     'error: unable to match a printer suitable for the output format "wide", allowed formats are: '
     "go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,template,"
     "templatefile,yaml\n"),
])
def test_replace_force_flag_errors_change_nothing(web, write, flags, err):
    uid = jp(web, ".metadata.uid")
    r = web("replace", "-f", write("new.yaml", DEPLOY.replace("replicas: 1", "replicas: 2")), *flags)
    assert (r.code, r.out, r.err) == (1, "", err)
    assert jp(web, ".metadata.uid") == uid
    assert jp(web, ".spec.replicas") == "1"


def test_replace_force_waits_in_cluster_time_then_gives_up(kctl, write, frozen_now):
    f = write("stuck.yaml", STUCK)
    assert kctl("apply", "-f", f).code == 0
    r = kctl("replace", "--force", "--timeout=10s", "-f", f)
    assert (r.code, r.out, r.err) == (1, 'configmap "stuck" deleted from default namespace\n',
                                      "error: context deadline exceeded\n")
    # still there, terminating (a finalizer holds it), and not re-created
    assert kctl("get", "cm", "stuck", "-o", "jsonpath={.metadata.deletionTimestamp}").out == "2026-11-25T12:00:00Z"


def test_replace_force_bad_document_deletes_nothing(web, write):
    uid = jp(web, ".metadata.uid")
    f = write("new.yaml", DEPLOY + "---\n" + CM.replace("name: c", "name: c, bogus: 1"))
    r = web("replace", "--force", "-f", f)
    assert r.code == 1 and r.out == ""
    assert 'unknown field "metadata.bogus"' in r.err
    assert jp(web, ".metadata.uid") == uid


def test_replace_force_running_pod_is_waited_for(kctl, write, frozen_now):
    node = ("apiVersion: v1\nkind: Node\nmetadata: {name: n1}\n"
            "status:\n  capacity: {cpu: '8', memory: 32Gi, pods: '110'}\n")
    pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: nginx}]}\n"
    assert kctl("apply", "-f", write("n.yaml", node)).code == 0
    f = write("p.yaml", pod)
    assert kctl("apply", "-f", f).code == 0
    uid = kctl("get", "pod", "p", "-o", "jsonpath={.metadata.uid}").out
    r = kctl("replace", "--force", "-f", f)
    assert (r.code, r.out, r.err) == (0, 'pod "p" deleted from default namespace\npod/p replaced\n', "")
    assert kctl("get", "pod", "p", "-o", "jsonpath={.metadata.uid}").out not in ("", uid)
    assert kctl("get", "pod", "p", "-o", "jsonpath={.status.phase}").out == "Running"


# ------------------------------------------------------------------ -o on replace and patch
def test_replace_output_yaml_is_the_stored_object(kctl, write, frozen_now):
    assert kctl("apply", "-f", write("cm.yaml", CM)).code == 0
    r = kctl("replace", "-f", write("new.yaml", CM.replace("'1'", "'2'")), "-o", "yaml")
    assert (r.code, r.err) == (0, "")
    # the PUT's response: what get shows now (a ConfigMap has no controller writing after it)
    assert r.out == kctl("get", "cm", "c", "-o", "yaml").out
    assert "  a: \"2\"\n" in r.out


def test_replace_output_is_the_response_not_the_converged_object(web, write):
    # kubectl prints the PUT's response: the deployment controller's later status is not in it
    r = web("replace", "-f", write("new.yaml", DEPLOY.replace("replicas: 1", "replicas: 2")),
            "-o", "jsonpath={.spec.replicas} {.status.replicas} {.metadata.generation}")
    assert (r.code, r.out, r.err) == (0, "2 1 2", "")
    assert jp(web, ".status.replicas") == "2"


def test_replace_output_yaml_several_documents(kctl, write, frozen_now):
    two = CM + "---\n" + CM.replace("name: c", "name: d")
    assert kctl("apply", "-f", write("cm.yaml", two)).code == 0
    f = write("two.yaml", two.replace("'1'", "'3'"))
    r = kctl("replace", "-f", f, "-o", "yaml")
    assert r.code == 0, r.err
    # one printer for the command: kubectl's YAML printer separates documents with ---
    assert r.out == (kctl("get", "cm", "c", "-o", "yaml").out + "---\n" + kctl("get", "cm", "d", "-o", "yaml").out)
    r = kctl("replace", "-f", f, "-o", "json")
    assert r.out == kctl("get", "cm", "c", "-o", "json").out + kctl("get", "cm", "d", "-o", "json").out


@pytest.mark.parametrize("args,out", [
    (["-o", "jsonpath={.spec.replicas}"], "4"),
    (["-o", "name"], "deployment.apps/web\n"),
    (["--dry-run=server", "-o", "jsonpath={.spec.replicas}"], "4"),
])
def test_patch_output(web, args, out):
    r = web("patch", "deploy", "web", "-p", '{"spec":{"replicas":4}}', *args)
    assert (r.code, r.out, r.err) == (0, out, "")


def test_patch_output_yaml_json_is_the_stored_object(kctl, write, frozen_now):
    assert kctl("apply", "-f", write("cm.yaml", CM)).code == 0
    r = kctl("patch", "cm", "c", "-p", '{"data":{"b":"2"}}', "-o", "yaml")
    assert (r.code, r.err) == (0, "")
    assert r.out == kctl("get", "cm", "c", "-o", "yaml").out
    assert "  b: \"2\"\n" in r.out
    r = kctl("patch", "cm", "c", "-p", '{"data":{"b":"2"}}', "-o", "json")
    assert (r.code, r.err) == (0, "")
    assert r.out == kctl("get", "cm", "c", "-o", "json").out


def test_patch_bad_output_changes_nothing(web):
    r = web("patch", "deploy", "web", "-p", '{"spec":{"replicas":4}}', "-o", "wide")
    assert r.code == 1 and r.out == ""
    assert r.err.startswith('error: unable to match a printer suitable for the output format "wide", allowed formats are: ')
    assert jp(web, ".spec.replicas") == "1"


# ------------------------------------------------------------------ patch -f
def test_patch_from_file(web, write):
    assert web("apply", "-f", write("cm.yaml", CM)).code == 0
    f = write("both.yaml", DEPLOY + "---\n" + CM)
    r = web("patch", "-f", f, "--type", "merge", "-p", '{"metadata":{"labels":{"tier":"x"}}}')
    assert (r.code, r.out, r.err) == (0, "deployment.apps/web patched\nconfigmap/c patched\n", "")
    assert jp(web, ".metadata.labels.tier") == "x"
    assert web("get", "cm", "c", "-o", "jsonpath={.metadata.labels.tier}").out == "x"
    # kubectl compares the result with the file's object, not the live one: still "patched"
    r = web("patch", "-f", f, "--type", "merge", "-p", '{"metadata":{"labels":{"tier":"x"}}}')
    assert (r.code, r.out, r.err) == (0, "deployment.apps/web patched\nconfigmap/c patched\n", "")
    # patched objects print one by one (a printer each): no YAML document separator
    r = web("patch", "-f", write("c.yaml", CM + "---\n" + CM), "-p", "{}", "-o", "yaml")
    assert r.out == web("get", "cm", "c", "-o", "yaml").out * 2


def test_patch_from_file_dry_run_client_patches_the_files_object(web, write):
    r = web("patch", "-f", write("d.yaml", DEPLOY), "-p", '{"spec":{"replicas":7}}', "--dry-run=client",
            "-o", "jsonpath={.spec.replicas} {.spec.template.spec.containers[*].name} {.metadata.uid}")
    assert (r.code, r.out, r.err) == (0, "7 web side ", "")  # the file's object: no uid
    assert jp(web, ".spec.replicas") == "1"
    r = web("patch", "-f", write("d.yaml", DEPLOY), "-p", '{"spec":{"replicas":7}}', "--dry-run=client")
    assert (r.code, r.out, r.err) == (0, "deployment.apps/web patched (dry run)\n", "")


def test_patch_from_file_reports_each_error(web, write):
    f = write("two.yaml", DEPLOY.replace("name: web\n", "name: nope\n", 1) + "---\n" + DEPLOY)
    r = web("patch", "-f", f, "-p", '{"spec":{"replicas":2}}')
    assert (r.code, r.out, r.err) == (1, "deployment.apps/web patched\n",
                                      'Error from server (NotFound): deployments.apps "nope" not found\n')
    assert jp(web, ".spec.replicas") == "2"


@pytest.mark.parametrize("args,err", [
    (["-f", "{f}", "deploy"],
     "error: when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well\n"),
    (["-f", "{f}", "deploy", "web"],
     "error: when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well\n"),
    (["-f", "{f}", "deploy/web"], "error: resource/name arguments cannot be provided when a path is specified\n"),
    ([], "error: You must provide one or more resources by argument or filename.\nExample resource specifications "
         "include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n"),
    (["-f", "{empty}"], "error: no objects passed to patch\n"),
])
def test_patch_from_file_usage_errors(web, write, args, err):
    f, empty = write("d.yaml", DEPLOY), write("empty.yaml", "")
    r = web("patch", *[a.replace("{f}", f).replace("{empty}", empty) for a in args], "-p", '{"spec":{"replicas":2}}')
    assert (r.code, r.out, r.err) == (1, "", err)
    assert jp(web, ".spec.replicas") == "1"
