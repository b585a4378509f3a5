"""Symptom answers through the services, on SQLite and PostgreSQL: repeated falls pause standing
work, repeated cramps step the plan down, breathlessness is urgent with NIV in use."""

import datetime as dt

import pytest
from sqlalchemy import select
from tests.conftest import NORMAL_ITEMS
from tests.integration.test_followup_simulation import D0, Clinic

from alsrx.db import models
from alsrx.db.session import transaction
from alsrx.domain.followup import proposals
from alsrx.services import followup


@pytest.fixture
def clinic(factory):
    clinic = Clinic(factory)
    clinic.assess(D0)
    clinic.start_plan(D0)
    return clinic


def modalities(content):
    return {m for c in content["components"] for m in c.get("modalities") or ()}


def test_two_falls_within_two_weeks_propose_pausing_standing_work_and_approval_applies_it(clinic):
    assert clinic.log(D0 + dt.timedelta(days=1), symptoms=["fall"]) == ["fall_reported"]
    assert clinic.log(D0 + dt.timedelta(days=6), symptoms=["fall"]) == ["falls_repeated"]
    ((kind, content),) = clinic.proposals()
    assert kind == "pause_standing" and content["standing_paused"] is True
    assert not modalities(content) & proposals.STANDING_MODALITIES
    clinic.approve_latest_proposal(D0 + dt.timedelta(days=6))
    with transaction(clinic.factory, write=False) as s:
        row, plan = followup.active_plan(s, clinic.pid, today=D0 + dt.timedelta(days=7))
    assert not modalities(row.content) & proposals.STANDING_MODALITIES
    assert "flexibility" in {c.type for c in plan.components}


def test_cramps_that_do_not_settle_twice_propose_a_step_down(clinic):
    assert clinic.log(D0 + dt.timedelta(days=1), symptoms=["cramps"]) == ["cramps_persisting"]
    assert clinic.proposals() == []
    assert clinic.log(D0 + dt.timedelta(days=3), symptoms=["cramps"]) == ["cramps_repeated"]
    assert [k for k, _ in clinic.proposals()] == ["step_down"]


def test_a_red_flag_log_is_stopped_and_carries_the_patients_notes(clinic):
    clinic.log(D0 + dt.timedelta(days=2), symptoms=["chest_pain"], notes="pressure, 5 minutes")
    with transaction(clinic.factory, write=False) as s:
        stored = s.scalars(select(models.SessionLog)).one()
        alert = s.scalars(select(models.Alert)).one()
    assert stored.completed == "stopped" and stored.duration_min is None
    assert alert.code == "red_flag" and alert.data["notes"] == "pressure, 5 minutes"


def test_breathlessness_is_urgent_for_a_patient_on_niv(factory):
    clinic = Clinic(factory)
    clinic.assess(D0, alsfrs_r=dict(NORMAL_ITEMS, q8_walking=3, q12_respiratory_insufficiency=3))
    clinic.start_plan(D0)
    clinic.log(D0 + dt.timedelta(days=1), symptoms=["dyspnea"])
    with transaction(clinic.factory, write=False) as s:
        _, plan = followup.active_plan(s, clinic.pid, today=D0)
        alert = s.scalars(select(models.Alert).where(models.Alert.code == "dyspnea_reported")).one()
    assert plan.respiratory_involvement
    assert alert.severity == "urgent" and alert.data["respiratory_involvement"] is True
