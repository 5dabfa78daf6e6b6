"""The web server's health check and Prometheus metrics, in polling mode."""

from __future__ import annotations

import gc
import warnings
from collections.abc import Awaitable, Callable

import aiohttp
from tortoise import Tortoise

from bot.app import Heimbote
from tests.fakes import FakeTelegram

StartBot = Callable[..., Awaitable[Heimbote]]


async def get(heimbote: Heimbote, path: str) -> tuple[int, str, str]:
    url = f"http://127.0.0.1:{heimbote.http_port}{path}"
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, response.headers["Content-Type"], await response.text()


async def test_healthz_says_ok_while_the_database_answers(start_bot: StartBot) -> None:
    heimbote = await start_bot()
    status, content_type, body = await get(heimbote, "/healthz")
    assert (status, content_type) == (200, "application/json; charset=utf-8")
    assert '"database": "ok"' in body


async def test_healthz_says_unavailable_when_the_database_is_gone(start_bot: StartBot) -> None:
    heimbote = await start_bot()
    await Tortoise.close_connections()  # the database is gone
    status, _, body = await get(heimbote, "/healthz")
    assert status == 503
    assert '"database": "down"' in body
    # Pulling the database from under a running bot leaves the connection the health check
    # tried to open unclosed; collect it here rather than let it warn in whichever test is next.
    await heimbote.stop()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


async def test_metrics_count_updates_and_messages(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    heimbote = await start_bot()
    anna = telegram.user("Anna")
    await anna.send("/start")
    await anna.wait_for(lambda m: "Heimbote" in m.text)
    status, content_type, body = await get(heimbote, "/metrics")
    assert status == 200 and content_type.startswith("text/plain")
    assert "heimbote_updates_handled_total 1.0" in body
    assert 'heimbote_messages_sent_total{method="sendMessage"} 1.0' in body
    assert "heimbote_handler_errors_total 0.0" in body
