"""The exercise page's operations on a component's list: an easier or harder variant, add,
remove. Each returns a new list for edits.check, never a stored one, so nothing they build
escapes the check (and the API, which sends whole lists, meets the same one).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from alsrx.domain.exercises import choice, edits, fit, frames
from alsrx.domain.exercises.library import Exercise, Library
from alsrx.domain.prescription.inputs import SIDES, Case
from alsrx.domain.prescription.model import ComponentType
from alsrx.domain.prescription.params import EngineSettings


def variant(e: Exercise, direction: str, library: Library) -> Exercise | None:
    """The library's easier or harder form of the exercise, if it has one."""
    target = e.easier if direction == "easier" else e.harder if direction == "harder" else None
    return library.get(target) if target else None


def fitting_side(e: Exercise, case: Case, settings: EngineSettings) -> str | None:
    """The side an added exercise is done on: both where both fit, else the one that fits
    (a weaker side keeps its easier form); None where it fits no side."""
    for side in ("both", *SIDES) if e.sided else ("none",):
        if fit.fits(e, case, settings, side=side):
            return side
    return None


def addable(
    component_type: ComponentType, *, case: Case, settings: EngineSettings, library: Library
) -> list[Exercise]:
    """The library's exercises for this component that fit the patient on some side."""
    return [
        e
        for e in library
        if component_type in e.components and fitting_side(e, case, settings) is not None
    ]


def new_dose(
    e: Exercise,
    component_type: ComponentType,
    *,
    side: str,
    limits: edits.Limits,
    like: Mapping[str, Any] | None = None,
    minutes_left: float | None = None,
) -> dict[str, Any]:
    """A dose of `e` for the list: the sets and repetitions of the dose it replaces (`like`) or
    the library's, never above the component's limits; a continuous exercise keeps the minutes
    it replaces, or takes the library's within the minutes left."""
    d = e.dose
    old = like or {}
    limits = edits.Limits() if e.category in edits.FRAME else limits  # as edits.check
    sets = min(edits.whole(old.get("sets")) or d.sets, limits.sets_max)
    reps = min(edits.whole(old.get("repetitions")) or d.repetitions or 1, limits.repetitions_max)
    raw: dict[str, Any] = {"id": e.id, "side": side, "sets": sets}
    if edits.continuous(e, component_type):
        given = edits.number(old.get("minutes")) if old.get("repetitions") is None else None
        room = d.minutes if minutes_left is None else min(d.minutes, minutes_left)
        raw["minutes"] = given or max(room, choice.MIN_CONTINUOUS_MINUTES)
    elif d.repetitions is not None:
        raw["repetitions"] = reps
    else:
        raw["hold_seconds"] = edits.whole(old.get("hold_seconds")) or d.hold_seconds
    return dataclasses.asdict(edits.dose_of(e, raw, component_type))


def swap(
    component_type: ComponentType,
    exercises: Sequence[Mapping[str, Any]],
    index: int,
    direction: str,
    *,
    library: Library,
    limits: edits.Limits,
) -> list[dict[str, Any]]:
    """The list with one exercise replaced by its easier or harder variant, on the same side
    and at the same dose where the variant is counted the same way."""
    out = [dict(d) for d in exercises]
    current = library.get(str(out[index].get("id"))) if 0 <= index < len(out) else None
    target = variant(current, direction, library) if current else None
    if current is None or target is None:
        return out
    side = str(out[index].get("side") or "both")
    side = (side if side in edits.SIDED else "both") if target.sided else "none"
    like = (
        out[index]
        if edits.uses(target, component_type) == edits.uses(current, component_type)
        else None
    )
    out[index] = new_dose(target, component_type, side=side, limits=limits, like=like)
    return out


def add(
    component_type: ComponentType,
    exercises: Sequence[Mapping[str, Any]],
    exercise_id: str,
    *,
    side: str,
    library: Library,
    limits: edits.Limits,
    session_minutes: float,
) -> list[dict[str, Any]]:
    """The list with one more exercise at its library dose; an id the library does not hold is
    added as it is, for `check` to name."""
    out = [dict(d) for d in exercises]
    e = library.get(exercise_id)
    if e is None:
        return [*out, {"id": exercise_id}]
    used = sum(
        edits.dose_of(x, d, component_type).minutes
        for d in out
        if (x := library.get(str(d.get("id")))) and x.category not in frames.FRAMES
    )
    left = max(session_minutes - used, 0.0)
    return [*out, new_dose(e, component_type, side=side, limits=limits, minutes_left=left)]


def remove(exercises: Sequence[Mapping[str, Any]], index: int) -> list[dict[str, Any]]:
    return [dict(d) for i, d in enumerate(exercises) if i != index]
