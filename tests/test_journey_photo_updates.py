"""Journey: Ben posts photos of Frau M. and Herr K., Carla approves, the families receive them."""

from __future__ import annotations

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.models import (
    Account,
    Delivery,
    DeliveryState,
    PhotoUpdate,
    PhotoUpdateState,
    Resident,
    Role,
    StaffRole,
)
from bot.services.accounts.actors import Actor
from bot.services.accounts.residents import withdraw_consent
from tests import factories
from tests.fakes import FakeTelegram, FakeUser
from tests.photo_homes import Linden, all_sent, post


def received_photos(user: FakeUser) -> list[str]:
    """The file ids of the photos the bot sent to ``user``."""
    return [m.photo[-1]["file_id"] for m in user.messages if m.photo]


async def test_ben_posts_an_album_carla_approves_and_each_family_gets_it_once(
    telegram: FakeTelegram, linden: Linden
) -> None:
    home = linden
    ben, carla, anna, jonas = home.ben, home.carla, home.anna, home.jonas
    petra = await factories.family_member(telegram, "Petra", home.frau_m, photo_updates=False)

    album = await ben.send_album(3)
    picker = await ben.wait_for("Who is in these 3 photos?")
    assert "🚫 Herr S. · room 21" in picker.button_texts  # shown, but without consent
    await ben.send("K.")  # typing narrows the list down
    narrowed = await ben.wait_for("1 resident matches “K.”.")
    assert [b for b in narrowed.button_texts if "room" in b] == ["Herr K. · room 14"]
    await ben.press("Herr K.")
    await ben.wait_for(lambda m: "✅ Herr K. · room 14" in m.button_texts)
    await ben.press("Show all")
    await ben.wait_for(lambda m: "Frau M. · room 12" in m.button_texts)
    await ben.press("Frau M.")
    await ben.wait_for(lambda m: "✅ Frau M. · room 12" in m.button_texts)
    await ben.press("Done")
    await ben.wait_for("Would you like to add a caption?")
    await ben.send("Sommerfest im Garten 🌞")
    summary = await ben.wait_for("Preview: 3 photos of Frau M. and Herr K.")
    preview = [m for m in ben.messages if m.photo and m.message_id < summary.message_id]
    assert len(preview) == 3 and preview[0].caption == "Sommerfest im Garten 🌞"
    await ben.press("Submit")
    await ben.wait_for("Waiting for approval")

    note = await carla.wait_for("New photo update from Ben")
    assert "Frau M. and Herr K." in note.text and "Sommerfest im Garten" in note.text
    assert len(received_photos(carla)) == 3
    answer = await carla.press("✅ Approve")
    assert answer.text == "Approved. It goes to 2 relatives."
    decided = await carla.wait_for("Approved by Carla")
    assert decided.message_id == note.message_id and decided.button_texts == []

    anna_note = await anna.wait_for("📷 Frau M. · Haus Linden", timeout=10)
    jonas_note = await jonas.wait_for("📷 Frau M. and Herr K. · Haus Linden", timeout=10)
    staff_file_ids = [m.photo[-1]["file_id"] for m in album]
    for user, last in ((anna, anna_note), (jonas, jonas_note)):
        assert received_photos(user) == staff_file_ids  # once, as Ben sent them
        photos = [m for m in user.messages if m.photo]
        assert len({m.media_group_id for m in photos}) == 1 and photos[0].media_group_id
        assert photos[0].caption == "Sommerfest im Garten 🌞"
        assert user.messages[-1] is last and last.button_texts == ["❤️ Thank you", "Reply"]
    assert len(telegram.calls_of("sendMediaGroup")) == 2 + 1 + 1  # families, Carla, preview
    assert telegram.uploads == []  # nothing uploaded: re-sent by Ben's file_ids
    await ben.wait_for("was approved by Carla")
    assert petra.messages == []  # photo updates off
    assert await PhotoUpdate.filter(state=PhotoUpdateState.APPROVED).count() == 1


async def test_ben_cannot_approve_his_own_post(telegram: FakeTelegram, linden: Linden) -> None:
    home = linden
    # Four eyes: on. Bernd may approve, but not his own post.
    ben = await factories.team_member(telegram, home.facility, "Bernd", Role.APPROVER)

    await post(ben, ["Frau M."])
    await home.carla.wait_for("New photo update from Bernd")
    assert all("New photo update" not in m.content for m in ben.messages)  # not asked
    await ben.send("/pending")
    await ben.wait_for("1 photo update is waiting for approval")
    await ben.wait_for(lambda m: "✅ Approve" in m.button_texts)
    refused = await ben.press("✅ Approve")
    assert refused.text == "You cannot approve your own post." and refused.show_alert
    assert await PhotoUpdate.filter(state=PhotoUpdateState.PENDING).count() == 1
    await home.carla.press("✅ Approve")
    await home.anna.wait_for("📷 Frau M. · Haus Linden", timeout=10)


