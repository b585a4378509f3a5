"""Simulated months of home follow-up through the services, with the day passed in.

Each scenario lives through weeks of session logs and reassessments and checks the sequence of
alerts and proposals: good tolerance -> progress; rising fatigue -> warnings then a step down;
a red flag -> an urgent alert, "stop now" and a pause; declining function -> course alerts and a
new draft that no longer walks; drop-out -> adherence and silence alerts, reassessment due.
"""

import datetime as dt

import pytest
from sqlalchemy import select
from tests.conftest import NORMAL_ITEMS
from tests.db_fixtures import build_world

from alsrx.db import models
from alsrx.db.session import transaction
from alsrx.services import actor as actor_mod
from alsrx.services import followup, prescriptions, session_logs

D0 = dt.date(2026, 3, 2)  # a Monday
VISIT = {
    "date": D0.isoformat(),
    "alsfrs_r": dict(NORMAL_ITEMS, q8_walking=3),
    "fvc_l": 4.2,
    "resting_hr_bpm": 70,
    "mep_cmh2o": 90,
    "mrc": {"knee_extension_left": 4},
}


class Clinic:
    def __init__(self, factory):
        self.factory = factory
        self.world = build_world(factory, None)
        with transaction(factory, write=False) as s:
            self.clinician = self._actor(s, "clinician")
            self.patient = self._actor(s, "patient")
        self.pid = self.world.patient_a

    @staticmethod
    def _actor(session, name):
        user = session.scalars(select(models.User).where(models.User.username == name)).one()
        return actor_mod.load(session, user)

    def assess(self, day, **changes):
        with transaction(self.factory) as s:
            _, alerts = followup.record_assessment(
                s, self.clinician, self.pid, dict(VISIT, date=day.isoformat(), **changes), today=day
            )
            return [a.code for a in alerts]

    def start_plan(self, day):
        with transaction(self.factory) as s:
            draft = prescriptions.draft(s, self.clinician, self.pid, today=day)
            s.flush()
            prescriptions.approve(
                s,
                self.clinician,
                draft.id,
                if_match=None,
                today=day,
                acknowledged=prescriptions.points(draft.content),
            )

    def log(self, day, **body):
        body = {"component": "aerobic", "date": day.isoformat(), **body}
        with transaction(self.factory) as s:
            _, alerts = session_logs.log_session(s, self.patient, self.pid, body, today=day)
            return [a.code for a in alerts]

    def scan(self, day):
        with transaction(self.factory) as s:
            return [
                a.code for a in followup.scan(s, None, s.get(models.Patient, self.pid), today=day)
            ]

    def proposals(self):
        with transaction(self.factory, write=False) as s:
            rows = s.scalars(
                select(models.Prescription)
                .where(models.Prescription.status == "draft")
                .order_by(models.Prescription.created_at)
            ).all()
            return [(r.proposal["kind"], r.content) for r in rows if r.proposal]

    def approve_latest_proposal(self, day):
        with transaction(self.factory) as s:
            draft = s.scalars(
                select(models.Prescription)
                .where(models.Prescription.status == "draft")
                .order_by(models.Prescription.created_at.desc())
            ).first()
            prescriptions.approve(
                s,
                self.clinician,
                draft.id,
                if_match=None,
                today=day,
                acknowledged=prescriptions.points(draft.content),
            )
            return draft.id


@pytest.fixture
def clinic(factory):
    clinic = Clinic(factory)
    clinic.assess(D0)
    clinic.start_plan(D0)
    return clinic


