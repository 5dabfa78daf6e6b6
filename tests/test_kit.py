"""The handler kit's own rules: arguments parsed strictly, screens edited in place."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any
from unittest.mock import AsyncMock

import pytest
from telegram import Chat, Message, PhotoSize
from telegram.error import BadRequest

from bot.domain.callbacks import BadCallbackData
from bot.models import ResidentStatus
from bot.services.accounts import Awaited
from handlers.kit.args import enum_arg, int_args, offset_arg, text_args
from handlers.kit.paging import page_offset
from handlers.kit.screens import drop_buttons, show, take_buttons
from handlers.kit.text_input import typed_text


def test_ids_and_offsets_are_parsed_strictly() -> None:
    assert int_args(("12", "0"), 2, minimum=0) == [12, 0]
    assert int_args(("-3",), 1) == [-3]
    assert offset_arg("20") == page_offset("20") == 20
    assert text_args(("de",), 1) == ("de",)
    assert enum_arg(ResidentStatus, "deceased") == ResidentStatus.DECEASED
    for bad in (
        lambda: int_args(("12",), 2),
        lambda: int_args(("12", "x"), 2),
        lambda: int_args(("12", "-10"), 2, minimum=0),
        lambda: offset_arg("-10"),
        lambda: page_offset("ten"),
        lambda: text_args(("de",), 0),
        lambda: enum_arg(ResidentStatus, "gone"),
    ):
        with pytest.raises(BadCallbackData):
            bad()


def _message(**content: Any) -> Message:
    return Message(1, dt.datetime(2026, 1, 1, tzinfo=dt.UTC), Chat(7, Chat.PRIVATE), **content)


def _press(message: Message) -> Any:
    query = SimpleNamespace(
        message=message, edit_message_text=AsyncMock(), edit_message_caption=AsyncMock()
    )
    return SimpleNamespace(callback_query=query, effective_message=message)


async def test_show_replaces_the_pressed_text_or_the_caption_under_a_photo() -> None:
    under_text = _press(_message(text="Settings"))
    await show(under_text, "Saved")
    under_text.callback_query.edit_message_text.assert_awaited_once_with("Saved", reply_markup=None)
    under_text.callback_query.edit_message_caption.assert_not_awaited()

    under_photo = _press(_message(photo=(PhotoSize("f", "u", 90, 90),), caption="Frau M."))
    await show(under_photo, "Approved")
    under_photo.callback_query.edit_message_caption.assert_awaited_once_with(
        "Approved", reply_markup=None
    )
    under_photo.callback_query.edit_message_text.assert_not_awaited()


def test_a_typed_answer_needs_a_text_and_an_account() -> None:
    account = SimpleNamespace(id=1)
    typed = _message(text="Frau M.")
    answer = typed_text(SimpleNamespace(effective_message=typed), SimpleNamespace(account=account))
    assert answer is not None and (answer.text, answer.account) == ("Frau M.", account)
    nobody = SimpleNamespace(account=None)
    assert typed_text(SimpleNamespace(effective_message=typed), nobody) is None
    assert typed_text(
        SimpleNamespace(effective_message=_message(photo=(PhotoSize("f", "u", 9, 9),))),
        SimpleNamespace(account=account),
    ) is None


def _bot_refusing(reason: str | None) -> Any:
    edit = AsyncMock(side_effect=BadRequest(reason) if reason else None)
    return SimpleNamespace(edit_message_reply_markup=edit)


async def test_drop_buttons_takes_the_questions_keyboard_and_tolerates_what_is_gone() -> None:
    asked = Awaited("photo_caption", {}, prompt=(7, 41))
    for reason in (None, "Message is not modified: specified new message content and reply "
                   "markup are exactly the same", "Message to edit not found",
                   "Message can't be edited"):
        bot = _bot_refusing(reason)
        await drop_buttons(SimpleNamespace(get_bot=lambda bot=bot: bot), asked)
        bot.edit_message_reply_markup.assert_awaited_once_with(7, 41, reply_markup=None)
    silent = _bot_refusing(None)
    await drop_buttons(SimpleNamespace(get_bot=lambda: silent), Awaited("x", {}))
    silent.edit_message_reply_markup.assert_not_awaited()  # nothing remembered: nothing to do
    odd = _bot_refusing("Bad Request: message_id_invalid")
    with pytest.raises(BadRequest):  # anything else is a bug worth seeing
        await drop_buttons(SimpleNamespace(get_bot=lambda: odd), asked)


async def test_take_buttons_refuses_the_second_press_of_a_double_tap() -> None:
    first = _press(_message(text="For whose relatives is the invite?"))
    first.callback_query.edit_message_reply_markup = AsyncMock()
    await take_buttons(first)
    first.callback_query.edit_message_reply_markup.assert_awaited_once_with(None)

    second = _press(_message(text="For whose relatives is the invite?"))
    second.callback_query.edit_message_reply_markup = AsyncMock(side_effect=BadRequest(
        "Message is not modified: specified new message content and reply markup are exactly "
        "the same"))
    with pytest.raises(BadCallbackData):
        await take_buttons(second)
