"""FHIR JSON written with decimals as they are: 3.10 stays 3.10.

FHIR's decimal keeps its precision in the JSON text (FHIR R4B datatypes, "decimal"): a
spirometer's 3.10 L is a measurement to the hundredth, 3.1 L to the tenth. fhir.resources
validates our resources but turns decimals into binary floats when it writes them, so the
export builds plain dicts holding `Decimal`s, validates them with the models, and writes them
here.
"""

from __future__ import annotations

import json
import re
import secrets
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

_string = json.JSONEncoder(ensure_ascii=False).encode


def decimal(value: float | int | Decimal, places: int) -> Decimal:
    """A stored number as a FHIR decimal with at least `places` decimals: 3.1 with 2 places is
    3.10, 20.0 with none is 20, and 3.105 keeps its third (digits beyond the usual precision
    are never dropped). Binary floats are read by their shortest repr, so 2.675 is 2.675, not
    2.67499... A Decimal (an imported value) keeps the digits it was written with."""
    exact = value if isinstance(value, Decimal) else Decimal(repr(value))
    if isinstance(value, float):  # a float's repr carries no precision: 20.0 is 20
        exact = exact.normalize()
    exponent = exact.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -places:
        return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return exact


def dumps(value: Any) -> str:
    """Compact JSON text of a resource tree of dicts, lists, strings, numbers and Decimals.

    The C encoder writes the tree; each Decimal goes through it as a string behind a token
    drawn for this call, and the quotes around those strings are then taken away. No text of
    the tree can hold the token (it is random per call), so only our numbers are unquoted."""
    token = secrets.token_hex(8)

    def number(item: object) -> str:
        if isinstance(item, Decimal):
            return token + format(item, "f")
        raise TypeError(f"not a FHIR JSON value: {type(item).__name__}")

    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=number)
    return re.sub(f'"{token}(-?[0-9.]+)"', r"\1", text)


def loads(text: str | bytes) -> Any:
    """FHIR JSON read with its decimals exact (the import's reader too)."""
    return json.loads(text, parse_float=Decimal)
