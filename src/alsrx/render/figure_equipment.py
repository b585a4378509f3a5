"""The equipment of the exercise illustrations (render/figures.py), the codes of the patient
record's equipment list: bikes and ergometers, treadmills, elastic bands, cuff weights, the
breathing trainers and the pool. Plain grey line drawings made for alsrx, placed from the poses
(scene units, y up, the floor at 0) in the same three steps as figure_props: `arrange`,
`grips`, `attached`.

A crank turns where the feet (or hands) are: its centre is the midpoint of the start and end
ankles (wrists), so whatever angles an entry gives, the pedals sit under the feet.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from alsrx.render import figure_pose as pose
from alsrx.render import figure_props as props
from alsrx.render import figure_svg as draw

Point = pose.Point
PEDALS = ("cycle_ergometer", "recumbent_bike", "motor_assisted_cycle")
TREADMILLS = ("treadmill", "bodyweight_supported_treadmill")
MOUTH = ("emst_device", "imt_device")
_line, _capsule = draw.line, draw.capsule


def _mid(a: Point, b: Point) -> Point:
    return ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)


def _towards(a: Point, b: Point, f: float) -> Point:
    return (a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]))


def _crank(a: Point, b: Point) -> tuple[Point, float]:
    return _mid(a, b), min(10.0, max(5.0, math.dist(a, b) / 2))


def _bike(
    kind: str, setting: props.Setting, start: Mapping[str, Point], end: Mapping[str, Point]
) -> list[draw.Shape]:
    centre, r = _crank(start["left_ankle"], end["left_ankle"])
    px, seat = start["pelvis"][0], setting.seat
    if setting.view == "front":
        return [
            _line((px - 16, 0.0), (px + 16, 0.0)),
            _line((px, 0.0), (px, seat)),
            draw.shape("circle", "prop", (px, centre[1]), radius=r),
        ]
    cx, cy = centre
    shapes = [draw.shape("circle", "prop", centre, radius=r), _line((px - 14, 0.0), (cx + 26, 0.0))]
    if kind == "cycle_ergometer":
        bar = (start["neck"][0] + 26, start["neck"][1] - 14)
        shapes += [
            _capsule((px - 6, seat + 1), (px + 5, seat + 1), 2.0),
            _line((px, seat), (px + 2, 0.0)),
            _line((px + 1, seat / 2), centre, (cx + 14, 10.0)),
            draw.shape("circle", "prop", (cx + 14, 10.0), radius=9.0),
            _line((cx + 22, 0.0), (bar[0], bar[1] - 2), (bar[0] - 6, bar[1])),
        ]
    elif kind == "recumbent_bike":  # a low frame, the seat at the back, the pedals in front
        shapes = [
            _line((px - 14, 0.0), (cx + 14, 0.0)),
            _line((px - 4, 0.0), (px - 2, seat - 3), (cx, cy)),
            _line((cx + 6, 0.0), (cx + 2, cy)),
            draw.shape("circle", "prop_fill", centre, radius=r + 4),
            draw.shape("circle", "prop", centre, radius=2.0),
            _line((px + 8, seat), (px - 7, seat), (px - 19, seat + 32)),
            _line((px + 4, seat), (px + 6, seat + 8), (px + 12, seat + 8)),
        ]
    else:  # a motor-assisted trainer standing in front of the chair
        shapes += [
            _capsule((cx, 5.0), (cx + 12, 5.0), 5.0),
            _line((cx + 8, 8.0), (cx + 10, 56.0), (cx + 2, 58.0)),
            _capsule((cx + 8, 62.0), (cx + 14, 62.0), 3.0),
        ]
    return shapes


def _treadmill(
    kind: str, setting: props.Setting, start: Mapping[str, Point], end: Mapping[str, Point]
) -> list[draw.Shape]:
    x0, x1 = props.xs(start, end)
    if setting.view == "front":
        cx = start["pelvis"][0]
        shapes = [_capsule((cx - 24, 2.0), (cx + 24, 2.0), 2.0)]
        shapes += [
            _line((cx + k * 22, 4.0), (cx + k * 22, props.RAIL_H), (cx + k * 16, props.RAIL_H))
            for k in (-1, 1)
        ]
        if kind == "bodyweight_supported_treadmill":
            shapes.append(_line((cx - 30, 0.0), (cx - 30, 118.0), (cx + 30, 118.0), (cx + 30, 0.0)))
        return shapes
    front = x1 + 16
    shapes = [
        _capsule((x0 - 18, 2.0), (front, 2.0), 2.0),
        _line((front - 2, 4.0), (front + 4, 72.0)),
        _capsule((front, 74.0), (front + 8, 70.0), 3.0),
        _line((front + 2, props.RAIL_H), (x0 + 4, props.RAIL_H)),
    ]
    if kind == "bodyweight_supported_treadmill":
        shapes.append(_line((x0 - 20, 0.0), (x0 - 20, 118.0), (start["neck"][0] + 6, 118.0)))
    return shapes


def arrange(
    setting: props.Setting, start: Mapping[str, Point], end: Mapping[str, Point]
) -> props.Arrangement:
    arr = props.Arrangement()
    names = setting.names
    for kind in PEDALS:
        if kind in names:
            arr.behind += _bike(kind, setting, start, end)
            arr.marks["crank"] = _crank(start["left_ankle"], end["left_ankle"])[0]
            break
    for kind in TREADMILLS:
        if kind in names:
            arr.behind += _treadmill(kind, setting, start, end)
            break
    if "arm_ergometer" in names:
        centre, r = _crank(start["left_wrist"], end["left_wrist"])
        cx, cy = centre
        arr.marks["arm_crank"] = centre
        away = 1.0 if setting.view == "side" else 0.0
        arr.behind += [
            _capsule((cx + 5 * away, cy), (cx + 12 * away, cy), 6.0),
            _line((cx + 9 * away, cy - 6), (cx + 9 * away, 0.0)),
            _line((cx - 6 + 9 * away, 0.0), (cx + 24 * away + 6, 0.0)),
        ]
        arr.front.append(draw.shape("circle", "prop", centre, radius=r))
    if "elastic_bands" in names:
        loop = _loop(start, end) if setting.view == "front" else None
        if loop is not None:
            arr.choices["band_loop"] = loop
        arr.marks["band"] = _anchor(setting, start, end)
    if "pool" in names:
        level = start["pelvis"][1] + 0.65 * (start["neck"][1] - start["pelvis"][1])
        if setting.base in ("lying", "side_lying", "in_bed"):
            level = start["pelvis"][1] + 3.0
        x0, x1 = props.xs(start, end)
        arr.front.append(draw.shape("wave", "prop", (x0 - 26, level), (x1 + 26, level), radius=1.6))
    return arr


def _anchor(setting: props.Setting, start: Mapping[str, Point], end: Mapping[str, Point]) -> Point:
    """Where the band is tied: under the foot for a lift of the arm, otherwise behind the start
    of the movement and on the floor if it gets there (round a chair leg for a kick)."""
    moving = _moving(start, end)
    tip, far = _band_end(start, moving), _band_end(end, moving)
    if moving.endswith("hand") and far[1] > tip[1]:
        side = moving.split("_")[0]
        return _mid(start[f"{side}_heel"], start[f"{side}_toe"])
    dx, dy = far[0] - tip[0], far[1] - tip[1]
    n = math.hypot(dx, dy) or 1.0
    x, y = tip[0] - 28 * dx / n, tip[1] - 28 * dy / n
    if y < 0.0:  # stop at the floor
        k = tip[1] / max(1e-6, tip[1] - y)
        x, y = tip[0] + k * (x - tip[0]), 0.0
    return (x, y)


def _loop(start: Mapping[str, Point], end: Mapping[str, Point]) -> str | None:
    """Both sides moving alike (front view): the band loops between the wrists or the knees."""
    for part, joint in (("hand", "wrist"), ("toe", "knee")):
        a = math.dist(start[f"left_{part}"], end[f"left_{part}"])
        b = math.dist(start[f"right_{part}"], end[f"right_{part}"])
        if min(a, b) > 2.0 and abs(a - b) < 0.2 * max(a, b):
            return joint
    return None


def _moving(start: Mapping[str, Point], end: Mapping[str, Point]) -> str:
    keys = ("left_hand", "left_toe", "right_hand", "right_toe")
    return max(keys, key=lambda k: math.dist(start[k], end[k]))


def _band_end(body: Mapping[str, Point], tip: str) -> Point:
    side, part = tip.split("_")
    return body[f"{side}_wrist"] if part == "hand" else body[f"{side}_ankle"]


def grips(
    setting: props.Setting, arr: props.Arrangement, body: Mapping[str, Point], free: set[str]
) -> dict[str, props.Grip]:
    """Free hands on the crank, the handlebar, the seat's handles, the handrail, the trainer."""
    names = set(setting.names)
    hands: tuple[str, ...] = pose.SIDES
    grip: props.Grip | None = None
    neck = body["neck"]
    if "arm_crank" in arr.marks:
        grip = (arr.marks["arm_crank"], None)
    elif setting.view != "side":
        grip = None
    elif "cycle_ergometer" in names:
        grip = ((neck[0] + 20, neck[1] - 13), (1.0, -0.2))
    elif "recumbent_bike" in names:
        grip = ((body["pelvis"][0] + 10, setting.seat + 10), (1.0, -0.5))
    elif names & set(TREADMILLS):
        grip = ((neck[0] + 10, props.RAIL_H + 3), props.DOWN)
    elif names & set(MOUTH):
        mouth = _mouth(body)
        grip, hands = ((mouth[0] + 4, mouth[1] - 5), (0.5, 1.0)), ("left",)
    return {} if grip is None else {side: grip for side in hands if side in free}


