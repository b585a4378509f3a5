"""Per-patient ALSFRS-R slope: ordinary least squares of the total on time, in points per month.

The slope of a straight line fitted by ordinary least squares to each patient's visits (the
textbook estimator: slope = sum((t - mean t)(y - mean y)) / sum((t - mean t)^2)); negative for
decline, unlike ΔFRS (alsrx.domain.scales.progression), which is positive for
decline and uses symptom onset as its second point. A slope needs at least 2 visits spanning a
time > 0. Vectorised over all patients at once: both sums are taken within each patient about
the patient's own means, with no loop over patients.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from alsrx.analytics import _groups

MIN_VISITS = 2  # two points define a line; fewer leave the slope undefined


class Status(StrEnum):
    OK = "ok"
    TOO_FEW_VISITS = "too_few_visits"  # fewer than MIN_VISITS
    NO_TIME_SPAN = "no_time_span"  # every visit at the same time


@dataclass(frozen=True, eq=False)
class Slopes:
    """Slopes for many patients, one entry per patient in ``patients`` order (read-only arrays).

    patients: the distinct patient ids, sorted.
    slope: points per month; NaN where status is not ``ok``.
    n_visits: visits per patient.
    span_months: last minus first visit time.
    status: one ``Status`` code per patient.
    """

    patients: npt.NDArray[np.generic]
    slope: _groups.FloatArray
    n_visits: _groups.IntArray
    span_months: _groups.FloatArray
    status: tuple[Status, ...]


def slopes(patient: npt.ArrayLike, months: npt.ArrayLike, total: npt.ArrayLike) -> Slopes:
    """OLS slope of ``total`` on ``months`` for every patient, from three parallel arrays."""
    visits = _groups.grouped(patient, months, total, what="total")
    n = np.bincount(visits.group, minlength=visits.n_patients)
    t_mean = visits.per_patient_sum(visits.months) / np.maximum(n, 1)
    y_mean = visits.per_patient_sum(visits.values) / np.maximum(n, 1)
    dt = visits.months - t_mean[visits.group]
    sxx = visits.per_patient_sum(dt * dt)
    sxy = visits.per_patient_sum(dt * (visits.values - y_mean[visits.group]))
    span = _span(visits)
    status = np.where(
        n < MIN_VISITS, Status.TOO_FEW_VISITS, np.where(span > 0, Status.OK, Status.NO_TIME_SPAN)
    )
    ok = status == Status.OK
    slope = np.full(visits.n_patients, np.nan)
    slope[ok] = sxy[ok] / sxx[ok]
    return Slopes(
        patients=_groups.frozen(visits.patients),
        slope=_groups.frozen(slope),
        n_visits=_groups.frozen(n.astype(np.int64)),
        span_months=_groups.frozen(span),
        status=tuple(Status(code) for code in status.tolist()),
    )


def _span(visits: _groups.Visits) -> _groups.FloatArray:
    last = np.full(visits.n_patients, -np.inf)
    first = np.full(visits.n_patients, np.inf)
    np.maximum.at(last, visits.group, visits.months)
    np.minimum.at(first, visits.group, visits.months)
    span: _groups.FloatArray = last - first
    return span
