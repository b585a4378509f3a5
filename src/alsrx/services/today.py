"""Today for a patient or caregiver: the day's plan, this week's counts, and whether to stop.

Read-only. Each read is bounded: the patient's logs of one week, their alerts of one day.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.domain.followup import adherence
from alsrx.domain.followup import plan as plan_mod
from alsrx.domain.followup import today as today_mod
from alsrx.domain.followup.model import Plan
from alsrx.services import followup, session_weeks


@dataclass(frozen=True)
class Count:
    done: float  # this week's sessions, as adherence credits them (domain/followup/adherence.py)
    planned: int  # this week's planned sessions, as adherence counts them
    on_day: int  # sessions logged for the day shown (any completion)


@dataclass(frozen=True)
class Contacts:
    clinic_phone: str | None
    emergency_number: str | None  # None: the page says "your local emergency number"


@dataclass(frozen=True)
class Today:
    prescription: models.Prescription
    plan: Plan
    shown: dt.date  # the day shown and logged for: today, or yesterday when asked and allowed
    week: int  # the programme week of the day shown
    day: today_mod.DayPlan
    counts: dict[str, Count]
    stop: bool  # a red flag today: no plan until tomorrow
    loggable: tuple[dt.date, ...]  # the days the patient may log for, newest first


def contacts(session: Session, patient: models.Patient) -> Contacts:
    centre = session.get(models.Centre, patient.centre_id)
    if centre is None:
        return Contacts(None, None)
    return Contacts(centre.contact_phone, centre.emergency_number)


def today_for(
    session: Session, patient: models.Patient, *, today: dt.date, wanted: dt.date
) -> Today | None:
    """The plan for the day `wanted` (today, or yesterday if the plan covers it) as of `today`;
    None without an active plan. The caller has checked that the actor may see the patient."""
    found = followup.active_plan(session, patient.id, today=today)
    if found is None:
        return None
    row, plan = found
    loggable = today_mod.loggable_days(today, plan.started_on)
    day = wanted if wanted in loggable else today
    week = plan_mod.programme_week(row.content, started_on=plan.started_on, today=day)
    return Today(
        prescription=row,
        plan=plan,
        shown=day,
        week=week,
        day=today_mod.for_day(row.content, started_on=plan.started_on, day=day),
        counts=week_counts(session, patient.id, plan, day=day),
        stop=stop_for_today(session, patient.id, today=today),
        loggable=loggable,
    )


_LOGS = models.table(models.SessionLog)
# The patient's live logs of one day, whichever plan they were logged against.
_DAY = select(_LOGS.c.component).where(
    _LOGS.c.patient_id == bindparam("patient_id"),
    _LOGS.c.date == bindparam("day"),
    _LOGS.c.undone_at.is_(None),
)


def week_counts(session: Session, patient_id: str, plan: Plan, *, day: dt.date) -> dict[str, Count]:
    """Per component, the week of `day`: credited of planned, from the stored weekly tallies
    (adherence's one definition, so the weeks page agrees; a plan approved mid-week keeps the
    week's sessions), and how many logged for `day` itself."""
    monday = adherence.week_start(day)
    session.flush()  # a Core read: a log added earlier in this transaction must be in it
    on_day = Counter(
        kind
        for (kind,) in session.connection().execute(_DAY, {"patient_id": patient_id, "day": day})
    )
    return {
        t.component: Count(done=t.credited, planned=t.planned, on_day=on_day[t.component])
        for t in session_weeks.history(session, patient_id, [monday])
    }


_ALERTS = models.table(models.Alert)
_RED_FLAG_TODAY = (
    select(_ALERTS.c.id)
    .where(
        _ALERTS.c.patient_id == bindparam("patient_id"),
        _ALERTS.c.code == "red_flag",
        _ALERTS.c.raised_on == bindparam("today"),
    )
    .limit(1)
)
_SYMPTOMS_TODAY = select(_LOGS.c.symptoms).where(
    _LOGS.c.patient_id == bindparam("patient_id"), _LOGS.c.date == bindparam("today")
)


def stop_for_today(session: Session, patient_id: str, *, today: dt.date) -> bool:
    """A red flag today, raised as an alert or logged for today (the domain's rule)."""
    session.flush()
    params = {"patient_id": patient_id, "today": today}
    connection = session.connection()
    raised = connection.execute(_RED_FLAG_TODAY, params).first() is not None
    symptoms = [] if raised else [s or () for (s,) in connection.execute(_SYMPTOMS_TODAY, params)]
    return today_mod.stop_for_today(red_flag_raised=raised, symptoms_logged=symptoms)
