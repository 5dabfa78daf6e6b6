"""The bot itself and its chats: getMe, command lists, getChat, members, topics, leaving."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from bot.sandbox.telegram.api_errors import bad_request
from bot.sandbox.telegram.groups import open_topic
from bot.sandbox.telegram.incoming import administrator_rights, membership_update
from bot.sandbox.telegram.request_params import ApiRequest

if TYPE_CHECKING:
    from bot.sandbox.telegram.fake_telegram import FakeTelegram

_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_LANGUAGE_CODE = re.compile(r"(|[a-z]{2})")
MAX_COMMANDS = 100
MAX_COMMAND_DESCRIPTION = 256
MAX_TOPIC_NAME = 128
# setMyName / setMyDescription / setMyShortDescription: the longest text each takes.
MAX_BOT_TEXT = {"name": 64, "description": 512, "short_description": 120}
_PLAIN_SCOPES = {"default", "all_private_chats", "all_group_chats", "all_chat_administrators"}
_CHAT_SCOPES = {"chat", "chat_administrators", "chat_member"}


async def get_me(tg: FakeTelegram, call: ApiRequest) -> dict[str, Any]:
    """getMe: the bot's ``User`` with its capabilities."""
    return {
        **tg.bot_user(),
        "can_join_groups": True,
        "can_read_all_group_messages": not tg.privacy_mode,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


def command_scope_key(scope: dict[str, Any] | None) -> str:
    """A stable key for a ``BotCommandScope`` (default scope when ``None``)."""
    scope = scope or {"type": "default"}
    return ",".join(f"{key}={scope[key]}" for key in sorted(scope))


def _language_code(call: ApiRequest) -> str:
    language_code = str(call.get("language_code") or "")
    if not _LANGUAGE_CODE.fullmatch(language_code):
        raise bad_request("invalid language code specified")
    return language_code


def _scope(tg: FakeTelegram, scope: Any) -> dict[str, Any] | None:
    """The scope as Telegram checks it: a known type, and the chat (and member) it names."""
    if scope is None:
        return None
    if not isinstance(scope, dict):
        raise bad_request("can't parse scope JSON object")
    kind = scope.get("type")
    if kind in _PLAIN_SCOPES:
        return {"type": kind}
    if kind not in _CHAT_SCOPES:
        raise bad_request("wrong scope type specified")
    chat = tg.chats.get(scope.get("chat_id"))
    if kind != "chat" and chat.is_private:
        raise bad_request("can't use specified scope in private chats")
    if kind != "chat_member":
        return {"type": kind, "chat_id": chat.id}
    user_id = scope.get("user_id")
    if not isinstance(user_id, int) or user_id not in tg.users:
        raise bad_request("user not found")
    return {"type": kind, "chat_id": chat.id, "user_id": user_id}


def _command_key(tg: FakeTelegram, call: ApiRequest) -> tuple[str, str]:
    language_code = _language_code(call)
    return command_scope_key(_scope(tg, call.get("scope"))), language_code


async def set_my_commands(tg: FakeTelegram, call: ApiRequest) -> bool:
    """setMyCommands: store the list per scope and language."""
    commands = call.get("commands")
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > MAX_COMMANDS:
        raise bad_request("too many commands specified")
    for entry in commands:
        _check_command(entry)
    stored = [{"command": e["command"], "description": e["description"]} for e in commands]
    tg.command_sets[_command_key(tg, call)] = stored
    return True


def _check_command(entry: Any) -> None:
    if not isinstance(entry, dict) or not _COMMAND.fullmatch(str(entry.get("command", ""))):
        raise bad_request("BOT_COMMAND_INVALID")
    description = str(entry.get("description", ""))
    if not 1 <= len(description) <= MAX_COMMAND_DESCRIPTION:
        raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")


async def get_my_commands(tg: FakeTelegram, call: ApiRequest) -> list[dict[str, str]]:
    """getMyCommands: exactly the list stored for this scope and language."""
    return list(tg.command_sets.get(_command_key(tg, call), []))


async def delete_my_commands(tg: FakeTelegram, call: ApiRequest) -> bool:
    """deleteMyCommands: forget the list for this scope and language."""
    tg.command_sets.pop(_command_key(tg, call), None)
    return True


async def get_chat(tg: FakeTelegram, call: ApiRequest) -> dict[str, Any]:
    """getChat: ``ChatFullInfo``; groups the bot left answer 403."""
    chat = tg.chats.get(call.get("chat_id"))
    if not chat.is_private:
        tg.chats.writable(chat.id)
    return chat.to_full_info()


async def leave_chat(tg: FakeTelegram, call: ApiRequest) -> bool:
    """leaveChat: the bot leaves a group; a ``my_chat_member`` update follows."""
    chat = tg.chats.writable(call.get("chat_id"))
    if chat.is_private:
        raise bad_request("chat member status can't be changed in private chats")
    old = chat.bot_status
    chat.bot_status = "left"
    tg.deliver(membership_update(tg, chat, tg.bot_user(), old, "left"))
    return True


async def get_chat_member(tg: FakeTelegram, call: ApiRequest) -> dict[str, Any]:
    """getChatMember: status of a user (or the bot) in a chat."""
    chat = tg.chats.get(call.get("chat_id"))
    user_id = int(call.require("user_id", "user not found"))
    if user_id == tg.bot_id:
        return _chat_member(tg.bot_user(), chat.bot_status)
    user = tg.users.get(user_id)
    if user is None:
        raise bad_request("user not found")
    status = "member" if chat.is_private else chat.members.get(user_id, "left")
    return _chat_member(user.to_dict(), status)


async def get_chat_administrators(tg: FakeTelegram, call: ApiRequest) -> list[dict[str, Any]]:
    """getChatAdministrators: admins among the group's members (and the bot if admin)."""
    chat = tg.chats.writable(call.get("chat_id"))
    if chat.is_private:
        raise bad_request("there are no administrators in the private chat")
    admins = [
        _chat_member(tg.users[user_id].to_dict(), status)
        for user_id, status in chat.members.items()
        if status in {"creator", "administrator"} and user_id in tg.users
    ]
    if chat.bot_status == "administrator":
        admins.append(_chat_member(tg.bot_user(), "administrator"))
    return admins


def _chat_member(user: dict[str, Any], status: str) -> dict[str, Any]:
    member: dict[str, Any] = {"status": status, "user": user}
    if status == "administrator":
        member.update(administrator_rights())
    elif status == "creator":
        member["is_anonymous"] = False
    elif status == "kicked":
        member["until_date"] = 0
    return member


async def create_forum_topic(tg: FakeTelegram, call: ApiRequest) -> dict[str, Any]:
    """createForumTopic: a new topic; its ``message_thread_id`` is returned."""
    chat = tg.chats.writable(call.get("chat_id"))
    if not chat.is_forum:
        raise bad_request("the chat is not a forum")
    if chat.bot_status != "administrator":
        raise bad_request("not enough rights to create a topic")
    name = str(call.get("name") or "")
    if not 1 <= len(name) <= MAX_TOPIC_NAME:
        raise bad_request("TOPIC_TITLE_EMPTY" if not name else "TOPIC_TITLE_TOO_LONG")
    created = open_topic(tg, chat, name, tg.bot_user())
    return {"message_thread_id": created.message_id, **created.extra["forum_topic_created"]}


def _bot_text_methods(kind: str) -> tuple[Any, Any]:
    """setMy<Kind>/getMy<Kind> for the bot's name, description and short description."""

    async def set_text(tg: FakeTelegram, call: ApiRequest) -> bool:
        language_code = _language_code(call)
        text = str(call.get(kind) or "")
        if len(text) > MAX_BOT_TEXT[kind]:
            raise bad_request(f"{kind.upper()}_INVALID" if kind != "name" else "BOT_TITLE_INVALID")
        if text:
            tg.bot_texts[(kind, language_code)] = text
        else:  # an empty text removes the one for this language
            tg.bot_texts.pop((kind, language_code), None)
        return True

    async def get_text(tg: FakeTelegram, call: ApiRequest) -> dict[str, str]:
        key = (kind, _language_code(call))
        # Telegram falls back to the text without a language when there is none for it.
        return {kind: tg.bot_texts.get(key, tg.bot_texts.get((kind, ""), ""))}

    return set_text, get_text


HANDLERS: dict[str, Any] = {
    "getMe": get_me,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "getChat": get_chat,
    "leaveChat": leave_chat,
    "getChatMember": get_chat_member,
    "getChatAdministrators": get_chat_administrators,
    "createForumTopic": create_forum_topic,
}
for _kind, _method in (
    ("description", "MyDescription"),
    ("short_description", "MyShortDescription"),
    ("name", "MyName"),
):
    HANDLERS[f"set{_method}"], HANDLERS[f"get{_method}"] = _bot_text_methods(_kind)
