"""What `alsrx serve` keeps running beside the requests: the serving mark on the database
(db/serving.py, checked by `alsrx restore`) and, when ALSRX_SCHEDULER=true, the daily jobs'
scheduler thread (alsrx/scheduler.py), stopped before the process exits."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from alsrx import scheduler
from alsrx.db import serving


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = app.state.settings
    with serving.hold(app.state.engine):
        jobs = (
            scheduler.Scheduler(app.state.factory, at=settings.jobs_at)
            if settings.scheduler
            else None
        )
        if jobs is not None:
            jobs.start()
        try:
            yield
        finally:
            if jobs is not None:
                jobs.stop()
