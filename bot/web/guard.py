"""What keeps one client from taking the web server down.

The webhook, the health check and the public pages share one process with every bot handler,
so a client of the public pages must not be able to use up what they need:

- **Connections.** Each listener hands a new connection to :class:`ConnectionGuard` first: past
  ``max_connections`` open connections (kept below the process's open-file limit, so ``accept``
  never fails for want of a descriptor) or ``max_per_ip`` from one address, it is closed at once.
  A client has ``head_timeout`` seconds to send its first request's headers; a connection that
  dribbles them (slowloris) is closed then.
- **Requests.** :class:`RateLimiter` gives each address a token bucket on the public routes;
  past it the answer is ``429`` with ``Retry-After``.
- **Descriptors.** :func:`raise_open_file_limit` lifts the soft limit to the hard one at start.

Addresses are the peer's: behind a reverse proxy every client has the proxy's, so there the
proxy should do the per-client limiting and these limits be raised (see docs/security.md).
"""

from __future__ import annotations

import asyncio
import logging
import math
import resource
import time
from collections import Counter, OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot.web.responses import error_json

log = logging.getLogger(__name__)

RESERVED_FILES = 256  # descriptors kept free of client connections: database, files, Telegram
MAX_OPEN_FILES = 65536  # what we ask for when the hard limit is unlimited


@dataclass(frozen=True)
class Limits:
    """How much of the server one client, and all clients together, may use."""

    max_connections: int = 4096
    max_per_ip: int = 256
    head_timeout: float = 10.0  # seconds to send a request's headers
    body_timeout: float = 30.0  # seconds to send a request's body (the webhook's)
    live_streams: int = 1000  # open /api/v1/stream/live connections, all clients
    live_streams_per_ip: int = 10
    requests_per_second: float = 20.0  # per address on the public routes; 0: no limit
    burst: int = 60


def raise_open_file_limit() -> int:
    """Lift the soft open-file limit to the hard one where allowed; the limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = MAX_OPEN_FILES if hard == resource.RLIM_INFINITY else hard
    if soft != resource.RLIM_INFINITY and soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
        except (ValueError, OSError):
            log.warning("could not raise the open-file limit above %d", soft)
    return MAX_OPEN_FILES if soft == resource.RLIM_INFINITY else soft


def connection_budget(limits: Limits, open_file_limit: int) -> int:
    """How many client connections to accept: the limit, and room below the file limit."""
    return max(16, min(limits.max_connections, open_file_limit - RESERVED_FILES))


class ConnectionGuard:
    """Admits connections within the limits and closes those too slow to send their headers."""

    def __init__(self, limits: Limits, max_connections: int) -> None:
        self.limits = limits
        self.max_connections = max_connections
        self.open = 0
        self._per_ip: Counter[str] = Counter()
        self.refused = 0
        self.timed_out = 0

    def admit(self, ip: str) -> bool:
        """Count a new connection from ``ip``; False when it must be closed at once."""
        if self.open >= self.max_connections or self._per_ip[ip] >= self.limits.max_per_ip:
            self.refused += 1
            return False
        self.open += 1
        self._per_ip[ip] += 1
        return True

    def release(self, ip: str) -> None:
        """A connection admitted from ``ip`` closed."""
        self.open -= 1
        self._per_ip[ip] -= 1
        if self._per_ip[ip] <= 0:
            del self._per_ip[ip]

    def protocol_factory(self, inner: Callable[[], Any]) -> Callable[[], asyncio.Protocol]:
        """Wrap aiohttp's protocol factory so each connection passes through the guard."""
        return lambda: _GuardedProtocol(self, inner())


