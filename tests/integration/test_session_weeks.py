"""The stored week tallies (session_weeks) through the services, on SQLite and PostgreSQL:
always equal to the recomputation from the logs, whatever the sequence of logs, undos and
approvals; an approval keeps the week's logs; an undo is windowed, audited and counted nowhere.
"""

import copy
import datetime as dt
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from tests.db_fixtures import PATIENT_A, build_world
from tests.integration.test_followup_simulation import VISIT

from alsrx.db import models
from alsrx.db.session import transaction
from alsrx.domain.followup import adherence, proposals
from alsrx.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from alsrx.services import actor as actor_mod
from alsrx.services import (
    dashboard,
    followup,
    patients,
    prescriptions,
    session_logs,
    session_weeks,
)

D0 = dt.date(2026, 3, 4)  # a Wednesday: the plan's weeks and ISO weeks differ


class Clinic:
    def __init__(self, factory):
        self.factory = factory
        self.world = build_world(factory, None)
        with transaction(factory, write=False) as s:
            self.actors = {u.username: actor_mod.load(s, u) for u in s.scalars(select(models.User))}
        self.clinician = self.actors["clinician"]

    def new_patient(self, day=D0):
        with transaction(self.factory) as s:
            body = dict(PATIENT_A, code=f"P-{uuid.uuid4().hex[:8]}")
            pid = patients.create(
                s, self.clinician, body, centre_id=self.world.centre_a, today=day
            ).id
        with transaction(self.factory) as s:
            followup.record_assessment(
                s, self.clinician, pid, dict(VISIT, date=day.isoformat()), today=day
            )
        self.approve(pid, day, "engine")
        return pid

    def approve(self, pid, day, variant):
        """Approve a new plan: the engine's again, a pause, or one asking one more aerobic
        session a week (a clinician's edit)."""
        with transaction(self.factory) as s:
            active = prescriptions.active(s, pid)
            if variant == "engine" or active is None:
                draft = prescriptions.draft(s, self.clinician, pid, today=day)
            else:
                content = (
                    proposals.pause(active.content)
                    if variant == "pause"
                    else _one_more(active.content)
                )
                draft = models.Prescription(
                    id=models.new_id(),
                    patient_id=pid,
                    status=prescriptions.DRAFT,
                    content=content,
                    created_by=self.clinician.user_id,
                )
                s.add(draft)
            s.flush()
            prescriptions.approve(s, self.clinician, draft.id, if_match=None, today=day)

    def log(self, pid, day, today, who="clinician", **body):
        with transaction(self.factory) as s:
            row, _ = session_logs.log_session(
                s, self.actors[who], pid, {"date": day.isoformat(), **body}, today=today
            )
            return row.id

    def undo(self, log_id, who="clinician", now=None):
        with transaction(self.factory) as s:
            session_logs.undo_session(s, self.actors[who], log_id, now=now or models.utcnow())

    def components(self, pid, today):
        with transaction(self.factory, write=False) as s:
            return [c.type for c in followup.active_plan(s, pid, today=today)[1].components]

    def stored(self, pid):
        with transaction(self.factory, write=False) as s:
            return session_weeks.stored(s, pid)

    def recomputed(self, pid):
        with transaction(self.factory, write=False) as s:
            rows = s.scalars(select(models.SessionLog).where(models.SessionLog.patient_id == pid))
            logs = [
                (
                    followup.to_domain(r),
                    r.undone_at is not None,
                    session_weeks.target_hr(r.planned),
                )
                for r in rows
            ]
            return session_weeks.recount(session_weeks.spans(s, pid), logs)


def _one_more(content):
    new = copy.deepcopy(content)
    for c in new["components"]:
        if c["type"] == "aerobic":
            for span in (
                c["sessions_per_week"],
                *(x["sessions_per_week"] for x in c["progression"]),
            ):
                span["min"] = span["min"] + 1
                span["max"] = max(span["max"], span["min"])
    return new


@pytest.fixture
def clinic(factory):
    return Clinic(factory)


LOG = st.tuples(
    st.just("log"),
    st.integers(0, 3),  # days back
    st.integers(0, 5),  # which of the plan's components
    st.sampled_from(["done", "partial", "skipped"]),
    st.none() | st.integers(6, 20),  # RPE
    st.none() | st.floats(0, 120, allow_nan=False),  # fatigue recovery
    st.none() | st.floats(0, 300, allow_nan=False),  # minutes
    st.none() | st.integers(60, 180),  # average heart rate
)
ACTIONS = st.lists(
    st.one_of(
        LOG,
        LOG,
        LOG,
        st.tuples(st.just("undo"), st.integers(0, 1000)),
        st.tuples(st.just("approve"), st.sampled_from(["engine", "pause", "one_more"])),
        st.tuples(st.just("advance"), st.integers(1, 6)),
    ),
    max_size=30,
)


