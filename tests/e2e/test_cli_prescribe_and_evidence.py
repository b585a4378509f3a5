"""`alsrx prescribe` and `alsrx evidence` end to end."""

import json

from tests.conftest import valid_document
from tests.e2e.test_cli_assess import EXAMPLES, alsrx


def test_prescribe_prints_the_fixed_keys():
    run = alsrx("prescribe", str(EXAMPLES / "early-spinal.json"))
    assert run.returncode == 0, run.stderr
    doc = json.loads(run.stdout)
    assert {
        "status",
        "reasons",
        "components",
        "session_order",
        "weekly_schedule",
        "stop_rules",
        "monitoring",
        "review_after_weeks",
        "trace",
    } <= set(doc)
    component = doc["components"][0]
    assert {
        "type",
        "sessions_per_week",
        "minutes_per_session",
        "intensity",
        "modalities",
        "muscle_groups",
        "progression",
        "evidence",
        "rationale",
    } <= set(component)
    assert {"hr_bpm", "percent_hrr", "rpe", "percent_mep"} <= set(component["intensity"])


def test_markdown_handout_in_both_languages():
    en = alsrx("prescribe", str(EXAMPLES / "early-spinal.json"), "--format", "md")
    zh = alsrx("prescribe", str(EXAMPLES / "early-spinal.json"), "--format", "md", "--lang", "zh")
    assert en.returncode == zh.returncode == 0
    assert en.stdout.startswith("# Exercise prescription")
    assert zh.stdout.startswith("# 肌萎缩侧索硬化（ALS）运动处方")
    assert "R30" in en.stdout and "停止" in zh.stdout


def test_prescribe_batch_keeps_lines_aligned():
    good = valid_document()
    bad = valid_document()
    bad["assessment"]["mrc"] = {"knee_extension_left": 6}
    lines = "\n".join(json.dumps(d) for d in (good, bad, good)) + "\n"
    run = alsrx("prescribe", "--batch", "-", stdin=lines)
    out = [json.loads(line) for line in run.stdout.splitlines()]
    assert ["error" in o for o in out] == [False, True, False]
    assert out[1]["error"]["fields"][0]["path"] == "assessment.mrc.knee_extension_left"
    assert run.returncode == 1 and "line 2: " in run.stderr


def test_an_override_that_loosens_a_bound_is_refused():
    run = alsrx("prescribe", str(EXAMPLES / "early-spinal.json"), "--set", "max_percent_hrr=85")
    assert run.returncode == 1
    assert "settings.max_percent_hrr: must be a number from 40 to 75" in run.stderr


def test_evidence_list_is_json_with_ids():
    run = alsrx("evidence", "list", "--format", "json")
    records = json.loads(run.stdout)
    ids = {r["id"] for r in records}
    assert {"R01", "R48", "rec-aerobic-intensity"} <= ids


def test_evidence_show_prints_one_record_and_refuses_unknown_ids():
    shown = alsrx("evidence", "show", "R30")
    assert shown.returncode == 0 and "FACTS-2-ALS" in shown.stdout
    missing = alsrx("evidence", "show", "R99")
    assert missing.returncode == 1 and "R99" in missing.stderr


def test_prescribe_refuses_an_anaerobic_threshold_above_the_peak_with_exit_1(tmp_path):
    document = valid_document()
    document["assessment"]["cpet"] = {"peak_hr_bpm": 150, "anaerobic_threshold_hr_bpm": 160}
    path = tmp_path / "bad-at.json"
    path.write_text(json.dumps(document))
    run = alsrx("prescribe", str(path))
    assert run.returncode == 1
    assert "assessment.cpet.anaerobic_threshold_hr_bpm" in run.stderr
    assert "150" in run.stderr
