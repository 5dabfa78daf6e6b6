"""``GET /healthz`` and ``GET /metrics``."""

from __future__ import annotations

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from bot.db import database_answers
from bot.metrics import Metrics


def routes(metrics_key: web.AppKey[Metrics]) -> list[web.RouteDef]:
    """The health and metrics routes."""

    async def healthz(request: web.Request) -> web.Response:
        if await database_answers():
            return web.json_response({"status": "ok", "database": "ok"})
        return web.json_response({"status": "unavailable", "database": "down"}, status=503)

    async def metrics(request: web.Request) -> web.Response:
        body = request.app[metrics_key].exposition()
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    return [web.get("/healthz", healthz), web.get("/metrics", metrics)]
