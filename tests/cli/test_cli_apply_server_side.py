"""`kctl apply --server-side` and managedFields, as kube-apiserver 1.37 + kubectl 1.37 do it."""

from __future__ import annotations

import json

import pytest

DEPLOY = """\
apiVersion: apps/v1
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
        image: nginx
"""

CM = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: c
{labels}data:
  a: "1"
"""

NOW = "2026-11-25T12:00:00Z"

GUIDANCE = """\
Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the `--force-conflicts` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts
"""


def managed(kctl, ref="deployment/web"):
    r = kctl("get", ref, "-o", "json", "--show-managed-fields")
    assert r.code == 0, r.err
    return [(e["manager"], e["operation"], e.get("subresource", ""), e["fieldsV1"])
            for e in json.loads(r.out)["metadata"].get("managedFields", [])]


def get_json(kctl, ref="deployment/web"):
    return json.loads(kctl("get", ref, "-o", "json").out)


@pytest.fixture
def web(write):
    return lambda replicas=1: write(f"web{replicas}.yaml", DEPLOY.format(replicas=replicas))


def test_create_and_reapply(kctl, web, frozen_now):
    f = web()
    r = kctl("apply", "--server-side", "-f", f)
    assert (r.code, r.out, r.err) == (0, "deployment.apps/web serverside-applied\n", "")
    assert managed(kctl) == [("kubectl", "Apply", "", {
        "f:spec": {"f:replicas": {}, "f:selector": {}, "f:template": {
            "f:metadata": {"f:labels": {"f:app": {}}},
            "f:spec": {"f:containers": {'k:{"name":"web"}': {".": {}, "f:image": {}, "f:name": {}}}}}}})]
    obj = get_json(kctl)
    # no last-applied annotation from server-side apply
    assert "kubectl.kubernetes.io/last-applied-configuration" not in obj["metadata"].get("annotations", {})
    rv = obj["metadata"]["resourceVersion"]
    r = kctl("apply", "--server-side", "-f", f)
    assert (r.code, r.out, r.err) == (0, "deployment.apps/web serverside-applied\n", "")
    assert get_json(kctl)["metadata"]["resourceVersion"] == rv


def test_conflict_with_client_side_apply_and_force(kctl, web, frozen_now):
    assert kctl("apply", "-f", web(1)).code == 0
    f = web(3)
    r = kctl("apply", "--server-side", "--field-manager", "ci", "-f", f)
    assert (r.code, r.out) == (1, "")
    assert r.err == (f"{f}:1: error: Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" "
                     "using apps/v1: .spec.replicas\n" + GUIDANCE + "error: no objects were changed\n")
    assert get_json(kctl)["spec"]["replicas"] == 1
    r = kctl("apply", "--server-side", "--field-manager", "ci", "--force-conflicts", "-f", f)
    assert (r.code, r.out, r.err) == (0, "deployment.apps/web serverside-applied\n", "")
    assert get_json(kctl)["spec"]["replicas"] == 3
    # kubectl folds the client-side-apply manager into the applier (csaupgrade), whatever
    # its name, and applies again: what only the client-side apply owned is pruned (the
    # last-applied annotation; defaulted fields are defaulted again)
    entries = {(m, op): fields for m, op, _, fields in managed(kctl)}
    assert set(entries) == {("ci", "Apply")}
    assert "f:replicas" in entries[("ci", "Apply")]["f:spec"]
    obj = get_json(kctl)
    assert "kubectl.kubernetes.io/last-applied-configuration" not in obj["metadata"].get("annotations", {})
    assert obj["spec"]["strategy"] == {"type": "RollingUpdate",
                                       "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}}
    # the same value is no conflict: both own the field
    r = kctl("apply", "--server-side", "--field-manager", "other", "-f", f)
    assert (r.code, r.out, r.err) == (0, "deployment.apps/web serverside-applied\n", "")


def test_conflict_between_appliers_lists_each_manager(kctl, write, frozen_now):
    a = write("a.yaml", CM.format(labels="  labels: {x: '1'}\n"))
    b = write("b.yaml", CM.format(labels="  labels: {x: '2'}\n").replace('a: "1"', 'a: "2"'))
    assert kctl("apply", "--server-side", "-f", a).code == 0
    assert kctl("apply", "--server-side", "--field-manager", "m2", "-f", a).code == 0
    r = kctl("apply", "--server-side", "--field-manager", "m3", "-f", b)
    assert r.err == (f"{b}:1: error: Apply failed with 4 conflicts: conflicts with \"kubectl\":\n- .data.a\n"
                     "- .metadata.labels.x\nconflicts with \"m2\":\n- .data.a\n- .metadata.labels.x\n"
                     + GUIDANCE + "error: no objects were changed\n")


def test_fields_no_longer_applied_are_removed(kctl, write, frozen_now):
    with_label = write("c1.yaml", CM.format(labels="  labels: {x: '1', y: '2'}\n"))
    without = write("c2.yaml", CM.format(labels="  labels: {x: '1'}\n"))
    assert kctl("apply", "--server-side", "-f", with_label).code == 0
    assert kctl("label", "configmap", "c", "z=3").code == 0
    assert kctl("apply", "--server-side", "-f", without).code == 0
    obj = get_json(kctl, "configmap/c")
    # y was applied and is no more; z belongs to kubectl-label
    assert obj["metadata"]["labels"] == {"x": "1", "z": "3"}
    assert [(m, op) for m, op, _, _ in managed(kctl, "configmap/c")] == [
        ("kubectl", "Apply"), ("kubectl-label", "Update")]


def test_client_side_then_server_side_migrates_ownership(kctl, write, frozen_now):
    f = write("c.yaml", CM.format(labels=""))
    assert kctl("apply", "-f", f).code == 0
    assert managed(kctl, "configmap/c") == [("kubectl-client-side-apply", "Update", "", {
        "f:data": {".": {}, "f:a": {}},
        "f:metadata": {"f:annotations": {".": {}, "f:kubectl.kubernetes.io/last-applied-configuration": {}}}})]
    r = kctl("apply", "--server-side", "-f", f)
    assert (r.code, r.out, r.err) == (0, "configmap/c serverside-applied\n", "")
    assert managed(kctl, "configmap/c") == [
        ("kubectl", "Apply", "", {"f:data": {"f:a": {}}}),
        ("kubectl-last-applied", "Apply", "",
         {"f:metadata": {"f:annotations": {"f:kubectl.kubernetes.io/last-applied-configuration": {}}}}),
    ]
    # the server keeps the annotation current for the `kubectl` manager
    changed = write("c3.yaml", CM.format(labels="").replace('a: "1"', 'a: "2"'))
    assert kctl("apply", "--server-side", "-f", changed).code == 0
    last = json.loads(get_json(kctl, "configmap/c")["metadata"]["annotations"][
        "kubectl.kubernetes.io/last-applied-configuration"])
    assert last["data"] == {"a": "2"}


def test_big_object_needs_server_side(kctl, write):
    f = write("big.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: "
              + "x" * 270000 + "\n")
    r = kctl("apply", "-f", f)
    assert (r.code, r.out) == (1, "")
    assert r.err == (f'{f}:3: The ConfigMap "big" is invalid: metadata.annotations: Too long: '
                     "may not be more than 262144 bytes\nerror: no objects were changed\n")
    r = kctl("apply", "--server-side", "-f", f)
    assert (r.code, r.out, r.err) == (0, "configmap/big serverside-applied\n", "")


def test_get_hides_managed_fields_unless_asked(kctl, write, frozen_now):
    f = write("c.yaml", CM.format(labels=""))
    assert kctl("apply", "--server-side", "-f", f).code == 0
    plain = kctl("get", "configmap", "c", "-o", "yaml").out
    assert "managedFields" not in plain
    shown = kctl("get", "configmap", "c", "-o", "yaml", "--show-managed-fields").out
    assert shown == plain.replace("  name: c\n", f"""\
  managedFields:
  - apiVersion: v1
    fieldsType: FieldsV1
    fieldsV1:
      f:data:
        f:a: {{}}
    manager: kubectl
    operation: Apply
    time: "{NOW}"
  name: c
