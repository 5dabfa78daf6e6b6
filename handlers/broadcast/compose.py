"""The announcement's first version: a text, or a photo with a caption."""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.domain.enums import Role
from bot.domain.errors import DomainError
from bot.services import announcements as service
from bot.services.accounts import Awaited, await_input, awaited_input, get_facility, stop_awaiting
from handlers.broadcast.audience import ask_audience
from handlers.broadcast.replies import explain
from handlers.kit.args import int_args
from handlers.kit.context import HeimboteContext, actor_of
from handlers.kit.fallback import unexpected_message
from handlers.kit.screens import show

TEXT = "broadcast_text"  # awaited: the text (or the photo) of a new announcement


async def ask_text(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """The "home" button (or the only home): ask for the text or photo."""
    facility = await get_facility(actor_of(context), int_args(args, 1)[0], Role.ADMIN)
    assert context.account is not None
    await await_input(context.account, TEXT, facility=facility.id)
    await show(update, context.tr._(
        "New announcement for {home}. Please send the text, or a photo with a caption. "
        "Bold, italics and links are kept."
    ).format(home=facility.name))


async def text_received(update: Update, context: HeimboteContext, awaited: Awaited) -> None:
    """The announcement's text (formatting kept as entities)."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    entities = [entity.to_dict() for entity in message.entities]
    await _drafted(update, context, awaited, message.text, entities, None)


async def take_photo(update: Update, context: HeimboteContext) -> bool:
    """The announcement's photo, when /broadcast waits for one: whether it was taken."""
    message = update.effective_message
    awaited = await awaited_input(context.account) if context.account else None
    if message is None or not message.photo or awaited is None or awaited.kind != TEXT:
        return False
    entities = [entity.to_dict() for entity in message.caption_entities]
    await _drafted(update, context, awaited, message.caption or "", entities,
                   message.photo[-1].file_id)
    return True


async def photo_received(update: Update, context: HeimboteContext) -> None:
    """A photo: the announcement's, when /broadcast waits for one; else the usual hint."""
    if not await take_photo(update, context):
        await unexpected_message(update, context)


async def _drafted(
    update: Update, context: HeimboteContext, awaited: Awaited,
    text: str, entities: list[dict[str, Any]], photo: str | None,
) -> None:
    try:
        announcement = await service.draft(
            actor_of(context), int(awaited.payload["facility"]), text, entities, photo_file_id=photo
        )
    except DomainError as error:
        await show(update, explain(context.tr, error, len(text)))
        return
    assert context.account is not None
    await stop_awaiting(context.account)
    await ask_audience(update, context, announcement)
