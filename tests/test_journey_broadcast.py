"""Journey: Carla, the home's admin, sends an announcement to 50 families in two languages."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from bot.app import Heimbote
from bot.models import (
    Delivery,
    DeliveryState,
    Facility,
    Resident,
    Role,
    Unit,
)
from tests import factories
from tests.fakes import FakeTelegram, FakeUser

StartBot = Callable[..., Awaitable[Heimbote]]
GERMAN = "Sommerfest am Samstag um 15 Uhr im Garten!"
ENGLISH = "Summer party on Saturday at 3 pm in the garden!"


async def linden_with_relatives(
    telegram: FakeTelegram, count: int
) -> tuple[Facility, list[tuple[FakeUser, str]]]:
    """Haus Linden with ``count`` relatives, every second one reading English."""
    facility = await factories.home("linden")
    residents = [
        await factories.resident(facility, f"Frau {n}", str(n)) for n in range(count // 2)
    ]
    relatives = []
    for n in range(count):
        locale = "en" if n % 2 else "de"
        linked = [residents[n // 2]]
        if n == 0:  # linked to two residents, still one message
            linked.append(residents[1])
        user = await factories.family_member(
            telegram, f"Angehörige {n}", *linked, locale=locale, anytime=False
        )
        relatives.append((user, locale))
    return facility, relatives


async def admin(telegram: FakeTelegram, facility: Facility, name: str) -> FakeUser:
    return await factories.team_member(
        telegram, facility, name, Role.ADMIN, anytime=False, started=False
    )


async def test_carla_broadcasts_in_two_languages_and_each_family_reads_theirs(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot(send_rate=30)
    facility, relatives = await linden_with_relatives(telegram, 50)
    carla = await admin(telegram, facility, "Carla")

    await carla.send("/broadcast")
    await carla.wait_for("Please send the text")
    await carla.send(GERMAN)
    await carla.wait_for("Who should receive it?")
    await carla.press("All relatives")
    await carla.wait_for("Add a version in another language?")
    await carla.press("English")
    await carla.wait_for("Please send the English version")
    await carla.send(ENGLISH)
    await carla.wait_for("Is it urgent?")
    await carla.press("Urgent")  # so that nobody's quiet hours hold it in this test
    await carla.wait_for("When should it go out?")
    await carla.press("Now")
    summary = await carla.wait_for("This goes to 50 recipients, now.")
    preview = [m for m in carla.messages if m.text == ENGLISH]  # her own language's version
    assert len(preview) == 1 and preview[0].message_id < summary.message_id

    await carla.press("Send")
    report = await carla.wait_for("Announcement sent.", timeout=20)
    assert "Delivered: 50 of 50" in report.text
    assert report.button_texts == []

    for user, locale in relatives:
        received = [m.text for m in user.messages if m.from_bot]
        assert received == [GERMAN if locale == "de" else ENGLISH], user.first_name
    assert await Delivery.filter(purpose="announcement").count() == 50


async def test_wrong_turns_get_a_clear_answer_and_nothing_is_sent(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    facility, relatives = await linden_with_relatives(telegram, 4)
    anna = relatives[0][0]
    carla = await admin(telegram, facility, "Carla")

    await anna.send("/broadcast")  # a relative, speaking German
    await anna.wait_for("Rundschreiben kann nur die Einrichtungsleitung verschicken.")

    await carla.send("/broadcast")
    await carla.wait_for("Please send the text")
    await carla.send("x" * 4097)
    await carla.wait_for("Telegram allows at most 4,096 characters here, yours has 4,097")
    await carla.send("Die Besuchszeiten ändern sich.")
    await carla.wait_for("Who should receive it?")
    await carla.press("Staff only")
    await carla.wait_for("Add a version in another language?")
    await carla.press("No, that's all")
    await carla.wait_for("Is it urgent?")
    await carla.press("Not urgent")
    await carla.wait_for("When should it go out?")
    await carla.press("Type a time")
    await carla.wait_for("Please type the time")
    await carla.send("2020-01-01 10:00")
    await carla.wait_for("This time has already passed.")
    await carla.send("2099-01-01 10:00")
    await carla.wait_for("This goes to 1 recipient")  # Carla herself: staff only
    await carla.press("Cancel")
    await carla.wait_for("Cancelled. Nothing was sent.")

    await carla.send("/broadcasts")
    listed = await carla.wait_for("Recent announcements:")
    assert "Die Besuchszeiten ändern sich." in listed.text and "sent 0 of 0" in listed.text
    assert await Delivery.all().count() == 0
    assert [m.text for m in anna.messages if m.from_bot] == [
        "Rundschreiben kann nur die Einrichtungsleitung verschicken."
    ]


async def test_a_photo_for_one_unit_scheduled_then_cancelled(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    facility, relatives = await linden_with_relatives(telegram, 4)
    garden = await Unit.create(facility=facility, name="Garten")
    await Resident.filter(display_name="Frau 0").update(unit_id=garden.id)
    carla = await admin(telegram, facility, "Carla")

    await carla.send("/broadcast")
    await carla.wait_for("Please send the text")
    await carla.send_photo("Our new garden")
    await carla.wait_for("Who should receive it?")
    await carla.press("The relatives of one unit")
    await carla.wait_for("Which unit?")
    await carla.press("Garten")
    await carla.wait_for("Add a version in another language?")
    await carla.press("No, that's all")
    await carla.wait_for("Is it urgent?")
    await carla.press("Not urgent")
    await carla.wait_for("When should it go out?")
    await carla.press("In 1 hour")
    await carla.wait_for("This goes to 2 recipients")  # the two relatives of Frau 0
    preview = [m for m in carla.messages if m.from_bot and m.photo]
    assert len(preview) == 1 and preview[0].content == "Our new garden"

    await carla.press("Send")
    waiting = await carla.wait_for("Goes out")
    assert "to 2 recipients." in waiting.text and waiting.button_texts == ["Cancel"]
    await carla.press("Cancel", message=waiting)
    report = await carla.wait_for("Announcement cancelled.")
    assert "Delivered: 0 of 2" in report.text and "Not sent: 2" in report.text
    assert all(not any(m.from_bot for m in user.messages) for user, _ in relatives)
    assert await Delivery.filter(state=DeliveryState.SKIPPED).count() == 2


async def test_after_a_restart_the_progress_message_is_kept_up_to_date(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    first = await start_bot()
    facility, _ = await linden_with_relatives(telegram, 4)
    carla = await admin(telegram, facility, "Carla")
    await carla.send("/broadcast")
    await carla.wait_for("Please send the text")
    await carla.send("Heute kein Mittagessen im Speisesaal")
    for question, answer in [("Who should receive it?", "All relatives"),
                             ("Add a version", "No, that's all"),
                             ("Is it urgent?", "Not urgent"),
                             ("When should it go out?", "In 1 hour"),
                             ("This goes to 4 recipients", "Send")]:
        await carla.wait_for(question)
        await carla.press(answer)
    waiting = await carla.wait_for("Goes out")
    async with asyncio.timeout(5):  # the progress task does not hold up the stop
        await first.stop()

    await start_bot()  # it picks up the progress message of what is still going out
    await carla.press("Cancel", message=waiting)
    report = await carla.wait_for("Announcement cancelled.")
    assert report.message_id == waiting.message_id and "Not sent: 4" in report.text
