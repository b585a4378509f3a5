"""The illustration of an exercise: a standalone SVG drawn from the key poses of its library
entry (docs/exercise-library.md, "Key poses"), made for alsrx and not copied from anywhere.

What is drawn: a stick figure (figure_pose) in the start pose, dashed and grey, and the end
pose, solid (in the side view the far limbs grey behind, the near ones dark in front); an arrow
along the path of the point that moves most (a hand, a foot, the head or the pelvis; in the
front view two arrows when both sides move alike); the props and equipment (figure_props,
figure_equipment); and, when the caregiver helps, a lighter helper figure beside. Start and end
differ by dash and by the arrow, never by colour alone; equal poses draw one pose and no arrow.
Two inks (dark and mid grey), strokes at least 2 units wide in a 240 x 180 view box, round caps:
it reads at 4 cm wide in black and white and on a phone. No script, no link, no font and no
text but the title: the same entry gives the same bytes, a few kilobytes.

Rules an entry can rely on (figure_scene, figure_pose):
- Angles are joint angles from the anatomical position, except that the trunk leans at the
  hips by itself: a thigh keeps its angle to the base whatever the trunk does (sitting, hip 90
  stays level on the seat as the trunk leans; lying, the legs stay as the trunk curls up).
- Joints an entry does not give take the base's posture: sitting, hips and knees 90 and the
  hands on the thighs; standing, arms hanging; lying, arms beside the body on the support; in
  bed, the back raised 30 and the legs flat; kneeling, knees 90 and feet flat behind.
- A sitting pose whose hips and knees are all within 20 degrees of straight is drawn standing
  in front of the chair, its feet where the seated feet were (sit to stand, stand to sit).
- In a `sided` exercise an unprefixed joint that changes moves the left side only (the near
  limb in the side view, the viewer's right in the front view); the other side keeps its start
  angle, so the drawing shows one limb at work.
- Standing, the leg that keeps still bears the weight and stays where it stood.
- A hand the entry leaves free holds the support there is (chair back, rail, walking frame,
  table, wall, handlebar, breathing trainer, towel).
- Lying with the feet planted, straightening the hips lifts the pelvis (a bridge).
- A helper (`by_caregiver`) holds the moving limb at its two distal joints; a helper
  (`with_caregiver`) stands behind with the hands by the shoulder and upper back.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

from alsrx.domain.exercises import library
from alsrx.render import figure_equipment as equipment
from alsrx.render import figure_pose as pose
from alsrx.render import figure_props as props
from alsrx.render import figure_scene as scenes
from alsrx.render import figure_svg as draw

Point = pose.Point
ORDER = (*library.PROPS, *library.EQUIPMENT)


def spec(exercise: library.Exercise) -> scenes.Spec:
    """What of the entry the drawing uses: its figure, with the entry's props and equipment."""
    fig = exercise.figure
    wanted = {*fig.props, *exercise.props, *exercise.equipment}
    return scenes.Spec(
        id=exercise.id,
        view=fig.view,
        base=fig.base,
        names=tuple(n for n in ORDER if n in wanted),
        start=tuple(sorted(fig.start.items())),
        end=tuple(sorted(fig.end.items())),
        helper=exercise.helper,
        sided=exercise.sided,
    )


def svg(exercise: library.Exercise, *, title: str, lang: str = "en") -> str:
    """The exercise's illustration as a standalone SVG document named `title`."""
    return _svg(spec(exercise), title, lang)


@functools.lru_cache(maxsize=512)
def _svg(key: scenes.Spec, title: str, lang: str) -> str:
    return draw.document(layout(key), title=title, lang=lang)


def shapes(exercise: library.Exercise) -> tuple[draw.Shape, ...]:
    """Everything the illustration draws, in view-box coordinates (y down)."""
    return layout(spec(exercise))