async def test_consent_withdrawn_after_submitting_blocks_the_approval(linden: Linden) -> None:
    home = linden
    await post(home.ben, ["Frau M.", "Herr K."])
    await home.carla.wait_for("New photo update from Ben")
    # Recorded elsewhere, past the service's hook: approval must still check it.
    await Resident.filter(id=home.herr_k.id).update(photo_consent="withdrawn")

    refused = await home.carla.press("✅ Approve")
    assert refused.show_alert
    assert refused.text.startswith("There is no photo consent for Herr K. any more")
    assert await PhotoUpdate.filter(state=PhotoUpdateState.PENDING).count() == 1
    assert await Delivery.filter(purpose="photo_update").count() == 0

    await home.carla.press("❌ Reject")
    await home.carla.press("No consent")
    await home.carla.wait_for("Not approved by Carla")
    await home.ben.wait_for("was not approved by Carla")

    # Withdrawn the usual way, the pending post is rejected at once.
    await post(home.ben, ["Frau M."])
    await home.carla.wait_for(lambda m: "✅ Approve" in m.button_texts)
    await withdraw_consent(Actor.cli(), home.frau_m.id)
    refused = await home.carla.press("✅ Approve")
    assert refused.text == "This photo update was not sent: the photo consent was withdrawn."
    assert await PhotoUpdate.filter(state=PhotoUpdateState.REJECTED).count() == 2
    assert home.anna.messages == [] and home.jonas.messages == []


async def test_carla_corrects_a_caption_and_rejects_in_her_own_words(linden: Linden) -> None:
    home = linden
    ben, carla = home.ben, home.carla
    await post(ben, ["Frau M."], caption="Frau M. beim Kuchenbakcen")
    await carla.wait_for("New photo update from Ben")
    await carla.press("✏️ Edit caption")
    await carla.wait_for("Please type the new caption for the photo update of Frau M.")
    await carla.send("x" * 1100)
    await carla.wait_for("Please shorten it: 1,100 characters, at most 1,024.")
    await carla.send("Frau M. beim Kuchenbacken")
    await carla.wait_for("The caption is changed.")
    await carla.wait_for(lambda m: "beim Kuchenbacken" in m.text and "✅ Approve" in m.button_texts)
    await carla.press("✅ Approve")
    await home.anna.wait_for("Frau M. beim Kuchenbacken", timeout=10)

    await post(ben, ["Herr K."])
    await carla.wait_for(lambda m: "✅ Approve" in m.button_texts)
    await carla.press("❌ Reject")
    await carla.wait_for("Why is it not approved?")
    await carla.press("✏️ Write a reason")
    await carla.wait_for("Please type the reason")
    await carla.send("Bitte ohne das Namensschild im Bild.")
    await carla.wait_for("Not approved. The author is told why.")
    await ben.wait_for("Bitte ohne das Namensschild im Bild.")

    await ben.send("/myposts")
    listed = await ben.wait_for("Your photo updates:")
    assert listed.text.index("❌ not approved") < listed.text.index("✅ approved")  # newest first
    assert "Herr K." in listed.text and "Frau M." in listed.text


async def test_two_approvers_at_the_same_moment_relay_it_once(
    telegram: FakeTelegram, linden: Linden
) -> None:
    home = linden
    dora = await factories.team_member(telegram, home.facility, "Dora", Role.APPROVER)
    await post(home.ben, ["Frau M."], photos=2)
    await home.carla.wait_for("New photo update from Ben")
    await dora.wait_for("New photo update from Ben")

    answers = await asyncio.gather(home.carla.press("✅ Approve"), dora.press("✅ Approve"))
    texts = sorted(answer.text or "" for answer in answers)
    assert texts[0].startswith("Approved. It goes to 2 relatives.")
    assert texts[1] in ("Carla already approved this.", "Dora already approved this.")
    await home.anna.wait_for("📷 Frau M. · Haus Linden", timeout=10)
    await home.jonas.wait_for("📷 Frau M. · Haus Linden", timeout=10)
    assert len(received_photos(home.anna)) == 2 and len(received_photos(home.jonas)) == 2
    assert await Delivery.filter(purpose="photo_update").count() == 4  # 2 families × album+note


