"""Files the bot sends: multipart uploads, ``attach://`` parts, file_ids and URLs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.sandbox.telegram.api_errors import bad_request
from bot.sandbox.telegram.files import StoredFile
from bot.sandbox.telegram.request_params import ApiRequest, UploadedPart
from bot.sandbox.telegram.sample_media import TINY_JPEG, TINY_PDF, looks_like_image

if TYPE_CHECKING:
    from bot.sandbox.telegram.fake_telegram import FakeTelegram

_WRONG_FILE = "wrong file identifier/HTTP URL specified"


@dataclass
class UploadedFile:
    """One file the bot uploaded (multipart), with the file_id Telegram gave it."""

    method: str
    field: str
    filename: str | None
    mime_type: str | None
    content: bytes
    file_id: str


def resolve_input_file(
    tg: FakeTelegram, method: str, call: ApiRequest, field: str, value: Any, kind: str
) -> StoredFile:
    """Turn an ``InputFile`` parameter into a stored file, as Telegram reads it."""
    if value is None and field in call.files:
        return _store_upload(tg, method, call.files[field], kind)
    if value is None or value == "":
        raise bad_request(f"there is no {kind} in the request")
    if not isinstance(value, str):
        raise bad_request(_WRONG_FILE)
    if value.startswith("attach://"):
        part = call.files.get(value.removeprefix("attach://"))
        if part is None:
            raise bad_request(_WRONG_FILE)
        return _store_upload(tg, method, part, kind)
    if value.startswith(("http://", "https://")):
        return tg.files.add(
            kind, TINY_JPEG if kind == "photo" else TINY_PDF, value.rsplit("/", 1)[-1] or None
        )
    return _known_file(tg, value, kind)


def _known_file(tg: FakeTelegram, file_id: str, kind: str) -> StoredFile:
    stored = tg.files.get(file_id)
    if stored is None:
        raise bad_request(_WRONG_FILE)
    if stored.kind != kind:
        raise bad_request(f"can't use file of type {stored.kind.title()} as {kind.title()}")
    return stored


def _store_upload(tg: FakeTelegram, method: str, part: UploadedPart, kind: str) -> StoredFile:
    if not part.content:
        raise bad_request("file must be non-empty")
    if kind == "photo" and not looks_like_image(part.content):
        raise bad_request("IMAGE_PROCESS_FAILED")
    stored = tg.files.add(kind, part.content, part.filename, part.mime_type)
    tg.uploads.append(
        UploadedFile(
            method, part.field_name, part.filename, part.mime_type, part.content, stored.file_id
        )
    )
    return stored
