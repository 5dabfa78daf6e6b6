"""What every public route shares: ETag and Cache-Control, JSON errors, query parameters.

Every public GET answers with a strong ETag (a digest of the body) and ``Cache-Control``; a
request whose ``If-None-Match`` names the current ETag gets ``304 Not Modified``. Answers are
kept in the app's :class:`ResponseCache` while the stream's head stays the same. Bad query
parameters raise :class:`InvalidInput` and unknown things :class:`NotFound`; the middleware
turns them into ``400``/``404`` with a JSON body ``{"error": …, "detail": …}``.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.domain.errors import InvalidInput, NotFound
from bot.web.cache import Build, Cached
from bot.web.site import SITE_KEY

MAX_AGE = 60  # seconds a cache may keep a public answer without asking again
JSON = "application/json; charset=utf-8"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def json_bytes(data: Any) -> bytes:
    """Compact UTF-8 JSON."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _matches(request: web.Request, etag: str) -> bool:
    wanted = request.headers.get("If-None-Match", "")
    if wanted.strip() == "*":
        return True
    # Weak validators (W/"…") match too: If-None-Match uses the weak comparison.
    return etag in {tag.strip().removeprefix("W/") for tag in wanted.split(",")}


async def respond(
    request: web.Request,
    build: Build,
    *,
    key: str | None = None,
    vary: str | None = None,
    head: int | None = None,
) -> web.Response:
    """The answer ``build`` makes (or the cached one) with ETag and Cache-Control, or 304.

    ``key`` names the answer in the cache (default: path and query); include in it whatever
    else the answer depends on, such as the negotiated language. ``head``: the stream's head
    when the caller has already read it (:meth:`ResponseCache.head`).
    """
    entry = await request.app[SITE_KEY].cache.get(key or request.path_qs, build, head=head)
    return answered(request, entry, vary=vary)


def answered(request: web.Request, entry: Cached, *, vary: str | None = None) -> web.Response:
    """``entry`` with its ETag and Cache-Control, or 304 when the client has it already."""
    headers = {"ETag": entry.etag, "Cache-Control": f"public, max-age={MAX_AGE}"}
    if vary:
        headers["Vary"] = vary
    if _matches(request, entry.etag):
        return web.Response(status=304, headers=headers)
    return web.Response(body=entry.body, headers={**headers, "Content-Type": entry.content_type})


def error_json(status: int, error: str, detail: str, **extra: Any) -> web.Response:
    """An error as JSON: ``{"error": "bad_parameter", "detail": "…"}``."""
    body = {"error": error, "detail": detail, **extra}
    return web.Response(
        body=json_bytes(body), status=status,
        headers={"Content-Type": JSON, "Cache-Control": "no-store"},
    )


def int_parameter(
    request: web.Request, name: str, default: int, *, minimum: int, maximum: int
) -> int:
    """A whole number from the query string, within bounds, or :class:`InvalidInput`."""
    raw = request.query.get(name)
    if raw is None:
        return default
    if not raw.isascii() or not raw.lstrip("-").isdigit():
        raise InvalidInput(name, "must be a whole number")
    value = int(raw)
    if not minimum <= value <= maximum:
        raise InvalidInput(name, f"must be between {minimum} and {maximum}")
    return value


def text_parameter(request: web.Request, name: str, *, max_length: int = 200) -> str | None:
    """A short text from the query string (None when absent), or :class:`InvalidInput`."""
    raw = request.query.get(name)
    if raw is not None and (not raw or len(raw) > max_length):
        raise InvalidInput(name, f"must be 1-{max_length} characters")
    return raw


@web.middleware
async def public_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Domain errors of the public routes as JSON: 400 for bad input, 404 for unknown things."""
    try:
        return await handler(request)
    except InvalidInput as error:
        return error_json(400, "bad_parameter", error.reason, parameter=error.field)
    except NotFound as error:
        return error_json(404, "not_found", str(error))
