"""The round trip of issue 17: a demo patient exported as FHIR from one deployment and imported
into an empty one (SQLite and PostgreSQL) has the same assessments with equal derived values;
importing the same Bundle again stores nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from tests.db_fixtures import AUDIT_KEY, PASSWORD

from alsrx.db import models
from alsrx.db.migrate import upgrade
from alsrx.db.session import make_engine, session_factory, transaction
from alsrx.errors import InvalidInput
from alsrx.services import accounts, demo, fhir_export, fhir_import, followup, patients
from alsrx.services import actor as actor_mod
from alsrx.services.actor import SYSTEM, Actor

TODAY = dt.date(2026, 11, 26)
AT = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """A demo deployment on its own SQLite file: one patient, four months, one FVC typed 3.10;
    its Bundle, the patient's record and its current assessments by date."""
    url = f"sqlite:///{tmp_path_factory.mktemp('source') / 'source.db'}"
    upgrade(url)
    engine = make_engine(url)
    factory = session_factory(engine, audit_key=AUDIT_KEY)
    demo.seed(factory, patients_n=2, months=4, seed_value=11, today=TODAY)
    with transaction(factory) as s:
        actor = actor_mod.load(s, accounts.user_by_name(s, "demo-clinician"))
        patient = s.scalars(select(models.Patient).order_by(models.Patient.code)).first()
        newest = s.scalars(
            select(models.Assessment)
            .where(
                models.Assessment.is_current.is_(True), models.Assessment.patient_id == patient.id
            )
            .order_by(models.Assessment.date.desc())
        ).first()
        followup.record_assessment(
            s,
            actor,
            patient.id,
            {**newest.data, "date": TODAY.isoformat(), "fvc_l": 3.1},
            today=TODAY,
        )
    with transaction(factory) as s:
        patient = s.scalars(select(models.Patient).order_by(models.Patient.code)).first()
        record = patients.input_patient(s, patient)
        wanted = fhir_export.ExportOptions(today=TODAY)
        bundle = fhir_export.export(s, actor, patient_id=patient.id, wanted=wanted, at=AT)
        everyone = fhir_export.export(s, actor, patient_id=None, wanted=wanted, at=AT)
        stored = _current(s, patient.id)
        code = patient.code
    engine.dispose()
    return bundle, dict(record, code=code), stored, everyone


def _current(s, patient_id):
    rows = s.scalars(
        select(models.Assessment)
        .where(models.Assessment.patient_id == patient_id, models.Assessment.is_current.is_(True))
        .order_by(models.Assessment.date, models.Assessment.created_at)
    )
    return [(r.date, r.derived) for r in rows]


@pytest.fixture
def empty(factory, source):
    """An empty deployment holding only a centre, a clinician and the patient's record."""
    _, record, _, _ = source
    with transaction(factory) as s:
        centre = accounts.create_centre(s, SYSTEM, "Receiving centre")
        boot = Actor(0, "boot", "clinician", frozenset({centre.id}))
        patient = patients.create(s, boot, dict(record), centre_id=centre.id, today=TODAY)
        accounts.create_user(
            s,
            SYSTEM,
            username="receiver",
            password=PASSWORD,
            role="clinician",
            centre_ids=(centre.id,),
        )
    return factory, patient.id


def _import(factory, patient_id, bundle):
    with transaction(factory) as s:
        actor = actor_mod.load(s, accounts.user_by_name(s, "receiver"))
        return fhir_import.import_bundle(s, actor, patient_id, bundle, today=TODAY)


def test_an_exported_patient_imported_elsewhere_has_equal_derived_values(source, empty):
    bundle, _, stored, _ = source
    factory, patient_id = empty
    _import(factory, patient_id, bundle)
    with transaction(factory, write=False) as s:
        imported = _current(s, patient_id)
    assert len(imported) == len(stored) >= 3
    for (day, derived), (new_day, new_derived) in zip(stored, imported, strict=True):
        assert new_day == day
        assert new_derived == derived
    assert any(d["fvc"]["measured_l"] == 3.1 for _, d in imported)


def test_importing_the_same_export_again_stores_nothing(source, empty):
    bundle, _, _, _ = source
    factory, patient_id = empty
    _import(factory, patient_id, bundle)
    with transaction(factory, write=False) as s:
        before = s.scalar(select(func.count()).select_from(models.Assessment))
    again = _import(factory, patient_id, bundle)
    with transaction(factory, write=False) as s:
        assert s.scalar(select(func.count()).select_from(models.Assessment)) == before
    outcomes = {e["outcome"] for e in again.as_json()["entries"]}
    assert "imported" not in outcomes and "duplicate" in outcomes


def test_an_export_of_the_whole_centre_imports_only_the_patients_own_entries(source, empty):
    _, _, stored, everyone = source
    factory, patient_id = empty
    report = _import(factory, patient_id, everyone)
    with transaction(factory, write=False) as s:
        imported = _current(s, patient_id)
    assert [derived for _, derived in imported] == [derived for _, derived in stored]
    reasons = {e["reason"] for e in report.as_json()["entries"] if e["outcome"] == "skipped"}
    assert "another_patient" in reasons


def test_a_bundle_about_another_patient_is_refused_naming_its_patient_entry(source, factory):
    bundle, record, _, _ = source
    with transaction(factory) as s:
        centre = accounts.create_centre(s, SYSTEM, "Receiving centre")
        boot = Actor(0, "boot", "clinician", frozenset({centre.id}))
        other = patients.create(
            s, boot, dict(record, code="OTHER-1"), centre_id=centre.id, today=TODAY
        )
        accounts.create_user(
            s,
            SYSTEM,
            username="receiver",
            password=PASSWORD,
            role="clinician",
            centre_ids=(centre.id,),
        )
    with pytest.raises(InvalidInput) as refused:
        _import(factory, other.id, bundle)
    (error,) = refused.value.errors
    assert error.code == "fhir_other_patient" and error.path.endswith(".resource.identifier")
    with transaction(factory, write=False) as s:
        assert s.scalar(select(func.count()).select_from(models.Assessment)) == 0
