"""The clinician's sheet of a prescription: everything the patient's handout leaves out, the
reasons with their evidence ids, the dose of every phase, every exercise with its dose, the
version and its approval, and the references cited (alsrx.evidence.base)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

from alsrx.domain.exercises import library as exercise_library
from alsrx.evidence import base as evidence_base
from alsrx.i18n import translator
from alsrx.render import prescription_labels as labels
from alsrx.render import prescription_md, programme_parts, words
from alsrx.render import programme_words as wording
from alsrx.render.programme_parts import (
    DoseRow,
    Gettext,
    HandoutContext,
    Line,
    Part,
    PhaseRow,
    Reference,
)


def facts(content: Mapping[str, Any], context: HandoutContext, lang: str) -> tuple[Line, ...]:
    _ = translator(lang)
    label = {k: _(v) for k, v in wording.FACTS.items()}
    found = []
    if context.patient_name:
        found.append(Line(label["patient"], context.patient_name))
    if context.centre_name:
        found.append(Line(label["centre"], context.centre_name))
    status = _(wording.STORED_STATUS.get(context.status, wording.STORED_STATUS["draft"]))
    found.append(Line(label["version"], f"{context.version} ({status})"))
    engine_status = labels.STATUS.get(str(content.get("status")))
    if engine_status:
        found.append(Line(label["engine_status"], _(engine_status)))
    approved = (
        _(wording.APPROVED_BY).format(
            date=programme_parts.date_text(context.approved_at, lang),
            name=context.approved_by or "—",
        )
        if context.approved_at
        else _(wording.NOT_APPROVED)
    )
    found.append(Line(label["approved"], approved))
    if context.started_on:
        found.append(Line(label["starts"], programme_parts.date_text(context.started_on, lang)))
    if context.assessed_on:
        found.append(Line(label["assessed"], programme_parts.date_text(context.assessed_on, lang)))
    due = programme_parts.next_review(content, context)
    if due:
        found.append(Line(label["next_review"], programme_parts.date_text(due, lang)))
    return tuple(found)


def with_ids(text: str, evidence: Iterable[str], _: Gettext) -> str:
    ids = ", ".join(evidence)
    return _(wording.EVIDENCE_IDS).format(text=text, ids=ids) if ids else text


def reasons(content: Mapping[str, Any], lang: str) -> tuple[str, ...]:
    _ = translator(lang)
    notes = content["reasons"]
    return tuple(with_ids(programme_parts.note_text(r, lang), r["evidence"], _) for r in notes)


def part(
    base: Part,
    c: Mapping[str, Any],
    week: int,
    lang: str,
    library: exercise_library.Library | None,
) -> Part:
    _ = translator(lang)
    return dataclasses.replace(
        base,
        lines=_lines(c, lang),
        why=tuple(
            with_ids(programme_parts.note_text(n, lang, library), n.get("evidence") or (), _)
            for n in c.get("rationale") or ()
        ),
        evidence=tuple(c.get("evidence") or ()),
        phases=tuple(_phase(s, week, lang) for s in c.get("progression") or ()),
        doses=tuple(
            DoseRow(
                name=f"{n.number}. {n.card.name}",
                dose=n.card.dose,
                side=n.card.side,
                load=n.card.load,
                minutes=programme_parts.number(n.card.minutes, 1),
            )
            for n in base.cards
        ),
    )


def _lines(c: Mapping[str, Any], lang: str) -> tuple[Line, ...]:
    """The component's whole range, as the engine drafted it."""
    _ = translator(lang)
    label = {k: _(v) for k, v in wording.LINES.items()}
    i, span = c["intensity"], programme_parts.span_text
    sep, often = words.separator(lang), wording.TIMES_A_WEEK
    lines = [
        Line(label["how_often"], _(often).format(times=span(c["sessions_per_week"], _))),
        Line(
            label["how_long"], _(wording.MINUTES).format(minutes=span(c["minutes_per_session"], _))
        ),
        Line(
            label["modalities"], sep.join(_(labels.MODALITIES.get(m, m)) for m in c["modalities"])
        ),
    ]
    if i.get("hr_bpm"):
        basis = _(labels.HR_BASIS.get(i.get("hr_basis", ""), labels.HR_BASIS["not_applicable"]))
        lines.append(
            Line(
                label["hr_range"],
                _(wording.HR_WITH_BASIS).format(range=span(i["hr_bpm"], _), basis=basis),
            )
        )
    if i.get("percent_hrr"):
        percent = _(wording.PERCENT).format(percent=span(i["percent_hrr"], _, 1))
        lines.append(Line(label["percent_hrr"], percent))
    if i.get("rpe"):
        lines.append(Line(label["rpe"], span(i["rpe"], _)))
    if i.get("percent_mep"):
        lines.append(Line(label["device"], _device(i, _)))
    if c.get("sets"):
        lines.append(Line(label["sets"], f"{span(c['sets'], _)} × {span(c.get('repetitions'), _)}"))
    lines += _muscles(c, lang, label)
    if c.get("range_of_motion_only"):
        rom = sep.join(words.muscle(m, _) for m in c["range_of_motion_only"])
        lines.append(Line(label["rom_only"], rom))
    constraints = [
        _(labels.CONSTRAINTS[k]) for k in c.get("constraints") or () if k in labels.CONSTRAINTS
    ]
    if constraints:
        lines.append(Line(label["keep_in_mind"], programme_parts.clauses(constraints, lang)))
    if c.get("setting") in labels.SETTINGS:
        lines.append(Line(label["where"], programme_parts.label(labels.SETTINGS, c["setting"], _)))
    return tuple(lines)


