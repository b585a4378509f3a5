"""What the engine needs to know: the assessed visit plus exercise-specific facts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from alsrx.domain.assessment import Result

MUSCLES = (
    "shoulder_abduction",
    "elbow_flexion",
    "wrist_extension",
    "hip_flexion",
    "knee_extension",
    "ankle_dorsiflexion",
)
SIDES = ("left", "right")
MRC_KEYS = tuple(f"{m}_{s}" for m in MUSCLES for s in SIDES)

# Conditions that contraindicate starting exercise now (FACTS-2-ALS exclusions, R30: severe
# cardiopulmonary disease, poorly regulated hypertension; acute illness by general exercise
# safety practice), and those that need a clinician's judgement first.
NOT_RECOMMENDED_CONDITIONS = (
    "unstable_cardiac_disease",
    "acute_infection_or_fever",
    "uncontrolled_hypertension",
)
REVIEW_CONDITIONS = (
    "recent_fall_with_injury",
    "severe_osteoporosis",
    "uncontrolled_diabetes",
    "severe_pain",
)


@dataclass(frozen=True)
class History:
    """Earlier programme, as far as the engine uses it now (follow-up extends this)."""

    weeks_completed: int = 0


@dataclass(frozen=True)
class Case:
    assessed: Result
    conditions: frozenset[str] = frozenset()
    c9orf72: bool | None = None
    uses_ventilation_support: bool = False
    beta_blocker: bool = False
    mrc: Mapping[str, int] | None = None
    equipment: frozenset[str] | None = None  # None: not recorded
    history: History = History()
