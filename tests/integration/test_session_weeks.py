"""The stored week tallies (session_weeks) through the services, on SQLite and PostgreSQL:
always equal to the recomputation from the logs, whatever the sequence of logs, undos and
approvals; an approval keeps the week's logs; an undo is windowed, audited and counted nowhere.
"""

import copy
import datetime as dt
import json
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text
from tests.conftest import NORMAL_ITEMS, valid_document
from tests.db_fixtures import PATIENT_A, build_world
from tests.integration.test_followup_simulation import VISIT

from alsrx.db import models
from alsrx.db.migrate import downgrade, upgrade
from alsrx.db.session import make_engine, session_factory, transaction
from alsrx.domain.followup import adherence, proposals
from alsrx.domain.prescription import engine as rx_engine
from alsrx.domain.prescription.params import EngineSettings
from alsrx.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from alsrx.intake import prescription_input
from alsrx.render import prescription_json
from alsrx.services import actor as actor_mod
from alsrx.services import (
    dashboard,
    followup,
    home_weeks,
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
            prescriptions.approve(
                s,
                self.clinician,
                draft.id,
                if_match=None,
                today=day,
                acknowledged=prescriptions.points(draft.content),
            )

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
        summary = home_weeks.weekly_summary(s, clinic.clinician, pid, today=today, weeks=4)
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
        summary = home_weeks.weekly_summary(s, clinic.clinician, pid, today=later, weeks=8)
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


def _engine_content(**changes):
    case = prescription_input.parse(valid_document(**changes), today=dt.date(2026, 11, 26))
    settings_ = EngineSettings()
    return prescription_json.to_json(rx_engine.prescribe(case, settings_), settings=settings_)


def _rows_as_of_0011(url, plans, logs):
    """A centre, a user, a patient, approved plans and session logs, as stored before 0012."""
    engine_ = make_engine(url)
    now = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    with engine_.begin() as conn:
        conn.execute(
            text("INSERT INTO centres (id, name, created_at) VALUES (1, 'C', :now)"), {"now": now}
        )
        conn.execute(
            text(
                "INSERT INTO users (id, username, password_hash, role, is_active, lang, "
                "created_at) VALUES (1, 'u', 'x', 'clinician', true, 'en', :now)"
            ),
            {"now": now},
        )
        conn.execute(
            text(
                "INSERT INTO patients (id, centre_id, code, research_id, sex, symptom_onset_date, "
                "beta_blocker, conditions, uses_ventilation_support, version, created_at) VALUES "
                "('p1', 1, 'A-1', 'r1', 'male', '2025-01-01', false, '[]', false, 1, :now)"
            ),
            {"now": now},
        )
        for rx_id, status, starts_on, content in plans:
            conn.execute(
                text(
                    "INSERT INTO prescriptions (id, patient_id, status, version, content, origin, "
                    "created_by, approved_at, starts_on, created_at) VALUES (:id, 'p1', :status, "
                    "1, :content, 'engine', 1, :at, :starts, :now)"
                ),
                {
                    "id": rx_id,
                    "status": status,
                    "content": json.dumps(content),
                    "at": dt.datetime.combine(starts_on, dt.time(9), dt.UTC),
                    "starts": starts_on,
                    "now": now,
                },
            )
        for i, (rx_id, day, kind, completed, extra) in enumerate(logs):
            conn.execute(
                text(
                    "INSERT INTO session_logs (id, patient_id, prescription_id, date, component, "
                    "completed, duration_min, avg_hr_bpm, rpe, fatigue_recovery_min, symptoms, "
                    "planned, filled_from_plan, entered_by, entered_as, created_at) VALUES "
                    "(:id, 'p1', :rx, :day, :kind, :completed, :minutes, :hr, :rpe, :fatigue, "
                    ":symptoms, :planned, false, 1, 'clinician', :now)"
                ),
                {
                    "id": f"log{i}",
                    "rx": rx_id,
                    "day": day,
                    "kind": kind,
                    "completed": completed,
                    "minutes": extra.get("minutes"),
                    "hr": extra.get("hr"),
                    "rpe": extra.get("rpe"),
                    "fatigue": extra.get("fatigue"),
                    "symptoms": json.dumps(extra.get("symptoms", [])),
                    "planned": json.dumps({"hr_max_bpm": 130, "hr_min_bpm": 100}),
                    "now": now,
                },
            )
    engine_.dispose()


def test_migration_0012_counts_the_logs_stored_before_it_as_the_service_would(db_url):
    downgrade(db_url, "0011")
    first = _engine_content()
    second = _engine_content(alsfrs_r=dict(NORMAL_ITEMS, q8_walking=1))
    later = D0 + dt.timedelta(days=9)  # a Friday: its week holds logs under both plans
    logs = [
        ("rx0", D0, "aerobic", "done", {"minutes": 15.5, "hr": 120, "rpe": 12}),
        ("rx0", D0 + dt.timedelta(days=1), "aerobic", "partial", {"hr": 140, "fatigue": 20}),
        ("rx0", D0 + dt.timedelta(days=7), "flexibility", "skipped", {"symptoms": ["cramps"]}),
        ("rx0", D0 + dt.timedelta(days=8), "aerobic", "done", {}),
        ("rx1", later, "flexibility", "done", {"minutes": 20}),
    ]
    plans = [("rx0", "superseded", D0, first), ("rx1", "active", later, second)]
    _rows_as_of_0011(db_url, plans, logs)
    upgrade(db_url)
    engine_ = make_engine(db_url)
    with transaction(session_factory(engine_, audit_key=None), write=False) as s:
        stored = session_weeks.stored(s, "p1")
        spans = session_weeks.spans(s, "p1")
        rows = s.scalars(select(models.SessionLog).order_by(models.SessionLog.id)).all()
        expected = session_weeks.recount(
            spans,
            [(followup.to_domain(r), False, session_weeks.target_hr(r.planned)) for r in rows],
        )
        weeks = [s.get(models.Prescription, rx).planned_weeks for rx in ("rx0", "rx1")]
    engine_.dispose()
    assert weeks == [adherence.schedule(first), adherence.schedule(second)]
    assert stored == expected and len(stored) == 3
    (aerobic,) = [t for t in stored if t.week == adherence.week_start(D0)]
    assert (aerobic.credited, aerobic.n("in_hr_range"), aerobic.n("seconds")) == (1.5, 1, 930)
