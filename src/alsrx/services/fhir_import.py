"""FHIR import: a Bundle's ALSFRS-R responses and measurements stored as assessments.

Each visit of the bundle (interop/fhir_import.py) is recorded through the one path typed input
takes (followup.record_assessment: assessments.record's validation and derivation, then the
course rules), so an imported visit and the same visit typed in are validated alike and derive
the same values. All or nothing: every visit is tried, every error is collected with its path
mapped back to the FHIR element, and any error raises InvalidInput, which rolls back the
caller's transaction (the caller owns it), so nothing of a bad bundle is stored.

A visit whose response identifier was imported before for this patient is a duplicate: not
stored again, reported with the assessment it became. Provenance (who recorded it, the bundle,
who imported it) is kept per imported resource in `imported_records`; the audit event names
counts and source identifiers, never a patient's values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.domain.assessment import Options
from alsrx.errors import Conflict, FieldError, InvalidInput
from alsrx.interop import fhir_import as reader
from alsrx.interop.fhir_import import Outcome, Source, Visit
from alsrx.services import access, audit, followup
from alsrx.services.actor import Actor

IMPORTED, DUPLICATE, SKIPPED = "imported", "duplicate", "skipped"


@dataclass(frozen=True)
class Report:
    """One line per entry of the bundle, in entry order."""

    entries: tuple[Outcome, ...]

    @property
    def created(self) -> int:
        return len({e.assessment_id for e in self.entries if e.outcome == IMPORTED})

    def counts(self) -> dict[str, int]:
        found = {IMPORTED: 0, DUPLICATE: 0, SKIPPED: 0}
        for entry in self.entries:
            found[entry.outcome] += 1
        return {"assessments": self.created, **found}

    def as_json(self) -> dict[str, Any]:
        return {
            "counts": self.counts(),
            "entries": [
                {
                    "entry": e.index,
                    "resourceType": e.resource_type,
                    "outcome": e.outcome,
                    "assessment_id": e.assessment_id,
                    "reason": e.reason,
                }
                for e in self.entries
            ],
        }


def import_bundle(
    session: Session,
    actor: Actor,
    patient_id: str,
    document: object,
    *,
    today: dt.date,
    options: Options = Options(),
) -> Report:
    """Store the bundle's visits for the patient, in the caller's transaction. `document` is
    the bundle read with decimals exact (interop.fhir_import.loads), or its JSON text."""
    access.require_role(actor, "clinician")
    patient = access.patient(session, actor, patient_id)  # another centre's: NotFound
    if isinstance(document, bytes | str):
        document = reader.loads(document)
    parsed = reader.parse(document, patient_code=patient.code)
    known = _known(session, patient_id, (s for v in parsed.visits for s in v.sources))
    lines: list[Outcome] = list(parsed.skipped)
    errors: list[FieldError] = []
    for visit in parsed.visits:  # in date order, as they would have been typed in
        lines += _store(session, actor, patient_id, visit, known, parsed, errors, today, options)
    if errors:
        raise InvalidInput(errors)
    _flush(session)
    report = Report(tuple(sorted(lines, key=lambda line: line.index)))
    audit.append(
        session,
        actor,
        action="import",
        entity="assessment",
        entity_id=None,  # a bundle may become several assessments: the patient is named below
        new={
            "patient_id": patient_id,
            "format": "fhir-r4b",
            "bundle": parsed.bundle_id,
            "counts": report.counts(),
            "sources": sorted(e.source for e in report.entries if e.source),
        },
    )
    return report


def _store(
    session: Session,
    actor: Actor,
    patient_id: str,
    visit: Visit,
    known: dict[str, str],
    parsed: reader.Parsed,
    errors: list[FieldError],
    today: dt.date,
    options: Options,
) -> list[Outcome]:
    if visit.key in known:
        return _lines(visit, DUPLICATE, known[visit.key], reason="already_imported")
    elsewhere = [s for s in visit.sources if s.key in known]
    if elsewhere:  # a new response with a measurement imported before with another visit
        errors += [
            FieldError(
                f"entry[{s.index}].resource.identifier",
                "fhir_already_imported",
                {"assessment": known[s.key]},
            )
            for s in elsewhere
        ]
        return []
    try:
        row, _ = followup.record_assessment(
            session, actor, patient_id, visit.body, today=today, options=options
        )
    except InvalidInput as exc:
        errors += reader.remap(exc.errors, visit)
        return []
    for source in visit.sources:
        session.add(_provenance(actor, patient_id, row.id, source, visit, parsed))
    return _lines(visit, IMPORTED, row.id)


def _lines(
    visit: Visit, outcome: str, assessment_id: str, *, reason: str | None = None
) -> list[Outcome]:
    found = [
        Outcome(s.index, s.resource_type, outcome, reason, assessment_id, s.key)
        for s in visit.sources
    ]
    return found + [
        Outcome(s.index, s.resource_type, DUPLICATE, "duplicate_in_bundle", assessment_id, s.key)
        for s in visit.duplicates
    ]


def _provenance(
    actor: Actor,
    patient_id: str,
    assessment_id: str,
    source: Source,
    visit: Visit,
    parsed: reader.Parsed,
) -> models.ImportedRecord:
    return models.ImportedRecord(
        patient_id=patient_id,
        assessment_id=assessment_id,
        resource_type=source.resource_type,
        source_system=source.system[:255],
        source_value=source.value[:255],
        source_author=visit.author,
        bundle_id=parsed.bundle_id,
        bundle_timestamp=(parsed.timestamp or "")[:40] or None,
        imported_by=actor.user_id,
        imported_at=models.utcnow(),
    )


def _known(session: Session, patient_id: str, sources: Iterable[Source]) -> dict[str, str]:
    """The assessment each of these source identifiers was imported as before, by key."""
    pairs = sorted({(s.system[:255], s.value[:255]) for s in sources})
    if not pairs:
        return {}
    rows = models.ImportedRecord
    found = session.execute(
        select(rows.source_system, rows.source_value, rows.assessment_id).where(
            rows.patient_id == patient_id,
            tuple_(rows.source_system, rows.source_value).in_(pairs),
        )
    )
    return {f"{system}|{value}": aid for system, value, aid in found}


def _flush(session: Session) -> None:
    """The same bundle imported twice at once: the second meets the first's identifiers."""
    try:
        session.flush()
    except IntegrityError:
        raise Conflict("this bundle is being imported by another request") from None


def imported(session: Session, actor: Actor, patient_id: str) -> list[models.ImportedRecord]:
    """The patient's imported records (provenance), newest first."""
    access.require_patient(session, actor, patient_id)
    return list(
        session.scalars(
            select(models.ImportedRecord)
            .where(models.ImportedRecord.patient_id == patient_id)
            .order_by(models.ImportedRecord.imported_at.desc(), models.ImportedRecord.id)
        )
    )
