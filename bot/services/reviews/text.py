"""How a rating reads in a message: stars, the rated categories, the comment.

Shared by the rating flow (the summary before sending) and the notices the bot sends on its own
(to the home, to moderators, to the author), so every screen shows a rating the same way.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.i18n import N_, Translator

CATEGORIES = ("care", "staff", "food", "activities", "communication")
CATEGORY_NAMES: dict[str, str] = {
    "care": N_("Care"),
    "staff": N_("Staff"),
    "food": N_("Food & drink"),
    "activities": N_("Activities"),
    "communication": N_("Communication with relatives"),
}
COMMENT_LIMIT = 1000
PSEUDONYM_PREFIX = "Angehörige/r"  # stored as "Angehörige/r 3F2A"; shown as the reader writes it


def pseudonym_text(tr: Translator, pseudonym: str) -> str:
    """A reviewer's pseudonym in the reader's language: "Relative 3F2A", "Angehörige/r 3F2A"."""
    prefix, _, code = pseudonym.partition(" ")
    if prefix != PSEUDONYM_PREFIX or not code:
        return pseudonym
    return tr._("Relative {code}").format(code=code)


def stars(count: int) -> str:
    """``★★★★☆`` for 4 of 5."""
    return "★" * count + "☆" * (5 - count)


def category_name(tr: Translator, category: str) -> str:
    """A category as relatives read it."""
    return tr._(CATEGORY_NAMES[category])


def rating_lines(
    tr: Translator, overall: int, categories: Mapping[str, int | None], comment: str = ""
) -> list[str]:
    """The overall stars, one line per rated category, then the comment (if any)."""
    lines = [tr._("Overall: {stars} ({count} of 5)").format(
        stars=stars(overall), count=tr.number(overall))]
    for category in CATEGORIES:
        value = categories.get(category)
        if value:
            lines.append(f"{category_name(tr, category)}: {stars(value)}")
    if comment:
        lines.append(tr._("Comment: “{comment}”").format(comment=comment))
    return lines


def categories_of(review: object) -> dict[str, int | None]:
    """The category stars of a review (or anything with those attributes)."""
    return {category: getattr(review, category) for category in CATEGORIES}
