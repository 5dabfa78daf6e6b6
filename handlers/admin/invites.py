"""/invite: invites for a resident's relatives or for staff, sent as link, code and QR code.

The plain code is shown once, here; the database keeps only its hash.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler

from bot.domain.callbacks import BadCallbackData, Prefix, callback
from bot.domain.enums import InviteKind, Role
from bot.i18n import Translator
from bot.services.accounts import get_facility, get_resident, list_residents
from bot.services.onboarding import (
    CreatedInvite,
    InviteView,
    create_relative_invite,
    create_staff_invite,
    deep_link,
    grouped,
    open_invites,
    qr_png,
    revoke,
)
from handlers.admin import Screen, role_name
from handlers.admin.residents import resident_label
from handlers.kit.args import enum_arg, int_args
from handlers.kit.buttons import button, buttons
from handlers.kit.context import HeimboteContext, actor_of
from handlers.kit.paging import PAGE_SIZE, Page, page_caption, paged_keyboard
from handlers.kit.screens import show, take_buttons

INVITE = Prefix.INVITES


async def show_menu(update: Update, context: HeimboteContext, facility_id: int) -> None:
    """Whom to invite: a relative, staff; and the invites still open."""
    facility = await get_facility(actor_of(context), facility_id, Role.ADMIN)
    tr = context.tr
    rows = [
        [button(tr._("A resident's relative"), INVITE, "rels", facility.id, 0)],
        [button(tr._("A staff member"), INVITE, "roles", facility.id)],
        [button(tr._("Open invites"), INVITE, "open", facility.id)],
    ]
    await show(
        update,
        tr._("Whom would you like to invite to {home}?").format(home=facility.name),
        InlineKeyboardMarkup(rows),
    )


async def pick_resident(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """A page of residents: the relative's invite is for one of them."""
    facility_id, offset = int_args(args, 2, minimum=0)
    await get_facility(actor_of(context), facility_id, Role.ADMIN)
    residents, total = await list_residents(
        actor_of(context), facility_id, offset=offset, limit=PAGE_SIZE
    )
    tr = context.tr
    page = Page(offset, total)
    text = tr._("For whose relatives is the invite?")
    if caption := page_caption(tr, page):
        text += "\n" + caption
    items = [(resident_label(tr, r), callback(INVITE, "mkrel", r.id)) for r in residents]
    back = [[button(tr._("◀ Back"), INVITE, "menu", facility_id)]]
    await show(
        update,
        text,
        paged_keyboard(items, page, lambda to: callback(INVITE, "rels", facility_id, to), back),
    )


