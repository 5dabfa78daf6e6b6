"""Plain text with entities, built while parsing Telegram markup."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.sandbox.telegram.text_entities import utf16_length


@dataclass
class FormattedText:
    """Plain text with its entities, as it appears in a ``Message``."""

    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


class PlainTextBuilder:
    """Collects the plain text of a markup parser while tracking UTF-16 offsets."""

    def __init__(self) -> None:
        self._chunks: list[str] = []
        self.offset = 0
        self.entities: list[dict[str, Any]] = []

    def append(self, text: str) -> None:
        """Add literal text."""
        self._chunks.append(text)
        self.offset += utf16_length(text)

    def close_entity(self, kind: str, start: int, end: int | None = None, **extra: Any) -> None:
        """Record an entity from ``start`` to ``end`` (default: now); empty ones are dropped."""
        length = (self.offset if end is None else end) - start
        if length > 0:
            self.entities.append({"type": kind, "offset": start, "length": length, **extra})

    def result(self) -> FormattedText:
        """Return the collected text and entities, entities in Telegram's order."""
        ordered = sorted(self.entities, key=lambda found: (found["offset"], -found["length"]))
        return FormattedText("".join(self._chunks), ordered)


def byte_offset(source: str, index: int) -> int:
    """Return the UTF-8 byte offset Telegram reports in parse errors."""
    return len(source[:index].encode("utf-8"))
