"""A researcher's cohort: the patients of their centres that pass the filters, each with their
course (ALSFRS-R and FVC over months since onset) and their exercise exposure, grouped for
comparison. The same de-identified data set the export writes (research_dataset)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.domain import time
from alsrx.domain.followup import adherence
from alsrx.errors import FieldError, InvalidInput, PermissionDenied
from alsrx.services import access
from alsrx.services import research_dataset as dataset
from alsrx.services.actor import Actor

GROUPINGS = ("adherence", "programme", "dose")
# Programme types by the components that carry a training dose (alsrx default grouping):
# aerobic and resistance together, either alone, or neither (breathing, stretching, balance).
PROGRAMMES = ("combined", "aerobic", "resistance", "other", "no_plan")
# Prescribed sessions a week at the least (the plan's own planned_per_week), in bands: alsrx
# defaults around the 2-3 sessions a week of the exercise trials in ALS.
DOSE_BANDS = ((0, 2, "up_to_2"), (3, 4, "3_to_4"), (5, 10**6, "5_or_more"))
ADHERENCE_GROUPS = ("low", "middle", "high", "no_weeks")  # tertiles within the cohort
ORDER = {  # how a grouping's groups are listed; the first present is the comparison's reference
    "adherence": ADHERENCE_GROUPS,
    "programme": PROGRAMMES,
    "dose": (*(name for _, _, name in DOSE_BANDS), "no_plan"),
}


@dataclass(frozen=True)
class Filters:
    centre_ids: frozenset[int] = frozenset()  # empty: all of the researcher's centres
    onset_regions: frozenset[str] = frozenset()
    kings_stages: frozenset[str] = frozenset()  # at baseline
    categories: frozenset[str] = frozenset()  # progression category at baseline
    programmes: frozenset[str] = frozenset()
    # Exposure: the adherence third (within the cohort the other filters leave) and the dose.
    adherence: frozenset[str] = frozenset()
    doses: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Subject:
    research_id: str
    centre: str
    onset_region: str
    kings_stage: str
    category: str
    programme: str
    sessions_per_week: int | None  # the first plan's, at the least
    adherence: float | None  # over every complete week since the first plan
    months: tuple[float, ...]
    totals: tuple[float | None, ...]
    fvc_percent: tuple[float | None, ...]
    groups: dict[str, str] = field(default_factory=dict, compare=False)


def programme_of(components: Sequence[str]) -> str:
    kinds = set(components)
    if not kinds:
        return "no_plan"
    if {"aerobic", "resistance"} <= kinds:
        return "combined"
    if "aerobic" in kinds:
        return "aerobic"
    return "resistance" if "resistance" in kinds else "other"


def dose_band(sessions: int | None) -> str:
    if sessions is None:
        return "no_plan"
    return next(name for low, high, name in DOSE_BANDS if low <= sessions <= high)


def check(filters: Filters, grouping: str) -> None:
    if grouping not in GROUPINGS:
        raise InvalidInput([FieldError("group_by", "not_one_of", {"allowed": GROUPINGS})])
    for name, chosen in (("programme", filters.programmes), ("adherence", filters.adherence),
                         ("dose", filters.doses)):  # fmt: skip
        allowed = PROGRAMMES if name == "programme" else ORDER[name]
        if not chosen <= set(allowed):
            raise InvalidInput([FieldError(name, "not_one_of", {"allowed": allowed})])


def centres(session: Session, actor: Actor) -> dict[int, str]:
    """The researcher's centres by id, with their names (the builder's choices)."""
    access.require_role(actor, "researcher")
    rows = session.execute(
        select(models.Centre.id, models.Centre.name)
        .where(models.Centre.id.in_(sorted(actor.centre_ids)))
        .order_by(models.Centre.name)
    )
    return {int(i): str(n) for i, n in rows}


def subjects(session: Session, actor: Actor, filters: Filters, *, today: dt.date) -> list[Subject]:
    """The cohort's patients, in research-id order, each put in a group of every grouping."""
    access.require_role(actor, "researcher")
    wanted = filters.centre_ids or actor.centre_ids
    if not wanted <= actor.centre_ids:
        raise PermissionDenied("centre outside the researcher's centres")
    scope = dataset.Scope(frozenset(wanted), today)
    visits = dataset.assessments(session, scope)
    plans, weeks, _skipped = dataset.exposure(session, scope)
    out = []
    for m in dataset.members(session, scope):
        found = _subject(m, visits.take(m.patient_id), plans.take(m.patient_id),
                         weeks.take(m.patient_id), today=today)  # fmt: skip
        if _passes(found, filters):
            out.append(found)
    grouped = _grouped(sorted(out, key=lambda s: s.research_id))
    return [
        s
        for s in grouped
        if (not filters.adherence or s.groups["adherence"] in filters.adherence)
        and (not filters.doses or s.groups["dose"] in filters.doses)
    ]


def _subject(
    m: dataset.Member, visits: list[Any], plans: list[Any], weeks: list[Any], *, today: dt.date
) -> Subject:
    rows, _spans, tallies = dataset.plan_history(plans, weeks, today=today)
    first = rows[0] if rows else None
    course = [
        (
            round(time.months_between(m.onset, day), 3),
            (derived.get("alsfrs_r") or {}).get("total"),
            (derived.get("fvc") or {}).get("percent_predicted"),
        )
        for _pid, day, _data, derived in visits
    ]
    return Subject(
        research_id=m.row["research_id"],
        centre=m.row["Site"],
        onset_region=m.row["Onset_Region"],
        kings_stage=str(m.row["Baseline_Kings_Stage"] or ""),
        category=str(m.row["Baseline_Progression_Category"] or ""),
        programme=programme_of(
            [c["type"] for c in first.content.get("components") or ()] if first else ()
        ),
        sessions_per_week=first.planned_per_week if first else None,
        adherence=adherence.value(tallies) if tallies else None,
        months=tuple(c[0] for c in course),
        totals=tuple(c[1] for c in course),
        fvc_percent=tuple(c[2] for c in course),
    )


def _passes(s: Subject, f: Filters) -> bool:
    return all(
        not wanted or value in wanted
        for wanted, value in (
            (f.onset_regions, s.onset_region),
            (f.kings_stages, s.kings_stage),
            (f.categories, s.category),
            (f.programmes, s.programme),
        )
    )


def tertile_cuts(values: Sequence[float]) -> tuple[float, float] | None:
    """The cohort's adherence tertiles (nearest-rank 1/3 and 2/3 quantiles); None without
    values."""
    if not values:
        return None
    ordered = sorted(values)
    n = len(ordered)
    return ordered[max(0, -(-n // 3) - 1)], ordered[max(0, -(-2 * n // 3) - 1)]


def adherence_group(value: float | None, cuts: tuple[float, float] | None) -> str:
    if value is None or cuts is None:
        return "no_weeks"
    if value <= cuts[0]:
        return "low"
    return "middle" if value <= cuts[1] else "high"


def _grouped(found: list[Subject]) -> list[Subject]:
    cuts = tertile_cuts([s.adherence for s in found if s.adherence is not None])
    for s in found:
        s.groups.update(
            adherence=adherence_group(s.adherence, cuts),
            programme=s.programme,
            dose=dose_band(s.sessions_per_week),
        )
    return found
