"""Password policy, hashing and verification (ASVS v5.0.0 6.2 and 11.4.2).

Policy: at least 12 characters (6.2.1), up to 128 so that passphrases fit (6.2.9, >= 64), any
characters, no composition rules (6.2.5), and none of the 30,000 common passwords that zxcvbn
ships (6.2.4: the list of a maintained package, compared case-insensitively). Existing
accounts keep their passwords: the policy applies when a password is set.

Hashes: argon2id with argon2-cffi's defaults (RFC 9106 profile). `verify_or_dummy` runs argon2
against a fixed dummy hash when there is no account, so that a wrong username takes as long as
a wrong password and sign-in does not reveal which usernames exist.
"""

from __future__ import annotations

import functools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from alsrx.errors import FieldError, InvalidInput

MIN_LENGTH = 12
MAX_LENGTH = 128
_hasher = PasswordHasher()


@functools.cache
def _common() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(word.lower() for word in FREQUENCY_LISTS["passwords"])


@functools.cache
def _dummy_hash() -> str:
    return _hasher.hash("no account has this password: it only spends the same time")


def policy_errors(password: str, *, field: str = "password") -> list[FieldError]:
    """What is wrong with a new password, as field errors (none when it may be used)."""
    if len(password) < MIN_LENGTH:
        return [FieldError(field, "password_too_short", {"min": MIN_LENGTH})]
    if len(password) > MAX_LENGTH:
        return [FieldError(field, "password_too_long", {"max": MAX_LENGTH})]
    if password.lower() in _common():
        return [FieldError(field, "password_common", {})]
    return []


def check(password: str, *, field: str = "password") -> None:
    errors = policy_errors(password, field=field)
    if errors:
        raise InvalidInput(errors)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def verify_or_dummy(stored: str | None, password: str) -> bool:
    """Verify against the stored hash, or spend the same time on a dummy one and fail."""
    if stored is None:
        verify(_dummy_hash(), password)
        return False
    return verify(stored, password)
