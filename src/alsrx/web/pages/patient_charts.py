"""The patient page's charts of the assessments over time: what each shows, on which scale,
with its data table (charts.py draws them)."""

from __future__ import annotations

from typing import Any

from alsrx.db import models
from alsrx.domain.followup.params import FollowupSettings
from alsrx.i18n import N_, translator
from alsrx.web.pages import charts

# The FVC reference lines are the thresholds the follow-up alerts use (fvc_low,
# docs/clinical-rules.md "Follow-up rules"), the same numbers as the prescription engine's
# clinician review (EngineSettings.fvc_review_below_percent: 65 %, the lowest FVC of the exercise
# trials' populations, R36/R30) and its respiratory assessment first
# (respiratory_first_fvc_below_percent: 50 %, the NIV-referral trigger, rec-respiratory-first).
FVC_REVIEW = FollowupSettings().fvc_warning_below_percent
FVC_RESPIRATORY = FollowupSettings().fvc_urgent_below_percent
REVIEW_LABEL = N_("{percent} %: clinician review")
RESPIRATORY_LABEL = N_("{percent} %: respiratory assessment first")
DOMAINS = (
    ("bulbar", N_("Bulbar")),
    ("fine_motor", N_("Fine motor")),
    ("gross_motor", N_("Gross motor")),
    ("respiratory", N_("Respiratory")),
)


def _get(doc: Any, *keys: str) -> float | None:
    for key in keys:
        doc = doc.get(key) if isinstance(doc, dict) else None
    return doc if isinstance(doc, int | float) and not isinstance(doc, bool) else None


def _percent(value: float) -> str:
    return f"{value:g}"


def specs(rows: list[models.Assessment], lang: str) -> list[tuple[charts.Chart, str]]:
    """Each chart with the unit of its values (for the table's headings)."""
    _ = translator(lang)
    rows = sorted(rows, key=lambda r: r.date)
    dates = [r.date for r in rows]
    d = [r.derived or {} for r in rows]
    frs = [(key, _(name)) for key, name in DOMAINS]
    return [
        (
            charts.Chart(
                _("ALSFRS-R total (0–48)"),
                dates,
                [charts.Series(_("ALSFRS-R total"), [_get(x, "alsfrs_r", "total") for x in d])],
                0,
                48,
            ),
            _("points"),
        ),
        (
            charts.Chart(
                _("ALSFRS-R domains (each 0–12)"),
                dates,
                [charts.Series(name, [_get(x, "alsfrs_r", key) for x in d]) for key, name in frs],
                0,
                12,
            ),
            _("points"),
        ),
        (
            charts.Chart(
                _("FVC, % of predicted"),
                dates,
                [
                    charts.Series(
                        _("FVC % predicted"), [_get(x, "fvc", "percent_predicted") for x in d]
                    )
                ],
                0,
                None,
                (
                    charts.Reference(
                        FVC_REVIEW, _(REVIEW_LABEL).format(percent=_percent(FVC_REVIEW))
                    ),
                    charts.Reference(
                        FVC_RESPIRATORY,
                        _(RESPIRATORY_LABEL).format(percent=_percent(FVC_RESPIRATORY)),
                    ),
                ),
            ),
            "%",
        ),
        (
            charts.Chart(
                _("Six-minute walk (m)"),
                dates,
                [
                    charts.Series(
                        _("Distance"), [_get(x, "six_minute_walk", "measured_m") for x in d]
                    )
                ],
                0,
                None,
            ),
            _("m"),
        ),
        (
            charts.Chart(
                _("Weight (kg)"),
                dates,
                [charts.Series(_("Weight"), [_get(r.data, "weight_kg") for r in rows])],
            ),
            _("kg"),
        ),
    ]


def for_page(rows: list[models.Assessment], lang: str) -> list[dict[str, Any]]:
    """The charts with data, each drawn for a phone and a wider card, with its table; a chart
    without any value is left out (the page says so when none has any)."""
    out = []
    for chart, unit in specs(rows, lang):
        if not any(v is not None for s in chart.series for v in s.values):
            continue
        table = [(day, *[s.values[i] for s in chart.series]) for i, day in enumerate(chart.dates)]
        table = [row for row in table if any(v is not None for v in row[1:])]
        out.append(
            {
                "title": chart.title,
                "narrow": charts.svg(chart, lang, "narrow"),
                "wide": charts.svg(chart, lang, "wide"),
                "series": [s.name for s in chart.series],
                "unit": unit,
                "table": table,
            }
        )
    return out