def _mouth(body: Mapping[str, Point]) -> Point:
    head, nose = body["head"], body["nose_base"]
    return (head[0] + 1.05 * (nose[0] - head[0]), head[1] + 1.05 * (nose[1] - head[1]) - 1.5)


def attached(
    setting: props.Setting,
    arr: props.Arrangement,
    body: Mapping[str, Point],
    *,
    mover: str,
    first: bool,
) -> list[draw.Shape]:
    style = "start" if first else "prop"
    names, shapes = setting.names, []
    if "crank" in arr.marks and setting.view == "side":
        shapes.append(_line(arr.marks["crank"], body["left_ankle"], style=style))
    if "arm_crank" in arr.marks:
        shapes.append(_line(arr.marks["arm_crank"], body["left_wrist"], style=style))
    if "band_loop" in arr.choices:  # round the wrists, or round the legs just below the knees
        ends = [body[f"{s}_wrist"] for s in pose.SIDES]
        if arr.choices["band_loop"] == "knee":
            ends = [_towards(body[f"{s}_knee"], body[f"{s}_ankle"], 0.2) for s in pose.SIDES]
        shapes.append(_line(*ends, style=style))
    elif "elastic_bands" in names:
        shapes.append(_line(arr.marks["band"], _band_end(body, _band_tip(mover)), style=style))
    if "cuff_weights" in names:
        side, part = _band_tip(mover).split("_")
        joint, parent = ("wrist", "elbow") if part == "hand" else ("ankle", "knee")
        a, b = body[f"{side}_{joint}"], body[f"{side}_{parent}"]
        n = math.dist(a, b) or 1.0
        u = ((b[0] - a[0]) / n, (b[1] - a[1]) / n)
        shapes.append(
            _capsule(
                (a[0] + 1.5 * u[0], a[1] + 1.5 * u[1]),
                (a[0] + 6 * u[0], a[1] + 6 * u[1]),
                3.2,
                style if first else "ink_solid",
            )
        )
    for kind in MOUTH:
        if kind in names:
            shapes += _trainer(kind, setting, body, style)
    if any(k in names for k in TREADMILLS[1:]):
        waist = _mid(body["pelvis"], _mid(body["pelvis"], body["neck"]))
        shapes += [
            _line((waist[0], 118.0), waist, style=style),
            _capsule(
                (waist[0] - 5, waist[1]),
                (waist[0] + 5, waist[1]),
                2.5,
                style if first else "prop_fill",
            ),
        ]
    return shapes


