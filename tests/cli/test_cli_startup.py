"""Start-up budget: `kctl --help` and the verb modules must not import heavy libraries."""

import subprocess
import sys

import pytest

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

HEAVY = ("jsonschema", "sqlalchemy", "ruamel", "ruamel.yaml", "tabulate")

PROBE = """
import sys
from kctl.cli.main import main
try:
    main({argv!r})
except SystemExit:
    pass
print("LOADED=" + ",".join(sorted(m for m in {heavy!r} if m in sys.modules)), file=sys.stderr)
"""


@pytest.mark.parametrize("argv", [["--help"], ["get", "--help"], ["apply", "--help"]], ids=["root", "get", "apply"])
def test_help_imports_no_heavy_library(argv):
    proc = subprocess.run(
        [sys.executable, "-c", PROBE.format(argv=argv, heavy=HEAVY)],
        capture_output=True, text=True, cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr
    loaded = proc.stderr.strip().splitlines()[-1]
    assert loaded == "LOADED=", f"{argv} imported {loaded}"
    assert "Usage: kctl" in proc.stdout


def test_python_dash_m_kctl_runs():
    proc = subprocess.run([sys.executable, "-m", "kctl", "--help"], capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 0
    assert "apply" in proc.stdout and "describe" in proc.stdout
