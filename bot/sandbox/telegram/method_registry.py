"""All Bot API methods the fake answers, by name (Telegram ignores the case)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from bot.sandbox.telegram import (
    methods_bot,
    methods_editing,
    methods_media,
    methods_messages,
    methods_updates,
)
from bot.sandbox.telegram.request_params import ApiRequest

if TYPE_CHECKING:
    from bot.sandbox.telegram.fake_telegram import FakeTelegram

MethodHandler = Callable[["FakeTelegram", ApiRequest], Awaitable[Any]]

_METHODS: dict[str, MethodHandler] = {
    **methods_bot.HANDLERS,
    **methods_editing.HANDLERS,
    **methods_media.HANDLERS,
    **methods_messages.HANDLERS,
    **methods_updates.HANDLERS,
}
_BY_LOWER_NAME = {name.lower(): (name, handler) for name, handler in _METHODS.items()}


def find_method(name: str) -> tuple[str, MethodHandler] | None:
    """Return the canonical name and handler of a method, or ``None`` (→ 404)."""
    return _BY_LOWER_NAME.get(name.lower())
