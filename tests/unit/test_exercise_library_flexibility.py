"""Warm-ups, cool-downs, stretching and range of motion: every region in every form, every
position limit covered, words a patient and a caregiver can follow in both languages."""

from __future__ import annotations

import re

import pytest

from alsrx.domain.exercises import library
from alsrx.evidence import base

FILES = ["warm_up_cool_down.toml", "stretching.toml"]
REGIONS = ("neck", "trunk", "shoulder", "elbow", "wrist_hand", "hip", "knee", "ankle")
FORMS = ("active", "active_assisted", "passive")
REGION_GROUP = {
    "shoulder": "shoulder_abduction",
    "elbow": "elbow_flexion",
    "wrist_hand": "wrist_extension",
    "hip": "hip_flexion",
    "knee": "knee_extension",
    "ankle": "ankle_dorsiflexion",
}
FLEX_SOURCES = {"rec-flexibility-daily", "G-paganoni-2015", "G-acsm-2010", "G-nice-ng42"}
SECONDS_PER_MOVEMENT = 3  # the least a slow range-of-motion movement takes
LATIN = re.compile(r"[A-Za-z]")


def _library() -> library.Library:
    evidence = base.load()
    known = frozenset((*evidence.references, *evidence.recommendations))
    return library.build(library.records_from_files(FILES), known_sources=known)


LIB = _library()
FRAMES = [e for e in LIB if e.category in ("warm_up", "cool_down")]
FLEX = [e for e in LIB if e.category in ("stretching", "range_of_motion")]


def _forms(region: str) -> list[library.Exercise]:
    return [e for e in FLEX if region in e.regions]


def test_both_files_load_as_one_valid_library_of_about_thirty_entries():
    assert 30 <= len(LIB) <= 40
    assert len(FRAMES) == 6


@pytest.mark.parametrize("region", REGIONS)
def test_every_region_has_an_active_an_active_assisted_and_a_passive_form(region: str):
    assert {e.form for e in _forms(region)} >= set(FORMS)


@pytest.mark.parametrize("region", REGIONS)
def test_every_region_keeps_a_seated_or_propped_up_form_for_orthopnoea(region: str):
    usable = [e for e in _forms(region) if not e.lying_flat and e.position in ("sitting", "in_bed")]
    assert usable


@pytest.mark.parametrize("region", REGIONS)
def test_a_patient_with_orthopnoea_who_needs_the_caregiver_still_has_a_passive_form(region: str):
    assert [e for e in _forms(region) if e.form == "passive" and not e.lying_flat]


def test_a_neck_form_is_safe_with_head_drop():
    assert [e for e in _forms("neck") if not e.neck_unsupported]


def test_active_neck_forms_rest_the_head_or_are_ruled_out_by_head_drop():
    for e in _forms("neck"):
        resting = e.position == "in_bed" or {"armchair", "pillow"} & set(e.props)
        assert e.neck_unsupported or resting, e.id


@pytest.mark.parametrize("category", ["warm_up", "cool_down"])
@pytest.mark.parametrize("position", ["standing", "sitting", "in_bed"])
def test_warm_ups_and_cool_downs_exist_standing_sitting_and_in_bed(category: str, position: str):
    found = [e for e in FRAMES if e.category == category and e.position == position]
    assert found
    assert not any(e.lying_flat for e in found)


def test_warm_ups_and_cool_downs_frame_aerobic_and_resistance_sessions_in_3_to_5_minutes():
    for e in FRAMES:
        assert {c.value for c in e.components} == {"aerobic", "resistance"}, e.id
        assert e.modality == e.category, e.id
        assert 3 <= e.dose.minutes <= 5, e.id


def test_cool_downs_end_with_slow_breathing():
    for e in FRAMES:
        if e.category == "cool_down":
            assert e.breathing_cue == "slow_deep_breaths", e.id
            assert "slowly" in e.en.steps[-1] and "慢慢" in e.zh.steps[-1], e.id


def test_standing_frames_need_the_legs_at_antigravity_strength():
    for e in FRAMES:
        if e.position == "standing":
            assert e.min_mrc == {"hip_flexion": 3, "knee_extension": 3, "ankle_dorsiflexion": 3}


