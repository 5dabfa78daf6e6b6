"""The plain SQL of the public pages: placeholders in either dialect, and opaque cursors.

A cursor is the last position a page showed, base64url-encoded, so that clients treat it as
opaque; anything else is refused as :class:`InvalidInput` ("cursor").
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Any

from bot.domain.errors import InvalidInput


class Parameters:
    """Placeholders in the order they appear in the SQL text, and their values."""

    def __init__(self, dialect: str) -> None:
        self.numbered = dialect == "postgres"
        self.values: list[Any] = []

    def __call__(self, value: Any) -> str:
        self.values.append(value)
        return f"${len(self.values)}" if self.numbered else "?"


def encode(position: str) -> str:
    """The cursor of a position ("the last slug shown", "moment|id")."""
    return base64.urlsafe_b64encode(position.encode()).decode().rstrip("=")


MAX_ID = 2**63 - 1  # what an id column holds


def decode(cursor: str) -> str:
    """The position a cursor names, or :class:`InvalidInput` for anything this API never gave."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        return base64.b64decode(padded, altchars=b"-_", validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidInput("cursor", "not a cursor this API gave out") from None


def review_position(cursor: str) -> tuple[dt.datetime, int]:
    """The ``(published_at, review id)`` of the last review a page showed."""
    moment, _, review_id = decode(cursor).partition("|")
    try:
        published_at = dt.datetime.fromisoformat(moment)
        position = int(review_id)
    except ValueError:
        raise InvalidInput("cursor", "not a cursor this API gave out") from None
    if published_at.tzinfo is None or not 0 < position <= MAX_ID:
        raise InvalidInput("cursor", "not a cursor this API gave out")
    return published_at, position
