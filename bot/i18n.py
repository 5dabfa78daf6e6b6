"""Languages: Babel gettext catalogs, locale negotiation, dates and numbers per locale.

The catalogs are the ``.po`` files in ``locales/``; they are compiled in memory when first
loaded, so no ``.mo`` file needs to be built or committed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from importlib import resources
from io import BytesIO
from pathlib import Path

from babel import Locale, negotiate_locale
from babel.dates import (
    format_date,
    format_skeleton,
    format_time,
    get_datetime_format,
    get_timezone,
)
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

DOMAIN = "messages"


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated later, where the locale is known."""
    return message


def locales_dir() -> Path:
    """The folder holding ``messages.pot`` and ``<lang>/LC_MESSAGES/messages.po``."""
    return Path(str(resources.files("locales")))


@cache
def available_locales() -> tuple[str, ...]:
    """Locales that have a catalog, sorted."""
    found = locales_dir().glob(f"*/LC_MESSAGES/{DOMAIN}.po")
    return tuple(sorted(path.parent.parent.name for path in found))


@cache
def _translations(locale: str) -> Translations:
    po_path = locales_dir() / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=locale, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(fp=compiled, domain=DOMAIN)


def negotiate(
    language_code: str | None, default: str, available: tuple[str, ...] | None = None
) -> str:
    """Match Telegram's ``language_code`` (``pt-br``, ``de``, ``en-GB``) to a catalog.

    ``pt-br`` falls back to ``pt`` when only that exists; anything unmatched gives ``default``.
    """
    if not language_code:
        return default
    wanted = language_code.replace("-", "_").lower()
    candidates = {code.lower(): code for code in (available or available_locales())}
    matched = negotiate_locale([wanted, wanted.split("_")[0]], list(candidates))
    return candidates[matched] if matched else default


@dataclass(frozen=True)
class Translator:
    """Everything user-visible in one locale: messages, plurals, dates and numbers."""

    locale: str

    def _(self, message: str) -> str:
        """Translate ``message``."""
        return _translations(self.locale).gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        """Translate a message whose form depends on ``count`` (CLDR plural rules)."""
        return _translations(self.locale).ngettext(singular, plural, count)

    def pgettext(self, context: str, message: str) -> str:
        """Translate an ambiguous ``message`` in a ``context``."""
        return str(_translations(self.locale).pgettext(context, message))

    def number(self, value: float) -> str:
        """A number as this locale writes it (``1.200`` in German, ``1,200`` in English)."""
        return format_decimal(value, locale=self.locale)

    def datetime(self, moment: dt.datetime, timezone: str = "Europe/Berlin") -> str:
        """A date and time in this locale, shown in ``timezone``, without seconds."""
        local = moment.astimezone(get_timezone(timezone))
        pattern = str(get_datetime_format("medium", locale=self.locale))
        day = str(format_date(local, "medium", locale=self.locale))
        return pattern.replace("{1}", day).replace("{0}", clock(local, self.locale))

    def day_and_time(self, moment: dt.datetime, timezone: str) -> str:
        """A short day and time for a button: "12. Juli, 15:00", "Jul 12, 3:00 PM"."""
        local = moment.astimezone(get_timezone(timezone))
        day = str(format_skeleton("MMMd", local, locale=self.locale))
        return f"{day}, {clock(local, self.locale)}"

    def time(self, moment: dt.datetime | dt.time, timezone: str | None = None) -> str:
        """A time of day in this locale's one format, without seconds (see :func:`clock`)."""
        return clock(moment, self.locale, timezone)


def clock(moment: dt.datetime | dt.time, locale: str, timezone: str | None = None) -> str:
    """A time of day as ``locale`` writes it, without seconds: "18:00", "6:00 PM".

    Every time a reader sees goes through here, so that each locale has one format. A
    ``datetime`` is first shown in ``timezone`` when one is given.
    """
    if isinstance(moment, dt.datetime) and timezone is not None:
        moment = moment.astimezone(get_timezone(timezone))
    value = moment.time() if isinstance(moment, dt.datetime) else moment
    return str(format_time(value, "short", locale=locale))


def translator(locale: str) -> Translator:
    """The translator for one of :func:`available_locales`."""
    if locale not in available_locales():
        raise ValueError(f"no catalog for locale {locale!r}")
    return Translator(locale)


def language_name(locale: str) -> str:
    """The language's own name, as its speakers write it: "Deutsch", "English"."""
    name = Locale.parse(locale).get_display_name(locale) or locale
    return name[:1].upper() + name[1:]
