"""Engines and transactions.

SQLite (the embedded default) is opened in WAL mode with synchronous=FULL, so that a commit
acknowledged to a client survives power loss, with foreign keys on and a busy timeout; each
write transaction starts with BEGIN IMMEDIATE so writers queue instead of failing late
(reliability-security 4.1). A write that still finds the lock taken when the busy timeout ends
(another process holds it: a CLI command, a restore, a stuck script) raises ServiceUnavailable,
answered 503 with Retry-After, instead of an unexplained 500. PostgreSQL keeps its durable
defaults (synchronous_commit=on).
The edge (request or command) owns the transaction: `transaction(engine)` commits once at the
end or rolls everything back.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, cast

from sqlalchemy import Engine, Insert, Table, create_engine, event, insert
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from alsrx.errors import ServiceUnavailable

# Writers of this process queue on Writer's lock, not on SQLite's busy handler, so the busy
# timeout only ever waits for another process. Their write transactions (CLI commands) take
# milliseconds; 2 s covers them with room, while the waiting request holds this process's
# writer lock and so stalls every other write: 10 s (the old value) stalled the server for 10 s
# and then failed anyway. Past it the client is told to retry (503, Retry-After).
BUSY_TIMEOUT_MS = 2000
RETRY_AFTER_S = 2
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
)


def make_engine(url: str, **kwargs: Any) -> Engine:
    # hide_parameters: a statement's parameters are patient data; no error message holds them.
    kwargs.setdefault("hide_parameters", True)
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


AUDIT_KEY = "alsrx_audit_key"


def session_factory(engine: Engine, *, audit_key: str | None) -> sessionmaker[Session]:
    """Sessions whose `info` carries the audit MAC key (services/audit.py reads it there): the
    key travels with the transaction the edge opens, not in a global. None: a session that
    can read but not write the audit trail; writing an event then raises Misconfigured."""
    key = audit_key.encode("utf-8") if audit_key is not None else None
    return sessionmaker(engine, expire_on_commit=False, info={AUDIT_KEY: key})


WRITE_OPTION = "alsrx_write"


class Writer:
    """The one SQLite writer of this process: a lock, and the group commit holding it, if any.

    SQLite has one writer at a time; queueing writers on a lock in this process avoids SQLite's
    busy handler, which sleeps in steps of up to 100 ms and wrecks tail latency. (`alsrx serve`
    refuses several worker processes on SQLite, so one lock covers all.) A group commit
    (db/group_commit.py) keeps the lock across a turn of the event loop; a transaction started
    meanwhile on that same thread commits the group first, or it would wait for itself."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._holder: Callable[[], None] | None = None
        self._holder_thread: int | None = None

    def acquire(self) -> None:
        if self._holder is not None and self._holder_thread == threading.get_ident():
            self._holder()
        self._lock.acquire()

    def release(self) -> None:
        self._lock.release()

    def held_by(self, flush: Callable[[], None] | None) -> None:
        """Record (or, with None, clear) the group commit that holds the lock on this thread."""
        self._holder = flush
        self._holder_thread = threading.get_ident() if flush is not None else None


_WRITERS: weakref.WeakKeyDictionary[Engine, Writer] = weakref.WeakKeyDictionary()


def writer(factory: sessionmaker[Session]) -> Writer | None:
    """The process's writer for a SQLite engine; None for PostgreSQL (row locks suffice)."""
    engine = factory.kw.get("bind")
    if not isinstance(engine, Engine) or engine.dialect.name != "sqlite":
        return None
    return _WRITERS.setdefault(engine, Writer())


_INSERTS: dict[Table, Insert] = {}


def insert_copy(session: Session, row: DeclarativeBase) -> None:
    """Store a transient ORM object with one prebuilt Core INSERT, every column as set on it
    (defaults are not applied: set them). For the busiest writes, where the ORM unit of work
    cost more than the insert; the object stays transient, a read-only copy of the row."""
    table = cast(Table, row.__table__)  # declared as a FromClause; a mapped class has a Table
    statement = _INSERTS.get(table)
    if statement is None:
        statement = _INSERTS.setdefault(table, insert(table))
    values = {column.key: getattr(row, column.key) for column in table.columns}
    session.connection().execute(statement, values)


def locked(exc: BaseException) -> bool:
    """SQLite's "database is locked" (SQLITE_BUSY) after the busy timeout."""
    return isinstance(exc, OperationalError) and "locked" in str(exc.orig).lower()


def unavailable() -> ServiceUnavailable:
    return ServiceUnavailable(
        "the database is busy with another program; retry shortly", retry_after=RETRY_AFTER_S
    )


def begin(factory: sessionmaker[Session], *, write: bool) -> Session:
    """A session whose transaction has begun (BEGIN IMMEDIATE for SQLite writes)."""
    session = factory()
    try:
        session.connection(execution_options={WRITE_OPTION: write})
    except OperationalError as exc:
        session.close()
        if locked(exc):
            raise unavailable() from None
        raise
    except BaseException:
        session.close()
        raise
    return session


@contextmanager
def transaction(factory: sessionmaker[Session], *, write: bool = True) -> Iterator[Session]:
    """One unit of work: commit at the end, roll back on any error.

    Write transactions take SQLite's write lock at BEGIN (IMMEDIATE), so two writers never
    both read the audit head and then fail on upgrade; reads stay concurrent."""
    lock = writer(factory) if write else None
    if lock is not None:
        lock.acquire()
    try:
        session = begin(factory, write=write)
        try:
            yield session
            session.commit()
        except OperationalError as exc:
            session.rollback()
            if locked(exc):
                raise unavailable() from None
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
    finally:
        if lock is not None:
            lock.release()
