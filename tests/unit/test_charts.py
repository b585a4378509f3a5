"""The charts' layout: ticks inside the plot, no two labels overlapping or leaving the picture
(in English and Chinese, at both sizes), reference lines at their values, dates on the axis."""

import datetime as dt
import itertools
import re

import pytest

from alsrx.web.pages import charts
from alsrx.web.pages.patient_charts import FVC_RESPIRATORY, FVC_REVIEW

DAY = dt.date(2026, 1, 5)
CASES = {
    "one visit": [DAY],
    "two visits": [DAY, DAY + dt.timedelta(days=9)],
    "a year": [DAY + dt.timedelta(days=91 * i) for i in range(5)],
    "three years": [DAY + dt.timedelta(days=60 * i) for i in range(19)],
}


def fvc(dates, name="FVC % predicted"):
    values = [80 - 3 * i for i in range(len(dates))]
    refs = (
        charts.Reference(FVC_REVIEW, "65 %: clinician review"),
        charts.Reference(FVC_RESPIRATORY, "50 %：先做呼吸评估（呼吸专科）"),
    )
    return charts.Chart("FVC", dates, [charts.Series(name, values)], 0, None, refs)


def domains(dates):
    names = ("延髓", "精细运动", "Gross motor", "Respiratory")
    return charts.Chart(
        "domains",
        dates,
        [charts.Series(n, [12 - i % 3 for i in range(len(dates))]) for n in names],
        0,
        12,
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("size", ["narrow", "wide"])
@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("make", [fvc, domains])
def test_no_two_labels_overlap_and_every_label_and_tick_is_inside(lang, size, case, make):
    g = charts.layout(make(CASES[case]), lang, size)
    picture = charts.Box(0, 0, g.width, g.height)
    assert all(lb.box.inside(picture) for lb in g.labels)
    for a, b in itertools.combinations(g.labels, 2):
        assert not a.box.overlaps(b.box), (a.text, b.text)
    assert g.x_ticks and all(g.plot.x0 <= x <= g.plot.x1 for x in g.x_ticks)
    assert all(g.plot.y0 - 0.01 <= y <= g.plot.y1 + 0.01 for _, y in g.y_ticks)
    for points in g.points:
        assert all(g.plot.x0 < x < g.plot.x1 and g.plot.y0 <= y <= g.plot.y1 for x, y in points)


def test_the_fvc_reference_lines_lie_at_50_and_65_percent_of_the_scale():
    g = charts.layout(fvc(CASES["a year"]), "en")
    lines = dict(g.references)
    zero = next(y for v, y in g.y_ticks if v == 0)
    top_value, top = g.y_ticks[-1]
    for value in (FVC_REVIEW, FVC_RESPIRATORY):
        assert lines[value] == pytest.approx(zero - (zero - top) * value / top_value)
    assert (FVC_REVIEW, FVC_RESPIRATORY) == (65.0, 50.0)
    assert sum(lb.kind == "reference" for lb in g.labels) == 2


def test_domains_have_their_own_0_to_12_scale_and_the_total_0_to_48():
    assert [v for v, _ in charts.layout(domains(CASES["a year"]), "en").y_ticks] == [0, 3, 6, 9, 12]
    total = charts.Chart("t", CASES["a year"], [charts.Series("t", [40, 38, 37, 35, 33])], 0, 48)
    assert [v for v, _ in charts.layout(total, "en").y_ticks] == [0, 12, 24, 36, 48]


def test_the_time_axis_is_proportional_and_labelled_with_dates_in_the_readers_language():
    dates = [DAY, DAY + dt.timedelta(days=10), DAY + dt.timedelta(days=100)]
    chart = charts.Chart("w", dates, [charts.Series("kg", [70, 69, 68])])
    (a, b, c) = [x for x, _ in charts.layout(chart, "en").points[0]]
    assert (c - a) / (b - a) == pytest.approx(10)
    en = [lb.text for lb in charts.layout(chart, "en").labels if lb.kind == "xtick"]
    zh = [lb.text for lb in charts.layout(chart, "zh").labels if lb.kind == "xtick"]
    assert any("Feb" in t or "Mar" in t for t in en) and all("月" in t for t in zh)


def test_one_visit_is_labelled_with_its_date_and_series_differ_without_colour():
    g = charts.layout(fvc([DAY]), "en")
    assert [lb.text for lb in g.labels if lb.kind == "xtick"] == ["Jan 5, 2026"]
    svg = charts.svg(domains(CASES["a year"]), "en")
    assert 'role="img"' in svg and 'aria-label="domains"' in svg and 'width="100%"' in svg
    dashes = set(re.findall(r'<polyline fill="none"[^>]*stroke-dasharray="([^"]*)"', svg))
    assert len(dashes) == 4 and "<polygon" in svg and "<rect x=" in svg


def test_cjk_text_is_measured_as_one_em_a_glyph():
    assert charts.text_width("呼吸评估", 12) == 48
    assert charts.text_width("Resp", 12) < 48
