"""The printed programme's view-model (render/programme_view.py): what the patient's handout and
the clinician's sheet say, in each language, for a typical plan."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from tests import handout_fixtures as fx

from alsrx.domain.followup import plan as plan_mod
from alsrx.evidence import base as evidence_base
from alsrx.render import (
    exercise_view,
    prescription_md,
    programme_clinician,
    programme_parts,
    programme_view,
)
from alsrx.render import prescription_labels as labels

LIBRARY = fx.own_library()
CONTEXT = programme_view.HandoutContext(
    prescription_id="rx-1",
    version=3,
    status="active",
    patient_name="Wang Fang (A-001)",
    centre_name="Centre A",
    clinic_phone="+86 10 0000 0000",
    emergency_number="120",
    approved_by="dr-li",
    approved_at=dt.datetime(2026, 11, 26, 9, 30, tzinfo=dt.UTC),
    started_on=dt.date(2026, 11, 26),
    assessed_on=dt.date(2026, 10, 15),
)


@pytest.fixture(scope="module")
def content() -> dict[str, Any]:
    return fx.content_with_exercises(library=LIBRARY)


def handout(content: dict[str, Any], lang: str = "en", **context: Any) -> programme_view.Programme:
    ctx = dataclasses.replace(CONTEXT, **context)
    return programme_view.build(
        content, lang=lang, audience="patient", context=ctx, library=LIBRARY
    )


def sheet(content: dict[str, Any], lang: str = "en") -> programme_view.Programme:
    return programme_view.build(
        content, lang=lang, audience="clinician", context=CONTEXT, library=LIBRARY
    )


# Fields the templates never print: codes that key the layout, and the figure's own markup.
UNPRINTED = {"id", "type", "key", "lang", "audience", "figure_svg"}


def texts(value: object) -> Iterator[str]:
    """Every string a view-model holds for the reader, however deep."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            if f.name not in UNPRINTED:
                yield from texts(getattr(value, f.name))
    elif isinstance(value, dict):
        for v in value.values():
            yield from texts(v)
    elif isinstance(value, tuple | list):
        for v in value:
            yield from texts(v)


def chosen(content: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for c in content["components"] for e in c["exercises"]]


def test_the_typical_plan_has_exercises_in_every_part_from_the_tests_library(content):
    assert all(c["exercises"] for c in content["components"])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_chosen_exercise_has_one_numbered_card_with_its_name_in_the_readers_language(
    content, lang
):
    p = handout(content, lang)
    cards = [n for part in p.parts for n in part.cards]
    assert [n.card.id for n in cards] == [e["id"] for e in chosen(content)]
    assert [n.number for n in cards] == list(range(1, len(cards) + 1))
    for n in cards:
        assert n.card.name == LIBRARY.entries[n.card.id].words(lang).name


def test_with_the_projects_library_every_chosen_exercise_of_every_example_gets_its_card():
    for path in sorted((fx.ROOT / "examples" / "typical").glob("*.json")):
        doc = fx.content_of(path)
        p = programme_view.build(doc, lang="en", audience="patient", context=CONTEXT)
        names = {n.card.name for part in p.parts for n in part.cards}
        for e in chosen(doc):
            card = exercise_view.card(e, lang="en")
            assert card is not None and card.name in names, (path.name, e["id"])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_patient_handout_shows_no_evidence_id_and_no_code(content, lang):
    p = handout(content, lang)
    words = [t for t in texts(p) if t not in (p.centre, p.words["colon"])]
    assert [t for t in words if fx.EVIDENCE_ID.search(t)] == []
    assert [t for t in words if re.search(r"\b[a-z]+_[a-z_]+\b", t)] == []
    assert p.references == () and p.reasons == () and all(not part.why for part in p.parts)


def test_the_patient_handout_does_not_print_the_patients_name(content):
    assert "Wang Fang" not in " ".join(texts(handout(content)))


def test_the_chinese_handout_speaks_chinese_everywhere_but_in_names_and_units(content):
    p = handout(content, "zh")
    data = {p.centre, CONTEXT.clinic_phone} | {
        n.card.figure_credit for part in p.parts for n in part.cards
    }
    # Units and abbreviations a Chinese team writes in Latin letters beside the Chinese term.
    kept = re.compile(r"cmH2O|（[A-Za-z0-9 ]+）")
    printed = [t for t in texts(p) if t not in data and t != p.page_of]
    english = [t for t in printed if re.search(r"[A-Za-z]{3,}", kept.sub("", t))]
    assert english == []
    assert fx.HAN.search(p.title) and fx.HAN.search(p.safety.rules[0])


