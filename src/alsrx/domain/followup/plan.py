"""Reading the stored prescription document (the engine's JSON) as the follow-up needs it."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from alsrx.domain.followup.model import Plan, PlannedComponent

Content = Mapping[str, Any]


def current_step(component: Mapping[str, Any], week: int) -> Mapping[str, Any] | None:
    """The progression step covering `week`, the last step after the schedule ends."""
    steps = component.get("progression") or []
    for step in steps:
        if step["weeks"]["from"] <= week <= step["weeks"]["to"]:
            return step  # type: ignore[no-any-return]
    return steps[-1] if steps and week > steps[-1]["weeks"]["to"] else None


def _max(span: Mapping[str, Any] | None) -> float | None:
    return None if not span else span.get("max")


def _min(span: Mapping[str, Any] | None) -> float | None:
    return None if not span else span.get("min")


def planned(component: Mapping[str, Any], week: int) -> PlannedComponent:
    step = current_step(component, week) or {}
    sessions = step.get("sessions_per_week") or component["sessions_per_week"]
    minutes = step.get("minutes_per_session") or component["minutes_per_session"]
    hr = step.get("hr_bpm") or component["intensity"].get("hr_bpm")
    return PlannedComponent(
        type=component["type"],
        sessions_per_week_min=int(sessions["min"] or 0),
        sessions_per_week_max=int(sessions["max"] or sessions["min"] or 0),
        minutes_min=_min(minutes),
        minutes_max=_max(minutes),
        hr_max_bpm=_max(hr),
        hr_min_bpm=_min(hr),
        rpe_max=_max(component["intensity"].get("rpe")),
        sets=_max(step.get("sets") or component.get("sets")),
        repetitions=_max(step.get("repetitions") or component.get("repetitions")),
    )


HR_STOP_CODES = ("stop_hr_above_ceiling", "stop_hr_above_phase_ceiling")


@dataclass(frozen=True)
class Ceiling:
    bpm: int  # whole beats, rounded down: the patient is never told a number above the ceiling
    step: Mapping[str, Any] | None  # the progression step it belongs to, None for the plan's own


def hr_ceiling(content: Content, week: int) -> Ceiling | None:
    """The heart-rate ceiling for `week`: the aerobic step covering it, else the component's own
    (the engine's rule, rec-aerobic-intensity). The one owner of the number the patient reads:
    Today's card and the heart-rate stop rule both come from here."""
    aerobic = next((c for c in content["components"] if c["type"] == "aerobic"), None)
    if aerobic is None:
        return None
    step = current_step(aerobic, week)
    high = _max(step.get("hr_bpm")) if step else None
    if high is None:
        step, high = None, _max(aerobic.get("intensity", {}).get("hr_bpm"))
    return None if high is None else Ceiling(math.floor(high + 1e-9), step)


def stop_rules_for_week(content: Content, week: int) -> list[Mapping[str, Any]]:
    """The stored stop rules with the heart-rate one moved to the phase covering `week`: the
    document records the phase it was drafted in, while the patient needs today's ceiling."""
    ceiling = hr_ceiling(content, week)
    rules: list[Mapping[str, Any]] = []
    for rule in content["stop_rules"]:
        if rule["code"] in HR_STOP_CODES and ceiling is not None:
            rule = {**rule, **_hr_rule(ceiling)}
        rules.append(rule)
    return rules


def _hr_rule(ceiling: Ceiling) -> dict[str, Any]:
    if ceiling.step is None:
        return {"code": "stop_hr_above_ceiling", "params": {"bpm": ceiling.bpm}}
    weeks = ceiling.step["weeks"]
    params = {"bpm": ceiling.bpm, "first_week": weeks["from"], "last_week": weeks["to"]}
    return {"code": "stop_hr_above_phase_ceiling", "params": params}


def weeks_into(started_on: dt.date, today: dt.date, first_week: int) -> int:
    """The calendar's programme week today falls in, counting the week of approval as
    `first_week`: how far the schedule would be had every phase begun on time."""
    return first_week + max(0, (today - started_on).days) // 7


# Components whose dose the phases raise; range of motion and breathing control do not progress.
PROGRESSING = ("aerobic", "resistance", "respiratory_muscle", "balance_functional")


def phase_starts(content: Content) -> list[int]:
    """The weeks in which some exercise component enters a new phase, in order."""
    return sorted(
        {
            int(step["weeks"]["from"])
            for c in content["components"]
            if c["type"] in PROGRESSING
            for step in c.get("progression") or []
        }
    )


def next_phase_week(content: Content, week: int) -> int | None:
    later = [w for w in phase_starts(content) if w > week]
    return later[0] if later else None


def previous_phase_week(content: Content, week: int) -> int | None:
    starts = phase_starts(content)
    current = max((w for w in starts if w <= week), default=None)
    earlier = [w for w in starts if current is not None and w < current]
    return earlier[-1] if earlier else None


def programme_week(content: Content, *, started_on: dt.date, today: dt.date) -> int:
    """The week whose dose applies today. Time moves the week on within the phase the version
    was approved in, and holds it at that phase's last week: entering the next phase takes an
    approved progress proposal, made at the planned week at the earliest and only on reported
    good tolerance (proposals.decide). So no stream of logs or approvals can move a patient
    faster than one phase per phase length (rec-aerobic-ramp, G-paganoni-2015), and a plan
    nobody reviews stays at a dose the clinic has seen tolerated."""
    first = int(content.get("current_week", 1))
    week = weeks_into(started_on, today, first)
    following = next_phase_week(content, first)
    return week if following is None else min(week, following - 1)


# What in a stored prescription says breathing is already affected: the engine's breathing notes
# (domain/prescription/breathing.py: NIV in use, respiratory assessment first, breathless at
# rest, FVC below the review threshold, weak inspiratory muscles, orthopnoea), the breathing
# programme it drafts when respiratory assessment comes first, and the constraints it puts on
# every component with NIV or orthopnoea (engine._adapted). tests/unit/test_followup_symptoms.py
# drafts such patients through the engine, so a renamed note cannot silently drop out.
RESPIRATORY_NOTES = frozenset(
    {
        "ventilation_support",
        "intermittent_niv",
        "respiratory_first_fvc",
        "respiratory_first_orthopnoea",
        "respiratory_first_dyspnoea",
        "respiratory_first_tachycardia",
        "dyspnea_at_rest",
        "fvc_low",
        "inspiratory_pressure_low",
        "orthopnoea_no_lying_flat",
        "ramp_held_for_breathing",
    }
)
RESPIRATORY_CONSTRAINTS = frozenset({"with_ventilator_at_hand", "no_lying_flat"})


def respiratory_involvement(content: Content) -> bool:
    components = content.get("components") or []
    if any(c.get("type") == "breathing" for c in components):
        return True
    if any(RESPIRATORY_CONSTRAINTS & set(c.get("constraints") or ()) for c in components):
        return True
    return any(n.get("code") in RESPIRATORY_NOTES for n in content.get("reasons") or ())


def from_content(
    prescription_id: str, content: Content, *, started_on: dt.date, today: dt.date
) -> Plan:
    first = int(content.get("current_week", 1))
    week = programme_week(content, started_on=started_on, today=today)
    return Plan(
        prescription_id=prescription_id,
        started_on=started_on,
        components=tuple(planned(c, week) for c in content["components"]),
        fatigue_limit_min=float(content.get("settings", {}).get("fatigue_limit_min", 15)),
        week=week,
        calendar_week=weeks_into(started_on, today, first),
        next_phase_week=next_phase_week(content, first),
        respiratory_involvement=respiratory_involvement(content),
    )
