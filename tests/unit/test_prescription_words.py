"""Codes never reach people: the Markdown handout and note messages are words in en and zh."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from alsrx.domain.prescription import engine
from alsrx.domain.prescription.model import Note
from alsrx.domain.prescription.params import EngineSettings
from alsrx.intake import prescription_input
from alsrx.render import prescription_json, prescription_md, words

EXAMPLES = Path(__file__).parents[2] / "examples" / "typical"
TODAY = dt.date(2026, 12, 1)
CODE = re.compile(r"\b[a-z]+_[a-z_]+\b")
# Evidence ids and addresses are references, not codes for a person to read.
REFERENCE = re.compile(r"\*\*[^*]+\*\*|https?://\S+|\b[A-Za-z]+-[\w.-]+\b")


def _handout(name: str, lang: str) -> str:
    document = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    case = prescription_input.parse(document, today=TODAY)
    settings = EngineSettings()
    doc = prescription_json.to_json(engine.prescribe(case, settings), settings=settings, lang=lang)
    return prescription_md.render(doc, lang=lang)


def _codes(text: str) -> list[str]:
    return CODE.findall(REFERENCE.sub(" ", text))


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.json")))
def test_the_handout_of_every_typical_patient_has_no_snake_case_code(name: str, lang: str):
    assert _codes(_handout(name, lang)) == []


def test_a_patient_with_weak_legs_and_no_treadmill_reads_muscles_and_modalities_in_words():
    # examples/typical/3: knee extension (left) MRC 2, ankles MRC 1-2; only a recumbent bike.
    en = _handout("3-walking-impaired.json", "en")
    assert "range of motion only: knee extension (left), ankle dorsiflexion (left)" in en
    assert "left out: body-weight-supported treadmill, motor-assisted cycling, arm ergometer." in en
    zh = _handout("3-walking-impaired.json", "zh")
    assert "伸膝（左）、踝背屈（左）、踝背屈（右）" in zh
    assert "减重跑台、电动助力踏车、上肢功率车" in zh
    assert "第 1–4 周" in zh


@pytest.mark.parametrize(
    ("name", "value", "lang", "expected"),
    [
        (
            "groups",
            ("shoulder_abduction_left", "knee_extension_right"),
            "en",
            "shoulder abduction (left), knee extension (right)",
        ),
        ("muscles", ("hip_flexion_left",), "zh", "屈髋（左）"),
        ("removed", ("treadmill", "arm_ergometer"), "zh", "跑台、上肢功率车"),
        ("modalities", ("walking",), "en", "walking"),
        ("equipment", ("cuff_weights", "pool"), "en", "light cuff weights, swimming pool"),
        ("cutoffs", "labra2016", "en", "Labra et al. 2016 tertiles, fast from 1.11 points/month"),
        ("rate", 1.5, "en", 1.5),
    ],
)
def test_note_parameters_render_by_the_kind_their_name_names(name, value, lang, expected):
    assert words.param_text(name, value, lang, _identity(lang)) == expected


def test_a_fast_progression_reason_names_its_cut_off_set_in_words():
    note = Note("fast_progression", (), {"rate": 1.6, "cutoffs": "kimura2006"})
    assert "Kimura et al. 2006 groups" in prescription_json.note_message(note, "en")
    assert "kimura2006" not in prescription_json.note_message(note, "zh")


def _identity(lang: str):  # type: ignore[no-untyped-def]
    from alsrx.i18n import translator

    return translator(lang)
