"""Broadcast benchmark: how close `heimbote run` comes to HEIMBOTE_SEND_RATE, and what it loses.

    .venv/bin/python benchmarks/broadcast.py [--recipients 10000] [--rate 30] [--only clean]

The bot runs as its own process (`python -m bot run`), against the fake Bot API served by this
process over real HTTP, with Telegram's flood control as Telegram counts it: at most ``--rate``
sends arriving in any sliding second (no burst allowance), 1/s per private chat. An urgent
announcement to every recipient is in the outbox when the bot starts. Three runs, each printing:

1. clean: achieved sends/s ÷ rate, measured on arrival at the fake from the first send to the
   last; 429s; lost; duplicated; peak RSS of the bot process;
2. faults: 5 % of sendMessage calls answer 500 (not delivered), 1 % are delivered but their
   answer is lost (the bot times out), 2 % of the recipients blocked the bot;
3. kill: the bot is SIGKILLed when half the recipients have their message, then started again.

Prints figures; it is not a timed test.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import signal
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.db import database  # noqa: E402
from bot.delivery.outbox import Outgoing, Recipient, enqueue  # noqa: E402
from bot.models import Account  # noqa: E402
from bot.sandbox.telegram.api_errors import ApiError  # noqa: E402
from bot.sandbox.telegram.faults import LOST_ANSWER_HOLD, FaultPlan  # noqa: E402
from bot.sandbox.telegram.rate_limits import RateLimiter, Throttle  # noqa: E402
from tests.fakes import FakeTelegram, FakeUser, RateLimits  # noqa: E402

TOKEN = "123456:BENCHMARK"
TEXT = "Liebe Angehörige, das Sommerfest ist am Samstag um 15 Uhr."
POLL = 0.25
# BENCH_PROFILE=/tmp/bot.prof: run the bot under cProfile (slower) and write its profile there.
_PROFILE_FILE = os.environ.get("BENCH_PROFILE")
PROFILE = ["-m", "cProfile", "-o", _PROFILE_FILE] if _PROFILE_FILE else []


class ArrivalLog(RateLimiter):
    """Telegram's flood control, remembering when each admitted send arrived."""

    def __init__(self, limits: RateLimits, clock: Callable[[], float]) -> None:
        super().__init__(limits, clock)
        self.arrivals: list[float] = []

    def admit(
        self, method: str, chat_id: int, *, private: bool, count: int = 1
    ) -> Throttle | None:
        throttle = super().admit(method, chat_id, private=private, count=count)
        if throttle is None:
            self.arrivals.append(self.clock())
        return throttle


class RandomFaults(FaultPlan):
    """A share of sendMessage calls answer 500 (not delivered) or lose their answer."""

    def __init__(self, error_share: float, lost_share: float) -> None:
        super().__init__()
        self._error_share = error_share
        self._lost_share = lost_share
        self._random = random.Random(7)
        self.errors = 0
        self.lost_answers = 0

    async def apply(self, method: str) -> None:
        if method.lower() == "sendmessage" and self._random.random() < self._error_share:
            self.errors += 1
            raise ApiError(500, "Internal Server Error")

    async def after(self, method: str) -> None:
        if method.lower() == "sendmessage" and self._random.random() < self._lost_share:
            self.lost_answers += 1
            await asyncio.sleep(LOST_ANSWER_HOLD)


def peak_rss_mib(pid: int) -> float:
    """The process's peak resident set (VmHWM), in MiB; 0 once it is gone."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far; 0 once it is gone."""
    with contextlib.suppress(OSError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return 0.0


def count_rows(db_file: Path, query: str) -> int:
    with contextlib.closing(sqlite3.connect(db_file, timeout=5)) as connection:
        (count,) = connection.execute(query).fetchone()
    return int(count)


def unfinished(db_file: Path) -> int:
    """Outbox rows still to be sent (pending or in flight)."""
    query = "SELECT count(*) FROM delivery WHERE state IN ('pending', 'sending')"
    return count_rows(db_file, query)


async def prepare(tg: FakeTelegram, url: str, count: int) -> list[FakeUser]:
    people = [tg.user(f"R{n}", started=True) for n in range(count)]
    async with database(url):
        await Account.bulk_create(
            [Account(telegram_id=p.id, first_name=p.first_name) for p in people], batch_size=1000
        )
        accounts = await Account.all().order_by("id")
        await enqueue(
            [Recipient(p.id, a) for p, a in zip(people, accounts, strict=True)],
            Outgoing.text(TEXT), purpose="announcement", reference="bench", urgent=True,
        )
    return people


def delivered(people: list[FakeUser]) -> int:
    return sum(1 for person in people if person.messages)


class BotProcess:
    """`python -m bot run` in its own process, its log in the work folder."""

    def __init__(self, folder: str, env: dict[str, str]) -> None:
        self._folder = folder
        self._env = env
        self.process: asyncio.subprocess.Process | None = None
        self.peak_rss = 0.0
        self.cpu = 0.0  # of the processes stopped so far
        self._cpu_now = 0.0
        self.starts = 0

    async def start(self) -> None:
        self.starts += 1
        log = Path(self._folder, f"bot-{self.starts}.log").open("wb")  # noqa: ASYNC230
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, *PROFILE, "-m", "bot", "run", cwd=self._folder, env=self._env,
            stdout=asyncio.subprocess.DEVNULL, stderr=log,
        )
        log.close()

    def sample(self) -> None:
        if self.process is not None:
            self.peak_rss = max(self.peak_rss, peak_rss_mib(self.process.pid))
            self._cpu_now = max(self._cpu_now, cpu_seconds(self.process.pid))

    async def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is None:
            return
        self.sample()
        self.process.send_signal(sig)
        await self.process.wait()
        self.process = None
        self.cpu += self._cpu_now
        self._cpu_now = 0.0

    def log_lines(self, needle: str) -> int:
        return sum(
            line.count(needle)
            for path in Path(self._folder).glob("bot-*.log")
            for line in path.read_text(errors="replace").splitlines()
        )


