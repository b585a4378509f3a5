"""One PRO-ACT measurement row (ALSFRS, FVC, vital signs) to the values a reference visit stores.
The choices and their sources are in proact.py's docstring."""

from __future__ import annotations

from typing import Any

from alsrx.analytics import proact_cells as cells
from alsrx.analytics.proact_cells import Row, Skip
from alsrx.analytics.proact_visits import frozen_items
from alsrx.domain.scales import alsfrs_r

# PRO-ACT's ALSFRS-R columns (lower-cased) -> alsrx item codes. Q10_Respiratory is the original
# ALSFRS's single breathing item, not an ALSFRS-R item, so it is not read.
ITEM_COLUMNS = {
    "q1_speech": alsfrs_r.Q1,
    "q2_salivation": alsfrs_r.Q2,
    "q3_swallowing": alsfrs_r.Q3,
    "q4_handwriting": alsfrs_r.Q4,
    "q5a_cutting_without_gastrostomy": alsfrs_r.Q5A,
    "q5b_cutting_with_gastrostomy": alsfrs_r.Q5B,
    "q6_dressing_and_hygiene": alsfrs_r.Q6,
    "q7_turning_in_bed": alsfrs_r.Q7,
    "q8_walking": alsfrs_r.Q8,
    "q9_climbing_stairs": alsfrs_r.Q9,
    "r_1_dyspnea": alsfrs_r.Q10,
    "r_2_orthopnea": alsfrs_r.Q11,
    "r_3_respiratory_insufficiency": alsfrs_r.Q12,
}
R_ONLY = (alsfrs_r.Q10, alsfrs_r.Q11, alsfrs_r.Q12)  # what the original ALSFRS lacks
ITEMS_PER_FORM = 12  # one of 5a / 5b and the eleven others
ORIGINAL_COLUMNS = ("alsfrs_total", "q10_respiratory")

FVC_L_MIN, FVC_L_MAX = 0.2, 8.0  # the assessment input's bounds
FVC_PERCENT_MAX = 200.0
WEIGHT_KG_MIN, WEIGHT_KG_MAX = 20.0, 300.0
HEIGHT_CM_MIN, HEIGHT_CM_MAX = 100.0, 250.0
TRIALS = (1, 2, 3)


def alsfrs(row: Row) -> dict[str, Any]:
    items = {}
    for column, code in ITEM_COLUMNS.items():
        value = cells.number(row, column, alsfrs_r.ITEM_MIN, alsfrs_r.ITEM_MAX, whole=True)
        if value is not None:
            items[code] = int(value)
    if alsfrs_r.Q5A in items and alsfrs_r.Q5B in items:
        raise Skip("both_5a_and_5b")
    total = cells.number(row, "alsfrs_r_total", 0, alsfrs_r.TOTAL_MAX)
    if total is None:
        total = _total_of_items(row, items)
    return {"alsfrs_r_total": total, "items": frozen_items(items)}


def _total_of_items(row: Row, items: dict[str, int]) -> float:
    if not any(code in items for code in R_ONLY):
        if cells.text(row, *ORIGINAL_COLUMNS) is not None:
            raise Skip("original_alsfrs_only")
        raise Skip("no_values")
    if len(items) != ITEMS_PER_FORM:
        raise Skip("incomplete_items")
    return float(sum(items.values()))


def fvc(row: Row) -> dict[str, Any]:
    litres = {
        t: cells.number(row, f"subject_liters_trial_{t}", FVC_L_MIN, FVC_L_MAX) for t in TRIALS
    }
    percents = {
        t: cells.number(row, f"pct_of_normal_trial_{t}", 0, FVC_PERCENT_MAX) for t in TRIALS
    }
    measured = {t: v for t, v in litres.items() if v is not None}
    if not measured:
        given = [p for p in percents.values() if p is not None]
        return {"fvc_percent": max(given) if given else None}
    best = max(measured, key=lambda t: measured[t])
    percent = percents[best]
    if percent is None:
        normal = cells.number(row, "subject_normal", FVC_L_MIN, FVC_L_MAX)
        percent = None if normal is None else measured[best] / normal * 100
        if percent is not None and percent > FVC_PERCENT_MAX:
            raise Skip("out_of_range", "subject_normal")
    return {"fvc_l": measured[best], "fvc_percent": percent}


def vitals(row: Row) -> dict[str, Any]:
    weight = cells.converted(row, "weight", "weight_units", cells.WEIGHT_UNITS)
    height = cells.converted(row, "height", "height_units", cells.HEIGHT_UNITS)
    if weight is not None and not WEIGHT_KG_MIN <= weight <= WEIGHT_KG_MAX:
        raise Skip("out_of_range", "weight")
    if height is not None and not HEIGHT_CM_MIN <= height <= HEIGHT_CM_MAX:
        raise Skip("out_of_range", "height")
    return {"weight_kg": weight, "height_cm": height}
