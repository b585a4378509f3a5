"""Platform commands: database, centres, users, tokens, server, audit, backup and restore.

Each command reads settings once, opens one transaction around its use case and prints only
what it must (`token create` prints the token alone, for scripts).
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import sys
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from alsrx import cli_audit, logs
from alsrx import settings as settings_mod
from alsrx.cli_common import print_error
from alsrx.db import migrate, models, nonfinite, pg_client, serving
from alsrx.db.session import make_engine, session_factory, transaction
from alsrx.errors import AlsrxError, InvalidInput
from alsrx.services import accounts, api_tokens, idempotency, mfa
from alsrx.services.actor import SYSTEM

db_app = typer.Typer(no_args_is_help=True, help="Database schema.")
centre_app = typer.Typer(no_args_is_help=True, help="Centres.")
user_app = typer.Typer(no_args_is_help=True, help="User accounts.")
token_app = typer.Typer(no_args_is_help=True, help="API tokens.")
audit_app = typer.Typer(no_args_is_help=True, help="The audit trail.")
EXIT_FAILED = 1


def _settings(
    *, needs_secret: bool = False, needs_audit_key: bool = False
) -> settings_mod.Settings:
    try:
        return settings_mod.from_env(
            os.environ, needs_secret=needs_secret, needs_audit_key=needs_audit_key
        )
    except InvalidInput as exc:
        print_error(exc, "en")
        raise typer.Exit(EXIT_FAILED) from None


def _fail(exc: AlsrxError) -> typer.Exit:
    if isinstance(exc, InvalidInput):
        print_error(exc, "en")
    else:
        typer.echo(f"error: {exc}", err=True)
    return typer.Exit(EXIT_FAILED)


def _factory() -> sessionmaker[Session]:
    cfg = _settings(needs_audit_key=True)  # every write is audited
    return session_factory(make_engine(cfg.database_url), audit_key=cfg.audit_key)


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Create or migrate the schema (Alembic) to the latest revision."""
    migrate.upgrade(_settings().database_url, revision)
    typer.echo(f"database at {revision}")


@db_app.command("check-values")
def db_check_values() -> None:
    """Report every NaN or Infinity stored before input refused them (table, column, row id);
    exit 1 when there is any. Such a record cannot be read until a clinician corrects it."""
    engine = make_engine(_settings().database_url)
    with engine.connect() as conn:
        findings = nonfinite.scan(conn)
    engine.dispose()
    for finding in findings:
        typer.echo(f"non-finite number stored in {finding}", err=True)
    if findings:
        raise typer.Exit(EXIT_FAILED)
    typer.echo("no non-finite numbers stored")


@db_app.command("purge-idempotency-keys")
def db_purge_idempotency_keys(
    older_than_days: Annotated[int, typer.Option()] = idempotency.KEEP_DAYS_DEFAULT,
) -> None:
    """Delete Idempotency-Keys older than the given days (every keyed POST stores one; run it
    from cron). A retry of a purged request runs as a new one."""
    try:
        with transaction(_factory()) as session:
            gone = idempotency.purge(session, keep_days=older_than_days, now=models.utcnow())
    except AlsrxError as exc:
        raise _fail(exc) from None
    typer.echo(f"idempotency keys purged: {gone}")


@centre_app.command("create")
def centre_create(
    name: str,
    phone: Annotated[str | None, typer.Option(help="Clinic phone shown to patients.")] = None,
    emergency_number: Annotated[
        str | None,
        typer.Option(
            help="Emergency number shown first after a red flag, digits only (120 in mainland "
            "China; 112, 999 or 911 elsewhere). Unset: patients are told to call their local one."
        ),
    ] = None,
) -> None:
    """Create a centre."""
    try:
        with transaction(_factory()) as session:
            centre = accounts.create_centre(
                session, SYSTEM, name, contact_phone=phone, emergency_number=emergency_number
            )
            typer.echo(str(centre.id))
    except AlsrxError as exc:
        raise _fail(exc) from None


