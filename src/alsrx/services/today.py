"""Today for a patient or caregiver: the day's plan, this week's counts, and whether to stop.

Read-only. Each read is bounded: the patient's logs of one week, their alerts of one day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.domain.followup import adherence
from alsrx.domain.followup import plan as plan_mod
from alsrx.domain.followup import today as today_mod
from alsrx.domain.followup.model import Completion, Plan, SessionLog
from alsrx.services import followup


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
# The patient's logs of one week, whichever plan they were logged against: a plan approved
# mid-week keeps the week's sessions. The plan-window index's first column is the patient.
_WEEK = select(_LOGS.c.date, _LOGS.c.component, _LOGS.c.completed).where(
    _LOGS.c.patient_id == bindparam("patient_id"),
    _LOGS.c.date >= bindparam("first"),
    _LOGS.c.date <= bindparam("last"),
)
_COMPLETION = {c.value: c for c in Completion}


def week_counts(session: Session, patient_id: str, plan: Plan, *, day: dt.date) -> dict[str, Count]:
    """Per component, the week of `day`: done of planned (adherence's one definition, so the
    weeks page agrees) and how many logged for `day` itself. The one place Today counts: when
    the weekly aggregates land, this is what reads them instead."""
    monday = adherence.week_start(day)
    session.flush()  # a Core read: a log added earlier in this transaction must be in it
    rows = session.connection().execute(
        _WEEK, {"patient_id": patient_id, "first": monday, "last": monday + dt.timedelta(days=6)}
    )
    logs = [SessionLog(date=d, component=c, completed=_COMPLETION[done]) for d, c, done in rows]
    weekly = adherence.weekly(plan, logs, weeks=[monday])
    return {
        w.component: Count(
            done=w.done_sessions,
            planned=w.planned_sessions,
            on_day=sum(1 for g in logs if g.component == w.component and g.date == day),
        )
        for w in weekly
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
