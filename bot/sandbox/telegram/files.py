"""Files known to the fake Telegram: uploads, user media, and what getFile serves."""

from __future__ import annotations

import itertools
import mimetypes
from dataclasses import dataclass

from bot.sandbox.telegram.api_errors import bad_request

# Telegram's file ids start with a type-specific prefix; bots never parse them.
_ID_PREFIX = {
    "photo": "AgACAgIAAxkBAA",
    "document": "BQACAgIAAxkBAA",
    "video": "BAACAgIAAxkBAA",
    "voice": "AwACAgIAAxkBAA",
    "audio": "CQACAgIAAxkBAA",
    "sticker": "CAACAgIAAxkBAA",
    "animation": "CgACAgIAAxkBAA",
    "video_note": "DQACAgIAAxkBAA",
}
_FOLDER = {
    "photo": "photos",
    "document": "documents",
    "video": "videos",
    "voice": "voice",
    "audio": "music",
    "sticker": "stickers",
    "animation": "animations",
    "video_note": "video_notes",
}
_DEFAULT_EXTENSION = {
    "photo": ".jpg",
    "video": ".mp4",
    "voice": ".oga",
    "audio": ".mp3",
    "sticker": ".webp",
    "animation": ".mp4",
    "video_note": ".mp4",
    "document": "",
}
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
_PHOTO_SIZES = ((90, 68), (320, 240), (800, 600))


@dataclass
class StoredFile:
    """One file on the fake Telegram servers."""

    file_id: str
    file_unique_id: str
    kind: str
    content: bytes
    file_name: str | None
    mime_type: str | None
    file_path: str

    @property
    def file_size(self) -> int:
        """Size in bytes, as in ``file_size``."""
        return len(self.content)

    def to_file(self) -> dict[str, object]:
        """Return the ``File`` object getFile answers with."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.file_size,
            "file_path": self.file_path,
        }


class FileStore:
    """Keeps every file by file_id and by download path."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)
        self._by_id: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}
        self._photo_sets: dict[str, list[dict[str, object]]] = {}

    def add(
        self,
        kind: str,
        content: bytes,
        file_name: str | None = None,
        mime_type: str | None = None,
        *,
        file_id: str | None = None,
    ) -> StoredFile:
        """Store ``content`` under a fresh file_id (or ``file_id``) and download path.

        A given ``file_id`` that is known already returns the stored file: a demo re-registers
        its seeded photos under the same ids at every start, as its database keeps them.
        """
        if file_id is not None and file_id in self._by_id:
            return self._by_id[file_id]
        number = next(self._counter)
        extension = _extension(kind, file_name, mime_type)
        stored = StoredFile(
            file_id=file_id or f"{_ID_PREFIX.get(kind, 'BQACAgIAAxkBAA')}{number:06d}fake",
            file_unique_id=f"AQAD{number:06d}",
            kind=kind,
            content=content,
            file_name=file_name,
            mime_type=mime_type,
            file_path=f"{_FOLDER.get(kind, 'documents')}/file_{number}{extension}",
        )
        self._by_id[stored.file_id] = stored
        self._by_path[stored.file_path] = stored
        return stored

    def photo_sizes(self, largest: StoredFile) -> list[dict[str, object]]:
        """The ``PhotoSize`` list of a photo; each size has its own file_id, like Telegram."""
        known = self._photo_sets.get(largest.file_id)
        if known is not None:
            return known
        sizes = []
        for width, height in _PHOTO_SIZES:
            stored = largest if width == _PHOTO_SIZES[-1][0] else self.add("photo", largest.content)
            sizes.append(
                {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.file_unique_id,
                    "file_size": stored.file_size,
                    "width": width,
                    "height": height,
                }
            )
        for size in sizes:
            self._photo_sets[str(size["file_id"])] = sizes
        return sizes

    def get(self, file_id: str) -> StoredFile | None:
        """Return the file with ``file_id``, or ``None``."""
        return self._by_id.get(file_id)

    def by_path(self, file_path: str) -> StoredFile | None:
        """Return the file served at ``file_path``, or ``None``."""
        return self._by_path.get(file_path)

    def require(self, file_id: str) -> StoredFile:
        """Return a file for getFile, answering 400 like Telegram for unknown ids."""
        stored = self._by_id.get(file_id)
        if stored is None:
            raise bad_request("invalid file_id")
        if stored.file_size > MAX_DOWNLOAD_BYTES:
            raise bad_request("file is too big")
        return stored


def media_object(files: FileStore, stored: StoredFile, **details: object) -> object:
    """The Bot API object for a stored file of its kind (photo: list of sizes)."""
    if stored.kind == "photo":
        return files.photo_sizes(stored)
    media: dict[str, object] = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.file_size,
        **_KIND_DEFAULTS.get(stored.kind, {}),
    }
    if stored.file_name and stored.kind in {"document", "audio", "video", "animation"}:
        media["file_name"] = stored.file_name
    if stored.mime_type and stored.kind != "sticker":
        media["mime_type"] = stored.mime_type
    media.update({key: value for key, value in details.items() if value is not None})
    return media


_KIND_DEFAULTS: dict[str, dict[str, object]] = {
    "document": {"mime_type": "application/octet-stream"},
    "video": {"width": 640, "height": 480, "duration": 5, "mime_type": "video/mp4"},
    "animation": {"width": 320, "height": 240, "duration": 2, "mime_type": "video/mp4"},
    "voice": {"duration": 3, "mime_type": "audio/ogg"},
    "audio": {"duration": 30, "mime_type": "audio/mpeg"},
    "video_note": {"length": 240, "duration": 4},
    "sticker": {
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": "👍",
    },
}


def _extension(kind: str, file_name: str | None, mime_type: str | None) -> str:
    if file_name and "." in file_name:
        return "." + file_name.rsplit(".", 1)[1].lower()
    if kind == "document" and mime_type:
        return mimetypes.guess_extension(mime_type) or ""
    return _DEFAULT_EXTENSION.get(kind, "")
