"""Alert data that need more than a number, in words: the muscle groups that lost antigravity
strength with their grades, the skip reasons low adherence asks about, and why the system
closed an alert. The alerts store codes and values (domain/followup); words come late, here."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from alsrx.domain.followup import closing, skips
from alsrx.i18n import N_
from alsrx.render import rounding, words

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
# What each alert says, with its data in words (data_in_words) filled in.
ALERT_TEXT = {
    "red_flag": N_("Red flag reported: %(symptoms)s"),
    "fatigue_prolonged": N_("Fatigue lasted %(fatigue_recovery_min)s min"),
    "fatigue_repeated": N_("Prolonged fatigue %(times_in_window)s times in %(window_days)s days"),
    "fatigue_overwork": N_(
        "Fatigue lasted %(fatigue_recovery_min)s min: beyond %(overwork_min)s min or into the "
        "next day"
    ),
    "fall_reported": N_("A fall without injury"),
    "falls_repeated": N_("%(times_in_window)s falls in %(window_days)s days"),
    "dyspnea_reported": N_("Breathlessness during exercise"),
    "dyspnea_repeated": N_("Breathlessness %(times_in_window)s times in %(window_days)s days"),
    "cramps_persisting": N_("Cramps that did not settle"),
    "cramps_repeated": N_(
        "Cramps that did not settle, %(times_in_window)s times in %(window_days)s days"
    ),
    "muscle_pain_next_day": N_("Muscle pain the next day"),
    "muscle_pain_repeated": N_(
        "Muscle pain the next day, %(times_in_window)s times in %(window_days)s days"
    ),
    "new_weakness_next_day": N_("New weakness the day after exercise"),
    "unusual_fatigue": N_("Unusual tiredness"),
    "unusual_fatigue_repeated": N_(
        "Unusual tiredness %(times_in_window)s times in %(window_days)s days"
    ),
    "hr_above_ceiling": N_(
        "Heart rate up to %(max_hr_bpm)s bpm, above the ceiling of %(ceiling_bpm)s bpm"
    ),
    "rpe_above_target": N_(
        "Effort rated %(rpe)s (6–20 scale), above the plan's ceiling of %(target_max)s"
    ),
    # Low adherence asks why (a question for the team to ask, not a reproach), with the
    # reasons the patient gave for skipping.
    "adherence_low": N_(
        "Adherence %(adherence)s (target %(threshold)s) over %(weeks)s weeks. What is getting "
        "in the way? Reasons given for skipping: %(skip_reasons)s."
    ),
    "missed_streak": N_(
        "%(skipped_in_a_row)s sessions skipped in a row. Is something making the plan hard to "
        "keep? Reasons given for skipping: %(skip_reasons)s."
    ),
    "no_sessions_logged": N_("Nothing logged for %(days_since_last)s days"),
    "reassessment_due": N_("Reassessment due (%(days)s days)"),
    "reassessment_overdue": N_("Reassessment overdue (%(days)s days)"),
    "alsfrs_r_decline": N_("ALSFRS-R fell from %(from)s to %(to)s"),
    "kings_stage_changed": N_("King's stage %(from)s → %(to)s"),
    "mitos_stage_changed": N_("MiToS stage %(from)s → %(to)s"),
    "progression_category_changed": N_("Progression %(from)s → %(to)s"),
    "fvc_low": N_("FVC %(percent_predicted)s %% of predicted"),
    "fvc_decline": N_("FVC fell from %(from)s %% to %(to)s %% of predicted in %(days)s days"),
    "mrc_below_antigravity": N_(
        "A trained muscle group is below antigravity strength (MRC %(below)s): %(groups)s. "
        "A new draft is proposed for review."
    ),
    "walking_lost": N_("Walking lost (item 8: %(item8_to)s)"),
    "assessment_missing": N_("No assessment yet"),
}

# Each alert type's short name, for the inbox's filter (the full text is ALERT_TEXT's).
ALERT_TYPES = {
    "red_flag": N_("Red flag"),
    "fatigue_prolonged": N_("Long fatigue after exercise"),
    "fatigue_repeated": N_("Repeated long fatigue"),
    "fatigue_overwork": N_("Overwork fatigue"),
    "fall_reported": N_("Fall"),
    "falls_repeated": N_("Repeated falls"),
    "dyspnea_reported": N_("Breathlessness"),
    "dyspnea_repeated": N_("Repeated breathlessness"),
    "cramps_persisting": N_("Cramps that did not settle"),
    "cramps_repeated": N_("Repeated cramps"),
    "muscle_pain_next_day": N_("Muscle pain the next day"),
    "muscle_pain_repeated": N_("Repeated muscle pain"),
    "new_weakness_next_day": N_("New weakness the next day"),
    "unusual_fatigue": N_("Unusual tiredness"),
    "unusual_fatigue_repeated": N_("Repeated unusual tiredness"),
    "hr_above_ceiling": N_("Heart rate above the ceiling"),
    "rpe_above_target": N_("Effort above the plan"),
    "adherence_low": N_("Low adherence"),
    "missed_streak": N_("Sessions skipped in a row"),
    "no_sessions_logged": N_("Nothing logged"),
    "reassessment_due": N_("Reassessment due"),
    "reassessment_overdue": N_("Reassessment overdue"),
    "alsfrs_r_decline": N_("ALSFRS-R decline"),
    "kings_stage_changed": N_("King's stage changed"),
    "mitos_stage_changed": N_("MiToS stage changed"),
    "progression_category_changed": N_("Progression category changed"),
    "fvc_low": N_("Low FVC"),
    "fvc_decline": N_("FVC decline"),
    "mrc_below_antigravity": N_("Trained muscle below antigravity"),
    "walking_lost": N_("Walking lost"),
    "assessment_missing": N_("No assessment yet"),
}


def code_label(code: str, _: Gettext) -> str:
    """An alert type's short name in words (an unknown type: a generic name, never the code)."""
    label = ALERT_TYPES.get(code)
    return _(label) if label else _(OTHER_TYPE)


OTHER_TYPE = N_("Other alert")


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


def percent(value: object, lang: str = "en") -> object:
    """A stored fraction (0.625) as a percentage as people write it: '63 %' in English text,
    '63%' in Chinese, by the one rounding rule (render/rounding.py)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        shown = rounding.round_half_up(value * 100, 0)
        return f"{shown:.0f}%" if lang == "zh" else f"{shown:.0f} %"
    return value


def _number(value: object) -> object:
    """A measured value as shown: one decimal by the one rounding rule, no trailing ".0"."""
    if isinstance(value, float):
        rounded = rounding.round_half_up(value, 1)
        return int(rounded) if rounded is not None and rounded.is_integer() else rounded
    return value


def data_in_words(code: str, data: Mapping[str, Any], lang: str, _: Gettext) -> dict[str, Any]:
    """An alert's data with the values that need words put into words (others as stored)."""
    shown = {k: _number(v) for k, v in data.items()}
    if code in skips.ASKS_WHY:  # alerts raised before reasons were recorded have none
        shown["skip_reasons"] = skip_reasons(data.get("skip_reasons") or {}, lang, _)
    if code == "adherence_low":
        shown["adherence"], shown["threshold"] = (
            percent(data.get("adherence"), lang),
            percent(data.get("threshold"), lang),
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
