"""The household things of the exercise illustrations (render/figures.py): what the figure sits
or lies on, holds on to, or holds, drawn as plain grey line drawings made for alsrx.

Three steps, each from the placed poses (scene units, y up, the floor at 0): `arrange` puts the
furniture (behind the figure, or in front of it), `grips` says where a hand the entry leaves free
holds on (a chair back, a rail, a walking frame, a table, a wall, a towel), and `attached` draws
what moves with a pose (a towel, a held bottle, a ball), once per pose.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from alsrx.render import figure_pose as pose
from alsrx.render import figure_svg as draw

Point = pose.Point
Body = Mapping[str, Point]
Grip = tuple[Point, Point | None]  # where the wrist goes, which way the hand points
DOWN: Point = (0.0, -1.0)
MAT_TOP, BED_TOP, TABLE_H, RAIL_H, FRAME_H, STEP_H, BELT_H = 3.0, 30.0, 42.0, 52.0, 50.0, 10.0, 4.0
BACK_ABOVE_SEAT = 28.0
LYING = ("lying", "side_lying", "in_bed")
line, capsule, box = draw.line, draw.capsule, draw.box


@dataclass(frozen=True)
class Setting:
    view: str
    base: str
    names: tuple[str, ...]  # the props and equipment to draw
    seat: float = pose.SEAT_H  # the seat's top: higher when the feet would not reach the floor


@dataclass
class Arrangement:
    behind: list[draw.Shape] = field(default_factory=list)
    front: list[draw.Shape] = field(default_factory=list)
    marks: dict[str, Point] = field(default_factory=dict)  # anchors the later steps use
    choices: dict[str, str] = field(default_factory=dict)  # and what they chose


def ground(setting: Setting) -> float:
    """The top of what the figure stands, kneels or lies on."""
    if setting.base in LYING:
        return BED_TOP if "bed" in setting.names or setting.base == "in_bed" else MAT_TOP
    if {"treadmill", "bodyweight_supported_treadmill"} & set(setting.names):
        return BELT_H
    return MAT_TOP if "mat" in setting.names else 0.0


def xs(*bodies: Body) -> tuple[float, float]:
    found = [p[0] for body in bodies for p in body.values()]
    return min(found), max(found)


def toe_x(body: Body) -> float:
    return max(body["left_toe"][0], body["right_toe"][0])


def _seated_x(setting: Setting, start: Body, end: Body) -> float:
    """The pelvis x of the seated pose (a sit-to-stand draws the chair where it sat)."""
    for body in (start, end):
        if abs(body["pelvis"][1] - setting.seat - pose.HIP_ABOVE_SEAT) < 0.5:
            return body["pelvis"][0]
    return start["left_ankle"][0] - pose.THIGH


# --- seats, beds, mats -----------------------------------------------------------------------


def chair_side(xb: float, *, seat: float = pose.SEAT_H, arms: bool = False) -> list[draw.Shape]:
    """A chair in profile, its back post at `xb`, the seat running forward (+x) from it."""
    front = xb + 22.0
    shapes = [
        line((xb - 2.5, seat + BACK_ABOVE_SEAT), (xb, seat), (xb, 0.0)),
        line((xb, seat), (front, seat), (front, 0.0)),
    ]
    if arms:
        shapes.append(line((xb - 1, seat + 12), (front - 3, seat + 12), (front - 3, seat)))
    return shapes


def chair_front(cx: float, *, seat: float, arms: bool = False) -> list[draw.Shape]:
    top = seat + BACK_ABOVE_SEAT
    shapes = [
        line((cx - 12, seat), (cx - 12, top), (cx + 12, top), (cx + 12, seat)),
        line((cx - 13, 0.0), (cx - 13, seat), (cx + 13, seat), (cx + 13, 0.0)),
    ]
    if arms:
        shapes += [
            line((cx + k * 13, seat + 12), (cx + k * 17, seat + 12), (cx + k * 17, seat))
            for k in (-1, 1)
        ]
    return shapes


def _seat(setting: Setting, px: float) -> list[draw.Shape]:
    """What a sitting figure sits on: the edge of a bed, an armchair, or a chair."""
    seat = setting.seat
    if "bed" in setting.names and "chair" not in setting.names:
        x0, x1 = (px - 30, px + 30) if setting.view == "front" else (px - 45, px + 12)
        return [box(x0, 0.0, x1, seat)]
    arms = "armchair" in setting.names
    if setting.view == "front":
        return chair_front(px, seat=seat, arms=arms)
    return chair_side(px - 7.0, seat=seat, arms=arms)


def _bed_side(x0: float, x1: float, *, raised_at: float | None) -> list[draw.Shape]:
    """A bed in profile, its head to the left, the head section raised 30 from `raised_at`."""
    top, low = BED_TOP, BED_TOP - 7.0
    outline = [(x0, low), (x1, low), (x1, top), (x0, top)]
    head = x0
    if raised_at is not None:
        length = raised_at - x0
        tip = (raised_at - length * math.cos(math.radians(30)), top + length / 2)
        outline = [(raised_at - 2, low), (x1, low), (x1, top), (raised_at, top)]
        outline += [tip, (tip[0] - 3.5, tip[1] - 6.1)]
        head = tip[0] - 4.0
    return [
        line((head, 0.0), (head, top + 14.0)),
        line((x1, 0.0), (x1, top + 3.0)),
        line((head, low), (x1, low)),
        draw.shape("poly", "prop_fill", *outline),
    ]


def _plan(setting: Setting, body: Body) -> list[draw.Shape]:
    """The mat or bed seen from above, with the pillow (a bed has one) and its head end."""
    x0, x1 = xs(body)
    cy, hx = body["pelvis"][1], body["head"][0]
    shapes = [box(x0 - 8, cy - 21, x1 + 8, cy + 21)]
    if "bed" in setting.names:
        shapes.append(line((x0 - 8, cy - 24), (x0 - 8, cy + 24)))
    if "pillow" in setting.names or "bed" in setting.names:
        shapes.append(capsule((hx - 2, cy - 12), (hx - 2, cy + 12), 5.0))
    return shapes


def _support(setting: Setting, start: Body, end: Body) -> list[draw.Shape]:
    base, names = setting.base, setting.names
    x0, x1 = xs(start, end)
    if pose.plan_view(base, setting.view):
        return _plan(setting, start)
    if base == "sitting":
        bike = {"cycle_ergometer", "recumbent_bike"} & set(names)
        return [] if bike else _seat(setting, _seated_x(setting, start, end))
    raised = start["pelvis"][0] - 1.0 if base == "in_bed" else None
    if base == "in_bed" or (base in LYING and "bed" in names):
        return _bed_side(min(x0, start["head"][0] - 10) - 4, x1 + 6, raised_at=raised)
    if base in LYING or "mat" in names:
        return [capsule((x0 - 6, 1.5), (x1 + 6, 1.5), 1.5)]
    return []


def _pillow(setting: Setting, body: Body, top: float) -> list[draw.Shape]:
    """Under the head lying, behind it in bed, at the low back sitting, under the knees."""
    base, head = setting.base, body["head"]
    if base in ("lying", "side_lying"):
        return [capsule((head[0] - 7, top + 3), (head[0] + 5, top + 3), 3.0)]
    if base == "in_bed":
        d = (5.2, -3.0)  # along the raised back
        back = (head[0] - 5.0, head[1] - 3.0)
        return [capsule((back[0] - d[0], back[1] - d[1]), (back[0] + d[0], back[1] + d[1]), 3.0)]
    if base == "sitting":
        px = body["pelvis"][0] - 3.5
        return [capsule((px, setting.seat + 7), (px, setting.seat + 15), 2.5)]
    if base == "kneeling":
        knee = body["left_knee"]
        return [capsule((knee[0] - 8, 2.0), (knee[0] + 8, 2.0), 2.0)]
    return []  # standing: held, see `attached`


# --- supports to hold ------------------------------------------------------------------------


def _wall_x(setting: Setting, start: Body, end: Body, free: bool) -> float:
    """The wall: under the reaching hand, in front for free hands to lean on, or behind."""
    if setting.view == "front":
        return xs(start, end)[1] + 2.0
    hands = [b["left_hand"][0] for b in (start, end)]
    if max(hands) > max(start["neck"][0], end["neck"][0]) + 15:
        return max(hands) + 1.0
    if free:
        return max(start["left_toe"][0], start["neck"][0]) + 24.0
    return xs(start, end)[0] - 2.0


def _wall(x: float, *, behind_figure: bool) -> list[draw.Shape]:
    k = -1.0 if behind_figure else 1.0
    return [
        line((x, 0.0), (x, 112.0)),
        *(line((x, y), (x + 5 * k, y + 5)) for y in range(8, 110, 16)),
    ]


def _rail(arr: Arrangement, setting: Setting, x0: float, x1: float) -> None:
    if setting.view == "front":  # seen end on, beside the figure
        arr.marks["rail"] = (x1 + 14.0, RAIL_H)
        arr.behind.append(line((x1 + 14, 0.0), (x1 + 14, RAIL_H)))
        arr.behind.append(draw.shape("circle", "prop", (x1 + 14, RAIL_H + 2), radius=2.5))
        return
    # a handrail on wall brackets, so it cannot be taken for a table
    arr.behind += [
        line((x, RAIL_H), (x - 2, RAIL_H - 6), (x - 7, RAIL_H - 6)) for x in (x0 - 20, x1 + 20)
    ]
    arr.behind.append(capsule((x0 - 32, RAIL_H), (x1 + 32, RAIL_H), 1.1, "prop_solid"))


def _walking_frame(arr: Arrangement, setting: Setting, start: Body) -> None:
    if setting.view == "front":
        cx = start["pelvis"][0]
        arr.front += [
            line((cx + k * 17, 0.0), (cx + k * 17, FRAME_H), (cx + k * 12, FRAME_H))
            for k in (-1, 1)
        ]
        return
    x = toe_x(start) + 4.0  # in profile: handles at hip height, wheels at the front
    arr.marks["frame"] = (x, FRAME_H)
    arr.front += [
        line((x, 0.0), (x, FRAME_H), (x + 16, FRAME_H), (x + 18, 4.0)),
        draw.shape("circle", "prop", (x + 18, 2.5), radius=2.5),
        line((x, 20.0), (x + 17, 20.0)),
    ]


def _table(arr: Arrangement, setting: Setting, start: Body) -> None:
    px = start["pelvis"][0]
    if setting.view == "front":  # across in front of the figure
        arr.marks["table"] = (px, TABLE_H)
        arr.front += [line((px - 21, 0.0), (px - 21, TABLE_H), (px + 21, TABLE_H), (px + 21, 0.0))]
        arr.front.append(line((px - 24, TABLE_H), (px + 24, TABLE_H)))
        return
    near = px + 18.0 if setting.base == "sitting" else toe_x(start) + 4.0
    arr.marks["table"] = (near, TABLE_H)
    legs = [line((x, 0.0), (x, TABLE_H)) for x in (near + 3, near + 31)]
    arr.behind += [*legs, line((near, TABLE_H), (near + 34, TABLE_H))]


def _step(setting: Setting, start: Body, end: Body) -> draw.Shape:
    """A step under a raised foot, or in front of the feet."""
    for body in (end, start):
        for side in pose.SIDES:
            sole = min(body[f"{side}_heel"][1], body[f"{side}_toe"][1])
            if 4.0 < sole < 30.0:
                return box(body[f"{side}_heel"][0] - 6, 0.0, body[f"{side}_toe"][0] + 6, sole)
    x = toe_x(start) + (4.0 if setting.view == "side" else 10.0)
    return box(x, 0.0, x + 22, STEP_H)


def arrange(setting: Setting, start: Body, end: Body, *, free: bool) -> Arrangement:
    """Furniture and supports; `free`: the near hand is the figure's to put somewhere."""
    arr = Arrangement(behind=_support(setting, start, end))
    names, view, base = setting.names, setting.view, setting.base
    x0, x1 = xs(start, end)
    if "pillow" in names and not pose.plan_view(base, view):
        arr.behind += _pillow(setting, start, ground(setting))
    if (
        "towel" in names
        and base in ("lying", "in_bed")
        and view == "side"
        and not _strap(setting, start)
    ):
        knee = start["left_knee"]  # rolled under the knees
        arr.behind.append(
            draw.shape("circle", "prop_fill", (knee[0], ground(setting) + 3.5), radius=3.5)
        )
    if "chair" in names and base != "sitting":  # a chair to hold, its back towards the figure
        xb = x1 + 12.0 if view == "front" else toe_x(start) + 6.0
        arr.marks["chair"] = (xb, pose.SEAT_H + BACK_ABOVE_SEAT)
        arr.behind += chair_side(xb)
    if "armchair" in names and base != "sitting":
        arr.behind += chair_side(_seated_x(setting, start, end) - 7.0, arms=True)
    if "bed" in names and base in ("standing", "kneeling"):
        arr.behind.append(box(x0 - 50, 0.0, x0 - 6, BED_TOP))
    if "table" in names:
        _table(arr, setting, start)
    if "wall" in names:
        wx = _wall_x(setting, start, end, free)
        arr.marks["wall"] = (wx, start["neck"][1] - 10.0)  # where the hands lean on it
        arr.behind += _wall(wx, behind_figure=view == "side" and wx < start["pelvis"][0])
    if "rail" in names:
        _rail(arr, setting, x0, x1)
    if "walking_aid" in names:
        _walking_frame(arr, setting, start)
    if "step" in names:
        arr.behind.append(_step(setting, start, end))
    return arr


