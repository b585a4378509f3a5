"""The clinic export through the API and the pages: who may download, what the files hold,
how a spreadsheet will read them, and the audit event each download leaves."""

from __future__ import annotations

import csv
import io
import re
import zipfile

from sqlalchemy import select
from tests.db_fixtures import PASSWORD
from tests.web.test_api_basics import VISIT
from tests.web.test_every_page_in_both_languages import set_language
from tests.web.test_pages import sign_in

from alsrx.db import models
from alsrx.db.session import transaction
from alsrx.interop import clinic_codebook as book
from alsrx.services import accounts, api_tokens
from alsrx.services.actor import SYSTEM

BOM = b"\xef\xbb\xbf"
FORMULA_NAME = '=HYPERLINK("http://x","y")'


def _clinician(world, username):
    with transaction(world.factory) as s:
        user = accounts.create_user(
            s,
            SYSTEM,
            username=username,
            password=PASSWORD,
            role="clinician",
            centre_ids=(world.centre_a,),
        )
        return {"Authorization": f"Bearer {api_tokens.issue_token(s, SYSTEM, user)}"}


def _records(world, approver):
    """An assessment, an approved plan, a session with symptoms and a skipped one."""
    c, h, pid = world.client, world.as_("clinician"), world.patient_a
    assert c.post(f"/api/v1/patients/{pid}/assessments", json=VISIT, headers=h).status_code == 201
    draft = c.post(f"/api/v1/patients/{pid}/prescriptions", headers=h).json()
    codes = [r["code"] for r in draft["prescription"]["reasons"]]
    url = f"/api/v1/prescriptions/{draft['id']}/approve"
    assert c.post(url, headers=approver, json={"acknowledge": codes}).status_code == 200
    sessions = f"/api/v1/patients/{pid}/sessions"
    logged = c.post(sessions, headers=h, json={"component": "aerobic", "symptoms": ["chest_pain"]})
    assert logged.status_code in (200, 201), logged.text
    skipped = {"component": "aerobic", "completed": "skipped", "skip_reason": "=my neighbour Li"}
    assert c.post(sessions, headers=h, json=skipped).status_code in (200, 201)


def _audits(world):
    with transaction(world.factory) as s:
        return s.scalars(
            select(models.AuditEvent).where(models.AuditEvent.action == "export")
        ).all()


def _table(raw: bytes) -> list[dict[str, str]]:
    assert raw.startswith(BOM)
    text = raw.decode("utf-8-sig")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _zip(response) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return {name.rsplit("/", 1)[1]: archive.read(name) for name in archive.namelist()}