def test_stretches_train_no_muscle_group_and_serve_flexibility_only():
    for e in FLEX:
        assert e.muscle_groups == (), e.id
        assert [c.value for c in e.components] == ["flexibility"], e.id
        assert len(e.regions) == 1, e.id  # one region each: never chosen twice in a session


@pytest.mark.parametrize(
    ("form", "modalities"),
    [
        ("active", {"active_stretching", "range_of_motion"}),
        ("active_assisted", {"range_of_motion"}),
        ("passive", {"passive_range_of_motion", "caregiver_assisted_stretching"}),
    ],
)
def test_each_form_carries_out_its_engine_modality(form: str, modalities: set[str]):
    found = [e for e in FLEX if e.form == form]
    assert found
    assert {e.modality for e in found} <= modalities


def test_who_helps_follows_the_form():
    for e in FLEX:
        if e.form == "active":
            assert e.helper == "alone", e.id
        elif e.form == "active_assisted":
            assert e.helper in ("alone", "with_caregiver"), e.id
        else:
            assert e.helper == "by_caregiver", e.id


def test_min_mrc_says_what_the_movement_of_each_limb_needs():
    for e in FLEX:
        (region,) = e.regions
        group = REGION_GROUP.get(region)
        if e.form == "passive":
            assert e.min_mrc == {}, e.id
        elif group is None:
            assert e.min_mrc == {}, e.id  # the neck and trunk have no MRC group
        elif e.form == "active_assisted":
            assert e.min_mrc[group] == 1, e.id
        else:
            assert e.min_mrc[group] in (2, 3), e.id


def test_a_towel_form_needs_the_arms_to_pull():
    for e in FLEX:
        if "towel" in e.props and e.form == "active_assisted":
            assert e.min_mrc.get("elbow_flexion") == 3, e.id


def test_held_stretches_hold_20_to_30_seconds_two_or_three_times_and_never_bounce():
    for e in FLEX:
        if e.category == "stretching":
            assert e.dose.hold_seconds is not None and 20 <= e.dose.hold_seconds <= 30, e.id
            assert 2 <= e.dose.sets <= 3, e.id
            assert any("without bouncing" in s for s in e.en.steps), e.id
            assert any("不要弹振" in s for s in e.zh.steps), e.id
        else:
            assert e.dose.repetitions is not None and 5 <= e.dose.repetitions <= 10, e.id


def test_minutes_cover_at_least_the_holds_and_movements_on_both_sides():
    for e in LIB:
        d = e.dose
        sides = 2 if e.sided else 1
        each = d.hold_seconds if d.hold_seconds is not None else SECONDS_PER_MOVEMENT
        count = 1 if d.hold_seconds is not None else d.repetitions or 0
        assert d.minutes * 60 >= d.sets * count * each * sides, e.id


def test_all_eight_passive_forms_fit_in_the_longest_flexibility_session():
    passive = {e.regions[0]: e.dose.minutes for e in FLEX if e.form == "passive"}
    assert set(passive) == set(REGIONS)
    assert sum(passive.values()) <= 20


def test_lying_figures_are_marked_lying_flat_and_in_bed_figures_are_not():
    for e in LIB:
        if e.figure.base == "lying":
            assert e.lying_flat, e.id
        if e.position == "in_bed":
            assert e.figure.base == "in_bed" and not e.lying_flat, e.id
        else:
            assert e.figure.base == e.position, e.id


def test_passive_figures_draw_the_bed_or_the_chair():
    for e in FLEX:
        if e.form == "passive":
            assert {"bed", "chair"} & set(e.figure.props), e.id


def test_figures_are_the_projects_own_and_show_a_movement_unless_held():
    for e in LIB:
        assert (e.figure.author, e.figure.licence) == ("alsrx project", "CC BY 4.0"), e.id
        if e.figure.start == e.figure.end:
            assert e.category == "stretching", e.id  # one pose only for a held stretch


def test_easier_steps_go_from_active_to_assisted_to_passive_in_the_same_region():
    entries = LIB.entries
    for e in FLEX:
        step, seen = e, {e.id}
        while step.form == "active":
            assert step.easier is not None, step.id
            step = entries[step.easier]
            assert step.id not in seen and step.regions == e.regions, e.id
            seen.add(step.id)
        if e.form in ("active", "active_assisted"):
            assert step.form == "active_assisted", e.id
            assert step.easier is not None and entries[step.easier].form == "passive", e.id
        else:
            assert e.easier is None and e.harder is not None, e.id
            assert entries[e.harder].form == "active_assisted", e.id


