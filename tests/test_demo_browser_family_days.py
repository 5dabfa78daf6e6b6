"""The demo in a real browser, beyond photos: a day's note and the evening digest, an urgent
"please call us", a booked visit and the summer party.

Ben notes Frau M.'s day, the page sends Anna's evening notes at once; Carla asks Anna to call,
Anna answers; Anna books a visit and signs up for the summer party, Carla sees both. Each step
leaves a picture of the phone in ``test-artifacts/family-days/``; the README shows them
(``docs/screenshots/``).
"""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Page, expect

from tests.test_demo_browser import browser, chat, demo, page, play_as, tap, type_message

__all__ = ["browser", "demo", "page"]  # the fixtures, from the demo's browser test

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "family-days"


async def phone(page: Page, name: str) -> None:
    """Save a picture of the phone as it is now."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    await page.locator("section.phone").screenshot(path=str(ARTIFACTS / f"{name}.png"))


async def tap_first(page: Page) -> None:
    """Tap the first button under the newest message that has buttons."""
    await chat(page).locator(".row", has=page.locator(".keyboard")).last.locator(
        ".keyboard button"
    ).first.click()


async def test_a_family_day_in_the_demo(page: Page) -> None:
    await page.get_by_role("button", name="Open Anna's invite link").click()
    await tap(page, "English")
    await tap(page, "Yes, I agree")
    await expect(chat(page)).to_contain_text("You are now connected with Frau M.")

    # Anna opts in to daily notes about her mother: a consent of its own.
    await type_message(page, "/settings")
    await tap(page, "Daily notes about Frau M.: off")
    await expect(
        chat(page).locator(".keyboard button", has_text="Daily notes about Frau M.: on")
    ).to_be_visible()
    await phone(page, "wellbeing-1-anna-opts-in")

    # Ben notes Frau M.'s day in a few taps.
    await play_as(page, "ben")
    await type_message(page, "/today")
    await expect(chat(page)).to_contain_text("Whose day would you like to note?")
    await tap(page, "Frau M.")
    for label in ("🙂", "ate well", "walk"):
        await tap(page, label)
        await expect(
            chat(page).locator(".keyboard button", has_text=f"✓ {label}").last
        ).to_be_visible()
    await type_message(page, "Sang along happily in the garden.")
    await expect(chat(page)).to_contain_text("Your line: “Sang along happily in the garden.”")
    await phone(page, "wellbeing-2-ben-notes-the-day")
    await tap(page, "💾 Save")
    await expect(chat(page)).to_contain_text("✓ Saved")

    # The page sends the evening notes now (not at 18:00): Anna reads her mother's day.
    await page.get_by_role("button", name="Send the evening notes now").click()
    await play_as(page, "anna")
    await expect(chat(page)).to_contain_text("🌙 Today with Frau M.", timeout=10_000)
    await expect(chat(page)).to_contain_text("— Ben (Care team)")
    await phone(page, "wellbeing-3-anna-evening-notes")

    # Carla asks Frau M.'s emergency contact to call; Anna answers with one tap.
    await play_as(page, "carla")
    await type_message(page, "/callus")
    await tap(page, "Frau M.")
    await tap(page, "Please call the home.")
    await expect(chat(page)).to_contain_text("Send this urgent alert now?")
    await phone(page, "call-us-1-carla-confirms")
    await tap(page, "🚨 Send now")
    await expect(chat(page)).to_contain_text("🚨 Sent to Anna.")
    await play_as(page, "anna")
    await expect(chat(page)).to_contain_text("🚨 Urgent from Haus Sonnenhof", timeout=10_000)
    await phone(page, "call-us-2-anna-is-asked")
    await tap(page, "📞 I will call")
    await expect(chat(page)).to_contain_text("Haus Sonnenhof knows that you will call.")
    await play_as(page, "carla")
    await expect(chat(page)).to_contain_text("✅ Anna will call about Frau M.", timeout=10_000)
    await phone(page, "call-us-3-carla-sees-the-answer")

    # Anna books a visit: a day, a time, how many, confirm; the calendar file comes with it.
    await play_as(page, "anna")
    await type_message(page, "/visit")
    await expect(chat(page)).to_contain_text("When would you like to visit Frau M.?")
    await tap_first(page)
    await expect(chat(page)).to_contain_text("at what time would you like to come?")
    await tap_first(page)
    await expect(chat(page)).to_contain_text("How many people will come?")
    await tap(page, "2")
    await tap(page, "✅ Book")
    await expect(chat(page)).to_contain_text("Your visit to Frau M. at Haus Sonnenhof is booked",
                                             timeout=10_000)
    await expect(chat(page).locator(".file").last).to_be_visible()
    await phone(page, "visit-anna-booked")

    # The summer party: Anna signs up for two.
    await type_message(page, "/events")
    await expect(chat(page)).to_contain_text("Upcoming events")
    await tap(page, "Sommerfest")
    await tap(page, "2")
    await expect(chat(page).locator(".file")).to_have_count(2, timeout=10_000)
    await phone(page, "event-anna-signed-up")

    # Carla sees both.
    await play_as(page, "carla")
    await type_message(page, "/visits")
    await expect(chat(page)).to_contain_text("Frau M. – Anna, 2 people")
    await phone(page, "visits-carla-sees-the-day")
    await type_message(page, "/events")
    await tap(page, "Sommerfest (2/40)")
    await expect(chat(page)).to_contain_text("Anna: 2")
    await phone(page, "event-carla-sees-who-comes")
