"""Who may start which exercise now: contraindications and situations a clinician must judge.

Returned as reasons with a level; the engine derives the status from the heaviest level.
"""

from __future__ import annotations

from alsrx.domain.prescription.inputs import (
    NOT_RECOMMENDED_CONDITIONS,
    REVIEW_CONDITIONS,
    Case,
)
from alsrx.domain.prescription.model import Level, Note
from alsrx.domain.prescription.params import EngineSettings
from alsrx.domain.scales import alsfrs_r as frs
from alsrx.domain.scales.progression import Category

CONTINUOUS_VENTILATION_ITEM12_MAX = 2  # item 12 <= 2: continuous NIV at night or more
INTERMITTENT_NIV_ITEM12 = 3
DYSPNEA_AT_REST_ITEM10_MAX = 1  # item 10 <= 1: breathless at rest
ADULT_YEARS = 18  # every exercise trial in the evidence base enrolled adults (R30, R35, R36)


def screen(case: Case, settings: EngineSettings) -> list[Note]:
    return [
        *_conditions(case),
        *_breathing(case),
        *_fvc(case, settings),
        *_course(case),
        *_other(case),
    ]


def _conditions(case: Case) -> list[Note]:
    notes = [
        Note(f"condition_{c}", ("R30", "rec-safety"), {"condition": c}, Level.NOT_RECOMMENDED)
        for c in NOT_RECOMMENDED_CONDITIONS
        if c in case.conditions
    ]
    notes += [
        Note(f"condition_{c}", ("rec-individualise-adjust",), {"condition": c}, Level.REVIEW)
        for c in REVIEW_CONDITIONS
        if c in case.conditions
    ]
    return notes


def _breathing(case: Case) -> list[Note]:
    scale = case.assessed.frs
    notes: list[Note] = []
    if scale[frs.Q12] <= CONTINUOUS_VENTILATION_ITEM12_MAX or case.uses_ventilation_support:
        notes.append(
            Note("ventilation_support", ("R36", "R30"), {"item12": scale[frs.Q12]}, Level.REVIEW)
        )
    elif scale[frs.Q12] == INTERMITTENT_NIV_ITEM12:
        notes.append(Note("intermittent_niv", ("rec-individualise-adjust",), {}, Level.INFO))
    if scale[frs.Q10] <= DYSPNEA_AT_REST_ITEM10_MAX:
        notes.append(
            Note(
                "dyspnea_at_rest",
                ("rec-individualise-adjust",),
                {"item10": scale[frs.Q10]},
                Level.REVIEW,
            )
        )
    return notes


def _fvc(case: Case, settings: EngineSettings) -> list[Note]:
    fvc = case.assessed.fvc
    if fvc.measured_l is None:
        return [Note("fvc_not_measured", ("rec-reassess-3-months",), {}, Level.REVIEW)]
    if fvc.percent_predicted is None:
        return [Note("fvc_percent_unknown", ("rec-reassess-3-months",), {}, Level.REVIEW)]
    if fvc.percent_predicted < settings.fvc_review_below_percent:
        params = {
            "percent": round(fvc.percent_predicted, 1),
            "threshold": settings.fvc_review_below_percent,
        }
        return [Note("fvc_low", ("R36", "R30"), params, Level.REVIEW)]
    return []


def _course(case: Case) -> list[Note]:
    p = case.assessed.progression
    if p.category is Category.FAST:
        params = {"rate": round(p.delta_frs_per_month or 0.0, 2), "cutoffs": p.cutoffs.id}
        return [Note("fast_progression", ("rec-individualise-adjust",), params, Level.REVIEW)]
    if p.category is None:
        return [Note("progression_unknown", ("rec-individualise-adjust",), {}, Level.INFO)]
    return []


def _other(case: Case) -> list[Note]:
    notes: list[Note] = []
    if case.assessed.age_years < ADULT_YEARS:
        notes.append(Note("not_adult", ("R30",), {"age": ADULT_YEARS}, Level.REVIEW))
    if case.beta_blocker:
        notes.append(Note("beta_blocker_rpe_only", ("rec-aerobic-intensity",), {}, Level.INFO))
    if case.c9orf72:
        notes.append(Note("c9orf72_no_bursts", ("rec-c9orf72-anaerobic",), {}, Level.INFO))
    if case.mrc is None:
        notes.append(Note("mrc_not_assessed", ("rec-resistance",), {}, Level.INFO))
    return notes
