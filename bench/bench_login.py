"""Writes per second while people sign in: 8 threads signing in (argon2 each time) beside one
thread creating centres, against a real `alsrx serve` on SQLite, for 6 s each.

    .venv/bin/python -m bench.bench_login

Before the sign-in split (web/signin.py) argon2 ran inside the write transaction, so the
writer waited behind every sign-in: the write count collapsed while sign-ins went on.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from tests.e2e import server

PASSWORD = "correct horse battery"
SECONDS = 6.0
SIGNERS = 8


def _cli(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "alsrx", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def _seed(url: str) -> str:
    env = dict(os.environ, ALSRX_DATABASE_URL=url, ALSRX_DEMO_MODE="true")
    _cli(env, "db", "upgrade")
    _cli(env, "centre", "create", "Bench")
    for name, role in (("admin1", "admin"), ("clin1", "clinician")):
        extra = ["--centre", "Bench"] if role == "clinician" else []
        args = ("user", "create", name, "--role", role, *extra, "--password-stdin")
        _cli(env, *args, stdin=PASSWORD)
    return _cli(env, "token", "create", "admin1")


def _writes(base: str, token: str, stop: threading.Event, tag: str) -> int:
    n = 0
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=headers, timeout=60) as c:
        while not stop.is_set():
            r = c.post("/api/v1/centres", json={"name": f"{tag}-{n}"})
            n += r.status_code == 201
    return n


def _sign_ins(base: str, stop: threading.Event, counts: list[int]) -> None:
    with httpx.Client(base_url=base, timeout=60) as c:
        while not stop.is_set():
            r = c.post("/api/v1/auth/token", json={"username": "clin1", "password": PASSWORD})
            counts.append(r.status_code)


def _round(base: str, token: str, signers: int, tag: str) -> tuple[int, int]:
    stop, counts = threading.Event(), []
    threads = [
        threading.Thread(target=_sign_ins, args=(base, stop, counts)) for _ in range(signers)
    ]
    for t in threads:
        t.start()
    result: list[int] = []
    writer = threading.Thread(target=lambda: result.append(_writes(base, token, stop, tag)))
    writer.start()
    time.sleep(SECONDS)
    stop.set()
    for t in [*threads, writer]:
        t.join()
    return result[0], counts.count(200)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        token = _seed(url)
        # Clinicians sign in with a password alone here: the second step is not what is timed.
        with server.running(url, ALSRX_MFA_REQUIRED_ROLES="admin") as base:
            alone, _ = _round(base, token, 0, "alone")
            busy, signed = _round(base, token, SIGNERS, "busy")
    print(f"writes in {SECONDS:.0f} s alone: {alone}")
    print(f"writes in {SECONDS:.0f} s beside {SIGNERS} signing-in threads: {busy}")
    print(f"sign-ins meanwhile: {signed}")


if __name__ == "__main__":
    main()
