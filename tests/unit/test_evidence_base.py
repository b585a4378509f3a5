"""The evidence base: complete, linked, honest about what could not be resolved."""

import copy
import re
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from alsrx.evidence import base

REQUIRED_RECOMMENDATIONS = {
    "rec-aerobic-intensity",
    "rec-aerobic-dose",
    "rec-aerobic-ramp",
    "rec-resistance",
    "rec-respiratory-muscle",
    "rec-combined",
    "rec-start-early",
    "rec-reassess-3-months",
    "rec-fatigue-window",
    "rec-home-with-family",
    "rec-telemonitoring",
}
REQUIRED_GUIDANCE = {
    "G-cochrane-2013",
    "G-paganoni-2015",
    "G-acsm-2010",
    "G-nice-ng42",
    "G-plowman-emst",
}


def raw(name):
    text = resources.files("alsrx.evidence").joinpath("data", name).read_text("utf-8")
    return tomllib.loads(text)


def test_every_reference_of_the_review_has_a_record():
    refs = base.load().references.values()
    numbers = sorted(r.review_number for r in refs if r.kind == "review_reference")
    assert numbers == list(range(1, 49))


def test_the_guidance_beyond_the_review_is_there():
    assert set(base.load().references) >= REQUIRED_GUIDANCE


def test_every_conclusion_of_the_review_is_a_linked_recommendation():
    evidence = base.load()
    assert set(evidence.recommendations) >= REQUIRED_RECOMMENDATIONS
    for rec in evidence.recommendations.values():
        assert rec.evidence or rec.strength == "alsrx_default"
        assert all(e in evidence.references for e in rec.evidence)
        assert rec.statement_en and rec.statement_zh


def test_the_aerobic_trial_records_the_reviews_misreport_of_its_size():
    r30 = base.load().references["R30"]
    assert r30.n_as_reported_by_review == 120 and r30.n == 57
    assert "57" in r30.discrepancy_note


def test_unresolved_references_say_so_instead_of_inventing_a_citation():
    refs = base.load().references
    unresolved = [r for r in refs.values() if r.resolution == "unresolved"]
    assert unresolved
    for ref in unresolved:
        assert not ref.doi and not ref.pmid
        assert ref.citation().startswith(f"[{ref.id}] unresolved")


def test_identifiers_are_well_formed():
    for ref in base.load().references.values():
        assert not ref.doi or ref.doi.startswith("10.")
        assert not ref.pmid or ref.pmid.isdigit()


def test_a_dangling_evidence_link_is_refused():
    recs = copy.deepcopy(raw("recommendations.toml"))
    recs["recommendation"][0]["evidence"].append("R99")
    with pytest.raises(base.EvidenceError, match="R99"):
        base.build(raw("references.toml"), recs)


def test_a_missing_field_is_refused_naming_the_record():
    refs = copy.deepcopy(raw("references.toml"))
    del refs["reference"][2]["summary_zh"]
    with pytest.raises(base.EvidenceError, match="R03: missing field 'summary_zh'"):
        base.build(refs, raw("recommendations.toml"))


def test_a_missing_review_reference_is_refused():
    refs = copy.deepcopy(raw("references.toml"))
    refs["reference"] = [r for r in refs["reference"] if r["id"] != "R17"]
    with pytest.raises(base.EvidenceError, match="17"):
        base.build(refs, raw("recommendations.toml"))


def test_a_duplicate_id_is_refused():
    refs = copy.deepcopy(raw("references.toml"))
    refs["reference"].append(refs["reference"][0])
    with pytest.raises(base.EvidenceError, match="duplicate"):
        base.build(refs, raw("recommendations.toml"))


# Issue 12: ids the engine cites for safety round 2.
ISSUE_12_GUIDANCE = {
    "G-aan-2009",
    "G-efns-2012",
    "G-nice-qs126",
    "G-nice-ng42",
    "G-acsm-gete",
    "G-acsm-screening-2015",
    "G-emst-device",
}
ISSUE_12_RECOMMENDATIONS = {
    "rec-respiratory-first",
    "rec-exercise-with-niv",
    "rec-respiratory-muscle-review",
    "rec-orthopnoea-no-supine",
    "rec-emst-safety",
    "rec-energy-balance",
    "rec-cardiac-screen-older",
    "rec-general-exercise-safety",
    "rec-bulbar-effort-monitoring",
    "rec-weakness-pattern",
    "rec-weekly-schedule",
    "rec-professional-review-monthly",
    "rec-fast-progression",
    "rec-post-exercise-overwork",
    "rec-adherence-definition",
}


