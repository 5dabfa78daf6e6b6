"""The demo's tour of wellbeing notes: Ben notes Frau M.'s day, "send the evening notes now"
brings Anna's digest at once (not at 18:00)."""

from __future__ import annotations

import aiohttp

from bot.demo.runner import Demo
from tests.test_demo import acting, demo, page_token

__all__ = ["demo"]  # the fixture, from the demo's own tests


async def test_ben_notes_frau_m_and_the_page_sends_annas_digest_now(demo: Demo) -> None:
    anna, ben = demo.cast.anna, demo.cast.ben
    code = demo.home.invite_link.rsplit("=", 1)[1]
    await anna.send(f"/start {code}")
    await anna.wait_for("Which language")
    await anna.press("English")
    await anna.wait_for("Do you agree?")
    await anna.press("Yes, I agree")
    await anna.wait_for("You are now connected with Frau M.")
    await anna.send("/settings")
    await anna.wait_for("Your settings")
    await anna.press("Daily notes about Frau M.: off")
    await anna.wait_for(lambda m: "Daily notes about Frau M.: on" in m.button_texts)

    await ben.send("/today")
    await ben.wait_for("Whose day would you like to note?")
    await ben.press("Frau M.")
    await ben.wait_for("Today's note about Frau M.")
    await ben.press("🙂")
    await ben.wait_for(lambda m: "✓ 🙂" in m.button_texts)
    await ben.press("💾 Save")
    await ben.wait_for("✓ Saved")

    base = demo.url.removesuffix("/demo")
    async with aiohttp.ClientSession() as http:
        async with http.get(demo.url) as page:
            assert "Send the evening notes now" in await page.text()
        token = await page_token(http, demo)
        async with http.post(f"{base}/demo/api/digest", headers=acting(token),
                             json={}) as sent:
            assert (await sent.json()) == {"ok": True, "sent": 1}
        async with http.post(f"{base}/demo/api/digest", headers={}, json={}) as forged:
            assert forged.status == 403  # only the page may act
    digest = await anna.wait_for("🌙 Today with Frau M.")
    assert "— Ben (Care team)," in digest.text
