"""The home's public calendar feed (``/facilities/{slug}/events.ics``) and the announcement.

The feed lists the events the home marked public, from 30 days back on, cancelled ones as
CANCELLED (so that subscribed calendars drop them); it carries no names of relatives.
"""

from __future__ import annotations

import datetime as dt

from bot import clock
from bot.models import Event, Facility, Role
from bot.services.accounts.actors import Actor
from bot.services.announcements import AnnouncementView, draft
from bot.services.calendar import calendar_file
from bot.services.events import texts
from bot.services.events.manage import event_in
from bot.services.events.views import view_of

FEED_PAST = dt.timedelta(days=30)


async def public_feed(facility: Facility, *, now: dt.datetime | None = None) -> bytes:
    """The ``.ics`` of the facility's public events, in its default language.

    Stamped with the last change of an event in it, so that the same feed is the same bytes
    (and the same ETag) until something changes.
    """
    now = now or clock.now()
    events = await Event.filter(
        facility_id=facility.id, public=True, ends_at__gt=now - FEED_PAST
    ).order_by("starts_at", "id")
    locale = facility.default_locale
    entries = [texts.entry(locale, view_of(event, facility)) for event in events]
    stamp = max((event.changed_at for event in events), default=facility.created_at)
    return calendar_file(entries, now=stamp, name=facility.name)


async def announce(actor: Actor, event_id: int) -> AnnouncementView:
    """An announcement draft with the event's text, for the admin to send through the usual
    broadcast steps (audience, languages, time). Admins only (the draft checks again)."""
    event = await event_in(actor, event_id, Role.ADMIN)
    return await draft(actor, event.facility_id,
                       texts.announcement(event.default_locale, event), None,
                       event.default_locale)
