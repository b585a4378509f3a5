"""prescribe(case, settings) -> Prescription: the rules in order, each leaving a trace.

1. Screen (contraindications, breathing, FVC, course): reasons with levels.
2. Not recommended: only flexibility/range of motion, which NICE NG42 advises for everyone.
3. Otherwise draft every component the patient's state allows; early disease gets the full
   combined programme, resistance before aerobic, about 1 h a day, at home with family
   (rec-combined, rec-start-early, rec-home-with-family; R40, R41, R47).
4. Check the safety bounds; a violation (a bug, never expected) sends the case to a clinician.
"""

from __future__ import annotations

import dataclasses

from alsrx.domain.prescription import (
    aerobic,
    bounds,
    flexibility,
    resistance,
    respiratory,
    safety_rules,
    schedule,
    screening,
)
from alsrx.domain.prescription.inputs import Case
from alsrx.domain.prescription.model import (
    Component,
    ComponentType,
    Level,
    Note,
    Prescription,
    Status,
)
from alsrx.domain.prescription.params import EngineSettings

LEVEL_TO_STATUS = {
    Level.NOT_RECOMMENDED: Status.NOT_RECOMMENDED,
    Level.REVIEW: Status.CLINICIAN_REVIEW,
}
ORDER = schedule.ORDER  # the review's order lives with the weekly schedule that uses it


def is_early(case: Case, s: EngineSettings) -> bool:
    months = case.assessed.progression.months_since_onset
    return case.assessed.frs.total >= s.early_min_frs_total and 0 < months <= s.early_max_months


def status_of(reasons: tuple[Note, ...]) -> Status:
    levels = {r.level for r in reasons}
    for level in (Level.NOT_RECOMMENDED, Level.REVIEW):
        if level in levels:
            return LEVEL_TO_STATUS[level]
    return Status.OK


def _components(
    case: Case, s: EngineSettings, reasons: list[Note], trace: list[Note], *, early: bool
) -> list[Component]:
    ventilation = any(r.code == "ventilation_support" for r in reasons)
    found: list[Component] = []
    resist, rom_only, notes = resistance.component(case, s)
    trace.extend(notes)
    if resist is not None:
        found.append(resist)
    aero, _ = aerobic.component(case, s, early=early)
    found.append(aero)
    found.append(flexibility.balance_functional(case, s))
    rmt, rmt_notes = respiratory.component(case, s, ventilation=ventilation)
    reasons.extend(n for n in rmt_notes if n.level is not Level.INFO)
    trace.extend(rmt_notes)
    if rmt is not None:
        found.append(rmt)
    found.append(flexibility.flexibility(case, rom_only))
    return found


def prescribe(case: Case, settings: EngineSettings = EngineSettings()) -> Prescription:
    reasons = screening.screen(case, settings)
    trace: list[Note] = list(reasons)
    early = is_early(case, settings)
    if status_of(tuple(reasons)) is Status.NOT_RECOMMENDED:
        _, rom_only, _ = resistance.component(case, settings)
        components = [flexibility.flexibility(case, rom_only)]
        trace.append(Note("only_range_of_motion_while_contraindicated", ("G-nice-ng42",)))
    else:
        components = _components(case, settings, reasons, trace, early=early)
        if early:
            trace.append(
                Note(
                    "early_combined_programme",
                    (
                        "rec-combined",
                        "rec-start-early",
                        "rec-home-with-family",
                        "R40",
                        "R41",
                        "R47",
                    ),
                    {"minutes_per_day": settings.combined_minutes_per_day},
                )
            )
    components.sort(key=lambda c: ORDER.index(c.type))
    aero = next((c for c in components if c.type is ComponentType.AEROBIC), None)
    ceiling = aero.intensity.hr_bpm.max if aero and aero.intensity.hr_bpm else None
    week = schedule.weekly(
        components, current_week=case.history.weeks_completed + 1, settings=settings
    )
    _note_schedule(week, settings, reasons, trace)
    prescription = Prescription(
        status=status_of(tuple(reasons)),
        reasons=tuple(reasons),
        components=tuple(components),
        session_order=tuple(c.type for c in components),
        stop_rules=safety_rules.stop_rules(settings, hr_ceiling_bpm=ceiling),
        monitoring=safety_rules.monitoring(settings),
        review_after_weeks=settings.review_after_weeks,
        current_week=case.history.weeks_completed + 1,
        trace=tuple(trace),
        early_disease=early,
        weekly_schedule=week.days,
    )
    return _guarded(prescription, case, settings)


def _note_schedule(
    week: schedule.Schedule, s: EngineSettings, reasons: list[Note], trace: list[Note]
) -> None:
    limited, below = schedule.notes(week, s)
    trace.extend(n for n in (limited, below) if n is not None)
    if below is not None:
        reasons.append(below)


def _guarded(p: Prescription, case: Case, s: EngineSettings) -> Prescription:
    problems = bounds.violations(p, case, s)
    if not problems:
        return p
    bug = Note("internal_bound_violation", (), {"violations": tuple(problems)}, Level.REVIEW)
    return dataclasses.replace(
        p,
        status=Status.CLINICIAN_REVIEW if p.status is Status.OK else p.status,
        reasons=(*p.reasons, bug),
        trace=(*p.trace, bug),
    )
