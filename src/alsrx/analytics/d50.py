"""The D50 disease-progression model, fitted per patient in batches.

Model (Stubendorff B, Grosskreutz J et al., ENCALS 2017 poster P48; Steinbach R et al., Applying
the D50 disease progression model to gray and white matter pathology in ALS, NeuroImage Clin
2020;25:102094):

    ALSFRS-R(t) = 48 / (1 + exp((t - D50) / dx)),   t = months since symptom onset

D50 is the time at which the fitted total reaches 24 (half the scale): overall aggressiveness;
dx is a time constant setting the steepness (the slope at t = D50 is -12/dx points/month).

Fitting, as described for the model: non-linear least squares per patient, started from the
patient's linear progression rate ΔFRS, patients with at least 3 visits. The fits run by
scipy.optimize.least_squares in blocks of a dozen patients (alsrx.analytics._batch_fit), with
each patient's own convergence test; the results agree with the same solver fitted patient by
patient (tested). 10,000 patients x 15 visits take about 3 s on two cores.

Disease "phases" from relative D50 are deliberately not derived: their definition was not
verified.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from alsrx.analytics import _batch_fit, _groups
from alsrx.domain.scales.alsfrs_r import TOTAL_MAX

METHOD = "d50_sigmoid_nls_batched"
MIN_VISITS = 3  # as in the public R implementation of the D50 fit (>= 3 visits per patient)

# Bounds: our choice, wide enough for any observed course. D50 and dx must be > 0 (the model
# decays from 48 after onset); 480 months (40 years) and 240 months bound stable courses, which
# otherwise drift without limit and are reported as at_bound.
D50_BOUNDS = (0.1, 480.0)
DX_BOUNDS = (0.05, 240.0)
# Starting point from ΔFRS (Kimura F et al. Neurology 2006;66:265-267): a straight decline from
# 48 at onset at ΔFRS points/month reaches 24 at 24/ΔFRS months; matching the model's steepest
# slope (-12/dx) to -ΔFRS gives dx = 12/ΔFRS. ΔFRS is clipped so the start lies inside the bounds.
DFRS_CLIP = (0.1, 10.0)  # points/month
DFRS_DEFAULT = 0.5  # when no visit lies after onset
# Patients per vectorised solve: bounds memory (a few arrays of the batch's visits), not speed.
DEFAULT_BATCH = 20_000


class Status(StrEnum):
    OK = "ok"
    TOO_FEW_VISITS = "too_few_visits"  # fewer than MIN_VISITS totals within 0-48
    AT_BOUND = "at_bound"  # D50 or dx ended on a bound: the course does not define the sigmoid
    # The search stopped where a further Gauss-Newton step would still move the estimate, e.g.
    # a course flat at 48 with one late drop, which any steep enough sigmoid fits equally well.
    NOT_CONVERGED = "not_converged"


class Aggressiveness(StrEnum):
    """D50 groups as commonly quoted by the Jena group (Steinbach R et al. NeuroImage Clin 2020;
    Prell T et al. Health Qual Life Outcomes 2020, doi:10.1186/s12955-020-01372-6): high < 20
    months, intermediate 20-40, low > 40. Inclusivity is our choice: 20 and 40 are intermediate.
    """

    HIGH = "high"
    INTERMEDIATE = "intermediate"
    LOW = "low"


HIGH_BELOW = 20.0  # months
LOW_ABOVE = 40.0  # months


@dataclass(frozen=True, eq=False)
class D50Fits:
    """Per-patient D50 fits, one entry per patient in ``patients`` order (read-only arrays).

    patients: the distinct patient ids, sorted.
    d50, dx: months; NaN unless status is ``ok``.
    rmse: root mean square residual over the patient's visits (the onset anchor excluded);
        NaN for ``too_few_visits``.
    n_visits: visits with a total within 0-48 (the ones used).
    status: one ``Status`` code per patient.
    aggressiveness: the D50 group, None unless status is ``ok``.
    anchor_at_onset: whether (t=0, 48) was added to every patient's data.
    method: the code of this fitting method.
    """

    patients: npt.NDArray[np.generic]
    d50: _groups.FloatArray
    dx: _groups.FloatArray
    rmse: _groups.FloatArray
    n_visits: _groups.IntArray
    status: tuple[Status, ...]
    aggressiveness: tuple[Aggressiveness | None, ...]
    anchor_at_onset: bool
    method: str = METHOD


def model(months: npt.ArrayLike, d50: npt.ArrayLike, dx: npt.ArrayLike) -> _groups.FloatArray:
    """ALSFRS-R(t) = 48 / (1 + exp((t - D50) / dx)), written with tanh to avoid overflow."""
    z = (np.asarray(months, dtype=np.float64) - np.asarray(d50)) / np.asarray(dx)
    return np.asarray(TOTAL_MAX * _logistic(-z), dtype=np.float64)


def aggressiveness(d50: float) -> Aggressiveness:
    """The D50 group: high < 20 months <= intermediate <= 40 months < low."""
    if d50 < HIGH_BELOW:
        return Aggressiveness.HIGH
    return Aggressiveness.LOW if d50 > LOW_ABOVE else Aggressiveness.INTERMEDIATE


def fit(
    patient: npt.ArrayLike,
    months: npt.ArrayLike,
    total: npt.ArrayLike,
    *,
    anchor_at_onset: bool,
    batch_size: int = DEFAULT_BATCH,
) -> D50Fits:
    """Fit the D50 model to every patient's visits (months since onset, ALSFRS-R totals).

    Visits with a total outside 0-48 are not used. ``anchor_at_onset`` adds the point (0, 48)
    to every patient's data (the patient is assumed to have had full function at onset); it is
    a required choice because it changes the estimates and is recorded in the result.
    ValueError for non-finite or negative months, or a batch size below 1.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    visits = _groups.grouped(patient, months, total, what="total")
    if (visits.months < 0).any():
        raise ValueError("months must be >= 0 (time since symptom onset)")
    used = (visits.values >= 0) & (visits.values <= TOTAL_MAX)
    n_used = np.bincount(visits.group[used], minlength=visits.n_patients).astype(np.int64)
    fittable = np.flatnonzero(n_used >= MIN_VISITS)
    params = np.full((visits.n_patients, 2), np.nan)
    status = np.full(visits.n_patients, Status.TOO_FEW_VISITS.value, dtype=object)
    rmse = np.full(visits.n_patients, np.nan)
    keep = used & np.isin(visits.group, fittable)
    t, y, g = visits.months[keep], visits.values[keep], visits.group[keep]
    for start in range(0, len(fittable), batch_size):
        batch = fittable[start : start + batch_size]
        in_batch = (g >= batch[0]) & (g <= batch[-1])  # groups are sorted, batches contiguous
        local = np.searchsorted(batch, g[in_batch])
        fitted = _fit_batch(t[in_batch], y[in_batch], local, len(batch), anchor_at_onset)
        params[batch], status[batch], rmse[batch] = fitted
    ok = status == Status.OK.value
    params[~ok] = np.nan
    return D50Fits(
        patients=_groups.frozen(visits.patients),
        d50=_groups.frozen(params[:, 0].copy()),
        dx=_groups.frozen(params[:, 1].copy()),
        rmse=_groups.frozen(rmse),
        n_visits=_groups.frozen(n_used),
        status=tuple(Status(code) for code in status),
        aggressiveness=tuple(
            aggressiveness(d) if good else None
            for d, good in zip(params[:, 0].tolist(), ok.tolist(), strict=True)
        ),
        anchor_at_onset=anchor_at_onset,
    )


