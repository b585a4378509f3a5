"""The safety invariants every prescription must satisfy, stated once.

Used by the engine as a last guard and by the tests over generated patients. Each bound names
its evidence: HR <= 75 % HRR and 2-5 aerobic sessions of <= 30 min (rec-aerobic-intensity,
rec-aerobic-dose); RPE <= 13 (rec-moderate-not-strenuous); resistance only for MRC >= 3, 3-5
times a week, never eccentric (rec-resistance); EMST <= 50 % MEP (rec-respiratory-muscle);
contraindications stop the programme; no HR target with beta-blockers; no walking modality once
walking is lost; every cited id exists in the evidence base. Safety round 2: the
weakness pattern (no arm ergometer without antigravity arms, no unassisted sit-to-stand without
antigravity knees, no added load on an MRC-3 muscle, supported gait with weak legs), speech (no
talk test without it), breathing (no aerobic or resistance work when respiratory assessment
comes first, never `ok` with NIV, nothing lying flat with orthopnoea) and EMST safety.
"""

from __future__ import annotations

from collections.abc import Iterable

from alsrx.domain.equations.heart_rate import karvonen_bpm
from alsrx.domain.exercises import fit, frames
from alsrx.domain.exercises import library as exercise_library
from alsrx.domain.prescription import breathing, flexibility, respiratory, schedule, weakness
from alsrx.domain.prescription.inputs import NOT_RECOMMENDED_CONDITIONS, Case
from alsrx.domain.prescription.model import Component, ComponentType, Prescription, Span, Status
from alsrx.domain.prescription.params import EngineSettings
from alsrx.domain.scales import alsfrs_r as frs
from alsrx.evidence import base as evidence_base

TOLERANCE_BPM = 1e-6
WALKING = {"walking", "treadmill", "bodyweight_supported_treadmill", "gait_practice"}
EXERCISE = {
    ComponentType.AEROBIC,
    ComponentType.RESISTANCE,
    ComponentType.RESPIRATORY_MUSCLE,
    ComponentType.BALANCE_FUNCTIONAL,
}


def _above(span: Span | None, limit: float) -> bool:
    return span is not None and span.max is not None and span.max > limit + TOLERANCE_BPM


def _hr_ceiling(case: Case, s: EngineSettings) -> float | None:
    hr = case.assessed.heart_rate
    if hr.rest_bpm is None or hr.reserve_bpm is None:
        return None
    return karvonen_bpm(rest_bpm=hr.rest_bpm, max_bpm=hr.max_bpm, fraction=s.max_percent_hrr / 100)


def _aerobic(c: Component, case: Case, s: EngineSettings) -> Iterable[str]:
    ceiling = _hr_ceiling(case, s)
    spans = [c.intensity.hr_bpm, *(step.hr_bpm for step in c.progression)]
    if any(span is not None for span in spans) and (ceiling is None or case.beta_blocker):
        yield "aerobic HR target without a valid reserve or with a beta-blocker"
    if ceiling is not None and any(_above(span, ceiling) for span in spans):
        yield "aerobic HR above the % HRR ceiling"
    pct = [c.intensity.percent_hrr, *(step.percent_hrr for step in c.progression)]
    if any(_above(span, s.max_percent_hrr) for span in pct):
        yield "aerobic % HRR above the ceiling"
    sessions = [c.sessions_per_week, *(step.sessions_per_week for step in c.progression)]
    if any(
        (x.min or 0) < s.aerobic_sessions_min or _above(x, s.aerobic_sessions_max) for x in sessions
    ):
        yield "aerobic sessions a week outside 2-5"
    minutes = [c.minutes_per_session, *(step.minutes_per_session for step in c.progression)]
    if any(_above(x, s.aerobic_max_minutes) for x in minutes):
        yield "aerobic session longer than the maximum"
    if case.assessed.frs[frs.Q8] <= 1 and WALKING & set(c.modalities):
        yield "walking modality although walking is lost"
    if "arm_ergometer" in c.modalities and not weakness.arms_antigravity(case, s):
        yield "arm ergometer without antigravity arms"
    if {"cycle_ergometer", "recumbent_bike"} & set(c.modalities) and not weakness.legs_antigravity(
        case, s
    ):
        yield "leg cycling without antigravity legs"
    supported = {"with_orthosis_or_walking_aid", "person_present"} <= set(c.constraints)
    if WALKING & set(c.modalities) and weakness.gait_needs_support(case, s) and not supported:
        yield "walking exercise with weak legs and no aid or person present"


def _functional(c: Component, case: Case, s: EngineSettings) -> Iterable[str]:
    if "sit_to_stand" in c.modalities and not weakness.knees_antigravity(case, s):
        yield "unassisted sit-to-stand without antigravity knees"
    on_feet = flexibility.STANDING | {"assisted_sit_to_stand"}
    supported = {"with_orthosis_or_walking_aid", "person_present"} <= set(c.constraints)
    if on_feet & set(c.modalities) and weakness.gait_needs_support(case, s) and not supported:
        yield "standing or gait practice with weak legs and no aid or person present"


def _breathing_and_speech(c: Component, case: Case) -> Iterable[str]:
    if "talk_test" in c.constraints and not weakness.speaks(case):
        yield "talk test although speech is impaired"
    if breathing.orthopnoea(case) and (
        flexibility.LYING_FLAT & set(c.modalities) or "no_lying_flat" not in c.constraints
    ):
        yield "lying flat allowed despite orthopnoea"


