"""Rendering-neutral values of a prescription: codes and numbers, translated at the edge."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    OK = "ok"
    CLINICIAN_REVIEW = "clinician_review"
    NOT_RECOMMENDED = "not_recommended"


class Level(StrEnum):
    """How much a reason weighs: information, a clinician must review, or do not exercise now."""

    INFO = "info"
    REVIEW = "review"
    NOT_RECOMMENDED = "not_recommended"


class ComponentType(StrEnum):
    AEROBIC = "aerobic"
    RESISTANCE = "resistance"
    RESPIRATORY_MUSCLE = "respiratory_muscle"
    FLEXIBILITY = "flexibility"
    BALANCE_FUNCTIONAL = "balance_functional"
    BREATHING = "breathing"  # breathing control and positioning, no training load


@dataclass(frozen=True)
class Span:
    min: float | None
    max: float | None


@dataclass(frozen=True)
class Note:
    """A coded statement with its parameters and evidence: a reason, a rationale, a stop rule."""

    code: str
    evidence: tuple[str, ...] = ()
    params: Mapping[str, object] = dataclasses.field(default_factory=dict)
    level: Level = Level.INFO


@dataclass(frozen=True)
class Intensity:
    hr_bpm: Span | None = None
    hr_basis: str = "not_applicable"
    percent_hrr: Span | None = None
    rpe: Span | None = None
    percent_mep: Span | None = None
    device_pressure_cmh2o: float | None = None
    load: str | None = None


@dataclass(frozen=True)
class Step:
    """One stage of the week-by-week progression, weeks inclusive."""

    first_week: int
    last_week: int
    sessions_per_week: Span
    minutes_per_session: Span
    percent_hrr: Span | None = None
    hr_bpm: Span | None = None
    sets: Span | None = None
    repetitions: Span | None = None
    note: str = ""


@dataclass(frozen=True)
class ExerciseDose:
    """A library exercise chosen for this patient, with its dose (domain/exercises).

    `repetitions` or `hold_seconds` per set; neither for a continuous exercise, which lasts
    the `minutes` of the session left after its warm-up and cool-down. `side` is "both",
    "left" or "right" for an exercise done per side, "none" otherwise. `minutes` is the time
    the exercise takes at this dose, both sides: what the session's time budget counts."""

    id: str
    sets: int
    repetitions: int | None
    hold_seconds: int | None
    load: str
    side: str
    minutes: float


@dataclass(frozen=True)
class Component:
    type: ComponentType
    sessions_per_week: Span
    minutes_per_session: Span
    intensity: Intensity
    modalities: tuple[str, ...]
    evidence: tuple[str, ...]
    rationale: tuple[Note, ...]
    progression: tuple[Step, ...] = ()
    muscle_groups: tuple[str, ...] = ()
    range_of_motion_only: tuple[str, ...] = ()
    # Per trained muscle group, its load code: MRC 3 "against_gravity_only", MRC >= 4 may have
    # "light_added_load" (rec-resistance, rec-weakness-pattern).
    muscle_loads: Mapping[str, str] = dataclasses.field(default_factory=dict)
    sets: Span | None = None
    repetitions: Span | None = None
    rest_seconds: Span | None = None
    constraints: tuple[str, ...] = ()
    setting: str = "home"
    requires_clinician_review: bool = False
    exercises: tuple[ExerciseDose, ...] = ()  # in the order they are done


@dataclass(frozen=True)
class Monitoring:
    per_session: tuple[str, ...]
    per_review: tuple[str, ...]
    review_every_weeks: int
    evidence: tuple[str, ...]
    programme_review_every_weeks: int | None = None  # a professional reviews the home plan
    remeasure_mep_every_weeks: int | None = None  # while EMST runs


@dataclass(frozen=True)
class Day:
    """One day of the planned week (schedule.weekly): what is done and its longest total."""

    day: int  # 1..7, counted from the patient's own first day, not a weekday
    components: tuple[ComponentType, ...]  # in the session order (schedule.ORDER)
    minutes_max: int  # the sum of the day's session maxima; a twice-daily one counts twice
    twice: tuple[ComponentType, ...] = ()  # done twice that day (flexibility at 14 a week)


@dataclass(frozen=True)
class Prescription:
    status: Status
    reasons: tuple[Note, ...]
    components: tuple[Component, ...]
    session_order: tuple[ComponentType, ...]
    stop_rules: tuple[Note, ...]
    monitoring: Monitoring
    review_after_weeks: int
    current_week: int
    trace: tuple[Note, ...]
    early_disease: bool
    weekly_schedule: tuple[Day, ...] = ()

    def component(self, kind: ComponentType) -> Component | None:
        return next((c for c in self.components if c.type is kind), None)
