"""The events service: its rules, without Telegram (the stories are in test_journey_events)."""

from __future__ import annotations

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from bot.clock import now as clock_now
from bot.domain.enums import EventAudience
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.models import Account, Delivery, Event, EventSignup, Facility, ResidentStatus, Role
from bot.services import events
from bot.services.accounts.actors import Actor
from bot.services.events import signups
from bot.services.privacy import erase_account
from tests import factories

pytestmark = pytest.mark.calendar  # deadlines and starts: run at every instant of CLOCKS

CLI = Actor.cli()
BERLIN = ZoneInfo("Europe/Berlin")


async def party(
    facility: Facility, now: dt.datetime, *, capacity: int = 4, days: int = 10,
    deadline: dt.timedelta | None = None,
) -> events.EventView:
    start = now + dt.timedelta(days=days)
    return await events.create_event(CLI, facility.id, events.NewEvent(
        title="Sommerfest", starts_at=start, ends_at=start + dt.timedelta(hours=2),
        capacity=capacity, signup_until=start - deadline if deadline else None,
    ))


def test_times_are_typed_in_the_homes_zone() -> None:
    start, end = events.parse_when("12.07.2026 15:00", "Europe/Berlin")
    assert start == dt.datetime(2026, 7, 12, 13, 0, tzinfo=dt.UTC)
    assert end - start == dt.timedelta(hours=2)
    start, end = events.parse_when(" 2026-07-12 22:30 - 01:00 ", "Europe/Berlin")
    assert end - start == dt.timedelta(hours=2, minutes=30)  # until after midnight
    for wrong in ("morgen 15 Uhr", "2026-13-01 15:00", "2026-07-12 25:00", "2026-07-12"):
        with pytest.raises(InvalidInput):
            events.parse_when(wrong, "Europe/Berlin")


async def test_an_event_is_checked_and_only_admins_create_it(db: str, now: dt.datetime) -> None:
    linden = await factories.home("linden")
    ben = await factories.staff("Ben", linden)
    start = now + dt.timedelta(days=3)
    new = events.NewEvent(title="Fest", starts_at=start, ends_at=start + dt.timedelta(hours=1),
                          capacity=10)
    with pytest.raises(NotAllowed):
        await events.create_event(Actor(ben), linden.id, new)
    wrong = [
        events.NewEvent(title=" ", starts_at=start, ends_at=start, capacity=10),
        events.NewEvent(title="Fest", starts_at=now - dt.timedelta(hours=1), ends_at=start,
                        capacity=10),
        events.NewEvent(title="Fest", starts_at=start, ends_at=start, capacity=10),
        events.NewEvent(title="Fest", starts_at=start, ends_at=start + dt.timedelta(hours=1),
                        capacity=0),
        events.NewEvent(title="Fest", starts_at=start, ends_at=start + dt.timedelta(hours=1),
                        capacity=10, signup_until=start + dt.timedelta(minutes=1)),
    ]
    for each in wrong:
        with pytest.raises(InvalidInput):
            await events.create_event(CLI, linden.id, each)
    assert not await Event.exists()


async def test_sign_up_rules(db: str, now: dt.datetime) -> None:
    linden = await factories.home("linden")
    mother = await factories.resident(linden, "Frau M.")
    anna = await factories.relative("Anna", mother)
    otto = await factories.relative("Otto", await factories.resident(linden, "Herr K."))
    stranger = await factories.relative("Sam", await factories.resident(
        await factories.home("eiche"), "Frau E."))
    fest = await party(linden, now, capacity=4, deadline=dt.timedelta(days=2))

    with pytest.raises(NotFound):
        await events.sign_up(stranger, fest.id, 1)  # another home's relative
    with pytest.raises(InvalidInput):
        await events.sign_up(anna, fest.id, 7)
    assert (await events.sign_up(anna, fest.id, 3)).mine == 3
    with pytest.raises(InvalidInput) as full:
        await events.sign_up(otto, fest.id, 2)
    assert full.value.field == "places"
    assert (await events.sign_up(anna, fest.id, 1)).taken == 1  # fewer: places come back
    assert (await events.sign_up(otto, fest.id, 3)).taken == 4
    with pytest.raises(InvalidInput):
        await events.sign_up(anna, fest.id, 2)  # one more would be five
    assert await Delivery.filter(purpose=events.SIGNED_UP).count() == 3

    with time_machine.travel(fest.signup_until + dt.timedelta(minutes=1), tick=False):
        with pytest.raises(InvalidInput) as closed:
            await events.sign_up(anna, fest.id, 1)
        assert closed.value.field == "signup"
        await events.withdraw(otto, fest.id)  # until the start, withdrawing still frees places
    with time_machine.travel(fest.starts_at + dt.timedelta(minutes=1), tick=False):
        with pytest.raises(InvalidInput):
            await events.withdraw(anna, fest.id)  # begun: the figures keep who came
    assert (await Event.get(id=fest.id)).taken == 1


