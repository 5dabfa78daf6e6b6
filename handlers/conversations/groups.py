"""The staff group: /linkgroup and /unlinkgroup in a Telegram group, and the bot's membership.

An admin of a care home adds the bot to the team's group and sends /linkgroup there; from then
on relatives' messages appear in that group. The preflight lets only these commands, replies
to the bot, button presses and membership changes through from groups; whatever else reaches
this module from a group is ignored, never answered.
"""

from __future__ import annotations

import logging

from telegram import Chat, ChatMember, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import BaseHandler, ChatMemberHandler, CommandHandler, MessageHandler, filters

from bot.domain.callbacks import Prefix
from bot.domain.enums import Role
from bot.domain.errors import DomainError, InvalidInput, NotAllowed, NotFound
from bot.i18n import Translator
from bot.services import conversations as setup
from bot.services.accounts import facilities_for
from handlers.kit.args import int_args
from handlers.kit.buttons import button, buttons
from handlers.kit.context import HeimboteContext, actor_of

log = logging.getLogger(__name__)

CAP = Prefix.CONVERSATION_GROUP
LINK_COMMANDS = ("linkgroup", "unlinkgroup")
_GONE = {ChatMember.LEFT, ChatMember.BANNED}


def linked_text(tr: Translator, facility: str, forum: bool, topics_allowed: bool) -> str:
    """The confirmation in the group: what happens now and how to answer."""
    lines = [tr._("This group is now the team group of {facility}.").format(facility=facility)]
    if forum:
        lines.append(tr._("Each relative's conversation gets its own topic here."))
        if not topics_allowed:
            lines.append(tr._(
                "Please make me an admin who may manage topics; until then, messages arrive "
                "in General."))
    else:
        lines.append(tr._("Relatives' messages appear here, headed with who wrote about whom."))
    lines.append(tr._(
        "To answer, reply to a message (or tap ↩️ Reply). Your answer goes to that relative "
        "only, signed with your first name. Other messages in this group stay within the team."))
    return "\n\n".join(lines)


async def link_command(update: Update, context: HeimboteContext) -> None:
    """/linkgroup in a group: link it with the admin's care home (asking which, if several)."""
    message = update.effective_message
    if message is None or context.account is None:
        return
    tr = context.tr
    homes = await facilities_for(actor_of(context), Role.ADMIN)
    if not homes:
        await message.reply_text(tr._(
            "Only the admin of a care home can link a group. Nothing was changed."))
    elif len(homes) == 1:
        await link(update, context, homes[0].id)
    else:
        rows = [[button(home.name, CAP, "link", home.id)] for home in homes]
        await message.reply_text(tr._("Which care home should this group be linked with?"),
                                 reply_markup=InlineKeyboardMarkup(rows))


async def link(update: Update, context: HeimboteContext, facility_id: int) -> None:
    """Link the group (the service checks the admin role again) and confirm in the group."""
    chat, message = update.effective_chat, update.effective_message
    assert chat is not None and message is not None
    tr = context.tr
    try:
        await setup.link_group(actor_of(context), facility_id, chat_id=chat.id,
                               title=chat.title or "", is_forum=bool(chat.is_forum))
    except DomainError as error:
        await message.reply_text(link_refusal(tr, error))
        return
    facility = await setup.facility_of_group(chat.id)
    assert facility is not None
    topics_allowed = not chat.is_forum or await _may_manage_topics(context, chat.id)
    await context.bot.send_message(
        chat.id, linked_text(tr, facility.name, bool(chat.is_forum), topics_allowed),
        message_thread_id=message.message_thread_id if message.is_topic_message else None,
    )


async def _may_manage_topics(context: HeimboteContext, chat_id: int) -> bool:
    try:
        member = await context.bot.get_chat_member(chat_id, context.bot.id)
    except TelegramError:
        return False
    return member.status == ChatMember.ADMINISTRATOR and bool(
        getattr(member, "can_manage_topics", False))


def link_refusal(tr: Translator, error: DomainError) -> str:
    """Why the group was not linked or unlinked."""
    if isinstance(error, InvalidInput):
        return tr._("This group is already linked with another care home. Nothing was changed.")
    if isinstance(error, NotFound):
        return tr._("This group is not linked with a care home.")
    if isinstance(error, NotAllowed):
        return tr._("Only the admin of the care home can do this. Nothing was changed.")
    return tr._("That did not work. Please check it and try again.")


async def unlink_command(update: Update, context: HeimboteContext) -> None:
    """/unlinkgroup in the group: relatives' messages go to the inbox staff again."""
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None or context.account is None:
        return
    tr = context.tr
    try:
        facility = await setup.unlink_group(actor_of(context), chat.id)
    except DomainError as error:
        await message.reply_text(link_refusal(tr, error))
        return
    await message.reply_text(tr._(
        "This group is no longer linked with {facility}. Relatives' messages now go to the "
        "admins and the staff with the inbox duty in private chat.").format(
            facility=facility.name))


async def explain_in_private(update: Update, context: HeimboteContext) -> None:
    """/linkgroup in private chat: it belongs in the group."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(context.tr._(
            "Please add me to your team's Telegram group and send /linkgroup there."))


async def link_chosen(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """The care home chosen for /linkgroup (re-checked: anyone in the group can press)."""
    (facility_id,) = int_args(args, 1)
    await link(update, context, facility_id)


class GroupMembershipHandler(ChatMemberHandler[HeimboteContext, None]):
    """``my_chat_member`` updates of groups only (handlers.accounts.membership: private)."""

    def check_update(self, update: object) -> bool:
        """Only the bot's own membership in a group or supergroup."""
        return bool(
            super().check_update(update) and isinstance(update, Update)
            and update.effective_chat is not None
            and update.effective_chat.type != Chat.PRIVATE
        )


async def membership_changed(update: Update, context: HeimboteContext) -> None:
    """The bot was removed from a group: if it was a staff group, unlink it."""
    change = update.my_chat_member
    if change is not None and change.new_chat_member.status in _GONE:
        facility = await setup.bot_left_group(change.chat.id)
        if facility is not None:
            log.warning("the bot was removed from the staff group of facility %s", facility.id)


async def ignore(update: Update, context: HeimboteContext) -> None:
    """Anything else from a group: not answered."""


def handlers() -> list[BaseHandler[Update, HeimboteContext, None]]:
    """/linkgroup, /unlinkgroup, the group's buttons and the bot's membership in groups."""
    groups = filters.ChatType.GROUPS
    return [
        GroupMembershipHandler(membership_changed, ChatMemberHandler.MY_CHAT_MEMBER),
        CommandHandler("linkgroup", link_command, filters=groups),
        CommandHandler("unlinkgroup", unlink_command, filters=groups),
        CommandHandler(list(LINK_COMMANDS), explain_in_private,
                       filters=filters.ChatType.PRIVATE),
        buttons(CAP, {"link": link_chosen}),
    ]


def ignore_the_rest() -> list[BaseHandler[Update, HeimboteContext, None]]:
    """After the group handlers: no other capability (nor the fallback) answers in a group."""
    return [MessageHandler(filters.ChatType.GROUPS, ignore)]
