"""When a resident's stay ends or a relative's link goes: their visits to come are cancelled.

Called by the accounts service inside its own transaction, so a stay never ends with visits
still booked (and counted against the places). Each family whose visit goes gets the usual
cancellation with a calendar file that takes it out of their calendar, unless the home chose to
tell no one.
"""

from __future__ import annotations

import datetime as dt

from tortoise.backends.base.client import BaseDBAsyncClient

from bot.delivery.outbox import Outgoing, Recipient, enqueue
from bot.models import VisitBooking
from bot.services.visits import texts
from bot.services.visits.booking import CANCELLED, calendar_of, locale_of, release

BY_STAY_END = "stay_ended"
BY_UNLINK = "unlinked"


async def cancel_visits_of(
    resident_id: int, connection: BaseDBAsyncClient, *, now: dt.datetime, notify: bool,
    relative_id: int | None = None,
) -> int:
    """Cancel the resident's visits to come (only ``relative_id``'s, if given), in the caller's
    transaction; with ``notify`` each family is told. Returns how many were cancelled."""
    query = VisitBooking.filter(resident_id=resident_id, cancelled_at__isnull=True,
                                occurrence__starts_at__gte=now)
    if relative_id is not None:
        query = query.filter(relative_id=relative_id)
    bookings = await query.using_db(connection).prefetch_related(
        "occurrence", "resident__facility", "relative")
    because = BY_STAY_END if relative_id is None else BY_UNLINK
    cancelled = 0
    for booking in bookings:
        if not await release(booking, because, now, connection):
            continue
        cancelled += 1
        if not notify:
            continue
        facility, relative = booking.resident.facility, booking.relative
        locale = locale_of(relative, facility)
        caption = texts.cancelled(locale, resident=booking.resident.display_name,
                                  when=texts.when_text(locale, booking.occurrence.starts_at,
                                                       booking.occurrence.ends_at,
                                                       facility.timezone))
        document = Outgoing.document(
            "visit.ics", calendar_of(booking, locale=locale, now=now, cancelled=True), caption)
        await enqueue([Recipient(relative.telegram_id, relative, facility.timezone)], document,
                      purpose=CANCELLED, reference=str(booking.id), using_db=connection)
    return cancelled
