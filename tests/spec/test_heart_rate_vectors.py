"""Heart-rate equations. Vectors: clinical-facts 7.1 (age 60, resting HR 70): Fox 160 -> 50 %
HRR 115.0, 75 % HRR 137.5; Tanaka 166.0 -> 118.0 / 142.0; Gellish 165.0 -> 117.5 / 141.25.
Tanaka JACC 2001;37:153; Gellish MSSE 2007;39:822; Karvonen 1957."""

import pytest

from alsrx.domain.equations import heart_rate as hr

M = hr.MaxSource


@pytest.mark.parametrize(
    ("equation", "hr_max", "at_50", "at_75"),
    [
        (M.FOX, 160.0, 115.0, 137.5),
        (M.TANAKA, 166.0, 118.0, 142.0),
        (M.GELLISH, 165.0, 117.5, 141.25),
    ],
)
def test_age_predicted_max_and_karvonen_targets_match_the_worked_example(
    equation, hr_max, at_50, at_75
):
    result = hr.assess(age_years=60, rest_bpm=70, equation=equation)
    assert result.max_bpm == pytest.approx(hr_max)
    assert result.max_source is equation
    assert result.reserve_bpm == pytest.approx(hr_max - 70)
    assert result.target_bpm(0.50) == pytest.approx(at_50)
    assert result.target_bpm(0.75) == pytest.approx(at_75)


def test_a_measured_cpet_peak_is_preferred_to_any_equation():
    result = hr.assess(age_years=60, rest_bpm=70, measured_max_bpm=150, equation=M.FOX)
    assert result.max_source is M.MEASURED
    assert result.max_bpm == 150
    assert result.targets_reliable


def test_beta_blocker_makes_targets_unreliable_and_says_so():
    predicted = hr.assess(age_years=60, rest_bpm=70, beta_blocker=True)
    measured = hr.assess(age_years=60, rest_bpm=70, measured_max_bpm=140, beta_blocker=True)
    assert not predicted.targets_reliable and predicted.warnings == ("beta_blocker_predicted_max",)
    assert not measured.targets_reliable and measured.warnings == ("beta_blocker_measured_max",)


def test_missing_resting_heart_rate_leaves_reserve_null_with_a_reason():
    result = hr.assess(age_years=60, rest_bpm=None)
    assert result.reserve_bpm is None and result.target_bpm(0.5) is None
    assert (
        result.unavailable is not None and result.unavailable.field == "assessment.resting_hr_bpm"
    )


def test_resting_rate_at_or_above_max_gives_no_reserve():
    result = hr.assess(age_years=60, rest_bpm=140, measured_max_bpm=130)
    assert result.reserve_bpm is None
    assert result.unavailable is not None and result.unavailable.code == "rest_not_below_max"
