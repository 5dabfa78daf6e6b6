"""/facility: a home's settings — may relatives invite, how many per resident, contact, language.

Photo updates (four eyes, retention) and ratings (interval, complaint window, first invitation)
have their own sub-screens in :mod:`handlers.admin.facility_settings`, messages from relatives
theirs
in :mod:`handlers.conversations.settings`.

Buttons carry the new value (not "toggle"), so a double tap or an old message sets, never flips.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler

from bot.domain.callbacks import BadCallbackData, Prefix
from bot.domain.enums import Role
from bot.i18n import Translator, available_locales, language_name
from bot.services.accounts import Awaited, await_input, get_facility, stop_awaiting, update_facility
from handlers.admin import Screen, facility_settings
from handlers.conversations.settings import CAP as CONVERSATIONS
from handlers.kit.args import int_args
from handlers.kit.buttons import button, buttons, typed
from handlers.kit.context import HeimboteContext, actor_of
from handlers.kit.screens import show
from handlers.kit.text_input import TextAnswer, typed_text

if TYPE_CHECKING:  # types only: handlers do not touch models
    from bot.models import Facility

FACILITY = Prefix.FACILITY
CONTACT = "facility_contact"


def settings_text(tr: Translator, facility: Facility) -> str:
    """The settings, one per line."""
    lines = [
        tr._("Settings of {home}").format(home=facility.name),
        tr._("Relatives may invite other relatives: yes")
        if facility.relatives_may_invite
        else tr._("Relatives may invite other relatives: no"),
        tr.ngettext(
            "At most {count} relative per resident",
            "At most {count} relatives per resident",
            facility.max_relatives_per_resident,
        ).format(count=tr.number(facility.max_relatives_per_resident)),
        tr._("Language for new relatives: {language}").format(
            language=language_name(facility.default_locale)
        ),
        tr._("Contact: {contact}").format(contact=facility.contact)
        if facility.contact
        else tr._("Contact: not set yet"),
    ]
    return "\n".join(lines)


def settings_keyboard(tr: Translator, facility: Facility) -> InlineKeyboardMarkup:
    """One button per setting; each names the value it sets."""
    fid = facility.id
    may_invite = facility.relatives_may_invite
    most = facility.max_relatives_per_resident
    return InlineKeyboardMarkup(
        [
            [
                button(
                    tr._("Relatives may not invite")
                    if may_invite
                    else tr._("Relatives may invite"),
                    FACILITY, "invite", fid, 0 if may_invite else 1,
                )
            ],
            [
                button(tr._("− fewer relatives"), FACILITY, "max", fid, most - 1),
                button(tr._("+ more relatives"), FACILITY, "max", fid, most + 1),
            ],
            [button(tr._("Contact text"), FACILITY, "contact", fid)],
            [button(tr._("Language for new relatives"), FACILITY, "langs", fid)],
            [button(tr._("📷 Photo updates"), facility_settings.CAP, "show",
                    facility_settings.PHOTO, fid)],
            [button(tr._("⭐ Ratings"), facility_settings.CAP, "show",
                    facility_settings.RATINGS, fid)],
            [button(tr._("💬 Messages from relatives"), CONVERSATIONS, "show", fid)],
            [button(tr._("🗓 Visits"), Prefix.VISITS, "adm", fid)],
            [button(tr._("📝 Daily notes"), Prefix.WELLBEING, "home", fid)],
        ]
    )


async def show_settings(update: Update, context: HeimboteContext, facility_id: int) -> None:
    """The home's settings with their buttons."""
    facility = await get_facility(actor_of(context), facility_id, Role.ADMIN)
    await show(update, settings_text(context.tr, facility), settings_keyboard(context.tr, facility))


async def change(update: Update, context: HeimboteContext, **setting: object) -> str:
    """Change one setting (the service checks the role) and show the settings again."""
    tr = context.tr
    facility_id = int(str(setting.pop("facility_id")))
    facility = await update_facility(actor_of(context), facility_id, **setting)
    await show(update, settings_text(tr, facility), settings_keyboard(tr, facility))
    return tr._("Saved.")


async def set_may_invite(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str:
    """Relatives may (1) or may not (0) invite other relatives."""
    facility_id, value = int_args(args, 2)
    if value not in (0, 1):
        raise BadCallbackData(args)
    return await change(
        update, context, facility_id=facility_id, relatives_may_invite=bool(value)
    )


async def set_most(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str:
    """At most this many relatives per resident (the service keeps it in range)."""
    facility_id, most = int_args(args, 2)
    return await change(update, context, facility_id=facility_id, max_relatives_per_resident=most)


async def pick_language(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """The languages new relatives can start with."""
    (facility_id,) = int_args(args, 1)
    facility = await get_facility(actor_of(context), facility_id, Role.ADMIN)
    tr = context.tr
    rows = [
        [
            button(
                ("✓ " if code == facility.default_locale else "") + language_name(code),
                FACILITY, "lang", facility.id, code,
            )
        ]
        for code in available_locales()
    ]
    await show(
        update,
        tr._("In which language should I greet new relatives before they choose their own?"),
        InlineKeyboardMarkup(rows),
    )


async def set_language(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str:
    """The language the button names."""
    if len(args) != 2:
        raise BadCallbackData(args)
    (facility_id,) = int_args(args[:1], 1)
    return await change(update, context, facility_id=facility_id, default_locale=args[1])


async def ask_contact(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """Ask for the contact text relatives see."""
    assert context.account is not None
    (facility_id,) = int_args(args, 1)
    facility = await get_facility(actor_of(context), facility_id, Role.ADMIN)
    await await_input(context.account, CONTACT, facility_id=facility.id)
    await show(
        update,
        context.tr._(
            "Please type how relatives can reach the home, for example the phone number "
            "and office hours."
        ),
    )


@typed
async def contact_typed(update: Update, context: HeimboteContext, awaited: Awaited) -> None:
    """The new contact text: save it and show the settings."""
    entered = typed_text(update, context)
    if entered is None:
        return
    await change(update, context, facility_id=awaited.payload["facility_id"], contact=entered.text)
    await stop_awaiting(entered.account)


def handlers() -> list[BaseHandler[Update, HeimboteContext, None]]:
    """/facility, its buttons and its sub-screens' buttons."""
    return [
        buttons(
            FACILITY,
            {
                "invite": set_may_invite,
                "max": set_most,
                "langs": pick_language,
                "lang": set_language,
                "contact": ask_contact,
            },
        ),
        *facility_settings.handlers(),
    ]


# What this module answers when the bot waits for typed text (kit.text_input).
TEXT_ANSWERS: dict[str, TextAnswer] = {
    CONTACT: contact_typed,
}


# The admin screens this module opens for one home, and their commands (handlers.admin).
SCREENS: dict[str, Screen] = {
    FACILITY: Screen("facility", show_settings),
}