@centre_app.command("set")
def centre_set(
    name: str,
    phone: Annotated[str | None, typer.Option(help="Clinic phone shown to patients.")] = None,
    emergency_number: Annotated[
        str | None,
        typer.Option(help="Emergency number shown first after a red flag, digits only."),
    ] = None,
) -> None:
    """Change a centre's clinic phone or emergency number (audited)."""
    try:
        with transaction(_factory()) as session:
            accounts.update_centre(
                session, SYSTEM, name, contact_phone=phone, emergency_number=emergency_number
            )
    except AlsrxError as exc:
        raise _fail(exc) from None


@user_app.command("create")
def user_create(
    username: str,
    role: Annotated[str, typer.Option(help="admin | clinician | researcher | patient | caregiver")],
    centre: Annotated[
        list[str] | None, typer.Option(help="Centre name (clinician, researcher).")
    ] = None,
    patient: Annotated[
        list[str] | None, typer.Option(help="Patient id (patient: own; caregiver: linked).")
    ] = None,
    lang: Annotated[str, typer.Option(help="en | zh")] = "en",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create a user; the password is read from standard input, never from the command line."""
    password = _password_from_stdin(password_stdin)
    try:
        with transaction(_factory()) as session:
            centre_ids = tuple(accounts.centre_by_name(session, c).id for c in centre or [])
            patients = tuple(patient or [])
            user = accounts.create_user(
                session,
                SYSTEM,
                username=username,
                role=role,
                password=password,
                centre_ids=centre_ids,
                patient_id=patients[0] if role == "patient" and patients else None,
                linked_patient_ids=patients if role == "caregiver" else (),
                lang=lang,
            )
            typer.echo(str(user.id))
    except AlsrxError as exc:
        raise _fail(exc) from None


def _password_from_stdin(password_stdin: bool) -> str:
    if not password_stdin:
        typer.echo("give --password-stdin and the password on standard input", err=True)
        raise typer.Exit(2)
    return sys.stdin.readline().rstrip("\n")


@user_app.command("reset-password")
def user_reset_password(
    username: str,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the new password from standard input.")
    ] = False,
) -> None:
    """Set a new password (read from standard input); every session and token of the user ends."""
    password = _password_from_stdin(password_stdin)
    try:
        with transaction(_factory()) as session:
            user = accounts.user_by_name(session, username)
            accounts.reset_password(session, SYSTEM, user, password)
    except AlsrxError as exc:
        raise _fail(exc) from None
    typer.echo(f"password reset for {username}; its sessions and tokens were revoked")


@user_app.command("disable")
def user_disable(username: str) -> None:
    """Disable an account: it cannot sign in, and all its sessions and tokens end now."""
    try:
        with transaction(_factory()) as session:
            user = accounts.user_by_name(session, username)
            revoked = accounts.disable_user(session, SYSTEM, user)
    except AlsrxError as exc:
        raise _fail(exc) from None
    typer.echo(f"{username} disabled; {revoked} sessions and tokens revoked")


@user_app.command("reset-mfa")
def user_reset_mfa(username: str) -> None:
    """Remove a user's two-step sign-in (lost phone): they set it up again at next sign-in.
    Their sessions and tokens end too."""
    try:
        with transaction(_factory()) as session:
            user = accounts.user_by_name(session, username)
            had = mfa.reset(session, SYSTEM, user)
            api_tokens.revoke_all(session, SYSTEM, user.id, reason="two-step sign-in reset")
    except AlsrxError as exc:
        raise _fail(exc) from None
    typer.echo(f"two-step sign-in {'reset' if had else 'was not set up'} for {username}")


@token_app.command("create")
def token_create(
    username: str,
    expires_in: Annotated[
        int | None,
        typer.Option(
            "--expires-in", min=1, max=3650, help="Days until it expires (ALSRX_TOKEN_DAYS)."
        ),
    ] = None,
) -> None:
    """Create an API token for a user and print only the token. Every token expires."""
    days = expires_in if expires_in is not None else _settings().token_days
    try:
        with transaction(_factory()) as session:
            user = accounts.user_by_name(session, username)
            token = api_tokens.issue_token(session, SYSTEM, user, lifetime=dt.timedelta(days=days))
    except AlsrxError as exc:
        raise _fail(exc) from None
    typer.echo(token)


@token_app.command("revoke")
def token_revoke(
    user: Annotated[
        str | None, typer.Option("--user", help="Revoke every token and session of this user.")
    ] = None,
) -> None:
    """Revoke the token read from standard input, or with --user all of a user's tokens and
    sessions (a token never goes on the command line, where `ps` and shell history see it)."""
    try:
        with transaction(_factory()) as session:
            if user is not None:
                found = accounts.user_by_name(session, user)
                n = api_tokens.revoke_all(session, SYSTEM, found.id, reason="revoked by operator")
            else:
                n = int(api_tokens.revoke_token(session, SYSTEM, sys.stdin.readline().strip()))
    except AlsrxError as exc:
        raise _fail(exc) from None
    typer.echo(f"tokens revoked: {n}")


def serve(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    workers: Annotated[
        int, typer.Option(help="Worker processes (PostgreSQL for more than 1).")
    ] = 1,
) -> None:
    """Serve the web application and API."""
    import uvicorn

    cfg = _settings(needs_secret=True, needs_audit_key=True)
    if workers > 1 and cfg.database_url.startswith("sqlite"):
        typer.echo("several workers need PostgreSQL; SQLite serves one writer process", err=True)
        raise typer.Exit(2)
    uvicorn.run(
        "alsrx.web.main:app",
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        log_config=logs.uvicorn_config(),  # exceptions logged without their data
        access_log=False,
    )  # the access log would write patient ids into URLs' logs


def _sqlite_copy(source: str, target: str) -> None:
    """SQLite's online backup API: a consistent copy even while the source is in use."""
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT, 0o600))  # never readable by others
    src, dest = sqlite3.connect(source), sqlite3.connect(target)
    try:
        with dest:
            src.backup(dest)
    finally:
        dest.close()
        src.close()


