"""The stick figure of the exercise illustrations (render/figures.py): its proportions, its joint
angles on a base posture, forward kinematics, reaching a hand to a point, and where the base
puts the body in the scene.

Proportions: a standing height of 100 with segments close to the usual fractions of stature
(hip to shoulder joint 29, upper arm 19, forearm 15, hand 7, thigh 25, shank 24, ankle height 4,
head 13 across): a drawing choice, an alsrx default.

Angles are joint angles, each segment measured from the one it hangs from, 0 in the standing
anatomical position (docs/exercise-library.md, "Key poses"), except that the trunk leans at the
hips by itself: a thigh keeps its angle to the base whatever the trunk does (sitting, hip 90
stays level on the seat as the trunk leans forward; lying, the legs stay put as the trunk curls
up), so an angle an entry leaves unchanged is a limb that keeps still. The shoulder and neck
are measured from the trunk, the elbow from the upper arm, and so on. Every joint has a
sagittal part (turning about the body's left-right axis) and a frontal part (about its
front-back axis). The
side view draws the sagittal plane (x forward, y up, the figure's left nearer) and gives an
entry's angles to the sagittal part; the front view draws the frontal plane (the figure's left
on the viewer's right) and gives them to the frontal part, except the knee and ankle, which only
bend forward and back and so are drawn foreshortened. In the front view the elbow and wrist bend
in the picture plane, the same way the arm rises (arm at the side: forearm out; arm level:
forearm up), which is what a front drawing of an arm exercise needs. The base supplies what an
entry leaves out (`defaults`), including the parts out of the view's plane (sitting in the front
view: hips and knees at 90 towards the viewer).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

Point = tuple[float, float]
Vec = tuple[float, ...]
Mat = tuple[Vec, ...]
Joints = dict[str, tuple[float, float]]  # "left_knee" -> (sagittal, frontal) degrees

TRUNK, NECK, HEAD_R = 29.0, 5.0, 6.5
UPPER_ARM, FOREARM, HAND = 19.0, 15.0, 7.0
THIGH, SHANK, ANKLE_H, FOOT, HEEL = 25.0, 24.0, 4.0, 10.0, 1.5
SHOULDER_HALF, HIP_HALF, TOE_OUT = 9.0, 5.5, 35.0
OBLIQUE = 0.3  # the side view looks a little from the front: depth shifts a leg forward
LEG_POINTS = ("hip", "knee", "ankle", "heel", "toe")
ARM = UPPER_ARM + FOREARM
STANDING_HIP = SHANK + THIGH + ANKLE_H
SEAT_H = 24.0  # chair seat; the hip joint sits 4 above it, so a shank upright puts the foot down
HIP_ABOVE_SEAT = 4.0
SEATED_HIP = SEAT_H + HIP_ABOVE_SEAT
GAP = 4.0  # from a lying body's centre line down to what it lies on
SIDES = ("left", "right")
SIGN = {"left": 1.0, "right": -1.0}
FRONTAL = frozenset({"trunk", "neck", "shoulder", "elbow", "wrist", "hip"})
LIMB_JOINTS = ("shoulder", "elbow", "wrist", "hip", "knee", "ankle")
ARM_JOINTS = ("shoulder", "elbow", "wrist")
# The sense in which + turns a segment about the left axis: trunk and neck lean forward (the top
# moves forward), the knee bends the heel back; the others swing the segment forward.
SAG_SIGN = {
    "trunk": -1.0,
    "neck": -1.0,
    "shoulder": 1.0,
    "elbow": 1.0,
    "wrist": 1.0,
    "hip": 1.0,
    "knee": -1.0,
    "ankle": 1.0,
}
_I: Mat = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))


def _rot(axis: int, deg: float) -> Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    if axis == 2:  # about the left axis: the sagittal plane turns
        return ((c, -s, 0.0), (s, c, 0.0), (0.0, 0.0, 1.0))
    if axis == 0:  # about the forward axis: the frontal plane turns
        return ((1.0, 0.0, 0.0), (0.0, c, -s), (0.0, s, c))
    return ((c, 0.0, s), (0.0, 1.0, 0.0), (-s, 0.0, c))


def _mul(a: Mat, b: Mat) -> Mat:
    return tuple(
        tuple(sum(a[i][k] * b[k][j] for k in range(3)) for j in range(3)) for i in range(3)
    )


def _at(origin: Vec, frame: Mat, offset: Vec) -> Vec:
    return tuple(origin[i] + sum(frame[i][k] * offset[k] for k in range(3)) for i in range(3))


def forward(view: str, joints: Mapping[str, tuple[float, float]]) -> dict[str, Point]:
    """Every point the drawing needs, in the view's plane, the pelvis at the origin."""

    def turn(parent: Mat, key: str, sign: float) -> Mat:
        sag, fro = joints.get(key, (0.0, 0.0))
        return _mul(
            _mul(parent, _rot(2, SAG_SIGN[key.rsplit("_", 1)[-1]] * sag)), _rot(0, -sign * fro)
        )

    origin: Vec = (0.0, 0.0, 0.0)
    trunk = turn(_I, "trunk", 1.0)
    neck = _at(origin, trunk, (0.0, TRUNK, 0.0))
    head = turn(trunk, "neck", 1.0)
    found: dict[str, Vec] = {
        "pelvis": origin,
        "neck": neck,
        "head": _at(neck, head, (0.0, NECK + HEAD_R, 0.0)),
        "nose_base": _at(neck, head, (HEAD_R, NECK + HEAD_R - 1.0, 0.0)),
        "nose": _at(neck, head, (HEAD_R + 2.5, NECK + HEAD_R - 2.0, 0.0)),
    }
    for side in SIDES:
        s = SIGN[side]
        shoulder = _at(neck, trunk, (0.0, 0.0, s * SHOULDER_HALF))
        upper = turn(trunk, f"{side}_shoulder", s)
        elbow = _at(shoulder, upper, (0.0, -UPPER_ARM, 0.0))
        fore = turn(upper, f"{side}_elbow", s)
        wrist = _at(elbow, fore, (0.0, -FOREARM, 0.0))
        hip = (0.0, 0.0, s * HIP_HALF)
        thigh = turn(_I, f"{side}_hip", s)
        knee = _at(hip, thigh, (0.0, -THIGH, 0.0))
        shank = turn(thigh, f"{side}_knee", s)
        ankle = _at(knee, shank, (0.0, -SHANK, 0.0))
        toe_out = _rot(1, -s * TOE_OUT) if view == "front" else _I  # a front foot shows turned out
        foot = turn(_mul(shank, toe_out), f"{side}_ankle", s)
        found |= {
            f"{side}_shoulder": shoulder,
            f"{side}_elbow": elbow,
            f"{side}_wrist": wrist,
            f"{side}_hand": _at(wrist, turn(fore, f"{side}_wrist", s), (0.0, -HAND, 0.0)),
            f"{side}_hip": hip,
            f"{side}_knee": knee,
            f"{side}_ankle": ankle,
            f"{side}_heel": _at(ankle, foot, (-HEEL, -ANKLE_H, 0.0)),
            f"{side}_toe": _at(ankle, foot, (FOOT, -ANKLE_H, 0.0)),
        }
    if view == "side":  # the near leg a little forward, so legs side by side both show
        return {
            k: (v[0] + (OBLIQUE * v[2] if k.endswith(LEG_POINTS) else 0.0), v[1])
            for k, v in found.items()
        }
    return {k: (v[2], v[1]) for k, v in found.items()}


