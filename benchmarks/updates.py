"""Updates benchmark: webhook throughput of Heimbote against a bare PTB bot, in one run.

    .venv/bin/python benchmarks/updates.py [--database sqlite|postgres://…] [--updates 2000]
        [--concurrency 16] [--rounds 1] [--skip-shipped] [--profile FILE]

One fake Bot API (real HTTP, flood control off: it is not what is measured), one database with
a care home, 250 residents, 1,000 linked relatives and five approvers. Runs 1-3 back to back
(``--rounds`` times), then run 4, all in this process, each posting the updates itself to the
bot's webhook with ``--concurrency`` at a time; a user waits for the answer before the next:

1. bare: a PTB ``Application`` with one ``/help`` handler that replies, behind a bare aiohttp
   webhook route; every update is ``/help`` (the yardstick);
2. Heimbote, ``/help`` from new users (every update from someone it has not seen);
3. Heimbote, the mix: relatives send ``/settings`` and press its buttons (quiet hours, back,
   photo greetings on/off), approvers open ``/pending``, strangers send ``/start``;
4. the mix again with Heimbote's direct replies paced as shipped: PTB's ``AIORateLimiter``
   keeps them under Telegram's 30 messages/s, a ceiling of 30 updates/s by design. Runs 2 and
   3 lift it (the bare bot has none), to measure what handling an update costs.

Latency is the time from posting an update to the bot's answer reaching the fake (the message
sent, or the pressed message edited). Queries are the statements Heimbote sends through
Tortoise while handling updates (the outbox sender and the periodic jobs are not counted).
Prints figures; it is not a timed test.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import itertools
import logging
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PTB_TIMEDELTA", "1")

import aiohttp  # noqa: E402
from aiohttp import web  # noqa: E402
from telegram import Update  # noqa: E402
from telegram.ext import Application, CommandHandler, ContextTypes  # noqa: E402
from tortoise.backends.sqlite.client import SqliteClient, SqliteTransactionWrapper  # noqa: E402

from bot.app import Heimbote  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.db import database  # noqa: E402
from bot.models import Account, Facility, RelativeLink, Resident, Role, StaffRole  # noqa: E402
from bot.sandbox.telegram.callbacks import callback_query_update  # noqa: E402
from bot.sandbox.telegram.text_entities import detect_entities  # noqa: E402
from tests.fakes import SECRET_HEADER, FakeTelegram, FakeUser  # noqa: E402

TOKEN = "123456:BENCHMARK"
SECRET = "benchmark-secret"
RELATIVES = 1_000
RESIDENTS = 250
APPROVERS = 5
STEP_TIMEOUT = 30.0
POSTGRES_DEFAULT = "postgres://postgres@127.0.0.1:5432/heimbote_bench_updates"

# --- counting queries ----------------------------------------------------------------------------


class QueryCounter:
    """Counts statements sent through Tortoise's clients, except from the ignored tasks."""

    METHODS = ("execute_insert", "execute_many", "execute_query", "execute_query_dict")

    def __init__(self) -> None:
        self.count = 0
        self.ignored: set[asyncio.Task[Any]] = set()
        self._installed = False

    def install(self) -> None:
        if self._installed:
            return
        self._installed = True
        classes: list[type] = [SqliteClient, SqliteTransactionWrapper]
        try:
            from tortoise.backends.asyncpg.client import AsyncpgDBClient, TransactionWrapper
        except ImportError:
            pass
        else:
            classes += [AsyncpgDBClient, TransactionWrapper]
        for cls in classes:
            for name in self.METHODS:
                if name in cls.__dict__:
                    setattr(cls, name, self._counting(cls.__dict__[name]))

    def _counting(self, method: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        async def counted(client: Any, *args: Any, **kwargs: Any) -> Any:
            if asyncio.current_task() not in self.ignored:
                self.count += 1
            return await method(client, *args, **kwargs)

        return counted


QUERIES = QueryCounter()

# --- the load ------------------------------------------------------------------------------------


@dataclass
class Step:
    """One update: a text message, or a press of the newest button whose data ends so."""

    user: FakeUser
    text: str | None = None
    button: str | None = None

    @property
    def answer(self) -> str:
        """The Bot API method that answers it."""
        return "editMessageText" if self.button else "sendMessage"


Session = list[Step]  # one person's steps, in order


@dataclass
class Cast:
    relatives: list[FakeUser]
    approvers: list[FakeUser]
    tg: FakeTelegram
    strangers: Iterator[int] = field(default_factory=itertools.count)

    def stranger(self) -> FakeUser:
        return self.tg.user(f"Gast {next(self.strangers)}", language_code="en", started=True)


def help_sessions(cast: Cast, updates: int) -> list[Session]:
    """``/help``, each from someone new."""
    return [[Step(cast.stranger(), "/help")] for _ in range(updates)]


def mixed_sessions(cast: Cast, updates: int) -> list[Session]:
    """Relatives in their settings; every tenth session an approver's /pending or a /start."""
    sessions: list[Session] = []
    relatives = itertools.cycle(cast.relatives)
    approvers = itertools.cycle(cast.approvers)
    total = 0
    for number in itertools.count():
        if total >= updates:
            break
        if number % 10 == 4:
            session = [Step(next(approvers), "/pending")]
        elif number % 10 == 9:
            session = [Step(cast.stranger(), "/start")]
        else:
            user = next(relatives)
            session = [
                Step(user, "/settings"),
                Step(user, button=":quiet"),
                Step(user, button=":menu"),
                Step(user, button=":photos:"),
            ]
        sessions.append(session[: updates - total])
        total += len(sessions[-1])
    return sessions


class Load:
    """Posts updates to a webhook, like Telegram, and times each until it is answered."""

    update_ids = itertools.count(1)

    def __init__(self, tg: FakeTelegram) -> None:
        self.tg = tg
        self.waiting: dict[tuple[int, str], deque[asyncio.Future[float]]] = defaultdict(deque)
        recorded = tg.record_call

        def record_call(method: str, params: dict[str, Any]) -> None:
            recorded(method, params)
            key = (_chat_id(params), method)
            if self.waiting.get(key):
                future = self.waiting[key].popleft()
                if not future.done():
                    future.set_result(time.perf_counter())

        tg.record_call = record_call  # type: ignore[method-assign]

    def body(self, step: Step) -> dict[str, Any]:
        user = step.user
        update_id = next(self.update_ids)
        if step.text is not None:
            message = self.tg.store_message(
                user.chat, sender=user.to_dict(), from_bot=False,
                text=step.text, entities=detect_entities(step.text),
            )
            return {"update_id": update_id, "message": message.to_dict()}
        assert step.button is not None
        target, data = _newest_button(user, step.button)
        query = self.tg.callbacks.open(user.id, target, data)
        return {"update_id": update_id, **callback_query_update(query, user.to_dict())}

    async def run(
        self, url: str, sessions: list[Session], concurrency: int
    ) -> tuple[float, list[float], int]:
        """Post every session's steps; returns elapsed seconds, latencies, failures."""
        pending = deque(sessions)
        latencies: list[float] = []
        failures = 0
        headers = {SECRET_HEADER: SECRET}
        connector = aiohttp.TCPConnector(limit=concurrency)
        async with aiohttp.ClientSession(connector=connector) as client:

            async def worker() -> None:
                nonlocal failures
                while pending:
                    for step in pending.popleft():
                        answered: asyncio.Future[float] = asyncio.get_running_loop().create_future()
                        self.waiting[(step.user.id, step.answer)].append(answered)
                        body = self.body(step)
                        posted = time.perf_counter()
                        async with client.post(url, json=body, headers=headers) as response:
                            await response.read()
                        try:
                            latencies.append(
                                await asyncio.wait_for(answered, STEP_TIMEOUT) - posted
                            )
                        except TimeoutError:
                            failures += 1
                            break

            started = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(concurrency)))
            elapsed = time.perf_counter() - started
        return elapsed, latencies, failures


