"""`alsrx assess` end to end, as a separate process, the way a clinic script would call it."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import valid_document

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def alsrx(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "alsrx", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


def test_assess_prints_the_json_document_for_an_example_patient():
    run = alsrx("assess", str(EXAMPLES / "early-spinal.json"))
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["alsfrs_r"]["total"] == 45 and out["kings_stage"] == "1"


def test_assess_text_report_in_chinese():
    run = alsrx(
        "assess",
        str(EXAMPLES / "gastrostomy-niv-beta-blocker.json"),
        "--format",
        "text",
        "--lang",
        "zh",
    )
    assert run.returncode == 0, run.stderr
    assert "King's 分期 4A+4B" in run.stdout
    assert "β受体阻滞剂" in run.stdout


def test_bad_input_exits_non_zero_naming_the_field_without_a_traceback():
    doc = valid_document()
    doc["assessment"]["alsfrs_r"]["q1_speech"] = 5
    run = alsrx("assess", "-", stdin=json.dumps(doc))
    assert run.returncode == 1
    assert "assessment.alsfrs_r.q1_speech: must be a whole number from 0 to 4" in run.stderr
    assert "Traceback" not in run.stderr and run.stdout == ""


def test_malformed_json_is_reported_with_its_position():
    run = alsrx("assess", "-", stdin='{"patient": ')
    assert run.returncode == 1
    assert "is not valid JSON: line 1" in run.stderr and "Traceback" not in run.stderr


def test_a_missing_file_is_a_usage_error():
    run = alsrx("assess", "no-such-file.json")
    assert run.returncode == 2 and "cannot read no-such-file.json" in run.stderr


def test_batch_keeps_outputs_aligned_and_fails_only_when_a_line_failed(tmp_path):
    good = valid_document()
    bad = valid_document()
    bad["assessment"]["alsfrs_r"]["q5b_cutting_food_gastrostomy"] = 1
    batch = tmp_path / "cases.jsonl"
    batch.write_text("\n".join(json.dumps(d) for d in (good, bad, good, "{oops")) + "\n")
    run = alsrx("assess", "--batch", str(batch))
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    assert [("error" in line) for line in lines] == [False, True, False, True]
    assert lines[1]["error"]["fields"][0]["path"] == "assessment.alsfrs_r.q5a_cutting_food"
    assert "line 2: " in run.stderr and "line 4: " in run.stderr
    assert run.returncode == 1


def test_a_clean_batch_exits_zero():
    run = alsrx("assess", "--batch", str(EXAMPLES / "batch.jsonl"))
    assert run.returncode == 0, run.stderr
    assert len(run.stdout.splitlines()) == 3


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [("--cutoffs", "kimura2006", "kimura2006"), ("--hrmax", "fox", "fox")],
)
def test_source_choices_are_selectable_and_named_in_the_output(option, value, expected):
    doc = valid_document()
    run = alsrx("assess", "-", option, value, stdin=json.dumps(doc))
    out = json.loads(run.stdout)
    assert expected in (out["progression"]["cutoffs"]["id"], out["heart_rate"]["max_source"])


def test_an_unknown_setting_is_refused_naming_it():
    run = alsrx("assess", "-", "--cutoffs", "elamin", stdin=json.dumps(valid_document()))
    assert run.returncode == 1 and "ALSRX_PROGRESSION_CUTOFFS" in run.stderr


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "1e999"])
def test_a_non_finite_number_in_a_file_is_refused_naming_the_field(literal):
    text = json.dumps(valid_document()).replace('"fvc_l": 3.9', f'"fvc_l": {literal}')
    for command in ("assess", "prescribe"):
        run = alsrx(command, "-", stdin=text)
        assert run.returncode == 1, run.stdout
        assert "assessment.fvc_l: must be a finite number" in run.stderr
        assert "Traceback" not in run.stderr and run.stdout == ""


def test_a_non_finite_engine_setting_is_refused_naming_it():
    run = alsrx("prescribe", str(EXAMPLES / "early-spinal.json"), "--set", "fatigue_limit_min=nan")
    assert run.returncode == 1 and "settings.fatigue_limit_min" in run.stderr
