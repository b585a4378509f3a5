"""Adjustment proposals: progress, step down, pause, re-prescribe; each with a diff.

Unlike home-exercise tools whose progression only goes up, the plan steps down after
tolerance signals (rec-fatigue-window, rec-individualise-adjust; symptoms.py says which symptoms
count), pauses after red flags (rec-safety), pauses standing work after repeated falls
(rec-fall-response) and is drafted again after a reassessment that changes the picture (for example
walking lost: walking-based aerobic work no longer suits; rec-aerobic-mode). Progress follows
the prescription's own week-by-week schedule after good tolerance and adherence (rec-aerobic-ramp,
G-paganoni-2015 "start low, go slow"). A proposal is a draft: a clinician approves it.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from alsrx.domain.exercises import library as exercise_library
from alsrx.domain.exercises import refit
from alsrx.domain.followup import adherence, signals, symptoms
from alsrx.domain.followup import plan as plan_mod
from alsrx.domain.followup.model import Completion, Plan, SessionLog, Signal
from alsrx.domain.followup.params import FollowupSettings
from alsrx.domain.prescription import whole_check

# Alone enough for a step-down; one of two tolerance signals that make one (symptoms.py owns
# what each symptom counts toward); a pause of standing work after repeated falls.
STEP_DOWN_CODES = frozenset({*signals.FATIGUE_STEP_DOWN_CODES, *symptoms.STEP_DOWN_CODES})
TOLERANCE_CODES = frozenset(
    {*STEP_DOWN_CODES, "hr_above_ceiling", "rpe_above_target", *symptoms.TOLERANCE_CODES}
)
PAUSE_STANDING_CODES = symptoms.PAUSE_STANDING_CODES
STEP_DOWN_MINUTES_FACTOR = 0.75
EXERCISE_TYPES = plan_mod.PROGRESSING
PROGRESSING = plan_mod.PROGRESSING


class Kind(StrEnum):
    PROGRESS = "progress"
    STEP_DOWN = "step_down"
    PAUSE = "pause"
    PAUSE_STANDING = "pause_standing"
    REPRESCRIBE = "represcribe"


EVIDENCE = {
    Kind.PROGRESS: ("rec-aerobic-ramp", "G-paganoni-2015"),
    Kind.STEP_DOWN: ("rec-fatigue-window", "rec-individualise-adjust"),
    Kind.PAUSE: ("rec-safety",),
    Kind.PAUSE_STANDING: ("rec-fall-response",),
    Kind.REPRESCRIBE: ("rec-individualise-adjust", "rec-aerobic-mode", "rec-reassess-3-months"),
}


@dataclass(frozen=True)
class Decision:
    kind: Kind
    because: tuple[str, ...]


def decide(
    plan: Plan,
    logs: Sequence[SessionLog],
    recent: Sequence[Signal],
    *,
    today: dt.date,
    represcribe: bool,
    s: FollowupSettings,
) -> Decision | None:
    """The one proposal the situation calls for, in order of urgency, or None."""
    codes = [sig.code for sig in recent]
    if "red_flag" in codes:
        return Decision(Kind.PAUSE, ("red_flag",))
    falls = sorted({c for c in codes if c in PAUSE_STANDING_CODES})
    if falls:
        return Decision(Kind.PAUSE_STANDING, tuple(falls))
    if represcribe:
        return Decision(
            Kind.REPRESCRIBE,
            tuple(c for c in codes if c not in TOLERANCE_CODES) or ("reassessment",),
        )
    tolerance = [c for c in codes if c in TOLERANCE_CODES]
    if any(c in STEP_DOWN_CODES for c in tolerance) or len(tolerance) >= 2:
        return Decision(Kind.STEP_DOWN, tuple(sorted(set(tolerance))))
    if tolerance:
        return None
    if progress_allowed(plan, logs, today=today, s=s):
        return Decision(Kind.PROGRESS, ("planned_week_reached", "good_tolerance", "adherence_met"))
    return None


def progress_allowed(
    plan: Plan, logs: Sequence[SessionLog], *, today: dt.date, s: FollowupSettings
) -> bool:
    """The next phase may be proposed: its planned week has come (never sooner, whatever was
    logged or approved before), adherence met the minimum, and enough recent sessions carry a
    report of effort or recovery, each within target. Absence of data is not good tolerance."""
    if plan.next_phase_week is None or plan.calendar_week < plan.next_phase_week:
        return False
    rate = adherence.rolling(plan, logs, today=today, weeks=s.progress_after_weeks)
    if rate is None or rate < s.progress_min_adherence:
        return False
    since = today - dt.timedelta(weeks=s.progress_after_weeks)
    rated = [g for g in logs if g.date >= since and _performed(g) and _rated(g)]
    return len(rated) >= s.progress_min_rated_sessions and all(
        _within_target(g, plan) for g in rated
    )


def needs_rated_session(
    plan: Plan, logs: Sequence[SessionLog], *, today: dt.date, s: FollowupSettings
) -> bool:
    """Sessions were logged in the last days, but none says how it felt: ask for one rating
    rather than read silence as good tolerance."""
    since = today - dt.timedelta(days=s.rated_session_request_days)
    recent = [g for g in logs if g.date > since and _performed(g) and g.component in PROGRESSING]
    return bool(recent) and not any(_rated(g) for g in recent)


def _performed(log: SessionLog) -> bool:
    return log.completed in (Completion.DONE, Completion.PARTIAL)


def _rated(log: SessionLog) -> bool:
    return log.rpe is not None or log.fatigue_recovery_min is not None


def _within_target(log: SessionLog, plan: Plan) -> bool:
    target = plan.component(log.component)
    rpe_max = target.rpe_max if target else None
    if log.rpe is not None and rpe_max is not None and log.rpe > rpe_max:
        return False
    recovery = log.fatigue_recovery_min
    return recovery is None or recovery <= plan.fatigue_limit_min


def next_phase_week(content: Mapping[str, Any], week: int) -> int | None:
    return plan_mod.next_phase_week(content, week)


def previous_phase_week(content: Mapping[str, Any], week: int) -> int | None:
    return plan_mod.previous_phase_week(content, week)


def progress(content: Mapping[str, Any], week: int) -> dict[str, Any] | None:
    target = next_phase_week(content, week)
    if target is None:
        return None
    new = copy.deepcopy(dict(content))
    new["current_week"] = target
    return _refitted(new)


def step_down(content: Mapping[str, Any], week: int) -> dict[str, Any]:
    """Back one phase; in the first phase, the top of each range comes down (sessions to the
    minimum, minutes by a quarter); already at the least, one session a week fewer (never below
    one). A step down that could change nothing is a pause: the proposal always changes the
    dose (rec-fatigue-window, rec-individualise-adjust)."""
    new = copy.deepcopy(dict(content))
    earlier = previous_phase_week(content, week)
    if earlier is not None:
        new["current_week"] = earlier
        return _refitted(new)
    new["current_week"] = week
    for shrink in (_lower_the_top, _one_session_fewer):
        for c in new["components"]:
            if c["type"] in EXERCISE_TYPES:
                shrink(c)
        if _dose_changed(content, new, week):
            return _refitted(new)
    return pause(content)


def _refitted(new: dict[str, Any], *, replan: bool = True) -> dict[str, Any]:
    """The week's days and the named exercises follow the new dose (exercises/refit.py): a
    step down that kept the old days once showed a 2-a-week respiratory training on 5 days.
    `replan=False`: the doses are unchanged (components only left out), so the approved week
    stands, filtered by the caller."""
    if replan:
        settings = whole_check.stored_settings(new)
        new["weekly_schedule"] = whole_check.stored_week(new, settings)
    return refit.refit(new, library=exercise_library.default())


def _lower_the_top(component: dict[str, Any]) -> None:
    for part in (component, *component.get("progression", [])):
        sessions, minutes = part["sessions_per_week"], part["minutes_per_session"]
        sessions["max"] = sessions["min"]
        if minutes["max"] is not None:
            reduced = round(minutes["max"] * STEP_DOWN_MINUTES_FACTOR)
            minutes["max"] = max(minutes["min"] or 0, reduced)


def _one_session_fewer(component: dict[str, Any]) -> None:
    for part in (component, *component.get("progression", [])):
        sessions = part["sessions_per_week"]
        if sessions["min"] is not None and sessions["min"] > 1:
            sessions["min"] -= 1
            sessions["max"] = sessions["min"]


def _dose_changed(old: Mapping[str, Any], new: Mapping[str, Any], week: int) -> bool:
    """The dose the patient does this week differs (the phase's, not the component's range)."""
    return any(
        plan_mod.planned(a, week) != plan_mod.planned(b, week)
        for a, b in zip(old["components"], new["components"], strict=True)
    )


def pause(content: Mapping[str, Any]) -> dict[str, Any]:
    """Stop exercising until the clinic has seen the patient; range of motion stays."""
    new = copy.deepcopy(dict(content))
    new["components"] = [c for c in new["components"] if c["type"] not in EXERCISE_TYPES]
    new["session_order"] = [c["type"] for c in new["components"]]
    new["paused"] = True
    new["weekly_schedule"] = whole_check.stored_week(new, whole_check.stored_settings(new))
    return new


# Standing or walking: paused after repeated falls until the clinic has assessed them; seated and
# lying work stays (rec-fall-response, an alsrx default).
STANDING_MODALITIES = frozenset(
    {
        "walking",
        "treadmill",
        "bodyweight_supported_treadmill",
        "gait_practice",
        "standing_balance_with_support",
        "sit_to_stand",
        "assisted_sit_to_stand",
    }
)


def pause_standing(content: Mapping[str, Any]) -> dict[str, Any] | None:
    """The plan without standing, walking and balance work; None when it has none left."""
    if not any(STANDING_MODALITIES & set(c.get("modalities") or ()) for c in content["components"]):
        return None
    new = copy.deepcopy(dict(content))
    kept = []
    for c in new["components"]:
        had = c.get("modalities") or []
        left = [m for m in had if m not in STANDING_MODALITIES]
        if len(left) < len(had):
            c["modalities"] = left
        if left or len(left) == len(had):  # a component of standing work alone goes
            kept.append(c)
    types = {c["type"] for c in kept}
    new["components"] = kept
    new["session_order"] = [t for t in new.get("session_order") or () if t in types]
    for day in new.get("weekly_schedule") or ():
        day["components"] = [t for t in day["components"] if t in types]
        day["twice"] = [t for t in day.get("twice") or () if t in types]
    new["standing_paused"] = True
    return _refitted(new, replan=False)


FIELDS = ("sessions_per_week", "minutes_per_session", "modalities", "muscle_groups")


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[dict[str, Any]]:
    """What changes, as {path, old, new}: status, week, components added/removed, FITT fields."""
    changes: list[dict[str, Any]] = []
    for key in ("status", "current_week", "paused", "standing_paused"):
        if old.get(key) != new.get(key):
            changes.append({"path": key, "old": old.get(key), "new": new.get(key)})
    before = {c["type"]: c for c in old["components"]}
    after = {c["type"]: c for c in new["components"]}
    for kind in sorted(set(before) | set(after)):
        if kind not in after:
            changes.append({"path": f"components.{kind}", "old": "present", "new": None})
        elif kind not in before:
            changes.append({"path": f"components.{kind}", "old": None, "new": "present"})
        else:
            changes += _component_diff(kind, before[kind], after[kind])
    return changes


def _component_diff(kind: str, a: Mapping[str, Any], b: Mapping[str, Any]) -> list[dict[str, Any]]:
    found = [
        {"path": f"components.{kind}.{f}", "old": a.get(f), "new": b.get(f)}
        for f in FIELDS
        if a.get(f) != b.get(f)
    ]
    for f in ("hr_bpm", "rpe", "percent_mep"):
        if a["intensity"].get(f) != b["intensity"].get(f):
            found.append(
                {
                    "path": f"components.{kind}.intensity.{f}",
                    "old": a["intensity"].get(f),
                    "new": b["intensity"].get(f),
                }
            )
    if a.get("progression") != b.get("progression"):
        found.append({"path": f"components.{kind}.progression", "old": "…", "new": "changed"})
    return found
