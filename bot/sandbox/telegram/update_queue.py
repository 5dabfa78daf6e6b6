"""The queue of updates waiting for the bot, as getUpdates and the webhook see it."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from bot.sandbox.telegram.api_errors import ApiError

# Telegram's default when a bot never chose: everything but these three.
_OPT_IN_TYPES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})

CONFLICT_OTHER_POLL = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)


def update_type(update: dict[str, Any]) -> str:
    """Return the kind of an update, e.g. ``"message"`` or ``"callback_query"``."""
    return next((key for key in update if key != "update_id"), "")


class _PollTicket:
    """One waiting getUpdates request; a newer request supersedes it."""

    def __init__(self) -> None:
        self.superseded = False
        self.wake = asyncio.Event()


class UpdateQueue:
    """Pending updates with ascending ``update_id``, confirmed by ``offset`` like Telegram."""

    def __init__(self) -> None:
        self.pending: list[dict[str, Any]] = []
        self.next_update_id = 1
        self.allowed: frozenset[str] | None = None
        self.closed = False
        self._arrived = asyncio.Event()
        self._poll: _PollTicket | None = None

    def push(self, update: dict[str, Any]) -> int | None:
        """Queue an update (without ``update_id``); ``None`` if the bot did not allow its type."""
        if not self.wants(update_type(update)):
            return None
        update_id = self.next_update_id
        self.next_update_id += 1
        self.pending.append({"update_id": update_id, **update})
        self._signal_arrival()
        return update_id

    def wants(self, kind: str) -> bool:
        """Whether an update of this kind would reach the bot."""
        if self.allowed is None:
            return kind not in _OPT_IN_TYPES
        return kind in self.allowed

    def set_allowed(self, kinds: list[str] | None) -> None:
        """Apply ``allowed_updates``: ``None`` keeps the setting, ``[]`` means the default."""
        if kinds is None:
            return
        self.allowed = frozenset(kinds) if kinds else None

    def confirm(self, offset: int | None) -> None:
        """Forget updates below ``offset``; a negative offset keeps only the last ones."""
        if offset is None or offset == 0:
            return
        if offset < 0:
            self.pending = self.pending[offset:]
        else:
            self.pending = [u for u in self.pending if u["update_id"] >= offset]

    def take(self, limit: int) -> list[dict[str, Any]]:
        """Return (without removing) up to ``limit`` pending updates."""
        return self.pending[: max(1, min(limit, 100))]

    def drop_pending(self) -> None:
        """Forget every pending update (``drop_pending_updates``)."""
        self.pending.clear()

    def pop_first(self) -> dict[str, Any] | None:
        """Remove and return the oldest update (webhook delivery)."""
        return self.pending.pop(0) if self.pending else None

    async def long_poll(self, limit: int, timeout: float) -> list[dict[str, Any]]:
        """Answer getUpdates: return at once if updates wait, else wait up to ``timeout``."""
        ticket = self._supersede_poll()
        updates = self.take(limit)
        if updates or timeout <= 0 or self.closed:
            return updates
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                while not self.pending and not ticket.superseded and not self.closed:
                    await ticket.wake.wait()
                    ticket.wake.clear()
        if ticket.superseded:
            raise ApiError(409, CONFLICT_OTHER_POLL)
        return self.take(limit)

    async def wait_for_updates(self) -> None:
        """Wait until at least one update is pending (for the webhook sender)."""
        while not self.pending and not self.closed:
            event = self._arrived
            await event.wait()

    def close(self) -> None:
        """Release every waiter so the server can shut down promptly."""
        self.closed = True
        self._signal_arrival()

    def _supersede_poll(self) -> _PollTicket:
        if self._poll is not None:
            self._poll.superseded = True
            self._poll.wake.set()
        self._poll = _PollTicket()
        return self._poll

    def _signal_arrival(self) -> None:
        if self._poll is not None:
            self._poll.wake.set()
        self._arrived.set()
        self._arrived = asyncio.Event()
