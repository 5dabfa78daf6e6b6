"""Which updates from groups pass the preflight: only what is meant for the bot."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Update

from handlers.kit.preflight import served_in_group

BOT_ID = 123456
GROUP = {"id": -1001, "type": "supergroup", "title": "Team Linden"}
BEN = {"id": 7, "is_bot": False, "first_name": "Ben"}
BOT = {"id": BOT_ID, "is_bot": True, "first_name": "Heimbote", "username": "heimbote_bot"}


def message(text: str = "", **fields: Any) -> Update:
    body: dict[str, Any] = {"message_id": 5, "date": 0, "chat": GROUP, "from": BEN, **fields}
    if text:
        body["text"] = text
        if text.startswith("/"):
            length = len(text.split()[0])
            body["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    return Update.de_json({"update_id": 1, "message": body}, None)


def reply_to(sender: dict[str, Any], text: str = "Dienstag um 10.") -> Update:
    replied = {"message_id": 4, "date": 0, "chat": GROUP, "from": sender, "text": "…"}
    return message(text, reply_to_message=replied)


@pytest.mark.parametrize(
    ("update", "served"),
    [
        (message("/linkgroup"), True),
        (message("/unlinkgroup@heimbote_bot"), True),
        (message("/linkgroup@other_bot"), False),
        (message("/help"), False),
        (message("Guten Morgen zusammen!"), False),
        (message("Schaut mal /linkgroup"), False),
        (reply_to(BOT), True),
        (reply_to(BEN), False),
        (message(photo=[{"file_id": "x", "file_unique_id": "y", "width": 1, "height": 1}]),
         False),
    ],
)
def test_only_what_is_meant_for_the_bot_passes(update: Update, served: bool) -> None:
    assert served_in_group(update, BOT_ID, "heimbote_bot") is served


def test_button_presses_and_the_bots_membership_pass() -> None:
    press = Update.de_json({"update_id": 2, "callback_query": {
        "id": "1", "from": BEN, "chat_instance": "c", "data": "cvs:1:reply:1",
        "message": {"message_id": 4, "date": 0, "chat": GROUP, "from": BOT, "text": "…"},
    }}, None)
    assert served_in_group(press, BOT_ID, "heimbote_bot")
    member = {"status": "left", "user": BOT}
    removed = Update.de_json({"update_id": 3, "my_chat_member": {
        "chat": GROUP, "from": BEN, "date": 0,
        "old_chat_member": {"status": "member", "user": BOT}, "new_chat_member": member,
    }}, None)
    assert served_in_group(removed, BOT_ID, "heimbote_bot")
