"""Adherence: what was planned against what was done, per component and ISO week (Monday).

The one definition (rec-adherence-definition), which every reader calls (the follow-up rules,
the dashboard, the patient's weeks, the clinician's page, the summary API):
- a session earns CREDIT: done 1, partial 1/2; any other completion (skipped, a session broken
  off, or `stopped` for a red flag) earns none;
- a component's credit in a week counts at most the sessions planned for it that week (the
  cap): extra sessions, a double tap or a retried request never make up for another week or
  another component, so adherence is never above 100 %;
- adherence over some component-weeks = capped credit / planned sessions; None when nothing was
  planned.
Planned sessions of a component in a week, alsrx defaults: the plan's minimum sessions a week
(what the patient agreed to at the least), in the programme phase the week starts in (or the
plan starts in), of the plan in force at the end of the week: a plan approved mid-week judges
that whole week, whose logs keep counting; a component it lacks is planned 0 times.
The rules judge the last complete weeks since the active plan started (`judged_mondays`); the
current, unfinished week is never judged. Thresholds: FollowupSettings.

A week's tally (each completion counted, time, heart rate, RPE, fatigue recovery, symptoms) is
what services/session_weeks.py stores per patient, week and component and updates with every
log and undo; `contribution` is what one log adds to its tally, the one place a log is counted,
and `tally` the recomputation from the logs that the stored rows must always equal.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from alsrx.domain.followup import plan as plan_mod
from alsrx.domain.followup.model import Completion, Plan, SessionLog, Severity, Signal
from alsrx.domain.followup.params import FollowupSettings

_EARNS = {Completion.DONE: 1.0, Completion.PARTIAL: 0.5}
CREDIT: Mapping[Completion, float] = MappingProxyType({c: _EARNS.get(c, 0.0) for c in Completion})
_EARNING = tuple((c.value, v) for c, v in CREDIT.items() if v)  # what `credited` has to add
# Skipped is the one completion in which nothing was exercised; any other (a session broken off
# included) carries its minutes, heart rate and effort.
EXERCISED = frozenset(c for c in Completion if c is not Completion.SKIPPED)
# A tally's counters, each stored as a column of its own: one per completion, then the data.
# Durations are whole seconds, so that adding a log and taking it back again is exact.
DATA = (
    "seconds",  # time exercised
    "with_hr",  # sessions with an average heart rate
    "in_hr_range",  # ... within the target range the log was made against
    "rpe_n",
    "rpe_total",  # Borg 6-20, a whole number (the session-log schema's integer)
    "fatigue_n",
    "fatigue_seconds",  # time to recover
    "with_tolerance",  # sessions carrying RPE or fatigue recovery (tolerance data)
    "with_symptoms",  # logs reporting any symptom
)
COUNTERS = (*(c.value for c in Completion), *DATA)
Counts = Mapping[str, int]
HrRange = tuple[float | None, float | None]


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def zero() -> dict[str, int]:
    return dict.fromkeys(COUNTERS, 0)


NOTHING: Counts = MappingProxyType({})  # a week-component nothing was logged for (reads as 0)


@dataclass(frozen=True, slots=True)
class Tally:
    """One component in one ISO week: what was planned and everything logged for it."""

    week: dt.date  # Monday
    component: str
    planned: int
    counts: Counts = dataclasses.field(default_factory=zero)

    def n(self, name: str) -> int:
        return self.counts.get(name, 0)

    @property
    def credited(self) -> float:
        counts = self.counts  # dashboards judge thousands of tallies: only what earns is read
        return sum(credit * counts.get(name, 0) for name, credit in _EARNING)

    @property
    def judged(self) -> float:
        """The credit that counts: at most what was planned."""
        return min(self.credited, float(self.planned))

    @property
    def logged(self) -> int:
        return sum(self.n(c.value) for c in Completion)

    @property
    def minutes(self) -> float:
        return self.n("seconds") / 60

    @property
    def mean_rpe(self) -> float | None:
        return self.n("rpe_total") / self.n("rpe_n") if self.n("rpe_n") else None

    @property
    def mean_fatigue_recovery_min(self) -> float | None:
        fatigue = self.n("fatigue_n")
        return self.n("fatigue_seconds") / 60 / fatigue if fatigue else None


def value(tallies: Iterable[Tally]) -> float | None:
    """THE definition: capped credit over planned sessions (None when nothing was planned).
    (`Tally.judged` summed, written out: the dashboard runs it for thousands of tallies.)"""
    planned, judged = 0, 0.0
    for t in tallies:
        if t.planned and t.counts:
            credited = sum(credit * t.counts.get(name, 0) for name, credit in _EARNING)
            judged += min(credited, float(t.planned))
        planned += t.planned
    return None if planned == 0 else judged / planned


def _seconds(minutes: float | None) -> int:
    return 0 if minutes is None else round(minutes * 60)


def _in_range(bpm: float, low: float | None, high: float | None) -> bool:
    return (low is None or bpm >= low) and (high is None or bpm <= high)


def contribution(log: SessionLog, hr_range: HrRange = (None, None)) -> dict[str, int]:
    """What one log adds to its week's tally; `hr_range` is the target it was made against."""
    counts = zero()
    _count(counts, log, hr_range)
    return counts