async def test_a_relative_whose_resident_moved_out_may_still_withdraw(
    db: str, now: dt.datetime
) -> None:
    linden = await factories.home("linden")
    mother = await factories.resident(linden, "Frau M.")
    anna = await factories.relative("Anna", mother)
    fest = await party(linden, now)
    await events.sign_up(anna, fest.id, 2)
    mother.status = ResidentStatus.MOVED_OUT
    await mother.save()
    assert await events.upcoming_for(anna) == []
    assert (await events.withdraw(anna, fest.id)).taken == 0
    with pytest.raises(NotFound):
        await events.event_for(anna, fest.id)


async def test_residents_only_and_cancelled_events_take_no_sign_ups(
    db: str, now: dt.datetime
) -> None:
    linden = await factories.home("linden")
    anna = await factories.relative("Anna", await factories.resident(linden, "Frau M."))
    start = now + dt.timedelta(days=5)
    concert = await events.create_event(CLI, linden.id, events.NewEvent(
        title="Konzert", starts_at=start, ends_at=start + dt.timedelta(hours=1), capacity=30,
        audience=EventAudience.RESIDENTS))
    with pytest.raises(InvalidInput) as refused:
        await events.sign_up(anna, concert.id, 1)
    assert refused.value.field == "audience"
    fest = await party(linden, now)
    await events.sign_up(anna, fest.id, 1)
    first = await events.cancel_event(CLI, fest.id)
    again = await events.cancel_event(CLI, fest.id)  # changes nothing, tells nobody twice
    assert first.sequence == again.sequence == 1
    assert await Delivery.filter(purpose=events.CHANGED).count() == 1
    with pytest.raises(InvalidInput):
        await events.sign_up(anna, fest.id, 2)
    with pytest.raises(InvalidInput):
        await events.change_event(CLI, fest.id, place="Saal")
    assert [e.title for e in await events.upcoming_for(anna)] == ["Konzert"]


async def test_the_team_reads_and_only_admins_change(db: str, now: dt.datetime) -> None:
    linden = await factories.home("linden")
    ben = Actor(await factories.staff("Ben", linden, Role.STAFF))
    dora = Actor(await factories.staff("Dora", await factories.home("eiche"), Role.ADMIN))
    fest = await party(linden, now)
    assert [e.id for e in await events.upcoming(ben, linden.id)] == [fest.id]
    assert not (await events.signup_list(ben, fest.id)).may_change
    for refused in (events.cancel_event(ben, fest.id), events.signup_list(dora, fest.id),
                    events.change_event(ben, fest.id, place="Saal"),
                    events.announce(ben, fest.id), events.set_public(ben, fest.id, True)):
        with pytest.raises(NotAllowed):
            await refused
    assert (await Event.get(id=fest.id)).sequence == 0


async def test_an_event_typed_step_by_step(db: str, now: dt.datetime) -> None:
    linden = await factories.home("linden")
    start = (now + dt.timedelta(days=9)).astimezone(BERLIN)
    draft: dict[str, object] = {}
    for answer in ("Sommerfest", "-", f"{start:%Y-%m-%d} 15:00-18:00", "Garten", "40"):
        draft = events.answer_step(draft, answer, linden.timezone)
    assert events.next_step(draft) == "deadline"
    for wrong in (f"{start:%Y-%m-%d} 16:00", "2020-01-01 10:00", "bald"):
        with pytest.raises(InvalidInput):
            events.answer_step(draft, wrong, linden.timezone)
    deadline = start - dt.timedelta(days=2)
    draft = events.answer_step(draft, f"{deadline:%d.%m.%Y} 18:00", linden.timezone)
    assert events.next_step(draft) is None
    with pytest.raises(InvalidInput):
        events.answer_step(draft, "more", linden.timezone)
    made = await events.create_from_draft(CLI, linden.id, draft, EventAudience.RELATIVES)
    assert (made.title, made.description, made.place, made.capacity) == (
        "Sommerfest", "", "Garten", 40)
    assert made.signup_until.astimezone(BERLIN).replace(tzinfo=None) == dt.datetime.combine(
        deadline.date(), dt.time(18))
    assert made.starts_at.astimezone(BERLIN).hour == 15


