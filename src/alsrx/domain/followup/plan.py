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
    """The programme week today falls in, counting the week of approval as `first_week`."""
    return first_week + max(0, (today - started_on).days) // 7


def from_content(
    prescription_id: str, content: Content, *, started_on: dt.date, today: dt.date
) -> Plan:
    week = weeks_into(started_on, today, int(content.get("current_week", 1)))
    return Plan(
        prescription_id=prescription_id,
        started_on=started_on,
        components=tuple(planned(c, week) for c in content["components"]),
        fatigue_limit_min=float(content.get("settings", {}).get("fatigue_limit_min", 15)),
    )