""")
    assert "managedFields" not in kctl("get", "configmaps", "-o", "json").out
    assert "managedFields" in kctl("get", "configmaps", "-o", "json", "--show-managed-fields").out
    # jsonpath prints what is stored, as kubectl
    assert kctl("get", "cm", "c", "-o", "jsonpath={.metadata.managedFields[0].manager}").out == "kubectl"


@pytest.mark.parametrize("args,err", [
    (["--force-conflicts"], "error: --force-conflicts only works with --server-side\n"),
    (["--server-side", "--dry-run=client"],
     "error: --dry-run=client doesn't work with --server-side (did you mean --dry-run=server instead?)\n"),
])
def test_flag_errors(kctl, write, args, err):
    f = write("c.yaml", CM.format(labels=""))
    r = kctl("apply", "-f", f, *args)
    assert (r.code, r.out, r.err) == (1, "", err)


def test_server_dry_run_changes_nothing(kctl, write):
    f = write("c.yaml", CM.format(labels=""))
    r = kctl("apply", "--server-side", "--dry-run=server", "-f", f)
    assert (r.code, r.out, r.err) == (0, "configmap/c serverside-applied (server dry run)\n", "")
    assert kctl("get", "configmap", "c").code == 1


def test_a_conflict_changes_nothing_in_the_batch(kctl, write):
    first = write("c.yaml", CM.format(labels=""))
    assert kctl("apply", "--server-side", "-f", first).code == 0
    batch = write("batch.yaml", CM.format(labels="").replace("name: c", "name: d") + "---\n"
                  + CM.format(labels="").replace('a: "1"', 'a: "2"'))
    r = kctl("apply", "--server-side", "--field-manager", "x", "-f", batch)
    assert r.code == 1 and r.err.endswith("error: no objects were changed\n")
    assert kctl("get", "configmap", "d").code == 1


@pytest.mark.parametrize("command,manager,subresource", [
    (["scale", "deployment", "web", "--replicas=2"], "kubectl", "scale"),
    (["label", "deployment", "web", "x=y"], "kubectl-label", ""),
    (["annotate", "deployment", "web", "x=y"], "kubectl-annotate", ""),
    (["set", "image", "deployment/web", "web=nginx:2"], "kubectl-set", ""),
    (["patch", "deployment", "web", "-p", '{"spec":{"minReadySeconds":5}}'], "kubectl-patch", ""),
    (["rollout", "restart", "deployment/web"], "kubectl-rollout", ""),
])
def test_commands_record_their_manager(kctl, web, frozen_now, command, manager, subresource):
    assert kctl("apply", "-f", web()).code == 0
    r = kctl(*command)
    assert r.code == 0, r.err
    entries = managed(kctl)
    assert ("kubectl-client-side-apply", "Update", "") in [e[:3] for e in entries]
    assert (manager, "Update", subresource) in [e[:3] for e in entries]


def test_create_records_kubectl_create(kctl, write):
    f = write("c.yaml", CM.format(labels=""))
    assert kctl("create", "-f", f).code == 0
    assert managed(kctl, "configmap/c") == [("kubectl-create", "Update", "", {"f:data": {".": {}, "f:a": {}}})]


def test_default_manager_takes_over_client_side_values(kctl, web, frozen_now):
    # a field whose live value is what the last client-side apply set is no conflict for
    # `kubectl` (the server's lastAppliedManager); once scaled, it is
    assert kctl("apply", "-f", web(1)).code == 0
    f = web(3)
    r = kctl("apply", "--server-side", "-f", f)
    assert (r.code, r.out, r.err) == (0, "deployment.apps/web serverside-applied\n", "")
    assert get_json(kctl)["spec"]["replicas"] == 3
    assert [(m, op, sub) for m, op, sub, _ in managed(kctl)] == [
        ("kubectl", "Apply", ""), ("kubectl-last-applied", "Apply", "")]
    assert kctl("scale", "deployment", "web", "--replicas=5").code == 0
    r = kctl("apply", "--server-side", "-f", f)
    assert r.err.startswith(f'{f}:1: error: Apply failed with 1 conflict: conflict with "kubectl" with '
                            'subresource "scale" using apps/v1: .spec.replicas\n')


def test_reapplying_secret_string_data_is_no_write(kctl, write):
    # the merge keeps stringData while the stored Secret has it in data: the apiserver
    # reverts the timestamp-only managedFields change (IgnoreManagedFieldsTimestampsTransformer)
    f = write("s.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  password: hunter2\n")
    assert kctl("apply", "--server-side", "-f", f).code == 0
    before = kctl("get", "secret", "s", "-o", "json", "--show-managed-fields").out
    assert json.loads(before)["data"] == {"password": "aHVudGVyMg=="}
    r = kctl("apply", "--server-side", "-f", f)
    assert (r.code, r.out, r.err) == (0, "secret/s serverside-applied\n", "")
    assert kctl("get", "secret", "s", "-o", "json", "--show-managed-fields").out == before


WIDGET_CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    subresources: {status: {}}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              plain: {type: array, items: {type: string}}
              tags: {type: array, x-kubernetes-list-type: set, items: {type: string}}
              ports:
                type: array
                x-kubernetes-list-type: map
                x-kubernetes-list-map-keys: [name]
                items:
                  type: object
                  required: [name]
                  properties:
                    name: {type: string}
                    port: {type: integer}
              sel: {type: object, x-kubernetes-map-type: atomic, additionalProperties: {type: string}}
              extra: {type: object, additionalProperties: {type: string}}
          status:
            type: object
            properties:
              phase: {type: string}
"""

