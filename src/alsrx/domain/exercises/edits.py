"""A clinician's change of one component's named exercises: the whole new list, checked.

One representation for the page and the API (PUT semantics): the component's complete new list
of doses {id, sets, repetitions, hold_seconds, load, side, minutes}. `check` names every reason
it is refused; `stored` gives the accepted list as it is kept, each dose's minutes recomputed
from its library entry by choice.dose (one rule for the engine's choice and an edit). The page's
operations (an easier or harder variant, add, remove) only build such a list: nothing they build
escapes the check.

Refused, each as a FieldError naming the field (`exercises[2].sets`) and what it may be:
- an id not in the library, or an exercise that does not serve this component;
- every reason fit.py gives that the exercise does not fit the patient (the one owner of fit,
  for the engine's choice, its bounds and this edit alike);
- a side the exercise does not have: both, left or right for one done a side at a time, "none"
  for one done with both sides together;
- a dose outside the library's own dose bounds (sets 1-5, repetitions 1-30, a hold of 1-1800
  seconds, whole numbers: library.py holds every entry's default dose to the same); for
  resistance at most the component's own sets and repetitions (the engine's 1-2 sets of 8-12,
  rec-resistance), for EMST its 5 sets of 5 breaths (rec-respiratory-muscle), the warm-up and
  cool-down that frame a session excepted; a value for a dose
  field the exercise does not use (a hold for an exercise counted in repetitions);
- a load other than the library entry's, and an added load on a muscle group not measured at
  MRC 4 or more (added load only from MRC 4: rec-weakness-pattern, G-paganoni-2015);
- the same exercise twice for the same side;
- exercises that together take longer than the session's longest time in the current phase
  (`session_minutes`; the engine's choice keeps to the same budget, and the weekly schedule
  keeps those sessions within the daily limit, rec-combined).
alsrx defaults: a component keeps at least one exercise (a session with nothing named to do is a
gap in the patient's handout) and at most MAX_EXERCISES; a continuous aerobic exercise lasts at
least choice.MIN_CONTINUOUS_MINUTES.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from typing import Any

from alsrx.domain.exercises import choice, fit, frames
from alsrx.domain.exercises.library import Exercise, Library
from alsrx.domain.followup import plan as plan_mod
from alsrx.domain.prescription import resistance
from alsrx.domain.prescription.inputs import SIDES, Case
from alsrx.domain.prescription.model import ComponentType, ExerciseDose
from alsrx.domain.prescription.params import EngineSettings
from alsrx.errors import FieldError

T = ComponentType
KEYS = ("id", "sets", "repetitions", "hold_seconds", "load", "side", "minutes")
SETS = (1, 5)  # the library's own dose bounds (library._dose)
REPETITIONS = (1, 30)
HOLD_SECONDS = (1, 1800)
SIDED = ("both", *SIDES)
UNSIDED = ("none",)
MAX_EXERCISES = 40
# The engine's resistance dose: 1-2 sets of 8-12 repetitions (resistance.component;
# rec-resistance, G-acsm-2010); EMST's comes from the settings (5 x 5, rec-respiratory-muscle).
RESISTANCE_SETS_MAX, RESISTANCE_REPETITIONS_MAX = 2, 12
TOLERANCE_MIN = 1e-9
# A session's warm-up and cool-down (choice.py frames sessions with them, G-acsm-2010) are not
# the training the component's sets and repetitions bound.
FRAME = ("warm_up", "cool_down")
DIRECTIONS = ("easier", "harder")


@dataclasses.dataclass(frozen=True)
class Limits:
    """The most sets and repetitions a dose of this component may take."""

    sets_max: int = SETS[1]
    repetitions_max: int = REPETITIONS[1]


def default_limits(kind: ComponentType, settings: EngineSettings) -> Limits:
    if kind is T.RESISTANCE:
        return Limits(RESISTANCE_SETS_MAX, RESISTANCE_REPETITIONS_MAX)
    if kind is T.RESPIRATORY_MUSCLE:
        return Limits(settings.emst_sets, settings.emst_reps)
    return Limits()


def limits_for(
    kind: ComponentType, component: Mapping[str, Any], settings: EngineSettings
) -> Limits:
    """Resistance and EMST: at most the stored component's own sets and repetitions (what the
    engine wrote for this patient); the engine's defaults where a span is missing."""
    fallback = default_limits(kind, settings)
    if kind not in (T.RESISTANCE, T.RESPIRATORY_MUSCLE):
        return fallback
    sets, reps = _top(component.get("sets")), _top(component.get("repetitions"))
    return Limits(
        min(sets, fallback.sets_max) if sets is not None else fallback.sets_max,
        min(reps, fallback.repetitions_max) if reps is not None else fallback.repetitions_max,
    )


def _top(span: object) -> int | None:
    value = span.get("max") if isinstance(span, Mapping) else None
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def session_minutes(component: Mapping[str, Any], *, week: int) -> float:
    """The session's longest time in the week's phase, read from a stored component (the
    follow-up's own reading of a stored phase: followup/plan.planned)."""
    return float(plan_mod.planned(component, week).minutes_max or 0)


