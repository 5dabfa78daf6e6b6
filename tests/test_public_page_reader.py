"""Issue 14, the public page as a reader meets it: any ?lang=, one rounding, address, pseudonyms."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import AsyncIterator
from typing import Any

import feedparser
import pytest
from aiohttp import test_utils

from bot.domain.stars import full_stars, one_decimal, star_row
from bot.i18n import translator
from bot.services.report.text import decimal
from tests import review_seed
from tests.public_server import public_client


@pytest.fixture
async def client(db: str, now: dt.datetime) -> AsyncIterator[test_utils.TestClient]:
    home = await review_seed.facility()
    home.contact = "Haus Sonnenhof\nSonnenweg 12\n10115 Berlin\nTelefon 030 123456"
    await home.save()
    for stars in (4, 4, 4, 5):  # a mean of 4.25
        await review_seed.publish(home, stars, published_at=review_seed.this_month(now, 0.5),
                                  pseudonym="Angehörige/r 3828")
    async with public_client(public_url="https://bewertungen.example") as http:
        yield http


async def text_of(client: test_utils.TestClient, path: str, **headers: str) -> str:
    response = await client.get(path, headers=headers)
    assert response.status == 200, await response.text()
    return await response.text()


def json_ld(html: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/ld\+json">\s*(.*?)\s*</script>', html, re.S)
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


@pytest.mark.parametrize(("query", "headers", "locale"), [
    ("?lang=tlh", {}, "de"),  # the home's own language
    ("?lang=tlh", {"Accept-Language": "en-GB"}, "en"),  # the browser's language next
    ("?lang=en-US", {}, "en"),
    ("?lang=", {}, "de"),
])
async def test_an_unsupported_language_falls_back_to_an_html_page(
    client: test_utils.TestClient, query: str, headers: dict[str, str], locale: str
) -> None:
    response = await client.get(f"/facilities/sonnenhof{query}", headers=headers)
    assert response.status == 200
    assert response.content_type == "text/html"
    html = await response.text()
    assert f'<html lang="{locale}">' in html
    assert ("Bewertungen von Haus Sonnenhof" if locale == "de"
            else "Reviews of Haus Sonnenhof") in html


async def test_the_feed_falls_back_too(client: test_utils.TestClient) -> None:
    response = await client.get("/facilities/sonnenhof/feed.atom?lang=tlh")
    assert response.status == 200
    assert response.content_type == "application/atom+xml"
    feed: Any = feedparser.parse(await response.read())
    assert not feed.bozo
    assert feed.feed.title == "Bewertungen von Haus Sonnenhof"


def test_one_rounding_for_every_mean() -> None:
    assert (str(one_decimal(4.25)), full_stars(4.25), star_row(4.25)) == ("4.2", 4, "★★★★☆")
    assert (str(one_decimal(4.5)), full_stars(4.5), star_row(4.5)) == ("4.5", 5, "★★★★★")
    assert (str(one_decimal(4.35)), full_stars(4.44), full_stars(4.46)) == ("4.4", 4, 5)
    assert (full_stars(0.2), full_stars(5.0)) == (0, 5)
    # the quality report says the same number as the page
    assert decimal(translator("de"), 4.25) == "4,2"
    assert decimal(translator("en"), 4.25) == "4.2"


async def test_the_page_shows_a_mean_of_4_25_as_4_2_and_four_stars(
    client: test_utils.TestClient,
) -> None:
    html = await text_of(client, "/facilities/sonnenhof?lang=de")
    summary = re.search(r'<p class="summary">(.*?)</p>', html, re.S)
    assert summary is not None
    assert '<span class="big">4,2</span>' in summary.group(1)
    assert "★★★★☆" in summary.group(1) and "4,2 von 5 Sternen" in summary.group(1)
    assert json_ld(html)["aggregateRating"]["ratingValue"] == 4.2


async def test_a_mean_of_4_5_shows_five_full_stars(db: str, now: dt.datetime) -> None:
    home = await review_seed.facility()
    for stars in (4, 5):
        await review_seed.publish(home, stars, published_at=review_seed.this_month(now, 0.5))
    async with public_client() as http:
        html = await text_of(http, "/facilities/sonnenhof?lang=en")
    summary = re.search(r'<p class="summary">(.*?)</p>', html, re.S)
    assert summary is not None
    assert '<span class="big">4.5</span>' in summary.group(1) and "★★★★★" in summary.group(1)


async def test_the_json_ld_names_the_homes_address_when_known(
    client: test_utils.TestClient,
) -> None:
    data = json_ld(await text_of(client, "/facilities/sonnenhof?lang=de"))
    assert data["@type"] == "LocalBusiness"
    assert data["address"] == {"@type": "PostalAddress", "streetAddress": "Sonnenweg 12",
                               "postalCode": "10115", "addressLocality": "Berlin"}


async def test_without_an_address_the_json_ld_has_none(db: str, now: dt.datetime) -> None:
    home = await review_seed.facility()
    home.contact = "Telefon 030 123456, Mo–Fr 9–17 Uhr"
    await home.save()
    async with public_client() as http:
        data = json_ld(await text_of(http, "/facilities/sonnenhof"))
    assert "address" not in data


async def test_pseudonyms_speak_the_readers_language(client: test_utils.TestClient) -> None:
    english = await text_of(client, "/facilities/sonnenhof?lang=en")
    assert "Relative 3828" in english and "Angehörige/r 3828" not in english
    assert {r["author"]["name"] for r in json_ld(english)["review"]} == {"Relative 3828"}
    german = await text_of(client, "/facilities/sonnenhof?lang=de")
    assert "Angehörige/r 3828" in german
    feed: Any = feedparser.parse(
        (await text_of(client, "/facilities/sonnenhof/feed.atom?lang=en")).encode())
    assert all(entry.title.endswith("· Relative 3828") for entry in feed.entries)
