"""Body-mass index and its WHO class.

BMI = weight (kg) / height (m)^2. Classes: WHO. Obesity: preventing and managing the global
epidemic. WHO Technical Report Series 894, 2000: underweight < 18.5, normal 18.5-24.9,
overweight 25-29.9, obese >= 30. (Low BMI carries a worse prognosis in ALS, which is why the
class is shown; no ALS-specific cut-off is applied.)
"""

from __future__ import annotations

from enum import StrEnum

UNDERWEIGHT_BELOW = 18.5
OVERWEIGHT_FROM = 25.0
OBESE_FROM = 30.0


class BmiClass(StrEnum):
    UNDERWEIGHT = "underweight"
    NORMAL = "normal"
    OVERWEIGHT = "overweight"
    OBESE = "obese"


def bmi(*, weight_kg: float, height_cm: float) -> float:
    height_m = height_cm / 100.0
    return weight_kg / (height_m * height_m)


def classify(value: float) -> BmiClass:
    if value < UNDERWEIGHT_BELOW:
        return BmiClass.UNDERWEIGHT
    if value < OVERWEIGHT_FROM:
        return BmiClass.NORMAL
    if value < OBESE_FROM:
        return BmiClass.OVERWEIGHT
    return BmiClass.OBESE
