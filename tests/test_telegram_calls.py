"""The one translation of outbox rows into Bot API calls: edits and deletions, too."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
from telegram import Bot

from bot.delivery.outbox import Outgoing
from bot.delivery.telegram_calls import send_outgoing
from bot.services.calendar import CalendarEntry, calendar_file
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


async def test_a_calendar_file_is_uploaded_as_a_document(telegram: FakeTelegram) -> None:
    berlin = ZoneInfo("Europe/Berlin")
    start = dt.datetime(2026, 7, 5, 15, 0, tzinfo=berlin)
    entry = CalendarEntry("visit-1@linden", start, start + dt.timedelta(minutes=45), "Besuch")
    data = calendar_file([entry], now=dt.datetime(2026, 6, 17, 8, tzinfo=dt.UTC))
    ben = telegram.user("Ben", started=True)
    bot = Bot(TOKEN, base_url=telegram.base_url, base_file_url=telegram.base_file_url)
    async with bot:
        sent = await send_outgoing(bot, ben.id, Outgoing.document("besuch.ics", data, "Ihr Besuch"))
    assert len(sent) == 1
    message = ben.messages[-1]
    assert message.document is not None and message.caption == "Ihr Besuch"
    (upload,) = [u for u in telegram.uploads if u.method == "sendDocument"]
    assert upload.filename == "besuch.ics"
    (event,) = icalendar.Calendar.from_ical(upload.content).walk("VEVENT")
    assert event.decoded("dtstart") == start
    assert str(event["uid"]) == "visit-1@linden"
    assert icalendar.Calendar.from_ical(upload.content).walk("VTIMEZONE")  # for other zones
