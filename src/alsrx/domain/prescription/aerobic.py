"""The aerobic component: modality from walking and the weakness pattern, intensity from CPET
or RPE.

- Dose: 2-5 sessions a week, at most 30 min, ramping from about 50 % toward 75 % of heart-rate
  reserve and from about 15 toward 30 min over the 16-week protocol (rec-aerobic-dose,
  rec-aerobic-ramp; R30, R09). Bouts of 10 min are allowed (G-acsm-2010).
- Intensity: from CPET when a peak heart rate was measured (rec-aerobic-intensity; R09),
  never above the anaerobic-threshold heart rate when given; otherwise RPE, with the
  age-predicted HR only as a ceiling; RPE only with beta-blockers. The HR number is a safety
  ceiling and RPE 11-13 governs; a 75 % HRR ceiling lies above ACSM's moderate band (40-59 %
  HRR, G-acsm-gete) and the output says so. The talk test only for patients who can speak
  (rec-talk-test; G-paganoni-2015); otherwise an RPE pointing chart, a breathlessness scale and
  heart rate (rec-bulbar-effort-monitoring).
- Modality from ALSFRS-R item 8 (walking): 4-3 walking, treadmill or cycling; 2 (walks with
  assistance) recumbent or upright cycling or body-weight-supported treadmill (P-sanjak-2010);
  1-0 (no functional walking) seated work: an arm ergometer only with antigravity arms, else
  motor-assisted cycling or seated exercise, or no aerobic work when no limb can do it
  (rec-aerobic-mode, rec-weakness-pattern; R40).
"""

from __future__ import annotations

import math

from alsrx.domain.equations.heart_rate import HeartRate, MaxSource
from alsrx.domain.prescription import weakness
from alsrx.domain.prescription.inputs import Case
from alsrx.domain.prescription.model import (
    Component,
    ComponentType,
    Intensity,
    Note,
    Span,
    Step,
)
from alsrx.domain.prescription.params import EngineSettings
from alsrx.domain.scales import alsfrs_r as frs

WALKING_GOOD_FROM = 3  # item 8: 4 normal, 3 early ambulation difficulties
WALKING_IMPAIRED = 2  # walks with assistance
EVIDENCE = ("rec-aerobic-intensity", "rec-aerobic-dose", "rec-aerobic-ramp", "R30", "R09")
RAMP_PHASES = 4
ACSM_MODERATE_MAX_PERCENT_HRR = 59.0  # moderate 40-59 % HRR, vigorous 60-89 % (G-acsm-gete)
LOW_VOLUME_MAX_MINUTES = 20  # energy deficit: shorter sessions (rec-energy-balance, alsrx default)

MODALITIES = {
    "good": ("walking", "treadmill", "cycle_ergometer", "recumbent_bike"),
    "impaired": ("recumbent_bike", "cycle_ergometer", "bodyweight_supported_treadmill"),
    "lost": ("arm_ergometer", "seated_aerobic_exercise", "assisted_cycling"),
}
NEEDS_EQUIPMENT = {
    "treadmill": ("treadmill",),
    "cycle_ergometer": ("cycle_ergometer",),
    "recumbent_bike": ("recumbent_bike",),
    "bodyweight_supported_treadmill": ("bodyweight_supported_treadmill",),
    "arm_ergometer": ("arm_ergometer",),
    "assisted_cycling": ("motor_assisted_cycle",),  # an ordinary bike does not assist
}
WALKING_MODALITIES = ("walking", "treadmill", "bodyweight_supported_treadmill")
LEG_CYCLING = ("cycle_ergometer", "recumbent_bike")  # the legs drive the pedals
# Without antigravity legs, what replaces leg cycling: assisted cycling, or the arms.
INSTEAD_OF_LEG_CYCLING = ("assisted_cycling", "arm_ergometer")


def walking_function(case: Case) -> str:
    item8 = case.assessed.frs[frs.Q8]
    if item8 >= WALKING_GOOD_FROM:
        return "good"
    if item8 == WALKING_IMPAIRED:
        return "impaired"
    return "lost"


def _by_weakness(
    case: Case, s: EngineSettings, chosen: tuple[str, ...]
) -> tuple[tuple[str, ...], list[Note]]:
    """Drop what the weakness pattern rules out: an arm ergometer without antigravity arms,
    seated exercise when no tested limb group has antigravity strength."""
    notes: list[Note] = []
    if set(LEG_CYCLING) & set(chosen) and not weakness.legs_antigravity(case, s):
        kept = [m for m in chosen if m not in LEG_CYCLING]
        chosen = (*kept, *(m for m in INSTEAD_OF_LEG_CYCLING if m not in kept))
        notes.append(Note("modality_no_leg_cycling_weak_legs", weakness.EVIDENCE))
    if "treadmill" in chosen and weakness.gait_needs_support(case, s):
        chosen = tuple(m for m in chosen if m != "treadmill")  # a moving belt and a foot drop
    if "arm_ergometer" in chosen and not weakness.arms_antigravity(case, s):
        chosen = tuple(m for m in chosen if m != "arm_ergometer")
        notes.append(Note("modality_no_arm_ergometer_weak_arms", weakness.EVIDENCE))
    if not seated_possible(case, s):
        chosen = tuple(m for m in chosen if m != "seated_aerobic_exercise")
    return chosen, notes


