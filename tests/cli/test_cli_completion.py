"""`kctl completion`: scripts for bash/zsh/fish that call `kctl completion __complete SHELL`,
and the answers: verbs, resource types from the kinds table, object names from the store."""

from __future__ import annotations

import subprocess

import pytest

OBJECTS = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, namespace: default}
data: {a: "1"}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: worker-config, namespace: default}
---
apiVersion: v1
kind: Namespace
metadata: {name: team-a}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: other, namespace: team-a}
"""


@pytest.fixture
def complete(kctl, monkeypatch):
    """complete("bash", "kctl get cm w") -> the completion lines kctl prints for the last word."""

    def run(shell: str, line: str) -> list[str]:
        words = line.split(" ")
        if shell == "fish":
            monkeypatch.setenv("COMP_WORDS", line)
            monkeypatch.setenv("COMP_CWORD", words[-1])
        else:
            monkeypatch.setenv("COMP_WORDS", line)
            monkeypatch.setenv("COMP_CWORD", str(len(words) - 1))
        r = kctl("completion", "__complete", shell)
        assert (r.code, r.err) == (0, "")
        return r.out.splitlines()

    return run


@pytest.fixture
def objects(kctl, write):
    r = kctl("apply", "-f", write("objs.yaml", OBJECTS))
    assert r.code == 0, r.err


@pytest.mark.parametrize("shell,marker", [
    ("bash", "$1 completion __complete bash)"),
    ("zsh", "kctl completion __complete zsh)"),
    ("fish", "kctl completion __complete fish);"),
], ids=["bash", "zsh", "fish"])
def test_script_calls_hidden_complete(kctl, shell, marker):
    r = kctl("completion", shell)
    assert r.code == 0 and r.err == ""
    assert marker in r.out
    assert "_KCTL_COMPLETE" not in r.out


def test_bash_script_is_valid_bash(kctl, tmp_path):
    script = tmp_path / "c.bash"
    script.write_text(kctl("completion", "bash").out)
    assert subprocess.run(["bash", "-n", str(script)]).returncode == 0


@pytest.mark.parametrize("line,want", [
    ("kctl ge", ["plain,get"]),
    ("kctl api-r", ["plain,api-resources"]),
    ("kctl get deploym", ["plain,deployments"]),
    ("kctl get deploy,statefuls", ["plain,deploy,statefulsets"]),
    ("kctl explain replica", ["plain,replicasets", "plain,replicationcontrollers"]),
], ids=["verb", "verb-with-dash", "type", "type-after-comma", "explain-types"])
def test_bash_verbs_and_types(complete, line, want):
    assert complete("bash", line) == want


@pytest.mark.parametrize("line,want", [
    ("kctl get cm w", ["plain,web-config", "plain,worker-config"]),
    ("kctl describe configmaps we", ["plain,web-config"]),
    ("kctl delete cm/wo", ["plain,cm/worker-config"]),
    ("kctl get cm -n team-a o", ["plain,other"]),
    ("kctl get ns team", ["plain,team-a"]),
    ("kctl get cm nothing", []),
    ("kctl get nosuchtype x", []),
], ids=["names", "plural-type", "type-slash-name", "namespace-flag", "cluster-scoped", "no-match",
        "unknown-type"])
def test_object_names_from_store(complete, objects, line, want):
    assert complete("bash", line) == want


def test_names_on_empty_store_do_not_create_it(complete, store_path):
    assert complete("bash", "kctl get cm ") == []
    assert not store_path.exists()


def test_zsh_and_fish_formats(complete, objects):
    assert complete("zsh", "kctl get cm we") == ["plain", "web-config", "_"]
    assert complete("fish", "kctl get cm we") == ["plain,web-config"]


@pytest.mark.parametrize("args,err", [
    (["completion"], "error: Shell not specified.\nSee 'kctl completion -h' for help and examples\n"),
    (["completion", "tcsh"], "error: Unsupported shell type \"tcsh\".\nSee 'kctl completion -h' for help and examples\n"),
    (["completion", "bash", "zsh"],
     "error: Too many arguments. Expected only the shell type.\nSee 'kctl completion -h' for help and examples\n"),
], ids=["no-shell", "unsupported", "too-many"])
def test_completion_errors(kctl, args, err):
    r = kctl(*args)
    assert (r.code, r.out, r.err) == (1, "", err)
