"""Named exercises for each component of a drafted prescription, chosen for this patient.

Rules (alsrx defaults built on the engine's own, each named where it is set):
- Only exercises that fit (exercises/fit.py: every `min_mrc` met, position limits, equipment at
  home, who helps). Among those that fit the same purpose, the most active form the patient's
  grades allow (FORM_ORDER: added load before against gravity before gravity eliminated before
  assisted before moved by the caregiver), so each muscle works at its own level
  (rec-weakness-pattern); where the equipment is not recorded, an exercise without equipment
  first; then the position the patient manages best (POSITIONS_BY_WALKING); then the id, so the
  choice never depends on file order.
- Flexibility: one exercise per body region, per side where the sides differ (range of motion
  for every region: G-nice-ng42, rec-flexibility-daily), regions in REGION_PRIORITY order
  (contracture-prone ankles, knees and hips, then the shoulders and hands).
- Resistance: one exercise per trained muscle group at its load (the engine's `muscle_loads`:
  against gravity for MRC 3, a light load from MRC 4; rec-resistance).
- Aerobic: the engine's first modality that has a fitting exercise, lasting the session's time
  left after a warm-up first and a cool-down last (a session is warm-up, conditioning and
  cool-down: G-acsm-2010); resistance sessions start with a warm-up too.
- Balance and function, EMST, breathing work: one exercise per modality the engine chose.
- The time budget: the exercises of a session take at most the session's longest time in the
  current phase, which the weekly schedule already kept within the daily limit
  (rec-combined). What does not fit is left out from the end of the priority order, and a note
  names it for the clinician.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from alsrx.domain.exercises import fit
from alsrx.domain.exercises.library import Exercise, Library
from alsrx.domain.prescription import schedule
from alsrx.domain.prescription.inputs import MUSCLES, SIDES, Case
from alsrx.domain.prescription.model import Component, ComponentType, ExerciseDose, Note, Step
from alsrx.domain.prescription.params import EngineSettings
from alsrx.domain.scales import alsfrs_r as frs

T = ComponentType
FORM_ORDER = (
    "light_load",
    "isometric",
    "against_gravity",
    "continuous",
    "device",
    "active",
    "gravity_eliminated",
    "active_assisted",
    "passive",
)
REGION_PRIORITY = ("ankle", "knee", "hip", "shoulder", "wrist_hand", "elbow", "neck", "trunk")
REGION_GROUP = {
    "shoulder": "shoulder_abduction",
    "elbow": "elbow_flexion",
    "wrist_hand": "wrist_extension",
    "hip": "hip_flexion",
    "knee": "knee_extension",
    "ankle": "ankle_dorsiflexion",
}
POSITIONS_BY_WALKING = {  # ALSFRS-R item 8 -> the positions in the order they suit
    4: ("standing", "sitting", "in_bed", "lying"),
    3: ("standing", "sitting", "in_bed", "lying"),
    2: ("sitting", "standing", "in_bed", "lying"),
    1: ("sitting", "in_bed", "lying", "standing"),
    0: ("in_bed", "sitting", "lying", "standing"),
}
LOAD_FORMS = {
    "against_gravity_only": ("against_gravity",),
    "light_added_load": ("light_load", "isometric"),
}
WARMED = (T.AEROBIC, T.RESISTANCE)  # sessions that start with a warm-up
COOLED = (T.AEROBIC,)  # and end with a cool-down
MIN_CONTINUOUS_MINUTES = 5.0
EVIDENCE = ("rec-weakness-pattern", "G-paganoni-2015")


@dataclasses.dataclass(frozen=True)
class Context:
    case: Case
    settings: EngineSettings
    library: Library

    def ranked(self, candidates: Iterable[Exercise], *, side: str = "both") -> list[Exercise]:
        """The candidates that fit, best first."""
        positions = POSITIONS_BY_WALKING[self.case.assessed.frs[frs.Q8]]
        unrecorded = self.case.equipment is None

        def key(e: Exercise) -> tuple[int, int, int, str]:
            return (
                int(unrecorded and bool(e.equipment)),
                FORM_ORDER.index(e.form),
                positions.index(e.position),
                e.id,
            )

        fitting = [e for e in candidates if fit.fits(e, self.case, self.settings, side=side)]
        return sorted(fitting, key=key)

    def serving(self, kind: ComponentType) -> list[Exercise]:
        return [e for e in self.library if kind in e.components]


def dose(
    e: Exercise,
    *,
    side: str,
    sets: int | None = None,
    repetitions: int | None = None,
    hold_seconds: int | None = None,
) -> ExerciseDose:
    """The library's default dose, on one side or both, with the sets, repetitions or hold
    given; its minutes in proportion to the library's (a longer hold takes longer too)."""
    d = e.dose
    new_sets = sets or d.sets
    reps = repetitions if repetitions is not None and d.repetitions is not None else d.repetitions
    hold = (
        hold_seconds if hold_seconds is not None and d.hold_seconds is not None else d.hold_seconds
    )
    share = 0.5 if e.sided and side in SIDES else 1.0
    per_rep = (reps / d.repetitions) if reps and d.repetitions else 1.0
    per_hold = (hold / d.hold_seconds) if hold and d.hold_seconds else 1.0
    minutes = round(d.minutes * new_sets / d.sets * share * per_rep * per_hold, 1)
    return ExerciseDose(
        id=e.id,
        sets=new_sets,
        repetitions=reps,
        hold_seconds=hold,
        load=d.load,
        side=side if e.sided else "none",
        minutes=max(minutes, 0.5),
    )


