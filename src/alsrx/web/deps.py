"""Request-scoped helpers: the caller's identity, transactions, request bodies, headers."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from fastapi import Request
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from alsrx.db import models
from alsrx.db.session import transaction
from alsrx.errors import (
    FieldError,
    InvalidInput,
    PermissionDenied,
    ServiceUnavailable,
    Unauthenticated,
    UnsupportedMediaType,
)
from alsrx.intake import schema as schema_mod
from alsrx.intake import wire
from alsrx.services import api_tokens
from alsrx.services.actor import Actor
from alsrx.settings import Settings

# `__Host-` (RFC 6265bis): the browser accepts it only Secure, from this host, for path /, so a
# sibling subdomain cannot plant or overwrite it. It needs Secure, so plain-HTTP local demos
# (ALSRX_COOKIE_SECURE=false) keep the plain name.
SESSION_COOKIE = "alsrx_session"
SECURE_PREFIX = "__Host-"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
T = TypeVar("T")


def factory(request: Request) -> sessionmaker[Session]:
    return request.app.state.factory  # type: ignore[no-any-return]


def settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


async def blocking(request: Request, fn: Callable[..., T], *args: Any) -> T:
    """Run database work. On SQLite (one writer, local file, sub-millisecond statements) it runs
    inline: hopping to a worker thread costs more than the work and makes threads queue for the
    GIL and the write lock. On PostgreSQL it runs in a worker thread so network waits do not
    stall the event loop."""
    if request.app.state.engine.dialect.name == "sqlite":
        return fn(*args)
    return await run_in_threadpool(fn, *args)


def cookie_name(request: Request, name: str) -> str:
    return f"{SECURE_PREFIX}{name}" if settings(request).cookie_secure else name


def session_token(request: Request) -> str | None:
    return request.cookies.get(cookie_name(request, SESSION_COOKIE))


def csrf_for(request: Request, token: str) -> str:
    """HMAC(secret, SHA-256 of the session token): what forms and the cookie-authenticated
    API send back (ASVS 3.5.1); it cannot be made without the secret or read cross-site."""
    secret = settings(request).secret_key.encode()
    return hmac.new(secret, api_tokens.hash_token(token).encode(), hashlib.sha256).hexdigest()


def client_address(request: Request) -> str:
    """The TCP peer, or, when the peer is a trusted proxy, the last address it appended to
    X-Forwarded-For (anything further left was written by the client and proves nothing)."""
    peer = request.client.host if request.client else "unknown"
    if peer not in settings(request).trusted_proxies:
        return peer
    forwarded = request.headers.get("x-forwarded-for", "").split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(forwarded))
    except ValueError:
        return peer


def today() -> dt.date:
    return dt.date.today()


@contextmanager
def write(request: Request) -> Iterator[Session]:
    with transaction(factory(request), write=True) as session:
        yield session


@contextmanager
def read(request: Request) -> Iterator[Session]:
    with transaction(factory(request), write=False) as session:
        yield session


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


def authenticate(request: Request, *, kinds: tuple[str, ...] = ("session",)) -> Actor:
    """The caller, from a Bearer token or a browser session cookie (of one of `kinds`: pending
    sign-in steps name theirs); 401 otherwise. A cookie sent to an unsafe API method must come
    with X-CSRF-Token, or any site could make the browser send it."""
    cached = getattr(request.state, "actor", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    token = bearer_token(request)
    if token is not None:
        kinds = api_tokens.BEARER_KINDS
    else:
        token = session_token(request)
        _check_api_csrf(request, token)
    if not token:
        raise Unauthenticated("sign in or send Authorization: Bearer <token>")
    now = models.utcnow()
    idle = dt.timedelta(minutes=settings(request).session_idle_minutes)
    # A plain connection, not an ORM session: this runs before every authenticated request.
    with request.app.state.engine.connect() as conn:
        live = api_tokens.live_token(conn, token, kinds=kinds, idle=idle, now=now)
    if live is None:
        raise Unauthenticated("the token is unknown, expired or revoked")
    if live.touch:
        _touch(request, live.token_id, now)
    request.state.actor = live.actor
    request.state.token_kind = live.kind
    request.state.lang = live.actor.lang
    request.state.access_prefs = live.access_prefs  # the pages' switch and gaze settings
    return live.actor


def _check_api_csrf(request: Request, token: str | None) -> None:
    if not token or request.method in SAFE_METHODS or not request.url.path.startswith("/api/"):
        return
    sent = request.headers.get(CSRF_HEADER, "")
    if not hmac.compare_digest(sent, csrf_for(request, token)):
        raise PermissionDenied("a signed-in browser must send X-CSRF-Token with this request")


def _touch(request: Request, token_id: int, now: dt.datetime) -> None:
    """Write last-seen (at most once a minute per session, so reads stay reads). Skipped when
    another process holds the database: the request itself should not fail for it."""
    try:
        with write(request) as session:
            api_tokens.touch(session, token_id, now=now)
    except ServiceUnavailable:
        return


# FHIR's own JSON type is JSON too (and, like application/json, no form can send it).
JSON_MEDIA = frozenset({"application/json", "application/fhir+json"})


def require_json(request: Request) -> None:
    """An unsafe request with a body must declare it JSON (415 otherwise): a form or text/plain
    body is what a cross-site form can send without a preflight."""
    if request.method in SAFE_METHODS:
        return
    has_body = request.headers.get("content-length", "0") != "0" or (
        "transfer-encoding" in request.headers
    )
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if has_body and media not in JSON_MEDIA:
        raise UnsupportedMediaType("send the body as Content-Type: application/json")


async def json_body(request: Request) -> Any:
    return wire.loads(await request.body() or b"null")


async def documented_body(request: Request) -> Any:
    """The JSON body, checked against the schema the route publishes in its OpenAPI entry
    (web/policy.endpoint's `body_schema`), for routes whose services check no schema of their
    own: the lengths and types the API documents are the ones it enforces."""
    body = await json_body(request)
    extra = getattr(request.scope.get("route"), "openapi_extra", None) or {}
    schema = extra.get("requestBody", {}).get("content", {}).get("application/json", {})
    errors = schema_mod.document_errors(body, schema["schema"]) if "schema" in schema else []
    if errors:
        raise InvalidInput(errors)
    return body


def refuse_control_characters(request: Request) -> None:
    """Path parameters and the query string, checked before any route reads them."""
    errors = wire.pairs_errors(request.path_params.items()) + wire.pairs_errors(
        request.query_params.multi_items()
    )
    if errors:
        raise InvalidInput(errors)


def if_match(request: Request) -> int | None:
    """The version an If-Match header names ("3" or W/"3"), or None when absent."""
    raw = request.headers.get("if-match")
    if raw is None:
        return None
    found = _ETAG.fullmatch(raw.strip())
    if found is None:
        raise InvalidInput([FieldError("If-Match", "invalid", {"detail": 'an ETag such as "3"'})])
    return int(found.group(1) or found.group(2))


# ASCII digits only: str.isdigit() is true for "²", which int() then refuses. Nine digits at
# most: a version beyond that exists nowhere, and PostgreSQL's integer ends at 2**31 - 1.
_ETAG = re.compile(r'(?:W/)?(?:"([0-9]{1,9})"|([0-9]{1,9}))', re.ASCII)


def etag(version: int) -> str:
    return f'"{version}"'
