"""ALSFRS-R: the revised ALS Functional Rating Scale.

Source: Cedarbaum JM, Stambler N, Malta E, et al. The ALSFRS-R: a revised ALS functional rating
scale that incorporates assessments of respiratory function. J Neurol Sci 1999;169:13-21.
doi:10.1016/S0022-510X(99)00210-5.

Twelve items scored 4 (normal) to 0 (function lost); total 0-48. Item 5 has two alternative
forms: 5a (cutting food and handling utensils) and 5b (the same for patients with a
gastrostomy); exactly one is answered, and answering 5b records that the patient has a
gastrostomy, which King's staging uses (clinical-facts 1.2, 3). Domains, each 0-12: bulbar
(items 1-3), fine motor (4-6), gross motor (7-9), respiratory (10-12) (clinical-facts 1.2;
four-domain structure supported by Bakker et al., J Neurol 2017).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from alsrx.errors import FieldError, InvalidInput

ITEM_MIN = 0
ITEM_MAX = 4
TOTAL_MAX = 48

Q1, Q2, Q3 = "q1_speech", "q2_salivation", "q3_swallowing"
Q4, Q5A, Q5B = "q4_handwriting", "q5a_cutting_food", "q5b_cutting_food_gastrostomy"
Q6, Q7, Q8, Q9 = "q6_dressing_hygiene", "q7_turning_in_bed", "q8_walking", "q9_climbing_stairs"
Q10, Q11, Q12 = "q10_dyspnea", "q11_orthopnea", "q12_respiratory_insufficiency"

COMMON_ITEMS = (Q1, Q2, Q3, Q4, Q6, Q7, Q8, Q9, Q10, Q11, Q12)
ALL_ITEM_KEYS = (Q1, Q2, Q3, Q4, Q5A, Q5B, Q6, Q7, Q8, Q9, Q10, Q11, Q12)
FORM_A_ITEMS = (Q1, Q2, Q3, Q4, Q5A, Q6, Q7, Q8, Q9, Q10, Q11, Q12)  # no gastrostomy


class Mode(StrEnum):
    """How the scale was administered; it matters when pooling centres (clinical-facts 1.3)."""

    CLINICIAN = "clinician"
    SELF = "self"
    CAREGIVER = "caregiver"
    TELEPHONE = "telephone"


@dataclass(frozen=True)
class AlsfrsR:
    """A validated ALSFRS-R record with its derived sums."""

    items: Mapping[str, int]
    mode: Mode | None = None

    def __getitem__(self, key: str) -> int:
        return self.items[key]

    @property
    def gastrostomy(self) -> bool:
        return Q5B in self.items

    @property
    def item5(self) -> int:
        """Item 5 whichever form was answered."""
        return self.items[Q5B] if self.gastrostomy else self.items[Q5A]

    @property
    def bulbar(self) -> int:
        return self.items[Q1] + self.items[Q2] + self.items[Q3]

    @property
    def fine_motor(self) -> int:
        return self.items[Q4] + self.item5 + self.items[Q6]

    @property
    def gross_motor(self) -> int:
        return self.items[Q7] + self.items[Q8] + self.items[Q9]

    @property
    def respiratory(self) -> int:
        return self.items[Q10] + self.items[Q11] + self.items[Q12]

    @property
    def total(self) -> int:
        return self.bulbar + self.fine_motor + self.gross_motor + self.respiratory


def score(
    items: Mapping[str, object], *, mode: Mode | None = None, path: str = "alsfrs_r"
) -> AlsfrsR:
    """Validate the twelve items and return the scored record; InvalidInput names each bad item."""
    errors = _item_errors(items, path)
    if errors:
        raise InvalidInput(errors)
    clean = {key: int(value) for key, value in items.items()}  # type: ignore[call-overload]
    return AlsfrsR(items=MappingProxyType(clean), mode=mode)


def _item_errors(items: Mapping[str, object], path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    for key in items:
        if key not in ALL_ITEM_KEYS:
            errors.append(FieldError(f"{path}.{key}", "not_allowed", {"allowed": ALL_ITEM_KEYS}))
    for key in COMMON_ITEMS:
        if key not in items:
            errors.append(
                FieldError(f"{path}.{key}", "required", {"min": ITEM_MIN, "max": ITEM_MAX})
            )
    answered_5 = [key for key in (Q5A, Q5B) if key in items]
    if len(answered_5) != 1:
        errors.append(FieldError(f"{path}.{Q5A}", "exactly_one_of", {"fields": (Q5A, Q5B)}))
    for key in ALL_ITEM_KEYS:
        if key in items and not _is_item_value(items[key]):
            errors.append(
                FieldError(f"{path}.{key}", "out_of_range", {"min": ITEM_MIN, "max": ITEM_MAX})
            )
    return errors


def _is_item_value(value: object) -> bool:
    # bool is an int subclass in Python; a JSON true must not pass as 1.
    return isinstance(value, int) and not isinstance(value, bool) and ITEM_MIN <= value <= ITEM_MAX