async def test_a_postponed_event_keeps_its_deadline_rule(db: str, now: dt.datetime) -> None:
    linden = await factories.home("linden")
    until_start = await party(linden, now)
    early = await party(linden, now, deadline=dt.timedelta(days=3))
    later = (until_start.starts_at + dt.timedelta(days=7),
             until_start.ends_at + dt.timedelta(days=7))
    moved = await events.change_event(CLI, until_start.id, when=later)
    assert moved.signup_until == later[0] and moved.sequence == 1
    kept = await events.change_event(CLI, early.id, when=later)
    assert kept.signup_until == early.signup_until
    sooner = (now + dt.timedelta(hours=5), now + dt.timedelta(hours=6))
    assert (await events.change_event(CLI, early.id, when=sooner)).signup_until == sooner[0]
    same = await events.change_event(CLI, early.id, when=sooner)  # nothing new: nobody told
    assert same.sequence == 2


async def test_a_change_waits_for_quiet_hours_unless_the_event_is_near(db: str) -> None:
    evening = dt.datetime(2026, 6, 17, 22, 0, tzinfo=BERLIN)  # inside 21:00-08:00
    with time_machine.travel(evening, tick=False):
        linden = await factories.home("linden")
        anna = await factories.relative("Anna", await factories.resident(linden, "Frau M."))
        far = await party(linden, evening.astimezone(dt.UTC), days=10)
        near = await events.create_event(CLI, linden.id, events.NewEvent(
            title="Spieleabend", starts_at=evening + dt.timedelta(hours=20),
            ends_at=evening + dt.timedelta(hours=22), capacity=10))
        for fest in (far, near):
            await events.sign_up(anna, fest.id, 1)
            await events.change_event(CLI, fest.id, place="Saal")
        told = {row.reference: row.next_attempt_at
                for row in await Delivery.filter(purpose=events.CHANGED)}
    morning = dt.datetime(2026, 6, 18, 8, 0, tzinfo=BERLIN)
    assert told == {f"{far.id}:1": morning, f"{near.id}:1": evening}
    confirmations = await Delivery.filter(purpose=events.SIGNED_UP)
    assert {row.next_attempt_at for row in confirmations} == {evening}  # asked for: at once


async def test_the_deadline_is_the_homes_local_time_and_a_past_event_is_not_offered(
    db: str, now: dt.datetime
) -> None:
    lisbon = ZoneInfo("Europe/Lisbon")  # one hour behind Berlin: 18:00 there is 19:00 here
    porto = await factories.home("porto", timezone="Europe/Lisbon", default_locale="de")
    anna = await factories.relative("Anna", await factories.resident(porto, "Frau P."))
    day = (now.astimezone(lisbon) + dt.timedelta(days=10)).date()
    draft: dict[str, object] = {}
    for text in ("Sommerfest", "-", f"{day} 15:00-17:00", "-", "10",
                 f"{day - dt.timedelta(days=2)} 18:00"):
        draft = events.answer_step(draft, text, porto.timezone, now=now)
    fest = await events.create_from_draft(CLI, porto.id, draft, EventAudience.RELATIVES, now=now)
    deadline = dt.datetime.combine(day - dt.timedelta(days=2), dt.time(18), lisbon)
    assert fest.signup_until == deadline
    assert fest.starts_at == dt.datetime.combine(day, dt.time(15), lisbon)
    assert events.deadline_text("de", fest).endswith("18:00")  # as the home reads it

    with time_machine.travel(deadline - dt.timedelta(minutes=1), tick=False):
        assert (await events.sign_up(anna, fest.id, 1)).mine == 1
    with time_machine.travel(deadline + dt.timedelta(minutes=1), tick=False):
        # 18:01 in Lisbon (19:01 in Berlin): closed, also for changing how many come.
        with pytest.raises(InvalidInput) as closed:
            await events.sign_up(anna, fest.id, 2)
        assert closed.value.field == "signup"
        assert not (await events.event_for(anna, fest.id)).open_for_signup(clock_now())
    with time_machine.travel(fest.ends_at + dt.timedelta(minutes=1), tick=False):
        assert await events.upcoming_for(anna) == []  # over: no longer offered
        with pytest.raises(InvalidInput):
            await events.sign_up(anna, fest.id, 1)
    assert (await Event.get(id=fest.id)).taken == 1


