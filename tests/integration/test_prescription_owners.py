"""One owner per rule, through the services: approval of a range-of-motion-only plan, and the
dashboard's counted fast paths agreeing with the domain's adherence and reassessment rules."""

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import select
from tests.conftest import NORMAL_ITEMS
from tests.db_fixtures import build_world

from alsrx.db import models
from alsrx.db.session import transaction
from alsrx.domain import reassessment
from alsrx.domain.prescription.params import EngineSettings
from alsrx.services import actor as actor_mod
from alsrx.services import dashboard, followup, home_weeks, patients, prescriptions, session_logs

D0 = dt.date(2026, 3, 2)  # a Monday
VISIT = {
    "date": D0.isoformat(),
    "alsfrs_r": dict(NORMAL_ITEMS, q8_walking=3),
    "fvc_l": 4.2,
    "resting_hr_bpm": 70,
    "mep_cmh2o": 90,
    "mrc": {"knee_extension_left": 4, "knee_extension_right": 4},
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

    def assess(self, day):
        with transaction(self.factory) as s:
            followup.record_assessment(
                s, self.clinician, self.pid, dict(VISIT, date=day.isoformat()), today=day
            )

    def add_condition(self, condition):
        with transaction(self.factory) as s:
            version = s.get(models.Patient, self.pid).version
            patients.update(
                s,
                self.clinician,
                self.pid,
                {"conditions": [condition]},
                if_match=version,
                reason="seen at the visit",
                today=D0,
            )

    def draft(self, day, settings=EngineSettings()):
        with transaction(self.factory) as s:
            return prescriptions.draft(s, self.clinician, self.pid, today=day, settings=settings).id

    def approve(self, rx_id, day):
        with transaction(self.factory) as s:
            row = s.get(models.Prescription, rx_id)
            prescriptions.approve(
                s,
                self.clinician,
                rx_id,
                if_match=None,
                today=day,
                acknowledged=prescriptions.points(row.content),
            )

    def log(self, day, **body):
        body = {"component": "aerobic", "date": day.isoformat(), **body}
        with transaction(self.factory) as s:
            session_logs.log_session(s, self.patient, self.pid, body, today=day)

    def dashboard_row(self, day):
        with transaction(self.factory, write=False) as s:
            (row,) = [r for r in dashboard.rows(s, self.clinician, today=day) if r.id == self.pid]
            return row

    def scan_codes(self, day):
        with transaction(self.factory) as s:
            patient = s.get(models.Patient, self.pid)
            return {a.code for a in followup.scan(s, None, patient, today=day)}


@pytest.fixture
def clinic(factory):
    clinic = Clinic(factory)
    clinic.assess(D0)
    return clinic


def test_a_not_recommended_draft_is_approved_and_becomes_the_active_plan(clinic):
    clinic.add_condition("acute_infection_or_fever")
    rx_id = clinic.draft(D0)
    clinic.approve(rx_id, D0)
    with transaction(clinic.factory, write=False) as s:
        active = prescriptions.active(s, clinic.pid)
        assert active.id == rx_id and active.content["status"] == "not_recommended"
        assert [c["type"] for c in active.content["components"]] == ["flexibility"]
        assert (
            active.planned_per_week == active.content["components"][0]["sessions_per_week"]["min"]
        )


def test_the_dashboard_adherence_agrees_with_the_follow_up_rule(clinic):
    clinic.approve(clinic.draft(D0), D0)
    clinic.log(D0 + dt.timedelta(days=1))  # done: 1
    clinic.log(D0 + dt.timedelta(days=3), completed="partial", duration_min=10)  # half
    clinic.log(D0 + dt.timedelta(days=8), completed="skipped", skip_reason="tired")  # none
    clinic.log(D0 + dt.timedelta(days=9), component="flexibility")
    clinic.log(D0 + dt.timedelta(days=15))  # the current, unfinished week: not judged
    today = D0 + dt.timedelta(days=16)
    with transaction(clinic.factory, write=False) as s:
        summary = home_weeks.weekly_summary(s, clinic.clinician, clinic.pid, today=today, weeks=4)
    expected = summary["adherence_4_weeks"]
    assert expected is not None and 0 < expected < 1
    assert clinic.dashboard_row(today).adherence == pytest.approx(expected)


def test_the_dashboard_shows_no_adherence_before_a_week_of_the_plan_is_complete(clinic):
    clinic.approve(clinic.draft(D0), D0)
    clinic.log(D0 + dt.timedelta(days=1))
    assert clinic.dashboard_row(D0 + dt.timedelta(days=3)).adherence is None


def test_the_prescription_the_reminder_and_the_dashboard_share_one_reassessment_interval(clinic):
    rx_id = clinic.draft(D0)
    clinic.approve(rx_id, D0)
    with transaction(clinic.factory, write=False) as s:
        weeks = s.get(models.Prescription, rx_id).content["review_after_weeks"]
    assert weeks == reassessment.EVERY_WEEKS == 13  # 3 months, rec-reassess-3-months
    before, on = D0 + dt.timedelta(weeks=weeks, days=-1), D0 + dt.timedelta(weeks=weeks)
    assert "reassessment_due" not in clinic.scan_codes(before)
    assert not clinic.dashboard_row(before).due
    assert "reassessment_due" in clinic.scan_codes(on)
    assert clinic.dashboard_row(on).due and not clinic.dashboard_row(on).overdue


def test_a_shorter_review_interval_on_the_prescription_brings_the_reminder_forward(clinic):
    sooner = dataclasses.replace(EngineSettings(), review_after_weeks=8)
    clinic.approve(clinic.draft(D0, settings=sooner), D0)
    eight_weeks = D0 + dt.timedelta(weeks=8)
    assert "reassessment_due" in clinic.scan_codes(eight_weeks)
    assert clinic.dashboard_row(eight_weeks).due
    overdue = eight_weeks + dt.timedelta(weeks=reassessment.OVERDUE_AFTER_EXTRA_WEEKS)
    assert clinic.dashboard_row(overdue).overdue


def test_a_draft_compares_the_weight_with_the_previous_visit_for_energy_balance(clinic):
    later = D0 + dt.timedelta(days=90)
    with transaction(clinic.factory) as s:
        followup.record_assessment(
            s,
            clinic.clinician,
            clinic.pid,
            dict(VISIT, date=D0.isoformat(), weight_kg=80),
            today=D0,
        )
        followup.record_assessment(
            s,
            clinic.clinician,
            clinic.pid,
            dict(VISIT, date=later.isoformat(), weight_kg=75),
            today=later,
        )
        row = prescriptions.draft(s, clinic.clinician, clinic.pid, today=later)
        reasons = {r["code"]: r for r in row.content["reasons"]}
    assert reasons["energy_weight_loss"]["params"]["percent"] == 6.2  # 5 of 80 kg
