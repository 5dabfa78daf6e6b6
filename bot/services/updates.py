"""Processed Telegram update ids, so that a webhook redelivery is handled once."""

from __future__ import annotations

import datetime as dt

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


async def prune_processed_updates(now: dt.datetime | None = None) -> int:
    """Forget update ids older than a day; returns how many were forgotten."""
    cutoff = (now or clock.now()) - KEEP_PROCESSED_IDS
    return await ProcessedUpdate.filter(processed_at__lt=cutoff).delete()
