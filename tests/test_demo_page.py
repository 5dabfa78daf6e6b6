"""The demo page's server without a browser: live events, tappable words, the favicon, the
platform moderator."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.demo.runner import Demo, DemoOptions


@pytest.fixture
async def demo(database_url: str) -> AsyncIterator[Demo]:
    """The demo in this process, on the test database."""
    running = Demo(DemoOptions(port=0, fresh=True, database_url=database_url))
    await running.start()
    yield running
    await running.stop()


def _root(demo: Demo) -> str:
    return demo.url.removesuffix("/demo")


async def _first_event(response: aiohttp.ClientResponse) -> bytes:
    while True:
        line = await asyncio.wait_for(response.content.readline(), 10)
        if line.startswith(b"data: "):
            return line


async def test_a_closed_or_reloaded_tab_leaves_no_traceback(
    demo: Demo, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with aiohttp.ClientSession() as session:
        for _ in range(3):  # open, reload, reload
            events = await session.get(f"{_root(demo)}/demo/api/events")
            assert events.headers["Content-Type"].startswith("text/event-stream")
            assert (await _first_event(events)).startswith(b"data: ")
            events.close()
        for _ in range(3):  # something changes: the streams of the closed tabs notice it
            demo.tg.signal.notify()
            await asyncio.sleep(0.2)
        still_open = await session.get(f"{_root(demo)}/demo/api/events")
        await _first_event(still_open)
        await demo.stop()  # and the demo stops while a tab listens: its stream ends
        await asyncio.wait_for(still_open.content.read(), 5)  # to its end, not a time-out
        still_open.close()
    tracebacks = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert tracebacks == [], [r.getMessage() for r in tracebacks]