def _strap(setting: Setting, body: Body) -> bool:
    """A towel looped round a raised foot, lying down."""
    return setting.base in ("lying", "in_bed") and body["left_toe"][1] > body["pelvis"][1] + 20.0


def _on_support(setting: Setting, body: Body) -> dict[str, Grip]:
    """Lying, the arms lie straight on the support beside the body."""
    shoulder, top = body["left_shoulder"], ground(setting) + 1.5
    dx = math.sqrt(max(1.0, (pose.ARM + 2.0) ** 2 - (shoulder[1] - top) ** 2))
    return dict.fromkeys(pose.SIDES, ((shoulder[0] + dx, top), (1.0, 0.0)))


def grips(setting: Setting, arr: Arrangement, body: Body, free: set[str]) -> dict[str, Grip]:
    """Where each free hand holds on in this pose (scene points)."""
    found: dict[str, Grip] = {}
    marks, names, side_view = arr.marks, setting.names, setting.view == "side"
    if "towel" in names and _strap(setting, body):  # both hands on the strap
        s, f = body["left_shoulder"], body["left_ankle"]
        k = min(0.75 * pose.ARM, math.dist(s, f) - 8.0) / (math.dist(s, f) or 1.0)
        found = dict.fromkeys(
            pose.SIDES, ((s[0] + k * (f[0] - s[0]), s[1] + k * (f[1] - s[1])), None)
        )
    elif "walking_aid" in names:
        cx = body["pelvis"][0]
        found = {"left": ((cx + 15, FRAME_H + 3), DOWN), "right": ((cx - 15, FRAME_H + 3), DOWN)}
        if side_view:
            found = dict.fromkeys(pose.SIDES, ((marks["frame"][0] + 1, FRAME_H + 3), DOWN))
    elif "rail" in names:
        x = body["neck"][0] + 8.0 if side_view else marks["rail"][0]
        found = {"left": ((x, RAIL_H + 3), DOWN)}
    elif "chair" in marks:
        found = {
            "left": ((marks["chair"][0] - (1.0 if side_view else 0.0), marks["chair"][1] + 3), DOWN)
        }
    elif "table" in marks:
        x, y = marks["table"]
        found = {"left": ((x + 12, y + 3), DOWN), "right": ((x - 12, y + 3), DOWN)}
        if side_view:  # the forearms on the table top
            found = dict.fromkeys(pose.SIDES, ((x + 6, y + 3), (1.0, -0.3)))
    elif "wall" in marks and side_view and marks["wall"][0] > body["neck"][0]:
        found = dict.fromkeys(pose.SIDES, ((marks["wall"][0] - 2.0, marks["wall"][1]), (0.3, 1.0)))
    elif setting.base in ("lying", "in_bed") and side_view:
        found = _on_support(setting, body)
    return {side: grip for side, grip in found.items() if side in free}


