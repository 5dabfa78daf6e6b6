"""What every sending method shares: target chat, reply, thread, text and caption rules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.sandbox.telegram.api_errors import bad_request
from bot.sandbox.telegram.chats import ChatState
from bot.sandbox.telegram.formatting import format_text
from bot.sandbox.telegram.messages import FakeMessage
from bot.sandbox.telegram.plain_text import FormattedText
from bot.sandbox.telegram.reply_markup import (
    check_reply_markup,
    inline_part,
    remember_reply_keyboard,
)
from bot.sandbox.telegram.request_params import ApiRequest
from bot.sandbox.telegram.text_entities import utf16_length

if TYPE_CHECKING:
    from bot.sandbox.telegram.fake_telegram import FakeTelegram

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
GENERAL_TOPIC_ID = 1


@dataclass
class SendTarget:
    """Where a new bot message goes: chat, forum topic and replied-to message."""

    chat: ChatState
    thread_id: int | None
    reply_to: FakeMessage | None


def resolve_target(tg: FakeTelegram, call: ApiRequest) -> SendTarget:
    """Check the chat, topic and reply of a send the way Telegram does."""
    chat = tg.chats.writable(call.get("chat_id"))
    thread_id = _thread_of(chat, call.get("message_thread_id"))
    return SendTarget(chat, thread_id, _replied_message(chat, call))


def _thread_of(chat: ChatState, thread_id: Any) -> int | None:
    if thread_id is None or not chat.is_forum:
        return None
    thread_id = int(thread_id)
    if thread_id == GENERAL_TOPIC_ID:
        return None
    if thread_id not in chat.topics:
        raise bad_request("message thread not found")
    return int(thread_id)


def _replied_message(chat: ChatState, call: ApiRequest) -> FakeMessage | None:
    reply_parameters = call.get("reply_parameters") or {}
    message_id = reply_parameters.get("message_id") or call.get("reply_to_message_id")
    if message_id is None:
        return None
    found = chat.find_message(int(message_id))
    if found is not None:
        return found
    if reply_parameters.get("allow_sending_without_reply") or call.get(
        "allow_sending_without_reply"
    ):
        return None
    raise bad_request("message to be replied not found")


def message_text(call: ApiRequest) -> FormattedText:
    """Parse ``text`` with ``parse_mode``/``entities``; 400 when empty or too long."""
    text = call.get("text")
    if text is None or str(text) == "":
        raise bad_request("message text is empty")
    formatted = format_text(str(text), call.get("parse_mode"), call.get("entities"))
    if not formatted.text:
        raise bad_request("message text is empty")
    if utf16_length(formatted.text) > MAX_TEXT_LENGTH:
        raise bad_request("message is too long")
    return formatted


def caption_of(source: dict[str, Any] | ApiRequest) -> FormattedText:
    """Parse an optional ``caption``; 400 when longer than 1024 characters."""
    caption = source.get("caption")
    if caption is None or caption == "":
        return FormattedText("")
    formatted = format_text(str(caption), source.get("parse_mode"), source.get("caption_entities"))
    if utf16_length(formatted.text) > MAX_CAPTION_LENGTH:
        raise bad_request("message caption is too long")
    return formatted


def markup_of(call: ApiRequest) -> dict[str, Any] | None:
    """Return the validated ``reply_markup`` of a call."""
    return check_reply_markup(call.get("reply_markup"))


def post_bot_message(
    tg: FakeTelegram,
    method: str,
    target: SendTarget,
    markup: dict[str, Any] | None,
    **fields: Any,
) -> FakeMessage:
    """Count the send against flood limits, then store the bot's new message."""
    tg.admit_send(method, target.chat)
    remember_reply_keyboard(target.chat, markup)
    return tg.store_message(
        target.chat,
        sender=tg.bot_user(),
        from_bot=True,
        reply_to=target.reply_to,
        thread_id=target.thread_id,
        reply_markup=inline_part(markup),
        **fields,
    )


def text_fields(
    formatted: FormattedText, source_text: str, parse_mode: str | None
) -> dict[str, Any]:
    """Message fields for a text message."""
    return {
        "text": formatted.text,
        "entities": formatted.entities,
        "source_text": source_text,
        "parse_mode": parse_mode,
    }


def caption_fields(formatted: FormattedText) -> dict[str, Any]:
    """Message fields for a media caption."""
    return {"caption": formatted.text, "caption_entities": formatted.entities}
