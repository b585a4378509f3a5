"""FHIR import through the services, on SQLite and PostgreSQL: a bundle's visits stored through
the typed path with equal derived values, duplicates stored once, a bad bundle storing nothing,
another centre's clinician refused."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from tests import fhir_bundles as fb
from tests.db_fixtures import PASSWORD, PATIENT_A

from alsrx.db import models
from alsrx.db.session import transaction
from alsrx.errors import InvalidInput, NotFound
from alsrx.interop import codes
from alsrx.services import accounts, fhir_import, followup, patients
from alsrx.services import actor as actor_mod
from alsrx.services.actor import SYSTEM, Actor

TODAY = dt.date(2026, 11, 26)
DAYS = ("2026-03-04", "2026-06-01")
MRC = {"knee_extension_left": 4}


@pytest.fixture
def clinic(factory):
    """Two centres with a patient each; the first centre's clinician; an empty deployment."""
    with transaction(factory) as s:
        a = accounts.create_centre(s, SYSTEM, "Centre A")
        b = accounts.create_centre(s, SYSTEM, "Centre B")
        boot = Actor(0, "boot", "clinician", frozenset({a.id, b.id}))
        pa = patients.create(s, boot, dict(PATIENT_A), centre_id=a.id, today=TODAY)
        pb = patients.create(s, boot, dict(PATIENT_A, code="B-1"), centre_id=b.id, today=TODAY)
        for name, centre in (("clin_a", a.id), ("clin_b", b.id)):
            accounts.create_user(
                s, SYSTEM, username=name, password=PASSWORD, role="clinician", centre_ids=(centre,)
            )
        return pa.id, pb.id


def _actor(s, name):
    return actor_mod.load(s, accounts.user_by_name(s, name))


def _import(factory, patient_id, document, who="clin_a"):
    with transaction(factory) as s:
        return fhir_import.import_bundle(
            s, _actor(s, who), patient_id, fb.to_json(document), today=TODAY
        )


def _counts(factory):
    with transaction(factory, write=False) as s:
        return {
            m.__tablename__: s.scalar(select(func.count()).select_from(m))
            for m in (models.Assessment, models.ImportedRecord, models.AuditEvent, models.Alert)
        }


def _derived(factory, patient_id):
    with transaction(factory, write=False) as s:
        rows = s.scalars(
            select(models.Assessment)
            .where(models.Assessment.patient_id == patient_id)
            .order_by(models.Assessment.date)
        ).all()
        return [(r.date.isoformat(), r.derived) for r in rows]


def test_a_bundle_stores_assessments_deriving_what_the_same_values_typed_in_derive(factory, clinic):
    imported_patient, typed_patient = clinic[0], None
    with transaction(factory) as s:  # a twin of the patient, in the same centre, typed in
        actor = _actor(s, "clin_a")
        centre = s.get(models.Patient, imported_patient).centre_id
        twin = patients.create(s, actor, dict(PATIENT_A, code="A-2"), centre_id=centre, today=TODAY)
        typed_patient = twin.id
        s.flush()  # the assessment's patient read is a Core query
        for day in DAYS:
            followup.record_assessment(s, actor, typed_patient, fb.typed(day, mrc=MRC), today=TODAY)
    report = _import(factory, imported_patient, fb.bundle(*(fb.visit(f"a{d}", d) for d in DAYS)))
    assert report.created == 2
    assert _derived(factory, imported_patient) == _derived(factory, typed_patient)
    outcomes = [(e.resource_type, e.outcome, e.reason) for e in report.entries]
    assert outcomes.count(("QuestionnaireResponse", "imported", None)) == 2
    assert outcomes.count(("Observation", "skipped", "derived")) == 2
    with transaction(factory, write=False) as s:
        rows = fhir_import.imported(s, _actor(s, "clin_a"), imported_patient)
        assert len(rows) == 14
        assert {r.source_author for r in rows} == {f"Practitioner {codes.USER_IDENTIFIER}|7"}
        stored = s.scalars(select(models.Assessment.data)).all()
        assert {d["fvc_l"] for d in stored} == {3.1}


