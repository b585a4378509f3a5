"""Per-export date shifting, for data-use agreements that need dates rather than intervals.

Every date of one patient moves back by the same number of days, 0 to 364, so intervals within
a patient (visit spacing, time since onset) are kept exactly while calendar dates no longer
match other records. The shift is derived, not stored: HMAC-SHA256 (RFC 2104; FIPS 180-4) of
the research id under a secret drawn for the export. The same secret and id always give the same
shift; without the secret the shift cannot be recomputed, and a new export with a new secret
shifts everyone afresh. (REDCap's de-identified export likewise shifts each record's dates by
0 to 364 days.)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass, field
from typing import TypeVar

MAX_SHIFT_DAYS = 364  # 0..364 days: under a year, so an age moves by at most one year
MIN_SECRET_BYTES = 16  # 128 bits: not guessable by trying secrets against known dates
# Domain separation: an HMAC under this export secret for any other purpose never collides.
CONTEXT = b"alsrx.dateshift.v1\x00"

D = TypeVar("D", bound=dt.date)


@dataclass(frozen=True)
class DateShift:
    """The date shift of one export. The secret is kept out of repr."""

    secret: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.secret, bytes) or len(self.secret) < MIN_SECRET_BYTES:
            raise ValueError(f"secret must be at least {MIN_SECRET_BYTES} bytes")

    def days(self, research_id: str) -> int:
        """The patient's shift in days, 0 to 364."""
        if not research_id:
            raise ValueError("research_id must not be empty")
        digest = hmac.new(self.secret, CONTEXT + research_id.encode(), hashlib.sha256).digest()
        # 64 bits reduced mod 365: the bias is below 365 / 2**64, far beneath any use.
        return int.from_bytes(digest[:8], "big") % (MAX_SHIFT_DAYS + 1)

    def apply(self, research_id: str, value: D) -> D:
        """The date (or datetime) moved back by the patient's shift."""
        shifted: D = value - dt.timedelta(days=self.days(research_id))
        return shifted
