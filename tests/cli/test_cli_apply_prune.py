"""`kctl apply --prune` end to end: kubectl 1.37's flag rules and texts, what is pruned
(last-applied annotation, -l, visited namespaces, cluster-scoped kinds, --prune-allowlist),
dry runs, -o name, and the real delete path (owned objects garbage-collected).

Needs apply.py wired to kctl.cli.prune (see its module docstring / /work/notes/prune-apply.diff)."""

from __future__ import annotations

import re

import pytest

from kctl.cli.prune import NEEDS_ALL_OR_SELECTOR

# kubectl's klog warning whenever the default allowlist is used (pkg/util/prune)
KLOG = re.compile(r"W\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ prune\.go:71\] Deprecated: kubectl apply will no longer "
                  r"prune non-namespaced resources by default when used with the --namespace flag in a future "
                  r"release\. To preserve the current behaviour, list the resources you want to target explicitly "
                  r"in the --prune-allowlist flag\.\n")


ENDPOINTS = "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n"


def clean(err: str) -> str:
    """stderr without the default allowlist's two warnings (klog's, then the API server's for
    listing v1 Endpoints, once)."""
    out = KLOG.sub("", err, count=1)
    return out.replace(ENDPOINTS, "", 1)


def cm(name, labels=None, ns=None):
    meta = f"name: {name}"
    if ns:
        meta += f", namespace: {ns}"
    if labels:
        meta += ", labels: {" + ", ".join(f'{k}: "{v}"' for k, v in labels.items()) + "}"
    return f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{{meta}}}\n"


def docs(*parts):
    return "---\n".join(parts)


DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx}]}
"""
NODE = """apiVersion: v1
kind: Node
metadata: {name: n1}
status:
  capacity: {cpu: "8", memory: 32Gi, pods: "110"}
