"""The daily jobs on a schedule, on SQLite and PostgreSQL, with a frozen clock: a day's run
happens once however many runners race for it, a failure is recorded and retried, a missed
day is run at the next start, and the jobs really do their work."""

import datetime as dt
import threading

from sqlalchemy import func, insert, select, text
from tests.db_fixtures import AUDIT_KEY, build_world
from tests.integration.test_migrations_and_backup import alsrx

from alsrx import scheduler
from alsrx.db import models
from alsrx.db.session import make_engine, session_factory, transaction
from alsrx.services import jobs

AT = dt.time(2, 30)
LOCAL = dt.timezone(dt.timedelta(hours=8))  # the clinic's local time, not UTC


def frozen(*args: int):
    moment = dt.datetime(*args, tzinfo=LOCAL)
    return lambda: moment


def runs(factory):
    with transaction(factory, write=False) as s:
        rows = s.scalars(select(models.JobRun).order_by(models.JobRun.day, models.JobRun.job))
        return [(r.job, r.day, r.status, r.attempts, r.outcome, r.counts) for r in rows]


def test_the_due_day_is_today_once_the_time_has_passed_and_yesterday_before():
    assert scheduler.due_day(frozen(2026, 12, 1, 2, 30)(), AT) == dt.date(2026, 12, 1)
    assert scheduler.due_day(frozen(2026, 12, 1, 2, 29)(), AT) == dt.date(2026, 11, 30)


def test_two_runners_racing_for_the_same_days_run_each_day_once(db_url, factory):
    build_world(factory, None)
    servers = [
        session_factory(make_engine(db_url), audit_key=AUDIT_KEY) for _ in range(2)
    ]  # two processes' pools
    ran: list[scheduler.Run] = []
    days = [dt.date(2026, 12, 1) + dt.timedelta(days=n) for n in range(6)]
    for day in days:
        start = threading.Barrier(2)
        clock = frozen(day.year, day.month, day.day, 3, 0)

        def runner(own, name, clock=clock, start=start):
            start.wait()
            ran.extend(scheduler.tick(own, at=AT, clock=clock, runner=name))

        threads = [
            threading.Thread(target=runner, args=(f, f"server-{i}")) for i, f in enumerate(servers)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    assert sorted((r.job, r.day) for r in ran) == sorted(
        (job, day) for job in scheduler.JOBS for day in days
    ), "a day's job ran twice, or not at all"
    assert {(status, attempts) for _, _, status, attempts, _, _ in runs(factory)} == {("ok", 1)}
    for f in servers:
        f.kw["bind"].dispose()


def test_a_day_already_run_is_not_run_again_by_a_later_tick(db_url, factory):
    build_world(factory, None)
    clock = frozen(2026, 12, 1, 9, 0)
    assert len(scheduler.tick(factory, at=AT, clock=clock)) == 2
    assert scheduler.tick(factory, at=AT, clock=clock) == []
    assert scheduler.tick(factory, at=AT, clock=frozen(2026, 12, 2, 2, 0)) == []


def test_a_missed_day_is_run_at_the_next_start_before_the_days_time(db_url, factory):
    build_world(factory, None)
    # The server was down on 1 December; it starts on the 2nd at 01:00, before 02:30.
    done = scheduler.tick(factory, at=AT, clock=frozen(2026, 12, 2, 1, 0))
    assert {(r.job, r.day) for r in done} == {(j, dt.date(2026, 12, 1)) for j in scheduler.JOBS}


def test_a_failed_run_is_recorded_and_retried_at_the_next_tick(db_url, factory, engine):
    build_world(factory, None)
    clock = frozen(2026, 12, 1, 3, 0)
    with engine.begin() as conn:  # the purge's table is gone for a while
        conn.execute(text("ALTER TABLE idempotency_keys RENAME TO idempotency_keys_away"))
    first = {r.job: r for r in scheduler.tick(factory, at=AT, clock=clock)}
    assert first["followup-scan"].outcome is None
    assert first["purge-idempotency-keys"].outcome in {"OperationalError", "ProgrammingError"}
    status = alsrx(["jobs", "status"], db_url)
    assert status.returncode == 0
    line = next(x for x in status.stdout.splitlines() if "purge-idempotency-keys" in x)
    assert "failed" in line and "attempts=1" in line
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE idempotency_keys_away RENAME TO idempotency_keys"))
    again = scheduler.tick(factory, at=AT, clock=frozen(2026, 12, 1, 3, 1))
    assert [(r.job, r.outcome) for r in again] == [("purge-idempotency-keys", None)]
    purge = [r for r in runs(factory) if r[0] == "purge-idempotency-keys"]
    assert [(status, attempts) for _, _, status, attempts, _, _ in purge] == [("ok", 2)]


def test_a_run_left_running_by_a_dead_process_is_taken_over_once_stale(db_url, factory):
    build_world(factory, None)
    day, started = dt.date(2026, 12, 1), dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC)
    with transaction(factory) as s:
        assert jobs.claim(s, "followup-scan", day=day, now=started, runner="dead:1")
    soon = started + dt.timedelta(minutes=10)
    with transaction(factory) as s:
        assert not jobs.claim(s, "followup-scan", day=day, now=soon, runner="live:2")
    later = started + jobs.STALE_AFTER
    with transaction(factory) as s:
        assert jobs.claim(s, "followup-scan", day=day, now=later, runner="live:2")


def test_the_jobs_raise_the_days_alerts_and_purge_old_keys(db_url, factory):
    world = build_world(factory, None)
    now = dt.datetime(2026, 12, 1, 3, 0, tzinfo=LOCAL)
    with transaction(factory) as s:
        user = s.scalar(select(models.User.id).where(models.User.username == "patient"))
        for key, days in {"fresh": 1, "old": 31}.items():
            s.execute(
                insert(models.IdempotencyKey.__table__).values(
                    user_id=user,
                    key=key,
                    request_hash="h",
                    status="done",
                    created_at=now - dt.timedelta(days=days),
                )
            )
    done = {r.job: r for r in scheduler.tick(factory, at=AT, clock=lambda: now)}
    assert done["followup-scan"].counts == {"patients": 2, "alerts": 2, "failed": 0}
    assert done["purge-idempotency-keys"].counts == {"purged": 1}
    with transaction(factory, write=False) as s:
        alerts = s.execute(
            select(models.Alert.patient_id, models.Alert.code, models.Alert.raised_on)
        )
        assert sorted(alerts) == sorted(
            (p, "assessment_missing", dt.date(2026, 12, 1))
            for p in (world.patient_a, world.patient_b)
        )
        assert list(s.scalars(select(models.IdempotencyKey.key))) == ["fresh"]
        assert s.scalar(select(func.count()).select_from(models.JobRun)) == 2
