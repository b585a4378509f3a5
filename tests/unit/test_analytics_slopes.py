import numpy as np
import pytest

from alsrx.analytics import slopes


def test_slopes_agree_with_numpy_polyfit_for_every_patient():
    rng = np.random.default_rng(7)
    n_patients = 300
    visits = rng.integers(2, 12, size=n_patients)
    patient = np.repeat(np.arange(n_patients), visits)
    months = rng.uniform(0, 36, size=patient.size)
    total = np.clip(45 - 0.8 * months + rng.normal(0, 2, size=patient.size), 0, 48)
    shuffle = rng.permutation(patient.size)  # visits need not arrive grouped or in time order

    result = slopes.slopes(patient[shuffle], months[shuffle], total[shuffle])

    expected = [np.polyfit(months[patient == p], total[patient == p], 1)[0] for p in range(300)]
    np.testing.assert_allclose(result.slope, expected, rtol=1e-9, atol=1e-12)
    assert result.status == (slopes.Status.OK,) * n_patients
    np.testing.assert_array_equal(result.n_visits, visits)


def test_a_patient_with_one_visit_or_no_time_span_has_no_slope():
    result = slopes.slopes(
        ["a", "b", "b", "c", "c", "c"], [0, 3, 3, 0, 6, 12], [40, 38, 37, 44, 41, 38]
    )
    assert list(result.patients) == ["a", "b", "c"]
    assert result.status == (
        slopes.Status.TOO_FEW_VISITS,
        slopes.Status.NO_TIME_SPAN,
        slopes.Status.OK,
    )
    assert np.isnan(result.slope[:2]).all()
    assert result.slope[2] == pytest.approx(-0.5)
    np.testing.assert_array_equal(result.span_months, [0.0, 0.0, 12.0])


def test_the_result_arrays_are_read_only():
    result = slopes.slopes([1, 1], [0, 1], [48, 47])
    with pytest.raises(ValueError, match="read-only"):
        result.slope[0] = 0.0


def test_a_missing_total_is_refused_naming_the_field():
    with pytest.raises(ValueError, match="total must be finite"):
        slopes.slopes([1, 1], [0, 1], [48, float("nan")])


def test_arrays_of_different_lengths_are_refused():
    with pytest.raises(ValueError, match="one length"):
        slopes.slopes([1, 1], [0, 1, 2], [48, 47])
