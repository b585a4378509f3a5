"""FVC reference values: GLI-2012 predicted, % predicted, z-score and lower limit of normal.

Source: Quanjer PH, Stanojevic S, Cole TJ, et al. Multi-ethnic reference values for spirometry
for the 3-95-yr age range: the global lung function 2012 equations. Eur Respir J
2012;40:1324-1343. doi:10.1183/09031936.00080312.

LMS method (clinical-facts 7.4):
  L = q0 + q1 ln(age) + Lspline(age)
  M = exp(a0 + a1 ln(height_cm) + a2 ln(age) + a3 AfrAm + a4 NEAsia + a5 SEAsia + a6 Other
          + Mspline(age))
  S = exp(p0 + p1 ln(age) + p2 AfrAm + p3 NEAsia + p4 SEAsia + p5 Other + Sspline(age))
  % predicted = 100 measured / M;  z = ((measured / M)^L - 1) / (L S)
  LLN (5th centile) = M (1 - 1.645 L S)^(1 / L)
Splines come from the published look-up table (quarter-year rows, ages 3-95), held as data in
data/gli2012_fvc_splines.csv and interpolated linearly between rows, as the GLI software does.
The coefficients below are the published FVC coefficients (Caucasian reference with ethnic
offsets). An independent implementation (pyspiro) is used only as a test oracle.
"""

from __future__ import annotations

import csv
import functools
import io
import math
from bisect import bisect_right
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources

from alsrx.domain.sex import Sex
from alsrx.domain.unavailable import Unavailable

AGE_MIN_YEARS = 3.0
AGE_MAX_YEARS = 95.0
LLN_Z = -1.645  # 5th centile, the GLI/ATS-ERS lower limit of normal


class Group(StrEnum):
    """The five GLI-2012 ethnic groups."""

    CAUCASIAN = "caucasian"
    AFRICAN_AMERICAN = "african_american"
    NORTH_EAST_ASIAN = "north_east_asian"
    SOUTH_EAST_ASIAN = "south_east_asian"
    OTHER = "other"


@dataclass(frozen=True)
class Coefficients:
    a: tuple[float, ...]  # a0..a6 for M
    p: tuple[float, ...]  # p0..p5 for S
    q: tuple[float, float]  # q0, q1 for L


# Quanjer 2012 FVC coefficients (identical in pyspiro's and rspiro's tables; clinical-facts 7.4).
FVC = {
    Sex.MALE: Coefficients(
        a=(-11.2281, 2.4135, 0.0865, -0.1684, -0.0405, -0.1177, -0.0825),
        p=(-2.2963, 0.0718, 0.0794, -0.4600, 0.0325, -0.0503),
        q=(0.9481, 0.0),
    ),
    Sex.FEMALE: Coefficients(
        a=(-10.403, 2.2633, 0.0234, -0.1555, -0.0262, -0.1516, -0.0833),
        p=(-2.3549, 0.1017, 0.0810, -0.1809, 0.0459, -0.0503),
        q=(0.8236, 0.0),
    ),
}
_GROUP_OFFSET_INDEX = {
    Group.AFRICAN_AMERICAN: 0,
    Group.NORTH_EAST_ASIAN: 1,
    Group.SOUTH_EAST_ASIAN: 2,
    Group.OTHER: 3,
}


@dataclass(frozen=True)
class Lms:
    l: float
    m: float
    s: float


@dataclass(frozen=True)
class Fvc:
    measured_l: float | None
    predicted_l: float | None
    percent_predicted: float | None
    z_score: float | None
    lln_l: float | None
    below_lln: bool | None
    unavailable: tuple[Unavailable, ...] = ()


@dataclass(frozen=True)
class _Table:
    ages: tuple[float, ...]
    rows: dict[Sex, tuple[tuple[float, float, float], ...]]  # (L, M, S) splines per age row


