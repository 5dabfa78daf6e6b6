"""What a file the fake Telegram holds really is, and how the page may receive it.

Uploads are whatever a browser (or anyone) sent: the name and the type it claimed are not
trusted. The type comes from the first bytes; anything we do not recognise is a download.
"""

from __future__ import annotations

import re
from urllib.parse import quote

OCTET_STREAM = "application/octet-stream"
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
_MAGIC = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
    (b"OggS", "audio/ogg"),
)
_UNSAFE_IN_NAME = re.compile(r"[^A-Za-z0-9._ -]")


def sniffed_type(content: bytes) -> str:
    """The content type the bytes show (JPEG, PNG, GIF, WebP, PDF, OGG), else octet-stream."""
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    for magic, content_type in _MAGIC:
        if content.startswith(magic):
            return content_type
    return OCTET_STREAM


def attachment(file_name: str) -> str:
    """A ``Content-Disposition`` that saves the file under its name, quoted safely."""
    plain = _UNSAFE_IN_NAME.sub("_", file_name).strip() or "file"
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(file_name, safe='')}"
