"""Why a value could not be computed: returned beside the null, never guessed around."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Unavailable:
    """A reason code (translated at the edge), the input field it concerns, and parameters.

    Codes: not_measured, outside_reference_range, not_computable, onset_on_assessment_day,
    rest_not_below_max.
    """

    code: str
    field: str
    params: Mapping[str, object] = dataclasses.field(default_factory=dict)
