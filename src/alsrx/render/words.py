"""One rule for codes inside messages: a note's parameters are rendered by what their name means.

The engine stores codes (muscle groups, modalities, equipment, cut-off sets) in a note's params;
a person must read words, in the note's language. `PARAM_KINDS` names, once, how each parameter
renders; a new note whose parameter is called `groups`, `muscles`, `removed`, `modalities` or
`equipment` needs no further code. Lists are joined with the language's separator.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from alsrx.domain.scales import progression
from alsrx.render import exercise_labels
from alsrx.render import prescription_labels as labels

Gettext = Callable[[str], str]

SEPARATORS = {"zh": "、"}
DEFAULT_SEPARATOR = ", "


def separator(lang: str) -> str:
    """How a list of words is joined: ", " in English, the enumeration comma "、" in Chinese."""
    return SEPARATORS.get(lang, DEFAULT_SEPARATOR)


def muscle(code: str, _: Gettext) -> str:
    """'shoulder_abduction_left' -> 'shoulder abduction (left)'; a group without a side too."""
    group, _sep, side = code.rpartition("_")
    if group in labels.MUSCLES and side in labels.SIDES:
        return _(labels.MUSCLE_SIDE).format(
            muscle=_(labels.MUSCLES[group]), side=_(labels.SIDES[side])
        )
    return _(labels.MUSCLES[code]) if code in labels.MUSCLES else code


def cutoff_set(code: str, _: Gettext) -> str:
    """A progression cut-off set by its authors, with the rate from which progression is fast."""
    found = progression.CUTOFF_SETS.get(code)
    if found is None or code not in labels.CUTOFF_SETS:
        return code
    return _(labels.CUTOFF_SET_TEXT).format(
        name=_(labels.CUTOFF_SETS[code]), fast_from=found.fast_from
    )


def _table(table: Mapping[str, str]) -> Callable[[str, Gettext], str]:
    return lambda code, _: _(table[code]) if code in table else code


def _text(value: str, _: Gettext) -> str:
    # Free text from an internal check: translated where the catalog knows it.
    return _(value)


RENDERERS: dict[str, Callable[[str, Gettext], str]] = {
    "muscle": muscle,
    "modality": _table(labels.MODALITIES),
    "equipment": _table(labels.EQUIPMENT),
    "component": _table(labels.COMPONENTS),
    "cutoff_set": cutoff_set,
    "constraint": _table(labels.CONSTRAINTS),
    "pressure_test": _table(labels.PRESSURE_TESTS),
    "load": _table(labels.LOADS),
    "text": _text,
    "region": _table(exercise_labels.REGIONS),
}

# The one table: a note parameter's name -> the kind of code it holds.
PARAM_KINDS = {
    "groups": "muscle",
    "muscles": "muscle",
    "muscle_groups": "muscle",
    "group": "muscle",
    "range_of_motion_only": "muscle",
    "removed": "modality",
    "modalities": "modality",
    "modality": "modality",
    "equipment": "equipment",
    "missing_equipment": "equipment",
    "component": "component",
    "components": "component",
    "cutoffs": "cutoff_set",
    "violations": "text",
    "constraints": "constraint",
    "loads": "load",
    "test": "pressure_test",
    "exercises": "exercise",
    "exercise": "exercise",
    "regions": "region",
}
# Kinds whose words come from the library data (both languages there), not from the catalog.
BY_LANG: dict[str, Callable[[str, str], str]] = {"exercise": exercise_labels.name}


def muscles_by_load(
    component: Mapping[str, object], lang: str, _: Gettext
) -> list[tuple[str, str]]:
    """(load in words, its muscle groups in words) for a resistance component's per-muscle
    loads; one row without a load for documents stored before loads existed."""
    groups = [str(g) for g in component.get("muscle_groups") or ()]  # type: ignore[attr-defined]
    loads = component.get("muscle_loads") or {}
    assert isinstance(loads, Mapping)
    sep = separator(lang)
    if not loads:
        return [("", sep.join(muscle(g, _) for g in groups))] if groups else []
    rows = []
    for load in dict.fromkeys(loads.values()):
        chosen = [g for g in groups if loads.get(g) == load]
        rows.append((_table(labels.LOADS)(str(load), _), sep.join(muscle(g, _) for g in chosen)))
    return rows


def param_text(name: str, value: object, lang: str, _: Gettext) -> object:
    """A parameter as a person reads it; numbers are left for the template to format."""
    kind = PARAM_KINDS.get(name, "")
    render = RENDERERS.get(kind)
    if kind in BY_LANG:
        in_lang = BY_LANG[kind]
        render = lambda code, _: in_lang(code, lang)  # noqa: E731
    if isinstance(value, tuple | list):
        join = "; " if PARAM_KINDS.get(name) == "text" else separator(lang)
        return join.join(render(str(v), _) if render else str(v) for v in value)
    if render is not None and isinstance(value, str):
        return render(value, _)
    if isinstance(value, float) and value.is_integer():
        return int(value)  # "65 %", not "65.0 %": people do not write the trailing zero
    return value


def message(template: str, params: Mapping[str, object], lang: str, _: Gettext) -> str:
    """A translated template filled with its parameters in words."""
    return _(template).format(**{k: param_text(k, v, lang, _) for k, v in params.items()})
