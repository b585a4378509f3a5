"""Every API route declares who may call it; the declaration is enforced and testable.

`endpoint(...)` registers a route with its roles (function-level access, ASVS 8.2.1) and the
kind of object it reaches (`scope`, whose object-level checks live in services/access.py). The
declaration is published in the route's OpenAPI entry as `x-alsrx-access`, and the access-matrix
test builds its role x endpoint x ownership table from it: a route without one fails the test.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Depends, Request

from alsrx.errors import PermissionDenied
from alsrx.services.actor import Actor
from alsrx.web import deps

PUBLIC = "public"
SCOPES = ("none", "centre", "patient", "assessment", "prescription", "user", "research")


def _guard(roles: tuple[str, ...]) -> Callable[[Request], Awaitable[Actor | None]]:
    async def guard(request: Request) -> Actor | None:
        deps.refuse_control_characters(request)
        deps.require_json(request)
        if roles == (PUBLIC,):
            return None
        actor = await deps.blocking(request, deps.authenticate, request)
        if actor.role not in roles:
            raise PermissionDenied(f"role {actor.role} may not call this endpoint")
        return actor

    return guard


def endpoint(
    router: APIRouter,
    method: str,
    path: str,
    *,
    roles: tuple[str, ...],
    scope: str,
    body_schema: dict[str, Any] | None = None,
    status_code: int = 200,
    summary: str | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    assert scope in SCOPES, scope
    extra: dict[str, Any] = {"x-alsrx-access": {"roles": list(roles), "scope": scope}}
    if body_schema is not None:
        extra["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": body_schema}},
        }
    return router.api_route(
        path,
        methods=[method],
        status_code=status_code,
        dependencies=[Depends(_guard(roles))],
        openapi_extra=extra,
        summary=summary,
    )


def access_of(route: Any) -> dict[str, Any] | None:
    extra = getattr(route, "openapi_extra", None) or {}
    return extra.get("x-alsrx-access")
