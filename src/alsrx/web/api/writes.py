"""The write path of a POST: one transaction, honouring Idempotency-Key.

The response is encoded inside the transaction, before the commit: a body that cannot be
encoded fails the request and rolls it back. Encoded after the commit, such a body answered
500 for a record already stored, and the client's retry stored it twice."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from alsrx.db.group_commit import GroupCommit
from alsrx.services import idempotency
from alsrx.services.actor import Actor
from alsrx.web import deps

Work = Callable[[Session], tuple[int, dict[str, Any], dict[str, str]]]


async def run(request: Request, actor: Actor, work: Work) -> JSONResponse:
    """Run the work inside one transaction: on SQLite in the open group commit (inline, see
    db/group_commit.py), its Idempotency-Key claimed in the same savepoint; on PostgreSQL in a
    worker thread (see deps.blocking), a key claimed in a transaction of its own first."""
    raw = await request.body()
    group: GroupCommit | None = request.app.state.group_commit
    if group is None:
        return await deps.blocking(request, _run, request, actor, work, raw)
    key = request.headers.get("idempotency-key")
    if key is not None:
        digest = idempotency.request_hash(request.method, request.url.path, raw)
        work = _keyed(work, actor.user_id, key, digest)
    keyed_or_not = work

    def respond(session: Session) -> JSONResponse:
        return _response(*keyed_or_not(session))

    return await group.run(respond)


def _response(status: int, body: dict[str, Any], headers: dict[str, str]) -> JSONResponse:
    """The response, encoded now (JSONResponse encodes in its constructor)."""
    return JSONResponse(body, status, headers=headers)


def _keyed(work: Work, user_id: int, key: str, digest: str) -> Work:
    """The work preceded by its key's claim and followed by its completion, all in the one
    savepoint a group commit gives each write."""

    def keyed(session: Session) -> tuple[int, dict[str, Any], dict[str, str]]:
        replay = idempotency.claim_within(session, user_id=user_id, key=key, digest=digest)
        if replay is not None:
            return replay.status, replay.body, _replayed(replay)
        status, body, headers = work(session)
        idempotency.complete_within(
            session,
            user_id=user_id,
            key=key,
            digest=digest,
            status=status,
            body=body,
            headers=headers,
        )
        return status, body, headers

    return keyed


def _run(request: Request, actor: Actor, work: Work, raw: bytes) -> JSONResponse:
    key = request.headers.get("idempotency-key")
    if key is not None:
        digest = idempotency.request_hash(request.method, request.url.path, raw)
        replay = idempotency.claim(
            deps.factory(request), user_id=actor.user_id, key=key, digest=digest
        )
        if replay is not None:
            return JSONResponse(replay.body, replay.status, headers=_replayed(replay))
    try:
        with deps.write(request) as session:
            status, body, headers = work(session)
            if key is not None:
                idempotency.complete(
                    session,
                    user_id=actor.user_id,
                    key=key,
                    status=status,
                    body=body,
                    headers=headers,
                )
            response = _response(status, body, headers)
    except BaseException:
        if key is not None:
            idempotency.release(deps.factory(request), user_id=actor.user_id, key=key)
        raise
    return response


def _replayed(replay: idempotency.Replay) -> dict[str, str]:
    """The first response's headers (Location, ETag), marked as a replay."""
    return {**replay.headers, "Idempotent-Replayed": "true"}