@pytest.mark.calendar  # run at every instant of tests.conftest.CLOCKS
async def test_an_admin_recalls_an_approved_update(telegram: FakeTelegram, linden: Linden) -> None:
    home = linden
    olga = await factories.team_member(telegram, home.facility, "Olga", Role.ADMIN)
    await post(home.ben, ["Frau M."], photos=2)
    await olga.wait_for("New photo update from Ben")
    await home.carla.press("✅ Approve")
    await home.anna.wait_for("📷 Frau M. · Haus Linden", timeout=10)
    await home.jonas.wait_for("📷 Frau M. · Haus Linden", timeout=10)
    approved = await olga.wait_for("Approved by Carla")
    assert approved.button_texts == ["↩️ Recall"]  # admins only:
    assert home.carla.messages[-1].button_texts == []
    # Jonas got it long ago: Telegram no longer lets the bot delete it there.
    await all_sent("photo_update")
    jonas_rows = Delivery.filter(purpose="photo_update", chat_id=home.jonas.id)
    await jonas_rows.update(sent_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=49))
    for message in home.jonas.messages:
        telegram.age_message(home.jonas, message.message_id, 49)

    await olga.press("↩️ Recall")
    await olga.wait_for("Recall it from the families?")
    await olga.press("Yes, recall it")
    report = await olga.wait_for("Recalled: deleted 3 of 3 messages.")
    assert "1 family got it more than 48 hours ago" in report.text
    assert home.anna.messages == []  # album of two and the note: gone
    assert len(home.jonas.messages) == 3
    await olga.wait_for(lambda m: "Recalled from the families" in m.text)
    assert await PhotoUpdate.filter(state=PhotoUpdateState.RECALLED).count() == 1


async def test_anna_says_thank_you_and_replies_and_ben_sees_both(
    telegram: FakeTelegram, linden: Linden
) -> None:
    home = linden
    ben, anna = home.ben, home.anna
    await post(ben, ["Frau M."], caption="Frau M. beim Kuchenbacken")
    await home.carla.wait_for("New photo update from Ben")
    await home.carla.press("✅ Approve")
    decision = await ben.wait_for("was approved by Carla")
    await anna.wait_for("Frau M. beim Kuchenbacken", timeout=10)

    answer = await anna.press("❤️ Thank you")
    assert answer.text == "Thank you sent ❤️"
    thanked = await ben.wait_for("1 relative said thank you")
    assert thanked.message_id == decision.message_id
    await home.carla.wait_for("1 relative said thank you")
    quiet = await anna.press("❤️ Thanked")  # the button changed: no second thanks
    assert quiet.text is None
    await home.jonas.wait_for("Frau M. beim Kuchenbacken", timeout=10)
    await home.jonas.press("❤️ Thank you")
    await ben.wait_for("2 relatives said thank you")

    # Reply: a message to the home about Frau M. (Ben has the inbox duty: no staff group here)
    await StaffRole.filter(account__telegram_id=ben.id).update(inbox=True)
    await anna.press("Reply")
    await anna.wait_for("What would you like to tell the team of Haus Linden about Frau M.?")
    await anna.send("Wie schön, danke! Sie sieht glücklich aus.")
    await anna.wait_for("Received")
    relayed = await ben.wait_for("Anna writes about Frau M. (#1)", timeout=10)
    assert "Wie schön, danke! Sie sieht glücklich aus." in relayed.text

    await ben.send("/myposts")
    listed = await ben.wait_for("Your photo updates:")
    assert "✅ approved" in listed.text and "❤️ 2 relatives said thank you" in listed.text


@pytest.mark.calendar  # run at every instant of tests.conftest.CLOCKS
async def test_a_relative_in_quiet_hours_gets_it_later(linden: Linden) -> None:
    home = linden
    now = dt.datetime.now(ZoneInfo("Europe/Berlin")).replace(second=0, microsecond=0)
    await Account.filter(telegram_id=home.anna.id).update(  # asleep from an hour ago
        quiet_from=(now - dt.timedelta(hours=1)).time().replace(tzinfo=dt.UTC),
        quiet_until=(now + dt.timedelta(hours=1)).time().replace(tzinfo=dt.UTC),
    )
    await post(home.ben, ["Frau M."])
    await home.carla.wait_for("New photo update from Ben")
    await home.carla.press("✅ Approve")
    await home.jonas.wait_for("📷 Frau M. · Haus Linden", timeout=10)

    waiting = await Delivery.get(purpose="photo_update", chat_id=home.anna.id)
    assert waiting.state == DeliveryState.PENDING
    assert waiting.next_attempt_at > dt.datetime.now(dt.UTC) + dt.timedelta(minutes=50)
    assert home.anna.messages == []


async def test_staff_of_two_homes_picks_the_home_first(linden: Linden) -> None:
    home = linden
    birke = await factories.home("birke")
    await factories.resident(birke, "Frau B.", "3", consent=True)
    ben_account = await Account.get(telegram_id=home.ben.id)
    await factories.give_role(ben_account, birke, Role.STAFF)

    await home.ben.send_photo()
    await home.ben.wait_for("Which care home is this photo for?")
    await home.ben.press("Haus Birke")
    picker = await home.ben.wait_for("Who is in this photo?")
    assert [b for b in picker.button_texts if "room" in b] == ["Frau B. · room 3"]
    draft = await PhotoUpdate.get(state=PhotoUpdateState.DRAFT)
    assert draft.facility_id == birke.id  # type: ignore[attr-defined]
    assert await PhotoUpdate.all().count() == 1
