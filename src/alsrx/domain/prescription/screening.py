"""Who may start which exercise now: contraindications and situations a clinician must judge.

Returned as reasons with a level; the engine derives the status from the heaviest level. The
screen looks at the whole patient: breathing (breathing.py), the course, weight, age and the
weakness pattern together, not one item at a time.
"""

from __future__ import annotations

from alsrx.domain.prescription import breathing, weakness
from alsrx.domain.prescription.inputs import (
    NOT_RECOMMENDED_CONDITIONS,
    REVIEW_CONDITIONS,
    Case,
)
from alsrx.domain.prescription.model import Level, Note
from alsrx.domain.prescription.params import EngineSettings
from alsrx.domain.scales import alsfrs_r as frs
from alsrx.domain.scales.progression import Category

ADULT_YEARS = 18  # every exercise trial in the evidence base enrolled adults (R30, R35, R36)
SAFETY_EVIDENCE = ("rec-general-exercise-safety", "G-acsm-gete", "G-acsm-screening-2015")


def screen(case: Case, settings: EngineSettings) -> list[Note]:
    return [
        *_conditions(case),
        *breathing.notes(case, settings),
        *_course(case),
        *_energy(case, settings),
        *weakness.notes(case, settings),
        *_other(case, settings),
    ]


def _conditions(case: Case) -> list[Note]:
    notes = [
        Note(f"condition_{c}", SAFETY_EVIDENCE, {"condition": c}, Level.NOT_RECOMMENDED)
        for c in NOT_RECOMMENDED_CONDITIONS
        if c in case.conditions
    ]
    notes += [
        Note(f"condition_{c}", ("rec-individualise-adjust",), {"condition": c}, Level.REVIEW)
        for c in REVIEW_CONDITIONS
        if c in case.conditions
    ]
    return notes


def is_fast(case: Case) -> bool:
    return case.assessed.progression.category is Category.FAST


def _course(case: Case) -> list[Note]:
    p = case.assessed.progression
    if p.category is Category.FAST:
        params = {"rate": round(p.delta_frs_per_month or 0.0, 2), "cutoffs": p.cutoffs.id}
        evidence = ("rec-fast-progression", "rec-individualise-adjust")
        return [Note("fast_progression", evidence, params, Level.REVIEW)]
    if p.category is None:
        return [Note("progression_unknown", ("rec-individualise-adjust",), {}, Level.INFO)]
    return []


def weight_loss_percent(case: Case) -> float | None:
    """Weight lost since the previous assessment, in % of the previous weight (None: unknown)."""
    before, now = case.history.previous_weight_kg, case.assessed.weight_kg
    if before is None or now is None or before <= 0:
        return None
    return 100 * (before - now) / before


def energy_deficit(case: Case, s: EngineSettings) -> bool:
    return bool(_energy(case, s))


def _energy(case: Case, s: EngineSettings) -> list[Note]:
    """BMI below 18.5 or >= 5 % weight lost since the last visit: energy intake may not cover
    the exercise (rec-energy-balance; R43 on disturbed energy metabolism in ALS)."""
    evidence = ("rec-energy-balance", "R43", "G-efns-2012", "G-aan-2009")
    notes: list[Note] = []
    bmi = case.assessed.bmi.value
    if bmi is not None and bmi < s.underweight_bmi_below:
        params = {"bmi": round(bmi, 1), "threshold": s.underweight_bmi_below}
        notes.append(Note("energy_underweight", evidence, params, Level.REVIEW))
    lost = weight_loss_percent(case)
    if lost is not None and lost >= s.weight_loss_review_percent:
        params = {"percent": round(lost, 1), "threshold": s.weight_loss_review_percent}
        notes.append(Note("energy_weight_loss", evidence, params, Level.REVIEW))
    return notes


def _other(case: Case, s: EngineSettings) -> list[Note]:
    notes: list[Note] = []
    age = case.assessed.age_years
    if age < ADULT_YEARS:
        notes.append(Note("not_adult", ("R30",), {"age": ADULT_YEARS}, Level.REVIEW))
    if int(age) > s.trial_max_age_years:  # completed years: a 70-year-old was eligible
        params = {"age": int(age), "max_age": s.trial_max_age_years}
        evidence = ("rec-cardiac-screen-older", "R30", "G-acsm-screening-2015")
        notes.append(Note("older_than_trials_cardiac_check", evidence, params, Level.REVIEW))
    if case.beta_blocker:
        notes.append(Note("beta_blocker_rpe_only", ("rec-aerobic-intensity",), {}, Level.INFO))
    if case.c9orf72:
        notes.append(Note("c9orf72_no_bursts", ("rec-c9orf72-anaerobic",), {}, Level.INFO))
    if case.mrc is None:
        notes.append(Note("mrc_not_assessed", ("rec-resistance",), {}, Level.INFO))
    if case.assessed.frs[frs.Q1] <= weakness.SPEECH_IMPAIRED_ITEM1_MAX:
        notes.append(
            Note(
                "speech_no_talk_test",
                ("rec-bulbar-effort-monitoring",),
                {"item1": case.assessed.frs[frs.Q1]},
            )
        )
    return notes
