"""The clinic export on the demo cohort, on SQLite and PostgreSQL: every value derived at
entry is in the CSV as stored, every column is in the codebook, only the centre's patients
leave, and each export is audited with counts only."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pytest
from sqlalchemy import select

from alsrx.db import models
from alsrx.db.session import transaction
from alsrx.errors import NotFound, PermissionDenied
from alsrx.interop import clinic_codebook as book
from alsrx.interop import clinic_csv
from alsrx.services import accounts, clinic_export, demo
from alsrx.services import actor as actor_mod
from alsrx.services.actor import SYSTEM, Actor

TODAY = dt.date(2026, 11, 26)
NOW = dt.datetime(2026, 11, 26, 9, 30, tzinfo=dt.UTC)
CENTRE_ZH = "北京协和医院康复团队"


@pytest.fixture
def cohort(factory):
    demo.seed(factory, patients_n=2, months=4, seed_value=17, today=TODAY)
    with transaction(factory) as s:
        centre = s.scalars(select(models.Centre)).one()
        centre.name = CENTRE_ZH  # the README names the centre: Chinese must survive
        clinician = actor_mod.load(s, accounts.user_by_name(s, "demo-clinician"))
    return centre.id, clinician


def _export(factory, actor, centre_id, lang="en"):
    out = io.BytesIO()
    with transaction(factory) as s:
        scope = clinic_export.centre_scope(s, actor, centre_id)
        summary = clinic_export.write_zip(s, actor, scope, out, lang=lang, now=NOW)
    archive = zipfile.ZipFile(out)
    return summary, {n.rsplit("/", 1)[1]: archive.read(n) for n in archive.namelist()}


def _rows(raw):
    assert raw[:3] == b"\xef\xbb\xbf"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def _number(cell):
    return None if cell == "" else float(cell)


def test_derived_values_in_the_csv_are_the_stored_derived_documents(factory, cohort):
    centre_id, clinician = cohort
    summary, files = _export(factory, clinician, centre_id)
    rows = {r["assessment_id"]: r for r in _rows(files["assessments.csv"])}
    with transaction(factory) as s:
        stored = s.scalars(select(models.Assessment)).all()
    assert len(rows) == len(stored) == summary.rows["assessments"] > 0
    for a in stored:
        row, d = rows[a.id], a.derived
        assert row["date"] == a.date.isoformat()
        assert int(row["alsfrs_r_total"]) == d["alsfrs_r"]["total"]
        for domain in ("bulbar", "fine_motor", "gross_motor", "respiratory"):
            assert int(row[f"alsfrs_r_{domain}"]) == d["alsfrs_r"][domain]
        assert row["kings_stage"] == d["kings_stage"]
        assert row["mitos_stage"] == str(d["mitos_stage"])
        progression = d["progression"]
        assert _number(row["delta_frs_per_month"]) == progression["delta_frs_per_month"]
        assert row["progression_category"] == (progression["category"] or "")
        assert _number(row["fvc_percent_predicted"]) == d["fvc"]["percent_predicted"]
        assert _number(row["fvc_z_score"]) == d["fvc"]["z_score"]
        assert (
            _number(row["six_minute_walk_percent_predicted"])
            == (d["six_minute_walk"]["percent_predicted"])
        )
        assert _number(row["bmi_kg_m2"]) == d["bmi"]
        assert _number(row["fvc_l"]) == a.data.get("fvc_l")
        for item, score in d["alsfrs_r"]["items"].items():
            assert int(row[item]) == score


def test_every_mapped_row_has_exactly_the_codebooks_columns(factory, cohort):
    """Fails when a column is added to a mapping without a codebook entry (or the reverse)."""
    centre_id, clinician = cohort
    _, files = _export(factory, clinician, centre_id)
    for f in book.FILES:
        lines = _rows(files[f.name])
        assert lines, f.name  # the demo cohort fills every file
        assert tuple(lines[0]) == f.names
    with transaction(factory) as s:
        first = {
            m: _dict(s.scalars(select(m)).first())
            for m in (models.Assessment, models.SessionLog, models.Alert)
        }
        rx = _dict(_rx(s))
    samples = {
        book.ASSESSMENTS: [clinic_csv.assessment_row("X", first[models.Assessment])],
        book.PRESCRIPTIONS: [clinic_csv.prescription_row("X", rx)],
        book.COMPONENT_ROWS: list(clinic_csv.component_rows("X", rx)),
        book.SESSION_LOGS: [clinic_csv.session_row("X", first[models.SessionLog])],
        book.ALERTS: [clinic_csv.alert_row("X", first[models.Alert])],
    }
    for f, mapped in samples.items():
        assert mapped and all(set(r) == set(f.names) for r in mapped), f.name
    described = {(r["file"], r["column"]) for r in _rows(files["codebook.csv"]) if r["column"]}
    assert described == {(f.name, c) for f in book.FILES for c in f.names}


def _rx(s):
    return s.scalars(
        select(models.Prescription).where(models.Prescription.status == "active")
    ).first()


def _dict(obj):
    return {c.key: getattr(obj, c.key) for c in obj.__table__.columns} | {
        "approved_by_username": None
    }


def test_the_export_is_audited_with_counts_and_names_no_patient(factory, cohort):
    centre_id, clinician = cohort
    summary, files = _export(factory, clinician, centre_id, lang="zh")
    with transaction(factory) as s:
        (event,) = s.scalars(select(models.AuditEvent).where(models.AuditEvent.action == "export"))
        codes = [p.code for p in s.scalars(select(models.Patient))]
    assert (event.entity, event.entity_id) == ("centre", str(centre_id))
    assert event.new == {"format": "zip", "patients": 2, **summary.rows}
    assert not any(code in str(event.new) for code in codes)
    readme = files["README.txt"].decode("utf-8-sig")
    assert CENTRE_ZH in readme and "2026-11-26T09:30:00Z" in readme
    logs = _rows(files["session_logs.csv"])
    assert {r["patient_code"] for r in logs} == set(codes)
    assert all(r["date"] == dt.date.fromisoformat(r["date"]).isoformat() for r in logs)


def test_another_centres_clinician_an_admin_and_a_researcher_export_nothing(factory, cohort):
    centre_id, _clinician = cohort
    with transaction(factory) as s:
        other = accounts.create_centre(s, SYSTEM, "Other centre")
        patient_id = s.scalars(select(models.Patient.id)).first()
        admin = actor_mod.load(s, accounts.user_by_name(s, "demo-admin"))
        researcher = actor_mod.load(s, accounts.user_by_name(s, "demo-researcher"))
    stranger = Actor(99, "stranger", "clinician", frozenset({other.id}))
    with transaction(factory) as s:
        with pytest.raises(NotFound):
            clinic_export.centre_scope(s, stranger, centre_id)
        with pytest.raises(NotFound):
            clinic_export.patient_scope(s, stranger, patient_id)
        for actor in (admin, researcher):
            with pytest.raises(PermissionDenied):
                clinic_export.centre_scope(s, actor, centre_id)
    with transaction(factory) as s:
        assert (
            s.scalars(select(models.AuditEvent).where(models.AuditEvent.action == "export")).all()
            == []
        )


def test_one_patients_file_holds_only_that_patient(factory, cohort):
    _centre_id, clinician = cohort
    with transaction(factory) as s:
        patient = s.scalars(select(models.Patient).order_by(models.Patient.code)).first()
        scope = clinic_export.patient_scope(s, clinician, patient.id)
        out = io.BytesIO()
        summary = clinic_export.write_table(s, clinician, scope, "alerts", out)
    rows = _rows(out.getvalue())
    assert len(rows) == summary.rows["alerts"] and {r["patient_code"] for r in rows} <= {
        patient.code
    }
