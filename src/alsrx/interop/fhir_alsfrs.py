"""ALSFRS-R in FHIR: the Questionnaire, its code system, one QuestionnaireResponse per
assessment and the total and domain scores as Observations derived from it.

No LOINC panel exists for the ALSFRS-R, so items, answers and domains are coded in alsrx's own
code system (codes.ALSFRS_R_SYSTEM). Item 5 has two forms (Cedarbaum 1999): a boolean
"gastrostomy" item enables 5a (no gastrostomy) or 5b (gastrostomy) by `enableWhen`. Each answer
carries its 0-4 score in the ordinalValue extension (FHIR R4B), so a receiver can sum it.
The item and anchor wording is alsrx's paraphrase (render/alsfrs_anchors.py), in English with a
Chinese translation (FHIR's translation extension).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from alsrx.domain.scales import alsfrs_r
from alsrx.i18n import N_, translator
from alsrx.interop import codes
from alsrx.interop.fhir_base import Context, Resource, category, coding, identifier, validated
from alsrx.interop.records import AssessmentFacts, PatientFacts
from alsrx.render import alsfrs_anchors

DOMAINS: tuple[tuple[str, str, Callable[[alsfrs_r.AlsfrsR], int]], ...] = (
    ("total", N_("ALSFRS-R total score"), lambda f: f.total),
    ("bulbar", N_("ALSFRS-R bulbar domain (items 1-3)"), lambda f: f.bulbar),
    ("fine_motor", N_("ALSFRS-R fine motor domain (items 4-6)"), lambda f: f.fine_motor),
    ("gross_motor", N_("ALSFRS-R gross motor domain (items 7-9)"), lambda f: f.gross_motor),
    ("respiratory", N_("ALSFRS-R respiratory domain (items 10-12)"), lambda f: f.respiratory),
)
GASTROSTOMY_TEXT = N_("Does the patient have a gastrostomy (feeding tube)?")
TRANSLATED_LANG = "zh-CN"
Gettext = Callable[[str], str]


def answer_code(item: str, score: int) -> str:
    return f"{item}.{score}"


def _translated(text: str, zh: Gettext) -> Resource:
    """`_text` of an element: its Chinese translation (FHIR's translation extension)."""
    return {
        "extension": [
            {
                "url": codes.TRANSLATION,
                "extension": [
                    {"url": "lang", "valueCode": TRANSLATED_LANG},
                    {"url": "content", "valueString": zh(text)},
                ],
            }
        ]
    }


def _answer(item: str, score: int, anchor: str) -> Resource:
    return {
        **coding(codes.ALSFRS_R_SYSTEM, answer_code(item, score), anchor),
        "extension": [{"url": codes.ORDINAL_VALUE, "valueDecimal": Decimal(score)}],
    }


def _question(item: str, title: str, anchors: tuple[str, ...], zh: Gettext) -> Resource:
    question: Resource = {
        "linkId": item,
        "code": [coding(codes.ALSFRS_R_SYSTEM, item, title)],
        "text": title,
        "_text": _translated(title, zh),
        "type": "choice",
        "required": True,
        "answerOption": [
            {"valueCoding": _answer(item, score, anchors[score])}
            for score in range(alsfrs_r.ITEM_MAX, alsfrs_r.ITEM_MIN - 1, -1)
        ],
    }
    if item in (alsfrs_r.Q5A, alsfrs_r.Q5B):
        when = {"question": codes.GASTROSTOMY_ITEM, "operator": "=", "answerBoolean": False}
        question["enableWhen"] = [{**when, "answerBoolean": item == alsfrs_r.Q5B}]
    return question


def questionnaire(ctx: Context) -> Resource:
    zh = translator("zh")
    items = [
        {
            "linkId": codes.GASTROSTOMY_ITEM,
            "text": GASTROSTOMY_TEXT,
            "_text": _translated(GASTROSTOMY_TEXT, zh),
            "type": "boolean",
            "required": True,
        }
    ]
    items += [_question(i, t, anchors, zh) for i, t, anchors in alsfrs_anchors.ITEMS]
    return validated(
        {
            "resourceType": "Questionnaire",
            "id": ctx.id("Questionnaire", "alsfrs-r"),
            "url": codes.ALSFRS_R_QUESTIONNAIRE,
            "version": codes.ALSFRS_R_QUESTIONNAIRE_VERSION,
            "name": "ALSFRS_R",
            "title": "ALS Functional Rating Scale - Revised (ALSFRS-R)",
            "status": "draft",  # paraphrased anchors: not the licensed form's wording
            "subjectType": ["Patient"],
            "language": "en",
            "publisher": "alsrx",
            "description": "Cedarbaum JM et al. The ALSFRS-R. J Neurol Sci 1999;169:13-21. "
            "Twelve items scored 0-4 (total 0-48); item 5 in form a or b (gastrostomy). "
            "Item and answer wording paraphrased by alsrx.",
            "item": items,
        }
    )


def code_system(ctx: Context) -> Resource:
    zh = translator("zh")
    concepts = [
        {"code": code, "display": display, "designation": [_designation(display, zh)]}
        for code, display, _ in DOMAINS
    ]
    concepts.append({"code": codes.GASTROSTOMY_ITEM, "display": GASTROSTOMY_TEXT})
    for item, title, anchors in alsfrs_anchors.ITEMS:
        answers = [
            {"code": answer_code(item, s), "display": a, "designation": [_designation(a, zh)]}
            for s, a in enumerate(anchors)
        ]
        concepts.append(
            {
                "code": item,
                "display": title,
                "designation": [_designation(title, zh)],
                "concept": answers,
            }
        )
    return validated(
        {
            "resourceType": "CodeSystem",
            "id": ctx.id("CodeSystem", "alsfrs-r"),
            "url": codes.ALSFRS_R_SYSTEM,
            "version": codes.ALSFRS_R_QUESTIONNAIRE_VERSION,
            "name": "AlsrxAlsfrsR",
            "title": "ALSFRS-R items, answers and domains (alsrx)",
            "status": "draft",
            "content": "complete",
            "hierarchyMeaning": "part-of",
            "concept": concepts,
        }
    )


def _designation(text: str, zh: Gettext) -> Resource:
    return {"language": TRANSLATED_LANG, "value": zh(text)}


def author_ref(ctx: Context, patient: PatientFacts, facts: AssessmentFacts) -> Resource:
    if facts.entered_as == "clinician":
        return ctx.ref("Practitioner", facts.entered_by)
    if facts.entered_as == "caregiver":
        return ctx.ref("RelatedPerson", f"{patient.id}/{facts.entered_by}")
    return ctx.ref("Patient", patient.id)


def response(ctx: Context, patient: PatientFacts, facts: AssessmentFacts) -> Resource:
    frs = facts.result.frs
    subject = ctx.ref("Patient", patient.id)
    mode = frs.mode.value if frs.mode else _default_mode(facts.entered_as)
    author = author_ref(ctx, patient, facts)
    source = subject  # who answered: the patient, or for a caregiver report the caregiver
    if mode == "caregiver":
        caregiver = facts.entered_by if facts.entered_as == "caregiver" else "unknown"
        source = ctx.ref("RelatedPerson", f"{patient.id}/{caregiver}")
    resource = {
        "resourceType": "QuestionnaireResponse",
        "id": ctx.id("QuestionnaireResponse", facts.id),
        "identifier": identifier(codes.ASSESSMENT_IDENTIFIER, facts.id),
        "extension": [
            {
                "url": codes.EXT_ADMINISTRATION_MODE,
                "valueCoding": coding(codes.ADMINISTRATION_SYSTEM, mode),
            }
        ],
        "questionnaire": f"{codes.ALSFRS_R_QUESTIONNAIRE}|{codes.ALSFRS_R_QUESTIONNAIRE_VERSION}",
        "status": "completed" if facts.version == 1 else "amended",
        "subject": subject,
        "authored": ctx.date(facts.result.date),
        "author": author,
        "source": source,
        "item": _answered(frs),
    }
    return validated(resource)


def _default_mode(entered_as: str) -> str:
    return {"patient": "self", "caregiver": "caregiver"}.get(entered_as, "clinician")


def _answered(frs: alsfrs_r.AlsfrsR) -> list[Resource]:
    anchors = {item: (title, a) for item, title, a in alsfrs_anchors.ITEMS}
    out: list[Resource] = [
        {"linkId": codes.GASTROSTOMY_ITEM, "answer": [{"valueBoolean": frs.gastrostomy}]}
    ]
    for item, _title, _a in alsfrs_anchors.ITEMS:
        if item not in frs.items:
            continue
        title, words = anchors[item]
        score = frs.items[item]
        out.append(
            {
                "linkId": item,
                "text": title,
                "answer": [{"valueCoding": _answer(item, score, words[score])}],
            }
        )
    return out


def scores(ctx: Context, patient: PatientFacts, facts: AssessmentFacts) -> list[Resource]:
    """The total and the four domain sums, each derived from the QuestionnaireResponse."""
    frs = facts.result.frs
    qr = ctx.ref("QuestionnaireResponse", facts.id)
    return [
        validated(
            {
                "resourceType": "Observation",
                "id": ctx.id("Observation", f"{facts.id}/alsfrs-r-{code}"),
                "meta": {"profile": [codes.PROFILE_ALSFRS_R_SCORE]},
                "identifier": [
                    identifier(codes.OBSERVATION_IDENTIFIER, f"{facts.id}/alsfrs-r-{code}")
                ],
                "status": "final" if facts.version == 1 else "amended",
                "category": category(codes.SURVEY),
                "code": {"coding": [coding(codes.ALSFRS_R_SYSTEM, code, display)], "text": display},
                "subject": ctx.ref("Patient", patient.id),
                "effectiveDateTime": ctx.date(facts.result.date),
                "valueInteger": value(frs),
                "derivedFrom": [qr],
            }
        )
        for code, display, value in DOMAINS
    ]
