"""Shared fixtures: a fresh database per test (SQLite, or PostgreSQL when CI asks for it)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.db import database

POSTGRES_URL_VARIABLE = "HEIMBOTE_TEST_POSTGRES_URL"


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
