"""Jinja2 for the public pages: one environment per language, the project's gettext catalogs.

Templates translate with ``_()`` and ``ngettext()`` and fill ``{placeholders}`` with
``.format()`` (the same style as the Python code, so the catalog tests check them too). The
language comes from ``?lang=``, else ``Accept-Language``, else the facility's own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from zoneinfo import ZoneInfo

from aiohttp import web
from babel.dates import format_date
from babel.numbers import get_decimal_symbol, get_group_symbol
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from bot.domain.stars import one_decimal, star_row
from bot.i18n import available_locales, language_name, negotiate, translator


def _stars(locale: str) -> Callable[[float], Markup]:
    tr = translator(locale)
    decimal_symbol = get_decimal_symbol(locale)

    def stars(value: float) -> Markup:
        """Stars drawn for the eye and said in words for screen readers (4.5 → ★★★★★)."""
        spoken = str(value) if isinstance(value, int) else str(one_decimal(value)).replace(
            ".", decimal_symbol)
        label = tr._("{stars} of 5 stars").format(stars=spoken)
        return Markup(
            '<span class="stars" aria-hidden="true">{}</span>'
            ' <span class="visually-hidden">{}</span>'
        ).format(star_row(value), label)

    return stars


@cache
def environment(locale: str) -> Environment:
    """The template environment whose ``_``/``ngettext`` speak ``locale``."""
    env = Environment(
        loader=PackageLoader("bot.web", "templates"),
        autoescape=select_autoescape(["html", "xml"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    tr = translator(locale)
    env.install_gettext_callables(  # type: ignore[attr-defined]
        tr._, tr.ngettext, newstyle=False, pgettext=tr.pgettext
    )
    decimal_symbol, group_symbol = get_decimal_symbol(locale), get_group_symbol(locale)
    env.globals["locale"] = locale
    env.globals["stars"] = _stars(locale)
    # Babel's general formatting is slow for the hundred numbers of a page: these two suffice.
    env.filters["decimal"] = lambda value: str(one_decimal(value)).replace(".", decimal_symbol)
    env.filters["whole"] = lambda value: f"{value:,}".replace(",", group_symbol)
    return env


def local_date(moment: dt.datetime, locale: str, timezone: str, style: str = "long") -> str:
    """A date as people of ``locale`` write it, in the facility's time zone."""
    return format_date(moment.astimezone(ZoneInfo(timezone)).date(), style, locale=locale)


def month_label(month: str, locale: str) -> str:
    """``"2026-05"`` as a short month name ("Mai", "May")."""
    year, number = (int(part) for part in month.split("-"))
    return format_date(dt.date(year, number, 1), "LLL", locale=locale)


def accepted_languages(header: str) -> list[str]:
    """The language tags of an ``Accept-Language`` header, most wanted first."""
    weighted = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and tag != "*" and quality > 0:
            weighted.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(weighted)]


def page_locale(request: web.Request, fallback: str) -> str:
    """``?lang=`` when there is such a catalog, else ``Accept-Language``, else fallback.

    An unknown ``?lang=`` (``tlh``) is not an error: the page comes in the next language that
    fits, as a reader following an old or mistyped link would want it.
    """
    chosen = request.query.get("lang")
    if chosen in available_locales():
        return chosen
    if chosen:
        matched = negotiate(chosen, "")  # "de-AT" → "de"
        if matched:
            return matched
    for tag in accepted_languages(request.headers.get("Accept-Language", "")):
        matched = negotiate(tag, "")
        if matched:
            return matched
    return fallback if fallback in available_locales() else available_locales()[0]


def language_links(path: str, current: str) -> list[tuple[str, str, str, bool]]:
    """(code, own name, link, is current) for the language switcher."""
    return [
        (code, language_name(code), f"{path}?lang={code}", code == current)
        for code in available_locales()
    ]
