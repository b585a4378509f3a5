"""The whole prescription as a printed document reads it: one view-model, in one language,
for the patient's handout or the clinician's sheet (reports/handout.py prints it).

`build` takes the stored content (render/prescription_json.to_json) and what the content does
not hold (`HandoutContext`: names, phones, approval, dates) and returns every word already in
the reader's language; the templates only lay it out. The patient's handout names no evidence
ids and no codes. Numbers go through render/rounding.py: a ceiling is rounded down, never
shown above its value. The phase, the heart-rate ceiling and the stop rules are those of the
week the version was approved in, read through domain/followup/plan.py, the one owner of the
phase a version is held to, so the paper and the Today page cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from alsrx.domain.exercises import library as exercise_library
from alsrx.domain.followup import plan as plan_mod
from alsrx.i18n import translator
from alsrx.render import (
    effort_words,
    exercise_view,
    prescription_json,
    programme_clinician,
    programme_parts,
    programme_week,
    symptom_advice,
    words,
)
from alsrx.render import prescription_labels as labels
from alsrx.render import programme_words as wording
from alsrx.render.programme_parts import HandoutContext as HandoutContext
from alsrx.render.programme_parts import Line, NumberedCard, Part, Reference

Audience = Literal["patient", "clinician"]
AUDIENCES = ("patient", "clinician")
LANGS = ("en", "zh")
Gettext = Callable[[str], str]


@dataclass(frozen=True)
class Safety:
    emergency: str  # always first: the emergency number, or "your local emergency number"
    clinic: str | None
    rules: tuple[str, ...]


@dataclass(frozen=True)
class Programme:
    lang: str
    audience: str
    key: tuple[object, ...] | None  # what a rendered copy may be cached under; None: never
    title: str
    centre: str | None
    version_line: str
    banners: tuple[str, ...]
    facts: tuple[Line, ...]
    plan: tuple[str, ...]  # the phase, when it changes, the start
    effort: str | None
    heart_rate: str | None
    review: str
    safety: Safety
    week: programme_week.Week | None
    parts: tuple[Part, ...]
    log: programme_week.LogSheet | None
    reasons: tuple[str, ...]
    follow_up: tuple[str, ...]
    references: tuple[Reference, ...]
    words: Mapping[str, str] = field(default_factory=dict)
    footer: str = ""
    page_of: str = ""


def build(
    content: Mapping[str, Any],
    *,
    lang: str,
    audience: Audience,
    context: HandoutContext,
    library: exercise_library.Library | None = None,
) -> Programme:
    """The printed programme of one stored prescription, in `lang`, for `audience`.
    `library`: the exercise library the content's ids refer to (the project's by default)."""
    if lang not in LANGS:
        raise ValueError(f"unsupported language {lang!r}")
    if audience not in AUDIENCES:
        raise ValueError(f"unsupported audience {audience!r}")
    _ = translator(lang)
    week = int(content.get("current_week", 1))
    parts = _parts(content, week, lang, audience, library)
    clinician = audience == "clinician"
    return Programme(
        lang=lang,
        audience=audience,
        key=_key(context, lang, audience) if library is None else None,
        title=_(wording.TITLE[audience]),
        centre=context.centre_name,
        version_line=_version_line(context, lang),
        banners=_banners(content, context, audience, lang),
        facts=programme_clinician.facts(content, context, lang) if clinician else (),
        plan=_plan_lines(content, context, week, lang, audience),
        effort=_effort(content, _),
        heart_rate=_heart_rate(content, week, _),
        review=_review(content, context, lang),
        safety=_safety(content, context, week, lang),
        week=programme_week.week(content, week, parts, _),
        parts=parts,
        log=None if clinician else programme_week.log(content, _),
        reasons=programme_clinician.reasons(content, lang) if clinician else (),
        follow_up=programme_clinician.follow_up(content, lang) if clinician else (),
        references=programme_clinician.references(content, lang) if clinician else (),
        words=_words(lang),
        footer=_footer(context, _),
        page_of=_(wording.PAGE_OF),
    )


def _words(lang: str) -> dict[str, str]:
    """The headings, and the language's punctuation for the templates' labels and lists."""
    _ = translator(lang)
    found = {k: _(v) for k, v in wording.HEADINGS.items()}
    punctuation = {
        "colon": programme_parts.colon(lang),
        "sep": words.separator(lang),
        "comma": programme_parts.comma(lang),
    }
    return found | punctuation


def _key(context: HandoutContext, lang: str, audience: str) -> tuple[object, ...] | None:
    """(prescription id, version, language, audience) and a digest of the context, which a
    centre's new phone number changes though the version's content cannot."""
    if context.prescription_id is None:
        return None
    digest = hashlib.sha256(repr(context).encode()).hexdigest()[:16]
    return (context.prescription_id, context.version, lang, audience, digest)


# ---- the plan's state ---------------------------------------------------------------------


def _version_line(context: HandoutContext, lang: str) -> str:
    _ = translator(lang)
    if context.approved_at is None:
        return _(wording.VERSION_DRAFT).format(version=context.version)
    day = programme_parts.date_text(context.approved_at, lang)
    return _(wording.VERSION_LINE).format(version=context.version, date=day)


def _banners(
    content: Mapping[str, Any], context: HandoutContext, audience: str, lang: str
) -> tuple[str, ...]:
    """What the top of the sheet must say first: not the current plan, or exercise paused."""
    _, colon = translator(lang), programme_parts.colon(lang)
    found = []
    if context.status != "active":
        # The patient's paper knows two cases: not approved yet, or replaced by a newer plan.
        shown = "superseded" if context.status == "superseded" else "draft"
        key = f"{audience}_{context.status if audience == 'clinician' else shown}"
        found.append(_(wording.BANNERS.get(key, wording.BANNERS[f"{audience}_draft"])))
    if content.get("paused"):
        title = programme_parts.label(wording.BANNERS, "paused_title", _)
        found.append(title + colon + programme_parts.label(wording.BANNERS, "paused", _))
    if content.get("standing_paused"):
        found.append(programme_parts.label(wording.BANNERS, "standing_paused", _))
    return tuple(found)


def phase_bounds(content: Mapping[str, Any], week: int) -> tuple[int, int, int, int | None]:
    """(stage, stages, first week, last week or None) of the phase covering `week`."""
    starts = plan_mod.phase_starts(content) or [week]
    stage = max(1, sum(1 for s in starts if s <= week))
    first = max([s for s in starts if s <= week], default=week)
    following = plan_mod.next_phase_week(content, week)
    ends = [
        int(s["weeks"]["to"]) for c in content["components"] for s in c.get("progression") or []
    ]
    last = following - 1 if following is not None else (max(ends) if ends else None)
    return stage, len(starts), first, last


def _plan_lines(
    content: Mapping[str, Any], context: HandoutContext, week: int, lang: str, audience: str
) -> tuple[str, ...]:
    _ = translator(lang)
    say = {k: _(v) for k, v in wording.PHASES[audience].items()}
    lines = []
    if context.started_on is not None and audience == "patient":
        lines.append(
            _(wording.STARTED_ON).format(date=programme_parts.date_text(context.started_on, lang))
        )
    if not plan_mod.phase_starts(content):
        return (*lines, say["one"])
    stage, stages, first, last = phase_bounds(content, week)
    template = say["phase"] if last is not None else say["open"]
    lines.append(template.format(stage=stage, stages=stages, first=first, last=last))
    following = plan_mod.next_phase_week(content, week)
    if following is None:
        lines.append(say["last"])
    elif context.started_on is not None:
        begins = context.started_on + dt.timedelta(weeks=following - week)
        lines.append(say["next_on"].format(date=programme_parts.date_text(begins, lang)))
    else:
        lines.append(say["next_in_week"].format(week=following))
    return tuple(lines)


def _effort(content: Mapping[str, Any], _: Gettext) -> str | None:
    spans = [c["intensity"].get("rpe") for c in content["components"]]
    found = next((s for s in spans if s), None)
    if not found:
        return None
    low, high = int(found["min"] or found["max"]), int(found["max"] or found["min"])
    return _(wording.EFFORT).format(
        range=programme_parts.span_text(found, _),
        low_words=effort_words.words_for(low, _),
        high_words=effort_words.words_for(high, _),
    )


def _heart_rate(content: Mapping[str, Any], week: int, _: Gettext) -> str | None:
    ceiling = plan_mod.hr_ceiling(content, week)  # the one number, the same as the stop rule's
    return _(wording.HEART_RATE).format(bpm=ceiling.bpm) if ceiling else None


def _review(content: Mapping[str, Any], context: HandoutContext, lang: str) -> str:
    _ = translator(lang)
    due = programme_parts.next_review(content, context)
    if due is None:
        return _(wording.REVIEW_IN).format(weeks=programme_parts.review_weeks(content))
    return _(wording.REVIEW_ON).format(date=programme_parts.date_text(due, lang))


def _safety(content: Mapping[str, Any], context: HandoutContext, week: int, lang: str) -> Safety:
    _ = translator(lang)
    rules = plan_mod.stop_rules_for_week(content, week)
    return Safety(
        emergency=symptom_advice.emergency_text(context.emergency_number, lang),
        clinic=_(wording.CLINIC_PHONE).format(phone=context.clinic_phone)
        if context.clinic_phone
        else None,
        rules=tuple(
            prescription_json.code_message(r["code"], r.get("params", {}), lang, labels.STOP_RULES)
            for r in rules
        ),
    )


def _footer(context: HandoutContext, _: Gettext) -> str:
    """The emergency number first, then the clinic's phone, on every page."""
    emergency = (
        _(wording.FOOTER_EMERGENCY).format(number=context.emergency_number)
        if context.emergency_number
        else _(wording.FOOTER_LOCAL_EMERGENCY)
    )
    if not context.clinic_phone:
        return emergency
    return f"{emergency} · {_(wording.CLINIC_PHONE).format(phone=context.clinic_phone)}"


