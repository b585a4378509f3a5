"""Cohort comparison of decline: a linear mixed model of the outcome over time, by group.

Model (Laird NM, Ware JH. Random-effects models for longitudinal data. Biometrics
1982;38:963-974), fitted by REML with statsmodels MixedLM:

    outcome ~ months * C(group) [+ C(centre)],  random intercept and random slope (months)
                                                 per patient, unstructured 2x2 covariance

so each group has its own mean slope (points/month) and the interaction terms are the slope
differences against the reference group. Confidence intervals and p values are Wald intervals
and tests on the normal scale (as statsmodels reports them for MixedLM), 95 %.

Centres: with more than one, the centre enters as a categorical fixed effect (shifting the
intercept). A centre random effect with patients nested in it would be the textbook choice, but
statsmodels fits nested variance components patient by patient in Python and this is too slow
for 10,000 patients; the fixed effect removes between-centre differences in level and the
result says so (caveat ``centre_fixed_effect``).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from statistics import NormalDist

import numpy as np
import numpy.typing as npt
import pandas as pd
from statsmodels.regression.mixed_linear_model import MixedLM, MixedLMParams
from statsmodels.tools.sm_exceptions import ConvergenceWarning

from alsrx.analytics import slopes

METHOD = "lmm_reml_random_intercept_slope"
PATIENT, CENTRE, GROUP, MONTHS, OUTCOME = "patient", "centre", "group", "months", "outcome"
REQUIRED = (PATIENT, GROUP, MONTHS, OUTCOME)
# A group's mean slope and its share of the random-slope variance are poorly estimated from a
# handful of patients; 10 also keeps every group above the CMS small-cell threshold (1-10).
MIN_PATIENTS_PER_GROUP = 10
Z_95 = NormalDist().inv_cdf(0.975)  # 1.95996...


class Caveat(StrEnum):
    """Codes a reader must see beside the result."""

    # Patients leave follow-up (death, ventilation, withdrawal) for reasons tied to their own
    # decline; the model assumes dropout at random given the observed data, so fast decliners'
    # short follow-up can bias slopes towards slower decline.
    DROPOUT_TRUNCATES_FOLLOW_UP = "dropout_truncates_follow_up"
    # More than one centre: centre entered as a fixed effect, not as a nested random effect.
    CENTRE_FIXED_EFFECT = "centre_fixed_effect"
    # The optimiser did not report convergence; estimates may be unreliable.
    NOT_CONVERGED = "not_converged"


@dataclass(frozen=True)
class GroupSlope:
    """A group's mean slope in points/month with its 95 % confidence interval."""

    group: str
    n_patients: int
    slope: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True)
class SlopeDifference:
    """A group's slope minus the reference group's, with 95 % CI and two-sided Wald p."""

    group: str
    reference: str
    difference: float
    ci_low: float
    ci_high: float
    p_value: float


@dataclass(frozen=True)
class SlopeComparison:
    """The fitted comparison.

    n_patients, n_observations, n_centres: what the model saw.
    reference: the group the differences are taken against.
    slopes: one per group, reference first, then in sorted order.
    differences: one per non-reference group, same order.
    method: the code of the model.
    caveats: codes that apply to this fit.
    """

    n_patients: int
    n_observations: int
    n_centres: int
    reference: str
    slopes: tuple[GroupSlope, ...]
    differences: tuple[SlopeDifference, ...]
    method: str
    caveats: tuple[Caveat, ...]


def compare(
    data: pd.DataFrame | Mapping[str, npt.ArrayLike],
    *,
    reference: str | None = None,
    min_patients: int = MIN_PATIENTS_PER_GROUP,
) -> SlopeComparison:
    """Fit the mixed model to one row per visit: patient, group, months, outcome, [centre].

    Group and centre labels are compared as text. ``reference`` defaults to the first group in
    sorted order. ValueError for a missing column, non-finite months or outcome, a patient in
    more than one group or centre, an unknown reference, or a group with fewer than
    ``min_patients`` patients (naming it).
    """
    frame = _validated(pd.DataFrame(data))
    groups = sorted(frame[GROUP].unique())
    reference = groups[0] if reference is None else str(reference)
    if reference not in groups:
        raise ValueError(f"reference group {reference!r} not among groups {groups}")
    order = [reference, *[g for g in groups if g != reference]]
    sizes = frame.groupby(GROUP)[PATIENT].nunique()
    small = [f"{g} ({int(sizes[g])})" for g in order if sizes[g] < min_patients]
    if small:
        raise ValueError(
            f"groups with fewer than {min_patients} patients are refused: {', '.join(small)}"
        )
    centres = sorted(frame[CENTRE].unique())
    exog, exog_re = _design(frame, order, centres)
    fe, cov, converged = _fit(frame, exog, exog_re)
    return SlopeComparison(
        n_patients=int(frame[PATIENT].nunique()),
        n_observations=len(frame),
        n_centres=len(centres),
        reference=reference,
        slopes=tuple(_group_slope(g, i, fe, cov, int(sizes[g])) for i, g in enumerate(order)),
        differences=tuple(
            _difference(g, reference, i, fe, cov) for i, g in enumerate(order) if i > 0
        ),
        method=METHOD,
        caveats=_caveats(frame, len(centres), converged),
    )


