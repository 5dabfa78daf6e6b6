"""Journey: Anna, connected with her mother Frau M., looks after her own settings and data.

She switches photo greetings off, chooses quieter evenings, unlinks, reads the privacy notice,
downloads her data and finally has everything deleted — and nothing of her is left.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

from tortoise import Tortoise

from bot.app import Heimbote
from bot.models import Account, AuditEntry, Facility, FailedInviteAttempt, RelativeLink, Resident
from bot.services.onboarding.joining import ATTEMPT_WINDOW, prune_failed_attempts
from tests import factories
from tests.fakes import FakeTelegram, FakeUser
from tests.test_journey_bad_input import forge_press

StartBot = Callable[..., Awaitable[Heimbote]]


async def connected(user: FakeUser, resident_name: str = "Frau M.") -> RelativeLink:
    """The user's account (as the bot will find it), linked to a resident of Haus Sonnenhof."""
    home, _ = await Facility.get_or_create(
        slug="sonnenhof",
        defaults={"name": "Haus Sonnenhof", "contact": "Frau Schulz, 030 123 456"},
    )
    resident = await factories.resident(home, resident_name)
    account, _ = await Account.get_or_create(
        telegram_id=user.id, defaults={"first_name": user.first_name, "locale": "en"}
    )
    return await factories.link(account, resident)


