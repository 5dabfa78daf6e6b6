"""One client cannot take the web server down: caps, one live-stream poller, time-outs, limits.

The webhook, the health check and every bot handler share the process with the public pages;
these tests play the client who opens too many streams, dribbles its headers or asks too fast.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.app import Heimbote
from bot.logs import RepeatFilter
from bot.metrics import Metrics
from bot.services.stream import events as stream
from bot.web import build_web_app
from bot.web.guard import ConnectionGuard, GuardedRunner, Limits, RateLimiter
from bot.web.live import LIVE_KEY
from tests import review_seed

LIVE = "/api/v1/stream/live"
StartBot = Callable[..., Awaitable[Heimbote]]


@asynccontextmanager
async def serving(limits: Limits) -> AsyncIterator[tuple[str, web.Application, ConnectionGuard]]:
    """The public web app behind the connection guard, on a free port: its base URL."""
    app = build_web_app(Metrics(), limits=limits)
    guard = ConnectionGuard(limits, limits.max_connections)
    runner = GuardedRunner(app, guard, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    host, port = runner.addresses[0][:2]
    try:
        yield f"http://{host}:{port}", app, guard
    finally:
        await runner.cleanup()


async def first_line(response: aiohttp.ClientResponse) -> bytes:
    return await asyncio.wait_for(response.content.readline(), 10)


async def test_every_live_stream_is_fed_by_one_poller(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = await review_seed.facility()
    reads: list[int] = []
    events_after = stream.events_after

    async def counted(after: int, limit: int) -> list[dict[str, Any]]:
        reads.append(after)
        return await events_after(after, limit)

    monkeypatch.setattr(stream, "events_after", counted)
    limits = Limits(live_streams_per_ip=50)
    async with serving(limits) as (url, app, _), aiohttp.ClientSession() as session:
        streams = [await session.get(url + LIVE) for _ in range(20)]
        for live in streams:
            assert await first_line(live) == b"retry: 2000\n"
        await review_seed.publish(home, 4)
        for live in streams:
            lines = [await first_line(live) for _ in range(2)]
            if lines[0] == b"\n":  # the blank line after "retry"
                lines = [lines[1], await first_line(live)]
            assert lines == [b"id: 1\n", b"event: review.published\n"]
        # Twenty clients, and the table was read only by the poller: once per poll.
        assert len(reads) == app[LIVE_KEY].polls
        for live in streams:
            live.close()


async def test_past_the_caps_a_live_stream_gets_503_with_retry_after(db: str) -> None:
    await review_seed.facility()
    limits = Limits(live_streams=3, live_streams_per_ip=2)
    async with serving(limits) as (url, app, _), aiohttp.ClientSession() as session:
        first, second = [await session.get(url + LIVE) for _ in range(2)]
        refused = await session.get(url + LIVE)
        assert (refused.status, refused.headers["Retry-After"]) == (503, "30")
        assert refused.headers["Connection"].lower() == "close"  # it keeps no connection
        assert (await refused.json())["error"] == "busy"
        first.close()
        for _ in range(100):  # the server notices the client left
            if app[LIVE_KEY].clients < 2:
                break
            await asyncio.sleep(0.02)
        again = await session.get(url + LIVE)
        assert again.status == 200
        assert (await session.get(url + "/healthz")).status == 200  # the rest still answers
        again.close()
        second.close()


async def test_a_client_that_dribbles_its_headers_is_cut_off(db: str) -> None:
    async with serving(Limits(head_timeout=0.3)) as (url, _, guard):
        host, port = url.removeprefix("http://").split(":")
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # and never the blank line
        await writer.drain()
        assert await asyncio.wait_for(reader.read(), 5) == b""  # closed, without an answer
        writer.close()
        assert guard.timed_out == 1
        async with aiohttp.ClientSession() as session:  # a whole request is served
            assert (await session.get(url + "/healthz")).status == 200


async def test_connections_past_the_cap_from_one_address_are_closed_at_once(db: str) -> None:
    async with serving(Limits(max_per_ip=2, head_timeout=30)) as (url, _, guard):
        host, port = url.removeprefix("http://").split(":")
        held = [await asyncio.open_connection(host, int(port)) for _ in range(2)]
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            answer = await asyncio.wait_for(reader.read(), 5)
        except ConnectionResetError:  # aborted: usually a reset rather than a polite close
            answer = b""
        assert answer == b""
        assert guard.refused == 1
        for _, held_writer in [*held, (reader, writer)]:
            held_writer.close()


async def test_asking_too_fast_gets_429_but_health_and_the_webhook_are_not_limited(
    db: str,
) -> None:
    await review_seed.facility()
    limits = Limits(requests_per_second=0.5, burst=3)
    async with serving(limits) as (url, _, _), aiohttp.ClientSession() as session:
        answers = [await session.get(url + "/api/v1/facilities") for _ in range(4)]
        assert [a.status for a in answers] == [200, 200, 200, 429]
        assert answers[-1].headers["Retry-After"] == "2"
        assert answers[-1].headers["Connection"].lower() == "close"
        assert (await answers[-1].json())["error"] == "too_many_requests"
        assert {(await session.get(url + "/healthz")).status for _ in range(10)} == {200}


def test_the_token_bucket_refills_at_the_rate() -> None:
    limiter = RateLimiter(rate=2.0, burst=2)
    assert [limiter.wait("a", now=0.0) for _ in range(3)] == [0.0, 0.0, 0.5]
    assert limiter.wait("b", now=0.0) == 0.0  # another address has its own bucket
    assert limiter.wait("a", now=1.0) == 0.0
    assert RateLimiter(rate=0, burst=1).wait("a") == 0.0  # 0: no limit


async def test_the_public_site_on_its_own_listener_has_no_metrics(start_bot: StartBot) -> None:
    heimbote = await start_bot(public_port=0)
    async with aiohttp.ClientSession() as session:
        private = f"http://127.0.0.1:{heimbote.http_port}"
        public = f"http://127.0.0.1:{heimbote.public_port}"
        assert (await session.get(public + "/metrics")).status == 404
        assert (await session.get(public + "/api/v1/facilities")).status == 200
        assert (await session.get(public + "/healthz")).status == 200
        assert (await session.get(private + "/metrics")).status == 200
        assert (await session.get(private + "/api/v1/facilities")).status == 404


def test_a_repeating_log_line_is_held_back_and_counted() -> None:
    moments = iter([0.0, 1.0, 2.0, 3.0, 4.0, 61.0])
    repeats = RepeatFilter(burst=2, window=60.0, clock=lambda: next(moments))

    def record(message: str) -> logging.LogRecord:
        return logging.LogRecord("asyncio", logging.ERROR, __file__, 1, message, None, None)

    lines = [record("socket.accept() out of system resource") for _ in range(5)]
    assert [repeats.filter(line) for line in lines] == [True, True, False, False, False]
    later = record("socket.accept() out of system resource")
    assert repeats.filter(later)
    assert later.getMessage().endswith("(3 similar lines held back)")
