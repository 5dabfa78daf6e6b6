"""The report's first page: the month's key figures against the month before and the 12 months.

Each row is one figure with a one-line explanation; its columns are this month, the previous
month, the change between the two and the mean of the 12 months ending with this one. Counts
are whole numbers, the change is signed ("+2", "−1", "±0"), the mean has one decimal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.i18n import Translator
from bot.services.report.report import QualityReport
from bot.services.report.text import decimal, signed

DASH = "–"


@dataclass(frozen=True)
class Row:
    """One key figure, formatted for the reader."""

    label: str
    explanation: str
    this_month: str
    previous: str
    change: str
    mean: str


def _signed_count(value: int) -> str:
    if value == 0:
        return "±0"
    return f"+{value}" if value > 0 else f"−{-value}"


def _count_row(tr: Translator, label: str, explanation: str, series: Sequence[int]) -> Row:
    this, previous = series[-1], series[-2] if len(series) > 1 else None
    return Row(
        label, explanation, tr.number(this),
        DASH if previous is None else tr.number(previous),
        DASH if previous is None else _signed_count(this - previous),
        decimal(tr, sum(series) / len(series)),
    )


def _stars_row(tr: Translator, report: QualityReport) -> Row | None:
    if report.ratings is None:
        return None
    overall = report.ratings.of("overall")
    means, counts = overall.monthly_means, overall.monthly_counts
    this, previous = means[-1], means[-2] if len(means) > 1 else None
    total = sum(counts)
    weighted = (sum((m or 0.0) * c for m, c in zip(means, counts, strict=True)) / total
                if total else None)
    return Row(
        tr._("Mean stars"),
        tr._("Overall stars of the month's ratings (1 to 5); the 12-month value is the mean "
             "of all their ratings."),
        DASH if this is None else decimal(tr, this),
        DASH if previous is None else decimal(tr, previous),
        DASH if this is None or previous is None else signed(tr, this - previous),
        DASH if weighted is None else decimal(tr, weighted),
    )


def overview(tr: Translator, report: QualityReport) -> list[Row]:
    """The key figures that the report has data for, in the order of its sections."""
    rows: list[Row | None] = []
    if report.ratings is not None:
        rows.append(_count_row(
            tr, tr._("Ratings given"),
            tr._("Ratings relatives gave in the month, public or for the home only; held ones "
                 "are not counted."),
            report.ratings.of("overall").monthly_counts))
        rows.append(_stars_row(tr, report))
    if report.complaints is not None:
        rows.append(_count_row(
            tr, tr._("Complaints opened"),
            tr._("Ratings of one or two stars: each reaches the home as a complaint first."),
            report.complaints.monthly_opened))
        rows.append(_count_row(
            tr, tr._("Complaints resolved"),
            tr._("Complaints the home marked as resolved in the month."),
            report.complaints.monthly_resolved))
    if report.conversations is not None:
        rows.append(_count_row(
            tr, tr._("Conversations started"),
            tr._("Messages from relatives that opened a conversation with the home."),
            report.conversations.monthly_counts))
    if report.photos is not None:
        rows.append(_count_row(
            tr, tr._("Photo updates posted"),
            tr._("Photo updates staff posted for relatives, approved or not."),
            report.photos.monthly_posted))
        rows.append(_count_row(
            tr, tr._("Thanks received"),
            tr._("Times relatives pressed “Thank you” under a photo update."),
            report.photos.monthly_thanks))
    rows.append(_count_row(
        tr, tr._("Relatives linked"),
        tr._("Relatives connected with a resident at the end of the month."),
        report.relatives.monthly_linked))
    rows.append(_count_row(
        tr, tr._("Active relatives"),
        tr._("Linked relatives who did something in the bot during the month."),
        report.relatives.monthly_active))
    if report.visits is not None:
        rows.append(_count_row(
            tr, tr._("Visits held"),
            tr._("Booked visiting slots that were not cancelled."),
            report.visits.monthly_held))
    if report.events is not None:
        rows.append(_count_row(
            tr, tr._("Events held"),
            tr._("The home's events that took place, not cancelled."),
            report.events.monthly_held))
    return [row for row in rows if row is not None]


def columns(tr: Translator) -> list[str]:
    """The table's column headings."""
    return [tr._("Key figure"), tr._("This month"), tr._("Previous month"), tr._("Change"),
            tr._("12-month mean")]
