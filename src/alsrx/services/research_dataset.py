"""The research data set, read in patient order and streamed: patients, visits, weekly exposure.

De-identification (HIPAA Safe Harbor 164.514(b)(2) as the model): no names, codes, contact
details, database ids, calendar dates or free text leave. A patient is a random research id;
time is days from symptom onset (PRO-ACT-style delta days); age is a 5-year band at baseline,
90 or older folded (Safe Harbor (C)); diagnosis is a delay in months; the calendar enters only as
the 5-year band of the baseline year, a quasi-identifier the export checks for k-anonymity.
Skip reasons leave as codes (followup/skips.py), symptoms and notes only as counts. With a
date shift (data-use agreements that need dates), each patient's dates move back by the same
0-364 days, derived from a per-export secret (REDCap's date shifting, per record).

A patient enters the data set with a first (baseline) assessment. Every read is ordered by
patient id in SQL, so that the streams are merged patient by patient without holding more than
one patient's rows (bounded memory at any registry size).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alsrx.analytics import dateshift
from alsrx.db import models
from alsrx.domain import time
from alsrx.domain.followup import adherence, skips
from alsrx.domain.followup import plan as plan_mod
from alsrx.reports import research_codebook as book
from alsrx.services import research_visits, session_weeks

AGE_FOLD = 90  # Safe Harbor (C): ages over 89 are aggregated
AGE_BAND_YEARS = 5  # alsrx default
YEAR_BAND_YEARS = 5  # alsrx default
APPROVED = session_weeks.APPROVED
Row = dict[str, Any]


@dataclass(frozen=True)
class Scope:
    centre_ids: frozenset[int]
    today: dt.date  # weeks up to the last complete one before today are exported
    shift_secret: bytes | None = None


@dataclass(frozen=True)
class Member:
    """A patient in the data set: what the streams need, and the patients.csv row."""

    patient_id: str  # internal, never written
    onset: dt.date
    shift_days: int | None
    height_cm: float | None
    row: Row


def age_band(years: int) -> str:
    if years >= AGE_FOLD:
        return f"{AGE_FOLD}+"
    low = years - years % AGE_BAND_YEARS
    return f"{low}-{low + AGE_BAND_YEARS - 1}"


def year_band(year: int) -> str:
    low = year - year % YEAR_BAND_YEARS
    return f"{low}-{low + YEAR_BAND_YEARS - 1}"


def whole_years(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _months(start: dt.date, end: dt.date) -> float:
    return round(time.months_between(start, end), 1)


# Columns, not ORM objects: the session's identity map would keep every row of a registry.
PATIENT_COLUMNS = tuple(
    getattr(models.Patient, c)
    for c in ("id", "research_id", "sex", "onset_region", "symptom_onset_date",
              "diagnosis_date", "height_cm")
)  # fmt: skip
PLAN_COLUMNS = tuple(
    getattr(models.Prescription, c)
    for c in ("patient_id", "id", "version", "starts_on", "approved_at", "created_at",
              "content", "planned_weeks", "planned_per_week")
)  # fmt: skip


def _baselines(session: Session, scope: Scope) -> Any:
    a = models.Assessment
    first = (
        select(
            a.patient_id,
            a.date,
            a.derived,
            func.row_number()
            .over(partition_by=a.patient_id, order_by=(a.date, a.created_at))
            .label("n"),
        )
        .where(a.is_current.is_(True))
        .subquery()
    )
    return session.execute(
        select(*PATIENT_COLUMNS, models.PatientIdentity.birth_date, models.Centre.name, first)
        .join(first, first.c.patient_id == models.Patient.id)
        .join(models.PatientIdentity, models.PatientIdentity.patient_id == models.Patient.id)
        .join(models.Centre, models.Centre.id == models.Patient.centre_id)
        .where(first.c.n == 1, models.Patient.centre_id.in_(sorted(scope.centre_ids)))
        .order_by(models.Patient.id)
        .execution_options(yield_per=2000)
    )


def members(session: Session, scope: Scope) -> list[Member]:
    """Every patient of the scope's centres with a baseline assessment, in patient-id order."""
    programmes = _programmes(session, scope)
    shifter = None if scope.shift_secret is None else dateshift.DateShift(scope.shift_secret)
    out = []
    for row in _baselines(session, scope):
        patient, (birth, centre, _pid, day, derived, _n) = row, row[len(PATIENT_COLUMNS) :]
        shift = None if shifter is None else shifter.days(patient.research_id)
        out.append(
            Member(
                patient.id,
                patient.symptom_onset_date,
                shift,
                patient.height_cm,
                _patient_row(patient, birth, centre, day, derived, programmes, shift),
            )
        )
    return out


