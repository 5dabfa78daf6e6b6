"""Messages as the fake Telegram keeps them: one object per message, edited in place."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.sandbox.telegram.chats import ChatState

# Keys of a Message that carry its media; at most one is set.
MEDIA_KINDS = ("photo", "document", "video", "voice", "audio", "sticker", "animation")


@dataclass(eq=False)
class FakeMessage:
    """A message in a fake chat, sent by the bot or by a fake user.

    ``text`` is the plain text without markup ("" for media); ``caption`` likewise.
    ``content`` is whichever of the two the message shows.
    """

    chat: ChatState
    message_id: int
    date: int
    sender: dict[str, Any]
    from_bot: bool
    text: str = ""
    entities: list[dict[str, Any]] = field(default_factory=list)
    caption: str = ""
    caption_entities: list[dict[str, Any]] = field(default_factory=list)
    media: dict[str, Any] = field(default_factory=dict)
    reply_markup: dict[str, Any] | None = None
    media_group_id: str | None = None
    thread_id: int | None = None
    reply_to: FakeMessage | None = None
    edit_date: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    source_text: str | None = None
    parse_mode: str | None = None
    deleted: bool = False
    version: int = 0

    @property
    def chat_id(self) -> int:
        """The id of the chat the message is in."""
        return self.chat.id

    @property
    def content(self) -> str:
        """The text, or for media the caption."""
        return self.text or self.caption

    @property
    def is_service(self) -> bool:
        """Whether this is a service message (topic created, member joined, ...)."""
        return not self.text and not self.media and not self.caption and bool(self.extra)

    @property
    def photo(self) -> list[dict[str, Any]] | None:
        """The photo sizes, if this is a photo."""
        return self.media.get("photo")

    @property
    def document(self) -> dict[str, Any] | None:
        """The document, if this is a document."""
        return self.media.get("document")

    @property
    def buttons(self) -> list[list[str]]:
        """The texts of the inline keyboard, row by row."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [[button.get("text", "") for button in row] for row in rows]

    @property
    def button_texts(self) -> list[str]:
        """All inline button texts in reading order."""
        return [text for row in self.buttons for text in row]

    def find_button(self, text: str, *, exact: bool = True) -> dict[str, Any] | None:
        """Return the inline button with this text (or containing it), if any."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        for row in rows:
            for button in row:
                label = button.get("text", "")
                if label == text or (not exact and text in label):
                    return dict(button)
        return None

    def callback_data(self, text: str) -> str | None:
        """Return the callback_data of the button with this text."""
        button = self.find_button(text)
        return button.get("callback_data") if button else None

    def to_dict(self, *, with_reply: bool = True) -> dict[str, Any]:
        """Return the Bot API ``Message`` object."""
        message: dict[str, Any] = {
            "message_id": self.message_id,
            "from": self.sender,
            "date": self.date,
            "chat": self.chat.to_dict(),
        }
        if self.thread_id is not None:
            message["message_thread_id"] = self.thread_id
            message["is_topic_message"] = True
        if with_reply and self.reply_to is not None:
            message["reply_to_message"] = self.reply_to.to_dict(with_reply=False)
        if self.edit_date is not None:
            message["edit_date"] = self.edit_date
        if self.media_group_id is not None:
            message["media_group_id"] = self.media_group_id
        message.update(self._content_fields())
        message.update(self.extra)
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            message["reply_markup"] = self.reply_markup
        return message

    def _content_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = dict(self.media)
        if self.text:
            fields["text"] = self.text
            if self.entities:
                fields["entities"] = self.entities
        if self.caption:
            fields["caption"] = self.caption
            if self.caption_entities:
                fields["caption_entities"] = self.caption_entities
        return fields

    def __repr__(self) -> str:
        who = "bot" if self.from_bot else self.sender.get("first_name", "?")
        kind = next((key for key in self.media), "text")
        return (
            f"<FakeMessage {self.chat_id}/{self.message_id} from {who} {kind}: "
            f"{self.content!r} buttons={self.button_texts}>"
        )
