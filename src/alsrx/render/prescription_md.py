"""A readable prescription in Markdown, in English or Chinese, that a clinician hands over."""

from __future__ import annotations

from typing import Any

from alsrx.evidence import base as evidence_base
from alsrx.i18n import N_, translator
from alsrx.render import exercise_view, programme_parts, words
from alsrx.render import prescription_labels as labels

TITLE = N_("Exercise prescription")
UI = {
    "day": N_("Day"),
    "day_n": N_("Day {day}"),
    "device_setting": N_("Device setting"),
    "effort_borg_rpe_6_20": N_("Effort (Borg RPE 6-20)"),
    "evidence": N_("Evidence"),
    "exercises": N_("Exercises"),
    "follow_up": N_("Follow-up"),
    "heart_rate": N_("Heart rate"),
    "how_long": N_("How long"),
    "how_often": N_("How often"),
    "keep_in_mind": N_("Keep in mind"),
    "muscles": N_("Muscles"),
    "professional_review_weeks": N_(
        "A physiotherapist reviews the home programme every {weeks} weeks"
    ),
    "remeasure_mep_weeks": N_(
        "Re-measure MEP every {weeks} weeks while the breathing trainer is used"
    ),
    "one_week": N_("One week"),
    "starts_in_week": N_(
        "The plan starts in programme week {week}; the week-by-week rows say which dose applies."
    ),
    "no_device_setting": N_("no device setting: below the trainer's range"),
    "on_combined_days_in_this_order": N_("On combined days, in this order"),
    "points_for_the_clinician": N_("Points for the clinician"),
    "range_of_motion_only": N_("Range of motion only"),
    "reassess_every_weeks_weeks": N_("Reassess every {weeks} weeks"),
    "record_after_each_session": N_("Record after each session"),
    "rest_day": N_("Rest day"),
    "sets_repetitions": N_("Sets × repetitions"),
    "stop_and_seek_advice": N_("Stop and seek advice"),
    "the_programme": N_("The programme"),
    "twice": N_("(twice)"),
    "muscles_with_load": N_("Muscles ({load})"),
    "up_to": N_("Up to"),
    "week_by_week": N_("Week by week"),
    "phase_gate": N_(
        "each next phase begins when the clinic approves it: at its planned week at the "
        "earliest, after sessions you rated as well tolerated"
    ),
    "what": N_("What"),
    "where": N_("Where"),
    "why": N_("Why"),
    "bpm": N_("bpm"),
    "min": N_("min"),
    "minutes": N_("minutes"),
    "times_a_week": N_("times a week"),
    "week": N_("week"),
}
WEEKS_RANGE = N_("weeks {first}–{last}")


def range_text(span: dict[str, Any] | None, _: Any = str, unit: str = "") -> str:
    """A range as the printed plan writes it (programme_parts.span_text, the one owner:
    "up to 150", "6–15", "3"), or "—" for none; `_` the reader's language."""
    text = programme_parts.span_text(span, _)
    return f"{text}{unit}" if text else "—"


def _label(table: dict[str, str], code: str, _: Any) -> str:
    return _(table[code]) if code in table else code


