"""The three FHIR validators accept the exporter's shapes and each refuses what it should.

One file on purpose: fhircraft takes ~25 s to import and the suite runs --dist loadfile, so the
cost is paid once, on one worker.
"""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Any

import pytest
from fhir.resources.R4B.structuredefinition import StructureDefinition
from tests import fhir_samples as samples
from tests import fhir_validators as check

from alsrx.interop import codes, definitions

PROFILE_OF = {
    "Observation": codes.PROFILE_ALSFRS_R_SCORE,
    "ServiceRequest": codes.PROFILE_EXERCISE_REQUEST,
}


def without(resource: dict[str, Any], key: str) -> dict[str, Any]:
    changed = copy.deepcopy(resource)
    del changed[key]
    return changed


def with_extension(resource: dict[str, Any], url: str, extension: dict[str, Any]) -> dict[str, Any]:
    """The resource with its (first) extension of `url` replaced by `extension`."""
    changed = copy.deepcopy(resource)
    at = next(i for i, e in enumerate(changed["extension"]) if e["url"] == url)
    changed["extension"][at] = extension
    return changed


def refused_by(errors: list[str], *words: str) -> None:
    assert errors, "accepted, yet it should have been refused"
    assert any(all(w in e for w in words) for e in errors), errors


# -- the definitions themselves ---------------------------------------------------------------


def test_every_alsrx_structure_definition_parses_as_an_r4b_structure_definition() -> None:
    for definition in definitions.all_definitions():
        parsed = StructureDefinition.model_validate(definition)
        assert parsed.fhirVersion == codes.FHIR_VERSION and parsed.status == "draft"
        assert parsed.version and parsed.derivation == "constraint"


def test_each_definition_file_is_named_by_its_codes_constant_and_none_is_left_out() -> None:
    shipped = {p.name for p in resources.files(definitions).iterdir() if p.name.endswith(".json")}
    assert shipped == set(definitions.FILES.values())
    for url in definitions.FILES:
        assert definitions.get(url)["url"] == url


def test_extensions_name_the_resources_they_may_sit_on() -> None:
    contexts = {
        url: {c["expression"] for c in definitions.get(url)["context"]}
        for url in definitions.EXTENSIONS
    }
    assert contexts[codes.EXT_SETS] == {"ServiceRequest"}
    assert contexts[codes.EXT_APPROVAL] == {"CarePlan"}
    assert contexts[codes.EXT_PRESCRIPTION_VERSION] == {"CarePlan"}
    assert contexts[codes.EXT_ADMINISTRATION_MODE] == {"QuestionnaireResponse"}
    assert contexts[codes.EXT_EVIDENCE] == {"ServiceRequest", "CarePlan"}
    for url in definitions.EXTENSIONS:
        assert definitions.get(url)["kind"] == "complex-type"


def test_the_rpe_extension_states_the_borg_scale() -> None:
    assert codes.BORG_6_20 in definitions.get(codes.EXT_RPE_RANGE)["description"]


def test_the_exercise_profile_does_not_claim_the_physical_activity_ig() -> None:
    text = json.dumps(definitions.get(codes.PROFILE_EXERCISE_REQUEST))
    assert "not claiming conformance" in text
    assert "hl7.org/fhir/us/physical-activity" not in text


# -- the hand-written samples pass all three ------------------------------------------------


def test_every_sample_is_accepted_by_fhir_resources() -> None:
    assert check.parse_errors(samples.valid_resources()) == []


def test_every_sample_is_accepted_by_the_fhir_json_schema() -> None:
    assert check.schema_errors(samples.valid_resources()) == []


@pytest.mark.parametrize(
    "resource", samples.valid_resources(), ids=lambda r: str(r["resourceType"])
)
def test_every_sample_is_accepted_by_fhircraft_core_and_its_profile(
    resource: dict[str, Any],
) -> None:
    assert check.fhircraft_errors(resource) == []
    profile = PROFILE_OF.get(resource["resourceType"])
    if profile:
        assert check.fhircraft_errors(resource, profile, targets=samples.TARGETS) == []


