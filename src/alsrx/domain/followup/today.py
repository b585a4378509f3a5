"""What one day of the plan asks of the patient, read from the approved plan's week.

Rules and their sources:
- The day's components and their order come from the engine's weekly schedule stored with the
  prescription (domain/prescription/schedule.py, rec-weekly-schedule): day 1 is the plan's first
  day and the week repeats, so a day of the plan is (days since the start) mod 7 + 1. Every day
  is in the schedule's session order (warm-up range of motion, resistance before aerobic:
  rec-combined, R40).
- The plan's other components are offered below as "not planned today", still loggable, in the
  prescription's session order (alsrx default: a patient who does an exercise on another day
  than planned must still be able to say so).
- alsrx default: a plan stored without a week (drafted before the schedule existed) shows every
  component as planned each day, in the session order.
- After a red flag today (chest pain, a fall with injury, dizziness: rec-safety, R30) the
  patient is told to stop for the rest of the day (the plan's stop rules: "stop and contact
  the clinic"), so Today shows no plan until tomorrow.
- alsrx default: patients and caregivers log for today or yesterday (LOG_DAYS_BACK); older
  sessions are entered by the clinician, who can ask what happened.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from alsrx.domain.followup.model import RED_FLAGS

DAYS = 7
LOG_DAYS_BACK = 1  # alsrx default: today and yesterday; older through the clinician


@dataclass(frozen=True)
class Planned:
    component: str
    times: int  # sessions of it planned that day: 1, or 2 for a twice-daily stretch


@dataclass(frozen=True)
class DayPlan:
    day: int  # 1..7, the schedule's day of the plan's week
    planned: tuple[Planned, ...]  # in the prescribed order
    not_planned: tuple[str, ...]  # the plan's other components, in the session order


def day_of_plan(started_on: dt.date, day: dt.date) -> int:
    """The schedule's day (1..7) that `day` falls on; the plan's first day is day 1."""
    return max(0, (day - started_on).days) % DAYS + 1


def _session_order(content: Mapping[str, Any]) -> list[str]:
    present = [c["type"] for c in content["components"]]
    order = [t for t in content.get("session_order") or () if t in present]
    return order + [t for t in present if t not in order]


def for_day(content: Mapping[str, Any], *, started_on: dt.date, day: dt.date) -> DayPlan:
    """The components planned on `day` (in order, with how often), then the plan's others."""
    number = day_of_plan(started_on, day)
    present = _session_order(content)
    week: Sequence[Mapping[str, Any]] = content.get("weekly_schedule") or ()
    if not week:
        return DayPlan(number, tuple(Planned(t, 1) for t in present), ())
    rest_day: Mapping[str, Any] = {"components": [], "twice": []}
    stored = next((d for d in week if d["day"] == number), rest_day)
    # A paused plan keeps its week but not its exercise components: only what is still in it.
    planned = tuple(
        Planned(t, 2 if t in stored.get("twice", ()) else 1)
        for t in stored["components"]
        if t in present
    )
    chosen = {p.component for p in planned}
    return DayPlan(number, planned, tuple(t for t in present if t not in chosen))


def loggable_days(today: dt.date, started_on: dt.date | None) -> tuple[dt.date, ...]:
    """The days a patient may log for, today first: today, and yesterday unless the plan started
    today. (The service refuses a day before the plan; this only decides what is offered.)"""
    earlier = (today - dt.timedelta(days=n) for n in range(1, LOG_DAYS_BACK + 1))
    return (today, *(d for d in earlier if started_on is None or d >= started_on))


def stop_for_today(*, red_flag_raised: bool, symptoms_logged: Iterable[Iterable[str]]) -> bool:
    """True after a red flag today: raised as an alert today, or logged for today."""
    return red_flag_raised or any(s in RED_FLAGS for found in symptoms_logged for s in found)


def remaining(planned: Sequence[Planned], on_day: Mapping[str, int]) -> list[str]:
    """The planned components with fewer sessions logged for the day than planned (a twice-daily
    stretch logged once still waits), in the prescribed order."""
    return [p.component for p in planned if on_day.get(p.component, 0) < p.times]


def next_after(
    planned: Sequence[Planned], saved: str | None, on_day: Mapping[str, int]
) -> str | None:
    """The card to log next: after logging `saved`, the next planned one still waiting that day,
    going round to the earlier ones; without a tap, the first one still waiting. None when
    every planned session of the day is logged. `on_day`: sessions logged per component for
    the day, the one just saved included."""
    waiting = set(remaining(planned, on_day))
    kinds = [p.component for p in planned]
    start = kinds.index(saved) + 1 if saved in kinds else 0
    ring = [*kinds[start:], *kinds[:start]]
    return next((t for t in ring if t in waiting), None)
