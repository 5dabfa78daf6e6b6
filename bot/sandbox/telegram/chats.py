"""Chats of the fake Telegram and the rules for who may write where."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from bot.sandbox.telegram.api_errors import ApiError, bad_request, chat_migrated, forbidden
from bot.sandbox.telegram.messages import FakeMessage

_FIRST_USER_ID = 700_000_001
_FIRST_GROUP_ID = 4_000_001
_SUPERGROUP_BASE = 1_000_000_000_000


@dataclass(eq=False)
class ChatState:
    """One chat: its identity, its messages and the bot's standing in it."""

    id: int
    type: str
    title: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    username: str | None = None
    is_forum: bool = False
    history: list[FakeMessage] = field(default_factory=list)
    next_message_id: int = 1
    bot_status: str = "member"
    blocked: bool = False
    started: bool = False
    deactivated: bool = False
    members: dict[int, str] = field(default_factory=dict)
    topics: dict[int, str] = field(default_factory=dict)
    migrated_to: int | None = None
    reply_keyboard: list[list[str]] | None = None

    @property
    def is_private(self) -> bool:
        """Whether this is a private chat with a user."""
        return self.type == "private"

    def to_dict(self) -> dict[str, Any]:
        """Return the short ``Chat`` object embedded in messages."""
        chat: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.is_private:
            chat["first_name"] = self.first_name
            if self.last_name:
                chat["last_name"] = self.last_name
        else:
            chat["title"] = self.title
        if self.username:
            chat["username"] = self.username
        if self.is_forum:
            chat["is_forum"] = True
        return chat

    def to_full_info(self) -> dict[str, Any]:
        """Return the ``ChatFullInfo`` object getChat answers with."""
        return {
            **self.to_dict(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    def new_message_id(self) -> int:
        """Allocate the next message id in this chat."""
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id

    def find_message(self, message_id: int) -> FakeMessage | None:
        """Return the (not deleted) message with this id, or ``None``."""
        for message in reversed(self.history):
            if message.message_id == message_id and not message.deleted:
                return message
        return None

    def bot_messages(self) -> list[FakeMessage]:
        """Messages the bot sent here that are still visible, oldest first."""
        return [
            message
            for message in self.history
            if message.from_bot and not message.deleted and not message.is_service
        ]


class ChatRegistry:
    """All chats by id, handing out ids the way Telegram shapes them."""

    def __init__(self) -> None:
        self._chats: dict[int, ChatState] = {}
        self._user_ids = itertools.count(_FIRST_USER_ID)
        self._group_ids = itertools.count(_FIRST_GROUP_ID)

    def new_user_id(self) -> int:
        """Return a fresh positive user id (also the private chat id)."""
        return next(self._user_ids)

    def new_group_id(self, *, supergroup: bool) -> int:
        """Return a fresh negative group id; supergroups look like ``-100...``."""
        number = next(self._group_ids)
        return -(_SUPERGROUP_BASE + number) if supergroup else -number

    def add(self, chat: ChatState) -> ChatState:
        """Register ``chat`` under its id."""
        self._chats[chat.id] = chat
        return chat

    def all(self) -> list[ChatState]:
        """Every chat, in creation order."""
        return list(self._chats.values())

    def find(self, chat_id: int | str) -> ChatState | None:
        """Return the chat for a numeric id or ``@username``, or ``None``."""
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            wanted = chat_id[1:].lower()
            return next(
                (c for c in self._chats.values() if (c.username or "").lower() == wanted), None
            )
        try:
            return self._chats.get(int(chat_id))
        except ValueError:
            return None

    def get(self, chat_id: Any) -> ChatState:
        """Return the chat, or answer 400 like Telegram for unknown or migrated chats."""
        if chat_id is None or chat_id == "":
            raise bad_request("chat_id is empty")
        chat = self.find(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        if chat.migrated_to is not None:
            raise chat_migrated(chat.migrated_to)
        return chat

    def writable(self, chat_id: Any) -> ChatState:
        """Return a chat the bot may post to, or answer 403 like Telegram."""
        chat = self.get(chat_id)
        refusal = _refusal(chat)
        if refusal is not None:
            raise refusal
        return chat

    def migrate(self, chat: ChatState) -> ChatState:
        """Turn a basic group into a new supergroup and remember the move."""
        supergroup = ChatState(
            id=self.new_group_id(supergroup=True),
            type="supergroup",
            title=chat.title,
            bot_status=chat.bot_status,
            members=dict(chat.members),
        )
        chat.migrated_to = supergroup.id
        return self.add(supergroup)


def _refusal(chat: ChatState) -> ApiError | None:
    if chat.is_private:
        if chat.deactivated:
            return forbidden("user is deactivated")
        if chat.blocked:
            return forbidden("bot was blocked by the user")
        if not chat.started:
            return forbidden("bot can't initiate conversation with a user")
        return None
    kind = "supergroup chat" if chat.type == "supergroup" else "group chat"
    if chat.bot_status == "kicked":
        return forbidden(f"bot was kicked from the {kind}")
    if chat.bot_status == "left":
        return forbidden(f"bot is not a member of the {kind}")
    return None
