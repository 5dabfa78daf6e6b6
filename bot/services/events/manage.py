"""The home's side of events: create, list with sign-ups, change time or place, cancel.

Admins change events; the whole team sees them with their sign-ups. A change of time or place,
or a cancellation, reaches everyone signed up through the outbox in the same transaction, with
the calendar entry again (same UID, higher sequence).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from bot import clock
from bot.delivery.outbox import Outgoing, Recipient, enqueue
from bot.domain.enums import EventAudience
from bot.domain.errors import InvalidInput, NotFound
from bot.domain.text import clean
from bot.models import Event, EventSignup, Facility, Role
from bot.services.accounts import audit
from bot.services.accounts.actors import Actor, require_role, role_in
from bot.services.accounts.facilities import facilities_for
from bot.services.events import texts
from bot.services.events.views import Attendee, EventView, SignupList, view_of

CHANGED = "event.changed"  # to everyone signed up: new time or place, or cancelled
TITLE_LIMIT, PLACE_LIMIT, DESCRIPTION_LIMIT, MAX_CAPACITY = 200, 200, 2000, 1000
DEFAULT_LENGTH = dt.timedelta(hours=2)
URGENT_BEFORE = dt.timedelta(days=1)  # a change this close to the start ignores quiet hours
_WHEN = re.compile(
    r"^\s*(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})\.(\d{1,2})\.(\d{4}))\s+(\d{1,2}):(\d{2})"
    r"(?:\s*[-–]\s*(\d{1,2}):(\d{2}))?\s*$"
)


@dataclass(frozen=True)
class NewEvent:
    """What an admin fills in for an event (times aware)."""

    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    place: str = ""
    description: str = ""
    audience: EventAudience = EventAudience.RELATIVES
    signup_until: dt.datetime | None = None  # default: the start
    public: bool = False


def parse_when(text: str, timezone: str) -> tuple[dt.datetime, dt.datetime]:
    """``2026-07-12 15:00``, ``12.07.2026 15:00`` or with an end, ``… 15:00-17:00``, in the
    home's time zone; without an end the event lasts two hours. :class:`InvalidInput` else."""
    match = _WHEN.match(text)
    if match is None:
        raise InvalidInput("when", "format")
    g = match.groups()
    year, month, day = (int(g[0]), int(g[1]), int(g[2])) if g[0] else (
        int(g[5]), int(g[4]), int(g[3]))
    try:
        start = dt.datetime(year, month, day, int(g[6]), int(g[7]), tzinfo=ZoneInfo(timezone))
        end = start + DEFAULT_LENGTH
        if g[8] is not None:
            end = start.replace(hour=int(g[8]), minute=int(g[9]))
            if end <= start:
                end += dt.timedelta(days=1)  # until after midnight
    except ValueError:
        raise InvalidInput("when", "format") from None
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def checked_text(value: str, field: str, limit: int, *, required: bool, lines: bool = False) -> str:
    value = clean(value, lines=lines).strip()
    if (required and not value) or len(value) > limit:
        raise InvalidInput(field, f"1-{limit} characters" if required else f"up to {limit}")
    return value


def _valid(new: NewEvent, now: dt.datetime) -> NewEvent:
    if new.starts_at <= now:
        raise InvalidInput("when", "past")
    if new.ends_at <= new.starts_at:
        raise InvalidInput("when", "ends before it starts")
    if not 1 <= new.capacity <= MAX_CAPACITY:
        raise InvalidInput("capacity", f"1-{MAX_CAPACITY}")
    until = new.signup_until or new.starts_at
    if until > new.starts_at:
        raise InvalidInput("signup_until", "after the start")
    return NewEvent(
        title=checked_text(new.title, "title", TITLE_LIMIT, required=True),
        place=checked_text(new.place, "place", PLACE_LIMIT, required=False),
        description=checked_text(new.description, "description", DESCRIPTION_LIMIT, required=False,
                          lines=True),
        starts_at=new.starts_at, ends_at=new.ends_at, capacity=new.capacity,
        audience=EventAudience(new.audience), signup_until=until, public=new.public,
    )


async def create_event(
    actor: Actor, facility_id: int, new: NewEvent, *, now: dt.datetime | None = None
) -> EventView:
    """A new event of the facility (admins only). Audited."""
    now = now or clock.now()
    await require_role(actor, facility_id, Role.ADMIN)
    facility = await Facility.get(id=facility_id)
    valid = _valid(new, now)
    async with in_transaction() as connection:
        event = await Event.create(
            facility_id=facility_id, title=valid.title, description=valid.description,
            starts_at=valid.starts_at, ends_at=valid.ends_at, place=valid.place,
            audience=valid.audience, capacity=valid.capacity, signup_until=valid.signup_until,
            public=valid.public, created_at=now, changed_at=now, using_db=connection,
        )
        await audit.record(actor, "event.create", facility=facility, subject=f"event:{event.id}")
    return view_of(event, facility)


async def may_change_events(actor: Actor, facility_id: int) -> bool:
    """Whether the actor may create and change the home's events (its admins)."""
    return await role_in(actor, facility_id) == Role.ADMIN


async def managed_facilities(actor: Actor) -> list[Facility]:
    """The homes whose events the actor sees as their team (staff and up)."""
    return await facilities_for(actor, Role.STAFF)


