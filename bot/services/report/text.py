"""The quality report's key figures in words, in the reader's language.

Shared by the Telegram summary, the PDF's title page and the HTML version, so that all three say
the same. Every string goes through the translator; numbers, months and shares through Babel.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from bot.domain.stars import one_decimal
from bot.i18n import Translator
from bot.services.report.emergency_calls import emergency_call_lines
from bot.services.report.events import event_lines
from bot.services.report.report import QualityReport
from bot.services.report.visits import visit_lines


@dataclass(frozen=True)
class Section:
    """A heading and its sentences."""

    heading: str
    lines: tuple[str, ...]
    name: str = ""  # the chart that belongs to it ("ratings", …), "" for none


def month_name(tr: Translator, month: dt.date) -> str:
    """"März 2026", "March 2026"."""
    return format_date(month, "LLLL yyyy", locale=tr.locale)


def short_month(tr: Translator, month: dt.date) -> str:
    """An axis label: "Mär 26", "Mar 26"."""
    return format_date(month, "LLL yy", locale=tr.locale)


def decimal(tr: Translator, value: float) -> str:
    """One decimal place: "4,2" in German, "4.2" in English."""
    return format_decimal(one_decimal(value), format="#,##0.0", locale=tr.locale)


def signed(tr: Translator, value: float) -> str:
    """A change with its sign: "+0,3", "−0,2", "±0,0"."""
    rounded = one_decimal(value)
    if rounded == 0:
        return "±" + decimal(tr, 0.0)
    return ("+" if rounded > 0 else "−") + decimal(tr, float(abs(rounded)))


def percent(tr: Translator, share: float) -> str:
    """"75 %" in German, "75%" in English."""
    return format_percent(share, locale=tr.locale)


def duration(tr: Translator, hours: float) -> str:
    """A response or resolution time: minutes below an hour, else hours with one decimal."""
    if hours * 60 < 0.5:
        return tr._("under 1 min")  # not "0 min": someone answered, within seconds
    if hours < 1:
        return tr._("{minutes} min").format(minutes=tr.number(round(hours * 60)))
    return tr._("{hours} h").format(hours=decimal(tr, hours))


def title(tr: Translator, report: QualityReport) -> str:
    """"Quality report · Haus Linden · March 2026"."""
    return tr._("Quality report · {facility} · {month}").format(
        facility=report.facility_name, month=month_name(tr, report.month))


def _ratings(tr: Translator, report: QualityReport) -> Section | None:
    ratings, heading = report.ratings, tr._("Ratings")
    if ratings is None:
        return None
    overall = ratings.of("overall")
    if overall.count == 0 or overall.mean is None:
        return Section(heading, (tr._("No ratings this month."),), "ratings")
    lines = [tr.ngettext(
        "{count} rating, on average {mean} of 5 stars.",
        "{count} ratings, on average {mean} of 5 stars.", overall.count,
    ).format(count=tr.number(overall.count), mean=decimal(tr, overall.mean))]
    if overall.change is not None:
        lines.append(tr._("Compared with the 11 months before: {change} stars.").format(
            change=signed(tr, overall.change)))
    return Section(heading, tuple(lines), "ratings")


def _complaints(tr: Translator, report: QualityReport) -> Section | None:
    complaints = report.complaints
    if complaints is None:
        return None
    lines = [tr._(
        "Opened: {opened} · resolved: {resolved} · still open at the end of the month: {open}"
    ).format(opened=tr.number(complaints.opened), resolved=tr.number(complaints.resolved),
             open=tr.number(complaints.open_at_end))]
    if complaints.median_resolution_hours is not None:
        lines.append(tr._("Median time to resolution: {time}").format(
            time=duration(tr, complaints.median_resolution_hours)))
    return Section(tr._("Complaints"), tuple(lines), "complaints")


def _conversations(tr: Translator, report: QualityReport) -> Section | None:
    talks = report.conversations
    if talks is None:
        return None
    lines = [tr._("Started: {count} · answered: {answered}").format(
        count=tr.number(talks.count), answered=tr.number(talks.answered))]
    if (talks.median_first_response_hours is not None
            and talks.p90_first_response_hours is not None):
        lines.append(tr._("First response: median {median}, 90% within {p90}").format(
            median=duration(tr, talks.median_first_response_hours),
            p90=duration(tr, talks.p90_first_response_hours)))
    if talks.share_within_4h is not None:
        lines.append(tr._("Answered within 4 hours: {share}").format(
            share=percent(tr, talks.share_within_4h)))
    return Section(tr._("Conversations"), tuple(lines), "responses")


def _photos(tr: Translator, report: QualityReport) -> Section | None:
    photos = report.photos
    if photos is None:
        return None
    return Section(tr._("Photo updates"), (tr._(
        "Posted: {posted} · approved: {approved} · rejected: {rejected} · thanks: {thanks}"
    ).format(posted=tr.number(photos.posted), approved=tr.number(photos.approved),
             rejected=tr.number(photos.rejected), thanks=tr.number(photos.thanks)),), "photos")


def _relatives(tr: Translator, report: QualityReport) -> Section:
    people = report.relatives
    return Section(tr._("Relatives"), (tr._(
        "Linked: {linked} ({new} new) · active: {active} · unreachable: {unreachable}"
    ).format(linked=tr.number(people.linked), new=tr.number(people.new),
             active=tr.number(people.active), unreachable=tr.number(people.unreachable)),),
        "relatives")


def key_figures(tr: Translator, report: QualityReport) -> list[Section]:
    """The report's key figures, section by section (sections without data are left out)."""
    found = [_ratings(tr, report), _complaints(tr, report), _conversations(tr, report),
             _photos(tr, report), _relatives(tr, report)]
    if (calls := emergency_call_lines(tr, report.emergency_calls)) is not None:
        found.append(Section(*calls, "emergency_calls"))
    visits = visit_lines(tr, report.visits)
    found.append(Section(*visits, "visits") if visits else None)
    events = event_lines(tr, report.events, report.timezone)  # bot.services.report.events
    found.append(Section(*events, "events") if events else None)
    return [section for section in found if section is not None]


