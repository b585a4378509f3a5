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

from alsrx.domain.followup import adherence, signals, symptoms
from alsrx.domain.followup.model import Plan, SessionLog, Signal
from alsrx.domain.followup.params import FollowupSettings

# Alone enough for a step-down; one of two tolerance signals that make one (symptoms.py owns
# what each symptom counts toward); a pause of standing work after repeated falls.
STEP_DOWN_CODES = frozenset({*signals.FATIGUE_STEP_DOWN_CODES, *symptoms.STEP_DOWN_CODES})
TOLERANCE_CODES = frozenset(
    {*STEP_DOWN_CODES, "hr_above_ceiling", "rpe_above_target", *symptoms.TOLERANCE_CODES}
)
PAUSE_STANDING_CODES = symptoms.PAUSE_STANDING_CODES
STEP_DOWN_MINUTES_FACTOR = 0.75
EXERCISE_TYPES = ("aerobic", "resistance", "respiratory_muscle", "balance_functional")


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
    window = [g for g in logs if (today - g.date).days < 7 * s.progress_after_weeks]
    rate = adherence.rolling(plan, logs, today=today, weeks=s.progress_after_weeks)
    enough_time = (today - plan.started_on).days >= 7 * s.progress_after_weeks
    if enough_time and window and rate is not None and rate >= s.progress_min_adherence:
        return Decision(Kind.PROGRESS, ("good_tolerance", "adherence_met"))
    return None


def _exercise(content: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [c for c in content["components"] if c["type"] in EXERCISE_TYPES]


def next_phase_week(content: Mapping[str, Any], week: int) -> int | None:
    starts = sorted(
        {step["weeks"]["from"] for c in _exercise(content) for step in c.get("progression", [])}
    )
    later = [w for w in starts if w > week]
    return later[0] if later else None


def previous_phase_week(content: Mapping[str, Any], week: int) -> int | None:
    starts = sorted(
        {step["weeks"]["from"] for c in _exercise(content) for step in c.get("progression", [])}
    )
    current = max((w for w in starts if w <= week), default=None)
    earlier = [w for w in starts if current is not None and w < current]
    return earlier[-1] if earlier else None


def progress(content: Mapping[str, Any], week: int) -> dict[str, Any] | None:
    target = next_phase_week(content, week)
    if target is None:
        return None
    new = copy.deepcopy(dict(content))
    new["current_week"] = target
    return new


def step_down(content: Mapping[str, Any], week: int) -> dict[str, Any]:
    """Back one phase; already in the first phase, fewer sessions and shorter sessions."""
    new = copy.deepcopy(dict(content))
    earlier = previous_phase_week(content, week)
    if earlier is not None:
        new["current_week"] = earlier
        return new
    new["current_week"] = week
    for c in new["components"]:
        if c["type"] not in EXERCISE_TYPES:
            continue
        sessions, minutes = c["sessions_per_week"], c["minutes_per_session"]
        sessions["max"] = sessions["min"]
        if minutes["max"] is not None:
            reduced = round(minutes["max"] * STEP_DOWN_MINUTES_FACTOR)
            minutes["max"] = max(minutes["min"] or 0, reduced)
        for step in c.get("progression", []):
            step["sessions_per_week"]["max"] = step["sessions_per_week"]["min"]
            if step["minutes_per_session"]["max"] is not None:
                step["minutes_per_session"]["max"] = max(
                    step["minutes_per_session"]["min"] or 0,
                    round(step["minutes_per_session"]["max"] * STEP_DOWN_MINUTES_FACTOR),
                )
    return new


def pause(content: Mapping[str, Any]) -> dict[str, Any]:
    """Stop exercising until the clinic has seen the patient; range of motion stays."""
    new = copy.deepcopy(dict(content))
    new["components"] = [c for c in new["components"] if c["type"] not in EXERCISE_TYPES]
    new["session_order"] = [c["type"] for c in new["components"]]
    new["paused"] = True
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
    return new


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
