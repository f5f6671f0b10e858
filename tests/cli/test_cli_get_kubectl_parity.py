"""`kctl get` edge cases checked byte for byte against the real kubectl 1.37 client (run against
a fake API server serving the same objects, as tests/golden/get/regen_with_kubectl.py does)."""

from __future__ import annotations

import pytest

OBJECTS = """\
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: b, namespace: shop, labels: {app: web}}
data: {k: v}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: a, namespace: shop, labels: {app: db}}
data: {k: v, k2: v}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  clusterIP: None
  ports: [{port: 80}]
"""

NO_TYPE = (
    'You must specify the type of resource to get. Use "kctl api-resources" for a complete list of '
    "supported resources.\n\n"
    "error: Required resource not specified.\n"
    'Use "kctl explain <resource>" for a detailed description of that resource (e.g. kctl explain pods).\n'
    "See 'kctl get -h' for help and examples\n"
)


@pytest.fixture
def shop(kctl, write, frozen_now):
    r = kctl("apply", "-f", write("m.yaml", OBJECTS))
    assert r.code == 0, r.err


CASES = [
    # several results: kubectl sorts the Table objects themselves, which have no .metadata.name
    (["get", "cm,svc", "-n", "shop", "--sort-by=.metadata.name"], 1, "",
     'error: couldn\'t find any field with path "{.metadata.name}" in the list of objects\n'),
    (["get", "cm", "a", "b", "-n", "shop", "--sort-by=.metadata.name"], 1, "",
     'error: couldn\'t find any field with path "{.metadata.name}" in the list of objects\n'),
    # generic printers sort the one List across kinds
    (["get", "svc,cm", "-n", "shop", "--sort-by=.metadata.name", "-o", "name"], 0,
     "configmap/a\nconfigmap/b\nconfigmap/kube-root-ca.crt\nservice/web\n", ""),
    (["get", "cm", "-n", "shop", "--sort-by=.status.foo", "-o", "name"], 1, "",
     'error: couldn\'t find any field with path "{.status.foo}" in the list of objects\n'),
    # one table: the sorting printer's error is swallowed and nothing is printed
    (["get", "cm", "-n", "shop", "--sort-by=.status.foo"], 0, "", "No resources found in shop namespace.\n"),
    (["get", "cm", "-n", "shop", "--sort-by={.metadata.name"], 0, "", "No resources found in shop namespace.\n"),
    # a single named object is not sorted at all
    (["get", "cm", "a", "-n", "shop", "--sort-by=.status.foo", "-o", "name"], 0, "configmap/a\n", ""),
    # "No resources found" only for tables, never with --ignore-not-found
    (["get", "cm", "-n", "nothing", "-o", "name"], 0, "", ""),
    (["get", "cm", "-n", "nothing", "--ignore-not-found"], 0, "", ""),
    (["get", "cm", "-n", "shop", "-l", "app=nope", "-o", "jsonpath={.items}"], 0, "[]", ""),
    # printer flag combinations (kubectl's Validate)
    (["get", "cm", "-n", "shop", "--show-labels", "-o", "yaml"], 1, "",
     "error: --show-labels option cannot be used with yaml printer\n"),
    (["get", "cm", "-n", "shop", "-L", "app", "-o", "custom-columns=N:.metadata.name"], 1, "",
     "error: --label-columns option cannot be used with custom-columns=N:.metadata.name printer\n"),
    # names across namespaces
    (["get", "cm", "a", "-A"], 1, "", "error: a resource cannot be retrieved by name across all namespaces\n"),
    (["get", "ns", "shop", "-A", "-o", "name"], 0, "namespace/shop\n", ""),
    # several types with names: each type is asked for each name
    (["get", "svc,cm", "web", "-n", "shop", "-o", "name"], 1, "service/web\n",
     'Error from server (NotFound): configmaps "web" not found\n'),
    # qualified type names
    (["get", "cm.v1", "-n", "shop"], 1, "", 'error: the server doesn\'t have a resource type "cm" in group "v1"\n'),
    (["get", "configmaps.foo", "-n", "shop"], 1, "",
     'error: the server doesn\'t have a resource type "configmaps" in group "foo"\n'),
    (["get", "cm.v1.", "a", "-n", "shop", "-o", "name"], 0, "configmap/a\n", ""),
    (["get", "ev", "-n", "nothing", "-o", "name"], 0, "",
     'Warning: short name "ev" could also match lower priority resource events.events.k8s.io\n'),
    # usage errors
    (["get"], 1, "", NO_TYPE),
    (["get", "cm", "-n", "shop", "-o"], 1, "", "error: flag needs an argument: 'o' in -o\nSee 'kctl get --help' for usage.\n"),
    (["get", "cm", "-w"], 1, "", "error: --watch is not supported by kctl: the cluster only changes when a kctl "
                                  "command runs; run `kctl get` again after it\n"),
]


@pytest.mark.parametrize("args,code,out,err", CASES, ids=[" ".join(c[0]) for c in CASES])
def test_get_matches_kubectl(kctl, shop, args, code, out, err):
    r = kctl(*args)
    assert (r.code, r.out, r.err) == (code, out, err)


