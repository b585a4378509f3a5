"""A clinician's aerobic edit is held to the engine's own bounds (domain/prescription/edits.py).

Numbers from the sources the engine cites: 2-5 sessions a week and at most 30 minutes
(rec-aerobic-dose), RPE 11-13 (rec-moderate-not-strenuous), heart rate at most 75 % of the
reserve above rest (Karvonen; rec-aerobic-intensity). The 5-minute and 40-bpm floors are alsrx
defaults.
"""

import dataclasses

import pytest

from alsrx.domain.prescription import edits
from alsrx.domain.prescription.params import EngineSettings

S = EngineSettings()
# Rest 70, reserve 81: 75 % of the reserve is 60.75, so the ceiling is 130.75 bpm.
HEART = {"rest_bpm": 70, "reserve_bpm": 81, "targets_reliable": True}


def codes(changes, *, settings=S, ceiling=130.75, has_hr_target=True):
    found = edits.check_aerobic_edit(
        changes, settings=settings, ceiling_bpm=ceiling, has_hr_target=has_hr_target
    )
    return {(e.path, e.code) for e in found}


def test_the_heart_rate_ceiling_is_75_percent_of_the_reserve_above_rest():
    assert edits.hr_ceiling_bpm(HEART, S) == pytest.approx(130.75)


def test_a_lower_percent_hrr_setting_lowers_the_ceiling():
    lower = dataclasses.replace(S, max_percent_hrr=60.0)
    assert edits.hr_ceiling_bpm(HEART, lower) == pytest.approx(70 + 0.6 * 81)


@pytest.mark.parametrize("missing", ["rest_bpm", "reserve_bpm"])
def test_there_is_no_ceiling_without_rest_or_reserve(missing):
    assert edits.hr_ceiling_bpm(dict(HEART, **{missing: None}), S) is None


def test_there_is_no_ceiling_when_the_targets_are_unreliable():
    assert edits.hr_ceiling_bpm(dict(HEART, targets_reliable=False), S) is None


def test_an_edit_inside_every_bound_is_accepted():
    changes = {"sessions_max": 3, "minutes_max": 20, "hr_max": 130, "rpe_max": 12}
    assert codes(changes) == set()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("sessions_max", 1),
        ("sessions_max", 6),
        ("minutes_max", 4),
        ("minutes_max", 31),
        ("rpe_max", 10),
        ("rpe_max", 14),
        ("hr_max", 39),
        ("hr_max", 131),
    ],
)
def test_a_value_outside_the_engines_bounds_is_refused(name, value):
    assert codes({name: value}) == {(name, "out_of_range")}


def test_the_heart_rate_bound_is_the_ceiling_rounded_down_so_the_message_never_allows_more():
    bounds = edits.aerobic_edit_bounds(S, ceiling_bpm=130.75)
    assert bounds["hr_max"] == (40, 130)
    (error,) = edits.check_aerobic_edit(
        {"hr_max": 131}, settings=S, ceiling_bpm=130.75, has_hr_target=True
    )
    assert error.params == {"min": 40, "max": 130, "integer": True}


def test_the_bounds_follow_tightened_settings():
    tight = dataclasses.replace(S, aerobic_sessions_max=3, aerobic_max_minutes=20, max_rpe=12)
    assert codes({"sessions_max": 4, "minutes_max": 25, "rpe_max": 13}, settings=tight) == {
        ("sessions_max", "out_of_range"),
        ("minutes_max", "out_of_range"),
        ("rpe_max", "out_of_range"),
    }


def test_a_heart_rate_edit_without_a_heart_rate_target_is_refused():
    assert codes({"hr_max": 120}, has_hr_target=False) == {("hr_max", "no_hr_target")}


def test_a_heart_rate_edit_without_a_reliable_ceiling_is_refused():
    assert codes({"hr_max": 120}, ceiling=None) == {("hr_max", "no_hr_target")}


@pytest.mark.parametrize("value", [20.5, True, "20", None])
def test_a_fraction_a_boolean_or_text_is_not_a_whole_number_of_minutes(value):
    assert codes({"minutes_max": value}) == {("minutes_max", "out_of_range")}


def test_a_whole_number_written_as_a_float_is_accepted():
    assert codes({"minutes_max": 20.0}) == set()


def test_a_field_that_is_not_editable_is_refused():
    assert codes({"modalities": ["walking"]}) == {("modalities", "not_allowed")}
