"""Paginated inline lists: one button per item, ◀ ▶ to turn pages, extra rows below.

The list itself comes from a service (``offset``/``limit`` and a total count); this module only
lays out the buttons, so every list in the bot pages the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Translator
from handlers.kit.args import offset_arg

PAGE_SIZE = 10


@dataclass(frozen=True)
class Page:
    """Where a list stands: ``offset`` of the first item shown, ``total`` items in all."""

    offset: int
    total: int
    limit: int = PAGE_SIZE

    @property
    def has_previous(self) -> bool:
        """Whether a page comes before this one."""
        return self.offset > 0

    @property
    def has_next(self) -> bool:
        """Whether a page comes after this one."""
        return self.offset + self.limit < self.total

    @property
    def number(self) -> int:
        """This page's number, counted from 1."""
        return self.offset // self.limit + 1

    @property
    def count(self) -> int:
        """How many pages there are (at least one, also for an empty list)."""
        return max(1, -(-self.total // self.limit))

    def previous_offset(self) -> int:
        """The offset of the page before (never below 0)."""
        return max(0, self.offset - self.limit)

    def next_offset(self) -> int:
        """The offset of the page after."""
        return self.offset + self.limit


def page_offset(raw: str) -> int:
    """An offset read from callback data: a non-negative number, else
    :class:`~bot.domain.callbacks.BadCallbackData` (a ``ValueError``): see
    :func:`handlers.kit.args.offset_arg`, which this is."""
    return offset_arg(raw)


def page_caption(tr: Translator, page: Page) -> str:
    """"Page 2 of 5" in the user's language, or "" when everything fits on one page."""
    if page.count <= 1:
        return ""
    return tr._("Page {number} of {count}").format(
        number=tr.number(page.number), count=tr.number(page.count)
    )


def paged_keyboard(
    items: Sequence[tuple[str, str]],
    page: Page,
    turn_to: Callable[[int], str],
    extra_rows: Sequence[Sequence[InlineKeyboardButton]] = (),
) -> InlineKeyboardMarkup:
    """One row per ``(label, callback_data)`` item, then ◀ ▶ (``turn_to(offset)``), then extras."""
    rows: list[list[InlineKeyboardButton]] = [
        [InlineKeyboardButton(label, callback_data=data)] for label, data in items
    ]
    turns: list[InlineKeyboardButton] = []
    if page.has_previous:
        turns.append(InlineKeyboardButton("◀", callback_data=turn_to(page.previous_offset())))
    if page.has_next:
        turns.append(InlineKeyboardButton("▶", callback_data=turn_to(page.next_offset())))
    if turns:
        rows.append(turns)
    rows.extend(list(row) for row in extra_rows)
    return InlineKeyboardMarkup(rows)
