"""``/demo/api/events``: the page learns through Server-Sent Events that the fake Telegram changed.

Each event's data is the fake's change counter; the page then fetches the chat it shows. A burst
of changes makes one event. ``aiohttp-sse`` writes the format and a comment every 15 seconds
that keeps the connection open. A tab that closes or reloads ends its stream quietly: the loop
looks every second whether the browser is still there, and a write to one that just left is
not an error (no traceback in the terminal).
"""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING

from aiohttp import web
from aiohttp_sse import EventSourceResponse

from bot.sandbox.telegram import WaitTimeout
from bot.sandbox.telegram.signals import ChangeSignal

if TYPE_CHECKING:
    from bot.demo.runner import Demo

KEEPALIVE_SECONDS = 15.0
CHECK_SECONDS = 1.0  # how often a quiet stream looks whether its tab is still open
BURST_SECONDS = 0.05  # changes this close together make one event


def _moved_on(signal: ChangeSignal, seen: int) -> bool:
    return signal.version != seen


def _tab_gone(request: web.Request, response: EventSourceResponse) -> bool:
    transport = request.transport
    return transport is None or transport.is_closing() or not response.is_connected()


async def stream_changes(request: web.Request, demo: Demo) -> web.StreamResponse:
    """Send the change counter whenever it moves, until the tab leaves or the demo stops."""
    signal = demo.tg.signal
    response = EventSourceResponse(sep="\n", ping_interval=KEEPALIVE_SECONDS)
    await response.prepare(request)
    seen = -1
    try:
        async with response:  # ends the keep-alive pings with the stream
            while not demo.closing and not _tab_gone(request, response):
                if signal.version != seen:
                    seen = signal.version
                    await response.send(str(seen))
                try:
                    await signal.wait_for(partial(_moved_on, signal, seen), CHECK_SECONDS, str)
                    await asyncio.sleep(BURST_SECONDS)
                except WaitTimeout:
                    continue
    except (ConnectionResetError, TimeoutError):  # the tab left, or stopped reading
        pass
    return response