def seated_possible(case: Case, s: EngineSettings) -> bool:
    """Seated aerobic work needs some limb group that moves against gravity (or is untested)."""
    limbs = weakness.grades(case, (*weakness.ARMS, "hip_flexion", "knee_extension"))
    return not limbs or max(limbs) >= s.antigravity_mrc


def modalities(case: Case, s: EngineSettings) -> tuple[tuple[str, ...], list[Note]]:
    function = walking_function(case)
    notes = [
        Note(
            f"modality_walking_{function}",
            ("rec-aerobic-mode", "P-sanjak-2010"),
            {"item8": case.assessed.frs[frs.Q8]},
        )
    ]
    chosen = MODALITIES[function]
    chosen, weak_notes = _by_weakness(case, s, chosen)
    notes += weak_notes
    if "recent_fall_with_injury" in case.conditions:
        chosen = tuple(m for m in chosen if m not in WALKING_MODALITIES)
        notes.append(Note("modality_no_walking_after_fall", ("rec-individualise-adjust",)))
    if case.equipment is not None:
        available = tuple(
            m
            for m in chosen
            if m not in NEEDS_EQUIPMENT or case.equipment & set(NEEDS_EQUIPMENT[m])
        )
        if available != chosen:
            notes.append(
                Note(
                    "modality_filtered_by_equipment",
                    (),
                    {"removed": tuple(m for m in chosen if m not in available)},
                )
            )
        chosen = available or (("seated_aerobic_exercise",) if seated_possible(case, s) else ())
    return chosen, notes


def _hr_span(hr: HeartRate, low_pct: float | None, high_pct: float) -> Span | None:
    ceiling = hr.target_bpm(high_pct / 100)
    if ceiling is None:
        return None
    floor = hr.target_bpm(low_pct / 100) if low_pct is not None else None
    return Span(floor, ceiling)


def percent_cap(case: Case, s: EngineSettings, basis: str) -> float:
    """The % HRR ceiling: 75 % (or the configured lower value), and below the CPET anaerobic
    threshold when one was measured (R09: intensity set from CPET)."""
    hr, at_hr = case.assessed.heart_rate, case.assessed.visit.cpet.anaerobic_threshold_hr_bpm
    if basis != "cpet" or at_hr is None or hr.rest_bpm is None or not hr.reserve_bpm:
        return s.max_percent_hrr
    at_pct = 100 * (at_hr - hr.rest_bpm) / hr.reserve_bpm
    return max(0.0, min(s.max_percent_hrr, at_pct))


def hr_basis(case: Case) -> str:
    hr = case.assessed.heart_rate
    if case.beta_blocker:
        return "rpe_only_beta_blocker"
    if hr.reserve_bpm is None:
        return "rpe_only_no_reserve"
    return "cpet" if hr.max_source is MaxSource.MEASURED else "age_predicted_ceiling"


