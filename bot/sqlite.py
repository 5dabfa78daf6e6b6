"""SQLite with more than one process on the file: write transactions that take the write lock
up front, and one ``heimbote run`` per file.

Tortoise names this module as the SQLite connection's engine (see :func:`connection_config`);
its migration tool picks the SQLite schema editor by "sqlite" in the client's module name.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tortoise.backends.base.client import TransactionContext
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.backends.sqlite.client import (
    SqliteClient,
    SqliteTransactionContext,
    SqliteTransactionWrapper,
)
from tortoise.exceptions import TransactionManagementError

from bot.domain.errors import DomainError

BUSY_TIMEOUT_MS = 15_000  # how long a writer waits for another's write lock before giving up


class _ImmediateTransaction(SqliteTransactionWrapper):
    """A transaction that takes SQLite's write lock at ``BEGIN``.

    Tortoise begins with a plain (deferred) ``BEGIN``: a transaction that reads, then writes
    (claiming from the outbox) cannot upgrade to the write lock once another process has
    committed since its read, and SQLite refuses it at once with "database is locked", without
    waiting for busy_timeout. ``BEGIN IMMEDIATE`` waits for the lock up front instead (Tortoise
    has no option for it: tortoise/tortoise-orm#1675).
    """

    async def begin(self) -> None:
        try:
            await self._connection.commit()
            await self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise TransactionManagementError(exc) from exc


class ImmediateSqliteClient(SqliteClient):
    """Tortoise's SQLite client, its transactions begun with ``BEGIN IMMEDIATE``."""

    def _in_transaction(self) -> TransactionContext:
        return SqliteTransactionContext(_ImmediateTransaction(self), self._lock)


# Tortoise finds a backend's client as ``client_class`` in the module named as the engine.
client_class = ImmediateSqliteClient


def is_sqlite(database_url: str) -> bool:
    """Whether the URL names a SQLite database."""
    return database_url.startswith("sqlite://")


def connection_config(database_url: str) -> dict[str, Any]:
    """Tortoise's connection settings for a ``sqlite://`` URL, with this module's client."""
    config = expand_db_url(database_url)
    config["engine"] = __name__
    config["credentials"].setdefault("busy_timeout", BUSY_TIMEOUT_MS)
    return config


class DatabaseInUse(DomainError):
    """Another ``heimbote run`` holds this SQLite file."""


def database_file(database_url: str) -> Path | None:
    """The file behind a ``sqlite://`` URL, made absolute; None for PostgreSQL or in memory."""
    if not is_sqlite(database_url):
        return None
    path = str(expand_db_url(database_url)["credentials"]["file_path"])
    if path == ":memory:" or path.startswith("file:"):
        return None
    return Path(path).absolute()


@contextmanager
def one_run_per_file(database_url: str) -> Iterator[None]:
    """Hold ``<database>-lock`` while the block runs; refuse when another process holds it.

    Two bots on one SQLite file would both poll Telegram and send the outbox, and SQLite's
    single write lock serves one process well. The lock is ``flock``'s: the kernel releases it
    when the process ends, however it ends, so a crash leaves nothing stale behind. Other
    commands (``heimbote resident add``) do not take it. PostgreSQL needs none: several
    processes are the way to scale there.
    """
    path = database_file(database_url)
    if path is None:
        yield
        return
    # Named like SQLite's own -wal and -shm beside it (and ignored with them by *.sqlite3-*).
    lock_path = path.with_name(f"{path.name}-lock")
    with open(lock_path, "a+", encoding="utf-8") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip()
            by = f" (pid {holder})" if holder.isdigit() else ""
            raise DatabaseInUse(
                f"{path} is in use by another `heimbote run`{by}: stop it first. "
                "One process per SQLite file; several processes need PostgreSQL."
            ) from None
        lock.truncate(0)
        lock.write(f"{os.getpid()}\n")
        lock.flush()
        yield
