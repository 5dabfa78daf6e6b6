"""Webhook mode: Telegram posts updates to /telegram/webhook; only with the secret, each once."""

from __future__ import annotations

import io
import json
from collections.abc import Awaitable, Callable

import aiohttp
import pytest

from bot.app import Heimbote
from bot.models import ProcessedUpdate
from tests.conftest import free_port
from tests.fakes import SECRET_HEADER, FakeTelegram, FakeUser

StartBot = Callable[..., Awaitable[Heimbote]]
SECRET = "test_secret-123"



@pytest.fixture
async def webhook_bot(start_bot: StartBot) -> tuple[Heimbote, str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/webhook"
    heimbote = await start_bot(http_port=port, webhook_url=url, webhook_secret=SECRET)
    return heimbote, url


def help_update(update_id: int, user: FakeUser) -> dict[str, object]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": 1_790_000_000,
            "chat": {"id": user.id, "type": "private", "first_name": user.first_name},
            "from": user.to_dict(),
            "text": "/help",
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
        },
    }


async def known_user(telegram: FakeTelegram) -> FakeUser:
    """Erika, who has talked to the bot before (so it may write to her)."""
    erika = telegram.user("Erika", language_code="de")
    await erika.send("/start")
    await erika.wait_for(lambda m: "Heimbote" in m.text)
    return erika


async def post(url: str, body: bytes, secret: str | None = SECRET) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[SECRET_HEADER] = secret
    async with aiohttp.ClientSession() as session, session.post(
        url, data=io.BytesIO(body), headers=headers
    ) as response:
        return response.status


async def test_the_bot_registers_its_webhook_and_answers_through_it(
    telegram: FakeTelegram, webhook_bot: tuple[Heimbote, str]
) -> None:
    _, url = webhook_bot
    (registration,) = telegram.calls_of("setWebhook")
    assert registration["url"] == url
    assert registration["secret_token"] == SECRET
    assert "callback_query" in registration["allowed_updates"]

    anna = telegram.user("Anna", language_code="en")
    await anna.send("/start")
    await anna.wait_for(lambda m: m.text.startswith("Hello Anna!"))
    assert telegram.calls_of("getUpdates") == []


@pytest.mark.parametrize("secret", [None, "", "wrong", SECRET + "x"])
async def test_a_missing_or_wrong_secret_is_refused_and_nothing_is_processed(
    telegram: FakeTelegram, webhook_bot: tuple[Heimbote, str], secret: str | None
) -> None:
    _, url = webhook_bot
    erika = await known_user(telegram)
    body = json.dumps(help_update(77, erika)).encode()
    assert await post(url, body, secret=secret) == 403
    assert await ProcessedUpdate.filter(update_id=77).count() == 0
    assert len(erika.messages) == 1  # the greeting, nothing more
    # The same update with the right secret is then processed: nothing above consumed it.
    assert await post(url, body) == 200
    await erika.wait_for(lambda m: m.text.startswith("Das kann ich"))


async def test_a_repeated_update_is_handled_once(
    telegram: FakeTelegram, webhook_bot: tuple[Heimbote, str]
) -> None:
    _, url = webhook_bot
    erika = await known_user(telegram)
    body = json.dumps(help_update(500, erika)).encode()
    assert await post(url, body) == 200
    assert await post(url, body) == 200
    assert await post(url, json.dumps(help_update(501, erika)).encode()) == 200
    # Updates are handled in order: once 501 is answered, 500 could only have been answered once.
    await telegram.wait_for_call(
        "sendMessage", lambda call: len(erika.messages) == 3, timeout=10
    )
    assert [m.text.startswith("Das kann ich") for m in erika.messages[1:]] == [True, True]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{not json", 400),
        (b"\xff\xfe", 400),
        (b"[1, 2, 3]", 400),
        (b'{"update_id": "seven"}', 400),
        (b'{"message": {}}', 400),
        (b'{"update_id": 1, "padding": "' + b"x" * (1024 * 1024) + b'"}', 413),
        (b'{"update_id": 9223372036854775808}', 400),  # 2**63: no database column holds it
        (b'{"update_id": -1}', 400),
        (b'{"update_id": true}', 400),
        (b'{"update_id": 7, "message": "hello"}', 400),  # a string where an object belongs
        (b'{"update_id": 7, "message": {"chat": 5}}', 400),
        (b'{"update_id": 7, "a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", 400),  # deep
    ],
)
async def test_bad_bodies_are_refused(
    telegram: FakeTelegram, webhook_bot: tuple[Heimbote, str], body: bytes, status: int
) -> None:
    _, url = webhook_bot
    assert await post(url, body) == status
    assert await ProcessedUpdate.all().count() == 0


async def test_an_update_that_could_not_be_handed_on_runs_when_telegram_retries(
    telegram: FakeTelegram, webhook_bot: tuple[Heimbote, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    heimbote, url = webhook_bot
    erika = await known_user(telegram)
    queue = heimbote.application.update_queue
    put = queue.put
    failures = [RuntimeError("the queue is gone for a moment")]

    async def put_once_failing(update: object) -> None:
        if failures:
            raise failures.pop()
        await put(update)

    monkeypatch.setattr(queue, "put", put_once_failing)
    body = json.dumps(help_update(600, erika)).encode()
    assert await post(url, body) == 500
    assert await ProcessedUpdate.filter(update_id=600).count() == 0  # not claimed: it retries
    assert await post(url, body) == 200  # Telegram's retry
    await telegram.wait_for_call("sendMessage", lambda call: len(erika.messages) == 2, timeout=10)
