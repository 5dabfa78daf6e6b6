"""Updates that come from the fake people: messages, edits, membership changes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.sandbox.telegram.chats import ChatState
from bot.sandbox.telegram.messages import FakeMessage
from bot.sandbox.telegram.text_entities import command_of

if TYPE_CHECKING:
    from bot.sandbox.telegram.fake_telegram import FakeTelegram

# Telegram's stand-in sender for anonymous group admins and service messages.
GROUP_ANONYMOUS_BOT = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}


def bot_sees(tg: FakeTelegram, chat: ChatState, message: FakeMessage) -> bool:
    """Whether Telegram hands this message to the bot (group privacy mode)."""
    if chat.is_private:
        return True
    if chat.bot_status in {"left", "kicked"}:
        return False
    if not tg.privacy_mode or chat.bot_status == "administrator":
        return True
    if message.is_service:
        return True
    if message.text and command_of(message.text, tg.bot_username):
        return True
    return message.reply_to is not None and message.reply_to.from_bot


def post_user_message(
    tg: FakeTelegram, chat: ChatState, sender: dict[str, Any], **fields: Any
) -> FakeMessage:
    """Store a message a person sent and hand it to the bot if Telegram would."""
    message = tg.store_message(chat, sender=sender, from_bot=False, **fields)
    if bot_sees(tg, chat, message):
        tg.deliver({"message": message.to_dict()})
    return message


def post_edit(tg: FakeTelegram, message: FakeMessage) -> None:
    """Announce an edited message to the bot."""
    tg.touch(message)
    if bot_sees(tg, message.chat, message):
        tg.deliver({"edited_message": message.to_dict()})


def membership_update(
    tg: FakeTelegram, chat: ChatState, actor: dict[str, Any], old: str, new: str
) -> dict[str, Any]:
    """Build a ``my_chat_member`` update: the bot's status in ``chat`` changed."""
    return {
        "my_chat_member": {
            "chat": chat.to_dict(),
            "from": actor,
            "date": tg.now(),
            "old_chat_member": _member(tg, old),
            "new_chat_member": _member(tg, new),
        }
    }


def _member(tg: FakeTelegram, status: str) -> dict[str, Any]:
    member: dict[str, Any] = {"status": status, "user": tg.bot_user()}
    if status == "kicked":
        member["until_date"] = 0
    if status == "administrator":
        member.update(administrator_rights())
    return member


def administrator_rights() -> dict[str, bool]:
    """The rights of an ordinary admin, as in ``ChatMemberAdministrator``."""
    rights = (
        "can_be_edited",
        "is_anonymous",
        "can_manage_chat",
        "can_delete_messages",
        "can_manage_video_chats",
        "can_restrict_members",
        "can_promote_members",
        "can_change_info",
        "can_invite_users",
        "can_post_stories",
        "can_edit_stories",
        "can_delete_stories",
        "can_pin_messages",
        "can_manage_topics",
    )
    granted = {
        "can_manage_chat",
        "can_delete_messages",
        "can_invite_users",
        "can_pin_messages",
        "can_manage_topics",
        "can_change_info",
        "can_restrict_members",
    }
    return {right: right in granted for right in rights}
