"""Audit commands: verify the chain (against anchors kept elsewhere), anchor its head, and
print the PostgreSQL grants under which the application cannot edit the trail.

    alsrx audit verify [--anchor FILE]   exit 1 listing every broken event (the first 20)
    alsrx audit anchor [--append FILE]   print `UTC-TIME SEQ MAC` of the head; append it to FILE
    alsrx db grants [--owner R --app R --schema S]   GRANT/REVOKE statements to run as superuser
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Annotated

import typer

from alsrx import settings as settings_mod
from alsrx.cli_common import print_error
from alsrx.db import grants
from alsrx.db.session import make_engine, session_factory, transaction
from alsrx.errors import AlsrxError, InvalidInput
from alsrx.services import audit, audit_verify

EXIT_FAILED, EXIT_USAGE = 1, 2
LISTED = 20  # problems printed; the count says how many more


def _factory(*, needs_audit_key: bool):  # type: ignore[no-untyped-def]
    try:
        cfg = settings_mod.from_env(os.environ, needs_audit_key=needs_audit_key)
    except InvalidInput as exc:
        print_error(exc, "en")
        raise typer.Exit(EXIT_FAILED) from None
    return session_factory(make_engine(cfg.database_url), audit_key=cfg.audit_key)


def _anchors(path: Path | None) -> list[audit.Anchor]:
    if path is None:
        return []
    try:
        return audit_verify.parse_anchors(path.read_text(encoding="utf-8"))
    except OSError as exc:
        typer.echo(f"cannot read {path}: {exc.strerror}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    except InvalidInput as exc:
        print_error(exc, "en", prefix=f"{path}: ")
        raise typer.Exit(EXIT_USAGE) from None


def verify(
    anchor: Annotated[
        Path | None, typer.Option(help="A file of anchors (`audit anchor --append`) to check.")
    ] = None,
) -> None:
    """Check the audit MAC chain; exit 1 listing every missing, altered, reordered or unkeyed
    event, a head that does not match, and anchors no longer in the chain."""
    anchors = _anchors(anchor)
    try:
        with transaction(_factory(needs_audit_key=True), write=False) as session:
            verdict = audit.verify(session, anchors=anchors)
    except AlsrxError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_FAILED) from None
    if verdict.ok:
        typer.echo(f"audit trail intact: {verdict.checked} events")
        if verdict.legacy:
            typer.echo(f"  {verdict.legacy} of them plain sha256, from before migration 0009")
        if anchors:
            typer.echo(f"  {len(anchors)} anchors found in the chain")
        return
    _print_broken(verdict)
    raise typer.Exit(EXIT_FAILED)


def _print_broken(verdict: audit.Verdict) -> None:
    total = len(verdict.problems) + verdict.unlisted
    lines = [f"audit trail broken: {total} problems in {verdict.checked} events"]
    lines += [f"  {p.describe()}" for p in verdict.problems[:LISTED]]
    if total > LISTED:
        lines.append(f"  ... and {total - LISTED} more")
    typer.echo("\n".join(lines), err=True)


def anchor(
    append: Annotated[
        Path | None,
        typer.Option(help="Append the line to this file (keep it outside the database)."),
    ] = None,
) -> None:
    """Print the head's sequence number and MAC with the UTC time; with --append, also add the
    line to FILE. `audit verify --anchor FILE` later checks every line is still in the chain."""
    with transaction(_factory(needs_audit_key=False), write=False) as session:
        head = audit.head(session)
    if head is None:
        typer.echo("audit trail broken: no head row", err=True)
        raise typer.Exit(EXIT_FAILED)
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    line = audit.Anchor(head[0], head[1], now).line()
    if append is not None:
        _append_line(append, line)
    typer.echo(line)


def _append_line(path: Path, line: str) -> None:
    """Appended and fsync'd: an anchor that a crash could lose protects nothing."""
    try:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        typer.echo(f"cannot append to {path}: {exc.strerror}", err=True)
        raise typer.Exit(EXIT_USAGE) from None


def db_grants(
    owner: Annotated[str, typer.Option(help="Role that owns the schema and migrates.")] = (
        "alsrx_owner"
    ),
    app: Annotated[str, typer.Option(help="Role the application connects as.")] = "alsrx_app",
    schema: Annotated[str, typer.Option(help="Schema of the alsrx tables.")] = "public",
) -> None:
    """Print the PostgreSQL GRANT/REVOKE statements under which the application's role cannot
    UPDATE, DELETE or TRUNCATE the audit trail (docs/deployment-roles.md)."""
    try:
        typer.echo(grants.script(owner=owner, app=app, schema=schema))
    except InvalidInput as exc:
        print_error(exc, "en")
        raise typer.Exit(EXIT_USAGE) from None


def register(*, audit_app: typer.Typer, db_app: typer.Typer) -> None:
    audit_app.command("verify")(verify)
    audit_app.command("anchor")(anchor)
    db_app.command("grants")(db_grants)
