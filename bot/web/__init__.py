"""The aiohttp apps: webhook, health, metrics, and the public review pages, feed and API.

One listener serves everything by default (``HEIMBOTE_HTTP_HOST/PORT``). With
``HEIMBOTE_PUBLIC_PORT`` set, the public site gets its own listener and the first one keeps
only what the operator and Telegram need: the webhook, ``/healthz`` and ``/metrics`` (which is
never served on the public listener).
"""

from __future__ import annotations

from enum import StrEnum

from aiohttp import web

from bot.metrics import Metrics
from bot.web import api, events_feed, public
from bot.web.guard import Limits, RateLimiter, rate_limited
from bot.web.health import routes as health_routes
from bot.web.live import LIVE_KEY, LiveHub
from bot.web.responses import public_errors
from bot.web.site import SITE_KEY, PublicSite
from bot.web.webhook import WEBHOOK_PATH, FeedUpdate, receive_update

METRICS_KEY = web.AppKey("metrics", Metrics)
SECRET_KEY = web.AppKey("webhook_secret", str)
FEED_KEY = web.AppKey[FeedUpdate]("feed_update")

MAX_BODY_BYTES = 1024 * 1024
PRIVATE_PATHS = frozenset({WEBHOOK_PATH, "/healthz", "/metrics"})


# The public pages need nothing but their own inline style: no scripts, frames or other origins.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)


async def security_headers(request: web.Request, response: web.StreamResponse) -> None:
    """Every answer: no content sniffing, no framing, no referrer; pages: the policy above."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)


class Serves(StrEnum):
    """What one listener serves."""

    ALL = "all"  # one listener for everything
    PRIVATE = "private"  # the webhook, /healthz, /metrics
    PUBLIC = "public"  # the public pages, feed, API and live stream, /healthz


def build_web_app(
    metrics: Metrics,
    *,
    webhook_secret: str | None = None,
    feed_update: FeedUpdate | None = None,
    public_url: str | None = None,
    default_locale: str = "de",
    limits: Limits | None = None,
    serves: Serves = Serves.ALL,
) -> web.Application:
    """The web application for one listener; the webhook route exists only in webhook mode.

    ``public_url`` is where the public pages are reachable from outside (absolute links in
    feeds and JSON-LD); unset, the address each request came to is used. ``limits`` bound what
    one client may use (:mod:`bot.web.guard`).
    """
    limits = limits or Limits()
    public_too = serves != Serves.PRIVATE
    middlewares = [public_errors]
    if public_too:
        limiter = RateLimiter(limits.requests_per_second, limits.burst)
        middlewares.insert(0, rate_limited(limiter, PRIVATE_PATHS))
    app = web.Application(client_max_size=MAX_BODY_BYTES, middlewares=middlewares)
    app[METRICS_KEY] = metrics
    app.on_response_prepare.append(security_headers)
    health = health_routes(METRICS_KEY)
    if serves == Serves.PUBLIC:
        health = [route for route in health if route.path != "/metrics"]
    app.add_routes(health)
    if public_too:
        site = PublicSite(public_url=public_url, default_locale=default_locale)
        app[SITE_KEY] = site
        hub = LiveHub(limits.live_streams, limits.live_streams_per_ip)
        app[LIVE_KEY] = hub
        app.add_routes(api.routes())
        app.add_routes(public.routes())
        app.add_routes(events_feed.routes())

        async def end_live_streams(app: web.Application) -> None:
            hub.close()  # Server-Sent Events end cleanly instead of being cut off

        app.on_shutdown.append(end_live_streams)
    if serves != Serves.PUBLIC and webhook_secret is not None and feed_update is not None:
        app[SECRET_KEY] = webhook_secret
        app[FEED_KEY] = feed_update
        app.router.add_post(
            WEBHOOK_PATH, receive_update(SECRET_KEY, FEED_KEY, body_timeout=limits.body_timeout)
        )
    return app
