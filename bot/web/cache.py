"""Public answers kept in memory for as long as the stream's head has not moved.

Everything the public routes show changes only together with an appended stream event
(a publication, a reply, a retraction), so the newest ``seq`` is the version of all public
data. Each request learns it from a read of the database that started after the request
arrived (so several processes stay exact), but requests arriving together share one read; an
answer built at that version is reused until it changes. Entries also expire after a minute,
for what changes without an event: a facility's name or settings, the month.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.services.stream.events import last_seq

MAX_BODY_BYTES = 512 * 1024
Build = Callable[[], Awaitable[tuple[bytes, str]]]  # body, content type


@dataclass(frozen=True)
class Cached:
    """One answer: its body, content type, the stream head it was built at, and when."""

    body: bytes
    content_type: str
    head: int
    built_at: float
    etag: str  # a strong validator: a digest of the body


def answer(body: bytes, content_type: str, head: int) -> Cached:
    """An answer with its strong ETag (a digest of the body)."""
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    return Cached(body, content_type, head, time.monotonic(), etag)


async def _built(build: Build, head: int) -> Cached:
    body, content_type = await build()
    return answer(body, content_type, head)


class HeadReader:
    """Reads the stream head for many requests at once, never with a read begun before them.

    A request joins the next read; while one read runs, the requests arriving meanwhile wait
    for the one after it. Under load one query serves every request of its moment.
    """

    def __init__(self) -> None:
        self._next: asyncio.Future[int] | None = None
        self._reader: asyncio.Task[None] | None = None

    async def read(self) -> int:
        """The newest seq, as read after this call began."""
        if self._next is None:
            self._next = asyncio.get_running_loop().create_future()
        waiting = self._next
        if self._reader is None or self._reader.done():
            self._reader = asyncio.create_task(self._read_while_wanted())
        return await asyncio.shield(waiting)

    async def _read_while_wanted(self) -> None:
        while self._next is not None:
            current, self._next = self._next, None
            try:
                current.set_result(await last_seq())
            except Exception as error:  # every waiter sees it
                current.set_exception(error)


class ResponseCache:
    """A small LRU of public answers, valid while the stream head stays where it was."""

    def __init__(self, max_entries: int = 1024, max_age: float = 60.0) -> None:
        self.max_entries = max_entries
        self.max_age = max_age
        self._entries: OrderedDict[str, Cached] = OrderedDict()
        self._head = HeadReader()

    async def head(self) -> int:
        """The stream's head, read after this call began (shared with concurrent requests)."""
        return await self._head.read()

    async def get(self, key: str, build: Build, *, head: int | None = None) -> Cached:
        """The answer for ``key``: from memory when still current, else built and kept.

        ``head``: the stream's head, when the caller has just read it with :meth:`head`.
        """
        if self.max_entries <= 0:
            return await _built(build, 0)
        if head is None:
            head = await self._head.read()  # before building: an entry is never newer than its tag
        now = time.monotonic()
        found = self._entries.get(key)
        if found is not None and found.head == head and now - found.built_at < self.max_age:
            self._entries.move_to_end(key)
            return found
        entry = await _built(build, head)
        if len(entry.body) <= MAX_BODY_BYTES:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return entry
