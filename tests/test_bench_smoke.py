"""Each bench/ script runs in its tiny --smoke mode, so the benches do not rot. No timing is
asserted: speed is measured by hand with the full runs (see the scripts' docstrings)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BENCHES = sorted(p.name for p in (REPO / "bench").glob("bench_*.py"))


@pytest.mark.parametrize("script", BENCHES)
def test_bench_smoke(script, tmp_path):
    proc = subprocess.run([sys.executable, str(REPO / "bench" / script), "--smoke"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(REPO)})
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert proc.stdout.strip(), "a bench prints its figures"


def test_bench_validate_smoke_reports_clean_corpus_and_skips_kubernetes_validate(tmp_path):
    """The validate bench's corpus validates clean (a CI repository's), every kctl column is
    printed, and without kubernetes-validate on PATH its columns are skipped with a note."""
    proc = subprocess.run([sys.executable, str(REPO / "bench" / "bench_validate.py"), "--smoke"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(REPO)})
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = [line for line in proc.stdout.splitlines() if line.lstrip().startswith("kctl ")]
    assert len(rows) == 4  # CLI and in-process, two layouts
    assert all(" 0 invalid, " in line for line in rows), proc.stdout
    assert "kubernetes-validate: not installed" in proc.stdout