def _chat_id(params: dict[str, Any]) -> int:
    try:
        return int(params.get("chat_id", 0))
    except (TypeError, ValueError):
        return 0


def _newest_button(user: FakeUser, fragment: str) -> tuple[Any, str]:
    for message in reversed(user.messages):
        for row in (message.reply_markup or {}).get("inline_keyboard", []):
            for button in row:
                if fragment in button.get("callback_data", ""):
                    return message, button["callback_data"]
    raise LookupError(f"no button {fragment!r} for {user!r}")


# --- the bots ------------------------------------------------------------------------------------


async def bare_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text("Here is what I can do for you: …")


async def run_bare(tg: FakeTelegram, load: Load, sessions: list[Session], concurrency: int) -> Row:
    """The yardstick: PTB with one handler, fed by a bare aiohttp webhook route."""
    application = (
        Application.builder().token(TOKEN).base_url(tg.base_url).updater(None).build()
    )
    application.add_handler(CommandHandler("help", bare_help))

    async def receive(request: web.Request) -> web.Response:
        payload = await request.json()
        await application.update_queue.put(Update.de_json(payload, application.bot))
        return web.json_response({"ok": True})

    web_app = web.Application()
    web_app.router.add_post("/telegram/webhook", receive)
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    async with application:
        await application.start()
        elapsed, latencies, failures = await load.run(
            f"http://127.0.0.1:{port}/telegram/webhook", sessions, concurrency
        )
        await application.stop()
    await runner.cleanup()
    return Row("bare PTB, /help", elapsed, latencies, failures, None)


