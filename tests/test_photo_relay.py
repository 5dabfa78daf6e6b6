"""Photo updates as relatives receive them, through the real sender and the fake Bot API; the
retention purge; what /mydata and /deleteme do with photo updates."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator

import pytest
from telegram import Bot

from bot.delivery.pacing import Pacer
from bot.delivery.sender import Sender
from bot.domain.errors import InvalidInput
from bot.jobs import JOBS
from bot.models import (
    Account,
    AuditEntry,
    Delivery,
    DeliveryState,
    Facility,
    PhotoConsent,
    PhotoTag,
    PhotoThanks,
    PhotoUpdate,
    RelativeLink,
    Resident,
    Role,
    StaffRole,
)
from bot.services.accounts.actors import Actor
from bot.services.accounts.facilities import update_facility
from bot.services.conversations import conversations
from bot.services.photo_updates import relay as photo_relay
from bot.services.photo_updates import updates as photo_updates
from bot.services.photo_updates.housekeeping import purge_expired
from bot.services.privacy import privacy
from tests.conftest import TOKEN
from tests.fakes import FakeTelegram, FakeUser

pytestmark = [pytest.mark.usefixtures("db"), pytest.mark.calendar]

NO_QUIET_HOURS = {"quiet_from": dt.time(12, 0), "quiet_until": dt.time(12, 0)}


@pytest.fixture
async def sender(telegram: FakeTelegram, db: str) -> AsyncIterator[Sender]:
    bot = Bot(TOKEN, base_url=telegram.base_url, base_file_url=telegram.base_file_url)
    async with bot:
        yield Sender(bot, Pacer(rate=25))


async def send_all(sender: Sender, timeout: float = 15.0) -> None:
    """Run the sender until nothing is pending any more."""
    async with asyncio.timeout(timeout):
        while await Delivery.filter(state=DeliveryState.PENDING).exists():
            if not await sender.send_due():
                await asyncio.sleep(0.05)  # a postponed row is not due yet


async def person(telegram: FakeTelegram, name: str, locale: str = "en") -> tuple[FakeUser, Account]:
    user = telegram.user(name, started=True)
    account = await Account.create(
        telegram_id=user.id, first_name=name, locale=locale, **NO_QUIET_HOURS
    )
    return user, account


async def linden() -> Facility:
    return await Facility.create(slug="linden", name="Haus Linden")


async def staff(facility: Facility, account: Account, role: Role) -> Actor:
    await StaffRole.create(account=account, facility=facility, role=role)
    return Actor.of(account, frozenset())


async def frau_m(facility: Facility) -> Resident:
    return await Resident.create(
        facility=facility, display_name="Frau M.", photo_consent=PhotoConsent.GRANTED
    )


async def post(author: Actor, facility: Facility, who: Resident, file_ids: list[str],
               caption: str = "") -> PhotoUpdate:
    update = await photo_updates.start_draft(author, facility.id, file_ids[0])
    for file_id in file_ids[1:]:
        await photo_updates.add_photo(author, update.id, file_id)
    await photo_updates.toggle_resident(author, update.id, who.id)
    await photo_updates.set_caption(author, update.id, caption)
    return await photo_updates.submit(author, update.id)


async def test_an_album_arrives_before_its_note_and_nothing_is_uploaded_again(
    telegram: FakeTelegram, sender: Sender
) -> None:
    home = await linden()
    ben_chat, ben = await person(telegram, "Ben")
    carla_chat, carla = await person(telegram, "Carla", "de")
    anna_chat, anna = await person(telegram, "Anna", "de")
    author, approver = await staff(home, ben, Role.STAFF), await staff(home, carla, Role.APPROVER)
    resident = await frau_m(home)
    await RelativeLink.create(account=anna, resident=resident)
    photos = await ben_chat.send_album(3)
    uploads = len(telegram.uploads)
    update = await post(author, home, resident, [m.photo[-1]["file_id"] for m in photos],
                        "Sommerfest")
    await send_all(sender)  # the review: photos, then the note with the buttons
    assert [bool(m.photo) for m in carla_chat.messages] == [True, True, True, False]
    assert carla_chat.messages[-1].button_texts[0] == "✅ Freigeben"

    await photo_updates.approve(approver, update.id)
    await send_all(sender)

    received = anna_chat.messages
    assert [bool(m.photo) for m in received] == [True, True, True, False]
    assert received[0].caption == "Sommerfest"
    assert received[0].media_group_id is not None
    assert received[3].text == "📷 Frau M. · Haus Linden"
    assert received[3].callback_data(received[3].button_texts[0]) == f"photo:1:thx:{update.id}"
    assert len(telegram.uploads) == uploads  # re-sent by file_id
    assert "approved by Carla" in ben_chat.last_text  # type: ignore[operator]


async def test_a_recall_returns_the_ids_of_the_messages_relatives_got(
    telegram: FakeTelegram, sender: Sender
) -> None:
    home = await linden()
    ben_chat, ben = await person(telegram, "Ben")
    _, dora = await person(telegram, "Dora")
    anna_chat, anna = await person(telegram, "Anna")
    author, admin = await staff(home, ben, Role.STAFF), await staff(home, dora, Role.ADMIN)
    resident = await frau_m(home)
    await RelativeLink.create(account=anna, resident=resident)
    photo = await ben_chat.send_photo()
    update = await post(author, home, resident, [photo.photo[-1]["file_id"]], "Im Garten")
    await photo_updates.approve(admin, update.id)
    await send_all(sender)
    [message] = anna_chat.messages
    assert message.caption == "Im Garten\n\n📷 Frau M. · Haus Linden"
    assert message.button_texts == ["❤️ Thank you", "Reply"]

    recall = await photo_updates.recall(admin, update.id)

    assert recall.messages == [(anna_chat.chat_id, [message.message_id])]
    bot = Bot(TOKEN, base_url=telegram.base_url, base_file_url=telegram.base_file_url)
    async with bot:
        for chat_id, message_ids in recall.messages:
            await bot.delete_messages(chat_id, message_ids)
    assert anna_chat.messages == []


async def test_relatives_read_it_in_their_language(
    telegram: FakeTelegram, sender: Sender
) -> None:
    home = await linden()
    _, ben = await person(telegram, "Ben")
    _, dora = await person(telegram, "Dora")
    author, admin = await staff(home, ben, Role.STAFF), await staff(home, dora, Role.ADMIN)
    mother = await frau_m(home)
    father = await Resident.create(
        facility=home, display_name="Herr M.", photo_consent=PhotoConsent.GRANTED
    )
    emil_chat, emil = await person(telegram, "Emil", "de")
    await RelativeLink.create(account=emil, resident=mother)
    await RelativeLink.create(account=emil, resident=father)
    update = await photo_updates.start_draft(author, home.id, "x")
    await photo_updates.toggle_resident(author, update.id, mother.id)
    await photo_updates.toggle_resident(author, update.id, father.id)
    await photo_updates.submit(author, update.id)
    await photo_updates.approve(admin, update.id)
    row = await Delivery.get(purpose=photo_relay.RELAY, account_id=emil.id)
    assert row.content["caption"] == "📷 Frau M. und Herr M. · Haus Linden"
    assert [b["text"] for b in row.content["buttons"][0]] == ["❤️ Danke", "Antworten"]
    assert emil_chat.messages == []  # nothing sent yet: the sender did not run


# Retention


async def test_updates_past_the_retention_are_purged_with_everything_about_them() -> None:
    home = await linden()
    _, ben = await _accounts("Ben")
    author = await staff(home, ben, Role.ADMIN)
    resident = await frau_m(home)
    await update_facility(author, home.id, four_eyes=False, photo_retention_days=30)
    old = await post(author, home, resident, ["old"])
    new = await post(author, home, resident, ["new"])
    anna = await Account.create(telegram_id=4711, first_name="Anna")
    await RelativeLink.create(account=anna, resident=resident)
    await PhotoThanks.create(update=old, account=anna)
    await photo_updates.approve(author, old.id)
    now = dt.datetime.now(dt.UTC)
    await PhotoUpdate.filter(id=old.id).update(created_at=now - dt.timedelta(days=31))
    await PhotoUpdate.filter(id=new.id).update(created_at=now - dt.timedelta(days=29))
    assert await Delivery.filter(reference__startswith=f"{old.id}:").exists()

    assert await purge_expired(now) == 1

    assert [u.id for u in await PhotoUpdate.all()] == [new.id]
    assert not await PhotoTag.filter(update_id=old.id).exists()
    assert not await PhotoThanks.exists()
    references = await Delivery.all().values_list("reference", flat=True)
    assert all(not str(r).startswith(f"{old.id}:") and r != str(old.id) for r in references)
    assert await Delivery.filter(reference=str(new.id)).exists()
    entry = await AuditEntry.get(action="photo.purge")
    assert (entry.via, entry.details) == ("system", {"count": 1, "retention_days": 30})
    assert await purge_expired(now) == 0


async def test_forgotten_drafts_go_after_a_day_and_the_job_runs_daily() -> None:
    home = await linden()
    _, ben = await _accounts("Ben")
    author = await staff(home, ben, Role.STAFF)
    draft = await photo_updates.start_draft(author, home.id, "x")
    now = dt.datetime.now(dt.UTC)
    assert await purge_expired(now) == 0
    assert await purge_expired(now + dt.timedelta(days=1, minutes=1)) == 1
    assert not await PhotoUpdate.exists(id=draft.id)
    job = next(job for job in JOBS if job.run is purge_expired)
    assert job.every_seconds == 24 * 3600


async def test_the_photo_settings_are_checked() -> None:
    home = await linden()
    _, dora = await _accounts("Dora")
    admin = await staff(home, dora, Role.ADMIN)
    assert (home.four_eyes, home.photo_retention_days) == (True, 180)
    for wrong in ({"photo_retention_days": 0}, {"photo_retention_days": 3651},
                  {"photo_retention_days": "30"}, {"four_eyes": "no"}):
        with pytest.raises(InvalidInput):
            await update_facility(admin, home.id, **wrong)
    changed = await update_facility(admin, home.id, photo_retention_days=3650, four_eyes=False)
    assert (changed.four_eyes, changed.photo_retention_days) == (False, 3650)


_numbers = iter(range(800_000_001, 800_100_000))


async def _accounts(name: str) -> tuple[None, Account]:
    return None, await Account.create(telegram_id=next(_numbers), first_name=name, locale="en")


# Data rights


async def test_mydata_counts_posts_and_lists_thanks() -> None:
    home = await linden()
    _, ben = await _accounts("Ben")
    author = await staff(home, ben, Role.APPROVER)
    resident = await frau_m(home)
    update = await post(author, home, resident, ["x"])
    await PhotoThanks.create(update=update, account=ben)
    exported = await privacy.export_account(ben)
    assert exported["photo_updates_posted"] == 1
    assert exported["photo_thanks"] == [
        {"photo_update": update.id, "at": exported["photo_thanks"][0]["at"]}
    ]


async def every_value_in_the_database() -> list[object]:
    from tortoise import Tortoise

    values: list[object] = []
    for models in Tortoise.apps.values():
        for model in models.values():
            for row in await model.all().values():
                values.extend(row.values())
    return values


async def test_deleteme_leaves_no_message_name_or_thanks_behind() -> None:
    home = await linden()
    _, annegret = await _accounts("Annegret")
    _, bertholdine = await _accounts("Bertholdine")
    _, carla = await _accounts("Carla")
    author = await staff(home, bertholdine, Role.STAFF)
    approver = await staff(home, carla, Role.ADMIN)  # admins receive relatives' messages
    resident = await frau_m(home)
    await RelativeLink.create(account=annegret, resident=resident)
    update = await post(author, home, resident, ["x"])
    await photo_updates.approve(approver, update.id)
    await Delivery.filter(account_id=annegret.id).update(state=DeliveryState.SENT)
    await photo_updates.thank(annegret, update.id)
    replying_about = await photo_updates.reply_about(annegret, update.id)
    await conversations.relative_writes(annegret, replying_about, "text",
                                        "Liebe Grüße von Annegret")
    assert await Delivery.filter(purpose=conversations.RELAY, account_id=carla.id).exists()
    values = await every_value_in_the_database()
    assert any("Annegret" in str(v) for v in values)
    assert any("Bertholdine" in str(v) for v in values)  # the review note names the author

    await privacy.erase_account(annegret)
    await privacy.erase_account(bertholdine)

    values = await every_value_in_the_database()
    assert not any("Annegret" in str(v) or "Bertholdine" in str(v) for v in values)
    assert await photo_updates.thanks_count(update.id) == 0
    kept = await PhotoUpdate.get(id=update.id)
    assert kept.author_id is None  # type: ignore[attr-defined]
    assert await AuditEntry.filter(action="photo.approve").exists()  # the fact stays
