"""A dot-and-whisker chart (server-rendered SVG): one row per group, its estimate as a dot and
its 95 % interval as a line, on a shared axis with zero marked. Used for slopes by group; the
page pairs it with its table. Labels are measured as charts.py measures them."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from alsrx.web.pages import charts, render


@dataclass(frozen=True)
class Row:
    label: str
    value: float
    low: float | None = None
    high: float | None = None


def _ticks(low: float, high: float, room: int) -> list[float]:
    step = charts.nice_step(high - low, room)
    first = math.floor(low / step) * step
    return [
        first + i * step
        for i in range(int((high - first) / step) + 2)
        if first + i * step <= high + 1e-9
    ]


def svg(rows: Sequence[Row], title: str, lang: str, size: str = "wide") -> str:
    width, font, _ = charts.SIZES[size]
    values = [v for r in rows for v in (r.value, r.low, r.high) if v is not None] + [0.0]
    low, high = min(values), max(values)
    pad = max(0.05, (high - low) * 0.1)
    low, high = low - pad, high + pad
    label_w = min(width * 0.45, max(charts.text_width(r.label, font) for r in rows) + font)
    x0, x1 = label_w + font * 0.5, width - font
    row_h = font * 2.2
    top, height = font, font + row_h * len(rows) + font * 2.6

    def x(v: float) -> float:
        return x0 + (v - low) / (high - low) * (x1 - x0)

    bottom = top + row_h * len(rows)
    parts = [
        f'<svg class="trend trend-{size}" viewBox="0 0 {width:.0f} {height:.0f}" width="100%" '
        f'role="img" aria-label="{escape(title)}" font-size="{font:g}" '
        'preserveAspectRatio="xMinYMin meet">',
        f'<rect class="plot" x="{x0:.1f}" y="{top:.1f}" width="{x1 - x0:.1f}" '
        f'height="{bottom - top:.1f}"/>',
        _line('class="reference"', x(0), top, x(0), bottom),
    ]
    for t in _ticks(low, high, max(2, int((x1 - x0) // (font * 5)))):
        parts.append(_line('class="tick"', x(t), bottom, x(t), bottom + 4))
        tick = render.format_number(t, lang, 1)
        parts.append(_text("xtick", x(t), bottom + font * 1.4, "middle", tick))
    for i, r in enumerate(rows):
        cy = top + row_h * (i + 0.5)
        name = _clip(r.label, label_w - font, font)
        parts.append(_text("ytick", label_w, cy + font * 0.35, "end", name))
        if r.low is not None and r.high is not None:
            parts.append(_line(STROKE, x(r.low), cy, x(r.high), cy))
        parts.append(f'<circle cx="{x(r.value):.1f}" cy="{cy:.1f}" r="5" fill="{COLOUR}"/>')
    parts.append("</svg>")
    return "".join(parts)


COLOUR = charts.COLOURS[0]
STROKE = f'stroke="{COLOUR}" stroke-width="2.5"'


def _line(attrs: str, xa: float, ya: float, xb: float, yb: float) -> str:
    return f'<line {attrs} x1="{xa:.1f}" y1="{ya:.1f}" x2="{xb:.1f}" y2="{yb:.1f}"/>'


def _text(kind: str, x: float, y: float, anchor: str, text: str) -> str:
    return (
        f'<text class="{kind}" x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{escape(text)}</text>'
    )


def _clip(text: str, room: float, font: float) -> str:
    """A label that fits its column: cut with an ellipsis (the table beside says it whole)."""
    if charts.text_width(text, font) <= room:
        return text
    while text and charts.text_width(text + "…", font) > room:
        text = text[:-1]
    return text + "…"
