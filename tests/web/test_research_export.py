"""The research export: de-identified CSV files with a codebook, k-anonymity before rows leave,
the researcher's centres only, an optional date shift, and an audit of every export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.db_fixtures import SQLITE_ONLY
from tests.web.test_api_basics import VISIT

from alsrx.db import models
from alsrx.db.session import transaction
from alsrx.errors import InvalidInput, PermissionDenied
from alsrx.services import research_export
from alsrx.services.actor import Actor

ONSET = dt.date(2025, 9, 1)
LATER = dt.date.today() + dt.timedelta(days=14)  # the week of the logs is complete by then
PLANTED = ("ZQX-PLANTED-7", "Wang Xiaoming", "Qiu Jinlan", "13912345678")


def admit(world, code, *, centre="clinician", birth="1961-03-02", sex="male", region="lower_limb"):
    h = world.as_(centre)
    body = {
        "code": code,
        "sex": sex,
        "birth_date": birth,
        "height_cm": 176,
        "weight_kg": 74,
        "ethnicity": "caucasian",
        "symptom_onset_date": ONSET.isoformat(),
        "diagnosis_date": "2026-02-01",
        "onset_region": region,
    }
    r = world.client.post("/api/v1/patients", json=body, headers=h)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def follow(world, patient_id, *, centre="clinician"):
    """Two visits, an approved plan and a week of logs with free text in them."""
    h = world.as_(centre)
    for day, fvc in (("2026-06-01", 4.1), ("2026-09-01", 3.8)):
        visit = dict(VISIT, date=day, fvc_l=fvc, weight_kg=72.5)
        r = world.client.post(f"/api/v1/patients/{patient_id}/assessments", json=visit, headers=h)
        assert r.status_code == 201, r.text
    rx = world.client.post(f"/api/v1/patients/{patient_id}/prescriptions", headers=h).json()
    ack = {"acknowledge": [r["code"] for r in rx["prescription"]["reasons"]]}
    r = world.client.post(f"/api/v1/prescriptions/{rx['id']}/approve", headers=h, json=ack)
    assert r.status_code == 200, r.text
    logged_on = dt.date.today()  # the plan starts today; the export is made two weeks on
    logs = (
        {"component": "aerobic", "date": logged_on.isoformat(), "notes": f"{PLANTED[1]} came by"},
        {
            "component": "aerobic",
            "date": logged_on.isoformat(),
            "completed": "skipped",
            "skip_reason": f"visiting {PLANTED[2]} {PLANTED[3]}",
        },
        {
            "component": "aerobic",
            "date": logged_on.isoformat(),
            "completed": "skipped",
            "skip_reason": "too tired",
        },
    )
    for log in logs:
        r = world.client.post(f"/api/v1/patients/{patient_id}/sessions", json=log, headers=h)
        assert r.status_code == 201, r.text


def researcher(world, centres):
    return Actor(0, "researcher", "researcher", frozenset(centres))


def cohort(world, n, *, batch="", **kw):
    ids = [admit(world, f"{PLANTED[0]}-{batch}{i}", **kw) for i in range(n)]
    for pid in ids:
        follow(world, pid, centre=kw.get("centre", "clinician"))
    return ids


def export(world, tmp_path, *, k=5, shift=None, centres=None):
    options = research_export.ExportOptions(
        today=LATER,
        k=k,
        shift_secret=shift,
        centre_ids=None if centres is None else frozenset(centres),
    )
    with transaction(world.factory) as s:
        return research_export.write_directory(
            s, researcher(world, {world.centre_a}), tmp_path, options
        )


@pytest.fixture
def folder(tmp_path):
    """Where exports go: beside, not among, the test's database file."""
    return tmp_path / "export"


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_the_export_writes_every_file_with_the_codebooks_columns_and_proact_names(world, folder):
    cohort(world, 5)
    summary = export(world, folder)
    assert summary.patients == 5 and summary.rows["patients.csv"] == 5
    assert summary.rows["alsfrs.csv"] == 10 and summary.rows["fvc.csv"] == 10
    frs = read(folder / "alsfrs.csv")
    assert {
        "ALSFRS_Delta",
        "Q1_Speech",
        "Q5a_Cutting_without_Gastrostomy",
        "R_1_Dyspnea",
        "ALSFRS_R_Total",
    } <= set(frs[0])
    deltas = sorted({int(r["ALSFRS_Delta"]) for r in frs})
    assert deltas == [(dt.date(2026, 6, 1) - ONSET).days, (dt.date(2026, 9, 1) - ONSET).days]
    assert {r["ALSFRS_R_Total"] for r in frs} == {"47"}
    fvc = read(folder / "fvc.csv")
    assert sorted({r["Subject_Liters_Trial_1"] for r in fvc}) == ["3.8", "4.1"]
    codebook = read(folder / "codebook.csv")
    for table in research_export.book.TABLES:
        header = next(csv.reader((folder / table.file).open(encoding="utf-8")))
        described = [r["column"] for r in codebook if r["file"] == table.file and r["column"]]
        assert header == described, table.file


