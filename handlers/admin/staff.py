"""/staff: who works with the bot in a home, in which role; changing and removing roles."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler

from bot.domain.callbacks import BadCallbackData, Prefix
from bot.domain.enums import Role
from bot.domain.errors import NotFound
from bot.i18n import Translator
from bot.services.accounts import TeamMember, change_role, get_facility, remove_staff, team_of
from bot.services.conversations import set_inbox
from handlers.admin import Screen, role_name
from handlers.kit.args import enum_arg, int_args
from handlers.kit.buttons import button, buttons
from handlers.kit.context import HeimboteContext, actor_of
from handlers.kit.menu import refresh_for
from handlers.kit.screens import show

STAFF = Prefix.STAFF
INVITE = Prefix.INVITES  # the invite screen's capability (handlers.admin.invites)


def member_name(tr: Translator, held: TeamMember) -> str:
    """A team member's Telegram first name (a number when Telegram gave none)."""
    return held.first_name or tr._("Team member {number}").format(number=held.account_id)


async def show_team(update: Update, context: HeimboteContext, facility_id: int) -> None:
    """The team with their roles; tap someone to change or remove their role."""
    team = await team_of(actor_of(context), facility_id)
    tr = context.tr
    rows = [
        [
            button(
                tr._("{name} · {role}").format(
                    name=member_name(tr, held), role=role_name(tr, held.role)
                ),
                STAFF, "who", facility_id, held.account_id,
            )
        ]
        for held in team
    ]
    rows.append([button(tr._("➕ Invite a colleague"), INVITE, "roles", facility_id)])
    text = tr.ngettext(
        "{count} person works with me here. Tap someone to change their role.",
        "{count} people work with me here. Tap someone to change their role.",
        len(team),
    ).format(count=tr.number(len(team)))
    await show(update, text, InlineKeyboardMarkup(rows))


async def _member(context: HeimboteContext, facility_id: int, account_id: int) -> TeamMember:
    team = await team_of(actor_of(context), facility_id)
    for held in team:
        if held.account_id == account_id:
            return held
    raise NotFound(f"account {account_id} has no role in facility {facility_id}")


async def show_member(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """One team member: the other roles to choose, and removing."""
    facility_id, account_id = int_args(args, 2)
    held = await _member(context, facility_id, account_id)
    tr = context.tr
    rows = [
        [button(role_name(tr, role), STAFF, "role", facility_id, account_id, role)]
        for role in (Role.STAFF, Role.APPROVER, Role.ADMIN)
        if role != held.role
    ]
    inbox = tr._("📥 Inbox duty: on") if held.inbox else tr._("📥 Inbox duty: off")
    rows.append([button(inbox, STAFF, "inbox", facility_id, account_id, int(not held.inbox))])
    rows.append([button(tr._("Remove from the team"), STAFF, "rm", facility_id, account_id)])
    rows.append([button(tr._("◀ Back"), STAFF, "list", facility_id)])
    text = tr._("{name} is: {role}. Choose a new role, or remove them from the team.").format(
        name=member_name(tr, held), role=role_name(tr, held.role)
    )
    text += "\n\n" + tr._(
        "Inbox duty: while the home has no staff group, relatives' messages also go to this "
        "person in private chat (admins always receive them)."
    )
    await show(update, text, InlineKeyboardMarkup(rows))


async def set_inbox_duty(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str:
    """Switch the member's inbox duty to the value the button names (1 on, 0 off)."""
    facility_id, account_id, value = int_args(args, 3)
    if value not in (0, 1):
        raise BadCallbackData(args)
    await set_inbox(actor_of(context), facility_id, account_id, bool(value))
    await show_member(update, context, (str(facility_id), str(account_id)))
    return context.tr._("Saved.")


async def back_to_team(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """◀ Back to the team."""
    (facility_id,) = int_args(args, 1)
    await show_team(update, context, facility_id)


async def set_role(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str:
    """Give the member the role the button names."""
    if len(args) != 3:
        raise BadCallbackData(args)
    facility_id, account_id = int_args(args[:2], 2)
    await change_role(actor_of(context), facility_id, account_id, enum_arg(Role, args[2]))
    await show_team(update, context, facility_id)
    await refresh_for(context, account_id)
    return context.tr._("Role changed.")


async def confirm_removal(
    update: Update, context: HeimboteContext, args: tuple[str, ...]
) -> None:
    """Ask before taking someone's role away."""
    facility_id, account_id = int_args(args, 2)
    held = await _member(context, facility_id, account_id)
    facility = await get_facility(actor_of(context), facility_id, Role.ADMIN)
    tr = context.tr
    rows = [
        [button(tr._("Yes, remove"), STAFF, "rmok", facility_id, account_id)],
        [button(tr._("Cancel"), STAFF, "who", facility_id, account_id)],
    ]
    text = tr._(
        "Remove {name} from the team of {home}? They will no longer see residents or post here."
    ).format(name=member_name(tr, held), home=facility.name)
    await show(update, text, InlineKeyboardMarkup(rows))


async def remove(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str:
    """Confirmed: take the role away."""
    facility_id, account_id = int_args(args, 2)
    await remove_staff(actor_of(context), facility_id, account_id)
    await show_team(update, context, facility_id)
    await refresh_for(context, account_id)
    return context.tr._("Removed from the team.")


def handlers() -> list[BaseHandler[Update, HeimboteContext, None]]:
    """/staff and its buttons."""
    return [
        buttons(
            STAFF,
            {
                "list": back_to_team,
                "who": show_member,
                "role": set_role,
                "inbox": set_inbox_duty,
                "rm": confirm_removal,
                "rmok": remove,
            },
        ),
    ]


# The admin screens this module opens for one home, and their commands (handlers.admin).
SCREENS: dict[str, Screen] = {
    STAFF: Screen("staff", show_team),
}
