"""Changing a draft component's exercises through the service, on SQLite and PostgreSQL: stored
with a new version, the origin marked and the audit holding both lists; a refusal, a stale
version or a plan no longer a draft leaves the row as it was; the patient judged is the one the
draft was made for."""

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import func, select
from tests.conftest import NORMAL_ITEMS
from tests.db_fixtures import build_world
from tests.unit.test_exercise_edits import LIBRARY

from alsrx.db import models
from alsrx.db.session import transaction
from alsrx.errors import (
    Conflict,
    InvalidInput,
    PermissionDenied,
    PreconditionFailed,
    PreconditionRequired,
)
from alsrx.services import actor as actor_mod
from alsrx.services import followup, patients, prescription_exercises, prescriptions

D0 = dt.date(2026, 3, 2)
KNEE = "knee_extension_against_gravity"  # the project library's sample entry (MRC 3)
VISIT = {
    "date": D0.isoformat(),
    "alsfrs_r": dict(NORMAL_ITEMS, q8_walking=3),
    "fvc_l": 4.2,
    "resting_hr_bpm": 70,
    "mrc": {"knee_extension_left": 3, "knee_extension_right": 3},
}


@dataclasses.dataclass
class Clinic:
    factory: object
    pid: str
    clinician: object
    patient: object

    def assess(self, **changes):
        with transaction(self.factory) as s:
            followup.record_assessment(s, self.clinician, self.pid, VISIT | changes, today=D0)

    def draft(self):
        with transaction(self.factory) as s:
            return prescriptions.draft(s, self.clinician, self.pid, today=D0).id

    def row(self, rx_id):
        with transaction(self.factory, write=False) as s:
            row = s.get(models.Prescription, rx_id)
            events = s.scalar(select(func.count()).select_from(models.AuditEvent))
            return {"content": row.content, "version": row.version, "origin": row.origin}, events

    def edit(self, rx_id, component, exercises, *, version=None, who=None, library=None):
        current = self.row(rx_id)[0]["version"] if version is None else version
        with transaction(self.factory) as s:
            row = prescription_exercises.edit(
                s,
                who or self.clinician,
                rx_id,
                component,
                exercises,
                if_match=current,
                today=D0,
                library=library,
            )
            return row.version


@pytest.fixture
def clinic(factory):
    world = build_world(factory, None)
    with transaction(factory, write=False) as s:
        actors = {
            name: actor_mod.load(
                s, s.scalars(select(models.User).where(models.User.username == name)).one()
            )
            for name in ("clinician", "patient")
        }
    return Clinic(factory, world.patient_a, actors["clinician"], actors["patient"])


def exercises(content, component="resistance"):
    return next(c for c in content["components"] if c["type"] == component)["exercises"]


def test_an_edit_is_stored_with_a_new_version_and_audited_with_both_lists(clinic):
    clinic.assess()
    rx_id = clinic.draft()
    before, _ = clinic.row(rx_id)
    new = [{"id": KNEE, "sets": 2, "repetitions": 12, "side": "right"}]
    assert clinic.edit(rx_id, "resistance", new) == before["version"] + 1
    after, _ = clinic.row(rx_id)
    assert after["origin"] == "engine+edited"
    # 2 sets of 12 with one leg: 2 min x 2 x 12/10 x 1/2.
    stored = exercises(after["content"])
    assert stored == [
        {
            "id": KNEE,
            "sets": 2,
            "repetitions": 12,
            "hold_seconds": None,
            "load": "against_gravity_only",
            "side": "right",
            "minutes": 2.4,
        }
    ]
    with transaction(clinic.factory, write=False) as s:
        event = s.scalars(
            select(models.AuditEvent)
            .where(models.AuditEvent.entity_id == rx_id)
            .order_by(models.AuditEvent.seq.desc())
        ).first()
    assert event.action == "edit" and event.actor_role == "clinician"
    assert event.old == {"component": "resistance", "exercises": exercises(before["content"])}
    assert event.new == {"component": "resistance", "exercises": stored}


def test_the_rest_of_the_draft_is_left_as_it_was(clinic):
    clinic.assess()
    rx_id = clinic.draft()
    before, _ = clinic.row(rx_id)
    clinic.edit(rx_id, "resistance", [{"id": KNEE, "sets": 1, "repetitions": 8}])
    after, _ = clinic.row(rx_id)
    for old, new in zip(
        before["content"]["components"], after["content"]["components"], strict=True
    ):
        if old["type"] != "resistance":
            assert new == old
        else:
            assert {k: v for k, v in new.items() if k != "exercises"} == {
                k: v for k, v in old.items() if k != "exercises"
            }