def _component(c: dict[str, Any], _: Any, lang: str) -> list[str]:
    sep = words.separator(lang)
    i = c["intensity"]
    lines = [
        f"### {_label(labels.COMPONENTS, c['type'], _)}",
        "",
        f"- {_(UI['how_often'])}: {range_text(c['sessions_per_week'], _)} {_(UI['times_a_week'])}",
        f"- {_(UI['how_long'])}: {range_text(c['minutes_per_session'], _)} {_(UI['minutes'])}",
        f"- {_(UI['what'])}: " + sep.join(_label(labels.MODALITIES, m, _) for m in c["modalities"]),
    ]
    if i["hr_bpm"]:
        lines.append(f"- {_(UI['heart_rate'])}: {range_text(i['hr_bpm'], _)} {_(UI['bpm'])}")
    if i["rpe"]:
        lines.append(f"- {_(UI['effort_borg_rpe_6_20'])}: {range_text(i['rpe'], _)}")
    if i["percent_mep"]:
        lines.append(
            f"- {_(UI['device_setting'])}: {range_text(i['percent_mep'], _)}% MEP "
            + (
                f"({i['device_pressure_cmh2o']} cmH2O)"
                if i["device_pressure_cmh2o"] is not None
                else f"({_(UI['no_device_setting'])})"
            )
        )
    if c["sets"]:
        lines.append(
            f"- {_(UI['sets_repetitions'])}: {range_text(c['sets'], _)} × "
            f"{range_text(c['repetitions'], _)}"
        )
    lines += _muscle_lines(c, _, sep)
    lines += _exercise_lines(c, _, lang)
    if c["range_of_motion_only"]:
        lines.append(
            f"- {_(UI['range_of_motion_only'])}: "
            + sep.join(words.muscle(m, _) for m in c["range_of_motion_only"])
        )
    if c["constraints"]:
        lines.append(
            f"- {_(UI['keep_in_mind'])}: "
            + "; ".join(_label(labels.CONSTRAINTS, k, _) for k in c["constraints"])
        )
    lines.append(f"- {_(UI['where'])}: {_label(labels.SETTINGS, c['setting'], _)}")
    lines += _progression(c["progression"], _)
    why = " ".join(programme_parts.note_text(r, lang) for r in c["rationale"])
    lines.append(f"- {_(UI['why'])}: {why}")
    lines.append(f"- {_(UI['evidence'])}: " + ", ".join(c["evidence"]))
    return [*lines, ""]


def _exercise_lines(c: dict[str, Any], _: Any, lang: str) -> list[str]:
    """The named exercises, each as its card says it (render/exercise_view.py)."""
    cards = exercise_view.cards(c, lang=lang)
    if not cards:
        return []
    lines = [f"- {_(UI['exercises'])}:"]
    for n, card in enumerate(cards, start=1):
        dose = programme_parts.phrase((card.dose, card.side), lang)
        load = f" ({card.load})" if card.load else ""
        lines.append(f"    {n}. {card.name}: {dose}{load}")
    return lines


def _muscle_lines(c: dict[str, Any], _: Any, sep: str) -> list[str]:
    """Trained muscle groups, split by their load (older documents have no loads)."""
    loads: dict[str, str] = c.get("muscle_loads") or {}
    if not loads:
        if not c["muscle_groups"]:
            return []
        return [
            f"- {_(UI['muscles'])}: " + sep.join(words.muscle(m, _) for m in c["muscle_groups"])
        ]
    lines = []
    for load in dict.fromkeys(loads.values()):
        groups = [m for m in c["muscle_groups"] if loads.get(m) == load]
        lines.append(
            f"- {_(UI['muscles_with_load']).format(load=_label(labels.LOADS, load, _))}: "
            + sep.join(words.muscle(m, _) for m in groups)
        )
    return lines


def _week(days: list[dict[str, Any]], _: Any) -> list[str]:
    """The planned week as a small table; older stored documents have none."""
    if not days:
        return []
    lines = [
        f"## {_(UI['one_week'])}",
        "",
        f"| {_(UI['day'])} | {_(UI['what'])} | {_(UI['up_to'])} |",
        "|---|---|---|",
    ]
    for d in days:
        what = " → ".join(
            _label(labels.COMPONENTS, t, _) + (f" {_(UI['twice'])}" if t in d["twice"] else "")
            for t in d["components"]
        )
        lines.append(
            f"| {_(UI['day_n']).format(day=d['day'])} | {what or _(UI['rest_day'])} "
            f"| {d['minutes_max']} {_(UI['min'])} |"
        )
    return [*lines, ""]


