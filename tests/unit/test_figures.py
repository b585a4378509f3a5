"""The exercise illustrations: standalone, safe, deterministic SVG drawn from the key poses."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alsrx.domain.exercises import library
from alsrx.domain.prescription.model import ComponentType
from alsrx.evidence import base as evidence_base
from alsrx.render import figure_pose, figure_scene, figure_svg, figures

SVG = "{http://www.w3.org/2000/svg}"
WORDS = library.Words("Test", ("One.", "Two."), ())
# A base each prop or piece of equipment is used from (sitting draws a chair and lying a mat
# unless told otherwise, so those two are tried where they are not the default).
PROP_BASE = {
    "chair": "standing",
    "armchair": "sitting",
    "table": "sitting",
    "bed": "lying",
    "mat": "kneeling",
    "pillow": "lying",
    "towel": "lying",
    "wall": "standing",
    "rail": "standing",
    "walking_aid": "standing",
    "water_bottle": "standing",
    "ball": "sitting",
    "step": "standing",
    "cycle_ergometer": "sitting",
    "recumbent_bike": "sitting",
    "arm_ergometer": "sitting",
    "motor_assisted_cycle": "sitting",
    "treadmill": "standing",
    "bodyweight_supported_treadmill": "standing",
    "elastic_bands": "sitting",
    "cuff_weights": "sitting",
    "emst_device": "sitting",
    "imt_device": "sitting",
    "pool": "standing",
}


def exercise(
    *,
    view: str = "side",
    base: str = "sitting",
    start: dict[str, float] | None = None,
    end: dict[str, float] | None = None,
    props: tuple[str, ...] = (),
    helper: str = "alone",
    sided: bool = False,
    ident: str = "test_figure",
) -> library.Exercise:
    return library.Exercise(
        id=ident,
        category="strengthening",
        form="against_gravity",
        components=(ComponentType.RESISTANCE,),
        modality="body_weight_against_gravity",
        regions=("knee",),
        muscle_groups=(),
        min_mrc={},
        position="sitting",
        lying_flat=False,
        neck_unsupported=False,
        equipment=(),
        props=(),
        helper=helper,
        sided=sided,
        dose=library.Dose(1, 10, None, 2.0, "none"),
        breathing_cue="breathe_out_on_effort",
        easier=None,
        harder=None,
        sources=(library.CLINICAL_TEAM,),
        en=WORDS,
        zh=WORDS,
        figure=library.Figure(
            view=view,
            base=base,
            props=props,
            start={"knee": 90.0} if start is None else start,
            end={"knee": 0.0} if end is None else end,
            author="alsrx project",
            licence="CC BY 4.0",
        ),
    )


def knee_straightening() -> library.Exercise:
    return exercise(props=("chair",), sided=True)


def styles(ex: library.Exercise) -> set[str]:
    return {s.style for s in figures.shapes(ex)}


def inside_the_view_box(ex: library.Exercise) -> bool:
    """Every point of every shape, with its radius and half the widest stroke, in the box."""
    pad = figure_svg.WIDEST_STROKE / 2
    for s in figures.shapes(ex):
        r = pad + (s.radius if s.kind in ("circle", "capsule", "wave") else 0.0)
        for x, y in s.points:
            if not (r <= x <= figure_svg.WIDTH - r and r <= y <= figure_svg.HEIGHT - r):
                return False
    return True


def head_radius(ex: library.Exercise) -> float:
    return max(s.radius for s in figures.shapes(ex) if s.style == "head")


def test_the_drawing_is_an_svg_document_named_by_its_title_with_no_script_or_link():
    text = figures.svg(knee_straightening(), title="Seated knee straightening", lang="en")
    root = ET.fromstring(text)
    title = root.find(f"{SVG}title")
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.get("viewBox") == "0 0 240 180"
    assert title is not None and title.text == "Seated knee straightening"
    assert root.get("aria-label") == title.text and title.get("id") is None
    assert not [e for e in root.iter() if e.tag.endswith(("script", "style", "image", "use"))]
    assert not [k for e in root.iter() for k in e.attrib if k.endswith("href")]
    assert (
        "url(" not in text
        and "@import" not in text
        and "http" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    )


def test_the_same_entry_draws_the_same_bytes():
    first = figures.svg(knee_straightening(), title="Knee", lang="zh-CN")
    figures._svg.cache_clear()
    again = figures.svg(knee_straightening(), title="Knee", lang="zh-CN")
    assert first == again
    assert ET.fromstring(again).get("lang") == "zh-CN"


def test_the_title_is_escaped():
    title = '<script>alert("x")</script> & «坐位伸膝»\x00'
    text = figures.svg(knee_straightening(), title=title)
    found = ET.fromstring(text).find(f"{SVG}title")
    assert found is not None and found.text == title.replace("\x00", "")
    assert "<script>" not in text


def test_a_moving_exercise_draws_the_start_dashed_and_an_arrow():
    found = styles(knee_straightening())
    text = figures.svg(knee_straightening(), title="Knee")
    assert {"start", "ink", "arrow", "ink_solid"} <= found
    assert 'stroke-dasharray="5 4"' in text


def test_equal_start_and_end_draw_one_pose_and_no_arrow():
    held = exercise(start={"knee": 90.0}, end={"knee": 90.0}, props=("chair",))
    found = styles(held)
    assert "ink" in found
    assert "arrow" not in found and "start" not in found


@pytest.mark.parametrize("view", library.VIEWS)
@pytest.mark.parametrize("base", library.BASES)
def test_every_base_draws_a_figure_inside_the_view_box_in_both_views(base, view):
    ex = exercise(view=view, base=base, start={"shoulder": 0.0}, end={"shoulder": 90.0})
    found = styles(ex)
    assert {"ink", "head", "arrow"} <= found
    assert inside_the_view_box(ex)


@pytest.mark.parametrize("name", [*library.PROPS, *library.EQUIPMENT])
def test_every_prop_and_piece_of_equipment_adds_to_the_drawing(name):
    base = PROP_BASE[name]
    start, end = {"knee": 90.0, "shoulder": 0.0}, {"knee": 20.0, "shoulder": 60.0}
    if base == "standing":
        start, end = {"shoulder": 0.0}, {"shoulder": 60.0}
    plain = exercise(base=base, start=start, end=end, ident="plain")
    with_it = exercise(base=base, start=start, end=end, props=(name,), ident="with_it")
    assert figures.shapes(with_it) != figures.shapes(plain)
    assert inside_the_view_box(with_it)


@pytest.mark.parametrize(
    ("base", "drawn"), [("sitting", "chair"), ("lying", "mat"), ("in_bed", "bed")]
)
def test_the_base_brings_its_own_support_when_none_is_named(base, drawn):
    assert figures.shapes(exercise(base=base)) == figures.shapes(
        exercise(base=base, props=(drawn,))
    )


def test_strokes_are_at_least_two_units_wide_and_the_ends_round():
    ex = exercise(base="standing", start={"hip": 0.0}, end={"hip": 40.0}, props=("rail", "step"))
    root = ET.fromstring(figures.svg(ex, title="x"))
    widths = [float(e.get("stroke-width", "0")) for e in root.iter(f"{SVG}path")]
    assert widths and min(widths) >= 2
    assert root.get("stroke-linecap") == "round"
    assert len(set(re.findall(r"#[0-9a-f]{6}", figures.svg(ex, title="x"))) - {"#ffffff"}) == 2


def test_a_busy_drawing_stays_under_six_kilobytes():
    busy = exercise(
        base="standing",
        start={"left_hip": 20.0, "right_hip": -10.0},
        end={"left_hip": -10.0, "right_hip": 20.0},
        props=("bodyweight_supported_treadmill", "elastic_bands", "cuff_weights", "pool"),
        helper="with_caregiver",
    )
    assert len(figures.svg(busy, title="A rather long title for a busy drawing").encode()) < 6000


def test_a_seated_knee_straightening_brings_the_foot_up_to_the_knee():
    scene = figure_scene.scene(figures.spec(knee_straightening()))
    start, end = scene.start.points, scene.end.points
    assert start["left_heel"][1] < 1.0  # on the floor
    assert abs(end["left_ankle"][1] - end["left_knee"][1]) < 1.0  # level with the knee
    assert end["left_ankle"][0] > end["left_knee"][0] + figure_pose.SHANK - 1  # out in front
    assert end["right_ankle"] == start["right_ankle"]  # one leg at a time: the other stays


def test_sitting_with_straight_legs_is_drawn_standing_where_the_feet_were():
    sit_to_stand = exercise(start={"trunk": 30.0}, end={"hip": 0.0, "knee": 0.0}, props=("chair",))
    scene = figure_scene.scene(figures.spec(sit_to_stand))
    assert (scene.start.base, scene.end.base) == ("sitting", "standing")
    assert scene.end.points["neck"][1] > scene.start.points["neck"][1] + 20
    assert scene.end.points["left_ankle"][0] == pytest.approx(scene.start.points["left_ankle"][0])


def test_an_unprefixed_joint_moves_both_sides_when_the_exercise_is_not_sided():
    both = exercise(view="front", base="standing", start={"shoulder": 0.0}, end={"shoulder": 90.0})
    scene = figure_scene.scene(figures.spec(both))
    left, right = scene.end.points["left_hand"], scene.end.points["right_hand"]
    assert left[0] > 0 > right[0] and left[1] == pytest.approx(right[1])


def test_lying_puts_the_head_to_the_left_face_up_on_the_support():
    flat = exercise(base="lying", start={"hip": 0.0}, end={"hip": 0.0}, props=("mat",))
    scene = figure_scene.scene(figures.spec(flat))
    p = scene.start.points
    assert p["head"][0] < p["pelvis"][0]
    assert p["nose"][1] > p["head"][1]
    assert p["pelvis"][1] == pytest.approx(figure_pose.GAP + 3.0)


def test_in_bed_the_back_is_raised_thirty_degrees_and_the_legs_lie_flat():
    scene = figure_scene.scene(figures.spec(exercise(base="in_bed", start={}, end={})))
    p = scene.start.points
    rise = math.degrees(math.atan2(p["neck"][1] - p["pelvis"][1], p["pelvis"][0] - p["neck"][0]))
    assert rise == pytest.approx(30.0)
    knees = (p["left_knee"][1] + p["right_knee"][1]) / 2  # the near one drawn a little apart
    assert knees == pytest.approx(p["pelvis"][1])


def test_a_bridge_lifts_the_pelvis_and_keeps_the_feet_and_head_down():
    bridge = exercise(
        base="lying", start={"hip": 45.0, "knee": 90.0}, end={"hip": 0.0, "knee": 90.0}
    )
    scene = figure_scene.scene(figures.spec(bridge))
    start, end = scene.start.points, scene.end.points
    assert end["pelvis"][1] > start["pelvis"][1] + 10
    assert min(end["left_heel"][1], end["left_toe"][1]) >= 3.0 - 0.5
    assert end["head"][1] - figure_pose.HEAD_R < start["head"][1] - figure_pose.HEAD_R + 4


def test_a_caregiver_is_drawn_only_when_the_caregiver_helps():
    alone = exercise(base="lying", start={"hip": 0.0}, end={"hip": 70.0}, props=("bed",))
    helped = exercise(
        base="lying", start={"hip": 0.0}, end={"hip": 70.0}, props=("bed",), helper="by_caregiver"
    )
    assert "care" not in styles(alone)
    assert "care" in styles(helped)


def test_a_free_hand_holds_the_chair_back_while_standing():
    ex = exercise(
        base="standing", start={"hip": 0.0}, end={"hip": -20.0}, props=("chair",), sided=True
    )
    scene = figure_scene.scene(figures.spec(ex))
    x, y = scene.furniture.marks["chair"]
    assert math.dist(scene.end.points["left_wrist"], (x - 1.0, y + 3.0)) < 0.5


JOINT_KEYS = sorted(
    k for j in library.JOINTS for k in (j, f"left_{j}", f"right_{j}") if library.JOINT_KEY.match(k)
)
angles = st.dictionaries(
    st.sampled_from(JOINT_KEYS),
    st.floats(-180, 180, allow_nan=False).map(lambda v: round(v, 1)),
    min_size=1,
    max_size=8,
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    view=st.sampled_from(library.VIEWS),
    base=st.sampled_from(library.BASES),
    start=angles,
    end=angles,
    props=st.lists(st.sampled_from((*library.PROPS, *library.EQUIPMENT)), max_size=3, unique=True),
    helper=st.sampled_from(library.HELPERS),
    sided=st.booleans(),
)
def test_the_figure_stays_inside_the_view_box_at_any_angles(
    view, base, start, end, props, helper, sided
):
    ex = exercise(
        view=view, base=base, start=start, end=end, props=tuple(props), helper=helper, sided=sided
    )
    assert inside_the_view_box(ex)
    assert head_radius(ex) >= 5.0 - 1e-3  # never shrunk out of legibility (float tolerance)
    ET.fromstring(figures.svg(ex, title="x"))


def _library_entries() -> list[library.Exercise]:
    """Every entry in the library's data files now, links to variants set aside (a file may
    name variants another file holds)."""
    evidence = evidence_base.load()
    known = frozenset((*evidence.references, *evidence.recommendations))
    records = []
    for name in library.FILES:
        try:
            found = library.records_from_files((name,))
        except FileNotFoundError:
            continue
        records += [(f, {**raw, "easier": None, "harder": None}) for f, raw in found]
    return list(library.build(records, known_sources=known))


def test_every_library_entry_draws_small_and_inside_the_view_box():
    entries = _library_entries()
    assert entries
    for entry in entries:
        text = figures.svg(entry, title=entry.en.name, lang="en")
        assert len(text.encode()) < 6000, entry.id
        assert inside_the_view_box(entry), entry.id
        assert ET.fromstring(text).find(f"{SVG}title") is not None