@pytest.mark.parametrize(
    ("exercises_sent", "error"),
    [
        ([{"id": KNEE, "sets": 3, "repetitions": 10}], InvalidInput),
        ([{"id": "no_such_exercise", "sets": 1, "repetitions": 10}], InvalidInput),
        ([], InvalidInput),
        ("all of them", InvalidInput),
    ],
)
def test_a_refused_edit_leaves_the_row_and_the_audit_as_they_were(clinic, exercises_sent, error):
    clinic.assess()
    rx_id = clinic.draft()
    before = clinic.row(rx_id)
    with pytest.raises(error):
        clinic.edit(rx_id, "resistance", exercises_sent)
    assert clinic.row(rx_id) == before


def test_a_stale_version_and_a_missing_one_are_refused_and_change_nothing(clinic):
    clinic.assess()
    rx_id = clinic.draft()
    before = clinic.row(rx_id)
    good = [{"id": KNEE, "sets": 1, "repetitions": 10}]
    with pytest.raises(PreconditionFailed):
        clinic.edit(rx_id, "resistance", good, version=before[0]["version"] + 1)
    with transaction(clinic.factory) as s, pytest.raises(PreconditionRequired):
        prescription_exercises.edit(
            s, clinic.clinician, rx_id, "resistance", good, if_match=None, today=D0
        )
    assert clinic.row(rx_id) == before


def test_only_a_draft_can_be_changed(clinic):
    clinic.assess()
    rx_id = clinic.draft()
    with transaction(clinic.factory) as s:
        row = s.get(models.Prescription, rx_id)
        prescriptions.approve(
            s,
            clinic.clinician,
            rx_id,
            if_match=None,
            today=D0,
            acknowledged=prescriptions.points(row.content),
        )
    before = clinic.row(rx_id)
    with pytest.raises(Conflict):
        clinic.edit(rx_id, "resistance", [{"id": KNEE, "sets": 1, "repetitions": 10}])
    assert clinic.row(rx_id) == before


def test_a_patient_may_not_change_their_own_draft(clinic):
    clinic.assess()
    rx_id = clinic.draft()
    before = clinic.row(rx_id)
    with pytest.raises(PermissionDenied):
        clinic.edit(
            rx_id, "resistance", [{"id": KNEE, "sets": 1, "repetitions": 10}], who=clinic.patient
        )
    assert clinic.row(rx_id) == before


def test_the_patient_judged_is_the_one_of_the_drafts_assessment_and_record(clinic):
    # Orthopnoea at the visit the draft was made from; head drop on the patient's record.
    clinic.assess(alsfrs_r=dict(NORMAL_ITEMS, q8_walking=3, q11_orthopnea=2))
    with transaction(clinic.factory) as s:
        version = s.get(models.Patient, clinic.pid).version
        patients.update(
            s,
            clinic.clinician,
            clinic.pid,
            {"conditions": ["head_drop"]},
            if_match=version,
            reason="seen at the visit",
            today=D0,
        )
    rx_id = clinic.draft()
    lying = {"id": "hamstring_stretch_lying", "sets": 3, "hold_seconds": 30}
    neck = {"id": "neck_turns_unsupported", "sets": 3, "hold_seconds": 30}
    with pytest.raises(InvalidInput) as refused:
        clinic.edit(rx_id, "flexibility", [lying, neck], library=LIBRARY)
    assert {(e.path, e.code) for e in refused.value.errors} == {
        ("exercises[0].id", "exercise_lying_flat_orthopnoea"),
        ("exercises[1].id", "exercise_neck_unsupported_head_drop"),
    }
    calf = {"id": "calf_stretch_seated", "sets": 3, "hold_seconds": 45, "side": "left"}
    clinic.edit(rx_id, "flexibility", [calf], library=LIBRARY)
    assert exercises(clinic.row(rx_id)[0]["content"], "flexibility")[0]["hold_seconds"] == 45


def test_the_session_time_is_the_current_phases_of_the_stored_draft(clinic):
    # Week 1 of resistance for one trained group: a 5-minute session (resistance.py).
    clinic.assess()
    rx_id = clinic.draft()
    both = {"id": "knee_against_gravity", "sets": 2, "repetitions": 12, "side": "both"}
    one_more = {"id": "knee_gravity_eliminated", "sets": 1, "repetitions": 10, "side": "left"}
    with pytest.raises(InvalidInput) as refused:
        clinic.edit(rx_id, "resistance", [both, one_more], library=LIBRARY)
    (error,) = refused.value.errors
    assert (error.path, error.code, error.params) == (
        "exercises",
        "exercises_longer_than_session",
        {"minutes": 5.8, "session": 5.0},
    )
    clinic.edit(rx_id, "resistance", [both], library=LIBRARY)
