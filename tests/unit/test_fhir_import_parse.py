"""Reading a FHIR Bundle into visits: every bad input named by its entry and element."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
from tests import fhir_bundles as fb

from alsrx.errors import InvalidInput
from alsrx.interop import codes, fhir_import
from alsrx.render.messages import field_error_message

DAY = "2026-03-04"


def _good():
    return fb.bundle(fb.visit("a1", DAY))


def _errors(document):
    with pytest.raises(InvalidInput) as caught:
        fhir_import.parse(fb.loads(document))
    return {(e.path, e.code) for e in caught.value.errors}


def _entry(document, resource_type, n=0):
    found = [
        e["resource"] for e in document["entry"] if e["resource"]["resourceType"] == resource_type
    ]
    return found[n]


def _index(document, resource):
    return next(i for i, e in enumerate(document["entry"]) if e["resource"] is resource)


def test_a_good_bundle_becomes_one_visit_with_the_typed_inputs_values():
    parsed = fhir_import.parse(fb.loads(_good()))
    (visit,) = parsed.visits
    assert visit.body == fb.typed(DAY, mrc={"knee_extension_left": 4})
    assert visit.body["fvc_l"] == 3.1 and isinstance(visit.body["resting_hr_bpm"], int)
    assert visit.author == f"Practitioner {codes.USER_IDENTIFIER}|7"
    assert visit.key == f"{codes.ASSESSMENT_IDENTIFIER}|a1"
    reasons = {(o.resource_type, o.reason) for o in parsed.skipped}
    assert reasons == {
        ("Patient", "context"),
        ("Practitioner", "context"),
        ("Observation", "derived"),
    }


def test_decimals_are_read_as_written_before_the_typed_input_is_built():
    document = fb.loads(_good())
    fvc = next(
        e["resource"] for e in document["entry"]
        if e["resource"].get("valueQuantity", {}).get("code") == "L"
    )  # fmt: skip
    assert fvc["valueQuantity"]["value"] == Decimal("3.10")
    assert str(fvc["valueQuantity"]["value"]) == "3.10"


def test_a_wrong_resource_type_is_named_at_its_entry():
    document = _good()
    document["entry"].append({"resource": {"resourceType": "MedicationRequest"}})
    document["entry"].append({"resource": {"resourceType": "Observaton"}})
    n = len(document["entry"])
    assert _errors(document) == {
        (f"entry[{n - 2}].resource.resourceType", "fhir_unsupported_resource"),
        (f"entry[{n - 1}].resource.resourceType", "fhir_unsupported_resource"),
    }


def test_a_bundle_that_is_no_bundle_is_refused():
    assert _errors({"resourceType": "Patient"}) == {("resourceType", "fhir_unsupported_resource")}


def test_an_unknown_questionnaire_version_is_named_at_questionnaire():
    document = _good()
    qr = _entry(document, "QuestionnaireResponse")
    qr["questionnaire"] = f"{codes.ALSFRS_R_QUESTIONNAIRE}|0.9.0"
    i = _index(document, qr)
    assert _errors(document) == {
        (f"entry[{i}].resource.questionnaire", "fhir_unknown_questionnaire")
    }


def test_a_score_of_5_is_refused_naming_the_items_coding():
    document = fb.bundle(fb.visit("a1", DAY, items=dict(fb.ITEMS, q1_speech=5)))
    qr = _entry(document, "QuestionnaireResponse")
    i = _index(document, qr)
    assert _errors(document) == {
        (f"entry[{i}].resource.item[0].answer[0].valueCoding", "out_of_range")
    }


def test_an_ordinal_value_disagreeing_with_its_code_is_refused():
    document = _good()
    qr = _entry(document, "QuestionnaireResponse")
    qr["item"][2]["answer"][0]["valueCoding"]["extension"][0]["valueDecimal"] = 1
    i = _index(document, qr)
    assert _errors(document) == {
        (f"entry[{i}].resource.item[2].answer[0].valueCoding.code", "fhir_inconsistent")
    }


def test_a_missing_subject_is_named_on_each_entry_without_one():
    document = _good()
    qr = _entry(document, "QuestionnaireResponse")
    obs = _entry(document, "Observation", 1)
    del qr["subject"], obs["subject"]
    assert _errors(document) == {
        (f"entry[{_index(document, qr)}].resource.subject", "required"),
        (f"entry[{_index(document, obs)}].resource.subject", "required"),
    }


def test_a_second_patient_in_one_bundle_is_refused():
    document = _good()
    obs = _entry(document, "Observation", 2)
    obs["subject"] = {"reference": "Patient/someone-else"}
    assert _errors(document) == {
        (f"entry[{_index(document, obs)}].resource.subject", "fhir_other_subject")
    }


@pytest.mark.parametrize("bad", ["2026-02-30", "04/03/2026", "2026-03"])
def test_malformed_dates_are_named_at_the_date_element(bad):
    document = _good()
    qr = _entry(document, "QuestionnaireResponse")
    obs = _entry(document, "Observation", 0)
    qr["authored"] = bad
    obs["effectiveDateTime"] = bad
    assert _errors(document) == {
        (f"entry[{_index(document, qr)}].resource.authored", "bad_date"),
        (f"entry[{_index(document, obs)}].resource.effectiveDateTime", "bad_date"),
    }


def test_a_date_time_gives_the_visit_its_date_as_written():
    document = _good()
    qr = _entry(document, "QuestionnaireResponse")
    qr["authored"] = f"{DAY}T23:30:00+08:00"  # 15:30 UTC: still the 4th where it was taken
    (visit,) = fhir_import.parse(fb.loads(document)).visits
    assert visit.date == DAY


def test_a_heart_rate_without_its_qualifier_is_ambiguous():
    document = _good()
    hr = next(
        r for r in (e["resource"] for e in document["entry"])
        if any(c.get("code") == "8867-4" for c in r.get("code", {}).get("coding", []))
    )  # fmt: skip
    hr["code"]["coding"] = hr["code"]["coding"][:1]
    assert _errors(document) == {
        (f"entry[{_index(document, hr)}].resource.code.coding", "fhir_ambiguous_code")
    }


def test_a_unit_other_than_the_measures_is_refused_not_converted():
    document = _good()
    fvc = next(
        r for r in (e["resource"] for e in document["entry"])
        if r.get("valueQuantity", {}).get("code") == "L"
    )  # fmt: skip
    fvc["valueQuantity"].update(code="mL", unit="mL", value=Decimal("3100"))
    assert _errors(document) == {
        (f"entry[{_index(document, fvc)}].resource.valueQuantity.code", "fhir_unit_mismatch")
    }


def test_an_observation_on_a_day_without_an_alsfrs_r_is_refused():
    document = _good()
    obs = _entry(document, "Observation", 0)
    obs["effectiveDateTime"] = "2026-03-05"
    assert _errors(document) == {
        (f"entry[{_index(document, obs)}].resource.effectiveDateTime", "fhir_no_alsfrs_r_on_date")
    }


def test_an_element_fhir_does_not_know_is_named():
    document = _good()
    qr = _entry(document, "QuestionnaireResponse")
    qr["authoredOn"] = DAY
    assert _errors(document) == {
        (f"entry[{_index(document, qr)}].resource.authoredOn", "fhir_unknown_element")
    }


def test_the_gastrostomy_answer_must_agree_with_the_item_5_form():
    document = _good()
    qr = _entry(document, "QuestionnaireResponse")
    qr["item"][-1]["answer"][0]["valueBoolean"] = True  # yet 5a, not 5b, is answered
    assert _errors(document) == {
        (
            f"entry[{_index(document, qr)}].resource.item[12].answer[0].valueBoolean",
            "fhir_inconsistent",
        )
    }


def test_a_missing_item_is_named_by_its_link_id():
    items = {k: v for k, v in fb.ITEMS.items() if k != "q8_walking"}
    document = fb.bundle(fb.visit("a1", DAY, items=items))
    i = _index(document, _entry(document, "QuestionnaireResponse"))
    assert _errors(document) == {
        (f"entry[{i}].resource.item.where(linkId='q8_walking')", "required")
    }


def test_every_error_of_the_bundle_is_named_at_once():
    document = fb.bundle(fb.visit("a1", DAY), fb.visit("a2", "2026-06-01"))
    first = _entry(document, "QuestionnaireResponse", 0)
    second = _entry(document, "QuestionnaireResponse", 1)
    first["questionnaire"] = "http://example.org/Questionnaire/other|1"
    second["item"][0]["answer"][0]["valueCoding"]["code"] = "q1_speech.5"
    second["item"][0]["answer"][0]["valueCoding"]["extension"][0]["valueDecimal"] = 5
    assert len(_errors(document)) == 2


def test_the_same_record_twice_in_one_bundle_is_read_once():
    document = fb.bundle(fb.visit("a1", DAY), fb.visit("a1", DAY))
    (visit,) = fhir_import.parse(fb.loads(document)).visits
    assert len(visit.duplicates) == len(visit.sources) == 7


def test_two_responses_on_one_date_are_two_visits_their_measures_joined_by_identifier():
    document = fb.bundle(
        fb.visit("a1", DAY), fb.visit("a2", DAY, items=dict(fb.ITEMS, q1_speech=2))
    )
    visits = fhir_import.parse(fb.loads(document)).visits
    assert sorted(v.body["alsfrs_r"]["q1_speech"] for v in visits) == [2, 3]
    assert all(v.body["fvc_l"] == 3.1 and len(v.sources) == 7 for v in visits)


def test_session_logs_and_heights_are_context():
    document = _good()
    height = fb.measurement("a1", DAY, "body-height", Decimal("176"))
    log = copy.deepcopy(fb.measurement("a1", DAY, "fvc", Decimal("1")))
    log["resource"]["category"][0]["coding"][0]["code"] = codes.ACTIVITY
    document["entry"] += [height, log]
    reasons = [o.reason for o in fhir_import.parse(fb.loads(document)).skipped][-2:]
    assert reasons == ["patient_record", "session_log"]


def test_the_new_error_codes_are_said_in_words_in_both_languages():
    from alsrx.errors import FieldError

    for code in ("fhir_ambiguous_code", "fhir_unit_mismatch", "fhir_no_alsfrs_r_on_date"):
        error = FieldError("x", code, {"qualifiers": ("a",), "expected": "L", "date": DAY})
        en, zh = field_error_message(error, "en"), field_error_message(error, "zh")
        assert en != zh and "{" not in en + zh
