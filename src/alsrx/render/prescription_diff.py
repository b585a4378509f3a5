"""What changed between two versions of a prescription, as sentences a clinician reads:
"Aerobic exercise: heart-rate ceiling 149 → 153 bpm", "Exercise added: Sit to stand".

The changes themselves are domain/followup/proposals.diff's ({path, old, new}); this module
only words them, in the reader's language, with the units and ranges of the printed plan
(render/programme_parts.py: one way to write a range, one rounding rule). The domain's diff
names no exercises, so `changes` adds one entry per component whose exercise list differs.
A path this module does not know is still a sentence ("Aerobic exercise: changed"), never the
path itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from alsrx.domain.followup import proposals
from alsrx.i18n import N_, translator
from alsrx.render import exercise_labels, exercise_view, programme_parts, words
from alsrx.render import prescription_labels as labels
from alsrx.render import programme_words as wording

Gettext = Callable[[str], str]

CHANGE = N_("{what} {old} → {new}")
IN_COMPONENT = N_("{component}: {field}")
FIELDS = {
    "sessions_per_week": N_("sessions a week"),
    "minutes_per_session": N_("minutes a session"),
    "hr_bpm": N_("heart-rate range"),
    "hr_ceiling": N_("heart-rate ceiling"),
    "rpe": N_("effort on the Borg 6–20 scale"),
    "percent_mep": N_("breathing trainer load (% of MEP)"),
}
NONE = N_("none")
SAID = {
    "component_added": N_("Component added: {component}"),
    "component_removed": N_("Component removed: {component}"),
    "modalities_added": N_("{component}: activity added: {items}"),
    "modalities_removed": N_("{component}: activity removed: {items}"),
    "muscles_added": N_("{component}: muscle groups added: {items}"),
    "muscles_removed": N_("{component}: muscle groups removed: {items}"),
    "progression": N_("{component}: the week-by-week plan changed"),
    "exercise_added": N_("Exercise added: {exercise} ({component})"),
    "exercise_removed": N_("Exercise removed: {exercise} ({component})"),
    "exercise_dose": N_("Exercise dose: {exercise} {old} → {new}"),
    "status": N_("Engine status: {old} → {new}"),
    "current_week": N_("Programme week {old} → {new}"),
    "paused": N_("Exercise paused"),
    "resumed": N_("Exercise resumed"),
    "standing_paused": N_("Standing, walking and balance work paused"),
    "standing_resumed": N_("Standing, walking and balance work resumed"),
    "component_changed": N_("{component}: changed"),
    "other": N_("Another part of the plan changed"),
}


def _say(key: str, _: Gettext) -> str:
    """A sentence of SAID in the reader's language (looked up by a variable: the catalog
    holds the sentences, not their keys)."""
    template = SAID[key]
    return _(template)


SOME_COMPONENT = N_("another component")


def changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The domain's diff of two contents, and which exercises each component gained or lost."""
    found = proposals.diff(old, new)
    before = {c["type"]: c for c in old.get("components") or ()}
    for c in new.get("components") or ():
        was = before.get(c["type"])
        if was is not None and (was.get("exercises") or []) != (c.get("exercises") or []):
            found.append(
                {
                    "path": f"components.{c['type']}.exercises",
                    "old": was.get("exercises") or [],
                    "new": c.get("exercises") or [],
                }
            )
    return found


def sentences(diff: Sequence[Mapping[str, Any]], lang: str) -> tuple[str, ...]:
    """Every change of a diff as sentences, in `lang`; repeated sentences once."""
    _ = translator(lang)
    found: list[str] = []
    for change in diff:
        found += _sentences(change, lang, _)
    return tuple(dict.fromkeys(found))


def _sentences(change: Mapping[str, Any], lang: str, _: Gettext) -> list[str]:
    path = str(change.get("path", ""))
    old, new = change.get("old"), change.get("new")
    top = _top_level(path, old, new, lang, _)
    if top is not None:
        return top
    head, _dot, rest = path.partition(".")
    kind, _dot, field = rest.partition(".")
    if head != "components" or not kind:
        return [_say("other", _)]
    component = _component(kind, _)
    if not field:
        key = "component_added" if old is None else "component_removed"
        return [_(SAID[key]).format(component=component)]
    field = field.removeprefix("intensity.")
    if field in ("sessions_per_week", "minutes_per_session", "hr_bpm", "rpe", "percent_mep"):
        return [_span_change(component, field, old, new, _)]
    if field == "modalities":
        return _lists(
            component, "modalities", old, new, lambda m: _label(labels.MODALITIES, m, _), lang
        )
    if field == "muscle_groups":
        return _lists(component, "muscles", old, new, lambda m: words.muscle(m, _), lang)
    if field == "progression":
        return [_say("progression", _).format(component=component)]
    if field == "exercises":
        return _exercises(component, old, new, lang, _)
    return [_say("component_changed", _).format(component=component)]


