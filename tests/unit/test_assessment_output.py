"""The assessment document: required keys for any valid input, nulls always with reasons."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import NORMAL_ITEMS, TODAY

from alsrx.domain import assessment
from alsrx.intake import assessment_input
from alsrx.render import assessment_json, assessment_text

REQUIRED = {
    "alsfrs_r": {"total", "bulbar", "fine_motor", "gross_motor", "respiratory"},
    "progression": {"delta_frs_per_month", "category", "months_since_onset"},
    "heart_rate": {"max_bpm", "max_source", "rest_bpm", "reserve_bpm"},
    "six_minute_walk": {"predicted_m", "percent_predicted"},
    "fvc": {"predicted_l", "percent_predicted", "z_score", "lln_l"},
}
optional_number = lambda lo, hi: st.one_of(st.none(), st.floats(lo, hi))  # noqa: E731


@st.composite
def documents(draw):
    birth = draw(st.dates(dt.date(1920, 1, 1), dt.date(2006, 1, 1)))
    onset = draw(st.dates(birth + dt.timedelta(days=3650), TODAY))
    visit = draw(st.dates(onset, TODAY))
    items = {k: draw(st.integers(0, 4)) for k in NORMAL_ITEMS}
    if draw(st.booleans()):
        items["q5b_cutting_food_gastrostomy"] = items.pop("q5a_cutting_food")
    patient = {
        "sex": draw(st.sampled_from(["male", "female"])),
        "birth_date": birth.isoformat(),
        "symptom_onset_date": onset.isoformat(),
        "beta_blocker": draw(st.booleans()),
    }
    for key, value in (
        ("height_cm", optional_number(100, 250)),
        ("weight_kg", optional_number(20, 300)),
        (
            "ethnicity",
            st.one_of(
                st.none(),
                st.sampled_from(
                    [
                        "caucasian",
                        "african_american",
                        "north_east_asian",
                        "south_east_asian",
                        "other",
                    ]
                ),
            ),
        ),
    ):
        drawn = draw(value)
        if drawn is not None:
            patient[key] = drawn
    visit_doc = {"date": visit.isoformat(), "alsfrs_r": items}
    for key, value in (
        ("fvc_l", optional_number(0.2, 8)),
        ("six_minute_walk_m", optional_number(0, 1000)),
        ("resting_hr_bpm", optional_number(30, 150)),
    ):
        drawn = draw(value)
        if drawn is not None:
            visit_doc[key] = drawn
    return {"patient": patient, "assessment": visit_doc}


def run(doc, lang="en"):
    parsed = assessment_input.parse(doc, today=TODAY)
    return assessment_json.to_json(assessment.assess(parsed.patient, parsed.visit), lang=lang)


@settings(max_examples=200, deadline=None)
@given(documents())
def test_any_valid_input_gives_every_key_and_a_reason_for_every_null(doc):
    out = run(doc)
    for section, keys in REQUIRED.items():
        assert keys <= set(out[section])
        for key in keys:
            if out[section][key] is None:
                assert out[section]["null_reasons"].get(key), (section, key)
    assert out["kings_stage"] in {"1", "2", "3", "4A", "4B", "4A+4B"}
    assert isinstance(out["mitos_stage"], int) and 0 <= out["mitos_stage"] <= 4
    if out["bmi"] is None:
        assert out["null_reasons"]["bmi"]
    assert assessment_text.render(out, lang="zh")


def test_reasons_are_given_in_the_requested_language():
    doc = {
        "patient": {"sex": "male", "birth_date": "1960-01-01", "symptom_onset_date": "2025-01-01"},
        "assessment": {"date": "2026-01-01", "alsfrs_r": NORMAL_ITEMS},
    }
    out = run(doc, lang="zh")
    assert out["fvc"]["null_reasons"]["predicted_l"][0]["message"].startswith("未计算")
