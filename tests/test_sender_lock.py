"""PostgreSQL: several bot processes, one sender — the advisory lock keeps the others waiting."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import pytest
from tortoise import connections

from bot.delivery.outbox import Outgoing, Recipient, enqueue
from bot.delivery.worker import SENDER_LOCK_KEY, is_postgres
from tests import factories
from tests.conftest import TOKEN, free_port, heimbote_command
from tests.fakes import FakeTelegram, FakeUser

SECRET = "shared-webhook-secret"



async def bot_process(
    telegram: FakeTelegram, database_url: str, folder: Path, port: int, webhook_port: int
) -> asyncio.subprocess.Process:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEIMBOTE_")}
    env.update(
        HEIMBOTE_BOT_TOKEN=TOKEN,
        HEIMBOTE_TELEGRAM_API_URL=telegram.api_root,
        HEIMBOTE_DATABASE_URL=database_url,
        HEIMBOTE_HTTP_PORT=str(port),
        HEIMBOTE_WEBHOOK_URL=f"http://127.0.0.1:{webhook_port}/telegram/webhook",
        HEIMBOTE_WEBHOOK_SECRET=SECRET,
    )
    return await asyncio.create_subprocess_exec(
        *heimbote_command("run"),
        cwd=folder, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )


async def everyone_has(people: list[FakeUser], count: int, timeout: float = 30) -> None:
    async with asyncio.timeout(timeout):
        while any(len(p.messages) < count for p in people):  # noqa: ASYNC110
            await asyncio.sleep(0.05)


async def test_two_processes_send_each_message_once_and_one_takes_over(
    telegram: FakeTelegram, db: str, tmp_path: Path
) -> None:
    if not is_postgres(db):
        pytest.skip("the advisory lock is PostgreSQL's; SQLite runs one process")
    people = [telegram.user(f"Relative {n}", started=True) for n in range(40)]
    accounts = [await factories.account(p.first_name, telegram_id=p.id) for p in people]
    recipients = [Recipient(p.id, a) for p, a in zip(people, accounts, strict=True)]
    port_a, port_b = free_port(), free_port()
    first = await bot_process(telegram, db, tmp_path, port_a, port_a)
    second = await bot_process(telegram, db, tmp_path, port_b, port_a)
    try:
        await enqueue(recipients, Outgoing.text("Erste Nachricht"), purpose="a",
                      reference="1", urgent=True)
        await everyone_has(people, 1)
        first.send_signal(signal.SIGKILL)  # whichever sends, one process dies…
        await first.wait()
        await enqueue(recipients, Outgoing.text("Zweite Nachricht"), purpose="a",
                      reference="2", urgent=True)
        await everyone_has(people, 2)  # …and the survivor delivers
    finally:
        for process in (first, second):
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
                await asyncio.wait_for(process.communicate(), timeout=30)
    assert [[m.text for m in p.messages] for p in people] == [
        ["Erste Nachricht", "Zweite Nachricht"]
    ] * len(people)
    assert telegram.throttled == []
    assert second.returncode == 0


async def test_only_the_lock_holder_sends(telegram: FakeTelegram, db: str, tmp_path: Path) -> None:
    if not is_postgres(db):
        pytest.skip("the advisory lock is PostgreSQL's; SQLite runs one process")
    port_a, port_b = free_port(), free_port()
    processes = [
        await bot_process(telegram, db, tmp_path, port_a, port_a),
        await bot_process(telegram, db, tmp_path, port_b, port_a),
    ]
    try:
        anna = telegram.user("Anna", started=True)
        account = await factories.account("Anna", telegram_id=anna.id)
        await enqueue([Recipient(anna.id, account)], Outgoing.text("Hallo"), purpose="a",
                      reference="1", urgent=True)
        await everyone_has([anna], 1)
        assert all(process.returncode is None for process in processes)
        _, rows = await connections.get("default").execute_query(
            # pg_locks shows the whole server: count this test's database only (xdist runs others).
            "SELECT count(*) AS holders FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            [SENDER_LOCK_KEY],
        )
        assert rows[0]["holders"] == 1
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            await asyncio.wait_for(process.communicate(), timeout=30)
