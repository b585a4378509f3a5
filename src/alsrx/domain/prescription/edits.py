"""A clinician's edit of a draft's aerobic component: which fields, and the bounds each may take.

The bounds are the engine's own (EngineSettings: 2-5 sessions, at most 30 minutes, RPE 11-13,
a heart-rate ceiling at 75 % of the reserve; rec-aerobic-dose, rec-aerobic-intensity,
rec-moderate-not-strenuous), so an edit can tighten a draft and never take it past what the
engine itself could have written. The service only finds the numbers and applies the result.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from alsrx.domain.equations import heart_rate
from alsrx.domain.prescription.params import EngineSettings
from alsrx.errors import FieldError

EDITABLE = ("sessions_max", "minutes_max", "hr_max", "rpe_max")
# alsrx default: the shortest aerobic session an edit may leave (the protocol itself starts at
# 15 minutes, rec-aerobic-ramp); no source sets a floor.
MIN_MINUTES = 5
# alsrx default: no adult's exercise heart-rate ceiling is below 40 bpm; a lower number is a
# typing error, not a target.
MIN_HR_BPM = 40

Bounds = Mapping[str, tuple[int, int]]


def hr_ceiling_bpm(heart: Mapping[str, Any], settings: EngineSettings) -> float | None:
    """The highest heart rate an edit may set: `max_percent_hrr` of the reserve above rest
    (Karvonen; rec-aerobic-intensity), from an assessment's derived `heart_rate` section. None
    when rest or reserve is unknown or the targets are unreliable (beta blocker, no CPET)."""
    rest, reserve = heart.get("rest_bpm"), heart.get("reserve_bpm")
    if rest is None or reserve is None or not heart.get("targets_reliable"):
        return None
    return heart_rate.karvonen_bpm(
        rest_bpm=rest, max_bpm=rest + reserve, fraction=settings.max_percent_hrr / 100
    )


def aerobic_edit_bounds(settings: EngineSettings, *, ceiling_bpm: float | None) -> Bounds:
    """(lowest, highest) whole number each editable field may take; the heart-rate ceiling is
    rounded down, so a whole number inside the bounds is never above the Karvonen ceiling."""
    hr_high = math.floor(ceiling_bpm) if ceiling_bpm is not None else 0
    return {
        "sessions_max": (settings.aerobic_sessions_min, settings.aerobic_sessions_max),
        "minutes_max": (MIN_MINUTES, settings.aerobic_max_minutes),
        "hr_max": (MIN_HR_BPM, hr_high),
        "rpe_max": (settings.min_rpe, settings.max_rpe),
    }


def check_aerobic_edit(
    changes: Mapping[str, object],
    *,
    settings: EngineSettings,
    ceiling_bpm: float | None,
    has_hr_target: bool,
) -> list[FieldError]:
    """Every reason the edit is refused (empty when it may be applied)."""
    bounds = aerobic_edit_bounds(settings, ceiling_bpm=ceiling_bpm)
    errors: list[FieldError] = []
    for name, value in changes.items():
        if name not in bounds:
            errors.append(FieldError(name, "not_allowed", {"allowed": EDITABLE}))
        elif name == "hr_max" and (ceiling_bpm is None or not has_hr_target):
            errors.append(FieldError(name, "no_hr_target", {}))
        elif not _whole_within(value, bounds[name]):
            low, high = bounds[name]
            errors.append(
                FieldError(name, "out_of_range", {"min": low, "max": high, "integer": True})
            )
    return errors


def _whole_within(value: object, bounds: tuple[int, int]) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return float(value).is_integer() and bounds[0] <= value <= bounds[1]
