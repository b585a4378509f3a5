"""The pieces of the printed programme (render/programme_view.py) and the one way its numbers,
ranges and dates are written: shared by the patient's handout and the clinician's sheet
(render/programme_clinician.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from babel import dates as babel_dates

from alsrx.domain import reassessment
from alsrx.domain.exercises import library as exercise_library
from alsrx.i18n import locale_for
from alsrx.render import exercise_view, prescription_json
from alsrx.render import programme_words as wording
from alsrx.render.rounding import round_down, round_half_up

Gettext = Callable[[str], str]


@dataclass(frozen=True)
class HandoutContext:
    """What a printed plan says that its stored content does not hold."""

    prescription_id: str | None = None  # None: not stored (the CLI), never cached
    version: int = 1
    status: str = "draft"  # the stored status: draft, active, superseded, rejected
    patient_name: str | None = None  # printed on the clinician's sheet only
    centre_name: str | None = None
    clinic_phone: str | None = None
    emergency_number: str | None = None
    approved_by: str | None = None
    approved_at: dt.datetime | None = None
    started_on: dt.date | None = None  # the plan's first day (the day it was approved)
    assessed_on: dt.date | None = None  # the assessment the plan was drafted from


@dataclass(frozen=True)
class Line:
    label: str
    text: str


@dataclass(frozen=True)
class NumberedCard:
    number: int
    card: exercise_view.Card
    dose: str  # the dose with its side: "2 × 10 times, each side"
    same_as: int | None = None  # printed in full already, at this number (a shared warm-up)
    same_as_text: str = ""  # "The same as exercise 11: 10 times."


@dataclass(frozen=True)
class PhaseRow:
    weeks: str
    dose: str
    note: str
    current: bool


@dataclass(frozen=True)
class DoseRow:
    name: str
    dose: str
    side: str
    load: str
    minutes: str


@dataclass(frozen=True)
class Part:
    """One component of the plan: its dose in words and its exercise cards."""

    type: str
    title: str
    lines: tuple[Line, ...]
    cards: tuple[NumberedCard, ...]
    cards_label: str  # "Exercises 1–6", "" when none is named
    why: tuple[str, ...] = ()  # clinician: the rationale, each with its evidence ids
    evidence: tuple[str, ...] = ()
    phases: tuple[PhaseRow, ...] = ()
    doses: tuple[DoseRow, ...] = ()


@dataclass(frozen=True)
class Reference:
    id: str
    text: str


# ---- numbers and dates ------------------------------------------------------------------


def number(value: float | None, places: int = 0, *, ceiling: bool = False) -> str:
    """A number as people write it: rounded by the one rule, whole numbers without ".0"."""
    if value is None:
        return ""
    shown = (round_down if ceiling else round_half_up)(float(value), places)
    assert shown is not None
    return str(int(shown)) if shown.is_integer() else str(shown)


def span_text(span: Mapping[str, Any] | None, _: Gettext, places: int = 0) -> str:
    """ "11–13", "up to 150", "at least 3", "20"; "" for no span."""
    if not span or (span.get("min") is None and span.get("max") is None):
        return ""
    low, high = span.get("min"), span.get("max")
    if low is None:
        return _(wording.UP_TO).format(high=number(high, places, ceiling=True))
    if high is None:
        return _(wording.AT_LEAST).format(low=number(low, places))
    low_text, high_text = number(low, places), number(high, places, ceiling=True)
    return low_text if low_text == high_text else f"{low_text}–{high_text}"


def date_text(day: dt.date | dt.datetime | None, lang: str) -> str:
    if day is None:
        return ""
    return babel_dates.format_date(day, format="long", locale=locale_for(lang))


def sessions_text(low: float | None, high: float | None, _: Gettext) -> str:
    """How often, as people say it: "every day", "twice a day", "3–4 times a week"."""
    daily = {
        (7, 7): wording.EVERY_DAY,
        (14, 14): wording.TWICE_A_DAY,
        (7, 14): wording.ONCE_OR_TWICE_A_DAY,
    }
    key = (int(low or 0), int(high or low or 0))
    if key in daily:
        return _(daily[key])
    return _(wording.TIMES_A_WEEK).format(times=span_text({"min": low, "max": high}, _))


def review_weeks(content: Mapping[str, Any]) -> int:
    """The version's reassessment interval; the domain's default for documents without one."""
    return int(content.get("review_after_weeks") or reassessment.EVERY_WEEKS)


def next_review(content: Mapping[str, Any], context: HandoutContext) -> dt.date | None:
    """The plan's assessment date plus its reassessment interval (domain/reassessment.py)."""
    if context.assessed_on is None:
        return None
    return context.assessed_on + dt.timedelta(weeks=review_weeks(content))


def label(table: Mapping[str, str], code: str, _: Gettext) -> str:
    """A code's words from its table, in the reader's language; the code itself if unknown."""
    return _(table[code]) if code in table else code


def comma(lang: str) -> str:
    """Between the parts of one phrase: the Chinese comma, not the list's "、"."""
    return "，" if lang == "zh" else ", "


def phrase(parts: Sequence[str], lang: str) -> str:
    """ "10 times, each side": the non-empty parts of one phrase."""
    return comma(lang).join(p for p in parts if p)


def colon(lang: str) -> str:
    """Between a label and its text: the full-width colon in Chinese, which needs no space."""
    return "：" if lang == "zh" else ": "


def clauses(texts: Sequence[str], lang: str) -> str:
    """Clauses of one sentence: "a; b" in English, "a；b" in Chinese."""
    return ("；" if lang == "zh" else "; ").join(texts)


def note_text(
    note: Mapping[str, Any], lang: str, library: exercise_library.Library | None = None
) -> str:
    """A stored note in words (prescription_labels owns every note's wording; exercises are
    named by render/words.py)."""
    del library
    return prescription_json.code_message(str(note["code"]), dict(note.get("params") or {}), lang)
