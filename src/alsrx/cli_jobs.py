"""The daily jobs from the command line: `alsrx worker` (a process that only runs them),
`alsrx jobs run` (one-shot, for a systemd timer) and `alsrx jobs status` (the last runs)."""

from __future__ import annotations

import datetime as dt
import os
import signal
from typing import Annotated

import typer

from alsrx import scheduler
from alsrx import settings as settings_mod
from alsrx.cli_common import print_error
from alsrx.db import serving
from alsrx.db.session import make_engine, session_factory, transaction
from alsrx.errors import InvalidInput
from alsrx.services import jobs

jobs_app = typer.Typer(no_args_is_help=True, help="The daily jobs (follow-up scan, key purge).")
EXIT_FAILED = 1


def _settings() -> settings_mod.Settings:
    try:  # the jobs write alerts, proposals and their audit events
        return settings_mod.from_env(os.environ, needs_audit_key=True)
    except InvalidInput as exc:
        print_error(exc, "en")
        raise typer.Exit(EXIT_FAILED) from None


def _factory() -> scheduler.Factory:
    cfg = _settings()
    return session_factory(make_engine(cfg.database_url), audit_key=cfg.audit_key)


def worker(
    poll_seconds: Annotated[
        float, typer.Option(min=1, help="Seconds between looks at the schedule.")
    ] = scheduler.POLL_SECONDS,
) -> None:
    """Run the daily jobs at ALSRX_JOBS_AT until stopped (SIGTERM): the scheduler of
    `alsrx serve` on its own, for deployments that keep it out of the web processes."""
    cfg = _settings()
    factory = session_factory(make_engine(cfg.database_url), audit_key=cfg.audit_key)
    runner = scheduler.Scheduler(factory, at=cfg.jobs_at, poll_s=poll_seconds)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: runner.request_stop())
    with serving.hold(factory.kw["bind"]):
        runner.loop()


@jobs_app.command("run")
def run(
    job: Annotated[
        list[str] | None, typer.Argument(help="followup-scan | purge-idempotency-keys")
    ] = None,
) -> None:
    """Run today's jobs now (all, or those named) unless today's run is done or running
    elsewhere; exit 1 if one fails. For a systemd timer instead of the in-server scheduler."""
    names = job or list(scheduler.JOBS)
    unknown = [n for n in names if n not in scheduler.JOBS]
    if unknown:
        typer.echo(f"unknown job {unknown[0]}: one of {', '.join(scheduler.JOBS)}", err=True)
        raise typer.Exit(2)
    factory, day, failed = _factory(), scheduler.local_now().date(), False
    for name in names:
        done = scheduler.run_job(
            factory, name, day=day, clock=scheduler.local_now, runner=scheduler.default_runner()
        )
        if done is None:
            typer.echo(f"{name} {day}: already done, or running elsewhere")
            continue
        failed = failed or done.outcome is not None
        typer.echo(f"{name} {day}: {done.outcome or 'ok'} {_counts(done.counts)}")
    if failed:
        raise typer.Exit(EXIT_FAILED)


def _counts(counts: dict[str, int] | None) -> str:
    return " ".join(f"{k}={v}" for k, v in (counts or {}).items())


def _when(moment: dt.datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S") if moment else "-"


@jobs_app.command("status")
def status(
    limit: Annotated[int, typer.Option(min=1, max=1000, help="How many runs to show.")] = 20,
) -> None:
    """The last runs of the daily jobs: day, job, outcome, attempts, times, counts."""
    with transaction(_factory(), write=False) as session:
        runs = jobs.recent(session, limit=limit)
    if not runs:
        typer.echo("no job has run yet")
    for r in runs:
        outcome = r.status if r.outcome is None else f"{r.status} ({r.outcome})"
        typer.echo(
            f"{r.day} {r.job:<24} {outcome:<12} attempts={r.attempts} "
            f"started={_when(r.started_at)} finished={_when(r.finished_at)} "
            f"{_counts(r.counts)} runner={r.runner}"
        )


def register(app: typer.Typer) -> None:
    app.add_typer(jobs_app, name="jobs")
    app.command("worker")(worker)