def test_importing_the_same_bundle_twice_stores_nothing_new(factory, clinic):
    document = fb.bundle(*(fb.visit(f"a{d}", d) for d in DAYS))
    first = _import(factory, clinic[0], document)
    before = _counts(factory)
    again = _import(factory, clinic[0], document)
    after = _counts(factory)
    assert again.created == 0
    assert {e.outcome for e in again.entries if e.resource_type == "QuestionnaireResponse"} == {
        "duplicate"
    }
    ids = {e.assessment_id for e in first.entries if e.assessment_id}
    assert {e.assessment_id for e in again.entries if e.assessment_id} == ids
    # Only the import's own audit event is new.
    assert after == dict(before, audit_events=before["audit_events"] + 1)


def test_a_bad_entry_among_good_ones_stores_nothing(factory, clinic):
    document = fb.bundle(fb.visit("a1", DAYS[0]), fb.visit("a2", DAYS[1]))
    fvc = next(
        e["resource"] for e in document["entry"]
        if e["resource"].get("valueQuantity", {}).get("code") == "L"
    )  # fmt: skip
    fvc["valueQuantity"]["value"] = fb.Decimal("31.0")  # litres typed as decilitres
    before = _counts(factory)
    with pytest.raises(InvalidInput) as caught:
        _import(factory, clinic[0], document)
    index = next(i for i, e in enumerate(document["entry"]) if e["resource"] is fvc)
    assert [(e.path, e.code) for e in caught.value.errors] == [
        (f"entry[{index}].resource.valueQuantity.value", "out_of_range")
    ]
    assert _counts(factory) == before


def test_an_error_only_the_patients_record_reveals_is_named_and_nothing_is_stored(factory, clinic):
    """A visit before the symptom onset (2025-09-01) passes the schema; the assessment's own
    rules refuse it when it is recorded, after the good visit was already written."""
    document = fb.bundle(fb.visit("a1", DAYS[0]), fb.visit("a0", "2025-08-01"))
    before = _counts(factory)
    with pytest.raises(InvalidInput) as caught:
        _import(factory, clinic[0], document)
    qr = next(
        i for i, e in enumerate(document["entry"])
        if e["resource"].get("authored") == "2025-08-01"
    )  # fmt: skip
    assert [(e.path, e.code) for e in caught.value.errors] == [
        (f"entry[{qr}].resource.authored", "not_before")
    ]
    assert _counts(factory) == before


def test_a_clinician_of_another_centre_is_refused(factory, clinic):
    before = _counts(factory)
    with pytest.raises(NotFound):
        _import(factory, clinic[0], fb.bundle(fb.visit("a1", DAYS[0])), who="clin_b")
    assert _counts(factory) == before


def test_the_import_is_audited_with_counts_and_sources_not_values(factory, clinic):
    _import(factory, clinic[0], fb.bundle(fb.visit("a1", DAYS[0])))
    with transaction(factory, write=False) as s:
        event = s.scalars(
            select(models.AuditEvent).where(models.AuditEvent.action == "import")
        ).one()
        new = event.new
    text = str(new)
    assert "'assessments': 1" in text and f"{codes.ASSESSMENT_IDENTIFIER}|a1" in text
    assert "3.1" not in text and "q1_speech" not in text


def test_the_same_record_twice_in_one_bundle_is_stored_once_and_reported_duplicate(factory, clinic):
    report = _import(
        factory, clinic[0], fb.bundle(fb.visit("a1", DAYS[0]), fb.visit("a1", DAYS[0]))
    )
    assert report.created == 1
    duplicates = [e for e in report.entries if e.outcome == "duplicate"]
    assert len(duplicates) == 7 and {e.reason for e in duplicates} == {"duplicate_in_bundle"}
    assert {e.assessment_id for e in duplicates} == {
        e.assessment_id for e in report.entries if e.outcome == "imported"
    }
    assert _counts(factory)["assessments"] == 1


def test_a_new_response_carrying_measurements_imported_before_is_refused(factory, clinic):
    _import(factory, clinic[0], fb.bundle(fb.visit("a1", DAYS[0])))
    document = fb.bundle(fb.visit("a1", DAYS[0]))
    qr = document["entry"][2]["resource"]
    qr["identifier"]["value"] = "b1"  # another visit's response, the first visit's measures
    before = _counts(factory)
    with pytest.raises(InvalidInput) as caught:
        _import(factory, clinic[0], document)
    assert {e.code for e in caught.value.errors} == {"fhir_already_imported"}
    assert "entry[3].resource.identifier" in {e.path for e in caught.value.errors}
    assert _counts(factory) == before
