"""Who comes when: the staff's lists (/visits, the CLI), the staff group's list each morning,
and a relative's bookings for /mydata and /deleteme.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from bot import clock
from bot.delivery.outbox import Outgoing, Recipient, enqueue
from bot.domain.enums import Role
from bot.models import Account, ConversationSetup, Facility, VisitBooking, VisitSlot
from bot.services.accounts.actors import Actor
from bot.services.accounts.facilities import get_facility
from bot.services.visits import texts
from bot.services.visits.booking import BY_RELATIVE, release
from bot.services.visits.slots import setup_of
from bot.services.visits.times import day_bounds, local_day, wall_clock

DAY_LIST = "visit_day_list"


@dataclass(frozen=True)
class Visit:
    """One booked visit as staff read it."""

    booking_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    unit: str  # empty: the whole home
    resident: str
    relative: str
    people: int


async def visits_between(facility: Facility, first: dt.date, last: dt.date) -> list[Visit]:
    """The booked (not cancelled) visits on these days, by unit and time."""
    start, end = day_bounds(first, last, facility.timezone)
    bookings = await VisitBooking.filter(
        cancelled_at__isnull=True, occurrence__slot__facility_id=facility.id,
        occurrence__starts_at__gte=start, occurrence__starts_at__lt=end,
    ).prefetch_related("occurrence__slot__unit", "resident", "relative")
    found = [
        Visit(b.id, b.occurrence.starts_at, b.occurrence.ends_at,
              b.occurrence.slot.unit.name if b.occurrence.slot.unit else "",
              b.resident.display_name, b.relative.first_name, b.people)
        for b in bookings
    ]
    return sorted(found, key=lambda v: (v.unit.casefold(), v.starts_at, v.booking_id))


async def staff_list(actor: Actor, facility_id: int, *, day: dt.date | None = None,
                     days: int = 1) -> tuple[Facility, list[Visit]]:
    """The visits of ``days`` days from ``day`` (today), for the home's team."""
    facility = await get_facility(actor, facility_id, Role.STAFF)
    first = day or local_day(clock.now(), facility.timezone)
    return facility, await visits_between(facility, first, first + dt.timedelta(days=days - 1))


def visit_line(locale: str, visit: Visit, timezone: str) -> str:
    """"14:00–14:30 Frau M. – Anna, 2 people"."""
    return (f"{texts.time_text(locale, visit.starts_at, timezone)}–"
            f"{texts.time_text(locale, visit.ends_at, timezone)} {visit.resident} – "
            f"{visit.relative}, {texts.people_text(locale, visit.people)}")


def by_unit(locale: str, visits: list[Visit], timezone: str) -> list[str]:
    """The lines of a list, each unit headed by its name."""
    lines: list[str] = []
    unit: str | None = None
    for visit in visits:
        if visit.unit != unit:
            unit = visit.unit
            if unit:
                lines.append(f"{unit}:")
        lines.append(("  " if unit else "") + visit_line(locale, visit, timezone))
    return lines


async def send_day_lists(now: dt.datetime | None = None) -> int:
    """Each home with visit slots and a staff group: the day's list once its time has come.
    Once a day (the day is in the outbox row's reference). Returns how many were enqueued."""
    now = now or clock.now()
    facility_ids = set(await VisitSlot.filter(active=True).values_list("facility_id", flat=True))
    sent = 0
    for setup in await ConversationSetup.filter(
        facility_id__in=sorted(facility_ids), group_chat_id__not_isnull=True
    ).prefetch_related("facility"):
        facility: Facility = setup.facility
        local = now.astimezone(texts.zone(facility.timezone))
        visit_setup = await setup_of(facility.id)
        if local.time() < wall_clock(visit_setup.day_list_at):
            continue
        visits = await visits_between(facility, local.date(), local.date())
        locale = facility.default_locale
        text = texts.day_list(locale, home=facility.name, day=local.date(),
                              lines=by_unit(locale, visits, facility.timezone))
        assert setup.group_chat_id is not None
        await enqueue([Recipient(setup.group_chat_id)], Outgoing.text(text), purpose=DAY_LIST,
                      reference=f"{facility.id}:{local.date().isoformat()}")
        sent += 1
    return sent


async def export_of(account: Account) -> list[dict[str, Any]]:
    """The account's bookings, for /mydata."""
    bookings = await VisitBooking.filter(relative_id=account.id).order_by("id").prefetch_related(
        "occurrence", "resident__facility")
    return [
        {
            "resident": b.resident.display_name,
            "facility": b.resident.facility.name,
            "starts_at": b.occurrence.starts_at.isoformat(),
            "ends_at": b.occurrence.ends_at.isoformat(),
            "people": b.people,
            "booked_at": b.created_at.isoformat(),
            "cancelled_at": b.cancelled_at.isoformat() if b.cancelled_at else None,
            "cancelled_because": b.cancelled_because or None,
        }
        for b in bookings
    ]


async def release_all_of(account: Account, connection: BaseDBAsyncClient) -> int:
    """Before an erasure: the account's visits to come give their places back (the rows go
    with the account)."""
    bookings = await VisitBooking.filter(
        relative_id=account.id, cancelled_at__isnull=True,
        occurrence__starts_at__gte=clock.now(),
    ).using_db(connection)
    for booking in bookings:
        await release(booking, BY_RELATIVE, clock.now(), connection)
    return len(bookings)
