"""`alsrx serve` with SQLite's synchronous pragma replaced: the power-loss test's control run
(`python -m tests.e2e.pragma_server NORMAL serve --port N`). Tests only; never a setting."""

import sys

from alsrx.db import session


def main() -> None:
    synchronous = sys.argv.pop(1)
    session.SQLITE_PRAGMAS = tuple(
        f"PRAGMA synchronous={synchronous}" if p.startswith("PRAGMA synchronous") else p
        for p in session.SQLITE_PRAGMAS
    )
    from alsrx.cli import main as alsrx

    alsrx()


if __name__ == "__main__":
    main()
