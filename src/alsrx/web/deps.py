"""Request-scoped helpers: the caller's identity, transactions, request bodies, headers."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from fastapi import Request
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from alsrx.db.session import transaction
from alsrx.errors import FieldError, InvalidInput, Unauthenticated
from alsrx.intake import schema as schema_mod
from alsrx.intake import wire
from alsrx.services import accounts
from alsrx.services.actor import Actor
from alsrx.settings import Settings

SESSION_COOKIE = "alsrx_session"
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


def authenticate(request: Request) -> Actor:
    """The caller, from a Bearer token or a browser session cookie; 401 otherwise."""
    cached = getattr(request.state, "actor", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    token, kind = bearer_token(request), None
    if token is None:
        token, kind = request.cookies.get(SESSION_COOKIE), "session"
    if not token:
        raise Unauthenticated("sign in or send Authorization: Bearer <token>")
    # A plain connection, not an ORM session: this runs before every authenticated request.
    with request.app.state.engine.connect() as conn:
        actor = accounts.actor_for_token(conn, token, kind=kind)
    if actor is None:
        raise Unauthenticated("the token is unknown, expired or revoked")
    request.state.actor = actor
    request.state.lang = actor.lang
    return actor


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
