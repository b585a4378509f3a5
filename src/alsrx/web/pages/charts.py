"""Small server-rendered SVG line charts (no script, no external library), each paired with a
data table in the page for screen readers and exact values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT, PAD = 560, 220, 36
STYLES = ("#0b57d0", "#b00020", "#1e6b2f", "#8a5a00", "#6a1b9a")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2")  # not colour alone


def line_chart(
    title: str,
    dates: Sequence[dt.date],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    y_min: float | None = None,
    y_max: float | None = None,
) -> str:
    values = [v for _, vs in series for v in vs if v is not None]
    if not dates or not values:
        return ""
    low = y_min if y_min is not None else min(values)
    high = y_max if y_max is not None else max(values)
    high = high if high > low else low + 1
    first, last = dates[0].toordinal(), max(dates[-1].toordinal(), dates[0].toordinal() + 1)

    def x(day: dt.date) -> float:
        return PAD + (day.toordinal() - first) / (last - first) * (WIDTH - 2 * PAD)

    def y(value: float) -> float:
        return HEIGHT - PAD - (value - low) / (high - low) * (HEIGHT - 2 * PAD)

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}">',
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" stroke="currentColor"/>',
        f'<line x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{HEIGHT - PAD}" stroke="currentColor"/>',
        f'<text x="4" y="{y(high) + 4:.0f}">{high:g}</text><text x="4" y="{y(low) + 4:.0f}">{low:g}</text>',
    ]
    for i, (name, vs) in enumerate(series):
        points = [(x(d), y(v)) for d, v in zip(dates, vs, strict=True) if v is not None]
        if not points:
            continue
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        colour, dash = STYLES[i % len(STYLES)], DASHES[i % len(DASHES)]
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2.5" stroke-dasharray="{dash}" points="{path}"/>'
        )
        parts += [
            f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.5" fill="{colour}"/>' for px, py in points
        ]
        parts.append(
            f'<text x="{WIDTH - PAD + 2}" y="{points[-1][1] + 4:.0f}" fill="{colour}">{escape(name[:10])}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
