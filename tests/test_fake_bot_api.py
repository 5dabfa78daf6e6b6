"""The fake Telegram Bot API, checked through the real PTB ``telegram.Bot`` over HTTP.

Durations such as ``retry_after`` are timedeltas: ``tests/conftest.py`` sets ``PTB_TIMEDELTA``.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from typing import Any

import aiohttp
import pytest
import telegram
from aiohttp import web
from telegram.error import BadRequest, ChatMigrated, Conflict, Forbidden, InvalidToken, NetworkError

from tests.conftest import TOKEN, ManualClock
from tests.fakes import SECRET_HEADER, TINY_JPEG, FakeTelegram, RateLimits, WaitTimeout


def keyboard(*labels: str) -> telegram.InlineKeyboardMarkup:
    buttons = [telegram.InlineKeyboardButton(label, callback_data=f"b:{label}") for label in labels]
    return telegram.InlineKeyboardMarkup([buttons])


async def started_user(tg: FakeTelegram, name: str = "Anna") -> Any:
    """A user who has written /start, so the bot may write to her."""
    user = tg.user(name, language_code="de")
    await user.send("/start")
    return user


# --- the basics ---------------------------------------------------------------------------


async def test_get_me_names_the_test_bot(tg: FakeTelegram, bot: telegram.Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (123456, "heimbote_test_bot", True)
    assert tg.api_root.startswith("http://127.0.0.1:")
    assert tg.calls_of("getMe")


async def test_wrong_token_and_unknown_method_answer_like_telegram(tg: FakeTelegram) -> None:
    with pytest.raises(InvalidToken):
        async with telegram.Bot("123456:WRONG", base_url=tg.base_url):
            pass
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{tg.base_url}{TOKEN}/sendPidgeon") as response:
            assert response.status == 404
            assert await response.json() == {
                "ok": False,
                "error_code": 404,
                "description": "Not Found",
            }
        async with session.post(f"{tg.base_url}123456:OTHER/getMe") as response:
            assert response.status == 401
            assert (await response.json())["description"] == "Unauthorized"


async def test_json_bodies_are_understood_too(tg: FakeTelegram) -> None:
    anna = await started_user(tg)
    async with aiohttp.ClientSession() as session:
        body = {"chat_id": anna.id, "text": "Hallo", "reply_markup": {"remove_keyboard": True}}
        async with session.post(f"{tg.base_url}{TOKEN}/sendMessage", json=body) as response:
            answer = await response.json()
    assert answer["ok"] is True
    assert answer["result"]["chat"] == {"id": anna.id, "type": "private", "first_name": "Anna"}
    assert anna.last_text == "Hallo"


# --- sending messages ---------------------------------------------------------------------


async def test_send_message_is_recorded_in_the_users_chat(
    tg: FakeTelegram, bot: telegram.Bot
) -> None:
    anna = await started_user(tg)
    sent = await bot.send_message(
        anna.id, "<b>Willkommen</b>, Anna!", parse_mode="HTML", reply_markup=keyboard("English")
    )
    assert sent.text == "Willkommen, Anna!"
    assert sent.entities[0].type == "bold" and sent.entities[0].length == 10
    assert sent.reply_markup.inline_keyboard[0][0].callback_data == "b:English"
    assert anna.last_text == "Willkommen, Anna!"
    assert anna.messages[-1].button_texts == ["English"]
    assert tg.calls_of("sendMessage")[-1]["reply_markup"]["inline_keyboard"][0][0]["text"] == (
        "English"
    )


async def test_reply_keyboards_show_until_removed(tg: FakeTelegram, bot: telegram.Bot) -> None:
    anna = await started_user(tg)
    await bot.send_message(anna.id, "Wählen", reply_markup=telegram.ReplyKeyboardMarkup([["Ja"]]))
    assert anna.keyboard == [["Ja"]]
    await bot.send_message(anna.id, "Danke", reply_markup=telegram.ReplyKeyboardRemove())
    assert anna.keyboard is None


@pytest.mark.parametrize(
    ("text", "parse_mode", "description"),
    [
        ("", None, "Message text is empty"),
        ("<b></b>", "HTML", "Message text is empty"),
        ("x" * 4097, None, "Message is too long"),
        ("<b>fett", "HTML", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<div>x</div>", "HTML", 'Unsupported start tag "div" at byte offset 0'),
        ("<b>x</i>", "HTML", "Unmatched end tag at byte offset 4"),
        ("Preis: 3.50", "MarkdownV2", "Character '.' is reserved"),
        ("*fett", "MarkdownV2", "Can't find end of Bold entity at byte offset 0"),
    ],
)
async def test_send_message_refuses_what_telegram_refuses(
    tg: FakeTelegram, bot: telegram.Bot, text: str, parse_mode: str | None, description: str
) -> None:
    anna = await started_user(tg)
    # PTB capitalizes Telegram's description, which lowercases the rest of it.
    with pytest.raises(BadRequest, match=r"(?i)" + re.escape(description)):
        await bot.send_message(anna.id, text, parse_mode=parse_mode)
    assert anna.messages == []
    assert tg.errors[-1].error_code == 400


async def test_4096_characters_after_markup_are_fine(tg: FakeTelegram, bot: telegram.Bot) -> None:
    anna = await started_user(tg)
    await bot.send_message(anna.id, "<i>" + "x" * 4096 + "</i>", parse_mode="HTML")
    assert len(anna.last_text or "") == 4096


async def test_callback_data_over_64_bytes_and_unknown_chats_are_refused(
    tg: FakeTelegram, bot: telegram.Bot
) -> None:
    anna = await started_user(tg)
    button = telegram.InlineKeyboardButton("x", callback_data="ä" * 33)
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(anna.id, "x", reply_markup=telegram.InlineKeyboardMarkup([[button]]))
    with pytest.raises(BadRequest, match=r"(?i)Chat not found"):
        await bot.send_message(424242, "x")
    with pytest.raises(BadRequest, match=r"(?i)caption is too long"):
        await bot.send_photo(anna.id, TINY_JPEG, caption="x" * 1025)


async def test_blocked_and_never_started_users_answer_403(
    tg: FakeTelegram, bot: telegram.Bot
) -> None:
    stranger = tg.user("Stranger")
    with pytest.raises(Forbidden, match=r"(?i)bot can't initiate conversation with a user"):
        await bot.send_message(stranger.id, "Hallo")
    anna = await started_user(tg)
    tg.block(anna)
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(anna.id, "Hallo")
    updates = await bot.get_updates()
    assert updates[-1].my_chat_member.new_chat_member.status == "kicked"


async def test_replies_and_topics_are_checked(tg: FakeTelegram, bot: telegram.Bot) -> None:
    anna = await started_user(tg)
    question = await anna.send("Wie geht es Mama?")
    answer = await bot.send_message(anna.id, "Gut!", reply_to_message_id=question.message_id)
    assert answer.reply_to_message.text == "Wie geht es Mama?"
    with pytest.raises(BadRequest, match=r"(?i)Message to be replied not found"):
        await bot.send_message(anna.id, "?", reply_to_message_id=999)

    station = tg.group("Station 1", forum=True)
    topic = await bot.create_forum_topic(station.id, "Fotos")
    assert station.topics == {topic.message_thread_id: "Fotos"}
    in_topic = await bot.send_message(station.id, "Neu", message_thread_id=topic.message_thread_id)
    assert in_topic.message_thread_id == topic.message_thread_id
    with pytest.raises(BadRequest, match=r"(?i)Message thread not found"):
        await bot.send_message(station.id, "x", message_thread_id=999)


# --- media --------------------------------------------------------------------------------


async def test_photo_upload_is_recorded_and_file_id_reuse_is_not(
    tg: FakeTelegram, bot: telegram.Bot
) -> None:
    anna = await started_user(tg)
    uploaded = await bot.send_photo(anna.id, TINY_JPEG, caption="Frau M. im Garten")
    assert len(tg.uploads) == 1 and tg.uploads[0].content == TINY_JPEG
    largest = uploaded.photo[-1]
    assert largest.file_id == tg.uploads[0].file_id
    assert len(uploaded.photo) == 3

    again = await bot.send_photo(anna.id, largest.file_id)
    assert len(tg.uploads) == 1
    assert again.photo[-1].file_id == largest.file_id
    assert anna.messages[0].caption == "Frau M. im Garten"

    with pytest.raises(BadRequest, match=r"(?i)Wrong file identifier"):
        await bot.send_photo(anna.id, "no-such-file-id")
    with pytest.raises(BadRequest, match=r"(?i)IMAGE_PROCESS_FAILED"):
        await bot.send_photo(anna.id, b"not an image")


async def test_media_group_shares_one_id_and_mixes_uploads_with_file_ids(
    tg: FakeTelegram, bot: telegram.Bot
) -> None:
    anna = await started_user(tg)
    first = await bot.send_photo(anna.id, TINY_JPEG)
    album = await bot.send_media_group(
        anna.id,
        [
            telegram.InputMediaPhoto(TINY_JPEG, caption="Sommerfest"),
            telegram.InputMediaPhoto(TINY_JPEG),
            telegram.InputMediaPhoto(first.photo[-1].file_id),
        ],
    )
    assert len(album) == 3
    assert len({message.media_group_id for message in album}) == 1
    assert album[0].media_group_id is not None
    assert album[0].caption == "Sommerfest"
    assert len(tg.uploads) == 3
    with pytest.raises(BadRequest, match=r"(?i)at least 2 items"):
        await bot.send_media_group(anna.id, [telegram.InputMediaPhoto(TINY_JPEG)])


async def test_user_documents_download_through_get_file(
    tg: FakeTelegram, bot: telegram.Bot
) -> None:
    anna = tg.user("Anna")
    content = json.dumps({"resident": "Frau M."}).encode()
    sent = await anna.send_document(
        filename="export.json", mime_type="application/json", content=content
    )
    document = sent.document
    assert document is not None and document["file_name"] == "export.json"

    telegram_file = await bot.get_file(document["file_id"])
    assert telegram_file.file_path is not None
    assert telegram_file.file_path.startswith(f"{tg.base_file_url}{TOKEN}/documents/")
    assert bytes(await telegram_file.download_as_bytearray()) == content


async def test_user_photos_download_as_real_jpeg(tg: FakeTelegram, bot: telegram.Bot) -> None:
    anna = tg.user("Anna")
    photo_message = await anna.send_photo(caption="Oma")
    updates = await bot.get_updates()
    photo = updates[-1].message.photo[-1]
    assert photo.file_id == photo_message.photo[-1]["file_id"]
    downloaded = bytes(await (await photo.get_file()).download_as_bytearray())
    assert downloaded.startswith(b"\xff\xd8\xff") and downloaded.endswith(b"\xff\xd9")


async def test_bot_documents_keep_their_bytes(tg: FakeTelegram, bot: telegram.Bot) -> None:
    anna = await started_user(tg)
    sent = await bot.send_document(anna.id, b'{"a": 1}', filename="daten.json")
    assert tg.uploads[-1].filename == "daten.json"
    assert tg.file_bytes(sent.document.file_id) == b'{"a": 1}'
    assert anna.last_message is not None and anna.last_message.document is not None


# --- edits, deletes, copies ---------------------------------------------------------------


async def test_edits_apply_in_place_and_unchanged_edits_are_refused(
    tg: FakeTelegram, bot: telegram.Bot
) -> None:
    anna = await started_user(tg)
    sent = await bot.send_message(anna.id, "Bitte wählen", reply_markup=keyboard("Ja", "Nein"))
    await bot.edit_message_text("Danke", chat_id=anna.id, message_id=sent.message_id)
    assert anna.messages[-1].text == "Danke"
    assert anna.messages[-1].buttons == []  # no reply_markup → the keyboard is gone
    with pytest.raises(BadRequest, match=r"(?i)Message is not modified"):
        await bot.edit_message_text("Danke", chat_id=anna.id, message_id=sent.message_id)
    await bot.edit_message_reply_markup(anna.id, sent.message_id, reply_markup=keyboard("OK"))
    assert anna.messages[-1].button_texts == ["OK"]
    with pytest.raises(BadRequest, match=r"(?i)Message is not modified"):
        await bot.edit_message_reply_markup(anna.id, sent.message_id, reply_markup=keyboard("OK"))


async def test_messages_older_than_48_hours_cannot_be_deleted(
    tg: FakeTelegram, bot: telegram.Bot
) -> None:
    anna = await started_user(tg)
    fresh = await bot.send_message(anna.id, "frisch")
    old = await bot.send_message(anna.id, "alt")
    tg.age_message(anna, old.message_id, hours=49)
    assert await bot.delete_message(anna.id, fresh.message_id)
    with pytest.raises(BadRequest, match=r"(?i)Message can't be deleted"):
        await bot.delete_message(anna.id, old.message_id)
    with pytest.raises(BadRequest, match=r"(?i)Message to delete not found"):
        await bot.delete_message(anna.id, fresh.message_id)
    assert [message.text for message in anna.messages] == ["alt"]


async def test_copy_and_forward_carry_the_content(tg: FakeTelegram, bot: telegram.Bot) -> None:
    anna = await started_user(tg)
    ben = await started_user(tg, "Ben")
    photo = await anna.send_photo(caption="Mama lacht")
    copied = await bot.copy_message(ben.id, anna.id, photo.message_id)
    assert ben.messages[-1].message_id == copied.message_id
    assert ben.messages[-1].caption == "Mama lacht" and ben.messages[-1].photo
    forwarded = await bot.forward_message(ben.id, anna.id, photo.message_id)
    assert forwarded.forward_origin.sender_user.id == anna.id


# --- flood control and faults -------------------------------------------------------------


async def test_private_chats_get_429_after_a_burst(
    tg: FakeTelegram, bot: telegram.Bot, clock: ManualClock
) -> None:
    anna = await started_user(tg)
    for number in range(3):
        await bot.send_message(anna.id, f"Nachricht {number}")
    with pytest.raises(telegram.error.RetryAfter) as refused:
        await bot.send_message(anna.id, "eine zu viel")
    assert refused.value.retry_after.total_seconds() >= 1
    assert [(t.method, t.chat_id) for t in tg.throttled] == [("sendMessage", anna.id)]
    await bot.edit_message_text("Edits zählen nicht", anna.id, anna.messages[0].message_id)

    clock.advance(1.0)
    await bot.send_message(anna.id, "wieder erlaubt")
    tg.rate_limits(enabled=False)
    for number in range(10):
        await bot.send_message(anna.id, f"ohne Limit {number}")


async def test_groups_allow_20_messages_per_minute(
    tg: FakeTelegram, bot: telegram.Bot, clock: ManualClock
) -> None:
    station = tg.group("Station 1")
    for number in range(20):
        clock.advance(0.1)  # stay under the per-bot 30/s
        await bot.send_message(station.id, f"Nr. {number}")
    with pytest.raises(telegram.error.RetryAfter):
        await bot.send_message(station.id, "zu viel")
    clock.advance(3.0)  # a sliding 60 s window: three seconds later is not enough
    with pytest.raises(telegram.error.RetryAfter):
        await bot.send_message(station.id, "immer noch zu viel")
    clock.advance(58.0)
    await bot.send_message(station.id, "eine Minute nach der ersten wieder eine")


async def test_limits_are_configurable() -> None:
    limits = RateLimits(private_burst=1, private_per_second=0.5)
    async with FakeTelegram(token=TOKEN, limits=limits) as fake:
        anna = await started_user(fake)
        async with telegram.Bot(TOKEN, base_url=fake.base_url) as ptb:
            await ptb.send_message(anna.id, "eins")
            with pytest.raises(telegram.error.RetryAfter) as refused:
                await ptb.send_message(anna.id, "zwei")
    assert fake.throttled[0].retry_after == 2
    assert refused.value.retry_after.total_seconds() == 2


async def test_fail_next_and_slow(tg: FakeTelegram, bot: telegram.Bot) -> None:
    anna = await started_user(tg)
    tg.fail_next("sendMessage", status=500, times=2)
    for _ in range(2):
        with pytest.raises(NetworkError, match=r"(?i)Internal Server Error"):
            await bot.send_message(anna.id, "x")
    await bot.send_message(anna.id, "klappt")
    assert anna.last_text == "klappt"

    tg.slow("getChat", seconds=0.2)
    started = time.monotonic()
    await bot.get_chat(anna.id)
    assert time.monotonic() - started >= 0.2


async def test_group_migration_answers_with_the_new_id(tg: FakeTelegram, bot: telegram.Bot) -> None:
    station = tg.group("Station 1")
    old_id = station.id
    new_id = tg.migrate_group(station)
    assert new_id != old_id and str(new_id).startswith("-100")
    with pytest.raises(ChatMigrated) as migrated:
        await bot.send_message(old_id, "Hallo")
    assert migrated.value.new_chat_id == new_id
    await bot.send_message(new_id, "Hallo Supergruppe")
    assert station.last_text == "Hallo Supergruppe"
    kinds = [update.message.migrate_to_chat_id for update in await bot.get_updates()]
    assert new_id in kinds


async def test_group_privacy_mode_hides_chatter_from_the_bot(
    tg: FakeTelegram, bot: telegram.Bot
) -> None:
    ben = tg.user("Ben")
    station = tg.group("Station 1", members=[ben])
    await station.send(ben, "Guten Morgen zusammen")
    await station.send(ben, "/linkgroup")
    await station.send(ben, "/linkgroup@other_bot")
    updates = await bot.get_updates()
    assert [u.message.text for u in updates] == ["/linkgroup"]
    assert updates[0].message.chat.type == "group" and updates[0].message.chat.id < 0


# --- getting updates ----------------------------------------------------------------------


async def test_long_poll_returns_promptly_when_a_user_writes(
    tg: FakeTelegram, bot: telegram.Bot
) -> None:
    anna = tg.user("Anna", language_code="de")
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await tg.wait_for_call("getUpdates")
    started = time.monotonic()
    await anna.send("/start abc123")
    updates = await asyncio.wait_for(poll, timeout=2)
    assert time.monotonic() - started < 1

    message = updates[0].message
    assert message.text == "/start abc123"
    assert message.entities[0].type == "bot_command" and message.entities[0].length == 6
    assert message.from_user.language_code == "de" and message.chat.id == anna.id

    await anna.send("zweite")
    again = await bot.get_updates(offset=updates[-1].update_id + 1)
    assert [u.message.text for u in again] == ["zweite"]
    assert again[0].update_id == updates[-1].update_id + 1
    await bot.get_updates(offset=again[-1].update_id + 1)
    assert tg.pending_updates == 0


async def test_allowed_updates_filter_what_is_queued(tg: FakeTelegram, bot: telegram.Bot) -> None:
    await bot.get_updates(allowed_updates=["callback_query"])
    anna = tg.user("Anna")
    await anna.send("wird nicht zugestellt")
    assert await bot.get_updates() == ()
    assert await tg.push_raw_update({"channel_post": {}}) is None


async def test_press_waits_for_the_callback_answer(tg: FakeTelegram, bot: telegram.Bot) -> None:
    anna = await started_user(tg)
    await bot.get_updates(offset=-1)
    sent = await bot.send_message(anna.id, "Sprache?", reply_markup=keyboard("Deutsch", "English"))

    press = asyncio.create_task(anna.press("English"))
    updates = await bot.get_updates(offset=-1, timeout=5)
    query = updates[-1].callback_query
    assert query.data == "b:English" and query.chat_instance
    assert query.message.message_id == sent.message_id
    assert query.from_user.id == anna.id
    await query.answer("Sprache gespeichert")
    answer = await asyncio.wait_for(press, timeout=2)

    assert answer.text == "Sprache gespeichert" and anna.last_alert == "Sprache gespeichert"
    with pytest.raises(BadRequest, match=r"(?i)Query is too old"):
        await query.answer("zweimal")
    with pytest.raises(LookupError, match="Französisch"):
        await anna.press("Französisch")


async def test_wait_for_only_sees_new_messages_and_times_out_clearly(
    tg: FakeTelegram, bot: telegram.Bot
) -> None:
    anna = await started_user(tg)
    await bot.send_message(anna.id, "alt")
    await anna.send("/help")
    waiting = asyncio.create_task(anna.wait_for("Hilfe"))
    await bot.send_message(anna.id, "Hier ist die Hilfe")
    assert (await waiting).text == "Hier ist die Hilfe"
    with pytest.raises(WaitTimeout, match="alt"):
        await anna.wait_for("alt", timeout=0.05)


async def test_webhook_delivers_with_secret_and_blocks_get_updates(
    tg: FakeTelegram, bot: telegram.Bot
) -> None:
    received: list[tuple[str | None, dict[str, Any]]] = []
    arrived = asyncio.Event()
    answers = [500]  # the first delivery fails, the retry succeeds

    async def hook(request: web.Request) -> web.Response:
        received.append((request.headers.get(SECRET_HEADER), await request.json()))
        arrived.set()
        return web.Response(status=answers.pop(0) if answers else 200)

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="s3cret")
        with pytest.raises(Conflict, match=r"(?i)webhook is active"):
            await bot.get_updates()
        anna = tg.user("Anna")
        await anna.send("/start")
        await tg.signal.wait_for(
            lambda: any(d.status == 200 for d in tg.webhook_deliveries), 5, lambda: "delivery"
        )
        assert [status for status in (d.status for d in tg.webhook_deliveries)] == [500, 200]
        assert received[-1][0] == "s3cret"
        assert received[-1][1]["message"]["text"] == "/start"
        info = await bot.get_webhook_info()
        assert info.url.endswith("/hook") and info.pending_update_count == 0
        assert "500" in (info.last_error_message or "")
        await bot.delete_webhook()
        assert await bot.get_updates() == ()
    finally:
        await runner.cleanup()


async def test_commands_are_stored_per_language(tg: FakeTelegram, bot: telegram.Bot) -> None:
    await bot.set_my_commands([("start", "Beginnen")], language_code="de")
    await bot.set_my_commands([("start", "Begin")])
    assert tg.commands(language_code="de") == {"start": "Beginnen"}
    assert tg.commands() == {"start": "Begin"}
    assert [c.command for c in await bot.get_my_commands(language_code="de")] == ["start"]
    await bot.delete_my_commands(language_code="de")
    assert tg.commands(language_code="de") == {}
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([("Start!", "x")])


async def test_commands_are_stored_per_scope_and_checked_like_telegram(
    tg: FakeTelegram, bot: telegram.Bot
) -> None:
    anna = await started_user(tg)
    chat_scope = telegram.BotCommandScopeChat(anna.id)
    await bot.set_my_commands([("staff", "Team")], scope=chat_scope, language_code="de")
    groups = telegram.BotCommandScopeAllGroupChats()
    await bot.set_my_commands([("linkgroup", "Link")], scope=groups)
    assert tg.commands("de", {"type": "chat", "chat_id": anna.id}) == {"staff": "Team"}
    assert tg.commands("", {"type": "all_group_chats"}) == {"linkgroup": "Link"}
    assert tg.commands("de") == {}  # the default scope is a list of its own
    mine = await bot.get_my_commands(scope=chat_scope, language_code="de")
    assert [c.command for c in mine] == ["staff"]
    await bot.delete_my_commands(scope=chat_scope, language_code="de")
    assert tg.commands("de", {"type": "chat", "chat_id": anna.id}) == {}
    refusals: list[tuple[Any, str]] = [
        (bot.set_my_commands([("x" * 33, "long name")]), "BOT_COMMAND_INVALID"),
        (bot.set_my_commands([("", "no name")]), "BOT_COMMAND_INVALID"),
        (bot.set_my_commands([("ok", "")]), "BOT_COMMAND_DESCRIPTION_INVALID"),
        (bot.set_my_commands([("ok", "d" * 257)]), "BOT_COMMAND_DESCRIPTION_INVALID"),
        (bot.set_my_commands([(f"c{i}", "d") for i in range(101)]), "too many commands"),
        (bot.set_my_commands([("ok", "d")], language_code="deu"), "invalid language code"),
        (bot.set_my_commands([("ok", "d")], scope=telegram.BotCommandScopeChat(999)),
         "chat not found"),
        (bot.set_my_commands([("ok", "d")], scope=telegram.BotCommandScopeChatAdministrators(
            anna.id)), "private chats"),
    ]
    for call, error in refusals:
        with pytest.raises(BadRequest, match=rf"(?i){error}"):
            await call
    await bot.set_my_commands([(f"c{i}", "d" * 256) for i in range(100)])  # the limits themselves
    assert len(tg.commands()) == 100


async def test_descriptions_per_language_within_telegrams_limits(
    tg: FakeTelegram, bot: telegram.Bot
) -> None:
    await bot.set_my_description("Ich verbinde Angehörige mit dem Pflegeheim.", language_code="de")
    await bot.set_my_description("I connect families with the care home.")
    await bot.set_my_short_description("s" * 120, language_code="de")
    assert (await bot.get_my_description("de")).description.startswith("Ich verbinde")
    assert (await bot.get_my_description("fr")).description.startswith("I connect")  # fallback
    assert (await bot.get_my_short_description("de")).short_description == "s" * 120
    with pytest.raises(BadRequest, match=r"(?i)DESCRIPTION_INVALID"):
        await bot.set_my_description("d" * 513)
    with pytest.raises(BadRequest, match=r"(?i)SHORT_DESCRIPTION_INVALID"):
        await bot.set_my_short_description("s" * 121)
    with pytest.raises(BadRequest, match=r"(?i)invalid language code"):
        await bot.set_my_description("x", language_code="german")
    await bot.set_my_description("", language_code="de")  # empty removes the German one
    assert (await bot.get_my_description("de")).description.startswith("I connect")


async def test_forced_replies_and_text_mentions_are_checked(
    tg: FakeTelegram, bot: telegram.Bot
) -> None:
    anna = await started_user(tg)
    ben = telegram.User(anna.id, "Anna", is_bot=False)
    mention = telegram.MessageEntity(telegram.MessageEntity.TEXT_MENTION, 0, 4, user=ben)
    sent = await bot.send_message(anna.id, "Anna, your answer?", entities=[mention],
                                  reply_markup=telegram.ForceReply(selective=True))
    assert sent.entities[0].user is not None and sent.entities[0].user.id == anna.id
    with pytest.raises(BadRequest, match=r"(?i)REPLY_MARKUP_INVALID"):
        await bot.send_message(anna.id, "x", reply_markup=telegram.ForceReply(
            input_field_placeholder="p" * 65))
    async with aiohttp.ClientSession() as session:
        for markup, entities in (({"force_reply": False}, []),
                                 ({"force_reply": True, "selective": "yes"}, []),
                                 (None, [{"type": "text_mention", "offset": 0, "length": 1}])):
            params: dict[str, Any] = {"chat_id": anna.id, "text": "x", "entities": entities}
            if markup is not None:
                params["reply_markup"] = markup
            async with session.post(f"{tg.base_url}{TOKEN}/sendMessage", json=params) as answer:
                assert answer.status == 400, (markup, entities)


async def test_users_send_every_kind_of_message(tg: FakeTelegram, bot: telegram.Bot) -> None:
    anna = tg.user("Anna")
    await anna.send_sticker()
    await anna.send_voice()
    await anna.send_video(caption="Geburtstag")
    album = await anna.send_album(3, caption="Ausflug")
    mine = await anna.send("Tippfehlr")
    await anna.edit(mine, "Tippfehler")
    await tg.push_raw_update(
        {
            "channel_post": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": -100123, "type": "channel", "title": "Kanal"},
                "text": "Hallo Kanal",
            }
        }
    )

    updates = await bot.get_updates()
    messages = [update.message for update in updates[:7]]
    assert messages[0].sticker.emoji == "👍"
    assert messages[1].voice.duration.total_seconds() == 3
    assert messages[2].video.mime_type == "video/mp4" and messages[2].caption == "Geburtstag"
    assert {m.media_group_id for m in messages[3:6]} == {album[0].media_group_id}
    assert [m.caption for m in messages[3:6]] == ["Ausflug", None, None]
    assert updates[7].edited_message.text == "Tippfehler"
    assert updates[8].channel_post.text == "Hallo Kanal"
    assert [u.update_id for u in updates] == list(
        range(updates[0].update_id, updates[0].update_id + 9)
    )


async def test_group_buttons_and_leaving(tg: FakeTelegram, bot: telegram.Bot) -> None:
    ben = tg.user("Ben")
    station = tg.group("Station 1", members=[ben])
    await bot.send_message(station.id, "Wer übernimmt?", reply_markup=keyboard("Ich"))
    press = asyncio.create_task(station.press(ben, "Ich"))
    updates = await bot.get_updates(timeout=5)
    query = updates[-1].callback_query
    assert query.message.chat.id == station.id and query.from_user.id == ben.id
    await query.answer()
    assert (await asyncio.wait_for(press, timeout=2)).text is None

    member = await bot.get_chat_member(station.id, ben.id)
    assert member.status == "member"
    assert await bot.leave_chat(station.id)
    with pytest.raises(Forbidden, match=r"(?i)bot is not a member of the group chat"):
        await bot.send_message(station.id, "Hallo?")
