"""Journey: Carla, who runs Haus Sonnenhof, sets up photo updates and ratings for her home.

She switches the four-eyes check off and keeps photo updates for 90 days — by tapping a common
value and by typing a number, and chooses how often relatives may rate the home. Impossible
numbers are refused with a clear answer; a staff member's forged button and an admin's forged
value change nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.app import Heimbote
from bot.domain.callbacks import callback
from bot.models import AuditEntry, AwaitedInput, Facility, Role, StaffRole
from bot.services.accounts.actors import Actor
from bot.services.accounts.facilities import create_facility
from tests import factories
from tests.conftest import CarlasHome
from tests.fakes import FakeTelegram
from tests.test_journey_bad_input import forge_press

StartBot = Callable[..., Awaitable[Heimbote]]
CLI = Actor.cli()
REFUSAL = "Sorry, you may not do this here. Nothing was changed."
OUT_OF_RANGE = (
    "That is not possible: please type a whole number of days from 1 to 3,650. "
    "Nothing was changed."
)


async def photo_settings(facility: Facility) -> tuple[bool, int]:
    fresh = await Facility.get(id=facility.id)
    return fresh.four_eyes, fresh.photo_retention_days


async def changes(facility: Facility) -> list[dict[str, object]]:
    """What the audit log says was changed in the home's settings, oldest first."""
    entries = await AuditEntry.filter(
        facility_id=facility.id, action="facility.update"
    ).order_by("id")
    return [entry.details for entry in entries]


async def test_carla_switches_four_eyes_off_and_keeps_photos_for_90_days(
    carlas_home: CarlasHome
) -> None:
    sonnenhof, carla, _ = carlas_home

    await carla.send("/facility")
    await carla.wait_for("Settings of Haus Sonnenhof")
    await carla.press("📷 Photo updates")
    screen = await carla.wait_for("📷 Photo updates – Haus Sonnenhof")
    assert "Four-eyes check: on. Nobody approves their own photo update" in screen.text
    assert "Photo updates are deleted 180 days after they were posted." in screen.text

    answer = await carla.press("Switch the four-eyes check off")
    assert answer.text == "Saved."
    screen = await carla.wait_for("Four-eyes check: off.")
    assert "Switch the four-eyes check on" in screen.button_texts
    assert await photo_settings(sonnenhof) == (False, 180)

    await carla.press("Keep photo updates: 180 days")
    choice = await carla.wait_for("How long should photo updates be kept?")
    assert choice.button_texts == [
        "30 days", "90 days", "✓ 180 days", "365 days", "✏️ Type a number", "◀ Back"
    ]
    assert (await carla.press("90 days")).text == "Saved."
    await carla.wait_for("Photo updates are deleted 90 days after they were posted.")
    assert await photo_settings(sonnenhof) == (False, 90)

    # Once more, by typing: first a longer time, then two impossible numbers, then 90.
    await carla.press("Keep photo updates: 90 days")
    await carla.press("365 days")
    await carla.press("Keep photo updates: 365 days")
    await carla.press("✏️ Type a number")
    await carla.wait_for("Please type a number of days from 1 to 3,650.")
    for impossible in ("0", "5000", "ninety", "-5"):
        await carla.send(impossible)
        await carla.wait_for(OUT_OF_RANGE)
        assert await photo_settings(sonnenhof) == (False, 365)
    await carla.send(" 90 ")
    await carla.wait_for("Photo updates are deleted 90 days after they were posted.")
    assert await photo_settings(sonnenhof) == (False, 90)

    # The question is answered: the next number is just a message again.
    await carla.send("45")
    await carla.wait_for(lambda m: "Photo updates are deleted" not in m.text)
    assert await photo_settings(sonnenhof) == (False, 90)

    await carla.press("◀ Back")
    await carla.wait_for("Settings of Haus Sonnenhof")
    assert await changes(sonnenhof) == [
        {"four_eyes": False}, {"photo_retention_days": 90}, {"photo_retention_days": 365},
        {"photo_retention_days": 90},
    ]


