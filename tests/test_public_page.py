"""The public review page and the Atom feed, as a visitor and a feed reader get them."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import AsyncIterator
from html.parser import HTMLParser
from typing import Any

import feedparser
import pytest
from aiohttp import test_utils

from tests import review_seed
from tests.public_server import public_client

pytestmark = pytest.mark.calendar  # run at every instant of tests.conftest.CLOCKS

TRANSPARENCY = {
    "de": ["Wie diese Bewertungen entstehen", "Bewerten können hier nur Angehörige",
           "Auch negative Bewertungen werden veröffentlicht",
           "Das Heim kann keine Bewertung löschen oder ändern", "heimbote stream verify"],
    "en": ["How these reviews come about", "Only relatives can write a review here",
           "Negative ratings are published too", "The home cannot delete or change a review",
           "heimbote stream verify"],
}


@pytest.fixture
async def client(db: str, now: dt.datetime) -> AsyncIterator[test_utils.TestClient]:
    home = await review_seed.facility()
    praised = await review_seed.publish(
        home, 4, comment="Sehr freundlich.\n</script><b>Danke</b>", care=5, food=3,
        published_at=review_seed.last_month(now),
    )
    await review_seed.publish(home, 1, comment="Zu wenig Personal", staff=1,
                              response="Wir stellen zwei Pflegekräfte ein.",
                              pseudonym="Angehörige/r B2C4",
                              published_at=review_seed.this_month(now, 1 / 3))
    await review_seed.reply(praised, "Herzlichen Dank!")
    gone = await review_seed.publish(home, 5, comment="Mein Name ist Erika Muster",
                                     published_at=review_seed.this_month(now, 2 / 3))
    await review_seed.retract(gone)
    async with public_client(public_url="https://bewertungen.example") as http:
        yield http


async def page(client: test_utils.TestClient, path: str = "/facilities/sonnenhof",
               **headers: str) -> str:
    response = await client.get(path, headers=headers)
    assert response.status == 200, await response.text()
    assert response.content_type == "text/html"
    return await response.text()


class Structure(HTMLParser):
    """What the accessibility and JSON-LD checks need from a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[str | None, str]] = []
        self._script_type: str | bool | None = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script_type = dict(attrs).get("type")

    def handle_data(self, data: str) -> None:
        if self._script_type is not False:
            self.scripts.append((self._script_type, data))  # type: ignore[arg-type]

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script_type = False


def parsed(html: str) -> Structure:
    structure = Structure()
    structure.feed(html)
    return structure


@pytest.mark.parametrize(("headers", "query", "locale"), [
    ({"Accept-Language": "de-DE,de;q=0.9,en;q=0.8"}, "", "de"),
    ({"Accept-Language": "en-GB,en;q=0.9"}, "", "en"),
    ({"Accept-Language": "fr-FR, en;q=0.5"}, "", "en"),
    ({}, "", "de"),  # the facility's own language
    ({"Accept-Language": "de-DE"}, "?lang=en", "en"),
])
async def test_the_page_speaks_the_visitors_language(
    client: test_utils.TestClient, headers: dict[str, str], query: str, locale: str
) -> None:
    html = await page(client, f"/facilities/sonnenhof{query}", **headers)
    assert f'<html lang="{locale}">' in html
    for sentence in TRANSPARENCY[locale]:
        assert sentence in html
    other = "en" if locale == "de" else "de"
    assert TRANSPARENCY[other][0] not in html


async def test_the_page_shows_figures_reviews_and_answers(client: test_utils.TestClient) -> None:
    html = await page(client, "/facilities/sonnenhof?lang=de")
    assert "Bewertungen von Haus Sonnenhof" in html
    assert "3,3" in html and "3 Bewertungen" in html  # retracted stars still count
    assert "Bestätigte/r Angehörige/r" in html
    assert "Pflege" in html and "Essen &amp; Trinken" in html
    assert "Wir stellen zwei Pflegekräfte ein." in html and "Antwort des Heims" in html
    assert "Herzlichen Dank!" in html and "Stellungnahme des Heims" in html
    assert "Erika" not in html  # retracted: the text is not served
    assert "&lt;/script&gt;&lt;b&gt;Danke&lt;/b&gt;" in html  # escaped, not markup
    english = await page(client, "/facilities/sonnenhof?lang=en")
    assert "3.3" in english and "Verified relative" in english and "Food &amp; drink" in english
    assert "Relative B2C4" in english and "Angehörige/r" not in english  # the reader's language


