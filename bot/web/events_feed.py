"""The public calendar feed of a home: ``GET /facilities/{slug}/events.ics``.

The events the home marked public (:func:`bot.services.events.public_feed`), as ``text/calendar``
with an ETag and ``Cache-Control`` like every public answer (a client that has the current one
gets ``304``). Not kept in the response cache: that cache follows the review stream, and events
change without it. An unknown home (or a slug that is none) is a ``404``.
"""

from __future__ import annotations

from aiohttp import web

from bot.services import events
from bot.services.reviews import public as public_reviews
from bot.web.cache import answer
from bot.web.responses import answered

CALENDAR = "text/calendar; charset=utf-8"


async def events_feed(request: web.Request) -> web.Response:
    """``GET /facilities/{slug}/events.ics``: the home's public events."""
    facility = await public_reviews.facility(request.match_info["slug"])  # NotFound: 404
    body = await events.public_feed(facility)
    return answered(request, answer(body, CALENDAR, head=0))


def routes() -> list[web.RouteDef]:
    return [web.get("/facilities/{slug}/events.ics", events_feed)]
