"""The outbox and its sender, against the fake Bot API over real HTTP."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Awaitable, Callable
from zoneinfo import ZoneInfo

import pytest
from telegram import Bot
from telegram.request import HTTPXRequest

from bot.delivery import sender as sender_module
from bot.delivery.outbox import (
    Outgoing,
    Recipient,
    claim_due,
    earliest_delivery,
    enqueue,
    progress,
)
from bot.delivery.pacing import Pacer
from bot.delivery.sender import Sender
from bot.models import Account, Delivery, DeliveryState
from tests import factories
from tests.conftest import TOKEN
from tests.fakes import FakeTelegram, FakeUser

pytestmark = pytest.mark.calendar  # run at every instant of tests.conftest.CLOCKS

BERLIN = "Europe/Berlin"


@pytest.fixture
async def sender(telegram: FakeTelegram, db: str) -> AsyncIterator[Sender]:
    bot = Bot(TOKEN, base_url=telegram.base_url, base_file_url=telegram.base_file_url)
    async with bot:
        yield Sender(bot, Pacer(rate=25))


async def send_all(sender: Sender, timeout: float = 10.0) -> None:
    """Run the sender until nothing is pending any more."""
    async with asyncio.timeout(timeout):
        while await Delivery.filter(state=DeliveryState.PENDING).exists():
            if not await sender.send_due():
                await asyncio.sleep(0.05)  # a postponed row is not due yet


async def relative(telegram: FakeTelegram, name: str) -> tuple[FakeUser, Account]:
    user = telegram.user(name, started=True)
    return user, await factories.account(name, telegram_id=user.id)


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, 23, hour, minute, tzinfo=ZoneInfo(BERLIN)).astimezone(dt.UTC)


async def test_enqueueing_twice_sends_once(telegram: FakeTelegram, sender: Sender) -> None:
    anna, account = await relative(telegram, "Anna")
    recipients = [Recipient(anna.id, account)]
    for _ in range(2):
        await enqueue(recipients, Outgoing.text("Sommerfest am Samstag"), purpose="announcement",
                      reference="1", urgent=True)
    assert await Delivery.all().count() == 1
    await send_all(sender)
    assert [m.text for m in anna.messages] == ["Sommerfest am Samstag"]
    assert await progress("announcement", "1") == {
        "pending": 0, "sending": 0, "sent": 1, "failed": 0, "skipped": 0
    }


@pytest.mark.parametrize(
    ("now", "urgent", "expected"),
    [
        (at(22), False, at(8) + dt.timedelta(days=1)),
        (at(3), False, at(8)),
        (at(12), False, at(12)),
        (at(22), True, at(22)),
        (at(7, 59), False, at(8)),
        (at(8), False, at(8)),
    ],
)
def test_quiet_hours_hold_non_urgent_messages_until_morning(
    now: dt.datetime, urgent: bool, expected: dt.datetime
) -> None:
    account = Account(telegram_id=1)
    assert earliest_delivery(Recipient(1, account, BERLIN), urgent=urgent, now=now) == expected


def test_equal_quiet_hours_mean_none() -> None:
    account = Account(telegram_id=1, quiet_from=dt.time(0), quiet_until=dt.time(0))
    assert earliest_delivery(Recipient(1, account, BERLIN), urgent=False, now=at(23)) == at(23)


async def test_a_broadcast_keeps_telegrams_limits(telegram: FakeTelegram, sender: Sender) -> None:
    people = [await relative(telegram, f"Relative {n}") for n in range(40)]
    anna, account = people[0]
    await enqueue([Recipient(u.id, a) for u, a in people], Outgoing.text("Hallo"),
                  purpose="announcement", reference="2", urgent=True)
    for n in range(3):  # three more for Anna: one per second
        await enqueue([Recipient(anna.id, account)], Outgoing.text(f"Nachricht {n}"),
                      purpose="notice", reference=str(n), urgent=True)
    await send_all(sender, timeout=20)
    assert telegram.throttled == []
    assert all(user.messages for user, _ in people)
    assert len(anna.messages) == 4


async def test_a_429_pauses_and_the_message_still_arrives(
    telegram: FakeTelegram, sender: Sender
) -> None:
    anna, account = await relative(telegram, "Anna")
    telegram.fail_next("sendMessage", status=429, retry_after=1)
    await enqueue([Recipient(anna.id, account)], Outgoing.text("Hallo"), purpose="p",
                  reference="1", urgent=True)
    await send_all(sender)
    row = await Delivery.get()
    assert (row.state, row.attempts) == (DeliveryState.SENT, 0)
    assert anna.last_text == "Hallo"


async def test_429s_in_one_pause_log_one_line_and_slow_the_pace(
    telegram: FakeTelegram, db: str, caplog: pytest.LogCaptureFixture
) -> None:
    people = [await relative(telegram, name) for name in ("Anna", "Ben", "Carla", "Dora")]
    telegram.fail_next("sendMessage", status=429, times=3, retry_after=1)
    telegram.slow("sendMessage", 0.2)  # all four are in flight when the first 429 comes
    await enqueue([Recipient(u.id, a) for u, a in people], Outgoing.text("Hallo"), purpose="p",
                  reference="1", urgent=True)
    pacer = Pacer(rate=25)
    async with Bot(TOKEN, base_url=telegram.base_url) as bot:
        await send_all(Sender(bot, pacer))
    assert all(user.last_text == "Hallo" for user, _ in people)
    warnings = [r for r in caplog.records if "429" in r.getMessage()]
    assert len(warnings) == 1
    assert pacer.ceiling < 25


async def test_server_errors_are_retried_then_fail_with_the_reason(
    telegram: FakeTelegram, sender: Sender, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sender_module, "backoff", lambda attempt: 0.0)
    anna, account = await relative(telegram, "Anna")
    ben, ben_account = await relative(telegram, "Ben")
    telegram.fail_next("sendMessage", status=502, times=2)
    await enqueue([Recipient(anna.id, account)], Outgoing.text("eins"), purpose="p",
                  reference="1", urgent=True)
    await send_all(sender)
    assert anna.last_text == "eins"
    assert (await Delivery.get()).attempts == 2

    telegram.fail_next("sendMessage", status=500, times=sender_module.MAX_ATTEMPTS)
    await enqueue([Recipient(ben.id, ben_account)], Outgoing.text("zwei"), purpose="p",
                  reference="2", urgent=True)
    await send_all(sender)
    failed = await Delivery.get(reference="2")
    assert failed.state == DeliveryState.FAILED
    assert failed.last_error
    assert ben.messages == []


async def test_a_blocked_relative_becomes_unreachable_and_is_skipped(
    telegram: FakeTelegram, sender: Sender
) -> None:
    anna, account = await relative(telegram, "Anna")
    telegram.block(anna)
    for n in range(3):
        await enqueue([Recipient(anna.id, account)], Outgoing.text(f"n{n}"), purpose="p",
                      reference=str(n), urgent=True)
    await send_all(sender)
    assert (await Account.get(id=account.id)).unreachable
    states = await Delivery.all().values_list("state", flat=True)
    assert set(states) == {DeliveryState.SKIPPED}
    assert len(telegram.calls_of("sendMessage")) == 1  # no hammering after the 403


async def test_a_message_to_a_migrated_group_follows_it(
    telegram: FakeTelegram, sender: Sender
) -> None:
    group = telegram.group("Station 1")
    old_id = group.id
    new_id = telegram.migrate_group(group)
    await enqueue([Recipient(old_id)], Outgoing.text("Neue Nachricht"), purpose="p",
                  reference="1", urgent=True)
    await send_all(sender)
    row = await Delivery.get()
    assert (row.state, row.chat_id) == (DeliveryState.SENT, new_id)
    assert group.last_text == "Neue Nachricht"


async def test_a_bad_request_fails_with_telegrams_description(
    telegram: FakeTelegram, sender: Sender
) -> None:
    anna, account = await relative(telegram, "Anna")
    await enqueue([Recipient(anna.id, account)], Outgoing.text("<b>kaputt", parse_mode="HTML"),
                  purpose="p", reference="1", urgent=True)
    await send_all(sender)
    row = await Delivery.get()
    assert row.state == DeliveryState.FAILED
    assert "parse" in row.last_error.lower()


async def test_an_album_is_resent_by_file_id_without_uploading(
    telegram: FakeTelegram, sender: Sender
) -> None:
    ben, _ = await relative(telegram, "Ben")
    anna, account = await relative(telegram, "Anna")
    photos = await ben.send_album(3)
    file_ids = [message.photo[-1]["file_id"] for message in photos]
    await enqueue([Recipient(anna.id, account)], Outgoing.album(file_ids, "Sommerfest"),
                  purpose="photo_update", reference="1", urgent=True)
    await send_all(sender)
    assert len(anna.messages) == 3
    assert anna.messages[0].caption == "Sommerfest"
    assert telegram.uploads == []
    assert len((await Delivery.get()).sent_message_ids) == 3


async def test_rows_in_flight_at_a_crash_are_sent_after_the_restart(
    telegram: FakeTelegram, sender: Sender
) -> None:
    anna, account = await relative(telegram, "Anna")
    await enqueue([Recipient(anna.id, account)], Outgoing.text("Hallo"), purpose="p",
                  reference="1", urgent=True)
    assert len(await claim_due(10)) == 1  # claimed, then the process died
    assert await claim_due(10) == []
    worker = asyncio.create_task(sender.run())
    try:
        await anna.wait_for("Hallo")
    finally:
        worker.cancel()
        with pytest.raises(asyncio.CancelledError):
            await worker


async def test_a_relative_who_unblocks_the_bot_is_reachable_again(
    telegram: FakeTelegram, start_bot: Callable[..., Awaitable[object]]
) -> None:
    await start_bot()
    anna = telegram.user("Anna", language_code="en")
    await anna.send("/help")
    await anna.wait_for()
    telegram.block(anna)
    async with asyncio.timeout(5):
        while not (await Account.get(telegram_id=anna.id)).unreachable:  # noqa: ASYNC110
            await asyncio.sleep(0.02)
    await anna.send("/help")  # writing again lifts the block
    await anna.wait_for()
    assert not (await Account.get(telegram_id=anna.id)).unreachable


async def test_chosen_quiet_hours_are_kept_as_stored(db: str) -> None:
    anna = await factories.account("Anna", telegram_id=1)
    anna.quiet_from, anna.quiet_until = dt.time(22, tzinfo=dt.UTC), dt.time(7, tzinfo=dt.UTC)
    await anna.save()
    stored = await Account.get(id=anna.id)  # as the database gives them back
    wake = earliest_delivery(Recipient(1, stored, BERLIN), urgent=False, now=at(23))
    assert wake == at(7) + dt.timedelta(days=1)


async def test_a_time_out_is_retried(
    telegram: FakeTelegram, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sender_module, "backoff", lambda attempt: 0.0)
    anna, account = await relative(telegram, "Anna")
    request = HTTPXRequest(read_timeout=0.3)
    bot = Bot(TOKEN, base_url=telegram.base_url, request=request)
    telegram.slow("sendMessage", 0.6)
    await enqueue([Recipient(anna.id, account)], Outgoing.text("Hallo"), purpose="p",
                  reference="1", urgent=True)
    async with bot:
        sender = Sender(bot, Pacer(rate=25))
        await sender.send_due()
        row = await Delivery.get()
        assert (row.state, row.attempts) == (DeliveryState.PENDING, 1)
        assert "timed out" in row.last_error.lower()
        telegram.slow("sendMessage", 0)
        await send_all(sender)
    assert (await Delivery.get()).state == DeliveryState.SENT
    assert anna.messages[-1].text == "Hallo"  # Telegram may have delivered the first try too


async def test_the_hooks_given_to_the_sender_run_after_their_purpose_was_sent(
    telegram: FakeTelegram, db: str
) -> None:
    anna, account = await relative(telegram, "Anna")
    seen: list[tuple[str, list[int], DeliveryState]] = []

    async def remember(row: Delivery) -> None:
        stored = await Delivery.get(id=row.id)  # the hook runs before the row is marked sent
        seen.append((row.reference, list(row.sent_message_ids), stored.state))

    async def broken(row: Delivery) -> None:
        raise RuntimeError("the bookkeeping failed")

    for purpose, reference in (("relay", "1"), ("announcement", "2"), ("broken", "3")):
        await enqueue([Recipient(anna.id, account)], Outgoing.text(f"Nachricht {reference}"),
                      purpose=purpose, reference=reference, urgent=True)
    bot = Bot(TOKEN, base_url=telegram.base_url, base_file_url=telegram.base_file_url)
    async with bot:
        await send_all(Sender(bot, Pacer(rate=25), hooks={"relay": remember, "broken": broken}))

    (message,) = [m for m in anna.messages if m.text == "Nachricht 1"]
    assert seen == [("1", [message.message_id], DeliveryState.SENDING)]  # only its own purpose
    states = await Delivery.all().order_by("id").values_list("state", flat=True)
    assert states == [DeliveryState.SENT] * 3  # a failing hook leaves what was sent as sent
