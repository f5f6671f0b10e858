"""README's first command, as a newcomer runs it (after the install step), on manifests/."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text()
    blocks = re.findall(r"```sh\n(.*?)```", text, re.S)
    return [b.strip() for b in blocks[:2]]


def kctl_steps(command: str) -> list[list[str]]:
    """The `.venv/bin/kctl ...` steps of a `&&` chain (the venv/pip steps are the install)."""
    steps = []
    for part in command.split("&&"):
        words = part.split()
        if words and words[0] == ".venv/bin/kctl":
            steps.append(words[1:])
    return steps


def kctl_exe() -> list[str]:
    exe = Path(sys.executable).with_name("kctl")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "kctl"]


def test_readme_has_install_run_and_test_commands():
    first, second = readme_commands()
    assert "pip install ." in first and kctl_steps(first)
    assert "pytest" in second
    ci = (REPO / ".ci" / "run").read_text()
    assert second in ci, ".ci/run must run README's test command"


def test_readme_first_command_on_bundled_example(tmp_path):
    shutil.copytree(REPO / "manifests", tmp_path / "manifests")
    steps = kctl_steps(readme_commands()[0])
    outputs = []
    for args in steps:
        proc = subprocess.run(kctl_exe() + args, cwd=tmp_path, capture_output=True, text=True,
                              env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
        assert proc.returncode == 0, proc.stderr
        assert "Traceback" not in proc.stderr
        outputs.append(proc.stdout)
    applied = outputs[0].splitlines()
    assert "namespace/shop created" in applied
    assert "deployment.apps/web created" in applied
    assert "statefulset.apps/db created" in applied
    assert {"node/general-0 created", "node/general-1 created", "node/batch-0 created"} <= set(applied)
    shown = outputs[-1]
    for name in ("node/general-0", "node/batch-0", "deployment.apps/web", "statefulset.apps/db", "service/web"):
        assert name in shown
    # applying the same folder again changes nothing
    again = subprocess.run(kctl_exe() + steps[0], cwd=tmp_path, capture_output=True, text=True,
                           env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert again.returncode == 0, again.stderr
    assert all(line.endswith(" unchanged") for line in again.stdout.splitlines()), again.stdout
