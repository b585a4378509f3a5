"""The changes between two plans as sentences: vectors written by hand from the shape of
domain/followup/proposals.diff ({path, old, new}), in English and Chinese."""

import copy
import re

import pytest

from alsrx.domain.followup import proposals
from alsrx.render import prescription_diff

AEROBIC = {
    "type": "aerobic",
    "sessions_per_week": {"min": 2.0, "max": 2.0},
    "minutes_per_session": {"min": 6.0, "max": 15.0},
    "intensity": {"hr_bpm": {"min": None, "max": 149.0}, "rpe": {"min": 11.0, "max": 13.0}},
    "modalities": ["walking"],
    "muscle_groups": [],
    "progression": [],
    "exercises": [],
}
RESISTANCE = {
    "type": "resistance",
    "sessions_per_week": {"min": 2.0, "max": 2.0},
    "minutes_per_session": {"min": 12.0, "max": 12.0},
    "intensity": {"hr_bpm": None, "rpe": None},
    "modalities": [],
    "muscle_groups": ["shoulder_abduction_left"],
    "progression": [],
    "exercises": [
        {"id": "ankle_calf_stretch_standing", "sets": 2, "hold_seconds": 30, "side": "both"}
    ],
}
PLAN = {"status": "ok", "current_week": 1, "components": [AEROBIC, RESISTANCE]}


def test_a_heart_rate_ceiling_reads_as_a_ceiling_with_its_unit():
    diff = [
        {
            "path": "components.aerobic.intensity.hr_bpm",
            "old": {"min": None, "max": 149.0},
            "new": {"min": None, "max": 153.0},
        }
    ]
    assert prescription_diff.sentences(diff, "en") == (
        "Aerobic exercise: heart-rate ceiling 149 → 153 bpm",
    )


def test_sessions_and_minutes_read_as_people_write_them():
    diff = [
        {
            "path": "components.resistance.sessions_per_week",
            "old": {"min": 2.0, "max": 2.0},
            "new": {"min": 3.0, "max": 3.0},
        },
        {
            "path": "components.aerobic.minutes_per_session",
            "old": {"min": 6.0, "max": 15.0},
            "new": {"min": 6.0, "max": 22},
        },
    ]
    assert prescription_diff.sentences(diff, "en") == (
        "Resistance (strength) exercise: sessions a week 2 → 3",
        "Aerobic exercise: minutes a session 6–15 → 6–22 min",
    )


def test_a_ceiling_rounds_down_and_a_range_that_became_a_ceiling_keeps_its_unit():
    diff = [
        {
            "path": "components.aerobic.intensity.hr_bpm",
            "old": {"min": 120.0, "max": 140.0},
            "new": {"min": None, "max": 152.7},
        }
    ]
    assert prescription_diff.sentences(diff, "en") == (
        "Aerobic exercise: heart-rate range 120–140 → up to 152 bpm",
    )


def test_the_domain_diff_of_two_plans_reads_as_sentences_with_exercises_named():
    after = copy.deepcopy(PLAN)
    after["current_week"] = 5
    after["components"][0]["intensity"]["hr_bpm"] = {"min": None, "max": 153.0}
    after["components"][1]["sessions_per_week"] = {"min": 3.0, "max": 3.0}
    after["components"][1]["muscle_groups"] = ["shoulder_abduction_left", "knee_extension_right"]
    after["components"][1]["exercises"] = []
    domain = proposals.diff(PLAN, after)
    assert {d["path"] for d in domain} == {
        "current_week",
        "components.aerobic.intensity.hr_bpm",
        "components.resistance.sessions_per_week",
        "components.resistance.muscle_groups",
    }
    said = prescription_diff.sentences(prescription_diff.changes(PLAN, after), "en")
    assert said == (
        "Programme week 1 → 5",
        "Aerobic exercise: heart-rate ceiling 149 → 153 bpm",
        "Resistance (strength) exercise: sessions a week 2 → 3",
        "Resistance (strength) exercise: muscle groups added: knee extension (right)",
        "Exercise removed: Standing calf stretch at a wall (Resistance (strength) exercise)",
    )


def test_components_added_removed_and_pauses_are_sentences():
    diff = [
        {"path": "components.aerobic", "old": "present", "new": None},
        {"path": "components.balance_functional", "old": None, "new": "present"},
        {"path": "paused", "old": None, "new": True},
        {"path": "components.resistance.progression", "old": "…", "new": "changed"},
    ]
    assert prescription_diff.sentences(diff, "en") == (
        "Component removed: Aerobic exercise",
        "Component added: Balance and functional training",
        "Exercise paused",
        "Resistance (strength) exercise: the week-by-week plan changed",
    )


def test_an_unknown_path_is_a_worded_sentence_never_the_path():
    diff = [
        {"path": "components.aerobic.rest_seconds", "old": 30, "new": 60},
        {"path": "monitoring.per_session", "old": ["rpe"], "new": ["rpe", "hr"]},
    ]
    assert prescription_diff.sentences(diff, "en") == (
        "Aerobic exercise: changed",
        "Another part of the plan changed",
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_code_path_or_program_data_in_either_language(lang):
    after = copy.deepcopy(PLAN)
    after["components"][0]["intensity"]["hr_bpm"] = {"min": 100.0, "max": 153.0}
    after["components"][0]["modalities"] = ["cycle_ergometer"]
    after["components"][1]["exercises"][0]["hold_seconds"] = 20
    after["components"].append({**AEROBIC, "type": "balance_functional"})
    text = " ".join(prescription_diff.sentences(prescription_diff.changes(PLAN, after), lang))
    assert text
    assert not re.search(r"[a-z]+_[a-z]+", text), text
    assert "{" not in text and "None" not in text and ".0" not in text, text


def test_the_ceiling_sentence_in_chinese():
    diff = [
        {
            "path": "components.aerobic.intensity.hr_bpm",
            "old": {"min": None, "max": 149.0},
            "new": {"min": None, "max": 153.0},
        }
    ]
    (said,) = prescription_diff.sentences(diff, "zh")
    assert "149 → 153" in said and "有氧" in said, said
