"""Research commands: `alsrx research import-proact DIR [--name NAME] [--lang en|zh]`.

The import runs in one transaction as the system administrator and prints its report in the
reader's language. Exit 0 on success; 1 for data the import refuses (a file without its
subject column, a name too long); 2 for a directory that is not there or lacks
PROACT_ALSFRS.csv.
"""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from alsrx import settings as settings_mod
from alsrx.cli_common import print_error
from alsrx.db.session import make_engine, session_factory, transaction
from alsrx.errors import AlsrxError, InvalidInput
from alsrx.render import proact_report
from alsrx.services import reference_cohorts
from alsrx.services.actor import SYSTEM

research_app = typer.Typer(no_args_is_help=True, help="Research data.")
EXIT_INVALID, EXIT_USAGE = 1, 2
USAGE_CODES = frozenset({"not_a_directory", "no_such_file"})


class Lang(StrEnum):
    en = "en"
    zh = "zh"


def _settings(lang: Lang | None) -> settings_mod.Settings:
    env = dict(os.environ)
    if lang is not None:
        env["ALSRX_LANG"] = lang.value
    try:
        return settings_mod.from_env(env, needs_audit_key=True)  # the import is audited
    except InvalidInput as exc:
        print_error(exc, "en")
        raise typer.Exit(EXIT_INVALID) from None


@research_app.command("import-proact")
def import_proact(
    directory: Annotated[Path, typer.Argument(help="Directory holding PRO-ACT's CSV files.")],
    name: Annotated[
        str, typer.Option(help="The reference cohort's name; an existing one is replaced.")
    ] = reference_cohorts.DEFAULT_NAME,
    lang: Annotated[Lang | None, typer.Option(help="Language of the report.")] = None,
) -> None:
    """Import PRO-ACT's CSV files (PROACT_ALSFRS.csv required; ALSHISTORY, FVC, DEMOGRAPHICS,
    DEATHDATA, VITALSIGNS if present) as a reference cohort, apart from patients."""
    cfg = _settings(lang)
    factory = session_factory(make_engine(cfg.database_url), audit_key=cfg.audit_key)
    try:
        cohort = reference_cohorts.read_proact(directory)  # before the write lock is taken
        with transaction(factory) as session:
            done = reference_cohorts.store_proact(session, SYSTEM, cohort, name=name)
    except AlsrxError as exc:
        print_error(exc, cfg.lang)
        raise typer.Exit(_exit_code(exc)) from None
    report = proact_report.lines(done.report, name=done.name, replaced=done.replaced, lang=cfg.lang)
    typer.echo("\n".join(report))


def _exit_code(exc: AlsrxError) -> int:
    if isinstance(exc, InvalidInput) and any(e.code in USAGE_CODES for e in exc.errors):
        return EXIT_USAGE
    return EXIT_INVALID


def register(app: typer.Typer) -> None:
    app.add_typer(research_app, name="research")
