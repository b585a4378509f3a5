"""Placeholder until the key-pose renderer lands: a framed, titled, empty figure."""

from __future__ import annotations

from xml.sax.saxutils import escape

from alsrx.domain.exercises.library import Exercise


def svg(exercise: Exercise, *, title: str, lang: str = "en") -> str:
    del exercise, lang
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 150" role="img">'
        f"<title>{escape(title)}</title></svg>"
    )
