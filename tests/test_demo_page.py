"""The demo page's server without a browser: live events, tappable words, the favicon, the
platform moderator."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.demo.rendering import entities_html, with_tappable
from bot.demo.runner import Demo, DemoOptions


@pytest.fixture
async def demo(database_url: str) -> AsyncIterator[Demo]:
    """The demo in this process, on the test database."""
    running = Demo(DemoOptions(port=0, fresh=True, database_url=database_url))
    await running.start()
    yield running
    await running.stop()


def _root(demo: Demo) -> str:
    return demo.url.removesuffix("/demo")


async def _first_event(response: aiohttp.ClientResponse) -> bytes:
    while True:
        line = await asyncio.wait_for(response.content.readline(), 10)
        if line.startswith(b"data: "):
            return line


async def test_a_closed_or_reloaded_tab_leaves_no_traceback(
    demo: Demo, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with aiohttp.ClientSession() as session:
        for _ in range(3):  # open, reload, reload
            events = await session.get(f"{_root(demo)}/demo/api/events")
            assert events.headers["Content-Type"].startswith("text/event-stream")
            assert (await _first_event(events)).startswith(b"data: ")
            events.close()
        for _ in range(3):  # something changes: the streams of the closed tabs notice it
            demo.tg.signal.notify()
            await asyncio.sleep(0.2)
        still_open = await session.get(f"{_root(demo)}/demo/api/events")
        await _first_event(still_open)
        await demo.stop()  # and the demo stops while a tab listens: its stream ends
        await asyncio.wait_for(still_open.content.read(), 5)  # to its end, not a time-out
        still_open.close()
    tracebacks = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert tracebacks == [], [r.getMessage() for r in tracebacks]


async def test_mira_publishes_annas_held_rating_and_the_public_page_shows_it(
    demo: Demo,
) -> None:
    assert "mira" in demo.cast.personas
    assert demo.home.invite_link is not None
    anna, mira = demo.cast.anna, demo.cast.moderator
    await anna.send(f"/start {demo.home.invite_link.rsplit('=', 1)[1]}")
    await anna.wait_for("Which language")
    await anna.press("English")
    await anna.wait_for("Do you agree?")
    await anna.press("Yes, I agree")
    await anna.wait_for("You are now connected with Frau M.")

    await anna.send("/rate")
    await anna.wait_for("overall?")
    await anna.press("5 ★")
    for number in range(1, 6):
        await anna.wait_for(f"Question {number} of 5")
        await anna.press("Skip")
    await anna.wait_for("Would you like to add a comment?")
    await anna.send("Mama blüht hier richtig auf! Fragen gern an mich: 0171 1234567")
    await anna.wait_for("Who should read your rating?")
    await anna.press("Publish under a pseudonym")
    await anna.wait_for("Your rating of Haus Sonnenhof:")
    await anna.press("Send")
    await anna.wait_for("a moderator checks your comment")

    held = await mira.wait_for("A rating of Haus Sonnenhof waits for moderation.", timeout=10)
    assert "a phone number" in held.text  # in Mira's language, English here
    await mira.press("Publish")
    await mira.wait_for("✓ Published.")
    await anna.wait_for("checked and is now published", timeout=10)
    async with aiohttp.ClientSession() as session:
        public = await session.get(f"{_root(demo)}/facilities/{demo.home.slug}")
        assert "blüht hier richtig auf" in await public.text()


def test_commands_and_links_in_the_bots_html_are_tappable() -> None:
    text = "Send /visit or /events@heimbote_demo_bot. See https://example.org/x and /privacy."
    bold = {"type": "bold", "offset": 0, "length": 4}
    code = {"type": "code", "offset": 73, "length": 8}  # "/privacy" as code: not tappable
    entities = with_tappable(text, [bold, code])
    assert [e["type"] for e in entities] == ["bold", "code", "bot_command", "bot_command", "url"]
    shown = entities_html(text, entities)
    assert 'data-command="/visit"' in shown
    assert 'data-command="/events"' in shown  # "@bot" is not sent along
    assert '<a href="https://example.org/x" target="_blank"' in shown
    assert 'data-command="/privacy"' not in shown
