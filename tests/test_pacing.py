"""The pacer, on a clock moved by hand: Telegram's count is kept however requests arrive."""

from __future__ import annotations

import heapq
import random

import pytest

from bot.delivery.pacing import UNANSWERED_GRACE, Pacer, Send
from bot.sandbox.telegram.rate_limits import RateLimiter, RateLimits


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_sends_are_spaced_without_bursts() -> None:
    clock = Clock()
    pacer = Pacer(rate=10, clock=clock)
    pacer.finished(pacer.started(1))
    clock.now += pacer.wait_for(2)
    pacer.finished(pacer.started(2))
    assert pacer.wait_for(3) == pytest.approx(0.1)
    clock.now += 0.5  # a sender that fell behind does not make up for it with a burst
    pacer.finished(pacer.started(3))
    assert pacer.wait_for(4) == pytest.approx(0.05)


def test_in_flight_requests_fill_the_second() -> None:
    clock = Clock()
    pacer = Pacer(rate=5, clock=clock)
    for chat in range(1, 6):
        assert pacer.wait_for(chat) <= 0.2 + 1e-9
        clock.now += pacer.wait_for(chat)
        pacer.started(chat)
    clock.now += 5.0  # none answered yet: they might all still arrive within one second
    assert pacer.wait_for(6) > 0


def test_a_send_holds_its_place_until_a_second_after_its_answer() -> None:
    clock = Clock()
    pacer = Pacer(rate=3, clock=clock)
    sends: list[Send] = []
    for chat in (1, 2, 3):
        clock.now += pacer.wait_for(chat)
        sends.append(pacer.started(chat))
    clock.now += 0.3  # the first answer comes 0.3 s after the third start
    pacer.finished(sends[0])
    pacer.finished(sends[1])
    pacer.finished(sends[2])
    answered = clock.now
    assert pacer.wait_for(4) == pytest.approx(1.0)
    clock.now = answered + 1.0
    assert pacer.wait_for(4) == 0


def test_an_unanswered_request_counts_longer() -> None:
    clock = Clock()
    pacer = Pacer(rate=1, clock=clock)
    pacer.finished(pacer.started(1), answered=False)
    assert pacer.wait_for(2) == pytest.approx(1.0 + UNANSWERED_GRACE)


def test_an_album_counts_each_photo() -> None:
    clock = Clock()
    pacer = Pacer(rate=10, clock=clock)
    pacer.finished(pacer.started(1, messages=8))
    clock.now += 0.8  # spaced by eight intervals
    assert pacer.wait_for(2, messages=2) == 0
    assert pacer.wait_for(2, messages=3) == pytest.approx(0.2)


def test_private_chats_get_one_per_second_and_groups_twenty_a_minute() -> None:
    clock = Clock()
    pacer = Pacer(rate=1000, clock=clock)
    pacer.finished(pacer.started(7))
    assert pacer.chat_wait(7) == pytest.approx(1.0)
    group = -100
    for _ in range(20):
        clock.now += 1.0
        pacer.finished(pacer.started(group))
    assert pacer.chat_wait(group) == pytest.approx(60.0 - 19.0)
    clock.now += 41.0
    assert pacer.chat_wait(group) == 0


def test_a_429_pauses_halves_the_pace_and_it_grows_back() -> None:
    clock = Clock()
    pacer = Pacer(rate=20, clock=clock)
    assert pacer.throttled(3.0) is True
    assert pacer.throttled(3.0) is False  # the others refused in the same pause: one pause
    assert pacer.ceiling == 10
    assert pacer.wait_for(1) == pytest.approx(3.0)
    clock.now += 3.0
    for chat in range(1, 400):
        clock.now += pacer.wait_for(chat)
        pacer.finished(pacer.started(chat))
        if pacer.ceiling == 20:
            break
    assert pacer.ceiling == 20
    assert clock.now - 1003.0 > 10  # slowly: about a second per send/s regained


@pytest.mark.parametrize(("rate", "jitter"), [(30, 0.002), (30, 0.2), (100, 0.05), (300, 0.01)])
def test_telegram_never_counts_more_than_the_rate_in_any_second(
    rate: int, jitter: float
) -> None:
    """Requests arrive at any moment between start and answer, bunched or late: no 429."""
    clock = Clock()
    pacer = Pacer(rate=rate, clock=clock)
    telegram_clock = Clock()
    telegram = RateLimiter(RateLimits(per_bot_per_second=rate), telegram_clock)
    draw = random.Random(rate)
    events: list[tuple[float, int, str, Send]] = []  # (time, order, "arrive"|"answer", send)
    order = 0
    sent = 0
    started_at = clock.now
    in_flight = 0

    def happen_until(moment: float) -> None:
        nonlocal in_flight
        while events and events[0][0] <= moment:
            at, _, kind, send = heapq.heappop(events)
            if kind == "arrive":
                telegram_clock.now = at
                assert telegram.admit("sendMessage", send.chat_id, private=True) is None
            else:
                clock.now = at
                pacer.finished(send)
                in_flight -= 1

    while sent < rate * 20:
        chat = sent + 1
        while (wait := pacer.wait_for(chat)) > 0 or in_flight >= 16:
            step = clock.now + (wait if wait > 0 else 0.001)
            if events and events[0][0] < step:
                step = events[0][0]
            happen_until(step)
            clock.now = max(clock.now, step)
        send = pacer.started(chat)
        in_flight += 1
        sent += 1
        arrive = clock.now + draw.uniform(0, jitter) * draw.choice((0.0, 0.1, 1.0))
        answer = arrive + draw.uniform(0.0005, 0.003)
        heapq.heappush(events, (arrive, order, "arrive", send))
        heapq.heappush(events, (answer, order + 1, "answer", send))
        order += 2
    happen_until(float("inf"))
    pace = sent / (clock.now - started_at)
    if jitter <= 0.01:
        assert pace >= 0.95 * rate  # short round trips cost little
