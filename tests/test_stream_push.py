"""Push delivery to a portal: signed, in order, retried with backoff, at least once; never to
an internal address, never through a redirect."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any

import pytest
from aiohttp import web

from bot import clock
from bot.app import Heimbote
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.models import AuditEntry, StreamSubscriber
from bot.services.accounts.actors import Actor
from bot.services.stream import events as stream
from bot.services.stream import push, targets
from bot.services.stream.targets import AllowList
from tests import review_seed
from tests.conftest import free_port

SECRET = "s3cret-shared-with-the-portal"
CLI = Actor.cli()
# The test portals listen on 127.0.0.1: the operator allows it, as one would a known internal host.
LOCAL = AllowList.parse("127.0.0.1")
PUBLIC_URL = "https://93.184.215.14/in"  # a public address: nothing is resolved, nothing sent


def signed_recently(headers: Mapping[str, str], body: bytes) -> bool:
    """What the README tells a portal to check: the HMAC of ``timestamp.body``, and a fresh
    timestamp (so a recorded request cannot be replayed later)."""
    timestamp = headers.get("X-Heimbote-Timestamp", "")
    signed = timestamp.encode() + b"." + body
    expected = "sha256=" + hmac.new(SECRET.encode(), signed, hashlib.sha256).hexdigest()
    return (timestamp.isdigit() and abs(clock.now().timestamp() - int(timestamp)) < 300
            and hmac.compare_digest(headers.get("X-Heimbote-Signature", ""), expected))


class Portal:
    """A review portal's receiver over real HTTP; it can refuse the first attempts."""

    def __init__(self, fail_first: int = 0) -> None:
        self.fail_first = fail_first
        self.attempts = 0
        self.batches: list[list[dict[str, Any]]] = []
        self.headers: list[Mapping[str, str]] = []
        self.received = asyncio.Event()
        self.url = ""

    async def receive(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.attempts += 1
        self.headers.append(request.headers.copy())
        if not signed_recently(request.headers, body):
            return web.Response(status=401)
        if self.attempts <= self.fail_first:
            return web.Response(status=503)
        self.batches.append(json.loads(body)["events"])
        self.received.set()
        return web.Response(status=204)

    @property
    def seqs(self) -> list[int]:
        return [event["seq"] for batch in self.batches for event in batch]


async def moved(_: web.Request) -> web.Response:
    """What an attacker's portal answers, to send the signed batch somewhere internal."""
    raise web.HTTPTemporaryRedirect("/heimbote")


@pytest.fixture
async def serve_portal() -> AsyncIterator[Callable[[int], Awaitable[Portal]]]:
    runners: list[web.AppRunner] = []

    async def serve(fail_first: int = 0) -> Portal:
        portal = Portal(fail_first)
        app = web.Application()
        app.router.add_post("/heimbote", portal.receive)
        app.router.add_post("/moved", moved)
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
    subscriber = await push.subscribe(CLI, portal.url, SECRET, allow=LOCAL)

    start = dt.datetime.now(dt.UTC)
    assert await push.deliver_due(allow=LOCAL, now=start) == 0  # the portal refused
    waiting = await StreamSubscriber.get(id=subscriber.id)
    assert (waiting.failures, waiting.delivered_seq, waiting.last_error) == (1, 0, "HTTP 503")
    assert waiting.next_attempt_at == start + dt.timedelta(seconds=2)
    # still backing off
    assert await push.deliver_due(allow=LOCAL, now=start + dt.timedelta(seconds=1)) == 0
    assert portal.attempts == 1

    assert await push.deliver_due(allow=LOCAL, now=start + dt.timedelta(seconds=3)) == 3
    assert portal.seqs == [1, 2, 3]
    assert (await stream.verify(portal.batches[0])).ok
    caught_up = await StreamSubscriber.get(id=subscriber.id)
    assert (caught_up.failures, caught_up.delivered_seq, caught_up.next_attempt_at) == (0, 3, None)

    await review_seed.publish(home, 3)
    assert await push.deliver_due(allow=LOCAL) == 1
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
    await push.subscribe(CLI, portal.url, SECRET, allow=LOCAL)
    delivered = await asyncio.gather(push.deliver_due(allow=LOCAL), push.deliver_due(allow=LOCAL))
    assert sorted(delivered) == [0, 2]
    assert portal.seqs == [1, 2]


async def test_big_backlogs_go_in_batches(
    db: str, serve_portal: Callable[[int], Awaitable[Portal]]
) -> None:
    home = await review_seed.facility()
    for n in range(push.BATCH + 5):
        await stream.append("review.published", home, f"review:{n}", {"n": n})
    portal = await serve_portal(0)
    await push.subscribe(CLI, portal.url, SECRET, allow=LOCAL, after=2)
    assert await push.deliver_due(allow=LOCAL) == push.BATCH + 3
    assert [len(batch) for batch in portal.batches] == [push.BATCH, 3]
    assert portal.seqs == list(range(3, push.BATCH + 6))


async def test_subscribing_is_checked_and_audited(db: str) -> None:
    with pytest.raises(InvalidInput, match="url"):
        await push.subscribe(CLI, "ftp://portal.example", SECRET)
    with pytest.raises(InvalidInput, match="secret"):
        await push.subscribe(CLI, PUBLIC_URL, "short")
    with pytest.raises(NotAllowed):
        await push.subscribe(Actor(account=None, platform_admin=False), PUBLIC_URL,
                             SECRET)
    first = await push.subscribe(CLI, PUBLIC_URL, SECRET)
    with pytest.raises(InvalidInput, match="already subscribed"):
        await push.subscribe(CLI, PUBLIC_URL, SECRET)
    await StreamSubscriber.filter(id=first.id).update(delivered_seq=7)
    await push.unsubscribe(CLI, first.id)
    assert await push.subscribers() == []
    with pytest.raises(NotFound):
        await push.unsubscribe(CLI, first.id)
    again = await push.subscribe(CLI, PUBLIC_URL, SECRET + "-new")
    assert (again.id, again.delivered_seq, again.secret) == (first.id, 7, SECRET + "-new")
    actions = await AuditEntry.all().order_by("id").values_list("action", flat=True)
    assert actions == ["stream.subscribe", "stream.unsubscribe", "stream.subscribe"]


async def test_the_running_bot_pushes_new_events(
    start_bot: Callable[..., Awaitable[Heimbote]],
    serve_portal: Callable[[int], Awaitable[Portal]],
) -> None:
    await start_bot(push_allow_hosts="127.0.0.1")
    portal = await serve_portal(0)
    await push.subscribe(CLI, portal.url, SECRET, allow=LOCAL)
    home = await review_seed.facility()
    await review_seed.publish(home, 5, comment="Wunderbar")
    await asyncio.wait_for(portal.received.wait(), 10)
    assert portal.batches[0][0]["payload"]["comment"] == "Wunderbar"


async def test_the_signature_covers_a_timestamp(
    db: str, serve_portal: Callable[[int], Awaitable[Portal]]
) -> None:
    await review_seed.publish(await review_seed.facility(), 4)
    portal = await serve_portal(0)
    await push.subscribe(CLI, portal.url, SECRET, allow=LOCAL)
    assert await push.deliver_due(allow=LOCAL) == 1
    timestamp = portal.headers[0]["X-Heimbote-Timestamp"]
    assert timestamp.isdigit()
    body = json.dumps({"events": portal.batches[0]}, ensure_ascii=False,
                      separators=(",", ":")).encode()
    assert portal.headers[0]["X-Heimbote-Signature"] == push.signature(SECRET, timestamp, body)
    # The same body under another timestamp is another signature: a replay cannot move it.
    assert push.signature(SECRET, str(int(timestamp) + 600), body) != push.signature(
        SECRET, timestamp, body)


async def test_a_redirect_is_a_failed_delivery_never_followed(
    db: str, serve_portal: Callable[[int], Awaitable[Portal]]
) -> None:
    await review_seed.publish(await review_seed.facility(), 4)
    portal = await serve_portal(0)
    moved = portal.url.replace("/heimbote", "/moved")
    subscriber = await push.subscribe(CLI, moved, SECRET, allow=LOCAL)
    start = dt.datetime.now(dt.UTC)
    assert await push.deliver_due(allow=LOCAL, now=start) == 0
    assert portal.attempts == 0  # the batch never reached where the redirect pointed
    failed = await StreamSubscriber.get(id=subscriber.id)
    assert (failed.failures, failed.delivered_seq) == (1, 0)
    assert failed.last_error == "HTTP 307: redirects are not followed"
    assert failed.next_attempt_at == start + dt.timedelta(seconds=2)


@pytest.mark.parametrize(("url", "why"), [
    ("http://169.254.169.254/latest/meta-data", "169.254.169.254 is a link-local address"),
    ("http://[::1]:8080/in", "::1 is a loopback address"),
    ("http://0x7f000001/in", "0x7f000001 resolves to 127.0.0.1, a loopback address"),
    ("http://2130706433/in", "2130706433 resolves to 127.0.0.1, a loopback address"),
    ("http://[::ffff:127.0.0.1]/in", "::ffff:127.0.0.1 is a loopback address"),
    ("http://10.0.0.1/in", "10.0.0.1 is a private address"),
    ("https://localhost:8443/in", "localhost resolves to 127.0.0.1, a loopback address"),
    ("http://0.0.0.0/in", "0.0.0.0 is an unspecified address"),
    ("http://224.0.0.1/in", "224.0.0.1 is a multicast address"),
    ("http://240.0.0.1/in", "240.0.0.1 is a reserved address"),
    ("http://100.64.0.1/in", "100.64.0.1 is not a public address"),
    ("http://[fe80::1]/in", "fe80::1 is a link-local address"),
    ("http://[fd00::1]/in", "fd00::1 is a private address"),
])
async def test_internal_targets_are_refused_at_subscribe(db: str, url: str, why: str) -> None:
    with pytest.raises(InvalidInput, match="url") as refused:
        await push.subscribe(CLI, url, SECRET)
    assert refused.value.reason == (
        f"{why}; pushing there is refused unless HEIMBOTE_PUSH_ALLOW_HOSTS names it")
    assert await StreamSubscriber.all().count() == 0


async def test_an_unknown_host_is_refused_at_subscribe(db: str) -> None:
    with pytest.raises(InvalidInput, match="cannot be resolved"):
        await push.subscribe(CLI, "https://portal.invalid/in", SECRET)


async def test_the_operator_allows_a_known_internal_host(db: str) -> None:
    by_address = await push.subscribe(CLI, "http://10.0.0.1/in", SECRET,
                                      allow=AllowList.parse(" 10.0.0.1 , portal.lan"))
    by_name = await push.subscribe(CLI, "http://LOCALHOST:9/in", SECRET,
                                   allow=AllowList.parse("localhost"))
    by_network = await push.subscribe(CLI, "http://[fd00::7]/in", SECRET,
                                      allow=AllowList.parse("fd00::/64"))
    assert [s.id for s in await push.subscribers()] == [by_address.id, by_name.id, by_network.id]
    with pytest.raises(InvalidInput, match=r"10\.0\.0\.2 is a private address"):
        await push.subscribe(CLI, "http://10.0.0.2/in", SECRET,
                             allow=AllowList.parse("10.0.0.1"))
    with pytest.raises(ValueError, match="not a host name"):
        AllowList.parse("http://10.0.0.1/")


async def test_an_internal_target_is_refused_at_each_delivery(
    db: str, serve_portal: Callable[[int], Awaitable[Portal]]
) -> None:
    await review_seed.publish(await review_seed.facility(), 4)
    portal = await serve_portal(0)
    by_name = portal.url.replace("127.0.0.1", "localhost")
    subscriber = await push.subscribe(CLI, by_name, SECRET, allow=AllowList.parse(
        "localhost"))
    # Allowed when it subscribed, no longer allowed now (or its name points elsewhere now).
    start = dt.datetime.now(dt.UTC)
    assert await push.deliver_due(now=start) == 0
    assert portal.attempts == 0
    refused = await StreamSubscriber.get(id=subscriber.id)
    assert (refused.failures, refused.delivered_seq) == (1, 0)
    assert refused.last_error == (
        "refused: localhost resolves to 127.0.0.1, a loopback address; pushing there is "
        "refused unless HEIMBOTE_PUSH_ALLOW_HOSTS names it")
    assert refused.next_attempt_at == start + dt.timedelta(seconds=2)
    # A row from before the check (or written by hand) is refused the same way.
    metadata = await StreamSubscriber.create(url="http://169.254.169.254/latest", secret=SECRET)
    assert await push.deliver_due(now=start) == 0
    assert (await StreamSubscriber.get(id=metadata.id)).last_error.startswith(
        "refused: 169.254.169.254 is a link-local address")
    # Once the operator allows the name again, the batch goes out.
    later = start + dt.timedelta(seconds=3)
    assert await push.deliver_due(allow=AllowList.parse("localhost"), now=later) == 1
    assert portal.seqs == [1]


async def test_a_name_that_changes_its_answer_after_the_check_gains_nothing(
    db: str, serve_portal: Callable[[int], Awaitable[Portal]], monkeypatch: pytest.MonkeyPatch
) -> None:
    await review_seed.publish(await review_seed.facility(), 4)
    portal = await serve_portal(0)
    subscriber = await push.subscribe(CLI, portal.url.replace("127.0.0.1", "localhost"), SECRET,
                                      allow=AllowList.parse("localhost"))

    async def public_when_checked(url: str, allow: AllowList) -> None:
        """DNS rebinding: the name looked public when checked, and is internal a moment later."""

    monkeypatch.setattr(targets, "check", public_when_checked)
    assert await push.deliver_due() == 0
    assert portal.attempts == 0
    refused = await StreamSubscriber.get(id=subscriber.id)
    assert "refused: localhost resolves to 127.0.0.1, a loopback address" in refused.last_error
