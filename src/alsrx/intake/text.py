"""Control characters are refused in every text a request carries (body, form, path, query).

PostgreSQL cannot store NUL in text at all (it failed such requests with a 500), and the other
C0 control characters have no place in clinical text: they can hide or reorder what a reader of
a record, a log line or an export sees. Tab, line feed and carriage return stay allowed (notes
have lines)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from alsrx.errors import FieldError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def control_character_errors(value: object, path: str = "") -> list[FieldError]:
    """A field error for each string (or key) of a JSON-like value holding a control character."""
    if isinstance(value, str):
        found = _CONTROL.search(value) is not None
        return [FieldError(path or "(body)", "control_character", {})] if found else []
    if isinstance(value, dict):
        return [error for key, item in value.items() for error in _keyed(str(key), item, path)]
    if isinstance(value, list):
        return [
            error
            for i, item in enumerate(value)
            for error in control_character_errors(item, _join(path, str(i)))
        ]
    return []


def pairs_errors(pairs: Iterable[tuple[str, str]]) -> list[FieldError]:
    """The same check for name/value pairs (path parameters, query strings, form fields)."""
    return [error for name, value in pairs for error in _keyed(name, value, "")]


def _keyed(key: str, item: object, path: str) -> list[FieldError]:
    here = _join(path, key)
    if _CONTROL.search(key):
        return [FieldError(path or "(body)", "control_character", {})]
    return control_character_errors(item, here)


def _join(base: str, name: str) -> str:
    return f"{base}.{name}" if base else name
