"""`kctl diff`: kubectl's unified-diff shape, Secret masking, exit codes 0/1/2."""

from __future__ import annotations

import pytest

CM = """apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
data:
  a: "1"
  b: "2"
"""

HEAD = ("diff -u -N /tmp/LIVE-0/{f} /tmp/MERGED-0/{f}\n"
        "--- /tmp/LIVE-0/{f}\t2026-11-25 12:00:00.000000000 +0000\n"
        "+++ /tmp/MERGED-0/{f}\t2026-11-25 12:00:00.000000000 +0000\n")


@pytest.fixture
def env(kctl, write, frozen_now, monkeypatch):
    monkeypatch.delenv("TMPDIR", raising=False)
    r = kctl("apply", "-f", write("cm.yaml", CM))
    assert r.code == 0, r.err
    return kctl, write


def test_no_differences_exit_0(env):
    kctl, write = env
    r = kctl("diff", "-f", write("same.yaml", CM))
    assert (r.code, r.out, r.err) == (0, "", "")


def test_changed_configmap_exact_diff(env):
    kctl, write = env
    r = kctl("diff", "-f", write("new.yaml", CM.replace('b: "2"', 'b: "3"')))
    assert r.code == 1, r.err
    assert r.out == HEAD.format(f="v1.ConfigMap.default.cfg") + (
        "@@ -1,12 +1,12 @@\n"
        " apiVersion: v1\n"
        " data:\n"
        '   a: "1"\n'
        '-  b: "2"\n'
        '+  b: "3"\n'
        " kind: ConfigMap\n"
        " metadata:\n"
        "   annotations:\n"
        "     kubectl.kubernetes.io/last-applied-configuration: |\n"
        '-      {"apiVersion":"v1","data":{"a":"1","b":"2"},"kind":"ConfigMap","metadata":{"annotations":{},"name":"cfg","namespace":"default"}}\n'
        '+      {"apiVersion":"v1","data":{"a":"1","b":"3"},"kind":"ConfigMap","metadata":{"annotations":{},"name":"cfg","namespace":"default"}}\n'
        '   creationTimestamp: "2026-11-25T12:00:00Z"\n'
        "   name: cfg\n"
        "   namespace: default\n"
    )
    # nothing was written
    assert kctl("get", "cm", "cfg", "-o", "jsonpath={.data.b}").out == "2"


def test_new_object_diffs_against_empty_file(env):
    kctl, write = env
    r = kctl("diff", "-f", write("other.yaml", CM.replace("name: cfg", "name: other\n  namespace: kube-public")))
    assert r.code == 1
    head, _, body = r.out.partition("@@ -0,0 +1,")
    assert head == HEAD.format(f="v1.ConfigMap.kube-public.other")
    lines = body.splitlines()[1:]
    assert lines[:4] == ["+apiVersion: v1", "+data:", '+  a: "1"', '+  b: "2"']
    assert all(line.startswith("+") for line in lines)
    assert kctl("get", "cm", "other", "-n", "kube-public").code == 1


def test_objects_sorted_by_file_name_and_unchanged_skipped(env):
    kctl, write = env
    text = CM.replace("name: cfg", "name: zz") + "---\n" + CM + "---\n" + CM.replace("name: cfg", "name: aa")
    r = kctl("diff", "-f", write("multi.yaml", text))
    assert r.code == 1
    heads = [line for line in r.out.splitlines() if line.startswith("diff -u -N")]
    assert heads == [
        "diff -u -N /tmp/LIVE-0/v1.ConfigMap.default.aa /tmp/MERGED-0/v1.ConfigMap.default.aa",
        "diff -u -N /tmp/LIVE-0/v1.ConfigMap.default.zz /tmp/MERGED-0/v1.ConfigMap.default.zz",
    ]


def test_tmpdir_prefix(env, monkeypatch):
    kctl, write = env
    monkeypatch.setenv("TMPDIR", "/var/tmp/")
    r = kctl("diff", "-f", write("new.yaml", CM.replace('b: "2"', 'b: "3"')))
    assert r.out.splitlines()[0] == ("diff -u -N /var/tmp/LIVE-0/v1.ConfigMap.default.cfg "
                                     "/var/tmp/MERGED-0/v1.ConfigMap.default.cfg")


SECRET = """apiVersion: v1
kind: Secret
metadata:
  name: s
data:
  same: eQ==
  changed: eQ==
  gone: eQ==
"""


@pytest.mark.parametrize("flags,expected", [
    ([], ["-  changed: '*** (before)'", "-  gone: '***'", "+  changed: '*** (after)'",
          "+  new: '***'", "   same: '***'"]),
    (["--show-secrets"], ["-  changed: eQ==", "-  gone: eQ==", "+  changed: eg==", "+  new: eg==",
                          "   same: eQ=="]),
], ids=["masked", "show-secrets"])
def test_secret_masking(env, flags, expected):
    kctl, write = env
    assert kctl("apply", "-f", write("s.yaml", SECRET)).code == 0
    changed = SECRET.replace("changed: eQ==", "changed: eg==").replace("gone: eQ==", "new: eg==")
    r = kctl("diff", "-f", write("s2.yaml", changed), *flags)
    assert r.code == 1
    data_lines = [line for line in r.out.splitlines()
                  if line[1:].startswith("  ") and not line[1:].startswith("   ") and ":" in line
                  and line[3:].split(":")[0] in ("changed", "gone", "new", "same")]
    assert data_lines == expected
    secret_text = "eQ==" if not flags else None
    if secret_text:
        assert "eQ==" not in r.out.split("last-applied")[0]


