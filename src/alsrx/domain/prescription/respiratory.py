"""Respiratory muscle training: expiratory muscle strength training (EMST) from measured MEP.

Plowman 2019 (R36): home EMST, device load at 50 % of MEP, 5 sets of 5 breaths, 5 days a week,
8 weeks (dose from the trial registrations, G-plowman-emst); MEP and swallowing improved
(also R37). The trials required FVC > 65 %; with ventilation support a clinician decides.
"""

from __future__ import annotations

from alsrx.domain.prescription.inputs import Case
from alsrx.domain.prescription.model import (
    Component,
    ComponentType,
    Intensity,
    Level,
    Note,
    Span,
    Step,
)
from alsrx.domain.prescription.params import EngineSettings

EVIDENCE = ("rec-respiratory-muscle", "R36", "R37", "R38", "G-plowman-emst")


def component(
    case: Case, s: EngineSettings, *, ventilation: bool
) -> tuple[Component | None, list[Note]]:
    mep = case.assessed.visit.mep_cmh2o
    if mep is None:
        code = "rmt_needs_mep" if case.assessed.visit.mip_cmh2o is not None else "rmt_not_assessed"
        return None, [Note(code, EVIDENCE)]
    if mep <= 0:
        return None, [Note("rmt_mep_zero", EVIDENCE, {}, Level.REVIEW)]
    sessions = Span(s.emst_days_per_week, s.emst_days_per_week)
    reps = s.emst_sets * s.emst_reps
    notes = [Note("rmt_with_ventilation", EVIDENCE, {}, Level.REVIEW)] if ventilation else []
    return Component(
        type=ComponentType.RESPIRATORY_MUSCLE,
        sessions_per_week=sessions,
        minutes_per_session=Span(10, 15),
        intensity=Intensity(
            percent_mep=Span(s.emst_percent_mep, s.emst_percent_mep),
            device_pressure_cmh2o=round(mep * s.emst_percent_mep / 100, 1),
        ),
        modalities=("emst_device",),
        evidence=EVIDENCE,
        rationale=(Note("rmt_emst_from_mep", EVIDENCE, {"mep": mep, "breaths": reps}), *notes),
        progression=(
            Step(
                1,
                s.emst_weeks,
                sessions,
                Span(10, 15),
                sets=Span(s.emst_sets, s.emst_sets),
                repetitions=Span(s.emst_reps, s.emst_reps),
                note="rmt_remeasure_mep_at_review",
            ),
        ),
        sets=Span(s.emst_sets, s.emst_sets),
        repetitions=Span(s.emst_reps, s.emst_reps),
        constraints=("stop_if_dizzy",),
        requires_clinician_review=ventilation,
    ), notes
