"""Two processes write one SQLite file: one claims from the outbox, the other enqueues.

    .venv/bin/python benchmarks/sqlite_writers.py [--seconds 20] [--plain]

The claimer takes due rows (``claim_due``: read, then mark them as being sent, in one
transaction) and marks them sent; the other process enqueues ten messages at a time, each
after reading the outbox's progress, as ``heimbote broadcast send`` does beside a running bot.
Prints the claims, the rows enqueued and every "database is locked" either side met.
``--plain`` opens the file with Tortoise's own SQLite client (a deferred ``BEGIN``), as
Heimbote did before; without it, Heimbote's (``BEGIN IMMEDIATE``, bot.sqlite).

Measured 2026-12-02 on the shared 2-core development machine, 10 s each: ``--plain`` 2,651
claims and 1,114 enqueues refused as "database is locked" (6,080 rows claimed, 20,950
enqueued); ``BEGIN IMMEDIATE`` none (2,790 claimed, 15,190 enqueued: each waits its turn).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tortoise import Tortoise  # noqa: E402
from tortoise.exceptions import BaseORMException  # noqa: E402
from tortoise.transactions import in_transaction  # noqa: E402

from bot.db import database, tortoise_config  # noqa: E402
from bot.delivery.outbox import Outgoing, Recipient, claim_due, enqueue, progress  # noqa: E402
from bot.models import Delivery, DeliveryState  # noqa: E402


async def open_as(url: str, plain: bool) -> None:
    config = tortoise_config(url)
    if plain:
        config["connections"]["default"] = url
    await Tortoise.init(config=config, _enable_global_fallback=True)


async def claimer(url: str, plain: bool, until: float) -> dict[str, int]:
    await open_as(url, plain)
    counts = {"claimed": 0, "locked": 0}
    try:
        while time.monotonic() < until:
            try:
                rows = await claim_due(20)
                if rows:
                    await Delivery.filter(id__in=[r.id for r in rows]).update(
                        state=DeliveryState.SENT
                    )
                counts["claimed"] += len(rows)
            except BaseORMException as error:
                if "locked" not in str(error):
                    raise
                counts["locked"] += 1
    finally:
        await Tortoise.close_connections()
    return counts


async def enqueuer(url: str, plain: bool, until: float) -> dict[str, int]:
    await open_as(url, plain)
    counts = {"enqueued": 0, "locked": 0}
    batch = 0
    try:
        while time.monotonic() < until:
            batch += 1
            try:
                async with in_transaction() as connection:
                    await progress("bench", str(batch - 1))
                    await enqueue([Recipient(chat) for chat in range(10)], Outgoing.text("Hallo"),
                                  purpose="bench", reference=str(batch), urgent=True,
                                  using_db=connection)
                counts["enqueued"] += 10
            except BaseORMException as error:
                if "locked" not in str(error):
                    raise
                counts["locked"] += 1
    finally:
        await Tortoise.close_connections()
    return counts


def run_role(role: str, url: str, plain: bool, until: float, results: Any) -> None:
    work = claimer if role == "claimer" else enqueuer
    results.put((role, asyncio.run(work(url, plain, until))))


async def migrate(url: str) -> None:
    async with database(url):
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--plain", action="store_true", help="Tortoise's own client")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite://{Path(folder) / 'heimbote.sqlite3'}"
        asyncio.run(migrate(url))
        spawn = multiprocessing.get_context("spawn")
        results = spawn.Queue()
        until = time.monotonic() + args.seconds
        workers = [spawn.Process(target=run_role, args=(role, url, args.plain, until, results))
                   for role in ("claimer", "enqueuer")]
        for worker in workers:
            worker.start()
        outcome = dict(results.get() for _ in workers)
        for worker in workers:
            worker.join()
    client = "Tortoise's own (BEGIN)" if args.plain else "Heimbote's (BEGIN IMMEDIATE)"
    print(f"{client}, {args.seconds:g} s:")
    for role, counts in sorted(outcome.items()):
        print(f"  {role}: " + ", ".join(f"{key} {value}" for key, value in counts.items()))


if __name__ == "__main__":
    main()
