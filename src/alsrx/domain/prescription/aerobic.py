"""The aerobic component: modality from walking function, intensity from CPET or RPE.

- Dose: 2-5 sessions a week, at most 30 min, ramping from about 50 % toward 75 % of heart-rate
  reserve and from about 15 toward 30 min over the 16-week protocol (rec-aerobic-dose,
  rec-aerobic-ramp; R30, R09). Bouts of 10 min are allowed (G-acsm-2010).
- Intensity: from CPET when a peak heart rate was measured (rec-aerobic-intensity; R09),
  never above the anaerobic-threshold heart rate when given; otherwise RPE, with the
  age-predicted HR only as a ceiling; RPE only with beta-blockers. RPE 11-13 and the talk test
  throughout (rec-talk-test; G-paganoni-2015).
- Modality from ALSFRS-R item 8 (walking): 4-3 walking, treadmill or cycling; 2 (walks with
  assistance) recumbent or upright cycling or body-weight-supported treadmill (P-sanjak-2010);
  1-0 (no functional walking) arm ergometer or seated, assisted work (rec-aerobic-mode; R40).
"""

from __future__ import annotations

import math

from alsrx.domain.equations.heart_rate import HeartRate, MaxSource
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

MODALITIES = {
    "good": ("walking", "treadmill", "cycle_ergometer", "recumbent_bike"),
    "impaired": ("recumbent_bike", "cycle_ergometer", "bodyweight_supported_treadmill"),
    "lost": ("arm_ergometer", "seated_aerobic_exercise", "assisted_cycling"),
}
NEEDS_EQUIPMENT = {
    "treadmill": "treadmill",
    "cycle_ergometer": "cycle_ergometer",
    "recumbent_bike": "recumbent_bike",
    "bodyweight_supported_treadmill": "bodyweight_supported_treadmill",
    "arm_ergometer": "arm_ergometer",
    "assisted_cycling": "cycle_ergometer",
}
WALKING_MODALITIES = ("walking", "treadmill", "bodyweight_supported_treadmill")


def walking_function(case: Case) -> str:
    item8 = case.assessed.frs[frs.Q8]
    if item8 >= WALKING_GOOD_FROM:
        return "good"
    if item8 == WALKING_IMPAIRED:
        return "impaired"
    return "lost"


def modalities(case: Case) -> tuple[tuple[str, ...], list[Note]]:
    function = walking_function(case)
    notes = [
        Note(
            f"modality_walking_{function}",
            ("rec-aerobic-mode", "P-sanjak-2010"),
            {"item8": case.assessed.frs[frs.Q8]},
        )
    ]
    chosen = MODALITIES[function]
    if "recent_fall_with_injury" in case.conditions:
        chosen = tuple(m for m in chosen if m not in WALKING_MODALITIES)
        notes.append(Note("modality_no_walking_after_fall", ("rec-individualise-adjust",)))
    if case.equipment is not None:
        available = tuple(
            m for m in chosen if m not in NEEDS_EQUIPMENT or NEEDS_EQUIPMENT[m] in case.equipment
        )
        if available != chosen:
            notes.append(
                Note(
                    "modality_filtered_by_equipment",
                    (),
                    {"removed": tuple(m for m in chosen if m not in available)},
                )
            )
        chosen = available or ("seated_aerobic_exercise",)
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


def _ramp(case: Case, s: EngineSettings, basis: str, sessions: Span) -> tuple[Step, ...]:
    hr = case.assessed.heart_rate
    cap = percent_cap(case, s, basis)
    start = min(s.start_percent_hrr, cap)
    uses_hr = basis in ("cpet", "age_predicted_ceiling")
    weeks_per_phase = max(1, s.ramp_weeks // RAMP_PHASES)
    minute_steps = [
        round(
            s.aerobic_start_minutes
            + (s.aerobic_max_minutes - s.aerobic_start_minutes) * i / (RAMP_PHASES - 1)
        )
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


def component(case: Case, s: EngineSettings, *, early: bool) -> tuple[Component, list[Note]]:
    chosen, notes = modalities(case)
    basis = hr_basis(case)
    hr, at_hr = case.assessed.heart_rate, case.assessed.visit.cpet.anaerobic_threshold_hr_bpm
    uses_hr = basis in ("cpet", "age_predicted_ceiling")
    cap = percent_cap(case, s, basis)
    low = min(s.start_percent_hrr, cap) if basis == "cpet" else None
    intensity = Intensity(
        hr_bpm=_hr_span(hr, low, cap) if uses_hr else None,
        hr_basis=basis,
        percent_hrr=Span(_one(low), _one(cap)) if uses_hr else None,
        rpe=Span(s.min_rpe, s.max_rpe),
    )
    constraints = ["talk_test", "bouts_of_10_min_allowed"]
    if case.c9orf72:
        constraints.append("no_anaerobic_bursts")
    rationale = [Note(f"aerobic_basis_{basis}", EVIDENCE), *notes]
    if cap < s.max_percent_hrr and at_hr is not None:
        rationale.append(
            Note(
                "aerobic_capped_at_anaerobic_threshold",
                ("R09",),
                {"hr": at_hr, "percent_hrr": _one(cap)},
            )
        )
    evidence: tuple[str, ...] = (*EVIDENCE, "rec-aerobic-mode", "rec-talk-test")
    if "bodyweight_supported_treadmill" in chosen:
        evidence += ("P-sanjak-2010",)
    sessions = Span(
        s.aerobic_sessions_min, s.aerobic_sessions_max if early else min(3, s.aerobic_sessions_max)
    )
    return Component(
        type=ComponentType.AEROBIC,
        sessions_per_week=sessions,
        minutes_per_session=Span(s.aerobic_start_minutes, s.aerobic_max_minutes),
        intensity=intensity,
        modalities=chosen,
        evidence=evidence,
        rationale=tuple(rationale),
        progression=_ramp(case, s, basis, sessions),
        constraints=tuple(constraints),
        setting="home_with_family" if early else "home",
    ), []
