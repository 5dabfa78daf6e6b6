"""Shared fixtures: the test's clock, a fresh database per test (SQLite, or PostgreSQL when CI
asks for it), the fake Telegram, the real bot, and the casts several journeys start from (built
with :mod:`tests.factories`).

Every test runs on a clock it chooses: ``now`` freezes ``bot.clock`` (and every other reader of the
wall clock in this process) at a fixed instant and lets it tick from there. ``--clock`` moves that
instant for a whole run, which is how ``.ci/run`` checks the date-sensitive tests (marked
``calendar``) on the nights the calendar is hardest.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import shutil
import socket
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit, urlunsplit

import pytest
import telegram as telegram_api
import time_machine

from bot.app import Heimbote
from bot.config import Settings, load_settings
from bot.db import database
from bot.models import Account, Facility, Role
from bot.services.accounts.actors import Actor
from bot.services.accounts.facilities import create_facility
from tests import factories, photo_homes
from tests.fakes import FakeTelegram, FakeUser

POSTGRES_URL_VARIABLE = "HEIMBOTE_TEST_POSTGRES_URL"
StartBot = Callable[..., Awaitable[Heimbote]]  # the type of the ``start_bot`` fixture

# The instants --clock knows by name. Berlin wall-clock times; the default is an ordinary weekday.
CLOCKS = {
    "mid-month": "2026-06-17T10:00:00+02:00",
    "month-start": "2026-12-01T00:05:00+01:00",  # the 1st, five minutes after midnight
    "year-end": "2026-12-31T23:30:00+01:00",  # half an hour before a new year (and month)
    "spring-forward": "2026-03-29T02:30:00+01:00",  # 02:30 by winter time: the hour that is skipped
    "fall-back": "2026-10-25T02:30:00+01:00",  # the second 02:30, after the clocks went back
}
DEFAULT_CLOCK = "mid-month"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--clock", default=DEFAULT_CLOCK, metavar="INSTANT",
        help=f"the instant every test starts at: {', '.join(CLOCKS)} or ISO 8601 with an offset",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "calendar: the outcome involves dates, months or times of day; .ci/run runs "
        "these at every instant in tests.conftest.CLOCKS",
    )


def chosen_instant(config: pytest.Config) -> dt.datetime:
    """The instant named by ``--clock``, as an aware UTC datetime."""
    value = str(config.getoption("--clock"))
    instant = dt.datetime.fromisoformat(CLOCKS.get(value, value))
    if instant.tzinfo is None:
        raise pytest.UsageError(f"--clock {value}: give a UTC offset, e.g. +01:00")
    return instant.astimezone(dt.UTC)


@pytest.fixture(autouse=True)
def now(request: pytest.FixtureRequest) -> Iterator[dt.datetime]:
    """The moment this test starts at; the clock runs on from there (``tick=True``).

    Seed data relative to it (``now - dt.timedelta(days=2)``); where a test asserts on months or
    days, place the data relative to the calendar (``review_seed.this_month(now, …)``), not a
    fixed distance back.
    """
    instant = chosen_instant(request.config)
    with time_machine.travel(instant, tick=True):
        yield instant


def heimbote_command(*args: str) -> list[str]:
    """``python -m bot ARGS`` for a child process, on this test's clock (not the machine's)."""
    start_child = (
        "import datetime, sys, time_machine; "
        "time_machine.travel(datetime.datetime.fromisoformat(sys.argv[1]), tick=True).start(); "
        "from bot.cli import main; sys.exit(main(sys.argv[2:]))"
    )
    return [sys.executable, "-c", start_child, dt.datetime.now(dt.UTC).isoformat(), *args]


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


# One database per test, copied from one migrated per worker: migrating takes ~2 s, a copy ~0.05 s.
# Under pytest-xdist each worker has its own PostgreSQL database (HEIMBOTE_TEST_POSTGRES_URL with
# the worker's name appended), so `pytest -n auto` never shares one between two tests.


def _postgres_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _postgres_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


async def _postgres_admin(url: str, *statements: str) -> None:
    import asyncpg

    maintenance = _postgres_database(url, "postgres").replace("postgres://", "postgresql://", 1)
    connection = await asyncpg.connect(maintenance)
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


def _template_name(url: str) -> str:
    return f"{_postgres_name(url)}_template"


def pytest_sessionstart(session: pytest.Session) -> None:
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if url and worker:  # this worker's own database, for every reader of the variable
        os.environ[POSTGRES_URL_VARIABLE] = _postgres_database(
            url, f"{_postgres_name(url)}_{worker}"
        )


_made_postgres_template: list[str] = []


def pytest_sessionfinish(session: pytest.Session) -> None:
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    if not url or not _made_postgres_template:
        return
    drop = [f'DROP DATABASE IF EXISTS "{_template_name(url)}" WITH (FORCE)']
    if os.environ.get("PYTEST_XDIST_WORKER"):  # the worker's own; the caller drops the one it named
        drop.append(f'DROP DATABASE IF EXISTS "{_postgres_name(url)}" WITH (FORCE)')
    asyncio.run(_postgres_admin(url, *drop))


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database with every migration applied, made once per test process and then copied."""
    postgres = os.environ.get(POSTGRES_URL_VARIABLE)
    if postgres:
        template = _template_name(postgres)
        asyncio.run(_postgres_admin(
            postgres, f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)',
            f'CREATE DATABASE "{template}"',
        ))
        url = _postgres_database(postgres, template)
        _made_postgres_template.append(template)
    else:
        url = f"sqlite://{tmp_path_factory.mktemp('template') / 'heimbote.sqlite3'}"

    async def migrate() -> None:
        async with database(url):
            pass

    asyncio.run(migrate())
    return url