def defaults(base: str, view: str, side: str, lean: float) -> Joints:
    """The base's posture for the joints an entry leaves out (`lean`: the trunk's forward lean).

    Upright bases let the arms hang plumb whatever the trunk does; in bed the hips bend 30 so
    the legs lie flat under the raised back.
    """
    front = view == "front"
    if base == "sitting":
        return {"hip": (90.0, 10.0 if front else 0.0), "knee": (90.0, 0.0)}
    if base in ("standing", "kneeling"):
        # Hanging arms a little apart from the trunk line, the near one forward, so both show.
        swing = 6.0 if front else (7.0 if side == "left" else -4.0)
        found: Joints = {"shoulder": (lean + (0.0 if front else swing), swing if front else 0.0)}
        if base == "kneeling":
            found |= {"knee": (90.0, 0.0), "ankle": (-90.0, 0.0)}
        return found
    if base == "side_lying" and front:  # on the right side: the lower arm under the head
        return {"shoulder": (0.0, 180.0 if side == "right" else 12.0)}
    if base == "side_lying":  # seen from above, curled a little
        return {"shoulder": (40.0, 0.0), "hip": (25.0, 0.0), "knee": (30.0, 0.0)}
    if front:  # lying or in bed, seen from above
        return {"shoulder": (0.0, 12.0), "hip": (0.0, 4.0)}
    found = {"neck": (10.0, 0.0), "shoulder": (-8.0, 0.0)}  # head eased up, arms down
    if base == "in_bed":
        found |= {"hip": (30.0, 0.0), "neck": (0.0, 0.0)}
    return found


