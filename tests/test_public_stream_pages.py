"""Pages of the review stream cut from cached runs of events: the same answers, kept honest.

Over real HTTP: a complete page comes from the runs (:mod:`bot.web.stream_cache`) and is the
byte-for-byte answer of the plain query, with the same headers; erasure reaches every server
sharing the database; the open page at the head follows the head.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import test_utils
from multidict import CIMultiDictProxy

from bot.models.reviews import Review
from bot.services.stream import events as stream
from bot.web.site import SITE_KEY, PublicSite
from bot.web.stream_cache import RUN
from tests import review_seed
from tests.public_server import public_client

EVENTS = 2 * RUN + 30  # two complete runs and an open one
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


@pytest.fixture
async def reviews(db: str) -> list[Review]:
    home = await review_seed.facility()
    return [
        await review_seed.publish(home, 1 + n % 5, comment=f"Bewertung Nr. {n} – schön",
                                  published_at=NOW - dt.timedelta(minutes=EVENTS - n))
        for n in range(EVENTS)
    ]


@pytest.fixture
async def served(reviews: list[Review]) -> AsyncIterator[test_utils.TestClient]:
    async with public_client() as http:
        yield http


@pytest.fixture
async def plain(reviews: list[Review]) -> AsyncIterator[test_utils.TestClient]:
    """A second server on the same database with every cache off: the plain query."""
    async with public_client() as http:
        site(http).cache.max_entries = 0
        site(http).stream_runs.max_bytes = 0
        yield http


def site(client: test_utils.TestClient) -> PublicSite:
    return client.app[SITE_KEY]


async def answer(
    client: test_utils.TestClient, path: str
) -> tuple[bytes, CIMultiDictProxy[str]]:
    response = await client.get(path)
    assert response.status == 200, await response.text()
    return await response.read(), response.headers


COMPLETE = [  # all their events are written
    "/api/v1/stream",  # 1-100: one run
    "/api/v1/stream?after=57",  # 58-157: across two runs
    f"/api/v1/stream?after={RUN}&limit=1",  # 101: from a run
    # These reach into the newest run (201-230), not complete yet: read as before.
    "/api/v1/stream?after=3&limit=199",  # 4-202
    f"/api/v1/stream?after={EVENTS - 100}",  # 131-230: ends at the head, no next
]
OPEN = [f"/api/v1/stream?after={EVENTS - 99}", f"/api/v1/stream?after={EVENTS}",
        f"/api/v1/stream?after={EVENTS + 5}"]


@pytest.mark.parametrize("path", COMPLETE + OPEN)
async def test_pages_are_the_plain_answers_with_the_same_headers(
    served: test_utils.TestClient, plain: test_utils.TestClient, path: str
) -> None:
    body, headers = await answer(served, path)
    again, _ = await answer(served, path)
    expected, expected_headers = await answer(plain, path)
    assert body == again == expected
    assert headers["ETag"] == expected_headers["ETag"]
    assert headers["ETag"].startswith('"') and headers["ETag"].endswith('"')  # strong
    # Not "immutable": erasure changes old pages, and each answer carries the head.
    assert headers["Cache-Control"] == expected_headers["Cache-Control"] == "public, max-age=60"
    assert headers["Content-Type"] == expected_headers["Content-Type"]
    assert json.loads(body)["head"] == EVENTS


async def test_complete_pages_come_from_the_runs(served: test_utils.TestClient) -> None:
    assert len(site(served).stream_runs) == 0
    for path in COMPLETE:
        await answer(served, path)
    assert len(site(served).stream_runs) == 2  # 1-100 and 101-200; 201-230 is not complete
    page = json.loads((await answer(served, "/api/v1/stream?after=57"))[0])
    assert [event["seq"] for event in page["events"]] == list(range(58, 158))
    assert page["events"] == await stream.events_after(57, 100)  # the text says what the rows say
    assert page["next"] == "/api/v1/stream?after=157&limit=100"
    assert (await stream.verify(await stream.events_after(0, EVENTS))).ok


async def test_a_known_page_gets_304(served: test_utils.TestClient) -> None:
    path = "/api/v1/stream?after=57"
    _, headers = await answer(served, path)
    response = await served.get(path, headers={"If-None-Match": headers["ETag"]})
    assert response.status == 304
    assert response.headers["ETag"] == headers["ETag"]
    assert await response.read() == b""
    changed = await served.get(path, headers={"If-None-Match": '"something-else"'})
    assert changed.status == 200


async def test_erasure_reaches_cached_pages_on_every_server(
    served: test_utils.TestClient, reviews: list[Review]
) -> None:
    path = "/api/v1/stream?after=57"
    erased = reviews[99]  # seq 100, in the middle of the page
    async with public_client() as other:  # another process on the same database
        before = [await answer(client, path) for client in (served, other)]
        assert before[0][0] == before[1][0]
        assert len(site(served).stream_runs) == len(site(other).stream_runs) == 2
        await review_seed.retract(erased)  # as /deleteme does it
        for client in (served, other):
            body, headers = await answer(client, path)
            page = json.loads(body)
            assert page["events"][42]["subject"] == f"review:{erased.id}"
            assert page["events"][42]["payload"] is None
            assert page["events"][41]["payload"] is not None
            assert page["head"] == EVENTS + 1
            assert headers["ETag"] != before[0][1]["ETag"]
    served_pages = [json.loads((await answer(served, f"/api/v1/stream?after={after}"))[0])
                    for after in range(0, EVENTS + 1, 100)]
    assert (await stream.verify([e for page in served_pages for e in page["events"]])).ok


async def test_the_open_page_follows_the_head(
    served: test_utils.TestClient, reviews: list[Review]
) -> None:
    path = f"/api/v1/stream?after={EVENTS - 10}"
    first, headers = await answer(served, path)
    assert json.loads(first)["next"] is None
    assert len(json.loads(first)["events"]) == 10
    await review_seed.publish(await review_seed.facility("linde", "Linde"), 5)
    later, later_headers = await answer(served, path)
    page: dict[str, Any] = json.loads(later)
    assert len(page["events"]) == 11
    assert page["head"] == EVENTS + 1
    assert later_headers["ETag"] != headers["ETag"]
    assert later_headers["Cache-Control"] == "public, max-age=60"


async def test_runs_are_bounded_in_bytes(served: test_utils.TestClient) -> None:
    await answer(served, "/api/v1/stream")
    one_run = site(served).stream_runs.kept_bytes
    site(served).stream_runs.max_bytes = one_run + one_run // 2
    for path in COMPLETE:
        await answer(served, path)
    assert len(site(served).stream_runs) == 1
    assert site(served).stream_runs.kept_bytes <= site(served).stream_runs.max_bytes
