"""Steps every update passes before any capability sees it (negative handler groups).

Group -2 counts the update and drops what Heimbote does not serve: channel posts, edits, updates
without a user, and chatter in groups. From a group only these pass: the group commands
(/linkgroup, /unlinkgroup), replies to the bot's own messages (staff answering a relative),
presses of the bot's buttons, the bot's membership and the group's move to a supergroup.
Group -1 resolves the account and the user's language.
"""

from __future__ import annotations

from telegram import Chat, MessageEntity, Update
from telegram.ext import ApplicationHandlerStop, BaseHandler, TypeHandler

from bot.i18n import translator
from bot.services.accounts import account_for, locale_of, set_reachable
from handlers.kit.context import HeimboteContext

FILTER_GROUP = -2
ACCOUNT_GROUP = -1
GROUP_COMMANDS = frozenset({"linkgroup", "unlinkgroup"})


def served_in_group(update: Update, bot_id: int, bot_username: str | None) -> bool:
    """Whether an update from a group is for the bot: everything else there is chatter."""
    if update.callback_query is not None or update.my_chat_member is not None:
        return True
    message = update.message
    if message is None:
        return False
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot_id:
        return True
    return _group_command(message.text or "", message.entities, bot_username)


def _group_command(
    text: str, entities: tuple[MessageEntity, ...], bot_username: str | None
) -> bool:
    first = entities[0] if entities else None
    if first is None or first.type != MessageEntity.BOT_COMMAND or first.offset != 0:
        return False
    command, _, addressee = text[1 : first.length].partition("@")
    if addressee and (bot_username is None or addressee.lower() != bot_username.lower()):
        return False
    return command.lower() in GROUP_COMMANDS


async def drop_unserved(update: Update, context: HeimboteContext) -> None:
    """Stop updates nobody should answer: no chatter in groups, no reaction to edits."""
    context.bot_data.metrics.updates_handled.inc()
    user = update.effective_user
    chat = update.effective_chat
    if user is None or user.is_bot or update.edited_message is not None:
        raise ApplicationHandlerStop
    if chat is not None and chat.type != Chat.PRIVATE and not served_in_group(
        update, context.bot.id, context.bot.username
    ):
        raise ApplicationHandlerStop
    if update.message is None and update.callback_query is None and not update.my_chat_member:
        raise ApplicationHandlerStop


async def resolve_account(update: Update, context: HeimboteContext) -> None:
    """Load (or create) the account and pick the language every reply is written in."""
    user = update.effective_user
    if user is None:
        return
    account = await account_for(user.id, user.first_name)
    if account.unreachable and update.message is not None:
        await set_reachable(user.id, True)  # writing to the bot means it may write back
        account.unreachable = False
    context.account = account
    context.tr = translator(
        locale_of(account, user.language_code, context.settings.default_locale)
    )


def handlers() -> list[tuple[BaseHandler[Update, HeimboteContext, None], int]]:
    """The cross-cutting steps with their (negative) groups."""
    return [
        (TypeHandler(Update, drop_unserved), FILTER_GROUP),
        (TypeHandler(Update, resolve_account), ACCOUNT_GROUP),
    ]
