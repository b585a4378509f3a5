"""Engine parameters: defaults from the evidence, overridable only within evidence-safe limits.

Each default names the evidence record it comes from. Overrides may tighten a safety bound,
never loosen it past what the evidence sets (for example the HR ceiling can be lowered from 75 %
of heart-rate reserve, never raised above it).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

from alsrx.domain import reassessment
from alsrx.errors import FieldError, InvalidInput

# The heart-rate-reserve band of the aerobic protocol, named once so the assessment's reference
# targets (render/assessment_json) show the same two numbers the engine ramps between.
START_PERCENT_HRR = 50.0
MAX_PERCENT_HRR = 75.0


@dataclass(frozen=True)
class EngineSettings:
    # Aerobic: at most 75 % HRR, 2-5 sessions of 20-30 min a week, ramp 50 -> 75 % HRR and
    # 15 -> 30 min over the 16-week protocol (rec-aerobic-intensity, rec-aerobic-dose,
    # rec-aerobic-ramp; R30, R09).
    max_percent_hrr: float = MAX_PERCENT_HRR
    start_percent_hrr: float = START_PERCENT_HRR
    aerobic_sessions_min: int = 2
    aerobic_sessions_max: int = 5
    aerobic_start_minutes: int = 15
    aerobic_max_minutes: int = 30
    ramp_weeks: int = 16
    # Perceived exertion, Borg 6-20: low-to-moderate only, never above 13 "somewhat hard"
    # (rec-moderate-not-strenuous, rec-talk-test; G-paganoni-2015).
    min_rpe: int = 11
    max_rpe: int = 13
    # Resistance: moderate-to-low, 3-5 times a week, only muscles with antigravity strength
    # (MRC >= 3) (rec-resistance; R35, G-paganoni-2015, G-acsm-2010).
    resistance_sessions_min: int = 3
    resistance_sessions_max: int = 5
    antigravity_mrc: int = 3
    # EMST: 50 % of MEP, 5 sets of 5, 5 days a week, 8 weeks (rec-respiratory-muscle; R36,
    # G-plowman-emst).
    emst_percent_mep: float = 50.0
    emst_sets: int = 5
    emst_reps: int = 5
    emst_days_per_week: int = 5
    emst_weeks: int = 8
    # Post-exercise fatigue should pass within 5-15 min (rec-fatigue-window; R48). The window
    # has no ALS-specific primary source (clinical-facts 8.2): a clinical lead may change it.
    fatigue_limit_min: int = 15
    # Early disease: ALSFRS-R >= 40 within about a year of onset (rec-start-early; R41).
    early_min_frs_total: int = 40
    early_max_months: float = 12.0
    combined_minutes_per_day: int = 60  # rec-combined; R40
    # The weekly schedule's bound: no day above about 1 h of exercise in total (rec-combined;
    # R40). combined_minutes_per_day is what the early programme aims at; this one is a limit.
    max_minutes_per_day: int = 60
    # FVC below the lowest inclusion threshold of the exercise trials (> 65 % in the EMST
    # series, >= 80 % in FACTS-2-ALS; R36, R30) has no evidence of safety: clinician review.
    fvc_review_below_percent: float = 65.0
    # Reassess ALSFRS-R and FVC every 3 months (rec-reassess-3-months; R09): the one interval
    # the follow-up reminder and the dashboard count from too (domain/reassessment.py).
    review_after_weeks: int = reassessment.EVERY_WEEKS
    # Safety round 2. Severe respiratory impairment without ventilation support:
    # FVC below 50 % predicted, the NIV-referral trigger of AAN 2009, EFNS 2012 and NICE NG42
    # (rec-respiratory-first), or breathless at rest with a resting heart rate of 100 or more.
    respiratory_first_fvc_below_percent: float = 50.0
    respiratory_first_rest_hr_bpm: float = 100.0
    # MIP or SNIP at or below 40 cmH2O (rec-respiratory-muscle-review; NICE NG42, EFNS 2012).
    inspiratory_pressure_review_cmh2o: float = 40.0
    # The lowest mark of the common EMST150-type trainer (G-emst-device); MEP re-measured
    # every 4 weeks while EMST runs (rec-emst-safety).
    emst_min_device_cmh2o: float = 30.0
    emst_remeasure_mep_weeks: int = 4
    # Energy balance: WHO underweight, or 5 % of weight lost since the last visit
    # (rec-energy-balance; EFNS 2012, R43).
    underweight_bmi_below: float = 18.5
    weight_loss_review_percent: float = 5.0
    # FACTS-2-ALS enrolled people up to 70 (R30): older, a cardiovascular check first
    # (rec-cardiac-screen-older; G-acsm-screening-2015).
    trial_max_age_years: int = 70
    # Fast progressors are reassessed sooner (rec-fast-progression: alsrx default, half the
    # usual interval), and the home programme is reviewed by a professional monthly, as in
    # Kitano 2018 (R47; rec-professional-review-monthly).
    fast_review_after_weeks: int = 6
    programme_review_every_weeks: int = 4


# (lowest, highest) allowed for each override; the evidence bound is the safe end.
LIMITS: Mapping[str, tuple[float, float]] = {
    "max_percent_hrr": (40, MAX_PERCENT_HRR),
    "start_percent_hrr": (30, 60),
    "aerobic_sessions_min": (2, 3),
    "aerobic_sessions_max": (2, 5),
    "aerobic_start_minutes": (5, 20),
    "aerobic_max_minutes": (10, 30),
    "ramp_weeks": (4, 32),
    "min_rpe": (7, 11),
    "max_rpe": (9, 13),
    "resistance_sessions_min": (3, 3),
    "resistance_sessions_max": (3, 5),
    "antigravity_mrc": (3, 5),
    "emst_percent_mep": (10, 50),
    "emst_sets": (1, 5),
    "emst_reps": (1, 5),
    "emst_days_per_week": (1, 5),
    "emst_weeks": (1, 12),
    "fatigue_limit_min": (5, 30),
    "early_min_frs_total": (36, 48),
    "early_max_months": (6, 24),
    "combined_minutes_per_day": (20, 60),
    "max_minutes_per_day": (20, 60),
    "fvc_review_below_percent": (65, 100),
    # Sooner is allowed (a fast progressor, R47's monthly home-programme review); later than
    # 3 months is not.
    "review_after_weeks": (4, reassessment.EVERY_WEEKS),
    "respiratory_first_fvc_below_percent": (50, 65),
    "respiratory_first_rest_hr_bpm": (80, 100),
    "inspiratory_pressure_review_cmh2o": (40, 80),
    "emst_min_device_cmh2o": (5, 60),
    "emst_remeasure_mep_weeks": (1, 4),
    "underweight_bmi_below": (18.5, 22),
    "weight_loss_review_percent": (2, 5),
    "trial_max_age_years": (50, 70),
    "fast_review_after_weeks": (2, 8),
    "programme_review_every_weeks": (1, 4),
}


def with_overrides(base: EngineSettings, overrides: Mapping[str, object]) -> EngineSettings:
    """Apply overrides, refusing unknown names and values outside the evidence-safe limits."""
    errors: list[FieldError] = []
    clean: dict[str, float | int] = {}
    for name, value in overrides.items():
        path = f"settings.{name}"
        if name not in LIMITS:
            errors.append(FieldError(path, "not_allowed", {"allowed": tuple(LIMITS)}))
            continue
        low, high = LIMITS[name]
        as_int = isinstance(getattr(base, name), int)
        number = _number(value, integer=as_int)
        if number is None or not low <= number <= high:
            params: dict[str, object] = {"min": low, "max": high}
            if as_int:
                params["integer"] = True
            errors.append(FieldError(path, "out_of_range", params))
            continue
        clean[name] = number
    result = dataclasses.replace(base, **clean)  # type: ignore[arg-type]
    errors += _consistency(result)
    if errors:
        raise InvalidInput(errors)
    return result


def _number(value: object, *, integer: bool) -> float | int | None:
    """The value as a number of the setting's kind, or None when it is not one."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if integer:
        return int(value) if float(value).is_integer() else None
    return float(value)


def _consistency(s: EngineSettings) -> list[FieldError]:
    pairs = (
        ("start_percent_hrr", "max_percent_hrr"),
        ("aerobic_sessions_min", "aerobic_sessions_max"),
        ("aerobic_start_minutes", "aerobic_max_minutes"),
        ("min_rpe", "max_rpe"),
        ("resistance_sessions_min", "resistance_sessions_max"),
    )
    return [
        FieldError(f"settings.{low}", "not_above", {"other": f"settings.{high}"})
        for low, high in pairs
        if getattr(s, low) > getattr(s, high)
    ]
