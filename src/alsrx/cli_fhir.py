"""FHIR R4B exchange: `alsrx fhir export OUT --user NAME [--patient ID] [--format bundle|ndjson]`
and `alsrx fhir import FILE --patient ID --user NAME`.

Both run as the named clinician (their centres' patients; audited as theirs) in one
transaction. The export writes a Bundle to the file OUT, or with NDJSON one file per resource
type (Patient.ndjson, Observation.ndjson, ...) into the folder OUT. An import with any error
stores nothing. Exit 0 on success; 1 for data refused (every message names the entry and
element; an unknown user or patient, a user who is not a clinician); 2 for usage errors (a
file that cannot be read, a folder that cannot be written).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from alsrx.cli_common import Lang, audited_settings, print_error
from alsrx.db.models import utcnow
from alsrx.db.session import make_engine, session_factory, transaction
from alsrx.errors import AlsrxError, NotFound
from alsrx.render import fhir_report
from alsrx.services import accounts, fhir_export, fhir_import
from alsrx.services import actor as actor_mod

fhir_app = typer.Typer(no_args_is_help=True, help="FHIR R4B exchange.")
EXIT_INVALID, EXIT_USAGE = 1, 2


class Format(StrEnum):
    bundle = "bundle"
    ndjson = "ndjson"


def _write(out: Path, result: str | dict[str, str]) -> list[Path]:
    try:
        if isinstance(result, str):
            out.write_text(result, encoding="utf-8")
            return [out]
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for kind, text in sorted(result.items()):
            path = out / f"{kind}.ndjson"
            path.write_text(text, encoding="utf-8")
            written.append(path)
        return written
    except OSError as exc:
        typer.echo(f"OUT: cannot write {out} ({exc.strerror})", err=True)
        raise typer.Exit(EXIT_USAGE) from None


@fhir_app.command("export")
def export(
    out: Annotated[Path, typer.Argument(help="File (bundle) or folder (ndjson) to write.")],
    user: Annotated[str, typer.Option("--user", help="The clinician the export is made as.")],
    patient: Annotated[
        str | None, typer.Option(help="One patient's id (default: every patient of the user).")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="A Bundle, or NDJSON per type.")] = (
        Format.bundle
    ),
    deidentified: Annotated[
        bool, typer.Option(help="Research ids, no birth dates, dates shifted per patient.")
    ] = False,
    lang: Annotated[Lang | None, typer.Option(help="Language of texts in the resources.")] = None,
) -> None:
    """Write patients' records as FHIR R4B (4.3.0); audited per patient."""
    cfg = audited_settings(lang)
    factory = session_factory(make_engine(cfg.database_url), audit_key=cfg.audit_key)
    wanted = fhir_export.ExportOptions(
        today=dt.date.today(),
        lang=cfg.lang if cfg.lang in ("en", "zh") else "en",
        deidentified=deidentified,
        assessment_options=cfg.assessment_options(),
    )
    try:
        with transaction(factory) as s:
            actor = actor_mod.load(s, accounts.user_by_name(s, user))
            result = fhir_export.export(
                s, actor, patient_id=patient, wanted=wanted, fmt=fmt.value, at=utcnow()
            )
            written = _write(out, result)  # inside: a file that cannot be written is no export
    except NotFound as exc:
        typer.echo(f"error: no such {exc}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    except AlsrxError as exc:
        print_error(exc, cfg.lang)
        raise typer.Exit(EXIT_INVALID) from None
    for path in written:
        typer.echo(str(path))


@fhir_app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(help="A FHIR R4B Bundle (JSON).")],
    patient: Annotated[str, typer.Option("--patient", help="The patient's id.")],
    user: Annotated[str, typer.Option("--user", help="The clinician the import is made as.")],
) -> None:
    """Import a Bundle's ALSFRS-R responses and measurements as the patient's assessments."""
    cfg = audited_settings(None)
    try:
        raw = file.read_bytes()
    except OSError as exc:
        typer.echo(f"cannot read {file} ({exc.strerror})", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    factory = session_factory(make_engine(cfg.database_url), audit_key=cfg.audit_key)
    try:
        with transaction(factory) as session:
            actor = actor_mod.load(session, accounts.user_by_name(session, user))
            report = fhir_import.import_bundle(
                session,
                actor,
                patient,
                raw,
                today=dt.date.today(),
                options=cfg.assessment_options(),
            )
    except AlsrxError as exc:
        print_error(exc, cfg.lang)
        raise typer.Exit(EXIT_INVALID) from None
    typer.echo("\n".join(fhir_report.lines(report.as_json(), cfg.lang)))


def register(app: typer.Typer) -> None:
    app.add_typer(fhir_app, name="fhir")
