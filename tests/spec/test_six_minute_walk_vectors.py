"""Enright & Sherrill, AJRCCM 1998;158:1384. Vectors: clinical-facts 7.3 (computed by hand from
the published equations): man 60 y, 175 cm, 80 kg -> 573.8 m (LLN 420.8); woman 55 y, 162 cm,
65 kg -> 542.1 m (LLN 403.1)."""

import pytest

from alsrx.domain.equations import six_minute_walk as smw
from alsrx.domain.sex import Sex


@pytest.mark.parametrize(
    ("sex", "age", "height", "weight", "predicted", "lln"),
    [(Sex.MALE, 60, 175, 80, 573.8, 420.8), (Sex.FEMALE, 55, 162, 65, 542.1, 403.1)],
)
def test_predicted_distance_and_lln_match_the_worked_example(
    sex, age, height, weight, predicted, lln
):
    result = smw.assess(sex=sex, age_years=age, height_cm=height, weight_kg=weight, measured_m=400)
    assert result.predicted_m == pytest.approx(predicted, abs=0.05 + 1e-9)  # vector rounded to 0.1
    assert result.lln_m == pytest.approx(lln, abs=0.05 + 1e-9)
    assert result.percent_predicted == pytest.approx(100 * 400 / result.predicted_m)


def test_below_lln_is_flagged():
    result = smw.assess(sex=Sex.MALE, age_years=60, height_cm=175, weight_kg=80, measured_m=400)
    assert result.below_lln is True


def test_womens_lln_is_marked_as_not_verified():
    result = smw.assess(sex=Sex.FEMALE, age_years=55, height_cm=162, weight_kg=65, measured_m=None)
    assert result.lln_confidence == "recalled_not_verified"
    assert result.percent_predicted is None and result.unavailable[0].code == "not_measured"


@pytest.mark.parametrize("age", [39.9, 80.1])
def test_ages_outside_the_reference_population_are_not_extrapolated(age):
    result = smw.assess(sex=Sex.MALE, age_years=age, height_cm=175, weight_kg=80, measured_m=500)
    assert result.predicted_m is None
    assert result.unavailable[0].code == "outside_reference_range"