def test_admission_error_exit_2(env):
    kctl, write = env
    bad = CM.replace("name: cfg", "name: Bad_Name")
    r = kctl("diff", "-f", write("bad.yaml", bad))
    assert r.code == 2
    assert r.out == ""
    assert r.err.endswith("metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must "
                          "consist of lower case alphanumeric characters, '-' or '.', and must start and end "
                          "with an alphanumeric character (e.g. 'example.com', regex used for validation is "
                          "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n")
    assert "no objects were changed" not in r.err


@pytest.mark.parametrize("args,err", [
    (["diff", "-f", "missing.yaml"], 'error: the path "missing.yaml" does not exist\n'),
    (["diff"], "error: must specify one of -f and -k\n"),
], ids=["missing-file", "no-file"])
def test_errors_exit_2(env, args, err):
    kctl, _ = env
    r = kctl(*args)
    assert (r.code, r.out, r.err) == (2, "", err)


def test_unknown_field_exit_2(env):
    kctl, write = env
    r = kctl("diff", "-f", write("u.yaml", CM + "foo: 1\n"))
    assert r.code == 2
    assert 'strict decoding error: unknown field "foo"' in r.err


def test_stdin_and_recursive_dir(env, tmp_path):
    kctl, write = env
    r = kctl("diff", "-f", "-", stdin=CM.replace('a: "1"', 'a: "9"'))
    assert r.code == 1 and '+  a: "9"' in r.out
    write("dir/sub/cm.yaml", CM)
    r = kctl("diff", "-R", "-f", str(tmp_path / "dir"))
    assert (r.code, r.out, r.err) == (0, "", "")


def test_diff_after_patch_shows_generation_bump(kctl, write, frozen_now, monkeypatch):
    monkeypatch.delenv("TMPDIR", raising=False)
    deploy = ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 1\n"
              "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
              "    spec: {containers: [{name: web, image: nginx}]}\n")
    assert kctl("apply", "-f", write("d.yaml", deploy)).code == 0
    r = kctl("diff", "-f", write("d2.yaml", deploy.replace("image: nginx", "image: 'nginx:2'")))
    assert r.code == 1
    changed = [line for line in r.out.splitlines() if line[:1] in "+-" and not line.startswith(("---", "+++"))
               and "last-applied" not in line and not line.lstrip("+-").lstrip().startswith("{")]
    assert changed == ["-  generation: 1", "+  generation: 2", "-      - image: nginx", "+      - image: nginx:2"]


# --- --server-side: the merged object is one server-side apply request (dry run) ---------------
CHANGED_B = ("@@ -1,7 +1,7 @@\n"
             " apiVersion: v1\n"
             " data:\n"
             '   a: "1"\n'
             '-  b: "2"\n'
             '+  b: "3"\n'
             " kind: ConfigMap\n"
             " metadata:\n"
             '   creationTimestamp: "2026-11-25T12:00:00Z"\n')


@pytest.fixture
def ssa_env(kctl, write, frozen_now, monkeypatch):
    """The ConfigMap server-side applied (manager `kubectl`), so no last-applied annotation."""
    monkeypatch.delenv("TMPDIR", raising=False)
    r = kctl("apply", "--server-side", "-f", write("cm.yaml", CM))
    assert r.code == 0, r.err
    return kctl, write


@pytest.mark.parametrize("flags", [[], ["--field-manager", "kubectl"], ["--field-manager", "other",
                                                                          "--force-conflicts"]],
                         ids=["default-manager-kubectl", "same-manager", "other-manager-forced"])
def test_server_side_field_change(ssa_env, flags):
    kctl, write = ssa_env
    r = kctl("diff", "--server-side", *flags, "-f", write("new.yaml", CM.replace('b: "2"', 'b: "3"')))
    assert (r.code, r.out, r.err) == (1, HEAD.format(f="v1.ConfigMap.default.cfg") + CHANGED_B, "")
    assert kctl("get", "cm", "cfg", "-o", "jsonpath={.data.b}").out == "2"  # nothing written


@pytest.mark.parametrize("flags", [[], ["--show-managed-fields"]])
def test_server_side_no_differences_exit_0(ssa_env, flags):
    kctl, write = ssa_env
    r = kctl("diff", "--server-side", *flags, "-f", write("same.yaml", CM))
    assert (r.code, r.out, r.err) == (0, "", "")


