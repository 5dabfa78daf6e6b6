"""The public web app served over real HTTP for a test, on the test's database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp.test_utils import TestClient, TestServer

from bot.metrics import Metrics
from bot.web import build_web_app


@asynccontextmanager
async def public_client(public_url: str | None = None) -> AsyncIterator[TestClient]:
    """A client of the web app (webhook off), the database already open."""
    app = build_web_app(Metrics(), public_url=public_url)
    async with TestClient(TestServer(app)) as client:
        yield client