def _per_side(
    ctx: Context, candidates: Sequence[Exercise], sides: Sequence[str]
) -> list[ExerciseDose]:
    """The best fitting exercise for each side; one dose for both when they agree."""
    best = {side: next(iter(ctx.ranked(candidates, side=side)), None) for side in sides}
    chosen = [e for e in best.values() if e is not None]
    if len(sides) == len(SIDES) and len(chosen) == 2 and chosen[0].id == chosen[1].id:
        return [dose(chosen[0], side="both")]
    return [dose(e, side=side) for side, e in best.items() if e is not None]


def _flexibility(ctx: Context) -> list[ExerciseDose]:
    serving = ctx.serving(T.FLEXIBILITY)
    chosen: list[ExerciseDose] = []
    for region in REGION_PRIORITY:
        candidates = [
            e for e in serving if region in e.regions and e.category not in ("warm_up", "cool_down")
        ]
        if region in REGION_GROUP:
            chosen += _per_side(ctx, candidates, SIDES)
        else:
            best = ctx.ranked(candidates)
            chosen += [dose(best[0], side="none")] if best else []
    return chosen


def _resistance(c: Component, ctx: Context, week: int) -> list[ExerciseDose]:
    step = _step(c, week)
    sets = int(step.sets.min) if step and step.sets and step.sets.min else None
    reps = int(step.repetitions.min) if step and step.repetitions and step.repetitions.min else None
    serving = ctx.serving(T.RESISTANCE)
    chosen: list[ExerciseDose] = []
    for group in MUSCLES:
        for load in LOAD_FORMS:
            sides = [s for s in SIDES if c.muscle_loads.get(f"{group}_{s}") == load]
            candidates = [
                e for e in serving if group in e.muscle_groups and e.form in LOAD_FORMS[load]
            ]
            if sides:
                chosen += [
                    _redosed(ctx, d, sets=sets, reps=reps)
                    for d in _per_side(ctx, candidates, sides)
                ]
    return chosen


def _redosed(ctx: Context, d: ExerciseDose, *, sets: int | None, reps: int | None) -> ExerciseDose:
    """The dose at the current phase's sets and repetitions (rec-resistance: start low)."""
    e = ctx.library.entries[d.id]
    side = d.side if d.side != "none" else "both"
    return dose(e, side=side, sets=sets, repetitions=reps)


def _step(c: Component, week: int) -> Step | None:
    found: Step | None = None
    for step in c.progression:
        if step.first_week <= week:
            found = step
    return found


