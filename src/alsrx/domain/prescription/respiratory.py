"""Respiratory muscle training: expiratory muscle strength training (EMST) from measured MEP.

Plowman 2019 (R36): home EMST, device load at 50 % of MEP, 5 sets of 5 breaths, 5 days a week,
8 weeks (dose from the trial registrations, G-plowman-emst); MEP and swallowing improved
(also R37). The trials required FVC > 65 %; with ventilation support a clinician decides.

Screened first (rec-emst-safety): forceful expiration against a valve raises thoracic and
abdominal pressure, so an abdominal hernia, a recent pneumothorax or uncontrolled reflux make
it unsafe; a poor lip seal or severe drooling (recorded, or ALSFRS-R item 2 = 0) make it
impossible without adaptation. A device setting below the trainer's lowest mark (default
30 cmH2O, G-emst-device) cannot be set and goes to review instead of being printed. While
EMST runs, MEP is re-measured every 4 weeks so the load follows the patient.
"""

from __future__ import annotations

from alsrx.domain.prescription.inputs import EMST_UNSAFE_CONDITIONS, Case
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
from alsrx.domain.scales import alsfrs_r as frs

EVIDENCE = ("rec-respiratory-muscle", "R36", "R37", "R38", "G-plowman-emst")
SAFETY_EVIDENCE = ("rec-emst-safety", "G-emst-device")
SEVERE_DROOLING_ITEM2 = 0  # "marked drooling; requires constant tissue or handkerchief"


def screen(case: Case) -> list[Note]:
    """What makes EMST unsafe or impossible now; each is a reason for review."""
    found = [
        Note(f"emst_unsafe_{c}", SAFETY_EVIDENCE, {}, Level.REVIEW)
        for c in EMST_UNSAFE_CONDITIONS
        if c in case.conditions
    ]
    if case.lip_seal_poor:
        found.append(Note("emst_poor_lip_seal", SAFETY_EVIDENCE, {}, Level.REVIEW))
    if case.sialorrhoea_severe or case.assessed.frs[frs.Q2] == SEVERE_DROOLING_ITEM2:
        params = {"item2": case.assessed.frs[frs.Q2]}
        found.append(Note("emst_severe_sialorrhoea", SAFETY_EVIDENCE, params, Level.REVIEW))
    return found


def component(
    case: Case, s: EngineSettings, *, ventilation: bool
) -> tuple[Component | None, list[Note]]:
    mep = case.assessed.visit.mep_cmh2o
    if mep is None:
        code = "rmt_needs_mep" if case.assessed.visit.mip_cmh2o is not None else "rmt_not_assessed"
        return None, [Note(code, EVIDENCE)]
    if mep <= 0:
        return None, [Note("rmt_mep_zero", EVIDENCE, {}, Level.REVIEW)]
    screened = screen(case)
    if screened:
        return None, screened
    setting = round(mep * s.emst_percent_mep / 100, 1)
    notes = [Note("rmt_with_ventilation", EVIDENCE, {}, Level.REVIEW)] if ventilation else []
    if setting < s.emst_min_device_cmh2o:  # cannot be set: left out, the clinician chooses
        params = {"mep": mep, "lowest": s.emst_min_device_cmh2o}
        low = Note("emst_setting_below_device_range", SAFETY_EVIDENCE, params, Level.REVIEW)
        return None, [*notes, low]
    return _component(s, mep, setting, notes, review=ventilation), notes


def _component(
    s: EngineSettings, mep: float, setting: float, notes: list[Note], *, review: bool
) -> Component:
    sessions = Span(s.emst_days_per_week, s.emst_days_per_week)
    reps = s.emst_sets * s.emst_reps
    return Component(
        type=ComponentType.RESPIRATORY_MUSCLE,
        sessions_per_week=sessions,
        minutes_per_session=Span(10, 15),
        intensity=Intensity(
            percent_mep=Span(s.emst_percent_mep, s.emst_percent_mep),
            device_pressure_cmh2o=setting,
        ),
        modalities=("emst_device",),
        evidence=(*EVIDENCE, "rec-emst-safety"),
        rationale=(
            Note("rmt_emst_from_mep", EVIDENCE, {"mep": mep, "breaths": reps}),
            Note("rmt_remeasure_mep", ("rec-emst-safety",), {"weeks": s.emst_remeasure_mep_weeks}),
            *notes,
        ),
        progression=(
            Step(
                1,
                s.emst_weeks,
                sessions,
                Span(10, 15),
                sets=Span(s.emst_sets, s.emst_sets),
                repetitions=Span(s.emst_reps, s.emst_reps),
                note="rmt_remeasure_mep_monthly",
            ),
        ),
        sets=Span(s.emst_sets, s.emst_sets),
        repetitions=Span(s.emst_reps, s.emst_reps),
        constraints=("stop_if_dizzy", "no_breath_holding"),
        requires_clinician_review=review,
    )
