"""The scene of an exercise illustration (render/figures.py): the two key poses resolved on
their base, placed on the floor, seat or bed, their free hands on the supports there are; the
caregiver; and the arrow along the path of what moves most.

The rules an entry can rely on are listed in render/figures.py's docstring.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from alsrx.render import figure_equipment as equipment
from alsrx.render import figure_pose as pose
from alsrx.render import figure_props as props
from alsrx.render import figure_svg as draw

Point = pose.Point
Given = dict[str, float | None]
NEAR_STRAIGHT = 20.0  # a sitting pose with hips and knees this straight is drawn standing
TIPS = ("left_hand", "left_toe", "head", "right_hand", "right_toe", "pelvis")
TREADMILLS = frozenset({"treadmill", "bodyweight_supported_treadmill"})
BIKES = frozenset({"cycle_ergometer", "recumbent_bike"})
REACH_BACK = 22.0  # the caregiver's shoulder stands this far back from what the hands hold
STEPS = 12  # poses sampled between start and end for the arrow's path


@dataclass(frozen=True)
class Spec:
    """What the drawing depends on, hashable (the cache key)."""

    id: str
    view: str
    base: str
    names: tuple[str, ...]
    start: tuple[tuple[str, float], ...]
    end: tuple[tuple[str, float], ...]
    helper: str
    sided: bool


@dataclass(frozen=True)
class Placed:
    base: str
    joints: pose.Joints
    placement: pose.Placement
    points: Mapping[str, Point]


@dataclass(frozen=True)
class Scene:
    start: Placed
    end: Placed
    setting: props.Setting
    furniture: props.Arrangement
    equipment: props.Arrangement


def expand(key: Spec) -> tuple[Given, Given]:
    """Start and end angles with every key explicit (`left_knee`), the sided rule applied."""
    start, end = dict(key.start), dict(key.end)

    def one(given: Mapping[str, float], joint: str, side: str | None) -> float | None:
        if side is None:
            return given.get(joint, given.get(f"left_{joint}", given.get(f"right_{joint}")))
        return given.get(f"{side}_{joint}", given.get(joint))

    out: tuple[Given, Given] = ({}, {})
    for given, found in zip((start, end), out, strict=True):
        found |= {j: one(given, j, None) for j in ("trunk", "neck")}
        for side in pose.SIDES:
            found |= {f"{side}_{j}": one(given, j, side) for j in pose.LIMB_JOINTS}
    if key.sided:
        for joint in pose.LIMB_JOINTS:
            a, b = start.get(joint), end.get(joint)
            if a is not None and b is not None and a != b and f"right_{joint}" not in end:
                out[1][f"right_{joint}"] = out[0][f"right_{joint}"]
    return out


def pose_base(key: Spec, given: Given) -> str:
    """The base a pose is drawn on: sitting with the legs straight is standing up."""
    if key.base != "sitting":
        return key.base
    legs = [given[f"{s}_{j}"] for s in pose.SIDES for j in ("hip", "knee")]
    straight = all(v is not None and abs(v) <= NEAR_STRAIGHT for v in legs)
    return "standing" if straight else "sitting"


def free_arms(given: Given) -> set[str]:
    return {s for s in pose.SIDES if all(given[f"{s}_{j}"] is None for j in pose.ARM_JOINTS)}


def put(
    key: Spec,
    base: str,
    joints: pose.Joints,
    setting: props.Setting,
    *,
    feet_at: Mapping[str, Point] | None,
    stance: frozenset[str] = frozenset(),
) -> Placed:
    body = pose.forward(key.view, joints)
    ground = props.ground(setting)
    at = pose.place(
        key.view, base, body, ground=ground, feet_at=feet_at, stance=stance, seat=setting.seat
    )
    lifted = at.turn - pose.base_turn(base, key.view)
    if lifted:  # a bridge: the head stays on the support, the neck bends
        neck = joints["neck"]
        joints = {**joints, "neck": (neck[0] + lifted, neck[1])}
        body = pose.forward(key.view, joints)
    return Placed(base, joints, at, {k: at.world(p) for k, p in body.items()})


def _feet_down(view: str, base: str, joints: pose.Joints, ground: float) -> pose.Joints:
    """Sitting on a chair, a foot that would go through the floor lifts its thigh instead: a
    heel raise lifts the knee."""
    if base != "sitting":
        return joints
    for side in pose.SIDES:
        for _ in range(25):
            body = pose.forward(view, joints)
            sole = pose.lowest(body[f"{side}_{p}"] for p in pose.FOOT_POINTS) - body["pelvis"][1]
            if sole + pose.SEATED_HIP >= ground - 0.5:
                break
            sag, fro = joints[f"{side}_hip"]
            joints = {**joints, f"{side}_hip": (sag + 2.0, fro)}
    return joints


def _rest(key: Spec, base: str, joints: pose.Joints, free: set[str]) -> pose.Joints:
    """Sitting, a free hand rests on the thigh."""
    if base != "sitting":
        return joints
    body = pose.forward(key.view, joints)
    for side in sorted(free):
        hip, knee = body[f"{side}_hip"], body[f"{side}_knee"]
        if key.view == "front":
            joints = pose.reach(key.view, joints, side, (knee[0], knee[1] + 6.0), hand=props.DOWN)
            continue
        on_thigh = (hip[0] + 0.6 * (knee[0] - hip[0]), hip[1] + 0.6 * (knee[1] - hip[1]) + 5.0)
        along = (knee[0] - hip[0], knee[1] - hip[1] - 4.0)
        joints = pose.reach(key.view, joints, side, on_thigh, hand=along)
    return joints


def _hold(key: Spec, placed: Placed, grips: Mapping[str, props.Grip]) -> Placed:
    """The pose with its free hands on their grips (scene points)."""
    at = placed.placement
    turn = pose.Placement(at.turn, 0.0, 0.0)  # turns a direction back into the body plane
    joints = placed.joints
    for side in sorted(grips):
        target, hand = grips[side]
        towards = None if hand is None else turn.body(hand)
        joints = pose.reach(key.view, joints, side, at.body(target), hand=towards)
    body = pose.forward(key.view, joints)
    return Placed(placed.base, joints, at, {k: at.world(p) for k, p in body.items()})


def stance(joints: Sequence[pose.Joints]) -> frozenset[str]:
    """The leg that keeps still while the other moves: it bears the weight."""
    legs = ("hip", "knee", "ankle")
    still = frozenset(
        s for s in pose.SIDES if all(joints[0][f"{s}_{j}"] == joints[1][f"{s}_{j}"] for j in legs)
    )
    return still if len(still) == 1 else frozenset()


def _placed(
    key: Spec, bases: list[str], joints: list[pose.Joints], setting: props.Setting
) -> tuple[Placed, Placed]:
    """Both poses placed: a seated one first, so a standing one stands where its feet were;
    on a treadmill the walker stays where the belt is."""
    order = (1, 0) if bases[1] == "sitting" and bases[0] != "sitting" else (0, 1)
    legs = stance(joints)
    placed: dict[int, Placed] = {}
    for i in order:
        anchor = placed[order[0]].points if placed else None
        if anchor is None and bases[i] == "standing" and key.base == "sitting":
            anchor = {f"{s}_{p}": (pose.THIGH, 0.0) for s in pose.SIDES for p in ("ankle", "knee")}
        placed[i] = put(key, bases[i], joints[i], setting, feet_at=anchor, stance=legs)
    start, end = placed[0], placed[1]
    if TREADMILLS & set(key.names):
        shift, at = start.points["pelvis"][0] - end.points["pelvis"][0], end.placement
        moved = {k: (p[0] + shift, p[1]) for k, p in end.points.items()}
        end = Placed(end.base, end.joints, pose.Placement(at.turn, at.dx + shift, at.dy), moved)
    return start, end


def scene(key: Spec) -> Scene:
    """The two placed poses, hands on their supports, and the props arranged round them."""
    givens = expand(key)
    ground = props.ground(props.Setting(key.view, key.base, key.names))
    bases = [pose_base(key, g) for g in givens]
    frees = [free_arms(g) for g in givens]
    bike = bool(BIKES & set(key.names))
    joints = [pose.resolve(key.view, b, g) for b, g in zip(bases, givens, strict=True)]
    if not bike:  # a bike's seat rises to the pedals; on a chair the foot stays on the floor
        joints = [_feet_down(key.view, b, j, ground) for b, j in zip(bases, joints, strict=True)]
    joints = [_rest(key, b, j, f) for b, j, f in zip(bases, joints, frees, strict=True)]
    seats = [
        pose.seat_for(pose.forward(key.view, j), ground=ground)
        for b, j in zip(bases, joints, strict=True)
        if b == "sitting" and bike
    ]
    setting = props.Setting(key.view, key.base, key.names, seat=max(seats, default=pose.SEAT_H))
    start, end = _placed(key, bases, joints, setting)
    near_free = "left" in frees[0] and "left" in frees[1]
    furniture = props.arrange(setting, start.points, end.points, free=near_free)
    devices = equipment.arrange(setting, start.points, end.points)
    held = []
    for p, free in zip((start, end), frees, strict=True):
        grips = props.grips(setting, furniture, p.points, free)
        grips |= equipment.grips(setting, devices, p.points, free)
        held.append(_hold(key, p, grips) if grips else p)
    return Scene(held[0], held[1], setting, furniture, devices)


# --- the caregiver ---------------------------------------------------------------------------


def _crouch(lean: float, bend: float) -> pose.Joints:
    given: Given = {"trunk": lean}
    for side in pose.SIDES:
        given |= {f"{side}_hip": bend, f"{side}_knee": 2 * bend, f"{side}_ankle": bend}
    return pose.resolve("side", "standing", given)


def _sole(body: Mapping[str, Point]) -> float:
    return pose.lowest(body[f"{s}_{p}"] for s in pose.SIDES for p in pose.FOOT_POINTS)


def caregiver(view: str, targets: tuple[Point, ...], *, facing: float) -> dict[str, Point]:
    """A standing helper whose hands reach `targets` (scene points: the near hand to the first,
    the other to the last), leaning and then bending the knees only as far as needed; `facing`
    +1 right, -1 left. In the front view the helper stands to the viewer's left and reaches
    with one hand."""
    joints = pose.resolve(view, "standing", {})
    shift = targets[0][0] - pose.SHOULDER_HALF - 0.8 * pose.ARM
    if view == "side":  # stand back from the nearer target
        near = max(targets, key=lambda t: -t[0] * facing)
        for bend, lean in ((b, float(d)) for b in (0.0, 20.0, 35.0) for d in range(0, 50, 5)):
            joints = _crouch(lean, bend)
            body = pose.forward(view, joints)
            if math.hypot(REACH_BACK, near[1] + _sole(body) - body["neck"][1]) <= 0.9 * pose.ARM:
                break
        shift = near[0] - facing * (body["neck"][0] + REACH_BACK)
    lift = -_sole(pose.forward(view, joints))

    def local(p: Point) -> Point:
        return ((p[0] - shift) * facing, p[1] - lift)

    joints = pose.reach(view, joints, "left", local(targets[0]))
    if view == "side":
        joints = pose.reach(view, joints, "right", local(targets[-1]))
    return {k: (shift + facing * p[0], lift + p[1]) for k, p in pose.forward(view, joints).items()}


# --- the arrow -------------------------------------------------------------------------------


def movers(start: Placed, end: Placed, *, view: str) -> list[str]:
    """The tips that move most: the first, and in the front view a second that moves as much
    elsewhere (both arms rising). The pelvis counts for less: a head or a hand that moves
    nearly as far reads better."""
    weight = {k: 0.6 if k == "pelvis" else 1.0 for k in TIPS}
    moved = {k: math.dist(start.points[k], end.points[k]) * weight[k] for k in TIPS}
    most = max(moved.values())
    if most < 2.0:
        return []
    found: list[str] = []
    for k in sorted(TIPS, key=lambda k: (-round(moved[k], 1), TIPS.index(k))):
        if moved[k] < 0.9 * most or len(found) == 2:
            break
        if all(
            math.dist(start.points[k], start.points[f]) > 6
            or math.dist(end.points[k], end.points[f]) > 6
            for f in found
        ):
            found.append(k)
    return found if view == "front" else found[:1]


def path(key: Spec, scene: Scene, tip: str) -> list[Point]:
    """The tip's way from start to end: the poses in between when the base stays the same, a
    bend (forward, then up) when it changes."""
    start, end = scene.start, scene.end
    if start.base != end.base:
        a, b = start.points[tip], end.points[tip]
        corner = (b[0], a[1]) if b[1] > a[1] else (a[0], b[1])
        return [_bezier(a, corner, b, i / STEPS) for i in range(STEPS + 1)]
    feet = start.points if start.base in ("standing", "kneeling") else None
    legs = stance((start.joints, end.joints))
    found = []
    for i in range(STEPS + 1):
        f = i / STEPS
        joints = {
            k: (v[0] + f * (end.joints[k][0] - v[0]), v[1] + f * (end.joints[k][1] - v[1]))
            for k, v in start.joints.items()
        }
        found.append(
            put(key, start.base, joints, scene.setting, feet_at=feet, stance=legs).points[tip]
        )
    return found


def _bezier(a: Point, c: Point, b: Point, t: float) -> Point:
    u = 1 - t
    return (
        u * u * a[0] + 2 * u * t * c[0] + t * t * b[0],
        u * u * a[1] + 2 * u * t * c[1] + t * t * b[1],
    )


def _circumcentre(a: Point, b: Point, c: Point) -> Point | None:
    d = 2 * (a[0] * (b[1] - c[1]) + b[0] * (c[1] - a[1]) + c[0] * (a[1] - b[1]))
    if abs(d) < 1e-6:
        return None
    sa, sb, sc = a[0] ** 2 + a[1] ** 2, b[0] ** 2 + b[1] ** 2, c[0] ** 2 + c[1] ** 2
    return (
        (sa * (b[1] - c[1]) + sb * (c[1] - a[1]) + sc * (a[1] - b[1])) / d,
        (sa * (c[0] - b[0]) + sb * (a[0] - c[0]) + sc * (b[0] - a[0])) / d,
    )


def _pushed(points: Sequence[Point], centre: Point, clear: float) -> list[Point]:
    found = []
    for p in points:
        d = math.dist(p, centre) or 1.0
        found.append((p[0] + clear * (p[0] - centre[0]) / d, p[1] + clear * (p[1] - centre[1]) / d))
    return found


def _beside(
    points: Sequence[Point], *, clear: float, floor: float | None, away: Point
) -> list[Point]:
    """The path moved `clear` off itself: out from the turn's centre (inwards if that would
    go under the floor), or for a straight path to the side away from `away`."""
    a, b = points[0], points[-1]
    centre = _circumcentre(a, points[len(points) // 2], b)
    if centre is not None and math.dist(centre, a) < 400:
        out = _pushed(points, centre, clear)
        if floor is not None and sum(p[1] < floor + 2.0 for p in out) > len(out) // 3:
            out = _pushed(points, centre, -min(clear, 0.8 * math.dist(centre, a)))
        return out
    chord = math.dist(a, b) or 1.0
    n = ((a[1] - b[1]) / chord, (b[0] - a[0]) / chord)
    if n[0] * (away[0] - (a[0] + b[0]) / 2) + n[1] * (away[1] - (a[1] + b[1]) / 2) > 0:
        n = (-n[0], -n[1])
    if floor is not None and min(a[1], b[1]) + clear * n[1] < floor + 2.0:
        n = (-n[0], -n[1])  # along the floor: above it
    return [(p[0] + clear * n[0], p[1] + clear * n[1]) for p in points]


def arrow(
    points: Sequence[Point], *, clear: float, floor: float | None, away: Point
) -> list[draw.Shape]:
    """An arrow beside a path, its ends trimmed and kept above the `floor`, drawn as one smooth
    curve with a filled head; none for a path too short to show."""
    moved = _beside(points, clear=clear, floor=floor, away=away)
    lengths = [0.0]
    for a, b in pairwise(moved):
        lengths.append(lengths[-1] + math.dist(a, b))
    total = lengths[-1]
    trim = min(4.0, total * 0.1)
    kept = [p for p, s in zip(moved, lengths, strict=True) if trim <= s <= total - trim]
    if floor is not None:
        kept = [p for p in kept if p[1] >= floor + 2.0]
    if total < 3.0 or len(kept) < 3:
        return []
    a, m, b = kept[0], kept[len(kept) // 2], kept[-1]
    ctrl = (2 * m[0] - (a[0] + b[0]) / 2, 2 * m[1] - (a[1] + b[1]) / 2)  # the curve meets m
    n = math.dist(b, ctrl) or 1.0
    u = ((b[0] - ctrl[0]) / n, (b[1] - ctrl[1]) / n)
    size = min(6.5, max(3.5, total * 0.3))
    back = (b[0] - size * u[0], b[1] - size * u[1])
    wing = (-u[1] * 0.6 * size, u[0] * 0.6 * size)
    head = draw.shape(
        "poly",
        "ink_solid",
        (b[0] + 1.5 * u[0], b[1] + 1.5 * u[1]),
        (back[0] + wing[0], back[1] + wing[1]),
        (back[0] - wing[0], back[1] - wing[1]),
    )
    return [draw.shape("quad", "arrow", a, ctrl, back), head]
