"""Where the cluster lives: choosing and opening a Store.

`--store VALUE` (or env KCTL_STORE, else ~/.kctl/state.db) is a filesystem path of an SQLite
file or an SQLAlchemy URL (`sqlite:///…`, `postgresql+psycopg://…`; `memory://` gives a
throw-away MemoryStore). Only the standard library is imported here; SQLAlchemy is imported
when a writable store or a non-SQLite URL is opened.
"""

from __future__ import annotations

import os
import re

from .base import ADDED, DELETED, MODIFIED, Change, Store  # noqa: F401  (re-exported)

ENV_VAR = "KCTL_STORE"
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def default_location() -> str:
    """~/.kctl/state.db"""
    return os.path.join(os.path.expanduser("~"), ".kctl", "state.db")


def resolve_location(value: str | None) -> str:
    """The store to use: VALUE (--store), else $KCTL_STORE, else ~/.kctl/state.db.

    A path gets `~` expanded; URLs are returned as given."""
    chosen = value or os.environ.get(ENV_VAR) or default_location()
    return chosen if is_url(chosen) else os.path.expanduser(chosen)


def is_url(value: str) -> bool:
    """True for `scheme://…` (an SQLAlchemy URL or memory://), False for a file path."""
    return bool(_URL.match(value))


def sqlite_path(location: str) -> str | None:
    """The file of an SQLite location (a plain path or sqlite:///PATH), else None.

    `sqlite:///rel.db` is relative, `sqlite:////abs.db` absolute (SQLAlchemy's rule);
    `:memory:` is returned for in-memory SQLite URLs."""
    if not is_url(location):
        return location
    m = re.match(r"^sqlite(\+pysqlite)?://(/?)(.*)$", location)
    if not m:
        return None
    if not m.group(2):
        return ":memory:"  # sqlite://
    path = m.group(3).split("?", 1)[0]
    return path or ":memory:"


def display_location(location: str) -> str:
    """The location with any URL password hidden (for messages and `store info`)."""
    return re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", location)


def open_store(value: str | None, *, readonly: bool = False) -> Store:
    """Open (creating on first write use) the store VALUE resolves to.

    readonly=True on an SQLite file gives the stdlib-only reader (no SQLAlchemy import); a
    missing file then reads as an empty store and is not created. Raises StoreError with
    `cannot open store "LOCATION": REASON` when the store cannot be opened.
    """
    location = resolve_location(value)
    shown = display_location(location)
    if location.startswith("memory://"):
        from .memory import MemoryStore
        return MemoryStore(location, readonly=readonly)
    path = sqlite_path(location)
    if readonly and path is not None and path != ":memory:":
        from .sqlite_read import SqliteReadStore
        return SqliteReadStore(path, location=shown)
    if path is not None and not is_url(location):
        url = "sqlite:///" + os.path.abspath(path)
    elif re.match(r"^postgres(ql)?://", location):
        # SQLAlchemy's default driver for postgresql:// is psycopg2; kctl ships psycopg 3
        url = "postgresql+psycopg://" + location.split("://", 1)[1]
    else:
        url = location
    from .sql import SqlStore
    return SqlStore(url, location=shown, readonly=readonly)
