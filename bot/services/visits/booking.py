"""A relative books a visit: free days and times, the booking itself, cancelling.

The last place is decided by ONE conditional write: ``UPDATE visit_occurrence SET booked =
booked + 1 WHERE id = … AND booked < parties`` (less the places a removed slot still holds
then, see :mod:`.overlap`). Of two bookings racing for it, the database lets exactly one change
the row; the other sees no row changed and is refused ("full"). The row of a
dated time is made on its first booking (a unique key on slot and start keeps it one).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from bot.delivery.outbox import Outgoing, Recipient, enqueue
from bot.domain.errors import InvalidInput, NotFound
from bot.models import (
    Account,
    Delivery,
    DeliveryState,
    Facility,
    RelativeLink,
    Resident,
    ResidentStatus,
    VisitBooking,
    VisitClosure,
    VisitOccurrence,
    VisitSlot,
)
from bot.services.calendar import CalendarEntry, calendar_file
from bot.services.visits import texts
from bot.services.visits.overlap import held_at, removed_held
from bot.services.visits.times import (
    before_lead,
    bookable,
    closed_on,
    day_bounds,
    local_day,
    reminder_time,
    times_on,
)

CONFIRMATION = "visit_booked"
REMINDER = "visit_reminder"
CLOSED = "visit_closed"
CANCELLED = "visit_cancelled"
MAX_PEOPLE = 4
BY_RELATIVE = "relative"
BY_CLOSURE = "closed"


@dataclass(frozen=True)
class Offer:
    """A time a relative may book: its slot, start and end (home time), places left."""

    slot_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    free: int


@dataclass(frozen=True)
class Choice:
    """A resident the relative may visit."""

    resident_id: int
    resident_name: str
    facility_name: str
    timezone: str


async def visitable(account: Account) -> list[Choice]:
    """The residents the account may visit: its active links to residents living there."""
    links = await RelativeLink.filter(
        account_id=account.id, active=True, resident__status=ResidentStatus.ACTIVE
    ).prefetch_related("resident__facility")
    choices = [Choice(link.resident.id, link.resident.display_name, link.resident.facility.name,
                      link.resident.facility.timezone) for link in links]
    return sorted(choices, key=lambda c: (c.resident_name.casefold(), c.resident_id))


async def _resident(account: Account, resident_id: int) -> Resident:
    link = await RelativeLink.get_or_none(
        account_id=account.id, resident_id=resident_id, active=True,
        resident__status=ResidentStatus.ACTIVE,
    ).prefetch_related("resident__facility")
    if link is None:
        raise NotFound(f"account {account.id} may not visit resident {resident_id}")
    return link.resident


async def _slots_for(resident: Resident) -> list[VisitSlot]:
    """The home's slots for the resident's unit, and those of the whole home."""
    slots = await VisitSlot.filter(
        facility_id=resident.facility_id, active=True, unit_id__isnull=True).order_by("id")
    if resident.unit_id is not None:
        slots += await VisitSlot.filter(
            facility_id=resident.facility_id, active=True, unit_id=resident.unit_id
        ).order_by("id")
    return slots


async def offers(
    account: Account, resident_id: int, *, now: dt.datetime, day: dt.date | None = None
) -> list[Offer]:
    """The free times for visiting the resident from now (or on ``day``), earliest first."""
    resident = await _resident(account, resident_id)
    facility: Facility = resident.facility
    zone = facility.timezone
    slots = await _slots_for(resident)
    if not slots:
        return []
    today = local_day(now, zone)
    last = today + dt.timedelta(days=max(slot.days_ahead for slot in slots))
    first, last = (day, day) if day is not None else (today, last)
    closures = await VisitClosure.filter(
        facility_id=facility.id, first_day__lte=last, last_day__gte=first)
    start, end = day_bounds(first, last, zone)
    taken = {
        (row.slot_id, row.starts_at): row.booked
        for row in await VisitOccurrence.filter(
            slot_id__in=[slot.id for slot in slots], starts_at__gte=start, starts_at__lt=end)
    }
    held = await removed_held(slots, start, end)
    found = []
    current = first
    while current <= last:
        for slot in slots:
            if closed_on(closures, slot, current):
                continue
            for starts_at, ends_at in times_on(slot, current, zone):
                free = (slot.parties - taken.get((slot.id, starts_at), 0)
                        - held_at(held, slot, starts_at, ends_at))
                if free > 0 and bookable(slot, starts_at, now, zone):
                    found.append(Offer(slot.id, starts_at, ends_at, free))
        current += dt.timedelta(days=1)
    return sorted(found, key=lambda offer: (offer.starts_at, offer.slot_id))


async def free_days(account: Account, resident_id: int, *, now: dt.datetime) -> list[dt.date]:
    """The days (home time) with at least one free time."""
    resident = await _resident(account, resident_id)
    zone = resident.facility.timezone
    days = {local_day(offer.starts_at, zone) for offer in await offers(
        account, resident_id, now=now)}
    return sorted(days)


async def _occurrence(slot: VisitSlot, starts_at: dt.datetime, ends_at: dt.datetime
                      ) -> VisitOccurrence:
    """The row of this dated time, made if it is the first booking (one, under a race)."""
    starts_at, ends_at = starts_at.astimezone(dt.UTC), ends_at.astimezone(dt.UTC)
    found = await VisitOccurrence.get_or_none(slot_id=slot.id, starts_at=starts_at)
    if found is not None:
        return found
    try:
        return await VisitOccurrence.create(
            slot=slot, starts_at=starts_at, ends_at=ends_at, parties=slot.parties)
    except IntegrityError:  # made by a booking at the same moment
        return await VisitOccurrence.get(slot_id=slot.id, starts_at=starts_at)


def calendar_of(booking: VisitBooking, *, locale: str, now: dt.datetime,
                cancelled: bool = False) -> bytes:
    """The ``.ics`` of a booking (prefetched: occurrence, resident__facility)."""
    occurrence, resident = booking.occurrence, booking.resident
    facility = resident.facility
    entry = CalendarEntry(
        uid=f"visit-{booking.id}@{facility.slug}.heimbote",
        start=occurrence.starts_at.astimezone(texts.zone(facility.timezone)),
        end=occurrence.ends_at.astimezone(texts.zone(facility.timezone)),
        summary=texts.calendar_summary(locale, resident.display_name, facility.name),
        description=texts.people_text(locale, booking.people),
        location=facility.name, sequence=1 if cancelled else 0, cancelled=cancelled,
    )
    return calendar_file([entry], now=now)


def locale_of(account: Account, facility: Facility) -> str:
    return account.locale or facility.default_locale


async def book(
    account: Account, resident_id: int, slot_id: int, starts_at: dt.datetime, people: int, *,
    now: dt.datetime,
) -> VisitBooking:
    """Book a visit: the confirmation (with the calendar file) and the evening's reminder go
    through the outbox. ``InvalidInput("visit", …)``: "full", "closed", "gone" or "twice"."""
    resident = await _resident(account, resident_id)
    facility: Facility = resident.facility
    zone = facility.timezone
    if not 1 <= people <= MAX_PEOPLE:
        raise InvalidInput("people", f"1-{MAX_PEOPLE}")
    slot = next((s for s in await _slots_for(resident) if s.id == slot_id), None)
    day = local_day(starts_at, zone)
    times = dict(times_on(slot, day, zone)) if slot is not None else {}
    if slot is None or starts_at not in times or not bookable(slot, starts_at, now, zone):
        raise InvalidInput("visit", "gone")
    closures = await VisitClosure.filter(
        facility_id=facility.id, first_day__lte=day, last_day__gte=day)
    if closed_on(closures, slot, day):
        raise InvalidInput("visit", "closed")
    occurrence = await _occurrence(slot, starts_at, times[starts_at])
    elsewhere = held_at(await removed_held([slot], occurrence.starts_at, occurrence.ends_at),
                        slot, occurrence.starts_at, occurrence.ends_at)
    if await VisitBooking.filter(occurrence_id=occurrence.id, relative_id=account.id,
                                 resident_id=resident.id, cancelled_at__isnull=True).exists():
        raise InvalidInput("visit", "twice")
    async with in_transaction() as connection:
        changed = await VisitOccurrence.filter(
            id=occurrence.id, booked__lt=occurrence.parties - elsewhere
        ).using_db(connection).update(booked=F("booked") + 1)
        if not changed:
            raise InvalidInput("visit", "full")
        # Again after the write: a double tap's other booking waited for this row's lock, so
        # it sees the first one committed and is rolled back (its place with it).
        if await VisitBooking.filter(
            occurrence_id=occurrence.id, relative_id=account.id, resident_id=resident.id,
            cancelled_at__isnull=True,
        ).using_db(connection).exists():
            raise InvalidInput("visit", "twice")
        booking = await VisitBooking.create(
            occurrence=occurrence, relative=account, resident=resident, people=people,
            created_at=now, using_db=connection)
        booking.occurrence, booking.resident = occurrence, resident
        await _confirm(booking, account, slot, now=now, connection=connection)
    return booking


async def _confirm(booking: VisitBooking, account: Account, slot: VisitSlot, *,
                   now: dt.datetime, connection: BaseDBAsyncClient) -> None:
    facility = booking.resident.facility
    locale = locale_of(account, facility)
    occurrence = booking.occurrence
    when = texts.when_text(locale, occurrence.starts_at, occurrence.ends_at, facility.timezone)
    recipient = Recipient(account.telegram_id, account, facility.timezone)
    caption = texts.confirmation(
        locale, resident=booking.resident.display_name, home=facility.name, when=when,
        people=booking.people, lead_hours=slot.lead_hours)
    document = Outgoing.document(
        "visit.ics", calendar_of(booking, locale=locale, now=now), caption,
        buttons=texts.cancel_buttons(locale, booking.id))
    await enqueue([recipient], document, purpose=CONFIRMATION, reference=str(booking.id),
                  urgent=True, using_db=connection)
    evening = reminder_time(occurrence.starts_at, facility.timezone)
    if evening > now:
        reminder = texts.reminder(locale, resident=booking.resident.display_name,
                                  home=facility.name, when=when)
        await enqueue([recipient], Outgoing.text(reminder), purpose=REMINDER,
                      reference=str(booking.id), not_before=evening, using_db=connection)


async def release(booking: VisitBooking, because: str, now: dt.datetime,
                   connection: BaseDBAsyncClient) -> bool:
    """Cancel inside the caller's transaction: the place is free again, no reminder goes.

    One conditional write on the booking: of two cancellations at once (a double tap, the
    family and a closure) only one frees the place. ``False`` when it was already cancelled."""
    changed = await VisitBooking.filter(id=booking.id, cancelled_at__isnull=True).using_db(
        connection).update(cancelled_at=now, cancelled_because=because)
    if not changed:
        return False
    booking.cancelled_at, booking.cancelled_because = now, because
    await VisitOccurrence.filter(id=booking.occurrence_id, booked__gt=0).using_db(
        connection).update(booked=F("booked") - 1)
    await Delivery.filter(purpose=REMINDER, reference=str(booking.id),
                          state=DeliveryState.PENDING).using_db(connection).update(
        state=DeliveryState.SKIPPED, last_error="cancelled")
    return True


async def cancel(account: Account, booking_id: int, *, now: dt.datetime) -> VisitBooking:
    """The relative cancels until the lead time: ``InvalidInput("visit", "too_late")`` after.

    A calendar file marking the visit cancelled follows, to take it out of their calendar."""
    booking = await VisitBooking.get_or_none(
        id=booking_id, relative_id=account.id
    ).prefetch_related("occurrence__slot", "resident__facility")
    if booking is None:
        raise NotFound(f"no booking {booking_id} of account {account.id}")
    if booking.cancelled_at is not None:
        raise InvalidInput("visit", "cancelled")
    slot = booking.occurrence.slot
    if before_lead(slot, booking.occurrence.starts_at, now):
        raise InvalidInput("visit", "too_late")
    facility = booking.resident.facility
    locale = locale_of(account, facility)
    occurrence = booking.occurrence
    caption = texts.cancelled(locale, resident=booking.resident.display_name, when=texts.when_text(
        locale, occurrence.starts_at, occurrence.ends_at, facility.timezone))
    document = Outgoing.document(
        "visit.ics", calendar_of(booking, locale=locale, now=now, cancelled=True), caption)
    async with in_transaction() as connection:
        if not await release(booking, BY_RELATIVE, now, connection):
            raise InvalidInput("visit", "cancelled")
        await enqueue([Recipient(account.telegram_id, account, facility.timezone)], document,
                      purpose=CANCELLED, reference=str(booking.id), urgent=True,
                      using_db=connection)
    return booking