def _patient_row(
    patient: Any,  # a row of PATIENT_COLUMNS
    birth: dt.date,
    centre: str,
    day: dt.date,
    derived: Mapping[str, Any],
    programmes: Mapping[str, str],
    shift: int | None,
) -> Row:
    onset = patient.symptom_onset_date
    progression = derived.get("progression") or {}
    return {
        "research_id": patient.research_id,
        "Site": centre,
        "Sex": {"male": "Male", "female": "Female"}.get(patient.sex, ""),
        "Age_Band": age_band(whole_years(birth, day)),
        "Onset_Region": patient.onset_region or "",
        "Diagnostic_Delay_Months": _months(onset, patient.diagnosis_date)
        if patient.diagnosis_date
        else None,
        "Baseline_Year_Band": year_band(day.year),
        "Baseline_Delta": (day - onset).days,
        "Baseline_ALSFRS_R_Total": (derived.get("alsfrs_r") or {}).get("total"),
        "Baseline_Kings_Stage": derived.get("kings_stage"),
        "Baseline_MiToS_Stage": derived.get("mitos_stage"),
        "Baseline_Progression_Category": progression.get("category"),
        "Progression_Cutoffs": (progression.get("cutoffs") or {}).get("id"),
        "Programme_Components": programmes.get(patient.id, ""),
        "Onset_Date_Shifted": _shifted(onset, shift),
    }


def _shifted(day: dt.date, shift: int | None) -> str | None:
    return None if shift is None else (day - dt.timedelta(days=shift)).isoformat()


def _scoped(statement: Any, patient_column: Any, scope: Scope) -> Any:
    return (
        statement.join(models.Patient, models.Patient.id == patient_column)
        .where(models.Patient.centre_id.in_(sorted(scope.centre_ids)))
        .order_by(patient_column)
    )


def _programmes(session: Session, scope: Scope) -> dict[str, str]:
    """The components of each patient's first approved plan ("aerobic;resistance")."""
    p = models.Prescription
    rows = session.execute(
        _scoped(
            select(p.patient_id, p.content).where(p.status.in_(APPROVED)), p.patient_id, scope
        ).order_by(p.starts_on, p.approved_at)
    )
    out: dict[str, str] = {}
    for patient_id, content in rows:
        if patient_id not in out:
            out[patient_id] = ";".join(c["type"] for c in content.get("components") or ())
    return out


def grouped(rows: Iterable[Any]) -> Iterator[tuple[str, list[Any]]]:
    """Rows whose first value is a patient id, already in patient order, one patient at a time."""
    for patient_id, group in itertools.groupby(rows, key=lambda r: r[0]):
        yield patient_id, list(group)


class Cursor:
    """One patient-ordered stream, advanced in step with the members (the same SQL order)."""

    def __init__(self, rows: Iterable[Any]) -> None:
        self._groups = grouped(rows)
        self._head = next(self._groups, None)

    def take(self, patient_id: str) -> list[Any]:
        if self._head is None or self._head[0] != patient_id:
            return []
        found = self._head[1]
        self._head = next(self._groups, None)
        return found