# ---- the parts and their cards ----------------------------------------------------------


def _parts(
    content: Mapping[str, Any],
    week: int,
    lang: str,
    audience: str,
    library: exercise_library.Library | None,
) -> tuple[Part, ...]:
    _ = translator(lang)
    parts, counter = [], 0
    printed: dict[tuple[str, str], int] = {}  # (exercise, dose) -> the number printed in full
    for c in programme_week.present(content):
        cards = exercise_view.cards(c, lang=lang, library=library)
        numbered = []
        for i, card in enumerate(cards, start=1):
            dose = _dose_with_side(card, lang)
            number = counter + i
            earlier = printed.get((card.id, dose))
            text = _(wording.SAME_AS).format(number=earlier, dose=dose) if earlier else ""
            numbered.append(NumberedCard(number, card, dose, earlier, text))
            printed.setdefault((card.id, dose), number)
        counter += len(numbered)
        part = Part(
            type=c["type"],
            title=programme_parts.label(labels.COMPONENTS, c["type"], _),
            lines=_patient_lines(c, week, lang),
            cards=tuple(numbered),
            cards_label=_cards_label(numbered, _),
        )
        if audience == "clinician":
            part = programme_clinician.part(part, c, week, lang, library)
        parts.append(part)
    return tuple(parts)


