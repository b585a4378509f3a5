"""The cohort builder's query and its analysis in words: what the research page shows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request

from alsrx.analytics import d50
from alsrx.i18n import N_
from alsrx.render import patient_labels, research_words
from alsrx.render.assessment_text import CATEGORY
from alsrx.services import research_cohort
from alsrx.services.research_analyses import Analysis
from alsrx.web.api import research_query
from alsrx.web.pages import charts, dot_chart, render

Gettext = Callable[[str], str]
EXPOSURE_FILTERS = ("adherence", "dose")  # groupings that are also filters
TO, REFERENCE = N_("to"), N_("reference")  # "−1.34 to −1.04"; the model's reference group


def form(request: Request, centres: dict[int, str], _: Gettext) -> list[dict[str, Any]]:
    """The builder's fieldsets: each option in words, checked as the query has it."""
    chosen = request.query_params.getlist
    sets = (
        ("centre", _("Centre"), [(str(k), v) for k, v in centres.items()]),
        ("onset_region", _("Region of onset"),
         [(k, _(v)) for k, v in patient_labels.ONSET_REGION.items()]),
        ("kings", _("King's stage at baseline"), [(k, k) for k in research_query.KINGS]),
        ("category", _("Progression at baseline"), [(k, _(v)) for k, v in CATEGORY.items()]),
        ("programme", _("Programme type"),
         [(k, _(research_words.GROUPS[k])) for k in research_cohort.PROGRAMMES]),
        *((name, _(research_words.GROUPINGS[name]),
           [(k, _(research_words.GROUPS[k])) for k in research_cohort.ORDER[name]])
          for name in EXPOSURE_FILTERS),
    )  # fmt: skip
    return [
        {"name": name, "legend": legend,
         "options": [{"value": v, "label": lab, "checked": v in chosen(name)} for v, lab in opts]}
        for name, legend, opts in sets
    ]  # fmt: skip


def group_name(code: str, _: Gettext) -> str:
    return _(research_words.GROUPS[code])


def shown(value: int | None, lang: str) -> str:
    return "—" if value is None else render.format_number(value, lang, 0)


def comparison_rows(a: Analysis, lang: str, tr: Gettext) -> list[list[str]]:
    """The model's slopes and differences as table rows, in the groups' own order."""
    if a.comparison is None:
        return []
    slopes = {g.group: g for g in a.comparison.slopes}
    differences = {d.group: d for d in a.comparison.differences}
    rows = []
    for code in [g.code for g in a.groups if g.code in slopes]:
        g, d = slopes[code], differences.get(code)
        rows.append([
            group_name(code, tr),
            number(g.slope, lang, 2),
            _interval(g.ci_low, g.ci_high, lang, tr),
            number(d.difference, lang, 2) if d else tr(REFERENCE),
            _interval(d.ci_low, d.ci_high, lang, tr) if d else "",
            p_value(d.p_value, lang) if d else "",
        ])  # fmt: skip
    return rows


def _interval(low: float, high: float, lang: str, tr: Gettext) -> str:
    return f"{number(low, lang, 2)} {tr(TO)} {number(high, lang, 2)}"


def p_value(value: float, lang: str) -> str:
    """p as statisticians write it: three decimals, and "< 0.001" below that."""
    if value < 0.001:
        return "< " + render.format_number(0.001, lang, 3)
    return render.format_number(value, lang, 3)


def number(value: float | None, lang: str, places: int = 1) -> str:
    return "—" if value is None else render.format_number(value, lang, places)


