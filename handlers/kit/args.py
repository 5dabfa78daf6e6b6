"""Arguments from callback data: ids and codes, parsed strictly (anything else is a bad press)."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from bot.domain.callbacks import BadCallbackData
from handlers.kit.paging import page_offset

E = TypeVar("E", bound=StrEnum)


def int_args(args: tuple[str, ...], count: int) -> list[int]:
    """Exactly ``count`` ids from callback data, else :class:`BadCallbackData`."""
    if len(args) != count:
        raise BadCallbackData(args)
    try:
        return [int(arg) for arg in args]
    except ValueError as error:
        raise BadCallbackData(args) from error


def enum_arg(kind: type[E], raw: str) -> E:
    """One enum value from callback data, else :class:`BadCallbackData`."""
    try:
        return kind(raw)
    except ValueError as error:
        raise BadCallbackData(raw) from error


def offset_arg(raw: str) -> int:
    """A list's paging offset from callback data (a number, not negative), else
    :class:`BadCallbackData`."""
    try:
        return page_offset(raw)
    except ValueError as error:
        raise BadCallbackData(raw) from error
