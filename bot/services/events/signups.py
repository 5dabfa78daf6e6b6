"""The relatives' side of events: see the upcoming ones, sign up with how many come, withdraw.

Relatives of an active resident of the home see its events. The places are kept by one
conditional update of ``Event.taken`` per sign-up: of two relatives pressing for the last place
at once, exactly one gets it. The confirmation carries the calendar entry (``.ics``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F, Q
from tortoise.transactions import in_transaction

from bot import clock
from bot.delivery.outbox import Recipient, enqueue
from bot.domain.enums import EventAudience
from bot.domain.errors import InvalidInput, NotFound
from bot.models import Account, Delivery, Event, EventSignup, Facility, ResidentStatus
from bot.services.events import texts
from bot.services.events.views import EventView, view_of

SIGNED_UP = "event.signup"  # the confirmation with the calendar entry
WITHDRAWN = "event.withdrawn"
MAX_PEOPLE = 6  # one relative signs up for at most this many people (themselves included)


async def _homes_of(account: Account) -> list[int]:
    ids = await Facility.filter(
        residents__relative_links__account_id=account.id,
        residents__relative_links__active=True,
        residents__status=ResidentStatus.ACTIVE,
    ).distinct().values_list("id", flat=True)
    return [int(str(facility_id)) for facility_id in ids]


async def _mine(account: Account, event_ids: list[int]) -> dict[int, int]:
    rows = await EventSignup.filter(account_id=account.id, event_id__in=event_ids).values_list(
        "event_id", "people")
    return {int(event_id): int(people) for event_id, people in rows}


async def upcoming_for(account: Account, *, now: dt.datetime | None = None) -> list[EventView]:
    """The events of the relative's homes not yet over and not cancelled, soonest first."""
    now = now or clock.now()
    homes = await _homes_of(account)
    events = await Event.filter(
        facility_id__in=homes, ends_at__gt=now, cancelled_at=None
    ).order_by("starts_at", "id").prefetch_related("facility")
    mine = await _mine(account, [event.id for event in events])
    return [view_of(event, event.facility, mine.get(event.id, 0)) for event in events]


async def event_for(account: Account, event_id: int) -> EventView:
    """One event of the relative's homes (cancelled ones too), or one they signed up for (also
    after their resident moved out: they may still withdraw); else :class:`NotFound`."""
    event = await Event.filter(id=event_id).prefetch_related("facility").first()
    mine = await _mine(account, [event_id]) if event is not None else {}
    if event is None or (event.id not in mine
                         and event.facility_id not in await _homes_of(account)):
        raise NotFound(f"no event {event_id} for this account")
    return view_of(event, event.facility, mine.get(event.id, 0))


class _Raced(Exception):
    """Two presses of one relative at once changed the same sign-up: the other one won."""


class _Refused(Exception):
    """The conditional write found no place, or the sign-up closed meanwhile."""


def _recipient(account: Account, view: EventView) -> Recipient:
    return Recipient(account.telegram_id, account, view.timezone)


