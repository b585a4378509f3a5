"""Stop rules and monitoring, listed in every prescription.

Stop and contact the rehabilitation team: chest pain, dizziness (general exercise safety:
rec-general-exercise-safety, G-acsm-gete), unusual breathlessness (judged by talking, or on a
breathlessness scale when speech is impaired: rec-talk-test, rec-bulbar-effort-monitoring),
heart rate above the ceiling of the CURRENT phase, fatigue lasting beyond the limit (default
15 min: rec-fatigue-window, an alsrx default), cramps that do not settle and next-day pain or
weakness (rec-post-exercise-overwork), a fall. Reassess ALSFRS-R and FVC every 3 months
(rec-reassess-3-months; R09), sooner for fast progressors (rec-fast-progression), with 6MWT as
an outcome (rec-6mwt-outcome; R25); a professional reviews the home programme monthly, as in
Kitano 2018 (R47), and follows sessions remotely (rec-telemonitoring; R28).
"""

from __future__ import annotations

import math

from alsrx.domain.prescription.model import Monitoring, Note, Step
from alsrx.domain.prescription.params import EngineSettings


def current_step(steps: tuple[Step, ...], week: int) -> Step | None:
    """The progression step covering this week; the last one once the programme has run."""
    if not steps:
        return None
    return next((st for st in steps if st.first_week <= week <= st.last_week), steps[-1])


def stop_rules(
    s: EngineSettings, *, hr_ceiling: tuple[float, Step | None] | None, speaks: bool = True
) -> tuple[Note, ...]:
    """`hr_ceiling`: the heart-rate ceiling that applies now, with the phase it belongs to."""
    breathless = (
        Note("stop_unusual_breathlessness", ("rec-talk-test", "G-paganoni-2015"))
        if speaks
        else Note("stop_breathlessness_scale", ("rec-bulbar-effort-monitoring",))
    )
    rules = [
        Note("stop_chest_pain", ("rec-general-exercise-safety", "G-acsm-gete")),
        Note("stop_dizziness", ("rec-general-exercise-safety", "G-acsm-gete")),
        breathless,
        Note(
            "stop_fatigue_beyond_limit", ("rec-fatigue-window",), {"minutes": s.fatigue_limit_min}
        ),
        Note("stop_cramps_persisting", ("rec-post-exercise-overwork",)),
        Note("stop_fall", ("rec-individualise-adjust",)),
        Note(
            "reduce_if_next_day_pain_or_weakness", ("rec-post-exercise-overwork", "G-paganoni-2015")
        ),
    ]
    if hr_ceiling is not None:
        rules.insert(3, _hr_rule(*hr_ceiling))
    return tuple(rules)


def _hr_rule(bpm: float, step: Step | None) -> Note:
    params: dict[str, object] = {"bpm": math.floor(bpm + 1e-9)}
    if step is None:
        return Note("stop_hr_above_ceiling", ("rec-aerobic-intensity",), params)
    params |= {"first_week": step.first_week, "last_week": step.last_week}
    return Note("stop_hr_above_phase_ceiling", ("rec-aerobic-intensity",), params)


def monitoring(
    s: EngineSettings, *, speaks: bool = True, emst: bool = False, review_weeks: int | None = None
) -> Monitoring:
    per_session = [
        "rpe",
        "heart_rate_when_prescribed",
        "fatigue_recovery_min",
        "symptoms",
        "completed_as_planned",
    ]
    if not speaks:
        per_session.insert(1, "breathlessness_scale")
    return Monitoring(
        per_session=tuple(per_session),
        per_review=("alsfrs_r", "fvc", "six_minute_walk", "mrc", "mep_mip", "weight"),
        review_every_weeks=review_weeks or s.review_after_weeks,
        evidence=(
            "rec-reassess-3-months",
            "R09",
            "rec-6mwt-outcome",
            "rec-telemonitoring",
            "rec-professional-review-monthly",
            "R47",
        ),
        programme_review_every_weeks=s.programme_review_every_weeks,
        remeasure_mep_every_weeks=s.emst_remeasure_mep_weeks if emst else None,
    )
