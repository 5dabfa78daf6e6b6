"""How notes read: the rows in the reader's language, the free text as written with its
language, the author's first name and role."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from babel import Locale
from babel.dates import format_date

from bot.domain.enums import Role
from bot.i18n import N_, Translator
from bot.models import WellbeingNote
from bot.services.wellbeing.settings import BUILT_IN_ACTIVITIES

MOOD_EMOJI = {"good": "🙂", "ok": "😐", "low": "🙁"}
MOOD_NAMES = {"good": N_("in good spirits"), "ok": N_("so-so"), "low": N_("low spirits")}
APPETITE_NAMES = {"well": N_("ate well"), "little": N_("ate a little"),
                  "hardly": N_("hardly ate")}
ROLE_NAMES = {Role.STAFF.value: N_("Care team"), Role.APPROVER.value: N_("Management"),
              Role.ADMIN.value: N_("Management")}


def language_in(locale: str, reader: str) -> str:
    """A language's name in the reader's language: "German", "Englisch"."""
    try:
        return Locale.parse(locale).get_display_name(reader) or locale
    except ValueError:
        return locale


def activity_name(tr: Translator, activity: str) -> str:
    """A built-in activity in the reader's language; a home's own as written."""
    return tr._(BUILT_IN_ACTIVITIES[activity]) if activity in BUILT_IN_ACTIVITIES else activity


def mood_label(tr: Translator, mood: str) -> str:
    """"🙂 in good spirits"."""
    return f"{MOOD_EMOJI[mood]} {tr._(MOOD_NAMES[mood])}"


def appetite_label(tr: Translator, appetite: str) -> str:
    """"ate well"."""
    return tr._(APPETITE_NAMES[appetite])


def rows_line(tr: Translator, mood: str, appetite: str, activity: str) -> str:
    """The tapped rows as one line: "🙂 in good spirits · ate well · walk"."""
    parts = []
    if mood in MOOD_EMOJI:
        parts.append(mood_label(tr, mood))
    if appetite in APPETITE_NAMES:
        parts.append(appetite_label(tr, appetite))
    if activity:
        parts.append(activity_name(tr, activity))
    return " · ".join(parts)


def note_text(
    tr: Translator, note: WellbeingNote, author: str | None, timezone: str
) -> str:
    """One note as a relative reads it."""
    lines = []
    if rows := rows_line(tr, note.mood, note.appetite, note.activity):
        lines.append(rows)
    if note.text:
        lines.append(tr._("“{text}” (in {language})").format(
            text=note.text, language=language_in(note.text_locale or tr.locale, tr.locale)
        ))
    at = tr.time(note.created_at, timezone)
    role = tr._(ROLE_NAMES.get(note.author_role, ROLE_NAMES[Role.STAFF.value]))
    lines.append(tr._("— {name} ({role}), {time}").format(
        name=author or tr._("the team"), role=role, time=at
    ))
    return "\n".join(lines)


def day_text(
    tr: Translator, *, resident: str, facility: str, day: dt.date, today: bool,
    notes: Sequence[tuple[WellbeingNote, str | None]], timezone: str, photos: int,
) -> str:
    """The notes of one day about one resident (the digest, or /today)."""
    if today:
        head = tr._("🌙 Today with {resident} ({facility}):")
    else:
        head = tr._("🌙 {resident} ({facility}), {date}:")
    parts = [head.format(resident=resident, facility=facility,
                         date=format_date(day, format="medium", locale=tr.locale))]
    parts += [note_text(tr, note, author, timezone) for note, author in notes]
    if photos:
        parts.append(tr.ngettext("📷 {count} photo greeting that day.",
                                 "📷 {count} photo greetings that day.", photos
                                 ).format(count=tr.number(photos)))
    return "\n\n".join(parts)
