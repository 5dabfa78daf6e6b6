"""Checking ``reply_markup`` the way Telegram does and remembering reply keyboards."""

from __future__ import annotations

from typing import Any

from bot.sandbox.telegram.api_errors import bad_request
from bot.sandbox.telegram.chats import ChatState

_BUTTON_ACTIONS = (
    "callback_data",
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
MAX_CALLBACK_DATA_BYTES = 64
MAX_PLACEHOLDER = 64


def check_reply_markup(markup: Any) -> dict[str, Any] | None:
    """Validate a ``reply_markup`` parameter; return it, or ``None`` when absent."""
    if markup is None or markup == "":
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        _check_inline_keyboard(markup["inline_keyboard"])
    elif "keyboard" in markup:
        _check_rows(markup["keyboard"], "keyboard")
    elif "force_reply" in markup:
        _check_force_reply(markup)
    elif not markup.get("remove_keyboard"):
        raise bad_request("can't parse reply keyboard markup JSON object")
    return markup


def _check_force_reply(markup: dict[str, Any]) -> None:
    """``ForceReply``: ``force_reply`` true, ``selective`` a boolean, a placeholder of 1-64."""
    if markup["force_reply"] is not True or not isinstance(markup.get("selective", False), bool):
        raise bad_request("can't parse reply keyboard markup JSON object")
    placeholder = markup.get("input_field_placeholder")
    if placeholder is not None and not 1 <= len(str(placeholder)) <= MAX_PLACEHOLDER:
        raise bad_request("REPLY_MARKUP_INVALID")


def _check_rows(rows: Any, what: str) -> None:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(f"can't parse {what} JSON object: field must be an Array of Arrays")


def _check_inline_keyboard(rows: Any) -> None:
    _check_rows(rows, "inline keyboard")
    for row in rows:
        for button in row:
            _check_inline_button(button)


def _check_inline_button(button: Any) -> None:
    if not isinstance(button, dict) or not button.get("text"):
        raise bad_request("can't parse inline keyboard button: Text must be non-empty")
    if not any(action in button for action in _BUTTON_ACTIONS):
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if "callback_data" in button:
        data = str(button["callback_data"]).encode("utf-8")
        if not 1 <= len(data) <= MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button and not str(button["url"]).startswith(("http://", "https://", "tg://")):
        raise bad_request("BUTTON_URL_INVALID")


def remember_reply_keyboard(chat: ChatState, markup: dict[str, Any] | None) -> None:
    """Track the reply keyboard the user currently sees under the input field."""
    if markup is None:
        return
    if "keyboard" in markup:
        chat.reply_keyboard = [
            [button if isinstance(button, str) else button.get("text", "") for button in row]
            for row in markup["keyboard"]
        ]
    elif markup.get("remove_keyboard"):
        chat.reply_keyboard = None


def inline_part(markup: dict[str, Any] | None) -> dict[str, Any] | None:
    """Return the markup if it is an inline keyboard (the only kind a Message echoes)."""
    if markup is not None and "inline_keyboard" in markup:
        return markup
    return None
