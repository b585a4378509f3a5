"""Words for the exercise library's codes that notes and pages share: body regions, and an
exercise's name in the reader's language (the library holds both languages)."""

from __future__ import annotations

from alsrx.domain.exercises import library
from alsrx.i18n import N_

REGIONS = {
    "neck": N_("neck"),
    "trunk": N_("trunk"),
    "shoulder": N_("shoulders"),
    "elbow": N_("elbows"),
    "wrist_hand": N_("wrists and hands"),
    "hip": N_("hips"),
    "knee": N_("knees"),
    "ankle": N_("ankles"),
    "whole_body": N_("whole body"),
    "chest": N_("chest"),
}


def name(exercise_id: str, lang: str) -> str:
    """The exercise's name; its id only when the library no longer holds it."""
    entry = library.default().get(exercise_id)
    return entry.words(lang).name if entry is not None else exercise_id
