"""The researcher's pages: de-identified views only."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from alsrx.analytics import disclosure
from alsrx.errors import FieldError, InvalidInput
from alsrx.i18n import translator
from alsrx.render import messages, research_words
from alsrx.services import research_analyses, research_cohort
from alsrx.web import deps
from alsrx.web.api import research_export as research_export_api
from alsrx.web.api import research_query
from alsrx.web.pages import render, session
from alsrx.web.pages import research_cohort_view as view

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
    _actor, options = research_export_api.options(request, None, bool(date_shift), lang)
    try:
        return research_export_api.zip_response(request, actor, options)
    except InvalidInput as exc:
        return _page(request, refusal=messages.field_lines(exc, lang), status=422)


def _page(request: Request, *, refusal: list[str] | None = None, status: int = 200) -> Response:
    actor = session.current(request, "researcher")
    lang = render.preferences(request)["lang"]
    _ = translator(lang)
    cfg = deps.settings(request)
    policy = disclosure.policy_named(cfg.research_disclosure)
    with deps.write(request) as s:
        centres = research_cohort.centres(s, actor)
        filters, grouping, anchor = research_query.query(request, centres)
        result = research_analyses.of_cohort(
            s, actor, filters, grouping=grouping, anchor_at_onset=anchor, policy=policy,
            today=deps.today(),
        )  # fmt: skip
    return render.page(
        request,
        "research.html",
        status=status,
        refusal=refusal,
        k=cfg.research_k,
        form=view.form(request, centres, _),
        groupings=[(k, _(v)) for k, v in research_words.GROUPINGS.items()],
        grouping=grouping,
        anchor=anchor,
        a=result,
        v=view,
        tr=_,
        words=research_words,
        charts=[
            view.course_chart(result, lang, _),
            view.slope_chart(result, lang, _),
            view.d50_chart(result, lang, _),
        ],
        policy_words=_(research_words.POLICIES[policy.name]),
    )
