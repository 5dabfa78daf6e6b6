"""Forum topics for conversation threads, created by the sender when a thread first needs one.

A service cannot call the Bot API, so a relay to a forum group is enqueued with
``content["topic"] = {"thread": <thread id>, "name": <topic name>}``. Before sending it, the
sender asks :func:`topic_for` for the topic: the one stored on the thread, or a new one
(``createForumTopic``), stored on the thread for every later message. When the topic cannot be
created (the bot is no admin there), the message goes to the group's General topic instead.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import Bot
from telegram.error import BadRequest

from bot.models import Thread

log = logging.getLogger(__name__)

MAX_TOPIC_NAME = 128


async def topic_for(bot: Bot, chat_id: int, spec: dict[str, Any], lock: asyncio.Lock) -> int | None:
    """The ``message_thread_id`` to send to, creating the thread's topic once (under ``lock``)."""
    thread_id = int(spec["thread"])
    async with lock:  # two relays of one thread may be on their way at the same time
        thread = await Thread.get_or_none(id=thread_id)
        if thread is None:
            return None
        if thread.forum_topic_id is not None and thread.forum_chat_id == chat_id:
            return int(thread.forum_topic_id)
        try:
            created = await bot.create_forum_topic(chat_id, str(spec["name"])[:MAX_TOPIC_NAME])
        except BadRequest as error:
            log.warning("no forum topic for thread %s (%s): sent to General", thread_id,
                        error.message)
            return None
        await Thread.filter(id=thread_id).update(
            forum_chat_id=chat_id, forum_topic_id=created.message_thread_id
        )
        return created.message_thread_id


async def forget_topic(spec: dict[str, Any]) -> None:
    """The thread's topic is gone (deleted in Telegram): the next message creates a new one."""
    await Thread.filter(id=int(spec["thread"])).update(forum_topic_id=None, forum_chat_id=None)
