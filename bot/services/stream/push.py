"""Push delivery of the review stream to subscribed portals, signed, in order, at least once.

Each subscriber gets ``POST <url>`` with the JSON body ``{"events": [...]}``: up to 100 events
after the last one it accepted, in the shape of ``GET /api/v1/stream``, and the headers
``X-Heimbote-Timestamp: <Unix seconds>`` and ``X-Heimbote-Signature: sha256=<hex HMAC-SHA256 of
timestamp + "." + raw body, keyed with its secret>`` (the timestamp lets a portal refuse a
recorded request replayed later). A 2xx answer acknowledges the whole batch; anything else
(a redirect too: it is never followed, or no answer in 10 s) is retried from the same event
after 2, 4, 8 … seconds, at most an hour apart. An event may therefore arrive twice: portals
de-duplicate by ``seq``. Only public addresses are pushed to (:mod:`.targets`), checked when a
portal subscribes and again at each delivery.

Several bot processes may run the job at once: a subscriber is leased (its
``next_attempt_at`` moved ahead) by a conditional update before anything is sent to it.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import hmac
import ipaddress
import json
import logging
import socket

import aiohttp
from aiohttp.abc import ResolveResult
from aiohttp.resolver import ThreadedResolver
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from bot import clock
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.models import StreamSubscriber
from bot.services.accounts import audit
from bot.services.accounts.actors import Actor
from bot.services.stream import events as stream
from bot.services.stream import targets
from bot.services.stream.targets import AllowList, TargetRefused

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Heimbote-Signature"
TIMESTAMP_HEADER = "X-Heimbote-Timestamp"
NO_EXCEPTIONS = AllowList()
BATCH = 100
BATCHES_PER_RUN = 20  # then the next subscriber gets its turn
TIMEOUT_SECONDS = 10.0
LEASE = dt.timedelta(seconds=60)  # longer than one run of one subscriber can take
MAX_BACKOFF_SECONDS = 3600
MIN_SECRET_LENGTH = 16


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The value of ``X-Heimbote-Signature`` for ``body`` sent at ``timestamp``."""
    signed = timestamp.encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def backoff(failures: int) -> dt.timedelta:
    """How long to wait after ``failures`` failed attempts in a row: 2, 4, 8 … s, at most 1 h."""
    return dt.timedelta(seconds=min(2 ** min(failures, 12), MAX_BACKOFF_SECONDS))


def _require_platform_admin(actor: Actor) -> None:
    if not actor.platform_admin:
        raise NotAllowed("only the platform's operators manage stream subscribers")


async def subscribe(actor: Actor, url: str, secret: str, *, after: int = 0,
                    allow: AllowList = NO_EXCEPTIONS) -> StreamSubscriber:
    """Register a portal; it receives every event with ``seq > after``.

    Subscribing a URL that was unsubscribed before resumes where its deliveries stopped. A URL
    whose host is (or resolves to) an internal address raises :class:`TargetRefused` unless
    ``allow`` names it.
    """
    _require_platform_admin(actor)
    if not url.startswith(("http://", "https://")) or len(url) > 500:
        raise InvalidInput("url", "must be an http:// or https:// URL of up to 500 characters")
    if not MIN_SECRET_LENGTH <= len(secret) <= 200:
        raise InvalidInput("secret", f"must be {MIN_SECRET_LENGTH}-200 characters")
    if after < 0:
        raise InvalidInput("after", "must be 0 or more")
    await targets.check(url, allow)
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


class _CheckedResolver(ThreadedResolver):
    """Resolves for the push connections and refuses what :func:`targets.check` refuses.

    :func:`targets.check` runs before each request; this runs as the connection is made, so a
    name that changes its answer in between gains nothing. (aiohttp connects to an IP literal
    without a resolver: the check before the request covers those.)
    """

    def __init__(self, allow: AllowList) -> None:
        super().__init__()
        self._allow = allow

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        found = await super().resolve(host, port, family)
        if not self._allow.allows_name(host):
            for result in found:
                try:
                    address = ipaddress.ip_address(result["host"].split("%")[0])  # fe80::1%eth0
                    targets.checked(host, address, self._allow, resolved=True)
                except TargetRefused as refused:
                    # aiohttp shows an OSError's strerror in its ClientConnectorError
                    raise OSError(errno.EACCES, f"refused: {refused.reason}") from None
        return found


async def _post(session: aiohttp.ClientSession, subscriber: StreamSubscriber, body: bytes,
                allow: AllowList) -> str:
    """Send one batch; "" when the portal accepted it, else what went wrong."""
    try:
        await targets.check(subscriber.url, allow)
    except TargetRefused as refused:
        return f"refused: {refused.reason}"[:500]
    timestamp = str(int(clock.now().timestamp()))
    headers = {"Content-Type": "application/json", TIMESTAMP_HEADER: timestamp,
               SIGNATURE_HEADER: signature(subscriber.secret, timestamp, body)}
    try:
        async with session.post(subscriber.url, data=body, headers=headers,
                                allow_redirects=False) as response:
            if 200 <= response.status < 300:
                return ""
            if 300 <= response.status < 400:
                return f"HTTP {response.status}: redirects are not followed"
            return f"HTTP {response.status}"
    except (aiohttp.ClientError, TimeoutError) as error:
        return f"{type(error).__name__}: {error}"[:500]


async def _deliver_to(session: aiohttp.ClientSession, subscriber: StreamSubscriber,
                      now: dt.datetime, allow: AllowList) -> int:
    delivered = 0
    for _ in range(BATCHES_PER_RUN):
        events = await stream.events_after(subscriber.delivered_seq, BATCH)
        if not events:
            break
        body = json.dumps({"events": events}, ensure_ascii=False, separators=(",", ":"))
        problem = await _post(session, subscriber, body.encode(), allow)
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


async def deliver_due(now: dt.datetime | None = None, *,
                      allow: AllowList = NO_EXCEPTIONS) -> int:
    """Push what each due subscriber has not accepted yet; returns the events accepted.

    ``allow``: the operator's exceptions to "public addresses only" (``HEIMBOTE_PUSH_ALLOW_HOSTS``).
    """
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
    connector = aiohttp.TCPConnector(resolver=_CheckedResolver(allow))
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        for subscriber in behind:
            if await _lease(subscriber, moment):
                delivered += await _deliver_to(session, subscriber, moment, allow)
    return delivered
