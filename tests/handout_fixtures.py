"""A small exercise library of the tests' own, and a typical plan whose exercises come from it.

The project's library is being written; the handout tests must not depend on its content, so
they choose exercises from this one (domain/exercises/library.build validates it as it does
the real one) through the engine's own choice (domain/exercises/choice.choose_all). Entries
cover each component the engine drafts for the typical examples: warm-up and cool-down, an
aerobic exercise per common modality, strength per muscle group at each load, range of motion
per region, balance and function, the breathing trainer and breathing control.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from alsrx.domain.exercises import choice
from alsrx.domain.exercises import library as exercise_library
from alsrx.domain.prescription import engine
from alsrx.domain.prescription.params import EngineSettings
from alsrx.intake import prescription_input
from alsrx.render import prescription_json

ROOT = Path(__file__).resolve().parents[1]
TYPICAL = ROOT / "examples" / "typical" / "1-early-spinal.json"
TODAY = dt.date(2026, 11, 26)
CHOICE_NOTES = ("exercises_left_out_for_time", "no_exercise_fits")
TEAM = ["alsrx clinical team"]


def _entry(
    exercise_id: str,
    *,
    category: str,
    form: str,
    components: list[str],
    modality: str,
    regions: list[str],
    position: str,
    names: tuple[str, str],
    steps: tuple[list[str], list[str]],
    dose: Mapping[str, Any],
    cautions: tuple[list[str], list[str]] = ([], []),
    **extra: Any,
) -> dict[str, Any]:
    base = (
        "sitting" if position == "sitting" else ("standing" if position == "standing" else "lying")
    )
    return {
        "id": exercise_id,
        "category": category,
        "form": form,
        "components": components,
        "modality": modality,
        "regions": regions,
        "position": position,
        "helper": "alone",
        "breathing_cue": "breathe_steadily",
        "sources": TEAM,
        "dose": dict(dose),
        "figure": {
            "view": "side",
            "base": base,
            "start": {"knee": 90 if base == "sitting" else 0},
            "end": {"knee": 45 if base == "sitting" else 10},
            "author": "alsrx project",
            "licence": "CC BY 4.0",
        },
        "en": {"name": names[0], "steps": steps[0], "cautions": cautions[0]},
        "zh": {"name": names[1], "steps": steps[1], "cautions": cautions[1]},
        **extra,
    }


MUSCLE_WORDS = {
    "shoulder_abduction": ("Arm raise to the side", "侧平举", "shoulder"),
    "elbow_flexion": ("Elbow bend", "屈肘", "elbow"),
    "wrist_extension": ("Wrist lift", "伸腕", "wrist_hand"),
    "hip_flexion": ("Seated knee lift", "坐位抬膝", "hip"),
    "knee_extension": ("Knee straightening", "伸膝", "knee"),
    "ankle_dorsiflexion": ("Toe lift", "勾脚尖", "ankle"),
}
REGION_WORDS = {
    "ankle": ("Ankle circles", "踝关节绕环"),
    "knee": ("Knee bend and straighten", "膝关节屈伸"),
    "hip": ("Hip range of motion", "髋关节活动"),
    "shoulder": ("Shoulder range of motion", "肩关节活动"),
    "wrist_hand": ("Wrist and finger range of motion", "腕和手指活动"),
    "elbow": ("Elbow range of motion", "肘关节活动"),
    "neck": ("Gentle neck turns", "轻柔转头"),
    "trunk": ("Seated trunk turns", "坐位转体"),
}
SIDED_REGIONS = ("ankle", "knee", "hip", "shoulder", "wrist_hand", "elbow")


def _strength(group: str, load: str) -> dict[str, Any]:
    en, zh, region = MUSCLE_WORDS[group]
    light = load == "light_added_load"
    return _entry(
        f"t_{group}_{'band' if light else 'gravity'}",
        category="strengthening",
        form="light_load" if light else "against_gravity",
        components=["resistance"],
        modality="elastic_bands" if light else "body_weight_against_gravity",
        regions=[region],
        position="sitting",
        names=(f"{en}{' with a band' if light else ''}", f"{zh}{'（弹力带）' if light else ''}"),
        steps=(
            ["Sit upright on a sturdy chair.", "Move slowly, breathing out as you lift."],
            ["坐在稳固的椅子上，身体坐直。", "一边呼气一边慢慢抬起，动作缓慢。"],
        ),
        cautions=(["Stop if it hurts."], ["出现疼痛时停止。"]),
        dose={"sets": 1, "repetitions": 10, "minutes": 2, "load": load},
        muscle_groups=[group],
        min_mrc={group: 4 if light else 3},
        sided=True,
        equipment=["elastic_bands"] if light else [],
        props=["chair"],
        breathing_cue="breathe_out_on_effort",
    )


def _range(region: str) -> dict[str, Any]:
    en, zh = REGION_WORDS[region]
    return _entry(
        f"t_rom_{region}",
        category="range_of_motion",
        form="active",
        components=["flexibility"],
        modality="range_of_motion",
        regions=[region],
        position="sitting",
        names=(en, zh),
        steps=(
            ["Sit well supported.", "Move the joint slowly as far as is comfortable, then back."],
            ["坐稳，背部有支撑。", "在舒适范围内慢慢活动关节，再回到原位。"],
        ),
        dose={"sets": 1, "repetitions": 10, "minutes": 1.5, "load": "none"},
        sided=region in SIDED_REGIONS,
        props=["chair"],
    )


def _others() -> list[dict[str, Any]]:
    seated = ("Sit upright on a chair.", "坐在椅子上，身体坐直。")
    return [
        _entry(
            "t_seated_marching",
            category="warm_up",
            form="active",
            components=["aerobic", "resistance"],
            modality="warm_up",
            regions=["hip"],
            position="sitting",
            names=("Seated marching", "坐位踏步"),
            steps=(
                [seated[0], "Lift your knees in turn, gently."],
                [seated[1], "两侧膝盖交替轻轻抬起。"],
            ),
            dose={"sets": 1, "repetitions": 20, "minutes": 3, "load": "none"},
        ),
        _entry(
            "t_slow_down",
            category="cool_down",
            form="active",
            components=["aerobic"],
            modality="cool_down",
            regions=["whole_body"],
            position="sitting",
            names=("Slow down and breathe", "放松与缓慢呼吸"),
            steps=(
                [seated[0], "Breathe slowly for three minutes."],
                [seated[1], "缓慢呼吸三分钟。"],
            ),
            dose={"sets": 1, "repetitions": 10, "minutes": 3, "load": "none"},
            breathing_cue="slow_deep_breaths",
        ),
        _continuous("t_cycle", "cycle_ergometer", ("Cycling", "骑功率自行车"), ["cycle_ergometer"]),
        _continuous(
            "t_recumbent", "recumbent_bike", ("Recumbent bike", "卧式自行车"), ["recumbent_bike"]
        ),
        _continuous(
            "t_seated_aerobic",
            "seated_aerobic_exercise",
            ("Seated arm and leg swings", "坐位手脚摆动"),
            [],
        ),
        _entry(
            "t_sit_to_stand",
            category="function",
            form="active",
            components=["balance_functional"],
            modality="sit_to_stand",
            regions=["hip", "knee"],
            position="sitting",
            names=("Sit to stand", "坐站转换"),
            steps=(
                ["Sit near the front of a sturdy chair.", "Stand up, then sit down slowly."],
                ["坐在稳固椅子的前半部分。", "站起来，再慢慢坐下。"],
            ),
            dose={"sets": 1, "repetitions": 5, "minutes": 3, "load": "none"},
            muscle_groups=["knee_extension"],
            min_mrc={"knee_extension": 3, "hip_flexion": 3},
            props=["chair"],
            helper="with_caregiver",  # the typical patient's ankles need someone beside
        ),
        _entry(
            "t_standing_balance",
            category="balance",
            form="active",
            components=["balance_functional"],
            modality="standing_balance_with_support",
            regions=["whole_body"],
            position="standing",
            names=("Standing balance at the counter", "扶台面站立平衡"),
            steps=(
                ["Stand holding a kitchen counter.", "Stand with your feet closer together."],
                ["双手扶住厨房台面站立。", "双脚慢慢靠拢站立。"],
            ),
            dose={"sets": 2, "hold_seconds": 30, "minutes": 3, "load": "none"},
            props=["rail"],
            helper="with_caregiver",
        ),
        _entry(
            "t_emst",
            category="breathing",
            form="device",
            components=["respiratory_muscle"],
            modality="emst_device",
            regions=["chest"],
            position="sitting",
            names=("Breathing trainer (blowing out)", "呼气肌训练器"),
            steps=(
                [
                    "Sit upright, lips tight around the mouthpiece.",
                    "Breathe in deeply, then blow out hard.",
                ],
                ["坐直，双唇紧紧含住咬嘴。", "深吸气后用力快速呼气。"],
            ),
            dose={"sets": 5, "repetitions": 5, "minutes": 10, "load": "device_setting"},
            equipment=["emst_device"],
            breathing_cue="device_breath",
        ),
    ]


def _continuous(
    exercise_id: str, modality: str, names: tuple[str, str], equipment: list[str]
) -> dict[str, Any]:
    return _entry(
        exercise_id,
        category="aerobic",
        form="continuous",
        components=["aerobic"],
        modality=modality,
        regions=["whole_body"],
        position="sitting",
        names=names,
        steps=(
            ["Start slowly for a few minutes.", "Keep a steady pace."],
            ["先慢速开始几分钟。", "保持平稳的速度。"],
        ),
        dose={"sets": 1, "hold_seconds": 900, "minutes": 15, "load": "none"},
        equipment=equipment,
    )


def records() -> list[tuple[str, Mapping[str, Any]]]:
    entries = [
        _strength(g, load)
        for g in MUSCLE_WORDS
        for load in ("against_gravity_only", "light_added_load")
    ]
    entries += [_range(r) for r in REGION_WORDS]
    entries += _others()
    return [("tests.toml", e) for e in entries]


def own_library() -> exercise_library.Library:
    return exercise_library.build(records(), known_sources=frozenset())


def content_with_exercises(
    path: Path = TYPICAL, *, library: exercise_library.Library | None = None, lang: str = "en"
) -> dict[str, Any]:
    """The engine's prescription for an example input, its exercises chosen from `library`
    (the tests' own by default) by the engine's own choice."""
    lib = library or own_library()
    settings = EngineSettings()
    case = prescription_input.parse(json.loads(path.read_text("utf-8")), today=TODAY)
    drafted = engine.prescribe(case, settings)
    plain = [
        dataclasses.replace(
            c, rationale=tuple(n for n in c.rationale if n.code not in CHOICE_NOTES)
        )
        for c in drafted.components
    ]
    chosen = choice.choose_all(plain, case, settings, library=lib, week=drafted.current_week)
    result = dataclasses.replace(drafted, components=tuple(chosen))
    return prescription_json.to_json(result, settings=settings, lang=lang)


def content_of(path: Path = TYPICAL) -> dict[str, Any]:
    """The engine's own prescription for an example input, with the project's library."""
    case = prescription_input.parse(json.loads(path.read_text("utf-8")), today=TODAY)
    return prescription_json.to_json(
        engine.prescribe(case, EngineSettings()), settings=EngineSettings()
    )


# ---- reading a PDF back with poppler-utils (pdftotext, pdffonts, pdfinfo) ----------------

POPPLER = ("pdftotext", "pdffonts", "pdfinfo")
EVIDENCE_ID = re.compile(r"\b(?:R\d{2}|rec-[a-z0-9-]+|G-[a-z0-9-]+|P-[a-z0-9-]+)\b")
HAN = re.compile(r"[\u4e00-\u9fff]")


def require_poppler() -> None:
    missing = [tool for tool in POPPLER if shutil.which(tool) is None]
    if missing:
        pytest.skip(
            f"{', '.join(missing)} missing: `make handout-deps` installs poppler-utils (as root)"
        )


def _saved(pdf: bytes) -> Path:
    with tempfile.NamedTemporaryFile(suffix=".pdf", delete=False) as handle:
        handle.write(pdf)
    return Path(handle.name)


def _run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def pdf_text(pdf: bytes) -> str:
    """The text, in the order it is laid out on the pages."""
    path = _saved(pdf)
    try:
        return _run("pdftotext", "-enc", "UTF-8", str(path), "-")
    finally:
        path.unlink()


def pdf_fonts(pdf: bytes) -> list[dict[str, str]]:
    """pdffonts' table: one row per font, with its `name` and `emb` (embedded) columns."""
    path = _saved(pdf)
    try:
        lines = _run("pdffonts", str(path)).splitlines()
    finally:
        path.unlink()
    header, rows = lines[0], lines[2:]
    emb = header.index("emb")
    return [{"name": row.split()[0], "emb": row[emb : emb + 3].strip()} for row in rows]


def pdf_pages(pdf: bytes) -> int:
    path = _saved(pdf)
    try:
        info = _run("pdfinfo", str(path))
    finally:
        path.unlink()
    found = re.search(r"^Pages:\s+(\d+)", info, re.M)
    assert found, info
    return int(found.group(1))
