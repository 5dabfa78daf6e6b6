"""`heimbote run` as a real process: it serves users, and SIGTERM stops it cleanly."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

from bot.delivery.outbox import Outgoing, Recipient, enqueue
from tests import factories
from tests.conftest import TOKEN, heimbote_command
from tests.fakes import FakeTelegram


async def start_process(
    telegram: FakeTelegram, database_url: str, tmp_path: Path
) -> asyncio.subprocess.Process:
    """`heimbote run` in its own process, configured only through the environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEIMBOTE_")}
    env.update(
        HEIMBOTE_BOT_TOKEN=TOKEN,
        HEIMBOTE_TELEGRAM_API_URL=telegram.api_root,
        HEIMBOTE_DATABASE_URL=database_url,
        HEIMBOTE_HTTP_PORT="0",
    )
    return await asyncio.create_subprocess_exec(
        *heimbote_command("run"),
        cwd=tmp_path, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )


async def test_run_serves_a_user_and_stops_cleanly_on_sigterm(
    telegram: FakeTelegram, database_url: str, tmp_path: Path
) -> None:
    process = await start_process(telegram, database_url, tmp_path)
    try:
        anna = telegram.user("Anna", language_code="en")
        await anna.send("/start")
        await anna.wait_for(lambda m: m.text.startswith("Hello Anna!"), timeout=30)
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    log = stderr.decode()
    assert process.returncode == 0, log
    assert "Heimbote stopped" in log
    assert TOKEN.split(":")[1] not in log  # the token never reaches the log
    assert "Anna" not in log  # nor personal data


async def test_sigterm_lets_the_update_in_flight_finish(
    telegram: FakeTelegram, database_url: str, tmp_path: Path
) -> None:
    process = await start_process(telegram, database_url, tmp_path)
    anna = telegram.user("Anna", language_code="en")
    await anna.send("/start")
    await anna.wait_for(lambda m: m.text.startswith("Hello Anna!"), timeout=30)
    telegram.slow("sendMessage", 1.0)
    await anna.send("/help")
    async with asyncio.timeout(10):  # the reply is on its way to Telegram…
        # The fake signals calls when it answers them; this one is still being answered.
        while len(telegram.calls_of("sendMessage")) < 2:  # noqa: ASYNC110
            await asyncio.sleep(0.01)
    process.send_signal(signal.SIGTERM)  # …when the operator stops the bot
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    assert anna.messages[-1].text.startswith("Here is what I can do")
    assert process.returncode == 0, stderr.decode()


async def test_a_killed_broadcast_is_completed_after_the_restart(
    telegram: FakeTelegram, db: str, tmp_path: Path
) -> None:
    people = [telegram.user(f"Relative {n}", started=True) for n in range(100)]
    accounts = [await factories.account(p.first_name, telegram_id=p.id) for p in people]
    await enqueue(
        [Recipient(p.id, a) for p, a in zip(people, accounts, strict=True)],
        Outgoing.text("Das Sommerfest ist am Samstag um 15 Uhr."),
        purpose="announcement", reference="1", urgent=True,
    )
    first = await start_process(telegram, db, tmp_path)
    async with asyncio.timeout(30):  # a good part of the broadcast is out…
        while sum(1 for p in people if p.messages) < 30:  # noqa: ASYNC110
            await asyncio.sleep(0.01)
    first.kill()  # …when the machine dies
    await first.wait()
    sent_before = sum(len(p.messages) for p in people)
    assert sent_before < len(people)

    second = await start_process(telegram, db, tmp_path)
    try:
        async with asyncio.timeout(30):
            while not all(p.messages for p in people):  # noqa: ASYNC110
                await asyncio.sleep(0.05)
    finally:
        second.send_signal(signal.SIGTERM)
        await asyncio.wait_for(second.communicate(), timeout=30)
    twice = [p for p in people if len(p.messages) > 1]
    assert len(twice) <= 1  # at most the one in flight at the kill
    assert telegram.throttled == []
