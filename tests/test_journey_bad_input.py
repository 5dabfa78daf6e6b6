"""Odd input never reaches a user as an exception; the bot answers only where it makes sense.

To show that the bot said nothing, each test ends with a /help: updates are handled in order,
so once /help is answered, anything the bot would have said before would already be there.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from bot.app import Heimbote
from bot.sandbox.telegram.callbacks import callback_query_update
from tests.fakes import CallbackAnswer, FakeMessage, FakeTelegram, FakeUser

StartBot = Callable[..., Awaitable[Heimbote]]


async def greeted(telegram: FakeTelegram, name: str = "Anna") -> FakeUser:
    user = telegram.user(name, language_code="en")
    await user.send("/start")
    await user.wait_for(lambda m: "Heimbote" in m.text)
    return user


async def still_answers(user: FakeUser) -> list[str]:
    """Send /help, wait for its answer; return everything the bot said since the action before."""
    before = len(user.messages)
    await user.send("/help")
    await user.wait_for(lambda m: m.text.startswith("Here is what I can do"))
    return [m.text for m in user.messages[before:-1]]


@pytest.mark.parametrize(
    "text",
    [
        "x" * 10_000,
        "‮ǝɯ dlǝɥ‬ \u200b\u200d👨‍👩‍👧 ﷽ 𝕳𝖊𝖑𝖑𝖔 \x00",
        "/start@someone_elses_bot",
        "/" + "a" * 200,
        "   ",
    ],
)
async def test_strange_texts_get_a_short_hint(
    telegram: FakeTelegram, start_bot: StartBot, text: str
) -> None:
    await start_bot()
    anna = await greeted(telegram)
    await anna.send(text)
    hint = await anna.wait_for()
    assert hint.text.endswith("/help shows what I can do.")
    assert await still_answers(anna) == []


async def test_stickers_voice_photos_and_files_get_a_hint(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    anna = await greeted(telegram)
    for send in (anna.send_sticker, anna.send_voice, anna.send_video, anna.send_photo):
        await send()
        await anna.wait_for(lambda m: "buttons and commands" in m.text)
    assert telegram.calls_of("sendMessage")  # and the bot is alive:
    assert await still_answers(anna) == []


async def test_edits_channel_posts_and_unknown_updates_are_ignored(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    heimbote = await start_bot()
    anna = await greeted(telegram)
    mine = await anna.send("/help")
    await anna.wait_for(lambda m: m.text.startswith("Here is what I can do"))
    await anna.edit(mine, "/start")
    channel = {"id": -100123, "type": "channel", "title": "News"}
    await telegram.push_raw_update(
        {"channel_post": {"message_id": 5, "date": 1_790_000_000, "chat": channel, "text": "hi"}}
    )
    await telegram.push_raw_update({"poll": {"id": "1", "question": "?", "options": []}})
    await telegram.push_raw_update({"something_new": {"id": 1}})
    assert await still_answers(anna) == []
    assert heimbote.metrics.handler_errors._value.get() == 0


async def test_the_bot_does_not_chatter_in_groups(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    anna = await greeted(telegram)
    group = telegram.group("Familie M.")
    group.add(anna)
    await group.send(anna, "/help")
    await group.send(anna, "hello everyone")
    await group.send(anna, "/nonsense")
    assert await still_answers(anna) == []
    assert group.messages == []


async def forge_press(
    telegram: FakeTelegram, user: FakeUser, message: FakeMessage, data: str
) -> CallbackAnswer:
    """What a modified client can do: press a real message's button with any callback data."""
    query = telegram.callbacks.open(user.id, message, data)
    telegram.deliver(callback_query_update(query, user.to_dict()))
    return await telegram.signal.wait_for(lambda: query.answer, 5.0, lambda: f"answer to {data}")


async def test_a_forged_button_is_refused_politely(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    anna = await greeted(telegram)
    greeting = anna.messages[0]
    for data in ("lang:1:set:xx", "lang:1:set", "lang:9:set:de", "evil:1:x", "::", "x" * 64):
        answer = await forge_press(telegram, anna, greeting, data)
        assert answer.text == "This button is no longer valid."
        assert answer.show_alert
    assert await still_answers(anna) == []
