"""Tortoise set-up and schema migrations.

The migration history in ``migrations/`` is written by Tortoise's own tool (``tortoise
makemigrations``); its operations are database-neutral, so one history serves SQLite and
PostgreSQL. ``heimbote db upgrade`` and ``heimbote run`` apply it.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from tortoise import Tortoise, connections
from tortoise.migrations.executor import MigrationExecutor

APP_LABEL = "heimbote"
DEFAULT_DATABASE_URL = "sqlite://heimbote.sqlite3"


def tortoise_config(database_url: str) -> dict[str, Any]:
    """The Tortoise configuration for one database URL."""
    return {
        "connections": {"default": database_url},
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


async def open_database(database_url: str, *, upgrade: bool = True) -> None:
    """Connect Tortoise to ``database_url`` and bring the schema up to date."""
    await Tortoise.init(config=tortoise_config(database_url))
    if upgrade:
        try:
            await upgrade_schema()
        except BaseException:
            # An open aiosqlite connection keeps a worker thread alive and the process with it.
            await close_database()
            raise


async def close_database() -> None:
    """Close every database connection."""
    await Tortoise.close_connections()


@asynccontextmanager
async def database(database_url: str, *, upgrade: bool = True) -> AsyncIterator[None]:
    """The database open for the duration of a block."""
    await open_database(database_url, upgrade=upgrade)
    try:
        yield
    finally:
        await close_database()


async def database_answers() -> bool:
    """Whether the database answers a trivial query (for the health check)."""
    try:
        await connections.get("default").execute_query("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        return False
    return True
