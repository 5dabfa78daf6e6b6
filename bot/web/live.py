"""``GET /api/v1/stream/live``: new stream events as Server-Sent Events.

Each event is ``id: <seq>``, ``event: <kind>``, ``data: <the event as JSON>``. A client that
reconnects sends ``Last-Event-ID`` (browsers do it by themselves) and continues after it;
without it, ``?after=SEQ`` says where to start, and without either only new events come.
The table is polled every half second (one indexed query per connection); a comment line
every 15 seconds keeps proxies from closing an idle connection. On server shutdown the
stream ends cleanly.
"""

from __future__ import annotations

import asyncio
import contextlib
import json

from aiohttp import web

from bot.domain.errors import InvalidInput
from bot.services.stream import events as stream
from bot.web.responses import int_parameter
from bot.web.site import SITE_KEY

POLL_SECONDS = 0.5
KEEPALIVE_SECONDS = 15.0
BATCH = 100
MAX_SEQ = 2**31 - 1


def _start_after(request: web.Request) -> int | None:
    resume = request.headers.get("Last-Event-ID")
    if resume is not None and resume.strip():
        value = resume.strip()
        if not value.isascii() or not value.isdigit() or int(value) > MAX_SEQ:
            raise InvalidInput("Last-Event-ID", "must be the seq of an event")
        return int(value)
    if "after" in request.query:
        return int_parameter(request, "after", 0, minimum=0, maximum=MAX_SEQ)
    return None


def sse_message(event: dict[str, object]) -> bytes:
    """One event in the text/event-stream format."""
    data = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
    return f"id: {event['seq']}\nevent: {event['kind']}\ndata: {data}\n\n".encode()


async def live_stream(request: web.Request) -> web.StreamResponse:
    """Send events as they are appended, until the client leaves or the server stops."""
    after = _start_after(request)
    if after is None:
        after = await stream.last_seq()
    closing = request.app[SITE_KEY].closing
    response = web.StreamResponse(headers={
        "Content-Type": "text/event-stream; charset=utf-8",
        "Cache-Control": "no-cache",
        "X-Accel-Buffering": "no",  # nginx: pass events on at once
    })
    await response.prepare(request)
    await response.write(b"retry: 2000\n\n")
    try:
        await _follow(response, after, closing)
    except ConnectionResetError:  # the client left
        return response
    with contextlib.suppress(ConnectionResetError):
        await response.write_eof()
    return response


async def _follow(response: web.StreamResponse, after: int, closing: asyncio.Event) -> None:
    idle = 0.0
    while not closing.is_set():
        events = await stream.events_after(after, BATCH)
        for event in events:
            await response.write(sse_message(event))
            after = int(event["seq"])
        if len(events) == BATCH:
            continue  # catching up: no pause
        idle = 0.0 if events else idle + POLL_SECONDS
        if idle >= KEEPALIVE_SECONDS:
            await response.write(b": keep-alive\n\n")
            idle = 0.0
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(closing.wait(), POLL_SECONDS)