def continuous(e: Exercise, kind: ComponentType) -> bool:
    """Dosed in minutes: an aerobic component's continuous exercise, which the engine lets last
    the session's time left (choice._aerobic); every other dose counts sets of something."""
    return kind is T.AEROBIC and e.form == "continuous"


def uses(e: Exercise, kind: ComponentType) -> str:
    """The dose field the exercise is counted in: minutes, repetitions or hold_seconds."""
    if continuous(e, kind):
        return "minutes"
    return "repetitions" if e.dose.repetitions is not None else "hold_seconds"


def whole(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
        return None
    return int(value)


def number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _range(path: str, low: float, high: float, *, integer: bool = True) -> FieldError:
    return FieldError(path, "out_of_range", {"min": low, "max": high, "integer": integer})


@dataclasses.dataclass(frozen=True)
class _Ctx:
    kind: ComponentType
    case: Case
    settings: EngineSettings
    library: Library
    session_minutes: float
    limits: Limits


def check(
    component_type: ComponentType,
    exercises: object,
    *,
    case: Case,
    settings: EngineSettings,
    library: Library,
    session_minutes: float,
    limits: Limits | None = None,
) -> list[FieldError]:
    """Every reason the component's new exercise list is refused (empty: it may be stored)."""
    ctx = _Ctx(
        component_type,
        case,
        settings,
        library,
        session_minutes,
        limits or default_limits(component_type, settings),
    )
    if not isinstance(exercises, Sequence) or isinstance(exercises, str | bytes):
        return [FieldError("exercises", "wrong_type", {"expected": "list"})]
    if not exercises:
        return [FieldError("exercises", "exercises_empty", {})]
    if len(exercises) > MAX_EXERCISES:
        return [FieldError("exercises", "too_many_exercises", {"max": MAX_EXERCISES})]
    errors: list[FieldError] = []
    valid: list[tuple[int, Exercise, Mapping[str, Any]]] = []
    for i, raw in enumerate(exercises):
        found, e = _entry(i, raw, ctx)
        errors += found
        if e is not None and not found:
            valid.append((i, e, raw))
    errors += _duplicates(valid)
    # A warm-up or cool-down may go beside the session's time (exercises/frames.py): the
    # session holds the rest.
    total = sum(_minutes(e, d, ctx.kind) for _i, e, d in valid if e.category not in frames.FRAMES)
    if total > session_minutes + TOLERANCE_MIN:
        params = {"minutes": round(total, 1), "session": session_minutes}
        errors.append(FieldError("exercises", "exercises_longer_than_session", params))
    return errors


def _entry(i: int, raw: object, ctx: _Ctx) -> tuple[list[FieldError], Exercise | None]:
    at = f"exercises[{i}]"
    if not isinstance(raw, Mapping):
        return [FieldError(at, "wrong_type", {"expected": "object"})], None
    errors = [
        FieldError(f"{at}.{str(k)[:40]}", "not_allowed", {"allowed": KEYS})
        for k in raw
        if k not in KEYS
    ]
    e, found = _exercise(at, raw.get("id"), ctx)
    if e is None:
        return errors + found, None
    sided = _side(at, e, raw.get("side"))
    if not sided:  # fit is judged on the side the dose names
        side = side_of(e, raw)
        errors += misfit_errors(f"{at}.id", e, side, case=ctx.case, settings=ctx.settings)
    errors += sided + _dose(at, e, raw, ctx)
    load = raw.get("load")
    if load is not None and load != e.dose.load:
        errors.append(FieldError(f"{at}.load", "not_the_exercise_load", {"loads": e.dose.load}))
    return errors, e


def _exercise(at: str, value: object, ctx: _Ctx) -> tuple[Exercise | None, list[FieldError]]:
    path = f"{at}.id"
    if value is None:
        return None, [FieldError(path, "required", {})]
    if not isinstance(value, str):
        return None, [FieldError(path, "wrong_type", {"expected": "text"})]
    e = ctx.library.get(value)
    if e is None:
        return None, [FieldError(path, "unknown_exercise", {})]
    if ctx.kind not in e.components:
        params = {"exercise": e.id, "component": ctx.kind.value}
        return None, [FieldError(path, "exercise_not_for_component", params)]
    return e, []


def side_of(e: Exercise, raw: Mapping[str, Any]) -> str:
    """The dose's side; left out, both sides (or none, for an exercise without sides)."""
    side = raw.get("side")
    if side is None:
        return "both" if e.sided else "none"
    return str(side)


def _side(at: str, e: Exercise, side: object) -> list[FieldError]:
    allowed = SIDED if e.sided else UNSIDED
    if side is None or side in allowed:
        return []
    return [FieldError(f"{at}.side", "not_one_of", {"allowed": allowed})]


def _dose(at: str, e: Exercise, raw: Mapping[str, Any], ctx: _Ctx) -> list[FieldError]:
    limited = ctx.kind in (T.RESISTANCE, T.RESPIRATORY_MUSCLE) and e.category not in FRAME
    sets_max = ctx.limits.sets_max if limited else SETS[1]
    reps_max = ctx.limits.repetitions_max if limited else REPETITIONS[1]
    bounds = {
        "sets": (SETS[0], sets_max),
        "repetitions": (REPETITIONS[0], reps_max),
        "hold_seconds": HOLD_SECONDS,
    }
    used = uses(e, ctx.kind)
    errors: list[FieldError] = []
    for name, (low, high) in bounds.items():
        value = raw.get(name)
        if name not in ("sets", used):
            if value is not None:
                params = {"exercise": e.id}
                errors.append(FieldError(f"{at}.{name}", "not_used_by_exercise", params))
            continue
        count = whole(value)
        if value is None:
            wanted = {"min": low, "max": high, "integer": True}
            errors.append(FieldError(f"{at}.{name}", "required", wanted))
        elif count is None or not low <= count <= high:
            errors.append(_range(f"{at}.{name}", low, high))
    if used == "minutes":
        errors += _continuous_minutes(f"{at}.minutes", raw.get("minutes"), ctx)
    return errors


def _continuous_minutes(path: str, value: object, ctx: _Ctx) -> list[FieldError]:
    low, high = choice.MIN_CONTINUOUS_MINUTES, ctx.session_minutes
    given = number(value)
    if value is None:
        return [FieldError(path, "required", {"min": low, "max": high})]
    if given is None or not low <= given <= high:
        return [_range(path, low, high, integer=False)]
    return []


def misfit_errors(
    path: str, e: Exercise, side: str, *, case: Case, settings: EngineSettings
) -> list[FieldError]:
    """Why the exercise does not fit the patient on this side, as errors at `path`: fit.py's
    reasons, an ungraded group named as such, and an added load without a measured MRC 4."""
    found: list[FieldError] = []
    short: set[str] = set()
    for misfit in fit.misfits(e, case, settings, side=side):
        code = misfit.code
        if code == "exercise_needs_mrc":
            short.add(str(misfit.params["group"]))
            code = code if misfit.params.get("tested") else "exercise_needs_mrc_untested"
        params = {k: v for k, v in misfit.params.items() if k != "tested"}
        found.append(FieldError(path, code, params))
    if e.dose.load == resistance.LIGHT_LOAD:
        found += _added_load(path, e, side, case, settings, skip=short)
    return found


def _added_load(
    path: str, e: Exercise, side: str, case: Case, s: EngineSettings, *, skip: set[str]
) -> list[FieldError]:
    """An added load needs a measured MRC 4 on every group it loads (fit.py counts an ungraded
    group as 3, and an added load never trusts a grade nobody measured)."""
    found = []
    for group in e.muscle_groups:
        for one in fit.sides_for(e, side):
            key = f"{group}_{one}"
            grade, tested = fit.grade(case, key, s)
            if key in skip or (tested and grade >= resistance.LIGHT_LOAD_FROM_MRC):
                continue
            code = "added_load_needs_mrc4" if tested else "added_load_needs_mrc4_untested"
            found.append(FieldError(path, code, {"exercise": e.id, "group": key, "grade": grade}))
    return found


def _overlap(a: str, b: str) -> bool:
    return a == b or ("both" in (a, b) and "none" not in (a, b))


def _duplicates(valid: Sequence[tuple[int, Exercise, Mapping[str, Any]]]) -> list[FieldError]:
    """The same exercise twice for a side: one dose a side, or one for both."""
    errors: list[FieldError] = []
    seen: list[tuple[int, Exercise, str]] = []
    for i, e, raw in valid:
        side = side_of(e, raw)
        first = next((j for j, f, s in seen if f.id == e.id and _overlap(s, side)), None)
        if first is not None:
            params = {"exercise": e.id, "first": first}
            errors.append(FieldError(f"exercises[{i}].id", "duplicate_exercise", params))
        seen.append((i, e, side))
    return errors


def dose_of(e: Exercise, raw: Mapping[str, Any], kind: ComponentType) -> ExerciseDose:
    side = side_of(e, raw)
    if continuous(e, kind):
        d = choice.dose(e, side=side, sets=whole(raw.get("sets")))
        minutes = round(number(raw.get("minutes")) or 0.0, 1)
        return dataclasses.replace(d, repetitions=None, hold_seconds=None, minutes=minutes)
    return choice.dose(
        e,
        side=side,
        sets=whole(raw.get("sets")),
        repetitions=whole(raw.get("repetitions")),
        hold_seconds=whole(raw.get("hold_seconds")),
    )


def _minutes(e: Exercise, raw: Mapping[str, Any], kind: ComponentType) -> float:
    return dose_of(e, raw, kind).minutes


def stored(
    component_type: ComponentType, exercises: Sequence[Mapping[str, Any]], *, library: Library
) -> list[dict[str, Any]]:
    """The checked list as it is stored: whole numbers, the library's load, the side filled in,
    and each dose's minutes recomputed from its library entry (choice.dose; a continuous
    exercise keeps the minutes given)."""
    return [
        dataclasses.asdict(dose_of(library.entries[str(raw["id"])], raw, component_type))
        for raw in exercises
    ]
