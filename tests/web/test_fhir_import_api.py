"""POST /api/v1/patients/{id}/fhir: a Bundle in, the import's report out, or 422 naming each
entry and element (and nothing stored)."""

from __future__ import annotations

from tests import fhir_bundles as fb

DAY = "2026-03-04"
FHIR_JSON = {"Content-Type": "application/fhir+json"}


def _post(world, document, who="clinician", patient=None, media=FHIR_JSON):
    url = f"/api/v1/patients/{patient or world.patient_a}/fhir"
    headers = {**world.as_(who), **media}
    return world.client.post(url, content=fb.to_json(document), headers=headers)


def _assessments(world):
    url = f"/api/v1/patients/{world.patient_a}/assessments"
    return world.client.get(url, headers=world.as_("clinician")).json()["assessments"]


def test_a_bundle_creates_assessments_and_answers_201_with_the_report(world):
    response = _post(world, fb.bundle(fb.visit("a1", DAY)))
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["counts"]["assessments"] == 1
    lines = {(e["resourceType"], e["outcome"]) for e in body["entries"]}
    assert ("QuestionnaireResponse", "imported") in lines
    (stored,) = _assessments(world)
    assert stored["assessment"]["fvc_l"] == 3.1


def test_the_same_bundle_again_answers_200_with_duplicates(world):
    document = fb.bundle(fb.visit("a1", DAY))
    _post(world, document)
    again = _post(world, document, media={"Content-Type": "application/json"})
    assert again.status_code == 200
    assert again.json()["counts"]["assessments"] == 0
    assert len(_assessments(world)) == 1


def test_a_bad_bundle_answers_422_naming_entry_and_element_in_words(world):
    document = fb.bundle(fb.visit("a1", DAY, items=dict(fb.ITEMS, q1_speech=5)))
    document["entry"].append({"resource": {"resourceType": "MedicationRequest"}})
    response = _post(world, document)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    fields = {f["path"]: f["message"] for f in error["fields"]}
    last = len(document["entry"]) - 1
    assert fields == {
        "entry[2].resource.item[0].answer[0].valueCoding": "must be a whole number from 0 to 4",
        f"entry[{last}].resource.resourceType": fields[f"entry[{last}].resource.resourceType"],
    }
    assert fields[f"entry[{last}].resource.resourceType"].startswith("is a resource type")
    assert _assessments(world) == []


def test_a_malformed_date_is_said_in_our_words_not_the_validators(world):
    document = fb.bundle(fb.visit("a1", DAY))
    document["entry"][2]["resource"]["authored"] = "04/03/2026"
    (field,) = _post(world, document).json()["error"]["fields"]
    assert field == {
        "path": "entry[2].resource.authored",
        "message": "must be a real calendar date written YYYY-MM-DD",
    }


def test_a_clinician_of_another_centre_gets_404_and_a_patient_403(world):
    document = fb.bundle(fb.visit("a1", DAY))
    assert _post(world, document, who="clinician_b").status_code == 404
    assert _post(world, document, who="patient").status_code == 403
    assert _assessments(world) == []


def test_a_body_that_is_not_json_is_refused(world):
    url = f"/api/v1/patients/{world.patient_a}/fhir"
    headers = {**world.as_("clinician"), "Content-Type": "text/plain"}
    assert world.client.post(url, content=b"{}", headers=headers).status_code == 415
    headers["Content-Type"] = "application/fhir+json"
    response = world.client.post(url, content=b"{not json", headers=headers)
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["path"] == "(body)"
