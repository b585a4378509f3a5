"""The bounds a clinician's edit of each component may take for this patient, with their source.

Every number is read from where the engine defines it, never restated here: EngineSettings
(2-5 aerobic sessions of at most 30 minutes, rec-aerobic-dose; 75 % of heart-rate reserve,
rec-aerobic-intensity; RPE at most 13, rec-moderate-not-strenuous; resistance 3-5 a week,
rec-resistance; EMST at 50 % of MEP, 5 sets of 5 on 5 days, rec-respiratory-muscle; the
trainer's lowest mark, G-emst-device), the aerobic module (the anaerobic-threshold cap from
CPET, R09; 20 minutes with an energy deficit, rec-energy-balance), the resistance module (5-20
minutes a session), the exercise edit's resistance dose (1-2 sets of 8-12), the schedule (at
most twice a day, G-acsm-2010) and, for flexibility, balance and breathing work, which have no
number in the evidence, the engine's own dose for this patient (`engine_dose`). The floors an
edit may not go below where no source sets one (a 5-minute session, 40 bpm) are the alsrx
defaults of edits.py. Each Bound names its `source` code; render/bound_words.py says it in words.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass

from alsrx.domain.exercises import edits as exercise_edits
from alsrx.domain.prescription import (
    aerobic,
    breathing,
    edits,
    flexibility,
    resistance,
    respiratory,
    schedule,
    screening,
)
from alsrx.domain.prescription.inputs import Case
from alsrx.domain.prescription.model import Component, ComponentType, Span
from alsrx.domain.prescription.params import EngineSettings

T = ComponentType
BORG_LOWEST = 6  # the Borg 6-20 scale's first point
ONE = 1  # at least once a week, one set, one repetition: a smaller number is no dose


@dataclass(frozen=True)
class Bound:
    """The lowest and highest value of a range's ends, each with where it comes from."""

    low: float
    high: float
    unit: str  # a_week, min, bpm, percent_hrr, rpe, percent_mep, cmh2o, sets, repetitions
    high_source: str
    low_source: str = "alsrx_floor"
    integer: bool = True
    params: Mapping[str, object] = dataclasses.field(default_factory=dict)


def _hr(case: Case, s: EngineSettings) -> dict[str, Bound]:
    """Heart rate and % HRR: no target without a reliable reserve (beta-blocker, unknown rest);
    else at most the engine's cap, 75 % of the reserve or below the anaerobic threshold."""
    basis = aerobic.hr_basis(case)
    if basis not in ("cpet", "age_predicted_ceiling"):
        return {}
    cap = aerobic.percent_cap(case, s, basis)
    ceiling = case.assessed.heart_rate.target_bpm(cap / 100)
    if ceiling is None:
        return {}
    source = "anaerobic_threshold" if cap < s.max_percent_hrr else "hrr"
    params = {"percent": math.floor(cap * 10 + 1e-9) / 10}
    return {
        "intensity.hr_bpm": Bound(
            edits.MIN_HR_BPM, math.floor(ceiling + 1e-9), "bpm", source, params=params
        ),
        "intensity.percent_hrr": Bound(
            0, params["percent"], "percent_hrr", source, integer=False, params=params
        ),
    }


def _rpe(s: EngineSettings) -> Bound:
    return Bound(BORG_LOWEST, s.max_rpe, "rpe", "rpe_moderate", low_source="borg_scale")


def _aerobic(case: Case, s: EngineSettings) -> dict[str, Bound]:
    longest, source = s.aerobic_max_minutes, "aerobic_dose"
    if screening.energy_deficit(case, s) and longest > aerobic.LOW_VOLUME_MAX_MINUTES:
        longest, source = aerobic.LOW_VOLUME_MAX_MINUTES, "energy_balance"
    return {
        "sessions_per_week": Bound(
            s.aerobic_sessions_min,
            s.aerobic_sessions_max,
            "a_week",
            "aerobic_dose",
            low_source="aerobic_dose",
        ),
        "minutes_per_session": Bound(edits.MIN_MINUTES, longest, "min", source),
        "intensity.rpe": _rpe(s),
        **_hr(case, s),
    }


