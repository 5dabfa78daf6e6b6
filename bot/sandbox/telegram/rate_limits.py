"""Telegram's flood control, counted as Telegram counts: per bot, per private chat, per group.

- per bot: at most ``per_bot_per_second`` sends in any sliding second, counted when a request
  arrives (requests in flight at the same time all count; there is no burst allowance);
- per private chat: a token bucket, 1 message per second, holding at most 3 (an album is one);
- per group: at most 20 sends in any sliding 60 seconds.

An album of k items counts k sends bot-wide and in a group. A refused send is not delivered and
not counted; the answer is 429 with ``retry_after`` in whole seconds, rounded up.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from bot.sandbox.telegram.api_errors import too_many_requests


@dataclass(frozen=True)
class RateLimits:
    """How many messages Telegram lets a bot send before answering 429."""

    per_bot_per_second: int = 30
    private_per_second: float = 1.0
    private_burst: int = 3
    group_per_minute: int = 20


@dataclass
class Throttle:
    """One request that Telegram refused with 429."""

    method: str
    chat_id: int
    retry_after: int


class _SlidingWindow:
    """At most ``capacity`` sends in any ``span`` seconds."""

    def __init__(self, capacity: int, span: float) -> None:
        self.capacity = capacity
        self.span = span
        self._times: deque[float] = deque()  # one entry per counted send, oldest first

    def wait_time(self, now: float, count: int) -> float:
        """Seconds until ``count`` more sends fit (0 when they fit now)."""
        times = self._times
        while times and times[0] <= now - self.span:
            times.popleft()
        excess = len(times) + count - self.capacity
        if excess <= 0:
            return 0.0
        if count > self.capacity:  # never fits: as long as the whole window
            return self.span
        return times[excess - 1] + self.span - now

    def take(self, now: float, count: int) -> None:
        """Count ``count`` sends at ``now``; call ``wait_time`` first."""
        self._times.extend([now] * count)


class _TokenBucket:
    """Holds at most ``capacity`` sends, refilled at ``rate`` per second.

    One request spends one token, an album too: bots send an album and, straight after it, a
    message with its buttons (an album cannot carry any), and Telegram lets them.
    """

    def __init__(self, capacity: float, rate: float, now: float) -> None:
        self.capacity = capacity
        self.rate = rate
        self.tokens = capacity
        self.updated = now

    def wait_time(self, now: float, count: int) -> float:
        """Seconds until a send is allowed (0 when allowed now)."""
        del count
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            return 0.0
        return (1 - self.tokens) / self.rate

    def take(self, now: float, count: int) -> None:
        """Spend one token; call ``wait_time`` first."""
        del now, count
        self.tokens -= 1


class RateLimiter:
    """Counts sends per bot and per chat on a monotonic clock."""

    def __init__(self, limits: RateLimits, clock: Callable[[], float]) -> None:
        self.limits = limits
        self.clock = clock
        self.enabled = True
        self._bot = _SlidingWindow(limits.per_bot_per_second, 1.0)
        self._chats: dict[int, _SlidingWindow | _TokenBucket] = {}

    def admit(
        self, method: str, chat_id: int, *, private: bool, count: int = 1
    ) -> Throttle | None:
        """Count ``count`` sends to ``chat_id`` arriving now; a ``Throttle`` if over a limit."""
        if not self.enabled:
            return None
        now = self.clock()
        chat = self._limit_for(chat_id, private=private, now=now)
        wait = max(self._bot.wait_time(now, count), chat.wait_time(now, count))
        if wait > 0:
            return Throttle(method, chat_id, max(1, math.ceil(wait)))
        self._bot.take(now, count)
        chat.take(now, count)
        return None

    def reset(self) -> None:
        """Forget all counted sends."""
        self._bot = _SlidingWindow(self.limits.per_bot_per_second, 1.0)
        self._chats.clear()

    def _limit_for(
        self, chat_id: int, *, private: bool, now: float
    ) -> _SlidingWindow | _TokenBucket:
        limit = self._chats.get(chat_id)
        if limit is None:
            limits = self.limits
            if private:
                limit = _TokenBucket(limits.private_burst, limits.private_per_second, now)
            else:
                limit = _SlidingWindow(limits.group_per_minute, 60.0)
            self._chats[chat_id] = limit
        return limit


def throttle_error(throttle: Throttle) -> Exception:
    """Return the 429 error for a refused send."""
    return too_many_requests(throttle.retry_after)