def _progression(steps: list[dict[str, Any]], _: Any) -> list[str]:
    if not steps:
        return []
    gate = UI["phase_gate"]
    rows = [f"- {_(UI['week_by_week'])} ({_(gate)}):"]
    for s in steps:
        parts = [
            f"{range_text(s['sessions_per_week'], _)}×/{_(UI['week'])}",
            f"{range_text(s['minutes_per_session'], _)} {_(UI['min'])}",
        ]
        if s["hr_bpm"]:
            parts.append(f"{range_text(s['hr_bpm'], _)} {_(UI['bpm'])}")
        if s["sets"]:
            parts.append(f"{range_text(s['sets'], _)} × {range_text(s['repetitions'], _)}")
        label = _label(labels.STEP_NOTES, s["note"], _)
        weeks = _(WEEKS_RANGE).format(first=s["weeks"]["from"], last=s["weeks"]["to"])
        rows.append(f"    - {weeks} ({label}): " + ", ".join(parts))
    return rows


def render(doc: dict[str, Any], *, lang: str = "en") -> str:
    _ = translator(lang)
    lines = [f"# {_(TITLE)}", "", f"**{_label(labels.STATUS, doc['status'], _)}**", ""]
    starts = UI["starts_in_week"]
    lines += [_(starts).format(week=doc.get("current_week", 1)), ""]
    if doc["reasons"]:
        lines += [f"## {_(UI['points_for_the_clinician'])}", ""]
        lines += [f"- {r['message']} ({', '.join(r['evidence'])})" for r in doc["reasons"]]
        lines.append("")
    lines += [f"## {_(UI['the_programme'])}", ""]
    order = " → ".join(_label(labels.COMPONENTS, t, _) for t in doc["session_order"])
    lines += [f"{_(UI['on_combined_days_in_this_order'])}: {order}", ""]
    for c in doc["components"]:
        lines += _component(c, _, lang)
    lines += _week(doc.get("weekly_schedule", []), _)
    lines += [f"## {_(UI['stop_and_seek_advice'])}", ""]
    lines += [f"- {r['message']}" for r in doc["stop_rules"]]
    lines += ["", f"## {_(UI['follow_up'])}", ""]
    sep = words.separator(lang)
    per_session = sep.join(
        _label(labels.MONITORING, k, _) for k in doc["monitoring"]["per_session"]
    )
    per_review = sep.join(_label(labels.MONITORING, k, _) for k in doc["monitoring"]["per_review"])
    lines += [
        f"- {_(UI['record_after_each_session'])}: {per_session}",
        f"- {_(UI['reassess_every_weeks_weeks']).format(weeks=doc['review_after_weeks'])}: "
        f"{per_review}",
    ]
    lines += _review_lines(doc["monitoring"], _)
    lines.append("")
    lines += _references(doc, lang)
    return "\n".join(lines) + "\n"


def _review_lines(monitoring: dict[str, Any], _: Any) -> list[str]:
    lines = []
    if monitoring.get("programme_review_every_weeks"):
        weeks = monitoring["programme_review_every_weeks"]
        lines.append(f"- {_(UI['professional_review_weeks']).format(weeks=weeks)}")
    if monitoring.get("remeasure_mep_every_weeks"):
        weeks = monitoring["remeasure_mep_every_weeks"]
        lines.append(f"- {_(UI['remeasure_mep_weeks']).format(weeks=weeks)}")
    return lines


def _references(doc: dict[str, Any], lang: str) -> list[str]:
    _ = translator(lang)
    base = evidence_base.load()
    ids = sorted(
        {e for c in doc["components"] for e in c["evidence"]}
        | {e for r in doc["reasons"] for e in r["evidence"]}
        | {e for r in doc["stop_rules"] for e in r["evidence"]}
    )
    lines = [f"## {_(UI['evidence'])}", ""]
    for record_id in ids:
        record = base.get(record_id)
        if isinstance(record, evidence_base.Recommendation):
            text = record.statement_zh if lang == "zh" else record.statement_en
        else:
            summary = record.summary_zh if lang == "zh" else record.summary_en
            text = f"{record.citation()} — {summary}"
        lines.append(f"- **{record_id}**: {text}")
    return [*lines, ""]
