"""Visits at the edges: a clock change, a stay that ends, a link that goes, two cancellations.

Service-level stories with a real database; the clock is set with time_machine where the
services read it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from bot.domain.enums import ResidentStatus
from bot.domain.errors import InvalidInput, NotFound
from bot.models import (
    Account,
    Delivery,
    DeliveryState,
    Facility,
    RelativeLink,
    Resident,
    VisitBooking,
    VisitOccurrence,
    VisitSlot,
)
from bot.services import visits
from bot.services.accounts import relatives, residents
from bot.services.accounts.actors import Actor
from tests import factories

BERLIN = ZoneInfo("Europe/Berlin")
CLI = Actor.cli()
SPRING_FORWARD = dt.date(2027, 3, 28)  # a Sunday: 02:00 CET becomes 03:00 CEST


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), BERLIN)


def utc(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), dt.UTC)


async def sunday_home(
    *, lead_hours: int = 24, parties: int = 1
) -> tuple[Facility, Resident, Account, VisitSlot]:
    home = await factories.home("linden")
    mother = await factories.resident(home, "Frau M.")
    anna = await factories.relative("Anna", mother)
    slot = await visits.add_slot(CLI, home.id, weekday=6, starts="14:00", ends="15:00",
                                 minutes=60, parties=parties, lead_hours=lead_hours)
    return home, mother, anna, slot


async def test_the_lead_time_is_real_hours_across_the_clock_change(db: str) -> None:
    _, mother, anna, slot = await sunday_home()
    visit = at(SPRING_FORWARD, 14)  # 12:00 UTC: 24 real hours before is Saturday 12:00 UTC
    assert visit.astimezone(dt.UTC) == utc(SPRING_FORWARD, 12)
    saturday = SPRING_FORWARD - dt.timedelta(days=1)
    before = await visits.offers(anna, mother.id, now=utc(saturday, 11, 30), day=SPRING_FORWARD)
    assert [offer.starts_at for offer in before] == [visit]
    # 23½ real hours before (Saturday 13:30 on the wall clock, still before 14:00): too late.
    late = utc(saturday, 12, 30)
    assert await visits.offers(anna, mother.id, now=late, day=SPRING_FORWARD) == []
    with pytest.raises(InvalidInput) as refused:
        await visits.book(anna, mother.id, slot.id, visit, 1, now=late)
    assert refused.value.reason == "gone"

    booking = await visits.book(anna, mother.id, slot.id, visit, 1, now=utc(saturday, 11))
    with pytest.raises(InvalidInput) as too_late:
        await visits.cancel(anna, booking.id, now=late)
    assert too_late.value.reason == "too_late"
    await visits.cancel(anna, booking.id, now=utc(saturday, 11, 59))


async def test_the_window_counts_the_homes_days_not_utcs(db: str) -> None:
    _, mother, anna, _ = await sunday_home(lead_hours=0)
    # Saturday 13 March 23:30 UTC is already Sunday 14 March, 00:30, in Berlin: fourteen days
    # from the home's today reach the Sunday of the clock change.
    days = await visits.free_days(anna, mother.id, now=utc(dt.date(2027, 3, 13), 23, 30))
    assert days[-1] == SPRING_FORWARD
    # An hour earlier it is still Saturday in Berlin: that Sunday is day fifteen.
    days = await visits.free_days(anna, mother.id, now=utc(dt.date(2027, 3, 13), 22, 30))
    assert days[-1] == SPRING_FORWARD - dt.timedelta(days=7)
    offered = await visits.offers(anna, mother.id, now=utc(dt.date(2027, 3, 20), 12))
    assert [o.starts_at.astimezone(dt.UTC) for o in offered] == [
        utc(dt.date(2027, 3, 21), 13), utc(SPRING_FORWARD, 12)]  # 14:00 CET, then 14:00 CEST


async def test_two_cancellations_at_once_free_the_place_once(db: str) -> None:
    _, mother, anna, slot = await sunday_home(parties=2)
    ben = await factories.relative("Ben", mother)
    now = utc(dt.date(2027, 3, 1), 9)
    visit = at(dt.date(2027, 3, 7), 14)
    await visits.book(ben, mother.id, slot.id, visit, 1, now=now)
    booking = await visits.book(anna, mother.id, slot.id, visit, 1, now=now)
    results = await asyncio.gather(visits.cancel(anna, booking.id, now=now),
                                   visits.cancel(anna, booking.id, now=now),
                                   return_exceptions=True)
    assert sum(isinstance(r, VisitBooking) for r in results) == 1, results
    assert (await VisitOccurrence.get()).booked == 1  # Ben's visit still counts
    assert await Delivery.filter(purpose="visit_cancelled").count() == 1


async def test_a_stay_that_ends_cancels_the_visits_to_come_and_tells_the_families(
    db: str,
) -> None:
    home, mother, anna, slot = await sunday_home(lead_hours=0)
    now = utc(dt.date(2027, 3, 1), 9)
    with time_machine.travel(now, tick=False):
        past = await visits.book(anna, mother.id, slot.id, at(dt.date(2027, 3, 7), 14), 1,
                                 now=now - dt.timedelta(days=7))
        coming = await visits.book(anna, mother.id, slot.id, at(dt.date(2027, 3, 14), 14), 1,
                                   now=now)
        await VisitOccurrence.filter(id=past.occurrence_id).update(
            starts_at=now - dt.timedelta(days=1), ends_at=now - dt.timedelta(hours=23))
        await residents.end_stay(CLI, mother.id, ResidentStatus.MOVED_OUT,
                                 notify_relatives=True)
    coming = await VisitBooking.get(id=coming.id)
    assert coming.cancelled_because == "stay_ended"
    assert (await VisitBooking.get(id=past.id)).cancelled_at is None  # history stays
    assert (await VisitOccurrence.get(id=coming.occurrence_id)).booked == 0
    told = await Delivery.get(purpose="visit_cancelled", reference=str(coming.id))
    assert told.kind == "document"
    assert await Delivery.filter(purpose="visit_reminder", reference=str(coming.id),
                                 state=DeliveryState.PENDING).count() == 0
    assert await visits.staff_list(CLI, home.id, day=dt.date(2027, 3, 14)) == (home, [])


async def test_a_stay_ended_without_notices_cancels_quietly(db: str) -> None:
    _, mother, anna, slot = await sunday_home(lead_hours=0)
    now = utc(dt.date(2027, 3, 1), 9)
    with time_machine.travel(now, tick=False):
        booking = await visits.book(anna, mother.id, slot.id, at(dt.date(2027, 3, 14), 14), 1,
                                    now=now)
        await residents.end_stay(CLI, mother.id, ResidentStatus.DECEASED,
                                 notify_relatives=False)
    assert (await VisitBooking.get(id=booking.id)).cancelled_because == "stay_ended"
    assert await Delivery.filter(purpose="visit_cancelled").count() == 0


async def test_a_relative_who_unlinks_loses_their_visits_and_can_book_no_more(db: str) -> None:
    _, mother, anna, slot = await sunday_home(lead_hours=0)
    ben = await factories.relative("Ben", mother)
    now = utc(dt.date(2027, 3, 1), 9)
    visit = at(dt.date(2027, 3, 14), 14)
    with time_machine.travel(now, tick=False):
        booking = await visits.book(anna, mother.id, slot.id, visit, 1, now=now)
        link = await RelativeLink.get(account_id=anna.id, resident_id=mother.id)
        await relatives.unlink(anna, link.id)
    assert (await VisitBooking.get(id=booking.id)).cancelled_because == "unlinked"
    assert (await VisitOccurrence.get()).booked == 0
    with pytest.raises(NotFound):
        await visits.book(anna, mother.id, slot.id, visit, 1, now=now)
    await visits.book(ben, mother.id, slot.id, visit, 1, now=now)  # the place is free again


async def test_an_inactive_link_may_not_book(db: str) -> None:
    home = await factories.home("linden")
    mother = await factories.resident(home, "Frau M.")
    anna = await factories.relative("Anna", mother, active=False)
    slot = await visits.add_slot(CLI, home.id, weekday=6, starts="14:00", ends="15:00",
                                 minutes=60, parties=1, lead_hours=0)
    now = utc(dt.date(2027, 3, 1), 9)
    assert await visits.visitable(anna) == []
    with pytest.raises(NotFound):
        await visits.offers(anna, mother.id, now=now)
    with pytest.raises(NotFound):
        await visits.book(anna, mother.id, slot.id, at(dt.date(2027, 3, 14), 14), 1, now=now)


async def test_a_double_tap_on_book_books_once(db: str) -> None:
    _, mother, anna, slot = await sunday_home(parties=3)
    now = utc(dt.date(2027, 3, 1), 9)
    visit = at(dt.date(2027, 3, 7), 14)
    results = await asyncio.gather(
        *(visits.book(anna, mother.id, slot.id, visit, 2, now=now) for _ in range(3)),
        return_exceptions=True)
    assert sum(isinstance(r, VisitBooking) for r in results) == 1, results
    assert {r.reason for r in results if isinstance(r, InvalidInput)} == {"twice"}
    assert (await VisitOccurrence.get()).booked == 1
    assert await Delivery.filter(purpose="visit_booked").count() == 1


async def test_closing_days_that_began_leaves_the_visits_already_held(db: str) -> None:
    home, mother, anna, slot = await sunday_home(lead_hours=0)
    sunday = dt.date(2027, 3, 7)
    now = utc(sunday, 15)  # 16:00 in Berlin: the 14:00 visit has been
    held = await visits.book(anna, mother.id, slot.id, at(sunday, 14), 1, now=now - dt.timedelta(
        days=2))
    coming = await visits.book(anna, mother.id, slot.id, at(sunday + dt.timedelta(days=7), 14),
                               1, now=now)
    with time_machine.travel(now, tick=False):
        _, cancelled = await visits.close(CLI, home.id, first=sunday,
                                          last=sunday + dt.timedelta(days=7), reason="Grippe")
    assert cancelled == 1
    assert (await VisitBooking.get(id=held.id)).cancelled_at is None
    assert (await VisitBooking.get(id=coming.id)).cancelled_because == "closed"


async def test_a_slot_removed_and_added_again_does_not_give_booked_places_twice(db: str) -> None:
    home, mother, anna, slot = await sunday_home(lead_hours=0, parties=2)
    ben = await factories.relative("Ben", mother)
    carla = await factories.relative("Carla", mother)
    now = utc(dt.date(2027, 3, 1), 9)
    visit = at(dt.date(2027, 3, 7), 14)
    await visits.book(anna, mother.id, slot.id, visit, 1, now=now)
    await visits.remove_slot(CLI, home.id, slot.id)  # "edited": removed, added longer
    again = await visits.add_slot(CLI, home.id, weekday=6, starts="14:00", ends="16:00",
                                  minutes=60, parties=2, lead_hours=0)
    offered = await visits.offers(ben, mother.id, now=now, day=visit.date())
    assert [(o.starts_at, o.free) for o in offered] == [(visit, 1),
                                                        (at(visit.date(), 15), 2)]
    await visits.book(ben, mother.id, again.id, visit, 1, now=now)
    with pytest.raises(InvalidInput) as full:
        await visits.book(carla, mother.id, again.id, visit, 1, now=now)
    assert full.value.reason == "full"
    assert len(await visits.visits_between(home, visit.date(), visit.date())) == 2
