"""Journey: Anna asks the home about her mother's doctor appointment, and Ben answers.

Carla, the admin of Haus Linden, links the team's Telegram group. Anna writes; her message
appears in the group (in its own forum topic when the group is a forum); Ben replies to it and
Anna receives "Ben (Pflege): …". Otto, relative of another resident, sees nothing of it, and
Dora, on the team of another home, cannot answer.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import pytest

from bot.app import Heimbote
from bot.models import (
    Account,
    Delivery,
    DeliveryState,
    RelativeLink,
    Resident,
    Role,
    StaffRole,
    Thread,
    ThreadState,
)
from bot.services.conversations.reminders import send_reminders
from tests import factories
from tests.fakes import FakeGroup, FakeTelegram, FakeUser

StartBot = Callable[..., Awaitable[Heimbote]]
QUESTION = "Wann ist der Arzttermin von Mama?"
ANSWER = "Am Dienstag um 10 Uhr, wir begleiten sie."


@dataclass
class Cast:
    anna: FakeUser  # daughter of Frau M.
    otto: FakeUser  # nephew of Herr K.
    ben: FakeUser  # care staff
    carla: FakeUser  # admin
    dora: FakeUser  # admin of another home


async def outbox_sent(timeout: float = 5.0) -> None:
    """Wait until the outbox has sent everything (and remembered what it sent)."""
    async with asyncio.timeout(timeout):
        busy = (DeliveryState.PENDING, DeliveryState.SENDING)
        while True:
            if not await Delivery.filter(state__in=busy).exists():
                return
            await asyncio.sleep(0.05)  # the sender works in its own task


@pytest.fixture
async def cast(telegram: FakeTelegram, start_bot: StartBot) -> Cast:
    """The bot started; Haus Linden with Frau M. and Herr K., Haus Eiche, and the people."""
    await start_bot()
    linden = await factories.home("linden")
    eiche = await factories.home("eiche")
    mother = await factories.resident(linden, "Frau M.")
    uncle = await factories.resident(linden, "Herr K.")
    anna = await factories.family_member(telegram, "Anna", mother, locale="de")
    otto = await factories.family_member(telegram, "Otto", uncle, locale="de")
    team = {}
    for name, home, role in (("Ben", linden, Role.STAFF), ("Carla", linden, Role.ADMIN),
                             ("Dora", eiche, Role.ADMIN)):
        team[name] = await factories.team_member(telegram, home, name, role)
    return Cast(anna, otto, team["Ben"], team["Carla"], team["Dora"])


async def linked_group(telegram: FakeTelegram, cast: Cast, *, forum: bool) -> FakeGroup:
    group = telegram.group("Team Linden", forum=forum, members=[cast.ben, cast.dora])
    group.add(cast.carla, admin=True)
    await group.send(cast.ben, "/linkgroup")  # care staff may not
    await group.wait_for("Only the admin of a care home can link a group.")
    await group.send(cast.carla, "/linkgroup")
    await group.wait_for("This group is now the team group of Haus Linden.")
    return group


async def anna_asks(anna: FakeUser) -> None:
    await anna.send("/message")
    await anna.wait_for("Frau M.: Was möchten Sie dem Team von Haus Linden sagen?")
    await anna.send(QUESTION)
    await anna.wait_for("Danke, angekommen! Das Team von Haus Linden antwortet Ihnen hier")


async def test_anna_asks_in_a_linked_group_and_ben_answers_by_replying(
    telegram: FakeTelegram, cast: Cast
) -> None:
    group = await linked_group(telegram, cast, forum=False)

    await anna_asks(cast.anna)
    relayed = await group.wait_for(QUESTION)
    assert relayed.text == f"✉️ Anna schreibt (#1 · Frau M.):\n{QUESTION}"
    assert relayed.button_texts == ["↩️ Antworten", "✅ Beenden"]
    await outbox_sent()

    await group.send(cast.dora, "Das weiß ich!", reply_to=relayed)  # another home's admin
    await group.wait_for("only the team of this care home can answer here")
    await group.send(cast.ben, ANSWER, reply_to=relayed)
    await group.wait_for("✓ Sent to Anna.")
    answer = await cast.anna.wait_for("Ben (Pflege):")
    assert answer.text == f"Ben (Pflege): {ANSWER}"
    assert [m.text for m in cast.anna.messages if "Das weiß ich" in m.text] == []

    thread = await Thread.get(number=1)
    assert thread.state == ThreadState.ANSWERED
    assert thread.first_response_at is not None and thread.first_response_at >= thread.created_at

    # Otto, relative of another resident, has not received a word of it.
    assert cast.otto.messages == []
    await cast.otto.send("Wie geht es meinem Onkel?")
    await cast.otto.wait_for("Danke, angekommen!")
    assert all(QUESTION not in m.content and ANSWER not in m.content
               for m in cast.otto.messages)

    # Anna is content and closes the conversation; the team reads it in the group.
    await cast.anna.press("✅ Beenden", message=answer)
    await group.wait_for("Anna hat Gespräch #1 beendet.")
    assert (await Thread.get(number=1)).state == ThreadState.CLOSED


async def test_in_a_forum_each_conversation_has_its_own_topic(
    telegram: FakeTelegram, cast: Cast
) -> None:
    group = await linked_group(telegram, cast, forum=True)
    assert "Each relative's conversation gets its own topic here." in (group.last_text or "")

    await cast.anna.send(QUESTION)  # plain text, no /message: still a message to the team
    await cast.anna.wait_for("Danke, angekommen!")
    relayed = await group.wait_for(QUESTION)
    assert group.topics[relayed.thread_id or 0] == "#1 Frau M. – Anna"
    assert relayed.text == f"✉️ Anna schreibt (#1 · Frau M.):\n{QUESTION}"
    await cast.anna.send("Und bitte an die Brille denken.")
    second = await group.wait_for("Brille")
    assert second.thread_id == relayed.thread_id
    assert len(telegram.calls_of("createForumTopic")) == 1

    await group.send(cast.ben, "Wer übernimmt das?", thread_id=relayed.thread_id)  # team talk
    await group.press(cast.ben, "↩️ Antworten", message=relayed)
    prompt = await group.wait_for("please write your answer to Anna about Frau M. (#1)")
    assert prompt.thread_id == relayed.thread_id  # in the topic, not in General
    # The reply field opens for Ben alone: a selective forced reply that mentions him.
    (asked,) = [call for call in telegram.calls_of("sendMessage")
                if "please write your answer" in str(call.get("text"))]
    markup = asked["reply_markup"]
    assert (json.loads(markup) if isinstance(markup, str) else markup) == {
        "force_reply": True, "selective": True}
    (mention,) = prompt.entities
    assert (mention["type"], mention["offset"], mention["length"]) == ("text_mention", 0, 3)
    assert mention["user"]["id"] == cast.ben.id
    await group.send(cast.ben, ANSWER, reply_to=prompt, thread_id=relayed.thread_id)
    await cast.anna.wait_for(f"Ben (Pflege): {ANSWER}")
    assert [m.text for m in group.messages if "Wer übernimmt" in m.text] == []
    answered = [m for m in cast.anna.messages if m.text.startswith("Ben (Pflege)")]
    assert len(answered) == 1  # the team talk never reached Anna


async def test_another_homes_staff_cannot_answer_with_a_button(
    telegram: FakeTelegram, cast: Cast
) -> None:
    group = await linked_group(telegram, cast, forum=False)
    await anna_asks(cast.anna)
    relayed = await group.wait_for(QUESTION)

    refused = await group.press(cast.dora, "↩️ Antworten", message=relayed)
    assert refused.text is not None and "only the team of this care home" in refused.text
    refused = await group.press(cast.dora, "✅ Beenden", message=relayed)
    assert refused.text is not None and "only the team of this care home" in refused.text
    assert (await Thread.get(number=1)).state == ThreadState.OPEN


async def test_without_a_group_the_inbox_staff_answer_in_private_chat(cast: Cast) -> None:
    await StaffRole.filter(account__telegram_id=cast.ben.id).update(inbox=True)

    await cast.anna.send_photo("Ihr neues Zimmer")
    await cast.anna.wait_for("Danke, angekommen!")
    relayed = await cast.ben.wait_for("Ihr neues Zimmer")
    assert relayed.photo is not None
    assert relayed.caption == "✉️ Anna writes about Frau M. (#1):\nIhr neues Zimmer"
    await cast.carla.wait_for("Ihr neues Zimmer")  # admins always receive
    await outbox_sent()
    assert cast.dora.messages == []

    await cast.ben.reply(relayed, "Sehr schön geworden!")
    await cast.ben.wait_for("✓ Sent to Anna.")
    await cast.anna.wait_for("Ben (Pflege): Sehr schön geworden!")
    await cast.carla.wait_for("✓ Ben answered Anna (#1).")

    # Anna answers with Telegram's reply: it continues the same thread.
    await outbox_sent()
    answer = cast.anna.messages[-1]
    await cast.anna.reply(answer, "Danke!")
    relayed_thanks = await cast.carla.wait_for("Danke!")
    assert await Thread.all().count() == 1

    # Carla taps ↩️ Reply under it and simply types her answer.
    await cast.carla.press("↩️ Reply", message=relayed_thanks)
    await cast.carla.wait_for("Your answer to Anna about Frau M. (#1), please:")
    await cast.carla.send("Gern geschehen!")
    await cast.carla.wait_for("✓ Sent to Anna.")
    closing = await cast.anna.wait_for("Carla (Leitung): Gern geschehen!")

    # Anna taps ↩️ Antworten under it: her next message goes to the team about Frau M.
    await cast.anna.press("↩️ Antworten", message=closing)
    await cast.anna.wait_for("Frau M.: Was möchten Sie dem Team von Haus Linden sagen?")
    await cast.anna.send_voice()
    await cast.anna.wait_for("Danke, angekommen!")
    await cast.ben.wait_for(lambda m: "voice" in m.media)
    assert await Thread.all().count() == 1


async def test_an_unanswered_message_reminds_the_team_and_a_reply_to_it_answers(
    telegram: FakeTelegram, cast: Cast
) -> None:
    group = await linked_group(telegram, cast, forum=False)
    await anna_asks(cast.anna)
    await group.wait_for(QUESTION)
    await outbox_sent()

    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    run = await send_reminders(now=later)
    assert len(run.reminded) == 1 and len(run.escalated) == 1
    reminder = await group.wait_for("wartet seit 4 Stunden (tagsüber gezählt) auf eine Antwort")
    await cast.carla.wait_for("has had no answer for 24 hours")
    assert (await send_reminders(now=later)).reminded == []  # once
    await outbox_sent()

    await group.send(cast.ben, ANSWER, reply_to=reminder)
    await cast.anna.wait_for(f"Ben (Pflege): {ANSWER}")


async def test_a_relative_with_two_residents_is_asked_and_odd_things_get_a_hint(cast: Cast) -> None:
    anna = await Account.get(telegram_id=cast.anna.id)
    await factories.link(anna, await Resident.get(display_name="Herr K."))
    await StaffRole.filter(account__telegram_id=cast.ben.id).update(inbox=True)

    await cast.anna.send_sticker()
    await cast.anna.wait_for("Ich kann Texte, Fotos und Sprachnachrichten an das Team")
    await cast.anna.send("ABCD-EFGH-JKMN")  # an invite code typed by hand stays joining's
    await cast.anna.wait_for("Dieser Code funktioniert leider nicht.")
    await cast.anna.send("Bitte rufen Sie mich an.")
    first = await cast.anna.wait_for("Um wen von Ihren Angehörigen geht es?")
    await cast.anna.send_voice()
    await cast.anna.wait_for(lambda m: m is not first and "Um wen von Ihren" in m.text)
    assert first.button_texts == []  # asked again below: no second set of live buttons
    await cast.anna.press("Herr K. (Haus Linden)")
    await cast.anna.wait_for("Danke, angekommen!")
    await cast.ben.wait_for("Bitte rufen Sie mich an.")
    voice = await cast.ben.wait_for(lambda m: "voice" in m.media)
    assert voice.caption == "✉️ Anna writes about Herr K. (#1):"


async def test_staff_photos_are_not_taken_for_a_conversation(cast: Cast) -> None:
    ben = await Account.get(telegram_id=cast.ben.id)
    await factories.link(ben, await Resident.get(display_name="Frau M."))
    await cast.ben.send_photo()
    await cast.ben.wait_for("Who is in this photo?")  # a photo update, for approval
    assert await Thread.all().count() == 0


async def test_only_the_admin_unlinks_and_chatter_is_never_answered(
    telegram: FakeTelegram, cast: Cast
) -> None:
    group = await linked_group(telegram, cast, forum=True)  # the bot, an admin, sees all
    await group.send(cast.ben, "Guten Morgen zusammen!")
    await group.send(cast.ben, "/help")
    await group.send(cast.ben, "/unlinkgroup")
    await group.wait_for("Only the admin of the care home can do this.")
    await group.send(cast.carla, "/unlinkgroup")
    await group.wait_for("This group is no longer linked with Haus Linden.")
    texts = [m.text for m in group.messages]
    assert not any("Guten Morgen" in t or "I work with buttons" in t or "/help" in t
                   or "Here is what I can do" in t for t in texts)
    await cast.anna.send(QUESTION)
    await cast.carla.wait_for(QUESTION)  # no group any more: the admin in private chat
    assert [m for m in group.messages if QUESTION in m.content] == []


async def test_when_the_bot_is_removed_from_the_group_carla_is_told(
    telegram: FakeTelegram, cast: Cast
) -> None:
    group = await linked_group(telegram, cast, forum=False)
    group.remove_bot(by=cast.carla)
    await cast.carla.wait_for("I was removed from the group “Team Linden”")
    await cast.anna.send(QUESTION)
    await cast.carla.wait_for(QUESTION)


async def test_carla_gives_ben_the_inbox_duty_and_sets_the_reminder(cast: Cast) -> None:
    await cast.carla.send("/staff")
    await cast.carla.wait_for("Tap someone to change their role.")
    await cast.carla.press("Ben · Care staff")
    await cast.carla.wait_for("Inbox duty: while the home has no staff group")
    await cast.carla.press("📥 Inbox duty: off")
    await cast.carla.wait_for(lambda m: "📥 Inbox duty: on" in m.button_texts)
    assert (await StaffRole.get(account__telegram_id=cast.ben.id)).inbox

    await cast.carla.send("/facility")
    await cast.carla.wait_for("Settings of Haus Linden")
    await cast.carla.press("💬 Messages from relatives")
    screen = await cast.carla.wait_for("Messages from relatives – Haus Linden")
    assert "inbox duty (Ben)" in screen.text
    assert "after 4 hours without an answer, counted in the daytime" in screen.text
    await cast.carla.press("+ reminder")
    await cast.carla.wait_for("Reminder to the team after 5 hours")
    await cast.carla.press("+ admins")
    await cast.carla.wait_for("The admins are told after 30 hours")

    await cast.ben.send_photo()  # Ben is not a relative: his photo is a photo update
    await cast.ben.wait_for("Who is in this photo?")


async def test_a_forum_where_the_bot_may_not_make_topics_gets_messages_in_general(
    telegram: FakeTelegram, cast: Cast
) -> None:
    group = telegram.group("Team Linden", forum=True, bot_admin=False, members=[cast.ben])
    group.add(cast.carla, admin=True)
    await group.send(cast.carla, "/linkgroup")
    await group.wait_for("Please make me an admin who may manage topics")
    await cast.anna.send(QUESTION)
    relayed = await group.wait_for(QUESTION)
    assert relayed.thread_id is None and group.topics == {}
    assert relayed.text.startswith("✉️ Anna schreibt (#1 · Frau M.):")


async def test_a_button_that_no_longer_fits_is_refused_kindly_and_closing_removes_buttons(
    cast: Cast,
) -> None:
    await anna_asks(cast.anna)
    relayed = await cast.carla.wait_for(QUESTION)  # no group: the admin has it privately
    await outbox_sent()
    await cast.carla.reply(relayed, ANSWER)
    answer = await cast.anna.wait_for(f"Carla (Leitung): {ANSWER}")

    # Anna's link to Frau M. was ended meanwhile: ↩️ Antworten no longer fits.
    await RelativeLink.filter(account__telegram_id=cast.anna.id).update(active=False)
    refused = await cast.anna.press("↩️ Antworten", message=answer)
    assert (refused.text, refused.show_alert) == ("Diese Schaltfläche gilt nicht mehr.", True)

    # Carla closes under her copy of Anna's message: told which, and the buttons go.
    closed = await cast.carla.press("✅ Close", message=relayed)
    assert closed.text == "Conversation #1 is closed."
    assert (await Thread.get(number=1)).state == ThreadState.CLOSED
    assert relayed.button_texts == []  # the edit reached this very message
