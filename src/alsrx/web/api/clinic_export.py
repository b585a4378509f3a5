"""The clinic export API: a patient's or a centre's records as a ZIP of CSV files with a
codebook (services/clinic_export.py), or one file alone with `?table=`."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterator

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session

from alsrx.errors import FieldError, InvalidInput
from alsrx.services import clinic_export
from alsrx.services.actor import Actor
from alsrx.web import deps
from alsrx.web.policy import endpoint

router = APIRouter(prefix="/api/v1", tags=["clinical"])
CHUNK = 1 << 16
IN_MEMORY = 8 << 20  # a larger export spills to a temporary file
LANGS = ("en", "zh")
TABLE = Query(
    None,
    description="One file alone as CSV: " + ", ".join(clinic_export.TABLES) + " (default: the "
    "ZIP with every file, codebook.csv and README.txt)",
)
LANG = Query(None, description="Language of the codebook and README: en or zh (the reader's)")

Scoper = Callable[[Session, Actor], clinic_export.Scope]


def choices(actor: Actor, table: str | None, lang: str | None) -> tuple[str | None, str]:
    """The query's table and language, or 422 naming the field and what it allows."""
    errors = []
    if table is not None and table not in clinic_export.TABLES:
        errors.append(FieldError("table", "not_one_of", {"allowed": clinic_export.TABLES}))
    reader = "zh" if actor.lang.startswith("zh") else "en"  # a stored zh_CN reads as zh
    lang = reader if lang is None else lang
    if lang not in LANGS:
        errors.append(FieldError("lang", "not_one_of", {"allowed": LANGS}))
    if errors:
        raise InvalidInput(errors)
    return table, lang


def response(
    request: Request, actor: Actor, scoper: Scoper, *, table: str | None, lang: str
) -> StreamingResponse:
    """Write the export in the request's transaction (it is audited there), then stream it
    from a file that spills to disk past IN_MEMORY (as research_export.zip_response does)."""
    now = dt.datetime.now(dt.UTC)
    spool = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)  # noqa: SIM115 (streamed below)
    try:
        with deps.write(request) as session:
            scope = scoper(session, actor)
            if table is None:
                clinic_export.write_zip(session, actor, scope, spool, lang=lang, now=now)
            else:
                clinic_export.write_table(session, actor, scope, table, spool)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)

    def chunks() -> Iterator[bytes]:
        with spool:
            while block := spool.read(CHUNK):
                yield block

    name = f"alsrx-{scope.label}-{now.date().isoformat()}"
    if table is None:
        media, filename = "application/zip", f"{name}.zip"
    else:
        media, filename = "text/csv; charset=utf-8", f"{name}-{table}.csv"
    return StreamingResponse(
        chunks(),
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@endpoint(
    router,
    "GET",
    "/patients/{patient_id}/export.zip",
    roles=clinic_export.EXPORTERS,
    scope="patient",
    summary="The patient's assessments (with derived values), prescription versions and "
    "components, session logs and alerts as CSV (UTF-8 with BOM, ISO dates) in a ZIP with "
    "codebook.csv and README.txt; `table` for one file alone; audited",
)
def patient_export(
    request: Request, patient_id: str, table: str | None = TABLE, lang: str | None = LANG
) -> StreamingResponse:
    actor = deps.authenticate(request)
    chosen, language = choices(actor, table, lang)
    return response(
        request,
        actor,
        lambda s, a: clinic_export.patient_scope(s, a, patient_id),
        table=chosen,
        lang=language,
    )


@endpoint(
    router,
    "GET",
    "/centres/{centre_id}/export.zip",
    roles=clinic_export.EXPORTERS,
    scope="centre",
    summary="The same files for every patient of one of the clinician's centres; audited",
)
def centre_export(
    request: Request, centre_id: int, table: str | None = TABLE, lang: str | None = LANG
) -> StreamingResponse:
    actor = deps.authenticate(request)
    chosen, language = choices(actor, table, lang)
    return response(
        request,
        actor,
        lambda s, a: clinic_export.centre_scope(s, a, centre_id),
        table=chosen,
        lang=language,
    )
