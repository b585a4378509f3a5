"""Grouped arrays: many patients' visits in flat arrays, one group per patient.

The vectorised fits (slopes, D50) work on flat arrays sorted by patient so that per-patient sums
are one ``np.add.reduceat`` and per-visit lookups one fancy index, with no Python loop over
patients.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
A = TypeVar("A", bound=npt.NDArray[Any])
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class Visits:
    """Visits sorted by patient (stable, so each patient's visits keep their input order).

    patients: the distinct patient ids, sorted.
    group: for each visit, the index of its patient in ``patients``.
    months, values: the visit's time and outcome.
    """

    patients: npt.NDArray[np.generic]
    group: IntArray
    months: FloatArray
    values: FloatArray

    @property
    def n_patients(self) -> int:
        return len(self.patients)

    def per_patient_sum(self, x: npt.NDArray[np.floating] | npt.NDArray[np.bool_]) -> FloatArray:
        """Sum of a per-visit array within each patient (0 for a patient with no visits)."""
        return np.bincount(self.group, weights=x, minlength=self.n_patients).astype(np.float64)


def grouped(
    patient: npt.ArrayLike, months: npt.ArrayLike, values: npt.ArrayLike, *, what: str
) -> Visits:
    """Validate three parallel 1-D arrays and sort them by patient.

    ValueError naming the field when lengths differ, or months or values are not finite.
    """
    ids = np.asarray(patient)
    t = np.asarray(months, dtype=np.float64)
    y = np.asarray(values, dtype=np.float64)
    if ids.ndim != 1 or t.shape != ids.shape or y.shape != ids.shape:
        raise ValueError(
            f"patient, months and {what} must be 1-D of one length, "
            f"got {ids.shape}, {t.shape}, {y.shape}"
        )
    for name, array in (("months", t), (what, y)):
        if not np.isfinite(array).all():
            raise ValueError(f"{name} must be finite numbers")
    patients, group = np.unique(ids, return_inverse=True)
    order = np.argsort(group, kind="stable")
    return Visits(patients, group[order].astype(np.int64), t[order], y[order])


def frozen(array: A) -> A:
    """The array made read-only, so a frozen result cannot be changed through it."""
    array.flags.writeable = False
    return array
