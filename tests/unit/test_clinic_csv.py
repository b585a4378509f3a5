"""The clinic CSV writer and codebook, without a database: how cells are written, what a
spreadsheet will see, and that the codebook speaks both languages for every column and code."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from alsrx.i18n import translator
from alsrx.interop import clinic_codebook as book
from alsrx.interop import clinic_csv


@pytest.mark.parametrize("text", ["=1+1", "+41", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_a_text_cell_a_spreadsheet_would_run_gets_a_leading_apostrophe(text):
    assert clinic_csv.cell(text) == "'" + text


def test_numbers_dates_and_flags_are_written_as_values_not_guarded_text():
    assert clinic_csv.cell(-1.25) == -1.25
    assert clinic_csv.cell(0) == 0
    assert clinic_csv.cell(True) == 1 and clinic_csv.cell(False) == 0
    assert clinic_csv.cell(None) == ""
    assert clinic_csv.cell(dt.date(2026, 3, 4)) == "2026-03-04"
    assert clinic_csv.cell("4A+4B") == "4A+4B"


def test_timestamps_are_utc_to_the_second_whether_or_not_the_driver_kept_the_zone():
    naive = dt.datetime(2026, 11, 26, 9, 30, 15, 123456)
    beijing = dt.datetime(2026, 11, 26, 17, 30, 15, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert clinic_csv.utc_iso(naive) == "2026-11-26T09:30:15Z"
    assert clinic_csv.utc_iso(beijing) == "2026-11-26T09:30:15Z"


def test_a_row_with_a_column_the_codebook_does_not_describe_is_refused():
    with pytest.raises(ValueError, match="not in the codebook"):
        clinic_csv.write(book.ALERTS, [{"patient_code": "A-1", "secret": "x"}], io.StringIO())


def test_a_file_is_its_header_then_rows_in_codebook_order_with_crlf():
    out = io.StringIO(newline="")
    n = clinic_csv.write(book.ALERTS, [{"code": "red_flag", "patient_code": "=A"}], out)
    lines = out.getvalue().split("\r\n")
    assert n == 1 and lines[0] == ",".join(book.ALERTS.names) and lines[2] == ""
    row = next(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert row["patient_code"] == "'=A" and row["code"] == "red_flag" and row["severity"] == ""


def test_column_names_are_unique_snake_case_codes_in_every_file():
    for f in book.FILES:
        assert len(set(f.names)) == len(f.names), f.name
        assert all(n == n.lower() and " " not in n for n in f.names), f.name
        assert f.names[0] == "patient_code"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_codebook_has_words_for_every_column_and_every_code(lang):
    _ = translator(lang)
    for f in book.FILES:
        for c in f.columns:
            words = clinic_csv.describe(c, _)
            assert words and "{" not in words, (f.name, c.name)
            for code, msgid in c.codes:
                assert _(msgid), (f.name, c.name, code)


def test_every_description_and_code_word_reads_in_chinese():
    en, zh = translator("en"), translator("zh")
    untranslated = [
        (f.name, c.name)
        for f in book.FILES
        for c in f.columns
        if clinic_csv.describe(c, zh) == clinic_csv.describe(c, en)
    ]
    assert untranslated == []
    words = [w for f in book.FILES for c in f.columns for code, w in c.codes if code != w]
    assert [w for w in words if zh(w) == w] == []


def test_the_readme_says_when_by_which_version_and_how_many_rows():
    text = clinic_csv.readme(
        translator("zh"),
        exported_at="2026-11-26T09:30:00Z",
        version="9.9",
        scope="centre",
        label="北京",
        patients=3,
        rows={"alerts.csv": 4},
    )
    assert "2026-11-26T09:30:00Z" in text and "9.9" in text and "北京" in text
    assert "alerts.csv" in text and text.endswith("\r\n")
