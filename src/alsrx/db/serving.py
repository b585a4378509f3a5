"""The mark a running server (or worker) leaves on its database, so that `alsrx restore` does
not pull the database out from under it.

SQLite: a shared lock (flock) on the file `<database>.serving` beside the database. PostgreSQL:
a shared advisory lock, keyed by the schema, held on a connection of its own. Either is
released by the kernel or the database when the process ends, however it ends (a SIGKILLed
server leaves no stale mark). A restore takes the same lock exclusively and keeps it while it
runs, so it fails at once while any server holds the mark, and a server starting meanwhile
waits for the restore to finish.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

LOCK_CLASS = 0x616C7378  # "alsx": our advisory locks apart from anyone else's
_KEY = f"{LOCK_CLASS}, hashtext(current_schema())"
_SHARED = text(f"SELECT pg_advisory_lock_shared({_KEY})")
_TRY_EXCLUSIVE = text(f"SELECT pg_try_advisory_lock({_KEY})")
SUFFIXES = ("-wal", "-shm", "-journal")


def lock_path(url: URL) -> str | None:
    """The mark's file for a SQLite database file; None for an in-memory database."""
    database = url.database or ""
    return None if database in ("", ":memory:") else f"{database}.serving"


def make_private(url: URL) -> None:
    """Make a SQLite database file (and its -wal, -shm) its owner's alone. New files are made
    so under the CLI's umask; this catches a database created before, whose mode SQLite would
    also give to the -wal and -shm files it makes."""
    if lock_path(url) is None:
        return
    for path in (url.database or "", *(f"{url.database}{suffix}" for suffix in SUFFIXES)):
        if os.path.exists(path) and os.stat(path).st_mode & 0o077:
            os.chmod(path, 0o600)


@contextmanager
def hold(engine: Engine) -> Iterator[None]:
    """Mark the database as served for as long as the block runs (and, for SQLite, make its
    files private first)."""
    if engine.dialect.name == "sqlite":
        make_private(engine.url)
        with _flock(lock_path(engine.url), fcntl.LOCK_SH):
            yield
        return
    with _own_connection(engine.url) as conn:
        conn.execute(_SHARED)
        yield


@contextmanager
def exclusive(url: str) -> Iterator[bool]:
    """Take the mark exclusively for the block: True when no server holds it."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        try:
            with _flock(lock_path(parsed), fcntl.LOCK_EX | fcntl.LOCK_NB):
                yield True
        except BlockingIOError:
            yield False
        return
    with _own_connection(parsed) as conn:
        yield bool(conn.execute(_TRY_EXCLUSIVE).scalar())


@contextmanager
def _flock(path: str | None, how: int) -> Iterator[None]:
    if path is None:
        yield
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, how)  # BlockingIOError at once when LOCK_NB and held
        yield
    finally:
        os.close(fd)  # closing releases the lock


@contextmanager
def _own_connection(url: URL) -> Iterator[Connection]:
    """A connection outside the app's pool: the lock lives as long as it does, and no pooled
    connection is kept from requests. Autocommit, so it never idles inside a transaction."""
    engine = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()
