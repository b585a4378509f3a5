"""Values of the follow-up loop: what was planned, what was done, what it signals."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class Completion(StrEnum):
    DONE = "done"
    PARTIAL = "partial"
    SKIPPED = "skipped"
    # Began but stopped because of a symptom: no credit (adherence.CREDIT). The default of a log
    # that reports a red flag and does not say how much was done (services/session_logs.py).
    STOPPED = "stopped"


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    URGENT = "urgent"


SYMPTOMS = (
    "cramps",
    "muscle_pain_next_day",
    "dyspnea",
    "dizziness",
    "chest_pain",
    "fall",
    "fall_with_injury",
    "unusual_fatigue",
    "new_weakness_next_day",
    "fasciculations",
)
RED_FLAGS = ("chest_pain", "fall_with_injury", "dizziness")


@dataclass(frozen=True)
class PlannedComponent:
    """One component of the active prescription, as the follow-up rules need it."""

    type: str
    sessions_per_week_min: int
    sessions_per_week_max: int
    minutes_min: float | None
    minutes_max: float | None
    hr_max_bpm: float | None
    hr_min_bpm: float | None
    rpe_max: float | None
    sets: float | None = None
    repetitions: float | None = None


@dataclass(frozen=True)
class Plan:
    prescription_id: str
    started_on: dt.date
    components: tuple[PlannedComponent, ...]
    fatigue_limit_min: float = 15.0
    # The week whose dose applies (held at the end of the approved phase), the week the
    # calendar has reached, and the first week of the next phase (None: no further phase).
    week: int = 1
    calendar_week: int = 1
    next_phase_week: int | None = None
    # Breathing already affected (NIV, a breathing programme, orthopnoea, low FVC or inspiratory
    # pressures; plan.respiratory_involvement): breathlessness in a session is then urgent.
    respiratory_involvement: bool = False

    def component(self, kind: str) -> PlannedComponent | None:
        return next((c for c in self.components if c.type == kind), None)


@dataclass(frozen=True)
class SessionLog:
    date: dt.date
    component: str
    completed: Completion
    duration_min: float | None = None
    avg_hr_bpm: float | None = None
    max_hr_bpm: float | None = None
    rpe: float | None = None
    fatigue_recovery_min: float | None = None
    symptoms: tuple[str, ...] = ()
    skip_reason: str | None = None


@dataclass(frozen=True)
class Signal:
    """A finding to raise as an alert: code, severity, the rule's evidence, triggering data."""

    code: str
    severity: Severity
    evidence: tuple[str, ...]
    data: Mapping[str, object] = dataclasses.field(default_factory=dict)
    tells_patient_to_stop: bool = False
