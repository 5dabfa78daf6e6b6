"""What the page's persona does in the fake Telegram: type, press, send photos and files.

Each action is what the person's Telegram app would send; the bot receives it over the Bot
API like any update. Nothing here talks to the bot or the database directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.demo.cast import Persona
from bot.sandbox.telegram import FakeGroup, FakeMessage, FakeTelegram, FakeUser
from bot.sandbox.telegram.callbacks import CallbackQuery, callback_query_update
from bot.sandbox.telegram.sample_media import looks_like_image, sample_photos

MAX_TEXT = 4096
MAX_ALBUM = 10


class BadAction(Exception):
    """The page asked for something the person could not do (400)."""


@dataclass
class Press:
    """A button press made from the page, and the bot's answer once it came."""

    persona: str
    query: CallbackQuery


def speaker_of(persona: Persona, key: object) -> FakeUser:
    """Who is typing: the persona itself, or in the group the member chosen on the page."""
    if key is None:
        return persona.speakers[0]
    if not isinstance(key, str):
        raise BadAction("speaker: a name")
    for user in persona.speakers:
        if user.first_name.lower() == key.lower():
            return user
    raise BadAction(f"{key!r} is not in this chat")


def message_in(persona: Persona, message_id: Any) -> FakeMessage | None:
    """The (visible) message with this id in the persona's chat, ``None`` for no id."""
    if message_id in (None, ""):
        return None
    try:
        found = persona.chat.chat.find_message(int(message_id))
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise BadAction("no such message")
    return found


async def send_text(
    persona: Persona, speaker: FakeUser, text: str, reply_to: FakeMessage | None
) -> None:
    """Type a message or a command."""
    text = text.strip()
    if not text or len(text) > MAX_TEXT:
        raise BadAction("text must be 1-4096 characters")
    if isinstance(persona.chat, FakeGroup):
        await persona.chat.send(speaker, text, reply_to=reply_to)
    else:
        await speaker.send(text, reply_to=reply_to)


def press(tg: FakeTelegram, persona: Persona, speaker: FakeUser, message: FakeMessage,
          row: int, column: int) -> Press:
    """Tap an inline button: a callback query goes to the bot; its answer comes later."""
    rows = (message.reply_markup or {}).get("inline_keyboard", [])
    try:
        button = rows[row][column]
    except (IndexError, TypeError):
        raise BadAction("no such button") from None
    if "callback_data" not in button:
        raise BadAction("not a callback button")
    query = tg.callbacks.open(speaker.id, message, button["callback_data"])
    tg.deliver(callback_query_update(query, speaker.to_dict()))
    return Press(persona.key, query)


def samples_named(names: list[str]) -> list[bytes]:
    """The sample photos chosen on the page (1-10)."""
    by_name = {photo.name: photo.content for photo in sample_photos()}
    if not 1 <= len(names) <= MAX_ALBUM or any(name not in by_name for name in names):
        raise BadAction("choose 1-10 of the sample photos")
    return [by_name[name] for name in names]


async def send_photos(
    persona: Persona,
    speaker: FakeUser,
    contents: list[bytes],
    caption: str | None,
    reply_to: FakeMessage | None,
) -> None:
    """Send one photo, or an album when there are several."""
    chat = persona.chat
    if len(contents) == 1:
        if isinstance(chat, FakeGroup):
            await chat.send_photo(speaker, caption, content=contents[0], reply_to=reply_to)
        else:
            await speaker.send_photo(caption, content=contents[0], reply_to=reply_to)
    elif isinstance(chat, FakeGroup):
        await chat.send_album(speaker, contents, caption)
    else:
        await speaker.send_album(len(contents), caption, contents=contents)


async def send_upload(
    persona: Persona,
    speaker: FakeUser,
    upload: tuple[str, str, bytes],
    caption: str | None,
    reply_to: FakeMessage | None,
) -> None:
    """An uploaded file: JPEG/PNG as a photo (as Telegram's "send as photo"), else a file."""
    filename, mime_type, content = upload
    if not content:
        raise BadAction("the file is empty")
    if mime_type in {"image/jpeg", "image/png"} and looks_like_image(content):
        await send_photos(persona, speaker, [content], caption, reply_to)
        return
    chat = persona.chat
    if isinstance(chat, FakeGroup):
        await chat.send_document(speaker, filename, mime_type, content, caption)
    else:
        await speaker.send_document(filename, mime_type, content, caption, reply_to=reply_to)
