"""Start-up cost of kctl commands beside `python -c pass`, medians of N cold runs.

    python bench/bench_startup.py            # 21 runs each
    python bench/bench_startup.py --smoke    # 2 runs each (CI keeps the script alive)

Prints one line per command: median and min in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def timed(cmd: list[str], env: dict, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--smoke", action="store_true")
    args = ap.parse_args()
    runs = 2 if args.smoke else args.runs
    py = sys.executable
    with tempfile.TemporaryDirectory() as d:
        env = dict(os.environ, KCTL_STORE=str(Path(d) / "bench.db"), PYTHONPATH=str(REPO))
        kctl = [py, "-m", "kctl"]
        subprocess.run(kctl + ["apply", "-f", str(REPO / "manifests")], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        cases = [
            ("python -c pass", [py, "-c", "pass"]),
            ("kctl --help", kctl + ["--help"]),
            ("kctl get pods -A", kctl + ["get", "pods", "-A"]),
            ("kctl get deploy,svc -n shop", kctl + ["get", "deploy,svc", "-n", "shop"]),
            ("kctl apply -f manifests/ (unchanged)", kctl + ["apply", "-f", str(REPO / "manifests")]),
        ]
        print(f"{'command':40} {'median ms':>10} {'min ms':>8}   (runs={runs})")
        for label, cmd in cases:
            ts = timed(cmd, env, runs)
            print(f"{label:40} {statistics.median(ts):10.1f} {min(ts):8.1f}")


if __name__ == "__main__":
    main()
