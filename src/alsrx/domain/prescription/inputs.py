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

# Conditions that contraindicate starting exercise now (general exercise safety:
# rec-general-exercise-safety; FACTS-2-ALS excluded severe cardiopulmonary disease, R30), and
# those that need a clinician's judgement first.
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
# Conditions that make expiratory muscle training unsafe: the manoeuvre raises thoracic and
# abdominal pressure (rec-emst-safety).
# Head drop (weak neck extensors): no exercise that holds the head up unsupported.
HEAD_DROP = "head_drop"
EMST_UNSAFE_CONDITIONS = (
    "abdominal_hernia",
    "recent_pneumothorax",
    "uncontrolled_reflux",
)


@dataclass(frozen=True)
class History:
    """Earlier programme and the previous visit, as far as the engine uses them."""

    weeks_completed: int = 0
    previous_weight_kg: float | None = None


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
    lip_seal_poor: bool = False
    sialorrhoea_severe: bool = False
    caregiver_at_home: bool | None = None  # None: not recorded (the clinician approves help)
