"""The demo page in a real browser: the tour's story, played by a person clicking.

Anna joins; Carla lists the residents; Anna's settings; Ben posts photos of Frau M., Carla
approves, Anna receives them and says thank you, Ben sees it; Anna writes to the home, the
team reads it in its group and Ben answers there. Headless Chromium (Debian's ``chromium``
package) driven by Playwright. Each step leaves a screenshot in ``test-artifacts/demo/`` to
look at.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright, expect

from bot.demo.runner import Demo, DemoOptions

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "demo"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)",
)


@pytest.fixture
async def demo(database_url: str) -> AsyncIterator[Demo]:
    """``heimbote demo --fresh`` in this process, on a free port, on the test database."""
    running = Demo(DemoOptions(port=0, fresh=True, database_url=database_url))
    await running.start()
    yield running
    await running.stop()


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    """Headless Chromium."""
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox"]
        )
        yield launched
        await launched.close()


@pytest.fixture
async def page(browser: Browser, demo: Demo) -> AsyncIterator[Page]:
    """The demo page, opened at the URL the demo printed."""
    opened = await browser.new_page(viewport={"width": 1200, "height": 860})
    await opened.goto(demo.url)
    yield opened
    await opened.close()


async def snapshot(page: Page, name: str) -> None:
    """Save what the page looks like now, for people to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def chat(page: Page):
    """The phone's message list."""
    return page.locator("#messages")


async def play_as(page: Page, persona: str) -> None:
    """Pick a persona in the switcher."""
    await page.locator(f'.persona[data-persona="{persona}"]').click()
    await expect(page.locator(f'.persona[data-persona="{persona}"]')).to_have_attribute(
        "aria-pressed", "true"
    )


async def type_message(page: Page, text: str) -> None:
    """Type into the phone's text field and press Enter."""
    await page.get_by_label("Message", exact=True).fill(text)
    await page.get_by_label("Message", exact=True).press("Enter")


async def tap(page: Page, label: str) -> None:
    """Tap the newest inline button with this label."""
    await chat(page).locator(".keyboard button", has_text=label).last.click()


