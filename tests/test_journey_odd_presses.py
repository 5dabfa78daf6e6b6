"""Odd button presses are answered like any other: a double tap, and a press on a message the
bot can no longer see (deleted on another device: Telegram sends it as an inaccessible message,
date 0, and the bot cannot edit it). No apology, no spinner, and a screen that cannot replace
the pressed message comes as a new message.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.app import Heimbote
from bot.models import PhotoTag, PhotoUpdate, PhotoUpdateState, Role, Thread, ThreadState
from bot.sandbox.telegram.callbacks import callback_query_update
from bot.sandbox.telegram.sample_media import sample_photos
from tests import factories
from tests.fakes import CallbackAnswer, FakeMessage, FakeTelegram, FakeUser

StartBot = Callable[..., Awaitable[Heimbote]]
APOLOGY = "Sorry, something went wrong on my side."


async def double_tap(
    telegram: FakeTelegram, user: FakeUser, message: FakeMessage, label: str
) -> list[CallbackAnswer]:
    """Two presses of the same button that both leave the phone before the bot answers."""
    button = message.find_button(label)
    assert button is not None, message.button_texts
    queries = [telegram.callbacks.open(user.id, message, button["callback_data"])
               for _ in range(2)]
    for query in queries:
        telegram.deliver(callback_query_update(query, user.to_dict()))
    return [await telegram.signal.wait_for(lambda q=q: q.answer, 5.0, lambda: f"answer {label}")
            for q in queries]


async def press_deleted(
    telegram: FakeTelegram, user: FakeUser, message: FakeMessage, label: str
) -> CallbackAnswer:
    """The user deleted ``message`` on one phone and presses its button on another."""
    telegram.delete_for_everyone(user, message.message_id)
    return await user.press(label, message=message)


def calm(heimbote: Heimbote, telegram: FakeTelegram, *users: FakeUser) -> None:
    """Nothing went wrong: no handler error, no apology, every press answered."""
    assert heimbote.metrics.handler_errors._value.get() == 0
    assert not any(APOLOGY in m.content for user in users for m in user.messages)
    assert not telegram.unanswered_callbacks


async def carla_with_waiting_updates(telegram: FakeTelegram, count: int) -> FakeUser:
    """Carla approves at Haus Linden, where ``count`` photo updates of Frau M. wait."""
    telegram.rate_limits(False)  # pages of photos at once; the flood limits are tested apart
    linden = await factories.home("linden")
    mother = await factories.resident(linden, "Frau M.")
    ben = await factories.staff("Ben", linden)
    carla = await factories.team_member(telegram, linden, "Carla", Role.ADMIN)
    photo = telegram.files.add("photo", sample_photos()[0].content)
    for number in range(count):
        update = await PhotoUpdate.create(
            facility=linden, author=ben, state=PhotoUpdateState.PENDING,
            file_ids=[photo.file_id], caption=f"Gruß {number + 1}", submitted_at=linden.created_at,
        )
        await PhotoTag.create(update=update, resident=mother)
    return carla


async def test_a_double_tap_on_show_the_next_ones_shows_them_once(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    heimbote = await start_bot()
    carla = await carla_with_waiting_updates(telegram, 7)
    await carla.send("/pending")
    more = await carla.wait_for("There are more.")

    answers = await double_tap(telegram, carla, more, "Show the next ones")

    assert [a.show_alert for a in answers] == [False, False]
    await carla.wait_for(lambda m: "Gruß 7" in m.content)
    await carla.send("/help")
    await carla.wait_for(lambda m: m.text.startswith("Here is what I can do"))
    assert sum("Gruß 7" in m.content for m in carla.messages) == 1  # the next page once
    assert more.button_texts == []
    calm(heimbote, telegram, carla)


async def test_show_the_next_ones_under_a_deleted_message_still_shows_them(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    heimbote = await start_bot()
    carla = await carla_with_waiting_updates(telegram, 6)
    await carla.send("/pending")
    more = await carla.wait_for("There are more.")

    answer = await press_deleted(telegram, carla, more, "Show the next ones")

    assert not answer.show_alert
    await carla.wait_for(lambda m: "Gruß 6" in m.content)
    calm(heimbote, telegram, carla)


async def test_a_double_tap_on_close_closes_once_and_answers_both(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    heimbote = await start_bot()
    linden = await factories.home("linden")
    mother = await factories.resident(linden, "Frau M.")
    anna = await factories.family_member(telegram, "Anna", mother)
    carla = await factories.team_member(telegram, linden, "Carla", Role.ADMIN)
    await anna.send("When is the doctor coming?")
    relayed = await carla.wait_for(lambda m: "When is the doctor coming?" in m.content
                                   and "✅ Close" in m.button_texts)

    answers = await double_tap(telegram, carla, relayed, "✅ Close")

    assert answers[0].text == "Conversation #1 is closed."
    assert not any(a.show_alert for a in answers)
    assert relayed.button_texts == []
    assert (await Thread.get(number=1)).state == ThreadState.CLOSED
    calm(heimbote, telegram, carla, anna)


async def test_settings_buttons_under_a_deleted_message_send_the_screen_anew(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    heimbote = await start_bot()
    linden = await factories.home("linden")
    anna = await factories.family_member(
        telegram, "Anna", await factories.resident(linden, "Frau M.")
    )
    await anna.send("/settings")
    settings = await anna.wait_for("Your settings.")

    answer = await press_deleted(telegram, anna, settings, "Quiet hours")  # rel:quiet
    assert not answer.show_alert
    presets = await anna.wait_for("When should I stay quiet?")
    assert presets.message_id != settings.message_id

    answer = await press_deleted(telegram, anna, presets, "Back")  # rel:menu
    assert not answer.show_alert
    again = await anna.wait_for("Your settings.")
    assert again.message_id not in (settings.message_id, presets.message_id)
    calm(heimbote, telegram, anna)


async def test_a_language_chosen_under_a_deleted_greeting_is_taken(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    heimbote = await start_bot()
    anna = telegram.user("Anna", language_code="en")
    await anna.send("/start")
    greeting = await anna.wait_for(lambda m: "Heimbote" in m.text)

    answer = await press_deleted(telegram, anna, greeting, "Deutsch")  # lang:set

    assert not answer.show_alert
    await anna.wait_for("Danke! Ab jetzt schreibe ich Ihnen auf Deutsch.")
    calm(heimbote, telegram, anna)


async def test_close_under_a_deleted_message_closes(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    heimbote = await start_bot()
    linden = await factories.home("linden")
    mother = await factories.resident(linden, "Frau M.")
    anna = await factories.family_member(telegram, "Anna", mother)
    carla = await factories.team_member(telegram, linden, "Carla", Role.ADMIN)
    await anna.send("When is the doctor coming?")
    relayed = await carla.wait_for(lambda m: "When is the doctor coming?" in m.content
                                   and "✅ Close" in m.button_texts)

    answer = await press_deleted(telegram, carla, relayed, "✅ Close")

    assert (answer.text, answer.show_alert) == ("Conversation #1 is closed.", False)
    assert (await Thread.get(number=1)).state == ThreadState.CLOSED
    calm(heimbote, telegram, carla, anna)