def _count(counts: dict[str, int], log: SessionLog, hr_range: HrRange) -> None:
    """Add one log to `counts` in place (the recount of many logs runs this per log)."""
    counts[log.completed.value] += 1
    counts["with_symptoms"] += bool(log.symptoms)
    if log.completed not in EXERCISED:
        return
    counts["seconds"] += _seconds(log.duration_min)
    if log.avg_hr_bpm is not None:
        counts["with_hr"] += 1
        counts["in_hr_range"] += _in_range(log.avg_hr_bpm, *hr_range)
    if log.rpe is not None:
        counts["rpe_n"] += 1
        counts["rpe_total"] += round(log.rpe)
    if log.fatigue_recovery_min is not None:
        counts["fatigue_n"] += 1
        counts["fatigue_seconds"] += _seconds(log.fatigue_recovery_min)
    counts["with_tolerance"] += log.rpe is not None or log.fatigue_recovery_min is not None


def combined(counts: Counts, delta: Counts, sign: int = 1) -> dict[str, int]:
    """A tally's counts with a log added (sign 1) or taken back (sign -1)."""
    return {k: counts.get(k, 0) + sign * delta.get(k, 0) for k in COUNTERS}


Key = tuple[dt.date, str]


def tally(
    logs: Iterable[SessionLog],
    *,
    planned: Callable[[dt.date, str], int],
    hr_range: Callable[[SessionLog], HrRange] = lambda _: (None, None),
) -> dict[Key, Tally]:
    """The tallies of a log stream by (Monday, component): the recomputation."""
    counts: dict[Key, dict[str, int]] = {}
    for g in logs:
        key = (week_start(g.date), g.component)
        found = counts.get(key)
        if found is None:
            found = counts[key] = zero()
        _count(found, g, hr_range(g))
    return {k: Tally(k[0], k[1], planned(*k), c) for k, c in counts.items()}


# The programme, week by week: what a plan asks for, stored with an approved plan so that the
# readers of many patients (the dashboard) need not parse its document.
Schedule = Mapping[str, Any]


def schedule(content: Mapping[str, Any]) -> dict[str, Any]:
    """Each component's minimum sessions and longest session (minutes), programme week by week
    from the document's current week until its phases end (the last holds after): the plan's
    own reading of its document (followup/plan.py), for `planned_in_week`. Stored as changes,
    [weeks after the first, sessions, minutes], so that it stays a few bytes."""
    first = int(content.get("current_week", 1))
    ends = [s["weeks"]["to"] for c in content["components"] for s in c.get("progression") or []]
    weeks = range(first, max([first, *ends]) + 2)
    # The version holds at the end of the phase it was approved in (plan.programme_week).
    following = plan_mod.next_phase_week(content, first)
    out: dict[str, list[list[Any]]] = {}
    for c in content["components"]:
        changes = out.setdefault(c["type"], [])
        for week in weeks:
            held = week if following is None else min(week, following - 1)
            p = plan_mod.planned(c, held)
            if not changes or changes[-1][1:] != [p.sessions_per_week_min, p.minutes_max]:
                changes.append([week - first, p.sessions_per_week_min, p.minutes_max])
    return {"first_week": first, "components": out}


def planned_in_week(
    plan: Schedule, *, starts_on: dt.date, monday: dt.date
) -> dict[str, tuple[int, float | None]]:
    """(sessions, longest session in minutes) of each component in the ISO week of `monday`,
    in the phase the week starts in (or the plan starts in, when later)."""
    first = int(plan["first_week"])
    after = plan_mod.weeks_into(starts_on, max(monday, starts_on), first) - first
    out: dict[str, tuple[int, float | None]] = {}
    for kind, changes in plan["components"].items():
        found = changes[0]
        for change in changes:
            if change[0] > after:
                break
            found = change
        out[kind] = (int(found[1] or 0), found[2])
    return out


