"""Research commands: `alsrx research export DIR`."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path
from typing import Annotated

import typer

from alsrx import settings as settings_mod
from alsrx.cli_common import print_error
from alsrx.db.session import make_engine, session_factory, transaction
from alsrx.errors import AlsrxError, InvalidInput, NotFound
from alsrx.services import accounts, research_export
from alsrx.services import actor as actor_mod

research_app = typer.Typer(no_args_is_help=True, help="De-identified research data.")
EXIT_FAILED = 1


def _settings() -> settings_mod.Settings:
    try:
        return settings_mod.from_env(os.environ, needs_audit_key=True)  # exports are audited
    except InvalidInput as exc:
        print_error(exc, "en")
        raise typer.Exit(EXIT_FAILED) from None


def _secret(shift_dates: bool, secret_file: Path | None) -> bytes | None:
    """A shift needs a secret: the file's (to repeat an export's shifts) or a new random one,
    which is not kept, so no later export can be linked to this one by its dates."""
    if secret_file is not None:
        try:
            secret = secret_file.read_bytes().strip()
        except OSError as exc:
            typer.echo(f"--shift-secret-file: cannot read {secret_file} ({exc.strerror})", err=True)
            raise typer.Exit(2) from None
        if len(secret) < 16:
            typer.echo("--shift-secret-file: the secret must be at least 16 bytes", err=True)
            raise typer.Exit(2)
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
    lang: Annotated[str, typer.Option(help="Language of the codebook: en | zh.")] = "en",
) -> None:
    """Write the de-identified research data set (CSV files, codebook, manifest); audited."""
    if lang not in ("en", "zh"):
        typer.echo("--lang must be one of: en, zh", err=True)
        raise typer.Exit(2)
    cfg = _settings()
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
                centre_ids=centres, lang=lang,
            )  # fmt: skip
            summary = research_export.write_directory(s, actor, directory, options)
    except NotFound as exc:
        typer.echo(f"error: no such {exc}", err=True)
        raise typer.Exit(EXIT_FAILED) from None
    except AlsrxError as exc:
        print_error(exc, lang)
        raise typer.Exit(EXIT_FAILED) from None
    typer.echo(f"{summary.patients} patients (smallest group {summary.smallest_group})")
    for name, rows in summary.rows.items():
        typer.echo(f"  {name}: {rows} rows")


def register(app: typer.Typer) -> None:
    app.add_typer(research_app, name="research")
