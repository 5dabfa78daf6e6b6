"""When Telegram or a handler fails, the user still gets an answer, never an exception."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable

import pytest

from bot.app import Heimbote
from bot.delivery.updates import claim_update, prune_processed_updates
from bot.models import ProcessedUpdate
from tests.fakes import FakeTelegram

pytestmark = pytest.mark.calendar  # run at every instant of tests.conftest.CLOCKS

StartBot = Callable[..., Awaitable[Heimbote]]


async def test_a_429_on_a_reply_is_waited_out_not_shown(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    anna = telegram.user("Anna", language_code="en")
    telegram.fail_next("sendMessage", status=429, retry_after=1)
    await anna.send("/help")
    reply = await anna.wait_for(timeout=10)
    assert reply.text.startswith("Here is what I can do")
    assert len(anna.messages) == 1


async def test_a_failing_handler_ends_in_an_apology_in_her_language(
    telegram: FakeTelegram, start_bot: StartBot, caplog: pytest.LogCaptureFixture
) -> None:
    heimbote = await start_bot()
    anna = telegram.user("Anna", language_code="de")
    telegram.fail_next("sendMessage", status=400, description="Bad Request: something odd")
    caplog.set_level(logging.INFO)
    await anna.send("/help")
    apology = await anna.wait_for()
    assert apology.text.startswith("Entschuldigung, bei mir ist etwas schiefgegangen")
    assert heimbote.metrics.handler_errors._value.get() == 1
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "handling update" in logged
    assert "/help" not in logged and "Anna" not in logged  # ids, never message text or names


async def test_the_bot_survives_telegram_being_down_for_a_moment(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    anna = telegram.user("Anna", language_code="en")
    telegram.fail_next("sendMessage", status=500, times=2)
    await anna.send("/help")
    await anna.send("/help")
    await anna.send("/help")
    reply = await anna.wait_for(lambda m: m.text.startswith("Here is what I can do"), timeout=10)
    assert reply is not None


async def test_processed_update_ids_are_forgotten_after_a_day(db: str) -> None:
    assert await claim_update(1)
    assert not await claim_update(1)
    await ProcessedUpdate.filter(update_id=1).update(
        processed_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=25)
    )
    assert await claim_update(2)
    assert await prune_processed_updates() == 1
    assert [u.update_id for u in await ProcessedUpdate.all()] == [2]
