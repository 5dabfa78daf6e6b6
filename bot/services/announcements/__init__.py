"""Announcements (Rundschreiben): drafts, audiences, scheduling and their delivery figures.

The public face of the package: handlers import only what is named here, the package's
own modules import each other directly. The modules, by concern: :mod:`.drafts` (the steps of
a draft), :mod:`.times` (when it goes), :mod:`.recipients` (who reads which version),
:mod:`.sending` (confirm and cancel), :mod:`.progress` (figures and what is still going out),
and :mod:`.views` (what callers see of an announcement).
"""

from bot.models import Audience
from bot.services.announcements.drafts import (
    CAPTION_LIMIT,
    TEXT_LIMIT,
    add_translation,
    draft,
    get_announcement,
    get_view,
    schedule,
    set_audience,
    set_urgent,
    units_of,
)
from bot.services.announcements.progress import (
    Figures,
    being_sent,
    figures,
    recent,
    seconds_left,
    started_at,
    state_of,
    watch_from,
)
from bot.services.announcements.recipients import outgoing_in, recipients_of
from bot.services.announcements.sending import cancel, confirm
from bot.services.announcements.times import (
    EVENING_AT,
    IN_ONE_HOUR,
    MORNING_AT,
    NOW,
    TODAY_EVENING,
    TOMORROW_MORNING,
    send_time,
)
from bot.services.announcements.views import AnnouncementView, Version

__all__ = [
    "CAPTION_LIMIT",
    "EVENING_AT",
    "IN_ONE_HOUR",
    "MORNING_AT",
    "NOW",
    "TEXT_LIMIT",
    "TODAY_EVENING",
    "TOMORROW_MORNING",
    "AnnouncementView",
    "Audience",
    "Figures",
    "Version",
    "add_translation",
    "being_sent",
    "cancel",
    "confirm",
    "draft",
    "figures",
    "get_announcement",
    "get_view",
    "outgoing_in",
    "recent",
    "recipients_of",
    "schedule",
    "seconds_left",
    "send_time",
    "set_audience",
    "set_urgent",
    "started_at",
    "state_of",
    "units_of",
    "watch_from",
]
