"""ΔFRS = (48 - total) / months since onset (Kimura 2006), a month being 365.25/12 days."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alsrx.domain.scales import progression as prog


def test_twelve_points_lost_over_exactly_twelve_months_is_one_point_a_month():
    onset = dt.date(2024, 1, 1)
    on = onset + dt.timedelta(days=365.25)  # timedelta keeps whole days: 365
    result = prog.assess(36, onset=onset, on=on)
    assert result.months_since_onset == pytest.approx(365 / (365.25 / 12))
    assert result.delta_frs_per_month == pytest.approx(12 / (365 / (365.25 / 12)))
    assert result.category is prog.Category.INTERMEDIATE  # Labra: 0.47 <= x < 1.11


@pytest.mark.parametrize(
    ("rate", "labra", "kimura"),
    [
        (0.0, "slow", "slow"),
        (0.469, "slow", "slow"),
        (0.47, "intermediate", "slow"),
        (0.5, "intermediate", "intermediate"),
        (1.0, "intermediate", "fast"),
        (1.109, "intermediate", "fast"),
        (1.11, "fast", "fast"),
    ],
)
def test_categories_follow_the_chosen_cut_off_set(rate, labra, kimura):
    assert prog.categorise(rate, prog.LABRA_2016) == labra
    assert prog.categorise(rate, prog.KIMURA_2006) == kimura


def test_assessment_on_the_day_of_onset_has_no_rate_and_says_why():
    day = dt.date(2026, 1, 1)
    result = prog.assess(40, onset=day, on=day)
    assert result.delta_frs_per_month is None and result.category is None
    assert result.unavailable is not None and result.unavailable.code == "onset_on_assessment_day"


@given(st.integers(0, 48), st.integers(1, 20000))
def test_rate_is_never_negative_and_zero_only_at_full_score(total, days):
    onset = dt.date(1990, 1, 1)
    result = prog.assess(total, onset=onset, on=onset + dt.timedelta(days=days))
    assert result.delta_frs_per_month is not None and result.delta_frs_per_month >= 0
    assert (result.delta_frs_per_month == 0) == (total == 48)
