"""Run PostgreSQL's client programs (pg_dump, pg_restore) without a password in argv.

A command line is readable by every user of the machine (`ps`, /proc/PID/cmdline), so the
connection goes in the child's environment (PGHOST, PGPORT, PGUSER, PGDATABASE, PGOPTIONS ...)
and the password in a passfile of mode 0600 inside a private temporary directory, removed when
the program ends. (PGPASSWORD is avoided as libpq's documentation advises: some systems show
a process's environment to other users.)
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

from sqlalchemy.engine import URL

from alsrx.errors import FieldError, InvalidInput

# URL query parameters libpq understands, and the variable that carries each.
QUERY_ENV = {
    "host": "PGHOST",
    "port": "PGPORT",
    "user": "PGUSER",
    "dbname": "PGDATABASE",
    "options": "PGOPTIONS",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
}


def connection_env(url: URL) -> dict[str, str]:
    """The PG* variables for a URL, its password left out."""
    env = {
        name: str(value)
        for name, value in (
            ("PGHOST", url.host),
            ("PGPORT", url.port),
            ("PGUSER", url.username),
            ("PGDATABASE", url.database),
        )
        if value is not None
    }
    for key, value in url.query.items():
        if key not in QUERY_ENV:
            allowed = tuple(QUERY_ENV)
            raise InvalidInput(
                [FieldError("ALSRX_DATABASE_URL", "not_one_of", {"allowed": allowed})]
            )
        env[QUERY_ENV[key]] = value if isinstance(value, str) else value[-1]
    return env


SEARCH_PATH = re.compile(r"-c\s*search_path\s*=\s*([A-Za-z_][A-Za-z0-9_$]*)")


def schema_of(url: URL) -> str | None:
    """The schema the URL's options put first on the search path (where alsrx keeps its
    tables), or None for the default. A backup of such a database is a dump of that schema
    alone: a restore of the whole database would replace other schemas too."""
    options = url.query.get("options")
    found = SEARCH_PATH.search(options if isinstance(options, str) else " ".join(options or ()))
    return found[1] if found else None


def _passfile_line(password: str) -> str:
    escaped = password.replace("\\", "\\\\").replace(":", "\\:")
    return f"*:*:*:*:{escaped}\n"


@contextmanager
def _passfile(password: str | None) -> Iterator[dict[str, str]]:
    if password is None:
        yield {}
        return
    with tempfile.TemporaryDirectory(prefix="alsrx-pg-") as private:  # 0700
        path = os.path.join(private, "pgpass")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(_passfile_line(password))
        yield {"PGPASSFILE": path}


def run(argv: Sequence[str], url: URL, *, base_env: Mapping[str, str] | None = None) -> None:
    """Run a libpq client program against the URL's database; CalledProcessError on failure."""
    env = dict(os.environ if base_env is None else base_env)
    if url.password is not None:
        env.pop("PGPASSWORD", None)  # it would win over the passfile
    env.update(connection_env(url))
    with _passfile(None if url.password is None else str(url.password)) as secret:
        subprocess.run(list(argv), env={**env, **secret}, check=True)