async def sign_up(
    account: Account, event_id: int, people: int, *, now: dt.datetime | None = None
) -> EventView:
    """Sign up for ``people`` (the relative included), or change how many come.

    :class:`InvalidInput` ``people`` out of range, ``audience`` for residents-only events,
    ``signup`` after the deadline or for a cancelled event, ``places`` when not enough are free.
    """
    now = now or clock.now()
    if not 1 <= people <= MAX_PEOPLE:
        raise InvalidInput("people", f"1-{MAX_PEOPLE}")
    view = await event_for(account, event_id)
    if view.audience != EventAudience.RELATIVES:
        raise InvalidInput("audience", "residents only")
    if not view.open_for_signup(now):
        raise InvalidInput("signup", "closed")
    try:
        async with in_transaction() as connection:
            signup = await EventSignup.filter(event_id=event_id, account_id=account.id) \
                .using_db(connection).first()
            more = people - (signup.people if signup else 0)
            if more == 0:
                return view
            if signup is not None and not await EventSignup.filter(
                    id=signup.id, people=signup.people).using_db(connection).update(
                    people=people):
                raise _Raced  # the same relative's other press changed it meanwhile
            # The one conditional write that decides the last place, with the deadline and
            # the start as the database has them now (a change may have moved them).
            query = Event.filter(Q(signup_until=None) | Q(signup_until__gt=now), id=event_id,
                                 cancelled_at=None, starts_at__gt=now)
            if more > 0:
                query = query.filter(taken__lte=view.capacity - more)  # capacity never changes
            if await query.using_db(connection).update(taken=F("taken") + more) != 1:
                raise _Refused
            if signup is None:
                signup = await EventSignup.create(event_id=event_id, account_id=account.id,
                                                  people=people, created_at=now,
                                                  using_db=connection)
            event = await Event.filter(id=event_id).using_db(connection) \
                .prefetch_related("facility").get()
            view = view_of(event, event.facility, people)
            locale = account.locale or view.default_locale
            # One confirmation per change (2, 3, then 2 again is three): the sign-up's row is
            # written above, so two presses never count the same earlier confirmations.
            earlier = await Delivery.filter(purpose=SIGNED_UP, chat_id=account.telegram_id,
                                            reference__startswith=f"{signup.id}:") \
                .using_db(connection).count()
            await enqueue([_recipient(account, view)], texts.signed_up(locale, view, now),
                          purpose=SIGNED_UP,
                          reference=f"{signup.id}:{now.timestamp():.6f}:{earlier}",
                          urgent=True, using_db=connection)
    except (IntegrityError, _Raced):  # the same relative twice at once: the other press won
        return await event_for(account, event_id)
    except _Refused:
        if not (await event_for(account, event_id)).open_for_signup(now):
            raise InvalidInput("signup", "closed") from None
        raise InvalidInput("places", "full") from None
    return view


async def withdraw(
    account: Account, event_id: int, *, now: dt.datetime | None = None
) -> EventView:
    """Withdraw the relative's sign-up (their places become free), until the event begins
    (``InvalidInput("started")`` after). Nothing signed up: nothing changes. The calendar entry
    comes again, cancelled, so that the calendar drops it."""
    now = now or clock.now()
    view = await event_for(account, event_id)
    if view.mine and now >= view.starts_at:
        raise InvalidInput("started", "the event has begun")  # the figures keep who came
    async with in_transaction() as connection:
        signup = await EventSignup.filter(event_id=event_id, account_id=account.id) \
            .using_db(connection).first()
        if signup is None:
            return view
        # Only the sign-up as read: a press changing its people meanwhile makes this one a no-op.
        deleted = await EventSignup.filter(id=signup.id, people=signup.people) \
            .using_db(connection).delete()
        if deleted:
            await Event.filter(id=event_id).using_db(connection).update(
                taken=F("taken") - signup.people)
        event = await Event.filter(id=event_id).using_db(connection) \
            .prefetch_related("facility").get()
        view = view_of(event, event.facility, 0)
        if deleted and not view.cancelled:
            locale = account.locale or view.default_locale
            await enqueue([_recipient(account, view)],
                          texts.withdrawn(locale, view, now),
                          purpose=WITHDRAWN, reference=f"{signup.id}", urgent=True,
                          using_db=connection)
    return view


async def export_of(account: Account) -> list[dict[str, Any]]:
    """The relative's sign-ups, for ``/mydata``."""
    signups = await EventSignup.filter(account_id=account.id).order_by("created_at") \
        .prefetch_related("event__facility")
    return [{
        "facility": s.event.facility.name, "event": s.event.title,
        "starts_at": s.event.starts_at.isoformat(), "people": s.people,
        "signed_up_at": s.created_at.isoformat(),
    } for s in signups]


async def erase_signups_of(account: Account, connection: BaseDBAsyncClient) -> None:
    """For ``/deleteme``: the sign-ups go, and the places of events not yet begun become free
    again; those of events begun stay counted (a number without a name: the report's attendance,
    as a withdrawal after the start cannot change it either)."""
    now = clock.now()
    for signup in await EventSignup.filter(account_id=account.id).using_db(connection):
        if await EventSignup.filter(id=signup.id).using_db(connection).delete():
            await Event.filter(id=signup.event_id, starts_at__gt=now).using_db(connection) \
                .update(taken=F("taken") - signup.people)
