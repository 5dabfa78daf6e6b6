"""Updates from different chats are handled side by side; one chat's updates strictly in order.

PTB handles one update at a time by default, so a relative waiting for the database or for
Telegram's answer holds up every other family. Handling all updates concurrently would let one
person's quick taps and album parts overtake each other. This processor takes the middle road:
up to ``max_concurrent_updates`` at once, but a chat's (or, without a chat, a user's) updates
wait for the one before them. SQLite stays safe: Tortoise's single connection takes one query or
one transaction at a time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

MAX_CONCURRENT_UPDATES = 32


def _order_key(update: object) -> int | None:
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None


class PerChatInOrder(BaseUpdateProcessor):
    """Concurrent across chats, in arrival order within one chat."""

    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT_UPDATES) -> None:
        super().__init__(max_concurrent_updates)
        self._tails: dict[int, asyncio.Future[None]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = _order_key(update)
        if key is None:
            await coroutine
            return
        before = self._tails.get(key)
        mine: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._tails[key] = mine
        try:
            if before is not None:
                try:
                    # Shielded: this update being cancelled must not cancel its predecessor's mark.
                    await asyncio.shield(before)
                except asyncio.CancelledError:
                    if asyncio.iscoroutine(coroutine):
                        coroutine.close()  # never started: say so, instead of a warning
                    raise
            await coroutine
        finally:
            mine.set_result(None)
            if self._tails.get(key) is mine:
                del self._tails[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release: PTB waits for the updates in progress itself."""
