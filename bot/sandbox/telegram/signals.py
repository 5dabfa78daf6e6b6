"""Waiting on a condition without sleeping: every change wakes the waiters to re-check."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class WaitTimeout(AssertionError):
    """A test waited for something the bot never did; reads as a failed assertion."""


class ChangeSignal:
    """Wakes every waiter whenever something in the fake Telegram changed."""

    def __init__(self) -> None:
        self._event = asyncio.Event()
        self.version = 0

    def notify(self) -> int:
        """Mark a change; returns the new version number."""
        self.version += 1
        self._event.set()
        self._event = asyncio.Event()
        return self.version

    async def wait_for(
        self,
        check: Callable[[], T | None],
        timeout: float,
        describe: Callable[[], str],
    ) -> T:
        """Return ``check()``'s first truthy result, or raise ``WaitTimeout`` after ``timeout``."""
        try:
            async with asyncio.timeout(timeout):
                while True:
                    event = self._event
                    found = check()
                    if found:
                        return found
                    await event.wait()
        except TimeoutError:
            raise WaitTimeout(f"Timed out after {timeout}s: {describe()}") from None
