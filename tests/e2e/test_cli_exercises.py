"""`alsrx exercises list|show`: the library from the command line, in both languages."""

import json

from tests.e2e.test_cli_assess import alsrx

from alsrx.domain.exercises import library


def test_the_list_names_every_exercise_of_the_library():
    run = alsrx("exercises", "list", "--format", "json", "--lang", "zh")
    assert run.returncode == 0, run.stderr
    listed = json.loads(run.stdout)
    assert {r["id"] for r in listed} == set(library.default().entries)
    assert all(library.HAN.search(r["name"]) for r in listed)


def test_the_list_can_be_narrowed_to_one_component():
    run = alsrx("exercises", "list", "--format", "json", "--component", "respiratory_muscle")
    ids = {r["id"] for r in json.loads(run.stdout)}
    assert "emst_expiratory_training" in ids and "walking" not in ids


def test_show_gives_the_steps_dose_and_least_grades_in_words():
    run = alsrx("exercises", "show", "knee_extension_against_gravity", "--lang", "en")
    assert run.returncode == 0, run.stderr
    assert "Seated knee straightening" in run.stdout
    assert "knee extension: MRC 3" in run.stdout and "1. Sit well back" in run.stdout


def test_an_unknown_exercise_is_refused_by_name():
    run = alsrx("exercises", "show", "no_such_exercise")
    assert run.returncode == 1
    assert "no_such_exercise" in run.stderr and "alsrx exercises list" in run.stderr
