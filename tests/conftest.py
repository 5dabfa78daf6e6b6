"""Shared fixtures: a fresh database per test (SQLite, or PostgreSQL when CI asks for it)."""

from __future__ import annotations

import os
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from bot.app import Heimbote
from bot.config import Settings, load_settings
from bot.db import database
from tests.fakes import FakeTelegram

POSTGRES_URL_VARIABLE = "HEIMBOTE_TEST_POSTGRES_URL"

# What `heimbote` does at start (bot.cli.main): PTB's future behaviour, retry_after as timedelta.
os.environ.setdefault("PTB_TIMEDELTA", "1")


async def reset_postgres(url: str) -> None:
    """Drop everything in the test database's public schema."""
    import asyncpg

    connection = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()


@pytest.fixture
async def database_url(tmp_path: Path) -> str:
    """An empty database: PostgreSQL when ``HEIMBOTE_TEST_POSTGRES_URL`` is set, else SQLite."""
    postgres = os.environ.get(POSTGRES_URL_VARIABLE)
    if postgres:
        await reset_postgres(postgres)
        return postgres
    return f"sqlite://{tmp_path / 'heimbote.sqlite3'}"


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[str]:
    """The database open and migrated for a service test."""
    async with database(database_url):
        yield database_url


TOKEN = "123456:TEST-TOKEN"


def free_port() -> int:
    """A TCP port nobody listens on right now (for a server whose URL must be known first)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    """The fake Bot API server, playing Telegram and its users over real HTTP."""
    async with FakeTelegram(token=TOKEN) as fake:
        yield fake


@pytest.fixture
def settings_for(
    telegram: FakeTelegram, database_url: str
) -> Callable[..., Settings]:
    """Settings pointing at the fake Telegram and the test database; overrides as keywords."""

    def make(**overrides: object) -> Settings:
        values: dict[str, object] = {
            "bot_token": TOKEN,
            "telegram_api_url": telegram.api_root,
            "database_url": database_url,
            "http_port": 0,
            "default_locale": "de",
            "webhook_url": None,
            "webhook_secret": None,
            "admin_ids": "",
        }
        values.update(overrides)
        return load_settings(env_file=None, **values)

    return make


@pytest.fixture
async def start_bot(
    settings_for: Callable[..., Settings],
) -> AsyncIterator[Callable[..., Awaitable[Heimbote]]]:
    """Start the real bot (PTB Application, web server, database) against the fake Telegram.

    Keywords override settings. Every bot started here is stopped at the end of the test.
    """
    running: list[Heimbote] = []

    async def start(**overrides: object) -> Heimbote:
        heimbote = Heimbote(settings_for(**overrides))
        await heimbote.start()
        running.append(heimbote)
        return heimbote

    yield start
    for heimbote in reversed(running):
        if heimbote.is_running:
            await heimbote.stop()
