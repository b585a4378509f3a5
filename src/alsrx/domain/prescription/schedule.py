"""One week, planned: which components on which day, and no day above the daily limit.

Rules and their sources (the rule as a whole is rec-weekly-schedule):
- Dose of the current phase: the progression step covering the current week (the last step
  once the programme has ended), else the component's own range; a component appears on as
  many days as the step's most sessions a week, each counted at its longest session.
- Stretching once or twice daily (G-acsm-2010; rec-flexibility-daily): 7 sessions a week is
  every day, 14 is twice every day, and a twice-daily component counts its minutes twice.
- Resistance on non-aerobic days (G-acsm-2010, the ACSM patient guide). Only when the two
  cannot fit apart in 7 days do the sessions beyond 7 go on combined days.
- Every day in the review's order: warm-up range of motion, resistance before aerobic
  (rec-combined; R40), then balance and breathing work (ORDER).
- About 1 h of exercise a day in total (rec-combined): no day above max_minutes_per_day.
- alsrx defaults (no source says how to lay out a week): sessions spread so that the same
  component is not on two days running where avoidable, across the week's end too, since the
  week repeats; days filled as tightly as the limit allows so that longer sessions still find
  a day; a rest day is allowed.
- alsrx default, what gives way when the week is too full (Schedule.unplaced): first every
  component's least dose of the phase (the floor of its evidence range), then its further
  sessions in turns, one per component a round; a second session on the same day last. Within
  a turn the order is PRIORITY: range of motion for everyone first (G-nice-ng42, the only part
  kept even when exercise is not recommended), then EMST (a fixed trial dose of short sessions,
  R36), resistance before aerobic (the review's order, rec-combined), balance last (the least
  direct evidence, R47).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import NamedTuple

from alsrx.domain.prescription.model import Component, ComponentType, Day, Note, Span
from alsrx.domain.prescription.params import EngineSettings

T = ComponentType
ORDER = (
    T.FLEXIBILITY,  # warm-up range of motion
    T.RESISTANCE,  # resistance before aerobic (rec-combined; R40)
    T.AEROBIC,
    T.BALANCE_FUNCTIONAL,
    T.RESPIRATORY_MUSCLE,
    T.BREATHING,
)
PRIORITY = (
    T.FLEXIBILITY,
    T.BREATHING,
    T.RESPIRATORY_MUSCLE,
    T.RESISTANCE,
    T.AEROBIC,
    T.BALANCE_FUNCTIONAL,
)
APART = (T.RESISTANCE, T.AEROBIC)  # on different days where the week allows (G-acsm-2010)
DAYS = 7
MOST_A_DAY = 2  # "once or twice daily" (G-acsm-2010): nothing is planned three times a day
EVIDENCE = ("rec-combined", "G-acsm-2010")


@dataclass(frozen=True)
class Schedule:
    """The week, and the planned sessions a week that did not fit under the daily limit."""

    days: tuple[Day, ...]
    unplaced: Mapping[ComponentType, int]
    below_minimum: tuple[ComponentType, ...]  # fewer placed than the phase's least dose


class _Dose(NamedTuple):  # a tuple: cheap to build and to hash for the memo below
    type: ComponentType
    least: int  # sessions a week, the phase's minimum
    most: int  # sessions a week, the phase's maximum
    minutes: int  # the phase's longest session


def current_phase(c: Component, week: int) -> tuple[Span, Span]:
    """(sessions a week, minutes a session) of the step covering the week, clamped to the last."""
    if not c.progression:
        return c.sessions_per_week, c.minutes_per_session
    step = c.progression[0]
    for later in c.progression:  # steps run in week order
        if later.first_week <= week:
            step = later
    return step.sessions_per_week, step.minutes_per_session


def _dose(c: Component, week: int) -> _Dose:
    sessions, minutes = current_phase(c, week)
    most = min(DAYS * MOST_A_DAY, int(_top(sessions)))
    return _Dose(c.type, min(most, int(sessions.min or 0)), most, int(_top(minutes)))


def _top(span: Span) -> float:
    return span.max if span.max is not None else (span.min or 0)


class _Week:
    """The week being filled: minutes per day, sessions per component and day, combined days.

    Runs for every prescription, so the day search is kept to plain lists and one integer key.
    """

    def __init__(self, limit: int, combined_allowed: int) -> None:
        self.limit = limit
        self.combined_left = combined_allowed
        self.load = [0] * DAYS
        self.count: dict[ComponentType, list[int]] = {}

    def place(self, dose: _Dose) -> bool:
        """Put one session on the best day that can take it; False when none can.

        Best, in this order: fewest sessions of it that day already (every day once before any
        day twice), not a combined day, fewest neighbouring days with it, least room left (the
        tightest fit keeps roomier days for longer sessions), earliest day.
        """
        mine = self.count.setdefault(dose.type, [0] * DAYS)
        other = self.count.get(_partner(dose.type)) if dose.type in APART else None
        per_day = MOST_A_DAY if dose.most > DAYS else 1
        best = -1
        best_key = 0
        for d in range(DAYS):
            room = self.limit - self.load[d] - dose.minutes
            combined = other is not None and other[d] > 0
            if mine[d] >= per_day or room < 0 or (combined and self.combined_left <= 0):
                continue
            # The week repeats, so day 7 sits next to day 1 of the next week.
            near = (mine[d - 1] > 0) + (mine[(d + 1) % DAYS] > 0)
            key = (((mine[d] * 2 + combined) * 3 + near) * (self.limit + 1) + room) * DAYS + d
            if best < 0 or key < best_key:
                best, best_key = d, key
        if best < 0:
            return False
        if other is not None and other[best] > 0:
            self.combined_left -= 1
        self.load[best] += dose.minutes
        mine[best] += 1
        return True

    def days(self) -> tuple[Day, ...]:
        kinds = [t for t in ORDER if t in self.count]
        return tuple(
            Day(
                day=d + 1,
                components=tuple(t for t in kinds if self.count[t][d] > 0),
                minutes_max=self.load[d],
                twice=tuple(t for t in kinds if self.count[t][d] > 1),
            )
            for d in range(DAYS)
        )


def _partner(kind: ComponentType) -> ComponentType:
    return APART[1] if kind is APART[0] else APART[0]


def weekly(
    components: Iterable[Component], *, current_week: int, settings: EngineSettings
) -> Schedule:
    """Seven days for the current phase; what does not fit under the limit is left out."""
    by_type = {c.type: _dose(c, current_week) for c in components}
    doses = tuple(by_type[t] for t in PRIORITY if t in by_type)
    return _fill(doses, settings.max_minutes_per_day)


# Pure, and called for every prescription with few distinct doses: remembered, so that the
# schedule adds next to nothing to the engine's cost per case (make bench).
@functools.lru_cache(maxsize=4096)
def _fill(doses: tuple[_Dose, ...], limit: int) -> Schedule:
    apart = sum(d.most for d in doses if d.type in APART)
    week = _Week(limit, combined_allowed=max(0, apart - DAYS))
    placed = {d.type: 0 for d in doses}
    full: set[ComponentType] = set()  # days only fill up: once refused, always refused
    for dose in [*_least(doses), *_extras(doses)]:
        if dose.type not in full and week.place(dose):
            placed[dose.type] += 1
        else:
            full.add(dose.type)
    unplaced = {d.type: d.most - placed[d.type] for d in doses if placed[d.type] < d.most}
    below = tuple(d.type for d in doses if placed[d.type] < d.least)
    return Schedule(week.days(), MappingProxyType(unplaced), below)


def _least(doses: tuple[_Dose, ...]) -> list[_Dose]:
    """Every component's least dose of the phase, in priority."""
    return [d for d in doses for _ in range(d.least)]


