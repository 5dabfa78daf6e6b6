"""sendMessage, copyMessage, forwardMessage and sendChatAction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.sandbox.telegram.api_errors import bad_request
from bot.sandbox.telegram.chats import ChatState
from bot.sandbox.telegram.messages import FakeMessage
from bot.sandbox.telegram.request_params import ApiRequest
from bot.sandbox.telegram.sending import (
    caption_fields,
    caption_of,
    markup_of,
    message_text,
    post_bot_message,
    resolve_target,
    text_fields,
)

if TYPE_CHECKING:
    from bot.sandbox.telegram.fake_telegram import FakeTelegram

CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)


async def send_message(tg: FakeTelegram, call: ApiRequest) -> dict[str, Any]:
    """sendMessage: text with parse_mode/entities, keyboards, replies, topics."""
    target = resolve_target(tg, call)
    formatted = message_text(call)
    markup = markup_of(call)
    fields = text_fields(formatted, str(call.get("text")), call.get("parse_mode"))
    message = post_bot_message(tg, "sendMessage", target, markup, **fields)
    return message.to_dict()


async def copy_message(tg: FakeTelegram, call: ApiRequest) -> dict[str, Any]:
    """copyMessage: the same content as a new message without a link to the original."""
    source = _source_message(tg, call, "message to copy not found")
    if source.is_service:
        raise bad_request("message can't be copied")
    target = resolve_target(tg, call)
    markup = markup_of(call)
    fields = _copied_content(source)
    if call.get("caption") is not None and source.media:
        fields.update(caption_fields(caption_of(call)))
    if call.get("remove_caption"):
        fields.update(caption="", caption_entities=[])
    message = post_bot_message(tg, "copyMessage", target, markup, **fields)
    return {"message_id": message.message_id}


async def forward_message(tg: FakeTelegram, call: ApiRequest) -> dict[str, Any]:
    """forwardMessage: the same content, marked with where it came from."""
    source = _source_message(tg, call, "message to forward not found")
    if source.is_service:
        raise bad_request("message can't be forwarded")
    target = resolve_target(tg, call)
    fields = _copied_content(source)
    fields["extra"] = {"forward_origin": _forward_origin(source), "forward_date": source.date}
    message = post_bot_message(tg, "forwardMessage", target, None, **fields)
    return message.to_dict()


async def send_chat_action(tg: FakeTelegram, call: ApiRequest) -> bool:
    """sendChatAction: "typing…" and friends; no message, no flood control."""
    tg.chats.writable(call.get("chat_id"))
    if call.get("action") not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True


def _source_message(tg: FakeTelegram, call: ApiRequest, not_found: str) -> FakeMessage:
    source_chat: ChatState = tg.chats.get(call.get("from_chat_id"))
    message_id = call.get("message_id")
    found = source_chat.find_message(int(message_id)) if message_id is not None else None
    if found is None:
        raise bad_request(not_found)
    return found


def _copied_content(source: FakeMessage) -> dict[str, Any]:
    return {
        "text": source.text,
        "entities": list(source.entities),
        "caption": source.caption,
        "caption_entities": list(source.caption_entities),
        "media": dict(source.media),
    }


def _forward_origin(source: FakeMessage) -> dict[str, Any]:
    if source.chat.type == "channel":
        return {
            "type": "channel",
            "chat": source.chat.to_dict(),
            "message_id": source.message_id,
            "date": source.date,
        }
    return {"type": "user", "sender_user": source.sender, "date": source.date}


HANDLERS = {
    "sendMessage": send_message,
    "copyMessage": copy_message,
    "forwardMessage": forward_message,
    "sendChatAction": send_chat_action,
}