async def test_a_sign_up_whose_deadline_moved_meanwhile_is_refused_by_the_database(
    db: str, now: dt.datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    linden = await factories.home("linden")
    anna = await factories.relative("Anna", await factories.resident(linden, "Frau M."))
    fest = await party(linden, now)
    real = signups.event_for
    reads: list[int] = []

    async def read_before_the_change(account: Account, event_id: int) -> events.EventView:
        view = await real(account, event_id)
        if not reads:  # the press read the event open; then an admin moved the deadline
            await Event.filter(id=fest.id).update(signup_until=now - dt.timedelta(minutes=1))
        reads.append(event_id)
        return view

    monkeypatch.setattr(signups, "event_for", read_before_the_change)
    with pytest.raises(InvalidInput) as closed:
        await events.sign_up(anna, fest.id, 1)
    assert closed.value.field == "signup"
    assert (await Event.get(id=fest.id)).taken == 0 and not await EventSignup.exists()


async def test_two_presses_of_one_relative_at_once_keep_the_count_right(
    db: str, now: dt.datetime
) -> None:
    linden = await factories.home("linden")
    anna = await factories.relative("Anna", await factories.resident(linden, "Frau M."))
    fest = await party(linden, now, capacity=10)
    await events.sign_up(anna, fest.id, 1)
    await asyncio.gather(events.sign_up(anna, fest.id, 3), events.sign_up(anna, fest.id, 4),
                         events.withdraw(anna, fest.id), return_exceptions=True)
    signups = await EventSignup.filter(event_id=fest.id).values_list("people", flat=True)
    assert (await Event.get(id=fest.id)).taken == sum(signups)


async def test_the_public_feed_is_the_same_bytes_until_an_event_in_it_changes(
    db: str, now: dt.datetime
) -> None:
    linden = await factories.home("linden")
    fest = await party(linden, now)
    await events.set_public(CLI, fest.id, True)
    first = await events.public_feed(linden, now=now)
    an_hour_later = await events.public_feed(linden, now=now + dt.timedelta(hours=1))
    assert an_hour_later == first  # the same ETag: clients keep their copy (304)

    anna = await factories.relative("Anna", await factories.resident(linden, "Frau M."))
    await events.sign_up(anna, fest.id, 2)  # sign-ups are not in the feed
    assert await events.public_feed(linden, now=now) == first

    await events.change_event(CLI, fest.id, place="Saal")
    moved = await events.public_feed(linden, now=now)
    assert moved != first and b"Saal" in moved and b"SEQUENCE:1" in moved

    other = await party(linden, now, days=12)
    assert await events.public_feed(linden, now=now) == moved  # not public: not in it
    await events.set_public(CLI, other.id, True)
    both = await events.public_feed(linden, now=now)
    assert both != moved
    await events.set_public(CLI, other.id, False)
    assert await events.public_feed(linden, now=now) != both


async def test_every_change_of_how_many_come_is_confirmed(db: str, now: dt.datetime) -> None:
    linden = await factories.home("linden")
    anna = await factories.relative("Anna", await factories.resident(linden, "Frau M."))
    fest = await party(linden, now, capacity=10)
    for people in (2, 3, 2):  # back to two: the chat's last confirmation must say two
        await events.sign_up(anna, fest.id, people)
    confirmations = await Delivery.filter(purpose=events.SIGNED_UP).order_by("id")
    assert len(confirmations) == 3
    captions = [row.content["caption"].splitlines()[0] for row in confirmations]
    assert captions == [f"✅ Sie sind für {n} Personen angemeldet:" for n in (2, 3, 2)]


async def test_deleteme_frees_the_places_of_coming_events_and_keeps_the_attendance_of_past_ones(
    db: str, now: dt.datetime
) -> None:
    linden = await factories.home("linden")
    anna = await factories.relative("Anna", await factories.resident(linden, "Frau M."))
    past = await party(linden, now, days=2)
    coming = await party(linden, now, days=10)
    await events.sign_up(anna, past.id, 3)
    await events.sign_up(anna, coming.id, 2)
    with time_machine.travel(past.ends_at + dt.timedelta(days=1), tick=False):
        await erase_account(anna)
    assert not await EventSignup.exists()
    assert (await Event.get(id=past.id)).taken == 3  # held: the report's attendance stays
    assert (await Event.get(id=coming.id)).taken == 0
