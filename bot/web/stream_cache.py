"""Pages of the review stream assembled from cached runs of 100 encoded events.

A reader may start a page anywhere (``after`` is any seq), so caching whole answers by their
query misses almost always for random offsets. Instead the events are kept encoded, in runs of
:data:`RUN` consecutive seqs (1-100, 101-200, …), and any page whose events all exist is cut
from one or more runs: no query, no encoding, only byte copies.

Why this is not an "immutable" cache, though events are append-only:

- erasure (``/deleteme``) sets the payloads of a person's events to ``None``
  (:func:`bot.services.stream.events.redact`): what a page shows can change long after it was
  written, and the erased text must not stay in anybody's cache;
- the answer carries the stream's current ``head`` (and ``next`` depends on it).

So runs are kept only while the stream's head stays where it was, like every other public
answer (:mod:`bot.web.cache`): a redaction always commits together with an appended
``review.retracted`` event (:func:`bot.services.reviews.ratings.retract_all`), so the head
moves with
it, and every process learns it on its next request, because the head is read from the
database after the request arrived. Runs also expire after ``max_age`` seconds, like the
answers, and HTTP caches get the same ``Cache-Control: public, max-age=60``.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass

from bot.services.stream.pages import event_texts

RUN = 100  # events per cached run, the API's default page size
MAX_BYTES = 64 * 1024 * 1024  # about 100,000 events of typical size


@dataclass(frozen=True)
class Run:
    """Events ``first``…``first + RUN - 1`` as their JSON texts joined by commas."""

    text: bytes
    starts: tuple[int, ...]  # where each event begins in text, then len(text) + 1
    built_at: float

    def between(self, start: int, stop: int) -> bytes:
        """Events at indexes ``start``…``stop - 1`` of this run, comma-separated."""
        return self.text[self.starts[start]:self.starts[stop] - 1]


class StreamRuns:
    """An LRU of encoded runs of events, bounded in bytes, valid while the head stays."""

    def __init__(self, max_bytes: int = MAX_BYTES, max_age: float = 60.0) -> None:
        self.max_bytes = max_bytes
        self.max_age = max_age
        self._runs: OrderedDict[int, Run] = OrderedDict()
        self._bytes = 0
        self._head = 0  # the head the kept runs were read at (or after)

    def __len__(self) -> int:
        """How many runs are kept."""
        return len(self._runs)

    @property
    def kept_bytes(self) -> int:
        """The size of the kept runs' texts."""
        return self._bytes

    @property
    def enabled(self) -> bool:
        """Whether runs are kept at all (``max_bytes`` above 0)."""
        return self.max_bytes > 0

    async def page(self, after: int, limit: int, head: int) -> bytes | None:
        """The events ``after + 1``…``after + limit`` as a JSON array, read at ``head``.

        None when this cache cannot answer: it is off, the page reaches into the newest run
        (not yet complete at ``head``), the head read is older than the cache's, or seqs have
        gaps.
        """
        first, last = after + 1, after + limit  # seqs, inclusive
        runs = range((first - 1) // RUN, (last - 1) // RUN + 1)
        if not self.enabled or (runs[-1] + 1) * RUN > head or head < self._head:
            return None  # (a page ending in the newest, unfinished run is read as before)
        if head > self._head:  # the stream moved: an erasure may have changed any event
            self._runs.clear()
            self._bytes = 0
            self._head = head
        pieces = []
        for index in runs:
            run = await self._run(index, head)
            if run is None:
                return None
            start = max(first - 1 - index * RUN, 0)
            stop = min(last - index * RUN, RUN)
            pieces.append(run.between(start, stop))
        return b"[" + b",".join(pieces) + b"]"

    async def _run(self, index: int, head: int) -> Run | None:
        found = self._runs.get(index)
        if found is not None and time.monotonic() - found.built_at < self.max_age:
            self._runs.move_to_end(index)
            return found
        texts = await event_texts(index * RUN, RUN)
        if [seq for seq, _ in texts] != list(range(index * RUN + 1, index * RUN + RUN + 1)):
            return None  # not RUN consecutive events: leave it to the plain query
        encoded = [text.encode() for _, text in texts]
        starts, position = [], 0
        for text in encoded:
            starts.append(position)
            position += len(text) + 1
        run = Run(b",".join(encoded), (*starts, position), time.monotonic())
        if head == self._head:  # not kept if the stream moved while it was read
            self._keep(index, run)
        return run

    def _keep(self, index: int, run: Run) -> None:
        old = self._runs.pop(index, None)
        if old is not None:
            self._bytes -= len(old.text)
        self._runs[index] = run
        self._bytes += len(run.text)
        while self._bytes > self.max_bytes and self._runs:
            _, evicted = self._runs.popitem(last=False)
            self._bytes -= len(evicted.text)