# --- held things -----------------------------------------------------------------------------


def _across(wrist: Point, tip: Point, half: float, r: float, style: str) -> draw.Shape:
    """Something held across the hand (a bottle, a pillow)."""
    mid = (wrist[0] + 0.6 * (tip[0] - wrist[0]), wrist[1] + 0.6 * (tip[1] - wrist[1]))
    n = math.dist(wrist, tip) or 1.0
    u = (-(tip[1] - wrist[1]) / n * half, (tip[0] - wrist[0]) / n * half)
    return capsule((mid[0] - u[0], mid[1] - u[1]), (mid[0] + u[0], mid[1] + u[1]), r, style)


def _ball(setting: Setting, body: Body, mover: str, style: str) -> draw.Shape:
    """At the moving foot, between the hands (front view), or in the moving hand."""
    if mover.endswith("toe"):
        toe = body[mover]
        return draw.shape("circle", style, (toe[0] + 5, toe[1] + 4), radius=5.5)
    if setting.view == "front":
        a, b = body["left_hand"], body["right_hand"]
        r = min(10.0, max(5.0, math.dist(a, b) / 2))
        return draw.shape("circle", style, ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2), radius=r)
    hand = mover if mover.endswith("hand") else "left_hand"
    w, t = body[f"{hand.split('_')[0]}_wrist"], body[hand]
    n = math.dist(w, t) or 1.0
    return draw.shape(
        "circle", style, (t[0] + 3 * (t[0] - w[0]) / n, t[1] + 3 * (t[1] - w[1]) / n), radius=6.0
    )