async def run_heimbote(
    label: str, tg: FakeTelegram, database_url: str, load: Load, sessions: list[Session],
    concurrency: int, profile: cProfile.Profile | None = None, *, reply_limiter: bool = False,
) -> Row:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/webhook"
    settings = load_settings(
        env_file=None, bot_token=TOKEN, telegram_api_url=tg.api_root,
        database_url=database_url, http_port=port, webhook_url=url, webhook_secret=SECRET,
        default_locale="de", admin_ids="",
    )
    heimbote = Heimbote(settings)
    if not reply_limiter:
        # Its direct replies are paced to Telegram's 30 messages/s (AIORateLimiter): a ceiling
        # by design, not the cost of handling an update. Lifted to measure that cost.
        heimbote.application.bot._rate_limiter = None
    await heimbote.start()
    try:
        QUERIES.ignored = set(heimbote._workers)  # the outbox sender and the periodic jobs
        before = QUERIES.count
        if profile is not None:
            profile.enable()
        elapsed, latencies, failures = await load.run(url, sessions, concurrency)
        if profile is not None:
            profile.disable()
        queries = QUERIES.count - before
    finally:
        await heimbote.stop()
    return Row(label, elapsed, latencies, failures, queries)


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- the home ------------------------------------------------------------------------------------


async def seed(tg: FakeTelegram, database_url: str) -> Cast:
    """Haus Linden: residents, relatives linked to them (no quiet hours), approvers."""
    async with database(database_url):
        facility = await Facility.create(slug="linden", name="Haus Linden")
        await Resident.bulk_create(
            [Resident(facility=facility, display_name=f"Frau R{n}.", room=str(n))
             for n in range(RESIDENTS)]
        )
        residents = await Resident.filter(facility=facility).order_by("id")
        relatives = [tg.user(f"Angehörige {n}", started=True) for n in range(RELATIVES)]
        approvers = [tg.user(f"Pflege {n}", started=True) for n in range(APPROVERS)]
        await Account.bulk_create(
            [Account(telegram_id=user.id, first_name=user.first_name, locale="de")
             for user in relatives + approvers],
            batch_size=500,
        )
        accounts = {a.telegram_id: a for a in await Account.all()}
        await RelativeLink.bulk_create(
            [RelativeLink(account=accounts[user.id], resident=residents[n % RESIDENTS])
             for n, user in enumerate(relatives)],
            batch_size=500,
        )
        await StaffRole.bulk_create(
            [StaffRole(account=accounts[user.id], facility=facility, role=Role.APPROVER)
             for user in approvers]
        )
    return Cast(relatives, approvers, tg)


async def reset_postgres(url: str) -> None:
    import asyncpg

    server, _, name = url.replace("postgres://", "postgresql://", 1).rpartition("/")
    connection = await asyncpg.connect(f"{server}/postgres")
    try:
        exists = await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    connection = await asyncpg.connect(f"{server}/{name}")
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()