def backup(target: Path) -> None:
    """Copy the database to FILE, readable by its owner alone (SQLite online backup; pg_dump
    for PostgreSQL, given the password in a passfile, never in argv)."""
    url = make_url(_settings().database_url)
    if url.get_backend_name() == "sqlite":
        _sqlite_copy(url.database or "", str(target))
    else:
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT, 0o600))
        schema = pg_client.schema_of(url)
        only = ["--schema", schema] if schema else []
        _pg(
            [
                "pg_dump",
                "--format=custom",
                *only,
                "--file",
                str(target),
                "--dbname",
                url.database or "",
            ],
            url,
        )
    target.chmod(0o600)  # a file that existed before keeps no wider mode
    typer.echo(f"backup written to {target}")


def restore(
    source: Path,
    force: Annotated[
        bool, typer.Option("--force", help="Restore even while a server uses the database.")
    ] = False,
) -> None:
    """Replace the database with a backup made by `alsrx backup`. Refused while a server or
    worker uses the database (stop it first), unless --force."""
    if not source.exists():
        typer.echo(f"no such backup: {source}", err=True)
        raise typer.Exit(2)
    database_url = _settings().database_url
    with serving.exclusive(database_url) as idle:
        if not idle and not force:
            typer.echo(
                "a server or worker is using this database: stop it first (or --force)", err=True
            )
            raise typer.Exit(EXIT_FAILED)
        _restore(make_url(database_url), source)
    typer.echo(f"restored from {source}")


def _restore(url, source: Path) -> None:  # type: ignore[no-untyped-def]
    if url.get_backend_name() == "sqlite":
        _sqlite_copy(str(source), url.database or "")
        return
    restore_argv = ["pg_restore", "--clean", "--if-exists", "--no-owner"]
    _pg([*restore_argv, "--dbname", url.database, str(source)], url)


def _pg(argv: list[str], url) -> None:  # type: ignore[no-untyped-def]
    try:
        pg_client.run(argv, url)
    except AlsrxError as exc:
        raise _fail(exc) from None


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
    app.add_typer(centre_app, name="centre")
    app.add_typer(user_app, name="user")
    app.add_typer(token_app, name="token")
    app.add_typer(audit_app, name="audit")
    cli_audit.register(audit_app=audit_app, db_app=db_app)
    app.command("serve")(serve)
    app.command("backup")(backup)
    app.command("restore")(restore)
