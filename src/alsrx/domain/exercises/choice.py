"""Named exercises for each component of a drafted prescription, chosen for this patient.

Rules (alsrx defaults built on the engine's own, each named where it is set):
- Only exercises that fit (exercises/fit.py: every `min_mrc` met, position limits, equipment at
  home, who helps). Among those that fit the same purpose, the most active form the patient's
  grades allow (FORM_ORDER: added load before against gravity before gravity eliminated before
  assisted before moved by the caregiver), so each muscle works at its own level
  (rec-weakness-pattern); where the equipment is not recorded, an exercise without equipment
  first; of one form, the one needing the most strength the grades allow; then the position the
  patient manages best (POSITIONS_BY_WALKING); then the one that
  moves more of the body; then the id, so the choice never depends on file order.
- Flexibility: one exercise per body region, per side where the sides differ (range of motion
  for every region: G-nice-ng42, rec-flexibility-daily), regions in REGION_PRIORITY order
  (contracture-prone ankles, knees and hips, then the shoulders and hands).
- Resistance: one exercise per trained muscle group at its load (the engine's `muscle_loads`:
  against gravity for MRC 3, a light load from MRC 4; rec-resistance).
- Aerobic: the engine's first modality that has a fitting exercise, lasting the session's time
  left after a warm-up first and a cool-down last (a session is warm-up, conditioning and
  cool-down: common exercise practice, an alsrx default no source in the evidence base
  states); resistance sessions start with a warm-up too.
- Balance and function, EMST, breathing work: one exercise per modality the engine chose.
- The time budget: the exercises of a session take at most the session's longest time in the
  current phase, which the weekly schedule already kept within the daily limit
  (rec-combined). What does not fit is left out from the end of the priority order, and a note
  names it for the clinician.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence

from alsrx.domain.exercises import fit, frames
from alsrx.domain.exercises.library import Exercise, Library
from alsrx.domain.prescription import safety_rules, schedule
from alsrx.domain.prescription.inputs import MUSCLES, SIDES, Case
from alsrx.domain.prescription.model import Component, ComponentType, ExerciseDose, Note
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
STRETCHED = ("ankle", "knee")  # calves and hamstrings
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
FRAMES = frames.FRAMES
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

        def key(e: Exercise) -> tuple[int, int, int, int, int, str]:
            return (
                int(unrecorded and bool(e.equipment)),
                FORM_ORDER.index(e.form),
                -sum(e.min_mrc.values()),  # of one form, the most the grades allow
                positions.index(e.position),
                -len(e.regions),  # more of the body moved in the same time
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
    # A phase's repetitions are lifts; a count of isometric holds stays the library's.
    lifts = d.repetitions is not None and d.hold_seconds is None
    reps = repetitions if repetitions is not None and lifts else d.repetitions
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
    ctx: Context,
    candidates: Sequence[Exercise],
    sides: Sequence[str],
    *,
    sets: int | None = None,
    repetitions: int | None = None,
) -> list[ExerciseDose]:
    """The best fitting exercise for each side; one dose for both when they agree."""
    best = {side: next(iter(ctx.ranked(candidates, side=side)), None) for side in sides}
    chosen = [e for e in best.values() if e is not None]
    if len(sides) == len(SIDES) and len(chosen) == 2 and chosen[0].id == chosen[1].id:
        return [dose(chosen[0], side="both", sets=sets, repetitions=repetitions)]
    return [
        dose(e, side=side, sets=sets, repetitions=repetitions)
        for side, e in best.items()
        if e is not None
    ]


def _unsupported_lean(e: Exercise) -> bool:
    return e.position == "sitting" and e.helper == "alone" and e.neck_unsupported


def _needs_stretch(ctx: Context, region: str) -> bool:
    """Calves and hamstrings shorten first when the muscles around them weaken or walking
    stops: they get a held stretch, not only movement (G-nice-ng42 contractures; alsrx clinical
    team)."""
    group = REGION_GROUP[region]
    weak = any(
        ctx.case.mrc is not None
        and ctx.case.mrc.get(f"{group}_{side}", 5) < ctx.settings.antigravity_mrc
        for side in SIDES
    )
    return weak or not fit.can_stand(ctx.case)


def _flexibility(ctx: Context) -> list[ExerciseDose]:
    serving = ctx.serving(T.FLEXIBILITY)
    chosen: list[ExerciseDose] = []
    for region in REGION_PRIORITY:
        done = {d.id for d in chosen}  # one exercise may move two regions: once is enough
        candidates = [
            e
            for e in serving
            if region in e.regions
            and e.category not in ("warm_up", "cool_down")
            and e.id not in done
        ]
        if region in STRETCHED and _needs_stretch(ctx, region):
            held = [e for e in candidates if e.category == "stretching"]
            candidates = held if any(ctx.ranked(held, side=x) for x in SIDES) else candidates
        if not fit.can_stand(ctx.case):
            # A lean forward or sideways on a chair, alone, without walking: a fall from the
            # chair; someone beside, or in bed, where one fits (alsrx clinical team).
            steadier = [e for e in candidates if not _unsupported_lean(e)]
            candidates = (
                steadier if any(ctx.ranked(steadier, side=x) for x in SIDES) else candidates
            )
        if region == "trunk" and not fit.can_stand(ctx.case):
            # Without walking, trunk control may not hold a seated lean: someone beside, or
            # in bed (a fall from the chair; alsrx clinical team).
            candidates = [e for e in candidates if e.helper != "alone" or e.position == "in_bed"]
        if region in REGION_GROUP:
            chosen += _per_side(ctx, candidates, SIDES)
        else:
            best = ctx.ranked(candidates)
            chosen += [dose(best[0], side="none")] if best else []
    return chosen


def _resistance(c: Component, ctx: Context, week: int) -> list[ExerciseDose]:
    step = safety_rules.current_step(c.progression, week)
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
                # at the current phase's sets and repetitions (rec-resistance: start low)
                chosen += _per_side(ctx, candidates, sides, sets=sets, repetitions=reps)
    return chosen


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
    """The engine's modalities in order; but a mode that works muscles only just at antigravity
    for 15-30 minutes gives way to one with strength to spare (a motor-assisted cycle, the
    stronger arms), since continuous work at MRC 3 invites overwork weakness
    (rec-post-exercise-overwork; the margin rule is an alsrx default)."""
    serving = ctx.serving(T.AEROBIC)
    found = [
        best[0]
        for modality in c.modalities
        if (
            best := ctx.ranked(
                e for e in serving if e.modality == modality and e.form == "continuous"
            )
        )
    ]
    if not found:
        return []
    # Only to something known to be at home: a body-weight-supported treadmill the record does
    # not list is no reason to leave the engine's first mode.
    at_home = ctx.case.equipment or frozenset()
    spare = [e for e in found if _margin(e, ctx) >= 1 and set(e.equipment) <= at_home]
    first = found[0] if _margin(found[0], ctx) >= 1 else (spare or found)[0]
    d = dose(first, side="both")
    return [dataclasses.replace(d, repetitions=None, hold_seconds=None)]


def _margin(e: Exercise, ctx: Context) -> int:
    """The least grade above what the exercise needs, over the groups it needs, both sides."""
    gaps = [
        fit.grade(ctx.case, f"{group}_{side}", ctx.settings)[0] - needed
        for group, needed in e.min_mrc.items()
        for side in SIDES
    ]
    return min(gaps, default=5)


def _framed(
    c: Component, ctx: Context, main: list[ExerciseDose], *, budget: float, room: float
) -> tuple[list[ExerciseDose], float]:
    """Warm-up first and cool-down last, and the minutes they take beside the session.

    A continuous exercise lasts the whole session (its dose is the evidence's: rec-aerobic-dose);
    a frame never shortens it. The frame goes beside the session where every day it is on has
    room under the daily limit, else inside what the session's own exercises leave free, else
    the cool-down and then the warm-up give way (each aerobic exercise starts and ends gently
    in its own steps). Frames are done where the conditioning is (seated before a seated bike).
    """
    if not main:
        return main, 0.0
    continuous = [d for d in main if d.repetitions is None and d.hold_seconds is None]
    others = sum(d.minutes for d in main if d not in continuous)
    main = [
        dataclasses.replace(d, minutes=round(max(budget - others, 0.0), 1))
        if d in continuous
        else d
        for d in main
    ]
    free = 0.0 if continuous else budget - sum(d.minutes for d in main)
    parts = _frame_parts(c, ctx, position=ctx.library.entries[main[0].id].position)
    for drop in (None, "cool_down", "warm_up"):
        parts.pop(drop or "", None)
        framing = sum(d.minutes for d in parts.values())
        if framing <= room + 1e-9 or framing <= free + 1e-9:
            beside = framing if framing > free + 1e-9 else 0.0
            ordered = [parts["warm_up"]] if "warm_up" in parts else []
            return [
                *ordered,
                *main,
                *([parts["cool_down"]] if "cool_down" in parts else []),
            ], beside
    return main, 0.0


def _frame_parts(c: Component, ctx: Context, *, position: str) -> dict[str, ExerciseDose]:
    frame = [("warm_up", c.type in WARMED), ("cool_down", c.type in COOLED)]
    parts: dict[str, ExerciseDose] = {}
    for category, wanted in frame:
        best = ctx.ranked(e for e in ctx.library if e.category == category) if wanted else []
        best.sort(key=lambda e: e.position != position)  # stable: the rank otherwise kept
        if best:
            parts[category] = dose(best[0], side="none")
    return parts


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


def _uncovered(kept: list[ExerciseDose], ctx: Context) -> list[Note]:
    """Regions left without range of motion (no fitting exercise or no time): a clinician's
    call, since contractures follow (G-nice-ng42)."""
    covered = {r for d in kept for r in ctx.library.entries[d.id].regions}
    missing = tuple(r for r in REGION_PRIORITY if r not in covered)
    return (
        [Note("exercise_regions_uncovered", ("G-nice-ng42",), {"regions": missing})]
        if missing
        else []
    )


def _modalities_uncovered(c: Component, chosen: list[ExerciseDose], ctx: Context) -> list[Note]:
    """Modalities the engine chose that no fitting exercise carries out: the clinician's call."""
    if c.type in (T.AEROBIC, T.RESISTANCE):
        return []  # one aerobic mode is enough; resistance is chosen per muscle group
    done = {ctx.library.entries[d.id].modality for d in chosen}
    missing = tuple(m for m in c.modalities if m not in done)
    note = Note("exercise_modalities_uncovered", EVIDENCE, {"modalities": missing})
    return [note] if missing else []


def choose(c: Component, ctx: Context, *, week: int, room: float = 0.0) -> Component:
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
        main, beside = _framed(c, ctx, main, budget=budget, room=room)
        budget += beside
    kept, left = _within(main, budget)
    notes = list(c.rationale)
    if left:
        notes.append(Note("exercises_left_out_for_time", EVIDENCE, {"exercises": tuple(left)}))
    if not kept:
        notes.append(Note("no_exercise_fits", EVIDENCE, {"component": c.type.value}))
    elif c.type is T.FLEXIBILITY:
        notes += _uncovered(kept, ctx)
    else:
        notes += _modalities_uncovered(c, main, ctx)  # what time left out is noted above
    return dataclasses.replace(c, exercises=tuple(kept), rationale=tuple(notes))


def choose_all(
    components: Iterable[Component],
    case: Case,
    s: EngineSettings,
    *,
    library: Library,
    week: int,
    room: Mapping[ComponentType, float] | None = None,
) -> list[Component]:
    """Every component with its exercises; `room` is the daily limit's room on the days each
    is planned (room_for_frames), where a warm-up and cool-down may go beside the session."""
    ctx = Context(case, s, library)
    return [choose(c, ctx, week=week, room=(room or {}).get(c.type, 0.0)) for c in components]
