"""The evidence base: complete, linked, honest about what could not be resolved."""

import copy
import tomllib
from importlib import resources

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
        assert rec.evidence and all(e in evidence.references for e in rec.evidence)
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
