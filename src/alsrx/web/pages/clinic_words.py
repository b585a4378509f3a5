"""Words the clinician pages share: statuses, severities, alert texts, and the helpers every
clinician template is rendered with (one place, so a status reads the same on every page)."""

from __future__ import annotations

from typing import Any

from alsrx.db import models
from alsrx.evidence import base as evidence_base
from alsrx.i18n import N_, translator
from alsrx.render import (
    alert_words,
    assessment_text,
    exercise_view,
    prescription_json,
    prescription_md,
    words,
)
from alsrx.render import prescription_labels as labels
from alsrx.web.pages import patient as patient_pages
from alsrx.web.pages import today_view

CATEGORIES = assessment_text.CATEGORY
STATUSES = {
    "draft": N_("Draft"),
    "active": N_("Active"),
    "superseded": N_("Superseded"),
    "rejected": N_("Rejected"),
}
ALERT_STATUSES = {
    "open": N_("open"),
    "acknowledged": N_("acknowledged"),
    "resolved": N_("resolved"),
}
SEVERITIES = {"urgent": N_("urgent"), "warning": N_("warning"), "info": N_("info")}


def helpers(lang: str) -> dict[str, Any]:
    _ = translator(lang)
    base = evidence_base.load()

    def evidence_parts(record_id: str) -> tuple[str | None, str]:
        """(the source's citation, kept in its own language, or None; what it says, in the
        reader's language)."""
        if record_id not in base:
            return None, record_id
        record = base.get(record_id)
        if isinstance(record, evidence_base.Recommendation):
            return None, record.statement_zh if lang == "zh" else record.statement_en
        return record.citation(), record.summary_zh if lang == "zh" else record.summary_en

    def evidence_text(record_id: str) -> str:
        citation, text = evidence_parts(record_id)
        return f"{citation} — {text}" if citation else text

    def alert_text(alert: models.Alert) -> str:
        template = alert_words.ALERT_TEXT.get(alert.code)
        shown = alert_words.data_in_words(alert.code, alert.data or {}, lang, _)
        data = {k: _alert_value(k, v, lang) for k, v in shown.items()}
        try:
            return _(template) % data if template else alert_words.code_label(alert.code, _)
        except (KeyError, ValueError, TypeError):  # data stored before a text named more
            return alert_words.code_label(alert.code, _)

    return {
        "category_label": lambda c: _(CATEGORIES[c]) if c in CATEGORIES else "—",
        "status_label": lambda s: _(STATUSES[s]) if s in STATUSES else s,
        "alert_status_label": lambda s: _(ALERT_STATUSES[s]) if s in ALERT_STATUSES else s,
        "severity_label": lambda s: _(SEVERITIES[s]) if s in SEVERITIES else s,
        "component_label": lambda t: _(labels.COMPONENTS[t]) if t in labels.COMPONENTS else t,
        "engine_status_label": lambda c: _(labels.STATUS[c]) if c in labels.STATUS else c,
        "proposal_label": lambda k: (
            _(labels.PROPOSAL_KINDS[k]) if k in labels.PROPOSAL_KINDS else k
        ),
        "hr_basis_label": lambda b: _(labels.HR_BASIS[b]) if b in labels.HR_BASIS else b,
        "words": lambda name, codes: words.param_text(name, codes, lang, _),
        "muscles_by_load": lambda c: words.muscles_by_load(c, lang, _),
        "span": prescription_md.range_text,
        "weeks_label": lambda w: _(prescription_md.WEEKS_RANGE).format(
            first=w["from"], last=w["to"]
        ),
        "note_text": lambda n, table=None: prescription_json.code_message(
            n["code"], n.get("params", {}), lang, labels.STOP_RULES if table == "stop" else None
        ),
        "evidence_text": evidence_text,
        "evidence_parts": evidence_parts,
        "evidence_link": lambda e: e,
        "alert_text": alert_text,
        "resolution_text": lambda a: alert_words.resolution(a.resolution_note, _),
        "exercise_cards": lambda c: exercise_view.cards(c, lang=lang),
        "dose_line": lambda card: today_view.dose_line(card, lang),
        "handout_url": lambda rx_id, audience: today_view.handout_url(
            rx_id, lang=lang, audience=audience
        ),
    }


# Alert data that hold codes, and the words for them (the rest are numbers or stages).
ALERT_CODE_WORDS: dict[str, dict[str, str]] = {
    "symptoms": dict(patient_pages.SYMPTOMS),
    "from": assessment_text.CATEGORY,
    "to": assessment_text.CATEGORY,
}


def _alert_value(key: str, value: object, lang: str) -> object:
    _ = translator(lang)
    table = ALERT_CODE_WORDS.get(key, {})

    def word(v: object) -> str:
        return _(table[v]) if isinstance(v, str) and v in table else str(v)

    if isinstance(value, list | tuple):
        return words.separator(lang).join(word(v) for v in value)
    return word(value) if isinstance(value, str) else words.param_text(key, value, lang, _)
