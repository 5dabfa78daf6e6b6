"""Typed answers: the one place plain text from a private chat is routed.

A capability asks for text with ``await_input(account, kind, …)`` and registers a
:data:`TextAnswer` for that ``kind`` here; the text then reaches exactly that capability, also
after a restart (the state is in the database). Text nobody waits for goes to the
``unawaited`` handlers in order (e.g. an invite code typed by hand), then gets the fallback hint.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.models import AwaitedInput
from bot.services.awaited_input import awaited_input
from handlers.context import HeimboteContext
from handlers.fallback import unexpected_message

TextAnswer = Callable[[Update, HeimboteContext, AwaitedInput], Awaitable[None]]
# Returns True when it took the text.
UnawaitedText = Callable[[Update, HeimboteContext], Awaitable[bool]]

_answers: dict[str, TextAnswer] = {}
_unawaited: list[UnawaitedText] = []


def answers(kind: str) -> Callable[[TextAnswer], TextAnswer]:
    """Decorator: ``@answers("resident_name")`` handles text awaited as that kind."""

    def register(callback: TextAnswer) -> TextAnswer:
        _answers[kind] = callback
        return callback

    return register


def when_unawaited(callback: UnawaitedText) -> UnawaitedText:
    """Decorator: offer text that nothing waits for to ``callback`` (registration order)."""
    _unawaited.append(callback)
    return callback


async def route_text(update: Update, context: HeimboteContext) -> None:
    """Hand the text to whoever waits for it, else to whoever wants it, else give the hint."""
    if context.account is None:
        return
    awaited = await awaited_input(context.account)
    if awaited is not None and awaited.kind in _answers:
        await _answers[awaited.kind](update, context, awaited)
        return
    for offer in _unawaited:
        if await offer(update, context):
            return
    await unexpected_message(update, context)


def handlers() -> list[BaseHandler[Update, HeimboteContext, None]]:
    """The text router: after every command and button handler, before the fallbacks."""
    return [MessageHandler(filters.TEXT & ~filters.COMMAND, route_text)]
