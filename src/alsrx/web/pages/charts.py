"""Server-rendered SVG line charts over time (no script, no library), each paired with a data
table in the page. The layout is computed first (`layout`), with every label's box, so that tests
can check that nothing overlaps or leaves the picture; `svg` only draws it.

Text is measured conservatively: a CJK glyph as 1 em, a Latin one as up to 0.85 em, so that
labels placed apart here stay apart in any font the browser picks."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

from babel import dates as babel_dates

from alsrx.i18n import locale_for
from alsrx.web.pages import render

COLOURS = ("#0b57d0", "#b00020", "#1e6b2f", "#8a5a00", "#6a1b9a")
DASHES = ("", "7 4", "2 3", "9 3 2 3", "1 2")  # series told apart without colour: dash...
MARKERS = ("circle", "square", "triangle", "diamond", "cross")  # ...and marker
# Two drawings of each chart: one for a phone, one for a wider card; CSS shows one.
SIZES = {"narrow": (340, 12.0, 150), "wide": (600, 13.0, 190)}
# Day, month and year steps for the time axis, finest first, with the date skeleton each uses.
X_STEPS = (
    *(("day", n, "MMMd") for n in (1, 2, 7, 14)),
    *(("month", n, "yMMM") for n in (1, 2, 3, 6)),
    *(("year", n, "y") for n in (1, 2, 5, 10)),
)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


@dataclass(frozen=True)
class Reference:
    value: float
    label: str


@dataclass(frozen=True)
class Chart:
    title: str
    dates: Sequence[dt.date]
    series: Sequence[Series]
    y_min: float | None = None  # fixed ends of the scale (a score's range); None: from data
    y_max: float | None = None
    references: Sequence[Reference] = ()
    months: Sequence[float] = ()  # a numeric time axis (months since onset) in place of dates
    month_label: str = "{n}"  # its tick labels ("{n} mo", "{n} 个月"), already translated


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        return (
            self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1
        )

    def inside(self, other: Box) -> bool:
        return (
            self.x0 >= other.x0
            and self.x1 <= other.x1
            and self.y0 >= other.y0
            and self.y1 <= other.y1
        )


@dataclass(frozen=True)
class Label:
    text: str
    x: float
    y: float  # baseline
    anchor: str  # start | middle | end
    box: Box
    kind: str  # xtick | ytick | reference | legend


@dataclass
class Layout:
    width: float
    height: float
    font: float
    plot: Box
    labels: list[Label] = field(default_factory=list)
    x_ticks: list[float] = field(default_factory=list)
    y_ticks: list[tuple[float, float]] = field(default_factory=list)  # (value, y)
    references: list[tuple[float, float]] = field(default_factory=list)  # (value, y)
    points: list[list[tuple[float, float]]] = field(default_factory=list)
    legend: list[tuple[float, float]] = field(default_factory=list)  # sample line start


def text_width(text: str, font: float) -> float:
    return sum(_advance(ch) for ch in text) * font


def _advance(ch: str) -> float:
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    if ch.isupper() or ch in "mwMW%@":
        return 0.85
    return 0.4 if ch in " .,:;'!|il()" else 0.62


def label(text: str, x: float, y: float, anchor: str, font: float, kind: str) -> Label:
    w = text_width(text, font)
    x0 = {"start": x, "middle": x - w / 2, "end": x - w}[anchor]
    return Label(text, x, y, anchor, Box(x0, y - font * 0.95, x0 + w, y + font * 0.3), kind)


def nice_step(span: float, count: int) -> float:
    raw = span / max(1, count)
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def y_range(chart: Chart) -> tuple[float, float]:
    values = [v for s in chart.series for v in s.values if v is not None]
    values += [r.value for r in chart.references]
    low = chart.y_min if chart.y_min is not None else min(values)
    high = chart.y_max if chart.y_max is not None else max(values)
    if chart.y_min is None:  # a measure not starting at zero: room below its lowest value
        low -= max(1.0, (high - low) * 0.1)
    if chart.y_max is None:
        high += max(1.0, (high - low) * 0.1)
    return low, high


def _y_ticks(low: float, high: float, fixed: bool, room: int) -> list[float]:
    if fixed:  # a score's own range: quarters of it (0, 12, 24, 36, 48; 0, 3, 6, 9, 12)
        step = (high - low) / 4 if room >= 5 else (high - low) / 2
        return [low + i * step for i in range(round((high - low) / step) + 1)]
    step = nice_step(high - low, min(5, room - 1))
    first = math.ceil(low / step) * step
    return [first + i * step for i in range(int((high - first) / step + 1e-9) + 1)]


def layout(chart: Chart, lang: str, size: str = "wide") -> Layout:
    width, font, plot_h = SIZES[size]
    low, high = y_range(chart)
    fixed = chart.y_min is not None and chart.y_max is not None
    y_values = _y_ticks(low, high, fixed, room=int(plot_h // (font * 1.8)) + 1)
    low, high = min(low, y_values[0]), max(high, y_values[-1])
    y_texts = [render.format_number(v, lang, 1) for v in y_values]
    left = max(text_width(t, font) for t in y_texts) + font
    right = width - font * 0.5
    legend_rows, legend_h = _legend(chart, lang, left, right, font)
    top = legend_h + font
    plot = Box(left, top, right, top + plot_h)
    out = Layout(width, plot.y1 + font * 2.2, font, plot)

    def y(v: float) -> float:
        return plot.y1 - (v - low) / (high - low) * plot_h

    for v, t in zip(y_values, y_texts, strict=True):
        out.y_ticks.append((v, y(v)))
        out.labels.append(label(t, left - font * 0.5, y(v) + font * 0.35, "end", font, "ytick"))
    if chart.months:
        x: Callable[[Any], float] = _number_scale(chart.months, plot)
        ticks, xs = _month_ticks(chart, x, out), list[Any](chart.months)
    else:
        x = _time_scale(chart.dates, plot)
        ticks, xs = _x_ticks(chart.dates, x, plot, out, lang), list[Any](chart.dates)
    for tick_x, text in ticks:
        out.x_ticks.append(tick_x)
        out.labels.append(label(text, tick_x, plot.y1 + font * 1.4, "middle", font, "xtick"))
    for s in chart.series:
        out.points.append(
            [(x(d), y(v)) for d, v in zip(xs, s.values, strict=True) if v is not None]
        )
    _references(chart, out, y, lang)
    for row, items in enumerate(legend_rows):
        for start, name in items:
            baseline = font * 1.2 + row * font * 1.6
            out.legend.append((start, baseline - font * 0.35))
            out.labels.append(label(name, start + 30, baseline, "start", font, "legend"))
    return out


def _legend(
    chart: Chart, lang: str, left: float, right: float, font: float
) -> tuple[list[list[tuple[float, str]]], float]:
    """The series' names in rows above the plot (none for a single series: the title names it)."""
    if len(chart.series) < 2:
        return [], 0.0
    rows: list[list[tuple[float, str]]] = [[]]
    at = left
    for s in chart.series:
        w = 30 + text_width(s.name, font) + font
        if at + w > right and rows[-1]:
            rows.append([])
            at = left
        rows[-1].append((at, s.name))
        at += w
    return rows, len(rows) * font * 1.6


