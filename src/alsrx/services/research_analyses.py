"""A cohort's analyses as they may be shown: group sizes, D50 and slopes per group, the mixed
model's comparison, and the mean course by group beside a natural-history reference.

Disclosure (analytics/disclosure.py, the deployment's policy): every count shown goes through
the policy; a statistic of a group (a mean, a median, a model estimate) is shown only when the
group's count would be shown unchanged by suppression, i.e. above the policy's threshold (an
alsrx rule: a mean of three patients says much about each of them).
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
from sqlalchemy.orm import Session

from alsrx.analytics import d50, disclosure, slopes
from alsrx.errors import NotFound
from alsrx.services import reference_cohorts, research_cohort
from alsrx.services.actor import Actor
from alsrx.services.research_cohort import Subject

if TYPE_CHECKING:
    # At run time imported by the functions that fit: pandas and statsmodels take seconds to
    # import, which every start of the server would pay for an analysis it may never run.
    from alsrx.analytics import mixed

BIN_MONTHS = 6  # the course's time bins (months since onset), alsrx default
D50_BIN_MONTHS = 12
D50_BINS = 8  # 0-12 ... 84-96, then 96 or more


@dataclass(frozen=True)
class GroupSummary:
    code: str
    patients: int | None  # disclosed
    slope_median: float | None  # points/month, per-patient OLS
    d50_median: float | None  # months
    aggressiveness: Mapping[str, int | None]  # disclosed counts: high, intermediate, low


@dataclass(frozen=True)
class Course:
    """Mean ALSFRS-R total per time bin (bin starts in months), per group and the reference."""

    bins: tuple[int, ...]
    means: Mapping[str, tuple[float | None, ...]]
    reference: tuple[float | None, ...] | None


@dataclass(frozen=True)
class Analysis:
    grouping: str
    policy: str
    anchor_at_onset: bool
    patients: int | None
    visits: int | None
    groups: tuple[GroupSummary, ...]
    course: Course
    d50_histogram: tuple[tuple[int, int | None], ...]  # (bin start in months, disclosed count)
    comparison: mixed.SlopeComparison | None
    comparison_refused: str | None  # why there is no comparison (a code)
    fits_ok: int | None  # disclosed count of patients with a D50 fit
    methods: tuple[str, ...]


def _shown(n: int, policy: disclosure.Policy) -> bool:
    return n > policy.threshold


Arrays = tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], npt.NDArray[np.float64]]


def _arrays(subjects: Sequence[Subject]) -> Arrays:
    ids, months, totals = [], [], []
    for i, s in enumerate(subjects):
        for m, t in zip(s.months, s.totals, strict=True):
            if t is not None and m >= 0:
                ids.append(i)
                months.append(m)
                totals.append(float(t))
    return np.array(ids, dtype=np.int64), np.array(months), np.array(totals)


def analyse(
    subjects: Sequence[Subject],
    *,
    grouping: str,
    anchor_at_onset: bool,
    policy: disclosure.Policy,
    reference: Sequence[Sequence[tuple[float, float]]] = (),
) -> Analysis:
    from alsrx.analytics import mixed  # see the import at the top

    ids, months, totals = _arrays(subjects)
    fits = d50.fit(ids, months, totals, anchor_at_onset=anchor_at_onset) if len(ids) else None
    rates = slopes.slopes(ids, months, totals) if len(ids) else None
    by_group: dict[str, list[int]] = {}
    for i, s in enumerate(subjects):
        by_group.setdefault(s.groups[grouping], []).append(i)
    index = {} if fits is None else {int(p): k for k, p in enumerate(fits.patients)}
    order = [g for g in research_cohort.ORDER[grouping] if g in by_group]
    groups = tuple(_summary(code, by_group[code], fits, rates, index, policy) for code in order)
    comparison, refused = _compare(subjects, grouping, ids, months, totals, order)
    if comparison is not None and not _comparable(comparison, policy):
        comparison, refused = None, "small_groups"
    ok = 0 if fits is None else sum(st is d50.Status.OK for st in fits.status)
    return Analysis(
        grouping=grouping,
        policy=policy.name,
        anchor_at_onset=anchor_at_onset,
        patients=disclosure.count(len(subjects), policy),
        visits=disclosure.count(len(ids), policy),
        groups=groups,
        course=_course(subjects, grouping, order, policy, reference),
        d50_histogram=_histogram(fits, policy),
        comparison=comparison,
        comparison_refused=refused,
        fits_ok=disclosure.count(ok, policy),
        methods=(d50.METHOD, "ols_slope_per_patient", mixed.METHOD),
    )


def _summary(
    code: str,
    members: list[int],
    fits: d50.D50Fits | None,
    rates: slopes.Slopes | None,
    index: Mapping[int, int],
    policy: disclosure.Policy,
) -> GroupSummary:
    rows = [index[i] for i in members if i in index]
    ok = [k for k in rows if fits is not None and fits.status[k] is d50.Status.OK]
    kinds = {a.value: 0 for a in d50.Aggressiveness}
    for k in ok:
        kind = fits.aggressiveness[k] if fits is not None else None
        if kind is not None:
            kinds[kind.value] += 1
    rated = [
        float(rates.slope[k])
        for k in rows
        if rates is not None and rates.status[k] is slopes.Status.OK
    ]
    shown = _shown(len(members), policy)
    return GroupSummary(
        code=code,
        patients=disclosure.count(len(members), policy),
        slope_median=statistics.median(rated) if shown and len(rated) > policy.threshold else None,
        d50_median=statistics.median(float(fits.d50[k]) for k in ok)
        if fits is not None and shown and len(ok) > policy.threshold
        else None,
        aggressiveness=disclosure.table(kinds, policy),
    )


def _course(
    subjects: Sequence[Subject],
    grouping: str,
    codes: list[str],
    policy: disclosure.Policy,
    reference: Sequence[Sequence[tuple[float, float]]],
) -> Course:
    cells: dict[tuple[str, int], dict[int, list[float]]] = {}
    for i, s in enumerate(subjects):
        for m, t in zip(s.months, s.totals, strict=True):
            if t is not None and m >= 0:
                bin_ = int(m // BIN_MONTHS) * BIN_MONTHS
                cells.setdefault((s.groups[grouping], bin_), {}).setdefault(i, []).append(t)
    ref_cells: dict[int, dict[int, list[float]]] = {}
    for j, series in enumerate(reference):
        for m, t in series:
            if m >= 0:
                ref_cells.setdefault(int(m // BIN_MONTHS) * BIN_MONTHS, {}).setdefault(
                    j, []
                ).append(t)
    bins = tuple(sorted({b for _, b in cells}))
    means = {code: tuple(_mean(cells.get((code, b), {}), policy) for b in bins) for code in codes}
    ref = tuple(_mean(ref_cells.get(b, {}), policy) for b in bins) if reference else None
    return Course(bins, means, ref)


def _mean(cell: Mapping[int, list[float]], policy: disclosure.Policy) -> float | None:
    """The mean of the patients' own means in the bin (each patient counts once), shown when
    more patients than the policy's threshold are in it."""
    if not _shown(len(cell), policy):
        return None
    return statistics.fmean(statistics.fmean(v) for v in cell.values())


