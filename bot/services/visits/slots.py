"""The home's side of visits: its weekly slots, its closures and when the day's list is sent.

Every change needs the admin role (checked from the database) and is audited. Closing days
that already have bookings cancels them and tells each family at once (see
:func:`cancel_for_closure`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from bot import clock
from bot.delivery.outbox import Outgoing, Recipient, enqueue
from bot.domain.enums import Role
from bot.domain.errors import InvalidInput, NotFound
from bot.models import Facility, Unit, VisitBooking, VisitClosure, VisitSetup, VisitSlot
from bot.services.accounts.actors import Actor
from bot.services.accounts.audit import record
from bot.services.accounts.facilities import get_facility
from bot.services.visits import texts
from bot.services.visits.booking import BY_CLOSURE, CLOSED, calendar_of, locale_of, release
from bot.services.visits.texts import weekday_of
from bot.services.visits.times import day_bounds, local_day, wall_clock

LIMITS = {"minutes": (10, 240), "parties": (1, 50), "lead_hours": (0, 168),
          "days_ahead": (1, 90)}
REASON_MAX = 200
DAY_LIST_STEP = 30  # minutes, for the − / + buttons


@dataclass(frozen=True)
class Overview:
    """A home's visit settings: its slots (with their unit's name), closures ahead, the list."""

    facility: Facility
    slots: list[tuple[VisitSlot, str]]
    closures: list[tuple[VisitClosure, str]]
    day_list_at: str
    units: list[tuple[int, str]]  # the home's units (id, name), by name


async def setup_of(facility_id: int) -> VisitSetup:
    setup, _ = await VisitSetup.get_or_create(facility_id=facility_id)
    return setup


async def overview(actor: Actor, facility_id: int, *, minimum: Role = Role.ADMIN) -> Overview:
    """The slots, the closures from today on and the time of the day's list."""
    facility = await get_facility(actor, facility_id, minimum)
    units = dict(await Unit.filter(facility_id=facility.id).values_list("id", "name"))
    slots = await VisitSlot.filter(facility_id=facility.id, active=True).order_by(
        "weekday", "starts", "id")
    today = local_day(clock.now(), facility.timezone)
    closures = await VisitClosure.filter(facility_id=facility.id, last_day__gte=today).order_by(
        "first_day", "id")
    setup = await setup_of(facility.id)
    return Overview(
        facility,
        [(slot, units.get(slot.unit_id, "") if slot.unit_id else "") for slot in slots],
        [(closure, units.get(closure.unit_id, "") if closure.unit_id else "")
         for closure in closures],
        setup.day_list_at,
        sorted(units.items(), key=lambda unit: (unit[1].casefold(), unit[0])),
    )


async def _unit(facility: Facility, unit: str | None, unit_id: int | None = None
                ) -> Unit | None:
    if unit_id is not None:
        found = await Unit.get_or_none(facility_id=facility.id, id=unit_id)
    elif not unit:
        return None
    else:
        found = await Unit.filter(facility_id=facility.id, name=unit.strip()).first()
    if found is None:
        raise InvalidInput("unit", "no such unit")
    return found


async def add_slot(
    actor: Actor, facility_id: int, *, weekday: int, starts: str, ends: str, minutes: int,
    parties: int, lead_hours: int = 24, days_ahead: int = 14, unit: str | None = None,
) -> VisitSlot:
    """A weekly visiting time; :class:`InvalidInput` names the first value out of range."""
    facility = await get_facility(actor, facility_id, Role.ADMIN)
    if not 0 <= weekday <= 6:
        raise InvalidInput("weekday", "0-6")
    first, last = wall_clock(starts, "starts"), wall_clock(ends, "ends")
    values = {"minutes": minutes, "parties": parties, "lead_hours": lead_hours,
              "days_ahead": days_ahead}
    for key, value in values.items():
        low, high = LIMITS[key]
        if not low <= value <= high:
            raise InvalidInput(key, f"{low}-{high}")
    span = dt.datetime.combine(dt.date.min, last) - dt.datetime.combine(dt.date.min, first)
    if span < dt.timedelta(minutes=minutes):
        raise InvalidInput("ends", "shorter than one visit")
    found = await _unit(facility, unit)
    async with in_transaction():
        slot = await VisitSlot.create(
            facility=facility, unit=found, weekday=weekday, starts=first.strftime("%H:%M"),
            ends=last.strftime("%H:%M"), minutes=minutes, parties=parties,
            lead_hours=lead_hours, days_ahead=days_ahead)
        await record(actor, "visits.slot_add", facility=facility, subject=f"visit_slot:{slot.id}")
    return slot


async def remove_slot(actor: Actor, facility_id: int, slot_id: int) -> VisitSlot:
    """No more bookings of this slot; visits already booked stay."""
    facility = await get_facility(actor, facility_id, Role.ADMIN)
    slot = await VisitSlot.get_or_none(id=slot_id, facility_id=facility.id, active=True)
    if slot is None:
        raise NotFound(f"no visit slot {slot_id} in facility {facility_id}")
    async with in_transaction():
        slot.active = False
        await slot.save(update_fields=["active"])
        await record(actor, "visits.slot_remove", facility=facility,
                     subject=f"visit_slot:{slot.id}")
    return slot