@functools.cache
def _table() -> _Table:
    text = resources.files(__package__).joinpath("data/gli2012_fvc_splines.csv").read_text("utf-8")
    lines = [line for line in io.StringIO(text) if not line.startswith("#")]
    records = list(csv.DictReader(lines))
    ages = tuple(float(r["age"]) for r in records)
    rows = {
        sex: tuple(
            (float(r[f"{sex}_l_spline"]), float(r[f"{sex}_m_spline"]), float(r[f"{sex}_s_spline"]))
            for r in records
        )
        for sex in Sex
    }
    return _Table(ages, rows)


def _splines(sex: Sex, age_years: float) -> tuple[float, float, float]:
    table = _table()
    rows = table.rows[sex]
    i = bisect_right(table.ages, age_years) - 1
    if i >= len(table.ages) - 1:
        return rows[-1]
    lo_age, hi_age = table.ages[i], table.ages[i + 1]
    w = (age_years - lo_age) / (hi_age - lo_age)
    lo, hi = rows[i], rows[i + 1]
    return (
        lo[0] + w * (hi[0] - lo[0]),
        lo[1] + w * (hi[1] - lo[1]),
        lo[2] + w * (hi[2] - lo[2]),
    )


def lms(*, sex: Sex, age_years: float, height_cm: float, group: Group) -> Lms:
    """L, M and S of FVC for one person; age must be within 3-95 years."""
    if not AGE_MIN_YEARS <= age_years <= AGE_MAX_YEARS:
        raise ValueError(f"GLI-2012 covers ages {AGE_MIN_YEARS}-{AGE_MAX_YEARS}: {age_years}")
    c = FVC[sex]
    l_spline, m_spline, s_spline = _splines(sex, age_years)
    dummies = [0.0, 0.0, 0.0, 0.0]
    if group in _GROUP_OFFSET_INDEX:
        dummies[_GROUP_OFFSET_INDEX[group]] = 1.0
    ln_age = math.log(age_years)
    l_value = c.q[0] + c.q[1] * ln_age + l_spline
    m_value = math.exp(
        c.a[0]
        + c.a[1] * math.log(height_cm)
        + c.a[2] * ln_age
        + sum(a * d for a, d in zip(c.a[3:], dummies, strict=True))
        + m_spline
    )
    s_value = math.exp(
        c.p[0]
        + c.p[1] * ln_age
        + sum(p * d for p, d in zip(c.p[2:], dummies, strict=True))
        + s_spline
    )
    return Lms(l_value, m_value, s_value)


def z_score(measured: float, ref: Lms) -> float:
    return (float((measured / ref.m) ** ref.l) - 1.0) / (ref.l * ref.s)


def lln(ref: Lms) -> float:
    return ref.m * float((1.0 + LLN_Z * ref.l * ref.s) ** (1.0 / ref.l))


def assess(
    *,
    sex: Sex,
    age_years: float,
    height_cm: float | None,
    group: Group | None,
    measured_l: float | None,
) -> Fvc:
    missing = _missing_inputs(age_years=age_years, height_cm=height_cm, group=group)
    if missing or height_cm is None or group is None:
        return Fvc(measured_l, None, None, None, None, None, missing)
    ref = lms(sex=sex, age_years=age_years, height_cm=height_cm, group=group)
    limit = lln(ref)
    if measured_l is None:
        reason = (Unavailable("not_measured", "assessment.fvc_l"),)
        return Fvc(None, ref.m, None, None, limit, None, reason)
    return Fvc(
        measured_l,
        ref.m,
        100.0 * measured_l / ref.m,
        z_score(measured_l, ref),
        limit,
        measured_l < limit,
    )


def _missing_inputs(
    *, age_years: float, height_cm: float | None, group: Group | None
) -> tuple[Unavailable, ...]:
    reasons: list[Unavailable] = []
    if height_cm is None:
        reasons.append(Unavailable("not_measured", "patient.height_cm"))
    if group is None:
        reasons.append(Unavailable("not_measured", "patient.ethnicity"))
    if not AGE_MIN_YEARS <= age_years <= AGE_MAX_YEARS:
        reasons.append(
            Unavailable(
                "outside_reference_range",
                "patient.birth_date",
                {
                    "what": "age_years",
                    "min": AGE_MIN_YEARS,
                    "max": AGE_MAX_YEARS,
                    "source": "GLI-2012",
                },
            )
        )
    return tuple(reasons)
