"""``GET /api/v1/stream/live``: new stream events as Server-Sent Events.

Each event is ``id: <seq>``, ``event: <kind>``, ``data: <the event as JSON>``. A client that
reconnects sends ``Last-Event-ID`` (browsers do it by themselves) and continues after it;
without it, ``?after=SEQ`` says where to start, and without either only new events come. A
comment line every 15 seconds keeps proxies from closing an idle connection. On server
shutdown the stream ends cleanly; a client that leaves ends it quietly (no traceback).
The event-stream format, the comment pings and the time-out for a client that stops reading
come from ``aiohttp-sse``.

One :class:`LiveHub` serves every client: while anyone listens, it reads the new events every
half second (one query, however many clients) and hands each, as JSON made once, to every
client's queue. A client that starts behind the hub first catches up from the table on its own. Past
``Limits.live_streams`` clients, or ``live_streams_per_ip`` from one address, the answer is
``503`` with ``Retry-After``; a client too slow to take its events is disconnected (it resumes
with ``Last-Event-ID``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp_sse import EventSourceResponse

from bot.domain.errors import InvalidInput
from bot.services.stream import events as stream
from bot.web.responses import error_json, int_parameter

log = logging.getLogger(__name__)

POLL_SECONDS = 0.5
KEEPALIVE_SECONDS = 15.0
CHECK_SECONDS = 1.0  # how often a quiet stream looks whether its client is still there
BATCH = 100
MAX_SEQ = 2**31 - 1
QUEUE_EVENTS = 1000  # a client this far behind is disconnected; it resumes from the table
RETRY_AFTER_SECONDS = 30


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


@dataclass(frozen=True)
class Message:
    """One event as it is sent: its seq (the SSE id), its kind and its JSON."""

    seq: int
    kind: str
    data: str

    @classmethod
    def of(cls, event: dict[str, Any]) -> Message:
        """The event as a message, its JSON made once for every client."""
        data = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
        return cls(int(event["seq"]), str(event["kind"]), data)

    async def send(self, response: EventSourceResponse) -> None:
        """Write it as ``id:``, ``event:``, ``data:`` lines."""
        await response.send(self.data, id=str(self.seq), event=self.kind)


class Busy(Exception):
    """No room for another live stream (from this address, or at all)."""


@dataclass(eq=False)
class _Listener:
    ip: str
    queue: asyncio.Queue[Message | None] = field(
        default_factory=lambda: asyncio.Queue(QUEUE_EVENTS)
    )
    dropped: bool = False


class LiveHub:
    """One poller for all live-stream clients; the client limits."""

    def __init__(self, max_clients: int, max_per_ip: int) -> None:
        self.max_clients = max_clients
        self.max_per_ip = max_per_ip
        self.polls = 0  # queries for new events (for tests and the benchmark)
        self._listeners: set[_Listener] = set()
        self._per_ip: Counter[str] = Counter()
        self._head = 0  # the newest seq handed to the listeners
        self._poller: asyncio.Task[None] | None = None
        self._closing = asyncio.Event()
        self._starting = asyncio.Lock()

    @property
    def clients(self) -> int:
        """How many live streams are open."""
        return len(self._listeners)

    async def join(self, ip: str) -> tuple[_Listener, int]:
        """A new client from ``ip``; with the seq after which the hub will hand it events."""
        if len(self._listeners) >= self.max_clients or self._per_ip[ip] >= self.max_per_ip:
            raise Busy
        listener = _Listener(ip)
        self._listeners.add(listener)
        self._per_ip[ip] += 1
        try:
            async with self._starting:  # two first clients at once start one poller
                if self._poller is None or self._poller.done():
                    self._head = await stream.last_seq()
                    self._poller = asyncio.create_task(self._poll(), name="live-stream-poller")
        except BaseException:
            self.leave(listener)
            raise
        return listener, self._head

    def leave(self, listener: _Listener) -> None:
        """The client left (or was dropped)."""
        if listener in self._listeners:
            self._listeners.discard(listener)
            self._per_ip[listener.ip] -= 1
            if self._per_ip[listener.ip] <= 0:
                del self._per_ip[listener.ip]

    def close(self) -> None:
        """The server stops: every stream ends."""
        self._closing.set()
        for listener in self._listeners:
            with contextlib.suppress(asyncio.QueueFull):
                listener.queue.put_nowait(None)

    async def _poll(self) -> None:
        while self._listeners and not self._closing.is_set():
            try:
                events = await stream.events_after(self._head, BATCH)
            except Exception:  # the database is away for a moment: try again
                log.warning("the live stream could not read new events", exc_info=True)
                events = []
            self.polls += 1
            for event in events:
                self._hand_out(Message.of(event))
            if len(events) < BATCH:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._closing.wait(), POLL_SECONDS)

    def _hand_out(self, message: Message) -> None:
        self._head = message.seq
        for listener in list(self._listeners):
            try:
                listener.queue.put_nowait(message)
            except asyncio.QueueFull:  # too slow: it resumes from the table when it returns
                listener.dropped = True
                self.leave(listener)


LIVE_KEY = web.AppKey("live_hub", LiveHub)


async def live_stream(request: web.Request) -> web.StreamResponse:
    """Send events as they are appended, until the client leaves or the server stops."""
    after = _start_after(request)
    hub = request.app[LIVE_KEY]
    try:
        listener, head = await hub.join(request.remote or "?")
    except Busy:
        busy = error_json(503, "busy", "Too many live streams; please try again later.")
        busy.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        busy.force_close()  # its connection goes too: a refused client keeps no place
        return busy
    try:
        response = EventSourceResponse(sep="\n", ping_interval=KEEPALIVE_SECONDS)
        response.headers["Content-Type"] = "text/event-stream; charset=utf-8"
        await response.prepare(request)
        try:
            async with response:  # ends the pings when the stream ends
                await response.write(b"retry: 2000\n\n")
                await _follow(request, response, listener, head if after is None else after,
                              head)
            await response.write_eof()
        except (ConnectionResetError, TimeoutError):  # the client left, or stopped reading
            pass
        return response
    finally:
        hub.leave(listener)


def _gone(request: web.Request, response: EventSourceResponse) -> bool:
    transport = request.transport
    return transport is None or transport.is_closing() or not response.is_connected()


async def _follow(
    request: web.Request,
    response: EventSourceResponse,
    listener: _Listener,
    after: int,
    head: int,
) -> None:
    while after < head:  # behind the hub: catch up from the table first
        events = await stream.events_after(after, BATCH)
        for event in events:
            await Message.of(event).send(response)
            after = int(event["seq"])
        if len(events) < BATCH:
            break
    while True:
        try:
            handed = await asyncio.wait_for(listener.queue.get(), CHECK_SECONDS)
        except TimeoutError:
            if _gone(request, response):  # the client left: its place is free at once
                return
            continue
        if handed is None or listener.dropped:  # the server stops, or this client fell behind
            return
        if handed.seq > after:
            await handed.send(response)
            after = handed.seq