@dataclass(frozen=True)
class Span:
    """An approved plan in a patient's history: from its first day until the next one's."""

    prescription_id: str
    starts_on: dt.date
    schedule: Schedule


def in_force(spans: Sequence[Span], monday: dt.date) -> Span | None:
    """The plan in force at the end of the week (`spans` oldest first): the week's judge."""
    sunday = monday + dt.timedelta(days=6)
    found = [s for s in spans if s.starts_on <= sunday]
    return found[-1] if found else None


def planned_by(spans: Sequence[Span], monday: dt.date) -> dict[str, tuple[int, float | None]]:
    span = in_force(spans, monday)
    return (
        {}
        if span is None
        else planned_in_week(span.schedule, starts_on=span.starts_on, monday=monday)
    )


def weeks(
    spans: Sequence[Span], stored: Iterable[Tally], mondays: Sequence[dt.date]
) -> list[Tally]:
    """The tallies of each week in `mondays` for every component planned or logged in it: the
    stored ones, and an empty tally (nothing logged) for a planned component without one."""
    by_week: dict[dt.date, dict[str, Tally]] = {}
    for t in stored:
        by_week.setdefault(t.week, {})[t.component] = t
    out: list[Tally] = []
    for monday in mondays:
        planned = planned_by(spans, monday)
        found = by_week.get(monday, {})
        for kind, (sessions, _) in planned.items():
            out.append(found.get(kind) or Tally(monday, kind, sessions, NOTHING))
        out += [found[kind] for kind in sorted(found) if kind not in planned]
    return out


def value_of_weeks(
    spans: Sequence[Span], stored: Iterable[Tally], mondays: Sequence[dt.date]
) -> float | None:
    """`value(weeks(spans, stored, mondays))`, without making the empty tallies: the dashboard
    judges every patient's weeks (tests/unit/test_adherence_definition.py: always equal)."""
    by_key = {(t.week, t.component): t for t in stored}
    planned, judged = 0, 0.0
    for monday in mondays:
        plan = planned_by(spans, monday)
        for kind, (sessions, _) in plan.items():
            found = by_key.pop((monday, kind), None)
            planned += found.planned if found else sessions
            judged += found.judged if found else 0.0
        for (week, _), t in list(by_key.items()):
            if week == monday:  # logged, not planned by the week's plan: planned 0 as stored
                planned += t.planned
                judged += t.judged
    return None if planned == 0 else judged / planned


def planned_per_week(components: Iterable[Mapping[str, Any]]) -> int:
    """Sessions a week the plan asks for at the least: each component's minimum, summed (the
    stored `planned_per_week`)."""
    return sum(int(c["sessions_per_week"]["min"] or 0) for c in components)


def judged_weeks(plan: Plan, today: dt.date, count: int) -> list[dt.date]:
    """The last `count` complete weeks since the plan started (oldest first)."""
    return judged_mondays(plan.started_on, today, count)


def judged_mondays(started_on: dt.date, today: dt.date, count: int) -> list[dt.date]:
    this_week = week_start(today)
    first = week_start(started_on)
    weeks = [this_week - dt.timedelta(weeks=i) for i in range(count, 0, -1)]
    return [w for w in weeks if w >= first and w + dt.timedelta(days=6) >= started_on]


def rolling(plan: Plan, logs: Sequence[SessionLog], *, today: dt.date, weeks: int) -> float | None:
    """Adherence over the last `weeks` judged weeks, each judged against `plan` as of today.
    Only the completions are counted: all that credit reads (every logged session runs this)."""
    judged = judged_weeks(plan, today, weeks)
    wanted = set(judged)
    found: dict[Key, dict[str, int]] = {}
    for g in logs:
        monday = week_start(g.date)
        if monday in wanted:
            counts = found.setdefault((monday, g.component), {})
            counts[g.completed.value] = counts.get(g.completed.value, 0) + 1
    rows = [
        Tally(monday, c.type, c.sessions_per_week_min, found.get((monday, c.type), {}))
        for monday in judged
        for c in plan.components
    ]
    return value(rows)


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
    rate = rolling(plan, logs, today=today, weeks=s.adherence_window_weeks)
    if rate is not None and rate < s.adherence_threshold:
        found.append(
            Signal(
                "adherence_low",
                Severity.WARNING,
                ("rec-adherence-definition", "P-facts2als-results"),
                {
                    "adherence": round(rate, 2),
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
