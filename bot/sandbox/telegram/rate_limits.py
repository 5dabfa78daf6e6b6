"""Telegram's flood control: per bot, per private chat and per group."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from bot.sandbox.telegram.api_errors import too_many_requests


@dataclass(frozen=True)
class RateLimits:
    """How many messages Telegram lets a bot send before answering 429."""

    per_bot_per_second: float = 30.0
    bot_burst: int = 30
    private_per_second: float = 1.0
    private_burst: int = 3
    group_per_minute: float = 20.0
    group_burst: int = 20


@dataclass
class Throttle:
    """One request that Telegram refused with 429."""

    method: str
    chat_id: int
    retry_after: int


class _TokenBucket:
    """Allows ``capacity`` sends at once, refilled at ``rate`` per second."""

    def __init__(self, capacity: float, rate: float, now: float) -> None:
        self.capacity = capacity
        self.rate = rate
        self.tokens = capacity
        self.updated = now

    def wait_time(self, now: float) -> float:
        """Seconds until one send is allowed (0 when allowed now)."""
        self._refill(now)
        if self.tokens >= 1:
            return 0.0
        return (1 - self.tokens) / self.rate

    def take(self) -> None:
        """Spend one send; call ``wait_time`` first."""
        self.tokens -= 1

    def _refill(self, now: float) -> None:
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now


class RateLimiter:
    """Counts sends per bot and per chat on a monotonic clock."""

    def __init__(self, limits: RateLimits, clock: Callable[[], float]) -> None:
        self.limits = limits
        self.clock = clock
        self.enabled = True
        self._bot_bucket = _TokenBucket(limits.bot_burst, limits.per_bot_per_second, clock())
        self._chat_buckets: dict[int, _TokenBucket] = {}

    def admit(self, method: str, chat_id: int, *, private: bool) -> Throttle | None:
        """Count one send to ``chat_id``; return a ``Throttle`` instead if over the limit."""
        if not self.enabled:
            return None
        now = self.clock()
        chat_bucket = self._bucket_for(chat_id, private=private, now=now)
        wait = max(self._bot_bucket.wait_time(now), chat_bucket.wait_time(now))
        if wait > 0:
            return Throttle(method, chat_id, max(1, math.ceil(wait)))
        self._bot_bucket.take()
        chat_bucket.take()
        return None

    def reset(self) -> None:
        """Forget all counted sends."""
        now = self.clock()
        limits = self.limits
        self._bot_bucket = _TokenBucket(limits.bot_burst, limits.per_bot_per_second, now)
        self._chat_buckets.clear()

    def _bucket_for(self, chat_id: int, *, private: bool, now: float) -> _TokenBucket:
        bucket = self._chat_buckets.get(chat_id)
        if bucket is None:
            limits = self.limits
            if private:
                bucket = _TokenBucket(limits.private_burst, limits.private_per_second, now)
            else:
                bucket = _TokenBucket(limits.group_burst, limits.group_per_minute / 60, now)
            self._chat_buckets[chat_id] = bucket
        return bucket


def throttle_error(throttle: Throttle) -> Exception:
    """Return the 429 error for a refused send."""
    return too_many_requests(throttle.retry_after)
