"""Who entered each assessment, and a clinician's confirmation of a patient's own report.

A patient's or caregiver's assessment (an ALSFRS-R self-report, a weight) becomes the basis of a
draft only once a clinician has confirmed it (services/assessments.latest_basis); the clinic's
patient page lists every assessment with who entered it, and offers the confirmation here."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.errors import AlsrxError
from alsrx.i18n import translator
from alsrx.render import assessment_text
from alsrx.services import assessments
from alsrx.web import deps
from alsrx.web.pages import render, session

router = APIRouter(include_in_schema=False)
ENTERED_AS, MODES = assessment_text.ENTERED_AS, assessment_text.MODES


def rows(s: Session, current: list[models.Assessment], lang: str) -> list[dict[str, Any]]:
    """The assessments as the page lists them: date, total, who entered it, how, and whether a
    draft may be based on it."""
    _ = translator(lang)
    ids = {r.entered_by for r in current} | {r.confirmed_by for r in current if r.confirmed_by}
    query = select(models.User.id, models.User.username).where(models.User.id.in_(ids))
    names: dict[int, str] = dict(s.execute(query).all())
    return [_row(r, names, _) for r in current]


def _row(r: models.Assessment, names: dict[int, str], _: Any) -> dict[str, Any]:
    who = _(ENTERED_AS.get(r.entered_as, r.entered_as))
    mode = (r.data.get("alsfrs_r") or {}).get("mode")
    return {
        "id": r.id,
        "version": r.version,
        "date": r.date,
        "total": r.total,
        "entered": _("%(who)s (%(name)s)") % {"who": who, "name": names.get(r.entered_by, "")},
        "mode": _(MODES[mode]) if mode in MODES else "—",
        "trusted": assessments.is_trusted(r),
        "confirmed_by": names.get(r.confirmed_by) if r.confirmed_by else None,
    }


@router.post("/clinic/assessments/{assessment_id}/confirm")
async def confirm(request: Request, assessment_id: str) -> Response:
    form, actor = await session.posted(request, "clinician")
    version = str(form.get("version", ""))
    try:
        with deps.write(request) as s:
            row = assessments.confirm(
                s, actor, assessment_id, if_match=int(version) if version.isdecimal() else None
            )
            patient_id = row.patient_id
    except AlsrxError as exc:
        return render.error_page(request, exc, status=409, back="/clinic")
    return session.redirect(f"/clinic/patients/{patient_id}?notice=confirmed")
