"""Alert data that need more than a number, in words: the muscle groups that lost antigravity
strength with their grades, the skip reasons low adherence asks about, and why the system
closed an alert. The alerts store codes and values (domain/followup); words come late, here."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from alsrx.domain.followup import closing, skips
from alsrx.i18n import N_
from alsrx.render import words

Gettext = Callable[[str], str]

SKIP_REASONS = {
    "too tired": N_("Too tired"),
    "unwell": N_("Unwell"),
    "no time": N_("No time"),
    "no helper today": N_("No helper today"),
    skips.OTHER: N_("Other reason"),
}
NO_SKIP_REASONS = N_("none logged")
SKIP_COUNT = N_("{reason}: {n}")
MRC_FROM_TO = N_("{muscle}: MRC {before} → {after}")
MRC_NOW = N_("{muscle}: MRC {after}")
CLOSED_BY_SYSTEM = {
    closing.Reason.REASSESSED: N_("Closed by the system: a reassessment was recorded."),
    closing.Reason.ADHERENCE_RECOVERED: N_(
        "Closed by the system: adherence is back at the plan's aim."
    ),
    closing.Reason.SESSION_LOGGED: N_("Closed by the system: a session was logged."),
    closing.Reason.NO_LONGER_FOUND: N_("Closed by the system: no longer found."),
    closing.Reason.ASSESSMENT_CORRECTED: N_(
        "Closed by the system: the corrected assessment no longer shows this."
    ),
}


def skip_reasons(counts: Mapping[str, int], lang: str, _: Gettext) -> str:
    """'Too tired: 2, No time: 1' in the reader's language; 'none logged' for none."""
    if not counts:
        return _(NO_SKIP_REASONS)
    template = _(SKIP_COUNT)
    parts = []
    for code, n in counts.items():
        label = SKIP_REASONS.get(code, SKIP_REASONS[skips.OTHER])
        parts.append(template.format(reason=_(label), n=n))
    return words.separator(lang).join(parts)


def mrc_groups(groups: list[Mapping[str, Any]], lang: str, _: Gettext) -> str:
    """'knee extension (left): MRC 4 → 2' for each group, in the reader's language."""
    parts = []
    for g in groups:
        muscle = words.muscle(str(g["group"]), _)
        if g.get("from") is None:
            parts.append(_(MRC_NOW).format(muscle=muscle, after=g["to"]))
        else:
            parts.append(_(MRC_FROM_TO).format(muscle=muscle, before=g["from"], after=g["to"]))
    return words.separator(lang).join(parts)


def percent(value: object) -> object:
    """A stored fraction (0.6) as a percentage ('60%')."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{round(value * 100)}%"
    return value


def data_in_words(code: str, data: Mapping[str, Any], lang: str, _: Gettext) -> dict[str, Any]:
    """An alert's data with the values that need words put into words (others as stored)."""
    shown = dict(data)
    if code in skips.ASKS_WHY:  # alerts raised before reasons were recorded have none
        shown["skip_reasons"] = skip_reasons(data.get("skip_reasons") or {}, lang, _)
    if code == "adherence_low":
        shown["adherence"], shown["threshold"] = (
            percent(data.get("adherence")),
            percent(data.get("threshold")),
        )
    if code == "mrc_below_antigravity":
        shown["groups"] = mrc_groups(data.get("groups") or [], lang, _)
    return shown


def resolution(note: str | None, _: Gettext) -> str:
    """A resolution note as read: the system's reason in words, a clinician's note as written."""
    reason = closing.reason_of(note)
    if reason is None:
        return note or ""
    return _(CLOSED_BY_SYSTEM[reason])
