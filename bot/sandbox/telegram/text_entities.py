"""Message entities the way Telegram computes them: offsets in UTF-16 code units."""

from __future__ import annotations

import re
from typing import Any

# Telegram marks commands, mentions, links and e-mail addresses in what users type.
_AUTO_ENTITY_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("bot_command", re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")),
    ("email", re.compile(r"(?<![\w.@])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("url", re.compile(r"(?<![\w@])(?:https?://|www\.)[^\s<>\"]+", re.IGNORECASE)),
    ("mention", re.compile(r"(?<![\w@])@[A-Za-z0-9_]{5,32}")),
    ("hashtag", re.compile(r"(?<![\w#])#\w+")),
)


def utf16_length(text: str) -> int:
    """Return the length of ``text`` in UTF-16 code units, as Telegram counts."""
    return len(text.encode("utf-16-le")) // 2


def entity(kind: str, text_before: str, content: str, **extra: Any) -> dict[str, Any]:
    """Build one entity for ``content`` that starts right after ``text_before``."""
    found: dict[str, Any] = {
        "type": kind,
        "offset": utf16_length(text_before),
        "length": utf16_length(content),
    }
    found.update(extra)
    return found


def detect_entities(text: str) -> list[dict[str, Any]]:
    """Find the entities Telegram adds on its own to text a user typed."""
    spans: list[tuple[int, int, str]] = []
    for kind, pattern in _AUTO_ENTITY_PATTERNS:
        for match in pattern.finditer(text):
            if not _overlaps(spans, match.start(), match.end()):
                spans.append((match.start(), match.end(), kind))
    spans.sort()
    return [entity(kind, text[:start], text[start:end]) for start, end, kind in spans]


def _overlaps(spans: list[tuple[int, int, str]], start: int, end: int) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end, _ in spans)


def command_of(text: str, bot_username: str) -> str | None:
    """Return ``"start"`` for ``"/start@bot payload"``, or ``None`` if not a command to us."""
    match = re.match(r"/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]+))?(?:\s|$)", text)
    if match is None:
        return None
    addressee = match.group(2)
    if addressee is not None and addressee.lower() != bot_username.lower():
        return None
    return match.group(1)
