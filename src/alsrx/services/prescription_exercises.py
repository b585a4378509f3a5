"""A clinician changes the named exercises of one component of a draft.

The whole new list is checked by the domain (domain/exercises/edits.py) against the patient the
draft was made for: the Case is rebuilt from the draft's basis assessment and the patient's
record, as `prescriptions.draft` builds it, so an edit meets the same fit rules as the engine's
own choice. Refused, nothing stored changes; accepted, the list is stored with each dose's
minutes recomputed, the version goes up by one, the origin is marked edited and the audit keeps
the old and the new list.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.domain import assessment as core
from alsrx.domain.exercises import edits
from alsrx.domain.exercises import library as exercise_library
from alsrx.domain.prescription.inputs import Case
from alsrx.domain.prescription.model import ComponentType
from alsrx.domain.prescription.params import EngineSettings
from alsrx.errors import FieldError, InvalidInput, PreconditionRequired
from alsrx.services import access, audit, prescriptions
from alsrx.services.actor import Actor


@dataclasses.dataclass(frozen=True)
class Context:
    """What an edit of one component is checked against."""

    row: models.Prescription
    kind: ComponentType
    component: dict[str, Any]
    case: Case
    settings: EngineSettings
    library: exercise_library.Library
    session_minutes: float
    limits: edits.Limits

    def check(self, exercises: object) -> list[FieldError]:
        return edits.check(
            self.kind,
            exercises,
            case=self.case,
            settings=self.settings,
            library=self.library,
            session_minutes=self.session_minutes,
            limits=self.limits,
        )


def component_type(raw: str, content: dict[str, Any]) -> ComponentType:
    """The component named in the request, if the draft has it."""
    present = tuple(str(c.get("type")) for c in content.get("components", ()))
    if raw not in present:
        raise InvalidInput([FieldError("component", "not_one_of", {"allowed": present})])
    return ComponentType(raw)


def _context(
    session: Session,
    row: models.Prescription,
    raw_type: str,
    *,
    content: dict[str, Any],
    today: dt.date,
    settings: EngineSettings,
    options: core.Options,
    library: exercise_library.Library | None,
) -> Context:
    kind = component_type(raw_type, content)
    component = next(c for c in content["components"] if c.get("type") == kind.value)
    basis = session.get(models.Assessment, row.assessment_id) if row.assessment_id else None
    patient = session.get(models.Patient, row.patient_id)  # the caller checked access
    if basis is None or patient is None:
        raise InvalidInput([FieldError("assessment", "clinician_assessment_required", {})])
    weeks_done = max(int(content.get("current_week") or 1) - 1, 0)
    case = prescriptions.case_for(
        session, patient, basis, today=today, options=options, weeks_completed=weeks_done
    )
    return Context(
        row=row,
        kind=kind,
        component=component,
        case=case,
        settings=settings,
        library=library or exercise_library.default(),
        session_minutes=edits.session_minutes(component, week=weeks_done + 1),
        limits=edits.limits_for(kind, component, settings),
    )


def context(
    session: Session,
    actor: Actor,
    prescription_id: str,
    raw_type: str,
    *,
    today: dt.date,
    settings: EngineSettings = EngineSettings(),
    options: core.Options = core.Options(),
    library: exercise_library.Library | None = None,
) -> Context:
    """The component and its patient, to show the edit form (nothing is locked or changed)."""
    row = access.prescription(session, actor, prescription_id)
    access.require_role(actor, "clinician")
    return _context(
        session,
        row,
        raw_type,
        content=row.content,
        today=today,
        settings=settings,
        options=options,
        library=library,
    )


def edit(
    session: Session,
    actor: Actor,
    prescription_id: str,
    raw_type: str,
    exercises: object,
    *,
    if_match: int | None,
    today: dt.date,
    settings: EngineSettings = EngineSettings(),
    options: core.Options = core.Options(),
    library: exercise_library.Library | None = None,
) -> models.Prescription:
    """Replace a draft component's exercises with `exercises`, checked whole."""
    row = prescriptions.locked_draft(
        session, actor, prescription_id, if_match=if_match, verb="edit"
    )
    if if_match is None:  # no edit overwrites a version its sender has not seen
        raise PreconditionRequired("send If-Match with the prescription's ETag")
    content = copy.deepcopy(row.content)
    ctx = _context(
        session,
        row,
        raw_type,
        content=content,
        today=today,
        settings=settings,
        options=options,
        library=library,
    )
    errors = ctx.check(exercises)
    if errors:
        raise InvalidInput(errors)
    assert isinstance(exercises, Sequence)  # the check refused anything else
    new = edits.stored(ctx.kind, exercises, library=ctx.library)
    old = ctx.component.get("exercises", [])
    ctx.component["exercises"] = new
    row.content, row.version = content, row.version + 1
    row.origin = prescriptions.edited(row.origin)
    audit.append(
        session,
        actor,
        action="edit",
        entity="prescription",
        entity_id=row.id,
        old={"component": ctx.kind.value, "exercises": old},
        new={"component": ctx.kind.value, "exercises": new},
    )
    return row