def test_the_clinician_sheet_gives_every_reason_with_its_evidence_and_cites_each_id(content):
    p = sheet(content)
    cited = {r.id for r in p.references}
    base = evidence_base.load()
    expected = {e for e in programme_clinician.cited(content) if e in base}
    assert cited == expected and cited
    by_type = {c["type"]: c for c in content["components"]}
    for part in p.parts:
        notes = by_type[part.type]["rationale"]
        for note, line in zip(notes, part.why, strict=True):
            assert all(e in line for e in note["evidence"])


def test_the_clinician_sheet_lists_every_exercise_with_its_dose(content):
    p = sheet(content)
    rows = [row for part in p.parts for row in part.doses]
    assert len(rows) == len(chosen(content))
    assert all(row.dose and row.name for row in rows)


def test_the_clinician_sheet_states_version_approval_and_patient(content):
    facts = {line.label: line.text for line in sheet(content).facts}
    assert facts["Patient"] == "Wang Fang (A-001)"
    assert facts["Version"].startswith("3 ")
    assert "dr-li" in facts["Approved"] and "2026" in facts["Approved"]


def test_the_heart_rate_is_one_number_the_phase_ceiling_the_same_as_the_stop_rule(content):
    p = handout(content)
    ceiling = plan_mod.hr_ceiling(content, content["current_week"])
    assert ceiling is not None
    assert p.heart_rate == f"Heart rate: keep it at or below {ceiling.bpm} beats a minute."
    assert any(f"above {ceiling.bpm} bpm" in rule for rule in p.safety.rules)


def test_without_a_heart_rate_target_no_heart_rate_number_is_printed():
    doc = fx.content_with_exercises(fx.ROOT / "examples" / "typical" / "5-beta-blocker.json")
    assert handout(doc).heart_rate is None


def test_effort_is_the_range_on_the_6_to_20_scale_in_our_own_words(content):
    effort = handout(content).effort
    assert effort is not None and "11–13 on the 6–20 effort scale" in effort
    # Borg's verbal anchors are licensed: none of them is printed.
    assert not re.search(r"\b(light|somewhat hard|hard|very|extremely)\b", effort, re.I)
    assert "6–20" in (handout(content, "zh").effort or "")


def test_the_emergency_number_comes_first_then_the_clinics_phone(content):
    p = handout(content)
    assert p.safety.emergency == "Call the emergency number 120"
    assert p.footer.index("120") < p.footer.index("+86 10 0000 0000")
    without = handout(content, emergency_number=None)
    assert without.safety.emergency == "In an emergency, call your local emergency number."
    assert without.footer.startswith("Emergency: your local emergency number")


def test_the_week_has_a_box_for_each_planned_session_of_each_part(content):
    p = handout(content)
    assert p.week is not None and len(p.week.days) == 7
    for row, part in zip(p.week.rows, p.parts, strict=True):
        planned = [
            (2 if part.type in d["twice"] else 1) if part.type in d["components"] else 0
            for d in content["weekly_schedule"]
        ]
        assert row.title == labels.COMPONENTS[part.type]
        assert list(row.boxes) == planned, part.type


def test_the_week_names_the_cards_of_each_part(content):
    p = handout(content)
    assert p.week is not None
    for row, part in zip(p.week.rows, p.parts, strict=True):
        assert row.cards == part.cards_label
        first, last = part.cards[0].number, part.cards[-1].number
        assert (f"{first}–{last}" if first != last else f"Exercise {first}") in row.cards


def test_the_current_stage_and_the_earliest_date_of_the_next_are_stated(content):
    lines = handout(content).plan
    week = content["current_week"]
    following = plan_mod.next_phase_week(content, week)
    assert following is not None
    begins = CONTEXT.started_on + dt.timedelta(weeks=following - week)  # type: ignore[operator]
    assert any(programme_parts.date_text(begins, "en") in line for line in lines)
    assert any(line.startswith("You are in stage 1 of") for line in lines)


def test_an_unapproved_plan_counts_the_next_stage_in_weeks_and_says_it_is_a_draft(content):
    p = handout(content, status="draft", approved_at=None, started_on=None)
    assert any("week 5 at the earliest" in line for line in p.plan)
    assert p.banners and p.banners[0].startswith("Draft: not yet approved")