async def test_anna_switches_photo_greetings_off_and_on(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    anna = telegram.user("Anna", language_code="en")
    link = await connected(anna)

    await anna.send("/settings")
    settings = await anna.wait_for("Your settings")
    assert "Photo greetings of Frau M.: on" in settings.button_texts
    await anna.press("Photo greetings of Frau M.: on")
    await anna.wait_for(lambda m: "Photo greetings of Frau M.: off" in m.button_texts)
    assert not (await RelativeLink.get(id=link.id)).photo_updates

    await anna.press("Photo greetings of Frau M.: off")
    await anna.wait_for(lambda m: "Photo greetings of Frau M.: on" in m.button_texts)
    assert (await RelativeLink.get(id=link.id)).photo_updates


async def test_anna_chooses_her_quiet_hours(telegram: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot()
    anna = telegram.user("Anna", language_code="de")
    await connected(anna)
    await Account.filter(telegram_id=anna.id).update(locale="de")

    await anna.send("/settings")
    await anna.wait_for("Ihre Einstellungen")
    await anna.press("Ruhezeiten: 21:00–08:00")  # the default
    presets = await anna.wait_for("Wann möchten Sie keine Nachrichten bekommen?")
    assert presets.button_texts == [
        "✓ 21:00–08:00", "22:00–07:00", "20:00–09:00", "Keine Ruhezeiten", "Zurück"
    ]
    await anna.press("22:00–07:00")
    await anna.wait_for(lambda m: "Ruhezeiten: 22:00–07:00" in m.button_texts)
    account = await Account.get(telegram_id=anna.id)
    assert (account.quiet_from.hour, account.quiet_until.hour) == (22, 7)

    await anna.press("Ruhezeiten: 22:00–07:00")
    await anna.wait_for("Wann möchten Sie keine Nachrichten bekommen?")
    await anna.press("Keine Ruhezeiten")
    await anna.wait_for(lambda m: "Ruhezeiten: aus" in m.button_texts)


async def test_anna_unlinks_after_confirming(telegram: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot()
    anna = telegram.user("Anna", language_code="en")
    await connected(anna, "Frau M.")
    uncle = await connected(anna, "Herr K.")

    await anna.send("/settings")
    await anna.wait_for("Your settings")
    await anna.press("Unlink from Herr K.")
    await anna.wait_for("Unlink from Herr K. at Haus Sonnenhof?")
    await anna.press("Cancel")
    await anna.wait_for("Your settings")
    assert await RelativeLink.filter(id=uncle.id).exists()

    await anna.press("Unlink from Herr K.")
    await anna.wait_for("Unlink from Herr K.")
    await anna.press("Yes, unlink")
    await anna.wait_for("you are no longer connected with Herr K.")
    assert not await RelativeLink.filter(id=uncle.id).exists()
    assert await RelativeLink.filter(account__telegram_id=anna.id).count() == 1
    assert await AuditEntry.filter(action="relative.unlink").exists()


async def test_buttons_for_someone_elses_link_are_refused(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    anna, bert = telegram.user("Anna", language_code="en"), telegram.user("Bert")
    await connected(anna)
    berts = await connected(bert, "Herr B.")
    await anna.send("/settings")
    settings = await anna.wait_for("Your settings")

    for data in (f"rel:1:photos:{berts.id}:0", f"rel:1:unlink:{berts.id}",
                 f"rel:1:unlinkok:{berts.id}", "rel:1:quietset:3-4", "rel:1:photos:x:1"):
        answer = await forge_press(telegram, anna, settings, data)
        assert answer.text == "This button is no longer valid." and answer.show_alert
    still = await RelativeLink.get(id=berts.id)
    assert still.photo_updates and still.active


async def test_privacy_names_each_homes_contact(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    anna = telegram.user("Anna", language_code="en")
    await connected(anna)
    await anna.send("/privacy")
    notice = await anna.wait_for("What I store about you")
    assert "Questions to Haus Sonnenhof: Frau Schulz, 030 123 456" in notice.text
    assert "/deleteme" in notice.text


async def test_anna_downloads_her_data_as_json(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    anna = telegram.user("Anna", language_code="en")
    await connected(anna)
    await anna.send("/mydata")
    sent = await anna.wait_for(lambda m: m.document is not None)

    assert sent.document is not None
    assert sent.document["file_name"] == "heimbote-my-data.json"
    assert sent.document["mime_type"] == "application/json"
    exported = json.loads(telegram.file_bytes(sent.document["file_id"]))
    assert exported["account"]["telegram_id"] == anna.id
    assert exported["account"]["first_name"] == "Anna"
    assert exported["links"][0]["resident"] == "Frau M."
    assert exported["links"][0]["facility"] == "Haus Sonnenhof"


async def every_value_in_the_database() -> list[object]:
    values: list[object] = []
    for models in Tortoise.apps.values():
        for model in models.values():
            for row in await model.all().values():
                values.extend(row.values())
    return values


def mentions(values: list[object], user: FakeUser) -> bool:
    return any(
        value == user.id or str(user.id) in str(value) or user.first_name in str(value)
        for value in values
    )


async def test_deleteme_leaves_nothing_of_anna_in_any_table(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    anna = telegram.user("Annegret", language_code="en")
    await connected(anna)
    await anna.send("/settings")  # leaves traces: the account is touched, a choice saved
    await anna.wait_for("Your settings")
    await anna.press("Photo greetings of Frau M.: on")
    await anna.wait_for(lambda m: "Photo greetings of Frau M.: off" in m.button_texts)
    await anna.send("WRONGCODE123")  # a failed attempt is stored too
    await anna.wait_for("this code does not work")
    assert mentions(await every_value_in_the_database(), anna)

    await anna.send("/deleteme")
    await anna.wait_for("Shall I delete everything about you?")
    await anna.press("Cancel")
    await anna.wait_for("nothing was deleted")
    assert await Account.filter(telegram_id=anna.id).exists()

    await anna.send("/deleteme")
    await anna.wait_for("Shall I delete everything about you?")
    await anna.press("Yes, delete everything")
    await anna.wait_for("Everything about you has been deleted. Goodbye!")

    # The wrong code stays for its hour, by Telegram id only: erasure must not lift the lock.
    (attempt,) = await FailedInviteAttempt.all()
    assert attempt.telegram_id == anna.id
    await prune_failed_attempts(now=attempt.attempted_at + ATTEMPT_WINDOW)
    assert not mentions(await every_value_in_the_database(), anna)
    assert await Resident.filter(display_name="Frau M.").exists()  # the home keeps its resident
    # and the bot still answers (with a new, empty account):
    await anna.send("/help")
    await anna.wait_for("Here is what I can do")