def _time_scale(dates: Sequence[dt.date], plot: Box) -> Callable[[dt.date], float]:
    """x in proportion to time; a margin inside the plot so the first and last points show."""
    first, last = min(dates).toordinal(), max(dates).toordinal()
    pad = max(14.0, (last - first) * 0.06) if last == first else max(2.0, (last - first) * 0.06)
    start, end = first - pad, last + pad
    return lambda d: plot.x0 + (d.toordinal() - start) / (end - start) * (plot.x1 - plot.x0)


def _number_scale(values: Sequence[float], plot: Box) -> Callable[[float], float]:
    first, last = min(values), max(values)
    pad = max(1.0, (last - first) * 0.06)
    start, end = first - pad, last + pad
    return lambda v: plot.x0 + (v - start) / (end - start) * (plot.x1 - plot.x0)


MONTH_STEPS = (3, 6, 12, 24, 36, 60, 120)


def _month_ticks(chart: Chart, x: Callable[[float], float], out: Layout) -> list[tuple[float, str]]:
    """The finest month steps whose labels fit side by side inside the picture."""
    first, last = min(chart.months), max(chart.months)
    picture = Box(out.plot.x0 - out.font * 0.4, -(10**6), out.width, 10**6)
    for step in MONTH_STEPS:
        values = range(math.ceil(first / step) * step, math.floor(last) + 1, step)
        ticks = [(x(v), chart.month_label.format(n=v)) for v in values]
        boxes = [label(t, tx, 0, "middle", out.font, "xtick").box for tx, t in ticks]
        ticks = [t for t, b in zip(ticks, boxes, strict=True) if b.inside(picture)]
        if len(ticks) <= 12 and _apart(ticks, out.font):
            return ticks
    return []


