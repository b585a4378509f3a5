"""The exercise library as a person reads it: for `alsrx exercises list|show` and the API."""

from __future__ import annotations

from typing import Any

from alsrx.domain.exercises import library
from alsrx.i18n import N_, translator
from alsrx.render import exercise_view, words
from alsrx.render import prescription_labels as labels

CATEGORIES = {
    "warm_up": N_("warm-up"),
    "cool_down": N_("cool-down"),
    "stretching": N_("stretching"),
    "range_of_motion": N_("range of motion"),
    "strengthening": N_("strengthening"),
    "aerobic": N_("aerobic"),
    "balance": N_("balance"),
    "function": N_("function"),
    "breathing": N_("breathing"),
}
FIELDS = {
    "category": N_("Kind"),
    "components": N_("Part of the plan"),
    "trains": N_("Trains"),
    "needs_mrc": N_("Needs at least"),
    "position": N_("Position"),
    "helper": N_("Who helps"),
    "needs": N_("You need"),
    "dose": N_("Usual dose"),
    "breathing": N_("Breathing"),
    "steps": N_("Steps"),
    "cautions": N_("Take care"),
    "easier": N_("Easier"),
    "harder": N_("Harder"),
    "sources": N_("Sources"),
    "illustration": N_("Illustration"),
}
MRC_AT_LEAST = N_("{muscle}: MRC {grade}")
NOT_LYING_FLAT = N_("not with orthopnoea (lying flat)")
NOT_HEAD_DROP = N_("not with head drop (head unsupported)")


def summary(e: library.Exercise, lang: str) -> dict[str, Any]:
    _ = translator(lang)
    return {
        "id": e.id,
        "name": e.words(lang).name,
        "category": _(CATEGORIES[e.category]),
        "components": [_(labels.COMPONENTS[c.value]) for c in e.components],
    }


def detail(e: library.Exercise, lang: str) -> dict[str, Any]:
    """Every field of an entry, in words, keyed by the FIELDS codes."""
    _ = translator(lang)
    d = e.dose
    stored = {
        "sets": d.sets,
        "repetitions": d.repetitions,
        "hold_seconds": d.hold_seconds,
        "minutes": d.minutes,
    }
    variants = library.default()
    limits = [_(NOT_LYING_FLAT)] if e.lying_flat else []
    limits += [_(NOT_HEAD_DROP)] if e.neck_unsupported else []
    return {
        **summary(e, lang),
        "trains": [words.muscle(m, _) for m in e.muscle_groups],
        "needs_mrc": [
            _(MRC_AT_LEAST).format(muscle=words.muscle(m, _), grade=g) for m, g in e.min_mrc.items()
        ],
        "position": " · ".join([_(exercise_view.POSITION[e.position]), *limits]),
        "helper": _(exercise_view.HELPER[e.helper]),
        "needs": list(exercise_view.needs(e, _)),
        "dose": exercise_view.dose_text(stored, _),
        "breathing": _(exercise_view.BREATHING[e.breathing_cue]),
        "steps": list(e.words(lang).steps),
        "cautions": list(e.words(lang).cautions),
        "easier": _variant(variants, e.easier, lang),
        "harder": _variant(variants, e.harder, lang),
        "sources": list(e.sources),
        "illustration": f"{e.figure.author}, {e.figure.licence}",
    }


def _variant(lib: library.Library, exercise_id: str | None, lang: str) -> str | None:
    found = lib.get(exercise_id) if exercise_id else None
    return f"{found.words(lang).name} ({found.id})" if found else None


def as_text(record: dict[str, Any], lang: str) -> str:
    _ = translator(lang)
    colon = "：" if lang == "zh" else ": "
    lines = [f"{record['name']}  [{record['id']}]"]
    for key, label in FIELDS.items():
        value = record.get(key)
        if value in (None, [], ""):
            continue
        if key in ("steps",):
            lines.append(f"{_(label)}{colon.strip()}")
            lines += [f"  {i}. {step}" for i, step in enumerate(value, 1)]
        elif key == "cautions":  # sentences: joined as sentences, not as a list of words
            lines.append(f"{_(label)}{colon}" + ("" if lang == "zh" else " ").join(value))
        elif isinstance(value, list):
            lines.append(f"{_(label)}{colon}" + words.separator(lang).join(value))
        else:
            lines.append(f"{_(label)}{colon}{value}")
    return "\n".join(lines)
