"""/residents: the list of a home's residents, searching, adding, and each resident's card.

The card itself is drawn by :mod:`handlers.admin.card`; its consent and end-of-stay buttons
live in :mod:`handlers.admin.stay`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler

from bot.domain.callbacks import BadCallbackData, Prefix, callback
from bot.domain.enums import Role
from bot.i18n import Translator
from bot.services.accounts import (
    Awaited,
    add_resident,
    await_input,
    awaited_input,
    get_facility,
    list_residents,
    resident_card,
    stop_awaiting,
    update_resident,
    valid_name,
)
from handlers.admin import Screen
from handlers.admin import stay as admin_stay
from handlers.admin.card import show_card
from handlers.kit.args import int_args
from handlers.kit.buttons import button, buttons, typed
from handlers.kit.context import HeimboteContext, actor_of
from handlers.kit.paging import PAGE_SIZE, Page, page_caption, paged_keyboard
from handlers.kit.screens import show
from handlers.kit.text_input import TextAnswer, typed_text

if TYPE_CHECKING:  # types only: handlers do not touch models
    from bot.models import Resident

RES = Prefix.RESIDENTS
INVITE = Prefix.INVITES  # the invite screen's capability (handlers.admin.invites)
SEARCH = "resident_search"
NEW_NAME = "resident_name"
NEW_ROOM = "resident_room"
EDIT = {"name": "resident_rename", "room": "resident_reroom", "unit": "resident_reunit"}
SEARCH_MAX = 100


def resident_label(tr: Translator, resident: Resident) -> str:
    """How a resident appears on a list button: name, and room when there is one."""
    if resident.room:
        return tr._("{name} · room {room}").format(name=resident.display_name, room=resident.room)
    return resident.display_name


# --- the list --------------------------------------------------------------------------------


async def show_list(
    update: Update, context: HeimboteContext, facility_id: int, offset: int = 0, search: str = ""
) -> None:
    """One page of residents (or the matches of a search); typed text then searches."""
    assert context.account is not None
    tr = context.tr
    residents, total = await list_residents(
        actor_of(context), facility_id, search=search, offset=offset, limit=PAGE_SIZE
    )
    await await_input(context.account, SEARCH, facility_id=facility_id)
    extra = [[button(tr._("➕ Add a resident"), RES, "add", facility_id)]]
    if search:
        # Search terms are personal data: they never go into callback data, so no paging here.
        page = Page(0, len(residents))
        text = tr.ngettext(
            "{count} resident matches “{search}”.",
            "{count} residents match “{search}”.",
            total,
        ).format(count=tr.number(total), search=search)
        if total > len(residents):
            text += "\n" + tr._("Type more of the name to narrow it down.")
        extra.append([button(tr._("Show all"), RES, "list", facility_id, 0)])
    else:
        page = Page(offset, total)
        text = tr.ngettext("{count} resident lives here.", "{count} residents live here.", total)
        text = text.format(count=tr.number(total))
        text += "\n" + tr._("Tap a name, or type part of a name or room to search.")
        if caption := page_caption(tr, page):
            text += "\n" + caption
    items = [(resident_label(tr, r), callback(RES, "card", r.id)) for r in residents]
    markup = paged_keyboard(
        items, page, lambda to: callback(RES, "list", facility_id, to), extra
    )
    await show(update, text, markup)


async def turn_page(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """◀ ▶ and "show all": a page of the list."""
    facility_id, offset = int_args(args, 2, minimum=0)
    await show_list(update, context, facility_id, offset)


@typed
async def search_typed(update: Update, context: HeimboteContext, awaited: Awaited) -> None:
    """Typed text while the list is shown: the residents whose name or room contains it."""
    entered = typed_text(update, context)
    if entered is None:
        return
    search = " ".join(entered.text.split())[:SEARCH_MAX]
    await show_list(update, context, int(awaited.payload["facility_id"]), 0, search)


# --- adding ----------------------------------------------------------------------------------


async def ask_name(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """➕: ask for the new resident's name (the role is checked before asking)."""
    assert context.account is not None
    (facility_id,) = int_args(args, 1)
    await get_facility(actor_of(context), facility_id, Role.ADMIN)
    await await_input(context.account, NEW_NAME, facility_id=facility_id)
    await show(
        update,
        context.tr._(
            "Please type the resident's name as relatives know it, for example “Frau M.”."
        ),
    )