"""
SECRET = "apiVersion: v1\nkind: Secret\nmetadata: {name: s1}\nstringData: {k: v}\n"
SA = "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: robot}\n"


def names(kctl, kind, *extra):
    r = kctl("get", kind, "-o", "name", *extra)
    assert r.code == 0, r.err
    return r.out.split()


@pytest.fixture
def ab(kctl, write):
    r = kctl("apply", "-f", write("ab.yaml", docs(cm("a", {"app": "x"}), cm("b", {"app": "x"}), cm("c", {"app": "y"}))))
    assert r.code == 0, r.err
    return write("a.yaml", cm("a", {"app": "x"}))


# ---------------------------------------------------------------- flag rules
@pytest.mark.parametrize("flags,err", [
    (["--prune"], f"error: {NEEDS_ALL_OR_SELECTOR}\n"),
    (["--prune", "--all", "-l", "app=x"], "error: cannot set --all and --selector at the same time\n"),
    (["--all", "--selector", "app=x"], "error: cannot set --all and --selector at the same time\n"),
    (["--prune", "--all", "--prune-allowlist", "v1/ConfigMap"],
     "error: invalid GroupVersionKind format: v1/ConfigMap, please follow <group/version/kind>\n"),
    # parsed before the --all / -l rule, as kubectl's ToOptions runs before Validate
    (["--prune", "--prune-allowlist=core/v1/Widget"], 'error: no matches for kind "Widget" in version "v1"\n'),
    (["--prune", "--all", "--prune-allowlist=apps/v1beta2/Deployment"],
     'error: no matches for kind "Deployment" in version "apps/v1beta2"\n'),
    (["--prune", "-l", "app in (x"],
     "error: the provided selector \"app in (x\" is not valid: unable to parse requirement: "
     "found '', expected: ',' or ')'\n"),
])
def test_flag_errors_change_nothing(kctl, ab, flags, err):
    r = kctl("apply", "-f", ab, *flags)
    assert (r.code, r.out, r.err) == (1, "", err)
    assert names(kctl, "cm") == ["configmap/a", "configmap/b", "configmap/c", "configmap/kube-root-ca.crt"]


@pytest.mark.parametrize("flags", [["--prune-allowlist", "core/v1/ConfigMap"], ["--all"],
                                   ["--prune-allowlist", "nonsense"]])
def test_prune_only_flags_without_prune_are_ignored(kctl, ab, flags):
    r = kctl("apply", "-f", ab, *flags)
    assert (r.code, r.out, clean(r.err)) == (0, "configmap/a unchanged\n", "")
    assert len(names(kctl, "cm")) == 4


def test_prune_missing_filename_first(kctl):
    r = kctl("apply", "--prune")
    assert (r.code, r.out, r.err) == (1, "", "error: must specify one of -f and -k\n")


# ---------------------------------------------------------------- what is pruned
@pytest.mark.parametrize("flags,out,left", [
    (["--prune", "--all"], "configmap/a unchanged\nconfigmap/b pruned\nconfigmap/c pruned\n", ["configmap/a"]),
    (["--prune", "-l", "app=x"], "configmap/a unchanged\nconfigmap/b pruned\n", ["configmap/a", "configmap/c"]),
    (["--prune", "-l", "app!=x"], "", None),  # a.yaml's only object does not match: nothing to apply
    (["--prune", "--all", "-o", "name"], "configmap/a\nconfigmap/b\nconfigmap/c\n", ["configmap/a"]),
    (["--prune", "--all", "--prune-allowlist", "core/v1/Secret"], "configmap/a unchanged\n",
     ["configmap/a", "configmap/b", "configmap/c"]),
])
def test_prune(kctl, ab, flags, out, left):
    r = kctl("apply", "-f", ab, *flags)
    if left is None:
        assert (r.code, r.out, r.err) == (1, "", "error: no objects passed to apply\n")
        left = ["configmap/a", "configmap/b", "configmap/c"]
    else:
        assert (r.code, r.out, clean(r.err)) == (0, out, "")
    assert names(kctl, "cm") == left + ["configmap/kube-root-ca.crt"]


@pytest.mark.parametrize("dry_run,suffix", [("client", " (dry run)"), ("server", " (server dry run)")])
def test_prune_dry_run_changes_nothing(kctl, ab, dry_run, suffix):
    r = kctl("apply", "-f", ab, "--prune", "--all", f"--dry-run={dry_run}")
    assert (r.code, r.out, clean(r.err)) == (0, f"configmap/a unchanged{suffix}\nconfigmap/b pruned{suffix}\n"
                                         f"configmap/c pruned{suffix}\n", "")
    assert len(names(kctl, "cm")) == 4


def test_selector_filters_the_files_objects_too(kctl, ab, write):
    # kubectl's builder drops the file's objects -l does not match: d is not created, and
    # c (app=y) is outside the selector so it is not pruned either
    f = write("ad.yaml", docs(cm("a", {"app": "x"}), cm("d", {"app": "z"})))
    r = kctl("apply", "-f", f, "--prune", "-l", "app=x")
    assert (r.code, r.out, clean(r.err)) == (0, "configmap/a unchanged\nconfigmap/b pruned\n", "")
    assert names(kctl, "cm") == ["configmap/a", "configmap/c", "configmap/kube-root-ca.crt"]


def test_only_objects_made_by_apply_or_save_config(kctl, write):
    keep = write("keep.yaml", cm("keep"))
    assert kctl("apply", "-f", keep).code == 0
    assert kctl("create", "configmap", "plain").code == 0
    assert kctl("create", "configmap", "saved", "--save-config").code == 0
    assert kctl("apply", "-f", write("sa.yaml", SA)).code == 0  # not in the default allowlist
    r = kctl("apply", "-f", keep, "--prune", "--all")
    assert (r.code, r.out, clean(r.err)) == (0, "configmap/keep unchanged\nconfigmap/saved pruned\n", "")
    assert names(kctl, "cm") == ["configmap/keep", "configmap/kube-root-ca.crt", "configmap/plain"]
    assert "serviceaccount/robot" in names(kctl, "sa")


def test_namespaces_visited_and_dash_n(kctl, write):
    ns = "apiVersion: v1\nkind: Namespace\nmetadata: {name: other}\n"
    assert kctl("apply", "-f", write("ns.yaml", ns)).code == 0
    assert kctl("apply", "-f", write("all.yaml", docs(cm("a"), cm("b"), cm("o", ns="other")))).code == 0
    a = write("a.yaml", cm("a"))
    allow = ["--prune-allowlist", "core/v1/ConfigMap"]
    # only default is visited: other/o stays
    r = kctl("apply", "-f", a, "--prune", "--all", *allow)
    assert (r.code, r.out, clean(r.err)) == (0, "configmap/a unchanged\nconfigmap/b pruned\n", "")
    assert names(kctl, "cm", "-n", "other") == ["configmap/kube-root-ca.crt", "configmap/o"]
    # -n other: the file's object goes to other, and only other is visited
    r = kctl("apply", "-f", write("x.yaml", cm("x")), "-n", "other", "--prune", "--all", *allow)
    assert (r.code, r.out, clean(r.err)) == (0, "configmap/x created\nconfigmap/o pruned\n", "")
    assert names(kctl, "cm", "-n", "other") == ["configmap/kube-root-ca.crt", "configmap/x"]
    assert names(kctl, "cm") == ["configmap/a", "configmap/kube-root-ca.crt"]


def test_cluster_scoped_kinds_are_pruned_everywhere(kctl, write):
    # the default allowlist has Namespace: an applied namespace missing from the file goes,
    # and the namespace controller empties it
    ns = "apiVersion: v1\nkind: Namespace\nmetadata: {name: old}\n"
    assert kctl("apply", "-f", write("ns.yaml", docs(ns, cm("o", ns="old")))).code == 0
    r = kctl("apply", "-f", write("a.yaml", cm("a")), "--prune", "--all")
    assert (r.code, r.out, clean(r.err)) == (0, "configmap/a created\nnamespace/old pruned\n", "")
    r = kctl("get", "cm", "-n", "old")
    assert (r.code, r.out, clean(r.err)) == (0, "", "No resources found in old namespace.\n")
    assert "namespace/old" not in names(kctl, "ns")


def test_nodes_are_not_in_the_default_allowlist(kctl, write):
    assert kctl("apply", "-f", write("n.yaml", docs(NODE, cm("a")))).code == 0
    r = kctl("apply", "-f", write("s.yaml", SECRET), "--prune", "--all")
    assert (r.code, r.out, clean(r.err)) == (0, "secret/s1 created\nconfigmap/a pruned\n", "")
    assert names(kctl, "nodes") == ["node/n1"]


def test_pruned_deployment_takes_its_replicasets_and_pods(kctl, write):
    r = kctl("apply", "-f", write("d.yaml", docs(DEPLOY, cm("a"))))
    assert r.code == 0, r.err
    assert len(names(kctl, "pods")) == 2 and len(names(kctl, "rs")) == 1
    r = kctl("apply", "-f", write("a.yaml", cm("a")), "--prune", "--all")
    assert (r.code, r.out, clean(r.err)) == (0, "configmap/a unchanged\ndeployment.apps/web pruned\n", "")
    for kind in ("deployments", "replicasets", "pods"):
        r = kctl("get", kind)
        assert (r.code, r.out, clean(r.err)) == (0, "", "No resources found in default namespace.\n")


def test_failed_apply_prunes_nothing(kctl, ab, write):
    bad = write("bad.yaml", docs(cm("a", {"app": "x"}), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: B_}\n"))
    r = kctl("apply", "-f", bad, "--prune", "--all")
    assert r.code == 1 and r.out == ""
    assert r.err.endswith("error: no objects were changed\n")
    assert len(names(kctl, "cm")) == 4


def test_selector_without_prune_only_filters_the_file(kctl, ab, write):
    f = write("ad.yaml", docs(cm("a", {"app": "x"}), cm("d", {"app": "z"})))
    r = kctl("apply", "-f", f, "-l", "app=z")
    assert (r.code, r.out, clean(r.err)) == (0, "configmap/d created\n", "")
    assert names(kctl, "cm") == ["configmap/a", "configmap/b", "configmap/c", "configmap/d",
                                 "configmap/kube-root-ca.crt"]


def test_prune_output_yaml_prints_each_pruned_object(kctl, ab):
    before = kctl("get", "cm", "a", "-o", "yaml").out + kctl("get", "cm", "b", "-o", "yaml").out
    r = kctl("apply", "-f", ab, "--prune", "-l", "app=x", "-o", "yaml")
    # kubectl makes a new printer for the pruned objects: no `---` between the documents
    assert (r.code, r.out, clean(r.err)) == (0, before, "")
    assert names(kctl, "cm") == ["configmap/a", "configmap/c", "configmap/kube-root-ca.crt"]


def test_prune_refuses_server_side(kctl, ab):
    r = kctl("apply", "-f", ab, "--prune", "--all", "--server-side")
    assert (r.code, r.out, r.err) == (
        1, "", "error: --prune is in alpha and doesn't currently work on objects created by server-side apply\n")
    assert len(names(kctl, "cm")) == 4


@pytest.mark.parametrize("flags,klog,endpoints", [
    (["--prune", "--all"], True, True),
    (["--prune", "-l", "app=x"], True, True),
    (["--prune", "--all", "--prune-allowlist", "core/v1/ConfigMap"], False, False),
    (["--prune", "--all", "--prune-allowlist", "core/v1/Endpoints", "--prune-allowlist", "core/v1/Endpoints"],
     False, True),
    ([], False, False),
])
def test_default_allowlist_warnings(kctl, ab, flags, klog, endpoints):
    r = kctl("apply", "-f", ab, *flags)
    assert r.code == 0
    m = KLOG.match(r.err)
    assert bool(m) is klog
    assert r.err[m.end() if m else 0:] == (ENDPOINTS if endpoints else "")


def test_prune_delete_error_is_kubectls_and_rolls_back(kctl, write):
    # an applied `default` Namespace carries the annotation, but may not be deleted
    assert kctl("apply", "-f", write("ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: default}\n")).code == 0
    r = kctl("apply", "-f", write("a.yaml", cm("a")), "--prune", "--all")
    assert (r.code, r.out, clean(r.err)) == (
        1, "", 'error: error pruning nonNamespaced object /v1, Kind=Namespace: namespaces "default" is forbidden: '
               "this namespace may not be deleted\n")
    # kctl's apply is one transaction: the apply itself is undone too
    assert names(kctl, "cm") == ["configmap/kube-root-ca.crt"]
