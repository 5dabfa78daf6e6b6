"""Migrations build, on an empty SQLite and PostgreSQL database, exactly what the models say."""

from __future__ import annotations

from tortoise import Tortoise, connections
from tortoise.migrations.autodetector import MigrationAutodetector

from bot.db import tortoise_config, upgrade_schema


async def _columns(table: str) -> set[str]:
    connection = connections.get("default")
    if connection.capabilities.dialect == "sqlite":
        _, rows = await connection.execute_query(f"PRAGMA table_info('{table}')")
        return {row["name"] for row in rows}
    _, rows = await connection.execute_query(
        "SELECT column_name FROM information_schema.columns WHERE table_name = $1", [table]
    )
    return {row["column_name"] for row in rows}


def _models() -> list[type]:
    return [model for app in Tortoise.apps.values() for model in app.values()]


async def test_every_model_has_its_migration(db: str) -> None:
    apps_config = tortoise_config(db)["apps"]
    changes = await MigrationAutodetector(Tortoise.apps, apps_config).changes()
    pending = [op for writer in changes for op in writer.operations]
    assert pending == [], "a model changed without its migration: run tortoise makemigrations"


async def test_migrated_tables_have_exactly_the_models_columns(db: str) -> None:
    models = _models()
    assert models
    for model in models:
        meta = model._meta
        expected = {meta.fields_db_projection[name] for name in meta.db_fields}
        assert await _columns(meta.db_table) == expected, meta.db_table


async def test_upgrading_twice_changes_nothing(db: str) -> None:
    await upgrade_schema()
    await test_migrated_tables_have_exactly_the_models_columns(db)
