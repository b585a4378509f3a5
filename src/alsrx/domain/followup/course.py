"""The disease course between assessments: reassessment due, decline, stage changes, FVC,
loss of walking. Inputs are the assessment core's derived documents (JSON-shaped dicts)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from alsrx.domain import reassessment as reassessment_interval
from alsrx.domain.followup.model import Severity, Signal
from alsrx.domain.followup.params import FollowupSettings

Derived = Mapping[str, Any]
WALKING_LOST_AT_OR_BELOW = 1  # ALSFRS-R item 8: 1 = non-ambulatory functional movement only


def reassessment(
    last: dt.date | None,
    *,
    today: dt.date,
    s: FollowupSettings,
    every_weeks: int = reassessment_interval.EVERY_WEEKS,
) -> list[Signal]:
    """Due every 3 months (rec-reassess-3-months; R09), or after the active prescription's own
    `review_after_weeks`: info when due, warning when overdue."""
    if last is None:
        return [Signal("assessment_missing", Severity.WARNING, ("rec-reassess-3-months",), {})]
    state = reassessment_interval.due(last, today=today, every_weeks=every_weeks)
    if not state.due:
        return []
    code, severity = (
        ("reassessment_overdue", Severity.WARNING)
        if state.overdue
        else ("reassessment_due", Severity.INFO)
    )
    return [
        Signal(
            code,
            severity,
            ("rec-reassess-3-months", "R09"),
            {"last_assessment": last.isoformat(), "days": state.days_since},
        )
    ]


def change(previous: Derived | None, current: Derived, *, s: FollowupSettings) -> list[Signal]:
    found = _fvc(current, s)
    if previous is None:
        return found
    evidence = ("rec-individualise-adjust", "rec-reassess-3-months")
    drop = previous["alsfrs_r"]["total"] - current["alsfrs_r"]["total"]
    if drop > 0:
        severity = Severity.WARNING if drop >= s.frs_drop_warning_points else Severity.INFO
        found.append(
            Signal(
                "alsfrs_r_decline",
                severity,
                evidence,
                {"from": previous["alsfrs_r"]["total"], "to": current["alsfrs_r"]["total"]},
            )
        )
    for key in ("kings_stage", "mitos_stage"):
        if previous[key] != current[key]:
            found.append(
                Signal(
                    f"{key}_changed",
                    Severity.WARNING,
                    evidence,
                    {"from": previous[key], "to": current[key]},
                )
            )
    before, now = previous["progression"]["category"], current["progression"]["category"]
    if before and now and before != now:
        found.append(
            Signal(
                "progression_category_changed",
                Severity.WARNING,
                evidence,
                {"from": before, "to": now},
            )
        )
    walked = previous["alsfrs_r"]["items"]["q8_walking"]
    walks = current["alsfrs_r"]["items"]["q8_walking"]
    if walked > WALKING_LOST_AT_OR_BELOW >= walks:
        found.append(
            Signal(
                "walking_lost",
                Severity.WARNING,
                ("rec-aerobic-mode",),
                {"item8_from": walked, "item8_to": walks},
            )
        )
    return found


def _fvc(current: Derived, s: FollowupSettings) -> list[Signal]:
    percent = current["fvc"]["percent_predicted"]
    if percent is None:
        return []
    data = {"percent_predicted": percent}
    if percent < s.fvc_urgent_below_percent:
        return [
            Signal(
                "fvc_low", Severity.URGENT, ("R36",), data | {"below": s.fvc_urgent_below_percent}
            )
        ]
    if percent < s.fvc_warning_below_percent:
        return [
            Signal(
                "fvc_low", Severity.WARNING, ("R36",), data | {"below": s.fvc_warning_below_percent}
            )
        ]
    return []


def changes_the_picture(signals: list[Signal]) -> bool:
    """A reassessment after which the prescription should be drafted again."""
    codes = {s.code for s in signals}
    return bool(
        codes
        & {
            "walking_lost",
            "kings_stage_changed",
            "mitos_stage_changed",
            "progression_category_changed",
            "fvc_low",
        }
    )