@pytest.fixture
async def database_url(tmp_path: Path, migrated_template: str) -> str:
    """A migrated database without data: PostgreSQL when ``HEIMBOTE_TEST_POSTGRES_URL`` is set,
    else a SQLite file in the test's folder."""
    postgres = os.environ.get(POSTGRES_URL_VARIABLE)
    if postgres:
        name, template = _postgres_name(postgres), _postgres_name(migrated_template)
        await _postgres_admin(
            postgres, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
            f'CREATE DATABASE "{name}" TEMPLATE "{template}"',
        )
        return postgres
    path = tmp_path / "heimbote.sqlite3"
    shutil.copyfile(migrated_template.removeprefix("sqlite://"), path)
    return f"sqlite://{path}"


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


def assert_every_press_answered(fake: FakeTelegram) -> None:
    """Suite-wide: at the end of every test no button press is left spinning (Telegram shows a
    spinner until the bot answers the callback query, also when a handler failed)."""
    spinning = [query.data for query in fake.unanswered_callbacks]
    if spinning:
        pytest.fail(f"button presses the bot never answered: {spinning}", pytrace=False)


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    """The fake Bot API server, playing Telegram and its users over real HTTP."""
    async with FakeTelegram(token=TOKEN) as fake:
        yield fake
        assert_every_press_answered(fake)


class ManualClock:
    """A monotonic clock the test moves forward by hand (for the fake's flood control)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
async def tg(clock: ManualClock) -> AsyncIterator[FakeTelegram]:
    """The fake Bot API on a hand-moved clock (the fake's own tests)."""
    async with FakeTelegram(token=TOKEN, clock=clock) as fake:
        yield fake
        assert_every_press_answered(fake)


@pytest.fixture
async def bot(tg: FakeTelegram) -> AsyncIterator[telegram_api.Bot]:
    """PTB's Bot talking to ``tg``."""
    async with telegram_api.Bot(
        TOKEN, base_url=tg.base_url, base_file_url=tg.base_file_url
    ) as ptb:
        yield ptb


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
) -> AsyncIterator[StartBot]:
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


# Journeys: the casts several modules start from, with the bot running.


@pytest.fixture
async def linden(telegram: FakeTelegram, start_bot: StartBot) -> photo_homes.Linden:
    """The bot started, and Haus Linden of the photo update journeys (:mod:`tests.photo_homes`)."""
    await start_bot()
    return await photo_homes.linden(telegram)


class CarlasHome(NamedTuple):
    """Haus Sonnenhof and Carla, its admin, in Telegram."""

    facility: Facility
    carla: FakeUser
    carla_account: Account


@pytest.fixture
async def carlas_home(telegram: FakeTelegram, start_bot: StartBot) -> CarlasHome:
    """The bot started; Haus Sonnenhof made as the CLI makes it, and Carla (English) its admin."""
    await start_bot()
    sonnenhof = await create_facility(Actor.cli(), slug="sonnenhof", name="Haus Sonnenhof")
    carla = telegram.user("Carla", language_code="en")
    return CarlasHome(sonnenhof, carla, await factories.with_role(carla, sonnenhof, Role.ADMIN))
