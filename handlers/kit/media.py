"""Media in private chats: the one place a photo, file, voice message… is routed.

Several capabilities take media: the care team posts photo updates, /broadcast waits for an
announcement's photo, relatives send photos and voice messages to the team. A handler of its
own for each would make the first one registered take everything; instead the
:class:`MediaRouter` asks each capability in turn whether it takes this message (the takers
are given in :mod:`handlers`, in order), and whatever nobody takes gets the usual hint.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence

from telegram import Update
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.services.accounts import awaited_input
from handlers.kit.context import HeimboteContext
from handlers.kit.fallback import unexpected_message

log = logging.getLogger(__name__)

MediaTaker = Callable[[Update, HeimboteContext], Awaitable[bool]]
"""Takes a media message and answers it (``True``), or leaves it to the next one (``False``)."""

MediaAnswer = Callable[[Update, HeimboteContext], Awaitable[None]]
"""Answers a media message, whatever it is."""

MEDIA = (
    filters.PHOTO | filters.Document.ALL | filters.VIDEO | filters.VIDEO_NOTE
    | filters.ANIMATION | filters.Sticker.ALL | filters.VOICE | filters.AUDIO
    | filters.LOCATION | filters.CONTACT
)


class MediaRouter:
    """Routes media from private chats to the first capability that takes it, else the hint."""

    def __init__(self, takers: Sequence[tuple[str, MediaTaker]]) -> None:
        self._takers = list(takers)

    async def route(self, update: Update, context: HeimboteContext) -> None:
        """Offer the message to each taker in order; nobody took it: the usual hint."""
        if context.account is None:
            return
        for name, takes in self._takers:
            if await takes(update, context):
                log.debug("media taken by %s", name)
                return
        await unexpected_message(update, context)

    def handlers(self) -> list[BaseHandler[Update, HeimboteContext, None]]:
        """Every media message in a private chat (text has :class:`~handlers.kit.text_input`)."""
        return [MessageHandler(MEDIA & filters.ChatType.PRIVATE, self.route)]


def of_kinds(kinds: filters.BaseFilter, answer: MediaAnswer) -> MediaTaker:
    """A taker that answers every message of ``kinds`` (and leaves the others)."""

    async def takes(update: Update, context: HeimboteContext) -> bool:
        if not kinds.check_update(update):
            return False
        await answer(update, context)
        return True

    return takes


def while_awaiting(kind: str, answer: MediaAnswer) -> MediaTaker:
    """A taker that answers any media while the account's awaited input is ``kind``."""

    async def takes(update: Update, context: HeimboteContext) -> bool:
        if context.account is None:
            return False
        awaited = await awaited_input(context.account)
        if awaited is None or awaited.kind != kind:
            return False
        await answer(update, context)
        return True

    return takes