def _towel(setting: Setting, body: Body, tip: Point, style: str) -> list[draw.Shape]:
    if _strap(setting, body):  # from the hands round the sole
        foot = body["left_ankle"]
        return [line(body["left_wrist"], (foot[0] + 3, foot[1] + 4), body["left_toe"], style=style)]
    if setting.base in LYING:
        return []  # rolled under the knees, see `arrange`
    if setting.view == "front":  # held between the hands
        a, b = body["left_hand"], body["right_hand"]
        return [line(a, ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2 - 5), b, style=style)]
    return [capsule(tip, (tip[0] + 1, tip[1] - 13), 1.8, style)]


def attached(
    setting: Setting, arr: Arrangement, body: Body, *, mover: str, first: bool
) -> list[draw.Shape]:
    """What moves with the pose (`mover`: the tip that moves most): a towel, a bottle, a ball."""
    style, fill = ("start", "start") if first else ("prop", "prop_fill")
    names, shapes = setting.names, []
    hand = mover if mover.endswith("hand") else "left_hand"
    side = hand.split("_")[0]
    if "towel" in names:
        shapes += _towel(setting, body, body[hand], style)
    if "water_bottle" in names:
        both = setting.view == "front" and mover.endswith("hand")
        shapes += [
            _across(body[f"{s}_wrist"], body[f"{s}_hand"], 6.0, 2.6, fill)
            for s in (pose.SIDES if both else (side,))
        ]
    if "ball" in names:
        shapes.append(_ball(setting, body, mover, fill))
    if "pillow" in names and setting.base == "standing":
        shapes.append(_across(body[f"{side}_wrist"], body[hand], 7.0, 4.0, fill))
    return shapes
