"""``POST /telegram/webhook``: Telegram delivers updates here in webhook mode."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.delivery.updates import UpdateClaims, release_update

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

FeedUpdate = Callable[[dict[str, Any]], Awaitable[None]]
"""Hands one update (parsed JSON) to the bot; raises :class:`NotAnUpdate` when it is none."""

MAX_UPDATE_ID = 2**63 - 1  # what the processed-ids column holds

log = logging.getLogger(__name__)


class NotAnUpdate(ValueError):
    """JSON that does not read as a Telegram update (a string where a message belongs …)."""


def _error(status: int, description: str) -> web.Response:
    return web.json_response({"ok": False, "description": description}, status=status)


def receive_update(
    secret_key: web.AppKey[str], feed_key: web.AppKey[FeedUpdate], *, body_timeout: float = 30.0
) -> Callable[[web.Request], Awaitable[web.Response]]:
    """The handler: check the secret, parse the update, hand each update id on only once.

    A body that does not arrive within ``body_timeout`` seconds gets ``408``.
    """
    claims = UpdateClaims()  # Telegram posts concurrently: the ids meanwhile, in one write

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), request.app[secret_key].encode()):
            return _error(403, "forbidden")
        try:
            async with asyncio.timeout(body_timeout):
                body = await request.read()  # over client_max_size: aiohttp answers 413 itself
        except TimeoutError:
            return _error(408, "the body came too slowly")
        try:
            update = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            return _error(400, "malformed JSON")
        update_id = update.get("update_id") if isinstance(update, dict) else None
        if type(update_id) is not int or not 0 <= update_id <= MAX_UPDATE_ID:
            return _error(400, "not a Telegram update")
        if not await claims.claim(update_id):
            return web.json_response({"ok": True})  # delivered before: handled once
        try:
            await request.app[feed_key](update)
        except NotAnUpdate:
            await release_update(update_id)
            log.warning("refused webhook update %d: not a Telegram update", update_id)
            return _error(400, "not a Telegram update")
        except BaseException:
            await release_update(update_id)  # Telegram's retry runs it
            raise
        return web.json_response({"ok": True})

    return receive
