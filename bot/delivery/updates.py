"""Processed Telegram update ids, so that a webhook redelivery is handled once.

Telegram posts several updates at once (up to the webhook's ``max_connections``). Each claim is
a write, and on SQLite every commit waits for the disk: :class:`UpdateClaims` records the ids
that arrive while a write is under way together, in one statement and one commit. The unique
index still decides: an id is handed on only by the process whose row it is.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Sequence

from tortoise.exceptions import IntegrityError

from bot import clock
from bot.models import ProcessedUpdate

KEEP_PROCESSED_IDS = dt.timedelta(days=1)


async def claim_update(update_id: int) -> bool:
    """Record ``update_id`` as processed; ``False`` when it was already recorded."""
    try:
        await ProcessedUpdate.create(update_id=update_id)
    except IntegrityError:
        return False
    return True


async def claim_updates(update_ids: Sequence[int]) -> list[bool]:
    """Record several ids at once; for each, whether this call recorded it (``claim_update``).

    One insert of all of them when none was recorded before (the usual case); when one was,
    the whole insert fails and each id is claimed on its own. An id given twice is claimed once.
    """
    fresh = list(dict.fromkeys(update_ids))
    if len(fresh) > 1:
        try:
            await ProcessedUpdate.bulk_create([ProcessedUpdate(update_id=i) for i in fresh])
        except IntegrityError:
            pass
        else:
            return _first_occurrences(update_ids, set(fresh))
    claimed = {update_id for update_id in fresh if await claim_update(update_id)}
    return _first_occurrences(update_ids, claimed)


def _first_occurrences(update_ids: Sequence[int], claimed: set[int]) -> list[bool]:
    seen: set[int] = set()
    answers = []
    for update_id in update_ids:
        answers.append(update_id in claimed and update_id not in seen)
        seen.add(update_id)
    return answers


class UpdateClaims:
    """Claims update ids for concurrent webhook requests, one write for those that wait."""

    def __init__(self) -> None:
        self._waiting: list[tuple[int, asyncio.Future[bool]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def claim(self, update_id: int) -> bool:
        """Like :func:`claim_update`, written together with the ids claimed meanwhile."""
        answer: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting.append((update_id, answer))
        if self._writer is None:
            self._writer = asyncio.create_task(self._write(), name="claim-update-ids")
        return await answer

    async def _write(self) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, []
                try:
                    answers = await claim_updates([update_id for update_id, _ in batch])
                except Exception as error:  # each request answers 500: Telegram retries
                    for _, answer in batch:
                        answer.set_exception(error)
                else:
                    for (_, answer), claimed in zip(batch, answers, strict=True):
                        answer.set_result(claimed)
        finally:
            self._writer = None


async def release_update(update_id: int) -> None:
    """Forget a claimed id whose update could not be handed on: Telegram's retry runs it."""
    await ProcessedUpdate.filter(update_id=update_id).delete()


async def prune_processed_updates(now: dt.datetime | None = None) -> int:
    """Forget update ids older than a day; returns how many were forgotten."""
    cutoff = (now or clock.now()) - KEEP_PROCESSED_IDS
    return await ProcessedUpdate.filter(processed_at__lt=cutoff).delete()
