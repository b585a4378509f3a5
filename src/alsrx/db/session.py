"""Engines and transactions.

SQLite (the embedded default) is opened in WAL mode with synchronous=FULL, so that a commit
acknowledged to a client survives power loss, with foreign keys on and a busy timeout; each
write transaction starts with BEGIN IMMEDIATE so writers queue instead of failing late
(reliability-security 4.1). PostgreSQL keeps its durable defaults (synchronous_commit=on).
The edge (request or command) owns the transaction: `transaction(engine)` commits once at the
end or rolls everything back.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=10000",
)


def make_engine(url: str, **kwargs: Any) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)
        _sqlite_setup(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # let SQLAlchemy's BEGIN below take effect
        cursor = dbapi_conn.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


WRITE_OPTION = "alsrx_write"


_WRITE_LOCKS: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()


def _write_lock(factory: sessionmaker[Session]) -> threading.Lock | None:
    """SQLite has one writer at a time; queueing writers on a lock in this process avoids
    SQLite's busy handler, which sleeps in steps of up to 100 ms and wrecks tail latency.
    (`alsrx serve` refuses several worker processes on SQLite, so one lock covers all.)"""
    engine = factory.kw.get("bind")
    if not isinstance(engine, Engine) or engine.dialect.name != "sqlite":
        return None
    return _WRITE_LOCKS.setdefault(engine, threading.Lock())


@contextmanager
def transaction(factory: sessionmaker[Session], *, write: bool = True) -> Iterator[Session]:
    """One unit of work: commit at the end, roll back on any error.

    Write transactions take SQLite's write lock at BEGIN (IMMEDIATE), so two writers never
    both read the audit head and then fail on upgrade; reads stay concurrent."""
    lock = _write_lock(factory) if write else None
    with lock if lock is not None else nullcontext():
        session = factory()
        try:
            session.connection(execution_options={WRITE_OPTION: write})
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
