"""Shared fixtures: run the CLI in-process with exact stdout/stderr/exit code."""

from __future__ import annotations

import io
import socket
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def store_path(tmp_path, monkeypatch):
    path = tmp_path / "state.db"
    monkeypatch.setenv("KCTL_STORE", str(path))
    return path


@pytest.fixture
def kctl(store_path, capsys, monkeypatch):
    """`kctl("get", "pods", stdin="...")` -> Result(code, out, err), in-process."""
    from kctl.cli.main import main

    def run(*args: str, stdin: str | None = None) -> Result:
        capsys.readouterr()
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        try:
            main(list(args))
            code = 0
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        cap = capsys.readouterr()
        return Result(code, cap.out, cap.err)

    return run


@pytest.fixture
def write(tmp_path):
    """write("name.yaml", text) -> path string of a file under tmp_path."""

    def _write(name: str, text: str) -> str:
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
        return str(p)

    return _write


@pytest.fixture
def frozen_now(monkeypatch):
    """Freeze the wall clock at 2026-11-25T12:00:00Z; returns a setter to move it."""
    from datetime import datetime, timezone

    import kctl.engine as engine

    state = {"now": datetime(2026, 11, 25, 12, 0, 0, tzinfo=timezone.utc)}
    monkeypatch.setattr(engine, "wall_now", lambda: state["now"])

    def set_now(dt):
        state["now"] = dt

    return set_now


PG_SERVER = ("127.0.0.1", 5432)
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def pg_reachable() -> bool:
    try:
        with socket.create_connection(PG_SERVER, timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def pg_url():
    """A PostgreSQL URL whose search_path is a fresh schema (dropped after the test)."""
    if not pg_reachable():
        pytest.skip(f"PostgreSQL not reachable at {PG_SERVER[0]}:{PG_SERVER[1]}")
    import psycopg

    schema = f"kctl_test_{uuid.uuid4().hex[:12]}"
    admin = "postgresql://postgres@127.0.0.1:5432/test"
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f'CREATE SCHEMA "{schema}"')
    yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f'DROP SCHEMA "{schema}" CASCADE')
