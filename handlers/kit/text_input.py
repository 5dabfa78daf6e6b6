"""Typed answers: the one place plain text from a private chat is routed.

A capability asks for text with ``await_input(account, kind, …)`` and names a
:data:`TextAnswer` for that ``kind`` in its ``TEXT_ANSWERS`` (assembled in :mod:`handlers`);
the text then reaches exactly that capability, also after a restart (the state is in the
database). Text nobody waits for is offered to the ``UNAWAITED_TEXT`` handlers in order (e.g.
an invite code typed by hand), then gets the fallback hint.

An answer starts with :func:`typed_text`, which gives the message, its text and the account,
or ``None`` when there is nothing to answer::

    entered = typed_text(update, context)
    if entered is None:
        return
    await update_facility(actor_of(context), facility_id, contact=entered.text)
    await stop_awaiting(entered.account)

Wrap the answer in :func:`handlers.kit.buttons.typed`, so a refusal becomes a short reply.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from telegram import Message, Update
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.services.accounts import Awaited, awaited_input
from handlers.kit.context import HeimboteContext
from handlers.kit.fallback import unexpected_message

if TYPE_CHECKING:  # types only: handlers do not touch models
    from bot.models import Account

TextAnswer = Callable[[Update, HeimboteContext, Awaited], Awaitable[None]]
# Returns True when it took the text.
UnawaitedText = Callable[[Update, HeimboteContext], Awaitable[bool]]


@dataclass(frozen=True)
class TypedText:
    """What a typed answer works with: the message, its text and the account that typed it."""

    message: Message
    text: str
    account: Account


def typed_text(update: Update, context: HeimboteContext) -> TypedText | None:
    """The typed message with its text and account, or ``None`` when there is nothing to
    answer (no message, no text, no account)."""
    message = update.effective_message
    if message is None or not message.text or context.account is None:
        return None
    return TypedText(message, message.text, context.account)


class TextRouter:
    """Routes plain text from private chats: to whoever waits for it, else whoever wants it.

    ``answers`` take text awaited as their kind; text nothing waits for is offered to
    ``unawaited`` in order, then gets the fallback hint.
    """

    def __init__(
        self, answers: Mapping[str, TextAnswer], unawaited: Sequence[UnawaitedText]
    ) -> None:
        self._answers = dict(answers)
        self._unawaited = list(unawaited)

    async def route(self, update: Update, context: HeimboteContext) -> None:
        """Hand the text to whoever waits for it, else to whoever wants it, else give the hint."""
        if context.account is None:
            return
        awaited = await awaited_input(context.account)
        if awaited is not None and awaited.kind in self._answers:
            await self._answers[awaited.kind](update, context, awaited)
            return
        for offer in self._unawaited:
            if await offer(update, context):
                return
        await unexpected_message(update, context)

    def handlers(self) -> list[BaseHandler[Update, HeimboteContext, None]]:
        """The text router: after every command and button handler, before the fallbacks."""
        return [MessageHandler(filters.TEXT & ~filters.COMMAND, self.route)]