async def _load(event_id: int, connection: BaseDBAsyncClient | None = None) -> Event:
    query = Event.filter(id=event_id).select_related("facility")
    if connection is not None:
        query = query.using_db(connection)
    event = await query.first()
    if event is None:
        raise NotFound(f"no event {event_id}")
    return event


async def upcoming(
    actor: Actor, facility_id: int, *, include_past: bool = False, now: dt.datetime | None = None
) -> list[EventView]:
    """The facility's events not yet over (cancelled ones too), soonest first: for its team."""
    now = now or clock.now()
    await require_role(actor, facility_id, Role.STAFF)
    facility = await Facility.get(id=facility_id)
    query = Event.filter(facility_id=facility_id)
    if not include_past:
        query = query.filter(ends_at__gt=now)
    return [view_of(event, facility) for event in await query.order_by("starts_at", "id")]


async def signup_list(actor: Actor, event_id: int) -> SignupList:
    """The event with everyone signed up and how many they bring: for the home's team."""
    event = await _load(event_id)
    role = await require_role(actor, event.facility.id, Role.STAFF)
    signups = await EventSignup.filter(event_id=event.id).order_by("created_at", "id") \
        .prefetch_related("account")
    return SignupList(view_of(event, event.facility),
                      tuple(Attendee(s.account.first_name, s.people) for s in signups),
                      may_change=role == Role.ADMIN)


async def _tell_signed_up(
    event: Event, view: EventView, now: dt.datetime, connection: BaseDBAsyncClient
) -> None:
    """Everyone signed up gets the change (or the cancellation) with the updated entry."""
    facility = event.facility
    signups = await EventSignup.filter(event_id=event.id, account__unreachable=False) \
        .using_db(connection).prefetch_related("account")
    for signup in signups:
        account = signup.account
        locale = account.locale or facility.default_locale
        mine = EventView(**{**view.__dict__, "mine": signup.people})
        outgoing: Outgoing = (texts.cancelled(locale, mine, now) if view.cancelled
                              else texts.changed(locale, mine, now))
        await enqueue([Recipient(account.telegram_id, account, facility.timezone)], outgoing,
                      purpose=CHANGED, reference=f"{event.id}:{view.sequence}",
                      urgent=view.starts_at - now < URGENT_BEFORE, using_db=connection)


async def change_event(
    actor: Actor,
    event_id: int,
    *,
    when: tuple[dt.datetime, dt.datetime] | None = None,
    place: str | None = None,
    now: dt.datetime | None = None,
) -> EventView:
    """A new time (start, end) or place; everyone signed up is told. Admins only. Audited."""
    now = now or clock.now()
    event = await _load(event_id)
    await require_role(actor, event.facility.id, Role.ADMIN)
    if event.cancelled_at is not None:
        raise InvalidInput("event", "cancelled")
    changes: dict[str, object] = {}
    if when is not None:
        start, end = when
        if start <= now:
            raise InvalidInput("when", "past")
        if end <= start:
            raise InvalidInput("when", "ends before it starts")
        changes.update(starts_at=start, ends_at=end)
        # "Until the start" moves with the start; an earlier deadline stays, but never after it.
        if event.signup_until in (None, event.starts_at) or event.signup_until > start:
            changes["signup_until"] = start
    if place is not None:
        changes["place"] = checked_text(place, "place", PLACE_LIMIT, required=False)
    if all(getattr(event, key) == value for key, value in changes.items()):
        return view_of(event, event.facility)
    async with in_transaction() as connection:
        if not await Event.filter(id=event_id, cancelled_at=None).using_db(connection).update(
                **changes, sequence=F("sequence") + 1, changed_at=now):
            raise InvalidInput("event", "cancelled")  # cancelled meanwhile: nobody told twice
        event = await _load(event_id, connection)
        view = view_of(event, event.facility)
        await _tell_signed_up(event, view, now, connection)
        await audit.record(actor, "event.change", facility=event.facility,
                           subject=f"event:{event.id}", fields=sorted(changes))
    return view


async def cancel_event(
    actor: Actor, event_id: int, *, now: dt.datetime | None = None
) -> EventView:
    """Cancel the event; everyone signed up is told (its entry CANCELLED). Admins only.

    Cancelling a cancelled event changes nothing.
    """
    now = now or clock.now()
    event = await _load(event_id)
    await require_role(actor, event.facility.id, Role.ADMIN)
    async with in_transaction() as connection:
        done = await Event.filter(id=event_id, cancelled_at=None).using_db(connection).update(
            cancelled_at=now, sequence=F("sequence") + 1, changed_at=now)
        event = await _load(event_id, connection)
        view = view_of(event, event.facility)
        if done:
            await _tell_signed_up(event, view, now, connection)
            await audit.record(actor, "event.cancel", facility=event.facility,
                               subject=f"event:{event.id}")
    return view


async def set_public(actor: Actor, event_id: int, public: bool) -> EventView:
    """Show the event in the home's public calendar feed, or not. Admins only."""
    event = await _load(event_id)
    await require_role(actor, event.facility.id, Role.ADMIN)
    await Event.filter(id=event_id).update(public=public, changed_at=clock.now())
    event.public = public
    return view_of(event, event.facility)


async def event_in(actor: Actor, event_id: int, minimum: Role = Role.STAFF) -> EventView:
    """One event, for its home's team (with at least the role ``minimum``)."""
    event = await _load(event_id)
    await require_role(actor, event.facility.id, minimum)
    return view_of(event, event.facility)
