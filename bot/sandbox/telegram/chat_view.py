"""What a test sees of one chat: the bot's messages, waiting for them, pressing buttons."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from bot.sandbox.telegram.callbacks import CallbackAnswer, callback_query_update
from bot.sandbox.telegram.chats import ChatState
from bot.sandbox.telegram.files import media_object
from bot.sandbox.telegram.incoming import post_user_message
from bot.sandbox.telegram.messages import FakeMessage
from bot.sandbox.telegram.sample_media import TINY_JPEG, TINY_MP4, TINY_OGG, TINY_PDF, TINY_WEBP
from bot.sandbox.telegram.text_entities import detect_entities

if TYPE_CHECKING:
    from bot.sandbox.telegram.fake_telegram import FakeTelegram

MessageMatch = str | Callable[[FakeMessage], Any] | None
_media_group_ids = itertools.count(13_620_000_000_000_001)


def _as_check(match: MessageMatch) -> Callable[[FakeMessage], Any]:
    if match is None:
        return lambda message: True
    if isinstance(match, str):
        return lambda message: match in message.content
    return match


class ChatView:
    """Base of ``FakeUser`` and ``FakeGroup``: one chat seen from the people in it."""

    def __init__(self, tg: FakeTelegram, chat: ChatState) -> None:
        self.tg = tg
        self.chat = chat
        self._mark = tg.signal.version

    @property
    def chat_id(self) -> int:
        """The chat's id (for a user: their user id)."""
        return self.chat.id

    @property
    def messages(self) -> list[FakeMessage]:
        """Messages the bot sent to this chat, oldest first, edits applied, deletions gone."""
        return self.chat.bot_messages()

    @property
    def last_message(self) -> FakeMessage | None:
        """The newest message the bot sent to this chat."""
        messages = self.messages
        return messages[-1] if messages else None

    @property
    def last_text(self) -> str | None:
        """Text (or caption) of the newest bot message in this chat."""
        last = self.last_message
        return last.content if last else None

    @property
    def keyboard(self) -> list[list[str]] | None:
        """The reply keyboard the bot shows under the input field, if any."""
        return self.chat.reply_keyboard

    async def wait_for(self, match: MessageMatch = None, *, timeout: float = 5.0) -> FakeMessage:
        """Wait for a bot message sent or edited since the last action in this chat.

        ``match`` is a substring of the text/caption or a predicate on ``FakeMessage``.
        """
        check = _as_check(match)
        mark = self._mark

        def found() -> FakeMessage | None:
            fresh = (m for m in self.chat.bot_messages() if m.version > mark)
            return next((m for m in fresh if check(m)), None)

        return await self.tg.signal.wait_for(
            found, timeout, lambda: self._describe(f"a bot message matching {match!r}", mark)
        )

    def _describe(self, wanted: str, mark: int) -> str:
        recent = [m for m in self.chat.bot_messages() if m.version > mark]
        errors = [f"{e.method}: {e.description}" for e in self.tg.errors[-5:]]
        return (
            f"chat {self.chat_id} waited for {wanted}. Bot messages since the last action: "
            f"{recent}. Recent calls: {[c.method for c in self.tg.calls[-8:]]}. "
            f"Refused calls: {errors}"
        )

    def _start_action(self) -> None:
        self._mark = self.tg.signal.version

    def _find_button_message(self, text: str) -> FakeMessage:
        candidates = list(reversed(self.messages))
        for exact in (True, False):
            for message in candidates:
                if message.find_button(text, exact=exact):
                    return message
        seen = [m.button_texts for m in candidates if m.button_texts]
        raise LookupError(f"no inline button {text!r} in chat {self.chat_id}; buttons: {seen}")

    async def _press(
        self,
        user: dict[str, Any],
        text: str,
        message: FakeMessage | None,
        timeout: float,
    ) -> CallbackAnswer:
        target = message or self._find_button_message(text)
        button = target.find_button(text) or target.find_button(text, exact=False)
        if button is None or "callback_data" not in button:
            raise LookupError(f"button {text!r} is not a callback button in {target!r}")
        self._start_action()
        query = self.tg.callbacks.open(user["id"], target, button["callback_data"])
        self.tg.deliver(callback_query_update(query, user))
        return await self.tg.signal.wait_for(
            lambda: query.answer,
            timeout,
            lambda: self._describe(f"answerCallbackQuery for {text!r}", self._mark),
        )

    async def _post(self, sender: dict[str, Any], **fields: Any) -> FakeMessage:
        self._start_action()
        return post_user_message(self.tg, self.chat, sender, **fields)

    async def _post_text(self, sender: dict[str, Any], text: str, **fields: Any) -> FakeMessage:
        return await self._post(sender, text=text, entities=detect_entities(text), **fields)

    async def _post_media(
        self, sender: dict[str, Any], kind: str, content: bytes, caption: str | None, **fields: Any
    ) -> FakeMessage:
        stored = self.tg.files.add(
            kind, content, fields.pop("file_name", None), fields.pop("mime_type", None)
        )
        details = fields.pop("details", {})
        media = {kind: media_object(self.tg.files, stored, **details)}
        caption_fields: dict[str, Any] = {}
        if caption:
            caption_fields = {"caption": caption, "caption_entities": detect_entities(caption)}
        return await self._post(sender, media=media, **caption_fields, **fields)

    async def _post_album(
        self,
        sender: dict[str, Any],
        count: int,
        caption: str | None,
        contents: Sequence[bytes] | None = None,
        **fields: Any,
    ) -> list[FakeMessage]:
        group_id = str(next(_media_group_ids))
        photos = list(contents) if contents else [TINY_JPEG] * count
        album = []
        for index, content in enumerate(photos):
            album.append(
                await self._post_media(
                    sender,
                    "photo",
                    content,
                    caption if index == 0 else None,
                    media_group_id=group_id,
                    **fields,
                )
            )
        return album


DEFAULT_CONTENT = {
    "photo": TINY_JPEG,
    "document": TINY_PDF,
    "sticker": TINY_WEBP,
    "voice": TINY_OGG,
    "video": TINY_MP4,
}