def _extras(doses: tuple[_Dose, ...]) -> list[_Dose]:
    """Further sessions, one per component a round in priority; twice-daily ones after all."""
    once = [d for d in doses if d.most <= DAYS]
    twice = [d for d in doses if d.most > DAYS]
    rounds = max((d.most - d.least for d in once), default=0)
    turns = [d for r in range(rounds) for d in once if d.most - d.least > r]
    return turns + [d for d in twice for _ in range(d.most - d.least)]


def notes(plan: Schedule, settings: EngineSettings) -> tuple[Note | None, Note | None]:
    """(for the trace: planned sessions the daily limit left out; for the clinician: a component
    left below its least dose of the phase), each None when it did not happen."""
    if not plan.unplaced:
        return None, None
    kinds = tuple(t for t in PRIORITY if t in plan.unplaced)
    limited = Note(
        "schedule_sessions_limited_by_day_limit",
        EVIDENCE,
        {
            "limit": settings.max_minutes_per_day,
            "sessions": sum(plan.unplaced.values()),
            "components": tuple(t.value for t in kinds),
            "unplaced": tuple(plan.unplaced[t] for t in kinds),
        },
    )
    if not plan.below_minimum:
        return limited, None
    below = Note(
        "schedule_below_least_dose",
        EVIDENCE,
        {
            "limit": settings.max_minutes_per_day,
            "components": tuple(t.value for t in plan.below_minimum),
        },
    )
    return limited, below
