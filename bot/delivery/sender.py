"""The delivery worker: sends due outbox rows in order, within Telegram's limits.

Policies, per Telegram's answer:
- 429 (never expected: the pacer keeps Telegram's count): pause all sending for
  ``retry_after`` and lower the pace (:meth:`Pacer.throttled`); the row goes again, no attempt
  counted; one log line per pause;
- network error, time-out, 5xx: retry with exponential backoff and jitter, fail after
  :data:`MAX_ATTEMPTS`;
- 403 (blocked, deactivated): the account is marked unreachable, its remaining rows skipped;
- group migrated to a supergroup: the chat id is updated (also a linked staff group's) and the
  row resent;
- 400: the row fails with Telegram's description (but when a conversation's forum topic was
  deleted, the topic is forgotten and the row resent into a new one).

After a row was sent, the hook given for its purpose runs (:data:`outbox.SentHook`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import random
from collections.abc import Mapping
from typing import Any

from telegram import (
    Bot,
)
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TimedOut,
)

from bot import clock
from bot.delivery import telegram_calls
from bot.delivery.forum_topics import forget_topic, topic_for
from bot.delivery.outbox import SentHook, claim_due, next_due_at, release_in_flight
from bot.delivery.pacing import Pacer, Send
from bot.metrics import Metrics
from bot.models import Account, ConversationSetup, Delivery, DeliveryState

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
BATCH = 500
MAX_IN_FLIGHT = 16
IDLE_WAIT = 1.0


def backoff(attempt: int) -> float:
    """Seconds before retry ``attempt`` (1, 2, 4, … up to 5 minutes, with ±25 % jitter)."""
    base = min(300.0, 2.0 ** (attempt - 1))
    return base * random.uniform(0.75, 1.25)


def _seconds(retry_after: float | dt.timedelta) -> float:
    return retry_after.total_seconds() if isinstance(retry_after, dt.timedelta) else retry_after


def _message_count(row: Delivery) -> int:
    return len(row.content["file_ids"]) if row.kind == "album" else 1


class Sender:
    """Sends the outbox. Exactly one runs per bot (PostgreSQL: the advisory lock holder)."""

    def __init__(
        self,
        bot: Bot,
        pacer: Pacer,
        metrics: Metrics | None = None,
        *,
        hooks: Mapping[str, SentHook] | None = None,
    ) -> None:
        """``hooks`` run after a row of their purpose was sent (:data:`outbox.SentHook`)."""
        self._bot = bot
        self._hooks: Mapping[str, SentHook] = dict(hooks or {})
        self._pacer = pacer
        self._metrics = metrics
        self._wake = asyncio.Event()
        self._unreachable_chats: set[int] = set()
        self._topic_lock = asyncio.Lock()

    def wake(self) -> None:
        """Something was enqueued: look at the outbox now rather than at the next tick."""
        self._wake.set()

    async def run(self) -> None:
        """Send until cancelled. Rows left "sending" by a crash are sent again first."""
        await self._release_after_crash()
        while True:
            try:
                if not await self.send_due():
                    await self._idle()
            except Exception:  # the database or network is away: try again shortly
                log.exception("the delivery worker failed, retrying")
                await asyncio.sleep(IDLE_WAIT)

    async def _release_after_crash(self) -> None:
        try:
            released = await release_in_flight()
        except Exception:
            log.exception("could not look for deliveries left in flight")
            return
        if released:
            log.warning("%d deliveries were in flight at the last stop: sent again", released)

    async def _idle(self) -> None:
        due = await next_due_at()
        wait = IDLE_WAIT
        if due is not None:
            wait = min(IDLE_WAIT, max(0.0, (due - clock.now()).total_seconds()))
        self._wake.clear()
        try:
            await asyncio.wait_for(self._wake.wait(), timeout=wait)
        except TimeoutError:
            pass

    async def send_due(self) -> bool:
        """Send one batch of due rows, several at once; whether there was anything to send.

        The pacer decides when each may start; at most :data:`MAX_IN_FLIGHT` are on the way.
        """
        rows = await claim_due(BATCH)
        self._unreachable_chats.clear()
        in_flight: set[asyncio.Task[None]] = set()
        for row in rows:
            messages = _message_count(row)
            chat_wait = self._pacer.chat_wait(row.chat_id, messages)
            if chat_wait > 1.0:  # this chat must wait: let the others go first
                await self._postpone(row, chat_wait)
                continue
            while len(in_flight) >= MAX_IN_FLIGHT:
                _, in_flight = await asyncio.wait(in_flight, return_when=asyncio.FIRST_COMPLETED)
            # The pacer answers with a time (a 429's retry_after, too, is waited out here).
            while (wait := self._pacer.wait_for(row.chat_id, messages)) > 0:  # noqa: ASYNC110
                await asyncio.sleep(wait)
            if row.chat_id in self._unreachable_chats:
                await self._finish(row, DeliveryState.SKIPPED, "unreachable")
                continue
            send = self._pacer.started(row.chat_id, messages)
            in_flight.add(asyncio.create_task(self._send_one(row, send)))
        if in_flight:
            done, _ = await asyncio.wait(in_flight)
            for task in done:
                task.result()  # a database failure surfaces in run()'s log
        return bool(rows)

    async def _postpone(self, row: Delivery, seconds: float) -> None:
        row.state = DeliveryState.PENDING
        row.next_attempt_at = clock.now() + dt.timedelta(seconds=seconds)
        await row.save(update_fields=["state", "next_attempt_at"])

    async def _call_paced(self, row: Delivery, send: Send) -> list[int]:
        """``_call``, telling the pacer when the answer came (or that none came)."""
        answered = True
        try:
            return await self._call(row)
        except TimedOut:  # the request may still arrive after we gave up on it
            answered = False
            raise
        finally:
            self._pacer.finished(send, answered=answered)

    async def _send_one(self, row: Delivery, send: Send) -> None:
        """Send one row and record the outcome."""
        try:
            message_ids = await self._call_paced(row, send)
        except RetryAfter as error:
            pause = _seconds(error.retry_after)
            if self._pacer.throttled(pause):  # one line per pause, not one per refused row
                log.warning(
                    "Telegram answered 429: pausing %.0f s, then at most %.1f sends/s",
                    pause, self._pacer.ceiling,
                )
            await self._postpone(row, pause)
        except ChatMigrated as error:
            await self._follow_migration(row, error.new_chat_id)
        except Forbidden as error:
            self._unreachable_chats.add(row.chat_id)
            await self._unreachable(row, error.message)
        except BadRequest as error:
            if "topic" in row.content and "thread not found" in error.message.lower():
                await forget_topic(row.content["topic"])  # deleted in Telegram: a new one
                await self._postpone(row, 0.0)
                return
            await self._finish(row, DeliveryState.FAILED, error.message)
        except NetworkError as error:  # includes time-outs and 5xx
            await self._retry_later(row, error.message)
        else:
            row.sent_message_ids = message_ids
            row.sent_at = clock.now()
            await self._after_sent(row)  # first: once a row is "sent", its hook has run
            await self._finish(row, DeliveryState.SENT, "")
            if self._metrics is not None:
                self._metrics.deliveries_sent.inc()

    async def _after_sent(self, row: Delivery) -> None:
        hook = self._hooks.get(row.purpose)
        if hook is None:
            return
        try:
            await hook(row)
        except Exception:  # what was sent stays sent; only the bookkeeping is missing
            log.exception("the after-sent hook of delivery %s failed", row.id)

    async def _call(self, row: Delivery) -> list[int]:
        """One Bot API call for the row; the ids of the messages it created."""
        return await telegram_calls.send(
            self._bot, row.chat_id, row.kind, row.content, topic=await self._topic(row)
        )

    async def _topic(self, row: Delivery) -> int | None:
        """The forum topic to send to: given, or the conversation thread's (created once)."""
        content: dict[str, Any] = row.content
        if "topic" in content:
            return await topic_for(self._bot, row.chat_id, content["topic"], self._topic_lock)
        thread_id = content.get("message_thread_id")
        return int(thread_id) if thread_id is not None else None

    async def _follow_migration(self, row: Delivery, new_chat_id: int) -> None:
        old = row.chat_id
        await Delivery.filter(chat_id=old, state=DeliveryState.PENDING).update(chat_id=new_chat_id)
        await ConversationSetup.filter(group_chat_id=old).update(group_chat_id=new_chat_id)
        row.chat_id = new_chat_id
        row.state = DeliveryState.PENDING
        await row.save(update_fields=["chat_id", "state"])
        log.info("a group moved to a supergroup; deliveries follow it")

    async def _unreachable(self, row: Delivery, reason: str) -> None:
        if row.account_id is not None:
            await Account.filter(id=row.account_id).update(unreachable=True)
        await Delivery.filter(
            chat_id=row.chat_id, state=DeliveryState.PENDING
        ).update(state=DeliveryState.SKIPPED, last_error=reason)
        await self._finish(row, DeliveryState.SKIPPED, reason)

    async def _retry_later(self, row: Delivery, reason: str) -> None:
        row.attempts += 1
        row.last_error = reason
        if row.attempts >= MAX_ATTEMPTS:
            row.state = DeliveryState.FAILED
            log.warning("delivery %s failed after %d attempts", row.id, row.attempts)
        else:
            row.state = DeliveryState.PENDING
            row.next_attempt_at = clock.now() + dt.timedelta(
                seconds=backoff(row.attempts)
            )
        await row.save(update_fields=["attempts", "last_error", "state", "next_attempt_at"])

    async def _finish(self, row: Delivery, state: DeliveryState, reason: str) -> None:
        row.state = state
        row.last_error = reason
        await row.save(
            update_fields=["state", "last_error", "sent_message_ids", "sent_at", "chat_id"]
        )
