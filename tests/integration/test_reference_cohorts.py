"""Importing PRO-ACT as a reference cohort (services/reference_cohorts.py), on SQLite and
PostgreSQL: stored apart from patients, replaced on re-import, audited, read as trajectories."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from tests import proact_files

from alsrx.db import models
from alsrx.db.session import transaction
from alsrx.errors import InvalidInput, NotFound, PermissionDenied
from alsrx.services import reference_cohorts
from alsrx.services.actor import SYSTEM, Actor

DAYS_PER_MONTH = 365.25 / 12  # written out here, not taken from the code under test
RESEARCHER = Actor(5, "r", "researcher", frozenset({1}))


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_an_import_stores_subjects_and_visits_and_no_patient(factory, tmp_path):
    directory = proact_files.write_directory(tmp_path / "proact")
    with transaction(factory) as s:
        done = reference_cohorts.import_proact(s, SYSTEM, directory)
    assert (done.name, done.replaced, done.report.subjects, done.report.visits) == (
        "PRO-ACT",
        False,
        2,
        3,
    )
    with transaction(factory, write=False) as s:
        assert count(s, models.Patient) == 0 and count(s, models.Assessment) == 0
        subjects = s.scalars(
            select(models.ReferenceSubject).order_by(models.ReferenceSubject.source_id)
        ).all()
        visits = s.scalars(
            select(models.ReferenceVisit).order_by(
                models.ReferenceVisit.subject_id, models.ReferenceVisit.days_from_entry
            )
        ).all()
    assert [(x.source_id, x.sex, x.age_years, x.onset_region) for x in subjects] == [
        ("101", "male", 61, "bulbar"),
        ("102", "female", 55, None),
    ]
    assert [(v.days_from_entry, v.days_since_onset, v.alsfrs_r_total) for v in visits] == [
        (0, 365, 40),
        (91, 456, 37),
        (30, None, 29),
    ]
    # 154 lb x 0.45359237 = 69.85322498 kg; 70 in x 2.54 = 177.8 cm
    assert visits[0].weight_kg == pytest.approx(69.85322498, abs=1e-9)
    assert visits[0].height_cm == pytest.approx(177.8, abs=1e-9)
    assert (visits[2].weight_kg, visits[2].height_cm) == (70.5, 172)


def test_the_import_is_audited_with_its_counts(factory, tmp_path):
    directory = proact_files.write_directory(tmp_path / "proact")
    with transaction(factory) as s:
        reference_cohorts.import_proact(s, SYSTEM, directory)
    with transaction(factory, write=False) as s:
        event = s.scalars(
            select(models.AuditEvent).where(models.AuditEvent.entity == "reference_cohort")
        ).one()
    assert event.action == "create"
    alsfrs = event.new["files"]["PROACT_ALSFRS.csv"]
    assert (alsfrs["rows"], alsfrs["used"]) == (6, 3)
    assert alsfrs["skipped"] == {
        "both_5a_and_5b": 1,
        "original_alsfrs_only": 1,
        "out_of_range:alsfrs_r_total": 1,
    }
    assert event.new["files"]["PROACT_FVC.csv"]["read"] is False


def test_a_second_import_of_the_same_name_replaces_the_first(factory, tmp_path):
    first = proact_files.write_directory(tmp_path / "one")
    second = proact_files.write_directory(
        tmp_path / "two", alsfrs=[{"SubjectID": "101", "ALSFRS_Delta": "0", "ALSFRS_R_Total": "44"}]
    )
    with transaction(factory) as s:
        reference_cohorts.import_proact(s, SYSTEM, first)
    with transaction(factory) as s:
        done = reference_cohorts.import_proact(s, SYSTEM, second)
    assert done.replaced
    with transaction(factory, write=False) as s:
        assert count(s, models.ReferenceCohort) == 1
        assert count(s, models.ReferenceSubject) == 2  # 101, and 102 by its vital signs
        totals = s.scalars(select(models.ReferenceVisit.alsfrs_r_total)).all()
    assert sorted(t for t in totals if t is not None) == [44]
    with transaction(factory, write=False) as s:
        actions = s.scalars(
            select(models.AuditEvent.action)
            .where(models.AuditEvent.entity == "reference_cohort")
            .order_by(models.AuditEvent.seq)
        ).all()
    assert actions == ["create", "update"]


def test_cohorts_of_different_names_live_side_by_side(factory, tmp_path):
    directory = proact_files.write_directory(tmp_path / "proact")
    with transaction(factory) as s:
        reference_cohorts.import_proact(s, SYSTEM, directory, name="PRO-ACT 2022")
        reference_cohorts.import_proact(s, SYSTEM, directory, name="PRO-ACT 2024")
    with transaction(factory, write=False) as s:
        assert count(s, models.ReferenceSubject) == 4


def import_then_fail(factory, directory):
    with transaction(factory) as s:
        reference_cohorts.import_proact(s, SYSTEM, directory)
        raise RuntimeError("the caller's transaction fails after the import")


def test_a_failed_import_leaves_the_previous_cohort_as_it_was(factory, tmp_path):
    good = proact_files.write_directory(tmp_path / "good")
    with transaction(factory) as s:
        reference_cohorts.import_proact(s, SYSTEM, good)
    other = proact_files.write_directory(tmp_path / "other", alsfrs=[])
    with pytest.raises(RuntimeError):
        import_then_fail(factory, other)
    with transaction(factory, write=False) as s:
        assert count(s, models.ReferenceVisit) == 3


def test_only_an_administrator_may_import(factory, tmp_path):
    directory = proact_files.write_directory(tmp_path / "proact")
    with pytest.raises(PermissionDenied), transaction(factory) as s:
        reference_cohorts.import_proact(s, RESEARCHER, directory)


def test_a_missing_directory_or_alsfrs_file_is_named(factory, tmp_path):
    with pytest.raises(InvalidInput) as no_dir, transaction(factory) as s:
        reference_cohorts.import_proact(s, SYSTEM, tmp_path / "nowhere")
    assert no_dir.value.errors[0].code == "not_a_directory"
    (tmp_path / "empty").mkdir()
    with pytest.raises(InvalidInput) as no_file, transaction(factory) as s:
        reference_cohorts.import_proact(s, SYSTEM, tmp_path / "empty")
    assert [(e.path, e.code) for e in no_file.value.errors] == [
        ("PROACT_ALSFRS.csv", "no_such_file")
    ]


def test_trajectories_are_months_since_onset_and_totals_per_subject(factory, tmp_path):
    directory = proact_files.write_directory(tmp_path / "proact")
    with transaction(factory) as s:
        reference_cohorts.import_proact(s, SYSTEM, directory)
    with transaction(factory, write=False) as s:
        series = reference_cohorts.trajectories(s, "PRO-ACT")
    # subject 101 only: 102 has no known onset. 365 and 456 days since onset.
    assert series == [
        (
            (pytest.approx(365 / DAYS_PER_MONTH), 40.0),
            (pytest.approx(456 / DAYS_PER_MONTH), 37.0),
        )
    ]


def test_trajectories_of_an_unknown_cohort_are_not_found(factory):
    with pytest.raises(NotFound), transaction(factory, write=False) as s:
        reference_cohorts.trajectories(s, "nothing")
