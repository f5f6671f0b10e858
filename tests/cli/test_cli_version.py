"""`kctl version`: kubectl's `Client Version:` / `Server Version:` lines and version.Info shape.

kctl's gitVersion is the Kubernetes version it implements with kctl's own version as semver
build metadata: `v1.37.0+kctl.<kctl version>`; the "server" is the in-process control plane."""

from __future__ import annotations

import json
import re

import pytest

from kctl.cli.explain import version_info

GIT = version_info()["gitVersion"]


def test_git_version_shape():
    assert re.fullmatch(r"v1\.37\.0\+kctl\.\d+\.\d+\.\d+.*", GIT)
    info = version_info()
    assert (info["major"], info["minor"]) == ("1", "37")


@pytest.mark.parametrize("args,out", [
    (["version"], f"Client Version: {GIT}\nServer Version: {GIT}\n"),
    (["version", "--client"], f"Client Version: {GIT}\n"),
], ids=["both", "client-only"])
def test_version_text(kctl, args, out):
    r = kctl(*args)
    assert (r.code, r.out, r.err) == (0, out, "")


def test_version_json_key_order_like_kubectl(kctl):
    r = kctl("version", "-o", "json")
    assert r.code == 0
    doc = json.loads(r.out)
    assert list(doc) == ["clientVersion", "serverVersion"]
    assert list(doc["clientVersion"]) == ["major", "minor", "gitVersion", "gitCommit", "gitTreeState",
                                          "buildDate", "goVersion", "compiler", "platform"]
    assert r.out.startswith('{\n  "clientVersion": {\n    "major": "1",\n    "minor": "37",\n')


def test_version_yaml_client(kctl):
    r = kctl("version", "--client", "-o", "yaml")
    assert r.code == 0
    lines = r.out.splitlines()
    assert lines[0] == "clientVersion:"
    assert '  major: "1"' in lines and '  minor: "37"' in lines and f"  gitVersion: {GIT}" in lines
    assert "serverVersion:" not in r.out


@pytest.mark.parametrize("args,err", [
    (["version", "-o", "wide"], "error: --output must be 'yaml' or 'json'\n"),
    (["version", "x"], "error: unexpected arguments: [x]\nSee 'kctl version -h' for help and examples\n"),
], ids=["bad-output", "extra-args"])
def test_version_errors(kctl, args, err):
    r = kctl(*args)
    assert (r.code, r.out, r.err) == (1, "", err)


def test_version_does_not_create_a_store(kctl, store_path):
    assert kctl("version").code == 0
    assert not store_path.exists()


PROBE = """
import sys
from kctl.cli.main import main
try:
    main({argv!r})
except SystemExit:
    pass
print("LOADED=" + ",".join(sorted(m for m in ("jsonschema", "sqlalchemy", "ruamel", "tabulate") if m in sys.modules)),
      file=sys.stderr)
"""


@pytest.mark.parametrize("argv", [["version"], ["explain", "deploy.spec"], ["api-resources"], ["completion", "bash"]],
                         ids=["version", "explain", "api-resources", "completion"])
def test_offline_verbs_import_no_heavy_library(argv, tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[2]
    proc = subprocess.run([sys.executable, "-c", PROBE.format(argv=argv)], capture_output=True, text=True,
                          cwd=repo, env={"KCTL_STORE": str(tmp_path / "s.db"), "PATH": "/usr/bin:/bin"})
    assert proc.stderr.strip().splitlines()[-1] == "LOADED="
