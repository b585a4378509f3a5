"""Adherence: planned against done per component and ISO week; rolling adherence; streaks.

Planned sessions per week are the prescription's minimum (what the patient agreed to at the
least); a session counts as done when logged `done`, half when `partial`, nothing when `skipped`
or `stopped` (for a symptom). Weeks before the plan started and the current, unfinished week
are not judged. Thresholds: FollowupSettings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from alsrx.domain.followup.model import Completion, Plan, SessionLog, Severity, Signal
from alsrx.domain.followup.params import FollowupSettings

# A session stopped for a symptom earns nothing: a red flag is not a completed session unless the
# patient says so (alsrx default).
CREDIT = {
    Completion.DONE: 1.0,
    Completion.PARTIAL: 0.5,
    Completion.SKIPPED: 0.0,
    Completion.STOPPED: 0.0,
}


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True)
class WeekDose:
    week: dt.date  # Monday
    component: str
    planned_sessions: int
    done_sessions: float
    planned_minutes: float | None
    done_minutes: float
    sessions_in_hr_range: int
    sessions_with_hr: int
    mean_rpe: float | None
    mean_fatigue_recovery_min: float | None


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def weekly(plan: Plan, logs: Sequence[SessionLog], *, weeks: Sequence[dt.date]) -> list[WeekDose]:
    # Logs grouped once by (component, week): every logged session runs this over the plan's
    # last five weeks (about 100 logs), for each component and week.
    grouped: dict[tuple[str, dt.date], list[SessionLog]] = {}
    for g in logs:
        grouped.setdefault((g.component, week_start(g.date)), []).append(g)
    rows: list[WeekDose] = []
    for monday in weeks:
        for c in plan.components:
            these = grouped.get((c.type, monday), [])
            done = [g for g in these if g.completed is not Completion.SKIPPED]
            with_hr = [g for g in done if g.avg_hr_bpm is not None]
            in_range = [g for g in with_hr if _in_range(g.avg_hr_bpm, c.hr_min_bpm, c.hr_max_bpm)]
            rows.append(
                WeekDose(
                    week=monday,
                    component=c.type,
                    planned_sessions=c.sessions_per_week_min,
                    done_sessions=sum(CREDIT[g.completed] for g in these),
                    planned_minutes=c.sessions_per_week_min * c.minutes_max
                    if c.minutes_max
                    else None,
                    done_minutes=sum(g.duration_min or 0.0 for g in done),
                    sessions_in_hr_range=len(in_range),
                    sessions_with_hr=len(with_hr),
                    mean_rpe=_mean([g.rpe for g in done if g.rpe is not None]),
                    mean_fatigue_recovery_min=_mean(
                        [g.fatigue_recovery_min for g in done if g.fatigue_recovery_min is not None]
                    ),
                )
            )
    return rows


def _in_range(value: float | None, low: float | None, high: float | None) -> bool:
    if value is None:
        return False
    return (low is None or value >= low) and (high is None or value <= high)


def planned_per_week(components: Iterable[Mapping[str, Any]]) -> int:
    """Sessions a week the plan asks for at the least: each component's minimum, summed (the
    stored `planned_per_week` the dashboard counts against)."""
    return sum(int(c["sessions_per_week"]["min"] or 0) for c in components)


def judged_weeks(plan: Plan, today: dt.date, count: int) -> list[dt.date]:
    """The last `count` complete weeks since the plan started (oldest first)."""
    return judged_mondays(plan.started_on, today, count)


def judged_mondays(started_on: dt.date, today: dt.date, count: int) -> list[dt.date]:
    this_week = week_start(today)
    first = week_start(started_on)
    weeks = [this_week - dt.timedelta(weeks=i) for i in range(count, 0, -1)]
    return [w for w in weeks if w >= first and w + dt.timedelta(days=6) >= started_on]


def from_totals(
    *, credited_sessions: float, planned_per_week: int, judged_weeks: int
) -> float | None:
    """`rolling` for a caller that can only count (the dashboard's grouped query): the credited
    sessions of the judged weeks against the weekly minimum for as many weeks. It equals
    `rolling` unless a component is logged more often in a week than planned (`rolling` caps
    each component-week) or the minimum changes between phases."""
    planned = planned_per_week * judged_weeks
    if planned == 0:
        return None
    return min(1.0, credited_sessions / planned)


def rolling(plan: Plan, logs: Sequence[SessionLog], *, today: dt.date, weeks: int) -> float | None:
    judged = judged_weeks(plan, today, weeks)
    rows = weekly(plan, logs, weeks=judged)
    planned = sum(r.planned_sessions for r in rows)
    if planned == 0:
        return None
    return min(1.0, sum(min(r.done_sessions, r.planned_sessions) for r in rows) / planned)


def signals(
    plan: Plan,
    logs: Sequence[SessionLog],
    *,
    today: dt.date,
    s: FollowupSettings,
    last_logged: dt.date | None = None,
) -> list[Signal]:
    """`logs` may be only the recent ones; `last_logged` then says when anything was logged."""
    found: list[Signal] = []
    value = rolling(plan, logs, today=today, weeks=s.adherence_window_weeks)
    if value is not None and value < s.adherence_threshold:
        found.append(
            Signal(
                "adherence_low",
                Severity.WARNING,
                ("rec-adherence-definition", "P-facts2als-results"),
                {
                    "adherence": round(value, 2),
                    "threshold": s.adherence_threshold,
                    "weeks": s.adherence_window_weeks,
                },
            )
        )
    streak = _skipped_streak(logs)
    if streak >= s.missed_streak:
        found.append(
            Signal(
                "missed_streak",
                Severity.WARNING,
                ("rec-adherence-definition",),
                {"skipped_in_a_row": streak},
            )
        )
    last = max((g.date for g in logs), default=last_logged or plan.started_on)
    if (today - last).days >= s.dropout_days:
        found.append(
            Signal(
                "no_sessions_logged",
                Severity.WARNING,
                ("rec-adherence-definition", "rec-telemonitoring"),
                {"days_since_last": (today - last).days},
            )
        )
    return found


def _skipped_streak(logs: Sequence[SessionLog]) -> int:
    streak = 0
    for log in sorted(logs, key=lambda g: g.date, reverse=True):
        if log.completed is not Completion.SKIPPED:
            break
        streak += 1
    return streak
