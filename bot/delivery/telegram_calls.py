"""The one translation of an outbox row into Bot API calls.

The sender sends the outbox with it, and a handler that answers at once with what the outbox
would send (a preview of an announcement, a photo update shown back to its author) sends it
with the same function: what a relative will see and what the admin previews cannot drift apart.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from typing import Any

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    InputMediaPhoto,
    MessageEntity,
)
from telegram.error import BadRequest

from bot.delivery.outbox import Outgoing


def entities(raw: list[dict[str, Any]] | None) -> list[MessageEntity] | None:
    """Formatting kept as Bot API JSON in the outbox, as PTB objects."""
    return [MessageEntity.de_json(entity, None) for entity in raw] if raw else None


def _button(button: Mapping[str, Any]) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        button["text"], callback_data=button.get("callback_data"), url=button.get("url")
    )


def keyboard(rows: Sequence[Sequence[Mapping[str, Any]]] | None) -> InlineKeyboardMarkup | None:
    """Inline keyboard rows kept as Bot API JSON in the outbox, as PTB markup."""
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[_button(button) for button in row] for row in rows]
    )


async def send(
    bot: Bot,
    chat_id: int,
    kind: str,
    content: Mapping[str, Any],
    *,
    topic: int | None = None,
    markup: InlineKeyboardMarkup | None = None,
) -> list[int]:
    """One Bot API call for ``kind`` and ``content``; the ids of the messages it created.

    ``markup`` replaces the content's own buttons (an album cannot carry any). Edits and
    deletions create none; an edit that changes nothing counts as done.
    """
    markup = markup or keyboard(content.get("buttons"))
    caption = content.get("caption") or None
    if kind == "text":
        sent = await bot.send_message(
            chat_id, content["text"], entities=entities(content.get("entities")),
            parse_mode=content.get("parse_mode"), reply_markup=markup, message_thread_id=topic,
        )
        return [sent.message_id]
    if kind == "photo":
        sent = await bot.send_photo(
            chat_id, content["file_id"], caption=caption,
            caption_entities=entities(content.get("caption_entities")),
            reply_markup=markup, message_thread_id=topic,
        )
        return [sent.message_id]
    if kind == "voice":
        sent = await bot.send_voice(
            chat_id, content["file_id"], caption=caption, reply_markup=markup,
            message_thread_id=topic,
        )
        return [sent.message_id]
    if kind == "album":
        first, *rest = content["file_ids"]
        media = [InputMediaPhoto(first, caption=caption)]
        media += [InputMediaPhoto(file_id) for file_id in rest]
        album = await bot.send_media_group(chat_id, media, message_thread_id=topic)
        return [message.message_id for message in album]
    if kind == "document":
        upload = InputFile(base64.b64decode(content["data"]), filename=content["file_name"])
        sent = await bot.send_document(
            chat_id, upload, caption=caption, reply_markup=markup, message_thread_id=topic,
        )
        return [sent.message_id]
    if kind == "copy":
        copied = await bot.copy_message(
            chat_id, content["from_chat_id"], content["message_id"], reply_markup=markup,
            message_thread_id=topic,
        )
        return [copied.message_id]
    if kind in ("edit_text", "edit_markup"):
        await _edit(bot, chat_id, kind, content, markup)
        return []
    if kind == "delete":
        await bot.delete_messages(chat_id, content["message_ids"])
        return []
    raise BadRequest(f"unknown delivery kind {kind!r}")


async def _edit(
    bot: Bot, chat_id: int, kind: str, content: Mapping[str, Any],
    markup: InlineKeyboardMarkup | None,
) -> None:
    try:
        if kind == "edit_text":
            await bot.edit_message_text(
                content["text"], chat_id, content["message_id"], reply_markup=markup
            )
        else:
            await bot.edit_message_reply_markup(chat_id, content["message_id"], reply_markup=markup)
    except BadRequest as error:  # already shows this: nothing to change
        if "not modified" not in str(error).lower():
            raise


async def send_outgoing(
    bot: Bot, chat_id: int, outgoing: Outgoing, markup: InlineKeyboardMarkup | None = None
) -> list[int]:
    """Send at once what a service would put in the outbox (a direct reply)."""
    return await send(bot, chat_id, outgoing.kind, outgoing.content, markup=markup)