async def test_the_trend_chart_is_an_accessible_svg(client: test_utils.TestClient) -> None:
    html = await page(client, "/facilities/sonnenhof?lang=de")
    structure = parsed(html)
    (svg,) = [attrs for tag, attrs in structure.tags if tag == "svg"]
    assert svg["role"] == "img" and svg["aria-labelledby"]
    assert html.count("<rect") == 2  # two months with reviews
    labels = re.findall(r'font-size="10"[^>]*>([^<]+)</text>', html)
    assert len(labels) == 12
    assert "<summary>Als Tabelle zeigen</summary>" in html


async def test_the_page_is_accessible_without_javascript(client: test_utils.TestClient) -> None:
    html = await page(client, "/facilities/sonnenhof?lang=en")
    structure = parsed(html)
    assert all(kind == "application/ld+json" for kind, _ in structure.scripts)
    assert ('meta', {"name": "viewport", "content": "width=device-width, initial-scale=1"}) in (
        structure.tags
    )
    for tag, attrs in structure.tags:
        if tag in ("meter", "nav"):
            assert attrs.get("aria-label"), tag
    assert "5 of 5 stars" in html  # stars are read out, not only drawn


async def test_the_json_ld_parses_as_schema_org(client: test_utils.TestClient) -> None:
    structure = parsed(await page(client))
    (data,) = [json.loads(text) for kind, text in structure.scripts]
    assert data["@context"] == "https://schema.org"
    assert data["url"] == "https://bewertungen.example/facilities/sonnenhof"
    assert data["aggregateRating"] == {
        "@type": "AggregateRating", "ratingValue": 3.3, "reviewCount": 3,
        "bestRating": 5, "worstRating": 1,
    }
    assert [r["reviewRating"]["ratingValue"] for r in data["review"]] == [1, 4]
    assert data["review"][1]["reviewBody"] == "Sehr freundlich.\n</script><b>Danke</b>"


async def test_an_unknown_facility_is_a_404_page(client: test_utils.TestClient) -> None:
    response = await client.get("/facilities/nowhere", headers={"Accept-Language": "de"})
    assert response.status == 404
    assert "Unter dieser Adresse gibt es kein Pflegeheim" in await response.text()


async def test_older_reviews_are_on_the_next_page(db: str, now: dt.datetime) -> None:
    home = await review_seed.facility()
    for n in range(23):
        await review_seed.publish(home, 1 + n % 5, comment=f"Bewertung Nummer {n}",
                                  published_at=now - dt.timedelta(hours=n))
    async with public_client() as client:
        first = await page(client, "/facilities/sonnenhof?lang=de")
        assert first.count('class="review"') == 20
        older = re.search(r'<a href="([^"]+)" rel="next">Ältere Bewertungen</a>', first)
        assert older is not None
        second = await page(client, older.group(1).replace("&amp;", "&"))
        assert second.count('class="review"') == 3
        assert "Bewertung Nummer 22" in second and "Bewertung Nummer 0" not in second
        assert 'rel="next"' not in second


async def test_the_feed_is_valid_atom(client: test_utils.TestClient) -> None:
    response = await client.get("/facilities/sonnenhof/feed.atom?lang=de")
    assert response.status == 200
    assert response.content_type == "application/atom+xml"
    feed: Any = feedparser.parse(await response.read())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "Bewertungen von Haus Sonnenhof"
    assert feed.feed.link == "https://bewertungen.example/facilities/sonnenhof?lang=de"
    titles = [entry.title for entry in feed.entries]
    assert titles == ["1 von 5 Sternen · Angehörige/r B2C4", "4 von 5 Sternen · Angehörige/r A7F3"]
    complaint, praised = feed.entries
    assert "Antwort des Heims: Wir stellen zwei Pflegekräfte ein." in complaint.summary
    assert "Stellungnahme des Heims: Herzlichen Dank!" in praised.summary
    assert "</script><b>Danke</b>" in praised.summary
    assert praised.id == "https://bewertungen.example/facilities/sonnenhof#review-1"
    assert all("Erika" not in entry.summary for entry in feed.entries)


async def test_a_forged_host_header_does_not_reach_pages_or_feeds(db: str) -> None:
    home = await review_seed.facility()
    await review_seed.publish(home, 5)
    async with public_client() as http:
        for path in ("/facilities/sonnenhof", "/facilities/sonnenhof/feed.atom", "/openapi.json"):
            response = await http.get(path, headers={"Host": "evil.example"})
            assert response.status == 200
            assert "evil.example" not in await response.text()


async def test_pages_and_answers_carry_the_security_headers(db: str) -> None:
    await review_seed.facility()
    async with public_client() as http:
        for path in ("/facilities/sonnenhof", "/api/v1/facilities", "/facilities/nowhere"):
            headers = (await http.get(path)).headers
            assert headers["X-Content-Type-Options"] == "nosniff"
            assert headers["X-Frame-Options"] == "DENY"
            policy = headers["Content-Security-Policy"]
            assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
