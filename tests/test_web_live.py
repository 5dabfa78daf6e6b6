"""The live stream (``bot/web/live.py``) served by ``aiohttp-sse``: what a client leaving, a quiet
stream and a new event look like on the wire and in the log."""

from __future__ import annotations

import asyncio
import logging

import aiohttp
import pytest

from bot.web import live
from bot.web.guard import Limits
from bot.web.live import LIVE_KEY
from tests import review_seed
from tests.test_web_availability import LIVE, first_line, serving


async def _until(condition: object, tries: int = 200) -> None:
    for _ in range(tries):
        if callable(condition) and condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the server did not get there")


async def test_a_client_that_leaves_is_let_go_without_a_traceback(
    db: str, caplog: pytest.LogCaptureFixture
) -> None:
    home = await review_seed.facility()
    caplog.set_level(logging.DEBUG)
    async with serving(Limits()) as (url, app, _), aiohttp.ClientSession() as session:
        for _ in range(3):  # a tab closed, reloaded, closed again
            stream = await session.get(url + LIVE)
            assert await first_line(stream) == b"retry: 2000\n"
            stream.close()
        await review_seed.publish(home, 4)  # written to whoever is still there: nobody
        await _until(lambda: app[LIVE_KEY].clients == 0)
        await asyncio.sleep(2 * live.POLL_SECONDS)
    tracebacks = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert tracebacks == []


async def test_a_quiet_stream_gets_a_comment_and_then_the_event(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = await review_seed.facility()
    monkeypatch.setattr(live, "KEEPALIVE_SECONDS", 0.2)
    async with serving(Limits()) as (url, _, _guard), aiohttp.ClientSession() as session:
        stream = await session.get(url + LIVE)
        assert stream.headers["Content-Type"] == "text/event-stream; charset=utf-8"
        assert stream.headers["Cache-Control"] == "no-cache"
        assert [await first_line(stream) for _ in range(2)] == [b"retry: 2000\n", b"\n"]
        assert await first_line(stream) == b": ping\n"  # keeps proxies from closing it
        await review_seed.publish(home, 5)
        lines = [await first_line(stream) for _ in range(6)]
        event = [line for line in lines if not line.startswith(b":") and line != b"\n"][:3]
        assert event[:2] == [b"id: 1\n", b"event: review.published\n"]
        assert event[2].startswith(b'data: {"seq":1,')
        stream.close()
