"""Text as it may enter Heimbote: the one place that takes out what nobody can see or print.

Every text a person types (names, rooms, captions, comments, messages, announcements) passes
:func:`clean` in the service that stores it, so the CLI, the demo and Telegram get the same
rule, and nothing stored can make a feed ill-formed XML or turn a line around on a screen.
Names pass :func:`check_name`: a name with nothing visible in it, a NUL or characters that
reverse the text's direction is refused, not silently repaired, so the person sees why.

What goes (by :func:`unicodedata.category`): controls (C0 and C1, except a line break and a
tab where a text has lines), unpaired surrogates, noncharacters, and invisible format
characters (zero-width space, word joiner, byte-order mark, direction embeddings, overrides
and isolates). What stays: letters of every script (umlauts, Arabic, Hebrew), emoji with their
modifiers and variation selectors, a zero-width (non-)joiner between two characters (emoji
sequences, Persian, Indic scripts), the left-to-right and right-to-left marks, tags after a
waving black flag (🏴󠁧󠁢󠁳󠁣󠁴󠁿).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from bot.domain.errors import InvalidInput

# Embeddings, overrides and isolates: they reverse what follows them, also outside the text.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_JOINERS = frozenset("\u200c\u200d")  # kept only between two characters
# Format characters that carry meaning in a script; every other one goes.
_KEPT_FORMAT = frozenset(
    "\u200e\u200f\u061c"  # left-to-right, right-to-left and Arabic letter marks
    "\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u08e2\U000110bd\U000110cd"  # number signs
)
_BLACK_FLAG = "\U0001f3f4"
_TAGS = range(0xE0020, 0xE0080)
# Letters and blanks that show nothing: a name of only these is invisible.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"})
_LINE_SEPARATORS = frozenset("\u2028\u2029\x85")
_LONE_CARRIAGE_RETURN = re.compile("\r(?!\n)")


def _noncharacter(code: int) -> bool:
    return 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


def _kept(text: str, index: int, lines: bool) -> bool:
    char = text[index]
    if char in "\n\t":
        return lines
    category = unicodedata.category(char)
    if category == "Cf":
        if char in _KEPT_FORMAT:
            return True
        if char in _JOINERS:
            return _between_characters(text, index)
        if ord(char) in _TAGS:
            return _in_tag_sequence(text, index)
        return False
    if category in ("Cc", "Cs"):
        return False
    return not (category == "Cn" and _noncharacter(ord(char)))


def _between_characters(text: str, index: int) -> bool:
    """Whether a joiner at ``index`` joins something: no blank or edge on either side."""
    if not 0 < index < len(text) - 1:
        return False
    return not (text[index - 1].isspace() or text[index + 1].isspace())


def _in_tag_sequence(text: str, index: int) -> bool:
    """Whether the tags before ``index`` go back to a waving black flag."""
    while index > 0 and ord(text[index - 1]) in _TAGS:
        index -= 1
    return index > 0 and text[index - 1] == _BLACK_FLAG


def _kept_flags(text: str, lines: bool) -> list[bool]:
    return [_kept(text, index, lines) for index in range(len(text))]


def _line_breaks(text: str, lines: bool) -> str:
    """Line breaks of every kind as ``\\n`` (a space where the text is one line), one character
    for one: the ``\\r`` of a ``\\r\\n`` is a control and goes later."""
    text = _LONE_CARRIAGE_RETURN.sub("\n", text)
    for separator in _LINE_SEPARATORS:
        text = text.replace(separator, "\n")
    return text if lines else text.replace("\n", " ").replace("\t", " ")


def clean(text: str, *, lines: bool = True) -> str:
    """``text`` without controls, unpaired surrogates and invisible format characters.

    With ``lines`` (messages, comments, captions) line breaks and tabs stay; without (names,
    rooms) they become spaces. Nothing else changes: no trimming, no normalization.
    """
    text = _line_breaks(text, lines)
    keep = _kept_flags(text, lines)
    return "".join(char for char, kept in zip(text, keep, strict=True) if kept)


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def clean_formatted(
    text: str, entities: Sequence[dict[str, Any]] | None
) -> tuple[str, list[dict[str, Any]]]:
    """:func:`clean` for a text with Telegram message entities, their offsets moved to match.

    Offsets and lengths count UTF-16 code units, as Telegram counts them; an entity whose text
    is all gone is dropped.
    """
    text = _line_breaks(text, lines=True)  # one code unit for one: offsets stay
    keep = _kept_flags(text, lines=True)
    # new_position[i]: where the i-th UTF-16 unit of the old text lands in the new one
    new_position: list[int] = []
    kept_units = 0
    for char, kept in zip(text, keep, strict=True):
        units = _utf16_length(char)
        new_position.extend([kept_units] * units)
        if kept:
            kept_units += units
    new_position.append(kept_units)
    moved: list[dict[str, Any]] = []
    for entity in entities or []:
        start = min(max(int(entity.get("offset", 0)), 0), len(new_position) - 1)
        end = min(max(start + int(entity.get("length", 0)), start), len(new_position) - 1)
        offset, length = new_position[start], new_position[end] - new_position[start]
        if length > 0:
            moved.append({**entity, "offset": offset, "length": length})
    return "".join(char for char, kept in zip(text, keep, strict=True) if kept), moved


def visible(text: str) -> bool:
    """Whether ``text`` shows anything: not only blanks, marks and format characters."""
    return any(
        unicodedata.category(char) not in _INVISIBLE_CATEGORIES and char not in _BLANK_LETTERS
        for char in text
    )


def check_name(text: str, field: str = "name") -> str:
    """The name cleaned and on one line, its spaces collapsed; refused with
    :class:`InvalidInput` when it holds a NUL or direction controls, or nothing visible."""
    if "\x00" in text:
        raise InvalidInput(field, "contains a NUL character")
    if any(char in BIDI_CONTROLS for char in text):
        raise InvalidInput(field, "contains characters that reverse the text's direction")
    name = " ".join(clean(text, lines=False).split())
    if not name:
        raise InvalidInput(field, "must not be empty")
    if not visible(name):
        raise InvalidInput(field, "must show at least one visible character")
    return name
