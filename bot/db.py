"""Tortoise set-up and schema migrations.

The migration history in ``migrations/`` is written by Tortoise's own tool (``tortoise
makemigrations``); its operations are database-neutral, so one history serves SQLite and
PostgreSQL. ``heimbote db upgrade`` and ``heimbote run`` apply it.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from tortoise import Tortoise, connections
from tortoise.context import TortoiseContext
from tortoise.migrations.executor import MigrationExecutor

from bot import sqlite

# Tortoise's SQLite backend hands `datetime.time` (TimeField) to sqlite3, which has no adapter
# for it: teach sqlite3 the ISO format Tortoise parses back.
sqlite3.register_adapter(dt.time, dt.time.isoformat)

APP_LABEL = "heimbote"
DEFAULT_DATABASE_URL = "sqlite://heimbote.sqlite3"


def tortoise_config(database_url: str) -> dict[str, Any]:
    """The Tortoise configuration for one database URL."""
    # SQLite through our client, whose write transactions wait for the lock (bot.sqlite).
    connection: str | dict[str, Any] = database_url
    if sqlite.is_sqlite(database_url):
        connection = sqlite.connection_config(database_url)
    return {
        "connections": {"default": connection},
        "apps": {
            APP_LABEL: {
                "models": ["bot.models"],
                "default_connection": "default",
                "migrations": "migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def __getattr__(name: str) -> Any:
    # `tortoise makemigrations` / `migrate` read `bot.db.TORTOISE_ORM` (pyproject's
    # [tool.tortoise]); computed on access so importing this module reads no environment.
    if name == "TORTOISE_ORM":
        return tortoise_config(os.environ.get("HEIMBOTE_DATABASE_URL", DEFAULT_DATABASE_URL))
    raise AttributeError(name)


async def upgrade_schema() -> None:
    """Apply every migration not yet applied to the open default connection."""
    app_config = tortoise_config("")["apps"]
    executor = MigrationExecutor(connections.get("default"), app_config)
    await executor.migrate()


async def open_database(database_url: str, *, upgrade: bool = True) -> TortoiseContext:
    """Connect Tortoise to ``database_url`` and bring the schema up to date.

    Tortoise keeps its connections in a context variable; the global fallback lets every task
    see them — PTB's update tasks, aiohttp's request tasks and the workers alike.
    """
    handle = await Tortoise.init(
        config=tortoise_config(database_url), _enable_global_fallback=True
    )
    if upgrade:
        try:
            await upgrade_schema()
        except BaseException:
            # An open aiosqlite connection keeps a worker thread alive and the process with it.
            await handle.close_connections()
            raise
    return handle


async def close_database(handle: TortoiseContext) -> None:
    """Close the connections :func:`open_database` opened, from whichever task."""
    await handle.close_connections()


@asynccontextmanager
async def database(database_url: str, *, upgrade: bool = True) -> AsyncIterator[TortoiseContext]:
    """The database open for the duration of a block."""
    handle = await open_database(database_url, upgrade=upgrade)
    try:
        yield handle
    finally:
        await close_database(handle)


async def database_answers() -> bool:
    """Whether the database answers a trivial query (for the health check)."""
    try:
        await connections.get("default").execute_query("SELECT 1")
    except Exception:
        return False
    return True
