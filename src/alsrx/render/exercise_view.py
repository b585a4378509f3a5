"""An exercise as a person reads it: one card per chosen exercise, in the reader's language.

The one place a stored exercise dose (codes and numbers, prescription content `exercises`) and
its library entry become words: the patient's Today page, the clinician's prescription page, the
markdown and both handouts take their cards from here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from alsrx.domain.exercises import library as library_mod
from alsrx.i18n import N_, translator
from alsrx.render import figures, words
from alsrx.render import prescription_labels as labels

DOSE = {
    "reps": N_("{sets} × {repetitions} times"),
    "reps_one_set": N_("{repetitions} times"),
    "hold": N_("{sets} × hold {seconds} seconds"),
    "hold_one_set": N_("hold {seconds} seconds"),
    "continuous": N_("{minutes} minutes"),
    "holds": N_("{sets} × {repetitions} holds of {seconds} seconds"),
    "holds_one_set": N_("{repetitions} holds of {seconds} seconds"),
    "hold_minutes": N_("stay like this for {minutes} minutes"),
}
SIDE = {
    "both": N_("each side"),
    "left": N_("left side only"),
    "right": N_("right side only"),
    "none": "",
}
HELPER = {
    "alone": N_("on your own"),
    "with_caregiver": N_("with someone beside you"),
    "by_caregiver": N_("your caregiver moves the limb for you"),
}
POSITION = {
    "standing": N_("standing"),
    "sitting": N_("sitting"),
    "lying": N_("lying on your back"),
    "in_bed": N_("in bed, head raised"),
}
BREATHING = {
    "breathe_out_on_effort": N_("Breathe out as you make the effort; never hold your breath."),
    "breathe_steadily": N_("Keep breathing steadily; never hold your breath."),
    "slow_deep_breaths": N_("Breathe slowly and deeply; never hold your breath."),
    "device_breath": N_("Breathe in deeply, then blow out hard and fast into the trainer."),
}
LOAD = {
    "none": "",
    "against_gravity_only": labels.LOADS["against_gravity_only"],
    "light_added_load": labels.LOADS["light_added_load"],
    "device_setting": N_("at the trainer's setting on your plan"),
}
PROPS = {
    "chair": N_("a sturdy chair"),
    "armchair": N_("a chair with armrests"),
    "table": N_("a table"),
    "bed": N_("a bed"),
    "mat": N_("a mat"),
    "pillow": N_("a pillow"),
    "towel": N_("a towel"),
    "wall": N_("a wall"),
    "rail": N_("a rail or a kitchen counter"),
    "walking_aid": N_("your walking aid"),
    "water_bottle": N_("a small water bottle"),
    "ball": N_("a soft ball"),
    "step": N_("a low step"),
}
SECONDS_AS_MINUTES = 120
CREDIT = N_("Illustration: {author}, {licence}")
# The library's authors, in words (a name the catalog knows is translated).
AUTHORS = {"alsrx project": N_("alsrx project")}


@dataclass(frozen=True)
class Card:
    id: str
    name: str
    steps: tuple[str, ...]
    dose: str
    side: str
    load: str
    breathing: str
    cautions: tuple[str, ...]
    helper: str
    position: str
    needs: tuple[str, ...]
    easier: str | None  # the easier variant's name
    figure_svg: str
    figure_credit: str
    minutes: float


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def dose_text(d: Mapping[str, Any], _: Callable[[str], str]) -> str:
    """ "2 × 10 times", "hold 30 seconds", "15 minutes": the dose as people write it."""
    sets, reps, hold = d.get("sets") or 1, d.get("repetitions"), d.get("hold_seconds")
    if reps is not None and hold is not None:
        key = "holds" if sets > 1 else "holds_one_set"
        return _(DOSE[key]).format(sets=sets, repetitions=reps, seconds=hold)
    if hold is not None and sets == 1 and hold >= SECONDS_AS_MINUTES and hold % 60 == 0:
        template = DOSE["hold_minutes"]  # "5 minutes", not 300 seconds
        return _(template).format(minutes=hold // 60)
    if reps is not None:
        key = "reps" if sets > 1 else "reps_one_set"
        return _(DOSE[key]).format(sets=sets, repetitions=reps)
    if hold is not None:
        key = "hold" if sets > 1 else "hold_one_set"
        return _(DOSE[key]).format(sets=sets, seconds=hold)
    template = DOSE["continuous"]
    return _(template).format(minutes=_number(float(d.get("minutes") or 0)))


def _label(table: Mapping[str, str], code: str, _: Callable[[str], str]) -> str:
    text = table.get(code, "")
    return _(text) if text else ""


def needs(e: library_mod.Exercise, _: Callable[[str], str]) -> tuple[str, ...]:
    found = [_label(labels.EQUIPMENT, code, _) for code in e.equipment]
    found += [_label(PROPS, code, _) for code in e.props]
    return tuple(t for t in found if t)


def card(
    d: Mapping[str, Any], *, lang: str, library: library_mod.Library | None = None
) -> Card | None:
    """The card of one stored exercise dose; None when the library no longer has the entry.
    `library`: the one the dose's id refers to, the project's by default (cached)."""
    lib = library_mod.default() if library is None else library
    e = lib.get(str(d.get("id")))
    if e is None:
        return None
    key = tuple(sorted((k, v) for k, v in d.items() if not isinstance(v, list | dict)))
    if library is None:
        return _card(e.id, key, lang)
    return _make(e, dict(key), lang, lib)


@functools.lru_cache(maxsize=2048)
def _card(exercise_id: str, key: tuple[tuple[str, Any], ...], lang: str) -> Card:
    lib = library_mod.default()
    return _make(lib.entries[exercise_id], dict(key), lang, lib)


def _make(
    e: library_mod.Exercise, d: Mapping[str, Any], lang: str, lib: library_mod.Library
) -> Card:
    _ = translator(lang)
    text = e.words(lang)
    easier = lib.get(e.easier) if e.easier else None
    author = _(AUTHORS[e.figure.author]) if e.figure.author in AUTHORS else e.figure.author
    credit = _(CREDIT).format(author=author, licence=e.figure.licence)
    return Card(
        id=e.id,
        name=text.name,
        steps=text.steps,
        dose=dose_text(d, _),
        side=_label(SIDE, str(d.get("side", "none")), _),
        load=_label(LOAD, str(d.get("load", "none")), _),
        breathing=_label(BREATHING, e.breathing_cue, _),
        cautions=text.cautions,
        helper=_label(HELPER, e.helper, _),
        position=_label(POSITION, e.position, _),
        needs=needs(e, _),
        easier=easier.words(lang).name if easier else None,
        figure_svg=figures.svg(e, title=text.name, lang=lang),
        figure_credit=credit,
        minutes=float(d.get("minutes") or 0),
    )


def cards(
    component: Mapping[str, Any], *, lang: str, library: library_mod.Library | None = None
) -> list[Card]:
    """The cards of a stored component's exercises, in the order they are done."""
    found = (card(d, lang=lang, library=library) for d in component.get("exercises", ()))
    return [c for c in found if c is not None]


def separator(lang: str) -> str:
    return words.separator(lang)
