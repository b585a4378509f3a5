"""Progression rate ΔFRS and its category.

ΔFRS = (48 - ALSFRS-R total) / months from symptom onset to the assessment, in points per month,
positive for decline. Kimura F et al. Progression rate of ALSFRS-R at time of diagnosis predicts
survival time in ALS. Neurology 2006;66:265-267 (as described in Kjældgaard AL et al., BMC
Neurol 2021;21:164). A month is 365.25 / 12 days (see alsrx.domain.time).

Category cut-offs differ between studies (Kjældgaard 2021, Table 4), so the cut-off set is a
parameter and the result names its source. Default: Labra J et al., J Neurol Neurosurg
Psychiatry 2016 (tertiles, n = 164; title and pages not verified here, figures as tabulated by
Kjældgaard 2021): slow < 0.47, intermediate 0.47 to < 1.11, fast >= 1.11.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from alsrx.domain import time
from alsrx.domain.scales.alsfrs_r import TOTAL_MAX
from alsrx.domain.unavailable import Unavailable


class Category(StrEnum):
    SLOW = "slow"
    INTERMEDIATE = "intermediate"
    FAST = "fast"


@dataclass(frozen=True)
class CutoffSet:
    """Three progression groups: slow < intermediate_from <= intermediate < fast_from <= fast."""

    id: str
    source: str
    intermediate_from: float
    fast_from: float


LABRA_2016 = CutoffSet(
    id="labra2016",
    source="Labra et al. 2016, JNNP (tertiles, n=164), "
    "as tabulated by Kjældgaard et al. BMC Neurol 2021;21:164",
    intermediate_from=0.47,
    fast_from=1.11,
)
KIMURA_2006 = CutoffSet(
    id="kimura2006",
    source="Kimura et al. Neurology 2006;66:265-267 (three groups), via Kjældgaard et al. 2021",
    intermediate_from=0.5,
    fast_from=1.0,
)
CUTOFF_SETS = {c.id: c for c in (LABRA_2016, KIMURA_2006)}
DEFAULT_CUTOFFS = LABRA_2016


@dataclass(frozen=True)
class Progression:
    months_since_onset: float
    delta_frs_per_month: float | None
    category: Category | None
    cutoffs: CutoffSet
    unavailable: Unavailable | None = None


def delta_frs(total: int, months_since_onset: float) -> float:
    """Points lost per month since onset; months must be positive."""
    return (TOTAL_MAX - total) / months_since_onset


def categorise(rate: float, cutoffs: CutoffSet = DEFAULT_CUTOFFS) -> Category:
    if rate < cutoffs.intermediate_from:
        return Category.SLOW
    if rate < cutoffs.fast_from:
        return Category.INTERMEDIATE
    return Category.FAST


def assess(
    total: int, *, onset: dt.date, on: dt.date, cutoffs: CutoffSet = DEFAULT_CUTOFFS
) -> Progression:
    """ΔFRS at the assessment on `on`; null with a reason when onset is the same day."""
    months = time.months_between(onset, on)
    if months <= 0:
        reason = Unavailable("onset_on_assessment_day", "patient.symptom_onset_date")
        return Progression(months, None, None, cutoffs, reason)
    rate = delta_frs(total, months)
    return Progression(months, rate, categorise(rate, cutoffs), cutoffs)
