"""/broadcast and /broadcasts: a home's admins send announcements (Rundschreiben) to families.

The steps, one module each: which home (:mod:`.start`), text or photo (:mod:`.compose`),
audience (:mod:`.audience`), other languages (:mod:`.languages`), urgent, when, preview
(:mod:`.schedule`), confirm, progress and cancel (:mod:`.progress`), and the list of the latest
(:mod:`.recent`). The draft lives in the database; buttons carry only its id, and every step
goes through :mod:`bot.services.announcements`, which checks the admin role again.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from handlers.broadcast.audience import choose_audience, choose_unit
from handlers.broadcast.compose import (
    TEXT,
    ask_text,
    photo_received,
    text_received,
)
from handlers.broadcast.languages import (
    TRANSLATION,
    choose_language,
    no_more_languages,
    translation_received,
)
from handlers.broadcast.progress import confirm, drop, resume_progress, stop
from handlers.broadcast.recent import show_recent
from handlers.broadcast.replies import CAP, explain
from handlers.broadcast.schedule import TIME, choose_time, choose_urgent, time_received
from handlers.broadcast.start import broadcast, broadcasts
from handlers.kit.buttons import ButtonAction, buttons
from handlers.kit.context import HeimboteContext
from handlers.kit.text_input import TextAnswer

# What other packages use: the awaited kind of the text (or photo), the photo itself
# (photo_received: for kit.media), and the progress after a restart.
__all__ = [
    "TEXT",
    "TEXT_ANSWERS",
    "handlers",
    "photo_received",
    "resume_progress",
]

# What each button does (callback data "bc:<action>:<ids…>").
ACTIONS: dict[str, ButtonAction] = {
    "home": ask_text, "list": show_recent, "aud": choose_audience, "unit": choose_unit,
    "lang": choose_language, "nolang": no_more_languages, "urgent": choose_urgent,
    "when": choose_time, "ok": confirm, "drop": drop, "stop": stop,
}


def handlers() -> list[BaseHandler[Update, HeimboteContext, None]]:
    """/broadcast, /broadcasts and their buttons (the announcement's photo: kit.media)."""
    return [
        CommandHandler("broadcast", broadcast, filters=filters.ChatType.PRIVATE),
        CommandHandler("broadcasts", broadcasts, filters=filters.ChatType.PRIVATE),
        buttons(CAP, ACTIONS, explain),
    ]


# What this package answers when the bot waits for typed text (kit.text_input).
TEXT_ANSWERS: dict[str, TextAnswer] = {
    TEXT: text_received,
    TRANSLATION: translation_received,
    TIME: time_received,
}