def resolve(view: str, base: str, given: Mapping[str, float | None]) -> Joints:
    """The pose's joints: the given angles (keys `trunk`, `neck`, `left_knee`, ...) on the
    base's defaults, each given angle on the part its view draws."""

    def put(default: tuple[float, float], joint: str, value: float | None) -> tuple[float, float]:
        if value is None:
            return default
        if view == "side" or joint not in FRONTAL:
            return (value, default[1])
        return (default[0], value)

    trunk = put((0.0, 0.0), "trunk", given.get("trunk"))
    joints: Joints = {"trunk": trunk}
    for side in SIDES:
        fallback = defaults(base, view, side, trunk[0])
        for joint in LIMB_JOINTS:
            key = f"{side}_{joint}"
            joints[key] = put(fallback.get(joint, (0.0, 0.0)), joint, given.get(key))
        if side == "left":
            joints["neck"] = put(fallback.get("neck", (0.0, 0.0)), "neck", given.get("neck"))
    return joints


def _wrap(deg: float) -> float:
    return (deg + 180.0) % 360.0 - 180.0


def heading(vector: Point) -> float:
    """The direction of a vector in degrees from straight down, + turning towards +x."""
    return math.degrees(math.atan2(vector[0], -vector[1]))


def along(deg: float, length: float = 1.0) -> Point:
    return (length * math.sin(math.radians(deg)), -length * math.cos(math.radians(deg)))


def reach(
    view: str, joints: Joints, side: str, target: Point, *, hand: Point | None = None
) -> Joints:
    """The joints with one arm turned so its wrist reaches `target` (body plane, or as near as
    the arm goes) and, if `hand` is given, the hand pointing that way. The elbow bends down and
    back in the side view and away from the body in the front view."""
    root = forward(view, joints)[f"{side}_shoulder"]
    dx, dy = target[0] - root[0], target[1] - root[1]
    span = min(max(math.hypot(dx, dy), abs(UPPER_ARM - FOREARM) + 0.01), ARM - 0.01)
    cos_b = (UPPER_ARM**2 + span**2 - FOREARM**2) / (2 * UPPER_ARM * span)
    bend = math.degrees(math.acos(min(1.0, max(-1.0, cos_b))))
    outward = view == "front" and side == "left"
    a1 = heading((dx, dy)) + (bend if outward else -bend)
    ex, ey = along(a1, UPPER_ARM)
    a2 = heading((target[0] - root[0] - ex, target[1] - root[1] - ey))
    a3 = heading(hand) if hand is not None else a2
    if view == "side":  # each segment's heading less its parent's, the trunk leaning back
        turns = {"shoulder": a1 + joints["trunk"][0], "elbow": a2 - a1, "wrist": a3 - a2}
    else:  # the right side turns the other way; a side bend carries the shoulder
        s = SIGN[side]
        turns = {
            "shoulder": s * (a1 - joints["trunk"][1]),
            "elbow": s * (a2 - a1),
            "wrist": s * (a3 - a2),
        }
    out = dict(joints)
    for joint, deg in turns.items():
        sag, fro = out[f"{side}_{joint}"]
        out[f"{side}_{joint}"] = (_wrap(deg), fro) if view == "side" else (sag, _wrap(deg))
    return out


@dataclass(frozen=True)
class Placement:
    """Where the body plane goes in the scene: turned `turn` degrees anticlockwise, then moved."""

    turn: float
    dx: float
    dy: float

    def world(self, p: Point) -> Point:
        c, s = math.cos(math.radians(self.turn)), math.sin(math.radians(self.turn))
        return (c * p[0] - s * p[1] + self.dx, s * p[0] + c * p[1] + self.dy)

    def body(self, p: Point) -> Point:
        c, s = math.cos(math.radians(self.turn)), math.sin(math.radians(self.turn))
        x, y = p[0] - self.dx, p[1] - self.dy
        return (c * x + s * y, -s * x + c * y)

    def about(self, pivot: Point, deg: float) -> Placement:
        """The same placement, then turned `deg` about a scene point."""
        c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
        x, y = self.dx - pivot[0], self.dy - pivot[1]
        return Placement(self.turn + deg, c * x - s * y + pivot[0], s * x + c * y + pivot[1])


