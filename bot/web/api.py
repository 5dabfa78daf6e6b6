"""The public JSON API: the review stream, facilities with their figures, pages of reviews.

Described by ``GET /openapi.json`` (:mod:`bot.web.openapi`). Every list is paginated: the
answer's ``next`` is the path of the next page, or null on the last one.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from bot.models import Facility
from bot.services.reviews import public as public_reviews
from bot.services.reviews.public import FacilitySummary, Figures
from bot.services.stream import events as stream
from bot.services.stream import pages as stream_pages
from bot.web.cache import answer
from bot.web.live import live_stream
from bot.web.openapi import openapi_document
from bot.web.responses import (
    JSON,
    answered,
    int_parameter,
    json_bytes,
    respond,
    text_parameter,
)
from bot.web.site import SITE_KEY

MAX_SEQ = 2**31 - 1
STREAM_LIMIT = (100, 1000)  # default, maximum
FACILITY_LIMIT = (50, 200)
REVIEW_LIMIT = (20, 100)


def _next(path: str, **query: Any) -> str:
    return f"{path}?{urlencode(query)}"


def _limit(request: web.Request, bounds: tuple[int, int]) -> int:
    return int_parameter(request, "limit", bounds[0], minimum=1, maximum=bounds[1])


def _stream_body(events: bytes, last: int | None, limit: int, head: int) -> bytes:
    more = last is not None and last < head
    rest = json_bytes({
        "head": head,
        "next": _next("/api/v1/stream", after=last, limit=limit) if more else None,
    })
    # The events come as ready JSON text: put them in front of the rest of the object.
    return b'{"events":' + events + b"," + rest[1:]


async def stream_page(request: web.Request) -> web.Response:
    """``GET /api/v1/stream?after=SEQ&limit=N``: events in order, with hashes and links.

    A complete page (all its events written) is cut from cached runs of encoded events
    (:mod:`bot.web.stream_cache`); the open page at the head is built as any other answer.
    """
    after = int_parameter(request, "after", 0, minimum=0, maximum=MAX_SEQ)
    limit = _limit(request, STREAM_LIMIT)
    site = request.app[SITE_KEY]
    head = None
    if site.stream_runs.enabled:
        head = await site.cache.head()
        events = await site.stream_runs.page(after, limit, head)
        if events is not None:
            body = _stream_body(events, after + limit, limit, head)
            return answered(request, answer(body, JSON, head))

    async def build() -> tuple[bytes, str]:
        events, seqs = await stream_pages.events_after_as_json(after, limit)
        head = await stream.last_seq()
        last = seqs[-1] if len(seqs) == limit else None
        return _stream_body(events.encode(), last, limit, head), JSON

    return await respond(request, build, head=head)


def _summary_json(summary: FacilitySummary) -> dict[str, Any]:
    return {
        "slug": summary.slug,
        "name": summary.name,
        "review_count": summary.count,
        "mean_overall": summary.mean,
        "url": f"/api/v1/facilities/{summary.slug}",
    }


async def facilities(request: web.Request) -> web.Response:
    """``GET /api/v1/facilities?cursor=…&limit=N``: every facility with count and mean."""
    cursor = text_parameter(request, "cursor")
    limit = _limit(request, FACILITY_LIMIT)

    async def build() -> tuple[bytes, str]:
        page = await public_reviews.facilities_page(cursor, limit)
        return json_bytes({
            "facilities": [_summary_json(item) for item in page.items],
            "next": _next("/api/v1/facilities", cursor=page.next_cursor, limit=limit)
            if page.next_cursor else None,
        }), JSON

    return await respond(request, build)


def figures_json(facility: Facility, figures: Figures) -> dict[str, Any]:
    """A facility's figures in the API's shape."""
    return {
        "slug": facility.slug,
        "name": facility.name,
        "review_count": figures.count,
        "mean_overall": figures.mean,
        "categories": {
            name: {"mean": mean, "count": count}
            for name, (mean, count) in figures.categories.items()
        },
        "distribution": {str(stars): count for stars, count in figures.distribution.items()},
        "months": [
            {"month": m.month, "count": m.count, "mean": m.mean} for m in figures.months
        ],
        "links": {
            "reviews": f"/api/v1/facilities/{facility.slug}/reviews",
            "page": f"/facilities/{facility.slug}",
            "feed": f"/facilities/{facility.slug}/feed.atom",
        },
    }


async def facility_figures(request: web.Request) -> web.Response:
    """``GET /api/v1/facilities/{slug}``: count, means, distribution, last 12 months."""

    async def build() -> tuple[bytes, str]:
        facility = await public_reviews.facility(request.match_info["slug"])
        figures = await public_reviews.figures(facility)
        return json_bytes(figures_json(facility, figures)), JSON

    return await respond(request, build)


async def facility_reviews(request: web.Request) -> web.Response:
    """``GET /api/v1/facilities/{slug}/reviews?cursor=…&limit=N``: newest first."""
    cursor = text_parameter(request, "cursor")
    limit = _limit(request, REVIEW_LIMIT)

    async def build() -> tuple[bytes, str]:
        slug = request.match_info["slug"]
        page = await public_reviews.facility_reviews_page(slug, cursor, limit)
        path = f"/api/v1/facilities/{slug}/reviews"
        return json_bytes({
            "reviews": page.items,
            "next": _next(path, cursor=page.next_cursor, limit=limit)
            if page.next_cursor else None,
        }), JSON

    return await respond(request, build)


async def openapi(request: web.Request) -> web.Response:
    """``GET /openapi.json``: this API, described."""
    base_url = request.app[SITE_KEY].base_url(request)

    async def build() -> tuple[bytes, str]:
        return json_bytes(openapi_document(base_url)), JSON

    return await respond(request, build, key=f"{base_url}|openapi")


def routes() -> list[web.RouteDef]:
    """The API's routes."""
    return [
        web.get("/api/v1/stream", stream_page),
        web.get("/api/v1/stream/live", live_stream),
        web.get("/api/v1/facilities", facilities),
        web.get("/api/v1/facilities/{slug}", facility_figures),
        web.get("/api/v1/facilities/{slug}/reviews", facility_reviews),
        web.get("/openapi.json", openapi),
    ]
