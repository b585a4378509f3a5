"""A prescription printed: the patient's handout or the clinician's sheet, as PDF."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from alsrx.errors import FieldError, InvalidInput
from alsrx.render import programme_view
from alsrx.services import handouts
from alsrx.web import deps
from alsrx.web.policy import endpoint

router = APIRouter(prefix="/api/v1", tags=["clinical"])


def choice(name: str, value: str, allowed: tuple[str, ...]) -> str:
    """A query parameter's value, or InvalidInput naming the field and what it allows."""
    if value not in allowed:
        raise InvalidInput([FieldError(name, "not_one_of", {"allowed": allowed})])
    return value


@endpoint(
    router,
    "GET",
    "/prescriptions/{prescription_id}/handout.pdf",
    roles=handouts.PRINTERS,
    scope="prescription",
    summary="The prescription printed as PDF: the patient's handout (default) or, for "
    "clinicians, the clinician's sheet; in the reader's language unless `lang` says",
)
def handout_pdf(
    request: Request,
    prescription_id: str,
    lang: str | None = Query(None, description="en or zh; the reader's language by default"),
    audience: str = Query("patient", description="patient or clinician"),
) -> Response:
    actor = deps.authenticate(request)
    reader = "zh" if actor.lang.startswith("zh") else "en"  # a stored zh_CN reads as zh
    lang = choice("lang", reader if lang is None else lang, programme_view.LANGS)
    audience = choice("audience", audience, programme_view.AUDIENCES)
    with deps.read(request) as session:
        row, context = handouts.context(session, actor, prescription_id, audience=audience)
        programme = programme_view.build(
            row.content,
            lang=lang,
            audience="clinician" if audience == "clinician" else "patient",
            context=context,
        )
    # WeasyPrint takes about 2 s to import: only the first handout pays it, not every start
    # of the server (the CLI does the same).
    from alsrx.reports import handout

    # Laid out after the transaction: a render takes a while and holds no database state.
    body = handout.pdf(programme)
    name = f"exercise-plan-v{context.version}-{lang}-{audience}.pdf"
    return Response(
        body,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{name}"',
            "ETag": deps.etag(row.version),
        },
    )
