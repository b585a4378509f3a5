"""The JSON document of an assessment result (its keys are a stable contract; more may be added).

Every value that cannot be computed is null, and its section carries `null_reasons` with a
code, the input field concerned and a message in the requested language.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from alsrx import __version__
from alsrx.domain.assessment import Result
from alsrx.domain.equations import gli2012, six_minute_walk
from alsrx.domain.equations.heart_rate import HeartRate
from alsrx.domain.prescription import params
from alsrx.domain.scales.progression import Progression
from alsrx.domain.unavailable import Unavailable
from alsrx.render.messages import unavailable_message
from alsrx.render.rounding import shown

SOURCES = {
    "alsfrs_r": "Cedarbaum et al. J Neurol Sci 1999;169:13-21",
    "progression": "Kimura et al. Neurology 2006;66:265-267 (ΔFRS)",
    "kings_stage": "Roche et al. Brain 2012;135:847-852; ALSFRS-R estimation Balendra et al. "
    "ALS Frontotemporal Degener 2014;15:279-284",
    "mitos_stage": "Chiò et al. J Neurol Neurosurg Psychiatry 2015;86:38-44",
    "heart_rate": "Tanaka 2001 / Gellish 2007 / Fox 1971 (age-predicted); Karvonen 1957 (reserve)",
    "six_minute_walk": six_minute_walk.SOURCE,
    "fvc": "GLI-2012: Quanjer et al. Eur Respir J 2012;40:1324-1343",
    "bmi": "WHO Technical Report Series 894 (2000)",
}


def _reasons(reasons: Iterable[Unavailable], lang: str) -> list[dict[str, str]]:
    return [
        {"code": r.code, "field": r.field, "message": unavailable_message(r, lang)} for r in reasons
    ]


def _nulls(section: dict[str, Any], reasons: Iterable[Unavailable], lang: str) -> dict[str, Any]:
    listed = _reasons(reasons, lang)
    section["null_reasons"] = {k: listed for k, v in section.items() if v is None} if listed else {}
    return section


def to_json(result: Result, *, lang: str = "en") -> dict[str, Any]:
    frs = result.frs
    return {
        "alsrx_version": __version__,
        "assessment_date": result.date.isoformat(),
        "age_years": shown(result.age_years, "years"),
        "alsfrs_r": {
            "total": frs.total,
            "bulbar": frs.bulbar,
            "fine_motor": frs.fine_motor,
            "gross_motor": frs.gross_motor,
            "respiratory": frs.respiratory,
            "gastrostomy": frs.gastrostomy,
            "mode": frs.mode.value if frs.mode else None,
            "items": dict(frs.items),
        },
        "progression": _progression(result.progression, lang),
        "kings_stage": result.kings.stage,
        "kings": {
            "stage": result.kings.stage,
            "regions_involved": [r.value for r in result.kings.regions],
            "gastrostomy": result.kings.gastrostomy,
            "niv": result.kings.niv,
            "method": "estimated from ALSFRS-R (Balendra 2014); 4A+4B shown when both apply",
        },
        "mitos_stage": result.mitos.stage,
        "mitos": {
            "stage": result.mitos.stage,
            "domains_lost": [d.value for d in result.mitos.domains_lost],
        },
        "heart_rate": _heart_rate(result.heart_rate, lang),
        "six_minute_walk": _six_minute_walk(result.six_minute_walk, lang),
        "fvc": _fvc(result.fvc, lang),
        "bmi": shown(result.bmi.value, "bmi"),
        "bmi_class_who": result.bmi.who_class.value if result.bmi.who_class else None,
        "null_reasons": {"bmi": _reasons(result.bmi.unavailable, lang)}
        if result.bmi.unavailable
        else {},
        "sources": SOURCES,
    }


def _progression(p: Progression, lang: str) -> dict[str, Any]:
    section = {
        "delta_frs_per_month": shown(p.delta_frs_per_month, "rate"),
        "category": p.category.value if p.category else None,
        "months_since_onset": shown(p.months_since_onset, "months"),
        "cutoffs": {
            "id": p.cutoffs.id,
            "intermediate_from": p.cutoffs.intermediate_from,
            "fast_from": p.cutoffs.fast_from,
        },
        "source": p.cutoffs.source,
    }
    return _nulls(section, [p.unavailable] if p.unavailable else [], lang)


def _heart_rate(hr: HeartRate, lang: str) -> dict[str, Any]:
    section: dict[str, Any] = {
        "max_bpm": shown(hr.max_bpm, "bpm"),
        "max_source": hr.max_source.value,
        "rest_bpm": shown(hr.rest_bpm, "bpm"),
        "reserve_bpm": shown(hr.reserve_bpm, "bpm"),
        "karvonen_50_bpm": shown(hr.target_bpm(params.START_PERCENT_HRR / 100), "bpm"),
        "karvonen_75_bpm": shown(hr.target_bpm(params.MAX_PERCENT_HRR / 100), "bpm"),
        "targets_reliable": hr.targets_reliable,
        "warnings": list(hr.warnings),
    }
    return _nulls(section, [hr.unavailable] if hr.unavailable else [], lang)


def _six_minute_walk(w: six_minute_walk.SixMinuteWalk, lang: str) -> dict[str, Any]:
    section = {
        "measured_m": shown(w.measured_m, "metres"),
        "predicted_m": shown(w.predicted_m, "metres"),
        "percent_predicted": shown(w.percent_predicted, "percent"),
        "lln_m": shown(w.lln_m, "metres"),
        "below_lln": w.below_lln,
        "lln_confidence": w.lln_confidence,
    }
    return _nulls(section, w.unavailable, lang)


def _fvc(f: gli2012.Fvc, lang: str) -> dict[str, Any]:
    section = {
        "measured_l": shown(f.measured_l, "litres"),
        "predicted_l": shown(f.predicted_l, "litres"),
        "percent_predicted": shown(f.percent_predicted, "percent"),
        "z_score": shown(f.z_score, "z"),
        "lln_l": shown(f.lln_l, "litres"),
        "below_lln": f.below_lln,
    }
    return _nulls(section, f.unavailable, lang)
