"""Reading one PRO-ACT CSV cell: header names matched case-insensitively, numbers checked
against their range, units converted. A value that cannot be trusted raises `Skip`, which the
importer (proact.py) counts against the row's file as a reason code and never stores.

Unit factors are exact by definition: 1 lb = 0.45359237 kg (International Yard and Pound
Agreement, 1959); 1 in = 2.54 cm (same agreement).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

KG_PER_LB = 0.45359237
CM_PER_IN = 2.54

WEIGHT_UNITS = {"kilograms": 1.0, "kilogram": 1.0, "kg": 1.0}
WEIGHT_UNITS |= {"pounds": KG_PER_LB, "pound": KG_PER_LB, "lb": KG_PER_LB, "lbs": KG_PER_LB}
HEIGHT_UNITS = {"centimeters": 1.0, "centimetres": 1.0, "centimeter": 1.0, "cm": 1.0}
HEIGHT_UNITS |= {"inches": CM_PER_IN, "inch": CM_PER_IN, "in": CM_PER_IN}

Row = Mapping[str, str]
SUBJECT_KEYS = ("subject_id", "subjectid")  # the current release's spelling, then older ones
SUBJECT_ID_MAX = 50  # characters; PRO-ACT's ids are numbers of a few digits


class Skip(Exception):  # a row's verdict, not an error of the program
    """The row is not used: `code` says why, `column` which value (lower-case header)."""

    def __init__(self, code: str, column: str = "") -> None:
        super().__init__(code, column)
        self.code = code
        self.column = column

    @property
    def reason(self) -> str:
        return f"{self.code}:{self.column}" if self.column else self.code


def normalise(row: Mapping[str | None, str | list[str] | None]) -> dict[str, str]:
    """Lower-case, stripped headers and stripped text values; csv.DictReader's overflow key
    (None) and short rows' missing values (None) are dropped."""
    out: dict[str, str] = {}
    for key, value in row.items():
        if key is None or not isinstance(value, str):
            continue
        out[key.strip().lower()] = value.strip()
    return out


def text(row: Row, *columns: str) -> str | None:
    """The first non-empty value among the columns, or None."""
    for column in columns:
        value = row.get(column, "")
        if value:
            return value
    return None


def subject_id(row: Row) -> str:
    value = text(row, *SUBJECT_KEYS)
    if value is None:
        raise Skip("missing", "subject_id")
    if len(value) > SUBJECT_ID_MAX:
        raise Skip("too_long", "subject_id")
    return value


def number(row: Row, column: str, low: float, high: float, *, whole: bool = False) -> float | None:
    """The column as a number within [low, high], None when empty."""
    raw = row.get(column, "")
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise Skip("not_a_number", column) from None
    if not math.isfinite(value):
        raise Skip("not_a_number", column)
    if whole and not value.is_integer():
        raise Skip("not_whole", column)
    if not low <= value <= high:
        raise Skip("out_of_range", column)
    return value


# Trial deltas are whole days; a century either side of entry is the widest plausible span.
DELTA_LIMIT_DAYS = 36_525


def days(row: Row, column: str) -> int | None:
    value = number(row, column, -DELTA_LIMIT_DAYS, DELTA_LIMIT_DAYS, whole=True)
    return None if value is None else int(value)


def converted(
    row: Row, column: str, units_column: str, factors: Mapping[str, float]
) -> float | None:
    """A measurement in the unit its units column names, multiplied into ours (kg, cm)."""
    raw = row.get(column, "")
    if not raw:
        return None
    unit = row.get(units_column, "").lower()
    if unit not in factors:
        raise Skip("unknown_unit", units_column)
    value = number(row, column, 0, math.inf)
    assert value is not None
    return value * factors[unit]


TRUE_FLAGS = frozenset({"1", "1.0", "yes", "true", "y", "checked"})
FALSE_FLAGS = frozenset({"0", "0.0", "no", "false", "n", "unchecked"})


def flag(row: Row, column: str) -> bool | None:
    raw = row.get(column, "").lower()
    if not raw:
        return None
    if raw in TRUE_FLAGS:
        return True
    if raw in FALSE_FLAGS:
        return False
    raise Skip("not_one_of", column)