def test_the_next_review_is_the_assessment_date_plus_the_plans_interval(content):
    due = CONTEXT.assessed_on + dt.timedelta(weeks=content["review_after_weeks"])  # type: ignore[operator]
    assert programme_parts.date_text(due, "en") in handout(content).review


def test_a_paused_plan_says_so_at_the_top(content):
    paused = dict(content, paused=True)
    assert any("Exercise is paused" in b for b in handout(paused).banners)
    assert any("运动已暂停" in b or "暂停" in b for b in handout(paused, "zh").banners)


def test_the_log_sheet_has_two_weeks_of_days_and_a_column_for_each_part(content):
    log = handout(content).log
    assert log is not None and len(log.rows) == 14
    assert len(log.columns) == len(content["components"])
    assert all(len(row.planned) == len(log.columns) for row in log.rows)
    assert sheet(content).log is None


@pytest.mark.parametrize(
    ("span", "text"),
    [
        ({"min": None, "max": 150.0}, "up to 150"),
        ({"min": 11.0, "max": 13.0}, "11–13"),
        ({"min": 20.0, "max": 20.0}, "20"),
        ({"min": 3.0, "max": None}, "at least 3"),
        (None, ""),
    ],
)
def test_ranges_read_as_people_write_them(span, text):
    assert programme_parts.span_text(span, lambda s: s) == text


def test_numbers_are_rounded_by_the_one_rule_and_ceilings_never_up():
    assert programme_parts.number(5.0) == "5"
    assert programme_parts.number(53.75, 1) == "53.8"
    assert programme_parts.number(128.9, ceiling=True) == "128"
    assert programme_parts.span_text({"min": 118.0, "max": 128.9}, lambda s: s) == "118–128"


def test_how_often_is_said_as_people_say_it():
    say = lambda s: s  # noqa: E731
    assert programme_parts.sessions_text(7, 14, say) == "once or twice a day"
    assert programme_parts.sessions_text(7, 7, say) == "every day"
    assert programme_parts.sessions_text(3, 4, say) == "3–4 times a week"


def test_the_cache_key_names_the_version_language_and_audience_and_changes_with_the_phone(
    content,
):
    a = programme_view.build(content, lang="en", audience="patient", context=CONTEXT)
    b = programme_view.build(content, lang="zh", audience="patient", context=CONTEXT)
    other = dataclasses.replace(CONTEXT, clinic_phone="+86 10 1111 1111")
    c = programme_view.build(content, lang="en", audience="patient", context=other)
    assert a.key is not None and a.key[:4] == ("rx-1", 3, "en", "patient")
    assert len({a.key, b.key, c.key}) == 3
    unstored = dataclasses.replace(CONTEXT, prescription_id=None)
    assert (
        programme_view.build(content, lang="en", audience="patient", context=unstored).key is None
    )


def test_an_unknown_language_or_audience_is_refused(content):
    with pytest.raises(ValueError, match="language"):
        programme_view.build(content, lang="fr", audience="patient", context=CONTEXT)
    with pytest.raises(ValueError, match="audience"):
        programme_view.build(content, lang="en", audience="nurse", context=CONTEXT)  # type: ignore[arg-type]


def test_the_markdown_lists_every_chosen_exercise_through_its_card():
    doc = fx.content_of(fx.ROOT / "examples" / "typical" / "3-walking-impaired.json")
    exercises = chosen(doc)
    if not exercises:
        pytest.skip("the project's library chooses no exercise for this example yet")
    for lang in ("en", "zh"):
        text = prescription_md.render(doc, lang=lang)
        for e in exercises:
            card = exercise_view.card(e, lang=lang)
            assert card is not None and card.name in text and card.dose in text


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_exercise_done_before_two_sessions_is_printed_once_and_then_named(content, lang):
    doubled = copy.deepcopy(content)
    parts = [c for c in doubled["components"] if c["exercises"]]
    shared = parts[0]["exercises"][0]
    parts[1]["exercises"].insert(0, dict(shared))  # the same exercise at the same dose
    cards = [n for part in handout(doubled, lang).parts for n in part.cards]
    again = [n for n in cards if n.card.id == shared["id"]]
    assert len(again) == 2
    first, second = again
    assert first.same_as is None and second.same_as == first.number
    assert str(first.number) in second.same_as_text and second.dose in second.same_as_text