def _device(i: Mapping[str, Any], _: Gettext) -> str:
    percent = programme_parts.span_text(i["percent_mep"], _, 1)
    pressure = i.get("device_pressure_cmh2o")
    if pressure is None:
        return _(wording.MEP_NO_SETTING).format(percent=percent)
    return _(wording.MEP_SETTING).format(percent=percent, pressure=programme_parts.number(pressure))


def _muscles(c: Mapping[str, Any], lang: str, label: Mapping[str, str]) -> list[Line]:
    _ = translator(lang)
    rows = words.muscles_by_load(c, lang, _)
    return [
        Line(label["muscles_with_load"].format(load=load) if load else label["muscles"], groups)
        for load, groups in rows
    ]


def _phase(step: Mapping[str, Any], week: int, lang: str) -> PhaseRow:
    _, span = translator(lang), programme_parts.span_text
    first, last = step["weeks"]["from"], step["weeks"]["to"]
    parts = [
        _(wording.PER_WEEK).format(times=span(step["sessions_per_week"], _)),
        _(wording.MINUTES_SHORT).format(minutes=span(step["minutes_per_session"], _)),
    ]
    if step.get("hr_bpm"):
        parts.append(_(wording.BPM).format(bpm=span(step["hr_bpm"], _)))
    if step.get("sets"):
        parts.append(f"{span(step['sets'], _)} × {span(step.get('repetitions'), _)}")
    note = labels.STEP_NOTES.get(step.get("note") or "")
    return PhaseRow(
        weeks=_(wording.WEEKS_RANGE).format(first=first, last=last),
        dose=programme_parts.phrase(parts, lang),
        note=_(note) if note else "",
        current=first <= week <= last,
    )


def follow_up(content: Mapping[str, Any], lang: str) -> tuple[str, ...]:
    """What is recorded and when the plan is reviewed: the Markdown's words (prescription_md)."""
    _, m = translator(lang), content["monitoring"]

    def say(key: str) -> str:
        return programme_parts.label(prescription_md.UI, key, _)

    sep, colon = words.separator(lang), programme_parts.colon(lang)
    per_session = sep.join(_(labels.MONITORING.get(k, k)) for k in m["per_session"])
    per_review = sep.join(_(labels.MONITORING.get(k, k)) for k in m["per_review"])
    weeks = programme_parts.review_weeks(content)
    lines = [
        say("record_after_each_session") + colon + per_session,
        say("reassess_every_weeks_weeks").format(weeks=weeks) + colon + per_review,
    ]
    if m.get("programme_review_every_weeks"):
        weeks = m["programme_review_every_weeks"]
        lines.append(say("professional_review_weeks").format(weeks=weeks))
    if m.get("remeasure_mep_every_weeks"):
        lines.append(say("remeasure_mep_weeks").format(weeks=m["remeasure_mep_every_weeks"]))
    return tuple(lines)


def cited(content: Mapping[str, Any]) -> list[str]:
    """Every evidence id the document cites, sorted."""
    found: set[str] = set(content["monitoring"].get("evidence") or ())
    for c in content["components"]:
        found |= set(c.get("evidence") or ())
        found |= {e for n in c.get("rationale") or () for e in n.get("evidence") or ()}
    for key in ("reasons", "stop_rules"):
        found |= {e for n in content.get(key) or () for e in n.get("evidence") or ()}
    return sorted(found)


def references(content: Mapping[str, Any], lang: str) -> tuple[Reference, ...]:
    base = evidence_base.load()
    found = []
    for record_id in cited(content):
        if record_id not in base:
            continue
        record = base.get(record_id)
        if isinstance(record, evidence_base.Recommendation):
            text = record.statement_zh if lang == "zh" else record.statement_en
        else:
            summary = record.summary_zh if lang == "zh" else record.summary_en
            text = f"{record.citation()} — {summary}"
        found.append(Reference(record_id, text))
    return tuple(found)