def public_comparison(tr: Translator, report: QualityReport) -> str | None:
    """Why the month's count of ratings differs from the public page's, or ``None`` if it does not.

    The report counts the ratings *given* in the month (also those sent to the home only and
    complaints the home may still answer); the public page counts those *published* in it.
    """
    ratings = report.ratings
    if ratings is None or ratings.count == ratings.published_in_month:
        return None
    return tr.ngettext(
        "The public page shows {public} rating for {month}, this report {given}. The page "
        "counts a rating in the month it is published, so a rating may appear there a month "
        "later, and it never shows ratings sent to the home only ({private} this month) or "
        "complaints the home may still answer ({awaiting}). Ratings held for moderation "
        "({held}) count in neither place.",
        "The public page shows {public} ratings for {month}, this report {given}. The page "
        "counts a rating in the month it is published, so a rating may appear there a month "
        "later, and it never shows ratings sent to the home only ({private} this month) or "
        "complaints the home may still answer ({awaiting}). Ratings held for moderation "
        "({held}) count in neither place.",
        ratings.published_in_month,
    ).format(public=tr.number(ratings.published_in_month), month=month_name(tr, report.month),
             given=tr.number(ratings.count), private=tr.number(ratings.private),
             awaiting=tr.number(ratings.awaiting_response), held=tr.number(ratings.held))


def summary(tr: Translator, report: QualityReport) -> str:
    """The short text sent in Telegram with the charts."""
    parts = [title(tr, report)]
    for section in key_figures(tr, report):
        parts.append(f"{section.heading}\n" + "\n".join(section.lines))
    return "\n\n".join(parts)
