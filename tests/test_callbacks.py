"""The one callback-data scheme: every prefix declared once, taken by exactly one handler."""

from __future__ import annotations

from collections import Counter

import pytest
from telegram.ext import CallbackQueryHandler

import handlers
from bot.domain.callbacks import BadCallbackData, Prefix, callback, parse, pattern


def test_every_prefix_is_taken_by_exactly_one_button_handler() -> None:
    patterns = Counter(
        handler.pattern.pattern
        for handler in handlers.capability_handlers()
        if isinstance(handler, CallbackQueryHandler) and handler.pattern is not None
    )
    assert patterns == Counter(pattern(prefix) for prefix in Prefix)


def test_a_button_reads_back_as_it_was_written() -> None:
    data = parse(callback(Prefix.PHOTO, "ok", 12))
    assert (data.capability, data.action, data.args) == (Prefix.PHOTO, "ok", ("12",))


@pytest.mark.parametrize(
    "raw", [None, "", "photo", "photo:1", "photo:1:", "photo:2:ok:12", "nope:1:ok:12", ":1:ok"]
)
def test_what_the_bot_did_not_write_is_refused(raw: str | None) -> None:
    with pytest.raises(BadCallbackData):
        parse(raw)


def test_callback_data_longer_than_telegram_allows_is_never_written() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        callback(Prefix.BROADCAST, "x", "ä" * 40)