def _top_level(path: str, old: Any, new: Any, lang: str, _: Gettext) -> list[str] | None:
    if path == "status":
        status = {k: _label(labels.STATUS, str(v), _) for k, v in (("old", old), ("new", new))}
        return [_say("status", _).format(**status)]
    if path == "current_week":
        return [_say("current_week", _).format(old=_number(old, _), new=_number(new, _))]
    if path == "paused":
        return [_say("paused" if new else "resumed", _)]
    if path == "standing_paused":
        return [_say("standing_paused" if new else "standing_resumed", _)]
    return None


def _component(kind: str, _: Gettext) -> str:
    return _(labels.COMPONENTS[kind]) if kind in labels.COMPONENTS else _(SOME_COMPONENT)


def _label(table: Mapping[str, str], code: str, _: Gettext) -> str:
    return _(table[code]) if code in table else code.replace("_", " ")


def _number(value: Any, _: Gettext) -> str:
    return programme_parts.number(value) if isinstance(value, int | float) else _(NONE)


def _span_change(component: str, field: str, old: Any, new: Any, _: Gettext) -> str:
    """ "Aerobic exercise: heart-rate ceiling 149 → 153 bpm": a ceiling alone (no lower bound
    before or after) is named as one; other ranges as they are printed."""
    ceiling = field == "hr_bpm" and all(_is_ceiling(v) for v in (old, new))
    name = "hr_ceiling" if ceiling else field
    what = _(IN_COMPONENT).format(component=component, field=_(FIELDS[name]))
    if ceiling:
        return _(CHANGE).format(
            what=what,
            old=programme_parts.number(old["max"], ceiling=True),
            new=_(wording.BPM).format(bpm=programme_parts.number(new["max"], ceiling=True)),
        )
    return _(CHANGE).format(
        what=what, old=_value(field, old, _, unit=False), new=_value(field, new, _)
    )


def _is_ceiling(span: Any) -> bool:
    return isinstance(span, Mapping) and span.get("min") is None and span.get("max") is not None


def _value(field: str, span: Any, _: Gettext, *, unit: bool = True) -> str:
    """A range with its unit ("15–22 min", "up to 150 bpm"); the unit once, after the new value,
    unless the old one needs it to be read ("up to")."""
    text = (
        programme_parts.span_text(span, _, 1 if field == "percent_mep" else 0)
        if isinstance(span, Mapping)
        else ""
    )
    if not text:
        return _(NONE)
    if not unit and not text[:1].isdigit():
        unit = True  # "up to 150 bpm → 120–153 bpm": a worded range keeps its unit
    if not unit:
        return text
    units = {
        "minutes_per_session": wording.MINUTES_SHORT,
        "hr_bpm": wording.BPM,
        "percent_mep": wording.PERCENT,
    }
    if field not in units:
        return text
    key = {"minutes_per_session": "minutes", "hr_bpm": "bpm", "percent_mep": "percent"}[field]
    return _(units[field]).format(**{key: text})


def _lists(
    component: str, key: str, old: Any, new: Any, word: Callable[[str], str], lang: str
) -> list[str]:
    """What a list (activities, muscle groups) gained and lost, each as one sentence."""
    _, sep = translator(lang), words.separator(lang)
    before, after = [str(v) for v in old or ()], [str(v) for v in new or ()]
    added = [word(v) for v in after if v not in before]
    removed = [word(v) for v in before if v not in after]
    found = [(f"{key}_added", added), (f"{key}_removed", removed)]
    return [
        _(SAID[k]).format(component=component, items=sep.join(items)) for k, items in found if items
    ]


def _exercises(component: str, old: Any, new: Any, lang: str, _: Gettext) -> list[str]:
    before = {_exercise_key(e): e for e in old or ()}
    after = {_exercise_key(e): e for e in new or ()}
    found = []
    for key, e in after.items():
        name = exercise_labels.name(str(e.get("id")), lang)
        if key not in before:
            found.append(_say("exercise_added", _).format(exercise=name, component=component))
        elif _dose(before[key], _) != _dose(e, _):
            found.append(
                _say("exercise_dose", _).format(
                    exercise=name, old=_dose(before[key], _), new=_dose(e, _)
                )
            )
    for key, e in before.items():
        if key not in after:
            name = exercise_labels.name(str(e.get("id")), lang)
            found.append(_say("exercise_removed", _).format(exercise=name, component=component))
    return found or [_say("component_changed", _).format(component=component)]


def _exercise_key(e: Mapping[str, Any]) -> tuple[str, str]:
    return str(e.get("id")), str(e.get("side") or "")


def _dose(e: Mapping[str, Any], _: Gettext) -> str:
    return exercise_view.dose_text(e, _)
