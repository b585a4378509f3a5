"""Research commands: `alsrx research export DIR --user NAME` and
`alsrx research import-proact DIR [--name NAME] [--lang en|zh]`.

The export runs as the named researcher (their centres, audited as theirs). The import runs in
one transaction as the system administrator and prints its report in the reader's language.
Exit 0 on success; 1 for data refused (a file without its subject column, a name too long, a
group below k, an unknown user); 2 for usage errors (a directory that is not there or lacks
PROACT_ALSFRS.csv, an unreadable secret file).
"""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path
from typing import Annotated

import typer

from alsrx.cli_common import Lang, audited_settings, print_error
from alsrx.db.session import make_engine, session_factory, transaction
from alsrx.errors import AlsrxError, InvalidInput, NotFound
from alsrx.render import proact_report
from alsrx.services import accounts, reference_cohorts, research_export
from alsrx.services import actor as actor_mod
from alsrx.services.actor import SYSTEM

research_app = typer.Typer(no_args_is_help=True, help="Research data.")
EXIT_INVALID, EXIT_USAGE = 1, 2
USAGE_CODES = frozenset({"not_a_directory", "no_such_file"})


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
    cfg = audited_settings(lang)
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


def _secret(shift_dates: bool, secret_file: Path | None) -> bytes | None:
    """A shift needs a secret: the file's (to repeat an export's shifts) or a new random one,
    which is not kept, so no later export can be linked to this one by its dates."""
    if secret_file is not None:
        try:
            secret = secret_file.read_bytes().strip()
        except OSError as exc:
            typer.echo(f"--shift-secret-file: cannot read {secret_file} ({exc.strerror})", err=True)
            raise typer.Exit(EXIT_USAGE) from None
        if len(secret) < 16:
            typer.echo("--shift-secret-file: the secret must be at least 16 bytes", err=True)
            raise typer.Exit(EXIT_USAGE)
        return secret
    return secrets.token_bytes(32) if shift_dates else None


@research_app.command("export")
def export(
    directory: Annotated[Path, typer.Argument(help="Folder to write the CSV files into.")],
    user: Annotated[str, typer.Option("--user", help="The researcher the export is made as.")],
    centre: Annotated[
        list[str] | None, typer.Option(help="Centre name (repeat; default all of the user's).")
    ] = None,
    shift_dates: Annotated[
        bool, typer.Option(help="Add dates, each patient's shifted back by 0-364 days.")
    ] = False,
    shift_secret_file: Annotated[
        Path | None, typer.Option(help="Secret for the shift (same secret, same shifts).")
    ] = None,
    lang: Annotated[Lang | None, typer.Option(help="Language of the codebook.")] = None,
) -> None:
    """Write the de-identified research data set (CSV files, codebook, manifest); audited."""
    cfg = audited_settings(lang)
    factory = session_factory(make_engine(cfg.database_url), audit_key=cfg.audit_key)
    secret = _secret(shift_dates, shift_secret_file)
    try:
        with transaction(factory) as s:
            actor = actor_mod.load(s, accounts.user_by_name(s, user))
            centres = (
                None if not centre else frozenset(accounts.centre_by_name(s, n).id for n in centre)
            )
            options = research_export.ExportOptions(
                today=dt.date.today(), k=cfg.research_k, shift_secret=secret,
                centre_ids=centres, lang=cfg.lang,
            )  # fmt: skip
            summary = research_export.write_directory(s, actor, directory, options)
    except NotFound as exc:
        typer.echo(f"error: no such {exc}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    except AlsrxError as exc:
        print_error(exc, cfg.lang)
        raise typer.Exit(EXIT_INVALID) from None
    typer.echo(f"{summary.patients} patients (smallest group {summary.smallest_group})")
    for name, rows in summary.rows.items():
        typer.echo(f"  {name}: {rows} rows")


def _exit_code(exc: AlsrxError) -> int:
    if isinstance(exc, InvalidInput) and any(e.code in USAGE_CODES for e in exc.errors):
        return EXIT_USAGE
    return EXIT_INVALID


def register(app: typer.Typer) -> None:
    app.add_typer(research_app, name="research")
