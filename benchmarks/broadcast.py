"""Broadcast benchmark: how close the outbox sender comes to its configured rate, and what it loses.

    .venv/bin/python benchmarks/broadcast.py [--recipients 10000] [--rate 300]

Runs against the fake Bot API from the tests (real HTTP, Telegram's rate limits on, the global cap
raised together with the send rate). Three runs, each printing its figures:

1. clean: achieved messages/s ÷ configured rate, 429s received, lost, duplicated, peak RSS;
2. faults: 5 % answers 500, 1 % time out, 2 % of the recipients blocked the bot;
3. kill: `heimbote run` is SIGKILLed halfway through and started again.

Prints figures; it is not a timed test.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PTB_TIMEDELTA", "1")

from telegram import Bot  # noqa: E402
from telegram.request import HTTPXRequest  # noqa: E402

from bot.db import database  # noqa: E402
from bot.delivery.outbox import Outgoing, Recipient, enqueue  # noqa: E402
from bot.delivery.pacing import Pacer  # noqa: E402
from bot.delivery.sender import Sender  # noqa: E402
from bot.models import Account, Delivery, DeliveryState  # noqa: E402
from bot.sandbox.telegram.api_errors import ApiError  # noqa: E402
from tests.fakes import FakeTelegram, FakeUser, RateLimits  # noqa: E402

TOKEN = "123456:BENCHMARK"
TEXT = "Liebe Angehörige, das Sommerfest ist am Samstag um 15 Uhr."


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class RandomFaults:
    """Replaces the fake's fault plan: a share of sendMessage calls fail or hang."""

    def __init__(self, error_share: float, timeout_share: float, hang: float) -> None:
        self._error_share = error_share
        self._timeout_share = timeout_share
        self._hang = hang
        self._random = random.Random(7)

    async def apply(self, method: str) -> None:
        if method.lower() != "sendmessage":
            return
        draw = self._random.random()
        if draw < self._error_share:
            raise ApiError(500, "Internal Server Error")
        if draw < self._error_share + self._timeout_share:
            await asyncio.sleep(self._hang)


async def prepare(tg: FakeTelegram, count: int) -> list[tuple[FakeUser, Account]]:
    people = [tg.user(f"R{n}", started=True) for n in range(count)]
    accounts = await Account.bulk_create(
        [Account(telegram_id=p.id, first_name=p.first_name) for p in people], batch_size=1000
    )
    accounts = await Account.all().order_by("id")
    pairs = list(zip(people, accounts, strict=True))
    await enqueue(
        [Recipient(p.id, a) for p, a in pairs], Outgoing.text(TEXT),
        purpose="announcement", reference="bench", urgent=True,
    )
    return pairs


def tally(pairs: list[tuple[FakeUser, Account]]) -> tuple[int, int]:
    lost = sum(1 for user, _ in pairs if not user.messages)
    duplicated = sum(1 for user, _ in pairs if len(user.messages) > 1)
    return lost, duplicated


async def in_process_run(count: int, rate: float, faults: bool) -> None:
    limits = RateLimits(per_bot_per_second=int(rate))
    async with FakeTelegram(token=TOKEN, limits=limits) as tg:
        with tempfile.TemporaryDirectory() as folder:
            async with database(f"sqlite://{folder}/bench.sqlite3"):
                pairs = await prepare(tg, count)
                blocked = set()
                if faults:
                    tg.faults = RandomFaults(0.05, 0.01, hang=1.5)  # type: ignore[assignment]
                    for user, _ in random.Random(3).sample(pairs, k=count * 2 // 100):
                        tg.block(user)
                        blocked.add(user.id)
                request = HTTPXRequest(connection_pool_size=32, read_timeout=1.0)
                bot = Bot(TOKEN, base_url=tg.base_url, request=request)
                async with bot:
                    sender = Sender(bot, Pacer(rate))
                    started = time.monotonic()
                    while await Delivery.filter(state=DeliveryState.PENDING).exists():
                        if not await sender.send_due():
                            await asyncio.sleep(0.05)
                    elapsed = time.monotonic() - started
                reachable = [(u, a) for u, a in pairs if u.id not in blocked]
                lost, duplicated = tally(reachable)
                marked = await Account.filter(unreachable=True).count()
                failed = await Delivery.filter(state=DeliveryState.FAILED).count()
                sent = sum(len(u.messages) for u, _ in pairs)
        label = "faults" if faults else "clean"
        print(
            f"{label}: {count} recipients, rate {rate:g}/s: {sent / elapsed:.1f} msg/s sent, "
            f"ratio {sent / elapsed / rate:.3f}; 429s {len(tg.throttled)}; lost {lost}; "
            f"duplicated {duplicated}; failed after retries {failed}; "
            f"blocked {len(blocked)}, marked unreachable {marked}; "
            f"elapsed {elapsed:.1f} s; peak RSS {peak_rss_mib():.0f} MiB"
        )


async def kill_run(count: int, rate: float) -> None:
    limits = RateLimits(per_bot_per_second=int(rate))
    async with FakeTelegram(token=TOKEN, limits=limits) as tg:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite://{folder}/bench.sqlite3"
            async with database(url):
                pairs = await prepare(tg, count)
            env = {k: v for k, v in os.environ.items() if not k.startswith("HEIMBOTE_")}
            env.update(
                HEIMBOTE_BOT_TOKEN=TOKEN, HEIMBOTE_TELEGRAM_API_URL=tg.api_root,
                HEIMBOTE_DATABASE_URL=url, HEIMBOTE_HTTP_PORT="0", HEIMBOTE_SEND_RATE=str(rate),
            )

            async def start() -> asyncio.subprocess.Process:
                return await asyncio.create_subprocess_exec(
                    sys.executable, "-m", "bot", "run", cwd=folder, env=env,
                    stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
                )

            first = await start()
            while sum(1 for u, _ in pairs if u.messages) < count // 2:  # noqa: ASYNC110
                await asyncio.sleep(0.01)
            first.send_signal(signal.SIGKILL)
            await first.wait()
            at_kill = sum(1 for u, _ in pairs if u.messages)
            second = await start()
            deadline = time.monotonic() + 10 + 3 * count / rate
            while any(not u.messages for u, _ in pairs) and time.monotonic() < deadline:  # noqa: ASYNC110
                await asyncio.sleep(0.05)
            second.send_signal(signal.SIGTERM)
            await second.wait()
        lost, duplicated = tally(pairs)
        print(
            f"kill: {count} recipients, killed after {at_kill} delivered: lost {lost}, "
            f"duplicated {duplicated}; 429s {len(tg.throttled)}"
        )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=300.0)
    parser.add_argument("--only", choices=["clean", "faults", "kill"])
    args = parser.parse_args()
    if args.only in (None, "clean"):
        await in_process_run(args.recipients, args.rate, faults=False)
    if args.only in (None, "faults"):
        await in_process_run(args.recipients, args.rate, faults=True)
    if args.only in (None, "kill"):
        await kill_run(args.recipients, args.rate)


if __name__ == "__main__":
    asyncio.run(main())