def body(
    view: str, pts: Mapping[str, Point], *, style: str, far: str, head: str
) -> list[draw.Shape]:
    """A stick figure: far limbs first (side view), trunk and head, near limbs on top."""

    def limbs(side: str, s: str) -> list[draw.Shape]:
        leg = [pts[f"{side}_{p}"] for p in ("hip", "knee", "ankle", "heel", "toe")]
        arm = [pts[f"{side}_{p}"] for p in ("shoulder", "elbow", "wrist", "hand")]
        return [draw.line(*leg, style=s), draw.line(*arm, style=s)]

    skull = draw.shape("circle", head, pts["head"], radius=pose.HEAD_R)
    spine = draw.line(pts["pelvis"], pts["neck"], style=style)
    if view == "front":
        shoulders = draw.line(pts["left_shoulder"], pts["right_shoulder"], style=style)
        hips = draw.line(pts["left_hip"], pts["right_hip"], style=style)
        return [spine, shoulders, hips, *limbs("right", style), *limbs("left", style), skull]
    nose = draw.line(pts["nose_base"], pts["nose"], style=style)
    return [*limbs("right", far), spine, skull, nose, *limbs("left", style)]


def _helper(key: scenes.Spec, scene: scenes.Scene, tips: list[str]) -> list[draw.Shape]:
    """The caregiver: holding the moving limb (by_caregiver) or guarding (with_caregiver)."""
    if key.helper == "alone":
        return []
    p = scene.end.points
    if key.helper == "by_caregiver" and tips and tips[0] not in ("head", "pelvis"):
        side, part = tips[0].split("_")
        joints = ("wrist", "elbow") if part == "hand" else ("ankle", "knee")
        targets = (p[f"{side}_{joints[0]}"], p[f"{side}_{joints[1]}"])
    else:
        neck = p["neck"]  # a hand by the shoulder, one at the upper back
        targets = ((neck[0] - 4, neck[1] - 4), (neck[0] - 6, neck[1] - 14))
    facing = 1.0
    if key.view == "side" and key.helper == "by_caregiver":
        xs = [q[0] for q in p.values()]
        facing = -1.0 if targets[0][0] > (min(xs) + max(xs)) / 2 else 1.0
    helper = scenes.caregiver(key.view, targets, facing=facing)
    return body(key.view, helper, style="care", far="care", head="care_head")


def layout(key: scenes.Spec) -> tuple[draw.Shape, ...]:
    """Every shape of the illustration, fitted into the view box (y down)."""
    scene = scenes.scene(key)
    start, end, setting = scene.start, scene.end, scene.setting
    same = key.start == key.end
    tips = [] if same else scenes.movers(start, end, view=key.view)
    mover = tips[0] if tips else "left_hand"
    parts = ((props, scene.furniture), (equipment, scene.equipment))
    drawn = _helper(key, scene, tips)  # behind the bed or the chair
    drawn += [*scene.furniture.behind, *scene.equipment.behind]
    if not same:
        drawn += body(key.view, start.points, style="start", far="start", head="start")
        for module, arr in parts:
            drawn += module.attached(setting, arr, start.points, mover=mover, first=True)
    drawn += body(key.view, end.points, style="ink", far="far", head="head")
    for module, arr in parts:
        drawn += module.attached(setting, arr, end.points, mover=mover, first=False)
    drawn += [*scene.furniture.front, *scene.equipment.front]
    plan = pose.plan_view(key.base, key.view)
    for tip in tips:
        way = scenes.path(key, scene, tip)
        away = end.points["nose" if tip == "head" else "pelvis"]
        clear = pose.HEAD_R + 3 if tip == "head" else 5.0
        drawn += scenes.arrow(
            way, clear=clear, floor=None if plan else props.ground(setting), away=away
        )
    if not plan:
        x0, _, x1, _ = draw.bounds(drawn)
        drawn.insert(0, draw.line((x0 - 4, 0.0), (x1 + 4, 0.0)))
    return draw.fit(drawn)
