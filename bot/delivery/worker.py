"""Running the sender: directly on SQLite, behind a PostgreSQL advisory lock elsewhere.

Several bot processes may share one PostgreSQL database; only the one holding the lock sends,
so the bot-wide rate limit is kept by one sender at a time. If that process dies, its
connection closes, the lock is released, and another process takes over within seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from bot.delivery.sender import Sender

log = logging.getLogger(__name__)

SENDER_LOCK_KEY = 0x48_45_49_4D  # "HEIM"
LOCK_RETRY_SECONDS = 5.0


def is_postgres(database_url: str) -> bool:
    """Whether the Tortoise URL names a PostgreSQL database."""
    return database_url.startswith(("postgres://", "postgresql://", "asyncpg://"))


async def run_sender(sender: Sender, database_url: str) -> None:
    """Run ``sender`` for as long as this process may (forever on SQLite)."""
    if not is_postgres(database_url):
        await sender.run()
        return
    import asyncpg

    dsn = "postgresql://" + database_url.split("://", 1)[1]
    while True:
        connection = await asyncpg.connect(dsn)
        try:
            if await connection.fetchval("SELECT pg_try_advisory_lock($1)", SENDER_LOCK_KEY):
                log.info("this process sends the outbox")
                await sender.run()
        finally:
            with contextlib.suppress(Exception):
                await asyncio.shield(connection.close())
        await asyncio.sleep(LOCK_RETRY_SECONDS)
