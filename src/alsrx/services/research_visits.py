"""One visit (a stored assessment: what was entered and what the core derived) as rows of the
research export's visit files. Entered values come from `data`, computed ones from `derived`,
so a research figure is the number the clinic saw."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from alsrx.reports import research_codebook as book

if TYPE_CHECKING:
    from alsrx.services.research_dataset import Member

Row = dict[str, Any]


def rows(
    member: Member,
    data: Mapping[str, Any],
    derived: Mapping[str, Any],
    *,
    delta: int,
    shifted: str | None,
) -> Iterator[tuple[book.Table, Row]]:
    head = {"research_id": member.row["research_id"]}
    tail = {"Visit_Date_Shifted": shifted}
    frs = derived.get("alsfrs_r") or {}
    if frs.get("total") is not None:
        yield book.ALSFRS, {**head, "ALSFRS_Delta": delta, **_alsfrs(frs, derived), **tail}
    fvc = derived.get("fvc") or {}
    if fvc.get("measured_l") is not None:
        yield book.FVC, {**head, "Forced_Vital_Capacity_Delta": delta, **_fvc(fvc), **tail}
    function = _function(data, derived)
    if any(v is not None for v in function.values()):
        yield book.FUNCTION, {**head, "Visit_Delta": delta, **function, **tail}
    weight = data.get("weight_kg")
    if weight is not None:
        vitals = _vitals(weight, member.height_cm, derived.get("bmi"))
        yield book.VITALS, {**head, "Vital_Signs_Delta": delta, **vitals, **tail}


def _alsfrs(frs: Mapping[str, Any], derived: Mapping[str, Any]) -> Row:
    items = frs.get("items") or {}
    progression = derived.get("progression") or {}
    return {
        **{name: items.get(code) for code, name in book.ITEMS},
        "ALSFRS_R_Total": frs.get("total"),
        **{name: frs.get(code) for code, name in book.DOMAINS},
        "Gastrostomy": int(bool(frs.get("gastrostomy"))),
        "Administration": frs.get("mode") or "",
        "DeltaFRS": progression.get("delta_frs_per_month"),
        "Kings_Stage": derived.get("kings_stage"),
        "MiToS_Stage": derived.get("mitos_stage"),
    }


def _fvc(fvc: Mapping[str, Any]) -> Row:
    return {
        "Subject_Liters_Trial_1": fvc.get("measured_l"),
        "Subject_Normal": fvc.get("predicted_l"),
        "pct_of_Normal_Trial_1": fvc.get("percent_predicted"),
        "FVC_Z_Score": fvc.get("z_score"),
    }


def _function(data: Mapping[str, Any], derived: Mapping[str, Any]) -> Row:
    walk = derived.get("six_minute_walk") or {}
    mrc = data.get("mrc") or {}
    return {
        "Six_Minute_Walk_m": walk.get("measured_m"),
        "Six_Minute_Walk_Pct_Predicted": walk.get("percent_predicted"),
        **{name: mrc.get(code) for code, name in book.MRC_COLUMNS},
        "MIP_cmH2O": data.get("mip_cmh2o"),
        "MEP_cmH2O": data.get("mep_cmh2o"),
        "SNIP_cmH2O": data.get("snip_cmh2o"),
    }


def _vitals(weight: float, height: float | None, bmi: float | None) -> Row:
    return {
        "Weight": weight,
        "Weight_Units": "Kilograms",
        "Height": height,
        "Height_Units": "Centimeters" if height is not None else "",
        "BMI": bmi,
    }