WIDGET = """\
apiVersion: example.com/v1
kind: Widget
metadata: {{name: w}}
spec:
  plain: [{v}]
  tags: [{v}]
  ports: [{{name: {v}, port: 1}}]
  sel: {{{v}: "1"}}
  extra: {{{v}: "1"}}
{status}"""


def test_custom_resource_follows_the_crd_list_and_map_types(kctl, write):
    assert kctl("apply", "--server-side", "-f", write("crd.yaml", WIDGET_CRD)).code == 0
    a = write("a.yaml", WIDGET.format(v="a", status="status: {phase: Ready}\n"))
    assert kctl("apply", "--server-side", "-f", a).code == 0
    # status is a subresource: not owned through the main resource
    assert managed(kctl, "widget/w") == [("kubectl", "Apply", "", {"f:spec": {
        "f:extra": {"f:a": {}}, "f:plain": {}, "f:ports": {'k:{"name":"a"}': {".": {}, "f:name": {}, "f:port": {}}},
        "f:sel": {}, "f:tags": {'v:"a"': {}}}})]
    b = write("b.yaml", WIDGET.format(v="b", status=""))
    r = kctl("apply", "--server-side", "--field-manager", "two", "-f", b)
    # only the atomic list and map conflict; sets, list-maps and granular maps merge
    assert r.err.startswith(f'{b}:1: error: Apply failed with 2 conflicts: conflicts with "kubectl":\n'
                            "- .spec.plain\n- .spec.sel\n")
    assert kctl("apply", "--server-side", "--field-manager", "two", "--force-conflicts", "-f", b).code == 0
    assert get_json(kctl, "widget/w")["spec"] == {
        "plain": ["b"], "tags": ["a", "b"], "ports": [{"name": "a", "port": 1}, {"name": "b", "port": 1}],
        "sel": {"b": "1"}, "extra": {"a": "1", "b": "1"}}


