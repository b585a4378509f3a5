"""The disease course between assessments: reassessment due, decline, stage changes, FVC,
loss of walking, a trained muscle losing antigravity strength. Inputs are the assessment core's
derived documents (JSON-shaped dicts), the visits' MRC grades and the stored prescription.

Declines between two visits are judged per 3 months of the interval between them
(`per_3_months`), with an absolute floor (FollowupSettings): the same drop is fast over a month
and ordinary over a year."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from alsrx.domain import reassessment as reassessment_interval
from alsrx.domain import time
from alsrx.domain.followup.model import Severity, Signal
from alsrx.domain.followup.params import FollowupSettings
from alsrx.domain.prescription.params import EngineSettings

Derived = Mapping[str, Any]
WALKING_LOST_AT_OR_BELOW = 1  # ALSFRS-R item 8: 1 = non-ambulatory functional movement only
THREE_MONTHS_DAYS = 3 * time.DAYS_PER_MONTH
COURSE_EVIDENCE = ("rec-individualise-adjust", "rec-reassess-3-months")
# Never load a muscle without antigravity strength: the engine's own line and sources
# (EngineSettings.antigravity_mrc; rec-resistance, G-paganoni-2015), and a home programme is
# adjusted when strength falls (rec-professional-review-monthly).
MRC_EVIDENCE = ("rec-resistance", "G-paganoni-2015", "rec-professional-review-monthly")
# Signals after which the prescription is drafted again (the engine decides anew).
REDRAWS = frozenset(
    {
        "walking_lost",
        "kings_stage_changed",
        "mitos_stage_changed",
        "progression_category_changed",
        "fvc_low",
        "mrc_below_antigravity",
    }
)


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


def interval_days(previous: Derived, current: Derived) -> int:
    """Days between two visits' derived documents (at least 1: two visits on one day)."""
    before = dt.date.fromisoformat(previous["assessment_date"])
    now = dt.date.fromisoformat(current["assessment_date"])
    return max(1, (now - before).days)


def per_3_months(change: float, days: int) -> float:
    """A change over `days`, scaled to 3 months (a month being 365.25 / 12 days)."""
    return change * THREE_MONTHS_DAYS / max(1, days)


def fast_and_large(drop: float, days: int, *, per_3_months_from: float, floor: float) -> bool:
    """A decline worth a warning: at least `floor` in all, and at least `per_3_months_from`
    per 3 months of the interval."""
    return drop >= floor and per_3_months(drop, days) >= per_3_months_from


def change(previous: Derived | None, current: Derived, *, s: FollowupSettings) -> list[Signal]:
    found = _fvc(current, s)
    if previous is None:
        return found
    evidence = COURSE_EVIDENCE
    days = interval_days(previous, current)
    found += _frs_decline(previous, current, days, s)
    found += _fvc_decline(previous, current, days, s)
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


def _frs_decline(
    previous: Derived, current: Derived, days: int, s: FollowupSettings
) -> list[Signal]:
    """Any drop is worth knowing (info); a fast and large one warns."""
    before, now = previous["alsfrs_r"]["total"], current["alsfrs_r"]["total"]
    drop = before - now
    if drop <= 0:
        return []
    warns = fast_and_large(
        drop,
        days,
        per_3_months_from=s.frs_decline_warning_points_per_3_months,
        floor=s.frs_decline_floor_points,
    )
    data = {
        "from": before,
        "to": now,
        "days": days,
        "per_3_months": round(per_3_months(drop, days), 1),
        "warning_per_3_months": s.frs_decline_warning_points_per_3_months,
        "floor": s.frs_decline_floor_points,
    }
    severity = Severity.WARNING if warns else Severity.INFO
    return [Signal("alsfrs_r_decline", severity, COURSE_EVIDENCE, data)]


def _fvc_decline(
    previous: Derived, current: Derived, days: int, s: FollowupSettings
) -> list[Signal]:
    """FVC % predicted falling fast and far between the visits (the absolute thresholds are
    `_fvc`'s, whatever the interval)."""
    before, now = previous["fvc"]["percent_predicted"], current["fvc"]["percent_predicted"]
    if before is None or now is None:
        return []
    drop = round(before - now, 1)  # shown to 1 decimal: 95.3 - 90.3 is 5, not 4.999...
    if not fast_and_large(
        drop,
        days,
        per_3_months_from=s.fvc_decline_warning_points_per_3_months,
        floor=s.fvc_decline_floor_points,
    ):
        return []
    data = {
        "from": before,
        "to": now,
        "days": days,
        "per_3_months": round(per_3_months(drop, days), 1),
        "warning_per_3_months": s.fvc_decline_warning_points_per_3_months,
        "floor": s.fvc_decline_floor_points,
    }
    return [Signal("fvc_decline", Severity.WARNING, COURSE_EVIDENCE, data)]


def trained_groups(content: Mapping[str, Any]) -> tuple[str, ...]:
    """The muscle groups (with side, e.g. `knee_extension_left`) the stored prescription trains:
    every component's `muscle_groups` (the resistance component's today), in order, once."""
    groups = (g for c in content.get("components", ()) for g in c.get("muscle_groups") or ())
    return tuple(dict.fromkeys(str(g) for g in groups))


def antigravity_line(content: Mapping[str, Any]) -> int:
    """The MRC grade the plan was drafted to (its stored engine settings; the default before
    settings were stored)."""
    stored = content.get("settings", {}).get("antigravity_mrc")
    return int(stored) if stored is not None else EngineSettings().antigravity_mrc


def mrc_decline(
    previous: Mapping[str, int] | None,
    current: Mapping[str, int] | None,
    *,
    trained: Iterable[str],
    antigravity: int,
) -> list[Signal]:
    """A muscle group the active plan trains, tested at this visit below antigravity strength:
    it may no longer be loaded (the engine would give it range of motion only), so the plan is
    drafted again. Untested at this visit: no finding (the clinician did not look)."""
    now = current or {}
    weak = [g for g in trained if g in now and now[g] < antigravity]
    if not weak:
        return []
    before = previous or {}
    groups = [{"group": g, "from": before.get(g), "to": now[g]} for g in weak]
    data = {"groups": groups, "below": antigravity}
    return [Signal("mrc_below_antigravity", Severity.WARNING, MRC_EVIDENCE, data)]


def changes_the_picture(signals: list[Signal]) -> bool:
    """A reassessment after which the prescription should be drafted again."""
    return any(s.code in REDRAWS for s in signals)
