"""``FakeGroup``: a group or forum supergroup where fake users talk with the bot around."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bot.sandbox.telegram.callbacks import CallbackAnswer
from bot.sandbox.telegram.chat_view import DEFAULT_CONTENT, ChatView
from bot.sandbox.telegram.chats import ChatState
from bot.sandbox.telegram.incoming import GROUP_ANONYMOUS_BOT, membership_update, post_user_message
from bot.sandbox.telegram.messages import FakeMessage

if TYPE_CHECKING:
    from bot.sandbox.telegram.fake_telegram import FakeTelegram
    from bot.sandbox.telegram.people import FakeUser

_TOPIC_COLORS = itertools.cycle((7322096, 16766590, 13338331, 9367192, 16749490, 16478047))


class FakeGroup(ChatView):
    """A group chat (negative id) that the bot is a member of."""

    def __repr__(self) -> str:
        return f"<FakeGroup {self.chat.title!r} {self.chat_id}>"

    @property
    def id(self) -> int:
        """The group's current chat id (changes when migrated to a supergroup)."""
        return self.chat.id

    @property
    def title(self) -> str:
        """The group's title."""
        return self.chat.title or ""

    @property
    def topics(self) -> dict[int, str]:
        """Forum topics by ``message_thread_id``."""
        return dict(self.chat.topics)

    def add(self, user: FakeUser, *, admin: bool = False, announce: bool = False) -> None:
        """Make ``user`` a member (or admin); ``announce`` posts the "joined" service message."""
        self.chat.members[user.id] = "administrator" if admin else "member"
        if announce:
            post_user_message(
                self.tg, self.chat, user.to_dict(), extra={"new_chat_members": [user.to_dict()]}
            )

    def remove_bot(self, by: FakeUser | None = None) -> None:
        """Someone kicks the bot out: sends answer 403 and a ``my_chat_member`` update arrives."""
        actor = by.to_dict() if by else GROUP_ANONYMOUS_BOT
        old = self.chat.bot_status
        self.chat.bot_status = "kicked"
        self.tg.deliver(membership_update(self.tg, self.chat, actor, old, "kicked"))

    def make_bot_admin(self, admin: bool = True) -> None:
        """Promote (or demote) the bot; admins see every message despite privacy mode."""
        old = self.chat.bot_status
        self.chat.bot_status = "administrator" if admin else "member"
        self.tg.deliver(
            membership_update(self.tg, self.chat, GROUP_ANONYMOUS_BOT, old, self.chat.bot_status)
        )

    def create_topic(self, name: str) -> int:
        """A member creates a forum topic; returns its ``message_thread_id``."""
        if not self.chat.is_forum:
            raise ValueError(f"{self!r} is not a forum")
        created = open_topic(self.tg, self.chat, name, GROUP_ANONYMOUS_BOT)
        return created.message_id

    async def send(
        self,
        user: FakeUser,
        text: str,
        *,
        thread_id: int | None = None,
        reply_to: FakeMessage | None = None,
    ) -> FakeMessage:
        """``user`` writes ``text`` in the group (in a forum topic with ``thread_id``)."""
        self._ensure_member(user)
        return await self._post_text(user.to_dict(), text, **_placement(thread_id, reply_to))

    async def send_photo(
        self,
        user: FakeUser,
        caption: str | None = None,
        *,
        thread_id: int | None = None,
        content: bytes | None = None,
        reply_to: FakeMessage | None = None,
    ) -> FakeMessage:
        """``user`` posts a photo in the group (a tiny JPEG unless ``content`` is given)."""
        self._ensure_member(user)
        return await self._post_media(
            user.to_dict(),
            "photo",
            content or DEFAULT_CONTENT["photo"],
            caption,
            **_placement(thread_id, reply_to),
        )

    async def send_album(
        self, user: FakeUser, contents: Sequence[bytes], caption: str | None = None
    ) -> list[FakeMessage]:
        """``user`` posts the photos ``contents`` as one album in the group."""
        self._ensure_member(user)
        return await self._post_album(user.to_dict(), len(contents), caption, contents)

    async def send_document(
        self,
        user: FakeUser,
        filename: str,
        mime_type: str,
        content: bytes,
        caption: str | None = None,
    ) -> FakeMessage:
        """``user`` posts a file in the group."""
        self._ensure_member(user)
        return await self._post_media(
            user.to_dict(), "document", content, caption, file_name=filename, mime_type=mime_type
        )

    async def press(
        self,
        user: FakeUser,
        text: str,
        *,
        message: FakeMessage | None = None,
        timeout: float = 5.0,
    ) -> CallbackAnswer:
        """``user`` presses an inline button on the newest bot message in the group that has it."""
        self._ensure_member(user)
        return await self._press(user.to_dict(), text, message, timeout)

    def migrate(self) -> int:
        """Upgrade to a supergroup; the old id then answers 400 with ``migrate_to_chat_id``."""
        old = self.chat
        new = self.tg.chats.migrate(old)
        post_user_message(self.tg, old, GROUP_ANONYMOUS_BOT, extra={"migrate_to_chat_id": new.id})
        post_user_message(self.tg, new, GROUP_ANONYMOUS_BOT, extra={"migrate_from_chat_id": old.id})
        self.chat = new
        return new.id

    def _ensure_member(self, user: FakeUser) -> None:
        self.chat.members.setdefault(user.id, "member")


def _placement(thread_id: int | None, reply_to: FakeMessage | None) -> dict[str, Any]:
    return {"thread_id": thread_id, "reply_to": reply_to}


def open_topic(
    tg: FakeTelegram, chat: ChatState, name: str, creator: dict[str, Any]
) -> FakeMessage:
    """Create a forum topic; its service message's id is the ``message_thread_id``."""
    thread_id = chat.next_message_id
    chat.topics[thread_id] = name
    created = {"forum_topic_created": {"name": name, "icon_color": next(_TOPIC_COLORS)}}
    from_bot = creator.get("id") == tg.bot_id
    message = tg.store_message(
        chat, sender=creator, from_bot=from_bot, thread_id=thread_id, extra=created
    )
    if not from_bot:
        tg.deliver({"message": message.to_dict()})
    return message
