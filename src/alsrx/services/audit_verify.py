"""Verifying the audit chain, and the anchors that pin it from outside the database.

`verify` reads every event once, in seq order, and reports every broken one, not only the
first, each as a Problem of one kind:

    missing     events seq..through are absent (deleted, or the trail cut back from the head)
    altered     the event's MAC does not match its stored fields (edited after it was written)
    reordered   the event's MAC is its own, but it does not follow the event before it
    unkeyed     a plain sha256 event where only keyed ones may be (after migration 0009's
                legacy prefix, or after a keyed event): a rewrite with recomputed hashes
    head        the head row is missing, or names another last event than the chain ends with
    anchor      an anchored (seq, MAC), recorded outside the database, is no longer in the chain

Each event is checked against its own stored prev_hash, and the link to its predecessor
separately, so one edit is reported once instead of breaking everything after it.

Someone with full SQL access but without ALSRX_AUDIT_KEY cannot forge a keyed MAC; they can
still cut events off the end and rewind the head, or rewrite the whole trail as plain sha256
(and the head's legacy_seq with it). An anchor (`alsrx audit anchor --append FILE`, the file
kept elsewhere) catches both: the anchored MAC is gone.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.db.session import AUDIT_KEY
from alsrx.errors import FieldError, InvalidInput, Misconfigured
from alsrx.services import audit_codec

PROBLEM_LIMIT = 1000  # kept in a verdict; beyond it only counted
ANCHOR_LINE = re.compile(r"^(\S+)\s+(\d{1,12})\s+([0-9a-f]{64})$")


def key_of(info: Mapping[str, Any]) -> bytes:
    """The audit MAC key the edge gave this session's factory (`session.info`)."""
    key = info.get(AUDIT_KEY)
    if not key:
        raise Misconfigured(
            "no audit key: set ALSRX_AUDIT_KEY (or demo mode) and build the session factory "
            "with session_factory(engine, audit_key=...)"
        )
    return bytes(key)


@dataclass(frozen=True)
class Anchor:
    """A head's (seq, MAC) at a UTC time, kept outside the database."""

    seq: int
    mac: str
    at: str = ""

    def line(self) -> str:
        return f"{self.at} {self.seq} {self.mac}"


def parse_anchors(text: str) -> list[Anchor]:
    """Anchor lines `UTC-TIME SEQ MAC`; blank lines and # comments are skipped."""
    anchors = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = ANCHOR_LINE.match(line.strip())
        if match is None:
            detail = "expected: UTC-TIME SEQ MAC"
            raise InvalidInput([FieldError(f"line {number}", "invalid", {"detail": detail})])
        anchors.append(Anchor(int(match[2]), match[3], match[1]))
    return anchors


@dataclass(frozen=True)
class Problem:
    kind: str
    seq: int
    through: int | None = None  # the last seq of a run of missing events

    def describe(self) -> str:
        where = f"events {self.seq}-{self.through}" if self.through else f"event {self.seq}"
        return f"{where} {self.kind}"


@dataclass(frozen=True)
class Verdict:
    checked: int
    problems: tuple[Problem, ...] = ()
    unlisted: int = 0  # problems found beyond PROBLEM_LIMIT
    legacy: int = 0  # events under plain sha256 (before migration 0009)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_bad_seq(self) -> int | None:
        return self.problems[0].seq if self.problems else None

    @property
    def problem(self) -> str | None:
        return self.problems[0].kind if self.problems else None


@dataclass
class _Walk:
    info: Mapping[str, Any]
    legacy_seq: int
    anchors: dict[int, str]
    expected: int = 1
    prev: str = audit_codec.GENESIS
    checked: int = 0
    legacy: int = 0
    keyed_seen: bool = False
    found: list[Problem] = field(default_factory=list)
    unlisted: int = 0

    def report(self, kind: str, seq: int, through: int | None = None) -> None:
        if len(self.found) < PROBLEM_LIMIT:
            self.found.append(Problem(kind, seq, through))
        else:
            self.unlisted += 1

    def step(self, row: Any) -> None:
        self.checked += 1
        if row.seq < self.expected:  # only a row edited to a seq of 0 or below sorts here
            self.report("altered", row.seq)
            return
        if row.seq > self.expected:
            self.report("missing", self.expected, row.seq - 1)
        elif row.prev_hash != self.prev:
            self.report("reordered", row.seq)
        if not self._mac_matches(row):
            self.report("altered", row.seq)
        anchored = self.anchors.pop(row.seq, None)
        if anchored is not None and not hmac.compare_digest(anchored, row.hash):
            self.report("anchor", row.seq)
        self.prev, self.expected = row.hash, row.seq + 1

    def _mac_matches(self, row: Any) -> bool:
        fields = {name: getattr(row, name) for name in _FIELDS}
        if row.mac_alg == audit_codec.LEGACY:
            self.legacy += 1
            if row.seq > self.legacy_seq or self.keyed_seen:
                self.report("unkeyed", row.seq)
            return bool(audit_codec.legacy_hash(row.prev_hash, fields) == row.hash)
        if row.mac_alg != audit_codec.KEYED:
            return False
        self.keyed_seen = True
        try:
            text = audit_codec.canonical(fields)
        except (TypeError, ValueError):  # e.g. a NaN written in by hand: not ours
            return False
        mac = audit_codec.keyed_mac(key_of(self.info), row.prev_hash, text)
        return hmac.compare_digest(mac, row.hash)

    def finish(self, head: Any) -> None:
        last = self.expected - 1
        if head is None:
            self.report("head", last)
        elif head.seq > last:  # the newest events are gone (or all of them)
            self.report("missing", last + 1, head.seq)
        elif head.seq != last or head.hash != self.prev or head.legacy_seq > head.seq:
            self.report("head", head.seq)
        for seq, mac in sorted(self.anchors.items()):
            if (seq, mac) != (0, audit_codec.GENESIS):
                self.report("anchor", seq)

    def verdict(self) -> Verdict:
        return Verdict(self.checked, tuple(self.found), self.unlisted, self.legacy)


_EVENTS = models.table(models.AuditEvent)
_HEAD = models.table(models.AuditHead)
_FIELDS: tuple[str, ...] = ("seq", "at", "actor_id", "actor_role", "action", "entity")
_FIELDS += ("entity_id", "old", "new", "reason")
_ROWS = select(_EVENTS).order_by(_EVENTS.c.seq).execution_options(yield_per=2000)
_HEAD_ROW = select(_HEAD.c.seq, _HEAD.c.hash, _HEAD.c.legacy_seq).where(_HEAD.c.id == 1)


def verify(session: Session, *, anchors: Sequence[Anchor] = ()) -> Verdict:
    """Every broken event of the chain (and every anchor it no longer holds)."""
    head = session.execute(_HEAD_ROW).first()
    walk = _Walk(
        session.info,
        legacy_seq=head.legacy_seq if head is not None else 0,
        anchors={a.seq: a.mac for a in anchors},
    )
    for row in session.execute(_ROWS):
        walk.step(row)
    walk.finish(head)
    return walk.verdict()