async def test_demo_journey(page: Page, demo: Demo) -> None:
    await expect(page.get_by_role("heading", name="Guided tour")).to_be_visible()
    await expect(chat(page)).to_contain_text("No messages yet")
    await snapshot(page, "01-anna-before-joining")

    # As Anna, open the invite link: language, privacy notice, connected with Frau M.
    await page.get_by_role("button", name="Open Anna's invite link").click()
    await expect(chat(page).locator(".keyboard button", has_text="English")).to_be_visible()
    await snapshot(page, "02-anna-invite-language")
    await tap(page, "English")
    await expect(chat(page)).to_contain_text("Do you agree?")
    await snapshot(page, "03-anna-privacy-notice")
    await tap(page, "Yes, I agree")
    await expect(chat(page)).to_contain_text("You are now connected with Frau M.")
    await snapshot(page, "04-anna-joined")

    # As Carla, list the residents.
    await play_as(page, "carla")
    await type_message(page, "/residents")
    await expect(chat(page)).to_contain_text("Herr B.")
    await expect(chat(page)).to_contain_text("Frau M.")
    await snapshot(page, "05-carla-residents")

    # As Anna, switch photo greetings off and on again: the same message changes in place.
    await play_as(page, "anna")
    await type_message(page, "/settings")
    toggle = chat(page).locator(".keyboard button", has_text="Photo greetings of Frau M.: on")
    await expect(toggle).to_be_visible()
    settings_rows = await chat(page).locator(".row").count()
    await toggle.click()
    await expect(
        chat(page).locator(".keyboard button", has_text="Photo greetings of Frau M.: off")
    ).to_be_visible()
    assert await chat(page).locator(".row").count() == settings_rows, "edited, not sent anew"
    await snapshot(page, "06-anna-settings-photo-greetings-off")
    await chat(page).locator(".keyboard button", has_text="Photo greetings of Frau M.: off").click()
    await expect(toggle).to_be_visible()  # on again: she wants Ben's photos

    # /mydata arrives as a file that can be downloaded.
    await type_message(page, "/mydata")
    download = chat(page).locator(".file a").last
    await expect(download).to_be_visible()
    href = await download.get_attribute("href") or ""
    response = await page.request.get(demo.url.removesuffix("/demo") + href)
    assert response.ok and b"Frau M." in await response.body()
    await snapshot(page, "07-anna-mydata-file")

    # Ben posts two sample photos of Frau M. as an album, for the families.
    await play_as(page, "ben")
    await page.get_by_role("button", name="Send a photo").click()
    await page.get_by_label("garden").check()
    await page.get_by_label("cake").check()
    await page.get_by_label("Caption (optional)").fill("Kaffee und Kuchen im Garten")
    await snapshot(page, "08-ben-photo-picker")
    await page.get_by_role("button", name="Send selected").click()
    await expect(chat(page).locator(".album img")).to_have_count(2)
    await expect(chat(page)).to_contain_text("Who is in these 2 photos?")
    await snapshot(page, "09-ben-who-is-in-the-photos")
    await tap(page, "Frau M.")
    await expect(chat(page).locator(".keyboard button", has_text="✅ Frau M.")).to_be_visible()
    await tap(page, "Done")
    await expect(chat(page)).to_contain_text("Your caption: “Kaffee und Kuchen im Garten”")
    await tap(page, "Keep it")
    await expect(chat(page)).to_contain_text("Preview: 2 photos of Frau M.")
    await snapshot(page, "10-ben-preview")
    await tap(page, "Submit")
    await expect(chat(page)).to_contain_text("Waiting for approval")
    await snapshot(page, "11-ben-waiting-for-approval")

    # Carla checks it (the seeded update of the singing circle waits above it) and approves.
    await play_as(page, "carla")
    await expect(chat(page)).to_contain_text("Singkreis am Nachmittag")
    review = chat(page).locator(".row", has_text="Kaffee und Kuchen im Garten").last
    await expect(review.locator(".keyboard button", has_text="✅ Approve")).to_be_visible()
    await snapshot(page, "12-carla-review")
    await review.locator(".keyboard button", has_text="✅ Approve").click()
    await expect(page.locator("#toast")).to_contain_text("Approved. It goes to 1 relative.")
    await expect(chat(page)).to_contain_text("Approved by Carla")
    await snapshot(page, "13-carla-approved")

    # Anna receives the album and says thank you.
    await play_as(page, "anna")
    await expect(chat(page).locator(".album img")).to_have_count(2, timeout=10_000)
    await expect(chat(page)).to_contain_text("Frau M. · Haus Sonnenhof")
    await snapshot(page, "14-anna-photo-update")
    await tap(page, "❤️ Thank you")
    await expect(page.locator("#toast")).to_contain_text("Thank you sent ❤️")
    await snapshot(page, "15-anna-thank-you")

    # Ben sees the thanks under Carla's decision.
    await play_as(page, "ben")
    await expect(chat(page)).to_contain_text("1 relative said thank you")
    await snapshot(page, "16-ben-thanked")

    # The staff group: Carla writes there, Ben's view of the same chat.
    await play_as(page, "team")
    await type_message(page, "Guten Morgen, Team!")
    greeting = chat(page).locator(".row", has_text="Guten Morgen, Team!")
    await expect(greeting).to_have_class("row out")
    await page.get_by_label("Writing as").select_option("Ben")
    await expect(greeting).to_have_class("row in")  # the same message, seen by Ben

    # Anna writes to the home; her message appears in the team's group.
    await play_as(page, "anna")
    await type_message(page, "/message")
    await expect(chat(page)).to_contain_text("tell the team of Haus Sonnenhof about Frau M.")
    await type_message(page, "Danke für die schönen Fotos! Kommt Mama Sonntag mit in den Garten?")
    await expect(chat(page)).to_contain_text("Received – thank you!")
    await snapshot(page, "17-anna-message-to-the-home")
    await play_as(page, "team")
    relayed = chat(page).locator(".row", has_text="Anna schreibt (#1 · Frau M.)")
    await expect(relayed).to_be_visible(timeout=10_000)
    await snapshot(page, "18-team-sees-annas-message")

    # Ben answers by replying to it in the group; Anna receives it, signed with his name.
    await relayed.locator(".reply-action").click()
    await expect(page.locator("#reply-bar")).to_be_visible()
    await type_message(page, "Sehr gern, wir gehen um 15 Uhr raus.")
    await expect(chat(page)).to_contain_text("✓ Sent to Anna.")  # in Ben's language
    await snapshot(page, "19-team-ben-replied")
    await play_as(page, "anna")
    await expect(chat(page)).to_contain_text("Ben (")
    await expect(chat(page)).to_contain_text("Sehr gern, wir gehen um 15 Uhr raus.")
    await snapshot(page, "20-anna-reads-the-answer")
