"""Push delivery to a portal: signed, in order, retried with backoff, at least once."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web

from bot.app import Heimbote
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.models import AuditEntry, StreamSubscriber
from bot.services.accounts.actors import Actor
from bot.services.stream import events as stream
from bot.services.stream import push
from tests import review_seed
from tests.conftest import free_port

SECRET = "s3cret-shared-with-the-portal"
CLI = Actor.cli()


class Portal:
    """A review portal's receiver over real HTTP; it can refuse the first attempts."""

    def __init__(self, fail_first: int = 0) -> None:
        self.fail_first = fail_first
        self.attempts = 0
        self.batches: list[list[dict[str, Any]]] = []
        self.received = asyncio.Event()
        self.url = ""

    async def receive(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.attempts += 1
        expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        if request.headers.get("X-Heimbote-Signature") != expected:
            return web.Response(status=401)
        if self.attempts <= self.fail_first:
            return web.Response(status=503)
        self.batches.append(json.loads(body)["events"])
        self.received.set()
        return web.Response(status=204)

    @property
    def seqs(self) -> list[int]:
        return [event["seq"] for batch in self.batches for event in batch]


@pytest.fixture
async def serve_portal() -> AsyncIterator[Callable[[int], Awaitable[Portal]]]:
    runners: list[web.AppRunner] = []

    async def serve(fail_first: int = 0) -> Portal:
        portal = Portal(fail_first)
        app = web.Application()
        app.router.add_post("/heimbote", portal.receive)
        runner = web.AppRunner(app)
        await runner.setup()
        port = free_port()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        runners.append(runner)
        portal.url = f"http://127.0.0.1:{port}/heimbote"
        return portal

    yield serve
    for runner in runners:
        await runner.cleanup()


async def test_events_arrive_signed_in_order_after_a_failed_attempt(
    db: str, serve_portal: Callable[[int], Awaitable[Portal]]
) -> None:
    home = await review_seed.facility()
    for stars in (4, 1, 5):
        await review_seed.publish(home, stars)
    portal = await serve_portal(1)
    subscriber = await push.subscribe(CLI, portal.url, SECRET)

    start = dt.datetime.now(dt.UTC)
    assert await push.deliver_due(start) == 0  # the portal refused
    waiting = await StreamSubscriber.get(id=subscriber.id)
    assert (waiting.failures, waiting.delivered_seq, waiting.last_error) == (1, 0, "HTTP 503")
    assert waiting.next_attempt_at == start + dt.timedelta(seconds=2)
    assert await push.deliver_due(start + dt.timedelta(seconds=1)) == 0  # still backing off
    assert portal.attempts == 1

    assert await push.deliver_due(start + dt.timedelta(seconds=3)) == 3
    assert portal.seqs == [1, 2, 3]
    assert (await stream.verify(portal.batches[0])).ok
    caught_up = await StreamSubscriber.get(id=subscriber.id)
    assert (caught_up.failures, caught_up.delivered_seq, caught_up.next_attempt_at) == (0, 3, None)

    await review_seed.publish(home, 3)
    assert await push.deliver_due() == 1
    assert portal.seqs == [1, 2, 3, 4]


async def test_backoff_doubles_up_to_an_hour() -> None:
    assert [push.backoff(n).total_seconds() for n in (1, 2, 3, 10, 11, 12, 40)] == [
        2, 4, 8, 1024, 2048, 3600, 3600]


async def test_two_runs_at_once_send_each_batch_once(
    db: str, serve_portal: Callable[[int], Awaitable[Portal]]
) -> None:
    home = await review_seed.facility()
    for stars in (2, 3):
        await review_seed.publish(home, stars)
    portal = await serve_portal(0)
    await push.subscribe(CLI, portal.url, SECRET)
    delivered = await asyncio.gather(push.deliver_due(), push.deliver_due())
    assert sorted(delivered) == [0, 2]
    assert portal.seqs == [1, 2]


async def test_big_backlogs_go_in_batches(
    db: str, serve_portal: Callable[[int], Awaitable[Portal]]
) -> None:
    home = await review_seed.facility()
    for n in range(push.BATCH + 5):
        await stream.append("review.published", home, f"review:{n}", {"n": n})
    portal = await serve_portal(0)
    await push.subscribe(CLI, portal.url, SECRET, after=2)
    assert await push.deliver_due() == push.BATCH + 3
    assert [len(batch) for batch in portal.batches] == [push.BATCH, 3]
    assert portal.seqs == list(range(3, push.BATCH + 6))


async def test_subscribing_is_checked_and_audited(db: str) -> None:
    with pytest.raises(InvalidInput, match="url"):
        await push.subscribe(CLI, "ftp://portal.example", SECRET)
    with pytest.raises(InvalidInput, match="secret"):
        await push.subscribe(CLI, "https://portal.example/in", "short")
    with pytest.raises(NotAllowed):
        await push.subscribe(Actor(account=None, platform_admin=False), "https://p.example",
                             SECRET)
    first = await push.subscribe(CLI, "https://portal.example/in", SECRET)
    with pytest.raises(InvalidInput, match="already subscribed"):
        await push.subscribe(CLI, "https://portal.example/in", SECRET)
    await StreamSubscriber.filter(id=first.id).update(delivered_seq=7)
    await push.unsubscribe(CLI, first.id)
    assert await push.subscribers() == []
    with pytest.raises(NotFound):
        await push.unsubscribe(CLI, first.id)
    again = await push.subscribe(CLI, "https://portal.example/in", SECRET + "-new")
    assert (again.id, again.delivered_seq, again.secret) == (first.id, 7, SECRET + "-new")
    actions = await AuditEntry.all().order_by("id").values_list("action", flat=True)
    assert actions == ["stream.subscribe", "stream.unsubscribe", "stream.subscribe"]


async def test_the_running_bot_pushes_new_events(
    start_bot: Callable[..., Awaitable[Heimbote]],
    serve_portal: Callable[[int], Awaitable[Portal]],
) -> None:
    await start_bot()
    portal = await serve_portal(0)
    await push.subscribe(CLI, portal.url, SECRET)
    home = await review_seed.facility()
    await review_seed.publish(home, 5, comment="Wunderbar")
    await asyncio.wait_for(portal.received.wait(), 10)
    assert portal.batches[0][0]["payload"]["comment"] == "Wunderbar"
