"""De-identified research views: no names, codes, dates or ids that lead back to a patient.

Row-level data: refused below k-anonymity like the export (services/research_export.py).
Rows carry a random research id, the centre, sex, age at assessment in whole years (90 or
older folded into "90+", HIPAA Safe Harbor 164.514(b)(2)(i)(C)), months since onset, and the
core's derived values. Dates are reduced to the year (Safe Harbor (B)). Reads touch
`patients` and `assessments` only, never `patient_identities` for output: age is computed in
the query and only its folded value leaves.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.services import access, audit, research_dataset, research_export
from alsrx.services.actor import Actor

AGE_FOLD = 90


def _age(birth: Any, on: Any) -> int | str:
    years = research_dataset.whole_years(birth, on)
    return f"{AGE_FOLD}+" if years >= AGE_FOLD else years


def assessments(session: Session, actor: Actor, *, k: int, today: dt.date) -> list[dict[str, Any]]:
    """Every current assessment of the researcher's centres, refused as the export is (and
    naming the same combination) when a group over the quasi-identifiers is smaller than k:
    these are row-level data too."""
    access.require_role(actor, "researcher")
    scope = research_dataset.Scope(frozenset(actor.centre_ids), today)
    research_export.check_k(research_dataset.members(session, scope), k)
    rows = session.execute(
        select(models.Patient, models.Assessment, models.PatientIdentity.birth_date)
        .join(models.Assessment, models.Assessment.patient_id == models.Patient.id)
        .join(models.PatientIdentity, models.PatientIdentity.patient_id == models.Patient.id)
        .where(
            models.Patient.centre_id.in_(actor.centre_ids), models.Assessment.is_current.is_(True)
        )
        .order_by(models.Patient.research_id, models.Assessment.date)
    ).all()
    out = []
    for patient, row, birth in rows:
        derived = row.derived
        out.append(
            {
                "research_id": patient.research_id,
                "centre_id": patient.centre_id,
                "sex": patient.sex,
                "onset_region": patient.onset_region,
                "age_years": _age(birth, row.date),
                "assessment_year": row.date.year,
                "months_since_onset": derived["progression"]["months_since_onset"],
                "alsfrs_r": {
                    k: derived["alsfrs_r"][k]
                    for k in ("total", "bulbar", "fine_motor", "gross_motor", "respiratory")
                },
                "delta_frs_per_month": derived["progression"]["delta_frs_per_month"],
                "kings_stage": derived["kings_stage"],
                "mitos_stage": derived["mitos_stage"],
                "fvc_percent_predicted": derived["fvc"]["percent_predicted"],
                "six_minute_walk_m": derived["six_minute_walk"]["measured_m"],
                "bmi": derived["bmi"],
            }
        )
    audit.append(
        session,
        actor,
        action="export",
        entity="research_assessments",
        entity_id=None,
        new={"rows": len(out), "centres": sorted(actor.centre_ids)},
    )
    return out
