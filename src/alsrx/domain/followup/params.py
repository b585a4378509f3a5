"""Follow-up thresholds, each with its source; configurable like the engine's parameters."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FollowupSettings:
    # Post-exercise fatigue should pass within the active plan's `fatigue_limit_min` (the
    # engine's setting, default 15, a clinician may tighten it: Plan.fatigue_limit_min;
    # rec-fatigue-window, an alsrx default, no source found says 5-15 min; the review attributes
    # it to R48): beyond it once is a warning; `fatigue_repeat_count` times within
    # `fatigue_repeat_days` asks for a step down. Beyond `fatigue_overwork_min`, or into the next
    # day, is overwork and asks for one at once (rec-overwork-step-down: alsrx default on the
    # neuromuscular rule of thumb "fatigue > 30 min means overwork", recalled, not verified).
    fatigue_repeat_count: int = 2
    fatigue_repeat_days: int = 14
    fatigue_overwork_min: float = 30.0
    # Symptoms that count toward a step-down or a pause when repeated (domain/followup/
    # symptoms.py): reports on `symptom_repeat_count` days within `symptom_repeat_days`, this one
    # included (rec-overwork-step-down, rec-fall-response: alsrx defaults).
    symptom_repeat_count: int = 2
    symptom_repeat_days: int = 14
    # Adherence (rec-adherence-definition): only the 75 % has a source, FACTS-2-ALS's
    # per-protocol attendance (P-facts2als-results); window, streak and dropout days are alsrx
    # defaults. R33 is not cited: "benefit gone 6 months after stopping" misreports Drory 2001.
    adherence_threshold: float = 0.75
    adherence_window_weeks: int = 4
    missed_streak: int = 3
    dropout_days: int = 14
    # The reassessment interval is not here: the active prescription's `review_after_weeks`
    # sets it, domain/reassessment.py owns the default (rec-reassess-3-months; R09).
    # Course between two visits: a decline warns when it is both fast (per 3 months of the
    # interval between the visits, so one month's drop counts triple and a year's a quarter) and
    # large (a floor above measurement noise, however short the interval). All alsrx defaults:
    # no source in the evidence base gives a between-visit threshold or the noise of either
    # measure. 4 ALSFRS-R points per 3 months was the old fixed 4-point warning at the 3-month
    # reassessment (rec-reassess-3-months); it is 1.33 points a month, above the fastest
    # progression tertile's 1.11 (Labra 2016, domain/scales/progression.py), so it marks a
    # visit-to-visit course faster than a fast progressor's average. The 3-point floor is more
    # than two items re-rated one grade. FVC: 10 percentage points of predicted per 3 months,
    # with a 5-point floor so that one poorer blow on the day does not warn.
    frs_decline_warning_points_per_3_months: float = 4.0
    frs_decline_floor_points: int = 3
    fvc_decline_warning_points_per_3_months: float = 10.0
    fvc_decline_floor_points: float = 5.0
    # Absolute FVC, whatever the interval: alsrx defaults, no trial behind the numbers.
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