def test_an_easier_variant_never_needs_more_strength():
    for e in LIB:
        if e.easier is not None:
            easier = LIB.entries[e.easier]
            assert sum(easier.min_mrc.values()) <= sum(e.min_mrc.values()), e.id


def test_a_towel_stretch_needing_strong_arms_has_a_caregiver_assisted_twin():
    for e in FLEX:
        if e.min_mrc.get("elbow_flexion") == 3 and e.form == "active_assisted":
            twins = [
                t
                for t in _forms(e.regions[0])
                if t.form == "active_assisted" and t.helper == "with_caregiver"
            ]
            assert twins and all(t.easier == e.easier for t in twins), e.id


def test_harder_links_point_back_up_the_same_region():
    order = {"passive": 0, "active_assisted": 1, "active": 2}
    for e in FLEX:
        if e.harder is not None:
            harder = LIB.entries[e.harder]
            assert harder.regions == e.regions, e.id
            assert order[harder.form] >= order[e.form], e.id


def test_stretches_cite_daily_flexibility_and_name_their_technique_as_practice():
    for e in FLEX:
        assert "rec-flexibility-daily" in e.sources, e.id
        assert library.CLINICAL_TEAM in e.sources, e.id
        assert set(e.sources) - {library.CLINICAL_TEAM, "rec-weakness-pattern"} <= FLEX_SOURCES
        # The ACSM guide speaks of stretching: cited for held stretches only.
        assert ("G-acsm-2010" in e.sources) == (e.category == "stretching"), e.id


def test_warm_ups_and_cool_downs_are_practice_not_evidence():
    for e in FRAMES:
        assert library.CLINICAL_TEAM in e.sources, e.id
        assert not FLEX_SOURCES & set(e.sources), e.id


def test_breathing_cues_never_hold_the_breath():
    for e in LIB:
        assert e.breathing_cue in ("breathe_steadily", "slow_deep_breaths"), e.id


def test_words_are_three_to_five_steps_and_one_or_two_cautions_in_each_language():
    for e in LIB:
        for words in (e.en, e.zh):
            assert 3 <= len(words.steps) <= 5, e.id
            assert 1 <= len(words.cautions) <= 2, e.id
        assert len(e.en.steps) == len(e.zh.steps), e.id
        assert len(e.en.cautions) == len(e.zh.cautions), e.id


def test_a_chinese_reader_sees_no_english_and_an_english_reader_no_chinese():
    for e in LIB:
        zh = [e.zh.name, *e.zh.steps, *e.zh.cautions]
        en = [e.en.name, *e.en.steps, *e.en.cautions]
        assert not [t for t in zh if LATIN.search(t)], e.id
        assert not [t for t in en if library.HAN.search(t)], e.id


def test_chinese_uses_the_teams_clinical_terms():
    zh = [t for e in LIB for t in (e.zh.name, *e.zh.steps, *e.zh.cautions)]
    assert not [t for t in zh if "诊所" in t or re.search("(?<!痛性)痉挛", t)]
    assert not [t for t in zh if "拉伸" in t]  # 牵伸, the rehabilitation term
    for e in FLEX:
        if e.helper != "alone":
            assert any("照护者" in s for s in e.zh.steps), e.id


def test_passive_shoulder_range_stays_pain_free_and_below_90_degrees_without_the_blade():
    for e in _forms("shoulder"):
        if e.form == "passive":
            en, zh = " ".join(e.en.cautions), " ".join(e.zh.cautions)
            assert "pain-free" in en and "90 degrees" in en and "shoulder blade" in en
            assert "无痛" in zh and "90度" in zh and "肩胛骨" in zh
            assert e.figure.end["left_shoulder"] <= 90


def test_calf_and_hamstring_stretches_and_finger_range_of_motion_are_there():
    calf = [e for e in _forms("ankle") if e.category == "stretching"]
    hamstring = [e for e in _forms("knee") if e.category == "stretching"]
    fingers = [e for e in _forms("wrist_hand") if any("finger" in s for s in e.en.steps)]
    assert {e.form for e in calf} == set(FORMS)
    assert {e.form for e in hamstring} == set(FORMS)
    assert {e.form for e in fingers} == set(FORMS)
