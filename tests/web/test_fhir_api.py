"""GET /api/v1/patients/{id}/fhir through the ASGI app: who may export, the answer's media type,
the language of its texts, and a bad query value refused in words."""

from __future__ import annotations

import json

from tests.web.test_every_page_in_both_languages import set_language
from tests.web.test_pages import sign_in, start_plan


def url(world, patient=None, **query):
    params = "&".join(f"{k}={v}" for k, v in query.items())
    return f"/api/v1/patients/{patient or world.patient_a}/fhir" + (f"?{params}" if params else "")


def test_a_clinician_downloads_the_patients_record_as_a_fhir_bundle(world):
    start_plan(world)
    r = world.client.get(url(world), headers=world.as_("clinician"))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/fhir+json")
    assert r.headers["cache-control"] == "no-store"
    bundle = json.loads(r.content)
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    kinds = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert {"Patient", "QuestionnaireResponse", "CarePlan", "ServiceRequest"} <= kinds


def test_the_patients_instructions_are_in_the_language_asked_for(world):
    start_plan(world)
    r = world.client.get(url(world, lang="zh"), headers=world.as_("clinician"))
    requests = [
        e["resource"]
        for e in r.json()["entry"]
        if e["resource"]["resourceType"] == "ServiceRequest"
    ]
    assert any(
        "次" in sr["patientInstruction"] or "分钟" in sr["patientInstruction"] for sr in requests
    )


def test_another_centres_clinician_is_told_the_patient_is_not_there(world):
    r = world.client.get(url(world), headers=world.as_("clinician_b"))
    assert r.status_code == 404


def test_patients_caregivers_researchers_and_admins_may_not_export(world):
    for who in ("patient", "caregiver", "researcher", "admin"):
        assert world.client.get(url(world), headers=world.as_(who)).status_code == 403, who


def test_an_unknown_language_is_refused_naming_the_field_and_the_choices(world):
    r = world.client.get(url(world, lang="fr"), headers=world.as_("clinician"))
    assert r.status_code == 422
    fields = r.json()["error"]["fields"]
    assert [f["path"] for f in fields] == ["lang"] and "en, zh" in fields[0]["message"]


def test_the_clinic_patient_page_offers_the_fhir_download_in_the_pages_language(world):
    start_plan(world)
    c = world.client
    sign_in(c, "clinician")
    set_language(c, "zh")
    page = c.get(f"/clinic/patients/{world.patient_a}")
    assert f'href="/clinic/patients/{world.patient_a}/fhir.json"' in page.text
    assert "FHIR 格式" in page.text
    download = c.get(f"/clinic/patients/{world.patient_a}/fhir.json")
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("application/fhir+json")
    requests = [
        e["resource"]
        for e in download.json()["entry"]
        if e["resource"]["resourceType"] == "ServiceRequest"
    ]
    assert any("分钟" in sr["patientInstruction"] for sr in requests)
    assert c.get(f"/clinic/patients/{world.patient_b}/fhir.json").status_code == 404
