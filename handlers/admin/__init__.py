"""Facility admins manage their home in Telegram: residents, invites, staff and settings.

This module holds what the four screens share — how a role is called, choosing the facility
first — and assembles the handlers of :mod:`handlers.admin.residents`, ``invites``, ``staff``
and ``facility``; the generic parts (screens, buttons, arguments) are in :mod:`handlers.kit`.
Every press goes through a service, which checks the role from the database again: callback
data only names ids, and is never trusted.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CommandHandler

from bot.domain.callbacks import BadCallbackData, Prefix
from bot.domain.enums import Role
from bot.domain.errors import DomainError
from bot.i18n import Translator
from bot.services.accounts import facilities_for, stop_awaiting
from handlers.kit.args import int_args
from handlers.kit.buttons import button, buttons, error_message
from handlers.kit.context import HeimboteContext, actor_of

log = logging.getLogger(__name__)

PICK = Prefix.ADMIN_PICK


def role_name(tr: Translator, role: Role) -> str:
    """A role as the care home says it."""
    return {
        Role.STAFF: tr._("Care staff"),
        Role.APPROVER: tr._("Approver"),
        Role.ADMIN: tr._("Admin"),
    }[role]


# --- choosing the facility first -------------------------------------------------------------

Opener = Callable[[Update, HeimboteContext, int], Awaitable[None]]


@dataclass(frozen=True)
class Screen:
    """An admin screen for one home, and the command that opens it."""

    command: str
    open: Opener


async def open_screen(
    screens: Mapping[str, Screen], update: Update, context: HeimboteContext, screen: str
) -> None:
    """Open ``screen`` for the admin's facility, or first ask which one when there are several."""
    message = update.effective_message
    if message is None or context.account is None:
        return
    tr = context.tr
    await stop_awaiting(context.account)  # a new screen: earlier questions are off
    try:
        facilities = await facilities_for(actor_of(context), Role.ADMIN)
        if len(facilities) == 1:
            await screens[screen].open(update, context, facilities[0].id)
            return
    except DomainError as error:
        await message.reply_text(error_message(tr, error))
        return
    if not facilities:
        await message.reply_text(
            tr._("This is for the management of a care home. /help shows what I can do for you.")
        )
        return
    rows = [[button(f.name, PICK, "pick", screen, f.id)] for f in facilities]
    await message.reply_text(tr._("Which care home?"), reply_markup=InlineKeyboardMarkup(rows))


def screen_handlers(
    screens: Mapping[str, Screen],
) -> list[BaseHandler[Update, HeimboteContext, None]]:
    """Each screen's command, and the "Which care home?" buttons that open a screen."""

    def command(screen: str) -> BaseHandler[Update, HeimboteContext, None]:
        async def run(update: Update, context: HeimboteContext) -> None:
            await open_screen(screens, update, context, screen)

        return CommandHandler(screens[screen].command, run)

    async def pick_facility(
        update: Update, context: HeimboteContext, args: tuple[str, ...]
    ) -> str | None:
        """A facility was chosen: open the screen for it (its service checks the role again)."""
        if len(args) != 2 or args[0] not in screens:
            raise BadCallbackData(args)
        (facility_id,) = int_args(args[1:], 1)
        await screens[args[0]].open(update, context, facility_id)
        return None

    return [buttons(PICK, {"pick": pick_facility}), *(command(screen) for screen in screens)]


def handlers() -> list[BaseHandler[Update, HeimboteContext, None]]:
    """/residents, /invite, /staff, /facility, /complaints, /reviews and their buttons."""
    from handlers.admin import facility as admin_facility
    from handlers.admin import invites as admin_invites
    from handlers.admin import residents as admin_residents
    from handlers.admin import staff as admin_staff
    from handlers.reviews import admin as reviews_admin

    screens = {
        **admin_residents.SCREENS,
        **admin_invites.SCREENS,
        **admin_staff.SCREENS,
        **admin_facility.SCREENS,
        **reviews_admin.SCREENS,
    }
    return [
        *screen_handlers(screens),
        *admin_residents.handlers(),
        *admin_invites.handlers(),
        *admin_staff.handlers(),
        *admin_facility.handlers(),
    ]
