"""Nothing personal is kept longer than needed: old conversations, old outbox texts, wrong codes.

Service tests on the real database; each chooses its own "now".
"""

from __future__ import annotations

import datetime as dt

import pytest

from bot.delivery.outbox import BLANKED, Outgoing, Recipient, blank_old_content, enqueue
from bot.domain.errors import InvalidInput
from bot.jobs import JOBS
from bot.models import (
    Account,
    AuditEntry,
    Delivery,
    DeliveryState,
    Facility,
    FailedInviteAttempt,
    RelayedMessage,
    Role,
    Thread,
    ThreadMessage,
)
from bot.services import conversations
from bot.services.accounts.actors import Actor
from bot.services.accounts.facilities import update_facility
from bot.services.conversations.retention import purge_old_conversations
from bot.services.onboarding import joining
from bot.services.privacy import privacy
from bot.services.reviews import complaints
from tests import factories
from tests.rating_homes import rate, sonnenhof

pytestmark = pytest.mark.usefixtures("db")

START = dt.datetime(2026, 1, 5, 10, 0, tzinfo=dt.UTC)
GROUP = -100_777


def day(n: float) -> dt.datetime:
    return START + dt.timedelta(days=n)


async def conversation_home() -> tuple[Actor, Account, Account, int, int]:
    """Haus Linden with its staff group, admin Carla, and Anna and Otto writing about residents.

    Returns Carla, Anna, Otto, and the ids of Anna's mother and Otto's uncle.
    """
    facility = await factories.home("linden")
    return await _conversation_home(facility)


async def _conversation_home(facility: Facility) -> tuple[Actor, Account, Account, int, int]:
    mother, uncle = (await factories.resident(facility, "Frau M."),
                     await factories.resident(facility, "Herr K."))
    anna = await factories.relative("Anna", mother, locale="de")
    otto = await factories.relative("Otto", uncle, locale="de")
    carla = await factories.account("Carla", locale="de")
    await factories.give_role(carla, facility, Role.ADMIN)
    admin = Actor(account=carla)
    await conversations.link_group(admin, facility.id, chat_id=GROUP, title="Team",
                                   is_forum=False)
    return admin, anna, otto, mother.id, uncle.id


async def test_a_conversation_quiet_for_a_year_goes_with_all_that_is_about_it() -> None:
    carla, anna, otto, mother, uncle = await conversation_home()
    old = await conversations.relative_writes(anna, mother, "text", "Brille?", now=day(0))
    await conversations.staff_replies(carla, old.thread.id, "Liegt bereit.", now=day(1))
    await conversations.close(carla, old.thread.id, now=day(2))
    await conversations.remember_prompt(old.thread.id, GROUP, 4711)
    ongoing = await conversations.relative_writes(otto, uncle, "text", "Hallo", now=day(0))
    await conversations.staff_replies(carla, ongoing.thread.id, "Guten Tag", now=day(200))
    about_old = await Delivery.filter(reference__contains=":").count()
    assert about_old > 0

    assert await purge_old_conversations(now=day(2 + 365) - dt.timedelta(minutes=1)) == 0
    assert await purge_old_conversations(now=day(2 + 365)) == 1

    assert await Thread.filter(id=old.thread.id).count() == 0
    assert await ThreadMessage.filter(thread_id=old.thread.id).count() == 0
    assert await RelayedMessage.filter(thread_id=old.thread.id).count() == 0
    texts = [str(row.content) for row in await Delivery.all()]
    assert not any("Brille" in text or "Liegt bereit" in text for text in texts)
    assert await Thread.filter(id=ongoing.thread.id).exists()  # answered on day 200
    assert any("Guten Tag" in text for text in texts)
    entry = await AuditEntry.get(action="conversation.purge")
    assert entry.details["count"] == 1 and entry.details["retention_days"] == 365

    assert await purge_old_conversations(now=day(200 + 365)) == 1
    assert await Thread.all().count() == 0


async def test_an_open_thread_waiting_for_an_answer_is_kept_while_the_relative_writes() -> None:
    _, anna, _, mother, _ = await conversation_home()
    written = await conversations.relative_writes(anna, mother, "text", "Eins", now=day(0))
    await conversations.relative_writes(anna, mother, "text", "Zwei", now=day(300))

    assert await purge_old_conversations(now=day(400)) == 0
    assert await ThreadMessage.filter(thread_id=written.thread.id).count() == 2
    assert await purge_old_conversations(now=day(665)) == 1


