"""Events of a home: the summer party, with places, sign-ups, calendar entries and a feed.

The public face of the package: handlers import only what is named here, the package's
own modules import each other directly. :mod:`.manage` is the home's side, :mod:`.signups` the
relatives', :mod:`.texts` what the bot writes (and the ``.ics``), :mod:`.feed` the public
calendar and the announcement.
"""

from bot.services.events.drafting import SKIP, answer_step, create_from_draft, next_step
from bot.services.events.feed import announce, public_feed
from bot.services.events.manage import (
    CHANGED,
    NewEvent,
    cancel_event,
    change_event,
    create_event,
    event_in,
    managed_facilities,
    may_change_events,
    parse_when,
    set_public,
    signup_list,
    upcoming,
)
from bot.services.events.signups import (
    MAX_PEOPLE,
    SIGNED_UP,
    WITHDRAWN,
    erase_signups_of,
    event_for,
    export_of,
    sign_up,
    upcoming_for,
    withdraw,
)
from bot.services.events.texts import deadline_text, when_text
from bot.services.events.views import Attendee, EventView, SignupList

__all__ = [
    "CHANGED",
    "MAX_PEOPLE",
    "SIGNED_UP",
    "SKIP",
    "WITHDRAWN",
    "Attendee",
    "EventView",
    "NewEvent",
    "SignupList",
    "announce",
    "answer_step",
    "cancel_event",
    "change_event",
    "create_event",
    "create_from_draft",
    "deadline_text",
    "erase_signups_of",
    "event_for",
    "event_in",
    "export_of",
    "managed_facilities",
    "may_change_events",
    "next_step",
    "parse_when",
    "public_feed",
    "set_public",
    "sign_up",
    "signup_list",
    "upcoming",
    "upcoming_for",
    "when_text",
    "withdraw",
]
