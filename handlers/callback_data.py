"""Callback data: a small, versioned format, ``"<capability>:<version>:<args…>"``, parsed here.

The client can send anything back: parse strictly, and let the handler re-check permissions.
"""

from __future__ import annotations

from dataclasses import dataclass

VERSION = "1"
MAX_BYTES = 64  # Telegram's limit for callback_data


class BadCallbackData(ValueError):
    """Callback data that this version of the bot did not write."""


@dataclass(frozen=True)
class CallbackData:
    """One parsed button press."""

    capability: str
    action: str
    args: tuple[str, ...] = ()

    def encode(self) -> str:
        """The string that goes into the button; never longer than Telegram allows."""
        text = ":".join((self.capability, VERSION, self.action, *self.args))
        if len(text.encode()) > MAX_BYTES:
            raise ValueError(f"callback data longer than {MAX_BYTES} bytes: {text!r}")
        return text


def callback(capability: str, action: str, *args: str | int) -> str:
    """Encode a button's callback data: ``callback("lang", "set", "de") == "lang:1:set:de"``."""
    return CallbackData(capability, action, tuple(str(a) for a in args)).encode()


def parse(raw: str | None) -> CallbackData:
    """Parse callback data; :class:`BadCallbackData` when it is not ours or out of date."""
    parts = (raw or "").split(":")
    if len(parts) < 3 or parts[1] != VERSION or not parts[0] or not parts[2]:
        raise BadCallbackData(raw)
    return CallbackData(parts[0], parts[2], tuple(parts[3:]))


def pattern(capability: str) -> str:
    """The regex a ``CallbackQueryHandler`` uses to take one capability's buttons."""
    return rf"^{capability}:"
