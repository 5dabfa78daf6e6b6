"""Wires the PTB ``Application``, the aiohttp server and the background workers together."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import signal
from typing import Any

from aiohttp import web
from telegram import Bot, Update
from telegram._utils.types import ODVInput
from telegram.ext import AIORateLimiter, Application, ContextTypes
from telegram.request import BaseRequest, HTTPXRequest, RequestData
from tortoise.context import TortoiseContext

from bot.config import Settings
from bot.db import close_database, open_database
from bot.delivery.outbox import SentHook
from bot.delivery.pacing import Pacer
from bot.delivery.sender import MAX_IN_FLIGHT, Sender
from bot.delivery.worker import run_sender
from bot.jobs import JOBS, push_stream_job, run_periodically
from bot.logs import hold_back_repeats
from bot.metrics import Metrics
from bot.services import conversations
from bot.update_order import PerChatInOrder
from bot.web import Serves, build_web_app
from bot.web.guard import (
    ConnectionGuard,
    GuardedRunner,
    Limits,
    connection_budget,
    raise_open_file_limit,
)
from bot.web.live import LIVE_KEY, LiveHub
from bot.web.webhook import NotAnUpdate
from handlers import register
from handlers.broadcast import resume_progress
from handlers.kit.context import BotData, HeimboteApplication, HeimboteContext
from handlers.kit.menu import publish_menu

log = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER]
_SENDING_METHODS = ("send", "copyMessage", "forwardMessage")
# What runs after the outbox sent a row, by the row's purpose.
SENT_HOOKS: dict[str, SentHook] = {**conversations.AFTER_SENT}


class CountingRequest(HTTPXRequest):
    """PTB's HTTP client, counting every message sent for ``/metrics``."""

    def __init__(self, metrics: Metrics, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._metrics = metrics

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        status, payload = await super().do_request(
            url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
        )
        api_method = url.rsplit("/", 1)[-1]
        if status == 200 and api_method.startswith(_SENDING_METHODS):
            self._metrics.messages_sent.labels(method=api_method).inc()
        return status, payload


def build_application(settings: Settings, metrics: Metrics) -> HeimboteApplication:
    """The PTB application pointed at ``HEIMBOTE_TELEGRAM_API_URL``, with every handler."""
    if settings.bot_token is None:
        raise ValueError("HEIMBOTE_BOT_TOKEN is not set")
    api = settings.telegram_api_url
    builder = (
        Application.builder()
        .token(settings.bot_token.get_secret_value())
        .base_url(f"{api}/bot")
        .base_file_url(f"{api}/file/bot")
        .context_types(ContextTypes(context=HeimboteContext, bot_data=BotData))
        .request(CountingRequest(metrics, connection_pool_size=16))
        .get_updates_request(HTTPXRequest(read_timeout=40.0))
        # Direct replies: a 429 is waited out and retried, never shown to the user.
        .rate_limiter(AIORateLimiter(max_retries=5))
        .concurrent_updates(PerChatInOrder())
    )
    if settings.webhook_url:
        builder = builder.updater(None)
    application: HeimboteApplication = builder.build()
    application.bot_data.settings = settings
    application.bot_data.metrics = metrics
    register(application)
    return application


def build_sender_bot(settings: Settings, metrics: Metrics) -> Bot:
    """The outbox sender's own Bot: no rate limiter, the sender keeps Telegram's limits itself."""
    if settings.bot_token is None:
        raise ValueError("HEIMBOTE_BOT_TOKEN is not set")
    api = settings.telegram_api_url
    return Bot(
        settings.bot_token.get_secret_value(),
        base_url=f"{api}/bot",
        base_file_url=f"{api}/file/bot",
        request=CountingRequest(metrics, connection_pool_size=MAX_IN_FLIGHT),
    )


class Heimbote:
    """One running bot: database, Telegram application, web server and workers."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.metrics = Metrics()
        self.application = build_application(settings, self.metrics)
        self._webhook_secret = (
            settings.webhook_secret.get_secret_value()
            if settings.webhook_secret
            else secrets.token_urlsafe(32)
        )
        self._runners: list[web.AppRunner] = []
        self.connection_guard: ConnectionGuard | None = None  # once the web server runs
        self.live_hub: LiveHub | None = None
        self._workers: list[asyncio.Task[None]] = []
        self._database: TortoiseContext | None = None
        self._sender_bot = build_sender_bot(settings, self.metrics)

    @property
    def is_running(self) -> bool:
        """Whether :meth:`start` has run and :meth:`stop` has not."""
        return bool(self._runners)

    @property
    def http_port(self) -> int:
        """The port the web server listens on (useful when the setting was 0)."""
        if not self._runners or not self._runners[0].addresses:
            raise RuntimeError("the web server is not running")
        return int(self._runners[0].addresses[0][1])

    @property
    def public_port(self) -> int:
        """The port of the public site's own listener (``HEIMBOTE_PUBLIC_PORT``)."""
        if len(self._runners) < 2 or not self._runners[1].addresses:
            raise RuntimeError("the public site has no listener of its own")
        return int(self._runners[1].addresses[0][1])

    async def start(self) -> None:
        """Open the database (migrating it), start the web server and receive updates."""
        self._database = await open_database(self.settings.database_url)
        try:
            await self._start_telegram_and_web()
        except BaseException:
            await close_database(self._database)
            raise

    async def _start_telegram_and_web(self) -> None:
        application = self.application
        await application.initialize()
        await publish_menu(
            application.bot, self.settings.default_locale, self.settings.platform_admin_ids
        )
        webhook = bool(self.settings.webhook_url)
        await self._start_web(webhook)
        await application.start()
        resume_progress(application)  # announcements still going out when we last stopped
        if webhook:
            await application.bot.set_webhook(
                url=str(self.settings.webhook_url),
                secret_token=self._webhook_secret,
                allowed_updates=ALLOWED_UPDATES,
            )
        elif application.updater is not None:
            await application.updater.start_polling(
                allowed_updates=ALLOWED_UPDATES, timeout=10
            )
        jobs = [*JOBS, push_stream_job(self.settings)]
        self._workers.extend(asyncio.create_task(run_periodically(job)) for job in jobs)
        await self._sender_bot.initialize()
        sender = Sender(self._sender_bot, Pacer(self.settings.send_rate), self.metrics,
                        hooks=SENT_HOOKS)
        self._workers.append(
            asyncio.create_task(run_sender(sender, self.settings.database_url))
        )
        log.info("Heimbote is running (%s mode)", "webhook" if webhook else "polling")

    async def _start_web(self, webhook: bool) -> None:
        """The listener for Telegram and the operator, and the public site's (same or own)."""
        settings = self.settings
        limits = web_limits(settings)
        budget = connection_budget(limits, raise_open_file_limit())
        apart = settings.public_port is not None
        # Apart, Telegram and the operator have connections of their own: however many the
        # public listener holds, the webhook and the health check still get in.
        private = PRIVATE_CONNECTIONS if apart else budget
        listeners = [(Serves.PRIVATE if apart else Serves.ALL, settings.http_host,
                      settings.http_port, ConnectionGuard(limits, private))]
        if settings.public_port is not None:
            listeners.append((Serves.PUBLIC, settings.public_host, settings.public_port,
                              ConnectionGuard(limits, max(16, budget - private))))
        for serves, host, port, guard in listeners:
            app = build_web_app(
                self.metrics,
                webhook_secret=self._webhook_secret if webhook else None,
                feed_update=self._feed_update if webhook else None,
                public_url=settings.public_url,
                default_locale=settings.default_locale,
                limits=limits,
                serves=serves,
            )
            if LIVE_KEY in app:
                self.live_hub = app[LIVE_KEY]
                self.connection_guard = guard
            runner = GuardedRunner(app, guard, access_log=None)
            await runner.setup()
            self._runners.append(runner)
            await web.TCPSite(runner, host, port).start()

    async def _feed_update(self, payload: dict[str, Any]) -> None:
        try:
            update = Update.de_json(payload, self.application.bot)
        except Exception as error:  # whatever PTB makes of JSON that is no update
            raise NotAnUpdate(type(error).__name__) from error
        await self.application.update_queue.put(update)

    async def stop(self) -> None:
        """Stop receiving, let in-flight updates finish, stop workers, close the database."""
        application = self.application
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()  # handles every update already received
        for worker in self._workers:
            worker.cancel()
        for worker in self._workers:
            with contextlib.suppress(asyncio.CancelledError):
                await worker
        self._workers.clear()
        await self._sender_bot.shutdown()
        await application.shutdown()
        for runner in self._runners:
            await runner.cleanup()
        self._runners.clear()
        if self._database is not None:
            await close_database(self._database)
            self._database = None
        log.info("Heimbote stopped")


PRIVATE_CONNECTIONS = 512  # the webhook's listener, apart from the public one


def web_limits(settings: Settings) -> Limits:
    """What one client of the web server may use (:mod:`bot.web.guard`)."""
    return Limits(
        head_timeout=settings.header_timeout,
        live_streams=settings.live_streams,
        live_streams_per_ip=settings.live_streams_per_ip,
        requests_per_second=settings.public_rate,
        burst=max(1, round(settings.public_rate * 3)),
    )


async def serve(settings: Settings) -> None:
    """Run the bot until SIGTERM or SIGINT."""
    hold_back_repeats()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    heimbote = Heimbote(settings)
    await heimbote.start()
    try:
        await stop.wait()
    finally:
        await heimbote.stop()