def _histogram(
    fits: d50.D50Fits | None, policy: disclosure.Policy
) -> tuple[tuple[int, int | None], ...]:
    counts = [0] * (D50_BINS + 1)
    if fits is not None:
        for value, status in zip(fits.d50.tolist(), fits.status, strict=True):
            if status is d50.Status.OK and math.isfinite(value):
                counts[min(D50_BINS, int(value // D50_BIN_MONTHS))] += 1
    return tuple((k * D50_BIN_MONTHS, disclosure.count(n, policy)) for k, n in enumerate(counts))


def _compare(
    subjects: Sequence[Subject],
    grouping: str,
    ids: npt.NDArray[np.int64],
    months: npt.NDArray[np.float64],
    totals: npt.NDArray[np.float64],
    order: list[str],
) -> tuple[mixed.SlopeComparison | None, str | None]:
    from alsrx.analytics import mixed  # see the import at the top

    if len({s.groups[grouping] for s in subjects}) < 2:
        return None, "one_group"
    data = {
        mixed.PATIENT: ids,
        mixed.CENTRE: [subjects[i].centre for i in ids],
        mixed.GROUP: [subjects[i].groups[grouping] for i in ids],
        mixed.MONTHS: months,
        mixed.OUTCOME: totals,
    }
    try:
        return mixed.compare(data, reference=order[0]), None
    except ValueError:
        return None, "small_groups"


def _comparable(result: mixed.SlopeComparison, policy: disclosure.Policy) -> bool:
    return all(_shown(g.n_patients, policy) for g in result.slopes)


def of_cohort(
    session: Session,
    actor: Actor,
    filters: research_cohort.Filters,
    *,
    grouping: str,
    anchor_at_onset: bool,
    policy: disclosure.Policy,
    today: dt.date,
) -> Analysis:
    """The researcher's cohort analysed, with the PRO-ACT reference behind it when imported."""
    research_cohort.check(filters, grouping)
    subjects = research_cohort.subjects(session, actor, filters, today=today)
    try:
        reference = reference_cohorts.trajectories(session, reference_cohorts.DEFAULT_NAME)
    except NotFound:
        reference = []
    return analyse(
        subjects,
        grouping=grouping,
        anchor_at_onset=anchor_at_onset,
        policy=policy,
        reference=reference,
    )