def _dose_with_side(card: exercise_view.Card, lang: str) -> str:
    return programme_parts.phrase((card.dose, card.side), lang)


def _cards_label(cards: Sequence[NumberedCard], _: Gettext) -> str:
    if not cards:
        return ""
    first, last = cards[0].number, cards[-1].number
    if first == last:
        return _(wording.CARD_NUMBER).format(number=first)
    return _(wording.CARD_RANGE).format(first=first, last=last)


def _patient_lines(c: Mapping[str, Any], week: int, lang: str) -> tuple[Line, ...]:
    """The dose of the phase covering `week`, in plain words."""
    _ = translator(lang)
    target = plan_mod.planned(c, week)
    label = {k: _(v) for k, v in wording.LINES.items()}
    lines = [
        Line(
            label["how_often"],
            programme_parts.sessions_text(
                target.sessions_per_week_min, target.sessions_per_week_max, _
            ),
        ),
        Line(
            label["how_long"],
            _(wording.MINUTES).format(
                minutes=programme_parts.span_text(
                    {"min": target.minutes_min, "max": target.minutes_max}, _
                )
            ),
        ),
    ]
    rpe = c["intensity"].get("rpe")
    if rpe:
        effort = _(wording.EFFORT_SHORT).format(range=programme_parts.span_text(rpe, _))
        lines.append(Line(label["effort"], effort))
    pressure = c["intensity"].get("device_pressure_cmh2o")
    if pressure is not None:
        lines.append(
            Line(
                label["trainer"],
                _(wording.TRAINER_SETTING).format(pressure=programme_parts.number(pressure)),
            )
        )
    constraints = [
        _(labels.CONSTRAINTS[k]) for k in c.get("constraints") or () if k in labels.CONSTRAINTS
    ]
    if constraints:
        lines.append(Line(label["keep_in_mind"], programme_parts.clauses(constraints, lang)))
    if c.get("setting") in labels.SETTINGS:
        lines.append(Line(label["where"], programme_parts.label(labels.SETTINGS, c["setting"], _)))
    return tuple(lines)
