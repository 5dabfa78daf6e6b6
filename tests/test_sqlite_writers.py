"""SQLite with a second writer: a claim from the outbox is never refused as "database is locked".

In WAL mode a transaction that reads first and writes later (``BEGIN`` … ``SELECT`` … ``UPDATE``)
cannot take the write lock once another connection has committed since its read: SQLite answers
"database is locked" at once, without waiting (busy_timeout does not help). The other writer
here is a second connection to the file — for SQLite's locks the same as a second process — and
it writes exactly between the claim's read and its write, where the race hit in production.
"""

from __future__ import annotations

import sqlite3
from typing import Any, cast

import pytest
from tortoise import connections

from bot.delivery.outbox import Outgoing, Recipient, claim_due, enqueue
from bot.models import Delivery, DeliveryState

# What another process does meanwhile: enqueue a message of its own.
OTHER_ENQUEUES = (
    "INSERT INTO delivery (chat_id, purpose, reference, kind, content, urgent, state, attempts,"
    " next_attempt_at, last_error, sent_message_ids, created_at)"
    " SELECT chat_id + 1, purpose, reference, kind, content, urgent, 'pending', 0,"
    " next_attempt_at, '', '[]', created_at FROM delivery ORDER BY id LIMIT 1"
)


def sqlite_file(database_url: str) -> str:
    if not database_url.startswith("sqlite://"):
        pytest.skip("SQLite's write lock; PostgreSQL locks rows (FOR UPDATE SKIP LOCKED)")
    return database_url.removeprefix("sqlite://")


def bot_connection() -> Any:
    """The aiosqlite connection under Tortoise's client (to watch the statements it runs)."""
    return cast(Any, connections.get("default"))._connection


async def test_a_claim_survives_another_writer_committing_between_its_read_and_its_write(
    db: str,
) -> None:
    await enqueue([Recipient(1001)], Outgoing.text("Guten Morgen"), purpose="test",
                  reference="1", urgent=True)
    other = sqlite3.connect(sqlite_file(db), timeout=0, isolation_level=None,
                            check_same_thread=False)
    waited: list[str] = []

    def other_process_writes(statement: str) -> None:
        # Runs in the bot's database thread as each statement starts.
        if statement.startswith("UPDATE") and not waited and other.total_changes == 0:
            try:
                other.execute(OTHER_ENQUEUES)
            except sqlite3.OperationalError:  # the claim holds the write lock: wait our turn
                waited.append(OTHER_ENQUEUES)

    await bot_connection().set_trace_callback(other_process_writes)
    try:
        claimed = await claim_due(10)
    finally:
        await bot_connection().set_trace_callback(None)
    for statement in waited:  # the other process's turn, once the claim committed
        other.execute(statement)
    other.close()

    assert [row.content["text"] for row in claimed] == ["Guten Morgen"]
    states = sorted(await Delivery.all().values_list("chat_id", "state"))
    assert states == [(1001, DeliveryState.SENDING), (1002, DeliveryState.PENDING)]
