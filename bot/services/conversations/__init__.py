"""Relatives write to the home: threads, the team's group or forum, reminders, response times.

The public face of the package: handlers import only what is named here, the package's
own modules import each other directly.
"""

from bot.services.conversations.conversations import (
    ANSWER,
    CAPTION_LIMIT,
    ESCALATION,
    RELAY,
    REMINDER,
    TEXT_LIMIT,
    Written,
    close,
    relative_writes,
    staff_replies,
)
from bot.services.conversations.figures import usual_response_time
from bot.services.conversations.reminders import DAY_ENDS, DAY_STARTS
from bot.services.conversations.replies import (
    AFTER_SENT,
    remember_prompt,
    remember_relayed,
    thread_replied_to,
)
from bot.services.conversations.residents import (
    COMPOSE,
    ResidentChoice,
    start_reply_about,
    writable_residents,
)
from bot.services.conversations.setup import (
    Overview,
    bot_left_group,
    facility_of_group,
    link_group,
    overview,
    set_inbox,
    unlink_group,
    update_settings,
)
from bot.services.conversations.texts import RELATIVE_CAPABILITY, STAFF_CAPABILITY
from bot.services.conversations.threads import ThreadView, thread_for_relative, thread_for_staff

__all__ = [
    "AFTER_SENT",
    "ANSWER",
    "CAPTION_LIMIT",
    "COMPOSE",
    "DAY_ENDS",
    "DAY_STARTS",
    "ESCALATION",
    "RELATIVE_CAPABILITY",
    "RELAY",
    "REMINDER",
    "STAFF_CAPABILITY",
    "TEXT_LIMIT",
    "Overview",
    "ResidentChoice",
    "ThreadView",
    "Written",
    "bot_left_group",
    "close",
    "facility_of_group",
    "link_group",
    "overview",
    "relative_writes",
    "remember_prompt",
    "remember_relayed",
    "set_inbox",
    "staff_replies",
    "start_reply_about",
    "thread_for_relative",
    "thread_for_staff",
    "thread_replied_to",
    "unlink_group",
    "update_settings",
    "usual_response_time",
    "writable_residents",
]