def test_applying_to_a_controller_made_replicaset_conflicts_with_the_controller(kctl, web, write):
    # kube-apiserver tracks every create: the Deployment controller owns what it wrote
    assert kctl("apply", "--server-side", "-f", web(1)).code == 0
    rs = json.loads(kctl("get", "rs", "-o", "json").out)["items"][0]
    name, labels = rs["metadata"]["name"], rs["spec"]["selector"]["matchLabels"]
    entries = managed(kctl, f"replicaset/{name}")
    assert [e[:3] for e in entries] == [("kube-controller-manager", "Update", "")]
    assert "f:replicas" in entries[0][3]["f:spec"]
    body = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": name},
            "spec": {"replicas": 4, "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels},
                                  "spec": {"containers": [{"name": "web", "image": "nginx"}]}}}}
    f = write("rs.yaml", json.dumps(body))
    r = kctl("apply", "--server-side", "-f", f)
    assert (r.code, r.out) == (1, "")
    assert r.err == (f'{f}:1: error: Apply failed with 1 conflict: conflict with "kube-controller-manager" '
                     "using apps/v1: .spec.replicas\n" + GUIDANCE + "error: no objects were changed\n")


@pytest.mark.parametrize("value,code,out,err", [
    ("[]", 1, "", "{f}:1: Error from server (BadRequest): metadata.managedFields must be nil\n"
                  "error: no objects were changed\n"),
    ("null", 0, "configmap/c serverside-applied\n", ""),  # decodes to a nil slice
])
def test_managed_fields_in_the_configuration(kctl, write, value, code, out, err):
    f = write("c.yaml", f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  managedFields: {value}\n"
                        "data:\n  a: '1'\n")
    r = kctl("apply", "--server-side", "-f", f)
    assert (r.code, r.out, r.err) == (code, out, err.format(f=f))


