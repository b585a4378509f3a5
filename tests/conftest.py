"""Shared test helpers: a valid assessment-input document to vary, and a fixed 'today'."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

pytest_plugins = ["tests.db_fixtures"]

TODAY = dt.date(2026, 11, 26)

NORMAL_ITEMS = {
    "q1_speech": 4,
    "q2_salivation": 4,
    "q3_swallowing": 4,
    "q4_handwriting": 4,
    "q5a_cutting_food": 4,
    "q6_dressing_hygiene": 4,
    "q7_turning_in_bed": 4,
    "q8_walking": 4,
    "q9_climbing_stairs": 4,
    "q10_dyspnea": 4,
    "q11_orthopnea": 4,
    "q12_respiratory_insufficiency": 4,
}


def valid_document(**assessment_overrides: Any) -> dict[str, Any]:
    doc = {
        "patient": {
            "sex": "male",
            "birth_date": "1966-05-01",
            "height_cm": 175,
            "weight_kg": 80,
            "ethnicity": "caucasian",
            "symptom_onset_date": "2025-11-01",
        },
        "assessment": {
            "date": "2026-11-01",
            "alsfrs_r": dict(NORMAL_ITEMS, q8_walking=3),
            "fvc_l": 3.9,
            "six_minute_walk_m": 500,
            "resting_hr_bpm": 70,
        },
    }
    doc["assessment"].update(assessment_overrides)
    return copy.deepcopy(doc)


@pytest.fixture
def document() -> dict[str, Any]:
    return valid_document()