def plan_view(base: str, view: str) -> bool:
    """Seen from above: lying or in bed in the front view, side-lying in the side view."""
    return (base in ("lying", "in_bed") and view == "front") or (
        base == "side_lying" and view == "side"
    )


def base_turn(base: str, view: str) -> float:
    """Lying and side-lying turn the body head to the left; in bed the back is raised 30."""
    if base == "in_bed":
        return 90.0 if view == "front" else 60.0
    return 90.0 if base in ("lying", "side_lying") else 0.0


FOOT_POINTS = ("ankle", "heel", "toe")
# What a lying body rests on: in the front view its shoulders and hips, whose width shows.
TRUNK_POINTS = {
    "side": ("pelvis", "neck"),
    "front": ("pelvis", "neck", "left_shoulder", "right_shoulder", "left_hip", "right_hip"),
}


def seat_for(pts: Mapping[str, Point], *, ground: float) -> float:
    """The lowest seat from which the feet of a sitting pose stay above the floor."""
    sole = lowest(pts[f"{s}_{p}"] for s in SIDES for p in FOOT_POINTS) - pts["pelvis"][1]
    return max(SEAT_H, ground - sole - HIP_ABOVE_SEAT)


def lowest(points: Iterable[Point]) -> float:
    return min(p[1] for p in points)


def place(
    view: str,
    base: str,
    pts: Mapping[str, Point],
    *,
    ground: float,
    feet_at: Mapping[str, Point] | None = None,
    stance: frozenset[str] = frozenset(),
    seat: float = SEAT_H,
) -> Placement:
    """Put a pose in the scene: standing or kneeling on `ground` with the feet (knees) that bear
    weight (the `stance` legs if given: those that do not move) where `feet_at` has them;
    sitting on a seat whose top is `seat`; lying on a support whose top is `ground`, lifting
    the pelvis about the shoulders when the feet would sink (a bridge)."""
    turned = Placement(base_turn(base, view), 0.0, 0.0)
    at = {k: turned.world(p) for k, p in pts.items()}
    if base in ("standing", "kneeling"):
        joint = "knee" if base == "kneeling" else "ankle"
        parts = (joint, "ankle", "heel", "toe") if base == "kneeling" else FOOT_POINTS
        low = {side: lowest(at[f"{side}_{p}"] for p in parts) for side in stance or SIDES}
        bottom = min(low.values())
        bearing = [side for side in low if low[side] <= bottom + 1.0]
        here = sum(at[f"{side}_{joint}"][0] for side in bearing) / len(bearing)
        there = 0.0
        if feet_at is not None:
            there = sum(feet_at[f"{side}_{joint}"][0] for side in bearing) / len(bearing)
        return Placement(turned.turn, there - here, ground - bottom)
    if base == "sitting":
        return Placement(0.0, -at["pelvis"][0], seat + HIP_ABOVE_SEAT - at["pelvis"][1])
    if plan_view(base, view):
        return Placement(turned.turn, -at["pelvis"][0], 20.0 - at["pelvis"][1])
    if base == "in_bed":
        return Placement(turned.turn, -at["pelvis"][0], ground + GAP - at["pelvis"][1])
    lying = Placement(
        turned.turn, -at["pelvis"][0], ground + GAP - lowest(at[k] for k in TRUNK_POINTS[view])
    )
    return _bridge(lying, pts, ground=ground) if base == "lying" else lying


def _bridge(lying: Placement, pts: Mapping[str, Point], *, ground: float) -> Placement:
    def sunk(placement: Placement) -> float:
        feet = [placement.world(pts[f"{s}_{p}"]) for s in SIDES for p in FOOT_POINTS]
        return ground - lowest(feet)

    if sunk(lying) <= 2.0:
        return lying
    pivot = lying.world(pts["neck"])
    for deg in range(2, 62, 2):
        lifted = lying.about(pivot, float(deg))
        if sunk(lifted) <= 0.5:
            return lifted
    return lying.about(pivot, 60.0)
