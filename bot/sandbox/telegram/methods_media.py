"""Sending media (photo, document, ..., albums) and getFile."""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from bot.sandbox.telegram.api_errors import bad_request
from bot.sandbox.telegram.files import media_object
from bot.sandbox.telegram.request_params import ApiRequest
from bot.sandbox.telegram.sending import (
    SendTarget,
    caption_fields,
    caption_of,
    markup_of,
    post_bot_message,
    resolve_target,
)
from bot.sandbox.telegram.uploads import resolve_input_file

if TYPE_CHECKING:
    from bot.sandbox.telegram.fake_telegram import FakeTelegram

_album_ids = itertools.count(13_880_000_000_000_001)
_ALBUM_KINDS = {"photo", "video", "document", "audio"}
# Documents and audio only group with their own kind.
_SOLO_ALBUM_KINDS = {"document", "audio"}
MIN_ALBUM, MAX_ALBUM = 2, 10


def _media_sender(kind: str, method: str) -> Callable[[FakeTelegram, ApiRequest], Awaitable[Any]]:
    """Build the handler of ``send<Kind>``: upload or file_id, caption, keyboard."""

    async def send_media(tg: FakeTelegram, call: ApiRequest) -> dict[str, Any]:
        target = resolve_target(tg, call)
        stored = resolve_input_file(tg, method, call, kind, call.get(kind), kind)
        fields: dict[str, Any] = {"media": {kind: media_object(tg.files, stored, **_details(call))}}
        if kind != "sticker":
            fields.update(caption_fields(caption_of(call)))
        message = post_bot_message(tg, method, target, markup_of(call), **fields)
        return message.to_dict()

    send_media.__doc__ = f"{method}: send a {kind} (multipart upload, file_id or URL)."
    return send_media


def _details(call: ApiRequest) -> dict[str, Any]:
    names = ("duration", "width", "height", "emoji", "performer", "title")
    return {name: call.get(name) for name in names if call.get(name) is not None}


async def send_media_group(tg: FakeTelegram, call: ApiRequest) -> list[dict[str, Any]]:
    """sendMediaGroup: 2-10 items sharing a ``media_group_id``; returns all messages."""
    target = resolve_target(tg, call)
    items = _album_items(call.get("media"))
    contents = [_album_content(tg, call, item) for item in items]
    tg.admit_send("sendMediaGroup", target.chat, count=len(contents))
    album_id = str(next(_album_ids))
    return [_store_album_item(tg, target, album_id, fields) for fields in contents]


def _album_items(media: Any) -> list[dict[str, Any]]:
    if not isinstance(media, list) or not all(isinstance(item, dict) for item in media):
        raise bad_request("can't parse media JSON object")
    if len(media) < MIN_ALBUM:
        raise bad_request("media group must contain at least 2 items")
    if len(media) > MAX_ALBUM:
        raise bad_request("too many messages to send as an album")
    kinds = {item.get("type") for item in media}
    if not kinds <= _ALBUM_KINDS:
        raise bad_request("unsupported media type in the media group")
    if kinds & _SOLO_ALBUM_KINDS and len(kinds) > 1:
        raise bad_request(
            f"{sorted(kinds & _SOLO_ALBUM_KINDS)[0]} can't be mixed with other media types"
        )
    return media


def _album_content(tg: FakeTelegram, call: ApiRequest, item: dict[str, Any]) -> dict[str, Any]:
    kind = str(item["type"])
    stored = resolve_input_file(tg, "sendMediaGroup", call, "media", item.get("media"), kind)
    return {
        "media": {kind: media_object(tg.files, stored)},
        **caption_fields(caption_of(item)),
    }


def _store_album_item(
    tg: FakeTelegram, target: SendTarget, album_id: str, fields: dict[str, Any]
) -> dict[str, Any]:
    message = tg.store_message(
        target.chat,
        sender=tg.bot_user(),
        from_bot=True,
        reply_to=target.reply_to,
        thread_id=target.thread_id,
        media_group_id=album_id,
        **fields,
    )
    return message.to_dict()


async def get_file(tg: FakeTelegram, call: ApiRequest) -> dict[str, Any]:
    """getFile: the ``File`` with a ``file_path`` for the download URL."""
    stored = tg.files.require(str(call.require("file_id", "invalid file_id")))
    return stored.to_file()


_MEDIA_KINDS = (
    "photo",
    "document",
    "video",
    "audio",
    "voice",
    "animation",
    "sticker",
    "video_note",
)

HANDLERS: dict[str, Callable[[FakeTelegram, ApiRequest], Awaitable[Any]]] = {
    f"send{kind.title().replace('_', '')}": _media_sender(
        kind, f"send{kind.title().replace('_', '')}"
    )
    for kind in _MEDIA_KINDS
}
HANDLERS.update({"sendMediaGroup": send_media_group, "getFile": get_file})