async def close(
    actor: Actor, facility_id: int, *, first: dt.date, last: dt.date, reason: str,
    unit: str | None = None, unit_id: int | None = None,
) -> tuple[VisitClosure, int]:
    """No visits from ``first`` to ``last`` (home time); bookings then are cancelled and their
    families told. Returns the closure and how many bookings were cancelled."""
    facility = await get_facility(actor, facility_id, Role.ADMIN)
    reason = reason.strip()
    if not reason or len(reason) > REASON_MAX:
        raise InvalidInput("reason", "empty or too long")
    if last < first:
        raise InvalidInput("until", "before from")
    found = await _unit(facility, unit, unit_id)
    async with in_transaction() as connection:
        closure = await VisitClosure.create(
            facility=facility, unit=found, first_day=first, last_day=last, reason=reason,
            using_db=connection)
        cancelled = await cancel_for_closure(facility, closure, connection, now=clock.now())
        await record(actor, "visits.close", facility=facility,
                     subject=f"visit_closure:{closure.id}", cancelled=cancelled)
    return closure, cancelled


async def cancel_for_closure(
    facility: Facility, closure: VisitClosure, connection: BaseDBAsyncClient, *,
    now: dt.datetime,
) -> int:
    """Cancel the bookings on the closed days and tell each family, in the caller's
    transaction. Returns how many were cancelled."""
    start, end = day_bounds(closure.first_day, closure.last_day, facility.timezone)
    query = VisitBooking.filter(  # visits already begun are history, not cancelled
        cancelled_at__isnull=True, occurrence__slot__facility_id=facility.id,
        occurrence__starts_at__gte=max(start, now), occurrence__starts_at__lt=end,
    )
    if closure.unit_id is not None:
        query = query.filter(occurrence__slot__unit_id=closure.unit_id)
    bookings = await query.using_db(connection).prefetch_related(
        "occurrence", "resident__facility", "relative")
    cancelled = 0
    for booking in bookings:
        if not await release(booking, BY_CLOSURE, now, connection):
            continue  # the family cancelled it at this moment
        cancelled += 1
        relative = booking.relative
        locale = locale_of(relative, facility)
        occurrence = booking.occurrence
        notice = texts.closed_notice(
            locale, resident=booking.resident.display_name, home=facility.name,
            when=texts.when_text(locale, occurrence.starts_at, occurrence.ends_at,
                                 facility.timezone),
            reason=closure.reason)
        document = Outgoing.document(
            "visit.ics", calendar_of(booking, locale=locale, now=now, cancelled=True), notice,
            buttons=texts.rebook_buttons(locale, booking.resident_id))
        await enqueue([Recipient(relative.telegram_id, relative, facility.timezone)], document,
                      purpose=CLOSED, reference=str(booking.id), urgent=True, using_db=connection)
    return cancelled


async def set_day_list_at(actor: Actor, facility_id: int, at: str) -> VisitSetup:
    """When (home time) the staff group gets the day's list."""
    facility = await get_facility(actor, facility_id, Role.ADMIN)
    wall = wall_clock(at, "day_list_at")
    setup = await setup_of(facility.id)
    async with in_transaction():
        setup.day_list_at = wall.strftime("%H:%M")
        await setup.save(update_fields=["day_list_at"])
        await record(actor, "visits.day_list_at", facility=facility, at=setup.day_list_at)
    return setup


def shifted(at: str, minutes: int) -> str:
    """``at`` moved by ``minutes``, kept within the day (for the − / + buttons)."""
    wall = wall_clock(at)
    total = max(0, min(23 * 60 + 30, wall.hour * 60 + wall.minute + minutes))
    return f"{total // 60:02d}:{total % 60:02d}"


def parse_slot(line: str, locale: str) -> dict[str, object]:
    """A slot typed as one line: "Mon 14:00-17:00 30 2 [lead hours] [days ahead] [unit…]".

    Returns :func:`add_slot`'s keywords; :class:`InvalidInput` ``("slot", …)`` when the line
    does not read as one.
    """
    words = line.split()
    if len(words) < 4 or "-" not in words[1]:
        raise InvalidInput("slot", "format")
    weekday = weekday_of(words[0], locale)
    starts, _, ends = words[1].partition("-")
    numbers: list[int] = []
    rest = words[2:]
    while rest and rest[0].isdigit() and len(numbers) < 4:
        numbers.append(int(rest.pop(0)))
    if weekday is None or len(numbers) < 2:
        raise InvalidInput("slot", "format")
    keywords: dict[str, object] = {"weekday": weekday, "starts": starts, "ends": ends,
                                   "minutes": numbers[0], "parties": numbers[1]}
    for key, value in zip(("lead_hours", "days_ahead"), numbers[2:], strict=False):
        keywords[key] = value
    if rest:
        keywords["unit"] = " ".join(rest)
    return keywords


async def add_typed_slot(actor: Actor, facility_id: int, line: str, locale: str) -> VisitSlot:
    """A slot typed as one line (:func:`parse_slot`)."""
    keywords = parse_slot(line, locale)
    unit = keywords.get("unit")
    return await add_slot(
        actor, facility_id, weekday=int(str(keywords["weekday"])),
        starts=str(keywords["starts"]), ends=str(keywords["ends"]),
        minutes=int(str(keywords["minutes"])), parties=int(str(keywords["parties"])),
        lead_hours=int(str(keywords.get("lead_hours", 24))),
        days_ahead=int(str(keywords.get("days_ahead", 14))),
        unit=str(unit) if unit else None)


def parse_closure(line: str) -> tuple[dt.date, dt.date, str]:
    """Days closed, typed as "2026-12-24 2026-12-26 Christmas" (or one day and the reason)."""
    words = line.split()
    try:
        first = dt.date.fromisoformat(words[0])
        try:
            last, reason = dt.date.fromisoformat(words[1]), words[2:]
        except (IndexError, ValueError):
            last, reason = first, words[1:]
    except (IndexError, ValueError):
        raise InvalidInput("closure", "format") from None
    return first, last, " ".join(reason)
