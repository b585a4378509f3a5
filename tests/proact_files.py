"""Small PRO-ACT directories, written as PRO-ACT writes them (CSV with a header, deltas in days
from trial entry), for the import's integration and CLI tests."""

from __future__ import annotations

import csv
from pathlib import Path

ALSFRS = [
    # subject 101: the current key spelling; onset 365 days before entry (ALSHISTORY)
    {"subject_id": "101", "ALSFRS_Delta": "0", "ALSFRS_R_Total": "40"},
    {"subject_id": "101", "ALSFRS_Delta": "91", "ALSFRS_R_Total": "37"},
    # out of range: never stored
    {"subject_id": "101", "ALSFRS_Delta": "182", "ALSFRS_R_Total": "49"},
    # both 5a and 5b: dropped as PRO-ACT preprocessing does
    {
        "subject_id": "102",
        "ALSFRS_Delta": "0",
        "ALSFRS_R_Total": "30",
        "Q5a_Cutting_without_Gastrostomy": "2",
        "Q5b_Cutting_with_Gastrostomy": "1",
    },
    # subject 102 has no onset: kept relative to entry
    {"subject_id": "102", "ALSFRS_Delta": "30", "ALSFRS_R_Total": "29"},
    # the original ALSFRS only: skipped
    {"subject_id": "103", "ALSFRS_Delta": "0", "ALSFRS_Total": "30", "Q10_Respiratory": "3"},
]
HISTORY = [{"SubjectID": "101", "Onset_Delta": "-365", "Site_of_Onset": "Onset: Bulbar"}]
VITALS = [
    {
        "SubjectID": "101",
        "Vital_Signs_Delta": "0",
        "Weight": "154",
        "Weight_Units": "Pounds",
        "Height": "70",
        "Height_Units": "Inches",
    },
    {
        "SubjectID": "102",
        "Vital_Signs_Delta": "30",
        "Weight": "70.5",
        "Weight_Units": "Kilograms",
        "Height": "172",
        "Height_Units": "Centimeters",
    },
]
DEMOGRAPHICS = [
    {"subject_id": "101", "Age": "61", "Sex": "Male"},
    {"subject_id": "102", "Age": "55", "Sex": "Female"},
]


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    columns: list[str] = []
    for row in rows:
        columns += [c for c in row if c not in columns]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:  # as Excel saves it
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def write_directory(directory: Path, *, alsfrs: list[dict[str, str]] | None = None) -> Path:
    """ALSFRS, ALSHISTORY, VITALSIGNS and DEMOGRAPHICS; no FVC or DEATHDATA file."""
    directory.mkdir(parents=True, exist_ok=True)
    write_csv(directory / "PROACT_ALSFRS.csv", ALSFRS if alsfrs is None else alsfrs)
    write_csv(directory / "PROACT_ALSHISTORY.csv", HISTORY)
    write_csv(directory / "PROACT_VITALSIGNS.csv", VITALS)
    write_csv(directory / "PROACT_DEMOGRAPHICS.csv", DEMOGRAPHICS)
    return directory
