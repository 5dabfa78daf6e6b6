"""The public JSON API over HTTP: shapes, pagination, caching, errors, the live stream."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import AsyncIterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiohttp import ClientSession, test_utils
from openapi_spec_validator import validate

from bot.services.reviews.public import month_starts
from bot.services.stream import events as stream
from bot.web.cache import ResponseCache
from tests import review_seed
from tests.public_server import public_client

pytestmark = pytest.mark.calendar  # run at every instant of tests.conftest.CLOCKS


@pytest.fixture
async def client(db: str) -> AsyncIterator[test_utils.TestClient]:
    async with public_client() as http:
        yield http


async def get_json(client: test_utils.TestClient, path: str, status: int = 200) -> Any:
    response = await client.get(path)
    assert response.status == status, await response.text()
    assert response.content_type == "application/json"
    return await response.json()


async def seed_sonnenhof(now: dt.datetime) -> list[Any]:
    """One review last month, two this month (by Berlin's calendar, whatever day ``now`` is)."""
    home = await review_seed.facility()
    reviews = [
        await review_seed.publish(home, 4, comment="Sehr freundlich", care=5, food=3,
                                  published_at=review_seed.last_month(now)),
        await review_seed.publish(home, 1, comment="Zu wenig Personal", staff=1,
                                  response="Wir stellen ein.", pseudonym="Angehörige/r B2",
                                  published_at=review_seed.this_month(now, 1 / 3)),
        await review_seed.publish(home, 5, published_at=review_seed.this_month(now, 2 / 3)),
    ]
    await review_seed.reply(reviews[0], "Danke für Ihre Worte!")
    return reviews


async def test_facility_figures(client: test_utils.TestClient, now: dt.datetime) -> None:
    reviews = await seed_sonnenhof(now)
    await review_seed.retract(reviews[2])  # its stars stay in the figures
    figures = await get_json(client, "/api/v1/facilities/sonnenhof")
    assert figures["review_count"] == 3
    assert figures["mean_overall"] == round(10 / 3, 2)
    assert figures["distribution"] == {"5": 1, "4": 1, "3": 0, "2": 0, "1": 1}
    assert figures["categories"]["care"] == {"mean": 5.0, "count": 1}
    assert figures["categories"]["activities"] == {"mean": None, "count": 0}
    assert len(figures["months"]) == 12
    assert sum(m["count"] for m in figures["months"]) == 3
    this_month = now.astimezone(ZoneInfo("Europe/Berlin")).strftime("%Y-%m")
    assert figures["months"][-1] == {"month": this_month, "count": 2, "mean": 3.0}
    assert figures["links"]["reviews"] == "/api/v1/facilities/sonnenhof/reviews"


async def test_reviews_newest_first_without_retracted_ones(
    client: test_utils.TestClient, now: dt.datetime
) -> None:
    reviews = await seed_sonnenhof(now)
    await review_seed.retract(reviews[2])
    page = await get_json(client, "/api/v1/facilities/sonnenhof/reviews")
    assert [r["overall"] for r in page["reviews"]] == [1, 4]
    assert page["next"] is None
    complaint, praised = page["reviews"]
    assert complaint["response"] == "Wir stellen ein."
    assert complaint["verified_relative"] is True
    assert praised["reply"]["text"] == "Danke für Ihre Worte!"
    assert set(praised) == {
        "review_id", "facility", "overall", "categories", "comment", "reviewer",
        "verified_relative", "published_at", "response", "reply",
    }


async def test_review_pages_follow_the_cursor(
    client: test_utils.TestClient, now: dt.datetime
) -> None:
    home = await review_seed.facility()
    same_moment = now - dt.timedelta(hours=1)  # ties are ordered by id
    for n in range(7):
        await review_seed.publish(home, 1 + n % 5, published_at=same_moment
                                  if n < 4 else now - dt.timedelta(minutes=n))
    seen: list[int] = []
    path: str | None = "/api/v1/facilities/sonnenhof/reviews?limit=3"
    while path:
        page = await get_json(client, path)
        assert len(page["reviews"]) <= 3
        seen += [r["review_id"] for r in page["reviews"]]
        path = page["next"]
    assert len(seen) == len(set(seen)) == 7


async def test_the_facility_list_is_paginated(client: test_utils.TestClient) -> None:
    for slug in ("ahorn", "birke", "eiche"):
        await review_seed.facility(slug, slug.title())
    await review_seed.publish(await review_seed.facility("linde", "Linde"), 4)
    first = await get_json(client, "/api/v1/facilities?limit=3")
    assert [f["slug"] for f in first["facilities"]] == ["ahorn", "birke", "eiche"]
    assert first["facilities"][0]["review_count"] == 0
    second = await get_json(client, first["next"])
    assert second == {
        "facilities": [{"slug": "linde", "name": "Linde", "review_count": 1,
                        "mean_overall": 4.0, "url": "/api/v1/facilities/linde"}],
        "next": None,
    }


async def test_the_stream_is_paginated_and_verifiable(
    client: test_utils.TestClient, now: dt.datetime
) -> None:
    await seed_sonnenhof(now)
    first = await get_json(client, "/api/v1/stream?limit=3")
    assert [e["seq"] for e in first["events"]] == [1, 2, 3]
    assert first["head"] == 4
    second = await get_json(client, first["next"])
    assert [e["seq"] for e in second["events"]] == [4]
    assert second["next"] is None
    assert (await stream.verify(first["events"] + second["events"])).ok
    assert (await get_json(client, "/api/v1/stream?after=4"))["events"] == []


async def test_every_public_get_has_an_etag_and_answers_304(
    client: test_utils.TestClient, now: dt.datetime
) -> None:
    await seed_sonnenhof(now)
    for path in ("/api/v1/stream", "/api/v1/facilities", "/api/v1/facilities/sonnenhof",
                 "/api/v1/facilities/sonnenhof/reviews", "/openapi.json",
                 "/facilities/sonnenhof", "/facilities/sonnenhof/feed.atom"):
        response = await client.get(path)
        assert response.status == 200, path
        etag = response.headers["ETag"]
        assert response.headers["Cache-Control"].startswith("public, max-age=")
        again = await client.get(path, headers={"If-None-Match": etag})
        assert again.status == 304, path
        assert await again.read() == b""
        other = await client.get(path, headers={"If-None-Match": '"something-else"'})
        assert other.status == 200, path


async def test_a_new_review_changes_the_etag(client: test_utils.TestClient) -> None:
    home = await review_seed.facility()
    before = (await client.get("/api/v1/facilities/sonnenhof")).headers["ETag"]
    await review_seed.publish(home, 3)
    response = await client.get("/api/v1/facilities/sonnenhof", headers={"If-None-Match": before})
    assert response.status == 200
    assert response.headers["ETag"] != before


@pytest.mark.parametrize("path", [
    "/api/v1/stream?after=-1",
    "/api/v1/stream?after=abc",
    "/api/v1/stream?limit=0",
    "/api/v1/stream?limit=1001",
    "/api/v1/facilities?limit=x",
    "/api/v1/facilities?cursor=***",
    "/api/v1/facilities/sonnenhof/reviews?cursor=bm90IGEgY3Vyc29y",
    "/api/v1/facilities/sonnenhof/reviews?limit=101",
    "/api/v1/stream/live?after=x",
])
async def test_bad_parameters_are_a_400_with_a_json_error(
    client: test_utils.TestClient, path: str
) -> None:
    await review_seed.facility()
    error = await get_json(client, path, status=400)
    assert error["error"] == "bad_parameter"
    assert error["parameter"] in path and error["detail"]


@pytest.mark.parametrize("path", [
    "/api/v1/facilities/nowhere", "/api/v1/facilities/nowhere/reviews",
    "/facilities/nowhere/feed.atom",
])
async def test_an_unknown_slug_is_a_404(client: test_utils.TestClient, path: str) -> None:
    error = await get_json(client, path, status=404)
    assert error == {"error": "not_found", "detail": "no facility 'nowhere'"}


async def test_the_openapi_document_is_valid_and_names_every_route(
    client: test_utils.TestClient,
) -> None:
    document = await get_json(client, "/openapi.json")
    validate(document)
    documented = set(document["paths"])
    served = {
        route.resource.canonical for route in client.app.router.routes()  # type: ignore[union-attr]
        if route.method == "GET" and route.resource is not None
    } - {"/healthz", "/metrics"}
    assert documented == served
    assert document["servers"] == [{"url": str(client.make_url("")).rstrip("/")}]


async def read_events(response: Any, count: int) -> list[dict[str, Any]]:
    """Parse ``count`` events of a text/event-stream response."""
    events: list[dict[str, Any]] = []
    fields: dict[str, str] = {}
    while len(events) < count:
        line = (await asyncio.wait_for(response.content.readline(), 10)).decode().rstrip("\n")
        if not line:
            if "data" in fields:
                events.append({"id": fields["id"], "event": fields["event"],
                               "data": json.loads(fields["data"])})
            fields = {}
        elif not line.startswith(":"):
            name, _, value = line.partition(": ")
            fields[name] = value
    return events


async def test_the_live_stream_sends_new_events_and_resumes(db: str) -> None:
    home = await review_seed.facility()
    await review_seed.publish(home, 4)
    async with public_client() as client:
        async with ClientSession() as session:
            live = await session.get(client.make_url("/api/v1/stream/live"))
            assert live.headers["Content-Type"].startswith("text/event-stream")
            await review_seed.publish(home, 2)  # only new events come without a position
            (first,) = await read_events(live, 1)
            assert (first["id"], first["event"], first["data"]["seq"]) == (
                "2", "review.published", 2)
            live.close()
            await review_seed.publish(home, 5)
            await review_seed.publish(home, 3)
            resumed = await session.get(client.make_url("/api/v1/stream/live"),
                                        headers={"Last-Event-ID": "2"})
            events = await read_events(resumed, 2)
            assert [e["data"]["seq"] for e in events] == [3, 4]
            assert (await stream.verify(
                [*(await stream.events_after(0, 2)), *(e["data"] for e in events)])).ok
            resumed.close()
            from_start = await session.get(client.make_url("/api/v1/stream/live?after=0"))
            assert [e["id"] for e in await read_events(from_start, 4)] == ["1", "2", "3", "4"]
            from_start.close()


async def test_the_live_stream_ends_when_the_server_stops(db: str) -> None:
    await review_seed.facility()
    async with public_client() as client:
        url = str(client.make_url("/api/v1/stream/live"))
        async with ClientSession() as session, session.get(url) as live:
            assert live.status == 200
            await asyncio.wait_for(client.close(), 10)  # does not wait for a time-out
            assert await asyncio.wait_for(live.content.read(), 5) == b"retry: 2000\n\n"


async def test_answers_are_reused_until_the_stream_moves(db: str) -> None:
    builds: list[str] = []

    def builder(key: str) -> Any:
        async def build() -> tuple[bytes, str]:
            builds.append(key)
            return f"{key}{len(builds)}".encode(), "text/plain"
        return build

    cache = ResponseCache(max_entries=2)
    first = await cache.get("a", builder("a"))
    assert (await cache.get("a", builder("a"))).etag == first.etag
    assert builds == ["a"]
    await stream.append("review.published", await review_seed.facility(), "review:1", {})
    assert (await cache.get("a", builder("a"))).body == b"a2"  # the head moved: built again
    await cache.get("b", builder("b"))
    await cache.get("c", builder("c"))  # only two are kept: "a" goes
    await cache.get("a", builder("a"))
    assert builds == ["a", "a", "b", "c", "a"]
    stale = ResponseCache(max_age=0.0)
    await stale.get("a", builder("a"))
    await stale.get("a", builder("a"))
    assert builds[-2:] == ["a", "a"]


def test_the_twelve_months_are_local_calendar_months() -> None:
    starts = month_starts(dt.datetime(2026, 1, 15, 12, tzinfo=dt.UTC), "Europe/Berlin")
    assert len(starts) == 13
    assert starts[0] == dt.datetime(2025, 1, 31, 23, tzinfo=dt.UTC)  # 1 February, Berlin
    assert starts[5] == dt.datetime(2025, 6, 30, 22, tzinfo=dt.UTC)  # 1 July, summer time
    assert starts[-2] == dt.datetime(2025, 12, 31, 23, tzinfo=dt.UTC)  # this month
    assert starts[-1] == dt.datetime(2026, 1, 31, 23, tzinfo=dt.UTC)  # its end


@pytest.mark.parametrize(("path", "status"), [
    ("/api/v1/facilities/" + "a" * 65, 404),  # longer than any slug: no query at all
    ("/api/v1/facilities/" + "a" * 65 + "/reviews", 404),
    ("/facilities/" + "a" * 65, 404),
    ("/facilities/" + "a" * 65 + "/feed.atom", 404),
    ("/facilities/Sonnen%20hof", 404),
    # A cursor naming review id 2**63 (base64url of "2026-01-01T00:00:00+00:00|9223372036854775808")
    ("/api/v1/facilities/sonnenhof/reviews?cursor="
     "MjAyNi0wMS0wMVQwMDowMDowMCswMDowMHw5MjIzMzcyMDM2ODU0Nzc1ODA4", 400),
])
async def test_what_no_facility_or_cursor_could_be_is_a_clean_404_or_400(
    client: test_utils.TestClient, path: str, status: int
) -> None:
    await review_seed.facility()
    response = await client.get(path)
    assert response.status == status