def course_chart(a: Analysis, lang: str, _: Gettext) -> dict[str, Any]:
    """The mean ALSFRS-R course by group (the reference drawn first, behind), its table."""
    months = [float(b) for b in a.course.bins]
    series = [
        charts.Series(group_name(code, _), list(values)) for code, values in a.course.means.items()
    ]
    if a.course.reference is not None:
        series.insert(0, charts.Series(_("PRO-ACT reference"), list(a.course.reference)))
    headers = [_("Months since onset"), *(s.name for s in series)]
    rows = [
        [render.format_number(m, lang, 0), *(number(s.values[i], lang) for s in series)]
        for i, m in enumerate(months)
    ]
    title = _("Mean ALSFRS-R total by months since onset")
    if not any(v is not None for s in series for v in s.values):
        return _figure(None, title, headers, rows, lang)
    chart = charts.Chart(
        title=title,
        dates=(),
        series=series,
        y_min=0,
        y_max=48,
        months=months,
        month_label=_("{n} mo"),
    )
    return _figure(chart, title, headers, rows, lang)


def d50_chart(a: Analysis, lang: str, _: Gettext) -> dict[str, Any]:
    months = [float(start) for start, _n in a.d50_histogram]
    counts = [None if n is None else float(n) for _s, n in a.d50_histogram]
    last = len(months) - 1
    rows = [
        [_("{low} to {high} months").format(low=int(m), high=int(m) + d50_step(a))
         if i < last else _("{low} months or more").format(low=int(m)), shown(n, lang)]
        for i, (m, (_s, n)) in enumerate(zip(months, a.d50_histogram, strict=True))
    ]  # fmt: skip
    headers = [_("D50"), _("Patients")]
    title = _("Patients by D50 (months)")
    if not any(counts):
        return _figure(None, title, headers, rows, lang)
    chart = charts.Chart(
        title=title,
        dates=(),
        series=[charts.Series(_("Patients"), counts)],
        y_min=0,
        months=months,
        month_label=_("{n} mo"),
    )
    return _figure(chart, title, headers, rows, lang)


def slope_chart(a: Analysis, lang: str, _: Gettext) -> dict[str, Any]:
    """Slopes by group: the model's estimates with their 95 % intervals when there is a
    comparison, else each group's median per-patient slope (where it may be shown)."""
    found: list[dot_chart.Row] = []
    if a.comparison is not None:
        slopes = {g.group: g for g in a.comparison.slopes}
        found = [
            dot_chart.Row(group_name(c, _), slopes[c].slope, slopes[c].ci_low, slopes[c].ci_high)
            for c in [g.code for g in a.groups if g.code in slopes]
        ]
        title = _("ALSFRS-R slope by group (mixed model, 95 % interval), points a month")
    else:
        found = [
            dot_chart.Row(group_name(g.code, _), g.slope_median)
            for g in a.groups
            if g.slope_median is not None
        ]
        title = _("ALSFRS-R slope by group (median of the patients' own), points a month")
    headers = [_("Group"), _("Slope"), _("95 % CI")]
    rows = [
        [r.label, number(r.value, lang, 2),
         "" if r.low is None or r.high is None else _interval(r.low, r.high, lang, _)]
        for r in found
    ]  # fmt: skip
    return {
        "title": title,
        "narrow": dot_chart.svg(found, title, lang, "narrow") if found else "",
        "wide": dot_chart.svg(found, title, lang, "wide") if found else "",
        "headers": headers,
        "rows": rows,
    }


def d50_step(a: Analysis) -> int:
    starts = [s for s, _n in a.d50_histogram]
    return starts[1] - starts[0] if len(starts) > 1 else 12


def _figure(
    chart: charts.Chart | None, title: str, headers: list[str], rows: list[list[str]], lang: str
) -> dict[str, Any]:
    """A chart at both sizes (none when every value is withheld) with its table."""
    return {
        "title": title,
        "narrow": charts.svg(chart, lang, "narrow") if chart else "",
        "wide": charts.svg(chart, lang, "wide") if chart else "",
        "headers": headers,
        "rows": rows,
    }


def aggressiveness_headers(_: Gettext) -> list[str]:
    return [_(research_words.AGGRESSIVENESS[a.value]) for a in d50.Aggressiveness]
