"""The one translation of outbox rows into Bot API calls: edits and deletions, too."""

from __future__ import annotations

from telegram import Bot

from bot.delivery.outbox import Outgoing
from bot.delivery.telegram_calls import send_outgoing
from tests.conftest import TOKEN
from tests.fakes import FakeTelegram

BUTTON = {"text": "✅ Approve", "callback_data": "photo:1:ok:1"}


async def test_a_sent_message_is_edited_and_then_deleted(telegram: FakeTelegram) -> None:
    ben = telegram.user("Ben", started=True)
    bot = Bot(TOKEN, base_url=telegram.base_url, base_file_url=telegram.base_file_url)
    async with bot:
        (note,) = await send_outgoing(bot, ben.id, Outgoing.text("New", buttons=[[BUTTON]]))
        assert ben.messages[-1].button_texts == ["✅ Approve"]

        assert await send_outgoing(bot, ben.id, Outgoing.edit_text(note, "Approved")) == []
        assert (ben.last_text, ben.messages[-1].button_texts) == ("Approved", [])
        await send_outgoing(bot, ben.id, Outgoing.edit_text(note, "Approved"))  # unchanged: fine

        await send_outgoing(bot, ben.id, Outgoing.edit_markup(note, [[BUTTON]]))
        assert ben.messages[-1].button_texts == ["✅ Approve"]

        assert await send_outgoing(bot, ben.id, Outgoing.delete([note])) == []
        assert ben.messages == []
