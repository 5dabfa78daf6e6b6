"""The demo: Carla sends a "please call us" about Frau M., and Anna, her emergency contact,
answers it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.demo.runner import Demo, DemoOptions
from bot.models import AuditEntry, EmergencyCall, RelativeLink


@pytest.fixture
async def demo(database_url: str) -> AsyncIterator[Demo]:
    """The demo in this process, on the test database (one backend per test process)."""
    running = Demo(DemoOptions(port=0, fresh=True, database_url=database_url))
    await running.start()
    yield running
    await running.stop()


async def test_carla_asks_annas_family_to_call_and_anna_answers(demo: Demo) -> None:
    anna, carla = demo.cast.anna, demo.cast.carla
    assert demo.home.invite_link is not None
    await anna.send(f"/start {demo.home.invite_link.rsplit('=', 1)[1]}")
    await anna.wait_for("Which language")
    await anna.press("English")
    await anna.wait_for("Do you agree?")
    await anna.press("Yes, I agree")
    await anna.wait_for("You are now connected")
    link = await RelativeLink.get(account__telegram_id=anna.id)
    assert link.active and link.emergency_contact  # as seeded

    await carla.send("/callus")
    await carla.wait_for("About whom?")
    await carla.press("Frau M. · room 12")
    await carla.wait_for("What should Anna be asked about Frau M.?")
    await carla.press("Please call the home.")
    await carla.wait_for("Send this urgent alert now?")
    await carla.press("🚨 Send now")
    await carla.wait_for("🚨 Sent to Anna.")

    alert = await anna.wait_for("🚨 Urgent from Haus Sonnenhof, about Frau M.:")
    assert "How to reach the home: Empfang: 030 1234 567 (8–18 Uhr)" in alert.text
    await anna.press("📞 I will call", message=alert)
    await anna.wait_for("Haus Sonnenhof knows that you will call.")
    await carla.wait_for("✅ Anna will call about Frau M.")
    # The team's group reads the home's language: German.
    await demo.cast.staff_group.wait_for("✅ Frau M.: Anna ruft an (Antwort um")
    call = await EmergencyCall.get()
    assert call.acknowledged_at is not None
    assert await AuditEntry.filter(action__startswith="emergency_call.").count() == 2
