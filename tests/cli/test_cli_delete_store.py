"""`kctl delete` and `kctl store info|reset` through the CLI."""

from __future__ import annotations

import pytest

CMS = """apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: a, namespace: shop, labels: {tier: web}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: b, namespace: shop, labels: {tier: db}}
"""


def test_delete_by_name_texts(kctl, write):
    kctl("apply", "-f", write("m.yaml", CMS))
    r = kctl("delete", "cm", "a", "-n", "shop")
    assert (r.code, r.out, r.err) == (0, 'configmap "a" deleted from shop namespace\n', "")
    r = kctl("delete", "cm", "a", "-n", "shop")
    assert (r.code, r.err) == (1, 'Error from server (NotFound): configmaps "a" not found\n')
    r = kctl("delete", "cm", "a", "-n", "shop", "--ignore-not-found")
    assert (r.code, r.out, r.err) == (0, "", "")


def test_delete_by_selector_and_namespace_cascade(kctl, write):
    kctl("apply", "-f", write("m.yaml", CMS))
    r = kctl("-n", "shop", "delete", "cm", "-l", "tier=db")
    assert (r.code, r.out) == (0, 'configmap "b" deleted from shop namespace\n')
    r = kctl("delete", "ns", "shop")
    assert (r.code, r.out) == (0, 'namespace "shop" deleted\n')
    assert kctl("get", "cm", "a", "-n", "shop").code == 1


def test_delete_from_file(kctl, write):
    path = write("m.yaml", CMS)
    kctl("apply", "-f", path)
    r = kctl("delete", "-f", path)
    assert r.code == 0
    assert r.out.splitlines() == [
        'configmap "a" deleted from shop namespace',
        'configmap "b" deleted from shop namespace',
        'namespace "shop" deleted',
    ]


def test_delete_usage_errors(kctl):
    r = kctl("delete", "pods")
    assert (r.code, r.err) == (1, "error: resource(s) were provided, but no name was specified\n")
    r = kctl("delete")
    assert r.code == 1 and r.err.startswith("error: You must provide one or more resources")
    r = kctl("delete", "pods", "x", "--cascade=sideways")
    assert r.code == 1
    assert r.err == 'error: invalid cascade value (sideways). Must be "background", "foreground", or "orphan"\n'


def counts(out: str) -> dict[str, int]:
    rows = [line.split() for line in out.splitlines()[4:]]
    return {r[0]: int(r[1]) for r in rows if len(r) == 2}


def test_store_info_and_reset(kctl, write, store_path):
    fresh = counts(kctl("store", "info").out)
    assert fresh["namespaces"] == 4  # the bootstrap namespaces exist from the first command
    kctl("apply", "-f", write("m.yaml", CMS))
    r = kctl("store", "info")
    assert r.code == 0
    lines = r.out.splitlines()
    assert lines[0] == f"Location:  {store_path}"
    assert lines[1] == "Backend:   sqlite"
    assert lines[2].startswith("Revision:  ")
    assert lines[3].split() == ["RESOURCE", "COUNT"]
    applied = counts(r.out)
    assert applied["namespaces"] == 5
    assert applied["configmaps"] - fresh.get("configmaps", 0) >= 2
    r = kctl("store", "reset")
    assert (r.code, r.err) == (1, "error: store reset deletes every object; pass --yes to confirm\n")
    r = kctl("store", "reset", "--yes")
    assert (r.code, r.out) == (0, f'store "{store_path}" reset\n')
    assert counts(kctl("store", "info").out) == fresh


def test_store_flag_before_or_after_verb(kctl, write, tmp_path):
    other = str(tmp_path / "other.db")
    path = write("c.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    assert kctl("--store", other, "apply", "-f", path).code == 0
    assert kctl("get", "cm", "c", "--store", other).code == 0
    assert kctl("get", "cm", "c").code == 1  # the default store (KCTL_STORE) is another file


def test_unopenable_store(kctl, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    r = kctl("--store", str(blocker / "sub" / "state.db"), "get", "ns")
    assert r.code == 1
    assert r.err.startswith("error: ")
    assert "Traceback" not in r.err


OWNED = """apiVersion: v1
kind: ConfigMap
metadata: {{name: child, ownerReferences: [{{apiVersion: v1, kind: ConfigMap, name: parent, uid: {uid}}}]}}
"""


@pytest.mark.parametrize("cascade,child_left,refs_left", [
    ("background", False, None),
    ("foreground", False, None),
    ("orphan", True, False),
], ids=["background", "foreground", "orphan"])
def test_delete_cascade(kctl, write, cascade, child_left, refs_left):
    kctl("apply", "-f", write("p.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: parent}\n"))
    uid = kctl("get", "cm", "parent", "-o", "jsonpath={.metadata.uid}").out
    assert kctl("apply", "-f", write("c.yaml", OWNED.format(uid=uid))).code == 0
    r = kctl("delete", "cm", "parent", f"--cascade={cascade}")
    assert (r.code, r.out) == (0, 'configmap "parent" deleted from default namespace\n')
    child = kctl("get", "cm", "child", "-o", "json")
    assert (child.code == 0) == child_left
    if child_left:
        import json

        assert "ownerReferences" not in json.loads(child.out)["metadata"]


def test_delete_kubectl_texts(kctl, write):
    kctl("apply", "-f", write("m.yaml", CMS))
    r = kctl("delete", "cm", "a", "-A")
    assert (r.code, r.err) == (1, "error: a resource cannot be retrieved by name across all namespaces\n")
    r = kctl("delete", "cm", "a", "-n", "shop", "-o", "yaml")
    assert (r.code, r.err) == (1, "error: unexpected -o output mode: yaml. We only support '-o name'\n")
    r = kctl("delete", "cm", "a", "-n", "shop", "-o", "name")
    assert (r.code, r.out) == (0, "configmap/a\n")
    r = kctl("delete", "pods", "--all", "-n", "shop")
    assert (r.code, r.out, r.err) == (0, "No resources found\n", "")
    r = kctl("delete", "cm", "b", "-n", "shop", "--cascade=false")
    assert r.code == 0
    assert r.err == ("warning: --cascade=false is deprecated (boolean value) and can be replaced with "
                     "--cascade=orphan.\n")
