"""The one exception tree of alsrx.

    AlsrxError
     +-- InvalidInput        input outside what a field allows; carries FieldError items
     +-- NotFound            the object does not exist or the caller may not know it does
     +-- Conflict            a duplicate, or a request still in progress
     |    +-- PreconditionFailed   If-Match names a version that is no longer current
     +-- PreconditionRequired  an update sent without If-Match
     +-- PermissionDenied    the caller may know the object but may not do this
     +-- Unauthenticated     no valid credentials
     |    +-- MfaRequired      the password was right; a TOTP or recovery code must follow
     +-- TooManyRequests     rate limit reached; carries retry_after (seconds)
     +-- UnsupportedMediaType  a body that is not the declared type (JSON)
     +-- ServiceUnavailable  the database is locked by someone else; retry_after (seconds)
     +-- Misconfigured       the deployment lacks what the operation needs (e.g. the audit key)

Edges map it once: the CLI to exit codes, the web app to HTTP status codes. Messages are built
from a code and parameters so that the edge can translate them; nothing here speaks a language.
Clinical findings (red flags, contraindications) are never raised: they are returned values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldError:
    """One invalid field: its dotted path, a message code and the parameters of the message.

    Codes (each has a translated template at the edge): required, not_allowed, wrong_type,
    out_of_range, not_one_of, exactly_one_of, in_future, not_before, bad_date, bad_json,
    text_length, length, digits, password_too_short, password_too_long, password_common,
    wrong_password, wrong_code, mfa_not_pending; fhir_* for a FHIR import's entries
    (render/messages.py).
    """

    path: str
    code: str
    params: Mapping[str, object] = field(default_factory=dict)


class AlsrxError(Exception):
    """Root of every error alsrx raises on purpose."""

    code = "error"


class InvalidInput(AlsrxError):
    code = "invalid_input"

    def __init__(self, errors: Sequence[FieldError]) -> None:
        self.errors: tuple[FieldError, ...] = tuple(errors)
        super().__init__("; ".join(f"{e.path}: {e.code} {dict(e.params)}" for e in self.errors))


class NotFound(AlsrxError):
    code = "not_found"


class Conflict(AlsrxError):
    code = "conflict"


class PreconditionFailed(Conflict):
    code = "precondition_failed"


class PreconditionRequired(AlsrxError):
    """An update without If-Match: refused, so that no edit silently overwrites another."""

    code = "precondition_required"


class PermissionDenied(AlsrxError):
    code = "permission_denied"


class Unauthenticated(AlsrxError):
    code = "unauthenticated"


class MfaRequired(Unauthenticated):
    code = "mfa_required"


class TooManyRequests(AlsrxError):
    code = "too_many_requests"

    def __init__(self, message: str = "", *, retry_after: int = 60) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)


class UnsupportedMediaType(AlsrxError):
    code = "unsupported_media_type"


class ServiceUnavailable(AlsrxError):
    """A transient condition outside this request (another process holds the SQLite write
    lock): the client should retry after `retry_after` seconds."""

    code = "service_unavailable"

    def __init__(self, message: str = "", *, retry_after: int = 2) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)


class Misconfigured(AlsrxError):
    """A deployment fault, not the caller's: e.g. an audit event to write and no key to MAC it."""

    code = "misconfigured"
