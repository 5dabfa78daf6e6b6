"""``FakeUser``: a Telegram user talking to the bot in their private chat."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bot.sandbox.telegram.callbacks import CallbackAnswer
from bot.sandbox.telegram.chat_view import DEFAULT_CONTENT, ChatView
from bot.sandbox.telegram.incoming import post_edit
from bot.sandbox.telegram.messages import FakeMessage
from bot.sandbox.telegram.text_entities import detect_entities

if TYPE_CHECKING:
    from bot.sandbox.telegram.fake_telegram import FakeTelegram


class FakeUser(ChatView):
    """A person in a test story; their private chat id equals their user id."""

    def __init__(
        self,
        tg: FakeTelegram,
        user_id: int,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "de",
    ) -> None:
        self.id = user_id
        self.first_name = first_name
        self.last_name = last_name
        self.username = username
        self.language_code = language_code
        self.callback_answers: list[CallbackAnswer] = []
        super().__init__(tg, tg.chats.find(user_id) or _missing_chat(user_id))

    def __repr__(self) -> str:
        return f"<FakeUser {self.first_name} {self.id}>"

    def to_dict(self) -> dict[str, Any]:
        """The user as a Bot API ``User`` object."""
        user: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            user["last_name"] = self.last_name
        if self.username:
            user["username"] = self.username
        if self.language_code:
            user["language_code"] = self.language_code
        return user

    @property
    def last_alert(self) -> str | None:
        """Text of the bot's newest answer to one of this user's button presses."""
        texts = [answer.text for answer in self.callback_answers if answer.text]
        return texts[-1] if texts else None

    @property
    def blocked(self) -> bool:
        """Whether this user has blocked the bot."""
        return self.chat.blocked

    async def send(self, text: str, *, reply_to: FakeMessage | None = None) -> FakeMessage:
        """Type a message or command (``"/start abc123"``) to the bot."""
        self._open_chat()
        return await self._post_text(self.to_dict(), text, reply_to=reply_to)

    async def reply(self, to: FakeMessage, text: str) -> FakeMessage:
        """Answer a message with Telegram's reply feature."""
        return await self.send(text, reply_to=to)

    async def edit(self, message: FakeMessage, text: str) -> FakeMessage:
        """Edit one of this user's own text messages (``edited_message`` update)."""
        if message.from_bot or message.sender.get("id") != self.id:
            raise ValueError(f"{self!r} can only edit their own messages, not {message!r}")
        self._start_action()
        message.text = text
        message.entities = detect_entities(text)
        message.edit_date = self.tg.now()
        post_edit(self.tg, message)
        return message

    async def press(
        self, text: str, *, message: FakeMessage | None = None, timeout: float = 5.0
    ) -> CallbackAnswer:
        """Press the inline button ``text`` on the newest bot message that has it.

        Waits until the bot answered the callback query.
        """
        return await self._press(self.to_dict(), text, message, timeout)

    async def send_photo(
        self,
        caption: str | None = None,
        *,
        content: bytes | None = None,
        reply_to: FakeMessage | None = None,
    ) -> FakeMessage:
        """Send a photo (a tiny valid JPEG unless ``content`` is given)."""
        self._open_chat()
        return await self._post_media(
            self.to_dict(), "photo", content or DEFAULT_CONTENT["photo"], caption,
            reply_to=reply_to,
        )

    async def send_album(
        self, count: int = 2, caption: str | None = None, *, contents: Sequence[bytes] = ()
    ) -> list[FakeMessage]:
        """Send ``count`` photos (or the photos ``contents``) as one album (shared
        ``media_group_id``)."""
        self._open_chat()
        return await self._post_album(self.to_dict(), count, caption, contents)

    async def send_document(
        self,
        filename: str = "document.pdf",
        mime_type: str = "application/pdf",
        content: bytes | None = None,
        caption: str | None = None,
        reply_to: FakeMessage | None = None,
    ) -> FakeMessage:
        """Send a file as a document; the bot can download ``content`` via getFile."""
        self._open_chat()
        return await self._post_media(
            self.to_dict(),
            "document",
            content or DEFAULT_CONTENT["document"],
            caption,
            file_name=filename,
            mime_type=mime_type,
            reply_to=reply_to,
        )

    async def send_sticker(self, emoji: str = "👍") -> FakeMessage:
        """Send a sticker."""
        self._open_chat()
        return await self._post_media(
            self.to_dict(), "sticker", DEFAULT_CONTENT["sticker"], None, details={"emoji": emoji}
        )

    async def send_voice(self, duration: int = 3) -> FakeMessage:
        """Send a voice message."""
        self._open_chat()
        return await self._post_media(
            self.to_dict(),
            "voice",
            DEFAULT_CONTENT["voice"],
            None,
            details={"duration": duration},
        )

    async def send_video(self, caption: str | None = None, duration: int = 5) -> FakeMessage:
        """Send a video."""
        self._open_chat()
        return await self._post_media(
            self.to_dict(),
            "video",
            DEFAULT_CONTENT["video"],
            caption,
            details={"duration": duration},
        )

    def _open_chat(self) -> None:
        # Writing to the bot starts the chat and lifts a block, as "Restart bot" does.
        self.chat.started = True
        if self.chat.blocked:
            self.tg.unblock(self)


def _missing_chat(user_id: int) -> Any:
    raise LookupError(f"no private chat for user {user_id}; create users with tg.user()")
