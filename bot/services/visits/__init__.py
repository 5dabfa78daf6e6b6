"""Visits: a home's visiting slots and closures, relatives' bookings, the staff's lists.

The public face of the package: handlers import only what is named here.
"""

from bot.services.visits.booking import (
    MAX_PEOPLE,
    Choice,
    Offer,
    book,
    cancel,
    free_days,
    offers,
    visitable,
)
from bot.services.visits.lists import (
    Visit,
    by_unit,
    export_of,
    release_all_of,
    send_day_lists,
    staff_list,
    visits_between,
)
from bot.services.visits.slots import (
    DAY_LIST_STEP,
    Overview,
    add_slot,
    add_typed_slot,
    close,
    overview,
    parse_closure,
    parse_slot,
    remove_slot,
    set_day_list_at,
    shifted,
)
from bot.services.visits.texts import (
    WEEKDAYS,
    day_text,
    people_text,
    time_text,
    weekday_of,
    weekday_text,
    when_text,
    zone,
)
from bot.services.visits.times import local_day

__all__ = [
    "DAY_LIST_STEP",
    "MAX_PEOPLE",
    "WEEKDAYS",
    "Choice",
    "Offer",
    "Overview",
    "Visit",
    "add_slot",
    "add_typed_slot",
    "book",
    "by_unit",
    "cancel",
    "close",
    "day_text",
    "export_of",
    "free_days",
    "local_day",
    "offers",
    "overview",
    "parse_closure",
    "parse_slot",
    "people_text",
    "release_all_of",
    "remove_slot",
    "send_day_lists",
    "set_day_list_at",
    "shifted",
    "staff_list",
    "time_text",
    "visitable",
    "visits_between",
    "weekday_of",
    "weekday_text",
    "when_text",
    "zone",
]