def _body(completed, rpe, fatigue, minutes, hr):
    body = {"completed": completed}
    if completed == "skipped":
        return body | {"skip_reason": "tired"}
    extras = {"rpe": rpe, "fatigue_recovery_min": fatigue, "duration_min": minutes}
    return body | {k: v for k, v in (extras | {"avg_hr_bpm": hr}).items() if v is not None}


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=ACTIONS)
def test_the_stored_weeks_equal_a_recount_of_the_logs_after_any_logs_undos_and_plans(
    clinic, actions
):
    pid = clinic.new_patient()
    today, started, logged = D0, D0, []
    for action in actions:
        if action[0] == "log":
            _, back, which, completed, rpe, fatigue, minutes, hr = action
            kinds = clinic.components(pid, today)
            day = max(started, today - dt.timedelta(days=back))
            body = _body(completed, rpe, fatigue, minutes, hr)
            body["component"] = kinds[which % len(kinds)]
            logged.append(clinic.log(pid, day, today, **body))
        elif action[0] == "undo" and logged:
            clinic.undo(logged.pop(action[1] % len(logged)))
        elif action[0] == "approve":
            clinic.approve(pid, today, action[1])
            started = today
        elif action[0] == "advance":
            today += dt.timedelta(days=action[1])
    assert clinic.stored(pid) == clinic.recomputed(pid)


def test_approving_a_new_plan_keeps_the_weeks_logs_and_their_adherence(clinic):
    pid = clinic.new_patient(D0)
    monday = adherence.week_start(D0) + dt.timedelta(weeks=1)
    for day in (0, 1, 2):  # Monday to Wednesday, under the first plan
        clinic.log(
            pid,
            monday + dt.timedelta(days=day),
            monday + dt.timedelta(days=day),
            component="aerobic",
        )
    clinic.approve(pid, monday + dt.timedelta(days=3), "engine")
    today = monday + dt.timedelta(days=7)
    with transaction(clinic.factory, write=False) as s:
        summary = followup.weekly_summary(s, clinic.clinician, pid, today=today, weeks=4)
        (row,) = [r for r in dashboard.rows(s, clinic.clinician, today=today) if r.id == pid]
    aerobic = next(
        w
        for w in summary["weeks"]
        if w["week"] == monday.isoformat() and w["component"] == "aerobic"
    )
    assert (
        aerobic["done_sessions"] == 3 and aerobic["counted_sessions"] == aerobic["planned_sessions"]
    )
    assert summary["adherence_4_weeks"] is not None and summary["adherence_4_weeks"] > 0
    assert row.adherence == pytest.approx(summary["adherence_4_weeks"])


def test_the_history_covers_the_weeks_of_the_previous_plan(clinic):
    pid = clinic.new_patient(D0)
    clinic.log(pid, D0, D0, component="aerobic")
    later = D0 + dt.timedelta(weeks=3)
    clinic.log(pid, later, later, component="aerobic")
    clinic.approve(pid, later, "pause")
    with transaction(clinic.factory, write=False) as s:
        summary = followup.weekly_summary(s, clinic.clinician, pid, today=later, weeks=8)
        first_rx = session_weeks.spans(s, pid)[0].prescription_id
    weeks = {(w["week"], w["component"]): w for w in summary["weeks"]}
    first = weeks[(adherence.week_start(D0).isoformat(), "aerobic")]
    assert first["done_sessions"] == 1 and first["prescription_id"] == first_rx
    assert summary["prescription_id"] != first_rx
    paused = weeks[(adherence.week_start(later).isoformat(), "aerobic")]
    # The pause, in force at that week's end, plans none: the session stays, shown, uncounted.
    assert (paused["planned_sessions"], paused["done_sessions"]) == (0, 1)


def test_an_undo_within_the_window_is_audited_and_the_log_counts_nowhere(clinic):
    pid = clinic.new_patient(D0)
    kept = clinic.log(pid, D0, D0, component="aerobic", rpe=12)
    undone = clinic.log(pid, D0, D0, component="aerobic", rpe=12)
    clinic.undo(undone)
    with transaction(clinic.factory, write=False) as s:
        row = s.get(models.SessionLog, undone)
        event = s.scalars(
            select(models.AuditEvent)
            .where(models.AuditEvent.entity_id == undone)
            .order_by(models.AuditEvent.seq.desc())
        ).first()
        live = followup.logs(s, pid, since=D0)
        (tally,) = [t for t in session_weeks.stored(s, pid) if t.component == "aerobic"]
    assert (
        row is not None and row.undone_at is not None and row.undone_by == clinic.clinician.user_id
    )
    assert (event.action, event.actor_id, event.new["undone"]) == (
        "undo",
        clinic.clinician.user_id,
        True,
    )
    assert len(live) == 1 and (tally.n("done"), tally.n("rpe_n")) == (1, 1)
    assert kept != undone
    with pytest.raises(Conflict):
        clinic.undo(undone)


def test_an_undo_is_refused_after_the_window_to_others_and_outside_the_centre(clinic):
    pid = clinic.world.patient_a
    with transaction(clinic.factory) as s:
        followup.record_assessment(
            s, clinic.clinician, pid, dict(VISIT, date=D0.isoformat()), today=D0
        )
    clinic.approve(pid, D0, "engine")
    by_patient = clinic.log(pid, D0, D0, who="patient", component="aerobic")
    late = models.utcnow() + dt.timedelta(minutes=31)
    with pytest.raises(InvalidInput) as refused:
        clinic.undo(by_patient, who="patient", now=late)
    assert refused.value.errors[0].params == {"minutes": 30}
    with pytest.raises(PermissionDenied):
        clinic.undo(by_patient, who="caregiver")
    with pytest.raises(NotFound):
        clinic.undo(by_patient, who="clinician_b")
    clinic.undo(by_patient, who="patient")
