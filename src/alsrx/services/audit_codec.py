"""The audit event's fields: their bounds, their canonical form, and the MAC over it.

An event is MAC'd once, at append, and recomputed from the stored row by `verify`, so whatever
`append` accepts must read back from the database exactly as it was hashed: a number given as a
reason would come back from the Text column as a string and the event would look altered
forever. `check` therefore refuses, before anything is hashed, every field whose stored form
could differ: wrong types, text longer than its column, NUL (PostgreSQL text cannot hold it),
lone surrogates (not UTF-8), and `old`/`new` that are not JSON objects which survive a JSON
round trip unchanged (no NaN or Infinity, no non-string keys, no tuples or dates, bounded size).

Two MAC algorithms: "sha256" (sha256(prev + canonical), the chain before migration 0009, kept
verifiable) and "hmac-sha256" (HMAC-SHA256 under ALSRX_AUDIT_KEY, which the database does not
hold: someone who can rewrite rows cannot recompute it).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from alsrx.errors import FieldError, InvalidInput

LEGACY = "sha256"
KEYED = "hmac-sha256"
GENESIS = "0" * 64
REASON_MAX = 2000
JSON_MAX = 65_536  # characters of old or new, canonical: far above any record we keep
INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # the Integer column on PostgreSQL
TEXT_LIMITS = {"actor_role": 20, "action": 40, "entity": 40, "entity_id": 64, "reason": REASON_MAX}
REQUIRED_TEXT = ("action", "entity")


def canonical(event: dict[str, Any]) -> str:
    """The keyed chain's canonical JSON: strict (no NaN, no stand-ins for foreign types)."""
    return json.dumps(
        event, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def legacy_canonical(event: dict[str, Any]) -> str:
    """As the chain before 0009 serialised events; only for verifying those events."""
    return json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def legacy_hash(prev: str, event: dict[str, Any]) -> str:
    return hashlib.sha256((prev + legacy_canonical(event)).encode("utf-8")).hexdigest()


def keyed_mac(key: bytes, prev: str, text: str) -> str:
    return hmac.new(key, (prev + text).encode("utf-8"), hashlib.sha256).hexdigest()


def reason(value: object, *, path: str, required: bool) -> str | None:
    """A reason for a change (or a note standing for one), 1-2000 characters of text. The one
    rule for every service that records one, so the edge names the field it came in."""
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        code = "required" if value is None or isinstance(value, str) else "wrong_type"
        raise InvalidInput([FieldError(path, code, {"expected": "text"})])
    if len(value) > REASON_MAX:
        raise InvalidInput([FieldError(path, "text_length", {"min": 1, "max": REASON_MAX})])
    return value


def check(fields: dict[str, Any]) -> str:
    """Refuse (InvalidInput naming the field) what would not read back as stored; return the
    canonical JSON of the event, ready to MAC."""
    errors = [e for e in (_text_error(fields, name) for name in TEXT_LIMITS) if e]
    errors += [e for e in (_json_error(fields, name) for name in ("old", "new")) if e]
    actor_id = fields["actor_id"]
    if actor_id is not None and (type(actor_id) is not int or not INT_MIN <= actor_id <= INT_MAX):
        errors.append(FieldError("actor_id", "wrong_type", {"expected": "integer"}))
    if errors:
        raise InvalidInput(errors)
    text = canonical(fields)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput([FieldError("(event)", "invalid", {"detail": "not UTF-8"})]) from None
    return text


def _text_error(fields: dict[str, Any], name: str) -> FieldError | None:
    value = fields[name]
    if value is None:
        return FieldError(name, "required") if name in REQUIRED_TEXT else None
    if type(value) is not str:  # a str subclass could serialise differently from its value
        return FieldError(name, "wrong_type", {"expected": "text"})
    if not 0 < len(value) <= TEXT_LIMITS[name]:
        return FieldError(name, "text_length", {"min": 1, "max": TEXT_LIMITS[name]})
    if "\x00" in value:
        return FieldError(name, "control_character")
    return None


def _json_error(fields: dict[str, Any], name: str) -> FieldError | None:
    value = fields[name]
    if value is None:
        return None
    if type(value) is not dict:
        return FieldError(name, "wrong_type", {"expected": "object"})
    try:  # NaN and Infinity raise here; so do cycles; deep nesting raises RecursionError
        plain = _plain(value) and len(json.dumps(value, allow_nan=False)) <= JSON_MAX
    except (TypeError, ValueError, RecursionError):
        plain = False
    return None if plain else FieldError(name, "invalid", {"detail": "not plain JSON"})


def _plain(value: Any) -> bool:
    """Only the types JSON reads back as themselves: a tuple comes back a list, an int key a
    str, a str or int subclass (an enum) its base type, a date is not JSON at all."""
    kind = type(value)
    if kind is dict:
        return all(type(k) is str and _plain(v) for k, v in value.items())
    if kind is list:
        return all(_plain(v) for v in value)
    return kind in (str, int, float, bool) or value is None
