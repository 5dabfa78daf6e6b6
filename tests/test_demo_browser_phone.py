"""The demo page in a real browser: on a 390×844 phone, switching personas, tapping /commands,
and Mira deciding a held rating so that the tour's rating step ends on the public page.

Headless Chromium (Debian's ``chromium``) driven by Playwright; screenshots go to
``test-artifacts/demo/``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, Page, Route, expect

from bot.demo.runner import Demo
from tests.test_demo_browser import (
    CHROMIUM,
    browser,
    chat,
    demo,
    play_as,
    snapshot,
    tap,
    type_message,
)

__all__ = ["browser", "demo"]  # fixtures, used by name

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)",
)
PHONE = {"width": 390, "height": 844}


@pytest.fixture
async def phone(browser: Browser, demo: Demo) -> AsyncIterator[Page]:
    """The demo page on a phone."""
    opened = await browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    await opened.goto(demo.url)
    yield opened
    await opened.close()


async def box(page: Page, selector: str) -> dict[str, float]:
    """Where an element is on the screen (at the current scroll)."""
    found = await page.locator(selector).first.bounding_box()
    assert found is not None, f"{selector} is not shown"
    return found


async def no_sideways_scrolling(page: Page) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide"


async def test_on_a_phone_the_chat_fits_the_screen_below_the_switcher(
    phone: Page, demo: Demo
) -> None:
    await expect(chat(phone)).to_contain_text("Follow the tour below the chat.")
    assert await phone.evaluate("window.scrollY") == 0
    composer, send = await box(phone, "#text"), await box(phone, "#send")
    assert composer["y"] + composer["height"] <= PHONE["height"]
    assert send["x"] + send["width"] <= PHONE["width"]
    switcher, messages = await box(phone, "#personas"), await box(phone, "#messages")
    assert switcher["y"] + switcher["height"] <= messages["y"], "the switcher is above the chat"
    for persona in ("anna", "ben", "carla", "team", "mira"):  # each in view, none hidden
        chip = await box(phone, f'.persona[data-persona="{persona}"]')
        assert chip["y"] + chip["height"] <= messages["y"]
        assert chip["x"] >= 0 and chip["x"] + chip["width"] <= PHONE["width"]
    tour = await box(phone, "#tour")
    assert tour["y"] >= messages["y"] + messages["height"], "the tour is below the chat"
    await no_sideways_scrolling(phone)
    await snapshot(phone, "phone-01-start")

    await play_as(phone, "carla")  # a chat with photos and buttons
    await expect(chat(phone)).to_contain_text("Singkreis am Nachmittag")
    await no_sideways_scrolling(phone)
    await snapshot(phone, "phone-02-carla")

    await phone.goto(f"{demo.url.removesuffix('/demo')}/facilities/{demo.home.slug}")
    await expect(phone.get_by_role("heading", name="Ratings by topic")).to_be_visible()
    await no_sideways_scrolling(phone)
    topics = phone.locator("section[aria-labelledby=categories] table").first
    found = await topics.bounding_box()
    assert found is not None and found["x"] + found["width"] <= PHONE["width"]
    await topics.scroll_into_view_if_needed()
    await snapshot(phone, "phone-03-review-page-topics")
    await phone.goto(f"{demo.url.removesuffix('/demo')}/facilities/{demo.home.slug}?lang=de")
    await expect(phone.get_by_role("heading", name="Bewertungen nach Bereich")).to_be_visible()
    await no_sideways_scrolling(phone)
    await topics.scroll_into_view_if_needed()
    found = await topics.bounding_box()
    assert found is not None and found["x"] + found["width"] <= PHONE["width"]
    await snapshot(phone, "phone-04-review-page-topics-de")


async def test_on_a_wide_screen_the_hint_points_to_the_right(browser: Browser, demo: Demo) -> None:
    page = await browser.new_page(viewport={"width": 1200, "height": 860})
    await page.goto(demo.url)
    await expect(chat(page)).to_contain_text("Follow the tour on the right.")
    chat_box, tour = await box(page, "#messages"), await box(page, "#tour")
    assert tour["x"] >= chat_box["x"] + chat_box["width"]
    await page.close()


async def at_the_newest_message(page: Page) -> bool:
    """Whether the chat shows its newest message (scrolled to its end)."""
    return bool(await page.evaluate(
        "(() => { const l = document.getElementById('messages');"
        " return l.scrollHeight - l.scrollTop - l.clientHeight < 2; })()"
    ))


async def test_after_switching_persona_the_newest_message_is_in_view(
    phone: Page, demo: Demo
) -> None:
    async def slow_photos(route: Route) -> None:  # photos arrive after the chat is drawn
        await asyncio.sleep(0.4)
        await route.continue_()

    await phone.route("**/demo/files/**", slow_photos)
    await play_as(phone, "ben")
    for _ in range(2):  # more than the screen holds
        await type_message(phone, "/help")
        await expect(chat(phone).locator(".row.in")).to_have_count(_ + 1)
    for persona in ("carla", "ben", "carla", "ben", "carla"):
        await play_as(phone, persona)
        await expect(chat(phone).locator(".row").first).to_be_visible()
        await phone.wait_for_function(
            "[...document.querySelectorAll('#messages img')].every(i => i.complete)"
        )
        await phone.wait_for_timeout(100)  # what the browser does after the images came
        assert await at_the_newest_message(phone), f"{persona}: the newest message is not shown"
    newest = chat(phone).locator(".row").last
    await expect(newest).to_be_in_viewport()
    await snapshot(phone, "phone-05-carla-newest-message")

    # Reading further up is not interrupted by someone's new message; one's own brings the
    # chat to its end, as in Telegram.
    await play_as(phone, "team")
    await phone.wait_for_timeout(300)
    before = await chat(phone).locator(".row").count()
    for number in range(12):
        await write_as(phone, "team", "Carla", f"Notiz {number}")
    await expect(chat(phone).locator(".row")).to_have_count(before + 12)
    await expect(chat(phone).locator(".row").last).to_be_in_viewport()
    await phone.evaluate("document.getElementById('messages').scrollTop = 0")
    await phone.wait_for_timeout(100)
    await write_as(phone, "team", "Ben", "Bin gleich da.")
    await expect(chat(phone).locator(".row")).to_have_count(before + 13)
    assert await phone.evaluate("document.getElementById('messages').scrollTop") < 50
    await type_message(phone, "Danke!")
    await expect(chat(phone).locator(".row")).to_have_count(before + 14)
    await expect(chat(phone).locator(".row").last).to_be_in_viewport()


async def write_as(page: Page, persona: str, speaker: str, text: str) -> None:
    """Someone writes in a chat (not typed on this page: as from another phone)."""
    status = await page.evaluate(
        """async ([persona, speaker, text]) => {
            const config = JSON.parse(document.getElementById("config").textContent);
            const response = await fetch("/demo/api/send", {method: "POST",
              headers: {"Content-Type": "application/json", "X-Demo-Token": config.token},
              body: JSON.stringify({persona, speaker, text})});
            return response.status;
        }""",
        [persona, speaker, text],
    )
    assert status == 200


async def test_a_tap_on_a_command_in_the_bots_message_sends_it(phone: Page) -> None:
    await play_as(phone, "carla")
    await type_message(phone, "/help")
    help_text = chat(phone).locator(".row", has_text="For the care team").last
    await expect(help_text).to_be_visible()
    command = help_text.locator("a.command", has_text="/visits")
    await expect(command).to_be_visible()
    await command.tap()
    await expect(chat(phone).locator(".row.out", has_text="/visits")).to_be_visible()
    await expect(chat(phone)).to_contain_text("Visits at Haus Sonnenhof")
    await snapshot(phone, "phone-06-carla-tapped-visits")


async def test_mira_publishes_a_held_rating_and_it_is_on_the_public_page(
    browser: Browser, demo: Demo
) -> None:
    page = await browser.new_page(viewport={"width": 1200, "height": 860})
    await page.goto(demo.url)
    await page.get_by_role("button", name="Open Anna's invite link").click()
    await tap(page, "English")
    await tap(page, "Yes, I agree")
    await expect(chat(page)).to_contain_text("You are now connected with Frau M.")

    await type_message(page, "/rate")
    await tap(page, "5 ★")
    for number in range(1, 6):
        await expect(chat(page)).to_contain_text(f"Question {number} of 5")
        await tap(page, "Skip")
    await expect(chat(page)).to_contain_text("Would you like to add a comment?")
    await type_message(page, "Mama blüht hier auf! Fragen gern an mich: 0171 1234567")
    await tap(page, "Publish under a pseudonym")
    await tap(page, "Send")
    await expect(chat(page)).to_contain_text("a moderator checks your comment")

    await expect(page.locator('.persona[data-persona="mira"] .badge')).to_be_visible()
    await play_as(page, "mira")
    await expect(chat(page)).to_contain_text("A rating of Haus Sonnenhof waits for moderation.")
    await expect(chat(page)).to_contain_text("Held because it contains: a phone number.")
    await snapshot(page, "21-mira-held-rating")
    await chat(page).locator(".keyboard button").get_by_text("Publish", exact=True).click()
    await expect(chat(page)).to_contain_text("✓ Published.")
    await play_as(page, "anna")
    await expect(chat(page)).to_contain_text("checked and is now published")

    async with page.context.expect_page() as opened:
        await page.get_by_role("link", name="Public review page of the home").click()
    public = await opened.value
    await expect(public.locator("body")).to_contain_text("Mama blüht hier auf!")
    await snapshot(public, "22-public-page-with-annas-rating")
    await page.close()


async def test_the_page_has_a_favicon(browser: Browser, demo: Demo) -> None:
    page = await browser.new_page()
    await page.goto(demo.url)
    icon = await page.locator("link[rel=icon]").get_attribute("href")
    assert icon == "/demo/static/favicon.svg"
    root = demo.url.removesuffix("/demo")
    for path in (icon, "/favicon.ico"):
        response = await page.request.get(root + path)
        assert response.ok
        assert response.headers["content-type"].startswith("image/svg+xml")
        assert (await response.body()).startswith(b"<svg")
    await page.close()