def planned_week(clinic, week):
    """Every session the active plan asks for in one week, as (day, component)."""
    with transaction(clinic.factory, write=False) as s:
        _, plan = followup.active_plan(s, clinic.pid, today=D0 + dt.timedelta(weeks=week))
    monday = D0 + dt.timedelta(weeks=week)
    for c in plan.components:
        for i in range(c.sessions_per_week_min):
            yield monday + dt.timedelta(days=(i * 7) // max(c.sessions_per_week_min, 1)), c.type


def test_good_tolerance_and_adherence_propose_the_next_phase_which_then_becomes_the_plan(clinic):
    raised = []
    for week in range(4):
        for day, component in planned_week(clinic, week):
            raised += clinic.log(day, component=component, rpe=12, fatigue_recovery_min=5)
    assert raised == []
    assert clinic.scan(D0 + dt.timedelta(days=27)) == [] and clinic.proposals() == []
    assert clinic.scan(D0 + dt.timedelta(days=28)) == []
    ((kind, content),) = clinic.proposals()
    assert kind == "progress" and content["current_week"] == 5
    new_id = clinic.approve_latest_proposal(D0 + dt.timedelta(days=28))
    with transaction(clinic.factory, write=False) as s:
        assert prescriptions.active(s, clinic.pid).id == new_id


def test_rising_fatigue_warns_then_proposes_a_step_down(clinic):
    first = clinic.log(D0 + dt.timedelta(days=1), fatigue_recovery_min=20)
    # 25, not past 30 min: that would be overwork, a signal of its own.
    second = clinic.log(D0 + dt.timedelta(days=3), fatigue_recovery_min=25)
    assert first == ["fatigue_prolonged"] and second == ["fatigue_repeated"]
    assert [k for k, _ in clinic.proposals()] == ["step_down"]


def test_a_red_flag_is_urgent_and_pauses_the_plan(clinic):
    codes = clinic.log(D0 + dt.timedelta(days=2), symptoms=["chest_pain"], completed="partial")
    assert codes == ["red_flag"]
    ((kind, content),) = clinic.proposals()
    assert kind == "pause" and [c["type"] for c in content["components"]] == ["flexibility"]
    with transaction(clinic.factory, write=False) as s:
        alert = s.scalars(select(models.Alert)).one()
        assert alert.severity == "urgent" and alert.data["symptoms"] == ["chest_pain"]


def test_declining_function_raises_course_alerts_and_a_draft_that_no_longer_walks(clinic):
    later = D0 + dt.timedelta(days=92)
    assert "reassessment_due" in clinic.scan(later)
    codes = clinic.assess(
        later,
        alsfrs_r=dict(NORMAL_ITEMS, q8_walking=1, q9_climbing_stairs=1, q7_turning_in_bed=2),
        fvc_l=3.9,
    )
    assert {"alsfrs_r_decline", "walking_lost", "mitos_stage_changed"} <= set(codes)
    kinds = [k for k, _ in clinic.proposals()]
    assert "represcribe" in kinds
    content = dict(clinic.proposals())["represcribe"]
    aerobic = next(c for c in content["components"] if c["type"] == "aerobic")
    assert "walking" not in aerobic["modalities"] and "arm_ergometer" in aerobic["modalities"]


def test_drop_out_raises_adherence_and_silence_alerts_once(clinic):
    clinic.log(D0 + dt.timedelta(days=1))
    day = D0 + dt.timedelta(days=29)
    codes = clinic.scan(day)
    assert {"adherence_low", "no_sessions_logged"} <= set(codes)
    assert clinic.scan(day + dt.timedelta(days=1)) == []  # not repeated while open


def test_a_plans_logs_read_back_field_for_field_as_they_were_logged(clinic):
    """The rules read the plan's logs through one prebuilt statement unpacked by position:
    every field must land where it was logged, whatever order the table keeps its columns."""
    day = D0 + dt.timedelta(days=2)
    clinic.log(
        day,
        completed="partial",
        duration_min=17,
        avg_hr_bpm=101,
        max_hr_bpm=118,
        rpe=13,
        fatigue_recovery_min=25,
        symptoms=["cramps", "dizziness"],
    )
    clinic.log(day + dt.timedelta(days=1), completed="skipped", skip_reason="a cold")
    with transaction(clinic.factory, write=False) as s:
        row, _ = followup.active_plan(s, clinic.pid, today=day)
        stored = s.scalars(
            select(models.SessionLog)
            .where(models.SessionLog.prescription_id == row.id)
            .order_by(models.SessionLog.date)
        ).all()
        read = followup.logs(s, clinic.pid, row.id, since=day)
        assert read == [followup.to_domain(log) for log in stored]
        assert followup.logs(s, clinic.pid, row.id, since=day + dt.timedelta(days=1)) == read[1:]
    partial, skipped = read
    assert (partial.completed, partial.duration_min, partial.avg_hr_bpm) == ("partial", 17, 101)
    assert (partial.max_hr_bpm, partial.rpe, partial.fatigue_recovery_min) == (118, 13, 25)
    assert partial.symptoms == ("cramps", "dizziness")
    assert (skipped.completed, skipped.skip_reason, skipped.date) == (
        "skipped",
        "a cold",
        day + dt.timedelta(days=1),
    )