async def pick_role(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """Which role the new staff member gets."""
    (facility_id,) = int_args(args, 1)
    facility = await get_facility(actor_of(context), facility_id, Role.ADMIN)
    tr = context.tr
    rows = [
        [button(role_name(tr, role), INVITE, "mkstaff", facility.id, role)]
        for role in (Role.STAFF, Role.APPROVER, Role.ADMIN)
    ]
    rows.append([button(tr._("◀ Back"), INVITE, "menu", facility.id)])
    await show(update, tr._("Which role will the new colleague have?"), InlineKeyboardMarkup(rows))


async def back_to_menu(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """◀ Back to the choice of whom to invite."""
    (facility_id,) = int_args(args, 1)
    await show_menu(update, context, facility_id)


async def make_relative_invite(
    update: Update, context: HeimboteContext, args: tuple[str, ...]
) -> str:
    """Create a relative's invite for the resident the button names, and send it."""
    (resident_id,) = int_args(args, 1)
    await get_resident(actor_of(context), resident_id, Role.ADMIN)  # a refusal leaves the screen
    await take_buttons(update)  # the used picker makes no second invite
    created = await create_relative_invite(actor_of(context), resident_id)
    title = context.tr._("Invite for the relatives of {name}").format(
        name=created.view.resident_name
    )
    await send_invite(update, context, created, title)
    return context.tr._("Invite created.")


async def make_staff_invite(
    update: Update, context: HeimboteContext, args: tuple[str, ...]
) -> str:
    """Create a staff invite with the role the button names, and send it."""
    if len(args) != 2:
        raise BadCallbackData(args)
    (facility_id,) = int_args(args[:1], 1)
    role = enum_arg(Role, args[1])
    await get_facility(actor_of(context), facility_id, Role.ADMIN)  # a refusal leaves the screen
    await take_buttons(update)  # the used picker makes no second invite
    created = await create_staff_invite(actor_of(context), facility_id, role)
    tr = context.tr
    title = tr._("Invite to join {home} as: {role}").format(
        home=created.view.facility_name, role=role_name(tr, role)
    )
    await send_invite(update, context, created, title)
    return tr._("Invite created.")


async def send_invite(
    update: Update, context: HeimboteContext, created: CreatedInvite, title: str
) -> None:
    """The link and the code as text, then the QR code with how to use it and until when."""
    chat = update.effective_chat
    if chat is None:
        return
    tr = context.tr
    link = deep_link(context.bot.username, created.code)
    await context.bot.send_message(
        chat.id,
        tr._("{title}\n{link}\nOr type this code in the chat with me: {code}").format(
            title=title, link=link, code=grouped(created.code)
        ),
    )
    await context.bot.send_photo(
        chat.id, photo=qr_png(link), caption=usage_caption(tr, created.view)
    )


def usage_caption(tr: Translator, invite: InviteView) -> str:
    """How to use the invite and until when, in the admin's language and the home's time."""
    return tr.ngettext(
        "Scan this QR code with the phone's camera, or open the link, to join in Telegram. "
        "Valid for {count} use, until {date}.",
        "Scan this QR code with the phone's camera, or open the link, to join in Telegram. "
        "Valid for {count} uses, until {date}.",
        invite.max_uses,
    ).format(count=tr.number(invite.max_uses),
             date=tr.datetime(invite.expires_at, invite.timezone))


def invite_label(tr: Translator, invite: InviteView) -> str:
    """One open invite on a button: for whom."""
    if invite.kind == InviteKind.RELATIVE and invite.resident_name is not None:
        return tr._("✖ Relatives of {name}").format(name=invite.resident_name)
    return tr._("✖ Staff: {role}").format(role=role_name(tr, invite.role or Role.STAFF))


async def show_open(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """The invites that can still be used, each with a button to revoke it."""
    (facility_id,) = int_args(args, 1)
    invites = await open_invites(actor_of(context), facility_id)
    tr = context.tr
    text = tr.ngettext(
        "{count} invite can still be used. Tap one to revoke it.",
        "{count} invites can still be used. Tap one to revoke it.",
        len(invites),
    ).format(count=tr.number(len(invites)))
    rows = [[button(invite_label(tr, i), INVITE, "revoke", i.id)] for i in invites[:20]]
    rows.append([button(tr._("◀ Back"), INVITE, "menu", facility_id)])
    await show(update, text, InlineKeyboardMarkup(rows))


async def revoke_chosen(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str:
    """Revoke the invite the button names; nobody can use it any more."""
    (invite_id,) = int_args(args, 1)
    invite = await revoke(actor_of(context), invite_id)
    await show_open(update, context, (str(invite.facility_id),))
    return context.tr._("Invite revoked.")


def handlers() -> list[BaseHandler[Update, HeimboteContext, None]]:
    """/invite and its buttons."""
    return [
        buttons(
            INVITE,
            {
                "menu": back_to_menu,
                "rels": pick_resident,
                "roles": pick_role,
                "mkrel": make_relative_invite,
                "mkstaff": make_staff_invite,
                "open": show_open,
                "revoke": revoke_chosen,
            },
        ),
    ]


# The admin screens this module opens for one home, and their commands (handlers.admin).
SCREENS: dict[str, Screen] = {
    INVITE: Screen("invite", show_menu),
}
