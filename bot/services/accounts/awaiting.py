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
    prompt: tuple[int, int] | None = None
    """The question's message (chat id, message id), whose buttons go once it is answered."""


PROMPT = "_prompt"  # the payload key the question's message is kept under


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
    payload = dict(awaited.payload)
    prompt = payload.pop(PROMPT, None)
    return Awaited(
        awaited.kind, MappingProxyType(payload),
        (int(prompt[0]), int(prompt[1])) if prompt else None,
    )


async def remember_prompt(account: Account, chat_id: int, message_id: int) -> None:
    """The message that asked for the awaited text: its buttons go once the text arrives."""
    awaited = await AwaitedInput.get_or_none(account_id=account.id)
    if awaited is not None:
        awaited.payload = {**awaited.payload, PROMPT: [chat_id, message_id]}
        await awaited.save(update_fields=["payload"])


async def stop_awaiting(account: Account) -> None:
    """The account's next text answers nothing in particular any more."""
    await AwaitedInput.filter(account_id=account.id).delete()
