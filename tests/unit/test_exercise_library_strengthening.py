"""The strengthening family: four forms per MRC muscle group, chained from the lightest to the
hardest, never loading a muscle below antigravity strength (G-paganoni-2015)."""

import re

import pytest

from alsrx.domain.exercises import library
from alsrx.domain.prescription.inputs import MUSCLES
from alsrx.evidence import base as evidence_base

FORMS = ("gravity_eliminated", "against_gravity", "light_load", "isometric")
# form: (least MRC grade of the trained group, load, modalities it may carry out)
EXPECTED = {
    "gravity_eliminated": (2, "none", {"range_of_motion"}),
    "against_gravity": (3, "against_gravity_only", {"body_weight_against_gravity"}),
    "light_load": (4, "light_added_load", {"elastic_bands", "cuff_weights"}),
    "isometric": (4, "light_added_load", {"submaximal_isometric"}),
}
LATIN = re.compile(r"[A-Za-z]")


@pytest.fixture(scope="module")
def strengthening():
    evidence = evidence_base.load()
    known = frozenset((*evidence.references, *evidence.recommendations))
    return library.build(library.records_from_files(["strengthening.toml"]), known_sources=known)


def entry(lib, group, form):
    found = lib.get(f"{group}_{form}")
    assert found is not None, f"{group}_{form} is missing"
    return found


def test_the_file_holds_exactly_four_forms_for_each_muscle_group(strengthening):
    expected = {f"{group}_{form}" for group in MUSCLES for form in FORMS}
    assert {e.id for e in strengthening} == expected


@pytest.mark.parametrize("group", MUSCLES)
@pytest.mark.parametrize("form", FORMS)
def test_each_form_trains_its_group_from_the_right_grade_with_the_right_load(
    strengthening, group, form
):
    grade, load, modalities = EXPECTED[form]
    found = entry(strengthening, group, form)
    assert found.form == form
    assert found.category == "strengthening"
    assert found.muscle_groups == (group,)
    assert found.min_mrc[group] == grade
    assert found.dose.load == load
    assert found.modality in modalities


@pytest.mark.parametrize("group", MUSCLES)
def test_only_the_gravity_eliminated_form_also_serves_flexibility(strengthening, group):
    components = {form: entry(strengthening, group, form).components for form in FORMS}
    assert {c.value for c in components["gravity_eliminated"]} == {"flexibility", "resistance"}
    for form in ("against_gravity", "light_load", "isometric"):
        assert [c.value for c in components[form]] == ["resistance"]


def test_no_form_loads_a_muscle_below_antigravity_strength(strengthening):
    for found in strengthening:
        if found.dose.load != "none":
            assert min(found.min_mrc.values()) >= 3, found.id
        if found.dose.load == "light_added_load":
            assert all(found.min_mrc[g] >= 4 for g in found.muscle_groups), found.id


@pytest.mark.parametrize("group", MUSCLES)
def test_the_forms_chain_from_gravity_eliminated_to_light_load(strengthening, group):
    lightest, middle, loaded, hold = (entry(strengthening, group, form) for form in FORMS)
    assert (lightest.easier, lightest.harder) == (None, middle.id)
    assert (middle.easier, middle.harder) == (lightest.id, loaded.id)
    assert (loaded.easier, loaded.harder) == (middle.id, None)
    assert (hold.easier, hold.harder) == (middle.id, None)


@pytest.mark.parametrize("group", MUSCLES)
def test_each_group_has_a_lighter_form_that_does_not_lie_flat(strengthening, group):
    lighter = [entry(strengthening, group, f) for f in ("gravity_eliminated", "against_gravity")]
    assert any(not e.lying_flat for e in lighter)


def test_a_figure_lying_on_the_back_is_marked_lying_flat(strengthening):
    for found in strengthening:
        if found.figure.base == "lying":
            assert found.lying_flat, found.id


def test_equipment_is_needed_only_by_the_light_load_forms(strengthening):
    for found in strengthening:
        if found.form == "light_load":
            assert found.equipment == (found.modality,), found.id
            assert found.modality in found.figure.props, found.id
        else:
            assert found.equipment == (), found.id


def test_doses_start_low_and_holds_are_counted_in_seconds(strengthening):
    for found in strengthening:
        dose = found.dose
        assert dose.sets in (1, 2), found.id
        if found.form == "isometric":
            # so many holds of so many seconds: the card says both
            assert dose.repetitions == 5 and dose.hold_seconds in (5, 6), found.id
        else:
            assert dose.hold_seconds is None and 8 <= (dose.repetitions or 0) <= 12, found.id
        assert 1 <= dose.minutes <= 5, found.id


def test_a_hold_is_drawn_in_one_pose_and_a_movement_in_two(strengthening):
    for found in strengthening:
        held = found.figure.start == found.figure.end
        assert held == (found.form == "isometric"), found.id


def test_every_limb_exercise_is_done_on_each_side_breathing_out_on_effort(strengthening):
    for found in strengthening:
        assert found.sided, found.id
        assert found.breathing_cue == "breathe_out_on_effort", found.id


def test_the_words_have_three_to_five_steps_and_the_chinese_shows_no_english(strengthening):
    for found in strengthening:
        for words in (found.en, found.zh):
            assert 3 <= len(words.steps) <= 5, found.id
            assert 1 <= len(words.cautions) <= 2, found.id
        chinese = (found.zh.name, *found.zh.steps, *found.zh.cautions)
        assert not any(LATIN.search(text) for text in chinese), found.id


def test_every_source_is_named_and_every_figure_is_the_projects_own(strengthening):
    for found in strengthening:
        assert found.sources, found.id
        assert (found.figure.author, found.figure.licence) == ("alsrx project", "CC BY 4.0")


def test_an_isometric_hold_cites_the_submaximal_isometric_trial(strengthening):
    for group in MUSCLES:
        assert "R40" in entry(strengthening, group, "isometric").sources
