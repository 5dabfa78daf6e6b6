"""Editing and deleting bot messages, answering button presses."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.sandbox.telegram.api_errors import bad_request
from bot.sandbox.telegram.callbacks import CallbackAnswer
from bot.sandbox.telegram.chats import ChatState
from bot.sandbox.telegram.messages import FakeMessage
from bot.sandbox.telegram.plain_text import FormattedText
from bot.sandbox.telegram.reply_markup import inline_part
from bot.sandbox.telegram.request_params import ApiRequest
from bot.sandbox.telegram.sending import caption_of, markup_of, message_text

if TYPE_CHECKING:
    from bot.sandbox.telegram.fake_telegram import FakeTelegram

_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
DELETE_WINDOW_SECONDS = 48 * 3600
MAX_MESSAGES_TO_DELETE = 100


def _message_to_edit(tg: FakeTelegram, call: ApiRequest) -> FakeMessage:
    if call.get("inline_message_id") is not None:
        raise bad_request("message to edit not found")
    chat = tg.chats.writable(call.get("chat_id"))
    message_id = call.get("message_id")
    message = chat.find_message(int(message_id)) if message_id is not None else None
    if message is None:
        raise bad_request("message to edit not found")
    if not message.from_bot or message.is_service:
        raise bad_request("message can't be edited")
    return message


def _apply_edit(
    tg: FakeTelegram, message: FakeMessage, new_markup: dict[str, Any] | None, **fields: Any
) -> dict[str, Any]:
    unchanged = new_markup == message.reply_markup and all(
        getattr(message, name) == value
        for name, value in fields.items()
        if name not in {"source_text", "parse_mode"}
    )
    if unchanged:
        raise bad_request(_NOT_MODIFIED)
    for name, value in fields.items():
        setattr(message, name, value)
    message.reply_markup = new_markup
    message.edit_date = tg.now()
    tg.touch(message)
    return message.to_dict()


async def edit_message_text(tg: FakeTelegram, call: ApiRequest) -> dict[str, Any]:
    """editMessageText: new text; without reply_markup the inline keyboard goes away."""
    message = _message_to_edit(tg, call)
    if not message.text:
        raise bad_request("there is no text in the message to edit")
    formatted: FormattedText = message_text(call)
    return _apply_edit(
        tg,
        message,
        inline_part(markup_of(call)),
        text=formatted.text,
        entities=formatted.entities,
        source_text=str(call.get("text")),
        parse_mode=call.get("parse_mode"),
    )


async def edit_message_caption(tg: FakeTelegram, call: ApiRequest) -> dict[str, Any]:
    """editMessageCaption: new caption of a media message."""
    message = _message_to_edit(tg, call)
    if not message.media:
        raise bad_request("there is no caption in the message to edit")
    formatted = caption_of(call)
    return _apply_edit(
        tg,
        message,
        inline_part(markup_of(call)),
        caption=formatted.text,
        caption_entities=formatted.entities,
    )


async def edit_message_reply_markup(tg: FakeTelegram, call: ApiRequest) -> dict[str, Any]:
    """editMessageReplyMarkup: new (or no) inline keyboard."""
    message = _message_to_edit(tg, call)
    return _apply_edit(tg, message, inline_part(markup_of(call)))


async def delete_message(tg: FakeTelegram, call: ApiRequest) -> bool:
    """deleteMessage: only within 48 hours, others' group messages only as admin."""
    chat = tg.chats.get(call.get("chat_id"))
    message_id = call.get("message_id")
    message = chat.find_message(int(message_id)) if message_id is not None else None
    if message is None:
        raise bad_request("message to delete not found")
    if not _may_delete(tg, chat, message):
        raise bad_request("message can't be deleted")
    _delete(tg, message)
    return True


async def delete_messages(tg: FakeTelegram, call: ApiRequest) -> bool:
    """deleteMessages: delete what can be deleted, skip the rest."""
    chat = tg.chats.get(call.get("chat_id"))
    message_ids = call.get("message_ids")
    if not isinstance(message_ids, list) or not 1 <= len(message_ids) <= MAX_MESSAGES_TO_DELETE:
        raise bad_request("message identifiers are not specified")
    for message_id in message_ids:
        message = chat.find_message(int(message_id))
        if message is not None and _may_delete(tg, chat, message):
            _delete(tg, message)
    return True


def _may_delete(tg: FakeTelegram, chat: ChatState, message: FakeMessage) -> bool:
    if tg.now() - message.date >= DELETE_WINDOW_SECONDS:
        return False
    if "forum_topic_created" in message.extra:
        return False
    return chat.is_private or message.from_bot or chat.bot_status == "administrator"


def _delete(tg: FakeTelegram, message: FakeMessage) -> None:
    message.deleted = True
    tg.touch(message)


async def answer_callback_query(tg: FakeTelegram, call: ApiRequest) -> bool:
    """answerCallbackQuery: the toast or alert the pressing user sees."""
    query_id = call.require(
        "callback_query_id", "query is too old and response timeout expired or query ID is invalid"
    )
    answer = CallbackAnswer(
        text=call.get("text"), show_alert=bool(call.get("show_alert")), url=call.get("url")
    )
    query = tg.callbacks.answer(str(query_id), answer)
    user = tg.users.get(query.user_id)
    if user is not None:
        user.callback_answers.append(answer)
    return True


HANDLERS = {
    "editMessageText": edit_message_text,
    "editMessageCaption": edit_message_caption,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
    "deleteMessages": delete_messages,
    "answerCallbackQuery": answer_callback_query,
}
