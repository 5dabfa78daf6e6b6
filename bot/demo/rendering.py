"""Text with Telegram entities as safe HTML, and a fake message as the JSON the page draws.

The fake Telegram stores what Telegram stores: plain text plus entities with UTF-16 offsets.
The page shows it the way a Telegram app would: bold, links, tappable /commands, spoilers.
Telegram's apps also make /commands and links in the bot's own messages tappable (the bot sends
HTML, whose entities name only the formatting): the page finds them the way Telegram finds them
in what people type.
"""

from __future__ import annotations

import html
from typing import Any

from bot.sandbox.telegram.messages import FakeMessage
from bot.sandbox.telegram.text_entities import detect_entities

_SIMPLE_TAGS = {
    "bold": ("<b>", "</b>"),
    "italic": ("<i>", "</i>"),
    "underline": ("<u>", "</u>"),
    "strikethrough": ("<s>", "</s>"),
    "spoiler": ('<span class="spoiler" tabindex="0">', "</span>"),
    "code": ("<code>", "</code>"),
    "pre": ("<pre><code>", "</code></pre>"),
    "blockquote": ("<blockquote>", "</blockquote>"),
    "expandable_blockquote": ("<blockquote>", "</blockquote>"),
}
_SAFE_SCHEMES = ("http://", "https://", "tg://", "mailto:")
_TAPPABLE = ("bot_command", "url")  # found in the bot's text by the app, as Telegram's do
# Inside these a found /command or link is not one (it is code, or a link already).
_OPAQUE = ("code", "pre", "text_link", "url", "bot_command", "email", "mention", "text_mention")


def _units(text: str) -> list[str]:
    """The text as a list of UTF-16 code units' characters (a pair for astral characters)."""
    units: list[str] = []
    for character in text:
        units.append(character)
        if ord(character) > 0xFFFF:
            units.append("")  # the second half of the surrogate pair: no character of its own
    return units


def _link(url: str) -> tuple[str, str]:
    href = url if url.startswith(_SAFE_SCHEMES) else "#"
    attributes = f'href="{html.escape(href)}" target="_blank" rel="noopener noreferrer"'
    return f"<a {attributes}>", "</a>"


def _tags(entity: dict[str, Any], covered: str) -> tuple[str, str]:
    kind = entity.get("type", "")
    if kind in _SIMPLE_TAGS:
        return _SIMPLE_TAGS[kind]
    if kind == "text_link":
        return _link(str(entity.get("url", "")))
    if kind == "url":
        return _link(covered if "://" in covered else f"https://{covered}")
    if kind == "bot_command":
        command = html.escape(covered.split("@", 1)[0])
        return f'<a href="#" class="command" data-command="{command}">', "</a>"
    return "", ""


def entities_html(text: str, entities: list[dict[str, Any]] | None) -> str:
    """``text`` with its ``entities`` as HTML; everything else escaped. Newlines stay newlines."""
    units = _units(text)
    opening: dict[int, list[tuple[int, str, str]]] = {}
    for entity in entities or []:
        start, length = int(entity.get("offset", 0)), int(entity.get("length", 0))
        end = min(start + length, len(units))
        if length <= 0 or start >= end:
            continue
        start_tag, end_tag = _tags(entity, "".join(units[start:end]))
        if start_tag:
            opening.setdefault(start, []).append((end, start_tag, end_tag))
    out: list[str] = []
    stack: list[tuple[int, str, str]] = []
    for position in range(len(units) + 1):
        # Close what ends here; a wrongly nested entity is closed and reopened around it.
        reopen: list[tuple[int, str, str]] = []
        while stack and any(end <= position for end, _, _ in stack):
            end, start_tag, end_tag = stack.pop()
            out.append(end_tag)
            if end > position:
                reopen.append((end, start_tag, end_tag))
        for entry in reversed(reopen):
            out.append(entry[1])
            stack.append(entry)
        for entry in sorted(opening.get(position, []), key=lambda found: -found[0]):
            out.append(entry[1])
            stack.append(entry)
        if position < len(units):
            out.append(html.escape(units[position]))
    return "".join(out)


def _buttons(message: FakeMessage) -> list[list[dict[str, str]]]:
    rows = (message.reply_markup or {}).get("inline_keyboard", [])
    shown = []
    for row in rows:
        shown.append(
            [
                {"text": str(button.get("text", "")), "url": str(button.get("url", ""))}
                for button in row
            ]
        )
    return shown


def _media(message: FakeMessage) -> dict[str, Any]:
    if message.photo:
        largest = message.photo[-1]
        return {"kind": "photo", "file_id": largest["file_id"]}
    for kind in ("document", "video", "voice", "audio", "sticker", "animation"):
        found = message.media.get(kind)
        if found:
            return {
                "kind": kind,
                "file_id": found["file_id"],
                "file_name": found.get("file_name") or f"{kind}",
                "mime_type": found.get("mime_type") or "",
                "size": found.get("file_size", 0),
                "emoji": found.get("emoji", ""),
            }
    return {"kind": "text"}


def _span(entity: dict[str, Any]) -> tuple[int, int]:
    start = int(entity.get("offset", 0))
    return start, start + int(entity.get("length", 0))


def with_tappable(text: str, entities: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """``entities`` and the /commands and links an app finds in ``text`` outside of them."""
    given = list(entities or [])
    taken = [_span(entity) for entity in given if entity.get("type") in _OPAQUE]

    def free(entity: dict[str, Any]) -> bool:
        start, end = _span(entity)
        return not any(start < other_end and other_start < end for other_start, other_end in taken)

    found = [e for e in detect_entities(text) if e["type"] in _TAPPABLE and free(e)]
    return given + found


def message_view(message: FakeMessage) -> dict[str, Any]:
    """One message as the page draws it (text already safe HTML)."""
    body = message.text or message.caption
    entities = message.entities if message.text else message.caption_entities
    reply = message.reply_to
    return {
        "id": message.message_id,
        "version": message.version,
        "from_bot": message.from_bot,
        "sender": str(message.sender.get("first_name", "")),
        "date": message.date,
        "html": entities_html(body, with_tappable(body, entities) if message.from_bot
                              else entities),
        "edited": message.edit_date is not None,
        "album": message.media_group_id,
        "buttons": _buttons(message),
        "reply_to": (
            {"id": reply.message_id, "text": (reply.content or "📎")[:80]} if reply else None
        ),
        **_media(message),
    }
