"""The bundled example through the CLI on a real PostgreSQL store (skipped when none answers)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_example_on_postgresql(kctl, pg_url):
    r = kctl("--store", pg_url, "apply", "-f", str(REPO / "manifests"))
    assert r.code == 0, r.err
    assert "statefulset.apps/db created" in r.out.splitlines()
    r = kctl("--store", pg_url, "get", "deploy", "-n", "shop", "-o", "name")
    assert (r.code, r.out) == (0, "deployment.apps/web\n")
    r = kctl("--store", pg_url, "apply", "-f", str(REPO / "manifests"))
    assert r.code == 0 and all(line.endswith(" unchanged") for line in r.out.splitlines())
    info = kctl("--store", pg_url, "store", "info").out
    assert "Backend:   postgresql" in info


def test_rejected_batch_leaves_postgresql_untouched(kctl, pg_url, write):
    kctl("--store", pg_url, "apply", "-f", str(REPO / "manifests" / "00-namespace.yaml"))
    before = kctl("--store", pg_url, "store", "info").out
    bad = write("bad.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok, namespace: shop}\n---\n"
                            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Bad_Name, namespace: shop}\n")
    r = kctl("--store", pg_url, "apply", "-f", bad)
    assert r.code == 1
    assert r.err.startswith(f"{bad}:7: The ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\"")
    assert kctl("--store", pg_url, "store", "info").out == before