async def test_forged_buttons_and_a_lost_role_change_nothing(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    sonnenhof = await create_facility(CLI, slug="sonnenhof", name="Haus Sonnenhof")
    lindenhof = await create_facility(CLI, slug="lindenhof", name="Lindenhof")
    fid = sonnenhof.id
    dora = telegram.user("Dora", language_code="en")  # care staff in Sonnenhof
    await factories.with_role(dora, sonnenhof, Role.STAFF)
    lena = telegram.user("Lena", language_code="en")  # admin of the home next door
    await factories.with_role(lena, lindenhof, Role.ADMIN)

    for intruder in (dora, lena):
        await intruder.send("/start")
        message = await intruder.wait_for()
        for data in (
            callback("fset", "show", "photo", fid), callback("fset", "4eyes", fid, 0),
            callback("fset", "pick", fid, "keep"), callback("fset", "set", fid, "keep", 1),
            callback("fset", "ask", fid, "keep"),
        ):
            answer = await forge_press(telegram, intruder, message, data)
            assert (answer.text, answer.show_alert) == (REFUSAL, True), data
    assert await AwaitedInput.all().count() == 0

    carla = telegram.user("Carla", language_code="en")
    carla_role = await StaffRole.get(
        account=await factories.with_role(carla, sonnenhof, Role.ADMIN), facility=sonnenhof
    )
    await carla.send("/facility")
    screen = await carla.wait_for("Settings of Haus Sonnenhof")
    for data, alert in (
        (callback("fset", "set", fid, "keep", 5000), "That did not work."),
        (callback("fset", "set", fid, "keep", 0), "That did not work."),
        (callback("fset", "set", fid, "nope", 90), "This button is no longer valid."),
        (callback("fset", "4eyes", fid, 2), "This button is no longer valid."),
        (callback("fset", "show", "elsewhere", fid), "This button is no longer valid."),
    ):
        answer = await forge_press(telegram, carla, screen, data)
        assert answer.text is not None and answer.text.startswith(alert), data

    # Carla asks to type a number, and loses the admin role before she types it.
    await carla.press("📷 Photo updates")
    await carla.press("Keep photo updates: 180 days")
    await carla.press("✏️ Type a number")
    prompt = await carla.wait_for("Please type a number of days")
    await carla_role.delete()
    await carla.send("30")
    await carla.wait_for(REFUSAL)
    answer = await forge_press(telegram, carla, prompt, callback("fset", "4eyes", fid, 0))
    assert answer.text == REFUSAL

    assert await photo_settings(sonnenhof) == (True, 180)
    assert await changes(sonnenhof) == []



async def test_carla_sets_how_often_relatives_rate_and_her_time_to_answer(
    carlas_home: CarlasHome
) -> None:
    sonnenhof, carla, _ = carlas_home

    await carla.send("/facility")
    await carla.wait_for("Settings of Haus Sonnenhof")
    await carla.press("⭐ Ratings")
    screen = await carla.wait_for("⭐ Ratings – Haus Sonnenhof")
    assert "A relative may rate the home once every 90 days." in screen.text
    assert "is published 72 hours later: time to answer it." in screen.text
    assert "first invites a relative to rate 14 days after they joined." in screen.text

    await carla.press("Rate once every: 90 days")
    await carla.press("180 days")
    await carla.wait_for("once every 180 days.")

    await carla.press("Time to answer a complaint: 72 hours")
    choice = await carla.wait_for("How long do you have to answer before it is published?")
    assert choice.button_texts[:4] == ["24 hours", "48 hours", "✓ 72 hours", "168 hours"]
    await carla.press("✏️ Type a number")
    await carla.wait_for("Please type a number of hours from 24 to 168.")
    await carla.send("200")
    await carla.wait_for("That is not possible: please type a whole number of hours from 24 to "
                         "168. Nothing was changed.")
    await carla.send("36")
    await carla.wait_for("is published 36 hours later")

    await carla.press("First invitation to rate: 14 days")
    await carla.press("30 days")
    await carla.wait_for("to rate 30 days after they joined.")

    fresh = await Facility.get(id=sonnenhof.id)
    assert (fresh.rating_interval_days, fresh.complaint_window_hours,
            fresh.rating_invite_after_days) == (180, 36, 30)
    assert await changes(sonnenhof) == [
        {"rating_interval_days": 180}, {"complaint_window_hours": 36},
        {"rating_invite_after_days": 30},
    ]
