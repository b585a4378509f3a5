"""Follow-up thresholds, each with its source; configurable like the engine's parameters."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FollowupSettings:
    # Post-exercise fatigue should pass within 5-15 min (rec-fatigue-window: an alsrx default, no
    # source found says 5-15 min; the review attributes it to R48): beyond the
    # limit once is a warning; `fatigue_repeat_count` times within `fatigue_repeat_days` asks
    # for a step down.
    fatigue_limit_min: float = 15.0
    fatigue_repeat_count: int = 2
    fatigue_repeat_days: int = 14
    # Adherence (rec-adherence-definition): only the 75 % has a source, FACTS-2-ALS's
    # per-protocol attendance (P-facts2als-results); window, streak and dropout days are alsrx
    # defaults. R33 is not cited: "benefit gone 6 months after stopping" misreports Drory 2001.
    adherence_threshold: float = 0.75
    adherence_window_weeks: int = 4
    missed_streak: int = 3
    dropout_days: int = 14
    # The reassessment interval is not here: the active prescription's `review_after_weeks`
    # sets it, domain/reassessment.py owns the default (rec-reassess-3-months; R09).
    # Course: alsrx defaults, no trial behind the numbers (a clinician may change them).
    frs_drop_warning_points: int = 4
    fvc_warning_below_percent: float = 65.0  # the lowest FVC of the trials' populations (R36)
    fvc_urgent_below_percent: float = 50.0
    # Progression (proposals.decide): the next phase is proposed at its planned week at the
    # earliest (rec-aerobic-ramp, G-paganoni-2015 "start low, go slow"), when the last
    # `progress_after_weeks` complete weeks met `progress_min_adherence` and at least
    # `progress_min_rated_sessions` sessions in them carry the patient's own report of effort
    # (RPE) or recovery time, all within target. One-tap logs say a session happened, not how
    # it was tolerated. Window, adherence and count are alsrx defaults.
    progress_after_weeks: int = 2
    progress_min_adherence: float = 0.8
    progress_min_rated_sessions: int = 2
    # A week of logs none of which is rated asks the patient to rate one (alsrx default).
    rated_session_request_days: int = 7