# -- fhir.resources refuses ---------------------------------------------------------------


def test_fhir_resources_refuses_an_element_fhir_does_not_define() -> None:
    refused_by(check.parse_errors([{**samples.score(), "dose": 3}]), "#0 Observation", "dose")


def test_fhir_resources_refuses_a_fractional_score() -> None:
    refused_by(check.parse_errors([{**samples.score(), "valueInteger": 38.5}]), "valueInteger")


def test_fhir_resources_refuses_a_service_request_without_its_required_intent() -> None:
    refused_by(check.parse_errors([without(samples.exercise_request(), "intent")]), "intent")


def test_a_status_outside_fhirs_code_list_is_left_to_the_json_schema_and_the_profile() -> None:
    # fhir.resources and fhircraft's core models type a code as a string (no required
    # bindings); the JSON Schema enumerates status and the score profile's alsrx-score-1 does.
    sample = {**samples.score(), "status": "done"}
    assert check.parse_errors([sample]) == []
    assert check.fhircraft_errors(sample) == []
    refused_by(check.fhircraft_errors(sample, codes.PROFILE_ALSFRS_R_SCORE), "alsrx-score-1")


# -- the FHIR JSON Schema refuses (one node process for all the samples below) ---------------

SCHEMA_CASES = {
    "status outside the code list": {**samples.score(), "status": "done"},
    "an element FHIR does not define": {**samples.exercise_request(), "dose": 3},
    "a date in another format": {**samples.score(), "effectiveDateTime": "01.05.2026"},
    "a score as a string": {**samples.score(), "valueInteger": "38"},
    "one category where FHIR wants a list": {**samples.score(), "category": {"text": "survey"}},
    "an unknown resource type": {"resourceType": "ExercisePrescription"},
}


@pytest.fixture(scope="module")
def schema_report() -> dict[str, list[str]]:
    errors = check.schema_errors(list(SCHEMA_CASES.values()))
    return {
        name: [e for e in errors if e.startswith(f"#{i} ")] for i, name in enumerate(SCHEMA_CASES)
    }


@pytest.mark.parametrize(
    ("case", "words"),
    [
        ("status outside the code list", (".status", "allowed values")),
        ("an element FHIR does not define", ("ServiceRequest", "dose")),
        ("a date in another format", (".effectiveDateTime", "pattern")),
        ("a score as a string", (".valueInteger", "number")),
        ("one category where FHIR wants a list", (".category", "array")),
        ("an unknown resource type", ("ExercisePrescription",)),
    ],
)
def test_the_json_schema_refuses(
    schema_report: dict[str, list[str]], case: str, words: tuple[str, ...]
) -> None:
    refused_by(schema_report[case], *words)


# -- fhircraft refuses FHIR's own invariants -------------------------------------------------


def test_fhircraft_refuses_a_value_with_a_data_absent_reason_obs_6() -> None:
    sample = {
        **samples.score(),
        "dataAbsentReason": {"coding": [{"system": codes.DATA_ABSENT, "code": "unknown"}]},
    }
    refused_by(check.fhircraft_errors(sample), "obs-6")


def test_fhircraft_refuses_a_component_repeating_the_observation_code_obs_7() -> None:
    sample = samples.score()
    sample["component"] = [{"code": sample["code"], "valueInteger": 1}]
    refused_by(check.fhircraft_errors(sample), "obs-7")


def test_fhircraft_refuses_an_item_nested_under_both_answer_and_item_qrs_1() -> None:
    sample = samples.questionnaire_response()
    sample["item"][0]["item"] = [{"linkId": "q1-detail", "answer": [{"valueString": "x"}]}]
    sample["item"][0]["answer"][0]["item"] = [
        {"linkId": "q1-other", "answer": [{"valueString": "y"}]}
    ]
    refused_by(check.fhircraft_errors(sample), "qrs-1")


def test_fhircraft_refuses_an_empty_element_ele_1() -> None:
    refused_by(check.fhircraft_errors({**samples.condition(), "code": {}}), "ele-1")


