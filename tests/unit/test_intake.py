"""Bad input is refused with the field named and the allowed values; good input parses."""

import pytest
from tests.conftest import TODAY

from alsrx.errors import InvalidInput
from alsrx.intake import assessment_input
from alsrx.render.messages import field_error_message


def errors_of(doc):
    with pytest.raises(InvalidInput) as caught:
        assessment_input.parse(doc, today=TODAY)
    return {e.path: e for e in caught.value.errors}


def test_a_valid_document_parses(document):
    parsed = assessment_input.parse(document, today=TODAY)
    assert parsed.visit.alsfrs_r.total == 47
    assert parsed.patient.height_cm == 175.0


def test_an_item_of_5_names_the_item_and_the_range(document):
    document["assessment"]["alsfrs_r"]["q1_speech"] = 5
    error = errors_of(document)["assessment.alsfrs_r.q1_speech"]
    assert field_error_message(error, "en") == "must be a whole number from 0 to 4"
    assert field_error_message(error, "zh") == "必须是0 至 4 之间的整数"


def test_both_5a_and_5b_are_refused(document):
    document["assessment"]["alsfrs_r"]["q5b_cutting_food_gastrostomy"] = 2
    assert errors_of(document)["assessment.alsfrs_r.q5a_cutting_food"].code == "exactly_one_of"


def test_neither_5a_nor_5b_is_refused(document):
    del document["assessment"]["alsfrs_r"]["q5a_cutting_food"]
    assert errors_of(document)["assessment.alsfrs_r.q5a_cutting_food"].code == "exactly_one_of"


def test_a_missing_item_is_named_with_its_allowed_values(document):
    del document["assessment"]["alsfrs_r"]["q9_climbing_stairs"]
    error = errors_of(document)["assessment.alsfrs_r.q9_climbing_stairs"]
    assert field_error_message(error, "en") == "is required; allowed: a whole number from 0 to 4"


def test_a_date_in_the_future_is_refused(document):
    document["assessment"]["date"] = "2026-11-27"
    assert errors_of(document)["assessment.date"].code == "in_future"


def test_height_in_metres_is_refused_with_the_unit(document):
    document["patient"]["height_cm"] = 1.75
    error = errors_of(document)["patient.height_cm"]
    assert field_error_message(error, "en") == "must be a number from 100 to 250 cm"


def test_fvc_in_millilitres_is_refused(document):
    document["assessment"]["fvc_l"] = 3200
    assert errors_of(document)["assessment.fvc_l"].code == "out_of_range"


@pytest.mark.parametrize(
    ("where", "value", "code"),
    [
        ("birth_date", "1966-02-30", "bad_date"),
        ("birth_date", "01/05/1966", "bad_date"),
        ("sex", "m", "not_one_of"),
        ("ethnicity", "asian", "not_one_of"),
        ("heigth_cm", 170, "not_allowed"),
        ("beta_blocker", "yes", "wrong_type"),
    ],
)
def test_patient_fields_are_checked(document, where, value, code):
    document["patient"][where] = value
    assert errors_of(document)[f"patient.{where}"].code == code


def test_onset_after_the_visit_is_refused(document):
    document["patient"]["symptom_onset_date"] = "2026-11-02"
    assert errors_of(document)["assessment.date"].code == "not_before"


def test_onset_before_birth_is_refused(document):
    document["patient"]["symptom_onset_date"] = "1960-01-01"
    assert errors_of(document)["patient.symptom_onset_date"].code == "not_before"


def test_every_error_is_reported_at_once(document):
    document["assessment"]["alsfrs_r"]["q1_speech"] = 9
    document["patient"]["weight_kg"] = 2
    assert {"assessment.alsfrs_r.q1_speech", "patient.weight_kg"} <= set(errors_of(document))


@pytest.mark.parametrize("doc", [[], "text", 3, None, {"patient": {}}])
def test_documents_of_the_wrong_shape_are_refused_not_crashed(doc):
    with pytest.raises(InvalidInput):
        assessment_input.parse(doc, today=TODAY)


@pytest.mark.parametrize(("rest", "peak", "at"), [(80, 170, 75), (70, 160, 165)])
def test_an_anaerobic_threshold_outside_rest_to_peak_is_refused_never_made_a_target(
    document, rest, peak, at
):
    document["assessment"]["resting_hr_bpm"] = rest
    document["assessment"]["cpet"] = {"peak_hr_bpm": peak, "anaerobic_threshold_hr_bpm": at}
    error = errors_of(document)["assessment.cpet.anaerobic_threshold_hr_bpm"]
    assert field_error_message(error, "en") == f"must be a number from {rest} to {peak} bpm"


def test_an_anaerobic_threshold_between_rest_and_peak_parses(document):
    document["assessment"]["resting_hr_bpm"] = 70
    document["assessment"]["cpet"] = {"peak_hr_bpm": 160, "anaerobic_threshold_hr_bpm": 120}
    visit = assessment_input.parse(document, today=TODAY).visit
    assert visit.cpet.anaerobic_threshold_hr_bpm == 120
