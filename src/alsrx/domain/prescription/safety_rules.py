"""Stop rules and monitoring, listed in every prescription.

Stop and contact the clinic: chest pain, dizziness, unusual breathlessness (cannot talk), heart
rate above the ceiling, fatigue lasting beyond the limit (default 15 min: rec-fatigue-window,
R48), cramps that do not settle, a fall. Reassess ALSFRS-R and FVC every 3 months
(rec-reassess-3-months; R09), with 6MWT as an outcome (rec-6mwt-outcome; R25), and follow
sessions remotely (rec-telemonitoring; R28).
"""

from __future__ import annotations

import math

from alsrx.domain.prescription.model import Monitoring, Note
from alsrx.domain.prescription.params import EngineSettings


def stop_rules(s: EngineSettings, *, hr_ceiling_bpm: float | None) -> tuple[Note, ...]:
    rules = [
        Note("stop_chest_pain", ("rec-safety", "R30")),
        Note("stop_dizziness", ("rec-safety",)),
        Note("stop_unusual_breathlessness", ("rec-talk-test", "G-paganoni-2015")),
        Note(
            "stop_fatigue_beyond_limit",
            ("rec-fatigue-window", "R48"),
            {"minutes": s.fatigue_limit_min},
        ),
        Note("stop_cramps_persisting", ("G-paganoni-2015",)),
        Note("stop_fall", ("rec-individualise-adjust",)),
        Note(
            "reduce_if_next_day_pain_or_weakness", ("G-paganoni-2015", "rec-individualise-adjust")
        ),
    ]
    if hr_ceiling_bpm is not None:
        rules.insert(
            3,
            Note(
                "stop_hr_above_ceiling",
                ("rec-aerobic-intensity",),
                {"bpm": math.floor(hr_ceiling_bpm + 1e-9)},
            ),
        )
    return tuple(rules)


def monitoring(s: EngineSettings) -> Monitoring:
    return Monitoring(
        per_session=(
            "rpe",
            "heart_rate_when_prescribed",
            "fatigue_recovery_min",
            "symptoms",
            "completed_as_planned",
        ),
        per_review=("alsfrs_r", "fvc", "six_minute_walk", "mrc", "mep_mip", "weight"),
        review_every_weeks=s.review_after_weeks,
        evidence=("rec-reassess-3-months", "R09", "rec-6mwt-outcome", "rec-telemonitoring"),
    )