def test_fhircraft_refuses_an_extension_with_both_value_and_extensions_ext_1() -> None:
    foreign = {
        "url": "https://other.example/x",
        "valueString": "a",
        "extension": [{"url": "b", "valueString": "c"}],
    }
    sample = samples.condition()
    sample["extension"] = [foreign]
    refused_by(check.fhircraft_errors(sample), "ext-1")


# -- fhircraft refuses what alsrx's profiles forbid -------------------------------------------

SCORE, REQUEST = codes.PROFILE_ALSFRS_R_SCORE, codes.PROFILE_EXERCISE_REQUEST


def test_a_total_of_49_is_refused_by_the_score_profile() -> None:
    refused_by(check.fhircraft_errors(samples.score("total", 49), SCORE), "alsrx-score-4")


def test_a_total_of_48_is_accepted_and_a_domain_score_of_13_refused() -> None:
    assert check.fhircraft_errors(samples.score("total", 48), SCORE) == []
    refused_by(check.fhircraft_errors(samples.score("bulbar", 13), SCORE), "alsrx-score-4")


def test_a_preliminary_score_is_refused_by_the_score_profile() -> None:
    sample = {**samples.score(), "status": "preliminary"}
    refused_by(check.fhircraft_errors(sample, SCORE), "alsrx-score-1")


def test_a_score_code_outside_the_five_is_refused() -> None:
    refused_by(check.fhircraft_errors(samples.score("q1"), SCORE), "alsrx-score-3")


def test_a_score_without_derived_from_is_refused() -> None:
    refused_by(
        check.fhircraft_errors(without(samples.score(), "derivedFrom"), SCORE), "derivedFrom"
    )


def test_a_score_as_a_string_is_refused_by_the_score_profile() -> None:
    sample = without(samples.score(), "valueInteger")
    sample["valueString"] = "38"
    refused_by(check.fhircraft_errors(sample, SCORE), "value[x]")


def test_a_score_derived_from_something_else_than_a_questionnaire_response_is_refused() -> None:
    sample = {**samples.score(), "derivedFrom": [{"reference": samples.CONDITION}]}
    refused_by(
        check.fhircraft_errors(sample, SCORE, targets=samples.TARGETS),
        "derivedFrom",
        "Condition",
    )


def test_a_service_request_without_reason_reference_is_refused() -> None:
    sample = without(samples.exercise_request(), "reasonReference")
    refused_by(check.fhircraft_errors(sample, REQUEST), "reasonReference")


def test_a_reason_code_alone_is_refused_as_the_profile_needs_the_condition() -> None:
    sample = without(samples.exercise_request(), "reasonReference")
    sample["reasonCode"] = [{"coding": [{"system": codes.SNOMED, "code": codes.ALS_SNOMED}]}]
    refused_by(check.fhircraft_errors(sample, REQUEST), "reasonReference")


def test_a_service_request_with_another_snomed_code_is_refused() -> None:
    sample = samples.exercise_request()
    sample["code"]["coding"][0]["code"] = "229070002"
    refused_by(check.fhircraft_errors(sample, REQUEST), "code", "pattern")


def test_a_service_request_without_a_code_is_refused() -> None:
    refused_by(check.fhircraft_errors(without(samples.exercise_request(), "code"), REQUEST), "code")


def test_a_proposal_is_refused_by_the_exercise_profile() -> None:
    sample = {**samples.exercise_request(), "intent": "proposal"}
    refused_by(check.fhircraft_errors(sample, REQUEST), "alsrx-exrx-2")


def test_a_service_request_without_timing_or_instruction_is_refused() -> None:
    sample = without(samples.exercise_request(), "occurrenceTiming")
    sample["occurrenceDateTime"] = "2026-05-04"
    refused_by(check.fhircraft_errors(sample, REQUEST), "occurrence[x]")
    sample = without(samples.exercise_request(), "patientInstruction")
    refused_by(check.fhircraft_errors(sample, REQUEST), "patientInstruction")


