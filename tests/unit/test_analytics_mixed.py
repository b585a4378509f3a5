import numpy as np
import pandas as pd
import pytest

from alsrx.analytics import mixed

SLOPES = {"control": -1.0, "exercise": -0.5}  # points/month


def _cohort(per_group, *, seed, visits=6, centres=1, dropout=False):
    rng = np.random.default_rng(seed)
    rows = []
    for g, (group, slope) in enumerate(SLOPES.items()):
        for i in range(per_group):
            n_visits = rng.integers(3, visits + 1) if dropout else visits
            intercept = 42 + rng.normal(0, 3)
            own_slope = slope + rng.normal(0, 0.2)
            centre = f"c{i % centres}"
            for months in 3.0 * np.arange(n_visits):
                outcome = intercept + own_slope * months + rng.normal(0, 1.5)
                rows.append((f"{g}-{i}", centre, group, months, outcome))
    return pd.DataFrame(rows, columns=["patient", "centre", "group", "months", "outcome"])


def test_a_simulated_slope_difference_is_recovered():
    result = mixed.compare(_cohort(80, seed=1), reference="control")
    control, exercise = result.slopes
    (difference,) = result.differences
    assert (control.group, exercise.group) == ("control", "exercise")
    assert control.slope == pytest.approx(-1.0, abs=0.1)
    assert exercise.slope == pytest.approx(-0.5, abs=0.1)
    assert difference.difference == pytest.approx(0.5, abs=0.1)
    assert difference.ci_low < 0.5 < difference.ci_high
    assert difference.p_value < 1e-6
    assert (result.n_patients, result.n_observations, result.n_centres) == (160, 960, 1)
    assert result.method == mixed.METHOD
    assert result.caveats == ()


def test_the_difference_is_the_interaction_and_its_ci_is_symmetric_on_the_normal_scale():
    result = mixed.compare(_cohort(20, seed=2))
    control, exercise = result.slopes
    (difference,) = result.differences
    assert difference.difference == pytest.approx(exercise.slope - control.slope)
    half = (difference.ci_high - difference.ci_low) / 2
    assert difference.ci_low + half == pytest.approx(difference.difference)
    z = difference.difference / (half / 1.959963984540054)
    assert difference.p_value == pytest.approx(2 * (1 - _normal_cdf(abs(z))), rel=1e-6)


def _normal_cdf(x):
    from math import erf, sqrt

    return 0.5 * (1 + erf(x / sqrt(2)))


def test_the_95_percent_interval_covers_the_true_difference_about_95_percent_of_the_time():
    replicates = 50
    covered = 0
    for seed in range(replicates):
        (difference,) = mixed.compare(_cohort(12, seed=100 + seed, visits=5)).differences
        covered += difference.ci_low <= 0.5 <= difference.ci_high
    assert 0.85 <= covered / replicates <= 1.0


def test_several_centres_enter_as_a_fixed_effect_and_say_so():
    result = mixed.compare(_cohort(20, seed=3, centres=3, dropout=True))
    assert result.n_centres == 3
    assert result.caveats == (
        mixed.Caveat.DROPOUT_TRUNCATES_FOLLOW_UP,
        mixed.Caveat.CENTRE_FIXED_EFFECT,
    )


def test_plain_arrays_are_accepted_and_the_centre_is_optional():
    frame = _cohort(15, seed=4)
    result = mixed.compare({c: frame[c].to_numpy() for c in mixed.REQUIRED})
    assert result.n_centres == 1 and result.reference == "control"


def test_a_group_below_the_minimum_size_is_refused_by_name():
    frame = _cohort(12, seed=5)
    frame = frame[~frame["patient"].isin([f"1-{i}" for i in range(4)])]  # exercise: 8 left
    with pytest.raises(ValueError, match=r"fewer than 10 patients are refused: exercise \(8\)"):
        mixed.compare(frame)


def test_an_unknown_reference_group_is_refused():
    with pytest.raises(ValueError, match="reference group 'placebo'"):
        mixed.compare(_cohort(10, seed=6), reference="placebo")


def test_a_patient_in_two_groups_is_refused():
    frame = _cohort(10, seed=7)
    frame.loc[frame.index[0], "group"] = "exercise"
    with pytest.raises(ValueError, match="exactly one group"):
        mixed.compare(frame)


def test_a_missing_column_is_refused_naming_it():
    with pytest.raises(ValueError, match=r"missing column\(s\) \['outcome'\]"):
        mixed.compare(_cohort(10, seed=8).drop(columns="outcome"))