def _band_tip(mover: str) -> str:
    return mover if mover.endswith(("hand", "toe")) else "left_hand"


def _trainer(
    kind: str, setting: props.Setting, body: Mapping[str, Point], style: str
) -> list[draw.Shape]:
    """A small breathing trainer at the lips: a tube with a dial (IMT) or a valve cap (EMST)."""
    fill = style if style == "start" else "prop_fill"
    if setting.view == "front":
        head = body["head"]
        return [draw.shape("circle", fill, (head[0], head[1] - 3.5), radius=3.0)]
    mouth = _mouth(body)
    d = (body["nose_base"][0] - body["head"][0], body["nose_base"][1] - body["head"][1])
    n = math.hypot(*d) or 1.0
    u = (d[0] / n, d[1] / n)
    end = (mouth[0] + 10 * u[0], mouth[1] + 10 * u[1])
    tube = _capsule(mouth, end, 2.2, fill)
    if kind == "imt_device":
        return [
            tube,
            draw.shape("circle", fill, (end[0] + 2 * u[0], end[1] + 2 * u[1]), radius=3.4),
        ]
    cap = (-u[1] * 4.5, u[0] * 4.5)
    return [
        tube,
        _line((end[0] - cap[0], end[1] - cap[1]), (end[0] + cap[0], end[1] + cap[1]), style=style),
    ]
