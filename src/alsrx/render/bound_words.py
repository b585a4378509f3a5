"""Words for a prescription edit's bounds: "at most 153 bpm: 75 % of heart-rate reserve".

The domain (domain/prescription/whole_check.py, component_bounds.py) names each bound by a
`source` code and a `unit` code; this module says both in the reader's language, once, for the
API's field messages, the edit page's errors and the allowed range shown beside each input.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from alsrx.i18n import N_, translator
from alsrx.render.rounding import round_half_up

Gettext = Callable[[str], str]

CODES = ("above_bound", "below_bound", "inverted_range", "not_whole", "schedule_cannot_fit")

SOURCES = {
    "hrr": N_("{percent} % of heart-rate reserve"),
    "anaerobic_threshold": N_(
        "below the anaerobic threshold measured at the exercise test ({percent} % of "
        "heart-rate reserve)"
    ),
    "aerobic_dose": N_("the aerobic dose of the ALS trials (2–5 sessions a week, up to 30 min)"),
    "energy_balance": N_("shorter sessions while weight or intake is falling"),
    "rpe_moderate": N_("moderate effort only (Borg 6–20 scale)"),
    "borg_scale": N_("the lowest point of the Borg 6–20 scale"),
    "resistance_dose": N_("the strength-training dose for ALS (3–5 a week, 1–2 sets of 8–12)"),
    "resistance_session": N_("the length of a strength session (5–20 min)"),
    "emst_dose": N_("the EMST trial dose (5 sets of 5 breaths, 5 days a week)"),
    "emst_mep": N_("{percent} % of the measured MEP"),
    "emst_device": N_("the trainer's lowest setting"),
    "once_or_twice_daily": N_("at most twice a day"),
    "engine_dose": N_("the dose the programme sets for this patient"),
    "alsrx_floor": N_("the smallest dose worth planning"),
    "daily_limit": N_("about 1 hour of exercise a day"),
    "component_range": N_("the component's own range"),
}

UNITS = {
    "a_week": N_("{n} a week"),
    "min": N_("{n} min"),
    "bpm": N_("{n} bpm"),
    "percent_hrr": N_("{n} % of heart-rate reserve"),
    "rpe": N_("{n} on the Borg 6–20 scale"),
    "percent_mep": N_("{n} % of MEP"),
    "cmh2o": N_("{n} cmH2O"),
    "sets": N_("{n} sets"),
    "repetitions": N_("{n} repetitions"),
}

RANGE_UNITS = {
    "a_week": N_("{low}–{high} a week"),
    "min": N_("{low}–{high} min"),
    "bpm": N_("{low}–{high} bpm"),
    "percent_hrr": N_("{low}–{high} % of heart-rate reserve"),
    "rpe": N_("{low}–{high} on the Borg 6–20 scale"),
    "percent_mep": N_("{low}–{high} % of MEP"),
    "cmh2o": N_("{low}–{high} cmH2O"),
    "sets": N_("{low}–{high} sets"),
    "repetitions": N_("{low}–{high} repetitions"),
}

TEMPLATES = {
    "above_bound": N_("at most {amount}: {source}"),
    "below_bound": N_("at least {amount}: {source}"),
    "inverted_range": N_("the lowest ({min}) is above the highest ({max})"),
    "not_whole": N_("must be a whole number"),
    "schedule_cannot_fit": N_(
        "these sessions no longer fit in the week: {source} ({amount} a day at most)"
    ),
}


def number(value: object) -> str:
    """1 decimal at most, no trailing .0 (rounding.py's rule)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    shown = round_half_up(float(value), 1)
    assert shown is not None
    return str(int(shown)) if float(shown).is_integer() else str(shown)


def amount(value: object, unit: str, _: Gettext) -> str:
    template = UNITS.get(unit)
    return _(template).format(n=number(value)) if template else number(value)


def span(low: object, high: object, unit: str, lang: str) -> str:
    """An allowed range as people write it: "2–5 a week"."""
    _ = translator(lang)
    template = RANGE_UNITS.get(unit, "{low}–{high}")
    return _(template).format(low=number(low), high=number(high))


def source(code: str, params: Mapping[str, object], _: Gettext) -> str:
    template = SOURCES.get(code)
    if template is None:
        return ""
    return _(template).format(percent=number(params.get("percent", "")))


def message(code: str, params: Mapping[str, object], lang: str) -> str:
    """The words of one of CODES."""
    _ = translator(lang)
    unit = str(params.get("unit", ""))
    said = source(str(params.get("source", "")), params, _)
    if code == "above_bound":
        return _(TEMPLATES[code]).format(amount=amount(params["max"], unit, _), source=said)
    if code == "below_bound":
        return _(TEMPLATES[code]).format(amount=amount(params["min"], unit, _), source=said)
    if code == "inverted_range":
        return _(TEMPLATES[code]).format(min=number(params["min"]), max=number(params["max"]))
    if code == "schedule_cannot_fit":
        return _(TEMPLATES[code]).format(amount=amount(params["limit"], unit, _), source=said)
    whole = TEMPLATES["not_whole"]
    return _(whole)
