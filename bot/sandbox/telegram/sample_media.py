"""Media for the fake users: tiny valid files for tests, pleasant sample photos for the demo."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files


def _tiny_jpeg() -> bytes:
    """A 1x1 grey baseline JPEG: one DC and one AC Huffman code, both "0"."""
    quantization = b"\xff\xdb\x00\x43\x00" + b"\x01" * 64
    frame = b"\xff\xc0\x00\x0b\x08\x00\x01\x00\x01\x01\x01\x11\x00"
    dc_table = b"\xff\xc4\x00\x14\x00" + b"\x01" + b"\x00" * 15 + b"\x00"
    ac_table = b"\xff\xc4\x00\x14\x10" + b"\x01" + b"\x00" * 15 + b"\x00"
    scan = b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00"
    # DC difference 0 ("0"), end of block ("0"), padded with ones.
    entropy_coded = b"\x3f"
    jfif = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return (
        b"\xff\xd8"
        + jfif
        + quantization
        + frame
        + dc_table
        + ac_table
        + scan
        + entropy_coded
        + b"\xff\xd9"
    )


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    checksum = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", checksum)


def _tiny_png() -> bytes:
    """A 1x1 RGB PNG in a soft blue."""
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x7f\x9f\xbf")
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", pixels)
        + _png_chunk(b"IEND", b"")
    )


TINY_JPEG = _tiny_jpeg()
TINY_PNG = _tiny_png()
TINY_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Not playable; only the magic bytes are right, which is all a bot should look at.
TINY_OGG = b"OggS\x00\x02" + b"\x00" * 20
TINY_MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
TINY_WEBP = (
    b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00"
    b"\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"
)

_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"RIFF", b"BM")


def looks_like_image(content: bytes) -> bool:
    """Return whether ``content`` starts like an image Telegram could process."""
    return content.startswith(_IMAGE_MAGIC)


@dataclass(frozen=True)
class SamplePhoto:
    """A small real photo (self-made illustration, CC0) a demo persona can send."""

    name: str
    content: bytes


# Drawn by scripts/make_sample_photos.py; each under 20 KB.
SAMPLE_PHOTO_NAMES = ("garden", "cake", "music", "flowers")


@cache
def sample_photos() -> tuple[SamplePhoto, ...]:
    """The sample photos shipped in the package, in a fixed order."""
    folder = files("bot.sandbox.telegram") / "samples"
    return tuple(
        SamplePhoto(name, (folder / f"{name}.jpg").read_bytes()) for name in SAMPLE_PHOTO_NAMES
    )