def test_the_safety_round_2_guidance_and_recommendations_exist():
    evidence = base.load()
    assert set(evidence.references) >= ISSUE_12_GUIDANCE
    assert set(evidence.recommendations) >= ISSUE_12_RECOMMENDATIONS


def test_new_guidance_says_what_was_seen():
    refs = base.load().references
    for ref_id in ISSUE_12_GUIDANCE:
        ref = refs[ref_id]
        assert ref.kind == "guidance" and ref.resolution_note
        assert ref.summary_en and ref.summary_zh


def test_a_project_default_says_so_in_its_caveat():
    defaults = [r for r in base.load().recommendations.values() if r.strength == "alsrx_default"]
    assert defaults
    for rec in defaults:
        assert "default" in rec.caveat.lower(), rec.id


def test_a_project_default_without_that_caveat_is_refused():
    recs = copy.deepcopy(raw("recommendations.toml"))
    rec = next(r for r in recs["recommendation"] if r["id"] == "rec-post-exercise-overwork")
    rec["caveat"] = "No source."
    with pytest.raises(base.EvidenceError, match=r"rec-post-exercise-overwork: .*project default"):
        base.build(raw("references.toml"), recs)


def test_only_a_project_default_may_cite_nothing():
    recs = copy.deepcopy(raw("recommendations.toml"))
    rec = next(r for r in recs["recommendation"] if r["id"] == "rec-resistance")
    rec["evidence"] = []
    with pytest.raises(base.EvidenceError, match="rec-resistance: a recommendation must cite"):
        base.build(raw("references.toml"), recs)


def test_every_cited_id_exists():
    evidence = base.load()
    for rec in evidence.recommendations.values():
        assert all(e in evidence.references for e in rec.evidence), rec.id


def test_the_fatigue_window_is_not_labelled_consensus():
    assert base.load().recommendations["rec-fatigue-window"].strength == "alsrx_default"


def test_the_respiratory_first_rule_says_the_guidelines_set_no_exercise_rule():
    rec = base.load().recommendations["rec-respiratory-first"]
    assert rec.parameters["fvc_below_percent"] == 50
    assert "not as an exercise rule" in rec.caveat


def test_the_issue_12_parameters_carry_their_defaults():
    recs = base.load().recommendations
    expected = {
        ("rec-respiratory-muscle-review", "mip_snip_review_at_or_below_cmh2o"): 40,
        ("rec-emst-safety", "emst_min_device_cmh2o"): 30,
        ("rec-emst-safety", "remeasure_mep_every_weeks"): 4,
        ("rec-energy-balance", "bmi_below"): 18.5,
        ("rec-energy-balance", "weight_loss_percent"): 5,
        ("rec-cardiac-screen-older", "age_above_years"): 70,
        ("rec-weekly-schedule", "max_minutes_per_day"): 60,
        ("rec-professional-review-monthly", "review_every_weeks"): 4,
    }
    for (rec_id, name), value in expected.items():
        assert recs[rec_id].parameters[name] == value


def test_the_energy_balance_rule_cites_the_reviews_energy_metabolism_reference():
    assert "R43" in base.load().recommendations["rec-energy-balance"].evidence


def test_the_age_rule_rests_on_the_trials_upper_age():
    rec = base.load().recommendations["rec-cardiac-screen-older"]
    assert "R30" in rec.evidence and "18-70" in rec.statement_en


def test_the_adherence_rule_does_not_cite_the_misreported_claim():
    assert "R33" not in base.load().recommendations["rec-adherence-definition"].evidence


def test_every_id_in_the_safety_round_2_docs_exists():
    page = Path(__file__).parents[2].joinpath("docs", "clinical-rules.md").read_text("utf-8")
    section = page.split("# Safety round 2", 1)[1]
    ids = r"\b(?:rec-[a-z0-9-]*[a-z0-9]|[GP]-[a-z0-9-]*[a-z0-9]|R\d\d)\b"
    cited = set(re.findall(ids, section))
    assert cited and cited <= set(base.load().references) | set(base.load().recommendations)
