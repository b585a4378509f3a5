"""Tolerance and safety signals from one session log and the logs before it.

- Red flags (chest pain, fall with injury, dizziness): urgent, and the patient is told at once
  to stop and contact the clinic (the prescription's stop rules; rec-safety).
- Fatigue recovery beyond the limit (default 15 min; rec-fatigue-window, R48): a warning; again
  within the repeat window: a warning asking for a step down.
- Heart rate above the prescription's ceiling (rec-aerobic-intensity): a warning.
- RPE above the target (rec-moderate-not-strenuous, rec-talk-test): a warning.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from alsrx.domain.followup.model import RED_FLAGS, Plan, SessionLog, Severity, Signal
from alsrx.domain.followup.params import FollowupSettings


def red_flags(log: SessionLog) -> list[Signal]:
    flags = [s for s in RED_FLAGS if s in log.symptoms]
    if not flags:
        return []
    return [
        Signal(
            "red_flag",
            Severity.URGENT,
            ("rec-safety", "R30"),
            {"symptoms": tuple(flags), "date": log.date.isoformat(), "component": log.component},
            tells_patient_to_stop=True,
        )
    ]


def fatigue(log: SessionLog, earlier: Sequence[SessionLog], s: FollowupSettings) -> list[Signal]:
    if log.fatigue_recovery_min is None or log.fatigue_recovery_min <= s.fatigue_limit_min:
        return []
    since = log.date - dt.timedelta(days=s.fatigue_repeat_days)
    repeats = 1 + sum(
        1
        for e in earlier
        if e.date >= since
        and e.fatigue_recovery_min is not None
        and e.fatigue_recovery_min > s.fatigue_limit_min
    )
    data = {
        "fatigue_recovery_min": log.fatigue_recovery_min,
        "limit_min": s.fatigue_limit_min,
        "times_in_window": repeats,
        "window_days": s.fatigue_repeat_days,
    }
    code = "fatigue_repeated" if repeats >= s.fatigue_repeat_count else "fatigue_prolonged"
    return [Signal(code, Severity.WARNING, ("rec-fatigue-window", "R48"), data)]


def intensity(log: SessionLog, plan: Plan) -> list[Signal]:
    component = plan.component(log.component)
    if component is None:
        return []
    found: list[Signal] = []
    if (
        component.hr_max_bpm is not None
        and log.max_hr_bpm is not None
        and log.max_hr_bpm > component.hr_max_bpm
    ):
        found.append(
            Signal(
                "hr_above_ceiling",
                Severity.WARNING,
                ("rec-aerobic-intensity",),
                {"max_hr_bpm": log.max_hr_bpm, "ceiling_bpm": component.hr_max_bpm},
            )
        )
    if component.rpe_max is not None and log.rpe is not None and log.rpe > component.rpe_max:
        found.append(
            Signal(
                "rpe_above_target",
                Severity.WARNING,
                ("rec-moderate-not-strenuous", "rec-talk-test"),
                {"rpe": log.rpe, "target_max": component.rpe_max},
            )
        )
    return found


def for_session(
    log: SessionLog, earlier: Sequence[SessionLog], plan: Plan, s: FollowupSettings
) -> list[Signal]:
    """Every signal one new session log raises, red flags first."""
    return [*red_flags(log), *fatigue(log, earlier, s), *intensity(log, plan)]
