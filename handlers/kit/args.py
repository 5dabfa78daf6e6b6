"""Arguments from callback data: ids, codes and paging offsets, parsed strictly.

Anything else is a bad press: every parser raises :class:`BadCallbackData`, which the button
dispatcher (:func:`handlers.kit.buttons.buttons`) answers with "This button is no longer valid."

- :func:`int_args` — exactly ``count`` whole numbers (``minimum=0`` for offsets and ids that
  cannot be negative): ``facility_id, offset = int_args(args, 2, minimum=0)``;
- :func:`text_args` — exactly ``count`` arguments as they are (``text_args(args, 0)``: none);
- :func:`offset_arg` — one paging offset, a number not below 0;
- :func:`enum_arg` — one value of an enum (a role, a status).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from bot.domain.callbacks import BadCallbackData

E = TypeVar("E", bound=StrEnum)


def int_args(args: tuple[str, ...], count: int, *, minimum: int | None = None) -> list[int]:
    """Exactly ``count`` whole numbers (none below ``minimum``), else :class:`BadCallbackData`."""
    if len(args) != count:
        raise BadCallbackData(args)
    try:
        numbers = [int(arg) for arg in args]
    except ValueError as error:
        raise BadCallbackData(args) from error
    if minimum is not None and any(number < minimum for number in numbers):
        raise BadCallbackData(args)
    return numbers


def text_args(args: tuple[str, ...], count: int) -> tuple[str, ...]:
    """Exactly ``count`` arguments, as they are, else :class:`BadCallbackData`."""
    if len(args) != count:
        raise BadCallbackData(args)
    return args


def offset_arg(raw: str) -> int:
    """A paging offset: a whole number not below 0, else :class:`BadCallbackData`."""
    (offset,) = int_args((raw,), 1, minimum=0)
    return offset


def enum_arg(kind: type[E], raw: str) -> E:
    """One enum value from callback data, else :class:`BadCallbackData`."""
    try:
        return kind(raw)
    except ValueError as error:
        raise BadCallbackData(raw) from error

