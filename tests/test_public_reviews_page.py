"""A facility's page of reviews, read as plain rows, is the public shape the stream publishes."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
from aiohttp import test_utils

from bot.models.reviews import Review, ReviewReply
from bot.services.reviews import public as public_reviews
from bot.services.stream.events import public_review
from tests import review_seed
from tests.public_server import public_client

NOW = dt.datetime.now(dt.UTC)


@pytest.fixture
async def client(db: str) -> AsyncIterator[test_utils.TestClient]:
    async with public_client() as http:
        yield http


async def test_every_page_is_the_public_shape_of_the_models(
    client: test_utils.TestClient,
) -> None:
    home = await review_seed.facility()
    other = await review_seed.facility("linde", "Linde")
    for n in range(9):
        review = await review_seed.publish(
            home, 1 + n % 5, comment="" if n % 3 else f"Kommentar {n} – gut",
            response="Danke." if n == 4 else "", care=n % 5 + 1 if n % 2 else None,
            published_at=NOW - dt.timedelta(hours=n // 2, microseconds=n),  # ties, microseconds
        )
        if n % 4 == 1:
            await review_seed.reply(review, f"Antwort {n}")
    await review_seed.publish(other, 3)
    await review_seed.retract((await Review.filter(facility_id=home.id).order_by("id"))[2])

    expected = []
    for review in await Review.filter(facility_id=home.id, state="published").order_by(
        "-published_at", "-id"
    ):
        reply = await ReviewReply.get_or_none(review_id=review.id)
        expected.append(public_review(review, home.slug, reply))
    seen = []
    path: str | None = "/api/v1/facilities/sonnenhof/reviews?limit=4"
    while path:
        response = await client.get(path)
        assert response.status == 200
        page = await response.json()
        seen += page["reviews"]
        path = page["next"]
    assert seen == expected
    assert len(seen) == 8
    assert any(item["reply"] for item in seen)

    by_model = await public_reviews.reviews_page(home, None, 100)
    assert by_model.items == expected
    assert by_model.next_cursor is None
    assert (await public_reviews.facility_reviews_page("linde", None, 20)).items[0]["overall"] == 3


async def test_unknown_facility_before_bad_cursor(client: test_utils.TestClient) -> None:
    await review_seed.facility()
    assert (await client.get("/api/v1/facilities/nirgends/reviews?cursor=!!")).status == 404
    assert (await client.get("/api/v1/facilities/sonnenhof/reviews?cursor=!!")).status == 400
    empty = await client.get("/api/v1/facilities/sonnenhof/reviews")
    assert await empty.json() == {"reviews": [], "next": None}
