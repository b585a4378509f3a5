"""The patient's weeks as people read them: planned and done per component and week, whichever
plan was in force (from the stored week tallies), and whether Today should ask for one rated
session. Reads only; the rules that judge these live in domain/followup."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from alsrx.domain.followup import adherence, proposals
from alsrx.domain.followup.model import Completion
from alsrx.domain.followup.params import FollowupSettings
from alsrx.services import access, followup, session_weeks
from alsrx.services.actor import Actor


def rating_wanted(
    session: Session,
    patient_id: str,
    *,
    today: dt.date,
    s: FollowupSettings = FollowupSettings(),
) -> bool:
    """The Today page asks for one rated session: the last days' logs say only "done"."""
    active = followup.active_plan(session, patient_id, today=today)
    if active is None:
        return False
    since = today - dt.timedelta(days=s.rated_session_request_days)
    recent = followup.logs(session, patient_id, since=since)
    return proposals.needs_rated_session(active[1], recent, today=today, s=s)


def weekly_summary(
    session: Session,
    actor: Actor,
    patient_id: str,
    *,
    today: dt.date,
    weeks: int,
    s: FollowupSettings = FollowupSettings(),
) -> dict[str, Any]:
    """Planned and done per component for the last `weeks` weeks, whichever plan was in force
    (from the stored week tallies), and the adherence the rules judge: the last complete weeks
    of the active plan (adherence.value, the one definition)."""
    access.patient(session, actor, patient_id)
    spans = session_weeks.spans(session, patient_id)
    if not spans:
        return {"weeks": [], "prescription_id": None, "adherence_4_weeks": None}
    this_week = adherence.week_start(today)
    first = adherence.week_start(spans[0].starts_on)
    mondays = [this_week - dt.timedelta(weeks=i) for i in range(weeks - 1, -1, -1)]
    mondays = [m for m in mondays if m >= first]
    active = spans[-1]
    judged = adherence.judged_mondays(active.starts_on, today, s.adherence_window_weeks)
    since = min([*mondays, *judged], default=this_week)
    stored = session_weeks.stored(session, patient_id, since=since)
    return {
        "prescription_id": active.prescription_id,
        "adherence_4_weeks": adherence.value(adherence.weeks(spans, stored, judged)),
        "weeks": [_week_view(spans, t) for t in adherence.weeks(spans, stored, mondays)],
    }


def _week_view(spans: list[adherence.Span], t: adherence.Tally) -> dict[str, Any]:
    span = adherence.in_force(spans, t.week)
    planned = {} if span is None else adherence.planned_by([span], t.week)
    minutes = planned.get(t.component, (0, None))[1]
    return {
        "week": t.week.isoformat(),
        "component": t.component,
        "prescription_id": span.prescription_id if span else None,
        "planned_sessions": t.planned,
        "done_sessions": t.credited,
        "counted_sessions": t.judged,
        "planned_minutes": t.planned * minutes if minutes else None,
        "done_minutes": t.minutes,
        "sessions_in_hr_range": t.n("in_hr_range"),
        "sessions_with_hr": t.n("with_hr"),
        "sessions_with_tolerance_data": t.n("with_tolerance"),
        "mean_rpe": t.mean_rpe,
        "mean_fatigue_recovery_min": t.mean_fatigue_recovery_min,
        "completed": {c.value: t.n(c.value) for c in Completion},
    }
