"""A clinician changes the dose of one component of a draft: sessions, minutes, intensity, sets.

The changes (dotted paths inside the component, domain/prescription/whole_check.py) are applied
to a copy of the draft, and the whole prescription is checked against the engine's bounds for
the patient the draft was made for (the Case rebuilt from its basis assessment, as
prescription_exercises does). Refused: nothing stored changes, and each reason names the field,
the bound and its source. Accepted: the weekly schedule is planned again from the new doses,
the component's exercises are fitted to the new time, the version goes up by one, the origin is
marked edited and the audit keeps the old and the new values of what changed.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.domain import assessment as core
from alsrx.domain.exercises import library as exercise_library
from alsrx.domain.exercises import refit
from alsrx.domain.prescription import component_bounds, whole_check
from alsrx.domain.prescription.component_bounds import Bound
from alsrx.domain.prescription.inputs import Case
from alsrx.domain.prescription.params import EngineSettings
from alsrx.errors import FieldError, InvalidInput, PreconditionRequired
from alsrx.services import access, audit, prescription_exercises, prescriptions
from alsrx.services.actor import Actor


@dataclasses.dataclass(frozen=True)
class Form:
    """What the edit form shows: the component as stored and each range's bound."""

    row: models.Prescription
    component: dict[str, Any]
    bounds: Mapping[str, Bound]
    paths: list[str]


def _case(
    session: Session, row: models.Prescription, *, today: dt.date, options: core.Options
) -> Case:
    basis = session.get(models.Assessment, row.assessment_id) if row.assessment_id else None
    patient = session.get(models.Patient, row.patient_id)  # the caller checked access
    if basis is None or patient is None:
        raise InvalidInput([FieldError("assessment", "clinician_assessment_required", {})])
    weeks_done = max(int(row.content.get("current_week") or 1) - 1, 0)
    return prescriptions.case_for(
        session, patient, basis, today=today, options=options, weeks_completed=weeks_done
    )


def form(
    session: Session,
    actor: Actor,
    prescription_id: str,
    component_type: str,
    *,
    today: dt.date,
    settings: EngineSettings = EngineSettings(),
    options: core.Options = core.Options(),
) -> Form:
    """The component and its bounds, to show the edit form (nothing is locked or changed)."""
    row = access.prescription(session, actor, prescription_id)
    access.require_role(actor, "clinician")
    kind = prescription_exercises.component_type(component_type, row.content)
    component = next(c for c in row.content["components"] if c["type"] == kind.value)
    case = _case(session, row, today=today, options=options)
    bounds = component_bounds.for_component(kind, case, settings)
    return Form(row, component, bounds, whole_check.editable(component, bounds))


def edit_component(
    session: Session,
    actor: Actor,
    prescription_id: str,
    component_type: str,
    changes: Mapping[str, object],
    *,
    if_match: int | None,
    today: dt.date,
    settings: EngineSettings = EngineSettings(),
    options: core.Options = core.Options(),
) -> models.Prescription:
    """Apply `changes` to the draft's component; refused whole if the prescription would leave
    the engine's bounds (error paths relative to the component, others `components.<type>...`)."""
    row = prescriptions.locked_draft(
        session, actor, prescription_id, if_match=if_match, verb="edit"
    )
    if if_match is None:  # no edit overwrites a version its sender has not seen
        raise PreconditionRequired("send If-Match with the prescription's ETag")
    kind = prescription_exercises.component_type(component_type, row.content)
    if not changes:
        raise InvalidInput([FieldError("changes", "required", {})])
    case = _case(session, row, today=today, options=options)
    content = copy.deepcopy(row.content)
    index = next(i for i, c in enumerate(content["components"]) if c["type"] == kind.value)
    bounds = component_bounds.for_component(kind, case, settings)
    changed, errors = whole_check.apply(content["components"][index], changes, bounds)
    if errors:
        raise InvalidInput(errors)
    content["components"][index] = changed
    errors = whole_check.check(content, case, settings, before=row.content)
    if errors:
        raise InvalidInput([_relative(e, kind.value) for e in errors])
    content["weekly_schedule"] = whole_check.stored_week(content, settings)
    refit.refit(content, library=exercise_library.default())  # its exercises keep to the time
    old = {p: _value(row.content["components"][index], p) for p in changes}
    row.content, row.version = content, row.version + 1
    row.origin = prescriptions.edited(row.origin)
    audit.append(
        session,
        actor,
        action="edit",
        entity="prescription",
        entity_id=row.id,
        old={"component": kind.value, **old},
        new={"component": kind.value, **dict(changes)},
    )
    return row


def _relative(error: FieldError, kind: str) -> FieldError:
    prefix = f"components.{kind}."
    if error.path.startswith(prefix):
        return FieldError(error.path[len(prefix) :], error.code, error.params)
    return error


def _value(component: Mapping[str, Any], path: str) -> object:
    step = whole_check.STEP.fullmatch(path)
    node: Any = component
    if step:
        node, path = component["progression"][int(step.group(1))], step.group(2)
    for part in path.split("."):
        node = node.get(part) if isinstance(node, Mapping) else None
    return node
