"""Group commit on SQLite (db/group_commit.py): writes that share a commit stay separate units,
none is answered before it is durable, and nothing else on the thread waits for itself."""

from __future__ import annotations

import asyncio
import shutil
import threading

import pytest
from sqlalchemy import event, func, insert, select
from tests.db_fixtures import AUDIT_KEY

from alsrx.db import models
from alsrx.db.group_commit import GroupCommit
from alsrx.db.session import make_engine, session_factory, transaction, writer

CENTRES = models.Centre.__table__


@pytest.fixture
def factory(sqlite_template, tmp_path):
    path = tmp_path / "g.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    yield session_factory(engine, audit_key=AUDIT_KEY)
    engine.dispose()


def add_centre(name):
    def work(session):
        session.connection().execute(insert(CENTRES).values(name=name))
        return name

    return work


def fail_after(name):
    def work(session):
        add_centre(name)(session)
        raise ValueError("refused after writing")

    return work


def names(factory):
    with transaction(factory, write=False) as s:
        return set(s.execute(select(CENTRES.c.name)).scalars())


def test_concurrent_writes_share_one_commit_and_each_is_stored_once_answered(factory):
    group = GroupCommit(factory, writer(factory))
    commits = []
    event.listen(factory.kw["bind"], "commit", lambda conn: commits.append(conn))

    async def scenario():
        return await asyncio.gather(*(group.run(add_centre(f"c{i}")) for i in range(8)))

    assert asyncio.run(scenario()) == [f"c{i}" for i in range(8)]
    assert len(commits) == 1
    assert names(factory) == {f"c{i}" for i in range(8)}


def test_a_failing_write_is_rolled_back_alone_and_answered_with_its_error(factory):
    group = GroupCommit(factory, writer(factory))

    async def scenario():
        return await asyncio.gather(
            group.run(add_centre("kept-1")),
            group.run(fail_after("undone")),
            group.run(add_centre("kept-2")),
            return_exceptions=True,
        )

    first, failed, last = asyncio.run(scenario())
    assert (first, last) == ("kept-1", "kept-2")
    assert isinstance(failed, ValueError)
    assert names(factory) == {"kept-1", "kept-2"}


def test_a_failed_commit_answers_every_write_of_the_group_with_the_error_and_keeps_none(factory):
    group = GroupCommit(factory, writer(factory))

    def orphan(session):
        # Checked at COMMIT: this user points at a centre that does not exist.
        session.connection().exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        session.connection().execute(
            insert(models.UserCentre.__table__).values(user_id=999, centre_id=999)
        )
        return "orphan"

    async def scenario():
        return await asyncio.gather(
            group.run(add_centre("lost")), group.run(orphan), return_exceptions=True
        )

    outcomes = asyncio.run(scenario())
    assert all(isinstance(o, Exception) for o in outcomes), outcomes
    assert names(factory) == set()


def test_a_transaction_started_while_a_group_is_open_commits_the_group_first(factory):
    group = GroupCommit(factory, writer(factory))

    async def scenario():
        pending = asyncio.ensure_future(group.run(add_centre("grouped")))
        await asyncio.sleep(0)  # the write ran; its group is open and holds the writer
        assert not pending.done()
        with transaction(factory) as s:  # same thread: would wait for itself forever
            s.connection().execute(insert(CENTRES).values(name="alone"))
        assert await pending == "grouped"
        with transaction(factory, write=False) as s:
            return s.execute(select(func.count()).select_from(CENTRES)).scalar()

    # In a thread of its own: a writer waiting for itself would block, not raise.
    result = []
    runner = threading.Thread(target=lambda: result.append(asyncio.run(scenario())), daemon=True)
    runner.start()
    runner.join(timeout=20)
    assert result == [2], "the transaction waited for the open group"
