"""A relative blocks the bot or comes back: the outbox stops or starts writing to them."""

from __future__ import annotations

from telegram import ChatMember, Update
from telegram.ext import BaseHandler, ChatMemberHandler

from bot.services.accounts import set_reachable
from handlers.kit.context import HeimboteContext

_GONE = {ChatMember.BANNED, ChatMember.LEFT}


async def membership_changed(update: Update, context: HeimboteContext) -> None:
    """The user's private chat with the bot: blocked (kicked) or restarted."""
    change = update.my_chat_member
    if change is None:
        return
    reachable = change.new_chat_member.status not in _GONE
    await set_reachable(change.from_user.id, reachable)


def handlers() -> list[BaseHandler[Update, HeimboteContext, None]]:
    """``my_chat_member`` updates of private chats."""
    return [ChatMemberHandler(membership_changed, ChatMemberHandler.MY_CHAT_MEMBER)]
