import numpy as np
import pytest
from scipy.optimize import least_squares

from alsrx.analytics import d50


def _simulate(n, *, noise, seed, visits=15, every=3.0):
    rng = np.random.default_rng(seed)
    true_d50 = rng.uniform(12, 60, n)
    true_dx = rng.uniform(3, 12, n)
    first = rng.uniform(2, 12, n)
    months = first[:, None] + every * np.arange(visits)[None, :]
    total = d50.model(months, true_d50[:, None], true_dx[:, None])
    total = total + rng.normal(0, noise, total.shape) if noise else total
    patient = np.repeat(np.arange(n), visits)
    return patient, months.ravel(), np.clip(total, 0, 48).ravel(), true_d50, true_dx


def _scipy_fit(months, total):
    """An independent fit of one patient, started from the true optimum's neighbourhood."""

    def residuals(p):
        return 48 / (1 + np.exp((months - p[0]) / p[1])) - total

    bounds = ([0.1, 0.05], [480, 240])
    tight = {"xtol": 1e-12, "ftol": 1e-12, "gtol": 1e-12}
    return least_squares(residuals, [30.0, 8.0], bounds=bounds, **tight).x


def test_the_model_reproduces_the_published_test_vector():
    # D50 = 30, dx = 8: t = 0 -> 46.90, 12 -> 43.42, 30 -> 24.00, 48 -> 4.58.
    values = d50.model([0, 12, 30, 48], 30, 8)
    np.testing.assert_allclose(values, [46.90, 43.42, 24.00, 4.58], atol=0.005)


def test_noise_free_patients_are_recovered_within_a_thousandth_of_a_month():
    patient, months, total, true_d50, true_dx = _simulate(200, noise=0, seed=3)
    result = d50.fit(patient, months, total, anchor_at_onset=False)
    assert set(result.status) == {d50.Status.OK}
    np.testing.assert_allclose(result.d50, true_d50, atol=1e-3)
    np.testing.assert_allclose(result.dx, true_dx, atol=1e-3)
    assert np.all(result.rmse < 1e-3)


def test_noisy_patients_are_recovered_within_the_stated_tolerance():
    # Noise SD 1 point, 15 visits 3 months apart: the median D50 error stays below half a month
    # and 95 % of patients lie within 2 months (dx: 0.5 and 2 months).
    patient, months, total, true_d50, true_dx = _simulate(500, noise=1.0, seed=4)
    result = d50.fit(patient, months, total, anchor_at_onset=False)
    ok = np.array([s is d50.Status.OK for s in result.status])
    assert ok.mean() > 0.97
    d50_error = np.abs(result.d50[ok] - true_d50[ok])
    dx_error = np.abs(result.dx[ok] - true_dx[ok])
    assert np.median(d50_error) < 0.5 and np.quantile(d50_error, 0.95) < 2.0
    assert np.median(dx_error) < 0.5 and np.quantile(dx_error, 0.95) < 2.0


def test_each_fit_agrees_with_scipy_least_squares_fitted_patient_by_patient():
    patient, months, total, _, _ = _simulate(40, noise=1.5, seed=5)
    result = d50.fit(patient, months, total, anchor_at_onset=False)
    for i in np.flatnonzero([s is d50.Status.OK for s in result.status]):
        own = patient == i
        np.testing.assert_allclose(
            [result.d50[i], result.dx[i]], _scipy_fit(months[own], total[own]), atol=1e-3
        )


def test_fits_do_not_depend_on_the_batch_size():
    patient, months, total, _, _ = _simulate(60, noise=1.0, seed=6)
    whole = d50.fit(patient, months, total, anchor_at_onset=False)
    batched = d50.fit(patient, months, total, anchor_at_onset=False, batch_size=7)
    # Solver blocks group other patients at another batch size: equal to the fit's tolerance.
    np.testing.assert_allclose(batched.d50, whole.d50, atol=1e-3, equal_nan=True)
    assert batched.status == whole.status


def test_the_onset_anchor_adds_full_function_at_onset_to_the_data_used():
    months = np.array([14.0, 20.0, 26.0, 32.0])
    total = np.array([40.0, 35.0, 33.0, 24.0])
    patient = np.zeros(4)
    plain = d50.fit(patient, months, total, anchor_at_onset=False)
    anchored = d50.fit(patient, months, total, anchor_at_onset=True)
    assert (plain.anchor_at_onset, anchored.anchor_at_onset) == (False, True)
    np.testing.assert_allclose([plain.d50[0], plain.dx[0]], _scipy_fit(months, total), atol=1e-3)
    np.testing.assert_allclose(
        [anchored.d50[0], anchored.dx[0]],
        _scipy_fit(np.r_[0.0, months], np.r_[48.0, total]),
        atol=1e-3,
    )
    assert abs(anchored.d50[0] - plain.d50[0]) > 0.1


def test_fewer_than_three_visits_within_the_scale_are_too_few():
    result = d50.fit(
        ["a", "a", "b", "b", "b", "c", "c", "c"],
        [3, 6, 3, 6, 9, 3, 6, 9],
        [44, 40, 44, 40, 49, 44, 40, 35],  # b's 49 is off the scale and not used
        anchor_at_onset=True,
    )
    assert result.status[:2] == (d50.Status.TOO_FEW_VISITS, d50.Status.TOO_FEW_VISITS)
    assert result.status[2] is d50.Status.OK
    np.testing.assert_array_equal(result.n_visits, [2, 2, 3])
    assert np.isnan(result.d50[:2]).all() and np.isnan(result.rmse[:2]).all()
    assert result.aggressiveness[:2] == (None, None)


def test_a_course_without_decline_defines_no_d50_and_gets_no_group():
    # Any sigmoid still near 48 at 24 months fits; the search drifts towards the bounds.
    result = d50.fit([1, 1, 1, 1], [6, 12, 18, 24], [48, 48, 48, 48], anchor_at_onset=False)
    assert result.status[0] in {d50.Status.AT_BOUND, d50.Status.NOT_CONVERGED}
    assert np.isnan(result.d50[0]) and result.aggressiveness == (None,)


@pytest.mark.parametrize(
    ("value", "group"),
    [
        (5.0, d50.Aggressiveness.HIGH),
        (19.99, d50.Aggressiveness.HIGH),
        (20.0, d50.Aggressiveness.INTERMEDIATE),
        (40.0, d50.Aggressiveness.INTERMEDIATE),
        (40.01, d50.Aggressiveness.LOW),
    ],
)
def test_d50_groups_are_high_below_20_and_low_above_40_months(value, group):
    assert d50.aggressiveness(value) is group


def test_the_fitted_group_follows_the_fitted_d50():
    patient, months, total, true_d50, _ = _simulate(30, noise=0, seed=8)
    result = d50.fit(patient, months, total, anchor_at_onset=False)
    assert result.aggressiveness == tuple(d50.aggressiveness(v) for v in true_d50)


def test_months_before_onset_are_refused():
    with pytest.raises(ValueError, match="months must be >= 0"):
        d50.fit([1, 1, 1], [-1, 2, 3], [48, 47, 46], anchor_at_onset=False)


def test_points_in_any_order_fit_as_in_patient_order():
    patient, months, total, _, _ = _simulate(30, noise=1.0, seed=8)
    shuffled = np.random.default_rng(3).permutation(len(patient))
    plain = d50.fit(patient, months, total, anchor_at_onset=True)
    mixed_up = d50.fit(patient[shuffled], months[shuffled], total[shuffled], anchor_at_onset=True)
    np.testing.assert_allclose(mixed_up.d50, plain.d50, atol=1e-3, equal_nan=True)
