"""Journey: a new user meets the bot, picks a language, and the bot keeps speaking it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.app import Heimbote
from tests.fakes import FakeTelegram

StartBot = Callable[..., Awaitable[Heimbote]]


async def test_anna_picks_english_and_everything_after_is_english(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    anna = telegram.user("Anna", language_code="de")

    await anna.send("/start")
    greeting = await anna.wait_for(lambda m: "Heimbote" in m.text)
    assert "Hallo Anna" in greeting.text  # her Telegram speaks German
    assert "✓ Deutsch" in greeting.button_texts and "English" in greeting.button_texts

    await anna.press("English")
    await anna.wait_for(lambda m: "From now on I will write to you in English" in m.text)
    await anna.wait_for(lambda m: "/language – Choose your language" in m.text)

    await anna.send("/help")
    await anna.wait_for(lambda m: m.text.startswith("Here is what I can do"))
    await anna.send("/nonsense")
    await anna.wait_for(lambda m: "I don't know that command" in m.text)


async def test_ben_picks_german_although_his_telegram_is_english(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    ben = telegram.user("Ben", language_code="en")

    await ben.send("/start")
    greeting = await ben.wait_for(lambda m: "Heimbote" in m.text)
    assert greeting.text.startswith("Hello Ben!")
    await ben.press("Deutsch")
    await ben.wait_for(lambda m: "Ab jetzt schreibe ich Ihnen auf Deutsch" in m.text)
    await ben.send("/help")
    await ben.wait_for(lambda m: m.text.startswith("Das kann ich für Sie tun"))


async def test_the_choice_survives_a_restart(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    first = await start_bot()
    carla = telegram.user("Carla", language_code="de")
    await carla.send("/start")
    await carla.wait_for(lambda m: "Heimbote" in m.text)
    await carla.press("English")
    await carla.wait_for(lambda m: "in English" in m.text)
    await first.stop()

    await start_bot()
    await carla.send("/help")
    await carla.wait_for(lambda m: m.text.startswith("Here is what I can do"))


async def test_unknown_telegram_language_gets_the_default(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot(default_locale="en")
    deniz = telegram.user("Deniz", language_code="tr")
    await deniz.send("/start")
    greeting = await deniz.wait_for(lambda m: "Heimbote" in m.text)
    assert greeting.text.startswith("Hello Deniz!")


async def test_the_menu_is_published_in_every_language(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    assert telegram.commands(language_code="de")["language"] == "Sprache wählen"
    assert telegram.commands(language_code="en")["language"] == "Choose your language"
    assert telegram.commands()["help"] == "Was ich kann"  # default locale for everyone else
