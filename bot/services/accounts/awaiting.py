"""What the bot waits for an account to type next, kept in the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from bot import clock
from bot.models import Account, AwaitedInput

EXPIRES_AFTER = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Awaited:
    """What the account's next text answers: a kind, and what the question remembered."""

    kind: str
    payload: Mapping[str, Any]


async def await_input(account: Account, kind: str, **payload: Any) -> None:
    """Remember that the next text from ``account`` answers ``kind`` (replacing any other)."""
    await AwaitedInput.update_or_create(
        defaults={"kind": kind, "payload": payload}, account_id=account.id
    )


async def awaited_input(account: Account) -> Awaited | None:
    """What the account's next text answers, if anything (forgotten after an hour)."""
    awaited = await AwaitedInput.get_or_none(account_id=account.id)
    if awaited is None:
        return None
    if awaited.created_at < clock.now() - EXPIRES_AFTER:
        await awaited.delete()
        return None
    return Awaited(awaited.kind, MappingProxyType(dict(awaited.payload)))


async def stop_awaiting(account: Account) -> None:
    """The account's next text answers nothing in particular any more."""
    await AwaitedInput.filter(account_id=account.id).delete()
