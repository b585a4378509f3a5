"""Evidence records as JSON-ready dictionaries and text, for the CLI (and later the pages)."""

from __future__ import annotations

import dataclasses
from typing import Any

from alsrx.evidence import base as evidence_base
from alsrx.i18n import N_

NO_SUCH_RECORD = N_("No evidence record with id {id}; see 'alsrx evidence list'.")


def _reference(ref: evidence_base.Reference, lang: str) -> dict[str, Any]:
    doc = dataclasses.asdict(ref)
    doc["record_type"] = "reference"
    doc["citation"] = ref.citation()
    doc["summary"] = ref.summary_zh if lang == "zh" else ref.summary_en
    return doc


def _recommendation(rec: evidence_base.Recommendation, lang: str) -> dict[str, Any]:
    doc = dataclasses.asdict(rec)
    doc["record_type"] = "recommendation"
    doc["kind"] = "recommendation"
    doc["summary"] = rec.statement_zh if lang == "zh" else rec.statement_en
    return doc


def all_records(lang: str) -> list[dict[str, Any]]:
    base = evidence_base.load()
    return [_reference(r, lang) for r in base.references.values()] + [
        _recommendation(r, lang) for r in base.recommendations.values()
    ]


def one_record(record_id: str, lang: str) -> dict[str, Any] | None:
    base = evidence_base.load()
    if record_id in base.references:
        return _reference(base.references[record_id], lang)
    if record_id in base.recommendations:
        return _recommendation(base.recommendations[record_id], lang)
    return None


def as_text(doc: dict[str, Any]) -> str:
    lines = [f"{doc['id']} ({doc['kind']})", doc["summary"]]
    skip = {
        "id",
        "kind",
        "summary",
        "record_type",
        "summary_en",
        "summary_zh",
        "statement_en",
        "statement_zh",
    }
    for key, value in doc.items():
        if key in skip or value in ("", [], (), -1, {}):
            continue
        if isinstance(value, dict):
            value = ", ".join(f"{k}={v}" for k, v in value.items() if v not in ("", -1))
        elif isinstance(value, list | tuple):
            value = "; ".join(map(str, value))
        lines.append(f"  {key}: {value}")
    return "\n".join(lines)