def test_exposure_weeks_carry_the_dose_adherence_and_skip_reasons_as_codes(world, folder):
    cohort(world, 5)
    export(world, folder)
    weeks = [r for r in read(folder / "exposure_weeks.csv") if r["Component"] == "aerobic"]
    logged = [r for r in weeks if r["Done"] != "0" or r["Skipped"] != "0"]
    assert len(logged) == 5  # one week with logs per patient
    row = logged[0]
    assert row["Done"] == "1" and row["Skipped"] == "2"
    assert row["Skipped_Too_Tired"] == "1" and row["Skipped_Other_Reason"] == "1"
    planned = int(row["Planned"])
    assert planned >= 1 and float(row["Adherence"]) == pytest.approx(min(1, 1 / planned), abs=1e-3)
    assert row["Sessions_Per_Week_Min"] and row["HR_Ceiling_bpm"]


def test_no_code_name_note_date_or_database_id_leaves_in_any_byte(world, folder):
    ids = cohort(world, 5)
    export(world, folder)
    with transaction(world.factory) as s:
        users = s.scalars(select(models.User.username)).all()
    text = "\n".join(p.read_text(encoding="utf-8") for p in folder.iterdir())
    for planted in (*PLANTED, *ids, "1961-03-02", "2026-02-01", "2025-09-01", "2026-06-01"):
        assert planted not in text, planted
    body = "\n".join((folder / t.file).read_text() for t in research_export.book.TABLES)
    for name in users:
        assert f",{name}," not in body


def test_a_group_smaller_than_k_refuses_the_export_naming_it_and_writes_nothing(world, folder):
    cohort(world, 5)
    admit(world, "older", birth="1940-01-01")
    follow(world, admit(world, "older-2", birth="1940-01-01"))
    with transaction(world.factory) as s:
        before = s.scalar(select(models.AuditEvent.seq).order_by(models.AuditEvent.seq.desc()))
    with pytest.raises(InvalidInput) as refused:
        export(world, folder / "out")
    error = refused.value.errors[0]
    assert error.path == "cohort" and error.code == "group_below_k"
    assert error.params["size"] == 1 and "85-89" in error.params["combination"]
    assert not (folder / "out").exists()
    with transaction(world.factory) as s:
        after = s.scalar(select(models.AuditEvent.seq).order_by(models.AuditEvent.seq.desc()))
    assert after == before
    assert export(world, folder / "k1", k=1).patients == 6


def test_researchers_export_only_their_centres(world, folder):
    cohort(world, 5)
    cohort(world, 5, centre="clinician_b")
    summary = export(world, folder)
    assert summary.patients == 5 and summary.centres == (world.centre_a,)
    assert {r["Site"] for r in read(folder / "patients.csv")} == {"Centre A"}
    with pytest.raises(PermissionDenied):
        export(world, folder / "b", centres={world.centre_b})