def test_sets_as_an_integer_instead_of_a_range_are_refused() -> None:
    sample = with_extension(
        samples.exercise_request(), codes.EXT_SETS, {"url": codes.EXT_SETS, "valueInteger": 2}
    )
    refused_by(check.fhircraft_errors(sample, REQUEST), "extension[0]", "value[x]")
    refused_by(check.fhircraft_errors(sample), "extension[0]", "value[x]")


def test_half_a_set_is_refused() -> None:
    extension = {"url": codes.EXT_SETS, "valueRange": {"low": {"value": 1.5}, "high": {"value": 2}}}
    sample = with_extension(samples.exercise_request(), codes.EXT_SETS, extension)
    refused_by(check.fhircraft_errors(sample, REQUEST), "alsrx-sets-2")


def test_an_rpe_range_beyond_the_borg_scale_or_inverted_is_refused() -> None:
    for low, high, key in (
        (11, 22, "alsrx-rpe-4"),
        (5, 12, "alsrx-rpe-4"),
        (14, 12, "alsrx-rpe-3"),
    ):
        extension = {"url": codes.EXT_RPE_RANGE, "valueRange": samples.whole_range(low, high)}
        sample = with_extension(samples.exercise_request(), codes.EXT_RPE_RANGE, extension)
        refused_by(check.fhircraft_errors(sample, REQUEST), key)


def test_a_heart_rate_ceiling_not_per_minute_is_refused() -> None:
    extension = {"url": codes.EXT_HR_CEILING, "valueQuantity": samples.ucum(2, "/s")}
    sample = with_extension(samples.exercise_request(), codes.EXT_HR_CEILING, extension)
    refused_by(check.fhircraft_errors(sample, REQUEST), "valueQuantity", "pattern")


def test_sessions_per_week_without_the_ucum_unit_are_refused() -> None:
    extension = {"url": codes.EXT_SESSIONS_PER_WEEK, "valueRange": samples.whole_range(3, 5)}
    sample = with_extension(samples.exercise_request(), codes.EXT_SESSIONS_PER_WEEK, extension)
    refused_by(check.fhircraft_errors(sample, REQUEST), "alsrx-spw-5")


def test_a_load_without_an_alsrx_load_code_is_refused() -> None:
    extension = {"url": codes.EXT_LOAD, "valueCodeableConcept": {"text": "heavy"}}
    sample = with_extension(samples.exercise_request(), codes.EXT_LOAD, extension)
    refused_by(check.fhircraft_errors(sample, REQUEST), "alsrx-load-1")


def test_evidence_from_another_code_system_is_refused() -> None:
    extension = {"url": codes.EXT_EVIDENCE, "valueCoding": {"system": codes.SNOMED, "code": "1"}}
    sample = with_extension(samples.exercise_request(), codes.EXT_EVIDENCE, extension)
    refused_by(check.fhircraft_errors(sample, REQUEST), "valueCoding", "pattern")


def test_the_same_dose_extension_twice_is_refused() -> None:
    sample = samples.exercise_request()
    sample["extension"].append({"url": codes.EXT_SETS, "valueRange": samples.whole_range(1, 1)})
    errors = check.fhircraft_errors(sample, REQUEST)
    # fhircraft's slice cardinality and the profile's own alsrx-exrx-4 both say it.
    refused_by(errors, "extension", "max. cardinality")


def test_a_request_for_a_group_instead_of_a_patient_is_refused_given_the_bundle() -> None:
    group = "urn:uuid:5d1f0c8e-8d5b-4b7e-9a51-1c6a1f0e2a99"
    sample = {**samples.exercise_request(), "subject": {"reference": group}}
    targets = {**samples.TARGETS, group: "Group"}
    refused_by(check.fhircraft_errors(sample, REQUEST, targets=targets), "subject", "Group")


def test_an_approval_without_its_approver_is_refused() -> None:
    plan = samples.care_plan()
    plan["extension"][1]["extension"].pop()
    refused_by(check.fhircraft_errors(plan), "extension[1]")


def test_an_administration_mode_outside_the_four_is_refused() -> None:
    response = samples.questionnaire_response()
    response["extension"][0]["valueCoding"]["code"] = "email"
    refused_by(check.fhircraft_errors(response), "alsrx-admin-1")
