"""The printed handout end to end: `alsrx handout` as a process, and the PDF read back with
poppler-utils (pdftotext for the words, pdffonts for the fonts, pdfinfo for the pages).

A typical patient's handout (examples/typical/1-early-spinal.json with the tests' library: 21
exercises in five parts) is 6 to 10 A4 pages: the first page (stop rules and the plan now),
the week at a glance, the exercise cards six to a page, and the log sheet on one landscape
page. With fewer exercises named, as the project's library has while it is written, it is
shorter, never under 3 pages (first page, the parts, the log)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from tests import handout_fixtures as fx
from tests.e2e.test_cli_assess import alsrx

from alsrx.domain.followup import plan as plan_mod
from alsrx.domain.prescription import engine
from alsrx.domain.prescription.params import EngineSettings
from alsrx.intake import prescription_input
from alsrx.render import exercise_view, prescription_json, programme_view
from alsrx.render import prescription_labels as labels
from alsrx.reports import handout

TYPICAL = fx.TYPICAL
TYPICAL_PAGES = range(6, 11)  # the typical handout with every part's exercises named
LEAST_PAGES = 3
LIBRARY = fx.own_library()
CONTEXT = programme_view.HandoutContext(
    centre_name="Centre A", clinic_phone="+86 10 0000 0000", emergency_number="120"
)


@pytest.fixture(autouse=True)
def _poppler() -> None:
    fx.require_poppler()


def drafted_content() -> dict:
    """What the CLI prints for TYPICAL: the engine's plan with the real library."""
    case = prescription_input.parse(json.loads(TYPICAL.read_text()), today=dt.date.today())
    return prescription_json.to_stored(engine.prescribe(case), settings=EngineSettings())


def printed(tmp_path: Path, *args: str) -> bytes:
    out = tmp_path / "out.pdf"
    run = alsrx("handout", str(TYPICAL), "-o", str(out), *args)
    assert run.returncode == 0, run.stderr
    return out.read_bytes()


def own_library_pdf(lang: str, audience: str = "patient") -> tuple[dict, bytes]:
    content = fx.content_with_exercises(library=LIBRARY, lang=lang)
    p = programme_view.build(
        content, lang=lang, audience=audience, context=CONTEXT, library=LIBRARY
    )  # type: ignore[arg-type]
    return content, handout.pdf(p)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_cli_prints_a_handout_whose_fonts_are_all_embedded(tmp_path, lang):
    pdf = printed(tmp_path, "--lang", lang, "--emergency-number", "120")
    assert pdf.startswith(b"%PDF-")
    fonts = fx.pdf_fonts(pdf)
    assert fonts and all(f["emb"] == "yes" for f in fonts), fonts
    assert all("Noto" in f["name"] for f in fonts), fonts  # no fallback face, footers included
    # The real library's plan: at most a page per two exercises, plus the plan, the week and
    # the log sheet.
    named = sum(len(c["exercises"]) for c in drafted_content()["components"])
    assert LEAST_PAGES <= fx.pdf_pages(pdf) <= named // 2 + 4


def test_the_chinese_handout_is_in_chinese_with_every_exercise_and_stop_rule(tmp_path):
    pdf = printed(tmp_path, "--lang", "zh", "--emergency-number", "120")
    words = fx.pdf_text(pdf)
    assert len(fx.HAN.findall(words)) > 200
    assert "您的运动计划" in words and "停止运动并求助" in words
    content = json.loads(alsrx("prescribe", str(TYPICAL), "--lang", "zh").stdout)
    flat = _flat(words, "zh")
    for rule in plan_mod.stop_rules_for_week(content, content["current_week"]):
        said = prescription_json.code_message(rule["code"], rule["params"], "zh", labels.STOP_RULES)
        said = said.replace(" ", "")
        assert said in flat, said
    for e in (e for c in content["components"] for e in c["exercises"]):
        card = exercise_view.card(e, lang="zh")
        assert card is not None and card.name.replace(" ", "") in flat


def test_the_patient_handout_names_no_evidence_id_and_puts_the_emergency_number_first(
    tmp_path,
):
    words = fx.pdf_text(
        printed(tmp_path, "--emergency-number", "120", "--clinic-phone", "+86 10 0000 0000")
    )
    assert not fx.EVIDENCE_ID.search(words)
    assert words.index("Call the emergency number 120") < words.index("+86 10 0000 0000")
    assert "Chest pain: stop now. If it is strong, lasts more than a few minutes" in _flat(words)
    assert "Draft: not yet approved" in _flat(words)  # no clinician has approved a CLI draft


def test_the_clinicians_sheet_from_the_cli_cites_its_evidence(tmp_path):
    words = fx.pdf_text(printed(tmp_path, "--audience", "clinician"))
    assert fx.EVIDENCE_ID.search(words) and "Evidence cited" in words


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_typical_handout_prints_every_exercises_name_on_its_expected_pages(lang):
    content, pdf = own_library_pdf(lang)
    words = _flat(fx.pdf_text(pdf), lang)
    names = [
        LIBRARY.entries[e["id"]].words(lang).name
        for c in content["components"]
        for e in c["exercises"]
    ]
    assert all(c["exercises"] for c in content["components"])  # every part names some
    assert [n for n in names if _flat(n, lang) not in words] == []
    assert fx.pdf_pages(pdf) in TYPICAL_PAGES
    assert all(f["emb"] == "yes" for f in fx.pdf_fonts(pdf))


def test_every_page_has_its_number_and_the_emergency_number_in_the_footer():
    _content, pdf = own_library_pdf("en")
    pages = fx.pdf_text(pdf).split("\f")
    count = fx.pdf_pages(pdf)
    for n, page in enumerate(pages[:count], start=1):
        assert f"Page {n} of {count}" in page
        assert "Emergency: 120" in page


def test_bad_input_exits_1_naming_the_field_and_writes_nothing(tmp_path):
    out = tmp_path / "none.pdf"
    run = alsrx("handout", "-", "-o", str(out), stdin='{"patient": {}}')
    assert run.returncode == 1 and "assessment" in run.stderr
    assert not out.exists()


def _flat(words: str, lang: str = "en") -> str:
    """pdftotext's words with the line breaks of wrapped text joined again (Chinese has no
    spaces between words, so there every space goes)."""
    if lang == "zh":
        return re.sub(r"\s+", "", words)
    return re.sub(r"\s*\n\s*", " ", words)


def test_nothing_is_fetched_from_the_network_or_the_disk():
    fetcher = handout.OfflineFetcher()
    for url in ("http://127.0.0.1/font.woff", "https://example.org/x.css", "file:///etc/hosts"):
        with pytest.raises(ValueError, match="disallowed protocol"):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"


def test_a_clinic_phone_with_markup_prints_as_text_and_cannot_end_the_stylesheet():
    phone = '</style><h1>"x"</h1>\\'
    content = fx.content_of(TYPICAL)
    context = programme_view.HandoutContext(clinic_phone=phone)
    pdf = handout.pdf(programme_view.build(content, lang="en", audience="patient", context=context))
    words = fx.pdf_text(pdf)
    assert f"Clinic phone: {phone}" in words
    assert words.count(phone) == 1 + fx.pdf_pages(pdf)  # the stop rules, and every footer
