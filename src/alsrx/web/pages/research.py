"""The researcher's pages: de-identified views only."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from alsrx.errors import FieldError, InvalidInput
from alsrx.i18n import translator
from alsrx.render import messages, patient_labels
from alsrx.services import research_export
from alsrx.web import deps
from alsrx.web.api import research_export as research_export_api
from alsrx.web.pages import render, session

router = APIRouter(include_in_schema=False)


@router.get("/research", response_class=HTMLResponse)
def research_page(request: Request) -> Response:
    return _page(request)


@router.get("/research/export.zip")
def export_zip(request: Request, date_shift: str = "") -> Response:
    """The data set as a download; a refused export is this page with the reason in words."""
    actor = session.current(request, "researcher")
    lang = render.preferences(request)["lang"]
    if date_shift not in ("", "1"):
        raise InvalidInput([FieldError("date_shift", "bad_value", {})])
    options = research_export.ExportOptions(
        today=deps.today(),
        k=deps.settings(request).research_k,
        shift_secret=secrets.token_bytes(32) if date_shift else None,
        lang=lang,
    )
    try:
        return research_export_api.zip_response(request, actor, options)
    except InvalidInput as exc:
        return _page(request, refusal=messages.field_lines(exc, lang), status=422)


def _page(request: Request, *, refusal: list[str] | None = None, status: int = 200) -> Response:
    actor = session.current(request, "researcher")
    lang = render.preferences(request)["lang"]
    _ = translator(lang)
    from alsrx.services import research

    with deps.write(request) as s:
        rows = research.assessments(s, actor)
    table = [
        (
            r["research_id"][:8],
            _sex(r["sex"], _),
            r["age_years"],
            r["assessment_year"],
            r["alsfrs_r"]["total"],
            r["kings_stage"],
            r["mitos_stage"],
            render.format_number(r["delta_frs_per_month"], lang, 2),
            render.format_number(r["fvc_percent_predicted"], lang, 1),
        )
        for r in rows
    ]
    return render.page(
        request,
        "research.html",
        status=status,
        refusal=refusal,
        k=deps.settings(request).research_k,
        headers=[
            _("Research id"),
            _("Sex"),
            _("Age"),
            _("Year"),
            "ALSFRS-R",
            _("King's"),
            _("MiToS"),
            "ΔFRS",
            _("FVC % predicted"),
        ],
        rows=table,
    )


def _sex(code: object, _: Callable[[str], str]) -> str:
    label = patient_labels.SEX.get(str(code))
    return _(label) if label else "—"
