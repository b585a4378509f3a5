"""Find NaN and Infinity already stored: values that entered before input refused them.

Such a value made every read of its record fail (JSON has no NaN), so it must be found and
corrected by a clinician, not silently changed. Reported by table, column and row id, never by
value (the values are patient data). On SQLite a NaN in a REAL column is stored as NULL (SQLite
has no NaN), so there only infinities remain in number columns; JSON columns hold the literal
text NaN / Infinity. On PostgreSQL NaN sorts above every number, so `> 1e308` finds NaN and +inf.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import Connection, text

HUGE = 1e308

# The columns that can hold a number from input, as of the current schema. A migration passes
# its own list, the schema as it was then.
NUMBER_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("patients", "id", "height_cm"),
    ("patients", "id", "weight_kg"),
    ("assessments", "id", "fvc_percent"),
    ("session_logs", "id", "duration_min"),
    ("session_logs", "id", "avg_hr_bpm"),
    ("session_logs", "id", "max_hr_bpm"),
    ("session_logs", "id", "rpe"),
    ("session_logs", "id", "fatigue_recovery_min"),
)
JSON_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("assessments", "id", "data"),
    ("assessments", "id", "derived"),
    ("prescriptions", "id", "content"),
    ("prescriptions", "id", "proposal"),
    ("session_logs", "id", "planned"),
    ("alerts", "id", "data"),
    ("idempotency_keys", "id", "response_body"),
    ("audit_events", "seq", "old"),
    ("audit_events", "seq", "new"),
)


@dataclass(frozen=True)
class Finding:
    table: str
    column: str
    row_id: str

    def __str__(self) -> str:
        return f"{self.table}.{self.column} of row {self.row_id}"


def scan(
    conn: Connection,
    *,
    numbers: Iterable[tuple[str, str, str]] = NUMBER_COLUMNS,
    documents: Iterable[tuple[str, str, str]] = JSON_COLUMNS,
) -> list[Finding]:
    """Every stored non-finite value in the given (table, key column, column) places."""
    found = [f for place in numbers for f in _numbers(conn, *place)]
    return found + [f for place in documents for f in _documents(conn, *place)]


def _numbers(conn: Connection, table: str, key: str, column: str) -> Iterator[Finding]:
    # Names come from the lists above, never from input.
    rows = conn.execute(
        text(f"SELECT {key} FROM {table} WHERE {column} > :huge OR {column} < :low"),
        {"huge": HUGE, "low": -HUGE},
    )
    for (row_id,) in rows:
        yield Finding(table, column, str(row_id))


def _documents(conn: Connection, table: str, key: str, column: str) -> Iterator[Finding]:
    rows = conn.execute(
        text(
            f"SELECT {key}, CAST({column} AS TEXT) FROM {table} "
            f"WHERE CAST({column} AS TEXT) LIKE '%NaN%' OR CAST({column} AS TEXT) LIKE '%Infinity%'"
        )
    )
    for row_id, document in rows:
        if _holds_non_finite(document):  # the text may just mention "NaN" inside a string
            yield Finding(table, column, str(row_id))


class _Found(Exception):
    pass


def _refuse(_name: str) -> float:
    raise _Found


def _holds_non_finite(document: str) -> bool:
    try:
        json.loads(document, parse_constant=_refuse)
    except _Found:
        return True
    except ValueError:
        return False
    return False
