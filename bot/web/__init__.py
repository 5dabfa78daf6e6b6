"""The aiohttp app: webhook, health, metrics (and later the public review pages and API)."""

from __future__ import annotations

from aiohttp import web

from bot.metrics import Metrics
from bot.web.health import routes as health_routes
from bot.web.webhook import WEBHOOK_PATH, FeedUpdate, receive_update

METRICS_KEY = web.AppKey("metrics", Metrics)
SECRET_KEY = web.AppKey("webhook_secret", str)
FEED_KEY = web.AppKey("feed_update", FeedUpdate)

MAX_BODY_BYTES = 1024 * 1024


def build_web_app(
    metrics: Metrics, *, webhook_secret: str | None = None, feed_update: FeedUpdate | None = None
) -> web.Application:
    """The web application; the webhook route exists only in webhook mode."""
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app[METRICS_KEY] = metrics
    app.add_routes(health_routes(METRICS_KEY))
    if webhook_secret is not None and feed_update is not None:
        app[SECRET_KEY] = webhook_secret
        app[FEED_KEY] = feed_update
        app.router.add_post(WEBHOOK_PATH, receive_update(SECRET_KEY, FEED_KEY))
    return app