def _tick_dates(kind: str, step: int, first: dt.date, last: dt.date) -> list[dt.date]:
    if kind == "day":
        n = -(-first.toordinal() // step) * step
        return [dt.date.fromordinal(o) for o in range(n, last.toordinal() + 1, step)]
    if kind == "month":
        months = range(first.year * 12 + first.month - 1, last.year * 12 + last.month)
        found = [dt.date(m // 12, m % 12 + 1, 1) for m in months if m % step == 0]
        return [d for d in found if first <= d <= last]
    return [dt.date(y, 1, 1) for y in range(first.year, last.year + 1) if y % step == 0][
        (1 if dt.date(first.year, 1, 1) < first else 0) :
    ]


def _x_ticks(
    dates: Sequence[dt.date],
    x: Callable[[dt.date], float],
    plot: Box,
    out: Layout,
    lang: str,
) -> list[tuple[float, str]]:
    """The finest date ticks whose labels fit side by side inside the picture; one visit is
    labelled with its own date."""
    locale = locale_for(lang)
    if len(set(dates)) == 1:
        text = babel_dates.format_skeleton("yMMMd", dates[0], locale=locale)
        return [(x(dates[0]), text)]
    span = plot.x1 - plot.x0
    first = dt.date.fromordinal(math.ceil(_date_at(plot.x0, x, dates, span)))
    last = dt.date.fromordinal(math.floor(_date_at(plot.x1, x, dates, span)))
    # Only the sides matter: clear of the y labels (to the plot's left) and of the right edge.
    picture = Box(plot.x0 - out.font * 0.4, -(10**6), out.width, 10**6)
    fallback: list[tuple[float, str]] = []
    for kind, step, skeleton in X_STEPS:
        ticks = [
            (x(d), babel_dates.format_skeleton(skeleton, d, locale=locale))
            for d in _tick_dates(kind, step, first, last)
        ]
        boxes = [label(t, tx, 0, "middle", out.font, "xtick").box for tx, t in ticks]
        ticks = [t for t, b in zip(ticks, boxes, strict=True) if b.inside(picture)]
        if len(ticks) > 12 or not _apart(ticks, out.font):
            continue
        if len(ticks) >= 2:
            return ticks
        fallback = fallback or ticks
    return fallback


def _date_at(
    px: float, x: Callable[[dt.date], float], dates: Sequence[dt.date], span: float
) -> float:
    a, b = min(dates), max(dates)
    xa, xb = x(a), x(b)
    return a.toordinal() + (px - xa) / (xb - xa) * (b.toordinal() - a.toordinal())


def _apart(ticks: list[tuple[float, str]], font: float) -> bool:
    boxes = [label(t, tx, 0, "middle", font, "xtick").box for tx, t in ticks]
    return all(b.x1 + font * 0.8 <= c.x0 for b, c in itertools.pairwise(boxes))


def _references(chart: Chart, out: Layout, y: Callable[[float], float], lang: str) -> None:
    """Reference lines with their labels at the plot's right end, above the line, or below it
    when the label above would meet the previous one or the plot's top."""
    placed: list[Box] = []
    font, plot = out.font, out.plot
    for ref in sorted(chart.references, key=lambda r: -r.value):
        ry = y(ref.value)
        if not plot.y0 <= ry <= plot.y1:
            continue
        out.references.append((ref.value, ry))
        above = label(ref.label, plot.x1 - 4, ry - 4, "end", font, "reference")
        below = label(ref.label, plot.x1 - 4, ry + font + 2, "end", font, "reference")
        ok = [
            c
            for c in (above, below)
            if c.box.inside(plot) and not any(c.box.overlaps(p) for p in placed)
        ]
        chosen = ok[0] if ok else above
        placed.append(chosen.box)
        out.labels.append(chosen)


def svg(chart: Chart, lang: str, size: str = "wide") -> str:
    """The chart drawn at one size; `accessible_name` names it for screen readers."""
    g = layout(chart, lang, size)
    p = g.plot
    parts = [
        f'<svg class="trend trend-{size}" viewBox="0 0 {g.width:.0f} {g.height:.0f}" '
        f'width="100%" role="img" aria-label="{escape(chart.title)}" '
        f'font-size="{g.font:g}" preserveAspectRatio="xMinYMin meet">',
        f'<rect class="plot" x="{p.x0:.1f}" y="{p.y0:.1f}" width="{p.x1 - p.x0:.1f}" '
        f'height="{p.y1 - p.y0:.1f}"/>',
    ]
    parts += [
        f'<line class="grid" x1="{p.x0:.1f}" y1="{ty:.1f}" x2="{p.x1:.1f}" y2="{ty:.1f}"/>'
        for _, ty in g.y_ticks
    ]
    parts += [
        f'<line class="tick" x1="{tx:.1f}" y1="{p.y1:.1f}" x2="{tx:.1f}" y2="{p.y1 + 4:.1f}"/>'
        for tx in g.x_ticks
    ]
    parts += [
        f'<line class="reference" x1="{p.x0:.1f}" y1="{ry:.1f}" x2="{p.x1:.1f}" y2="{ry:.1f}"/>'
        for _, ry in g.references
    ]
    for i, points in enumerate(g.points):
        colour, dash, marker = COLOURS[i % 5], DASHES[i % 5], MARKERS[i % 5]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            parts.append(
                f'<polyline fill="none" stroke="{colour}" stroke-width="2.5" '
                f'stroke-dasharray="{dash}" points="{path}"/>'
            )
        parts += [_marker(marker, px, py, colour) for px, py in points]
    for i, (lx, ly) in enumerate(g.legend):
        colour, dash, marker = COLOURS[i % 5], DASHES[i % 5], MARKERS[i % 5]
        parts.append(
            f'<line x1="{lx:.1f}" y1="{ly:.1f}" x2="{lx + 24:.1f}" y2="{ly:.1f}" stroke="{colour}" '
            f'stroke-width="2.5" stroke-dasharray="{dash}"/>'
        )
        parts.append(_marker(marker, lx + 12, ly, colour))
    for lb in g.labels:
        parts.append(
            f'<text class="{lb.kind}" x="{lb.x:.1f}" y="{lb.y:.1f}" text-anchor="{lb.anchor}">'
            f"{escape(lb.text)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    r = 4.0
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{colour}"/>'
    if kind == "square":
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r}" height="{2 * r}" fill="{colour}"/>'
    shapes = {
        "triangle": [(0, -r - 1), (r + 1, r), (-r - 1, r)],
        "diamond": [(0, -r - 1), (r + 1, 0), (0, r + 1), (-r - 1, 0)],
        "cross": [(-r, -r), (r, r), (0, 0), (r, -r), (-r, r), (0, 0)],
    }
    pts = " ".join(f"{x + dx:.1f},{y + dy:.1f}" for dx, dy in shapes[kind])
    if kind == "cross":
        return f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2.5"/>'
    return f'<polygon points="{pts}" fill="{colour}"/>'
