"""The researcher's pages: de-identified views only."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from alsrx.i18n import translator
from alsrx.render import patient_labels
from alsrx.web import deps
from alsrx.web.pages import render, session

router = APIRouter(include_in_schema=False)


@router.get("/research", response_class=HTMLResponse)
def research_page(request: Request) -> Response:
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
        "simple_table.html",
        heading=_("Research data"),
        intro=_(
            "De-identified: random research ids, ages in years (90 or older folded), "
            "years instead of dates."
        ),
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