async def test_each_home_chooses_how_long_between_30_days_and_3_years() -> None:
    linden = await factories.home("linden")
    carla, anna, _, mother, _ = await _conversation_home(linden)
    for days in (29, 1096, 0, -5, True):
        with pytest.raises(InvalidInput):
            await update_facility(carla, linden.id, conversation_retention_days=days)
    assert (await Facility.get(id=linden.id)).conversation_retention_days == 365

    await update_facility(carla, linden.id, conversation_retention_days=30)
    await conversations.relative_writes(anna, mother, "text", "Hallo", now=day(0))
    assert await purge_old_conversations(now=day(29)) == 0
    assert await purge_old_conversations(now=day(30)) == 1


async def test_finished_outbox_rows_lose_their_text_after_30_days_pending_ones_keep_it() -> None:
    anna = await factories.account("Anna", anytime=True)
    to_anna = [Recipient(anna.telegram_id, anna)]
    for reference in ("sent", "skipped", "failed", "pending", "recent"):
        await enqueue(to_anna, Outgoing.text(f"Geheim {reference} +49 170 1234567",
                                             buttons=[[{"text": "OK", "callback_data": "x"}]]),
                      purpose="test", reference=reference)
    states = {"sent": DeliveryState.SENT, "skipped": DeliveryState.SKIPPED,
              "failed": DeliveryState.FAILED, "recent": DeliveryState.SENT}
    for reference, state in states.items():
        await Delivery.filter(reference=reference).update(state=state, sent_at=day(0))
    await Delivery.exclude(reference="recent").update(created_at=day(0))
    await Delivery.filter(reference="recent").update(created_at=day(10))

    assert await blank_old_content(now=day(30) - dt.timedelta(seconds=1)) == 0
    assert await blank_old_content(now=day(30)) == 3
    assert await blank_old_content(now=day(31)) == 0  # blanked rows are not written again

    rows = {row.reference: row for row in await Delivery.all()}
    for reference in ("sent", "skipped", "failed"):
        row = rows[reference]
        assert row.content == BLANKED
        assert (row.kind, row.state, row.sent_at) == ("text", states[reference], day(0))
    assert "Geheim pending" in rows["pending"].content["text"]  # still to be sent
    assert "Geheim recent" in rows["recent"].content["text"]  # sent 20 days ago
    assert await blank_old_content(now=day(40)) == 1


def test_the_periodic_jobs_purge_blank_and_forget() -> None:
    runs = {job.run for job in JOBS}
    assert {purge_old_conversations, blank_old_content, joining.prune_failed_attempts} <= runs


async def test_deleting_my_data_does_not_lift_the_lock_on_wrong_invite_codes() -> None:
    facility = await factories.home("sonnenhof")
    resident = await factories.resident(facility, "Frau M.")
    await factories.link(await factories.account("Carla"), resident)
    mallory = await factories.account("Mallory", telegram_id=700_000_666)
    for _ in range(joining.MAX_FAILED_ATTEMPTS):
        with pytest.raises(joining.InviteUnusable):
            await joining.begin_join(mallory, "ZZZZZZZZZZZZ")

    await privacy.erase_account(mallory)
    again = await factories.account("Mallory", telegram_id=700_000_666)

    with pytest.raises(joining.TooManyAttempts):
        await joining.begin_join(again, "ZZZZZZZZZZZZ")
    assert await joining.failed_attempts(again) == joining.MAX_FAILED_ATTEMPTS
    exported = await privacy.export_account(again)
    assert len(exported["failed_invite_attempts"]) == joining.MAX_FAILED_ATTEMPTS


async def test_wrong_codes_are_forgotten_after_their_hour() -> None:
    mallory = await factories.account("Mallory")
    with pytest.raises(joining.InviteUnusable):
        await joining.begin_join(mallory, "ZZZZZZZZZZZZ")
    (attempt,) = await FailedInviteAttempt.all()

    assert await joining.prune_failed_attempts(now=attempt.attempted_at + joining.ATTEMPT_WINDOW
                                               - dt.timedelta(seconds=1)) == 0
    assert await joining.prune_failed_attempts(
        now=attempt.attempted_at + joining.ATTEMPT_WINDOW) == 1
    assert not await FailedInviteAttempt.exists()


async def test_my_data_holds_the_homes_public_reply_and_how_long_things_are_kept() -> None:
    home = await sonnenhof()
    review = await rate(home.anna, home.facility, 5, comment="Sehr liebevoll")
    await complaints.reply(Actor(account=home.carla), review.id, "Danke, Frau A.!", now=day(0))

    exported = await privacy.export_account(home.anna)

    (rating,) = exported["ratings"]
    assert rating["public_reply_of_the_home"] == {
        "text": "Danke, Frau A.!", "at": day(0).isoformat(), "edited_at": None}
    assert exported["how_long_it_is_kept"] == {
        "conversations": [{"facility": "Haus Sonnenhof",
                           "deleted_days_after_the_last_message": 365}],
        "texts_of_messages_sent_deleted_after_days": 30,
        "wrong_invite_codes_deleted_after_minutes": 60,
    }
