"""The project's exercise library validates, and the validator refuses what it must."""

import copy
import xml.etree.ElementTree as ET

import pytest

from alsrx.domain.exercises import library
from alsrx.domain.prescription.inputs import MUSCLES
from alsrx.evidence import base as evidence_base
from alsrx.render import figures

KNOWN = frozenset((*evidence_base.load().references, *evidence_base.load().recommendations))
HAN = library.HAN


def entries():
    return list(library.default())


def test_the_library_holds_at_least_sixty_exercises():
    assert len(library.default()) >= library.MIN_ENTRIES


def test_every_exercise_has_a_name_and_numbered_steps_in_both_languages():
    for e in entries():
        assert e.en.name and len(e.en.steps) >= 2, e.id
        assert HAN.search(e.zh.name) and len(e.zh.steps) >= 2, e.id
        assert not HAN.search(" ".join((e.en.name, *e.en.steps))), e.id


def test_every_exercise_has_an_illustration_with_its_author_and_licence():
    for e in entries():
        assert e.figure.author and e.figure.licence, e.id
        root = ET.fromstring(figures.svg(e, title=e.en.name))
        assert root.tag.endswith("svg"), e.id


def test_every_trained_muscle_group_has_a_least_grade():
    for e in entries():
        assert set(e.muscle_groups) <= set(e.min_mrc), e.id


def test_every_variant_named_is_in_the_library_and_easier_is_not_harder():
    lib = library.default()
    for e in entries():
        for variant in (e.easier, e.harder):
            assert variant is None or lib.get(variant) is not None, e.id
        if e.easier:
            easier = lib.entries[e.easier]
            assert sum(easier.min_mrc.values()) <= sum(e.min_mrc.values()), e.id


def test_each_muscle_group_is_trained_gravity_eliminated_against_gravity_and_with_a_light_load():
    for group in MUSCLES:
        forms = {e.form: e for e in entries() if group in e.muscle_groups}
        assert forms["gravity_eliminated"].min_mrc[group] == 2, group
        assert forms["against_gravity"].min_mrc[group] == 3, group
        assert forms["light_load"].min_mrc[group] == 4, group


def test_the_library_covers_every_family_the_programme_draws_on():
    categories = {e.category for e in entries()}
    assert {"warm_up", "cool_down", "strengthening", "aerobic", "breathing"} <= categories
    assert {"stretching", "range_of_motion"} & categories and {"balance", "function"} & categories
    modalities = {e.modality for e in entries()}
    for needed in (
        "walking",
        "recumbent_bike",
        "cycle_ergometer",
        "arm_ergometer",
        "assisted_cycling",
        "seated_aerobic_exercise",
        "sit_to_stand",
        "assisted_sit_to_stand",
        "standing_balance_with_support",
        "gait_practice",
        "rolling_over",
        "assisted_transfers",
        "emst_device",
        "breathing_control",
        "positioning_for_breathing",
    ):
        assert needed in modalities, needed


def test_every_region_has_an_active_an_assisted_and_a_passive_range_of_motion():
    for region in ("neck", "trunk", "shoulder", "elbow", "wrist_hand", "hip", "knee", "ankle"):
        forms = {
            e.form
            for e in entries()
            if region in e.regions and e.category in ("stretching", "range_of_motion")
        }
        assert {"active", "active_assisted", "passive"} <= forms, region


# The validator itself, on a minimal valid entry.
VALID = {
    "id": "test_knee",
    "category": "strengthening",
    "form": "against_gravity",
    "components": ["resistance"],
    "modality": "body_weight_against_gravity",
    "regions": ["knee"],
    "muscle_groups": ["knee_extension"],
    "min_mrc": {"knee_extension": 3},
    "position": "sitting",
    "helper": "alone",
    "breathing_cue": "breathe_out_on_effort",
    "sources": ["alsrx clinical team"],
    "dose": {"sets": 1, "repetitions": 10, "minutes": 2, "load": "against_gravity_only"},
    "figure": {
        "view": "side",
        "base": "sitting",
        "start": {"knee": 90},
        "end": {"knee": 0},
        "author": "alsrx project",
        "licence": "CC BY 4.0",
    },
    "en": {"name": "Knee", "steps": ["Sit.", "Straighten."]},
    "zh": {"name": "伸膝", "steps": ["坐好。", "伸直。"]},
}


def build(**changes):
    raw = copy.deepcopy(VALID)
    for key, value in changes.items():
        if value is None:
            raw.pop(key)
        else:
            raw[key] = value
    return library.build([("test.toml", raw)], known_sources=KNOWN)


def test_a_valid_entry_loads():
    assert build().get("test_knee").dose.repetitions == 10


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"zh": {"name": "Knee", "steps": ["Sit.", "Up."]}}, "Chinese"),
        ({"en": None}, "en: missing"),
        ({"min_mrc": {}}, "every trained group"),
        ({"min_mrc": {"knee_extension": 6}}, "MRC grade from 0 to 5"),
        ({"easier": "no_such_entry"}, "not another library entry"),
        ({"sources": ["R99-made-up"]}, "not in the evidence base"),
        ({"figure": dict(VALID["figure"], start={"finger": 10})}, "unknown joint"),
        ({"figure": dict(VALID["figure"], licence="")}, "author and licence"),
        ({"dose": {"sets": 1, "minutes": 2, "load": "none"}}, "repetitions, hold_seconds or both"),
        ({"position": "floating"}, "position must be one of"),
        ({"figure": dict(VALID["figure"], base="lying")}, "lying_flat"),
    ],
)
def test_the_validator_refuses_an_entry_naming_the_field(changes, words):
    with pytest.raises(library.LibraryError, match=words):
        build(**changes)
