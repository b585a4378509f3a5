"""The zh-CN catalog keeps the clinical terms a Chinese ALS rehabilitation team expects."""

from __future__ import annotations

import re
from importlib import resources

import pytest
from babel.messages import pofile

RPE = "主观用力程度（RPE）"
BORG = "博格 6–20 分量表"
CRAMPS = "抽筋（痛性痉挛）"


def _pairs() -> list[tuple[str, str]]:
    po = resources.files("alsrx").joinpath("locale", "zh_CN", "LC_MESSAGES", "alsrx.po")
    with po.open("rb") as handle:
        catalog = pofile.read_po(handle, locale="zh_CN")
    return [(str(m.id), str(m.string)) for m in catalog if m.id and m.string]


PAIRS = _pairs()


def test_the_care_team_is_a_rehabilitation_team_or_hospital_never_a_clinic():
    assert [s for _, s in PAIRS if "诊所" in s] == []


def test_perceived_exertion_has_one_chinese_term():
    wrong = [s for _, s in PAIRS if re.search("自觉用力|自感用力|主观疲劳|Borg|伯格", s)]
    assert wrong == []
    assert [s for _, s in PAIRS if "RPE" in s and RPE not in s] == []
    assert [i for i, s in PAIRS if "perceived exertion" in i and RPE not in s] == []


def test_the_borg_scale_has_one_chinese_name():
    assert [s for i, s in PAIRS if "Borg" in i and BORG not in s] == []


def test_cramps_are_always_painful_cramps_not_spasticity():
    assert [s for i, s in PAIRS if "cramp" in i.lower() and CRAMPS not in s] == []
    # 痉挛 alone means spasticity to a Chinese clinician.
    assert [s for _, s in PAIRS if re.search("(?<!痛性)痉挛", s)] == []


@pytest.mark.parametrize(("msgid", "msgstr"), [p for p in PAIRS if re.search(r"weeks?\b", p[0])])
def test_week_numbers_are_written_di_x_zhou(msgid: str, msgstr: str):
    assert not re.search(r"(?<!每)周\s*[\d{%]", msgstr), msgstr  # 每周 5 次: a frequency
    if re.search(r"\S+–\S+", msgid) and re.search(r"weeks? [{%\d]", msgid):
        assert re.search(r"第 \S+–\S+ 周", msgstr), msgstr


def test_the_disease_is_named_in_full_where_a_clinician_first_meets_it():
    table = dict(PAIRS)
    for msgid in ("Exercise prescription", "ALS assessment of {date} (age {age} years)"):
        assert table[msgid].startswith("肌萎缩侧索硬化（ALS）"), msgid


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("heart-rate reserve", "心率储备"),
        ("range of motion", "关节活动度"),
        ("MEP", "最大呼气压"),
        ("NIV", "无创通气"),
        ("gastrostomy", "胃造瘘"),
        ("Orthopnoea", "端坐呼吸"),
    ],
)
def test_clinical_terms_are_translated_the_same_way_everywhere(english: str, chinese: str):
    found = [(i, s) for i, s in PAIRS if re.search(rf"\b{re.escape(english)}\b", i)]
    assert found, english
    assert [s for _, s in found if chinese not in s] == []
