"""The aerobic, balance-and-function and breathing entries of the exercise library carry out what
the engine chooses: an entry for each of its modalities, at the grades its weakness rules draw."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping

import pytest
from tests.prescription_cases import make_case

from alsrx.domain.exercises import library
from alsrx.domain.prescription import aerobic, flexibility, respiratory, weakness
from alsrx.domain.prescription.inputs import MUSCLES, SIDES, Case
from alsrx.domain.prescription.model import ComponentType
from alsrx.domain.prescription.params import EngineSettings
from alsrx.domain.scales import alsfrs_r as frs
from alsrx.evidence import base as evidence_base

AEROBIC_FILE, FUNCTION_FILE, BREATHING_FILE = (
    "aerobic.toml",
    "balance_function.toml",
    "breathing.toml",
)
FILES = (AEROBIC_FILE, FUNCTION_FILE, BREATHING_FILE)
SETTINGS = EngineSettings()
ANTIGRAVITY = SETTINGS.antigravity_mrc
# Done on the feet: with hip flexion or knee extension below MRC 2 the library offers no such
# entry (an orthosis, a stand aid or a hoist is the care team's choice, not a home exercise);
# rising with a caregiver's help is one of them (no manual lift of a patient who cannot push).
ON_FEET = frozenset((*aerobic.WALKING_MODALITIES, *flexibility.STANDING, "assisted_sit_to_stand"))
LEAST_GRADE_ON_FEET = 2
LATIN = re.compile(r"[A-Za-z]")


def _known_sources() -> frozenset[str]:
    evidence = evidence_base.load()
    return frozenset((*evidence.references, *evidence.recommendations))


@pytest.fixture(scope="module")
def by_file() -> dict[str, list[library.Exercise]]:
    built = library.build(library.records_from_files(FILES), known_sources=_known_sources())
    files = {entry["id"]: name for name, entry in library.records_from_files(FILES)}
    found: dict[str, list[library.Exercise]] = {name: [] for name in FILES}
    for entry in built:
        found[files[entry.id]].append(entry)
    return found


@pytest.fixture(scope="module")
def entries(by_file: dict[str, list[library.Exercise]]) -> list[library.Exercise]:
    return [e for name in FILES for e in by_file[name]]


def _mrc(grades: Mapping[str, int]) -> dict[str, int]:
    """Both sides of each group at the given grade."""
    return {f"{group}_{side}": grade for group, grade in grades.items() for side in SIDES}


def _fits(entry: library.Exercise, case: Case) -> bool:
    """Every group the entry needs is at its grade on every tested side (untested: no limit,
    as in the engine: weakness.grades)."""
    return all(
        all(g >= need for g in weakness.grades(case, (group,)))
        for group, need in entry.min_mrc.items()
    )


def _of(entries: list[library.Exercise], modality: str) -> list[library.Exercise]:
    return [e for e in entries if e.modality == modality]


# --- the files ---


def test_each_file_holds_its_own_family_of_entries(by_file):
    assert {e.components for e in by_file[AEROBIC_FILE]} == {(ComponentType.AEROBIC,)}
    assert {(e.category, e.form) for e in by_file[AEROBIC_FILE]} == {("aerobic", "continuous")}
    assert {e.components for e in by_file[FUNCTION_FILE]} == {(ComponentType.BALANCE_FUNCTIONAL,)}
    assert {e.category for e in by_file[FUNCTION_FILE]} <= {"balance", "function"}
    assert {e.category for e in by_file[BREATHING_FILE]} == {"breathing"}
    assert {e.components for e in by_file[BREATHING_FILE]} == {
        (ComponentType.RESPIRATORY_MUSCLE,),
        (ComponentType.BREATHING,),
    }


def test_steps_are_three_to_five_in_both_languages_and_the_chinese_has_no_english(entries):
    for entry in entries:
        assert 3 <= len(entry.en.steps) == len(entry.zh.steps) <= 5, entry.id
        assert 1 <= len(entry.en.cautions) == len(entry.zh.cautions) <= 2, entry.id
        chinese = [entry.zh.name, *entry.zh.steps, *entry.zh.cautions]
        assert [t for t in chinese if LATIN.search(t)] == [], entry.id


def test_every_illustration_is_the_projects_own_and_draws_the_equipment(entries):
    for entry in entries:
        assert (entry.figure.author, entry.figure.licence) == ("alsrx project", "CC BY 4.0")
        assert set(entry.equipment) <= set(entry.figure.props), entry.id


def test_an_easier_variant_links_back_and_never_needs_more_strength(entries):
    index = {e.id: e for e in entries}
    for entry in entries:
        if entry.easier is None:
            continue
        easier = index[entry.easier]
        assert easier.harder == entry.id, entry.id
        too_strong = {
            g: need for g, need in easier.min_mrc.items() if need > entry.min_mrc.get(g, 0)
        }
        assert too_strong == {}, entry.id


# --- aerobic ---


@pytest.mark.parametrize(
    "modality", sorted({m for chosen in aerobic.MODALITIES.values() for m in chosen})
)
def test_every_aerobic_modality_of_the_engine_has_an_aerobic_entry(by_file, modality):
    assert _of(by_file[AEROBIC_FILE], modality)


def test_an_aerobic_entry_needs_exactly_the_equipment_the_engine_asks_for(by_file):
    for entry in by_file[AEROBIC_FILE]:
        needed = aerobic.NEEDS_EQUIPMENT.get(entry.modality, ())
        assert set(entry.equipment) == set(needed), entry.id


def test_aerobic_entries_start_at_the_engines_session_length(by_file):
    minutes = SETTINGS.aerobic_start_minutes
    for entry in by_file[AEROBIC_FILE]:
        dose = entry.dose
        assert (dose.sets, dose.repetitions, dose.hold_seconds) == (1, None, 60 * minutes)
        assert (dose.minutes, dose.load, entry.breathing_cue) == (
            minutes,
            "none",
            "breathe_steadily",
        ), entry.id


def test_aerobic_effort_follows_the_plans_number_and_never_the_talk_test(by_file):
    for entry in by_file[AEROBIC_FILE]:
        words = " ".join((*entry.en.steps, *entry.en.cautions)).lower()
        assert "effort number on your plan" in words, entry.id
        assert "talk" not in words and "speak" not in words, entry.id


def test_the_arm_ergometer_needs_antigravity_shoulder_abduction_and_elbow_flexion(by_file):
    for entry in _of(by_file[AEROBIC_FILE], "arm_ergometer"):
        assert {g: entry.min_mrc.get(g) for g in weakness.ARMS} == dict.fromkeys(
            weakness.ARMS, ANTIGRAVITY
        )


@pytest.mark.parametrize("modality", aerobic.LEG_CYCLING)
def test_leg_cycling_needs_antigravity_hip_flexion_and_knee_extension(by_file, modality):
    found = _of(by_file[AEROBIC_FILE], modality)
    assert found
    for entry in found:
        assert {g: entry.min_mrc.get(g) for g in weakness.LEGS} == dict.fromkeys(
            weakness.LEGS, ANTIGRAVITY
        )


def test_motor_assisted_cycling_needs_no_strength_because_the_motor_moves_the_legs(by_file):
    assert [e.min_mrc for e in _of(by_file[AEROBIC_FILE], "assisted_cycling")] == [{}]


@pytest.mark.parametrize("weak", weakness.GAIT)
def test_a_gait_that_needs_support_is_offered_walking_only_with_an_aid_and_a_person(entries, weak):
    case = make_case(mrc=_mrc({"hip_flexion": 4, "knee_extension": 4, weak: 2}))
    assert weakness.gait_needs_support(case, SETTINGS)
    on_feet = [e for e in entries if e.modality in ON_FEET and _fits(e, case)]
    assert {e.modality for e in on_feet} >= {"walking", "gait_practice"}
    for entry in on_feet:
        assert entry.helper == "with_caregiver", entry.id
        assert entry.modality != "treadmill", entry.id  # the engine drops it: a moving belt
    walking = [e for e in on_feet if e.modality in ("walking", "gait_practice")]
    assert all("walking_aid" in e.props for e in walking)


def test_walking_alone_needs_antigravity_knees_and_ankles(entries):
    alone = [e for e in entries if e.modality in ON_FEET and e.helper == "alone"]
    assert {e.modality for e in alone} >= {"walking", "treadmill", "gait_practice"}
    for entry in alone:
        assert all(entry.min_mrc.get(g, 0) >= ANTIGRAVITY for g in weakness.GAIT), entry.id


# The groups the engine counts when it asks whether seated aerobic work is possible.
SEATED_LIMBS = (*weakness.ARMS, "hip_flexion", "knee_extension")


@pytest.mark.parametrize("strong", SEATED_LIMBS)
def test_one_antigravity_limb_group_is_enough_for_a_seated_aerobic_entry(by_file, strong):
    grades = dict.fromkeys(MUSCLES, ANTIGRAVITY - 1) | {strong: ANTIGRAVITY}
    case = make_case(mrc=_mrc(grades))
    assert aerobic.seated_possible(case, SETTINGS)
    assert [e for e in _of(by_file[AEROBIC_FILE], "seated_aerobic_exercise") if _fits(e, case)]


def test_no_seated_aerobic_entry_fits_when_no_limb_group_is_antigravity(by_file):
    case = make_case(mrc=_mrc(dict.fromkeys(MUSCLES, ANTIGRAVITY - 1)))
    assert not aerobic.seated_possible(case, SETTINGS)
    seated = _of(by_file[AEROBIC_FILE], "seated_aerobic_exercise")
    assert [e.id for e in seated if _fits(e, case)] == []


# --- what the engine chooses, across walking and strength ---

WALKING_ITEMS = (0, 1, 2, 3, 4)
GRADES = (0, 1, 2, 3, 4, 5)


def _cases() -> list[Case]:
    found = []
    for item8, grade, orthopnoea in itertools.product(WALKING_ITEMS, GRADES, (False, True)):
        items = {frs.Q8: item8} | ({frs.Q11: 2} if orthopnoea else {})
        found.append(make_case(items=items, mrc=_mrc(dict.fromkeys(MUSCLES, grade))))
    return found


def _offered(case: Case, modality: str) -> bool:
    """Whether the library must offer this modality to this case (see ON_FEET)."""
    legs = weakness.grades(case, weakness.LEGS)
    return modality not in ON_FEET or min(legs) >= LEAST_GRADE_ON_FEET


def test_every_functional_modality_the_engine_chooses_has_an_entry_that_fits(by_file):
    chosen_anywhere: set[str] = set()
    for case in _cases():
        chosen = flexibility.balance_functional(case, SETTINGS).modalities
        chosen_anywhere |= set(chosen)
        for modality in (m for m in chosen if _offered(case, m)):
            fitting = [e for e in _of(by_file[FUNCTION_FILE], modality) if _fits(e, case)]
            assert fitting, (modality, case.mrc, case.assessed.frs[frs.Q8])
    assert chosen_anywhere == {
        "sit_to_stand",
        "assisted_sit_to_stand",
        "standing_balance_with_support",
        "gait_practice",
        "rolling_over",
        "seated_trunk_control",
        "assisted_transfers",
    }


def test_every_aerobic_modality_the_engine_chooses_has_an_entry_that_fits(by_file):
    for case in _cases():
        chosen, _ = aerobic.modalities(case, SETTINGS)
        for modality in (m for m in chosen if _offered(case, m)):
            fitting = [e for e in _of(by_file[AEROBIC_FILE], modality) if _fits(e, case)]
            assert fitting, (modality, case.mrc, case.assessed.frs[frs.Q8])


def test_unassisted_sit_to_stand_fits_only_antigravity_knees(by_file):
    for entry in _of(by_file[FUNCTION_FILE], "sit_to_stand"):
        assert entry.min_mrc.get("knee_extension", 0) >= ANTIGRAVITY, entry.id
    assisted = _of(by_file[FUNCTION_FILE], "assisted_sit_to_stand")
    assert min(e.min_mrc.get("knee_extension", 0) for e in assisted) < ANTIGRAVITY


def test_rolling_over_is_marked_lying_flat_so_orthopnoea_rules_it_out(by_file):
    rolling = _of(by_file[FUNCTION_FILE], "rolling_over")
    assert rolling and all(e.lying_flat and e.position == "lying" for e in rolling)
    assert set(flexibility.LYING_FLAT) == {"rolling_over"}


# --- breathing ---


def test_no_breathing_entry_is_done_lying_flat(by_file):
    for entry in by_file[BREATHING_FILE]:
        assert not entry.lying_flat and entry.figure.base != "lying", entry.id


def test_the_breathing_work_the_engine_chooses_has_entries(by_file):
    component = flexibility.breathing_work(make_case())
    for modality in component.modalities:
        found = _of(by_file[BREATHING_FILE], modality)
        assert found and all(e.components == (ComponentType.BREATHING,) for e in found)


def test_the_emst_entry_carries_the_engines_dose_on_the_device(by_file):
    component, _ = respiratory.component(make_case(mep=100), SETTINGS, ventilation=False)
    assert component is not None
    (modality,) = component.modalities
    (entry,) = _of(by_file[BREATHING_FILE], modality)
    assert (entry.dose.sets, entry.dose.repetitions) == (
        component.sets.min,
        component.repetitions.min,
    )
    assert (entry.form, entry.dose.load, entry.breathing_cue) == (
        "device",
        "device_setting",
        "device_breath",
    )
    assert entry.equipment == ("emst_device",)
    assert {"rec-respiratory-muscle", "R36", "G-plowman-emst"} <= set(entry.sources)


def test_the_imt_entry_needs_its_trainer(by_file):
    (entry,) = _of(by_file[BREATHING_FILE], "imt_device")
    assert entry.equipment == ("imt_device",)
    assert entry.components == (ComponentType.RESPIRATORY_MUSCLE,)