@typed
async def name_typed(update: Update, context: HeimboteContext, awaited: Awaited) -> None:
    """The new resident's name: now ask for the room."""
    entered = typed_text(update, context)
    if entered is None:
        return
    name = valid_name(entered.text)  # refused now, not after the room was asked for
    facility_id = int(awaited.payload["facility_id"])
    await await_input(entered.account, NEW_ROOM, facility_id=facility_id, display_name=name)
    await entered.message.reply_text(
        context.tr._("Which room does {name} live in? Type the room, or tap “No room”.").format(
            name=name
        ),
        reply_markup=InlineKeyboardMarkup(
            [[button(context.tr._("No room"), RES, "noroom", facility_id)]]
        ),
    )


async def create(
    update: Update, context: HeimboteContext, room: str, facility_id: int | None = None
) -> None:
    """Add the resident named in the awaited input, in ``room``, and show the new card."""
    assert context.account is not None
    awaited = await awaited_input(context.account)
    if awaited is None or awaited.kind != NEW_ROOM:
        raise BadCallbackData("no resident being added")
    if facility_id is not None and facility_id != awaited.payload["facility_id"]:
        raise BadCallbackData("another home's button")
    resident = await add_resident(
        actor_of(context),
        int(awaited.payload["facility_id"]),
        display_name=str(awaited.payload["display_name"]),
        room=room,
    )
    await stop_awaiting(context.account)
    await show_card(update, context, resident.id)


@typed
async def room_typed(update: Update, context: HeimboteContext, awaited: Awaited) -> None:
    """The new resident's room: add the resident."""
    if (entered := typed_text(update, context)) is not None:
        await create(update, context, entered.text)


async def no_room(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str:
    """"No room": add the resident without one."""
    (facility_id,) = int_args(args, 1)
    await create(update, context, "", facility_id)
    return context.tr._("Added.")


# --- the card and editing ---------------------------------------------------------------------


async def open_card(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """A resident's card (the role is checked: admins only)."""
    (resident_id,) = int_args(args, 1)
    await show_card(update, context, resident_id)


async def ask_edit(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """Edit name, room or unit: ask for the new text."""
    assert context.account is not None
    if len(args) != 2 or args[1] not in EDIT:
        raise BadCallbackData(args)
    (resident_id,) = int_args(args[:1], 1)
    resident = await resident_card(actor_of(context), resident_id)
    await await_input(context.account, EDIT[args[1]], resident_id=resident.id)
    tr = context.tr
    prompts = {
        "name": tr._("Please type the new name for {name}."),
        "room": tr._("Please type the new room for {name}, or “-” for none."),
        "unit": tr._("Please type the unit (Wohnbereich) of {name}, or “-” for none."),
    }
    await show(update, prompts[args[1]].format(name=resident.display_name))


def _edited(field: str) -> TextAnswer:
    @typed
    async def edited(update: Update, context: HeimboteContext, awaited: Awaited) -> None:
        entered = typed_text(update, context)
        if entered is None:
            return
        value = "" if entered.text.strip() == "-" and field != "name" else entered.text
        changes = {"display_name" if field == "name" else field: value}
        actor = actor_of(context)
        resident_id = int(awaited.payload["resident_id"])
        await update_resident(actor, resident_id, **changes)
        await stop_awaiting(entered.account)
        await show_card(update, context, resident_id)

    return edited


def handlers() -> list[BaseHandler[Update, HeimboteContext, None]]:
    """/residents and the list, card and editing buttons (with the stay's buttons)."""
    actions = {
        "list": turn_page,
        "add": ask_name,
        "noroom": no_room,
        "card": open_card,
        "edit": ask_edit,
        **admin_stay.actions(),
    }
    return [buttons(RES, actions)]


# What this module answers when the bot waits for typed text (kit.text_input).
TEXT_ANSWERS: dict[str, TextAnswer] = {
    SEARCH: search_typed,
    NEW_NAME: name_typed,
    NEW_ROOM: room_typed,
    **{EDIT[field]: _edited(field) for field in EDIT},
}


# The admin screens this module opens for one home, and their commands (handlers.admin).
SCREENS: dict[str, Screen] = {
    RES: Screen("residents", show_list),
}