@pytest.mark.parametrize("manager,owner", [
    ("other", '"kubectl"'),
    ("kubectl-client-side-apply", '"kubectl"'),
])
def test_server_side_conflict_exit_2(ssa_env, manager, owner):
    kctl, write = ssa_env
    path = write("new.yaml", CM.replace('b: "2"', 'b: "3"'))
    r = kctl("diff", "--server-side", "--field-manager", manager, "-f", path)
    # kubectl diff prints the server's 409 as is (no `kubectl apply` guidance), exit 1+1
    assert (r.code, r.out, r.err) == (
        2, "", f"{path}:1: Error from server (Conflict): Apply failed with 1 conflict: "
               f"conflict with {owner}: .data.b\n")


def test_server_side_conflict_with_client_side_apply_manager(env):
    kctl, write = env  # applied client-side: kubectl-client-side-apply owns the fields (Update)
    path = write("new.yaml", CM.replace('b: "2"', 'b: "3"'))
    r = kctl("diff", "--server-side", "--field-manager", "kubectl-client-side-apply", "-f", path)
    assert (r.code, r.out, r.err) == (
        2, "", f'{path}:1: Error from server (Conflict): Apply failed with 1 conflict: '
               f'conflict with "kubectl-client-side-apply" using v1: .data.b\n')


def test_server_side_forced_shows_new_owner_with_managed_fields(ssa_env):
    kctl, write = ssa_env
    r = kctl("diff", "--server-side", "--field-manager", "other", "--force-conflicts", "--show-managed-fields",
             "-f", write("new.yaml", CM.replace('b: "2"', 'b: "3"')))
    assert r.code == 1, r.err
    # difflib's alignment: the old entry's tail and the new entry share lines
    assert r.out == HEAD.format(f="v1.ConfigMap.default.cfg") + CHANGED_B + (
        "@@ -11,8 +11,16 @@\n"
        "     fieldsV1:\n"
        "       f:data:\n"
        "         f:a: {}\n"
        "+    manager: kubectl\n"
        "+    operation: Apply\n"
        '+    time: "2026-11-25T12:00:00Z"\n'
        "+  - apiVersion: v1\n"
        "+    fieldsType: FieldsV1\n"
        "+    fieldsV1:\n"
        "+      f:data:\n"
        "+        f:a: {}\n"
        "         f:b: {}\n"
        "-    manager: kubectl\n"
        "+    manager: other\n"
        "     operation: Apply\n"
        '     time: "2026-11-25T12:00:00Z"\n'
        "   name: cfg\n")


def test_server_side_new_object(ssa_env):
    kctl, write = ssa_env
    r = kctl("diff", "--server-side", "-f", write("o.yaml", CM.replace("name: cfg", "name: other")))
    assert (r.code, r.err) == (1, "")
    out, uid = r.out.rsplit("+  uid: ", 1)  # a dry-run create assigns a (random) uid
    assert len(uid) == 37
    assert out == HEAD.format(f="v1.ConfigMap.default.other") + (
        "@@ -0,0 +1,10 @@\n"
        "+apiVersion: v1\n"
        "+data:\n"
        '+  a: "1"\n'
        '+  b: "2"\n'
        "+kind: ConfigMap\n"
        "+metadata:\n"
        '+  creationTimestamp: "2026-11-25T12:00:00Z"\n'
        "+  name: other\n"
        "+  namespace: default\n")
    assert kctl("get", "cm", "other").code == 1


def test_server_side_keeps_client_side_apply_owned_fields(env):
    """Only the apply request: kubectl apply's migration of client-side-apply managers (which
    would hand `b` to `kubectl` and drop it) is not part of kubectl diff."""
    kctl, write = env
    r = kctl("diff", "--server-side", "-f", write("less.yaml", CM.replace('  b: "2"\n', "")))
    assert r.code == 1, r.err
    assert [line for line in r.out.splitlines() if line.startswith(("-  ", "+  "))] == [
        '-      {"apiVersion":"v1","data":{"a":"1","b":"2"},"kind":"ConfigMap","metadata":{"annotations":{},'
        '"name":"cfg","namespace":"default"}}',
        '+      {"apiVersion":"v1","data":{"a":"1"},"kind":"ConfigMap","metadata":{"name":"cfg",'
        '"namespace":"default"}}']


def test_force_conflicts_needs_server_side(env):
    kctl, write = env
    r = kctl("diff", "--force-conflicts", "-f", write("same.yaml", CM))
    assert (r.code, r.out, r.err) == (2, "", "error: --force-conflicts only works with --server-side\n")


@pytest.mark.parametrize("flags,managers", [
    ([], []),  # the same manager's entry: unchanged at the frozen time
    (["--field-manager", "x"], ["kubectl-client-side-apply", "x"]),
], ids=["default", "x"])
def test_client_side_field_manager(env, flags, managers):
    kctl, write = env
    r = kctl("diff", "--show-managed-fields", *flags, "-f", write("new.yaml", CM.replace('b: "2"', 'b: "3"')))
    assert r.code == 1, r.err
    assert sorted({line.split(": ")[1] for line in r.out.splitlines()
                   if line.startswith(("-", "+")) and "manager: " in line}) == managers
