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
