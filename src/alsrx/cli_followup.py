"""Follow-up and demo commands: `alsrx followup scan`, `alsrx demo seed`."""

from __future__ import annotations

import datetime as dt
import os
import time
from typing import Annotated

import typer

from alsrx import scheduler
from alsrx import settings as settings_mod
from alsrx.cli_common import print_error
from alsrx.db import models
from alsrx.db.session import make_engine, session_factory
from alsrx.errors import InvalidInput
from alsrx.services import demo

followup_app = typer.Typer(no_args_is_help=True, help="Home follow-up.")
demo_app = typer.Typer(no_args_is_help=True, help="Synthetic demo data.")


def _today(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        typer.echo("--today must be a date written YYYY-MM-DD", err=True)
        raise typer.Exit(2) from None


def _settings(*, needs_audit_key: bool = False) -> settings_mod.Settings:
    try:
        return settings_mod.from_env(os.environ, needs_audit_key=needs_audit_key)
    except InvalidInput as exc:
        print_error(exc, "en")
        raise typer.Exit(1) from None


@followup_app.command("scan")
def scan(
    today: Annotated[str | None, typer.Option(help="The day to judge (default today).")] = None,
) -> None:
    """Raise time-driven alerts for every patient (reassessment due, adherence, silence) and
    propose progress where earned. The scheduler runs it daily (docs/operations.md)."""
    cfg = _settings(needs_audit_key=True)
    factory = session_factory(make_engine(cfg.database_url), audit_key=cfg.audit_key)
    counts = scheduler.scan_all(factory, day=_today(today), now=models.utcnow())
    typer.echo(f"scanned {counts['patients']} patients, raised {counts['alerts']} alerts")
    if counts["failed"]:
        typer.echo(f"the scan failed for {counts['failed']} patients (logged)", err=True)
        raise typer.Exit(1)


@demo_app.command("seed")
def seed(
    patients: Annotated[
        int, typer.Option(min=1, max=2000, help="How many synthetic patients.")
    ] = 12,
    months: Annotated[int, typer.Option(min=1, max=36, help="Months of history to simulate.")] = 6,
    seed_value: Annotated[
        int, typer.Option("--seed", help="Random seed (same seed, same cohort).")
    ] = 1,
    today: Annotated[
        str | None, typer.Option(help="The last simulated day (default today).")
    ] = None,
) -> None:
    """Create a demo centre with a synthetic cohort and demo logins (demo mode only)."""
    cfg = _settings()
    if not cfg.demo_mode:
        typer.echo("demo data and its known passwords need ALSRX_DEMO_MODE=true", err=True)
        raise typer.Exit(1)
    factory = session_factory(make_engine(cfg.database_url), audit_key=cfg.audit_key)
    started = time.perf_counter()
    result = demo.seed(
        factory, patients_n=patients, months=months, seed_value=seed_value, today=_today(today)
    )
    typer.echo(
        f"{result.centre}: {result.patients} patients, {result.assessments} assessments, "
        f"{result.sessions} session logs in {time.perf_counter() - started:.1f} s"
    )
    for name, password in result.logins.items():
        typer.echo(f"  login {name} / {password}")


def register(app: typer.Typer) -> None:
    app.add_typer(followup_app, name="followup")
    app.add_typer(demo_app, name="demo")
