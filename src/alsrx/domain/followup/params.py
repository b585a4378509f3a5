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
    # Course: alsrx defaults, no trial behind the numbers (a clinician may change them).
    frs_drop_warning_points: int = 4
    fvc_warning_below_percent: float = 65.0  # the lowest FVC of the trials' populations (R36)
    fvc_urgent_below_percent: float = 50.0
    # Progression: good tolerance and adherence over `progress_after_weeks` moves the plan on.
    progress_after_weeks: int = 2
    progress_min_adherence: float = 0.8
