"""Run `alsrx serve` as a real process on a free loopback port, for end-to-end tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(
    db_url: str,
    port: int,
    *,
    command: Sequence[str] = ("-m", "alsrx"),
    ready_within: float = 60,
    **extra_env: str,
) -> subprocess.Popen[bytes]:
    """The server, once it answers its health check; `ready_within` seconds at most (importing
    the app takes several times longer on a loaded machine than on an idle one)."""
    env = dict(
        os.environ,
        ALSRX_DATABASE_URL=db_url,
        ALSRX_DEMO_MODE="true",
        ALSRX_COOKIE_SECURE="false",
        **extra_env,
    )
    proc = subprocess.Popen(
        [sys.executable, *command, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + ready_within
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
        if proc.poll() is not None:
            raise RuntimeError(proc.stderr.read().decode() if proc.stderr else "server died")
    proc.kill()
    raise RuntimeError("server did not start")


@contextmanager
def running(db_url: str, *, ready_within: float = 60, **extra_env: str) -> Iterator[str]:
    port = free_port()
    proc = start(db_url, port, ready_within=ready_within, **extra_env)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
