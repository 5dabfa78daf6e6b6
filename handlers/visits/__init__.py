"""Visits: /visit for relatives, /visits for the team, the home's visit settings (/facility).

One dispatcher takes every button of :data:`Prefix.VISITS`: the relative's steps and cancel
(:mod:`handlers.visits.relatives`) and the admin's screen (:mod:`handlers.visits.admin`).
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.domain.callbacks import Prefix
from handlers.kit.buttons import buttons
from handlers.kit.context import HeimboteContext
from handlers.kit.text_input import TextAnswer
from handlers.visits import admin, relatives, staff


def handlers() -> list[BaseHandler[Update, HeimboteContext, None]]:
    """/visit, /visits and the buttons of both and of the admin's screen."""
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("visit", relatives.start, filters=private),
        CommandHandler("visits", staff.show_visits, filters=private),
        buttons(Prefix.VISITS, {**relatives.ACTIONS, **admin.ACTIONS},
                explain=relatives.refusal),
    ]


# What this package answers when the bot waits for typed text (kit.text_input).
TEXT_ANSWERS: dict[str, TextAnswer] = {
    admin.SLOT: admin.slot_typed,
    admin.CLOSURE: admin.closure_typed,
}
