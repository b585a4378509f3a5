"""FHIR R4B exchange: `alsrx fhir import FILE --patient ID --user NAME`.

The import runs as the named clinician (their centres; audited as theirs) in one transaction:
a bundle with any error stores nothing. Exit 0 on success; 1 for data refused (every message
names the entry and element) or an unknown user or patient; 2 for a file that cannot be read.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Annotated

import typer

from alsrx import settings as settings_mod
from alsrx.cli_common import print_error
from alsrx.db.session import make_engine, session_factory, transaction
from alsrx.errors import AlsrxError, InvalidInput
from alsrx.render import fhir_report
from alsrx.services import accounts, fhir_import
from alsrx.services import actor as actor_mod

fhir_app = typer.Typer(no_args_is_help=True, help="FHIR R4B exchange.")
EXIT_INVALID, EXIT_USAGE = 1, 2


def _settings() -> settings_mod.Settings:
    try:
        return settings_mod.from_env(os.environ, needs_audit_key=True)  # imports are audited
    except InvalidInput as exc:
        print_error(exc, "en")
        raise typer.Exit(EXIT_INVALID) from None


@fhir_app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(help="A FHIR R4B Bundle (JSON).")],
    patient: Annotated[str, typer.Option("--patient", help="The patient's id.")],
    user: Annotated[str, typer.Option("--user", help="The clinician the import is made as.")],
) -> None:
    """Import a Bundle's ALSFRS-R responses and measurements as the patient's assessments."""
    cfg = _settings()
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