# --- figures -------------------------------------------------------------------------------------


@dataclass
class Row:
    label: str
    elapsed: float
    latencies: list[float]
    failures: int
    queries: int | None

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.elapsed

    def line(self, bare: Row) -> str:
        cuts = statistics.quantiles(self.latencies, n=100)
        queries = (
            f"; {self.queries / len(self.latencies):.1f} queries/update"
            if self.queries is not None else ""
        )
        return (
            f"{self.label}: {len(self.latencies)} updates in {self.elapsed:.1f} s, "
            f"{self.rate:.0f} updates/s, ratio {self.rate / bare.rate:.2f}; "
            f"p50 {cuts[49] * 1000:.1f} ms, p99 {cuts[98] * 1000:.1f} ms"
            f"{queries}; unanswered {self.failures}"
        )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="sqlite", help=(
        "sqlite (a fresh file; pragmas as in the URL: sqlite?synchronous=NORMAL) or a "
        f"PostgreSQL URL, e.g. {POSTGRES_DEFAULT}"))
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=1,
                        help="measure bare and Heimbote back to back this many times")
    parser.add_argument("--skip-shipped", action="store_true",
                        help="leave out the mix with replies paced as shipped (30 updates/s)")
    parser.add_argument("--profile", help="write Heimbote's cProfile of the mix to this file")
    args = parser.parse_args()
    QUERIES.install()
    profile = cProfile.Profile() if args.profile else None
    with tempfile.TemporaryDirectory() as folder:
        if args.database.startswith("sqlite"):  # a fresh file; "sqlite?synchronous=NORMAL"
            _, _, options = args.database.partition("?")
            database_url = f"sqlite://{folder}/bench.sqlite3" + (f"?{options}" if options else "")
        else:
            database_url = args.database
            await reset_postgres(database_url)
        async with FakeTelegram(token=TOKEN) as tg:
            tg.rate_limits(False)
            cast = await seed(tg, database_url)
            load = Load(tg)
            print(f"database {args.database.split('://')[0]}, concurrency {args.concurrency}, "
                  f"{RELATIVES} relatives, {APPROVERS} approvers, {args.updates} updates a run")
            ratios: dict[str, list[float]] = defaultdict(list)
            for round_number in range(1, args.rounds + 1):
                # Each round measures the bare bot and Heimbote back to back: the machine is
                # shared, and its speed drifts between rounds more than within one.
                bare = await run_bare(
                    tg, load, help_sessions(cast, args.updates), args.concurrency
                )
                helps = await run_heimbote(
                    "Heimbote, /help from new users", tg, database_url, load,
                    help_sessions(cast, args.updates), args.concurrency,
                )
                mix = await run_heimbote(
                    "Heimbote, the mix", tg, database_url, load,
                    mixed_sessions(cast, args.updates), args.concurrency, profile,
                )
                print(f"round {round_number}:")
                for row in (bare, helps, mix):
                    print("  " + row.line(bare))
                    ratios[row.label].append(row.rate / bare.rate)
            if args.rounds > 1:
                for label, values in list(ratios.items())[1:]:
                    print(f"median ratio of {args.rounds} rounds, {label}: "
                          f"{statistics.median(values):.2f} (from {min(values):.2f} "
                          f"to {max(values):.2f})")
            if not args.skip_shipped:
                shipped = await run_heimbote(
                    "Heimbote, the mix, replies paced to 30/s as shipped", tg, database_url,
                    load, mixed_sessions(cast, args.updates), args.concurrency,
                    reply_limiter=True,
                )
                print(shipped.line(bare))
    if profile is not None:
        profile.dump_stats(args.profile)
        print(f"profile of the mix written to {args.profile}")


def log_as_heimbote_run_does() -> None:
    """Logging as `heimbote run` sets it up (bot.cli.run), written into the void."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=open(os.devnull, "w"),  # kept open for the whole run
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


if __name__ == "__main__":
    log_as_heimbote_run_does()
    asyncio.run(main())
