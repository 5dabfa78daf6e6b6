"""Conversations: threads, where relays go, answers, closing, who may see what."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.models import (
    Account,
    AuditEntry,
    ConversationSetup,
    Delivery,
    Facility,
    Resident,
    ResidentStatus,
    Role,
    Thread,
    ThreadMessage,
    ThreadState,
)
from bot.services import conversations  # the package's public face
from bot.services.accounts.actors import Actor
from bot.services.accounts.awaiting import awaited_input
from bot.services.conversations import setup
from bot.services.privacy.privacy import erase_account, export_account
from tests import factories

BERLIN = ZoneInfo("Europe/Berlin")
GROUP = -100_500
NOON = dt.datetime(2026, 11, 23, 12, 0, tzinfo=BERLIN).astimezone(dt.UTC)


@dataclass
class Home:
    facility: Facility
    mother: Resident  # Anna's
    uncle: Resident  # Otto's
    anna: Account
    otto: Account
    ben: Actor  # care staff
    carla: Actor  # admin
    dora: Actor  # staff of another home


async def staff(facility: Facility, name: str, role: Role, **fields: object) -> Actor:
    member = await factories.account(name, locale="en")
    await factories.give_role(member, facility, role, **fields)
    return Actor(account=member)


@pytest.fixture
async def home(db: str) -> Home:
    facility = await factories.home("linden")
    mother = await factories.resident(facility, "Frau M.")
    uncle = await factories.resident(facility, "Herr K.")
    anna = await factories.account("Anna", locale="de")
    otto = await factories.account("Otto", locale="en")
    await factories.link(anna, mother)
    await factories.link(otto, uncle)
    other = await factories.home("eiche")
    return Home(
        facility, mother, uncle, anna, otto,
        ben=await staff(facility, "Ben", Role.STAFF),
        carla=await staff(facility, "Carla", Role.ADMIN),
        dora=await staff(other, "Dora", Role.ADMIN),
    )


async def relays() -> list[Delivery]:
    return await Delivery.filter(purpose=conversations.RELAY).order_by("id")


async def test_a_message_opens_a_thread_and_is_relayed_to_the_staff_group(home: Home) -> None:
    await setup.link_group(home.carla, home.facility.id, chat_id=GROUP, title="Team Linden",
                           is_forum=False)
    first = await conversations.relative_writes(
        home.anna, home.mother.id, "text", "Wann ist der Arzttermin?", now=NOON)
    again = await conversations.relative_writes(
        home.anna, home.mother.id, "text", "Und bitte Brille mitnehmen.", now=NOON)
    other = await conversations.relative_writes(home.otto, home.uncle.id, "text", "Hallo",
                                                now=NOON)

    assert first.new_thread and not again.new_thread and other.new_thread
    assert first.thread.id == again.thread.id
    assert (first.thread.number, other.thread.number) == (1, 2)
    sent = await relays()
    assert [row.chat_id for row in sent] == [GROUP, GROUP, GROUP]
    assert all(row.urgent for row in sent)
    assert sent[0].content["text"] == (
        "✉️ Anna schreibt (#1 · Frau M.):\nWann ist der Arzttermin?")
    assert [b["callback_data"] for b in sent[0].content["buttons"][0]] == [
        f"cvs:1:reply:{first.thread.id}", f"cvs:1:close:{first.thread.id}"]
    thread = await Thread.get(id=first.thread.id)
    assert thread.state == ThreadState.OPEN and thread.waiting_since == NOON
    assert await ThreadMessage.filter(thread_id=thread.id).count() == 2


async def test_in_a_forum_each_thread_asks_for_its_own_topic(home: Home) -> None:
    await setup.link_group(home.carla, home.facility.id, chat_id=GROUP, title="Team",
                           is_forum=True)
    written = await conversations.relative_writes(home.anna, home.mother.id, "text", "Hallo")
    (row,) = await relays()
    assert row.content["topic"] == {"thread": written.thread.id, "name": "#1 Frau M. – Anna"}
    assert row.content["text"] == "✉️ Anna schreibt (#1 · Frau M.):\nHallo"


async def test_without_a_group_admins_and_inbox_staff_get_it_privately(home: Home) -> None:
    inbox = await staff(home.facility, "Ines", Role.STAFF, inbox=True)
    await staff(home.facility, "Gone", Role.STAFF, inbox=True)
    await Account.filter(first_name="Gone").update(unreachable=True)
    await conversations.relative_writes(home.anna, home.mother.id, "photo", "Ihr Zimmer",
                                        file_id="PHOTO-1")
    sent = await relays()
    assert inbox.account is not None and home.carla.account is not None
    assert sorted(row.chat_id for row in sent) == sorted(
        [home.carla.account.telegram_id, inbox.account.telegram_id])  # not Ben, not Gone
    assert {row.kind for row in sent} == {"photo"}
    assert sent[0].content["file_id"] == "PHOTO-1"
    assert sent[0].content["caption"] == "✉️ Anna writes about Frau M. (#1):\nIhr Zimmer"


async def test_a_voice_message_is_relayed_as_one(home: Home) -> None:
    await conversations.relative_writes(home.anna, home.mother.id, "voice", file_id="VOICE-1")
    sent = await relays()
    assert {(row.kind, row.content["file_id"]) for row in sent} == {("voice", "VOICE-1")}


@pytest.mark.parametrize(
    ("kind", "text", "file_id", "field"),
    [
        ("text", "   ", None, "text"),
        ("text", "x" * (conversations.TEXT_LIMIT + 1), None, "text"),
        ("photo", "x" * (conversations.CAPTION_LIMIT + 1), "PHOTO", "text"),
        ("photo", "", None, "file"),
        ("sticker", "", "STICKER", "kind"),
    ],
)
async def test_bad_messages_are_refused_and_nothing_is_sent(
    home: Home, kind: str, text: str, file_id: str | None, field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        await conversations.relative_writes(home.anna, home.mother.id, kind, text, file_id)
    assert refused.value.field == field
    assert await Thread.all().count() == 0 and await Delivery.all().count() == 0


async def test_nobody_writes_about_someone_elses_resident(home: Home) -> None:
    with pytest.raises(NotFound):
        await conversations.relative_writes(home.anna, home.uncle.id, "text", "Hallo")
    await Resident.filter(id=home.mother.id).update(status=ResidentStatus.MOVED_OUT)
    with pytest.raises(NotFound):
        await conversations.relative_writes(home.anna, home.mother.id, "text", "Hallo")
    assert await Thread.all().count() == 0


async def test_implicit_messages_leave_out_homes_where_the_account_is_staff(home: Home) -> None:
    assert home.ben.account is not None
    await factories.link(home.ben.account, home.mother)
    assert await conversations.writable_residents(home.ben.account, implicit=True) == []
    (choice,) = await conversations.writable_residents(home.ben.account)
    assert choice.resident_name == "Frau M."


async def test_start_reply_about_waits_for_the_relatives_next_message(home: Home) -> None:
    choice = await conversations.start_reply_about(home.anna, home.mother.id)
    assert (choice.resident_name, choice.facility_name) == ("Frau M.", "Haus Linden")
    awaited = await awaited_input(home.anna)
    assert awaited is not None and awaited.kind == conversations.COMPOSE
    assert awaited.payload == {"resident": home.mother.id}
    with pytest.raises(NotFound):
        await conversations.start_reply_about(home.anna, home.uncle.id)


async def test_an_answer_goes_to_the_relative_signed_and_records_the_first_response(
    home: Home,
) -> None:
    written = await conversations.relative_writes(home.anna, home.mother.id, "text", "Termin?",
                                                  now=NOON)
    later = NOON + dt.timedelta(minutes=90)
    answered = await conversations.staff_replies(
        home.ben, written.thread.id, "Dienstag um 10 Uhr.", now=later)
    await conversations.staff_replies(home.carla, written.thread.id, "Ich begleite sie.",
                                      now=later + dt.timedelta(hours=1))

    assert answered.relative_name == "Anna"
    thread = await Thread.get(id=written.thread.id)
    assert thread.first_response_at == later  # recorded once
    assert thread.state == ThreadState.ANSWERED and thread.waiting_since is None
    answers = await Delivery.filter(purpose=conversations.ANSWER).order_by("id")
    assert [row.chat_id for row in answers] == [home.anna.telegram_id] * 2
    assert [row.content["text"] for row in answers] == [
        "Ben (Pflege): Dienstag um 10 Uhr.", "Carla (Leitung): Ich begleite sie."]
    assert not answers[0].urgent


async def test_an_english_relative_reads_care_team(home: Home) -> None:
    written = await conversations.relative_writes(home.otto, home.uncle.id, "text", "Hello")
    await conversations.staff_replies(home.ben, written.thread.id, "All is well.")
    (row,) = await Delivery.filter(purpose=conversations.ANSWER)
    assert row.content["text"] == "Ben (Care team): All is well."


async def test_other_inbox_staff_learn_that_it_was_answered(home: Home) -> None:
    written = await conversations.relative_writes(home.anna, home.mother.id, "text", "Termin?")
    await conversations.staff_replies(home.carla, written.thread.id, "Dienstag.")
    notices = await Delivery.filter(purpose=setup.NOTICE)
    assert notices == []  # Carla is the only one who received it
    inbox = await staff(home.facility, "Ines", Role.STAFF, inbox=True)
    await conversations.staff_replies(home.carla, written.thread.id, "Um 10 Uhr.")
    (notice,) = await Delivery.filter(purpose=setup.NOTICE)
    assert inbox.account is not None and notice.chat_id == inbox.account.telegram_id
    assert notice.content["text"] == "✓ Carla answered Anna (#1)."


async def test_nobody_but_the_homes_staff_may_answer_or_see_a_thread(home: Home) -> None:
    written = await conversations.relative_writes(home.anna, home.mother.id, "text", "Termin?")
    thread_id = written.thread.id
    for outsider in (home.dora, Actor(account=home.otto), Actor(account=home.anna)):
        with pytest.raises(NotAllowed):
            await conversations.staff_replies(outsider, thread_id, "Hallo")
        with pytest.raises(NotAllowed):
            await conversations.thread_for_staff(outsider, thread_id)
    with pytest.raises(NotFound):
        await conversations.thread_for_relative(home.otto, thread_id)
    with pytest.raises(NotAllowed):
        await conversations.close(Actor(account=home.otto), thread_id)
    with pytest.raises(NotAllowed):
        await conversations.close(home.dora, thread_id)
    assert await Delivery.filter(purpose=conversations.ANSWER).count() == 0
    assert (await Thread.get(id=thread_id)).state == ThreadState.OPEN


async def test_the_relative_closes_and_the_team_is_told(home: Home) -> None:
    await setup.link_group(home.carla, home.facility.id, chat_id=GROUP, title="Team",
                           is_forum=False)
    written = await conversations.relative_writes(home.anna, home.mother.id, "text", "Danke")
    closed = await conversations.close(Actor(account=home.anna), written.thread.id, now=NOON)
    assert closed.state == ThreadState.CLOSED and closed.closed_at == NOON
    assert closed.closed_by_id == home.anna.id  # type: ignore[attr-defined]
    (notice,) = await Delivery.filter(purpose=setup.NOTICE)
    assert (notice.chat_id, notice.content["text"]) == (GROUP, "Anna hat Gespräch #1 beendet.")
    await conversations.close(Actor(account=home.anna), written.thread.id)  # again: nothing
    assert await Delivery.filter(purpose=setup.NOTICE).count() == 1
    again = await conversations.relative_writes(home.anna, home.mother.id, "text", "Noch was")
    assert again.new_thread and again.thread.number == 2


async def test_staff_close_and_the_relative_is_told(home: Home) -> None:
    written = await conversations.relative_writes(home.otto, home.uncle.id, "text", "Hi")
    await conversations.close(home.ben, written.thread.id)
    (notice,) = await Delivery.filter(purpose=setup.NOTICE)
    assert notice.chat_id == home.otto.telegram_id
    assert notice.content["text"].startswith("Ben (Care team) closed this conversation.")


async def test_a_reply_to_any_sent_message_finds_its_thread(home: Home) -> None:
    written = await conversations.relative_writes(home.anna, home.mother.id, "text", "Termin?")
    (row,) = await relays()
    row.sent_message_ids = [41]
    await conversations.remember_relayed(row)
    await conversations.remember_relayed(row)  # after a crash it may run twice
    found = await conversations.thread_replied_to(row.chat_id, 41)
    assert found is not None and found.id == written.thread.id
    assert await conversations.thread_replied_to(row.chat_id, 42) is None
    assert await conversations.thread_replied_to(GROUP, 41) is None
    await conversations.remember_prompt(written.thread.id, GROUP, 7)
    prompt = await conversations.thread_replied_to(GROUP, 7)
    assert prompt is not None and prompt.id == written.thread.id


async def test_linking_a_group_is_for_admins_and_a_group_serves_one_home(home: Home) -> None:
    with pytest.raises(NotAllowed):
        await setup.link_group(home.ben, home.facility.id, chat_id=GROUP, title="T",
                               is_forum=False)
    assert await setup.link_group(home.carla, home.facility.id, chat_id=GROUP, title="T",
                                  is_forum=False) is None
    other = await Facility.get(slug="eiche")
    with pytest.raises(InvalidInput):
        await setup.link_group(home.dora, other.id, chat_id=GROUP, title="T", is_forum=False)
    replaced = await setup.link_group(home.carla, home.facility.id, chat_id=GROUP - 1,
                                      title="Neu", is_forum=True)
    assert replaced == GROUP
    linked = await setup.facility_of_group(GROUP - 1)
    assert linked is not None and linked.id == home.facility.id
    assert await setup.facility_of_group(GROUP) is None
    with pytest.raises(NotAllowed):
        await setup.unlink_group(home.dora, GROUP - 1)
    await setup.unlink_group(home.carla, GROUP - 1)
    with pytest.raises(NotFound):
        await setup.unlink_group(home.carla, GROUP - 1)
    actions = await AuditEntry.filter(action__startswith="conversations.").values_list(
        "action", flat=True)
    assert actions == ["conversations.link_group"] * 2 + ["conversations.unlink_group"]


async def test_when_the_bot_is_removed_from_the_group_the_admins_are_told(home: Home) -> None:
    await setup.link_group(home.carla, home.facility.id, chat_id=GROUP, title="Team Linden",
                           is_forum=False)
    facility = await setup.bot_left_group(GROUP)
    assert facility is not None and facility.id == home.facility.id
    assert (await ConversationSetup.get(facility_id=home.facility.id)).group_chat_id is None
    (notice,) = await Delivery.filter(purpose=setup.NOTICE)
    assert home.carla.account is not None and notice.chat_id == home.carla.account.telegram_id
    assert "“Team Linden”" in notice.content["text"]
    assert await setup.bot_left_group(GROUP) is None


async def test_settings_and_inbox_duty_are_for_admins(home: Home) -> None:
    changed = await setup.update_settings(home.carla, home.facility.id, reminder_hours=2,
                                          escalation_hours=12)
    assert (changed.reminder_hours, changed.escalation_hours) == (2, 12)
    for wrong in ({"reminder_hours": 0}, {"escalation_hours": 169}, {"reminder_hours": True}):
        with pytest.raises(InvalidInput):
            await setup.update_settings(home.carla, home.facility.id, **wrong)  # type: ignore[arg-type]
    with pytest.raises(NotAllowed):
        await setup.update_settings(home.ben, home.facility.id, reminder_hours=3)
    assert home.ben.account is not None
    held = await setup.set_inbox(home.carla, home.facility.id, home.ben.account.id, True)
    assert held.inbox
    with pytest.raises(NotAllowed):
        await setup.set_inbox(home.ben, home.facility.id, home.ben.account.id, False)
    with pytest.raises(NotFound):
        await setup.set_inbox(home.carla, home.facility.id, home.anna.id, True)


async def test_mydata_lists_the_relatives_conversations_and_deleteme_erases_them(
    home: Home,
) -> None:
    written = await conversations.relative_writes(
        home.anna, home.mother.id, "text", "Wann ist der Arzttermin?", now=NOON)
    answered_at = NOON + dt.timedelta(minutes=20)
    await conversations.staff_replies(home.ben, written.thread.id, "Am Dienstag um 10 Uhr.",
                                      now=answered_at)

    exported = (await export_account(home.anna))["conversations"]

    assert exported == [{
        "home": "Haus Linden", "about": "Frau M.", "number": 1, "state": "answered",
        "opened_at": NOON.isoformat(),
        "messages": [
            {"from": "you", "kind": "text", "text": "Wann ist der Arzttermin?",
             "at": NOON.isoformat()},
            {"from": "the home", "kind": "text", "text": "Am Dienstag um 10 Uhr.",
             "at": answered_at.isoformat()},
        ],
    }]
    assert (await export_account(home.otto))["conversations"] == []
    await erase_account(home.anna)
    assert await ThreadMessage.filter(text__contains="Arzttermin").count() == 0
