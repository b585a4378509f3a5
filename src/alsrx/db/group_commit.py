"""Group commit: concurrent API writes of one SQLite server share one transaction and one fsync.

With synchronous=FULL every commit waits for the disk, and the server runs SQLite work inline
on its event loop (web/deps.blocking), so each commit used to stall every other request. Here
the first write opens a transaction and schedules its commit for a later turn of the event
loop; every write that arrives before then joins it. Each write runs in its own SAVEPOINT, so
one that fails is rolled back alone and answered at once; the others are answered only after
the commit that made them durable, so an acknowledged write survives a crash or power loss as
before. If the commit fails, every write of the group gets the error and none is acknowledged.

Writes stay serial (one writer, one thread), so the audit chain and row locks see the same
order as before. Another transaction started on this thread while a group is open commits the
group first (db/session.Writer). PostgreSQL does not use this: its server commits per request
from worker threads, and several app processes share one database.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.orm import Session, sessionmaker

from alsrx.db.session import Writer, begin

T = TypeVar("T")

# Event-loop turns a group stays open: requests whose bodies arrive in the meantime join it.
# Two turns let the writes that became ready while the first one ran catch the same commit.
TURNS = 2


class GroupCommit:
    def __init__(self, factory: sessionmaker[Session], writer: Writer) -> None:
        self._factory = factory
        self._writer = writer
        self._session: Session | None = None
        self._waiting: list[asyncio.Future[None]] = []

    async def run(self, work: Callable[[Session], T]) -> T:
        """Run the work in the open group (opening one if needed); return its result once the
        group's commit has made it durable."""
        session = self._open()
        savepoint = session.begin_nested()
        try:
            result = work(session)
            savepoint.commit()
        except BaseException:
            if savepoint.is_active:
                savepoint.rollback()
            raise
        durable = asyncio.get_running_loop().create_future()
        self._waiting.append(durable)
        await durable
        return result

    def _open(self) -> Session:
        if self._session is None:
            self._writer.acquire()
            try:
                self._session = begin(self._factory, write=True)
            except BaseException:
                self._writer.release()
                raise
            self._writer.held_by(self.flush)
            _later(asyncio.get_running_loop(), TURNS, self.flush)
        return self._session

    def flush(self) -> None:
        """Commit the open group (if any) and answer its writes."""
        session, waiting = self._session, self._waiting
        if session is None:
            return
        self._session, self._waiting = None, []
        self._writer.held_by(None)
        try:
            session.commit()
        except BaseException as exc:
            session.rollback()
            for durable in waiting:
                if not durable.done():
                    durable.set_exception(exc)
            return
        finally:
            session.close()
            self._writer.release()
        for durable in waiting:
            if not durable.done():
                durable.set_result(None)


def _later(loop: asyncio.AbstractEventLoop, turns: int, callback: Callable[[], None]) -> None:
    if turns <= 1:
        loop.call_soon(callback)
    else:
        loop.call_soon(_later, loop, turns - 1, callback)
