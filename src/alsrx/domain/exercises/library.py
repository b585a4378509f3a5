"""Load and validate the exercise library (data files in `data/`, one TOML file per family).

Every entry is the project's own: names and numbered steps in English and Chinese, the
component it serves, the muscle groups it trains with the least MRC grade each needs
(`min_mrc`), its position and what rules it out, equipment, who helps, a default dose, a
breathing cue (never a held breath: alsrx clinical team), cautions, easier and harder
variants, its sources, and the key poses its illustration is drawn from (render/figures.py)
with the illustration's author and licence. Loading checks all of it: a malformed entry or a
dangling variant is an error at load, never a gap in a patient's handout.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from alsrx.domain.prescription.inputs import MUSCLES
from alsrx.domain.prescription.model import ComponentType
from alsrx.evidence import base as evidence_base

FILES = (
    "warm_up_cool_down.toml",
    "stretching.toml",
    "strengthening.toml",
    "aerobic.toml",
    "balance_function.toml",
    "breathing.toml",
)
CATEGORIES = (
    "warm_up",
    "cool_down",
    "stretching",
    "range_of_motion",
    "strengthening",
    "aerobic",
    "balance",
    "function",
    "breathing",
)
# How the movement is produced. Strengthening comes in three forms per muscle group: in the
# plane where gravity does not resist (MRC 2), against gravity (MRC 3), with a light load
# (MRC 4; rec-resistance, G-paganoni-2015).
FORMS = (
    "active",
    "active_assisted",
    "passive",
    "gravity_eliminated",
    "against_gravity",
    "light_load",
    "isometric",
    "continuous",
    "device",
)
REGIONS = (
    "neck",
    "trunk",
    "shoulder",
    "elbow",
    "wrist_hand",
    "hip",
    "knee",
    "ankle",
    "whole_body",
    "chest",
)
POSITIONS = ("standing", "sitting", "lying", "in_bed")
HELPERS = ("alone", "with_caregiver", "by_caregiver")
# The loads a dose may carry; the two strengthening loads are the engine's own codes
# (domain/prescription/resistance.py), so a chosen exercise and its muscle's load agree.
LOADS = ("none", "against_gravity_only", "light_added_load", "device_setting")
BREATHING_CUES = (
    "breathe_out_on_effort",
    "breathe_steadily",
    "slow_deep_breaths",
    "device_breath",
)
# The equipment the patient's record lists (intake schema `equipment`): an entry that needs one
# is chosen only where it is there.
EQUIPMENT = (
    "cycle_ergometer",
    "recumbent_bike",
    "arm_ergometer",
    "motor_assisted_cycle",
    "treadmill",
    "bodyweight_supported_treadmill",
    "elastic_bands",
    "cuff_weights",
    "emst_device",
    "imt_device",
    "pool",
)
# Household things a home has or a clinic lends without a record: named in the handout, drawn
# in the illustration, never a reason to leave an exercise out.
PROPS = (
    "chair",
    "armchair",
    "table",
    "bed",
    "mat",
    "pillow",
    "towel",
    "wall",
    "rail",
    "walking_aid",
    "water_bottle",
    "ball",
    "step",
)
# The modality codes of the engine (domain/prescription/*.py): each entry says which one it
# carries out, so the engine's choice of modality leads to named exercises.
MODALITIES = (
    "walking",
    "treadmill",
    "cycle_ergometer",
    "recumbent_bike",
    "bodyweight_supported_treadmill",
    "arm_ergometer",
    "seated_aerobic_exercise",
    "assisted_cycling",
    "body_weight_against_gravity",
    "submaximal_isometric",
    "elastic_bands",
    "cuff_weights",
    "emst_device",
    "imt_device",
    "active_stretching",
    "range_of_motion",
    "caregiver_assisted_stretching",
    "passive_range_of_motion",
    "sit_to_stand",
    "assisted_sit_to_stand",
    "breathing_control",
    "positioning_for_breathing",
    "standing_balance_with_support",
    "gait_practice",
    "rolling_over",
    "seated_trunk_control",
    "assisted_transfers",
    "warm_up",
    "cool_down",
)
# Key poses for the illustration (render/figures.py draws a stick figure from them).
VIEWS = ("side", "front")
BASES = ("standing", "sitting", "lying", "side_lying", "in_bed", "kneeling")
JOINTS = ("neck", "trunk", "shoulder", "elbow", "wrist", "hip", "knee", "ankle")
JOINT_KEY = re.compile(r"^(?:(left|right)_)?(neck|trunk|shoulder|elbow|wrist|hip|knee|ankle)$")
JOINT_LIMIT_DEG = 180
CLINICAL_TEAM = "alsrx clinical team"  # practice, not evidence: the team's own source label
ID = re.compile(r"^[a-z][a-z0-9_]{2,60}$")
HAN = re.compile(r"[\u4e00-\u9fff]")
MIN_ENTRIES = 60  # the project's library holds at least this many (a test keeps it)


class LibraryError(ValueError):
    """The library data break a rule; the message names the entry and field."""


@dataclass(frozen=True)
class Dose:
    """The default dose: sets of repetitions, or sets of holds of so many seconds, or minutes."""

    sets: int
    repetitions: int | None
    hold_seconds: int | None
    minutes: float  # how long the exercise takes at this dose, both sides: the time budget
    load: str


@dataclass(frozen=True)
class Words:
    name: str
    steps: tuple[str, ...]
    cautions: tuple[str, ...]


@dataclass(frozen=True)
class Figure:
    view: str
    base: str
    props: tuple[str, ...]
    start: Mapping[str, float]
    end: Mapping[str, float]
    author: str
    licence: str


@dataclass(frozen=True)
class Exercise:
    id: str
    category: str
    form: str
    components: tuple[ComponentType, ...]
    modality: str
    regions: tuple[str, ...]
    muscle_groups: tuple[str, ...]
    min_mrc: Mapping[str, int]
    position: str
    lying_flat: bool  # ruled out by orthopnoea (rec-orthopnoea-no-supine)
    neck_unsupported: bool  # ruled out by head drop
    equipment: tuple[str, ...]
    props: tuple[str, ...]
    helper: str
    sided: bool  # done on one side, then the other
    dose: Dose
    breathing_cue: str
    easier: str | None
    harder: str | None
    sources: tuple[str, ...]
    en: Words
    zh: Words
    figure: Figure
    # The limb that helps: the other side for a one-sided exercise (the other hand resisting,
    # a towel pulled by both arms), at least one side otherwise (the stronger arm lifting both).
    helper_limb_min_mrc: Mapping[str, int] = dataclasses.field(default_factory=dict)

    def words(self, lang: str) -> Words:
        return self.zh if lang.startswith("zh") else self.en


@dataclass(frozen=True)
class Library:
    entries: Mapping[str, Exercise]

    def get(self, exercise_id: str) -> Exercise | None:
        return self.entries.get(exercise_id)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)


def _fail(where: str, message: str) -> LibraryError:
    return LibraryError(f"{where}: {message}")


def _choice(raw: Mapping[str, Any], key: str, allowed: Sequence[str], where: str) -> str:
    value = raw.get(key)
    if value not in allowed:
        raise _fail(where, f"{key} must be one of {', '.join(allowed)} (got {value!r})")
    return str(value)


def _choices(
    raw: Mapping[str, Any], key: str, allowed: Sequence[str], where: str
) -> tuple[str, ...]:
    values = raw.get(key, [])
    if not isinstance(values, list) or any(v not in allowed for v in values):
        raise _fail(where, f"{key} must be a list of {', '.join(allowed)} (got {values!r})")
    return tuple(values)


def _whole(raw: Mapping[str, Any], key: str, where: str, low: int, high: int) -> int | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _fail(where, f"{key} must be a whole number from {low} to {high} (got {value!r})")
    return value


def _dose(raw: Mapping[str, Any], where: str) -> Dose:
    where = f"{where}.dose"
    sets = _whole(raw, "sets", where, 1, 5)
    reps = _whole(raw, "repetitions", where, 1, 30)
    hold = _whole(raw, "hold_seconds", where, 1, 1800)
    minutes = raw.get("minutes")
    if sets is None or (reps is None and hold is None):
        raise _fail(where, "needs sets and repetitions, hold_seconds or both (holds)")
    if isinstance(minutes, bool) or not isinstance(minutes, int | float) or not 0 < minutes <= 30:
        raise _fail(where, f"minutes must be above 0 and at most 30 (got {minutes!r})")
    return Dose(sets, reps, hold, float(minutes), _choice(raw, "load", LOADS, where))


def _texts(raw: Any, key: str, where: str, *, han: bool) -> tuple[str, ...]:
    if not isinstance(raw, list) or any(not isinstance(t, str) or not t.strip() for t in raw):
        raise _fail(where, f"{key} must be a list of non-empty texts")
    if han and any(not HAN.search(t) for t in raw):
        raise _fail(where, f"{key} must be written in Chinese")
    return tuple(t.strip() for t in raw)


def _words(raw: Mapping[str, Any], lang: str, where: str) -> Words:
    block = raw.get(lang)
    where = f"{where}.{lang}"
    if not isinstance(block, dict):
        raise _fail(where, "missing")
    han = lang == "zh"
    (name,) = _texts([block.get("name")], "name", where, han=han)
    steps = _texts(block.get("steps"), "steps", where, han=han)
    if len(steps) < 2:
        raise _fail(where, "needs at least two numbered steps")
    return Words(name, steps, _texts(block.get("cautions", []), "cautions", where, han=han))


def _angles(raw: Any, where: str) -> Mapping[str, float]:
    if not isinstance(raw, dict) or not raw:
        raise _fail(where, "must give at least one joint angle")
    for key, value in raw.items():
        if not JOINT_KEY.match(key):
            raise _fail(where, f"unknown joint {key!r} (joints: {', '.join(JOINTS)})")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _fail(where, f"{key} must be a number of degrees")
        if abs(value) > JOINT_LIMIT_DEG:
            raise _fail(where, f"{key} must be within ±{JOINT_LIMIT_DEG} degrees")
    return {k: float(v) for k, v in raw.items()}


def _figure(raw: Any, where: str) -> Figure:
    where = f"{where}.figure"
    if not isinstance(raw, dict):
        raise _fail(where, "missing")
    author, licence = raw.get("author"), raw.get("licence")
    if not isinstance(author, str) or not author or not isinstance(licence, str) or not licence:
        raise _fail(where, "needs its author and licence")
    return Figure(
        view=_choice(raw, "view", VIEWS, where),
        base=_choice(raw, "base", BASES, where),
        props=_choices(raw, "props", (*PROPS, *EQUIPMENT), where),
        start=_angles(raw.get("start"), f"{where}.start"),
        end=_angles(raw.get("end"), f"{where}.end"),
        author=author,
        licence=licence,
    )


def _min_mrc(raw: Any, trained: tuple[str, ...], where: str) -> Mapping[str, int]:
    if not isinstance(raw, dict):
        raise _fail(where, "min_mrc must be a table of muscle group = grade")
    for group, grade in raw.items():
        if group not in MUSCLES:
            raise _fail(where, f"min_mrc names an unknown muscle group {group!r}")
        if isinstance(grade, bool) or not isinstance(grade, int) or not 0 <= grade <= 5:
            raise _fail(where, f"min_mrc.{group} must be an MRC grade from 0 to 5")
    missing = [g for g in trained if g not in raw]
    if missing:
        raise _fail(where, f"min_mrc must give a grade for every trained group: {missing}")
    return dict(raw)


def _entry(raw: Mapping[str, Any], source: str) -> Exercise:
    exercise_id = raw.get("id")
    if not isinstance(exercise_id, str) or not ID.match(exercise_id):
        raise _fail(source, f"id must be lower-case letters, digits and _ (got {exercise_id!r})")
    where = f"{source}:{exercise_id}"
    components = _choices(raw, "components", tuple(t.value for t in ComponentType), where)
    if not components:
        raise _fail(where, "components must name at least one component")
    muscles = _choices(raw, "muscle_groups", MUSCLES, where)
    sources = _texts(raw.get("sources"), "sources", where, han=False)
    return Exercise(
        id=exercise_id,
        category=_choice(raw, "category", CATEGORIES, where),
        form=_choice(raw, "form", FORMS, where),
        components=tuple(ComponentType(c) for c in components),
        modality=_choice(raw, "modality", MODALITIES, where),
        regions=_choices(raw, "regions", REGIONS, where),
        muscle_groups=muscles,
        min_mrc=_min_mrc(raw.get("min_mrc", {}), muscles, where),
        helper_limb_min_mrc=_min_mrc(raw.get("helper_limb_min_mrc", {}), (), where),
        position=_choice(raw, "position", POSITIONS, where),
        lying_flat=raw.get("lying_flat") is True,
        neck_unsupported=raw.get("neck_unsupported") is True,
        equipment=_choices(raw, "equipment", EQUIPMENT, where),
        props=_choices(raw, "props", PROPS, where),
        helper=_choice(raw, "helper", HELPERS, where),
        sided=raw.get("sided") is True,
        dose=_dose(raw.get("dose", {}), where),
        breathing_cue=_choice(raw, "breathing_cue", BREATHING_CUES, where),
        easier=raw.get("easier"),
        harder=raw.get("harder"),
        sources=sources,
        en=_words(raw, "en", where),
        zh=_words(raw, "zh", where),
        figure=_figure(raw.get("figure"), where),
    )


def build(
    records: Sequence[tuple[str, Mapping[str, Any]]], *, known_sources: frozenset[str]
) -> Library:
    """A validated library from (file name, parsed entry) pairs; `known_sources` are the
    evidence ids an entry may cite besides the clinical team."""
    entries: dict[str, Exercise] = {}
    for source, raw in records:
        entry = _entry(raw, source)
        if entry.id in entries:
            raise _fail(source, f"{entry.id} appears twice")
        entries[entry.id] = entry
    for entry in entries.values():
        _check_links(entry, entries, known_sources)
    return Library(entries)


def _check_links(entry: Exercise, entries: Mapping[str, Exercise], known: frozenset[str]) -> None:
    where = entry.id
    for key in ("easier", "harder"):
        target = getattr(entry, key)
        if target is not None and (target not in entries or target == entry.id):
            raise _fail(where, f"{key} names {target!r}, which is not another library entry")
    unknown = [s for s in entry.sources if s != CLINICAL_TEAM and s not in known]
    if unknown:
        raise _fail(where, f"sources not in the evidence base: {unknown}")
    if entry.figure.base == "lying" and not entry.lying_flat:
        raise _fail(where, "a figure lying flat must be marked lying_flat")


def records_from_files(files: Sequence[str] = FILES) -> list[tuple[str, Mapping[str, Any]]]:
    """Every entry of the package's data files, with the file it came from."""
    found: list[tuple[str, Mapping[str, Any]]] = []
    for name in files:
        text = resources.files(__package__).joinpath("data", name).read_text("utf-8")
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise _fail(name, f"not valid TOML: {exc}") from exc
        found += [(name, raw) for raw in data.get("exercise", [])]
    return found


@functools.cache
def default() -> Library:
    """The project's library, validated once per process against the evidence base."""
    evidence = evidence_base.load()
    known = frozenset((*evidence.references, *evidence.recommendations))
    return build(records_from_files(), known_sources=known)
