"""Webhook mode: the fake Telegram POSTs each update to the bot, in order, with retries."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bot.sandbox.telegram.update_queue import UpdateQueue

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass
class WebhookDelivery:
    """One attempt to hand an update to the bot's webhook."""

    update_id: int
    status: int | None
    error: str | None = None


@dataclass
class WebhookSettings:
    """What setWebhook configured."""

    url: str = ""
    secret_token: str | None = None
    max_connections: int = 40
    allowed_updates: list[str] | None = None
    last_error_date: int | None = None
    last_error_message: str | None = None
    failed_update_ids: list[int] = field(default_factory=list)


class WebhookSender:
    """Delivers queued updates to the webhook URL one at a time."""

    def __init__(
        self,
        queue: UpdateQueue,
        on_change: Callable[[], object],
        *,
        attempts: int = 3,
        retry_delay: float = 0.05,
    ) -> None:
        self.queue = queue
        self.settings = WebhookSettings()
        self.deliveries: list[WebhookDelivery] = []
        self._on_change = on_change
        self._attempts = attempts
        self._retry_delay = retry_delay
        self._session: aiohttp.ClientSession | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def active(self) -> bool:
        """Whether a webhook is set (getUpdates then answers 409)."""
        return bool(self.settings.url)

    def configure(self, settings: WebhookSettings) -> None:
        """Switch to webhook mode with ``settings`` and start delivering."""
        self.settings = settings
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._deliver_forever(), name="fake-tg-webhook")

    async def remove(self) -> None:
        """Leave webhook mode (deleteWebhook)."""
        self.settings = WebhookSettings()
        await self._stop_task()

    async def close(self) -> None:
        """Stop delivering and close the HTTP session."""
        await self._stop_task()
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _stop_task(self) -> None:
        if self._task is not None and self._task is not asyncio.current_task():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._task = None

    async def _deliver_forever(self) -> None:
        while self.active and not self.queue.closed:
            await self.queue.wait_for_updates()
            if not self.queue.pending or not self.active:
                continue
            update = self.queue.pending[0]
            delivered = await self._deliver_with_retries(update)
            if self.queue.pending and self.queue.pending[0] is update:
                self.queue.pop_first()
            if not delivered:
                self.settings.failed_update_ids.append(update["update_id"])
            self._on_change()

    async def _deliver_with_retries(self, update: dict[str, Any]) -> bool:
        for attempt in range(self._attempts):
            if attempt:
                await asyncio.sleep(self._retry_delay * 2 ** (attempt - 1))
            if await self._post(update):
                return True
        return False

    async def _post(self, update: dict[str, Any]) -> bool:
        headers = {}
        if self.settings.secret_token:
            headers[SECRET_HEADER] = self.settings.secret_token
        try:
            async with self._client().post(
                self.settings.url, json=update, headers=headers
            ) as response:
                await response.read()
                status = response.status
        except (aiohttp.ClientError, TimeoutError) as err:
            self._record(update, None, f"Connection failed: {err!r}")
            return False
        ok = 200 <= status < 300
        self._record(update, status, None if ok else f"Wrong response from the webhook: {status}")
        return ok

    def _record(self, update: dict[str, Any], status: int | None, error: str | None) -> None:
        self.deliveries.append(WebhookDelivery(update["update_id"], status, error))
        if error is not None:
            self.settings.last_error_date = int(time.time())
            self.settings.last_error_message = error
        self._on_change()

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:
            timeout = aiohttp.ClientTimeout(total=10)
            self._session = aiohttp.ClientSession(timeout=timeout)
        return self._session

    def info(self) -> dict[str, Any]:
        """Return the ``WebhookInfo`` object getWebhookInfo answers with."""
        settings = self.settings
        webhook_info: dict[str, Any] = {
            "url": settings.url,
            "has_custom_certificate": False,
            "pending_update_count": len(self.queue.pending),
        }
        if settings.url:
            webhook_info["max_connections"] = settings.max_connections
            if settings.allowed_updates is not None:
                webhook_info["allowed_updates"] = settings.allowed_updates
        if settings.last_error_date is not None:
            webhook_info["last_error_date"] = settings.last_error_date
            webhook_info["last_error_message"] = settings.last_error_message
        return webhook_info
