"""Starting and stopping the demo: fake Telegram, the real bot, the page's web server."""

from __future__ import annotations

import asyncio
import logging
import secrets
import signal
import socket
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from aiohttp import web

from bot.app import Heimbote
from bot.config import Settings, load_settings
from bot.db import database
from bot.demo import DEFAULT_DATABASE
from bot.demo.actions import Press
from bot.demo.cast import Cast, create_cast
from bot.demo.seed import DemoHome, seed_demo
from bot.demo.server import build_demo_app
from bot.sandbox.telegram import FakeTelegram

# A token of the right shape; the fake Telegram accepts only this one. Not a secret.
DEMO_TOKEN = "4242424242:DEMO-heimbote-sandbox"
BOT_USERNAME = "heimbote_demo_bot"


@dataclass(frozen=True)
class DemoOptions:
    """``heimbote demo``'s command line."""

    port: int = 8080
    host: str = "127.0.0.1"
    fresh: bool = False
    language: str = "en"
    database: Path = DEFAULT_DATABASE
    # Another database instead of the SQLite file (the tests pass theirs; ``fresh`` then
    # deletes nothing: the caller hands over an empty one).
    database_url: str | None = None


def _free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def remove_database(path: Path) -> None:
    """Delete the demo database and SQLite's side files (``--fresh``)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


@dataclass
class Demo:
    """One running demo. ``start`` returns the URL to open; ``stop`` ends everything."""

    options: DemoOptions
    tg: FakeTelegram = field(init=False)
    cast: Cast = field(init=False)
    home: DemoHome | None = None
    presses: list[Press] = field(default_factory=list)
    closing: bool = False
    bot: Heimbote | None = None
    http: aiohttp.ClientSession = field(init=False)
    _runner: web.AppRunner | None = None
    url: str = ""
    port: int = 0  # the page's, once it listens
    # Sent by the page with every action (bot/demo/server.py): new at every start.
    action_token: str = field(default_factory=lambda: secrets.token_urlsafe(32))

    @property
    def bot_web_root(self) -> str:
        """Where the bot's own web server listens."""
        assert self.bot is not None
        return f"http://{self.options.host}:{self.bot.http_port}"

    async def start(self) -> str:
        """Start the fake Telegram, the page's server, the bot; seed the home. Returns the URL."""
        if self.options.fresh and self.options.database_url is None:
            remove_database(self.options.database)
        self.tg = FakeTelegram(
            token=DEMO_TOKEN, bot_username=BOT_USERNAME, bot_name="Heimbote",
            host=self.options.host,
        )
        await self.tg.start()
        self.tg.rate_limits(False)  # a person clicking never hits them; no waiting in the demo
        self.cast = create_cast(self.tg, self.options.language)
        self.http = aiohttp.ClientSession()
        try:
            base = await self._serve_page()
            settings = self._settings(base)
            # Seeded before the bot runs: its outbox sender then sends only what the seed left
            # pending (an update waiting for Carla), never history the seed marks as done.
            async with database(settings.database_url):
                self.home = await seed_demo(self.cast)
            self.bot = Heimbote(settings)
            await self.bot.start()
        except BaseException:
            await self.stop()
            raise
        self.url = f"{base}/demo"
        return self.url

    async def _serve_page(self) -> str:
        self._runner = web.AppRunner(build_demo_app(self), access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.options.host, self.options.port).start()
        host, self.port = self._runner.addresses[0][:2]
        return f"http://{host}:{self.port}"

    def _settings(self, base: str) -> Settings:
        return load_settings(
            env_file=None,
            bot_token=DEMO_TOKEN,
            telegram_api_url=self.tg.api_root,
            database_url=self.options.database_url or f"sqlite://{self.options.database}",
            http_host=self.options.host,
            http_port=_free_port(self.options.host),
            public_url=base,
            default_locale="de",
            webhook_url=None,
            webhook_secret=None,
            admin_ids=str(self.cast.moderator.id),  # Mira moderates held ratings
        )

    async def stop(self) -> None:
        """Stop the bot (it finishes what it received), the page's server and the fake."""
        self.closing = True
        self.tg.signal.notify()  # wakes the live-event streams so they end
        if self.bot is not None and self.bot.is_running:
            await self.bot.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        await self.http.close()
        await self.tg.close()


async def run_demo(options: DemoOptions) -> None:
    """Run the demo until SIGTERM or Ctrl-C; print one line, the URL to open."""
    # The terminal shows the URL; the bot's own logging only when something is wrong.
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    demo = Demo(options)
    url = await demo.start()
    print(url, flush=True)
    try:
        await stop.wait()
    finally:
        await demo.stop()