@pytest.mark.parametrize("args", [
    ["--type=merge", "-p", '{"metadata":{"managedFields":[{}]}}'],
    ["--type=merge", "-p", '{"metadata":{"managedFields":[]}}'],
    ["--type=json", "-p", '[{"op":"replace","path":"/metadata/managedFields","value":[{}]}]'],
])
def test_patch_can_reset_managed_fields(kctl, write, args):
    # decodeLiveOrNew/isResetManagedFields: [] or [{}] strip them; later updates stay untracked
    f = write("c.yaml", CM.format(labels=""))
    assert kctl("apply", "--server-side", "-f", f).code == 0
    r = kctl("patch", "configmap", "c", *args)
    assert (r.code, r.out, r.err) == (0, "configmap/c patched\n", "")
    assert managed(kctl, "configmap/c") == []
    assert kctl("label", "configmap", "c", "x=y").code == 0
    assert managed(kctl, "configmap/c") == []


def test_replace_can_set_managed_fields(kctl, write):
    f = write("c.yaml", CM.format(labels=""))
    assert kctl("apply", "--server-side", "-f", f).code == 0
    obj = json.loads(kctl("get", "configmap", "c", "-o", "json", "--show-managed-fields").out)
    obj["metadata"]["managedFields"][0]["manager"] = "renamed"
    r = kctl("replace", "-f", write("r.json", json.dumps(obj)))
    assert (r.code, r.out, r.err) == (0, "configmap/c replaced\n", "")
    assert managed(kctl, "configmap/c") == [("renamed", "Apply", "", {"f:data": {"f:a": {}}})]
    # a patch that leaves them alone keeps the live ones
    assert kctl("patch", "configmap", "c", "-p", '{"data":{"b":"2"}}').code == 0
    assert [e[:2] for e in managed(kctl, "configmap/c")] == [("renamed", "Apply"), ("kubectl-patch", "Update")]


def test_custom_resource_entry_records_the_request_version(kctl, write):
    beta = WIDGET_CRD.split("  versions:\n")[1].replace("name: v1\n", "name: v1beta1\n", 1).replace(
        "storage: true", "storage: false", 1)
    assert kctl("apply", "-f", write("crd.yaml", WIDGET_CRD + beta)).code == 0
    f = write("w.yaml", WIDGET.format(v="a", status="").replace("example.com/v1", "example.com/v1beta1"))
    assert kctl("apply", "--server-side", "-f", f).code == 0
    r = kctl("get", "widgets.v1beta1.example.com", "w", "-o", "jsonpath={.metadata.managedFields[*].apiVersion}")
    assert (r.code, r.out) == (0, "example.com/v1beta1")
    assert "f:ports" in managed(kctl, "widgets.v1beta1.example.com/w")[0][3]["f:spec"]
