"""Remembered ("trusted") devices: the bounds, stated once (services/trusted_devices.py and
device_management.py, the pages and the API call these; docs/trusted-devices.md explains them).

A remembered device holds a long-lived random credential (a cookie); a short PIN opens it. The
PIN is a local activation secret, worth something only together with that credential, so it
may be shorter than a password, as NIST SP 800-63B lets an activation secret be; like its
verifiers, we refuse values that are trivially guessed (one digit repeated, a run such as 1234,
a short pattern repeated, the most common PINs) and limit the attempts. Every number here is an
alsrx default (not a clinical rule), chosen for people whose hands tire quickly:

- PIN_DIGITS 4 to 8: a phone lock screen's range; 4 digits are quick to type with weak hands,
  and the lock below leaves a thief MAX_FAILED_PINS tries out of ~10,000.
- MAX_FAILED_PINS 5: wrong PINs in a row before the device credential is locked for good
  (modelled on phone lock screens); a right PIN resets the count. Unlocking is a new password
  sign-in and remembering the device again, never more tries.
- DEVICE_LIFETIME 180 days: a lost or forgotten device stops working on its own.
- MAX_DEVICES 5: live remembered devices per person (phone, tablet, a family computer ...).
- FRESH_SIGN_IN 15 minutes: a device can be remembered only this soon after a password sign-in
  (never after a PIN sign-in), so a session left open cannot mint new long-lived credentials.
"""

from __future__ import annotations

import datetime as dt
import itertools

from alsrx.errors import FieldError

PIN_DIGITS = (4, 8)  # alsrx default (phone lock screens)
MAX_FAILED_PINS = 5  # alsrx default (phone lock screens)
DEVICE_LIFETIME = dt.timedelta(days=180)  # alsrx default
MAX_DEVICES = 5  # alsrx default
FRESH_SIGN_IN = dt.timedelta(minutes=15)  # alsrx default
LABEL_MAX = 100  # trusted_devices.label is String(100)
ROLES = ("patient", "caregiver")  # clinicians and admins keep the full sign-in (and MFA)

# Throttles across attempts (services/throttle.py counters, 15-minute windows), alsrx defaults:
# per device, more than the lock allows (the lock is the real bound; this slows a script);
# per address, across devices, so a thief with several devices' cookies is slowed too.
DEVICE_ATTEMPTS_PER_WINDOW = 10
ADDRESS_ATTEMPTS_PER_WINDOW = 20

# The most common 4-digit PINs in a published analysis of 3.4 million PINs (N. Berry,
# DataGenetics, "PIN analysis", 2012): its top 20, with 2580 (the keypad's middle column).
COMMON_PINS = frozenset(
    {
        "1234", "1111", "0000", "1212", "7777", "1004", "2000", "4444", "2222", "6969",
        "9999", "3333", "5555", "6666", "1122", "1313", "8888", "4321", "2001", "1010",
        "2580", "123456", "654321", "111111", "000000", "12345678", "87654321",
    }
)  # fmt: skip

ACTIVE, LOCKED, REVOKED, EXPIRED = "active", "locked", "revoked", "expired"
STATUSES = (ACTIVE, LOCKED, REVOKED, EXPIRED)


def _is_run(pin: str) -> bool:
    """Each digit one more (or one less) than the last: 1234, 6543, 0123, 3210."""
    steps = {int(b) - int(a) for a, b in itertools.pairwise(pin)}
    return steps in ({1}, {-1})


def _is_repeated_pattern(pin: str) -> bool:
    """A shorter block repeated: 1111, 1212, 123123, 12341234."""
    return any(
        len(pin) % size == 0 and pin == pin[:size] * (len(pin) // size)
        for size in range(1, len(pin) // 2 + 1)
    )


def too_easy(pin: str) -> bool:
    return pin in COMMON_PINS or _is_run(pin) or _is_repeated_pattern(pin)


def pin_errors(pin: str, *, field: str = "pin") -> list[FieldError]:
    """What is wrong with a new PIN (none when it may be used): 4-8 ASCII digits, not too easy
    to guess."""
    low, high = PIN_DIGITS
    if not (pin.isascii() and pin.isdigit() and low <= len(pin) <= high):
        return [FieldError(field, "pin_digits", {"min": low, "max": high})]
    if too_easy(pin):
        return [FieldError(field, "pin_too_easy", {})]
    return []


def pin_shape_ok(pin: str) -> bool:
    """A PIN typed at sign-in could be one (the blocklist is for new PINs only)."""
    low, high = PIN_DIGITS
    return pin.isascii() and pin.isdigit() and low <= len(pin) <= high


def label_errors(label: str, *, field: str = "label") -> list[FieldError]:
    if not 1 <= len(label.strip()) <= LABEL_MAX:
        return [FieldError(field, "text_length", {"min": 1, "max": LABEL_MAX})]
    return []


def status(
    *,
    now: dt.datetime,
    expires_at: dt.datetime,
    locked_at: dt.datetime | None,
    revoked_at: dt.datetime | None,
) -> str:
    """The device's state in one word; revoked wins over locked, locked over expired."""
    if revoked_at is not None:
        return REVOKED
    if locked_at is not None:
        return LOCKED
    if expires_at <= now:
        return EXPIRED
    return ACTIVE


def attempts_left(failed_attempts: int) -> int:
    return max(0, MAX_FAILED_PINS - failed_attempts)


def is_fresh(signed_in_at: dt.datetime, now: dt.datetime) -> bool:
    """A password sign-in recent enough to remember the device it happened on."""
    return dt.timedelta(0) <= now - signed_in_at <= FRESH_SIGN_IN
