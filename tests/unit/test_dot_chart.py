"""The dot-and-whisker chart: one dot per group, its interval, zero marked, labels that fit."""

import re

from alsrx.web.pages import dot_chart


def test_each_group_has_a_dot_an_interval_and_a_label_inside_the_picture():
    rows = [
        dot_chart.Row("Lowest third of adherence", -1.19, -1.34, -1.04),
        dot_chart.Row("依从性最高的三分之一", -0.06, -0.22, 0.09),
    ]
    for size in ("narrow", "wide"):
        svg = dot_chart.svg(rows, "Slopes", "en", size)
        assert svg.count("<circle") == 2 and svg.count('class="reference"') == 1
        width = float(re.search(r'viewBox="0 0 ([\d.]+)', svg).group(1))
        xs = [float(x) for x in re.findall(r'<text class="[a-z]+" x="([\d.-]+)"', svg)]
        assert all(0 <= x <= width for x in xs)


def test_a_label_too_long_for_its_column_is_cut_with_an_ellipsis():
    rows = [dot_chart.Row("A very long group name " * 6, 0.5)]
    svg = dot_chart.svg(rows, "Slopes", "en", "narrow")
    assert "…" in svg and "A very long group name " * 6 not in svg
