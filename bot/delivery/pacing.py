"""Telegram's flood limits, kept by the one sender: bot-wide, per private chat, per group.

Telegram counts a send when the request *arrives*, and allows at most ``rate`` in any sliding
second. The sender cannot see arrivals, but it knows each one happened between the moment the
request was started and the moment its answer came back. So a send keeps its place in the
bot-wide window from its start until one second after its answer (while in flight it counts in
full). Then, for any second as Telegram sees it, the send of that second started last found
all the others still counted when it started: no second ever holds more than ``rate``, however
late or bunched the requests arrive. The cost is the answer time: a send occupies
1 s + its round trip, so the pace reaches ``rate / (1 + round trip)``.

Sends are also spaced ``1/rate`` apart (no bursts); a 429 (which this should never earn) is
honoured, halves the ceiling, and the ceiling grows back by one send per second's worth of
answered sends (additive increase, multiplicative decrease).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

PRIVATE_INTERVAL = 1.0  # seconds between two messages to one private chat
GROUP_PER_MINUTE = 20
GROUP_WINDOW = 60.0
BOT_WINDOW = 1.0
# A request whose answer never came (a time-out) may still arrive after we gave up on it:
# it keeps its place in the windows this much longer.
UNANSWERED_GRACE = 5.0


@dataclass
class Send:
    """One request on its way, as the pacer counts it."""

    chat_id: int
    messages: int


class _ArrivalWindow:
    """At most ``capacity`` arrivals in any ``span`` seconds, counted from start to answer."""

    def __init__(self, span: float) -> None:
        self.span = span
        self.in_flight = 0
        self._answered: deque[tuple[float, int]] = deque()  # (answered at, messages)
        self._answered_messages = 0  # the messages in ``_answered``, kept as it changes

    def wait(self, now: float, messages: int, capacity: float) -> float | None:
        """Seconds until ``messages`` more fit; ``None`` when only an answer can make room."""
        answered = self._answered
        while answered and answered[0][0] <= now - self.span:
            self._answered_messages -= answered.popleft()[1]
        counted = self.in_flight + self._answered_messages
        excess = counted + messages - capacity
        if excess <= 0:
            return 0.0
        for at, count in sorted(answered):  # the earliest answers leave the window first
            excess -= count
            if excess <= 0:
                return at + self.span - now
        return None

    def start(self, messages: int) -> None:
        self.in_flight += messages

    def finish(self, messages: int, answered_at: float) -> None:
        self.in_flight -= messages
        self._answered.append((answered_at, messages))
        self._answered_messages += messages

    def is_idle(self, now: float) -> bool:
        return self.in_flight == 0 and not any(at > now - self.span for at, _ in self._answered)


class Pacer:
    """When each next message may go, so that Telegram never needs to answer 429."""

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._rate = rate
        self._ceiling = rate  # lowered after a 429, grows back to ``rate``
        self._clock = clock
        self._bot = _ArrivalWindow(BOT_WINDOW)
        self._groups: dict[int, _ArrivalWindow] = {}
        self._next_any = 0.0
        self._next_private: dict[int, float] = {}
        self._paused_until = 0.0

    @property
    def ceiling(self) -> float:
        """Sends allowed in any second now (``rate`` unless a 429 lowered it)."""
        return self._ceiling

    def wait_for(self, chat_id: int, messages: int = 1) -> float:
        """Seconds until ``messages`` to ``chat_id`` may start (0 when they may go now).

        While only an answer in flight can make room, this is a short poll interval.
        """
        now = self._clock()
        bot = self._bot.wait(now, messages, max(self._ceiling, messages))
        if bot is None:
            bot = min(0.01, 1.0 / self._rate)
        ready = max(self._next_any, self._paused_until)
        return max(0.0, ready - now, bot, self.chat_wait(chat_id, messages))

    def chat_wait(self, chat_id: int, messages: int = 1) -> float:
        """Seconds until ``chat_id``'s own limit lets ``messages`` go (bot-wide aside)."""
        now = self._clock()
        if chat_id > 0:
            return max(0.0, self._next_private.get(chat_id, 0.0) - now)
        group = self._groups.get(chat_id)
        if group is None:
            return 0.0
        wait = group.wait(now, messages, max(GROUP_PER_MINUTE, messages))
        return GROUP_WINDOW if wait is None else wait

    def started(self, chat_id: int, messages: int = 1) -> Send:
        """Count ``messages`` starting now to ``chat_id`` (an album counts each photo)."""
        now = self._clock()
        interval = 1.0 / self._ceiling
        # Spaced 1/rate apart; a sender that was late (timers overshoot) may start the next
        # half an interval early, never at once: no bursts.
        self._next_any = max(self._next_any, now - interval / 2) + interval * messages
        self._bot.start(messages)
        if chat_id > 0:
            # Spaced by the start: a private chat's bucket (3) absorbs arrival jitter.
            self._next_private[chat_id] = now + PRIVATE_INTERVAL * messages
            if len(self._next_private) > 50_000:  # forget chats long since ready
                self._next_private = {
                    chat: ready for chat, ready in self._next_private.items() if ready > now
                }
        else:
            self._groups.setdefault(chat_id, _ArrivalWindow(GROUP_WINDOW)).start(messages)
        return Send(chat_id, messages)

    def finished(self, send: Send, *, answered: bool = True) -> None:
        """The request for ``send`` is over: answered (any answer), or given up (time-out)."""
        now = self._clock()
        at = now if answered else now + UNANSWERED_GRACE
        self._bot.finish(send.messages, at)
        if send.chat_id <= 0:
            group = self._groups[send.chat_id]
            group.finish(send.messages, at)
            if len(self._groups) > 1_000:
                self._groups = {
                    chat: window for chat, window in self._groups.items()
                    if not window.is_idle(now)
                }
        if answered and self._ceiling < self._rate:
            self._ceiling = min(self._rate, self._ceiling + send.messages / self._ceiling)

    def throttled(self, retry_after: float) -> bool:
        """Telegram said 429: nothing goes for ``retry_after``, and the pace halves.

        Returns whether this began a new pause (several requests in flight may all be refused).
        """
        now = self._clock()
        new = now >= self._paused_until
        self._paused_until = max(self._paused_until, now + retry_after)
        if new:
            self._ceiling = max(1.0, self._ceiling / 2)
        return new
