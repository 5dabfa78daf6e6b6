"""What holds a wellbeing note's text: too long, names of other residents, contact details,
rude words (the ratings' screener), and medical words (``bot/data/medical_terms.txt``).

A held text goes back to its author to reword; nothing is kept.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from bot.domain.errors import DomainError
from bot.models import Resident, ResidentStatus
from bot.services.reviews.moderation import screen, words

TEXT_LIMIT = 300
MEDICAL = "medical"
TOO_LONG = "too_long"


class NoteHeld(DomainError):
    """The note's text may not be kept as it is: ``reasons`` say why (flags of the screener,
    ``medical`` or ``too_long``)."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(", ".join(reasons))
        self.reasons = reasons


@cache
def medical_terms() -> tuple[frozenset[str], tuple[str, ...]]:
    """The medical word list: whole words, and prefixes (entries ending in ``*``)."""
    text = resources.files("bot").joinpath("data/medical_terms.txt").read_text(encoding="utf-8")
    entries = [line.strip().casefold() for line in text.splitlines()]
    entries = [entry for entry in entries if entry and not entry.startswith("#")]
    whole = frozenset(entry for entry in entries if not entry.endswith("*"))
    prefixes = tuple(entry[:-1] for entry in entries if entry.endswith("*"))
    return whole, prefixes


def medical(text: str) -> bool:
    """Whether ``text`` names a diagnosis or a medication of the list."""
    whole, prefixes = medical_terms()
    said = words(text)
    # "l-thyroxin": also the words joined by hyphens as typed.
    said += [part for part in text.casefold().split() if "-" in part]
    return any(word in whole or word.startswith(prefixes) for word in said)


async def screen_note(facility_id: int, resident_id: int, text: str) -> None:
    """Raise :class:`NoteHeld` when the text of a note about ``resident_id`` may not be kept."""
    if len(text) > TEXT_LIMIT:
        raise NoteHeld([TOO_LONG])
    others = await Resident.filter(
        facility_id=facility_id, status=ResidentStatus.ACTIVE
    ).exclude(id=resident_id).values_list("display_name", flat=True)
    reasons: list[str] = [flag.value for flag in screen(text, [str(n) for n in others])]
    if medical(text):
        reasons.append(MEDICAL)
    if reasons:
        raise NoteHeld(reasons)
