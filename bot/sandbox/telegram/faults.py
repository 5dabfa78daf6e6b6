"""Injected trouble: failing and slow Bot API methods."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from bot.sandbox.telegram.api_errors import DEFAULT_DESCRIPTIONS, ApiError


@dataclass
class _PlannedFailure:
    status: int
    remaining: int
    description: str | None
    retry_after: int | None

    def error(self) -> ApiError:
        if self.status == 429:
            retry_after = self.retry_after or 1
            return ApiError(
                429,
                self.description or f"Too Many Requests: retry after {retry_after}",
                {"retry_after": retry_after},
            )
        description = self.description or DEFAULT_DESCRIPTIONS.get(self.status, "Error")
        return ApiError(self.status, description)


# How long a lost answer is held back: past any client's time-out.
LOST_ANSWER_HOLD = 60.0


class FaultPlan:
    """Which methods fail next, which answer slowly, and whose answers get lost."""

    def __init__(self) -> None:
        self._failures: dict[str, list[_PlannedFailure]] = {}
        self._delays: dict[str, float] = {}
        self._lost_answers: dict[str, int] = {}

    def lose_answers(self, method: str, *, times: int) -> None:
        """Carry out the next ``times`` calls of ``method`` but never answer them."""
        key = method.lower()
        self._lost_answers[key] = self._lost_answers.get(key, 0) + times

    async def after(self, method: str) -> None:
        """Called once a call was carried out: hold its answer back if it is to be lost."""
        key = method.lower()
        if self._lost_answers.get(key, 0) > 0:
            self._lost_answers[key] -= 1
            await asyncio.sleep(LOST_ANSWER_HOLD)

    def fail_next(
        self,
        method: str,
        *,
        status: int,
        times: int,
        description: str | None,
        retry_after: int | None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail with ``status``."""
        planned = _PlannedFailure(status, times, description, retry_after)
        self._failures.setdefault(method.lower(), []).append(planned)

    def slow(self, method: str, seconds: float) -> None:
        """Delay every answer of ``method`` by ``seconds`` (0 to stop)."""
        if seconds > 0:
            self._delays[method.lower()] = seconds
        else:
            self._delays.pop(method.lower(), None)

    async def apply(self, method: str) -> None:
        """Wait and/or raise as planned for one call of ``method``."""
        delay = self._delays.get(method.lower())
        if delay:
            await asyncio.sleep(delay)
        error = self._take_failure(method.lower())
        if error is not None:
            raise error

    def _take_failure(self, method: str) -> ApiError | None:
        planned = self._failures.get(method)
        if not planned:
            return None
        failure = planned[0]
        failure.remaining -= 1
        if failure.remaining <= 0:
            planned.pop(0)
        return failure.error()
