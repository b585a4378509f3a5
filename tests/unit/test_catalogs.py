"""Every user-facing string marked in the code exists, translated, in the zh-CN catalog."""

import subprocess
import sys
from pathlib import Path

from babel.messages import pofile

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "src" / "alsrx" / "locale"


def extracted_ids(tmp_path):
    pot = tmp_path / "alsrx.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "N_",
            "-k",
            "_",
            "--no-location",
            "-o",
            str(pot),
            str(ROOT / "src" / "alsrx"),
        ],
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as handle:
        return {m.id for m in pofile.read_po(handle) if m.id}


def catalog(locale):
    with (LOCALE / locale / "LC_MESSAGES" / "alsrx.po").open("rb") as handle:
        return pofile.read_po(handle, locale=locale)


def test_every_marked_string_has_a_chinese_translation(tmp_path):
    zh = catalog("zh_CN")
    missing = sorted(i for i in extracted_ids(tmp_path) if not (zh.get(i) and zh.get(i).string))
    assert missing == []


def test_the_english_catalog_lists_every_marked_string(tmp_path):
    en = catalog("en")
    assert sorted(i for i in extracted_ids(tmp_path) if en.get(i) is None) == []


def test_no_chinese_translation_is_fuzzy_or_drops_a_placeholder():
    import re

    for message in catalog("zh_CN"):
        if not message.id:
            continue
        assert not message.fuzzy, message.id
        pattern = r"{\w+}|%\(\w+\)s"
        assert set(re.findall(pattern, message.id)) == set(re.findall(pattern, message.string)), (
            message.id
        )
