"""The statements of the two hottest writes, and of the daily scan, use the indexes meant for
them on SQLite.

SQLite plans without statistics (no ANALYZE is run), so an index on a low-selectivity column
can win over the patient's: the active-plan lookup once walked every active prescription of
the deployment through the status index, and the five-week log window every log of the
patient, sorted. Each SELECT of a logged session, a recorded assessment and a scan is captured
from a real run and explained: none may walk a whole table, use the status index, or sort.
"""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from sqlalchemy import event, select
from tests.db_fixtures import AUDIT_KEY, build_world
from tests.integration.test_followup_simulation import VISIT

from alsrx.db import models
from alsrx.db.session import make_engine, session_factory, transaction
from alsrx.services import actor as actor_mod
from alsrx.services import followup, prescriptions, session_logs

DAY = dt.date(2026, 3, 2)


@pytest.fixture
def clinic(sqlite_template, tmp_path):
    path = tmp_path / "plans.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    factory = session_factory(engine, audit_key=AUDIT_KEY)
    world = build_world(factory, None)
    with transaction(factory) as s:
        users = {u.username: u for u in s.scalars(select(models.User))}
        clinician = actor_mod.load(s, users["clinician"])
        patient = actor_mod.load(s, users["patient"])
        followup.record_assessment(s, clinician, world.patient_a, VISIT, today=DAY)
        draft = prescriptions.draft(s, clinician, world.patient_a, today=DAY)
        s.flush()
        prescriptions.approve(
            s,
            clinician,
            draft.id,
            if_match=None,
            today=DAY,
            acknowledged=prescriptions.points(draft.content),
        )
    yield engine, factory, world.patient_a, clinician, patient
    engine.dispose()


def explained(engine, run):
    """Run the write, then EXPLAIN QUERY PLAN each SELECT it issued, with its parameters."""
    seen = []

    def grab(conn, cursor, statement, params, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, params))

    event.listen(engine, "before_cursor_execute", grab)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", grab)
    with engine.connect() as conn:
        return [
            (
                statement,
                [
                    row[-1]
                    for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params)
                ],
            )
            for statement, params in seen
        ]


def assert_indexed(plans):
    assert plans, "no statement was captured"
    for statement, steps in plans:
        text = " | ".join(steps)
        assert all(step.startswith("SEARCH") for step in steps), f"{text}\n  for {statement}"
        assert "ix_prescriptions_status" not in text, f"{text}\n  for {statement}"
        assert "TEMP B-TREE" not in text, f"{text}\n  for {statement}"


def test_a_logged_session_reads_only_through_the_indexes_meant_for_it(clinic):
    engine, factory, pid, _, patient = clinic

    def log():
        with transaction(factory) as s:
            session_logs.log_session(
                s, patient, pid, {"component": "aerobic", "rpe": 12}, today=DAY
            )

    log()  # a first log, so that the second reads a non-empty window
    assert_indexed(explained(engine, log))


def test_a_recorded_assessment_reads_only_through_the_indexes_meant_for_it(clinic):
    engine, factory, pid, clinician, _ = clinic

    def assess():
        with transaction(factory) as s:
            followup.record_assessment(s, clinician, pid, VISIT, today=DAY)

    assert_indexed(explained(engine, assess))


def test_a_session_log_that_meets_an_open_proposal_reads_only_through_its_indexes(clinic):
    """A red flag proposes a pause; the next one finds that proposal open (the check that ran
    on every log once a proposal was open)."""
    engine, factory, pid, _, patient = clinic
    body = {"component": "aerobic", "symptoms": ["chest_pain"]}

    def log():
        with transaction(factory) as s:
            session_logs.log_session(s, patient, pid, body, today=DAY)

    log()
    plans = explained(engine, log)
    assert any("origin" in statement for statement, _ in plans), "the open proposal was not read"
    assert_indexed(plans)


def test_the_daily_scan_reads_only_through_the_indexes_meant_for_it(clinic):
    engine, factory, pid, _, patient = clinic
    with transaction(factory) as s:
        session_logs.log_session(s, patient, pid, {"component": "aerobic"}, today=DAY)

    def scan():
        with transaction(factory) as s:
            followup.scan(s, None, s.get(models.Patient, pid), today=DAY + dt.timedelta(days=9))

    assert_indexed(explained(engine, scan))
