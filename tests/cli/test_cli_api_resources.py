"""`kctl api-resources`: kubectl's columns, order (group, then name), filters and formats."""

from __future__ import annotations

import json

import pytest

APPS = (
    "NAME                  SHORTNAMES   APIVERSION   NAMESPACED   KIND\n"
    "controllerrevisions                apps/v1      true         ControllerRevision\n"
    "daemonsets            ds           apps/v1      true         DaemonSet\n"
    "deployments           deploy       apps/v1      true         Deployment\n"
    "replicasets           rs           apps/v1      true         ReplicaSet\n"
    "statefulsets          sts          apps/v1      true         StatefulSet\n")

# without the header row the columns are only as wide as the data (tabwriter)
APPS_NO_HEADERS = (
    "controllerrevisions            apps/v1   true   ControllerRevision\n"
    "daemonsets            ds       apps/v1   true   DaemonSet\n"
    "deployments           deploy   apps/v1   true   Deployment\n"
    "replicasets           rs       apps/v1   true   ReplicaSet\n"
    "statefulsets          sts      apps/v1   true   StatefulSet\n")

APPS_NAMES = ("controllerrevisions.apps\ndaemonsets.apps\ndeployments.apps\n"
              "replicasets.apps\nstatefulsets.apps\n")

RBAC_WIDE_CLUSTER = (
    "NAME                  SHORTNAMES   APIVERSION                     NAMESPACED   KIND                 VERBS                                                        CATEGORIES\n"
    "clusterrolebindings                rbac.authorization.k8s.io/v1   false        ClusterRoleBinding   create,delete,deletecollection,get,list,patch,update,watch   \n"
    "clusterroles                       rbac.authorization.k8s.io/v1   false        ClusterRole          create,delete,deletecollection,get,list,patch,update,watch   \n")


@pytest.mark.parametrize("args,out", [
    (["api-resources", "--api-group=apps"], APPS),
    (["api-resources", "--api-group", "apps", "--no-headers"], APPS_NO_HEADERS),
    (["api-resources", "--api-group=apps", "-o", "name"], APPS_NAMES),
    (["api-resources", "--api-group=rbac.authorization.k8s.io", "--namespaced=false", "-o", "wide"],
     RBAC_WIDE_CLUSTER),
    (["api-resources", "--api-group=rbac.authorization.k8s.io", "--namespaced=true", "-o", "name"],
     "rolebindings.rbac.authorization.k8s.io\nroles.rbac.authorization.k8s.io\n"),
    (["api-resources", "--api-group=rbac.authorization.k8s.io", "--namespaced", "-o", "name"],
     "rolebindings.rbac.authorization.k8s.io\nroles.rbac.authorization.k8s.io\n"),
    (["api-resources", "--api-group=apps", "--categories=all", "--sort-by=kind", "-o", "name"],
     "daemonsets.apps\ndeployments.apps\nreplicasets.apps\nstatefulsets.apps\n"),
], ids=["group", "no-headers", "name", "wide-cluster-scoped", "namespaced-true", "namespaced-bare",
        "categories-sort-kind"])
def test_api_resources_exact(kctl, args, out):
    r = kctl(*args)
    assert (r.code, r.out, r.err) == (0, out, "")


def test_default_order_is_group_then_name(kctl):
    lines = kctl("api-resources", "--no-headers").out.splitlines()
    assert lines[0].split()[:2] == ["bindings", "v1"]  # core group ("") first
    names = kctl("api-resources", "-o", "name").out.splitlines()
    keys = [(n.partition(".")[2], n.partition(".")[0]) for n in names]
    assert keys == sorted(keys)
    assert "nodeinventories.kctl.io" in names


def test_sort_by_name(kctl):
    names = [line.split()[0] for line in kctl("api-resources", "--sort-by=name", "--no-headers").out.splitlines()]
    assert names == sorted(names)


def test_json_output(kctl):
    doc = json.loads(kctl("api-resources", "--api-group=apps", "-o", "json").out)
    assert doc["kind"] == "APIResourceList"
    deploy = [r for r in doc["resources"] if r["name"] == "deployments"][0]
    assert (deploy["kind"], deploy["group"], deploy["shortNames"], deploy["namespaced"]) == (
        "Deployment", "apps", ["deploy"], True)


@pytest.mark.parametrize("args,err", [
    (["api-resources", "--sort-by=age"], "error: --sort-by accepts only name or kind\n"),
    (["api-resources", "-o", "foo"], 'error: unable to match a printer suitable for the output format "foo", '
                                      "allowed formats are: json,name,wide,yaml\n"),
    (["api-resources", "--namespaced=maybe"], 'error: invalid argument "maybe" for "--namespaced" flag: '
                                              'strconv.ParseBool: parsing "maybe": invalid syntax\n'),
    (["api-resources", "pods"], "error: unexpected arguments: [pods]\nSee 'kctl api-resources -h' for help and examples\n"),
], ids=["bad-sort", "bad-output", "bad-bool", "extra-args"])
def test_api_resources_errors(kctl, args, err):
    r = kctl(*args)
    assert (r.code, r.out, r.err) == (1, "", err)
