"""The research API: the data set as one ZIP download (CSV files, codebook, manifest) and the
cohort builder's analysis."""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import Iterator

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse

from alsrx.analytics import disclosure
from alsrx.errors import FieldError, InvalidInput
from alsrx.services import research_analyses, research_cohort, research_export
from alsrx.services.actor import Actor
from alsrx.web import deps
from alsrx.web.api import research_query
from alsrx.web.policy import endpoint

router = APIRouter(prefix="/api/v1", tags=["research"])
CHUNK = 1 << 16
CENTRES = Query(None, description="Centre ids, repeated (default all of yours)")
IN_MEMORY = 8 << 20  # an archive larger than this spills to a temporary file


def options(
    request: Request, centre: list[int] | None, date_shift: bool, lang: str | None
) -> tuple[Actor, research_export.ExportOptions]:
    """The export's options from the query: the deployment's k, a new secret per shifted
    export (not kept: no two exports can be linked by their dates)."""
    actor = deps.authenticate(request)
    reader = "zh" if actor.lang.startswith("zh") else "en"
    lang = reader if lang is None else lang
    if lang not in ("en", "zh"):
        raise InvalidInput([FieldError("lang", "not_one_of", {"allowed": ("en", "zh")})])
    return actor, research_export.ExportOptions(
        today=deps.today(),
        k=deps.settings(request).research_k,
        shift_secret=secrets.token_bytes(32) if date_shift else None,
        centre_ids=frozenset(centre) if centre else None,
        lang=lang,
    )


@endpoint(
    router,
    "GET",
    "/research/export",
    roles=("researcher",),
    scope="research",
    summary="The de-identified research data set of the researcher's centres as a ZIP of CSV "
    "files with a codebook; refused (422, field `cohort`) when a group over the "
    "quasi-identifiers is smaller than k; audited",
)
def export(
    request: Request,
    centre: list[int] | None = CENTRES,
    date_shift: bool = Query(False, description="Add dates, shifted 0-364 days back per patient"),
    lang: str | None = Query(None, description="Language of the codebook: en or zh"),
) -> StreamingResponse:
    actor, wanted = options(request, centre, date_shift, lang)
    return zip_response(request, actor, wanted)


def zip_response(
    request: Request, actor: Actor, wanted: research_export.ExportOptions
) -> StreamingResponse:
    """Write the archive in the request's transaction (the export is audited there), then
    stream it: memory stays bounded, as the archive spills to a temporary file."""
    archive = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)  # noqa: SIM115 (streamed below)
    try:
        with deps.write(request) as session:
            research_export.write_zip(session, actor, archive, wanted)
    except BaseException:
        archive.close()
        raise
    archive.seek(0)

    def chunks() -> Iterator[bytes]:
        with archive:
            while block := archive.read(CHUNK):
                yield block

    return StreamingResponse(
        chunks(),
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="alsrx-research-{wanted.today}.zip"',
            "Cache-Control": "no-store",
        },
    )


@endpoint(
    router,
    "GET",
    "/research/cohort",
    roles=("researcher",),
    scope="research",
    summary="The cohort builder's analysis (filters: centre, onset_region, kings, category, "
    "programme; group_by adherence | programme | dose; anchor=1 for the D50 onset anchor): "
    "group sizes, D50 and slopes, the mixed model's comparison, the mean course; every count "
    "through the deployment's disclosure policy",
)
def cohort(request: Request) -> JSONResponse:
    actor = deps.authenticate(request)
    policy = disclosure.policy_named(deps.settings(request).research_disclosure)
    with deps.write(request) as session:
        centres = research_cohort.centres(session, actor)
        filters, grouping, anchor = research_query.query(request, centres)
        result = research_analyses.of_cohort(
            session, actor, filters, grouping=grouping, anchor_at_onset=anchor, policy=policy,
            today=deps.today(),
        )  # fmt: skip
    return JSONResponse(research_query.analysis_json(result), headers={"Cache-Control": "no-store"})
