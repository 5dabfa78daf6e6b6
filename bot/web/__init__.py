"""The aiohttp app: webhook, health, metrics, and the public review pages, feed and API."""

from __future__ import annotations

from aiohttp import web

from bot.metrics import Metrics
from bot.web import api, public
from bot.web.health import routes as health_routes
from bot.web.responses import public_errors
from bot.web.site import SITE_KEY, PublicSite
from bot.web.webhook import WEBHOOK_PATH, FeedUpdate, receive_update

METRICS_KEY = web.AppKey("metrics", Metrics)
SECRET_KEY = web.AppKey("webhook_secret", str)
FEED_KEY = web.AppKey[FeedUpdate]("feed_update")

MAX_BODY_BYTES = 1024 * 1024


def build_web_app(
    metrics: Metrics,
    *,
    webhook_secret: str | None = None,
    feed_update: FeedUpdate | None = None,
    public_url: str | None = None,
    default_locale: str = "de",
) -> web.Application:
    """The web application; the webhook route exists only in webhook mode.

    ``public_url`` is where the public pages are reachable from outside (absolute links in
    feeds and JSON-LD); unset, the address each request came to is used.
    """
    app = web.Application(client_max_size=MAX_BODY_BYTES, middlewares=[public_errors])
    app[METRICS_KEY] = metrics
    site = PublicSite(public_url=public_url, default_locale=default_locale)
    app[SITE_KEY] = site
    app.add_routes(health_routes(METRICS_KEY))
    app.add_routes(api.routes())
    app.add_routes(public.routes())

    async def end_live_streams(app: web.Application) -> None:
        site.closing.set()  # Server-Sent Events end cleanly instead of being cut off

    app.on_shutdown.append(end_live_streams)
    if webhook_secret is not None and feed_update is not None:
        app[SECRET_KEY] = webhook_secret
        app[FEED_KEY] = feed_update
        app.router.add_post(WEBHOOK_PATH, receive_update(SECRET_KEY, FEED_KEY))
    return app
