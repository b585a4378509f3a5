"""Tolerance and safety signals from one session log and the logs before it.

- Red flags (chest pain, fall with injury, dizziness): urgent, and the patient is told at once
  to stop and contact the clinic (the prescription's stop rules; symptoms.RULES cites each).
- Other symptoms: their own alerts, from the one table in symptoms.py.
- Fatigue recovery beyond the active plan's limit (`Plan.fatigue_limit_min`, the engine's
  setting, default 15 min; rec-fatigue-window, R48): a warning; again within the repeat window:
  a warning asking for a step down. Beyond 30 min or into the next day: overwork, a step down at
  once (rec-overwork-step-down, an alsrx default).
- Heart rate above the prescription's ceiling (rec-aerobic-intensity): a warning.
- RPE above the target (rec-moderate-not-strenuous, rec-talk-test): a warning.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from alsrx.domain.followup import symptoms
from alsrx.domain.followup.model import RED_FLAGS, Plan, SessionLog, Severity, Signal
from alsrx.domain.followup.params import FollowupSettings

# A recovery of a day or more: "into the next day" (the web's own choice stores a day).
INTO_NEXT_DAY_MIN = 24 * 60
# How long fatigue lasted, as the patient chooses it on the web: each bucket stores its upper
# bound, so that a bucket reaching past a limit exceeds it (a clinician's 10-min limit and
# "5-15 min"); "over 30 min" stores 60, past the overwork threshold (its upper end is not
# known: an alsrx default), and "into the next day" stores a day.
RECOVERY_BUCKETS: tuple[tuple[str, float], ...] = (
    ("under_5", 5),
    ("5_to_15", 15),
    ("15_to_30", 30),
    ("over_30", 60),
    ("next_day", INTO_NEXT_DAY_MIN),
)
FATIGUE_STEP_DOWN_CODES = ("fatigue_repeated", "fatigue_overwork")


def red_flags(log: SessionLog) -> list[Signal]:
    flags = [s for s in RED_FLAGS if s in log.symptoms]
    if not flags:
        return []
    return [
        Signal(
            symptoms.RED_FLAG,
            Severity.URGENT,
            symptoms.red_flag_evidence(flags),
            {"symptoms": tuple(flags), "date": log.date.isoformat(), "component": log.component},
            tells_patient_to_stop=True,
        )
    ]


def fatigue(
    log: SessionLog, earlier: Sequence[SessionLog], plan: Plan, s: FollowupSettings
) -> list[Signal]:
    """Recovery beyond the plan's limit; the limit is the active plan's, so that a clinician's
    tighter `fatigue_limit_min` is the one the alerts use."""
    limit, recovery = plan.fatigue_limit_min, log.fatigue_recovery_min
    if recovery is None or recovery <= limit:
        return []
    since = log.date - dt.timedelta(days=s.fatigue_repeat_days)
    repeats = 1 + sum(
        1
        for e in earlier
        if e.date >= since and e.fatigue_recovery_min is not None and e.fatigue_recovery_min > limit
    )
    data = {
        "fatigue_recovery_min": recovery,
        "limit_min": limit,
        "times_in_window": repeats,
        "window_days": s.fatigue_repeat_days,
    }
    if recovery > s.fatigue_overwork_min:
        data |= {"overwork_min": s.fatigue_overwork_min, "into_next_day": _next_day(recovery)}
        evidence = ("rec-overwork-step-down", "rec-fatigue-window")
        return [Signal("fatigue_overwork", Severity.WARNING, evidence, data)]
    code = "fatigue_repeated" if repeats >= s.fatigue_repeat_count else "fatigue_prolonged"
    return [Signal(code, Severity.WARNING, ("rec-fatigue-window", "R48"), data)]


def _next_day(recovery_min: float) -> bool:
    return recovery_min >= INTO_NEXT_DAY_MIN


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
    return [
        *red_flags(log),
        *symptoms.signals(log, earlier, plan, s),
        *fatigue(log, earlier, plan, s),
        *intensity(log, plan),
    ]
