"""The JSON document of a prescription (its keys are a stable contract; more may be added)."""

from __future__ import annotations

import copy
import dataclasses
import functools
from collections.abc import Mapping
from typing import Any

from alsrx import __version__
from alsrx.domain.prescription.model import Component, Day, Note, Prescription, Span, Step
from alsrx.domain.prescription.params import EngineSettings
from alsrx.i18n import translator
from alsrx.render import prescription_labels as labels
from alsrx.render import words
from alsrx.render.rounding import round_down, round_half_up


def _span(span: Span | None, places: int = 1) -> dict[str, float | None] | None:
    if span is None:
        return None
    # The upper end is a safety ceiling: shown rounded down, never above the computed value. A
    # band narrower than the rounding (72.65-72.9 bpm, a heart-rate reserve of 10 beats) would
    # read 73-72: its lower end is then the ceiling, so the range is never inverted.
    low, high = round_half_up(span.min, places), round_down(span.max, places)
    if low is not None and high is not None and low > high:
        low = high
    return {"min": low, "max": high}


def note_message(note: Note, lang: str, table: dict[str, str] | None = None) -> str:
    return code_message(note.code, note.params, lang, table)


def code_message(
    code: str, params: Mapping[str, object], lang: str, table: dict[str, str] | None = None
) -> str:
    """A note's words from its code and parameters (stored notes too), codes in words."""
    template = (table or labels.REASONS).get(code)
    if template is None:
        return code
    try:
        key = tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items())
        return _message(template, key, lang)
    except TypeError:  # a parameter that cannot be a cache key (a stored dict): no cache
        return words.message(template, params, lang, translator(lang))


@functools.lru_cache(maxsize=4096)
def _message(template: str, params: tuple[tuple[str, object], ...], lang: str) -> str:
    # The same notes recur across patients (a batch, the follow-up's re-drafts): rendering
    # them, muscle by muscle through the catalog, was a third of a prescription's cost.
    return words.message(template, dict(params), lang, translator(lang))


def _note(note: Note, lang: str, table: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "code": note.code,
        "level": note.level.value,
        "message": note_message(note, lang, table),
        "evidence": list(note.evidence),
        "params": {k: list(v) if isinstance(v, tuple) else v for k, v in note.params.items()},
    }


def _step(step: Step) -> dict[str, Any]:
    return {
        "weeks": {"from": step.first_week, "to": step.last_week},
        "sessions_per_week": _span(step.sessions_per_week, 0),
        "minutes_per_session": _span(step.minutes_per_session, 0),
        "percent_hrr": _span(step.percent_hrr),
        "hr_bpm": _span(step.hr_bpm, 0),
        "sets": _span(step.sets, 0),
        "repetitions": _span(step.repetitions, 0),
        "note": step.note,
    }


def _component(c: Component, lang: str) -> dict[str, Any]:
    i = c.intensity
    return {
        "type": c.type.value,
        "sessions_per_week": _span(c.sessions_per_week, 0),
        "minutes_per_session": _span(c.minutes_per_session, 0),
        "intensity": {
            "hr_bpm": _span(i.hr_bpm, 0),
            "hr_basis": i.hr_basis,
            "percent_hrr": _span(i.percent_hrr),
            "rpe": _span(i.rpe, 0),
            "percent_mep": _span(i.percent_mep),
            "device_pressure_cmh2o": i.device_pressure_cmh2o,
            "load": i.load,
        },
        "modalities": list(c.modalities),
        "muscle_groups": list(c.muscle_groups),
        "range_of_motion_only": list(c.range_of_motion_only),
        "muscle_loads": dict(c.muscle_loads),
        "sets": _span(c.sets, 0),
        "repetitions": _span(c.repetitions, 0),
        "rest_seconds": _span(c.rest_seconds, 0),
        "progression": [_step(s) for s in c.progression],
        "constraints": list(c.constraints),
        "setting": c.setting,
        "requires_clinician_review": c.requires_clinician_review,
        "evidence": list(c.evidence),
        "rationale": [_note(n, lang) for n in c.rationale],
        "exercises": [dataclasses.asdict(e) for e in c.exercises],
    }


def _day(day: Day) -> dict[str, Any]:
    return {
        "day": day.day,
        "components": [t.value for t in day.components],
        "minutes_max": day.minutes_max,
        "twice": [t.value for t in day.twice],
    }


def to_json(p: Prescription, *, settings: EngineSettings, lang: str = "en") -> dict[str, Any]:
    return {
        "alsrx_version": __version__,
        "status": p.status.value,
        "reasons": [_note(n, lang) for n in p.reasons],
        "components": [_component(c, lang) for c in p.components],
        "session_order": [t.value for t in p.session_order],
        "weekly_schedule": [_day(d) for d in p.weekly_schedule],
        "stop_rules": [_note(n, lang, labels.STOP_RULES) for n in p.stop_rules],
        "monitoring": {
            "per_session": list(p.monitoring.per_session),
            "per_review": list(p.monitoring.per_review),
            "review_every_weeks": p.monitoring.review_every_weeks,
            "programme_review_every_weeks": p.monitoring.programme_review_every_weeks,
            "remeasure_mep_every_weeks": p.monitoring.remeasure_mep_every_weeks,
            "evidence": list(p.monitoring.evidence),
        },
        "review_after_weeks": p.review_after_weeks,
        "current_week": p.current_week,
        "early_disease": p.early_disease,
        "trace": [_note(n, lang) for n in p.trace],
        "settings": vars(settings).copy(),
    }


WORDED = {"reasons": None, "stop_rules": labels.STOP_RULES, "trace": None}


def to_stored(p: Prescription, *, settings: EngineSettings) -> dict[str, Any]:
    """The document as stored: codes and values only, no sentence in any language (a stored
    English sentence could not be shown in Chinese); `worded` adds them when it is read."""
    doc = to_json(p, settings=settings)
    for notes in _note_lists(doc):
        for note in notes:
            note.pop("message", None)
    return doc


def worded(doc: dict[str, Any], lang: str) -> dict[str, Any]:
    """A stored document with every note's message in the reader's language (a copy)."""
    out = copy.deepcopy(doc)
    for key, table in WORDED.items():
        for note in out.get(key, ()):
            note["message"] = code_message(note["code"], note.get("params", {}), lang, table)
    for component in out.get("components", ()):
        for note in component.get("rationale", ()):
            note["message"] = code_message(note["code"], note.get("params", {}), lang)
    return out


def _note_lists(doc: dict[str, Any]) -> list[list[dict[str, Any]]]:
    lists = [doc.get(key, []) for key in WORDED]
    return lists + [c.get("rationale", []) for c in doc.get("components", [])]