def test_sort_by_resource_version(kctl, shop):
    """kubectl's output for the same request (creation order, kube-root-ca.crt last)."""
    r = kctl("get", "cm,svc", "-n", "shop", "--sort-by=.metadata.resourceVersion", "--no-headers",
             "-o", "custom-columns=N:.metadata.name")
    assert (r.code, r.err) == (0, "")
    assert r.out.split() == ["b", "a", "web", "kube-root-ca.crt"]


NP = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: a, namespace: shop}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: b, namespace: shop}
"""
NONS = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kube-root-ca.crt}\n"


@pytest.mark.parametrize("files,extra,code,out,err", [
    ([("two.yaml", NP)], ["-o", "name"], 0, "configmap/a\nconfigmap/b\n", ""),
    # one object in the files: yaml of the object itself, not a List
    ([("one.yaml", NONS)], ["-n", "shop", "-o", "jsonpath={.kind}"], 0, "ConfigMap", ""),
    ([("two.yaml", NP)], ["-o", "jsonpath={.kind}"], 0, "List", ""),
    ([("one.yaml", NONS)], ["-o", "name"], 0, "configmap/kube-root-ca.crt\n", ""),
    ([("objs.yaml", OBJECTS)], ["-o", "name"], 0,
     "namespace/shop\nconfigmap/b\nconfigmap/a\nservice/web\n", ""),
    ([("two.yaml", NP)], ["-n", "other"], 1, "",
     'the namespace from the provided object "shop" does not match the namespace "other". You must pass '
     "'--namespace=shop' to perform this operation.\n"
     'the namespace from the provided object "shop" does not match the namespace "other". You must pass '
     "'--namespace=shop' to perform this operation.\n"),
], ids=["two", "one-object", "two-list", "namespace-from-default", "mixed-kinds", "namespace-mismatch"])
def test_get_filename(kctl, shop, write, files, extra, code, out, err):
    paths = [write(name, text) for name, text in files]
    r = kctl("get", *[a for p in paths for a in ("-f", p)], *extra)
    assert (r.code, r.out, r.err) == (code, out, err)


def test_get_filename_missing(kctl, shop):
    r = kctl("get", "-f", "/nonexistent/x.yaml")
    assert (r.code, r.out, r.err) == (1, "", 'error: the path "/nonexistent/x.yaml" does not exist\n')


def test_get_filename_table_groups_kinds(kctl, shop, write):
    r = kctl("get", "-f", write("objs.yaml", OBJECTS), "--no-headers")
    assert r.code == 0, r.err
    assert [line.split()[0] for line in r.out.splitlines() if line] == [
        "namespace/shop", "configmap/b", "configmap/a", "service/web"]


def test_kind_prefix_only_for_kinds_found(kctl, shop):
    """`get cm/x svc/nope`: the service is not found, so only one kind was returned and
    kubectl prints no `configmap/` prefix."""
    r = kctl("get", "cm/a", "svc/nope", "-n", "shop", "--no-headers")
    assert r.code == 1
    assert r.out.split()[0] == "a"
    assert r.err == 'Error from server (NotFound): services "nope" not found\n'


@pytest.mark.parametrize("args,out", [
    (["get", "ns", "shop", "-o=name"], "namespace/shop\n"),
    (["get", "cm", "-n=shop", "-l=app=web", "-o=name"], "configmap/b\n"),
    (["get", "ns", "shop", "-o=jsonpath={.metadata.name}"], "shop"),
    (["get", "cm", "b", "-n", "shop", "--no-headers=true", "-o", "custom-columns=N:.metadata.name"], "b\n"),
    (["get", "cm", "b", "-n", "shop", "--no-headers=false", "-o", "custom-columns=N:.metadata.name"], "N\nb\n"),
    (["get", "cm", "b", "-n", "shop", "--show-labels=false", "-o", "name"], "configmap/b\n"),
    (["-n=shop", "get", "cm", "b", "-o", "name"], "configmap/b\n"),
], ids=["short-eq", "short-eq-n-l", "short-eq-jsonpath", "bool-true", "bool-false", "bool-false-validate",
        "global-short-eq"])
def test_pflag_spellings(kctl, shop, args, out):
    """pflag accepts `-o=json` and `--bool-flag=true|false`; kubectl users type both."""
    r = kctl(*args)
    assert (r.code, r.out, r.err) == (0, out, "")


def test_output_equals_only(kctl, shop):
    r = kctl("get", "cm", "-n", "shop", "-o=")
    assert (r.code, r.out) == (1, "")
    assert r.err == ('error: unable to match a printer suitable for the output format "=", allowed formats are: '
                     "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,"
                     "jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,wide,yaml\n")


@pytest.mark.parametrize("args,err", [
    (["get", "cm", "a", "-n", "shop", "-l", "app=nope"], "error: name cannot be provided when a selector is specified\n"),
    (["get", "cm", "a", "-n", "shop", "--field-selector", "metadata.name=x"],
     "error: name cannot be provided when a selector is specified\n"),
    (["get", "cm/a", "-n", "shop", "-l", "app=nope"],
     "error: selectors and the all flag cannot be used when passing resource/name arguments\n"),
    (["describe", "cm", "a", "-n", "shop", "-l", "app=nope"],
     "error: name cannot be provided when a selector is specified\n"),
], ids=["get-name-l", "get-name-field", "get-type-name-l", "describe-name-l"])
def test_names_with_selector(kctl, shop, args, err):
    r = kctl(*args)
    assert (r.code, r.out, r.err) == (1, "", err)