def _fit_batch(
    t: _groups.FloatArray,
    y: _groups.FloatArray,
    group: _groups.IntArray,
    n: int,
    anchor: bool,
) -> tuple[_groups.FloatArray, npt.NDArray[np.object_], _groups.FloatArray]:
    """One vectorised solve for n patients; returns (params n x 2, status, rmse)."""
    n_observed = len(t)
    x0 = _start(t, y, group, n)
    if anchor:
        t = np.concatenate([t, np.zeros(n)])
        y = np.concatenate([y, np.full(n, float(TOTAL_MAX))])
        group = np.concatenate([group, np.arange(n)])

    solution = _batch_fit.solve(
        _sigmoid,
        t,
        y,
        group,
        x0,
        lower=(D50_BOUNDS[0], DX_BOUNDS[0]),
        upper=(D50_BOUNDS[1], DX_BOUNDS[1]),
    )
    x = solution.x
    at_bound = (
        np.isclose(x, [D50_BOUNDS[0], DX_BOUNDS[0]], rtol=1e-6, atol=0)
        | np.isclose(x, [D50_BOUNDS[1], DX_BOUNDS[1]], rtol=1e-6, atol=0)
    ).any(axis=1)
    status = np.where(
        at_bound,
        Status.AT_BOUND.value,
        np.where(solution.converged, Status.OK.value, Status.NOT_CONVERGED.value),
    ).astype(object)
    observed = group[:n_observed]
    residual = _sigmoid(t[:n_observed], x[observed, 0], x[observed, 1])[0] - y[:n_observed]
    counts = np.bincount(observed, minlength=n)
    rmse = np.sqrt(np.bincount(observed, weights=residual**2, minlength=n) / counts)
    return x, status, rmse


def _logistic(z: _groups.FloatArray) -> _groups.FloatArray:
    # 1 / (1 + exp(-z)) = (1 + tanh(z / 2)) / 2, an identity that cannot overflow.
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * z)), dtype=np.float64)


def _sigmoid(
    t: _groups.FloatArray, d50: _groups.FloatArray, dx: _groups.FloatArray
) -> tuple[_groups.FloatArray, _groups.FloatArray, _groups.FloatArray]:
    """The model f and its partials, for f = 48 s, s = logistic(-z), z = (t - D50)/dx.

    ds/dz = -s(1 - s), so df/dD50 = f (1 - s) / dx and df/ddx = f (1 - s) z / dx.
    """
    z = (t - d50) / dx
    f = TOTAL_MAX * _logistic(-z)
    common = f * (1.0 - f / TOTAL_MAX) / dx
    return f, common, common * z


def _start(
    t: _groups.FloatArray, y: _groups.FloatArray, group: _groups.IntArray, n: int
) -> _groups.FloatArray:
    """x0 per patient from ΔFRS = (48 - total) / months at the patient's last visit."""
    latest = np.full(n, -np.inf)
    np.maximum.at(latest, group, t)
    at_latest = t == latest[group]
    pick = np.zeros(n, dtype=np.int64)
    pick[group[at_latest]] = np.flatnonzero(at_latest)
    t_last, y_last = t[pick], y[pick]
    with np.errstate(divide="ignore", invalid="ignore"):
        dfrs = np.where(t_last > 0, (TOTAL_MAX - y_last) / t_last, DFRS_DEFAULT)
    dfrs = np.clip(dfrs, *DFRS_CLIP)
    x0 = np.column_stack([24.0 / dfrs, 12.0 / dfrs])
    x0[:, 0] = np.clip(x0[:, 0], D50_BOUNDS[0] * 1.01, D50_BOUNDS[1] * 0.99)
    x0[:, 1] = np.clip(x0[:, 1], DX_BOUNDS[0] * 1.01, DX_BOUNDS[1] * 0.99)
    return x0
