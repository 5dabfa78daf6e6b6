"""The public pages: a facility's reviews as HTML (``/facilities/{slug}``) and as an Atom feed.

Rendered on the server (jinja2), no JavaScript: the figures, a 12-month trend chart in SVG,
the reviews with the home's answers, how the reviews come about, and schema.org JSON-LD.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from markupsafe import Markup

from bot.domain.errors import NotFound
from bot.domain.stars import one_decimal
from bot.i18n import N_, translator
from bot.models import Facility
from bot.services.reviews import public as public_reviews
from bot.services.reviews.public import Figures, MonthFigure
from bot.services.reviews.text import pseudonym_text
from bot.services.stream import chain as stream_chain
from bot.services.stream.events import CATEGORIES
from bot.web.responses import respond, text_parameter
from bot.web.site import SITE_KEY
from bot.web.templating import (
    environment,
    language_links,
    local_date,
    month_label,
    page_locale,
)

HTML = "text/html; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"
PAGE_REVIEWS = 20
FEED_ENTRIES = 50
CATEGORY_LABELS = {
    "care": N_("Care"),
    "staff": N_("Staff"),
    "food": N_("Food & drink"),
    "activities": N_("Activities"),
    "communication": N_("Communication with relatives"),
}
# "12345 Berlin", "D-12345 Bad Homburg": a German postal code and the place.
POSTCODE_LINE = re.compile(r"(?:D-)?(?P<code>\d{5})\s+(?P<place>[^\W\d][\w .()/-]*)")
STREET_LINE = re.compile(r"[^\W\d][\w .'/-]*\s\d+\s?[a-zA-Z]?(?:[-/]\d+[a-zA-Z]?)?")
CHART_WIDTH, CHART_HEIGHT, CHART_TOP, CHART_BOTTOM = 360, 150, 12, 22


@dataclass(frozen=True)
class Bar:
    """One month of the trend chart."""

    x: float
    y: float
    width: float
    height: float
    label: str
    month: MonthFigure


def trend_bars(months: list[MonthFigure], locale: str) -> list[Bar]:
    """Bars of the mean stars per month (0–5 over the plot's height), oldest first."""
    plot = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    slot = CHART_WIDTH / max(len(months), 1)
    bars = []
    for index, month in enumerate(months):
        height = plot * (month.mean or 0) / 5
        bars.append(Bar(
            x=round(index * slot + slot * 0.15, 1),
            y=round(CHART_TOP + plot - height, 1),
            width=round(slot * 0.7, 1),
            height=round(height, 1),
            label=month_label(month.month, locale),
            month=month,
        ))
    return bars


def _review_view(review: dict[str, Any], locale: str, timezone: str) -> dict[str, Any]:
    tr = translator(locale)

    def date(value: str | None) -> str | None:
        if value is None:
            return None
        return local_date(dt.datetime.fromisoformat(value), locale, timezone)

    reply = review["reply"]
    return {
        **review,
        "reviewer": pseudonym_text(tr, review["reviewer"]),  # the stored one is German
        "date": date(review["published_at"]),
        "category_stars": [
            (tr._(CATEGORY_LABELS[name]), stars) for name, stars in review["categories"].items()
        ],
        "reply_text": reply["text"] if reply else None,
        "reply_date": date(reply["edited_at"] or reply["created_at"]) if reply else None,
    }


def _last_change(review: dict[str, Any]) -> str:
    reply = review["reply"]
    if reply is None:
        return str(review["published_at"])
    return max(str(review["published_at"]), str(reply["edited_at"] or reply["created_at"]))


def _script_json(data: Any) -> Markup:
    """JSON safe inside ``<script>``: no ``</script>`` can close it early."""
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def postal_address(contact: str) -> dict[str, str] | None:
    """The home's address from its contact text, when it has one: a line "12345 Ort".

    The line before it is the street (when it is not the home's name or a phone line).
    Without such a line the address is not known and the JSON-LD leaves it out.
    """
    lines = [line.strip(" ,") for line in contact.splitlines() if line.strip(" ,")]
    for index, line in enumerate(lines):
        found = POSTCODE_LINE.fullmatch(line)
        if not found:
            continue
        address = {"@type": "PostalAddress", "postalCode": found["code"],
                   "addressLocality": found["place"]}
        street = lines[index - 1] if index else ""
        if STREET_LINE.fullmatch(street):
            address["streetAddress"] = street
        return address
    return None


def json_ld(facility: Facility, figures: Figures, reviews: list[dict[str, Any]],
            page_url: str) -> dict[str, Any]:
    """schema.org: the home with its address, AggregateRating and the reviews on this page."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "LocalBusiness",
        "name": facility.name,
        "url": page_url,
    }
    if (address := postal_address(facility.contact or "")) is not None:
        data["address"] = address
    if figures.count and figures.mean is not None:
        data["aggregateRating"] = {
            "@type": "AggregateRating", "ratingValue": float(one_decimal(figures.mean)),
            "reviewCount": figures.count, "bestRating": 5, "worstRating": 1,
        }
    data["review"] = [
        {
            "@type": "Review",
            "author": {"@type": "Person", "name": review["reviewer"]},
            "datePublished": review["published_at"],
            **({"reviewBody": review["comment"]} if review["comment"] else {}),
            "reviewRating": {"@type": "Rating", "ratingValue": review["overall"],
                             "bestRating": 5, "worstRating": 1},
        }
        for review in reviews
    ]
    return data


async def _facility_or_404(request: web.Request) -> Facility:
    return await public_reviews.facility(request.match_info["slug"])


def _cache_key(request: web.Request, base: str) -> str:
    # The answer depends on the URL and the negotiated language (from the header or ?lang=).
    return f"{base}|{request.path_qs}|{request.headers.get('Accept-Language', '')}"


async def facility_page(request: web.Request) -> web.Response:
    """``GET /facilities/{slug}?lang=…&cursor=…``: the facility's public review page."""
    site = request.app[SITE_KEY]
    cursor = text_parameter(request, "cursor")
    base = site.base_url(request)

    async def build() -> tuple[bytes, str]:
        facility = await _facility_or_404(request)
        locale = page_locale(request, facility.default_locale)
        return (await _render_page(facility, locale, cursor, base)).encode(), HTML

    try:
        return await respond(request, build, key=_cache_key(request, base),
                             vary="Accept-Language")
    except NotFound:
        locale = page_locale(request, site.default_locale)
        body = environment(locale).get_template("not_found.html").render()
        return web.Response(text=body, status=404, content_type="text/html")


async def _render_page(facility: Facility, locale: str, cursor: str | None, base: str) -> str:
    figures = await public_reviews.figures(facility)
    page = await public_reviews.reviews_page(facility, cursor, PAGE_REVIEWS)
    path = f"/facilities/{facility.slug}"
    tr = translator(locale)
    reviews = [_review_view(r, locale, facility.timezone) for r in page.items]
    return environment(locale).get_template("facility.html").render(
        facility=facility,
        figures=figures,
        categories=[(tr._(CATEGORY_LABELS[name]), *figures.categories[name])
                    for name in CATEGORIES],
        bars=trend_bars(figures.months, locale),
        chart={"width": CHART_WIDTH, "height": CHART_HEIGHT,
               "baseline": CHART_HEIGHT - CHART_BOTTOM},
        reviews=reviews,
        first_page=cursor is None,
        older=f"{path}?lang={locale}&cursor={page.next_cursor}" if page.next_cursor else None,
        newest=f"{path}?lang={locale}",
        languages=language_links(path, locale),
        interval_days=facility.rating_interval_days,
        window_hours=facility.complaint_window_hours,
        base_url=base,
        json_ld=_script_json(json_ld(facility, figures, reviews, f"{base}{path}")),
    )


async def facility_feed(request: web.Request) -> web.Response:
    """``GET /facilities/{slug}/feed.atom``: the newest published reviews as Atom."""
    site = request.app[SITE_KEY]
    base = site.base_url(request)

    async def build() -> tuple[bytes, str]:
        facility = await _facility_or_404(request)
        locale = page_locale(request, facility.default_locale)
        page = await public_reviews.reviews_page(facility, None, FEED_ENTRIES)
        reviews = [_review_view(r, locale, facility.timezone) for r in page.items]
        updated = max(
            (_last_change(review) for review in reviews),
            default=stream_chain.timestamp(facility.created_at),
        )
        xml = environment(locale).get_template("feed.xml").render(
            facility=facility, reviews=reviews, updated=updated, base_url=base,
            page_url=f"{base}/facilities/{facility.slug}?lang={locale}",
            feed_url=f"{base}/facilities/{facility.slug}/feed.atom",
        )
        return xml.encode(), ATOM

    return await respond(request, build, key=_cache_key(request, base), vary="Accept-Language")


def routes() -> list[web.RouteDef]:
    """The public page and feed routes."""
    return [
        web.get("/facilities/{slug}", facility_page),
        web.get("/facilities/{slug}/feed.atom", facility_feed),
    ]