def _by_modality(c: Component, ctx: Context) -> list[ExerciseDose]:
    serving = ctx.serving(c.type)
    chosen: list[ExerciseDose] = []
    for modality in c.modalities:
        best = ctx.ranked(e for e in serving if e.modality == modality)
        if best:
            chosen.append(_component_dose(c, best[0]))
    return chosen


def _component_dose(c: Component, e: Exercise) -> ExerciseDose:
    """EMST keeps the engine's sets and breaths (rec-respiratory-muscle); others the library's."""
    if c.type is T.RESPIRATORY_MUSCLE and c.sets and c.repetitions:
        return dose(
            e, side="both", sets=int(c.sets.max or 1), repetitions=int(c.repetitions.max or 1)
        )
    return dose(e, side="both")


def _aerobic(c: Component, ctx: Context) -> list[ExerciseDose]:
    serving = ctx.serving(T.AEROBIC)
    for modality in c.modalities:
        best = ctx.ranked(e for e in serving if e.modality == modality and e.form == "continuous")
        if best:
            d = dose(best[0], side="both")
            return [dataclasses.replace(d, repetitions=None, hold_seconds=None)]
    return []


def _framed(
    c: Component, ctx: Context, main: list[ExerciseDose], budget: float
) -> list[ExerciseDose]:
    """Warm-up first and cool-down last where they fit; a continuous exercise takes the rest."""
    frame = [("warm_up", c.type in WARMED), ("cool_down", c.type in COOLED)]
    parts: dict[str, ExerciseDose] = {}
    for category, wanted in frame:
        best = ctx.ranked(e for e in ctx.library if e.category == category) if wanted else []
        if best:
            parts[category] = dose(best[0], side="none")
    continuous = [d for d in main if d.repetitions is None and d.hold_seconds is None]
    fixed = sum(d.minutes for d in main if d not in continuous)
    for drop in ("cool_down", "warm_up"):  # keep the conditioning before its frame
        framing = sum(d.minutes for d in parts.values())
        if fixed + framing + (MIN_CONTINUOUS_MINUTES if continuous else 0) <= budget:
            break
        parts.pop(drop, None)
    framing = sum(d.minutes for d in parts.values())
    rest = round(budget - fixed - framing, 1)
    main = [dataclasses.replace(d, minutes=rest) if d in continuous else d for d in main]
    ordered = [parts["warm_up"]] if "warm_up" in parts else []
    return [*ordered, *main, *([parts["cool_down"]] if "cool_down" in parts else [])]


def _within(chosen: list[ExerciseDose], budget: float) -> tuple[list[ExerciseDose], list[str]]:
    """The exercises in order while their time fits; the ids left out."""
    kept, left, used = [], [], 0.0
    for d in chosen:
        if used + d.minutes <= budget + 1e-9:
            kept.append(d)
            used += d.minutes
        else:
            left.append(d.id)
    return kept, left


def choose(c: Component, ctx: Context, *, week: int) -> Component:
    """The component with its exercises, in the order they are done."""
    budget = float(schedule.current_phase(c, week)[1].max or 0)
    if c.type is T.FLEXIBILITY:
        main = _flexibility(ctx)
    elif c.type is T.RESISTANCE:
        main = _resistance(c, ctx, week)
    elif c.type is T.AEROBIC:
        main = _aerobic(c, ctx)
    else:
        main = _by_modality(c, ctx)
    if c.type in WARMED:
        main = _framed(c, ctx, main, budget)
    kept, left = _within(main, budget)
    notes = list(c.rationale)
    if left:
        notes.append(Note("exercises_left_out_for_time", EVIDENCE, {"exercises": tuple(left)}))
    if not kept:
        notes.append(Note("no_exercise_fits", EVIDENCE, {"component": c.type.value}))
    return dataclasses.replace(c, exercises=tuple(kept), rationale=tuple(notes))


def choose_all(
    components: Iterable[Component], case: Case, s: EngineSettings, *, library: Library, week: int
) -> list[Component]:
    ctx = Context(case, s, library)
    return [choose(c, ctx, week=week) for c in components]
