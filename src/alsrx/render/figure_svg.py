"""The drawing primitives of the exercise illustrations (render/figures.py) and their SVG text.

Shapes are drawn in scene units (y up), then `fit` scales and centres them in the view box
(y down) and `document` writes them: consecutive shapes of one style share one path, so a
figure stays a few kilobytes. Two inks only, a dark one and a mid grey, and white paper to
hide what is behind a head or a mattress.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

Point = tuple[float, float]
WIDTH, HEIGHT, MARGIN, MAX_SCALE = 240.0, 180.0, 5.0, 1.75
MIN_HEAD = 5.0  # px: alsrx default, the smallest head that still reads as one
INK, GREY, PAPER = "#1f1f1f", "#8c8c8c", "#ffffff"
STYLES = {  # the attributes of each style; widths in view-box units, never below 2
    "prop": f'stroke="{GREY}" stroke-width="2.2"',
    "prop_fill": f'fill="{PAPER}" stroke="{GREY}" stroke-width="2.2"',
    "prop_solid": f'fill="{GREY}" stroke="{GREY}" stroke-width="2"',
    "care": f'stroke="{GREY}" stroke-width="2.4"',
    "care_head": f'fill="{PAPER}" stroke="{GREY}" stroke-width="2.4"',
    "start": f'stroke="{GREY}" stroke-width="2.4" stroke-dasharray="5 4"',
    "far": f'stroke="{GREY}" stroke-width="3"',
    "ink": f'stroke="{INK}" stroke-width="3.2"',
    "head": f'fill="{PAPER}" stroke="{INK}" stroke-width="3.2"',
    "ink_solid": f'fill="{INK}" stroke="{INK}" stroke-width="2"',
    "arrow": f'stroke="{INK}" stroke-width="2.4"',
}
WIDEST_STROKE = 3.2


@dataclass(frozen=True)
class Shape:
    """One drawn thing: kind line|poly|circle|capsule|wave|quad, a style key, its points
    (a circle's centre; a capsule's two ends; a wave's two ends; a curve's start, control and
    end) and a radius (circle, capsule) or height (wave)."""

    kind: str
    style: str
    points: tuple[Point, ...]
    radius: float = 0.0


def shape(kind: str, style: str, *points: Point, radius: float = 0.0) -> Shape:
    return Shape(kind, style, tuple(points), radius)


def line(*points: Point, style: str = "prop") -> Shape:
    return Shape("line", style, tuple(points))


def capsule(a: Point, b: Point, r: float, style: str = "prop_fill") -> Shape:
    """A rounded bar from `a` to `b`: a mattress, a pillow, a bottle, a cuff."""
    return Shape("capsule", style, (a, b), r)


def box(x0: float, y0: float, x1: float, y1: float, style: str = "prop_fill") -> Shape:
    return Shape("poly", style, ((x0, y0), (x1, y0), (x1, y1), (x0, y1)))


def bounds(drawn: Sequence[Shape]) -> tuple[float, float, float, float]:
    """The box holding every shape and its stroke: x0, y0, x1, y1 (a curve lies within its
    control points)."""
    half = WIDEST_STROKE / 2
    found = [
        (x, y, (s.radius if s.kind in ("circle", "capsule", "wave") else 0.0) + half)
        for s in drawn
        for x, y in s.points
    ]
    return (
        min(x - r for x, _, r in found),
        min(y - r for _, y, r in found),
        max(x + r for x, _, r in found),
        max(y + r for _, y, r in found),
    )


def fit(drawn: Sequence[Shape]) -> tuple[Shape, ...]:
    """Scene to view box: scaled to fit (never beyond MAX_SCALE), centred, y turned down."""
    x0, y0, x1, y1 = bounds(drawn)
    room = 2 * (MARGIN + WIDEST_STROKE)
    scale = min((WIDTH - room) / max(x1 - x0, 1.0), (HEIGHT - room) / max(y1 - y0, 1.0), MAX_SCALE)
    ox = (WIDTH - scale * (x0 + x1)) / 2
    oy = (HEIGHT + scale * (y0 + y1)) / 2

    def to(p: Point) -> Point:
        return (ox + scale * p[0], oy - scale * p[1])

    def radius(s: Shape) -> float:
        # A pose wider than the box shrinks the figure; the head is still never drawn below the
        # legible 5 px (the margin holds the few hundredths of a pixel this can add).
        return max(s.radius * scale, MIN_HEAD) if s.style == "head" else s.radius * scale

    return tuple(Shape(s.kind, s.style, tuple(map(to, s.points)), radius(s)) for s in drawn)


def _n(v: float) -> str:
    text = f"{v:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _pt(p: Point) -> str:
    return f"{_n(p[0])} {_n(p[1])}"


def _circle(c: Point, r: float) -> str:
    arc = f"a{_n(r)} {_n(r)} 0 1 0"
    return f"M{_pt((c[0] - r, c[1]))}{arc} {_n(2 * r)} 0{arc} {_n(-2 * r)} 0"


def _capsule(a: Point, b: Point, r: float) -> str:
    d = math.dist(a, b)
    if d < 0.05:
        return _circle(a, r)
    n = (-(b[1] - a[1]) / d * r, (b[0] - a[0]) / d * r)
    p1, p2 = (a[0] + n[0], a[1] + n[1]), (b[0] + n[0], b[1] + n[1])
    p3, p4 = (b[0] - n[0], b[1] - n[1]), (a[0] - n[0], a[1] - n[1])
    arc = f"A{_n(r)} {_n(r)} 0 0 0 "  # round each end, on the outside
    return f"M{_pt(p1)}L{_pt(p2)}{arc}{_pt(p3)}L{_pt(p4)}{arc}{_pt(p1)}Z"


def _wave(a: Point, b: Point, height: float) -> str:
    count = max(1, int((b[0] - a[0]) / 6))
    step = (b[0] - a[0]) / count
    return f"M{_pt(a)}q{_n(step / 2)} {_n(-2 * height)} {_n(step)} 0" + f"t{_n(step)} 0" * (
        count - 1
    )


def path_data(s: Shape) -> str:
    pts = s.points
    if s.kind == "circle":
        return _circle(pts[0], s.radius)
    if s.kind == "capsule":
        return _capsule(pts[0], pts[1], s.radius)
    if s.kind == "wave":
        return _wave(pts[0], pts[1], s.radius)
    if s.kind == "quad":
        return f"M{_pt(pts[0])}Q{_pt(pts[1])} {_pt(pts[2])}"
    return f"M{_pt(pts[0])}L" + " ".join(map(_pt, pts[1:])) + ("Z" if s.kind == "poly" else "")


def _xml_text(text: str) -> str:
    """The text without the characters XML 1.0 cannot hold, escaped."""
    kept = "".join(
        c
        for c in text
        if c in "\t\n\r" or " " <= c <= "\ud7ff" or "\ue000" <= c <= "\ufffd" or c >= "\U00010000"
    )
    return escape(kept, quote=True)


def document(drawn: Sequence[Shape], *, title: str, lang: str) -> str:
    """The SVG text, shapes in drawing order, named by its title for screen readers."""
    parts = []
    i = 0
    while i < len(drawn):
        j = i
        while j < len(drawn) and drawn[j].style == drawn[i].style:
            j += 1
        parts.append(f'<path {STYLES[drawn[i].style]} d="{"".join(map(path_data, drawn[i:j]))}"/>')
        i = j
    size = f'width="{WIDTH:g}" height="{HEIGHT:g}" viewBox="0 0 {WIDTH:g} {HEIGHT:g}"'
    strokes = 'fill="none" stroke-linecap="round" stroke-linejoin="round"'
    return (
        # aria-label, not aria-labelledby: one exercise may be drawn twice on a page (the
        # same warm-up before two sessions), and ids must be unique there.
        f'<svg xmlns="http://www.w3.org/2000/svg" {size} role="img" '
        f'aria-label="{_xml_text(title)}" lang="{_xml_text(lang)}" {strokes}>'
        f"<title>{_xml_text(title)}</title>"
        f"{''.join(parts)}</svg>"
    )