async def run(count: int, rate: float, mode: str) -> None:
    limits = RateLimits(per_bot_per_second=int(rate))
    async with FakeTelegram(token=TOKEN, limits=limits) as tg:
        arrivals = ArrivalLog(limits, time.monotonic)
        tg.limiter = arrivals
        with tempfile.TemporaryDirectory() as folder:
            db_file = Path(folder, "bench.sqlite3")
            url = f"sqlite://{db_file}"
            people = await prepare(tg, url, count)
            blocked: set[int] = set()
            faults = RandomFaults(0.05, 0.01)
            if mode == "faults":
                tg.faults = faults
                for person in random.Random(3).sample(people, k=count * 2 // 100):
                    tg.block(person)
                    blocked.add(person.id)
            reachable = [person for person in people if person.id not in blocked]
            env = {k: v for k, v in os.environ.items() if not k.startswith("HEIMBOTE_")}
            env.update(
                HEIMBOTE_BOT_TOKEN=TOKEN, HEIMBOTE_TELEGRAM_API_URL=tg.api_root,
                HEIMBOTE_DATABASE_URL=url, HEIMBOTE_HTTP_PORT="0", HEIMBOTE_SEND_RATE=f"{rate:g}",
                PYTHONPATH=str(ROOT),
            )
            bot = BotProcess(folder, env)
            await bot.start()
            at_kill = None
            deadline = time.monotonic() + 120 + 3 * count / rate
            while time.monotonic() < deadline:
                await asyncio.sleep(POLL)
                bot.sample()
                if mode == "kill" and at_kill is None and delivered(people) >= count // 2:
                    await bot.stop(signal.SIGKILL)
                    at_kill = delivered(people)
                    await bot.start()
                if delivered(reachable) == len(reachable) and not unfinished(db_file):
                    break
            await bot.stop()
            bot_429_lines = bot.log_lines("Telegram answered 429")
            marked = count_rows(db_file, "SELECT count(*) FROM account WHERE unreachable")
            failed = count_rows(db_file, "SELECT count(*) FROM delivery WHERE state = 'failed'")
        lost = sum(1 for person in reachable if not person.messages)
        duplicated = sum(len(person.messages) - 1 for person in people if person.messages)
        first, last = arrivals.arrivals[0], arrivals.arrivals[-1]
        achieved = (len(arrivals.arrivals) - 1) / (last - first)
        figures = [
            f"{mode}: {count} recipients at {rate:g}/s: {achieved:.1f} sends/s, "
            f"ratio {achieved / rate:.3f} (first to last arrival, {last - first:.1f} s)",
            f"429s {len(tg.throttled)} (bot logged {bot_429_lines})",
            f"lost {lost} of {len(reachable)} reachable",
            f"duplicated {duplicated}",
            f"peak RSS of the bot {bot.peak_rss:.0f} MiB",
            f"bot CPU {bot.cpu:.1f} s (start-up included), load average {os.getloadavg()[0]:.1f}",
        ]
        if mode == "faults":
            figures.append(
                f"500s {faults.errors}, lost answers {faults.lost_answers}, "
                f"blocked {len(blocked)}, marked unreachable {marked}; failed rows {failed}"
            )
        if at_kill is not None:
            figures.append(f"killed after {at_kill} delivered")
        print("; ".join(figures), flush=True)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=30.0)
    parser.add_argument("--only", choices=["clean", "faults", "kill"])
    args = parser.parse_args()
    for mode in ("clean", "faults", "kill"):
        if args.only in (None, mode):
            await run(args.recipients, args.rate, mode)


if __name__ == "__main__":
    asyncio.run(main())