def _ramp(
    case: Case, s: EngineSettings, basis: str, sessions: Span, max_minutes: int
) -> tuple[Step, ...]:
    hr = case.assessed.heart_rate
    cap = percent_cap(case, s, basis)
    start = min(s.start_percent_hrr, cap)
    uses_hr = basis in ("cpet", "age_predicted_ceiling")
    weeks_per_phase = max(1, s.ramp_weeks // RAMP_PHASES)
    start_minutes = min(s.aerobic_start_minutes, max_minutes)
    minute_steps = [
        round(start_minutes + (max_minutes - start_minutes) * i / (RAMP_PHASES - 1))
        for i in range(RAMP_PHASES)
    ]
    steps: list[Step] = []
    for phase in range(RAMP_PHASES):
        low = start + (cap - start) * phase / RAMP_PHASES
        high = start + (cap - start) * (phase + 1) / RAMP_PHASES
        low_shown = low if basis == "cpet" else None
        steps.append(
            Step(
                first_week=phase * weeks_per_phase + 1,
                last_week=s.ramp_weeks
                if phase == RAMP_PHASES - 1
                else (phase + 1) * weeks_per_phase,
                sessions_per_week=Span(
                    sessions.min, min(sessions.max or 0, 3 if phase == 0 else 4)
                ),
                minutes_per_session=Span(minute_steps[max(0, phase - 1)], minute_steps[phase]),
                percent_hrr=Span(_one(low_shown), _one(high)) if uses_hr else None,
                hr_bpm=_hr_span(hr, low_shown, high) if uses_hr else None,
                note=f"aerobic_phase_{phase + 1}",
            )
        )
    return tuple(steps)


def _one(value: float | None) -> float | None:
    """One decimal, rounded down: a shown ceiling must never exceed the computed one."""
    return None if value is None else math.floor(value * 10 + 1e-9) / 10


def _effort_constraints(case: Case, *, uses_hr: bool) -> list[str]:
    """How effort is judged: the talk test needs speech; without it, a pointing chart for RPE,
    a breathlessness scale and heart rate (rec-bulbar-effort-monitoring)."""
    if weakness.speaks(case):
        return ["talk_test"]
    return [
        "rpe_pointing_chart",
        "breathlessness_scale",
        *(["heart_rate_check"] if uses_hr else []),
    ]


def _intensity_notes(case: Case, s: EngineSettings, cap: float, *, uses_hr: bool) -> list[Note]:
    at_hr = case.assessed.visit.cpet.anaerobic_threshold_hr_bpm
    notes: list[Note] = []
    if cap < s.max_percent_hrr and at_hr is not None:
        notes.append(
            Note(
                "aerobic_capped_at_anaerobic_threshold",
                ("R09",),
                {"hr": at_hr, "percent_hrr": _one(cap)},
            )
        )
    if uses_hr:
        notes.append(
            Note(
                "aerobic_hr_is_safety_ceiling",
                ("rec-aerobic-intensity", "rec-moderate-not-strenuous"),
            )
        )
    if uses_hr and cap > ACSM_MODERATE_MAX_PERCENT_HRR:
        params = {"percent_hrr": _one(cap), "moderate_max": ACSM_MODERATE_MAX_PERCENT_HRR}
        notes.append(Note("aerobic_ceiling_above_moderate_band", ("G-acsm-gete",), params))
    return notes


def component(
    case: Case, s: EngineSettings, *, early: bool, low_volume: bool = False
) -> tuple[Component | None, list[Note]]:
    """The aerobic component, or None (with the reason) when no limb can do aerobic work."""
    chosen, notes = modalities(case, s)
    if not chosen:
        return None, [*notes, Note("no_aerobic_weak_limbs", weakness.EVIDENCE)]
    basis = hr_basis(case)
    hr = case.assessed.heart_rate
    uses_hr = basis in ("cpet", "age_predicted_ceiling")
    cap = percent_cap(case, s, basis)
    low = min(s.start_percent_hrr, cap) if basis == "cpet" else None
    intensity = Intensity(
        hr_bpm=_hr_span(hr, low, cap) if uses_hr else None,
        hr_basis=basis,
        percent_hrr=Span(_one(low), _one(cap)) if uses_hr else None,
        rpe=Span(s.min_rpe, s.max_rpe),
    )
    constraints = [*_effort_constraints(case, uses_hr=uses_hr), "bouts_of_10_min_allowed"]
    if set(WALKING_MODALITIES) & set(chosen) and weakness.gait_needs_support(case, s):
        constraints += ["with_orthosis_or_walking_aid", "person_present"]
    if case.c9orf72:
        constraints.append("no_anaerobic_bursts")
    rationale = [Note(f"aerobic_basis_{basis}", EVIDENCE), *notes]
    rationale += _intensity_notes(case, s, cap, uses_hr=uses_hr)
    evidence: tuple[str, ...] = (*EVIDENCE, "rec-aerobic-mode")
    evidence += ("rec-talk-test",) if weakness.speaks(case) else ("rec-bulbar-effort-monitoring",)
    if "bodyweight_supported_treadmill" in chosen:
        evidence += ("P-sanjak-2010",)
    sessions = Span(
        s.aerobic_sessions_min, s.aerobic_sessions_max if early else min(3, s.aerobic_sessions_max)
    )
    max_minutes = (
        min(s.aerobic_max_minutes, LOW_VOLUME_MAX_MINUTES) if low_volume else s.aerobic_max_minutes
    )
    return Component(
        type=ComponentType.AEROBIC,
        sessions_per_week=sessions,
        minutes_per_session=Span(min(s.aerobic_start_minutes, max_minutes), max_minutes),
        intensity=intensity,
        modalities=chosen,
        evidence=evidence,
        rationale=tuple(rationale),
        progression=_ramp(case, s, basis, sessions, max_minutes),
        constraints=tuple(constraints),
        setting="home_with_family" if early else "home",
    ), []
