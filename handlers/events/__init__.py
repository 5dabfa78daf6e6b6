"""/events: relatives see the homes' events and sign up (:mod:`.relatives`); the home's team
sees them with their sign-ups, and admins create, change, cancel and announce them
(:mod:`.manage`, :mod:`.create`). Buttons carry only ids; the service checks every press."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.domain.callbacks import Prefix
from bot.services import events as service
from handlers.events import create, manage, relatives
from handlers.events.replies import refusal
from handlers.kit.args import int_args
from handlers.kit.buttons import button, buttons
from handlers.kit.context import HeimboteContext, actor_of
from handlers.kit.screens import show
from handlers.kit.text_input import TextAnswer

CAP = Prefix.EVENTS


async def events_command(update: Update, context: HeimboteContext) -> None:
    """/events: the team's view for those on a home's team, the relatives' view for the others."""
    tr = context.tr
    if context.account is None:
        await show(update, tr._("No events are planned at the moment."))
        return
    homes = await service.managed_facilities(actor_of(context))
    if not homes:
        await relatives.show_list(update, context)
    elif len(homes) == 1:
        await manage.show_home(update, context, (str(homes[0].id),))
    else:
        rows = [[button(home.name, CAP, "home", home.id)] for home in homes]
        await show(update, tr._("Which care home?"), InlineKeyboardMarkup(rows))


async def _home(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    int_args(args, 1)
    await manage.show_home(update, context, args)


def handlers() -> list[BaseHandler[Update, HeimboteContext, None]]:
    """/events and its buttons (typed answers go through handlers.kit.text_input)."""
    return [
        CommandHandler("events", events_command, filters=filters.ChatType.PRIVATE),
        buttons(CAP, {
            # relatives
            "list": relatives.list_pressed, "show": relatives.show_event,
            "join": relatives.join, "withdraw": relatives.withdraw,
            # the home's team
            "home": _home, "ev": manage.show_event, "time": manage.ask_time,
            "place": manage.ask_place, "cancel": manage.ask_cancel, "cancelok": manage.cancel,
            "public": manage.set_public, "announce": manage.announce,
            "new": create.start, "create": create.create,
        }, refusal),
    ]


# What this package answers when the bot waits for typed text (kit.text_input).
TEXT_ANSWERS: dict[str, TextAnswer] = {
    create.DRAFT: create.answered,
    manage.NEW_TIME: manage.time_typed,
    manage.NEW_PLACE: manage.place_typed,
}
