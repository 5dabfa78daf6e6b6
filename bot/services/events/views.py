"""What the events services return: frozen views of an event, read by handlers, CLI and texts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.domain.enums import EventAudience
from bot.models import Event, Facility


@dataclass(frozen=True)
class EventView:
    """One event as its readers see it; ``mine`` is how many people the reader signed up."""

    id: int
    facility_id: int
    facility_name: str
    facility_slug: str
    timezone: str
    default_locale: str
    title: str
    description: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    audience: EventAudience
    capacity: int
    taken: int
    signup_until: dt.datetime
    public: bool
    sequence: int
    cancelled: bool
    mine: int = 0

    @property
    def free(self) -> int:
        """Places still free."""
        return max(self.capacity - self.taken, 0)

    @property
    def uid(self) -> str:
        """The calendar entry's stable UID."""
        return f"event-{self.id}@{self.facility_slug}.heimbote"

    def open_for_signup(self, now: dt.datetime) -> bool:
        """Whether relatives may still sign up (or change how many come)."""
        return (self.audience == EventAudience.RELATIVES and not self.cancelled
                and now < self.signup_until and now < self.starts_at)


@dataclass(frozen=True)
class Attendee:
    """A relative signed up, as the home sees them."""

    name: str
    people: int


@dataclass(frozen=True)
class SignupList:
    """An event with who signed up, for the home."""

    event: EventView
    attendees: tuple[Attendee, ...]
    may_change: bool  # the reader is an admin of the home


def view_of(event: Event, facility: Facility, mine: int = 0) -> EventView:
    """The view of a loaded event."""
    return EventView(
        id=event.id, facility_id=facility.id, facility_name=facility.name,
        facility_slug=facility.slug, timezone=facility.timezone,
        default_locale=facility.default_locale, title=event.title,
        description=event.description, starts_at=event.starts_at, ends_at=event.ends_at,
        place=event.place, audience=EventAudience(event.audience), capacity=event.capacity,
        taken=event.taken, signup_until=event.signup_until or event.starts_at,
        public=event.public, sequence=event.sequence, cancelled=event.cancelled_at is not None,
        mine=mine,
    )
