"""Telegram's flood limits, kept by the one sender: bot-wide, per private chat, per group."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

PRIVATE_INTERVAL = 1.0  # seconds between two messages to one private chat
GROUP_PER_MINUTE = 20
CATCH_UP_SECONDS = 0.2


class Pacer:
    """When each next message may go, so that Telegram never needs to answer 429."""

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._interval = 1.0 / rate
        self._clock = clock
        self._next_any = 0.0
        self._next_private: dict[int, float] = {}
        self._group_sends: dict[int, deque[float]] = {}
        self._paused_until = 0.0

    def wait_for(self, chat_id: int) -> float:
        """Seconds until a message to ``chat_id`` may be sent (0 when it may go now)."""
        now = self._clock()
        ready = max(self._next_any, self._paused_until, self._chat_ready(chat_id, now))
        return max(0.0, ready - now)

    def _chat_ready(self, chat_id: int, now: float) -> float:
        if chat_id > 0:
            return self._next_private.get(chat_id, 0.0)
        sends = self._group_sends.get(chat_id)
        while sends and sends[0] <= now - 60.0:
            sends.popleft()
        if sends is None or len(sends) < GROUP_PER_MINUTE:
            return 0.0
        return sends[0] + 60.0

    def sent(self, chat_id: int, messages: int = 1) -> None:
        """Count ``messages`` just sent to ``chat_id`` (an album counts each photo)."""
        now = self._clock()
        # A sender that fell behind (a slow answer, a database write) may catch up a little.
        self._next_any = max(self._next_any, now - CATCH_UP_SECONDS) + self._interval * messages
        if chat_id > 0:
            self._next_private[chat_id] = now + PRIVATE_INTERVAL * messages
            if len(self._next_private) > 50_000:  # forget chats long since ready
                self._next_private = {
                    chat: ready for chat, ready in self._next_private.items() if ready > now
                }
        else:
            self._group_sends.setdefault(chat_id, deque()).extend([now] * messages)

    def pause(self, seconds: float) -> None:
        """Telegram said 429: nothing goes for ``seconds``."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)
