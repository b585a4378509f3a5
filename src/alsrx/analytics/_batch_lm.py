"""Levenberg-Marquardt for many independent two-parameter curve fits at once.

Each patient's fit is its own small problem (2 parameters, a handful of points). One
general-purpose optimiser call per patient costs about a millisecond in call overhead alone, and
one call over a whole batch (scipy's trust-region solver with a block-diagonal sparse Jacobian)
shares one trust region among all patients, so the worst-conditioned patient sets the step
length for all: measured at about 1.5 ms per patient as well. Here every patient keeps its own
damping, bounds and convergence test while the arithmetic runs over all patients' points in
flat numpy arrays; patients that have finished drop out of the working set.

Algorithm: Marquardt's damped Gauss-Newton step (JᵀJ + λ·diag(JᵀJ)) δ = −Jᵀr (Marquardt DW.
An algorithm for least-squares estimation of nonlinear parameters. J Soc Ind Appl Math
1963;11:431-441), solved in closed form per 2x2 block. λ falls after a step that lowers the
patient's cost and rises otherwise. Bounds: a parameter on a bound whose step points outward is
held there and the other is stepped alone (an active-set projection); steps are also capped at
a fraction of the parameter's value (a trust region in all but name).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from alsrx.analytics._groups import FloatArray, IntArray

# model(t, p0, p1) -> (f, df/dp0, df/dp1), all per point.
Model = Callable[[FloatArray, FloatArray, FloatArray], tuple[FloatArray, FloatArray, FloatArray]]
BoolArray = npt.NDArray[np.bool_]

LAMBDA_START = 1e-3
LAMBDA_DOWN = 1 / 3  # after a step that lowered the cost
LAMBDA_UP = 4.0  # after one that did not
LAMBDA_GIVE_UP = 1e12  # no step of any length lowers the cost: stationary or stuck
STEP_TOLERANCE = 1e-9  # relative step below which a patient's search ends (MINPACK's xtol)
STATIONARY_STEP = 1e-3  # an undamped step (parameter units) below this at the end: a minimum
# From a poor start a full Gauss-Newton step can jump to a near-zero time constant, where the
# sigmoid is a step function, its gradient vanishes and the search is stuck on a plateau.
MAX_RELATIVE_STEP = 0.5  # per iteration, of the parameter's current value
TINY = 1e-300


@dataclass(frozen=True, eq=False)
class Solution:
    """x: parameters per patient (n x 2); converged: per patient; iterations: loop count."""

    x: FloatArray
    converged: BoolArray
    iterations: int


@dataclass
class _Work:
    """The still-searching patients and their points (indices into the full arrays)."""

    patients: IntArray
    points: IntArray
    group: IntArray  # local patient index of each working point


def solve(
    model: Model,
    t: FloatArray,
    y: FloatArray,
    group: IntArray,
    x0: FloatArray,
    *,
    lower: tuple[float, float],
    upper: tuple[float, float],
    max_iterations: int = 300,
) -> Solution:
    """Minimise sum((model(t) - y)^2) within each group (patient), independently."""
    n = len(x0)
    lo, hi = np.array(lower), np.array(upper)
    x = np.clip(np.array(x0, dtype=np.float64), lo, hi)
    lam = np.full(n, LAMBDA_START)
    searching = np.ones(n, dtype=bool)
    converged = np.zeros(n, dtype=bool)
    work = _working_set(group, searching)
    iteration = 0
    for iteration in range(1, max_iterations + 1):  # noqa: B007 - reported in the result
        p, k = work.patients, len(work.patients)
        tp, yp = t[work.points], y[work.points]
        xp = x[p]
        r, a, b = _residuals(model, tp, yp, xp, work.group)
        cost = _sum(work.group, r * r, k)
        step = _step(_normal(work.group, k, r, a, b), lam[p], xp, lo, hi)
        trial = np.clip(xp + step, lo, hi)
        r_new = _residuals(model, tp, yp, trial, work.group)[0]
        better = _sum(work.group, r_new * r_new, k) < cost
        moved = np.abs(trial - xp).max(axis=1) / (1.0 + np.abs(xp).max(axis=1))
        x[p[better]] = trial[better]
        lam[p] = np.where(better, lam[p] * LAMBDA_DOWN, lam[p] * LAMBDA_UP)
        ended = (moved <= STEP_TOLERANCE) | (cost == 0.0)
        converged[p[ended]] = True
        searching[p[ended | (lam[p] > LAMBDA_GIVE_UP)]] = False
        if not searching.any():
            break
        keep = searching[p]
        if not keep.all():
            work = _shrink(work, keep)
    stationary = _stationary(model, t, y, group, x, lo, hi)
    return Solution(x=x, converged=converged & stationary, iterations=iteration)


def _working_set(group: IntArray, searching: BoolArray) -> _Work:
    patients = np.flatnonzero(searching)
    points = np.flatnonzero(searching[group])
    return _Work(patients, points, np.searchsorted(patients, group[points]))


def _shrink(work: _Work, keep: BoolArray) -> _Work:
    """Drop finished patients and their points, renumbering the rest."""
    point_keep = keep[work.group]
    patients = work.patients[keep]
    local = np.cumsum(keep) - 1
    return _Work(patients, work.points[point_keep], local[work.group[point_keep]])


def _residuals(
    model: Model, t: FloatArray, y: FloatArray, x: FloatArray, group: IntArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    f, a, b = model(t, x[group, 0], x[group, 1])
    return f - y, a, b


def _normal(
    group: IntArray, k: int, r: FloatArray, a: FloatArray, b: FloatArray
) -> tuple[FloatArray, ...]:
    """Per patient: the entries of JᵀJ (aa, ab, bb) and of Jᵀr (ga, gb)."""
    return (
        _sum(group, a * a, k),
        _sum(group, a * b, k),
        _sum(group, b * b, k),
        _sum(group, a * r, k),
        _sum(group, b * r, k),
    )


def _step(
    normal: tuple[FloatArray, ...],
    lam: FloatArray,
    x: FloatArray,
    lo: FloatArray,
    hi: FloatArray,
) -> FloatArray:
    aa, ab, bb, ga, gb = normal
    daa = aa + lam * np.maximum(aa, TINY)
    dbb = bb + lam * np.maximum(bb, TINY)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        det = daa * dbb - ab * ab
        step = np.column_stack([-(dbb * ga - ab * gb) / det, -(daa * gb - ab * ga) / det])
        alone = np.column_stack([-ga / daa, -gb / dbb])  # each parameter stepped on its own
    blocked = ((x <= lo) & (step < 0)) | ((x >= hi) & (step > 0))
    only_second = blocked[:, 0] & ~blocked[:, 1]
    only_first = blocked[:, 1] & ~blocked[:, 0]
    step[only_second] = np.column_stack([np.zeros(only_second.sum()), alone[only_second, 1]])
    step[only_first] = np.column_stack([alone[only_first, 0], np.zeros(only_first.sum())])
    step[blocked.all(axis=1)] = 0.0
    step[~np.isfinite(step)] = 0.0  # a singular block: no step; damping rises until give-up
    return _limited(step, x)


def _limited(step: FloatArray, x: FloatArray) -> FloatArray:
    """The step shortened, direction kept, so no parameter changes by more than the cap."""
    with np.errstate(divide="ignore", invalid="ignore"):
        room = MAX_RELATIVE_STEP * np.abs(x) / np.abs(step)
    factor = np.minimum(1.0, np.nan_to_num(room, nan=1.0, posinf=1.0).min(axis=1))
    limited: FloatArray = step * factor[:, None]
    return limited


def _stationary(
    model: Model,
    t: FloatArray,
    y: FloatArray,
    group: IntArray,
    x: FloatArray,
    lo: FloatArray,
    hi: FloatArray,
) -> BoolArray:
    """Whether an undamped, bound-projected Gauss-Newton step from x would barely move."""
    n = len(x)
    r, a, b = _residuals(model, t, y, x, group)
    aa, ab, bb, ga, gb = _normal(group, n, r, a, b)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        det = aa * bb - ab * ab
        step = np.column_stack([-(bb * ga - ab * gb) / det, -(aa * gb - ab * ga) / det])
    step = np.clip(x + step, lo, hi) - x
    return np.asarray((np.abs(step) <= STATIONARY_STEP).all(axis=1))


def _sum(group: IntArray, values: FloatArray, k: int) -> FloatArray:
    return np.bincount(group, weights=values, minlength=k).astype(np.float64)