def _emst(c: Component, case: Case, s: EngineSettings) -> Iterable[str]:
    if respiratory.screen(case):
        yield "EMST although a screen finding makes it unsafe or impossible"
    setting = c.intensity.device_pressure_cmh2o
    if setting is not None and setting < s.emst_min_device_cmh2o - TOLERANCE_BPM:
        yield "EMST device setting below the trainer's lowest mark"


def _resistance(c: Component, case: Case, s: EngineSettings) -> Iterable[str]:
    mrc = case.mrc or {}
    if any(mrc.get(g, -1) < s.antigravity_mrc for g in c.muscle_groups):
        yield "resistance for a muscle below antigravity strength"
    if set(c.muscle_loads) != set(c.muscle_groups):
        yield "resistance without a load for each trained muscle group"
    if any(
        load != "against_gravity_only" and mrc.get(g, -1) < 4 for g, load in c.muscle_loads.items()
    ):
        yield "added load on a muscle below MRC 4"
    if (c.sessions_per_week.min or 0) < s.resistance_sessions_min or _above(
        c.sessions_per_week, s.resistance_sessions_max
    ):
        yield "resistance sessions a week outside 3-5"
    if "no_eccentric" not in c.constraints or "no_high_load" not in c.constraints:
        yield "resistance without the no-eccentric / no-high-load constraints"


def _component(c: Component, case: Case, s: EngineSettings) -> Iterable[str]:
    if _above(c.intensity.rpe, s.max_rpe):
        yield f"{c.type} RPE above {s.max_rpe}"
    if _above(c.intensity.percent_mep, s.emst_percent_mep):
        yield f"{c.type} above {s.emst_percent_mep} % MEP"
    if c.type is ComponentType.AEROBIC:
        yield from _aerobic(c, case, s)
    if c.type is ComponentType.RESISTANCE:
        yield from _resistance(c, case, s)
    if c.type is ComponentType.BALANCE_FUNCTIONAL:
        yield from _functional(c, case, s)
    if c.type is ComponentType.RESPIRATORY_MUSCLE:
        yield from _emst(c, case, s)
    yield from _breathing_and_speech(c, case)
    if not c.evidence:
        yield f"{c.type} cites no evidence"


def _evidence_ids(p: Prescription) -> Iterable[str]:
    for c in p.components:
        yield from c.evidence
        for note in c.rationale:
            yield from note.evidence
    for note in (*p.reasons, *p.stop_rules, *p.trace):
        yield from note.evidence
    yield from p.monitoring.evidence


def _whole(p: Prescription, case: Case, s: EngineSettings) -> Iterable[str]:
    loaded = {ComponentType.AEROBIC, ComponentType.RESISTANCE, ComponentType.RESPIRATORY_MUSCLE}
    if breathing.respiratory_first(case, s) and any(c.type in loaded for c in p.components):
        yield "aerobic, resistance or EMST work although respiratory assessment comes first"
    if p.status is Status.OK and (breathing.uses_niv(case) or weakness.notes(case, s)):
        yield "status ok despite NIV use, widespread weakness or lost walking"
    if not weakness.speaks(case) and any(
        r.code == "stop_unusual_breathlessness" for r in p.stop_rules
    ):
        yield "a stop rule that relies on speaking although speech is impaired"


def violations(p: Prescription, case: Case, s: EngineSettings) -> list[str]:
    found = [v for c in p.components for v in _component(c, case, s)]
    contraindicated = bool(case.conditions & set(NOT_RECOMMENDED_CONDITIONS))
    if contraindicated and p.status is not Status.NOT_RECOMMENDED:
        found.append("contraindication without not_recommended")
    if p.status is Status.NOT_RECOMMENDED and any(c.type in EXERCISE for c in p.components):
        found.append("exercise components while not recommended")
    found += list(_whole(p, case, s))
    known = evidence_base.load()
    found += [f"unknown evidence id {i}" for i in sorted(set(_evidence_ids(p))) if i not in known]
    found += day_limit(p, s)
    found += exercise_bounds(p, case, s)
    return found


def exercise_bounds(p: Prescription, case: Case, s: EngineSettings) -> list[str]:
    """Every chosen exercise is in the library, serves its component and fits the patient
    (exercises/fit.py); a session's exercises but its warm-up and cool-down take no longer
    than the session, and a day's exercises no longer than the daily limit."""
    lib = exercise_library.default()
    found: list[str] = []
    minutes: dict[ComponentType, float] = {}
    for c in p.components:
        for d in c.exercises:
            e = lib.entries.get(d.id)
            if e is None or c.type not in e.components:
                found.append(f"exercise {d.id} not in the library for {c.type}")
            elif fit.misfits(e, case, s, side=d.side):
                found.append(f"exercise {d.id} does not fit the patient")
        if found:
            continue
        minutes[c.type] = sum(d.minutes for d in c.exercises)
        session = schedule.current_phase(c, p.current_week)[1].max or 0
        if frames.conditioning_minutes(c, lib) > session + TOLERANCE_BPM:
            found.append(f"{c.type} exercises longer than the session")
    for day in p.weekly_schedule:
        total = sum(minutes.get(t, 0) for t in (*day.components, *day.twice))
        if total > s.max_minutes_per_day + TOLERANCE_BPM:
            found.append(f"day {day.day} exercises above the daily limit")
    return found


def day_limit(p: Prescription, s: EngineSettings) -> list[str]:
    """No day of the weekly schedule above max_minutes_per_day (about 1 h a day, rec-combined)."""
    above = any(d.minutes_max > s.max_minutes_per_day for d in p.weekly_schedule)
    return ["day above the daily limit"] if above else []