def assessments(session: Session, scope: Scope) -> Cursor:
    a = models.Assessment
    return Cursor(
        session.execute(
            _scoped(
                select(a.patient_id, a.date, a.data, a.derived).where(a.is_current.is_(True)),
                a.patient_id,
                scope,
            )
            .order_by(a.date, a.created_at)
            .execution_options(yield_per=2000)
        )
    )


def visit_rows(member: Member, visits: list[Any]) -> Iterator[tuple[book.Table, Row]]:
    """A patient's visits as rows of alsfrs.csv, fvc.csv, function.csv and vitals.csv."""
    for _pid, day, data, derived in visits:
        delta = (day - member.onset).days
        shifted = _shifted(day, member.shift_days)
        yield from research_visits.rows(member, data, derived, delta=delta, shifted=shifted)


def exposure(session: Session, scope: Scope) -> tuple[Cursor, Cursor, Cursor]:
    """Streams of approved plans, weekly tallies and skip reasons, in patient order."""
    p, w, g = models.Prescription, session_weeks.TABLE, models.SessionLog
    plans = session.execute(
        _scoped(
            select(*PLAN_COLUMNS).where(p.status.in_(APPROVED)), p.patient_id, scope
        ).execution_options(yield_per=2000)
    )
    weeks = session.execute(
        _scoped(select(*session_weeks.ROW), w.c.patient_id, scope)
        .order_by(w.c.week)
        .execution_options(yield_per=5000)
    )
    skipped = session.execute(
        _scoped(
            select(g.patient_id, g.date, g.component, g.skip_reason).where(
                g.completed == "skipped", g.undone_at.is_(None)
            ),
            g.patient_id,
            scope,
        ).execution_options(yield_per=5000)
    )
    return Cursor(plans), Cursor(weeks), Cursor(skipped)


def last_complete_monday(today: dt.date) -> dt.date:
    return adherence.week_start(today) - dt.timedelta(days=7)


