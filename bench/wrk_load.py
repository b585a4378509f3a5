"""Drive a phase of bench/bench_api.py with wrk, a load generator written in C.

The Python load generator (16 threads on httpx) costs about as much CPU per request as the
server's no-op endpoint, and shares this machine's two cores with the server: against the no-op
it measures mostly itself. wrk costs a few microseconds per request, so the server is what
saturates, and the latencies are not inflated by the client's own GIL hand-offs.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Any, Protocol

SCRIPT = Path(__file__).with_name("wrk_post.lua")


class Phase(Protocol):
    keyed: bool
    latencies: list[float]
    errors: int
    seconds: float
    rounds: list[float]


def available() -> bool:
    return shutil.which("wrk") is not None


def load(
    phase: Phase,
    base: str,
    paths: list[str],
    token: str | None,
    body: dict[str, Any] | None,
    *,
    clients: int,
    seconds: float,
    method: str = "POST",
    cookie: str = "",
) -> None:
    """One round: `clients` connections send as fast as the server answers for `seconds`
    (`method` GET with a `cookie` for pages signed in as a browser is)."""
    with tempfile.TemporaryDirectory() as tmp:
        body_file = Path(tmp) / "body.json"
        hist_file = Path(tmp) / "hist.txt"
        if body is not None:
            body_file.write_text(json.dumps(body))
        env = dict(
            os.environ,
            BODY_FILE=str(body_file) if body is not None else "",
            TOKEN=token or "",
            PATHS=",".join(paths),
            HIST_FILE=str(hist_file),
            KEY_PREFIX=uuid.uuid4().hex[:8] if phase.keyed else "",
            METHOD=method,
            COOKIE=cookie,
        )
        # One wrk thread: it keeps 16 connections busy at a fraction of a core, leaving the
        # other core to the server.
        command = ["wrk", "-t1", f"-c{clients}", f"-d{max(1, round(seconds))}s", "--timeout", "30s"]
        subprocess.run(
            [*command, "-s", str(SCRIPT), base],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        requests, elapsed, errors, latencies = _histogram(hist_file.read_text())
    phase.latencies += latencies
    phase.errors += errors
    phase.seconds += elapsed
    phase.rounds.append(requests / elapsed)


def _histogram(text: str) -> tuple[int, float, int, list[float]]:
    """The header line's counts, and every latency in milliseconds (wrk records microseconds)."""
    header, *lines = text.splitlines()
    fields = header.lstrip("# ").split()
    summary = dict(zip(fields[::2], fields[1::2], strict=True))
    latencies: list[float] = []
    for line in lines:
        value, count = line.split()
        latencies += [int(value) / 1000] * int(count)
    errors = int(summary["non2xx"]) + int(summary["socket_errors"])
    return int(summary["requests"]), float(summary["seconds"]), errors, latencies