def test_a_date_shift_moves_each_patients_dates_by_one_constant_within_a_year(world, folder):
    cohort(world, 5)
    export(world, folder, shift=b"per-export secret")
    patients = {r["research_id"]: r for r in read(folder / "patients.csv")}
    shifts = set()
    for r in read(folder / "alsfrs.csv"):
        onset = dt.date.fromisoformat(patients[r["research_id"]]["Onset_Date_Shifted"])
        visit = dt.date.fromisoformat(r["Visit_Date_Shifted"])
        assert (visit - onset).days == int(r["ALSFRS_Delta"])
        shift = (ONSET - onset).days
        assert 0 <= shift <= 364
        shifts.add((r["research_id"], shift))
    assert len({rid for rid, _ in shifts}) == len(shifts) == 5  # one shift per patient
    export(world, folder / "again", shift=b"per-export secret")
    again = {
        r["research_id"]: r["Onset_Date_Shifted"] for r in read(folder / "again" / "patients.csv")
    }
    assert again == {rid: r["Onset_Date_Shifted"] for rid, r in patients.items()}


def test_every_export_is_audited_with_its_row_counts(world, folder):
    cohort(world, 5)
    summary = export(world, folder)
    with transaction(world.factory) as s:
        event = s.scalars(
            select(models.AuditEvent).where(models.AuditEvent.entity == "research_export")
        ).one()
    assert event.new["rows"] == dict(summary.rows) and event.new["k"] == 5
    assert event.new["date_shift"] is False


def test_the_zip_holds_the_same_files(world, folder):
    cohort(world, 5)
    out = io.BytesIO()
    with transaction(world.factory) as s:
        research_export.write_zip(
            s,
            researcher(world, {world.centre_a}),
            out,
            research_export.ExportOptions(today=dt.date.today()),
        )
    names = zipfile.ZipFile(out).namelist()
    assert "alsrx-research/patients.csv" in names and "alsrx-research/codebook.csv" in names


def test_the_api_gives_researchers_a_zip_and_everyone_else_nothing(world):
    cohort(world, 5)
    c = world.client
    r = c.get("/api/v1/research/export", headers=world.as_("researcher"))
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(r.content)).namelist()
    assert "alsrx-research/exposure_weeks.csv" in names
    for role in ("clinician", "patient", "caregiver", "admin"):
        assert c.get("/api/v1/research/export", headers=world.as_(role)).status_code == 403
    other = c.get(
        f"/api/v1/research/export?centre={world.centre_b}", headers=world.as_("researcher")
    )
    assert other.status_code == 403


@SQLITE_ONLY
def test_the_api_refuses_a_small_group_naming_the_cohort_field(world):
    cohort(world, 2)
    r = world.client.get("/api/v1/research/export", headers=world.as_("researcher"))
    assert r.status_code == 422
    field = r.json()["error"]["fields"][0]
    assert field["path"] == "cohort" and "fewer than 5 patients" in field["message"]


@SQLITE_ONLY
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_research_page_downloads_the_zip_and_explains_a_refusal_in_words(world, lang):
    from tests.web.test_every_page_in_both_languages import set_language
    from tests.web.test_pages import sign_in

    cohort(world, 2)
    c = world.client
    sign_in(c, "researcher")
    set_language(c, lang)
    page = c.get("/research").text
    assert 'action="/research/export.zip"' in page
    refused = c.get("/research/export.zip")
    assert refused.status_code == 422 and "text/html" in refused.headers["content-type"]
    words = "少于 5 名患者" if lang == "zh" else "fewer than 5 patients"
    assert words in refused.text and "group_below_k" not in refused.text
    cohort(world, 3, batch="b")
    r = c.get("/research/export.zip?date_shift=1")
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    files = zipfile.ZipFile(io.BytesIO(r.content))
    book = files.read("alsrx-research/codebook.csv").decode()
    assert ("随机研究编号" if lang == "zh" else "Random research identifier") in book
    assert "Visit_Date_Shifted" in files.read("alsrx-research/alsfrs.csv").decode()


@SQLITE_ONLY
def test_the_cli_exports_as_a_named_researcher_and_refuses_an_unknown_one(world, db_url, tmp_path):
    cohort(world, 5)
    env = dict(os.environ, ALSRX_DATABASE_URL=db_url, ALSRX_DEMO_MODE="true")
    out = tmp_path / "cli-export"
    done = subprocess.run(
        [sys.executable, "-m", "alsrx", "research", "export", str(out), "--user", "researcher"],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "5 patients" in done.stdout and (out / "patients.csv").exists()
    unknown = subprocess.run(
        [sys.executable, "-m", "alsrx", "research", "export", str(out), "--user", "nobody"],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert unknown.returncode == 1 and "nobody" in unknown.stderr