class _GuardedProtocol(asyncio.Protocol):
    """Hands everything on to aiohttp's protocol, after the guard admitted the connection."""

    def __init__(self, guard: ConnectionGuard, inner: Any) -> None:
        self._guard = guard
        self._inner = inner
        self._ip = ""
        self._admitted = False
        self._deadline: asyncio.TimerHandle | None = None
        self._tail = b""
        self._transport: asyncio.BaseTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        peer = transport.get_extra_info("peername")
        self._ip = str(peer[0]) if isinstance(peer, tuple) and peer else "?"
        if not self._guard.admit(self._ip):
            _abort(transport)  # before aiohttp saw it: nothing of it to clean up
            return
        self._admitted = True
        self._transport = transport
        loop = asyncio.get_running_loop()
        self._deadline = loop.call_later(self._guard.limits.head_timeout, self._too_slow)
        self._inner.connection_made(transport)

    def data_received(self, data: bytes) -> None:
        if self._deadline is not None:
            seen = self._tail + data
            if b"\r\n\r\n" in seen:  # the first request's headers are complete
                self._deadline.cancel()
                self._deadline = None
            else:
                self._tail = seen[-3:]
        self._inner.data_received(data)

    def eof_received(self) -> bool | None:
        return bool(self._inner.eof_received())

    def connection_lost(self, exc: Exception | None) -> None:
        if not self._admitted:
            return
        if self._deadline is not None:
            self._deadline.cancel()
        self._guard.release(self._ip)
        self._inner.connection_lost(exc)

    def pause_writing(self) -> None:
        self._inner.pause_writing()

    def resume_writing(self) -> None:
        self._inner.resume_writing()

    def _too_slow(self) -> None:
        self._deadline = None
        self._guard.timed_out += 1
        log.info("closed a connection that did not send its headers in time")
        if self._transport is not None:
            _abort(self._transport)


def _abort(transport: asyncio.BaseTransport) -> None:
    if isinstance(transport, asyncio.Transport):
        transport.abort()  # at once, without waiting to flush anything
    else:
        transport.close()


KEEPALIVE_SECONDS = 15.0  # an idle connection is closed after this (aiohttp's default: 75)


class GuardedRunner(web.AppRunner):
    """An ``AppRunner`` whose listeners pass every new connection through ``guard``."""

    def __init__(self, app: web.Application, guard: ConnectionGuard, **kwargs: Any) -> None:
        kwargs.setdefault("keepalive_timeout", KEEPALIVE_SECONDS)
        super().__init__(app, **kwargs)
        self.guard = guard

    @property
    def server(self) -> Any:  # what a site hands to ``loop.create_server``
        inner = super().server
        return None if inner is None else self.guard.protocol_factory(inner)


class RateLimiter:
    """A token bucket per client address: ``rate`` requests a second, ``burst`` at once."""

    def __init__(self, rate: float, burst: int, *, max_clients: int = 10_000) -> None:
        self.rate = rate
        self.burst = burst
        self._max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def wait(self, ip: str, now: float | None = None) -> float:
        """Take a token for ``ip``: 0 when allowed, else the seconds until one is free."""
        if self.rate <= 0:
            return 0.0
        now = time.monotonic() if now is None else now
        tokens, since = self._buckets.pop(ip, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - since) * self.rate)
        waited = 0.0
        if tokens >= 1.0:
            tokens -= 1.0
        else:
            waited = (1.0 - tokens) / self.rate
        self._buckets[ip] = (tokens, now)  # most recent last: the oldest go first
        while len(self._buckets) > self._max_clients:
            self._buckets.popitem(last=False)
        return waited


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def rate_limited(limiter: RateLimiter, private_paths: frozenset[str]) -> Any:
    """Middleware: the public routes answer ``429`` with ``Retry-After`` past the limit."""

    @web.middleware
    async def limit(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path in private_paths:
            return await handler(request)
        wait = limiter.wait(request.remote or "?")
        if wait > 0:
            response = error_json(429, "too_many_requests", "Please slow down.")
            response.headers["Retry-After"] = str(max(1, math.ceil(wait)))
            response.force_close()  # a client that asks too fast keeps no connection either
            return response
        return await handler(request)

    return limit
