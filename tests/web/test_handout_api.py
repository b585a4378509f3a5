"""GET /api/v1/prescriptions/{id}/handout.pdf through the ASGI app, on SQLite and PostgreSQL:
who may print which sheet, the query's values, and the PDF it answers with."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from tests import handout_fixtures as fx
from tests.db_fixtures import SQLITE_ONLY
from tests.web.test_pages import start_plan

from alsrx.db.session import transaction
from alsrx.reports import handout
from alsrx.services import accounts
from alsrx.services.actor import SYSTEM

# Pages and documents rendered from stored data: the services they call run on both backends
# in their own tests.
pytestmark = [SQLITE_ONLY]

CLINIC_PHONE = "+86 10 0000 0000"  # Centre A's, from tests/db_fixtures.build_world


@pytest.fixture
def planned(world):
    """Patient A with an approved plan; Centre A with its emergency number."""
    with transaction(world.factory) as s:
        accounts.update_centre(s, SYSTEM, "Centre A", emergency_number="120")
    rx = start_plan(world)
    handout.CACHE.clear()
    world.rx = rx["id"]
    return world


def url(world, **query: str) -> str:
    params = "&".join(f"{k}={v}" for k, v in query.items())
    return f"/api/v1/prescriptions/{world.rx}/handout.pdf" + (f"?{params}" if params else "")


def get(world, who: str, **query: str):
    return world.client.get(url(world, **query), headers=world.as_(who))


def test_a_clinician_prints_the_patients_handout_as_a_pdf(planned):
    r = get(planned, "clinician", lang="en")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF-")
    assert r.headers["cache-control"] == "no-store"  # a patient document: never kept by a proxy
    assert "inline" in r.headers["content-disposition"]


def test_the_handout_names_the_emergency_number_before_the_clinic_phone(planned):
    fx.require_poppler()
    words = fx.pdf_text(get(planned, "patient", lang="en").content)
    assert "Call the emergency number 120" in words
    assert words.index("120") < words.index(CLINIC_PHONE)
    assert not fx.EVIDENCE_ID.search(words)


def test_the_clinicians_sheet_carries_the_evidence_and_the_version(planned):
    fx.require_poppler()
    r = get(planned, "clinician", audience="clinician", lang="en")
    assert r.status_code == 200, r.text
    words = fx.pdf_text(r.content)
    assert fx.EVIDENCE_ID.search(words) and "Evidence cited" in words
    assert "A-001" in words and "clinician" in words  # the patient's code, the approver


def test_the_language_is_the_readers_unless_the_query_names_one(planned):
    fx.require_poppler()
    with transaction(planned.factory) as s:
        s.execute(text("UPDATE users SET lang = 'zh' WHERE username = 'caregiver'"))
    chinese = fx.pdf_text(get(planned, "caregiver").content)
    assert fx.HAN.search(chinese) and "您的运动计划" in chinese
    english = fx.pdf_text(get(planned, "caregiver", lang="en").content)
    assert "Your exercise plan" in english


@pytest.mark.parametrize("who", ["patient", "caregiver"])
def test_patients_and_caregivers_print_only_the_handout_of_the_active_plan(planned, who):
    assert get(planned, who).status_code == 200
    refused = get(planned, who, audience="clinician")
    assert refused.status_code == 403
    draft = planned.client.post(
        f"/api/v1/patients/{planned.patient_a}/prescriptions", headers=planned.as_("clinician")
    ).json()
    r = planned.client.get(
        f"/api/v1/prescriptions/{draft['id']}/handout.pdf", headers=planned.as_(who)
    )
    assert r.status_code == 409 and r.json()["error"]["code"] == "conflict"


def test_a_clinician_may_print_a_draft_which_says_it_is_one(planned):
    fx.require_poppler()
    draft = planned.client.post(
        f"/api/v1/patients/{planned.patient_a}/prescriptions", headers=planned.as_("clinician")
    ).json()
    r = planned.client.get(
        f"/api/v1/prescriptions/{draft['id']}/handout.pdf?lang=en",
        headers=planned.as_("clinician"),
    )
    assert r.status_code == 200
    assert "Draft: not yet approved" in fx.pdf_text(r.content)


@pytest.mark.parametrize(
    ("who", "status"), [("clinician_b", 404), ("researcher", 403), ("admin", 403)]
)
def test_others_get_what_the_access_rules_answer(planned, who, status):
    assert get(planned, who).status_code == status


def test_without_credentials_there_is_no_handout(planned):
    assert planned.client.get(url(planned)).status_code == 401


@pytest.mark.parametrize(
    ("query", "field", "allowed"),
    [({"lang": "fr"}, "lang", "en, zh"), ({"audience": "nurse"}, "audience", "patient, clinician")],
)
def test_a_bad_language_or_audience_is_refused_naming_the_field_and_its_values(
    planned, query, field, allowed
):
    r = get(planned, "clinician", **query)
    assert r.status_code == 422
    fields = r.json()["error"]["fields"]
    assert [f["path"] for f in fields] == [field]
    assert allowed in fields[0]["message"]


def test_a_version_is_rendered_once_and_then_served_from_the_cache(planned):
    first = get(planned, "clinician", lang="en")
    assert len(handout.CACHE) == 1
    again = get(planned, "patient", lang="en")
    assert again.content == first.content and len(handout.CACHE) == 1
    get(planned, "clinician", lang="zh")
    assert len(handout.CACHE) == 2


def test_nothing_is_written_when_a_handout_is_printed(planned):
    with transaction(planned.factory, write=False) as s:
        before = s.execute(text("SELECT count(*) FROM audit_events")).scalar()
    assert get(planned, "patient").status_code == 200
    with transaction(planned.factory, write=False) as s:
        assert s.execute(text("SELECT count(*) FROM audit_events")).scalar() == before