def _validated(frame: pd.DataFrame) -> pd.DataFrame:
    missing = [column for column in REQUIRED if column not in frame.columns]
    if missing:
        raise ValueError(f"missing column(s) {missing}; required: {list(REQUIRED)}")
    out = pd.DataFrame(
        {
            PATIENT: frame[PATIENT].to_numpy(),
            CENTRE: frame[CENTRE].astype(str) if CENTRE in frame.columns else "",
            GROUP: frame[GROUP].astype(str),
            MONTHS: pd.to_numeric(frame[MONTHS]).astype(np.float64),
            OUTCOME: pd.to_numeric(frame[OUTCOME]).astype(np.float64),
        }
    )
    for column in (MONTHS, OUTCOME):
        if not np.isfinite(out[column].to_numpy()).all():
            raise ValueError(f"{column} must be finite numbers")
    for column in (GROUP, CENTRE):
        if (out.groupby(PATIENT)[column].nunique() > 1).any():
            raise ValueError(f"every patient must belong to exactly one {column}")
    return out


def _design(
    frame: pd.DataFrame, order: list[str], centres: list[str]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Fixed effects [1, months, per non-reference group: indicator, months x indicator, per
    non-reference centre: indicator]; random effects [1, months]."""
    months = frame[MONTHS].to_numpy()
    columns = [np.ones_like(months), months]
    for group in order[1:]:
        indicator = (frame[GROUP] == group).to_numpy(dtype=np.float64)
        columns += [indicator, indicator * months]
    columns += [(frame[CENTRE] == c).to_numpy(dtype=np.float64) for c in centres[1:]]
    return np.column_stack(columns), np.column_stack([np.ones_like(months), months])


def _fit(
    frame: pd.DataFrame, exog: npt.NDArray[np.float64], exog_re: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], bool]:
    """REML fit; returns (fixed effects, their covariance, converged)."""
    model = MixedLM(
        frame[OUTCOME].to_numpy(), exog, groups=frame[PATIENT].to_numpy(), exog_re=exog_re
    )
    start = _start(frame, exog, exog_re)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        # statsmodels tries the optimisers in turn until one converges.
        result = model.fit(reml=True, method=["bfgs", "lbfgs"], start_params=start)
    k = exog.shape[1]
    fe = np.asarray(result.fe_params, dtype=np.float64)
    cov = np.asarray(result.cov_params(), dtype=np.float64)[:k, :k]
    warned = any(issubclass(w.category, ConvergenceWarning) for w in caught)
    return fe, cov, bool(result.converged) and not warned


def _start(
    frame: pd.DataFrame, exog: npt.NDArray[np.float64], exog_re: npt.NDArray[np.float64]
) -> MixedLMParams:
    """Starting values by the method of moments: fixed effects by OLS, the random-effects
    covariance from the spread of per-patient OLS lines through the residuals.

    statsmodels' own start (identity covariance) failed to converge on 10,000 simulated
    patients with unequal follow-up, and starting near the answer halves the fit time.
    """
    y = frame[OUTCOME].to_numpy()
    beta = np.linalg.lstsq(exog, y, rcond=None)[0]
    residual = y - exog @ beta
    lines = slopes.slopes(frame[PATIENT].to_numpy(), frame[MONTHS].to_numpy(), residual)
    ok = np.array([status is slopes.Status.OK for status in lines.status])
    means = pd.DataFrame({PATIENT: frame[PATIENT], "t": frame[MONTHS], "r": residual})
    means = means.groupby(PATIENT).mean().loc[lines.patients]
    intercepts = means["r"].to_numpy() - np.nan_to_num(lines.slope) * means["t"].to_numpy()
    scale = max(float(residual.var()), 1e-12)
    if ok.sum() > 2:
        cov = np.cov(np.column_stack([intercepts[ok], lines.slope[ok]]).T) / scale
    else:
        cov = np.eye(exog_re.shape[1])
    # Floor the eigenvalues: the start must be a valid (positive definite) covariance.
    values, vectors = np.linalg.eigh(cov)
    cov = (vectors * np.maximum(values, 1e-6)) @ vectors.T
    return MixedLMParams.from_components(beta, cov_re=cov)


def _slope_index(position: int) -> int:
    # Column 1 is the reference slope; group i > 0 has its interaction at column 2 + 2(i-1) + 1.
    return 1 if position == 0 else 2 * position + 1


def _group_slope(
    group: str,
    position: int,
    fe: npt.NDArray[np.float64],
    cov: npt.NDArray[np.float64],
    n_patients: int,
) -> GroupSlope:
    # The group's slope is a linear combination c·β: the reference slope plus its interaction.
    c = np.zeros(len(fe))
    c[1] = 1.0
    if position > 0:
        c[_slope_index(position)] = 1.0
    slope, se = float(c @ fe), math.sqrt(float(c @ cov @ c))
    return GroupSlope(group, n_patients, slope, slope - Z_95 * se, slope + Z_95 * se)


def _difference(
    group: str,
    reference: str,
    position: int,
    fe: npt.NDArray[np.float64],
    cov: npt.NDArray[np.float64],
) -> SlopeDifference:
    i = _slope_index(position)
    estimate, se = float(fe[i]), math.sqrt(float(cov[i, i]))
    p_value = math.erfc(abs(estimate / se) / math.sqrt(2.0))  # two-sided normal tail
    return SlopeDifference(
        group, reference, estimate, estimate - Z_95 * se, estimate + Z_95 * se, p_value
    )


def _caveats(frame: pd.DataFrame, n_centres: int, converged: bool) -> tuple[Caveat, ...]:
    last_visit = frame.groupby(PATIENT)[MONTHS].max()
    caveats = []
    if last_visit.max() > last_visit.min():  # follow-up ends at different times
        caveats.append(Caveat.DROPOUT_TRUNCATES_FOLLOW_UP)
    if n_centres > 1:
        caveats.append(Caveat.CENTRE_FIXED_EFFECT)
    if not converged:
        caveats.append(Caveat.NOT_CONVERGED)
    return tuple(caveats)
