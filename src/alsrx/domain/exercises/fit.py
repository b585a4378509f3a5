"""Whether a library exercise fits this patient: one owner for the selection, the engine's
bounds and a clinician's edits.

- Strength: every `min_mrc` met by the patient's grade for that group (rec-weakness-pattern,
  G-paganoni-2015: no loading below antigravity strength, added load only from MRC 4). A sided
  exercise done on one side is checked on that side; otherwise on both.
- Untested groups: alsrx default, the conservative form. An untested group counts as the
  antigravity grade (MRC 3): it may move against gravity, never take an added load (which needs
  a measured 4), and never restricts what the engine itself left open (the engine treats an
  untested group as no restriction, since the clinician saw the patient).
- Breathing and the neck: nothing lying flat with orthopnoea (rec-orthopnoea-no-supine); nothing
  that holds the head up unsupported with head drop (alsrx clinical team).
- Standing: only while the patient walks, at least with assistance (ALSFRS-R item 8 >= 2; the
  engine's own line for standing work, flexibility.py); alone only when walking unaided, without
  a ventilator and with antigravity knees and ankles, else with someone beside (the engine's
  `person_present`); never on knees below MRC 3 (an orthosis or stand aid is the clinician's
  plan), but for a caregiver-helped rise from a chair. With head drop nothing standing.
- Lying on the side counts as lying down: ruled out with orthopnoea like lying flat.
- A helping limb (the other hand, both arms on a towel) is checked too (`helper_limb_min_mrc`).
- Equipment from the patient's record when it is recorded; help from a caregiver only when
  someone is at home (not recorded: allowed, the clinician approves the plan).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from alsrx.domain.exercises.library import Exercise
from alsrx.domain.prescription import breathing, weakness
from alsrx.domain.prescription.inputs import HEAD_DROP, SIDES, Case
from alsrx.domain.prescription.params import EngineSettings
from alsrx.domain.scales import alsfrs_r as frs

STANDS_FROM_ITEM8 = 2  # walks with assistance
STANDS_ALONE_FROM_ITEM8 = (
    3  # walks without assistance (ALSFRS-R item 8: 3 early ambulation difficulties)
)
FROM_SITTING_TO_STANDING = ("sit_to_stand", "assisted_sit_to_stand")
HELPED = ("with_caregiver", "by_caregiver")


@dataclass(frozen=True)
class Misfit:
    """Why an exercise does not fit: a code and its parameters, rendered at the edge."""

    code: str
    params: Mapping[str, object]


def grade(case: Case, key: str, s: EngineSettings) -> tuple[int, bool]:
    """(grade, tested) of one muscle group on one side, e.g. `knee_extension_left`."""
    mrc = case.mrc or {}
    if key in mrc:
        return mrc[key], True
    return s.antigravity_mrc, False


def sides_for(exercise: Exercise, side: str) -> tuple[str, ...]:
    return (side,) if exercise.sided and side in SIDES else SIDES


def strength_misfits(
    exercise: Exercise, case: Case, s: EngineSettings, *, side: str = "both"
) -> Iterator[Misfit]:
    for group, needed in exercise.min_mrc.items():
        for one in sides_for(exercise, side):
            key = f"{group}_{one}"
            have, tested = grade(case, key, s)
            if have < needed:
                yield Misfit(
                    "exercise_needs_mrc",
                    {
                        "exercise": exercise.id,
                        "group": key,
                        "needed": needed,
                        "grade": have,
                        "tested": tested,
                    },
                )


def helper_limb_misfits(
    exercise: Exercise, case: Case, s: EngineSettings, *, side: str
) -> Iterator[Misfit]:
    """The helping limb: the other side of a one-sided exercise, or the stronger side."""
    if not exercise.helper_limb_min_mrc:
        return
    if exercise.sided and side in SIDES:
        candidates: tuple[str, ...] = tuple(x for x in SIDES if x != side)
    else:
        candidates = SIDES
    for one in candidates:
        short = [
            (f"{g}_{one}", needed, grade(case, f"{g}_{one}", s))
            for g, needed in exercise.helper_limb_min_mrc.items()
            if grade(case, f"{g}_{one}", s)[0] < needed
        ]
        if not short:
            return
    key, needed, (have, tested) = short[0]
    yield Misfit(
        "exercise_needs_mrc",
        {"exercise": exercise.id, "group": key, "needed": needed, "grade": have, "tested": tested},
    )


def can_stand(case: Case) -> bool:
    return case.assessed.frs[frs.Q8] >= STANDS_FROM_ITEM8


def stands_alone(case: Case, s: EngineSettings) -> bool:
    """Standing work without someone beside: walking without help (item 8 >= 3), no ventilator
    (NIV: seated, the ventilator at hand; rec-exercise-with-niv) and legs that need no support
    (knee extension and ankle dorsiflexion at antigravity; weakness.gait_needs_support)."""
    return (
        case.assessed.frs[frs.Q8] >= STANDS_ALONE_FROM_ITEM8
        and not breathing.uses_niv(case)
        and not weakness.gait_needs_support(case, s)
    )


def misfits(
    exercise: Exercise, case: Case, s: EngineSettings, *, side: str = "both"
) -> list[Misfit]:
    """Every reason this exercise does not fit the patient (empty: it fits)."""
    found = list(strength_misfits(exercise, case, s, side=side))
    found += helper_limb_misfits(exercise, case, s, side=side)
    named: dict[str, object] = {"exercise": exercise.id}
    standing = exercise.position == "standing" or exercise.modality in FROM_SITTING_TO_STANDING
    if lies_down(exercise) and breathing.orthopnoea(case):
        found.append(Misfit("exercise_lying_flat_orthopnoea", named))
    if HEAD_DROP in case.conditions and (exercise.neck_unsupported or standing):
        found.append(Misfit("exercise_neck_unsupported_head_drop", named))
    if exercise.position == "standing" and not can_stand(case):
        found.append(Misfit("exercise_standing_not_walking", named))
    if standing and exercise.helper == "alone" and not stands_alone(case, s):
        found.append(Misfit("exercise_standing_needs_someone_beside", named))
    if standing and _knees_below_antigravity(case, s, exercise):
        found.append(Misfit("exercise_standing_weak_knees", named))
    missing = missing_equipment(exercise, case)
    if missing:
        found.append(Misfit("exercise_needs_equipment", {**named, "equipment": missing}))
    if exercise.helper in HELPED and case.caregiver_at_home is False:
        found.append(Misfit("exercise_needs_caregiver", named))
    return found


def lies_down(exercise: Exercise) -> bool:
    """Flat on the back, or lying on the side: orthopnoea rules out both (a head raised in bed
    is `in_bed`, which it allows)."""
    return exercise.lying_flat or exercise.position == "lying"


def _knees_below_antigravity(case: Case, s: EngineSettings, exercise: Exercise) -> bool:
    """Weight through knees below MRC 3 (tested) needs a knee-ankle-foot orthosis or a stand
    aid, which the library has no exercise for: the clinician plans it. A caregiver's help to
    rise stays possible from MRC 2 (the entry's own min_mrc says so)."""
    if exercise.helper != "alone" and exercise.modality == "assisted_sit_to_stand":
        return False
    grades = [g for key, g in (case.mrc or {}).items() if key.startswith("knee_extension_")]
    return any(g < s.antigravity_mrc for g in grades)


def missing_equipment(exercise: Exercise, case: Case) -> tuple[str, ...]:
    """Equipment the exercise needs that the record says is not at home (none when unrecorded)."""
    if case.equipment is None:
        return ()
    return tuple(e for e in exercise.equipment if e not in case.equipment)


def fits(exercise: Exercise, case: Case, s: EngineSettings, *, side: str = "both") -> bool:
    return not misfits(exercise, case, s, side=side)
