"""Callback queries users sent by pressing inline buttons, and the bot's answers."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from bot.sandbox.telegram.api_errors import bad_request
from bot.sandbox.telegram.messages import FakeMessage

_QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
MAX_ANSWER_LENGTH = 200


@dataclass
class CallbackAnswer:
    """What the bot answered to a button press (answerCallbackQuery)."""

    text: str | None
    show_alert: bool
    url: str | None = None


@dataclass
class CallbackQuery:
    """A button press waiting for the bot's answer."""

    query_id: str
    user_id: int
    message: FakeMessage
    data: str
    answer: CallbackAnswer | None = None


class CallbackBook:
    """Hands out query ids and matches the bot's answers to presses."""

    def __init__(self) -> None:
        self._ids = itertools.count(4_382_000_000_000_000_001)
        self._queries: dict[str, CallbackQuery] = {}

    def open(self, user_id: int, message: FakeMessage, data: str) -> CallbackQuery:
        """Register a press and return the query to send to the bot."""
        query = CallbackQuery(str(next(self._ids)), user_id, message, data)
        self._queries[query.query_id] = query
        return query

    def answer(self, query_id: str, answer: CallbackAnswer) -> CallbackQuery:
        """Record the bot's answer; Telegram refuses unknown or already answered queries."""
        query = self._queries.get(str(query_id))
        if query is None or query.answer is not None:
            raise bad_request(_QUERY_TOO_OLD)
        if answer.text is not None and len(answer.text) > MAX_ANSWER_LENGTH:
            raise bad_request("MESSAGE_TOO_LONG")
        query.answer = answer
        return query

    def unanswered(self) -> list[CallbackQuery]:
        """Presses the bot never answered (the user still sees a spinner)."""
        return [query for query in self._queries.values() if query.answer is None]


def chat_instance(chat_id: int) -> str:
    """Return a stable ``chat_instance`` for a chat, like Telegram's opaque one."""
    return str((abs(chat_id) * 2_654_435_761) % 10**19)


def inaccessible_message(message: FakeMessage) -> dict[str, Any]:
    """What Telegram sends for a message the bot can no longer see: chat, id and date 0."""
    return {"chat": message.chat.to_dict(), "message_id": message.message_id, "date": 0}


def callback_query_update(query: CallbackQuery, user: dict[str, Any]) -> dict[str, Any]:
    """Build the ``callback_query`` update for a press (a deleted message is inaccessible)."""
    message = query.message
    return {
        "callback_query": {
            "id": query.query_id,
            "from": user,
            "message": inaccessible_message(message) if message.deleted else message.to_dict(),
            "chat_instance": chat_instance(query.message.chat_id),
            "data": query.data,
        }
    }
