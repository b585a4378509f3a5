"""Generated documentation must match what the code does now."""

from pathlib import Path

from scripts import typical_patients


def test_the_typical_patients_page_is_up_to_date():
    page = Path(typical_patients.PAGE).read_text(encoding="utf-8")
    assert page == typical_patients.render(), "run: python scripts/typical_patients.py"
