"""The command menu Telegram shows next to the text field, per role and language, and /help's list.

- The default scope (every private chat) holds the relatives' menu, once per language.
- Each team member and admin has a menu of their own (``BotCommandScopeChat``): set when they
  join or their role changes, removed when it ends, restored at start-up for all of them.
- Group chats (``BotCommandScopeAllGroupChats``) offer /linkgroup and /help.
- The bot's description and short description say, in every language, what the bot does.

/help lists exactly the commands of the reader's menu (:func:`commands_for`).
"""

from __future__ import annotations

import logging
from enum import Enum
from typing import TYPE_CHECKING

from telegram import Bot, BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeChat
from telegram.error import TelegramError

from bot.domain.enums import Role
from bot.i18n import N_, available_locales, translator
from bot.services.accounts import Standing, account_by_id, standing_of, team_accounts
from handlers.kit.context import HeimboteContext

if TYPE_CHECKING:
    from bot.models import Account


log = logging.getLogger(__name__)


class Audience(Enum):
    """Who a command is for."""

    EVERYONE = "everyone"
    RELATIVE = "relative"
    STAFF = "staff"
    APPROVER = "approver"
    ADMIN = "admin"


_MINIMUM = {
    Audience.STAFF: Role.STAFF, Audience.APPROVER: Role.APPROVER, Audience.ADMIN: Role.ADMIN
}

MENU: tuple[tuple[str, str, Audience], ...] = (
    ("start", N_("Start, or join with an invite"), Audience.EVERYONE),
    ("message", N_("Write to the care home"), Audience.RELATIVE),
    ("today", N_("Notes of the day"), Audience.RELATIVE),
    ("visit", N_("Book a visit"), Audience.RELATIVE),
    ("events", N_("Events of the care home"), Audience.RELATIVE),
    ("rate", N_("Rate the care home"), Audience.RELATIVE),
    ("invitefamily", N_("Invite someone from your family"), Audience.RELATIVE),
    ("myposts", N_("Your photo updates"), Audience.STAFF),
    ("today", N_("Note a resident's day"), Audience.STAFF),
    ("visits", N_("Today's and tomorrow's visits"), Audience.STAFF),
    ("events", N_("Events of the care home"), Audience.STAFF),
    ("pending", N_("Photo updates waiting for approval"), Audience.APPROVER),
    ("callus", N_("Urgent alert to a resident's emergency contacts"), Audience.APPROVER),
    ("residents", N_("Residents"), Audience.ADMIN),
    ("invite", N_("Invite relatives and staff"), Audience.ADMIN),
    ("staff", N_("The team and its roles"), Audience.ADMIN),
    ("facility", N_("Settings of the home"), Audience.ADMIN),
    ("broadcast", N_("Send an announcement"), Audience.ADMIN),
    ("broadcasts", N_("Announcements sent"), Audience.ADMIN),
    ("report", N_("Monthly quality report"), Audience.ADMIN),
    ("complaints", N_("Complaints from ratings"), Audience.ADMIN),
    ("reviews", N_("Ratings and their answers"), Audience.ADMIN),
    ("linkgroup", N_("In a staff group: receive relatives' messages there"), Audience.ADMIN),
    ("language", N_("Choose your language"), Audience.EVERYONE),
    ("settings", N_("Photo greetings, quiet hours, your residents"), Audience.EVERYONE),
    ("privacy", N_("What I store about you"), Audience.EVERYONE),
    ("mydata", N_("A copy of your data"), Audience.EVERYONE),
    ("deleteme", N_("Delete all your data"), Audience.EVERYONE),
    ("help", N_("What I can do"), Audience.EVERYONE),
)

GROUP_MENU: tuple[tuple[str, str], ...] = (
    ("linkgroup", N_("Receive the home's messages from relatives in this group")),
    ("help", N_("What I can do")),
)

DESCRIPTION = N_(
    "Heimbote connects families with their relative's care home: photo greetings, notes of "
    "the day, visits, events and messages to the team. Open it with the invitation link "
    "from the home."
)
SHORT_DESCRIPTION = N_("Photo greetings and news from the care home of your family member.")

RELATIVES = Standing(relative=True, role=None)


def _for(standing: Standing, audience: Audience) -> bool:
    if audience is Audience.EVERYONE:
        return True
    if audience is Audience.RELATIVE:
        # Someone who is neither a relative nor on a team yet gets the relatives' menu.
        return standing.relative or standing.role is None
    return standing.ranks_at_least(_MINIMUM[audience])


def commands_for(standing: Standing) -> list[tuple[str, str, Audience]]:
    """The commands of this standing, in menu order, each once (untranslated descriptions)."""
    seen: set[str] = set()
    chosen = []
    for command, description, audience in MENU:
        if command not in seen and _for(standing, audience):
            seen.add(command)
            chosen.append((command, description, audience))
    return chosen


def menu_in(locale: str, standing: Standing = RELATIVES) -> list[BotCommand]:
    """The menu of ``standing`` translated into ``locale``."""
    tr = translator(locale)
    return [BotCommand(command, tr._(text)) for command, text, _ in commands_for(standing)]


async def publish_menu(bot: Bot, default_locale: str, platform_admin_ids: frozenset[int]) -> None:
    """At start-up: the relatives', the groups' and every team member's menu, and descriptions."""
    group_scope = BotCommandScopeAllGroupChats()
    for locale in (*available_locales(), None):
        tr = translator(locale or default_locale)
        await bot.set_my_commands(menu_in(locale or default_locale), language_code=locale)
        group = [BotCommand(command, tr._(text)) for command, text in GROUP_MENU]
        await bot.set_my_commands(group, scope=group_scope, language_code=locale)
        await bot.set_my_description(tr._(DESCRIPTION), language_code=locale)
        await bot.set_my_short_description(tr._(SHORT_DESCRIPTION), language_code=locale)
    for account in await team_accounts(platform_admin_ids):
        await refresh_menu(bot, account, default_locale, platform_admin_ids)


async def refresh_menu(
    bot: Bot, account: Account, default_locale: str, platform_admin_ids: frozenset[int]
) -> None:
    """Give the account the menu of its roles, in its language (none of its own without one)."""
    standing = await standing_of(account, platform_admin_ids)
    scope = BotCommandScopeChat(account.telegram_id)
    try:
        if standing.role is None:
            await bot.delete_my_commands(scope=scope)
        else:
            await bot.set_my_commands(menu_in(account.locale or default_locale, standing), scope)
    except TelegramError as error:  # a chat Telegram no longer knows, a flood wait: not fatal
        log.info("menu of account %s not set: %s", account.id, error)


async def refresh_for(context: HeimboteContext, account: Account | int) -> None:
    """:func:`refresh_menu` with the bot and settings of this update (an account or its id)."""
    settings = context.settings
    if isinstance(account, int):
        found = await account_by_id(account)
        if found is None:
            return
        account = found
    await refresh_menu(context.bot, account, settings.default_locale, settings.platform_admin_ids)


async def forget_menu(bot: Bot, telegram_id: int) -> None:
    """An erased account's own menu goes (the relatives' default one remains)."""
    try:
        await bot.delete_my_commands(scope=BotCommandScopeChat(telegram_id))
    except TelegramError as error:
        log.info("menu not removed: %s", error)