def _resistance(s: EngineSettings) -> dict[str, Bound]:
    shortest, longest = resistance.SESSION_MINUTES
    return {
        "sessions_per_week": Bound(
            s.resistance_sessions_min,
            s.resistance_sessions_max,
            "a_week",
            "resistance_dose",
            low_source="resistance_dose",
        ),
        "minutes_per_session": Bound(
            shortest, longest, "min", "resistance_session", low_source="resistance_session"
        ),
        "intensity.rpe": _rpe(s),
        "sets": Bound(ONE, exercise_edits.RESISTANCE_SETS_MAX, "sets", "resistance_dose"),
        "repetitions": Bound(
            ONE, exercise_edits.RESISTANCE_REPETITIONS_MAX, "repetitions", "resistance_dose"
        ),
    }


def _emst(case: Case, s: EngineSettings) -> dict[str, Bound]:
    out = {
        "sessions_per_week": Bound(ONE, s.emst_days_per_week, "a_week", "emst_dose"),
        "intensity.percent_mep": Bound(
            0, s.emst_percent_mep, "percent_mep", "emst_mep", integer=False
        ),
        "sets": Bound(ONE, s.emst_sets, "sets", "emst_dose"),
        "repetitions": Bound(ONE, s.emst_reps, "repetitions", "emst_dose"),
    }
    engine_emst, _notes = respiratory.component(case, s, ventilation=breathing.uses_niv(case))
    if engine_emst is not None:  # the trial's session time (R36)
        out["minutes_per_session"] = _engine_minutes(engine_emst.minutes_per_session)
    mep = case.assessed.visit.mep_cmh2o
    if mep:
        highest = round(mep * s.emst_percent_mep / 100, 1)  # the engine's setting (respiratory)
        out["intensity.device_pressure_cmh2o"] = Bound(
            s.emst_min_device_cmh2o,
            highest,
            "cmh2o",
            "emst_mep",
            low_source="emst_device",
            integer=False,
            params={"percent": s.emst_percent_mep, "mep": mep},
        )
    return out


def _engine_minutes(span: Span) -> Bound:
    return Bound(ONE, span.max or 0, "min", "engine_dose")


def _engine_dose(c: Component, s: EngineSettings) -> dict[str, Bound]:
    """Flexibility, balance and breathing: the engine's own most for this patient; stretching
    and breathing work may be done at most twice a day (the schedule's limit)."""
    twice_daily = schedule.DAYS * schedule.MOST_A_DAY
    most = c.sessions_per_week.max or twice_daily
    source = "once_or_twice_daily" if most >= twice_daily else "engine_dose"
    out = {
        "sessions_per_week": Bound(ONE, min(most, twice_daily), "a_week", source),
        "minutes_per_session": _engine_minutes(c.minutes_per_session),
    }
    if c.repetitions is not None and c.repetitions.max is not None:
        out["repetitions"] = Bound(ONE, c.repetitions.max, "repetitions", "engine_dose")
    if c.intensity.rpe is not None:
        out["intensity.rpe"] = _rpe(s)
    return out


def for_component(kind: ComponentType, case: Case, s: EngineSettings) -> dict[str, Bound]:
    """Each range of the component (its dotted path in the stored document) and its bound."""
    if kind is T.AEROBIC:
        return _aerobic(case, s)
    if kind is T.RESISTANCE:
        return _resistance(s)
    if kind is T.RESPIRATORY_MUSCLE:
        return _emst(case, s)
    if kind is T.FLEXIBILITY:
        return _engine_dose(flexibility.flexibility(case, ()), s)
    if kind is T.BALANCE_FUNCTIONAL:
        return _engine_dose(flexibility.balance_functional(case, s), s)
    return _engine_dose(flexibility.breathing_work(case), s)
