"""What every value a request or a file carries must be before any rule reads it.

- Text: no C0 control characters. PostgreSQL cannot store NUL in text at all (it failed such
  requests with a 500), and the other control characters have no place in clinical text: they
  can hide or reorder what a reader of a record, a log line or an export sees. Tab, line feed and
  carriage return stay allowed (notes have lines). No lone UTF-16 surrogates either ("\\ud800" is
  valid JSON but no valid text: it cannot be encoded as UTF-8 and failed on storage).
- Numbers: finite, and integers within +-(2**53 - 1), the range that JSON implementations agree
  on (RFC 7493, I-JSON, section 2.2). NaN and Infinity are no numbers a clinical field can hold:
  JSON Schema range checks are false for NaN, so they slipped through every bound, were stored,
  and then failed every read of the record.
- Nesting: at most MAX_DEPTH levels; no document of ours needs more, and a deeper one only costs.

`loads` parses JSON text with these rules, so that a value outside them never exists as a Python
float or a huge int (Python's int() refuses more than 4300 digits with an error of its own).
"""

from __future__ import annotations

import decimal
import json
import math
import re
from collections.abc import Iterable
from typing import Any

from alsrx.errors import FieldError, InvalidInput

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
MAX_SAFE_INTEGER = 2**53 - 1
MAX_DEPTH = 32
# A decimal number as people type it into a form (a comma for the decimal point allowed): no
# exponent, no "nan", "inf" or "infinity", which Python's float() would take.
_FORM_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")


class _Refused:
    """A JSON number that must not become a Python number; its field is named after parsing."""

    __slots__ = ("code",)

    def __init__(self, code: str) -> None:
        self.code = code


_NOT_FINITE = _Refused("not_finite")
_TOO_LARGE = _Refused("integer_too_large")


def _parse_int(text: str) -> int | _Refused:
    if len(text.lstrip("-")) > 16:  # 2**53 has 16 digits: longer is refused unread
        return _TOO_LARGE
    value = int(text)
    return value if -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER else _TOO_LARGE


def _parse_float(text: str) -> float | _Refused:
    value = float(text)  # "1e999" reads as infinity
    return value if math.isfinite(value) else _NOT_FINITE


def _parse_decimal(text: str) -> decimal.Decimal | _Refused:
    # "1e999" is a finite Decimal but no measurement: the float it becomes would be infinite.
    return decimal.Decimal(text) if math.isfinite(float(text)) else _NOT_FINITE


def _parse_constant(_name: str) -> _Refused:
    return _NOT_FINITE  # NaN, Infinity, -Infinity


def loads(raw: str | bytes, *, path: str = "(body)", exact: bool = False) -> Any:
    """JSON text as Python values, or InvalidInput naming each field that breaks the rules.
    `exact`: numbers with a fraction or exponent as Decimal, as written ("3.10" stays 3.10;
    FHIR decimals carry their precision)."""
    try:
        value = json.loads(
            raw,
            parse_int=_parse_int,
            parse_float=_parse_decimal if exact else _parse_float,
            parse_constant=_parse_constant,
        )
    except RecursionError:
        raise InvalidInput([FieldError(path, "too_deep", {"max": MAX_DEPTH})]) from None
    except json.JSONDecodeError as exc:
        detail = f"line {exc.lineno} column {exc.colno}: {exc.msg}"
        raise InvalidInput([FieldError(path, "bad_json", {"detail": detail})]) from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise InvalidInput([FieldError(path, "bad_json", {"detail": str(exc)[:200]})]) from None
    errors = value_errors(value)
    if errors:
        raise InvalidInput(errors)
    return value


def value_errors(value: object, path: str = "", depth: int = 0) -> list[FieldError]:
    """A field error for each value (or key) of a JSON-like value that breaks the rules."""
    if isinstance(value, str):
        return _text_errors(value, path)
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, _Refused):
        return [FieldError(path or "(body)", value.code, _limits(value.code))]
    if isinstance(value, float):
        return [] if math.isfinite(value) else [FieldError(path or "(body)", "not_finite", {})]
    if isinstance(value, int):
        if -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
            return []
        return [FieldError(path or "(body)", "integer_too_large", _limits("integer_too_large"))]
    if depth >= MAX_DEPTH and isinstance(value, dict | list):
        return [FieldError(path or "(body)", "too_deep", {"max": MAX_DEPTH})]
    if isinstance(value, dict):
        return [e for key, item in value.items() for e in _keyed(str(key), item, path, depth)]
    if isinstance(value, list):
        return [
            error
            for i, item in enumerate(value)
            for error in value_errors(item, _join(path, str(i)), depth + 1)
        ]
    return []


def _limits(code: str) -> dict[str, object]:
    return {"max": MAX_SAFE_INTEGER} if code == "integer_too_large" else {}


def _text_errors(text: str, path: str) -> list[FieldError]:
    if _CONTROL.search(text) is not None:
        return [FieldError(path or "(body)", "control_character", {})]
    if _SURROGATE.search(text) is not None:
        return [FieldError(path or "(body)", "lone_surrogate", {})]
    return []


def pairs_errors(pairs: Iterable[tuple[str, str]]) -> list[FieldError]:
    """The same check for name/value pairs (path parameters, query strings, form fields)."""
    return [error for name, value in pairs for error in _keyed(name, value, "", 0)]


def _keyed(key: str, item: object, path: str, depth: int) -> list[FieldError]:
    here = _join(path, key)
    key_errors = _text_errors(key, path)
    if key_errors:
        return key_errors
    return value_errors(item, here, depth + 1)


def _join(base: str, name: str) -> str:
    return f"{base}.{name}" if base else name


def form_number(raw: object, *, integer: bool = False) -> object:
    """A number typed into a form, or the text itself when it is not a plain finite decimal
    (so that the schema refuses it naming the field). An integer field keeps a whole number as
    an int; a comma is read as the decimal point, as many people write it."""
    text = str(raw).strip()
    if not _FORM_NUMBER.fullmatch(text):
        return text
    value = float(text.replace(",", "."))
    if not math.isfinite(value):  # more digits than a float holds
        return text
    if integer:
        return int(value) if value.is_integer() else value
    return value
