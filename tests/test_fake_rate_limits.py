"""The fake's flood control counts as Telegram does: sends arriving in any sliding second.

Real HTTP through PTB's ``telegram.Bot``; the fake's clock is moved by hand.
"""

from __future__ import annotations

from typing import Any

import pytest
import telegram
from telegram.error import RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from tests.conftest import TOKEN, ManualClock
from tests.fakes import TINY_JPEG, FakeTelegram, RateLimits


def relatives(tg: FakeTelegram, count: int) -> list[Any]:
    return [tg.user(f"R{n}", started=True) for n in range(count)]


async def test_30_sends_in_half_a_second_pass_the_31st_that_second_is_refused(
    tg: FakeTelegram, bot: telegram.Bot, clock: ManualClock
) -> None:
    people = relatives(tg, 32)
    for person in people[:30]:
        await bot.send_message(person.id, "Sommerfest")
        clock.advance(0.5 / 30)
    clock.advance(0.4)  # 0.9 s after the first
    with pytest.raises(RetryAfter) as refused:
        await bot.send_message(people[30].id, "eine zu viel")
    assert refused.value.retry_after.total_seconds() == 1
    assert people[30].messages == []  # refused means not delivered
    assert [(t.chat_id, t.retry_after) for t in tg.throttled] == [(people[30].id, 1)]


async def test_the_window_slides_rather_than_refilling(
    tg: FakeTelegram, bot: telegram.Bot, clock: ManualClock
) -> None:
    people = relatives(tg, 62)
    for person in people[:30]:  # all in one instant: a burst "started" apart arriving together
        await bot.send_message(person.id, "x")
    clock.advance(1.0)  # the first 30 leave the window together
    for person in people[30:60]:
        await bot.send_message(person.id, "y")
        clock.advance(0.01)
    # A token bucket with burst 30 would allow some of these by now; the window does not.
    with pytest.raises(RetryAfter):
        await bot.send_message(people[60].id, "z")
    clock.advance(1.0 - 0.3 + 0.001)  # the first of the second 30 has left the window
    await bot.send_message(people[60].id, "z")
    with pytest.raises(RetryAfter):
        await bot.send_message(people[61].id, "z")
    assert sum(len(p.messages) for p in people) == 61


async def test_an_album_counts_each_photo(
    tg: FakeTelegram, bot: telegram.Bot, clock: ManualClock
) -> None:
    people = relatives(tg, 28)
    for person in people[:25]:
        await bot.send_message(person.id, "x")
    album = [telegram.InputMediaPhoto(TINY_JPEG) for _ in range(6)]
    with pytest.raises(RetryAfter):  # 25 + 6 > 30
        await bot.send_media_group(people[25].id, album)
    assert people[25].messages == []
    album = [telegram.InputMediaPhoto(TINY_JPEG) for _ in range(5)]
    await bot.send_media_group(people[26].id, album)  # 25 + 5 = 30
    assert len(people[26].messages) == 5
    with pytest.raises(RetryAfter):
        await bot.send_message(people[27].id, "x")


async def test_a_group_takes_20_in_any_60_seconds(
    tg: FakeTelegram, bot: telegram.Bot, clock: ManualClock
) -> None:
    station = tg.group("Station 1")
    for number in range(20):
        await bot.send_message(station.id, f"Nr. {number}")
        clock.advance(2.0)  # 20 sends over 40 s; a bucket would have refilled some by now
    with pytest.raises(RetryAfter) as refused:
        await bot.send_message(station.id, "Nr. 21")
    # The first left the window at 60 s after it: 20 s from now, rounded up.
    assert refused.value.retry_after.total_seconds() == 20
    clock.advance(20.0)
    await bot.send_message(station.id, "Nr. 21")
    assert len(station.messages) == 21


async def test_retry_after_is_rounded_up_to_whole_seconds(
    tg: FakeTelegram, bot: telegram.Bot, clock: ManualClock
) -> None:
    station = tg.group("Station 2")
    for _ in range(20):
        await bot.send_message(station.id, "x")
    clock.advance(58.5)
    with pytest.raises(RetryAfter) as refused:
        await bot.send_message(station.id, "x")
    assert refused.value.retry_after.total_seconds() == 2  # 1.5 s, rounded up


async def test_a_private_chat_holds_three_then_one_per_second(
    tg: FakeTelegram, bot: telegram.Bot, clock: ManualClock
) -> None:
    anna = tg.user("Anna", started=True)
    for _ in range(3):
        await bot.send_message(anna.id, "x")
    with pytest.raises(RetryAfter):
        await bot.send_message(anna.id, "x")
    clock.advance(1.0)
    await bot.send_message(anna.id, "x")
    with pytest.raises(RetryAfter):
        await bot.send_message(anna.id, "x")
    assert len(anna.messages) == 4


async def test_the_per_bot_limit_is_configurable(clock: ManualClock) -> None:
    async with FakeTelegram(
        token=TOKEN, clock=clock, limits=RateLimits(per_bot_per_second=100)
    ) as fake:
        people = relatives(fake, 101)
        async with telegram.Bot(TOKEN, base_url=fake.base_url) as ptb:
            for person in people[:100]:
                await ptb.send_message(person.id, "x")
            with pytest.raises(RetryAfter):
                await ptb.send_message(people[100].id, "x")


async def test_a_lost_answer_delivers_but_the_bot_times_out(tg: FakeTelegram) -> None:
    anna = tg.user("Anna", started=True)
    tg.lose_answers("sendMessage")
    request = HTTPXRequest(read_timeout=0.2)
    async with telegram.Bot(TOKEN, base_url=tg.base_url, request=request) as ptb:
        with pytest.raises(TimedOut):
            await ptb.send_message(anna.id, "angekommen, aber keine Antwort")
        await ptb.send_message(anna.id, "diesmal mit Antwort")
    assert [m.text for m in anna.messages] == [
        "angekommen, aber keine Antwort", "diesmal mit Antwort"
    ]


async def test_an_album_and_its_buttons_may_follow_each_other_in_a_private_chat(
    tg: FakeTelegram, bot: telegram.Bot
) -> None:
    anna = tg.user("Anna", started=True)
    album = [telegram.InputMediaPhoto(TINY_JPEG) for _ in range(10)]
    await bot.send_media_group(anna.id, album)
    await bot.send_message(anna.id, "Passt das so?")
    assert len(anna.messages) == 11