def mondays(first: dt.date, last: dt.date) -> list[dt.date]:
    start = adherence.week_start(first)
    return [start + dt.timedelta(weeks=i) for i in range((last - start).days // 7 + 1)]


def _skip_counts(rows: list[Any]) -> dict[tuple[dt.date, str], dict[str, int]]:
    out: dict[tuple[dt.date, str], dict[str, int]] = {}
    for _pid, day, component, reason in rows:
        counts = out.setdefault((adherence.week_start(day), component), {})
        code = skips.code_of(reason)
        counts[code] = counts.get(code, 0) + 1
    return out


def plan_history(
    plans: list[Any], weeks: list[Any], *, today: dt.date
) -> tuple[list[Any], list[adherence.Span], list[adherence.Tally]]:
    """A patient's approved plans (oldest first), their spans, and every week's tallies from the
    first plan to the last complete week: the domain's weeks, planned or logged."""
    rows = sorted(plans, key=lambda r: (r.starts_on or dt.date.min, r.version))
    spans = sorted((session_weeks.span_of(r) for r in rows), key=lambda s: s.starts_on)
    if not spans:
        return rows, spans, []
    stored = [session_weeks.tally_of(r) for r in weeks]
    wanted = mondays(spans[0].starts_on, last_complete_monday(today))
    return rows, spans, adherence.weeks(spans, stored, wanted)


def exposure_rows(
    member: Member, plans: list[Any], weeks: list[Any], skipped: list[Any], *, today: dt.date
) -> Iterator[Row]:
    """The patient's weeks from the first approved plan to the last complete week."""
    rows, spans, tallies = plan_history(plans, weeks, today=today)
    doses = _Doses(rows)
    reasons = _skip_counts(skipped)
    span, monday = None, None
    for tally in tallies:
        if tally.week != monday:
            monday, span = tally.week, adherence.in_force(spans, tally.week)
        dose = doses.of(span, tally) if span is not None else ({}, None)
        yield _week_row(member, tally, dose, reasons.get((tally.week, tally.component), {}))


class _Doses:
    """Each plan's dose of a component in a programme week, worked out once: a patient's
    hundreds of weeks repeat a few doses (the week holds at the end of its phase)."""

    def __init__(self, plans: Iterable[Any]) -> None:  # rows of PLAN_COLUMNS
        self._plans = {r.id: r for r in plans}
        self._weeks: dict[tuple[str, dt.date], int] = {}
        self._doses: dict[tuple[str, str, int], Row] = {}

    def of(self, span: adherence.Span, tally: adherence.Tally) -> tuple[Row, int]:
        plan = self._plans[span.prescription_id]
        key = (plan.id, tally.week)
        week = self._weeks.get(key)
        if week is None:
            week = plan_mod.programme_week(
                plan.content, started_on=span.starts_on, today=max(tally.week, span.starts_on)
            )
            self._weeks[key] = week
        found = self._doses.get((plan.id, tally.component, week))
        if found is None:
            found = self._doses[(plan.id, tally.component, week)] = _dose(
                plan.content, tally.component, week
            )
        return found, plan.version


def _week_row(
    member: Member,
    tally: adherence.Tally,
    dose: tuple[Row, int | None],
    reasons: Mapping[str, int],
) -> Row:
    rpe, fatigue = tally.mean_rpe, tally.mean_fatigue_recovery_min
    return {
        "research_id": member.row["research_id"],
        "Week_Delta": (tally.week - member.onset).days,
        "Component": tally.component,
        **dose[0],
        "Plan_Version": dose[1],
        "Planned": tally.planned,
        "Done": tally.n("done"),
        "Partial": tally.n("partial"),
        "Skipped": tally.n("skipped"),
        "Stopped": tally.n("stopped"),
        "Minutes_Done": round(tally.minutes, 1),
        "Adherence": _rounded(adherence.value([tally]), 3),
        "Mean_RPE": _rounded(rpe, 1),
        "Mean_Fatigue_Recovery_Min": _rounded(fatigue, 1),
        "Sessions_With_HR_In_Range": tally.n("in_hr_range"),
        "Sessions_With_Symptoms": tally.n("with_symptoms"),
        **{name: reasons.get(code, 0) for code, name in book.SKIP_CODES},
        "Week_Start_Shifted": _shifted(tally.week, member.shift_days),
    }


def _rounded(value: float | None, places: int) -> float | None:
    return None if value is None else round(value, places)


def _dose(content: Mapping[str, Any], kind: str, week: int) -> Row:
    component = next((c for c in content["components"] if c["type"] == kind), None)
    if component is None:
        return {}
    planned = plan_mod.planned(component, week)
    step = plan_mod.current_step(component, week)
    steps = component.get("progression") or []
    phase = next((i + 1 for i, s in enumerate(steps) if s is step), None)
    return {
        "Programme_Week": week,
        "Plan_Phase": phase,
        "Sessions_Per_Week_Min": planned.sessions_per_week_min,
        "Sessions_Per_Week_Max": planned.sessions_per_week_max,
        "Minutes_Per_Session_Max": planned.minutes_max,
        "HR_Ceiling_bpm": planned.hr_max_bpm,
        "RPE_Max": planned.rpe_max,
        "Sets": planned.sets,
        "Repetitions": planned.repetitions,
    }


def alerts(session: Session, scope: Scope) -> Cursor:
    a = models.Alert
    return Cursor(
        session.execute(
            _scoped(select(a.patient_id, a.raised_on, a.code, a.severity), a.patient_id, scope)
            .order_by(a.raised_on)
            .execution_options(yield_per=5000)
        )
    )


def alert_rows(member: Member, found: list[Any]) -> Iterator[Row]:
    counts: dict[tuple[dt.date, str, str], int] = {}
    for _pid, day, code, severity in found:
        key = (adherence.week_start(day), code, severity)
        counts[key] = counts.get(key, 0) + 1
    for (monday, code, severity), n in sorted(counts.items()):
        yield {
            "research_id": member.row["research_id"],
            "Week_Delta": (monday - member.onset).days,
            "Alert_Type": code,
            "Severity": severity,
            "Alerts": n,
        }
