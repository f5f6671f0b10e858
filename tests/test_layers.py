"""Import direction (ARCHITECTURE.md "Which way imports go"), checked on the source with ast."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent.parent / "kctl"

# package prefix -> kctl modules it may import (kctl.errors and the kctl root are leaves)
ALLOWED = {
    "kctl.api": ("kctl.api",),
    "kctl.manifests": ("kctl.api",),
    "kctl.store": ("kctl.api", "kctl.store"),
    "kctl.scheduler": ("kctl.api", "kctl.store.base", "kctl.scheduler"),
    "kctl.controllers": ("kctl.api", "kctl.store.base", "kctl.controllers", "kctl.scheduler"),
    "kctl.printers": ("kctl.api", "kctl.printers"),
    "kctl.engine": ("kctl.api", "kctl.store", "kctl.controllers", "kctl.scheduler", "kctl.manifests"),
}
LEAVES = ("kctl.errors",)


def modules():
    for path in sorted(PKG.rglob("*.py")):
        rel = path.relative_to(PKG.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield ".".join(parts), path


def imports_of(path: Path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def _rule(mod: str):
    for prefix, allowed in ALLOWED.items():
        if mod == prefix or mod.startswith(prefix + "."):
            return allowed
    return None


@pytest.mark.parametrize("mod,path", list(modules()), ids=[m for m, _ in modules()])
def test_imports_follow_the_layers(mod, path):
    allowed = _rule(mod)
    for imp in imports_of(path):
        if imp == "click" or imp.startswith("click."):
            assert mod.startswith("kctl.cli"), f"{mod} imports click: only kctl.cli may"
        if not imp.startswith("kctl"):
            continue
        if imp.startswith("kctl.cli"):
            assert mod.startswith("kctl.cli") or mod == "kctl.__main__", f"{mod} imports {imp}"
        if allowed is None or imp in ("kctl",) or imp.startswith(LEAVES):
            continue
        assert any(imp == a or imp.startswith(a + ".") for a in allowed), f"{mod} must not import {imp}"
