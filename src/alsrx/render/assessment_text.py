"""A plain-text assessment report for clinicians, in English or Chinese."""

from __future__ import annotations

from typing import Any

from alsrx.i18n import N_, translator

CATEGORY = {"slow": N_("slow"), "intermediate": N_("intermediate"), "fast": N_("fast")}
# Who entered an assessment, and how its ALSFRS-R was taken (alsfrs_r.Mode).
ENTERED_AS = {
    "clinician": N_("a clinician"),
    "patient": N_("the patient"),
    "caregiver": N_("a caregiver"),
}
MODES = {
    "clinician": N_("clinician-administered"),
    "self": N_("self-report"),
    "caregiver": N_("caregiver report"),
    "telephone": N_("by telephone"),
}
MAX_SOURCE = {
    "measured": N_("measured at CPET"),
    "tanaka": N_("age-predicted, Tanaka 208 - 0.7 x age"),
    "gellish": N_("age-predicted, Gellish 207 - 0.7 x age"),
    "fox": N_("age-predicted, Fox 220 - age"),
}
HR_WARNINGS = {
    "beta_blocker_predicted_max": N_(
        "Beta-blocker: age-predicted heart-rate targets are unreliable; use perceived exertion."
    ),
    "beta_blocker_measured_max": N_(
        "Beta-blocker: heart-rate targets hold only at the dose taken during the CPET; "
        "prefer perceived exertion."
    ),
}


def _value(value: Any, unit: str = "") -> str:
    if value is None:
        return "—"
    return f"{value}{unit}"


def _reasons(section: dict[str, Any]) -> list[str]:
    seen: list[str] = []
    for reasons in section.get("null_reasons", {}).values():
        for reason in reasons:
            if reason["message"] not in seen:
                seen.append(reason["message"])
    return [f"    ({m})" for m in seen]


def render(doc: dict[str, Any], *, lang: str = "en") -> str:
    _ = translator(lang)
    frs, prog, hr = doc["alsfrs_r"], doc["progression"], doc["heart_rate"]
    walk, fvc = doc["six_minute_walk"], doc["fvc"]
    max_source_label = MAX_SOURCE[hr["max_source"]]
    category_label = CATEGORY.get(prog["category"] or "", "—")
    category = _(category_label) if prog["category"] else "—"
    lines = [
        _("ALS assessment of {date} (age {age} years)").format(
            date=doc["assessment_date"], age=doc["age_years"]
        ),
        _(
            "ALSFRS-R total {total}/48: bulbar {bulbar}, fine motor {fine}, gross motor {gross}, "
            "respiratory {resp}"
        ).format(
            total=frs["total"],
            bulbar=frs["bulbar"],
            fine=frs["fine_motor"],
            gross=frs["gross_motor"],
            resp=frs["respiratory"],
        ),
        _(
            "Progression ΔFRS {rate} points/month over {months} months: {category} "
            "(cut-offs {cutoffs})"
        ).format(
            rate=_value(prog["delta_frs_per_month"]),
            months=prog["months_since_onset"],
            category=category,
            cutoffs=prog["cutoffs"]["id"],
        ),
        *_reasons(prog),
        _("King's stage {kings}; MiToS stage {mitos}").format(
            kings=doc["kings_stage"], mitos=doc["mitos_stage"]
        ),
        _("Heart rate: max {max} bpm ({source}), rest {rest} bpm, reserve {reserve} bpm").format(
            max=hr["max_bpm"],
            source=_(max_source_label),
            rest=_value(hr["rest_bpm"]),
            reserve=_value(hr["reserve_bpm"]),
        ),
        *[f"    {_(message)}" for message in (HR_WARNINGS[w] for w in hr["warnings"])],
        *_reasons(hr),
        _(
            "Six-minute walk: {measured} m, predicted {predicted} m ({percent}% predicted, "
            "LLN {lln} m)"
        ).format(
            measured=_value(walk["measured_m"]),
            predicted=_value(walk["predicted_m"]),
            percent=_value(walk["percent_predicted"]),
            lln=_value(walk["lln_m"]),
        ),
        *_reasons(walk),
        _(
            "FVC: {measured} L, GLI-2012 predicted {predicted} L ({percent}% predicted, "
            "z {z}, LLN {lln} L)"
        ).format(
            measured=_value(fvc["measured_l"]),
            predicted=_value(fvc["predicted_l"]),
            percent=_value(fvc["percent_predicted"]),
            z=_value(fvc["z_score"]),
            lln=_value(fvc["lln_l"]),
        ),
        *_reasons(fvc),
        _("BMI: {bmi}").format(bmi=_value(doc["bmi"])),
        *_reasons({"null_reasons": doc["null_reasons"]}),
    ]
    return "\n".join(lines) + "\n"
