"""The one rounding rule for displayed numbers: half away from zero, on the decimal value.

Binary floats such as 137.25 or 2.675 are first written as their shortest decimal repr, so
a value a clinician would round up is rounded up (Python's round() would give 2.67).
Computation always keeps full precision; rounding happens only when a value is shown.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

PLACES = {
    "bpm": 1,
    "litres": 3,
    "metres": 1,
    "percent": 1,
    "z": 2,
    "months": 2,
    "rate": 3,
    "years": 2,
    "bmi": 1,
}


def round_half_up(value: float | None, places: int) -> float | None:
    if value is None:
        return None
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def shown(value: float | None, kind: str) -> float | None:
    """Round a value for display by its kind (see PLACES)."""
    return round_half_up(value, PLACES[kind])


def round_down(value: float | None, places: int) -> float | None:
    """Round toward minus infinity: for ceilings, which must not be shown above their value."""
    if value is None:
        return None
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_FLOOR))
