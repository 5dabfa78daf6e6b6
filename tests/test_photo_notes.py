"""The outbox keeps the notes about a photo update current, and takes a recall back.

Every edit of an approver's note or of the author's decision message, and every deletion of a
recall, is an outbox row written in the transaction of the change that caused it.
"""

from __future__ import annotations

import pytest

from bot.i18n import translator
from bot.models import (
    Account,
    Delivery,
    DeliveryState,
    Facility,
    PhotoUpdate,
    RejectReason,
    RelativeLink,
    Role,
)
from bot.services.photo_updates import relay as photo_relay
from bot.services.photo_updates import updates as photo_updates
from bot.services.privacy import privacy
from tests.test_photo_relay import every_value_in_the_database, frau_m, post, staff
from tests.test_photo_updates import Home, mark_sent, relayed_to

pytestmark = pytest.mark.usefixtures("db")


async def notes_sent(update: PhotoUpdate) -> list[Delivery]:
    """Play the sender for the review notes and the author's notice of ``update``."""
    rows = await Delivery.filter(
        purpose__in=(photo_relay.REVIEW, photo_relay.DECISION), reference=str(update.id)
    ).order_by("id")
    for row in rows:
        row.state = DeliveryState.SENT
        row.sent_message_ids = [row.id + 100]
        await row.save()
    return list(rows)


async def person(name: str, telegram_id: int) -> Account:
    return await Account.create(telegram_id=telegram_id, first_name=name, locale="en")


async def test_a_decision_edits_every_sent_note_in_its_own_transaction() -> None:
    home = await Home.open()
    frau = await home.resident("Frau M.")
    update = await home.post([frau], files=["a"])
    notes = await notes_sent(update)  # Carla's and Dora's review notes

    await photo_updates.reject(home.carla, update.id, RejectReason.QUALITY)

    edits = await Delivery.filter(purpose=photo_relay.NOTE_EDIT).order_by("id")
    assert [(e.chat_id, e.kind, e.content["message_id"]) for e in edits] == [
        (note.chat_id, "edit_text", note.id + 100) for note in notes
    ]
    tr = {note.chat_id: translator(note.content["locale"]) for note in notes}
    assert all(tr[e.chat_id]._("❌ Not approved by {name}: {reason}").format(
        name="Carla", reason=tr[e.chat_id]._("The photo is not good enough")
    ) in e.content["text"] for e in edits)
    assert all("buttons" not in e.content for e in edits)  # decided: the buttons go


async def test_a_newer_edit_of_a_note_drops_the_one_not_sent_yet() -> None:
    home = await Home.open()
    frau = await home.resident("Frau M.")
    update = await home.post([frau], files=["a"])
    await notes_sent(update)
    await photo_updates.edit_caption(home.carla, update.id, "Im Garten")
    await photo_updates.edit_caption(home.carla, update.id, "Im Park")

    edits = await Delivery.filter(purpose=photo_relay.NOTE_EDIT).order_by("id")
    assert [e.state for e in edits] == [DeliveryState.SKIPPED] * 2 + [DeliveryState.PENDING] * 2
    assert all("Im Park" in e.content["text"] for e in edits[2:])
    assert all(e.content["buttons"] for e in edits[2:])  # still pending: the decision buttons


async def test_a_recall_deletes_through_the_outbox_and_then_reports() -> None:
    home = await Home.open()
    frau = await home.resident("Frau M.")
    await RelativeLink.create(account=await person("Anna", 990_001), resident=frau)
    update = await home.post([frau], files=["a", "b"])
    await photo_updates.approve(home.carla, update.id)
    await mark_sent(update, "Anna", hours_ago=1)

    await photo_updates.recall(home.dora, update.id, "en")

    rows = await Delivery.filter(purpose=photo_relay.RECALL).order_by("id")
    anna = (await relayed_to(update))["Anna"]
    assert home.dora.account is not None
    assert [(r.chat_id, r.kind) for r in rows] == [
        (anna[0].chat_id, "delete"), (home.dora.account.telegram_id, "text")
    ]
    assert rows[0].content["message_ids"] == [
        *anna[0].sent_message_ids, *anna[1].sent_message_ids
    ]
    assert rows[1].content["text"] == "Recalled: deleted 3 of 3 messages."


async def test_deleteme_leaves_no_edit_of_a_note_naming_the_author_behind() -> None:
    home = await Facility.create(slug="linden", name="Haus Linden")
    bertholdine = await person("Bertholdine", 990_002)
    author = await staff(home, bertholdine, Role.STAFF)
    approver = await staff(home, await person("Carla", 990_003), Role.ADMIN)
    resident = await frau_m(home)
    await RelativeLink.create(account=await person("Annegret", 990_004), resident=resident)
    update = await post(author, home, resident, ["x"])
    await Delivery.filter(purpose=photo_relay.REVIEW).update(
        state=DeliveryState.SENT, sent_message_ids=[1]
    )
    await photo_updates.approve(approver, update.id)  # edits the sent note: "from Bertholdine"
    assert await Delivery.filter(purpose=photo_relay.NOTE_EDIT).exists()

    await privacy.erase_account(bertholdine)

    values = await every_value_in_the_database()
    assert not any("Bertholdine" in str(v) for v in values)
