"""Push delivery of the review stream to subscribed portals, signed, in order, at least once.

Each subscriber gets ``POST <url>`` with the JSON body ``{"events": [...]}``: up to 100 events
after the last one it accepted, in the shape of ``GET /api/v1/stream``, and the header
``X-Heimbote-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed with its secret>``. A
2xx answer acknowledges the whole batch; anything else (or no answer in 10 s) is retried from
the same event after 2, 4, 8 … seconds, at most an hour apart. An event may therefore arrive
twice: portals de-duplicate by ``seq``.

Several bot processes may run the job at once: a subscriber is leased (its
``next_attempt_at`` moved ahead) by a conditional update before anything is sent to it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging

import aiohttp
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from bot import clock
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.models import StreamSubscriber
from bot.services.accounts import audit
from bot.services.accounts.actors import Actor
from bot.services.stream import events as stream

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Heimbote-Signature"
BATCH = 100
BATCHES_PER_RUN = 20  # then the next subscriber gets its turn
TIMEOUT_SECONDS = 10.0
LEASE = dt.timedelta(seconds=60)  # longer than one run of one subscriber can take
MAX_BACKOFF_SECONDS = 3600
MIN_SECRET_LENGTH = 16


def signature(secret: str, body: bytes) -> str:
    """The value of ``X-Heimbote-Signature`` for ``body``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def backoff(failures: int) -> dt.timedelta:
    """How long to wait after ``failures`` failed attempts in a row: 2, 4, 8 … s, at most 1 h."""
    return dt.timedelta(seconds=min(2 ** min(failures, 12), MAX_BACKOFF_SECONDS))


def _require_platform_admin(actor: Actor) -> None:
    if not actor.platform_admin:
        raise NotAllowed("only the platform's operators manage stream subscribers")


async def subscribe(actor: Actor, url: str, secret: str, *, after: int = 0) -> StreamSubscriber:
    """Register a portal; it receives every event with ``seq > after``.

    Subscribing a URL that was unsubscribed before resumes where its deliveries stopped.
    """
    _require_platform_admin(actor)
    if not url.startswith(("http://", "https://")) or len(url) > 500:
        raise InvalidInput("url", "must be an http:// or https:// URL of up to 500 characters")
    if not MIN_SECRET_LENGTH <= len(secret) <= 200:
        raise InvalidInput("secret", f"must be {MIN_SECRET_LENGTH}-200 characters")
    if after < 0:
        raise InvalidInput("after", "must be 0 or more")
    async with in_transaction() as connection:
        known = await StreamSubscriber.filter(url=url).using_db(connection).first()
        if known is not None and known.active:
            raise InvalidInput("url", f"is already subscribed (subscriber {known.id})")
        if known is None:
            known = await StreamSubscriber.create(
                url=url, secret=secret, delivered_seq=after, using_db=connection
            )
        else:
            known.secret, known.active, known.failures = secret, True, 0
            known.next_attempt_at = None
            await known.save(using_db=connection)
        await audit.record(actor, "stream.subscribe", subject=f"subscriber:{known.id}", url=url)
    return known


async def subscribers() -> list[StreamSubscriber]:
    """The active subscribers, oldest first."""
    return await StreamSubscriber.filter(active=True).order_by("id")


async def unsubscribe(actor: Actor, subscriber_id: int) -> StreamSubscriber:
    """Stop pushing to a subscriber (its position is kept should it subscribe again)."""
    _require_platform_admin(actor)
    async with in_transaction() as connection:
        found = await StreamSubscriber.filter(id=subscriber_id, active=True).using_db(
            connection
        ).first()
        if found is None:
            raise NotFound(f"no subscriber {subscriber_id}")
        found.active = False
        await found.save(using_db=connection, update_fields=["active"])
        await audit.record(actor, "stream.unsubscribe", subject=f"subscriber:{found.id}",
                           url=found.url)
    return found


async def _lease(subscriber: StreamSubscriber, now: dt.datetime) -> bool:
    """Take the subscriber for this run unless another process has it (or it is waiting)."""
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    taken = await StreamSubscriber.filter(due, id=subscriber.id, active=True).update(
        next_attempt_at=now + LEASE
    )
    return taken == 1


async def _post(session: aiohttp.ClientSession, subscriber: StreamSubscriber,
                body: bytes) -> str:
    """Send one batch; "" when the portal accepted it, else what went wrong."""
    headers = {"Content-Type": "application/json", SIGNATURE_HEADER: signature(
        subscriber.secret, body)}
    try:
        async with session.post(subscriber.url, data=body, headers=headers) as response:
            if 200 <= response.status < 300:
                return ""
            return f"HTTP {response.status}"
    except (aiohttp.ClientError, TimeoutError) as error:
        return f"{type(error).__name__}: {error}"[:500]


async def _deliver_to(session: aiohttp.ClientSession, subscriber: StreamSubscriber,
                      now: dt.datetime) -> int:
    delivered = 0
    for _ in range(BATCHES_PER_RUN):
        events = await stream.events_after(subscriber.delivered_seq, BATCH)
        if not events:
            break
        body = json.dumps({"events": events}, ensure_ascii=False, separators=(",", ":"))
        problem = await _post(session, subscriber, body.encode())
        if problem:
            subscriber.failures += 1
            subscriber.last_error = problem
            subscriber.next_attempt_at = now + backoff(subscriber.failures)
            await subscriber.save(
                update_fields=["failures", "last_error", "next_attempt_at"])
            log.warning("push to subscriber %s failed (%s), retrying at %s", subscriber.id,
                        problem, subscriber.next_attempt_at.isoformat(timespec="seconds"))
            return delivered
        subscriber.delivered_seq = int(events[-1]["seq"])
        subscriber.failures, subscriber.last_error = 0, ""
        await subscriber.save(update_fields=["delivered_seq", "failures", "last_error"])
        delivered += len(events)
    subscriber.next_attempt_at = None
    await subscriber.save(update_fields=["next_attempt_at"])
    return delivered


async def deliver_due(now: dt.datetime | None = None) -> int:
    """Push what each due subscriber has not accepted yet; returns the events accepted."""
    moment = now or clock.now()
    head = await stream.last_seq()
    behind = await StreamSubscriber.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=moment),
        active=True, delivered_seq__lt=head,
    ).order_by("id")
    if not behind:
        return 0
    delivered = 0
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        for subscriber in behind:
            if await _lease(subscriber, moment):
                delivered += await _deliver_to(session, subscriber, moment)
    return delivered
