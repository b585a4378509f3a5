"""The weakness pattern decides the exercises (rec-weakness-pattern).

- Antigravity strength (MRC grade 3) is the line between loading a muscle and moving it
  through its range only (G-paganoni-2015): an arm ergometer needs antigravity shoulder
  abduction and elbow flexion on both sides; an unassisted sit-to-stand needs antigravity knee
  extension on both sides; leg cycling needs antigravity hip flexion and knee extension on both
  sides (else motor-assisted cycling or, with strong arms, the arm ergometer); gait or standing
  practice with knee extension or ankle dorsiflexion
  below it needs an orthosis or walking aid and a person present (alsrx defaults built on that
  line). "Where tested": an untested group does not restrict, since the clinician saw it.
- More than half of the tested groups below antigravity, or no functional walking (ALSFRS-R
  item 8 <= 1), needs a clinician's review of the whole programme (alsrx default).
- Speech (item 1) at 2 or less ("intelligible with repeating" or worse): effort cannot be
  judged by talking (rec-bulbar-effort-monitoring).
"""

from __future__ import annotations

from collections.abc import Iterable

from alsrx.domain.prescription.inputs import SIDES, Case
from alsrx.domain.prescription.model import Level, Note
from alsrx.domain.prescription.params import EngineSettings
from alsrx.domain.scales import alsfrs_r as frs

SPEECH_IMPAIRED_ITEM1_MAX = 2
WALKING_LOST_ITEM8_MAX = 1
ARMS = ("shoulder_abduction", "elbow_flexion")
KNEES = ("knee_extension",)
LEGS = ("hip_flexion", "knee_extension")  # what drives a pedal
GAIT = ("knee_extension", "ankle_dorsiflexion")
EVIDENCE = ("rec-weakness-pattern", "G-paganoni-2015")


def grades(case: Case, muscles: Iterable[str]) -> list[int]:
    """The tested grades of these muscle groups, both sides."""
    mrc = case.mrc or {}
    return [mrc[f"{m}_{side}"] for m in muscles for side in SIDES if f"{m}_{side}" in mrc]


def antigravity(case: Case, muscles: Iterable[str], s: EngineSettings) -> bool:
    """Every tested side of these groups has antigravity strength (untested: no restriction)."""
    return all(g >= s.antigravity_mrc for g in grades(case, muscles))


def arms_antigravity(case: Case, s: EngineSettings) -> bool:
    return antigravity(case, ARMS, s)


def knees_antigravity(case: Case, s: EngineSettings) -> bool:
    return antigravity(case, KNEES, s)


def legs_antigravity(case: Case, s: EngineSettings) -> bool:
    return antigravity(case, LEGS, s)


def gait_needs_support(case: Case, s: EngineSettings) -> bool:
    return not antigravity(case, GAIT, s)


def speaks(case: Case) -> bool:
    return case.assessed.frs[frs.Q1] > SPEECH_IMPAIRED_ITEM1_MAX


def walking_lost(case: Case) -> bool:
    return case.assessed.frs[frs.Q8] <= WALKING_LOST_ITEM8_MAX


def notes(case: Case, s: EngineSettings) -> list[Note]:
    found: list[Note] = []
    tested = list((case.mrc or {}).values())
    weak = sum(1 for g in tested if g < s.antigravity_mrc)
    if tested and 2 * weak > len(tested):
        params = {"weak": weak, "tested": len(tested), "mrc_below": s.antigravity_mrc}
        found.append(Note("widespread_weakness", EVIDENCE, params, Level.REVIEW))
    if walking_lost(case):
        found.append(
            Note("cannot_walk", EVIDENCE, {"item8": case.assessed.frs[frs.Q8]}, Level.REVIEW)
        )
    return found