def test_a_clinician_downloads_the_patients_files_with_a_codebook_and_it_is_audited(world):
    _records(world, _clinician(world, FORMULA_NAME))
    r = world.client.get(
        f"/api/v1/patients/{world.patient_a}/export.zip", headers=world.as_("clinician")
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/zip"
    assert r.headers["cache-control"] == "no-store"
    files = _zip(r)
    assert set(files) == {*(f.name for f in book.FILES), "codebook.csv", "README.txt"}
    tables = {f.name: _table(files[f.name]) for f in book.FILES}
    for f in book.FILES:
        assert files[f.name].decode("utf-8-sig").split("\r\n")[0] == ",".join(f.names)
    (visit,) = tables["assessments.csv"]
    assert visit["patient_code"] == "A-001" and visit["date"] == "2026-10-01"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", visit["created_at"])
    assert visit["is_current"] == "1" and visit["q8_walking"] == "3"
    (plan,) = [p for p in tables["prescriptions.csv"] if p["status"] == "active"]
    assert plan["approved_by_username"] == "'" + FORMULA_NAME  # never a live formula
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", plan["starts_on"])
    logs = tables["session_logs.csv"]
    assert {row["symptoms"] for row in logs} == {"chest_pain", ""}
    assert [row["skip_reason"] for row in logs if row["completed"] == "skipped"] == ["other"]
    assert "neighbour" not in files["session_logs.csv"].decode("utf-8-sig")
    assert any(a["code"] == "red_flag" for a in tables["alerts.csv"])
    (event,) = _audits(world)
    assert (event.entity, event.entity_id) == ("patient", world.patient_a)
    assert event.new["assessments"] == 1 and event.new["format"] == "zip"
    assert "A-001" not in str(event.new)


def test_the_codebook_describes_every_column_of_every_file_in_chinese(world):
    r = world.client.get(
        f"/api/v1/patients/{world.patient_a}/export.zip?lang=zh", headers=world.as_("clinician")
    )
    files = _zip(r)
    rows = _table(files["codebook.csv"])
    described = {(row["file"], row["column"]) for row in rows if row["column"]}
    assert described == {(f.name, c) for f in book.FILES for c in f.names}
    by_column = {row["column"]: row for row in rows if row["file"] == "assessments.csv"}
    assert "用力肺活量" in by_column["fvc_l"]["description"]
    assert "患者" in files["README.txt"].decode("utf-8-sig")


def test_one_table_alone_is_a_csv_with_a_bom(world):
    _records(world, world.as_("clinician"))
    url = f"/api/v1/patients/{world.patient_a}/export.zip?table=session_logs"
    r = world.client.get(url, headers=world.as_("clinician"))
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert len(_table(r.content)) == 2
    (event,) = _audits(world)
    assert event.new == {"format": "csv", "patients": 1, "session_logs": 2}


def test_a_bad_table_or_language_is_refused_naming_the_field_and_its_choices(world):
    h = world.as_("clinician")
    r = world.client.get(f"/api/v1/centres/{world.centre_a}/export.zip?table=x&lang=fr", headers=h)
    assert r.status_code == 422
    body = r.text
    assert "table" in body and "session_logs" in body and "lang" in body and "zh" in body
    assert _audits(world) == []


def test_a_clinician_of_another_centre_gets_nothing_and_nothing_is_audited(world):
    h = world.as_("clinician_b")
    patient = world.client.get(f"/api/v1/patients/{world.patient_a}/export.zip", headers=h)
    centre = world.client.get(f"/api/v1/centres/{world.centre_a}/export.zip", headers=h)
    assert (patient.status_code, centre.status_code) == (404, 404)
    for who in ("admin", "researcher", "patient"):
        r = world.client.get(f"/api/v1/centres/{world.centre_a}/export.zip", headers=world.as_(who))
        assert r.status_code == 403
    assert _audits(world) == []


def test_the_centre_export_holds_only_that_centres_patients(world):
    _records(world, world.as_("clinician"))
    hb = world.as_("clinician_b")
    world.client.post(f"/api/v1/patients/{world.patient_b}/assessments", json=VISIT, headers=hb)
    r = world.client.get(
        f"/api/v1/centres/{world.centre_a}/export.zip", headers=world.as_("clinician")
    )
    visits = _table(_zip(r)["assessments.csv"])
    assert [v["patient_code"] for v in visits] == ["A-001"]
    (event,) = _audits(world)
    assert (event.entity, event.entity_id) == ("centre", str(world.centre_a))
    assert event.new["patients"] == 1


def test_the_pages_offer_the_downloads_in_both_languages(world):
    c = world.client
    sign_in(c, "clinician")
    for lang, words in (("zh", "下载"), ("en", "Download")):
        set_language(c, lang)
        page = c.get(f"/clinic/patients/{world.patient_a}")
        assert f'href="/clinic/patients/{world.patient_a}/export.zip"' in page.text
        listing = c.get("/clinic")
        assert f'href="/clinic/centres/{world.centre_a}/export.zip"' in listing.text
        assert words in page.text and words in listing.text
    download = c.get(f"/clinic/patients/{world.patient_a}/export.zip")
    assert download.status_code == 200 and download.content[:2] == b"PK"
    (event,) = _audits(world)
    assert event.entity == "patient" and event.actor_role == "clinician"
    other = c.get(f"/clinic/centres/{world.centre_b}/export.zip")
    assert other.status_code == 404
